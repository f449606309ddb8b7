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

// SignaturePNG draws a blue handwritten-looking signature, 2 × 0.7 inches at dpi, on a
// transparent background: a looping cursive stroke and an underline flourish.
func SignaturePNG(dpi float64) []byte {
	w, h := int(2*dpi), int(0.7*dpi)
	cv := newCanvas(w, h, SignatureBlue)
	W, H := float64(w), float64(h)
	pen := func(t float64) float64 { return dpi / 100 * (1.3 + 0.9*math.Sin(math.Pi*t)) }
	// The name: loops whose height swells and falls, drifting right.
	cv.stroke(func(t float64) (float64, float64) {
		x := 0.08*W + 0.72*W*t + 0.05*W*math.Sin(2*math.Pi*7*t)
		env := 0.55 + 0.45*math.Sin(math.Pi*t*1.3+0.3)
		y := 0.42*H - 0.26*H*env*math.Cos(2*math.Pi*7*t) + 0.06*H*math.Sin(2*math.Pi*1.5*t)
		return x, y
	}, pen)
	// The flourish under it, from right to left and back.
	cv.stroke(func(t float64) (float64, float64) {
		x := 0.9*W - 0.8*W*t
		y := 0.8*H + 0.1*H*math.Sin(math.Pi*t) - 0.05*H*t
		return x, y
	}, func(t float64) float64 { return dpi / 100 * (0.8 + 1.0*(1-t)) })
	return encodePNG(cv.img, dpi)
}

// SealPNG draws a red round seal of the given diameter in millimetres at dpi on a
// transparent background: an outer ring, an inner circle, a ring of marks standing for
// the organisation's name and a five-pointed star in the middle, as Vietnamese seals
// of state bodies are laid out.
func SealPNG(mm, dpi float64) []byte {
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
	ring(R*0.68, 0.35*px)
	// Letters around the ring: short strokes of varying shape between the circles.
	const letters = 34
	for i := 0; i < letters; i++ {
		if i >= 15 && i <= 18 {
			continue // the gap at the bottom, as between name and place
		}
		a := 2*math.Pi*float64(i)/letters - math.Pi/2
		r0, r1 := R*0.74, R*0.9
		tilt := 0.06 * math.Sin(float64(i)*1.7)
		cv.stroke(func(t float64) (float64, float64) {
			r := r0 + (r1-r0)*t
			return c + r*math.Cos(a+tilt*(t-0.5)), c + r*math.Sin(a+tilt*(t-0.5))
		}, func(float64) float64 { return 0.3 * px })
		if i%3 != 1 { // a cross bar on most letters
			rm := (r0 + r1) / 2
			cv.stroke(func(t float64) (float64, float64) {
				da := (t - 0.5) * 0.07
				return c + rm*math.Cos(a+da), c + rm*math.Sin(a+da)
			}, func(float64) float64 { return 0.25 * px })
		}
	}
	// The star.
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
