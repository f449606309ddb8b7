package pdftest

import (
	"bytes"
	"fmt"
	"strings"
)

// Hand writes a classic PDF whose object i+1 has the body objs[i] (the text between
// "N 0 obj" and "endobj"); object 1 is the catalog. A body "stream:<data>" becomes a
// stream holding data. Every byte of such a document is visible in the test that
// builds it, which suits tests about one dictionary entry or one changed object.
func Hand(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, body := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		if data, ok := strings.CutPrefix(body, "stream:"); ok {
			fmt.Fprintf(&b, "<</Length %d>>\nstream\n%s\nendstream\n", len(data), data)
		} else {
			b.WriteString(body)
			b.WriteString("\n")
		}
		b.WriteString("endobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
