package layout

import (
	"math"

	"github.com/kyso-go/kyso/internal/pdf"
)

// view maps a page's default user space to the page as displayed: the CropBox turned
// by /Rotate (clockwise), with its lower-left corner at the origin. Anchors are found
// and placements measured in the displayed page, where "above", "right" and "top" mean
// what a reader sees; widget rectangles go back to user space.
type view struct {
	rot  int
	box  [4]float64 // the CropBox in user space
	w, h float64    // the displayed size
}

func pageView(p pdf.Page) view {
	b := p.CropBox
	if !(b[2] > b[0] && b[3] > b[1]) {
		b = p.MediaBox
	}
	v := view{rot: p.Rotate, box: b, w: b[2] - b[0], h: b[3] - b[1]}
	if v.rot == 90 || v.rot == 270 {
		v.w, v.h = v.h, v.w
	}
	return v
}

// to maps a user-space point to the displayed page.
func (v view) to(x, y float64) (float64, float64) {
	b := v.box
	switch v.rot {
	case 90:
		return y - b[1], b[2] - x
	case 180:
		return b[2] - x, b[3] - y
	case 270:
		return b[3] - y, x - b[0]
	}
	return x - b[0], y - b[1]
}

// from maps a displayed point back to user space.
func (v view) from(x, y float64) (float64, float64) {
	b := v.box
	switch v.rot {
	case 90:
		return b[2] - y, x + b[1]
	case 180:
		return b[2] - x, b[3] - y
	case 270:
		return y + b[0], b[3] - x
	}
	return x + b[0], y + b[1]
}

func (v view) rect(r [4]float64, f func(x, y float64) (float64, float64)) [4]float64 {
	x0, y0 := f(r[0], r[1])
	x1, y1 := f(r[2], r[3])
	return [4]float64{math.Min(x0, x1), math.Min(y0, y1), math.Max(x0, x1), math.Max(y0, y1)}
}

// toRect maps a user-space rectangle to the displayed page; fromRect back.
func (v view) toRect(r [4]float64) [4]float64   { return v.rect(r, v.to) }
func (v view) fromRect(r [4]float64) [4]float64 { return v.rect(r, v.from) }
