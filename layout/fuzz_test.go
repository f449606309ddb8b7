package layout_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/kyso-go/kyso/layout"
)

// Place and FindSigner read documents from outside: they never panic and return a
// placement or an error.
func FuzzPlace(f *testing.F) {
	f.Add(emptyA4PDF(), "CHỦ TỊCH", "Nguyễn Văn Thắng")
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj trailer<</Root 1 0 R>>"), "", "x")
	f.Fuzz(func(t *testing.T, doc []byte, title, name string) {
		ctx := context.Background()
		r := bytes.NewReader(doc)
		layout.FindSigner(ctx, r, int64(len(doc)), title, name, nil)
		p, err := layout.Place(ctx, r, int64(len(doc)), layout.Spec{Kind: layout.Copy, CopyForm: "SAO Y", OrgName: name + "x"})
		if err == nil && p.Page < 1 {
			t.Fatalf("placement on page %d", p.Page)
		}
	})
}
