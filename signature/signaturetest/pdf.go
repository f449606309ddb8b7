package signaturetest

import (
	"bytes"
	"fmt"
)

// SamplePDF returns a small valid PDF 1.7 document to sign in examples and tests: one
// A4 page with a line of text, a classic cross-reference table and a document ID. Each
// call returns a new slice.
func SamplePDF() []byte {
	content := "BT /F1 13 Tf 85 760 Td (kyso sample document) Tj ET"
	objs := []string{
		"<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595.28 841.89]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
		fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content),
		"<</Type/Font/Subtype/Type1/BaseFont/Times-Roman>>",
		"<</Title(kyso sample document)/Producer(kyso signaturetest)>>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R/Info 6 0 R/ID[<6b79736f2d73616d706c65><6b79736f2d73616d706c65>]>>\nstartxref\n%d\n%%%%EOF\n",
		len(objs)+1, xref)
	return b.Bytes()
}
