package kyso_test

import (
	"bytes"
	"testing"

	"github.com/kyso-go/kyso"
)

// FuzzScannedPDF: whatever the page bytes, ScannedPDF returns an error matching
// ErrScan and writes nothing, or writes a PDF; it never panics.
func FuzzScannedPDF(f *testing.F) {
	f.Add(scanPNG(f, 8, 8, 200))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{0xFF, 0xD8, 0xFF})
	f.Fuzz(func(t *testing.T, page []byte) {
		var out bytes.Buffer
		err := kyso.ScannedPDF(&out, [][]byte{page}, &kyso.ScanOptions{DPI: 300})
		if err != nil {
			if out.Len() != 0 {
				t.Fatalf("error %v with %d bytes written", err, out.Len())
			}
			return
		}
		if !bytes.HasPrefix(out.Bytes(), []byte("%PDF-")) {
			t.Fatal("not a PDF")
		}
	})
}
