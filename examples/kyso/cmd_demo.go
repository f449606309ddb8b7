package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kyso-go/kyso/signature"
)

const demoUsage = `usage: kyso demo [-dir DIR]

Generates a sample one-page administrative document (a decision of a provincial
People's Committee), a test CA and a leader's key and certificate in memory, signs the
document with a visible PAdES B-B signature (RSASSA-PSS, SHA-256) and writes to DIR:

  van-ban-da-ky.pdf   the signed document
  chain.pem           the leader's certificate and the test CA (TEST ONLY)
  README.txt          what was done and how to check it

It needs nothing but Go: no network, no token, no external tool.

flags:
`

const demoExitCodes = `
exit status: 0 written, 1 failure (e.g. DIR not writable), 2 usage error
`

// Files written by the demo.
const (
	demoSignedName = "van-ban-da-ky.pdf"
	demoChainName  = "chain.pem"
	demoReadmeName = "README.txt"
)

// Where the demo places the leader's visible signature: between the title (7a) and the
// name (7b), in the right half of the page (NĐ 30/2020, Phụ lục I).
var demoWidgetRect = [4]float64{340, 228, 540, 288}

func runDemo(ctx context.Context, c *cli, args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dir := fs.String("dir", "kyso-demo", "output `directory` (created when missing)")
	fs.Usage = func() {
		fmt.Fprint(c.stderr, demoUsage)
		fs.PrintDefaults()
		fmt.Fprint(c.stderr, demoExitCodes)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "kyso demo: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	if err := demo(ctx, c, *dir); err != nil {
		fmt.Fprintln(c.stderr, "kyso demo:", err)
		return exitFailure
	}
	return exitOK
}

func demo(ctx context.Context, c *cli, dir string) error {
	vn := time.FixedZone("ICT", 7*3600)
	now := time.Now().In(vn).Truncate(time.Second)
	fmt.Fprintln(c.stdout, "kyso demo: generating a test CA and the leader's RSA-2048 key (test only) ...")
	leaderKey, chain, err := demoPKI(now)
	if err != nil {
		return err
	}
	doc := demoDocument(now)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	opts := &signature.SignOptions{
		Time: now, Hash: crypto.SHA256, PSS: true,
		Name: "Nguyễn Văn An", Reason: "Ký ban hành quyết định", Location: "Hà Tĩnh",
		ContactInfo: "vanan@hatinh.gov.vn",
		NewField:    "Chữ ký lãnh đạo",
		Widget: &signature.Widget{Page: 1, Rect: demoWidgetRect,
			Appearance: signature.AppearanceFunc(demoAppearance)},
	}
	signedPath := filepath.Join(dir, demoSignedName)
	var res *signature.SignResult
	err = writeFileAtomic(signedPath, func(w io.Writer) error {
		var err error
		res, err = signature.Sign(ctx, w, bytes.NewReader(doc), int64(len(doc)), leaderKey, chain, opts)
		return err
	})
	if err != nil {
		return err
	}
	var chainPEM bytes.Buffer
	for _, cert := range chain {
		fmt.Fprintf(&chainPEM, "# %s\n", cert.Subject.String())
		pem.Encode(&chainPEM, &pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	}
	chainPath := filepath.Join(dir, demoChainName)
	if err := writeFileAtomic(chainPath, func(w io.Writer) error { _, err := w.Write(chainPEM.Bytes()); return err }); err != nil {
		return err
	}
	readmePath := filepath.Join(dir, demoReadmeName)
	readme := demoReadme(now, chain[0], res, dir)
	if err := writeFileAtomic(readmePath, func(w io.Writer) error { _, err := io.WriteString(w, readme); return err }); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "kyso demo: signed a sample decision as %q (RSASSA-PSS, SHA-256, field %q)\n", chain[0].Subject.CommonName, res.Field)
	for _, p := range []string{signedPath, chainPath, readmePath} {
		fmt.Fprintln(c.stdout, "  wrote", p)
	}
	fmt.Fprintf(c.stdout, "check it: pdfsig %s   (see %s)\n", signedPath, readmePath)
	return nil
}

// demoPKI makes a test root CA and the leader's key and certificate.
func demoPKI(now time.Time) (crypto.Signer, []*x509.Certificate, error) {
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject: pkix.Name{Country: []string{"VN"}, Organization: []string{"kyso demo (TEST ONLY, không có giá trị pháp lý)"},
			CommonName: "kyso demo RootCA (TEST ONLY)"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{Country: []string{"VN"}, Locality: []string{"Hà Tĩnh"},
			Organization:       []string{"UBND tỉnh Hà Tĩnh"},
			OrganizationalUnit: []string{"Văn phòng UBND tỉnh"},
			CommonName:         "Nguyễn Văn An"},
		EmailAddresses: []string{"vanan@hatinh.gov.vn"},
		NotBefore:      now.Add(-time.Hour), NotAfter: now.AddDate(0, 6, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return nil, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return key, []*x509.Certificate{leaf, ca}, nil
}

// demoPDF writes a minimal PDF: objects given as PDF source, a classic xref table.
// Object 1 is the catalog.
func demoPDF(objects []string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

func demoStream(content string) string {
	return fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content)
}

// demoText escapes s for a PDF literal string.
func demoText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(s)
}

// demoDocument generates the sample decision, laid out after NĐ 30/2020 (A4; Helvetica
// and ASCII text for now: the layout package will bring an embedded Vietnamese font).
func demoDocument(now time.Time) []byte {
	var c strings.Builder
	line := func(font string, size, x, y float64, text string) {
		fmt.Fprintf(&c, "BT /%s %.0f Tf %.1f %.1f Td (%s) Tj ET\n", font, size, x, y, demoText(text))
	}
	// ô 2, 3 (left) and ô 1, 4 (right).
	line("F2", 11, 85, 780, "UY BAN NHAN DAN")
	line("F2", 11, 90, 766, "TINH HA TINH")
	line("F1", 11, 80, 740, "So: 1234/QD-UBND")
	line("F2", 11, 300, 780, "CONG HOA XA HOI CHU NGHIA VIET NAM")
	line("F2", 11, 340, 766, "Doc lap - Tu do - Hanh phuc")
	line("F3", 11, 330, 740, fmt.Sprintf("Ha Tinh, ngay %02d thang %02d nam %d", now.Day(), now.Month(), now.Year()))
	// ô 5a.
	line("F2", 13, 250, 690, "QUYET DINH")
	line("F2", 11, 122, 674, "Ve viec ban hanh quy che su dung chu ky so chuyen dung cong vu")
	line("F2", 11, 235, 640, "CHU TICH UY BAN NHAN DAN TINH")
	// ô 6.
	body := []string{
		"Can cu Luat Giao dich dien tu ngay 22 thang 6 nam 2023;",
		"Can cu Nghi dinh so 30/2020/ND-CP cua Chinh phu ve cong tac van thu;",
		"Can cu Nghi dinh so 68/2024/ND-CP ve chu ky so chuyen dung cong vu;",
		"Theo de nghi cua Giam doc So Khoa hoc va Cong nghe,",
	}
	y := 610.0
	for _, s := range body {
		line("F3", 11, 85, y, s)
		y -= 16
	}
	line("F2", 12, 270, y-6, "QUYET DINH:")
	y -= 30
	for _, s := range []string{
		"Dieu 1. Ban hanh kem theo Quyet dinh nay Quy che su dung chu ky so chuyen dung cong vu.",
		"Dieu 2. Quyet dinh nay co hieu luc ke tu ngay ky.",
		"Dieu 3. Chanh Van phong UBND tinh va cac co quan lien quan chiu trach nhiem thi hanh.",
	} {
		line("F1", 11, 85, y, s)
		y -= 16
	}
	// ô 9b (left) and ô 7a, 7b (right); the signature goes between 7a and 7b.
	line("F4", 10, 85, 318, "Noi nhan:")
	line("F1", 9, 85, 304, "- Nhu Dieu 3;")
	line("F1", 9, 85, 292, "- Luu: VT.")
	line("F2", 11, 410, 318, "CHU TICH")
	line("F2", 11, 395, 200, "Nguyen Van An")
	line("F3", 8, 85, 60, "Van ban mau do kyso tao ra de trinh dien (TEST ONLY) - khong co gia tri phap ly.")
	fonts := func(base string) string {
		return "<</Type/Font/Subtype/Type1/BaseFont/" + base + "/Encoding/WinAnsiEncoding>>"
	}
	return demoPDF([]string{
		"<</Type/Catalog/Pages 2 0 R/Lang(vi-VN)>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595.28 841.89]/Contents 4 0 R/Resources<</Font<</F1 5 0 R/F2 6 0 R/F3 7 0 R/F4 8 0 R>>>>>>",
		demoStream(c.String()),
		fonts("Helvetica"), fonts("Helvetica-Bold"), fonts("Helvetica-Oblique"), fonts("Helvetica-BoldOblique"),
	})
}

// demoAppearance draws a visible signature (for the demo and kyso sign -rect): a blue
// frame with the signer, the organisation and the time (ASCII for now; the layout
// package will draw the real one).
func demoAppearance(_ context.Context, req signature.AppearanceRequest) ([]byte, error) {
	w, h := req.Width, req.Height
	var c strings.Builder
	fmt.Fprintf(&c, "0 0 0.8 RG 1.2 w 1 1 %.2f %.2f re S\n", w-2, h-2)
	lines := []string{
		"Ky boi: " + asciiFold(req.Signer.Subject.CommonName),
		"Co quan: " + asciiFold(strings.Join(req.Signer.Subject.Organization, ", ")),
		"Thoi gian: " + req.Time.Format("2006-01-02T15:04:05-07:00"),
	}
	y := h - 16
	for _, s := range lines {
		fmt.Fprintf(&c, "BT 0 0 0.8 rg /F1 8 Tf 6 %.2f Td (%s) Tj ET\n", y, demoText(s))
		y -= 14
	}
	return demoPDF([]string{
		"<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		fmt.Sprintf("<</Type/Page/Parent 2 0 R/MediaBox[0 0 %.2f %.2f]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>", w, h),
		demoStream(c.String()),
		"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
	}), nil
}

// asciiFold drops Vietnamese diacritics for the ASCII-only demo fonts.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		switch {
		case strings.ContainsRune("àáảãạăằắẳẵặâầấẩẫậ", r):
			b.WriteByte('a')
		case strings.ContainsRune("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", r):
			b.WriteByte('A')
		case strings.ContainsRune("èéẻẽẹêềếểễệ", r):
			b.WriteByte('e')
		case strings.ContainsRune("ÈÉẺẼẸÊỀẾỂỄỆ", r):
			b.WriteByte('E')
		case strings.ContainsRune("ìíỉĩị", r):
			b.WriteByte('i')
		case strings.ContainsRune("ÌÍỈĨỊ", r):
			b.WriteByte('I')
		case strings.ContainsRune("òóỏõọôồốổỗộơờớởỡợ", r):
			b.WriteByte('o')
		case strings.ContainsRune("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", r):
			b.WriteByte('O')
		case strings.ContainsRune("ùúủũụưừứửữự", r):
			b.WriteByte('u')
		case strings.ContainsRune("ÙÚỦŨỤƯỪỨỬỮỰ", r):
			b.WriteByte('U')
		case strings.ContainsRune("ỳýỷỹỵ", r):
			b.WriteByte('y')
		case strings.ContainsRune("ỲÝỶỸỴ", r):
			b.WriteByte('Y')
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// demoReadme explains what the demo did and how to check it; the commands name the
// files under dir, as seen from where the demo ran.
func demoReadme(now time.Time, leader *x509.Certificate, res *signature.SignResult, dir string) string {
	signed, chainPath := filepath.Join(dir, demoSignedName), filepath.Join(dir, demoChainName)
	return fmt.Sprintf(`kyso demo — chữ ký số PAdES trình diễn / a PAdES signature demonstration
=====================================================================

Generated %s by "go run ./examples/kyso demo".

What was done
-------------
1. A sample one-page decision (Quyết định) of a provincial People's Committee was
   generated, laid out after Nghị định 30/2020/NĐ-CP (text in ASCII for now).
2. A test CA and a leader's RSA-2048 key and certificate were generated in memory:
   %s
   THEY ARE FOR TESTING ONLY: the key was discarded, the CA is not the VGCA root, and
   the signature has no legal value (không có giá trị pháp lý).
3. The document was signed with a visible PAdES B-B signature (ETSI.CAdES.detached):
   RSASSA-PSS with SHA-256 (Thông tư 39/2017/TT-BTTTT), field %q on page 1 between the
   title and the name, signing time %s in /M, %d bytes of CMS in a %d-byte /Contents.

Files
-----
  %s   the signed document
  %s           the leader's certificate, then the test CA
  %s          this file

How to check it (from the directory where the demo ran)
-------------------------------------------------------
  pdfsig %s
      expect "Signature is Valid." and "Total document signed"; pdfsig also reports
      that the issuer is not trusted, because the test CA is in no trust store.

  go run ./examples/kyso verify -trust %s -offline -status-warning %s
      kyso's own verifier, in Vietnamese (add -lang en for English): expect HỢP LỆ
      (TOTAL_PASSED) at level B-B. -trust adds the test certificates to the trust
      store; -offline -status-warning because the test CA runs no OCSP or CRL service,
      so the revocation status is only a warning.

Open the PDF in any viewer to see the signature box between "CHU TICH" and the name.
`, now.Format(time.RFC3339), leader.Subject.String(), res.Field, res.Time.Format(time.RFC3339),
		res.CMSSize, res.ContentsCapacity, demoSignedName, demoChainName, demoReadmeName, signed, chainPath, signed)
}
