package layout

import (
	"bytes"
	"image/jpeg"
	"math"

	"github.com/kyso-go/kyso/internal/pdf"
)

// InkSummary describes the visible pixels ("ink") of an image: those at least half
// opaque and not near white.
type InkSummary struct {
	// BBox is the box of the ink on the page (user space); Fraction the share of the
	// image's pixels that are ink.
	BBox     [4]float64 `json:"bbox"`
	Fraction float64    `json:"fraction"`
	// Red, Blue and Black are the shares of ink pixels of each colour family; Mean is
	// the ink's mean colour (RGB in [0, 1]).
	Red   float64    `json:"red"`
	Blue  float64    `json:"blue"`
	Black float64    `json:"black"`
	Mean  [3]float64 `json:"mean"`
	// Colour is "red", "blue", "black" or "mixed": the family of more than half the
	// ink.
	Colour string `json:"colour"`
	// Decoded is false when the pixels could not be read (an unsupported codec);
	// the other fields are then zero.
	Decoded bool `json:"decoded"`
}

// msRaster is decoded image samples as RGBA, 8 bits per channel.
type msRaster struct {
	w, h int
	pix  []byte // RGBA
}

// msDecodeImage decodes an image XObject to RGBA with its soft mask applied as alpha.
// It supports Flate (with PNG predictors) and uncompressed samples of 1–16 bits in
// DeviceGray, DeviceRGB, DeviceCMYK, ICCBased and Indexed spaces, and DCT (JPEG).
// Images over maxPixels samples are refused (nil).
func msDecodeImage(d *pdf.Document, im pdf.ImagePlacement, maxPixels int) *msRaster {
	if im.Stream == nil || im.Width <= 0 || im.Height <= 0 || im.Width > 1<<15 || im.Height > 1<<15 || im.Width*im.Height > maxPixels {
		return nil
	}
	r := msDecodeSamples(d, im.Stream, im.Width, im.Height)
	if r == nil {
		return nil
	}
	if sm, ok := msStream(d, im.Stream.Dict.Get("SMask")); ok {
		sw, _ := msInt(d, sm.Dict.Get("Width"))
		sh, _ := msInt(d, sm.Dict.Get("Height"))
		if sw > 0 && sh > 0 && sw*sh <= maxPixels {
			if a := msDecodeSamples(d, sm, sw, sh); a != nil {
				for y := 0; y < r.h; y++ {
					for x := 0; x < r.w; x++ {
						ax, ay := x*a.w/r.w, y*a.h/r.h
						r.pix[(y*r.w+x)*4+3] = a.pix[(ay*a.w+ax)*4] // grey value as alpha
					}
				}
			}
		}
	}
	return r
}

func msStream(d *pdf.Document, o pdf.Object) (*pdf.Stream, bool) {
	v, err := d.Resolve(o)
	if err != nil {
		return nil, false
	}
	s, ok := v.(*pdf.Stream)
	return s, ok
}

func msInt(d *pdf.Document, o pdf.Object) (int, bool) {
	v, err := d.Resolve(o)
	if err != nil {
		return 0, false
	}
	i, ok := v.(pdf.Integer)
	if !ok || i < 0 || i > 1<<20 {
		return 0, false
	}
	return int(i), true
}

// msDecodeSamples decodes one image stream's samples to RGBA (alpha 255).
func msDecodeSamples(d *pdf.Document, s *pdf.Stream, w, h int) *msRaster {
	filters := []pdf.Name{}
	switch f := msResolve(d, s.Dict.Get("Filter")).(type) {
	case pdf.Name:
		filters = append(filters, f)
	case pdf.Array:
		for _, e := range f {
			if n, ok := msResolve(d, e).(pdf.Name); ok {
				filters = append(filters, n)
			}
		}
	}
	out := &msRaster{w: w, h: h, pix: make([]byte, w*h*4)}
	if len(filters) > 0 && (filters[len(filters)-1] == "DCTDecode" || filters[len(filters)-1] == "DCT") {
		if len(filters) != 1 {
			return nil
		}
		raw, err := d.RawStreamData(s)
		if err != nil {
			return nil
		}
		// The JPEG's own header decides how much Decode allocates: bound it first.
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(raw))
		if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 4*w*h+1<<20 {
			return nil
		}
		img, err := jpeg.Decode(bytes.NewReader(raw))
		if err != nil {
			return nil
		}
		b := img.Bounds()
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				cr, cg, cb, _ := img.At(b.Min.X+x*b.Dx()/w, b.Min.Y+y*b.Dy()/h).RGBA()
				i := (y*w + x) * 4
				out.pix[i], out.pix[i+1], out.pix[i+2], out.pix[i+3] = byte(cr>>8), byte(cg>>8), byte(cb>>8), 255
			}
		}
		return out
	}
	data, err := d.StreamData(s)
	if err != nil {
		return nil
	}
	bpc, _ := msInt(d, s.Dict.Get("BitsPerComponent"))
	if m, _ := msResolve(d, s.Dict.Get("ImageMask")).(pdf.Bool); m {
		bpc = 1
	}
	if bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16 {
		return nil
	}
	cs := msResolve(d, s.Dict.Get("ColorSpace"))
	comps, lookup, lookupN := msColourSpace(d, cs)
	if m, _ := msResolve(d, s.Dict.Get("ImageMask")).(pdf.Bool); m {
		comps, lookup = 1, nil
	}
	if comps == 0 {
		return nil
	}
	rowBits := w * comps * bpc
	rowBytes := (rowBits + 7) / 8
	if len(data) < rowBytes*h {
		return nil
	}
	maxV := float64(int(1)<<bpc - 1)
	sample := func(row []byte, idx int) float64 {
		switch bpc {
		case 8:
			return float64(row[idx])
		case 16:
			return float64(int(row[2*idx])<<8 | int(row[2*idx+1]))
		}
		bit := idx * bpc
		v := row[bit/8] >> (8 - bpc - bit%8) & byte(int(1)<<bpc-1)
		return float64(v)
	}
	for y := 0; y < h; y++ {
		row := data[y*rowBytes : (y+1)*rowBytes]
		for x := 0; x < w; x++ {
			var c [4]float64
			for k := 0; k < comps; k++ {
				c[k] = sample(row, x*comps+k)
			}
			var rgb [3]float64
			n := comps
			if lookup != nil {
				idx := int(c[0])
				n = lookupN
				for k := 0; k < n; k++ {
					if idx*n+k < len(lookup) {
						c[k] = float64(lookup[idx*n+k]) / 255
					}
				}
			} else {
				for k := 0; k < n; k++ {
					c[k] /= maxV
				}
			}
			switch n {
			case 1:
				rgb = [3]float64{c[0], c[0], c[0]}
			case 3:
				rgb = [3]float64{c[0], c[1], c[2]}
			case 4:
				rgb = [3]float64{(1 - c[0]) * (1 - c[3]), (1 - c[1]) * (1 - c[3]), (1 - c[2]) * (1 - c[3])}
			}
			i := (y*w + x) * 4
			for k := 0; k < 3; k++ {
				out.pix[i+k] = byte(math.Round(math.Max(0, math.Min(1, rgb[k])) * 255))
			}
			out.pix[i+3] = 255
		}
	}
	return out
}

func msResolve(d *pdf.Document, o pdf.Object) pdf.Object {
	v, err := d.Resolve(o)
	if err != nil {
		return nil
	}
	return v
}

// msColourSpace returns the number of components of an image colour space and, for
// Indexed, the lookup table and the base's component count.
func msColourSpace(d *pdf.Document, cs pdf.Object) (comps int, lookup []byte, baseN int) {
	switch v := cs.(type) {
	case pdf.Name:
		switch v {
		case "DeviceGray", "CalGray", "G":
			return 1, nil, 0
		case "DeviceRGB", "CalRGB", "RGB":
			return 3, nil, 0
		case "DeviceCMYK", "CMYK":
			return 4, nil, 0
		}
	case pdf.Array:
		if len(v) == 0 {
			return 0, nil, 0
		}
		fam, _ := msResolve(d, v[0]).(pdf.Name)
		switch fam {
		case "ICCBased":
			if len(v) > 1 {
				if s, ok := msStream(d, v[1]); ok {
					n, _ := msInt(d, s.Dict.Get("N"))
					if n == 1 || n == 3 || n == 4 {
						return n, nil, 0
					}
				}
			}
		case "CalGray":
			return 1, nil, 0
		case "CalRGB":
			return 3, nil, 0
		case "Indexed", "I":
			if len(v) < 4 {
				return 0, nil, 0
			}
			n, _, _ := msColourSpace(d, msResolve(d, v[1]))
			if n == 0 {
				return 0, nil, 0
			}
			switch t := msResolve(d, v[3]).(type) {
			case pdf.String:
				lookup = []byte(t)
			case *pdf.Stream:
				lookup, _ = d.StreamData(t)
			}
			return 1, lookup, n
		}
	}
	return 0, nil, 0
}

// msInk measures the ink of a decoded image placed with the image's CTM.
func msInk(r *msRaster, ctm [6]float64) *InkSummary {
	s := &InkSummary{Decoded: true}
	if r == nil {
		return &InkSummary{}
	}
	minX, minY, maxX, maxY := r.w, r.h, -1, -1
	var n, red, blue, black int
	var sum [3]float64
	for y := 0; y < r.h; y++ {
		for x := 0; x < r.w; x++ {
			i := (y*r.w + x) * 4
			cr, cg, cb, a := int(r.pix[i]), int(r.pix[i+1]), int(r.pix[i+2]), int(r.pix[i+3])
			if a < 128 || cr > 230 && cg > 230 && cb > 230 {
				continue
			}
			n++
			sum[0] += float64(cr)
			sum[1] += float64(cg)
			sum[2] += float64(cb)
			switch {
			case cr >= 100 && cr > cg+50 && cr > cb+50:
				red++
			case cb >= 80 && cb > cr+40 && cb >= cg+20:
				blue++
			case cr < 90 && cg < 90 && cb < 90:
				black++
			}
			minX, minY = min(minX, x), min(minY, y)
			maxX, maxY = max(maxX, x), max(maxY, y)
		}
	}
	if n == 0 {
		s.Colour = "none"
		return s
	}
	s.Fraction = float64(n) / float64(r.w*r.h)
	s.Red, s.Blue, s.Black = float64(red)/float64(n), float64(blue)/float64(n), float64(black)/float64(n)
	for k := range sum {
		s.Mean[k] = sum[k] / float64(n) / 255
	}
	switch {
	case s.Red > 0.5:
		s.Colour = "red"
	case s.Blue > 0.5:
		s.Colour = "blue"
	case s.Black > 0.5:
		s.Colour = "black"
	default:
		s.Colour = "mixed"
	}
	// Image space: (0,0) is the top-left sample; the unit square's y runs upwards.
	u0, u1 := float64(minX)/float64(r.w), float64(maxX+1)/float64(r.w)
	v0, v1 := 1-float64(maxY+1)/float64(r.h), 1-float64(minY)/float64(r.h)
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range [4][2]float64{{u0, v0}, {u1, v0}, {u0, v1}, {u1, v1}} {
		px := p[0]*ctm[0] + p[1]*ctm[2] + ctm[4]
		py := p[0]*ctm[1] + p[1]*ctm[3] + ctm[5]
		b[0], b[1] = math.Min(b[0], px), math.Min(b[1], py)
		b[2], b[3] = math.Max(b[2], px), math.Max(b[3], py)
	}
	s.BBox = b
	return s
}
