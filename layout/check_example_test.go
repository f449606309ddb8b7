package layout_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/kyso-go/kyso/layout"
)

// ExampleCheck checks a small received PDF (US Letter, 12 pt text in a font that is
// not embedded) and prints the rules it breaks, with their citations.
func ExampleCheck() {
	content := "BT /F1 12 Tf 1 0 0 1 90 700 Tm (Kinh gui: So Thong tin va Truyen thong) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)

	rep, err := layout.Check(context.Background(), bytes.NewReader(b.Bytes()), int64(b.Len()), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Failed() {
		fmt.Printf("%s (%s): %s — %s\n", f.Rule, f.Severity, f.MessageVI, f.Citation.Clause)
	}
	fmt.Println("conforming:", rep.Conforming())
	// Output:
	// page.a4 (error): trang không đúng khổ A4 — Phần I: khổ giấy A4 (210 × 297 mm)
	// font.embedded (error): phông chữ không được nhúng vào tệp: văn bản có thể hiển thị sai trên máy khác — Phần I: phông chữ tiếng Việt Unicode (TCVN 6909:2001)
	// font.family (error): văn bản dùng phông chữ khác Times New Roman — Phần I: phông chữ Times New Roman
	// conforming: false
}
