package pdftest_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

func qpdf(t *testing.T, b []byte, args ...string) string {
	t.Helper()
	q, err := exec.LookPath("qpdf")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("qpdf is required under CI")
		}
		t.Skip("qpdf not installed")
	}
	f := filepath.Join(t.TempDir(), "f.pdf")
	require.NoError(t, os.WriteFile(f, b, 0o600))
	out, err := exec.Command(q, append(args, f)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	return string(out)
}

func TestGeneratorsAreValid(t *testing.T) {
	gens := map[string]func() []byte{
		"classic": pdftest.Classic, "xrefstream": pdftest.XRefStream, "objstm": pdftest.ObjectStreams,
		"hybrid": pdftest.Hybrid, "incremental": pdftest.Incremental, "incremental-stream": pdftest.IncrementalXRefStream,
		"sigfield": pdftest.WithSignatureField, "onepage": func() []byte { return pdftest.OnePage(200 << 10) },
	}
	for name, gen := range gens {
		t.Run(name, func(t *testing.T) {
			b := gen()
			assert.Equal(t, b, gen(), "deterministic")
			out := qpdf(t, b, "--check")
			assert.NotContains(t, out, "WARNING")
		})
	}
	b := pdftest.OnePage(200 << 10)
	assert.InDelta(t, 200<<10, len(b), 4<<10)
	var big bytes.Buffer
	require.NoError(t, pdftest.WriteImageHeavy(&big, 8<<20))
	assert.NotContains(t, qpdf(t, big.Bytes(), "--check"), "WARNING")
}

func TestLinearized(t *testing.T) {
	b := pdftest.Linearized(t, pdftest.Classic())
	assert.Contains(t, qpdf(t, b, "--check"), "File is linearized")
	d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), nil)
	require.NoError(t, err)
	assert.Len(t, d.Revisions(), 1)
}

func TestEncrypted(t *testing.T) {
	for _, m := range []struct{ method, want string }{
		{pdftest.RC4128, "R = 3"}, {pdftest.AES128, "R = 4"}, {pdftest.AES256, "R = 6"},
	} {
		t.Run(m.method, func(t *testing.T) {
			b := pdftest.Encrypted(t, pdftest.Classic(), m.method, "")
			out := qpdf(t, b, "--show-encryption")
			assert.Contains(t, out, m.want)
			d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), nil)
			require.NoError(t, err)
			assert.True(t, d.Encrypted())
			out = qpdf(t, b, "--password="+pdftest.OwnerPassword, "--show-encryption")
			assert.True(t, strings.Contains(out, "owner password"), out)
		})
	}
}

// TestWriteTextPages: the text document is valid (qpdf --check), has its pages in
// order, and its page 1 is found by /Count.
func TestWriteTextPages(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, pdftest.WriteTextPages(&buf, 250, 2000))
	b := buf.Bytes()
	qpdf(t, b, "--check")
	d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), nil)
	require.NoError(t, err)
	pages, err := d.Pages()
	require.NoError(t, err)
	require.Len(t, pages, 250)
	p, err := d.Page(250)
	require.NoError(t, err)
	assert.Equal(t, pages[249], p)
	data, err := d.StreamData(resolveStream(t, d, p.Dict.Get("Contents")))
	require.NoError(t, err)
	assert.Contains(t, string(data), "Trang 00250 dong 000")
}

func resolveStream(t *testing.T, d *pdf.Document, o pdf.Object) *pdf.Stream {
	v, err := d.Resolve(o)
	require.NoError(t, err)
	s, ok := v.(*pdf.Stream)
	require.True(t, ok)
	return s
}
