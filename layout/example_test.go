package layout_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/kyso-go/kyso/layout"
)

// A clerk signs a separate appendix file: the stamp goes at the top right of page 1.
func ExamplePlace() {
	doc := emptyA4PDF()
	p, err := layout.Place(context.Background(), bytes.NewReader(doc), int64(len(doc)),
		layout.Spec{Kind: layout.Attachment, DocNumber: "41/2022/QĐ-UBND"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("page %d, %.0f pt from the top, right edge %.0f pt from the right\n",
		p.Page, 841.89-p.Rect[3], 595.28-p.Rect[2])
	fmt.Println(layout.FormatTime(time.Date(2026, 12, 7, 0, 3, 45, 0, time.UTC)))
	// Output:
	// page 1, 17 pt from the top, right edge 23 pt from the right
	// 2026-12-07T07:03:45+07:00
}

// emptyA4PDF is an empty A4 page.
func emptyA4PDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] >>",
	}
	off := make([]int, len(objs))
	for i, o := range objs {
		off[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range off {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}
