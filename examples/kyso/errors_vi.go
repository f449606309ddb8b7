package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/token"
)

// secretError: a password the command needs was not given, because its flag is
// missing or the environment variable it names is empty; or (wrong) the password in
// the variable was refused.
type secretError struct {
	flag     string // "-p12-pass-env"
	variable string // the variable named, "" when the flag was not given
	what     string // "the PKCS#12 file", "the input PDF"
	wrong    bool   // the variable holds a password, and it was refused
	cause    error  // the library's refusal, if any
}

func (e *secretError) Error() string {
	if e.wrong {
		return fmt.Sprintf("%s: the password in $%s does not open %s: %v", e.flag, e.variable, e.what, e.cause)
	}
	if e.variable == "" {
		s := fmt.Sprintf("%s: no password was given for %s", e.flag, e.what)
		if e.cause != nil {
			s += ": " + e.cause.Error()
		}
		return s
	}
	return fmt.Sprintf("%s: environment variable %s is empty or not set", e.flag, e.variable)
}

func (e *secretError) Unwrap() error { return e.cause }

// bilingual is a message a user reads: Vietnamese, then English.
type bilingual struct{ vi, en string }

// explain maps the library's typed errors to what a user can act on, in Vietnamese
// and English. ok is false when err is none of them.
func explain(err error) (m bilingual, ok bool) {
	var (
		ms  *secretError
		pin *token.PINError
		csc *token.CSCError
		anc *layout.AnchorError
		spc *layout.SpecError
	)
	is := func(target error) bool { return errors.Is(err, target) }
	switch {
	case errors.As(err, &ms) && ms.wrong:
		return bilingual{
			fmt.Sprintf("mật khẩu trong $%s (của %s) không mở được %s", ms.variable, ms.flag, vi(ms.what)),
			fmt.Sprintf("the password in $%s (named by %s) does not open %s", ms.variable, ms.flag, ms.what)}, true
	case errors.As(err, &ms) && ms.variable == "":
		return bilingual{
			fmt.Sprintf("chưa có mật khẩu cho %s: đặt mật khẩu vào một biến môi trường và chỉ tên biến bằng %s TÊN_BIẾN", vi(ms.what), ms.flag),
			fmt.Sprintf("no password was given for %s: put it in an environment variable and name it with %s VAR", ms.what, ms.flag)}, true
	case errors.As(err, &ms):
		secretVi, secretEn := secretKind(ms.flag)
		return bilingual{
			fmt.Sprintf("biến môi trường %s (của %s) trống hoặc chưa đặt, nên không có %s: đặt nó trước khi chạy, ví dụ read -rs %s; export %s", ms.variable, ms.flag, secretVi, ms.variable, ms.variable),
			fmt.Sprintf("environment variable %s (named by %s) is empty or not set, so no %s was given: set it before running, e.g. read -rs %s; export %s", ms.variable, ms.flag, secretEn, ms.variable, ms.variable)}, true
	case errors.As(err, &anc) && errors.Is(anc, layout.ErrAnchorAmbiguous):
		return bilingual{
			"khối chữ ký của người ký (chức vụ ô 7a, họ tên ô 7b) xuất hiện nhiều lần: ghi đủ -signer-title và -signer-name, hoặc chọn trang bằng -page N (kyso layout anchors TỆP.pdf liệt kê các khối tìm thấy)",
			"the signer block (title ô 7a, name ô 7b) appears more than once: give both -signer-title and -signer-name, or the page with -page N (kyso layout anchors FILE.pdf lists the blocks it finds)"}, true
	case errors.As(err, &anc):
		return bilingual{
			"không tìm thấy khối chữ ký của người ký (chức vụ ô 7a, họ tên ô 7b) trong tài liệu: kiểm tra -signer-title và -signer-name (kyso layout anchors TỆP.pdf liệt kê các khối tìm thấy), hoặc đặt chữ ký bằng -page N -rect llx,lly,urx,ury",
			"the signer block (title ô 7a, name ô 7b) was not found in the document: check -signer-title and -signer-name (kyso layout anchors FILE.pdf lists the blocks it finds), or place the signature with -page N -rect llx,lly,urx,ury"}, true
	case errors.As(err, &pin), errors.As(err, &csc):
		return bilingual{}, false // their own message is already in both languages
	case errors.As(err, &spc) && spc.Field == "Font":
		return bilingual{"không dùng được tệp phông chữ của -font: cần một tệp TrueType (.ttf), ví dụ Times New Roman của cơ quan", "the -font file cannot be used: give a TrueType (.ttf) file, e.g. the agency's Times New Roman"}, true
	case errors.As(err, &spc) && spc.Field == "Page", is(signature.ErrPageNotFound):
		return bilingual{"không có trang này trong tài liệu (-page đếm từ 1)", "the document has no such page (-page counts from 1)"}, true
	case is(layout.ErrSpec):
		return bilingual{"thông số đặt chữ ký không hợp lệ (-placement, -signer-title, -signer-name, -seal-mm, …)", "the placement flags are invalid (-placement, -signer-title, -signer-name, -seal-mm, …)"}, true
	case is(layout.ErrPlacementImage):
		return bilingual{"không dùng được ảnh chữ ký hoặc con dấu (-image): cần ảnh PNG nền trong suốt", "the signature or seal image (-image) cannot be used: give a PNG with a transparent background"}, true
	case is(layout.ErrUnreadable):
		return bilingual{"không đọc được tệp PDF (không phải PDF, hỏng, mã hóa hoặc vượt giới hạn)", "not a readable PDF (not a PDF, damaged, encrypted or over a limit)"}, true
	case is(layout.ErrDocument):
		return bilingual{"không đọc được trang để đặt chữ ký", "the page to place the signature on cannot be read"}, true
	case is(context.Canceled), is(errInterrupted):
		return bilingual{"đã dừng theo yêu cầu, không ghi tệp nào", "interrupted; nothing was written"}, true
	case is(errStdinTerminal):
		return bilingual{"đầu vào chuẩn là màn hình dòng lệnh: chuyển tệp PDF vào bằng < TỆP.pdf, hoặc ghi tên tệp thay cho -", "standard input is a terminal: pipe the PDF in with < FILE.pdf, or give the file's name instead of -"}, true
	case is(errStdoutTerminal):
		return bilingual{"đầu ra chuẩn là màn hình dòng lệnh: chuyển hướng bằng > TỆP.pdf, hoặc ghi tên tệp thay cho -", "standard output is a terminal: redirect it with > FILE.pdf, or give a file name instead of -"}, true
	case is(errNotRegular):
		return bilingual{"đầu ra đã tồn tại và không phải tệp thông thường (thư mục, FIFO, thiết bị): chọn một đường dẫn tệp, hoặc -out - cho đầu ra chuẩn",
			"the output exists and is not a regular file (a directory, FIFO or device): choose a file path, or -out - for standard output"}, true
	case is(token.ErrIncorrectPassword):
		return bilingual{"sai mật khẩu của tệp khóa (-p12-pass-env hoặc -key-pass-env)", "wrong password for the key file (-p12-pass-env or -key-pass-env)"}, true
	case is(token.ErrMalformedKeyFile), is(token.ErrNoPrivateKey):
		return bilingual{"tệp khóa không đọc được hoặc không chứa khóa bí mật: cần tệp PKCS#12 (.p12/.pfx) hoặc khóa PEM hợp lệ", "the key file is not a valid PKCS#12 (.p12/.pfx) or PEM key, or holds no private key"}, true
	case is(token.ErrNoCertificate), is(signature.ErrNoCertificate):
		return bilingual{"không có chứng thư số khớp với khóa: đưa chứng thư số bằng -cert CERTS.pem", "no certificate matches the key: give it with -cert CERTS.pem"}, true
	case is(token.ErrKeyMismatch), is(signature.ErrKeyMismatch):
		return bilingual{"chứng thư số không khớp với khóa bí mật", "the certificate does not belong to the private key"}, true
	case is(token.ErrModule):
		return bilingual{"không nạp được thư viện PKCS#11: kiểm tra đường dẫn -pkcs11 (hoặc $KYSO_PKCS11_MODULE)", "the PKCS#11 module could not be loaded: check the -pkcs11 path (or $KYSO_PKCS11_MODULE)"}, true
	case is(token.ErrAmbiguousToken):
		return bilingual{"có nhiều thiết bị ký số: chọn một bằng -token NHÃN (kyso token list liệt kê)", "several tokens are present: choose one with -token LABEL (kyso token list shows them)"}, true
	case is(token.ErrTokenNotFound), is(token.ErrTokenNotPresent):
		return bilingual{"không tìm thấy thiết bị ký số: cắm thiết bị, kiểm tra -token (kyso token list liệt kê)", "no such token: plug it in and check -token (kyso token list shows them)"}, true
	case is(token.ErrAmbiguousKey):
		return bilingual{"thiết bị có nhiều khóa ký: chọn một bằng -key-id HEX hoặc -key-label NHÃN", "the token holds several signing keys: choose one with -key-id HEX or -key-label LABEL"}, true
	case is(token.ErrKeyNotFound):
		return bilingual{"không có khóa ký kèm chứng thư số khớp -key-id/-key-label trên thiết bị", "no signing key with a certificate matches -key-id/-key-label on the token"}, true
	case is(token.ErrWeakHash), is(token.ErrUnsupportedHash), is(token.ErrUnsupportedKey), is(token.ErrMechanismUnsupported), is(signature.ErrAlgorithm):
		return bilingual{"thuật toán hoặc khóa bị từ chối hoặc không hỗ trợ (SHA-1/MD5 bị cấm; dùng -hash sha256 trở lên)", "algorithm or key refused or unsupported (SHA-1 and MD5 are refused; use -hash sha256 or stronger)"}, true
	case is(signature.ErrWrongPassword):
		return bilingual{"tệp PDF được mã hóa và mật khẩu trong biến của -in-pass-env không mở được (không phải mật khẩu người dùng hay chủ sở hữu)",
			"the PDF is encrypted and the password in the variable of -in-pass-env opens it neither as the user nor as the owner password"}, true
	case is(signature.ErrUnsupportedEncryption):
		return bilingual{"tệp PDF dùng kiểu mã hóa không được hỗ trợ", "the PDF uses an encryption kyso does not support"}, true
	case is(signature.ErrLimit):
		return bilingual{"tệp PDF vượt giới hạn an toàn (quá lớn, quá nhiều đối tượng hoặc lồng quá sâu)", "the PDF exceeds a safety limit (too large, too many objects or nested too deep)"}, true
	case is(signature.ErrFieldNotFound):
		return bilingual{"không có ô chữ ký tên này: -field điền vào một ô chữ ký trống có sẵn; -new-field TÊN tạo ô mới", "no signature field of that name: -field fills an existing empty signature field; use -new-field NAME to create one"}, true
	case is(signature.ErrNotSignatureField):
		return bilingual{"ô này không phải ô chữ ký", "that field is not a signature field"}, true
	case is(signature.ErrFieldSigned):
		return bilingual{"ô chữ ký này đã được ký: chọn ô khác hoặc -new-field TÊN", "that signature field is already signed: choose another, or -new-field NAME"}, true
	case is(signature.ErrFieldExists):
		return bilingual{"đã có ô tên này: chọn tên khác cho -new-field", "a field of that name exists: choose another -new-field name"}, true
	case is(signature.ErrAppearance):
		return bilingual{"không dựng được hình hiển thị của chữ ký", "the signature's appearance cannot be drawn"}, true
	case is(signature.ErrCertifiedNoChanges):
		return bilingual{"tài liệu đã được chứng thực không cho phép thay đổi (DocMDP P=1): không thể ký thêm", "the document is certified with no changes allowed (DocMDP P=1): it cannot be signed again"}, true
	case is(signature.ErrCertifyNotFirst):
		return bilingual{"chỉ chữ ký đầu tiên mới được chứng thực tài liệu: bỏ -certify", "only the first signature may certify the document: drop -certify"}, true
	case is(signature.ErrContentsTooSmall):
		return bilingual{"chữ ký không vừa vùng dành sẵn: tăng -reserve", "the signature does not fit into the reserved space: raise -reserve"}, true
	case is(signature.ErrBadSignatureValue):
		return bilingual{"giá trị chữ ký không kiểm tra được bằng chứng thư số (khóa trên thiết bị không khớp chứng thư?)", "the signature value does not verify with the certificate (does the key match the certificate?)"}, true
	case is(signature.ErrPolicyRefused):
		return bilingual{"chính sách ký số không cho phép chữ ký này; không ghi tệp nào", "the signing policy refuses this signature; nothing was written"}, true
	case is(policy.ErrInvalidRequest):
		return bilingual{"thông tin cho chính sách ký số không hợp lệ (-policy-request hoặc -role, -doc-kind, …)", "the signing policy's facts are invalid (-policy-request or -role, -doc-kind, …)"}, true
	case is(policy.ErrInvalidProfile):
		return bilingual{"tệp hồ sơ tỉnh không hợp lệ", "the province profile file is invalid"}, true
	case is(kyso.ErrPolicyFacts):
		return bilingual{"thông tin chính sách không khớp với tài liệu", "the policy facts do not fit the document"}, true
	case is(signature.ErrTimestamp) && is(certstatus.ErrNoChain):
		return bilingual{"chứng thư số của máy chủ cấp dấu thời gian (-tsa) không dẫn đến chứng thư gốc tin cậy: thêm chứng thư gốc của nó bằng -trust ROOT.pem",
			"the time-stamping authority's certificate (-tsa) does not chain to a trusted root: add its root with -trust ROOT.pem"}, true
	case is(signature.ErrTimestamp):
		return bilingual{"không lấy được dấu thời gian hợp lệ từ máy chủ cấp dấu thời gian: kiểm tra -tsa URL", "no usable time-stamp from the time-stamping authority: check -tsa URL"}, true
	case is(signature.ErrRevocationUnavailable):
		return bilingual{"không lấy được dữ liệu thu hồi (OCSP/CRL) của chứng thư số: kiểm tra máy chủ OCSP/CRL, hoặc dùng -continue-without-revocation",
			"revocation data (OCSP/CRL) could not be obtained: check the responders, or use -continue-without-revocation"}, true
	case is(signature.ErrNoLevelData), is(signature.ErrNoSignatures):
		return bilingual{"tài liệu chưa có chữ ký số nào: ký trước (kyso sign)", "the document has no signature yet: sign it first (kyso sign)"}, true
	case is(certstatus.ErrNoChain):
		return bilingual{"không dựng được chuỗi chứng thư đến gốc tin cậy: thêm chứng thư gốc bằng -trust ROOT.pem", "no certificate chain to a trusted root: add the root with -trust ROOT.pem"}, true
	case is(certstatus.ErrUnreachable):
		return bilingual{"không kết nối được máy chủ (TSA, OCSP hoặc CRL)", "a server (TSA, OCSP or CRL) is unreachable"}, true
	case is(signature.ErrNotPDF):
		return bilingual{"không đọc được tệp PDF", "not a readable PDF"}, true
	case is(signature.ErrDocument):
		return bilingual{"không đọc hoặc cập nhật được tài liệu", "cannot read or update the document"}, true
	case is(fs.ErrNotExist):
		return bilingual{"không tìm thấy tệp", "file not found"}, true
	case is(fs.ErrPermission):
		return bilingual{"không có quyền đọc hoặc ghi tệp", "permission denied"}, true
	}
	return bilingual{}, false
}

// secretKind names, in Vietnamese and English, the secret the flag flagName reads
// from the environment: a password, a PIN, an OTP or a remote service's access token.
func secretKind(flagName string) (vi, en string) {
	switch flagName {
	case "-pin-env", "-csc-pin-env":
		return "mã PIN", "PIN"
	case "-csc-otp-env":
		return "mã OTP", "OTP"
	case "-csc-auth-env":
		return "mã truy cập (access token)", "access token"
	}
	return "mật khẩu", "password"
}

// vi names in Vietnamese what secretError.what names in English.
func vi(what string) string {
	switch what {
	case "the PKCS#12 file":
		return "tệp PKCS#12"
	case "the PEM key":
		return "khóa PEM"
	case "the input PDF":
		return "tệp PDF đầu vào"
	case "the input PDF as the user or the owner password":
		return "tệp PDF đầu vào (không phải mật khẩu người dùng hay chủ sở hữu)"
	}
	return what
}

// printFailure writes a failure of the command name: what went wrong and what to do in
// Vietnamese and English on one line, then the error itself for detail. Errors the
// library already words in both languages (a PIN, a remote service) are printed as
// they are.
func printFailure(c *cli, name string, err error) {
	m, ok := explain(err)
	if !ok {
		var pin *token.PINError
		var csc *token.CSCError
		var anc *layout.AnchorError
		// The typed error's own message comes first, without the chain of
		// operations wrapped around it; the whole chain follows as detail.
		var own error
		switch {
		case errors.As(err, &pin):
			own = pin
		case errors.As(err, &csc):
			own = csc
		case errors.As(err, &anc):
			own = anc
		}
		if own != nil {
			fmt.Fprintf(c.stderr, "%s: %s\n", name, ownMessage(own))
			if err.Error() != own.Error() {
				fmt.Fprintf(c.stderr, "  chi tiết / detail: %v\n", err)
			}
			return
		}
		m = bilingual{"không thực hiện được", "failed"}
	}
	fmt.Fprintf(c.stderr, "%s: %s / %s\n  chi tiết / detail: %v\n", name, m.vi, m.en, err)
}

// userMessage is what a user reads of err on one line: the explanation in Vietnamese
// and English when explain knows it, else the message of a typed error that speaks
// both languages (a PIN, a remote service, an anchor), else the error itself.
func userMessage(err error) string {
	if m, ok := explain(err); ok {
		return m.vi + " / " + m.en
	}
	var pin *token.PINError
	var csc *token.CSCError
	switch {
	case errors.As(err, &pin):
		return ownMessage(pin)
	case errors.As(err, &csc):
		return ownMessage(csc)
	}
	return err.Error()
}

// ownMessage is the message of a typed error that already speaks Vietnamese and
// English, without the package prefixes ("token: ", "layout: ") a user need not read.
func ownMessage(err error) string {
	s := err.Error()
	for _, p := range []string{"token: ", "layout: "} {
		if t, ok := strings.CutPrefix(s, p); ok {
			return t
		}
	}
	return s
}

// pdfPasswordError names the -in-pass-env problem behind a PDF the library could not
// decrypt: no password given, or the one in $passEnv refused. Other errors are
// returned as they are.
func pdfPasswordError(err error, passEnv string) error {
	if !errors.Is(err, signature.ErrWrongPassword) {
		return err
	}
	if passEnv == "" {
		return &secretError{flag: "-in-pass-env", what: "the input PDF", cause: err}
	}
	return &secretError{flag: "-in-pass-env", variable: passEnv, what: "the input PDF as the user or the owner password", wrong: true, cause: err}
}

// keyPasswordError names the password flag behind a key file the library could not
// decrypt: flagName not given, or the password in $variable refused.
func keyPasswordError(err error, flagName, variable, what string) error {
	if !errors.Is(err, token.ErrIncorrectPassword) {
		return err
	}
	return &secretError{flag: flagName, variable: variable, what: what, wrong: variable != "", cause: err}
}
