package pdf_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// benchUpdate opens a document, reads its pages and fields and writes an update, as
// signing does.
func benchUpdate(b *testing.B, r interface {
	ReadAt([]byte, int64) (int, error)
}, size int64) {
	for b.Loop() {
		d, err := pdf.Open(r, size, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.Pages(); err != nil {
			b.Fatal(err)
		}
		if _, err := d.Fields(); err != nil {
			b.Fatal(err)
		}
		u := d.NewUpdate()
		cat, err := d.Catalog()
		if err != nil {
			b.Fatal(err)
		}
		cat = cat.Clone()
		cat["AcroForm"] = pdf.Dict{"Fields": pdf.Array{u.Add(pdf.Dict{"FT": pdf.Name("Sig")})}}
		u.Set(d.Trailer().Get("Root").(pdf.Ref), cat)
		if _, err := u.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpdate200KB(b *testing.B) {
	doc := pdftest.OnePage(200 << 10)
	b.ReportAllocs()
	benchUpdate(b, bytes.NewReader(doc), int64(len(doc)))
}

func BenchmarkUpdate100MB(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "big.pdf"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pdftest.WriteImageHeavy(f, 100<<20); err != nil {
		b.Fatal(err)
	}
	fi, _ := f.Stat()
	b.ReportAllocs()
	b.ResetTimer()
	benchUpdate(b, f, fi.Size())
}
