package signature_test

import (
	"bytes"
	"context"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// TestVerifyReadsTheFileOnce: a 300-page document (6 MB) signed three times verifies
// TOTAL_PASSED, and Verify reads little more than the file once: the hashing pass
// also feeds the modification analysis's census of references, and the analysis
// reads no page that no later revision changed.
func TestVerifyReadsTheFileOnce(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	var doc bytes.Buffer
	require.NoError(t, pdftest.WriteTextPages(&doc, 300, 20_000))
	signed := doc.Bytes()
	for range 3 {
		signed = vtSign(t, p, signed, &signature.SignOptions{Time: now})
	}
	cr := &countingReader{r: bytes.NewReader(signed)}
	opts := &signature.VerifyOptions{Roots: p.roots, Offline: true, AllowMissingRevocation: true, Time: now}
	rep, err := signature.Verify(context.Background(), cr, int64(len(signed)), opts)
	require.NoError(t, err)
	require.Len(t, rep.Signatures, 3)
	for _, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "%s: %+v", s.Field, s.Checks)
	}
	read := cr.n.Load()
	t.Logf("file %d bytes, read %d (%.2f×)", len(signed), read, float64(read)/float64(len(signed)))
	assert.Less(t, read, int64(len(signed))*13/10, "Verify read the file more than once")
}
