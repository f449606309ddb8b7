package typeset_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/typeset"
)

// withPHYs inserts a pHYs chunk (x, y per unit; unit 1 is the metre, 0 unknown)
// after the IHDR chunk of a PNG.
func withPHYs(t *testing.T, data []byte, x, y uint32, unit byte) []byte {
	t.Helper()
	require.True(t, bytes.HasPrefix(data[8+4:], []byte("IHDR")))
	at := 8 + 12 + 13 // signature, IHDR header and CRC, IHDR data
	chunk := make([]byte, 4+4+9+4)
	binary.BigEndian.PutUint32(chunk, 9)
	copy(chunk[4:], "pHYs")
	binary.BigEndian.PutUint32(chunk[8:], x)
	binary.BigEndian.PutUint32(chunk[12:], y)
	chunk[16] = unit
	binary.BigEndian.PutUint32(chunk[17:], crc32.ChecksumIEEE(chunk[4:17]))
	return append(append(append([]byte(nil), data[:at]...), chunk...), data[at:]...)
}

// The resolution comes from pHYs only when its unit is the metre: a pHYs of unit 0
// gives the pixels' aspect, not a physical size.
func TestPNGResolutionUnits(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 300, 150))))
	for _, c := range []struct {
		name    string
		x, y    uint32
		unit    byte
		dpi     float64
		wPt     float64 // at the 96 dpi fallback when none is declared
		heightP float64
	}{
		{"300 dpi in pixels per metre", 11811, 11811, 1, 300, 72, 36},
		{"unit unknown: aspect only", 1, 1, 0, 0, 225, 112.5},
		{"unit unknown with dpi-like values", 300, 300, 0, 0, 225, 112.5},
		{"zero density", 0, 0, 1, 0, 225, 112.5},
	} {
		t.Run(c.name, func(t *testing.T) {
			im, err := typeset.DecodeImage(withPHYs(t, b.Bytes(), c.x, c.y, c.unit))
			require.NoError(t, err)
			assert.InDelta(t, c.dpi, im.DPIX, 0.01)
			assert.InDelta(t, c.dpi, im.DPIY, 0.01)
			w, h := im.SizePt(96)
			assert.InDelta(t, c.wPt, w, 0.01)
			assert.InDelta(t, c.heightP, h, 0.01)
		})
	}
}

// An image over MaxImagePixels is refused from its header, before its pixels are
// decoded: a small PNG cannot make the decoder allocate gigabytes.
func TestPNGOverThePixelLimit(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, 5000, 5000))))
	require.Less(t, b.Len(), 200<<10, "a compressible picture")
	_, err := typeset.DecodeImage(b.Bytes())
	assert.ErrorIs(t, err, typeset.ErrImage)
	assert.Contains(t, err.Error(), "5000 × 5000")
}

// A 16-bit PNG keeps its 16-bit samples and alpha; a grey palette with a transparent
// entry is drawn grey with a soft mask.
func TestPNGSampleDepths(t *testing.T) {
	deep := image.NewNRGBA64(image.Rect(0, 0, 4, 1))
	deep.SetNRGBA64(0, 0, color.NRGBA64{R: 0x1234, G: 0x5678, B: 0x9ABC, A: 0x8000})
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, deep))
	im, err := typeset.DecodeImage(b.Bytes())
	require.NoError(t, err)
	assert.True(t, im.Transparent)
	r, g, bl, n := im.InkColor() // only the half-opaque pixel is ink
	assert.Equal(t, 1, n)
	assert.Equal(t, []float64{0x12, 0x56, 0x9A}, []float64{r, g, bl})

	pal := image.NewPaletted(image.Rect(0, 0, 4, 1), color.Palette{color.NRGBA{}, color.Gray{Y: 60}})
	pal.SetColorIndex(1, 0, 1)
	b.Reset()
	require.NoError(t, png.Encode(&b, pal))
	im, err = typeset.DecodeImage(b.Bytes())
	require.NoError(t, err)
	assert.True(t, im.Transparent)
	r, g, bl, n = im.InkColor()
	assert.Equal(t, 1, n)
	assert.Equal(t, []float64{60, 60, 60}, []float64{r, g, bl})
	assert.Equal(t, 1, im.Crop().Width, "cropped to its one visible pixel")
}
