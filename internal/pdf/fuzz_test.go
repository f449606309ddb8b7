package pdf_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// FuzzOpen opens arbitrary bytes, reads every object, page and field, writes an update
// and reopens the result. Errors must be typed; nothing may panic or hang.
func FuzzOpen(f *testing.F) {
	for _, b := range [][]byte{
		pdftest.Classic(), pdftest.XRefStream(), pdftest.ObjectStreams(), pdftest.Hybrid(),
		pdftest.Incremental(), pdftest.WithSignatureField(),
		rawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>", minimalPages, minimalPage,
			"<< /Length 10 /Filter [/AHx /A85 /RL] >>\nstream\n0123456789\nendstream"}, "/Root 1 0 R"),
		[]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj trailer<</Root 1 0 R>>"),
	} {
		f.Add(b)
	}
	// Encrypted seeds, so the fuzzer reaches the decryption paths.
	for _, m := range []string{pdftest.RC4128, pdftest.AES256} {
		f.Add(pdftest.Encrypted(f, pdftest.Classic(), m, ""))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		opts := &pdf.Options{MaxObjects: 5000, MaxStreamSize: 1 << 20, CacheSize: 64}
		d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), opts)
		if err != nil {
			if !typedErr(err) {
				t.Fatalf("untyped error from Open: %v", err)
			}
			return
		}
		for _, err := range []error{walkAll(d), walkEveryNumber(d)} {
			if err != nil && !typedErr(err) {
				t.Fatalf("untyped error: %v", err)
			}
		}
		for i := range d.Revisions() {
			if _, err := d.AtRevision(i); err != nil && !typedErr(err) {
				t.Fatalf("untyped error from AtRevision: %v", err)
			}
		}
		u := d.NewUpdate()
		u.Add(pdf.Dict{"T": pdf.TextString("Chữ ký")})
		out, err := u.Bytes()
		if err != nil {
			if !typedErr(err) {
				t.Fatalf("untyped error from Bytes: %v", err)
			}
			return
		}
		all := append(append([]byte(nil), b...), out...)
		if _, err := pdf.Open(bytes.NewReader(all), int64(len(all)), opts); err != nil && !typedErr(err) {
			t.Fatalf("untyped error reopening the update: %v", err)
		}
	})
}

// walkEveryNumber gets every object number up to the highest one.
func walkEveryNumber(d *pdf.Document) error {
	var first error
	for n := 0; n <= d.HighestObject() && n <= 5000; n++ {
		o, err := d.Get(pdf.Ref{Num: n})
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		if s, ok := o.(*pdf.Stream); ok {
			if _, err := d.StreamData(s); err != nil && !errors.Is(err, pdf.ErrUnsupportedFilter) && first == nil {
				first = err
			}
		}
	}
	return first
}
