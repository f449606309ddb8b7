package pdf_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// TestFreedIn: a later revision that marks objects free lists them (with the
// generation they had), not object 0 nor numbers never defined.
func TestFreedIn(t *testing.T) {
	base := pdftest.Classic()
	d, err := pdf.Open(bytes.NewReader(base), int64(len(base)), nil)
	require.NoError(t, err)
	revs := d.Revisions()
	sec := fmt.Sprintf("xref\n0 1\n0000000000 65535 f \n4 1\n0000000000 00001 f \n900 1\n0000000000 00001 f \ntrailer\n<</Size 901/Root %d 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n",
		d.Trailer().Get("Root").(pdf.Ref).Num, revs[len(revs)-1].XRefOffset, len(base))
	doc := append(bytes.Clone(base), sec...)
	d2, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	require.Len(t, d2.Revisions(), len(revs)+1)
	assert.Equal(t, []pdf.Ref{{Num: 4}}, d2.FreedIn(len(revs)))
	assert.Empty(t, d2.FreedIn(0))
	assert.Empty(t, d2.FreedIn(99))
}
