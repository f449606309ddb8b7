// Package layouttest makes the images a visible signature needs, for tests and demos:
// a blue handwritten-looking signature and a red round seal, as transparent PNGs with
// their physical resolution (pHYs) set. They are drawn at run time, so that no binary
// fixture is committed. THEY ARE FOR TESTING ONLY.
package layouttest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Ink colours: the blue of a ballpoint signature and the red of a seal's ink.
var (
	SignatureBlue = color.NRGBA{R: 20, G: 45, B: 170, A: 255}
	SealRed       = color.NRGBA{R: 215, G: 25, B: 35, A: 255}
)

// canvas is a transparent image that strokes anti-aliased discs.
type canvas struct {
	img *image.NRGBA
	c   color.NRGBA
}

func newCanvas(w, h int, c color.NRGBA) *canvas {
	return &canvas{img: image.NewNRGBA(image.Rect(0, 0, w, h)), c: c}
}

// dot paints a disc of radius r at (x, y), anti-aliased, keeping the most opaque
// coverage of each pixel.
func (cv *canvas) dot(x, y, r float64) {
	b := cv.img.Bounds()
	for py := int(y - r - 1); py <= int(y+r+1); py++ {
		for px := int(x - r - 1); px <= int(x+r+1); px++ {
			if px < b.Min.X || py < b.Min.Y || px >= b.Max.X || py >= b.Max.Y {
				continue
			}
			d := math.Hypot(float64(px)+0.5-x, float64(py)+0.5-y)
			a := math.Max(0, math.Min(1, r-d+0.5))
			if a == 0 {
				continue
			}
			i := cv.img.PixOffset(px, py)
			if na := uint8(a * 255); na > cv.img.Pix[i+3] {
				cv.img.Pix[i], cv.img.Pix[i+1], cv.img.Pix[i+2], cv.img.Pix[i+3] = cv.c.R, cv.c.G, cv.c.B, na
			}
		}
	}
}

// stroke draws the curve f(t), t in [0, 1], with a pen of width w(t).
func (cv *canvas) stroke(f func(t float64) (x, y float64), w func(t float64) float64) {
	x0, y0 := f(0)
	const steps = 4000
	for i := 1; i <= steps; i++ {
		t := float64(i) / steps
		x, y := f(t)
		// Fill the segment densely enough for a continuous line.
		n := int(math.Hypot(x-x0, y-y0)/0.5) + 1
		for k := 1; k <= n; k++ {
			u := float64(k) / float64(n)
			cv.dot(x0+(x-x0)*u, y0+(y-y0)*u, w(t)/2)
		}
		x0, y0 = x, y
	}
}

// signaturePath is a hand-drawn signature's stroke, in units of the image's width and
// height (y down): a tall capital, running letters of uneven height, and a flourish
// back under them.
var signaturePath = [][2]float64{
	{0.04, 0.78}, {0.09, 0.35}, {0.13, 0.08}, {0.17, 0.06}, {0.15, 0.45}, {0.12, 0.82},
	{0.09, 0.9}, {0.16, 0.78}, {0.23, 0.46}, {0.27, 0.36}, {0.28, 0.62}, {0.31, 0.5},
	{0.35, 0.3}, {0.37, 0.6}, {0.41, 0.42}, {0.44, 0.56}, {0.47, 0.22}, {0.5, 0.12},
	{0.5, 0.6}, {0.54, 0.44}, {0.58, 0.62}, {0.62, 0.38}, {0.64, 0.64}, {0.69, 0.4},
	{0.73, 0.6}, {0.79, 0.34}, {0.86, 0.28}, {0.9, 0.33}, {0.74, 0.72}, {0.45, 0.86},
	{0.18, 0.93}, {0.1, 0.88}, {0.3, 0.8}, {0.65, 0.74}, {0.96, 0.66},
}

// catmullRom interpolates the points through a Catmull-Rom spline, t in [0, 1].
func catmullRom(pts [][2]float64, t float64) (float64, float64) {
	n := len(pts) - 1
	f := t * float64(n)
	i := min(int(f), n-1)
	u := f - float64(i)
	p := func(k int) [2]float64 { return pts[max(0, min(n, k))] }
	p0, p1, p2, p3 := p(i-1), p(i), p(i+1), p(i+2)
	c := func(a, b, c, d float64) float64 {
		return 0.5 * (2*b + (-a+c)*u + (2*a-5*b+4*c-d)*u*u + (-a+3*b-3*c+d)*u*u*u)
	}
	return c(p0[0], p1[0], p2[0], p3[0]), c(p0[1], p1[1], p2[1], p3[1])
}

// SignaturePNG draws a blue handwritten-looking signature, 2 × 0.7 inches at dpi, on a
// transparent background.
func SignaturePNG(dpi float64) []byte {
	w, h := int(2*dpi), int(0.7*dpi)
	cv := newCanvas(w, h, SignatureBlue)
	W, H := float64(w), float64(h)
	cv.stroke(func(t float64) (float64, float64) {
		x, y := catmullRom(signaturePath, t)
		return 0.02*W + 0.96*W*x, 0.04*H + 0.92*H*y
	}, func(t float64) float64 {
		// A ballpoint pen: thicker in the middle of the name, thin at the ends.
		return dpi / 100 * (0.9 + 0.7*math.Sin(math.Pi*t) + 0.25*math.Sin(2*math.Pi*9*t))
	})
	return encodePNG(cv.img, dpi)
}

// SealPNG draws a red round seal of the given diameter in millimetres at dpi on a
// transparent background, as Vietnamese seals of state bodies are laid out: an outer
// ring, the organisation's name around it ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"), an
// inner circle and a five-pointed star in the middle.
func SealPNG(mm, dpi float64) []byte {
	return SealPNGText(mm, dpi, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH")
}

// SealPNGText is SealPNG with the organisation's name given.
func SealPNGText(mm, dpi float64, name string) []byte {
	d := int(math.Round(mm / 25.4 * dpi))
	cv := newCanvas(d, d, SealRed)
	c := float64(d) / 2
	R := c - 1
	ring := func(r, width float64) {
		cv.stroke(func(t float64) (float64, float64) {
			return c + r*math.Cos(2*math.Pi*t), c + r*math.Sin(2*math.Pi*t)
		}, func(float64) float64 { return width })
	}
	px := dpi / 25.4 // pixels per millimetre
	ring(R-0.5*px, 1.0*px)
	ring(R*0.66, 0.35*px)
	cv.ringText(name, c, c, R*0.72, R*0.2, 2*math.Pi*0.8)
	star(cv, c, c, R*0.3)
	return encodePNG(cv.img, dpi)
}

// star fills a five-pointed star of outer radius r centred on (cx, cy).
func star(cv *canvas, cx, cy, r float64) {
	var pts [10][2]float64
	for i := range pts {
		rad := r
		if i%2 == 1 {
			rad = r * 0.382
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		pts[i] = [2]float64{cx + rad*math.Cos(a), cy + rad*math.Sin(a)}
	}
	inside := func(x, y float64) bool { // even-odd rule
		in := false
		for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
			xi, yi, xj, yj := pts[i][0], pts[i][1], pts[j][0], pts[j][1]
			if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
				in = !in
			}
		}
		return in
	}
	for py := int(cy - r - 1); py <= int(cy+r+1); py++ {
		for px := int(cx - r - 1); px <= int(cx+r+1); px++ {
			// 4× supersampling for a smooth edge.
			n := 0
			for _, o := range [4][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}} {
				if inside(float64(px)+o[0], float64(py)+o[1]) {
					n++
				}
			}
			if n > 0 && image.Pt(px, py).In(cv.img.Bounds()) {
				i := cv.img.PixOffset(px, py)
				cv.img.Pix[i], cv.img.Pix[i+1], cv.img.Pix[i+2] = cv.c.R, cv.c.G, cv.c.B
				cv.img.Pix[i+3] = max(cv.img.Pix[i+3], uint8(n*255/4))
			}
		}
	}
}

// encodePNG writes img as a PNG with a pHYs chunk saying dpi.
func encodePNG(img image.Image, dpi float64) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // encoding an in-memory NRGBA cannot fail
	}
	return WithDPI(b.Bytes(), dpi)
}

// WithDPI returns the PNG data with a pHYs chunk declaring dpi (replacing none; the
// chunk goes right after IHDR). Data that is not a PNG is returned unchanged.
func WithDPI(data []byte, dpi float64) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	if len(data) < ihdrEnd || string(data[12:16]) != "IHDR" {
		return data
	}
	ppm := uint32(math.Round(dpi / 0.0254))
	chunk := make([]byte, 0, 21)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = append(chunk, 1)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := make([]byte, 0, len(data)+len(chunk))
	out = append(out, data[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, data[ihdrEnd:]...)
}
