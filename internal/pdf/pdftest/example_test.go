package pdftest_test

import (
	"bytes"
	"fmt"
	"io"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// Generate documents of several structural kinds and look at their cross-reference
// sections.
func Example() {
	for _, b := range [][]byte{pdftest.Classic(), pdftest.ObjectStreams(), pdftest.Hybrid(), pdftest.Incremental()} {
		d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		revs := d.Revisions()
		fmt.Println(len(revs), "revision(s), last section:", revs[len(revs)-1].Style)
	}
	// Output:
	// 1 revision(s), last section: table
	// 1 revision(s), last section: stream
	// 1 revision(s), last section: hybrid
	// 3 revision(s), last section: table
}

// WriteImageHeavy streams a large document to any io.Writer.
func ExampleWriteImageHeavy() {
	var n countWriter
	if err := pdftest.WriteImageHeavy(&n, 10<<20); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n > 9<<20 && n < 11<<20)
	// Output: true
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
