package pdf_test

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/pdf"
)

// pdfcpuModuleDir returns the directory of pdfcpu's module (a dependency: its zip, with
// ~500 PDFs from many producers, is in the module cache of every machine that builds
// kyso). Missing, the test fails under CI and is skipped otherwise.
func pdfcpuModuleDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/pdfcpu/pdfcpu").Output()
	dir := strings.TrimSpace(string(out))
	if err == nil && dir != "" {
		if _, err = os.Stat(filepath.Join(dir, "pkg", "testdata")); err == nil {
			return dir
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("pdfcpu's module directory is required under CI: %v", err)
	}
	t.Skipf("pdfcpu's module directory not found: %v", err)
	return ""
}

// TestPageTextAgreesWithPdftotextOnPdfcpuFiles compares the words of PageText with
// pdftotext -bbox on files other tools wrote, one per cause of disagreement fixed:
// pages whose CropBox is smaller than the MediaBox (pdfcpu's own output, a book
// chapter cropped to its trim box: pdftotext measures from the MediaBox), and pdfTeX
// output whose interword spaces are TJ numbers of -250 at 0.25 em exactly (a word
// break for poppler beyond 0.1 em). want is the share of pdftotext's words found
// with the same text and a box within 1 pt (what is left is poppler's own word
// merging across font sizes, composed accents and diagonal text).
func TestPageTextAgreesWithPdftotextOnPdfcpuFiles(t *testing.T) {
	dir := filepath.Join(pdfcpuModuleDir(t), "pkg")
	for _, tc := range []struct {
		file string
		want float64
	}{
		{"samples/create/primitives/fonts.pdf", 1},
		{"samples/form/primitives/radiobuttonsHor.pdf", 1},
		{"testdata/adobeImplOfPDFSpec.pdf", 0.98},
		{"testdata/ECSTR11-01.pdf", 0.98},
		{"testdata/TheGoProgrammingLanguageCh1.pdf", 0.75},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, tc.file))
			require.NoError(t, err)
			d := open(t, b)
			pages, err := d.Pages()
			require.NoError(t, err)
			mine := map[int][]popplerWord{}
			for i, p := range pages {
				spans, err := d.PageText(p)
				require.NoError(t, err)
				for _, s := range pdf.JoinRuns(spans) {
					for _, w := range s.Words() {
						mine[i+1] = append(mine[i+1], popplerWord{page: i + 1, text: norm.NFC.String(w.Text), box: pdf.DisplayBox(p, w.BBox)})
					}
				}
			}
			words := popplerWords(t, b)
			require.NotEmpty(t, words)
			matched := 0
			for _, pw := range words {
				for _, w := range mine[pw.page] {
					if w.text == pw.text && math.Abs(w.box[0]-pw.box[0]) <= 1 && math.Abs(w.box[1]-pw.box[1]) <= 1 &&
						math.Abs(w.box[2]-pw.box[2]) <= 1 && math.Abs(w.box[3]-pw.box[3]) <= 1 {
						matched++
						break
					}
				}
			}
			share := float64(matched) / float64(len(words))
			t.Logf("%s: %d of %d words of pdftotext (%.2f%%)", tc.file, matched, len(words), 100*share)
			assert.GreaterOrEqual(t, share, tc.want)
		})
	}
}
