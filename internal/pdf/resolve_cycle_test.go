package pdf_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
)

// TestResolveChains follows chains of references: to their end, and to an
// ErrMalformed error when one comes back to a reference it followed (to itself, to
// the first, or to a later one), without allocating for a single reference.
func TestResolveChains(t *testing.T) {
	b := rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>", minimalPages, minimalPage,
		"5 0 R", "6 0 R", "42", // 4 → 5 → 6 = 42
		"7 0 R",          // 7 → 7
		"9 0 R", "8 0 R", // 8 → 9 → 8
		"11 0 R", "12 0 R", "11 0 R", // 10 → 11 → 12 → 11
	}, "/Root 1 0 R")
	d := open(t, b)
	o, err := d.Resolve(pdf.Ref{Num: 4})
	require.NoError(t, err)
	assert.Equal(t, pdf.Integer(42), o)
	for _, n := range []int{7, 8, 10} {
		_, err := d.Resolve(pdf.Ref{Num: n})
		assert.True(t, errors.Is(err, pdf.ErrMalformed), "object %d: %v", n, err)
	}
	if n := testing.AllocsPerRun(10, func() { _, _ = d.Resolve(pdf.Ref{Num: 6}) }); n != 0 {
		t.Errorf("resolving one reference allocates %v times", n)
	}
}
