package pdf

import (
	"math"
	"strings"
)

// TextSpan is a run of text shown by one text-showing operator (Tj, TJ, ' or "), placed
// in the default user space of the page (origin at the lower left of the MediaBox's
// coordinate system, before /Rotate).
type TextSpan struct {
	Text  string  // the text, from /ToUnicode or the font's encoding ("" for unknown codes)
	X, Y  float64 // where the first glyph's baseline starts
	Width float64 // the advance of the whole run along the baseline
	Size  float64 // the effective font size (font size × text and graphics scaling)
	Font  Name    // the font's resource name
}

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n (apply m, then n).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

type gstate struct {
	ctm                  matrix
	tc, tw, th, tl, rise float64
	font                 *font
	fontName             Name
	fontSize             float64
}

// maxFormDepth bounds the nesting of form XObjects followed by PageText.
const maxFormDepth = 8

// maxForms bounds the form XObjects run for one page (a form may call itself).
const maxForms = 1000

// PageText extracts the page's text with positions, in content order: one TextSpan per
// text-showing operator, following form XObjects. It is meant for locating text (a
// signer's title and name on a page), not for faithful reading order. Widths of the
// standard 14 fonts, which files do not carry, are approximated as half an em per glyph.
func (d *Document) PageText(p Page) ([]TextSpan, error) {
	content, err := d.PageContent(p)
	if err != nil {
		return nil, err
	}
	x := &textExtractor{d: d, fonts: map[Ref]*font{}}
	gs := gstate{ctm: identity, th: 1}
	if err := x.run(content, p.Resources, gs, 0); err != nil {
		return nil, err
	}
	return x.spans, nil
}

type textExtractor struct {
	d     *Document
	fonts map[Ref]*font
	spans []TextSpan
	ops   int
	forms int // form XObjects run so far
}

func num(o Object) float64 {
	v, _ := Number(o)
	return v
}

func nums(ops []Object, n int) ([]float64, bool) {
	if len(ops) < n {
		return nil, false
	}
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		v, ok := Number(ops[len(ops)-n+i])
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

func (x *textExtractor) run(content []byte, res Dict, gs gstate, depth int) error {
	ops, err := ParseContent(content, x.d.opts.MaxObjects)
	if err != nil {
		return err
	}
	x.ops += len(ops)
	if x.ops > x.d.opts.MaxObjects {
		return &LimitError{Limit: "MaxObjects", Max: int64(x.d.opts.MaxObjects), Offset: -1}
	}
	var stack []gstate
	tm, tlm := identity, identity
	fontsRes, _ := x.d.resolveQuiet(res.Get("Font")).(Dict)
	xobjRes, _ := x.d.resolveQuiet(res.Get("XObject")).(Dict)
	for _, op := range ops {
		a := op.Operands
		switch op.Operator {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, gs)
			}
		case "Q":
			if n := len(stack); n > 0 {
				gs, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			if v, ok := nums(a, 6); ok {
				gs.ctm = matrix(v).mul(gs.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(a) >= 2 {
				name, _ := a[len(a)-2].(Name)
				gs.fontName, gs.fontSize = name, num(a[len(a)-1])
				gs.font = x.font(fontsRes, name)
			}
		case "Tc":
			if v, ok := nums(a, 1); ok {
				gs.tc = v[0]
			}
		case "Tw":
			if v, ok := nums(a, 1); ok {
				gs.tw = v[0]
			}
		case "Tz":
			if v, ok := nums(a, 1); ok {
				gs.th = v[0] / 100
			}
		case "TL":
			if v, ok := nums(a, 1); ok {
				gs.tl = v[0]
			}
		case "Ts":
			if v, ok := nums(a, 1); ok {
				gs.rise = v[0]
			}
		case "Td", "TD":
			if v, ok := nums(a, 2); ok {
				if op.Operator == "TD" {
					gs.tl = -v[1]
				}
				tlm = matrix{1, 0, 0, 1, v[0], v[1]}.mul(tlm)
				tm = tlm
			}
		case "Tm":
			if v, ok := nums(a, 6); ok {
				tlm = matrix(v)
				tm = tlm
			}
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.mul(tlm)
			tm = tlm
		case "Tj", "'", "\"":
			if op.Operator != "Tj" {
				if op.Operator == "\"" {
					if v, ok := nums(a[:max(0, len(a)-1)], 2); ok {
						gs.tw, gs.tc = v[0], v[1]
					}
				}
				tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.mul(tlm)
				tm = tlm
			}
			if len(a) > 0 {
				if s, ok := Bytes(a[len(a)-1]); ok {
					tm = x.show(&gs, tm, Array{String(s)})
				}
			}
		case "TJ":
			if len(a) > 0 {
				if arr, ok := a[len(a)-1].(Array); ok {
					tm = x.show(&gs, tm, arr)
				}
			}
		case "Do":
			if depth >= maxFormDepth || len(a) == 0 || x.forms >= maxForms {
				continue
			}
			x.forms++
			name, _ := a[len(a)-1].(Name)
			s, ok := x.d.resolveQuiet(xobjRes.Get(name)).(*Stream)
			if !ok {
				continue
			}
			if st, _ := s.Dict.Get("Subtype").(Name); st != "Form" {
				continue
			}
			data, err := x.d.StreamData(s)
			if err != nil {
				continue
			}
			inner := gs
			if m, ok := x.d.resolveQuiet(s.Dict.Get("Matrix")).(Array); ok && len(m) == 6 {
				var v matrix
				for i := range v {
					v[i] = num(x.d.resolveQuiet(m[i]))
				}
				inner.ctm = v.mul(gs.ctm)
			}
			fres, _ := x.d.resolveQuiet(s.Dict.Get("Resources")).(Dict)
			if fres == nil {
				fres = res
			}
			if err := x.run(data, fres, inner, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// font returns the font for a resource name, cached by its object reference.
func (x *textExtractor) font(fonts Dict, name Name) *font {
	ref, isRef := fonts.Get(name).(Ref)
	if isRef {
		if f, ok := x.fonts[ref]; ok {
			return f
		}
	}
	fd, ok := x.d.resolveQuiet(fonts.Get(name)).(Dict)
	if !ok {
		return nil
	}
	f := x.d.loadFont(fd)
	if isRef && len(x.fonts) < 1024 {
		x.fonts[ref] = f
	}
	return f
}

// show places one run of text and returns the text matrix after it.
func (x *textExtractor) show(gs *gstate, tm matrix, parts Array) matrix {
	if gs.font == nil {
		gs.font = &font{widths: map[uint32]float64{}, dw: 500, scale: 0.001}
		baseEncoding("WinAnsiEncoding", &gs.font.simple)
	}
	f := gs.font
	start := tm
	var text strings.Builder
	advance := 0.0 // in text space, along the baseline
	for _, p := range parts {
		switch v := p.(type) {
		case String, HexString:
			s, _ := Bytes(v)
			codes, texts, widths := f.decode(s)
			for i := range codes {
				text.WriteString(texts[i])
				w := widths[i]*f.scale*gs.fontSize + gs.tc
				if !f.composite && codes[i] == 32 || f.composite && len(s) == len(codes) && codes[i] == 32 {
					w += gs.tw
				}
				advance += w * gs.th
			}
		case Integer, Real:
			adj := num(v)
			advance -= adj / 1000 * gs.fontSize * gs.th
			if adj < -250 && text.Len() > 0 && !strings.HasSuffix(text.String(), " ") {
				text.WriteByte(' ')
			}
		}
	}
	trm := matrix{gs.fontSize * gs.th, 0, 0, gs.fontSize, 0, gs.rise}.mul(start).mul(gs.ctm)
	userTM := start.mul(gs.ctm)
	x0, y0 := matrix{1, 0, 0, 1, 0, gs.rise}.mul(userTM).apply(0, 0)
	x1, y1 := matrix{1, 0, 0, 1, advance, gs.rise}.mul(userTM).apply(0, 0)
	x.spans = append(x.spans, TextSpan{
		Text: text.String(), X: x0, Y: y0,
		Width: math.Hypot(x1-x0, y1-y0),
		Size:  math.Hypot(trm[2], trm[3]),
		Font:  gs.fontName,
	})
	return matrix{1, 0, 0, 1, advance, 0}.mul(tm)
}
