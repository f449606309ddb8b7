package pdf_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// TestMutations opens thousands of deterministic mutations of the generated files (bytes
// changed, cut, or PDF keywords inserted), walks them, updates and reopens them: every
// failure must be a typed error, nothing may panic. FuzzOpen explores further.
func TestMutations(t *testing.T) {
	seeds := [][]byte{pdftest.Classic(), pdftest.XRefStream(), pdftest.ObjectStreams(), pdftest.Hybrid(), pdftest.Incremental(), pdftest.WithSignatureField(),
		pdftest.Encrypted(t, pdftest.Classic(), pdftest.AES128, ""), pdftest.Encrypted(t, pdftest.ObjectStreams(), pdftest.RC4128, "")}
	toks := []string{"0 R", "obj", "endobj", "stream", "endstream", "<<", ">>", "[", "]", "(", ")", "/Prev 0", "xref", "trailer", "%%EOF", "startxref", "99999999999", "-1", "/Length 5 0 R", "/Filter /FlateDecode", "/Type /ObjStm", "/N 1000"}
	rng := rand.New(rand.NewPCG(2026, 11))
	for i := 0; i < 4000; i++ {
		b := append([]byte(nil), seeds[rng.IntN(len(seeds))]...)
		for k := 0; k < 1+rng.IntN(6); k++ {
			switch rng.IntN(4) {
			case 0:
				b[rng.IntN(len(b))] = byte(rng.IntN(256))
			case 1:
				p := rng.IntN(len(b))
				q := min(p+rng.IntN(40), len(b))
				b = append(b[:p], b[q:]...)
			case 2, 3:
				p := rng.IntN(len(b))
				b = append(b[:p:p], append([]byte(" "+toks[rng.IntN(len(toks))]+" "), b[p:]...)...)
			}
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic on mutation %d: %v\ninput: %q", i, r, b)
				}
			}()
			opts := &pdf.Options{MaxObjects: 5000, MaxStreamSize: 1 << 20, CacheSize: 64}
			d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), opts)
			if err != nil {
				if !typedErr(err) {
					t.Fatalf("mutation %d: untyped error %v", i, err)
				}
				return
			}
			for _, err := range []error{walkAll(d), walkEveryNumber(d)} {
				if err != nil && !typedErr(err) {
					t.Fatalf("mutation %d: untyped error %v", i, err)
				}
			}
			for i := range d.Revisions() {
				d.AtRevision(i)
			}
			u := d.NewUpdate()
			u.Add(pdf.Dict{"T": pdf.TextString("Chữ ký")})
			out, err := u.Bytes()
			if err != nil {
				if !typedErr(err) {
					t.Fatalf("mutation %d: untyped error from Bytes %v", i, err)
				}
				return
			}
			all := append(append([]byte(nil), b...), out...)
			if _, err := pdf.Open(bytes.NewReader(all), int64(len(all)), opts); err != nil && !typedErr(err) {
				t.Fatalf("mutation %d: untyped error reopening %v", i, err)
			}
		}()
	}
}
