package pdf_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// TestOtherProducers reads and updates files written by poppler's tools (cairo's PDF
// writer, pdfunite and pdfseparate): other producers, other layouts.
func TestOtherProducers(t *testing.T) {
	tests := []struct {
		name  string
		tool  string
		args  func(in, out string) []string
		pages int
	}{
		{"pdftocairo", "pdftocairo", func(in, out string) []string { return []string{"-pdf", in, out} }, 2},
		{"pdfunite", "pdfunite", func(in, out string) []string { return []string{in, in, out} }, 4},
		{"pdfseparate", "pdfseparate", func(in, out string) []string { return []string{"-f", "2", "-l", "2", in, out} }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tool := needTool(t, tt.tool)
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
			require.NoError(t, os.WriteFile(in, pdftest.Incremental(), 0o600))
			msg, err := exec.Command(tool, tt.args(in, out)...).CombinedOutput()
			require.NoError(t, err, "%s", msg)
			orig, err := os.ReadFile(out)
			require.NoError(t, err)
			d := open(t, orig)
			assert.False(t, d.Recovered(), "%v", d.Warnings())
			pages, err := d.Pages()
			require.NoError(t, err)
			assert.Len(t, pages, tt.pages)
			require.NoError(t, walkAll(d))
			upd, obj, st := appendUpdate(t, d, orig)
			qpdfCheck(t, upd)
			checkUpdated(t, upd, d, obj, st, nil)
		})
	}
}
