package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"strings"
	"time"
)

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

// demoAppearance draws a visible signature for kyso sign -rect: a blue frame with the
// signer, the organisation and the time, in ASCII with a standard font, for any
// rectangle (the demo draws its own in Vietnamese, see demo_appearance_vi.go; the
// layout package will draw the real one).
func demoAppearance(_ context.Context, width, height float64, signer *x509.Certificate, at time.Time) ([]byte, error) {
	req := struct {
		Width, Height float64
		Signer        *x509.Certificate
		Time          time.Time
	}{width, height, signer, at}
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

// demoCircle returns the path of a circle as four Bézier curves.
func demoCircle(cx, cy, r float64) string {
	const k = 0.5523 // 4/3·(√2−1)
	d := k * r
	return fmt.Sprintf("%.2f %.2f m %.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f %.2f %.2f %.2f %.2f c h",
		cx+r, cy,
		cx+r, cy+d, cx+d, cy+r, cx, cy+r,
		cx-d, cy+r, cx-r, cy+d, cx-r, cy,
		cx-r, cy-d, cx-d, cy-r, cx, cy-r,
		cx+d, cy-r, cx+r, cy-d, cx+r, cy)
}
