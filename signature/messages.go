package signature

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/evidence"
)

// msg is a user-facing text in Vietnamese and English.
type msg struct{ VI, EN string }

// mf formats the same arguments into both languages.
func mf(vi, en string, args ...any) msg {
	return msg{VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)}
}

// vnZone is Vietnam time (UTC+7), in which times are displayed (ISO 8601, as NĐ 30/2020
// writes signing times).
var vnZone = time.FixedZone("ICT", 7*60*60)

// fmtTime formats t as ISO 8601 in Vietnam time.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return t.In(vnZone).Format("2006-01-02T15:04:05-07:00")
}

// The message catalogue. Each function is one situation; the Vietnamese text comes
// first, the English text says the same.

func msgByteRangeMissing() msg {
	return mf("Thiếu /ByteRange hoặc /ByteRange không phải là mảng số nguyên: không xác định được phần được ký.",
		"/ByteRange is missing or not an array of integers: the signed part cannot be determined.")
}

func msgByteRangeShape(n int) msg {
	return mf("/ByteRange phải có đúng 4 số (hai đoạn, một khoảng trống cho /Contents), nhưng có %d số.",
		"/ByteRange must hold exactly 4 numbers (two ranges around one hole for /Contents), it holds %d.", n)
}

func msgByteRangeStart(start int64) msg {
	return mf("/ByteRange không bắt đầu từ byte 0 (bắt đầu từ %d): phần đầu tệp không được ký.",
		"/ByteRange does not start at byte 0 (starts at %d): the beginning of the file is not signed.", start)
}

func msgByteRangeOrder(br []int64) msg {
	return mf("/ByteRange %v không hợp lệ: các đoạn âm, chồng lấn hoặc không theo thứ tự.",
		"/ByteRange %v is invalid: negative, overlapping or out-of-order ranges.", br)
}

func msgByteRangeOutside(end, size int64) msg {
	return mf("/ByteRange vượt quá cuối tệp (đến byte %d, tệp có %d byte).",
		"/ByteRange reaches beyond the end of the file (to byte %d, the file has %d bytes).", end, size)
}

func msgByteRangeOK(br []int64) msg {
	return mf("/ByteRange %v hợp lệ: bắt đầu từ byte 0, một khoảng trống duy nhất, nằm trong tệp.",
		"/ByteRange %v is well-formed: starts at byte 0, one hole, inside the file.", br)
}

func msgSignatureShared(others string) msg {
	return mf("Cùng một chữ ký (cùng /ByteRange) được gắn cho cả trường %s: một chữ ký chỉ thuộc về một trường; tài liệu đã bị sửa để một trường có vẻ đã được ký.",
		"The same signature (same /ByteRange) is also claimed by field %s: a signature belongs to one field only; the document was altered to make a field look signed.", others)
}

func msgContentsMissing() msg {
	return mf("Thiếu /Contents hoặc /Contents rỗng: không có giá trị chữ ký; trường có vẻ đã ký nhưng không mang chữ ký nào.",
		"/Contents is missing or empty: there is no signature value; the field looks signed but carries no signature.")
}

func msgContentsGap(detail string) msg {
	return mf("Khoảng trống giữa hai đoạn của /ByteRange không đúng là chuỗi /Contents của chữ ký (%s): có dữ liệu không được ký.",
		"The hole between the /ByteRange ranges is not exactly the signature's /Contents string (%s): unsigned data is hidden there.", detail)
}

func msgContentsOK(n int) msg {
	return mf("Khoảng trống của /ByteRange đúng là chuỗi /Contents (%d byte).",
		"The /ByteRange hole is exactly the /Contents string (%d bytes).", n)
}

func msgCoverageWhole(rev, total int) msg {
	return mf("Chữ ký bao phủ toàn bộ tài liệu (phiên bản %d/%d).",
		"The signature covers the whole document (revision %d of %d).", rev+1, total)
}

func msgCoveragePartial(rev, total int) msg {
	return mf("Chữ ký bao phủ phiên bản %d/%d của tài liệu; các phiên bản sau đã được phân tích thay đổi.",
		"The signature covers revision %d of %d; the later revisions were analysed for changes.", rev+1, total)
}

func msgCoverageNoRevision(end int64) msg {
	return mf("Phần được ký kết thúc tại byte %d, không trùng với cuối phiên bản nào của tài liệu (%%%%EOF): phần sau không được ký.",
		"The signed part ends at byte %d, which is not the end (%%%%EOF) of any revision: what follows is not covered.", end)
}

func msgTrailingBytes(n int64) msg {
	return mf("Có %d byte dữ liệu lạ sau %%%%EOF cuối cùng, không thuộc phiên bản nào và không được ký.",
		"%d bytes of unexpected data follow the last %%%%EOF; they belong to no revision and are not signed.", n)
}

func msgTrailingJunk(n int64) msg {
	return mf("Có %d byte dữ liệu không phải PDF sau %%%%EOF cuối cùng: không trình đọc nào hiểu chúng, nhưng chúng không được ký, nên không chữ ký nào bao phủ toàn bộ tệp.",
		"%d bytes of data that is not PDF follow the last %%%%EOF: no reader interprets them, but they are not signed, so no signature covers the whole file.", n)
}

func msgCoverageButJunk(rev, total int, n int64) msg {
	return mf("Chữ ký bao phủ toàn bộ phiên bản cuối (%d/%d) nhưng không bao phủ toàn bộ tệp: %d byte dữ liệu không phải PDF theo sau, không được ký.",
		"The signature covers the whole last revision (%d of %d) but not the whole file: %d bytes of data that is not PDF follow it, unsigned.", rev+1, total, n)
}

func msgRecovered() msg {
	return mf("Bảng tham chiếu chéo (xref) của tệp bị hỏng và phải dựng lại bằng cách quét tệp: cấu trúc phiên bản không tin cậy.",
		"The file's cross-reference table is broken and had to be rebuilt by scanning: the revision structure cannot be trusted.")
}

func msgCMSParse(err error) msg {
	return mf("Không đọc được dữ liệu chữ ký CMS: %v.", "The CMS signature data cannot be parsed: %v.", err)
}

func msgCMSOK() msg {
	return mf("Dữ liệu chữ ký CMS SignedData hợp lệ về cấu trúc, có một người ký.",
		"The CMS SignedData is well-formed and has one signer.")
}

func msgSubFilterUnsupported(sf string) msg {
	return mf("/SubFilter %q không được hỗ trợ.", "/SubFilter %q is not supported.", sf)
}

func msgSubFilterMismatch(sf, why string) msg {
	return mf("/SubFilter %s không khớp với dữ liệu CMS: %s.", "/SubFilter %s is inconsistent with the CMS: %s.", sf, why)
}

func msgSubFilterOK(sf string) msg {
	return mf("/SubFilter %s khớp với dữ liệu CMS.", "/SubFilter %s is consistent with the CMS.", sf)
}

func msgSignedAttrsMissing(what string) msg {
	return mf("Thiếu thuộc tính được ký bắt buộc: %s.", "A mandatory signed attribute is missing: %s.", what)
}

func msgSignedAttrsBad(what string) msg {
	return mf("Thuộc tính được ký không hợp lệ: %s.", "A signed attribute is invalid: %s.", what)
}

func msgSignedAttrsSigningTime() msg {
	return mf("Có thuộc tính signing-time trong chữ ký: PAdES baseline không cho phép, thời điểm ký phải ở /M.",
		"The signature carries a signing-time attribute, which PAdES baseline forbids (the time belongs in /M).")
}

func msgSignedAttrsOK() msg {
	return mf("Các thuộc tính được ký (content-type, message-digest) hợp lệ.",
		"The signed attributes (content-type, message-digest) are well-formed.")
}

func msgDigestMismatch(alg string) msg {
	return mf("Tài liệu đã bị thay đổi sau khi ký: giá trị băm %s của phần được ký không khớp với chữ ký.",
		"The document was changed after signing: the %s digest of the signed bytes does not match the signature.", alg)
}

func msgHashFail(err error) msg {
	return mf("Không băm được phần được ký: %v.", "The signed bytes could not be hashed: %v.", err)
}

func msgDigestOK(alg string) msg {
	return mf("Giá trị băm %s của phần được ký khớp với chữ ký.", "The %s digest of the signed bytes matches the signature.", alg)
}

func msgSigValueFail(err error) msg {
	return mf("Giá trị chữ ký không đúng với khóa công khai trong chứng thư số của người ký: %v.",
		"The signature value does not verify with the public key in the signer's certificate: %v.", err)
}

func msgSigValueOK(alg string) msg {
	return mf("Giá trị chữ ký đúng với khóa công khai trong chứng thư số (%s).",
		"The signature value verifies with the public key in the certificate (%s).", alg)
}

func msgSignerCertMissing() msg {
	return mf("Không tìm thấy chứng thư số của người ký trong chữ ký.",
		"The signer's certificate is not in the signature.")
}

func msgSigningCertAttrMissing() msg {
	return mf("Thiếu thuộc tính ESS signing-certificate(-v2): chứng thư số người ký không được gắn với chữ ký.",
		"The ESS signing-certificate(-v2) attribute is missing: the signer's certificate is not bound to the signature.")
}

func msgSigningCertAttrWeak(sf string) msg {
	return mf("Không có thuộc tính ESS signing-certificate(-v2) (cho phép với %s, nhưng yếu hơn PAdES).",
		"No ESS signing-certificate(-v2) attribute (allowed for %s, weaker than PAdES).", sf)
}

func msgSigningCertMismatch(why string) msg {
	return mf("Thuộc tính ESS signing-certificate không khớp với chứng thư số của người ký: %s.",
		"The ESS signing-certificate attribute does not match the signer's certificate: %s.", why)
}

func msgSigningCertOK() msg {
	return mf("Thuộc tính ESS signing-certificate khớp với chứng thư số của người ký.",
		"The ESS signing-certificate attribute matches the signer's certificate.")
}

func msgAlgorithmWeak(what string) msg {
	return mf("Thuật toán không đạt yêu cầu (chỉ SHA-2/SHA-3, RSA ≥ 2048 bit, ECDSA ≥ 256 bit): %s.",
		"Algorithm below requirements (SHA-2/SHA-3 only, RSA ≥ 2048 bits, ECDSA ≥ 256 bits): %s.", what)
}

func msgAlgorithmOK(what string) msg {
	return mf("Thuật toán đạt yêu cầu: %s.", "Algorithms meet the requirements: %s.", what)
}

func msgModNone() msg {
	return mf("Tài liệu không bị thay đổi sau khi ký.", "The document was not changed after signing.")
}

var modNamesVI = map[Modification]string{
	ModLTAUpdates:  "chỉ bổ sung dữ liệu kiểm tra dài hạn (DSS), dấu thời gian tài liệu hoặc chữ ký mới",
	ModFormFilling: "điền biểu mẫu",
	ModAnnotations: "thêm, sửa hoặc xóa chú thích",
	ModOther:       "thay đổi khác (nội dung trang, tài nguyên, cấu trúc tài liệu…)",
}

var modNamesEN = map[Modification]string{
	ModLTAUpdates:  "only long-term validation data (DSS), document time-stamps or new signatures",
	ModFormFilling: "form filling",
	ModAnnotations: "annotations added, changed or removed",
	ModOther:       "other changes (page content, resources, document structure…)",
}

func msgModAllowed(m Modification, n int) msg {
	return msg{
		VI: fmt.Sprintf("Sau khi ký có %d phiên bản bổ sung; thay đổi: %s — được phép.", n, modNamesVI[m]),
		EN: fmt.Sprintf("%d revision(s) were added after signing; changes: %s — allowed.", n, modNamesEN[m]),
	}
}

func msgModDisallowed(m Modification, detailVI, detailEN string) msg {
	return msg{
		VI: fmt.Sprintf("Tài liệu đã bị thay đổi sau khi ký theo cách không được phép (%s): %s.", modNamesVI[m], detailVI),
		EN: fmt.Sprintf("The document was changed after signing in a way that is not allowed (%s): %s.", modNamesEN[m], detailEN),
	}
}

func msgDocMDPOK(p int) msg {
	if p == 0 {
		return mf("Tài liệu không được chứng nhận (không có DocMDP); không có trường bị khóa bị thay đổi.",
			"The document is not certified (no DocMDP); no locked field was changed.")
	}
	return mf("Các thay đổi nằm trong phạm vi cho phép của mức chứng nhận DocMDP P=%d và khóa trường.",
		"The changes are within what certification level DocMDP P=%d and the field locks allow.", p)
}

func msgDocMDPViolated(p int, m Modification) msg {
	return msg{
		VI: fmt.Sprintf("Mức chứng nhận DocMDP P=%d không cho phép thay đổi loại: %s.", p, modNamesVI[m]),
		EN: fmt.Sprintf("Certification level DocMDP P=%d does not allow changes of class: %s.", p, modNamesEN[m]),
	}
}

func msgFieldLocked(name string) msg {
	return mf("Trường %q bị khóa bởi chữ ký (FieldMDP) nhưng đã bị thay đổi.",
		"Field %q is locked by a signature (FieldMDP) but was changed.", name)
}

func msgClaimedTime(t time.Time) msg {
	return mf("Thời điểm ký do người ký khai báo: %s — chưa được chứng minh (không có dấu thời gian).",
		"Signing time claimed by the signer: %s — not proven (no time-stamp).", fmtTime(t))
}

func msgNoTime() msg {
	return mf("Chữ ký không có thời điểm ký (/M) và không có dấu thời gian.",
		"The signature has neither a claimed signing time (/M) nor a time-stamp.")
}

func msgTimestampOK(t time.Time, tsa string) msg {
	return mf("Dấu thời gian hợp lệ: %s (đơn vị cấp dấu thời gian: %s).",
		"Valid time-stamp: %s (time-stamping authority: %s).", fmtTime(t), tsa)
}

func msgTimestampOutlived(cn string, notAfter, poe time.Time, proven bool) msg {
	whenVI, whenEN := "thời điểm kiểm tra "+fmtTime(poe), "the validation time "+fmtTime(poe)
	if proven {
		whenVI, whenEN = "dấu thời gian tài liệu sau đó lúc "+fmtTime(poe), "a later document time-stamp at "+fmtTime(poe)
	}
	return msg{
		VI: fmt.Sprintf("Chứng thư số %q của dấu thời gian đã hết hạn ngày %s, trước khi có bằng chứng tồn tại của dấu thời gian (%s): dấu thời gian không còn chứng minh được thời điểm. Cần gia hạn lưu trữ (kyso extend) trước khi chứng thư số của dấu thời gian cuối cùng hết hạn.",
			cn, fmtTime(notAfter), whenVI),
		EN: fmt.Sprintf("Time-stamping certificate %q expired on %s, before any proof that the time-stamp existed (%s): the time-stamp no longer proves the time. Renew the archive (kyso extend) before the last time-stamp's certificate expires.",
			cn, fmtTime(notAfter), whenEN),
	}
}

func msgTSARevokedNoPOE(revokedAt time.Time, reason string) msg {
	return mf("Chứng thư số của đơn vị cấp dấu thời gian bị thu hồi lúc %s (%s), sau thời điểm ghi trong dấu thời gian, nhưng không có bằng chứng dấu thời gian đã tồn tại trước khi bị thu hồi: dấu thời gian không còn chứng minh được thời điểm.",
		"The time-stamping certificate was revoked at %s (%s), after the time in the time-stamp, but nothing proves the time-stamp existed before the revocation: it no longer proves the time.",
		fmtTime(revokedAt), reason)
}

func msgSigningTimeProven(t time.Time) msg {
	return mf("Thời điểm ký: %s, được chứng minh bằng dấu thời gian của chữ ký.",
		"Signing time: %s, proven by the signature time-stamp.", fmtTime(t))
}

func msgTimestampFail(err error) msg {
	return mf("Dấu thời gian của chữ ký không hợp lệ: %v.", "The signature time-stamp is invalid: %v.", err)
}

func msgDocTimestampOK(t time.Time, tsa string) msg {
	return mf("Dấu thời gian tài liệu hợp lệ: %s (đơn vị cấp dấu thời gian: %s).",
		"Valid document time-stamp: %s (time-stamping authority: %s).", fmtTime(t), tsa)
}

func msgTimestampAfterClaim(ts, claimed time.Time) msg {
	return mf("Thời điểm khai báo (%s) muộn hơn dấu thời gian (%s).",
		"The claimed time (%s) is later than the time-stamp (%s).", fmtTime(claimed), fmtTime(ts))
}

func msgTimestampOrder(field string, docTS, sigTS time.Time) msg {
	return mf("Dấu thời gian tài liệu %q (%s) sớm hơn dấu thời gian của chữ ký mà nó bao phủ (%s): thứ tự thời gian không hợp lệ.",
		"Document time-stamp %q (%s) is earlier than the signature time-stamp it covers (%s): impossible order.",
		field, fmtTime(docTS), fmtTime(sigTS))
}

func msgChainOK(root string) msg {
	return mf("Chứng thư số được xác thực đến chứng thư gốc tin cậy: %s.",
		"The certificate chains to a trusted root: %s.", root)
}

func msgChainNoTrust() msg {
	return mf("Không có danh sách chứng thư gốc tin cậy để kiểm tra đường dẫn chứng thực.",
		"No trusted roots were given to check the certification path.")
}

// msgChainFail says why no path to a trusted root was built: in Vietnamese in words a
// reader can act on (the technical chain of errors stays in the English text).
func msgChainFail(err error) msg {
	return msg{
		VI: "Không xây dựng được đường dẫn chứng thực đến chứng thư gốc tin cậy: " + chainWhyVI(err) + ".",
		EN: fmt.Sprintf("No certification path to a trusted root could be built: %v.", err),
	}
}

// chainWhyVI names in Vietnamese the kind of failure behind a chain validation error:
// crypto/x509's own, or a validator's whose text starts with certstatus's sentinels
// (this package imports neither certstatus nor its internals' wording beyond that).
func chainWhyVI(err error) string {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	w := strings.ToLower(err.Error())
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired,
		strings.Contains(w, "certificate expired"), strings.Contains(w, "has expired"):
		return "chứng thư số hoặc chứng thư của tổ chức cấp đã hết hạn tại thời điểm kiểm tra"
	case strings.Contains(w, "not yet valid"):
		return "chứng thư số hoặc chứng thư của tổ chức cấp chưa có hiệu lực tại thời điểm kiểm tra"
	case strings.Contains(w, "certificate revoked"):
		return "một chứng thư trong đường dẫn chứng thực đã bị thu hồi"
	case errors.As(err, &invalid) && invalid.Reason == x509.IncompatibleUsage,
		strings.Contains(w, "key usage"):
		return "mục đích sử dụng khóa của chứng thư số không cho phép việc này"
	case errors.As(err, &invalid) && invalid.Reason == x509.NotAuthorizedToSign,
		strings.Contains(w, "basic constraints"):
		return "chứng thư của tổ chức cấp không được phép cấp chứng thư số"
	case strings.Contains(w, "algorithm or key size"):
		return "thuật toán hoặc độ dài khóa thấp hơn mức chính sách cho phép"
	case errors.As(err, &unknown), strings.Contains(w, "unknown authority"),
		strings.Contains(w, "no certificate chain to a trusted root"):
		return "chứng thư số không do tổ chức cung cấp dịch vụ chứng thực nào có chứng thư gốc được tin cậy cấp (chứng thư gốc không thuộc danh sách tin cậy, hoặc thiếu chứng thư trung gian)"
	}
	return "chứng thư số hoặc đường dẫn chứng thực không hợp lệ (chi tiết kỹ thuật ở bản tiếng Anh)"
}

func msgIssuer(issuer string) msg {
	return mf("Tổ chức cung cấp dịch vụ chứng thực (CA) cấp chứng thư số: %s.",
		"Certification authority (CA) that issued the certificate: %s.", issuer)
}

func msgSigner(s *Signer) msg {
	name := s.CommonName
	if s.Title != "" {
		name += " (" + s.Title + ")"
	}
	return mf("Người ký: %s.", "Signer: %s.", name)
}

func msgManagingUnit(unit string) msg {
	if unit == "" {
		return mf("Chứng thư số không ghi đơn vị quản lý.", "The certificate names no managing unit.")
	}
	return mf("Đơn vị quản lý: %s.", "Managing unit: %s.", unit)
}

func msgValidityPeriod(nb, na time.Time) msg {
	return mf("Thời hạn hiệu lực của chứng thư số: từ %s đến %s.",
		"Certificate validity period: from %s to %s.", fmtTime(nb), fmtTime(na))
}

func msgValidAt(t time.Time, proven bool) msg {
	if proven {
		return mf("Chứng thư số còn hiệu lực tại thời điểm ký (%s, theo dấu thời gian).",
			"The certificate was valid at the signing time (%s, by the time-stamp).", fmtTime(t))
	}
	return mf("Chứng thư số còn hiệu lực tại thời điểm kiểm tra (%s).",
		"The certificate is valid at the validation time (%s).", fmtTime(t))
}

func msgValidAtClaimed(claimed, now time.Time, validAtClaim bool) msg {
	if validAtClaim {
		return mf("Chứng thư số còn hiệu lực tại thời điểm ký khai báo (%s) và tại thời điểm kiểm tra (%s).",
			"The certificate was valid at the claimed signing time (%s) and is valid at the validation time (%s).", fmtTime(claimed), fmtTime(now))
	}
	return mf("Chứng thư số còn hiệu lực tại thời điểm kiểm tra (%s) nhưng KHÔNG có hiệu lực tại thời điểm ký khai báo (%s).",
		"The certificate is valid at the validation time (%s) but NOT at the claimed signing time (%s).", fmtTime(now), fmtTime(claimed))
}

func msgExpiredAt(t, na time.Time) msg {
	return mf("Chứng thư số đã hết hạn (%s) trước thời điểm ký đã được chứng minh (%s).",
		"The certificate expired (%s) before the proven signing time (%s).", fmtTime(na), fmtTime(t))
}

func msgNotYetValidAt(t, nb time.Time) msg {
	return mf("Chứng thư số chưa có hiệu lực (từ %s) tại thời điểm ký đã được chứng minh (%s).",
		"The certificate was not yet valid (from %s) at the proven signing time (%s).", fmtTime(nb), fmtTime(t))
}

func msgOutOfBoundsNoPOE(now time.Time) msg {
	return mf("Chứng thư số không còn hiệu lực tại thời điểm kiểm tra (%s) và không có dấu thời gian chứng minh chữ ký được tạo khi chứng thư còn hiệu lực.",
		"The certificate is not valid at the validation time (%s) and no time-stamp proves the signature was made while it was.", fmtTime(now))
}

func msgKeyUsageBad(why string) msg {
	return mf("Mục đích sử dụng khóa của chứng thư số không cho phép ký: %s.",
		"The certificate's key usage does not allow signing: %s.", why)
}

func msgKeyUsageOK() msg {
	return mf("Mục đích sử dụng khóa của chứng thư số cho phép ký số.", "The certificate's key usage allows digital signatures.")
}

func msgRevocationGood(source string, at time.Time) msg {
	return mf("Chứng thư số không bị thu hồi hay tạm dừng (nguồn: %s, lúc %s).",
		"The certificate is neither revoked nor suspended (source: %s, at %s).", source, fmtTime(at))
}

func msgRevokedBefore(at, signing time.Time, reason string) msg {
	return mf("Chứng thư số đã bị thu hồi/tạm dừng lúc %s (lý do: %s), trước thời điểm ký %s.",
		"The certificate was revoked/suspended at %s (reason: %s), before the signing time %s.",
		fmtTime(at), reason, fmtTime(signing))
}

func msgRevokedNoPOE(at time.Time, reason string) msg {
	return mf("Chứng thư số đã bị thu hồi/tạm dừng lúc %s (lý do: %s) và không có dấu thời gian chứng minh chữ ký được tạo trước đó.",
		"The certificate was revoked/suspended at %s (reason: %s) and no time-stamp proves the signature was made before.",
		fmtTime(at), reason)
}

func msgRevokedAfter(at time.Time, reason string) msg {
	return mf("Chứng thư số bị thu hồi lúc %s (lý do: %s), sau thời điểm ký đã được chứng minh: chữ ký vẫn có giá trị.",
		"The certificate was revoked at %s (reason: %s), after the proven signing time: the signature stands.",
		fmtTime(at), reason)
}

// msgRevocationUnknown says why no status could be established: in Vietnamese as a
// reader can act on it (the technical chain of errors stays in the English text).
func msgRevocationUnknown(why string) msg {
	return msg{
		VI: "CẢNH BÁO: không kiểm tra được trạng thái thu hồi của chứng thư số (" + revocationWhyVI(why) + ").",
		EN: fmt.Sprintf("WARNING: the certificate's revocation status could not be checked (%s).", why),
	}
}

// msgResponderUnchecked warns that a revocation answer relied on a delegated OCSP
// responder without id-pkix-ocsp-nocheck whose own status could not be checked (RFC
// 6960 §4.2.2.2.1); the answer is used and the verdict stands.
func msgResponderUnchecked(responder *x509.Certificate) msg {
	vi, en := evidence.ResponderUncheckedWarning(responder)
	return msg{VI: "CẢNH BÁO: " + vi + ".", EN: "WARNING: " + en + "."}
}

// revocationWhyVI names in Vietnamese the kind of failure behind why, an English
// description built by the revocation checks.
func revocationWhyVI(why string) string {
	w := strings.ToLower(why)
	var parts []string
	add := func(s string) {
		for _, p := range parts {
			if p == s {
				return
			}
		}
		parts = append(parts, s)
	}
	switch {
	case strings.Contains(w, "unreachable"), strings.Contains(w, "connection refused"), strings.Contains(w, "no such host"):
		add("không kết nối được máy chủ OCSP/CRL của tổ chức cung cấp dịch vụ chứng thực; hãy thử lại sau")
	case strings.Contains(w, "timeout"), strings.Contains(w, "deadline exceeded"):
		add("máy chủ OCSP/CRL không trả lời kịp; hãy thử lại sau")
	}
	if strings.Contains(w, "issuer certificate is not available") || strings.Contains(w, "has no issuer") {
		add("thiếu chứng thư số của tổ chức cấp")
	}
	if strings.Contains(w, "no ocsp response or crl") {
		add("không có phản hồi OCSP hay danh sách thu hồi (CRL) cho chứng thư số")
	}
	if strings.Contains(w, "responder's own certificate is revoked") {
		add("phản hồi OCSP do máy chủ OCSP được ủy quyền ký, nhưng chứng thư số của chính máy chủ đó đã bị thu hồi")
	} else if strings.Contains(w, "ocsp-nocheck") {
		add("phản hồi OCSP do máy chủ OCSP được ủy quyền ký, nhưng chứng thư số của máy chủ đó không có phần mở rộng id-pkix-ocsp-nocheck và không có dữ liệu thu hồi cho chính chứng thư số ấy")
	} else if strings.Contains(w, "signature") && (strings.Contains(w, "invalid") || strings.Contains(w, "verif")) || strings.Contains(w, "not authori") || strings.Contains(w, "not signed by") {
		add("phản hồi OCSP/CRL không hợp lệ hoặc không do bên có thẩm quyền ký")
	}
	if strings.Contains(w, "offline") {
		add("đang kiểm tra ngoại tuyến: chỉ dùng dữ liệu có trong tài liệu")
	}
	if strings.Contains(w, "stale") || strings.Contains(w, "too old") || strings.Contains(w, "not fresh") || strings.Contains(w, "expired") {
		add("dữ liệu OCSP/CRL đã quá hạn")
	}
	if len(parts) == 0 {
		add("không có dữ liệu OCSP/CRL dùng được")
	}
	return strings.Join(parts, "; ")
}

func msgIntegrityOK() msg {
	return mf("Toàn vẹn: nội dung được ký không bị thay đổi.", "Integrity: the signed content is intact.")
}

func msgIntegrityFail() msg {
	return mf("Toàn vẹn: nội dung được ký đã bị thay đổi hoặc chữ ký bị giả mạo.",
		"Integrity: the signed content was changed or the signature is forged.")
}

// isAlgorithmMessage reports whether a failed check is an algorithm-strength refusal
// (msgAlgorithmWeak), which is not a forgery.
func isAlgorithmMessage(c Check) bool {
	return strings.HasPrefix(c.MessageEN, "Algorithm below requirements")
}

func msgIntegrityBroken(c Check) msg {
	return msg{
		VI: fmt.Sprintf("Toàn vẹn: không xác định được nội dung được ký vì cấu trúc chữ ký bị lỗi (%s): %s", c.Name, c.MessageVI),
		EN: fmt.Sprintf("Integrity: what was signed cannot be established because the signature's structure is broken (%s): %s", c.Name, c.MessageEN),
	}
}

func msgIntegrityChangedAfter(c Check) msg {
	return msg{
		VI: "Toàn vẹn: phiên bản được ký còn nguyên vẹn (giá trị băm và chữ ký đúng), nhưng tài liệu đã bị thay đổi sau khi ký theo cách không được phép — " + c.MessageVI,
		EN: "Integrity: the signed revision is intact (digest and signature value verify), but the document was changed after signing in a way that is not allowed — " + c.MessageEN,
	}
}

func msgIntegrityChangedUnchecked(c Check) msg {
	return msg{
		VI: "Toàn vẹn: tài liệu đã bị thay đổi sau khi ký theo cách không được phép — " + c.MessageVI,
		EN: "Integrity: the document was changed after signing in a way that is not allowed — " + c.MessageEN,
	}
}

func msgIntegrityUnchecked(why msg) msg {
	return msg{
		VI: "Toàn vẹn: chưa xác định được — " + why.VI,
		EN: "Integrity: not established — " + why.EN,
	}
}

func msgUnsignedSignatureOverlay(p int, fields string) msg {
	return mf("Mức chứng nhận DocMDP P=%d cho phép ký, không cho phép thêm trường chữ ký hiển thị mà không có chữ ký (lớp phủ lên nội dung đã chứng nhận — tấn công \"sneaky signature\"): %s.",
		"Certification level DocMDP P=%d allows signing, not a visible signature field without a signature (an overlay on the certified content — the \"sneaky signature\" attack): %s.",
		p, fields)
}

// indicationText is the human name of an indication.
func indicationText(ind Indication, lang string) string {
	vi := map[Indication]string{
		TotalPassed:   "HỢP LỆ",
		TotalFailed:   "KHÔNG HỢP LỆ",
		Indeterminate: "CHƯA XÁC ĐỊNH",
	}
	en := map[Indication]string{
		TotalPassed:   "VALID",
		TotalFailed:   "INVALID",
		Indeterminate: "INDETERMINATE",
	}
	if lang == "en" {
		return en[ind]
	}
	return vi[ind]
}
