package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

type kind struct {
	name  string
	gen   func() []byte
	style pdf.XRefStyle
	revs  int
}

var kinds = []kind{
	{"classic", pdftest.Classic, pdf.XRefTable, 1},
	{"xrefstream", pdftest.XRefStream, pdf.XRefStream, 1},
	{"objstm", pdftest.ObjectStreams, pdf.XRefStream, 1},
	{"hybrid", pdftest.Hybrid, pdf.XRefHybrid, 1},
	{"incremental", pdftest.Incremental, pdf.XRefTable, 3},
	{"incremental-stream", pdftest.IncrementalXRefStream, pdf.XRefStream, 3},
	{"sigfield", pdftest.WithSignatureField, pdf.XRefTable, 1},
}

func open(t testing.TB, b []byte) *pdf.Document {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), nil)
	require.NoError(t, err)
	return d
}

// needTool fails under CI and skips elsewhere when an external tool is missing.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// qpdfCheck runs qpdf --check on b.
func qpdfCheck(t *testing.T, b []byte, extra ...string) {
	t.Helper()
	qpdf := needTool(t, "qpdf")
	f := filepath.Join(t.TempDir(), "in.pdf")
	require.NoError(t, os.WriteFile(f, b, 0o600))
	args := append([]string{"--check"}, extra...)
	out, err := exec.Command(qpdf, append(args, f)...).CombinedOutput()
	require.NoError(t, err, "qpdf --check:\n%s", out)
	assert.NotContains(t, string(out), "WARNING", "qpdf --check:\n%s", out)
}

func TestOpenKinds(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			b := k.gen()
			qpdfCheck(t, b)
			d := open(t, b)
			assert.False(t, d.Recovered())
			assert.Empty(t, d.Warnings())
			revs := d.Revisions()
			require.Len(t, revs, k.revs)
			last := revs[len(revs)-1]
			assert.Equal(t, k.style, last.Style)
			assert.Equal(t, int64(len(b)), last.EOF)
			pages, err := d.Pages()
			require.NoError(t, err)
			require.Len(t, pages, 2)
			assert.Equal(t, [4]float64{0, 0, pdftest.PageWidth, pdftest.PageHeight}, pages[0].MediaBox)
			assert.Equal(t, 0, pages[0].Rotate)
			assert.Equal(t, 90, pages[1].Rotate)
			assert.NotNil(t, pages[1].Resources.Get("Font"))
			c, err := d.Resolve(pages[0].Dict.Get("Contents"))
			require.NoError(t, err)
			data, err := d.StreamData(c.(*pdf.Stream))
			require.NoError(t, err)
			assert.Contains(t, string(data), "Hello kyso")
			content, err := d.PageContent(pages[0])
			require.NoError(t, err)
			ops, err := pdf.ParseContent(content, 0)
			require.NoError(t, err)
			require.Len(t, ops, 5) // BT Tf Td Tj ET
			assert.Equal(t, "Tj", ops[3].Operator)
			assert.Equal(t, pdf.String("Hello kyso, page 1"), ops[3].Operands[0])
			info, err := d.Resolve(d.Trailer().Get("Info"))
			require.NoError(t, err)
			title, _ := pdf.Text(info.(pdf.Dict).Get("Title"))
			assert.Contains(t, title, pdftest.Title)
		})
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
