package kyso_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
)

// scanPNG draws a small colour "scan" and declares dpi in its pHYs (0: none).
func scanPNG(t testing.TB, w, h int, dpi float64) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{250, 248, 240, 255})
			if y%40 < 6 && x > w/10 && x < w*9/10 {
				img.Set(x, y, color.NRGBA{40, 40, 60, 255})
			}
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	if dpi == 0 {
		return b.Bytes()
	}
	return layouttest.WithDPI(b.Bytes(), dpi)
}

// TestScannedPDF: a page scanned at 200 dpi becomes an image-only PDF page of its
// physical size that layout's checker accepts as a digitised copy (PDF ≥ 1.4, colour,
// ≥ 200 dpi) and qpdf finds sound; a page under 200 dpi or without a resolution is
// refused and nothing is written.
func TestScannedPDF(t *testing.T) {
	page := scanPNG(t, 400, 566, 200) // 50.8 × 71.9 mm
	var out bytes.Buffer
	require.NoError(t, kyso.ScannedPDF(&out, [][]byte{page, page}, &kyso.ScanOptions{Title: "Bản số hóa"}))
	rep, err := layout.Check(context.Background(), bytes.NewReader(out.Bytes()), int64(out.Len()), nil)
	require.NoError(t, err)
	require.Len(t, rep.Measurement.Pages, 2)
	assert.InDelta(t, 400*72/200.0, rep.Measurement.Pages[0].Width, 0.1, "100 % scale")
	found := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule == "scan.dpi" || f.Rule == "scan.colour" || f.Rule == "scan.version" {
			found[f.Rule] = true
			assert.True(t, f.Passed, "%+v", f)
		}
	}
	assert.Len(t, found, 3, "the checker sees a scanned copy")
	if qpdf, err := exec.LookPath("qpdf"); err == nil {
		p := filepath.Join(t.TempDir(), "scan.pdf")
		require.NoError(t, os.WriteFile(p, out.Bytes(), 0o600))
		o, err := exec.Command(qpdf, "--check", p).CombinedOutput()
		assert.NoError(t, err, "%s", o)
	} else if os.Getenv("CI") != "" {
		t.Fatal("qpdf is required under CI")
	}

	for _, tc := range []struct {
		name string
		page []byte
		opts *kyso.ScanOptions
	}{
		{"150 dpi", scanPNG(t, 100, 100, 150), nil},
		{"no resolution", scanPNG(t, 100, 100, 0), nil},
		{"no resolution, 100 dpi given", scanPNG(t, 100, 100, 0), &kyso.ScanOptions{DPI: 100}},
		{"not an image", []byte("scan"), nil},
	} {
		var out bytes.Buffer
		err := kyso.ScannedPDF(&out, [][]byte{tc.page}, tc.opts)
		assert.ErrorIs(t, err, kyso.ErrScan, tc.name)
		assert.Zero(t, out.Len(), tc.name)
	}
	out.Reset()
	require.NoError(t, kyso.ScannedPDF(&out, [][]byte{scanPNG(t, 100, 100, 0)}, &kyso.ScanOptions{DPI: 300}))
	assert.ErrorIs(t, kyso.ScannedPDF(&out, nil, nil), kyso.ErrScan)
}
