package typeset_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/fonts"
	"github.com/kyso-go/kyso/internal/typeset"
)

func needTool(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is required under CI: %v", n, err)
			}
			t.Skipf("%s not installed: %v", n, err)
		}
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
	return string(out)
}

func write(t *testing.T, d *typeset.Doc) string {
	t.Helper()
	data, err := d.Bytes(typeset.Info{Title: "thử"})
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "t.pdf")
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

// Text drawn in NFD comes back from pdftotext exactly, in NFC.
func TestTextExtractsExactly(t *testing.T) {
	needTool(t, "pdftotext", "qpdf")
	d, err := typeset.New(nil)
	require.NoError(t, err)
	p := d.NewPage(300, 100)
	line := "Số: 41/2022/QĐ-UBND; Ủy ban nhân dân tỉnh Quảng Ninh; 2026-12-07T07:03:45+07:00"
	d.Text(p, typeset.Regular, 6, 5, 50, norm.NFD.String(line))
	miss, _ := d.Missing()
	assert.Zero(t, miss)
	path := write(t, d)
	run(t, "qpdf", "--check", path)
	assert.Equal(t, line, strings.TrimSpace(run(t, "pdftotext", path, "-")))
}

// An agency-supplied font replaces Liberation Serif.
func TestAgencyFont(t *testing.T) {
	needTool(t, "pdffonts")
	d, err := typeset.New(&typeset.Options{Faces: [4][]byte{typeset.Regular: fonts.LiberationSerifData(fonts.BoldItalic)}})
	require.NoError(t, err)
	d.Text(d.NewPage(100, 100), typeset.Regular, 10, 5, 50, "Thắng")
	assert.Contains(t, run(t, "pdffonts", write(t, d)), "LiberationSerif-BoldItalic")

	_, err = typeset.New(&typeset.Options{Faces: [4][]byte{typeset.Regular: []byte("not a font")}})
	assert.ErrorIs(t, err, typeset.ErrFont)
}

// Every kind of PNG keeps its transparency (the alpha becomes an /SMask), drawn over
// a green page: transparent pixels show the green, opaque ones the image's red.
func TestPNGVariantsKeepTheirAlpha(t *testing.T) {
	needTool(t, "pdftoppm", "qpdf")
	const w, h = 40, 20
	red := color.NRGBA{R: 230, A: 255}
	variants := map[string]image.Image{}
	nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
	nrgba64 := image.NewNRGBA64(image.Rect(0, 0, w, h))
	pal := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.NRGBA{}, red})
	gray := image.NewGray(image.Rect(0, 0, w, h))
	gray16 := image.NewGray16(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w/2; x++ { // the left half opaque, the right transparent
			nrgba.Set(x, y, red)
			nrgba64.Set(x, y, red)
			pal.SetColorIndex(x, y, 1)
		}
		for x := 0; x < w; x++ {
			gray.SetGray(x, y, color.Gray{Y: 40})
			gray16.SetGray16(x, y, color.Gray16{Y: 40 * 257})
		}
	}
	variants["nrgba8"], variants["nrgba16"], variants["palette"] = nrgba, nrgba64, pal
	variants["grey8"], variants["grey16"] = gray, gray16
	for name, img := range variants {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, png.Encode(&b, img))
			im, err := typeset.DecodeImage(b.Bytes())
			require.NoError(t, err)
			assert.Equal(t, typeset.PNG, im.Format)
			d, err := typeset.New(nil)
			require.NoError(t, err)
			p := d.NewPage(w, h)
			p.FillColor(0, 1, 0)
			p.FillRect(0, 0, w, h)
			d.Image(p, im, 0, 0, w, h)
			path := write(t, d)
			run(t, "qpdf", "--check", path)
			out := filepath.Join(t.TempDir(), "r")
			run(t, "pdftoppm", "-r", "72", "-png", "-singlefile", path, out)
			f, err := os.Open(out + ".png")
			require.NoError(t, err)
			defer f.Close()
			r, err := png.Decode(f)
			require.NoError(t, err)
			left := color.NRGBAModel.Convert(r.At(5, 10)).(color.NRGBA)
			right := color.NRGBAModel.Convert(r.At(w-5, 10)).(color.NRGBA)
			if strings.HasPrefix(name, "grey") {
				assert.False(t, im.Transparent)
				assert.InDelta(t, 40, int(left.R), 3)
				assert.Equal(t, left, right)
				return
			}
			assert.True(t, im.Transparent)
			assert.InDelta(t, 230, int(left.R), 3, "opaque red")
			assert.InDelta(t, 0, int(left.G), 3)
			assert.InDelta(t, 255, int(right.G), 3, "the green shows through")
			assert.InDelta(t, 0, int(right.R), 3)
		})
	}
}

func TestJPEGAndResolution(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 30, 10))
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, img, nil))
	im, err := typeset.DecodeImage(b.Bytes())
	require.NoError(t, err)
	assert.Equal(t, typeset.JPEG, im.Format)
	assert.False(t, im.Transparent)
	w, h := im.SizePt(72)
	assert.InDelta(t, 30, w, 1e-9)
	assert.InDelta(t, 10, h, 1e-9)

	_, err = typeset.DecodeImage([]byte("GIF89a"))
	assert.ErrorIs(t, err, typeset.ErrImage)
	_, err = typeset.DecodeImage([]byte("\x89PNG\r\n\x1a\nbroken"))
	assert.ErrorIs(t, err, typeset.ErrImage)
}

func TestNum(t *testing.T) {
	assert.Equal(t, "1.5", typeset.Num(1.5))
	assert.Equal(t, "0", typeset.Num(-0.001))
	assert.Equal(t, "<FEFF0110>", typeset.TextString("Đ"))
}

func FuzzDecodeImage(f *testing.F) {
	var b bytes.Buffer
	png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 2, 2)))
	f.Add(b.Bytes())
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE0})
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := typeset.DecodeImage(data)
		if err != nil {
			return
		}
		im.Crop()
		d, _ := typeset.New(nil)
		d.Image(d.NewPage(10, 10), im, 0, 0, 10, 10)
		if _, err := d.Bytes(typeset.Info{}); err != nil {
			t.Fatal(err)
		}
	})
}
