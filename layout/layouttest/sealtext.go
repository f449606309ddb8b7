package layouttest

import (
	"image"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/kyso-go/kyso/internal/fonts"
)

// ringText sets text in Liberation Serif Bold along a circle of radius r (the
// baseline) centred on (cx, cy), clockwise, centred on the top, spread over sweep
// radians, letters standing outward, glyphs size pixels high.
func (cv *canvas) ringText(text string, cx, cy, r, size, sweep float64) {
	f, err := sfnt.Parse(fonts.LiberationSerifData(fonts.Bold))
	if err != nil {
		return // the embedded font always parses
	}
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(size * 64)
	type glyph struct {
		i   sfnt.GlyphIndex
		adv float64
	}
	var gs []glyph
	total := 0.0
	for _, c := range text {
		i, err := f.GlyphIndex(&buf, c)
		if err != nil || i == 0 {
			continue
		}
		a, err := f.GlyphAdvance(&buf, i, ppem, font.HintingNone)
		if err != nil {
			continue
		}
		gs = append(gs, glyph{i, float64(a) / 64})
		total += float64(a) / 64
	}
	if len(gs) == 0 {
		return
	}
	// Letter-space the text to fill the sweep.
	extra := (sweep*r - total) / float64(len(gs))
	b := cv.img.Bounds()
	z := vector.NewRasterizer(b.Dx(), b.Dy())
	s := -math.Pi/2 - sweep/2 // the start angle (screen coordinates, y down)
	pos := 0.0
	for _, g := range gs {
		theta := s + (pos+(g.adv+extra)/2)/r
		pos += g.adv + extra
		segs, err := f.LoadGlyph(&buf, g.i, ppem, nil)
		if err != nil {
			continue
		}
		tx, ty := -math.Sin(theta), math.Cos(theta) // along the baseline
		ux, uy := math.Cos(theta), math.Sin(theta)  // outward: the glyph's up
		ox, oy := cx+r*ux, cy+r*uy
		pt := func(p fixed.Point26_6) (float32, float32) {
			dx := float64(p.X)/64 - g.adv/2
			dy := float64(p.Y) / 64 // sfnt's y grows downward
			return float32(ox + dx*tx - dy*ux), float32(oy + dx*ty - dy*uy)
		}
		for _, seg := range segs {
			switch seg.Op {
			case sfnt.SegmentOpMoveTo:
				x, y := pt(seg.Args[0])
				z.MoveTo(x, y)
			case sfnt.SegmentOpLineTo:
				x, y := pt(seg.Args[0])
				z.LineTo(x, y)
			case sfnt.SegmentOpQuadTo:
				x1, y1 := pt(seg.Args[0])
				x, y := pt(seg.Args[1])
				z.QuadTo(x1, y1, x, y)
			case sfnt.SegmentOpCubeTo:
				x1, y1 := pt(seg.Args[0])
				x2, y2 := pt(seg.Args[1])
				x, y := pt(seg.Args[2])
				z.CubeTo(x1, y1, x2, y2, x, y)
			}
		}
		z.ClosePath()
	}
	mask := image.NewAlpha(b)
	z.Draw(mask, b, image.Opaque, image.Point{})
	for i, a := range mask.Pix {
		if a == 0 {
			continue
		}
		p := i * 4
		cv.img.Pix[p], cv.img.Pix[p+1], cv.img.Pix[p+2] = cv.c.R, cv.c.G, cv.c.B
		cv.img.Pix[p+3] = max(cv.img.Pix[p+3], a)
	}
}
