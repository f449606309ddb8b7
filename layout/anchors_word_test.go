package layout_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/layout"
)

// TestFindSignerOnWordExports: the signer block of a decision saved as PDF by
// Microsoft Word is found on page 2 — with its Vietnamese set in a simple WinAnsi font
// and a Type0 font in turn inside words, and typed decomposed (Unicode tổ hợp), whose
// combining marks Word pulls back over their letters with TJ numbers (regression: the
// forward move after a mark read as a word space, "TỊCH" as "TỊ CH").
func TestFindSignerOnWordExports(t *testing.T) {
	for _, decomposed := range []bool{false, true} {
		doc := pdftest.WordDecision(pdftest.WordOptions{Name: "Nguyễn\u00a0Văn\u00a0A", Decomposed: decomposed})
		b, err := layout.FindSigner(context.Background(), bytes.NewReader(doc), int64(len(doc)), "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Nguyễn Văn A", nil)
		require.NoError(t, err, "decomposed %v", decomposed)
		assert.Equal(t, 2, b.Page)
		require.Len(t, b.Title, 2)
		assert.Equal(t, "KT. CHỦ TỊCH", norm.NFC.String(b.Title[0].Text))
		assert.Greater(t, b.Gap[3]-b.Gap[1], 40.0)

		rep, err := layout.Check(context.Background(), bytes.NewReader(doc), int64(len(doc)), nil)
		require.NoError(t, err)
		assert.Empty(t, rep.Failed(), "decomposed %v", decomposed)
	}
}
