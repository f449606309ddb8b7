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

	// FontName is the font's /BaseFont with any subset prefix ("ABCDEF+") removed.
	FontName string
	// Embedded reports whether the font program is embedded (FontFile, FontFile2 or
	// FontFile3 in its descriptor, or a Type 3 font).
	Embedded bool
	// Bold and Italic are read from the font descriptor's flags, weight and italic
	// angle, and from the font's name.
	Bold, Italic bool
	// Fill is the fill colour the text is painted with.
	Fill Color
	// Invisible is set for text rendering modes 3 and 7 (neither filled nor stroked).
	Invisible bool
	// Artifact is set for text inside /Artifact marked content (running headers,
	// footers, page numbers in tagged PDF); ArtifactType is its /Type or /Subtype
	// ("Pagination", "Header", …) when given.
	Artifact     bool
	ArtifactType Name
	// BBox is the bounding box of the run in user space [llx lly urx ury]: along the
	// baseline from the first glyph's origin to the end of the advance, across it from
	// the font's descent to its ascent (as poppler's pdftotext -bbox measures words).
	BBox [4]float64
	// Angle is the direction of the baseline in user space, in degrees
	// counter-clockwise from the x axis (0 for ordinary horizontal text).
	Angle float64
	// Glyphs are the run's glyphs (and the spaces that TJ gaps stand for) in order.
	Glyphs []Glyph

	ascent, descent float64 // in user space units, along the run's normal
	charSpace       float64 // the character spacing (Tc) in user space units, along the baseline
}

// Glyph is one code of a text run.
type Glyph struct {
	Text string // its text ("" for an unknown code; " " for a TJ gap read as a space)
	// Offset and Advance are the glyph's start and advance along the baseline, in user
	// space units from the run's origin.
	Offset, Advance float64
}

// Color is a colour as set by the content stream, with an RGB approximation.
type Color struct {
	Space Name       // DeviceGray, DeviceRGB, DeviceCMYK, ICCBased, Indexed, Separation, Pattern, …
	RGB   [3]float64 // an RGB approximation in [0, 1] (black for colours it cannot convert)
}

// IsBlack reports whether the colour is black within tol per RGB component.
func (c Color) IsBlack(tol float64) bool {
	return c.RGB[0] <= tol && c.RGB[1] <= tol && c.RGB[2] <= tol
}

// ImagePlacement is one image painted on a page (an image XObject or an inline image).
type ImagePlacement struct {
	Name   Name       // the resource name ("" for an inline image)
	Stream *Stream    // the image XObject (nil for an inline image)
	Inline []byte     // an inline image's (encoded) data
	Dict   Dict       // the image dictionary (the inline image's, with keys as written)
	CTM    [6]float64 // the transformation of the unit square onto the page
	BBox   [4]float64 // the placed image's bounding box in user space
	// Width and Height are the image's size in samples; BitsPerComponent its depth;
	// ColorSpace the family of its colour space and Components its number of colour
	// components (0 when unknown, 1 for an image mask).
	Width, Height    int
	BitsPerComponent int
	ColorSpace       Name
	Components       int
	// SMask reports a soft mask (/SMask) or a colour-key or stencil /Mask.
	SMask bool
}

// PathBox is one painted path: its bounding box in user space and how it was painted.
type PathBox struct {
	BBox         [4]float64
	Stroke, Fill bool
	LineWidth    float64 // the line width in user space units
	StrokeColor  Color
	FillColor    Color
}

// PageObjects is what a page (or a form XObject) paints, in content order.
type PageObjects struct {
	Text   []TextSpan
	Images []ImagePlacement
	Paths  []PathBox
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
	render               int
	fill, stroke         Color
	fillN, strokeN       int // components of the fill and stroke colour spaces
	lineWidth            float64
}

// maxFormDepth bounds the nesting of form XObjects followed by PageText.
const maxFormDepth = 8

// maxForms bounds the form XObjects run for one page (a form may call itself).
const maxForms = 1000

// maxPaths bounds the painted paths recorded for one page, and maxPathPoints the
// points of one path.
const (
	maxPaths      = 100_000
	maxPathPoints = 1 << 20
	maxImages     = 10_000
)

// PageText extracts the page's text with positions, in content order: one TextSpan per
// text-showing operator, following form XObjects. It is meant for locating text (a
// signer's title and name on a page), not for faithful reading order.
func (d *Document) PageText(p Page) ([]TextSpan, error) {
	o, err := d.PageObjects(p)
	if err != nil {
		return nil, err
	}
	return o.Text, nil
}

// PageObjects extracts what the page paints: text runs with their fonts, sizes,
// colours and boxes; images with their placed boxes; and the boxes of painted paths
// (lines, rules, rectangles). Positions are in the page's default user space (use
// DisplayBox for the rotated view pdftotext reports). Form XObjects are followed (their
// /Matrix applied); marked content is tracked for artifacts. Annotations are not
// included: see FormObjects for a widget's appearance.
//
// Standard 14 fonts without /Widths use the Adobe metrics of Times, Helvetica and
// Courier (a font named like Arial or Times New Roman without widths uses its metric
// twin); other fonts without widths count half an em per glyph. The work is bounded by
// Options.MaxObjects operators and a fixed number of form XObjects, paths and images;
// errors are typed (ErrMalformed, ErrLimit).
func (d *Document) PageObjects(p Page) (*PageObjects, error) {
	content, err := d.PageContent(p)
	if err != nil {
		return nil, err
	}
	x := &textExtractor{d: d, fonts: map[Ref]*font{}, out: &PageObjects{}}
	gs := newGState(identity)
	if err := x.run(content, p.Resources, gs, 0); err != nil {
		return nil, err
	}
	return x.out, nil
}

// UprightMatrix maps a page's default user space to the page as displayed: /Rotate
// applied, origin at the lower left of the CropBox, y up (pdftotext's view, with y
// growing upwards). Text that reads normally on screen runs along its x axis.
func UprightMatrix(p Page) [6]float64 {
	x0, y0, x1, y1 := p.CropBox[0], p.CropBox[1], p.CropBox[2], p.CropBox[3]
	switch p.Rotate {
	case 90:
		return [6]float64{0, -1, 1, 0, -y0, x1}
	case 180:
		return [6]float64{-1, 0, 0, -1, x1, y1}
	case 270:
		return [6]float64{0, 1, -1, 0, y1, -x0}
	}
	return [6]float64{1, 0, 0, 1, -x0, -y0}
}

// PageObjectsUpright is PageObjects with every position in the page's displayed
// orientation (see UprightMatrix), so that text reads along the x axis on rotated
// pages too.
func (d *Document) PageObjectsUpright(p Page) (*PageObjects, error) {
	content, err := d.PageContent(p)
	if err != nil {
		return nil, err
	}
	x := &textExtractor{d: d, fonts: map[Ref]*font{}, out: &PageObjects{}}
	if err := x.run(content, p.Resources, newGState(matrix(UprightMatrix(p))), 0); err != nil {
		return nil, err
	}
	return x.out, nil
}

// FormObjects extracts what a form XObject paints (for instance a widget's /AP /N
// appearance), with ctm mapping the form's space onto the page (its /Matrix is applied
// before ctm, as when a page paints it). Resources are the form's own.
func (d *Document) FormObjects(form *Stream, ctm [6]float64) (*PageObjects, error) {
	if form == nil {
		return nil, malformed(-1, "nil form XObject")
	}
	data, err := d.StreamData(form)
	if err != nil {
		return nil, err
	}
	m := FormMatrix(d, form)
	x := &textExtractor{d: d, fonts: map[Ref]*font{}, out: &PageObjects{}}
	res, _ := d.resolveQuiet(form.Dict.Get("Resources")).(Dict)
	if err := x.run(data, res, newGState(matrix(m).mul(matrix(ctm))), 1); err != nil {
		return nil, err
	}
	return x.out, nil
}

// FormMatrix returns a form XObject's /Matrix (the identity when absent or invalid).
func FormMatrix(d *Document, form *Stream) [6]float64 {
	m := [6]float64(identity)
	if form == nil {
		return m
	}
	if a, ok := d.resolveQuiet(form.Dict.Get("Matrix")).(Array); ok && len(a) == 6 {
		for i := range m {
			v, ok := Number(d.resolveQuiet(a[i]))
			if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
				return [6]float64(identity)
			}
			m[i] = v
		}
	}
	return m
}

// DisplayBox converts a box in a page's default user space to the coordinates
// pdftotext -bbox reports: the page turned by /Rotate, origin at the top left of the
// MediaBox (poppler's text output uses the MediaBox, not the CropBox: a page cropped
// by 10 pt still reports text 10 pt from where the crop shows it), y growing
// downwards. The result is [xMin yMin xMax yMax].
func DisplayBox(p Page, b [4]float64) [4]float64 {
	cb := p.MediaBox
	w, h := cb[2]-cb[0], cb[3]-cb[1]
	conv := func(x, y float64) (float64, float64) {
		x, y = x-cb[0], y-cb[1]
		switch p.Rotate {
		case 90:
			return y, x
		case 180:
			return w - x, y
		case 270:
			return h - y, w - x
		}
		return x, h - y
	}
	x0, y0 := conv(b[0], b[1])
	x1, y1 := conv(b[2], b[3])
	return [4]float64{math.Min(x0, x1), math.Min(y0, y1), math.Max(x0, x1), math.Max(y0, y1)}
}

func newGState(ctm matrix) gstate {
	black := Color{Space: "DeviceGray"}
	return gstate{ctm: ctm, th: 1, fill: black, stroke: black, fillN: 1, strokeN: 1, lineWidth: 1}
}

type textExtractor struct {
	d     *Document
	fonts map[Ref]*font
	out   *PageObjects
	ops   int
	forms int // form XObjects run so far
}

func num(o Object) float64 {
	v, _ := Number(o)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// nums returns the last n (at most 6) operands as finite numbers.
func nums(ops []Object, n int) ([6]float64, bool) {
	var out [6]float64
	if len(ops) < n || n > len(out) {
		return out, false
	}
	for i := 0; i < n; i++ {
		v, ok := Number(ops[len(ops)-n+i])
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			return out, false
		}
		out[i] = v
	}
	return out, true
}

// markedContent is one level of BMC/BDC nesting.
type markedContent struct {
	artifact bool
	typ      Name
}

func (x *textExtractor) run(content []byte, res Dict, gs gstate, depth int) error {
	var stack []gstate
	var marked []markedContent
	tm, tlm := identity, identity
	fontsRes, _ := x.d.resolveQuiet(res.Get("Font")).(Dict)
	xobjRes, _ := x.d.resolveQuiet(res.Get("XObject")).(Dict)
	csRes, _ := x.d.resolveQuiet(res.Get("ColorSpace")).(Dict)
	propRes, _ := x.d.resolveQuiet(res.Get("Properties")).(Dict)
	var path pathBuilder
	artifact := func() (bool, Name) {
		for i := len(marked) - 1; i >= 0; i-- {
			if marked[i].artifact {
				return true, marked[i].typ
			}
		}
		return false, ""
	}
	// The operations are run as they are read, one at a time: a page of a million
	// operators holds one operator's operands, not a million.
	return scanContent(content, x.d.opts.MaxObjects, func(op Op) error {
		x.ops++
		if x.ops > x.d.opts.MaxObjects {
			return &LimitError{Limit: "MaxObjects", Max: int64(x.d.opts.MaxObjects), Offset: -1}
		}
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
		case "w":
			if v, ok := nums(a, 1); ok {
				gs.lineWidth = v[0]
			}
		case "BMC", "BDC":
			mc := markedContent{}
			if len(a) > 0 {
				tag, _ := a[0].(Name)
				mc.artifact = tag == "Artifact"
				if mc.artifact && len(a) > 1 {
					props, _ := a[1].(Dict)
					if n, ok := a[1].(Name); ok {
						props, _ = x.d.resolveQuiet(propRes.Get(n)).(Dict)
					}
					if t, ok := x.d.resolveQuiet(props.Get("Subtype")).(Name); ok {
						mc.typ = t
					} else if t, ok := x.d.resolveQuiet(props.Get("Type")).(Name); ok {
						mc.typ = t
					}
				}
			}
			if len(marked) < 256 {
				marked = append(marked, mc)
			}
		case "EMC":
			if n := len(marked); n > 0 {
				marked = marked[:n-1]
			}
		case "g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "scn", "SC", "SCN":
			x.colour(&gs, op.Operator, a, csRes)
		case "m", "l", "c", "v", "y", "re", "h":
			path.add(op.Operator, a, gs.ctm)
		case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n":
			if op.Operator != "n" && !path.empty() && len(x.out.Paths) < maxPaths {
				stroke := op.Operator == "S" || op.Operator == "s" || strings.HasPrefix(op.Operator, "B") || strings.HasPrefix(op.Operator, "b")
				fill := op.Operator != "S" && op.Operator != "s"
				lw := gs.lineWidth * math.Sqrt(math.Abs(gs.ctm[0]*gs.ctm[3]-gs.ctm[1]*gs.ctm[2]))
				x.out.Paths = append(x.out.Paths, PathBox{BBox: path.bbox(), Stroke: stroke, Fill: fill,
					LineWidth: lw, StrokeColor: gs.stroke, FillColor: gs.fill})
			}
			path.reset()
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
		case "Tr":
			if v, ok := nums(a, 1); ok {
				gs.render = int(v[0])
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
					art, typ := artifact()
					tm = x.show(&gs, tm, Array{String(s)}, art, typ)
				}
			}
		case "TJ":
			if len(a) > 0 {
				if arr, ok := a[len(a)-1].(Array); ok {
					art, typ := artifact()
					tm = x.show(&gs, tm, arr, art, typ)
				}
			}
		case "BI":
			if len(a) == 2 && len(x.out.Images) < maxImages {
				dict, _ := a[0].(Dict)
				data, _ := a[1].(String)
				x.out.Images = append(x.out.Images, x.image(dict, nil, []byte(data), "", gs.ctm, csRes, true))
			}
		case "Do":
			if len(a) == 0 {
				return nil
			}
			name, _ := a[len(a)-1].(Name)
			s, ok := x.d.resolveQuiet(xobjRes.Get(name)).(*Stream)
			if !ok {
				return nil
			}
			switch st, _ := x.d.resolveQuiet(s.Dict.Get("Subtype")).(Name); st {
			case "Image":
				if len(x.out.Images) < maxImages {
					x.out.Images = append(x.out.Images, x.image(s.Dict, s, nil, name, gs.ctm, csRes, false))
				}
				return nil
			case "Form":
			default:
				return nil
			}
			if depth >= maxFormDepth || x.forms >= maxForms {
				return nil
			}
			x.forms++
			data, err := x.d.StreamData(s)
			if err != nil {
				return nil
			}
			inner := gs
			inner.ctm = matrix(FormMatrix(x.d, s)).mul(gs.ctm)
			fres, _ := x.d.resolveQuiet(s.Dict.Get("Resources")).(Dict)
			if fres == nil {
				fres = res
			}
			if err := x.run(data, fres, inner, depth+1); err != nil {
				return err
			}
		}
		return nil
	})
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
func (x *textExtractor) show(gs *gstate, tm matrix, parts Array, artifact bool, artType Name) matrix {
	if gs.font == nil {
		gs.font = defaultFont()
	}
	f := gs.font
	start := tm
	var text strings.Builder
	var glyphs []Glyph
	advance := 0.0 // in text space, along the baseline
	// Scale from text space along the baseline to user space.
	userTM := matrix{1, 0, 0, 1, 0, gs.rise}.mul(start).mul(gs.ctm)
	ux, uy := userTM[0], userTM[1]
	along := math.Hypot(ux, uy)
	lastSpace := true
	// reach is the furthest the pen has gone along the run: a move right that only
	// makes up for a move left (a combining mark pulled back over its letter by a TJ
	// number, as Word positions marks) is no gap between words.
	reach := 0.0
	em := gs.fontSize * gs.th
	for _, p := range parts {
		switch v := p.(type) {
		case String, HexString:
			s, _ := Bytes(v)
			codes, texts, widths := f.decode(s)
			oneByte := !f.composite || len(s) == len(codes)
			if glyphs == nil {
				n := 0
				for _, q := range parts {
					if b, ok := Bytes(q); ok {
						n += len(b)
					}
				}
				if f.composite {
					n /= 2
				}
				glyphs = make([]Glyph, 0, min(n+len(parts), 1<<16))
			}
			for i := range codes {
				text.WriteString(texts[i])
				glyphW := widths[i] * f.scale * gs.fontSize
				w := glyphW + gs.tc
				if oneByte && codes[i] == 32 {
					w += gs.tw
				}
				w *= gs.th
				if len(glyphs) < 1<<16 {
					// The glyph's own advance, without character and word spacing (as
					// pdftotext measures a word's end).
					glyphs = append(glyphs, Glyph{Text: texts[i], Offset: advance * along, Advance: glyphW * gs.th * along})
				}
				advance += w
				reach = math.Max(reach, advance)
				lastSpace = texts[i] == " " || texts[i] == ""
			}
		case Integer, Real:
			adj := num(v)
			shift := -adj / 1000 * gs.fontSize * gs.th
			// A gap wider than a tenth of an em reads as a word space, as pdftotext
			// does (poppler's minWordBreakSpace); measured from the furthest point
			// reached when the font size is positive.
			from, wide := advance, adj < -wordBreak*1000
			if em > 0 {
				from = reach
				wide = advance+shift-reach > wordBreak*em
			}
			if wide && text.Len() > 0 && !lastSpace {
				text.WriteByte(' ')
				if len(glyphs) < 1<<16 {
					glyphs = append(glyphs, Glyph{Text: " ", Offset: from * along, Advance: (advance + shift - from) * along})
				}
				lastSpace = true
			}
			advance += shift
			reach = math.Max(reach, advance)
		}
	}
	trm := matrix{gs.fontSize * gs.th, 0, 0, gs.fontSize, 0, gs.rise}.mul(start).mul(gs.ctm)
	x0, y0 := userTM.apply(0, 0)
	x1, y1 := userTM.apply(advance, 0)
	size := math.Hypot(trm[2], trm[3])
	// The run's normal: the text space y axis in user space, scaled to the font size.
	nx, ny := trm[2], trm[3]
	if size > 0 {
		nx, ny = nx/size, ny/size
	}
	asc, desc := f.ascent*size, f.descent*size
	span := TextSpan{
		Text: text.String(), X: x0, Y: y0,
		Width:    math.Hypot(x1-x0, y1-y0),
		Size:     size,
		Font:     gs.fontName,
		FontName: f.baseName, Embedded: f.embedded, Bold: f.bold, Italic: f.italic,
		Fill:      gs.fill,
		Invisible: gs.render == 3 || gs.render == 7,
		Artifact:  artifact, ArtifactType: artType,
		Angle:     math.Atan2(uy, ux) * 180 / math.Pi,
		Glyphs:    glyphs,
		ascent:    asc,
		descent:   desc,
		charSpace: gs.tc * gs.th * along,
	}
	if gs.render == 1 || gs.render == 5 { // stroked only
		span.Fill = gs.stroke
	}
	span.BBox = runBox(x0, y0, x1, y1, nx, ny, asc, desc)
	x.out.Text = append(x.out.Text, span)
	return matrix{1, 0, 0, 1, advance, 0}.mul(tm)
}

// runBox is the bounding box of the parallelogram from (x0,y0)–(x1,y1) along the
// baseline, extended by asc and desc along the normal (nx, ny).
func runBox(x0, y0, x1, y1, nx, ny, asc, desc float64) [4]float64 {
	pts := [4][2]float64{
		{x0 + nx*desc, y0 + ny*desc}, {x0 + nx*asc, y0 + ny*asc},
		{x1 + nx*desc, y1 + ny*desc}, {x1 + nx*asc, y1 + ny*asc},
	}
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range pts {
		b[0], b[1] = math.Min(b[0], p[0]), math.Min(b[1], p[1])
		b[2], b[3] = math.Max(b[2], p[0]), math.Max(b[3], p[1])
	}
	return b
}

// Words splits the run at spaces into words, each with its own text, position, width
// and box (the other fields are the run's).
func (s TextSpan) Words() []TextSpan {
	var out []TextSpan
	if len(s.Glyphs) == 0 {
		return out
	}
	rad := s.Angle * math.Pi / 180
	ux, uy := math.Cos(rad), math.Sin(rad)
	nx, ny := -uy, ux
	flush := func(gs []Glyph) {
		if len(gs) == 0 {
			return
		}
		var b strings.Builder
		for _, g := range gs {
			b.WriteString(g.Text)
		}
		start := gs[0].Offset
		end := gs[len(gs)-1].Offset + gs[len(gs)-1].Advance
		w := s
		w.Text = b.String()
		w.Glyphs = gs
		w.X, w.Y = s.X+ux*start, s.Y+uy*start
		w.Width = end - start
		x1, y1 := s.X+ux*end, s.Y+uy*end
		w.BBox = runBox(w.X, w.Y, x1, y1, nx, ny, s.ascent, s.descent)
		out = append(out, w)
	}
	begin := -1
	reach := 0.0 // the furthest end of a glyph of the current word
	for i, g := range s.Glyphs {
		blank := strings.TrimSpace(g.Text) == ""
		// A gap of more than a tenth of the size between glyphs, beyond the
		// character spacing, ends a word, as in pdftotext.
		if !blank && begin >= 0 && g.Offset-reach-s.charSpace > wordBreak*math.Abs(s.Size) {
			flush(s.Glyphs[begin:i])
			begin = -1
		}
		switch {
		case blank && begin >= 0:
			flush(s.Glyphs[begin:i])
			begin = -1
		case !blank && begin < 0:
			begin = i
			reach = g.Offset + g.Advance
		case !blank:
			reach = math.Max(reach, g.Offset+g.Advance)
		}
	}
	if begin >= 0 {
		flush(s.Glyphs[begin:])
	}
	return out
}

// colour applies a colour operator to the graphics state.
func (x *textExtractor) colour(gs *gstate, op string, a []Object, csRes Dict) {
	stroke := op == "G" || op == "RG" || op == "K" || op == "CS" || op == "SC" || op == "SCN"
	c, n := &gs.fill, &gs.fillN
	if stroke {
		c, n = &gs.stroke, &gs.strokeN
	}
	switch op {
	case "g", "G":
		if v, ok := nums(a, 1); ok {
			*c, *n = Color{Space: "DeviceGray", RGB: [3]float64{v[0], v[0], v[0]}}, 1
		}
	case "rg", "RG":
		if v, ok := nums(a, 3); ok {
			*c, *n = Color{Space: "DeviceRGB", RGB: [3]float64{v[0], v[1], v[2]}}, 3
		}
	case "k", "K":
		if v, ok := nums(a, 4); ok {
			*c, *n = Color{Space: "DeviceCMYK", RGB: cmykRGB(v[:4])}, 4
		}
	case "cs", "CS":
		if len(a) == 0 {
			return
		}
		name, _ := a[len(a)-1].(Name)
		space, comps := x.colourSpace(name, csRes)
		*c, *n = Color{Space: space}, comps
		if space == "DeviceCMYK" {
			c.RGB = [3]float64{0, 0, 0}
		}
	case "sc", "scn", "SC", "SCN":
		var v []float64
		for _, o := range a {
			if f, ok := Number(o); ok && len(v) < 4 {
				v = append(v, f)
			}
		}
		switch {
		case *n == 1 && len(v) >= 1:
			c.RGB = [3]float64{v[0], v[0], v[0]}
		case *n == 3 && len(v) >= 3:
			c.RGB = [3]float64{v[0], v[1], v[2]}
		case *n == 4 && len(v) >= 4:
			c.RGB = cmykRGB(v)
		}
	}
}

// colourSpace returns the family of a colour space named in a cs operator and its
// number of components (0 when it cannot be converted to RGB here).
func (x *textExtractor) colourSpace(name Name, csRes Dict) (Name, int) {
	switch name {
	case "DeviceGray", "G", "CalGray":
		return "DeviceGray", 1
	case "DeviceRGB", "RGB", "CalRGB":
		return "DeviceRGB", 3
	case "DeviceCMYK", "CMYK":
		return "DeviceCMYK", 4
	case "Pattern":
		return "Pattern", 0
	}
	return colourSpaceOf(x.d, csRes.Get(name))
}

// colourSpaceOf returns the family of a colour space object and its number of
// components (ICCBased by /N; 0 for Indexed, Separation, DeviceN and Pattern).
func colourSpaceOf(d *Document, o Object) (Name, int) {
	switch v := d.resolveQuiet(o).(type) {
	case Name:
		switch v {
		case "DeviceGray", "G", "CalGray":
			return "DeviceGray", 1
		case "DeviceRGB", "RGB", "CalRGB":
			return "DeviceRGB", 3
		case "DeviceCMYK", "CMYK":
			return "DeviceCMYK", 4
		}
		return v, 0
	case Array:
		if len(v) == 0 {
			return "", 0
		}
		fam, _ := d.resolveQuiet(v[0]).(Name)
		switch fam {
		case "ICCBased":
			if len(v) > 1 {
				if s, ok := d.resolveQuiet(v[1]).(*Stream); ok {
					n, _ := d.resolveQuiet(s.Dict.Get("N")).(Integer)
					if n == 1 || n == 3 || n == 4 {
						return fam, int(n)
					}
				}
			}
		case "CalGray":
			return fam, 1
		case "CalRGB", "Lab":
			return fam, 3
		}
		return fam, 0
	}
	return "", 0
}

func cmykRGB(v []float64) [3]float64 {
	k := v[3]
	return [3]float64{(1 - v[0]) * (1 - k), (1 - v[1]) * (1 - k), (1 - v[2]) * (1 - k)}
}

// image describes an image painted with the unit square mapped by ctm.
func (x *textExtractor) image(dict Dict, s *Stream, inline []byte, name Name, ctm matrix, csRes Dict, isInline bool) ImagePlacement {
	get := func(long, short Name) Object {
		if v := dict.Get(long); v != nil {
			return x.d.resolveQuiet(v)
		}
		if isInline {
			return x.d.resolveQuiet(dict.Get(short))
		}
		return nil
	}
	im := ImagePlacement{Name: name, Stream: s, Inline: inline, Dict: dict, CTM: [6]float64(ctm)}
	w, _ := get("Width", "W").(Integer)
	h, _ := get("Height", "H").(Integer)
	bpc, _ := get("BitsPerComponent", "BPC").(Integer)
	im.Width, im.Height, im.BitsPerComponent = int(w), int(h), int(bpc)
	if m, _ := get("ImageMask", "IM").(Bool); m {
		im.ColorSpace, im.Components, im.BitsPerComponent = "ImageMask", 1, 1
	} else {
		cs := get("ColorSpace", "CS")
		if n, ok := cs.(Name); ok && isInline {
			if _, known := map[Name]bool{"G": true, "RGB": true, "CMYK": true, "DeviceGray": true, "DeviceRGB": true, "DeviceCMYK": true, "I": true, "Indexed": true}[n]; !known {
				cs = csRes.Get(n)
			}
		}
		im.ColorSpace, im.Components = colourSpaceOf(x.d, cs)
		if a, ok := x.d.resolveQuiet(cs).(Array); ok && len(a) >= 2 {
			if fam, _ := x.d.resolveQuiet(a[0]).(Name); fam == "Indexed" || fam == "I" {
				// An indexed image has the colours of its base space.
				_, n := colourSpaceOf(x.d, a[1])
				im.ColorSpace, im.Components = "Indexed", n
			}
		}
	}
	im.SMask = dict.Get("SMask") != nil || dict.Get("Mask") != nil
	// The unit square's corners.
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range [4][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		px, py := ctm.apply(p[0], p[1])
		b[0], b[1] = math.Min(b[0], px), math.Min(b[1], py)
		b[2], b[3] = math.Max(b[2], px), math.Max(b[3], py)
	}
	im.BBox = b
	return im
}

// pathBuilder accumulates the user-space points of the current path.
type pathBuilder struct {
	minX, minY, maxX, maxY float64
	n                      int
	cx, cy                 float64 // current point (user space)
}

func (p *pathBuilder) empty() bool { return p.n == 0 }

func (p *pathBuilder) reset() { *p = pathBuilder{} }

func (p *pathBuilder) point(x, y float64) {
	if p.n >= maxPathPoints {
		return
	}
	if p.n == 0 {
		p.minX, p.minY, p.maxX, p.maxY = x, y, x, y
	} else {
		p.minX, p.minY = math.Min(p.minX, x), math.Min(p.minY, y)
		p.maxX, p.maxY = math.Max(p.maxX, x), math.Max(p.maxY, y)
	}
	p.n++
	p.cx, p.cy = x, y
}

func (p *pathBuilder) add(op string, a []Object, ctm matrix) {
	pt := func(x, y float64) { p.point(ctm.apply(x, y)) }
	switch op {
	case "m", "l":
		if v, ok := nums(a, 2); ok {
			pt(v[0], v[1])
		}
	case "c":
		if v, ok := nums(a, 6); ok {
			pt(v[0], v[1])
			pt(v[2], v[3])
			pt(v[4], v[5])
		}
	case "v", "y":
		if v, ok := nums(a, 4); ok {
			pt(v[0], v[1])
			pt(v[2], v[3])
		}
	case "re":
		if v, ok := nums(a, 4); ok {
			pt(v[0], v[1])
			pt(v[0]+v[2], v[1])
			pt(v[0], v[1]+v[3])
			pt(v[0]+v[2], v[1]+v[3])
		}
	}
}

func (p *pathBuilder) bbox() [4]float64 { return [4]float64{p.minX, p.minY, p.maxX, p.maxY} }

// wordBreak is the gap between glyphs, in ems, that separates words: poppler's
// minWordBreakSpace, so that words are pdftotext's.
const wordBreak = 0.1

// JoinRuns joins consecutive runs that continue one another on the same baseline, in
// the same font, size and colour (producers such as LibreOffice show rotated text one
// glyph at a time). A gap of more than 0.1 em between them becomes a space glyph.
func JoinRuns(spans []TextSpan) []TextSpan {
	out := make([]TextSpan, 0, len(spans))
	for i := 0; i < len(spans); {
		// The group spans[i:j] continues one run: its geometry is followed run by
		// run (each test is against the run joined so far), its text and glyphs are
		// built once at the end, so that joining n runs costs O(n), not O(n²).
		head := spans[i]
		endsBlank := strings.HasSuffix(head.Text, " ")
		var gaps []bool      // gaps[k]: a space goes before spans[i+1+k]
		var alongs []float64 // alongs[k]: where spans[i+1+k] starts along the baseline
		j := i + 1
		for ; j < len(spans) && continues(head, spans[j]); j++ {
			b := spans[j]
			rad := head.Angle * math.Pi / 180
			along := (b.X-head.X)*math.Cos(rad) + (b.Y-head.Y)*math.Sin(rad)
			gap := along - head.Width
			space := gap > wordBreak*head.Size && !endsBlank && !strings.HasPrefix(b.Text, " ")
			gaps, alongs = append(gaps, space), append(alongs, along)
			head.Width = along + b.Width
			head.BBox = [4]float64{math.Min(head.BBox[0], b.BBox[0]), math.Min(head.BBox[1], b.BBox[1]),
				math.Max(head.BBox[2], b.BBox[2]), math.Max(head.BBox[3], b.BBox[3])}
			switch {
			case b.Text != "":
				endsBlank = strings.HasSuffix(b.Text, " ")
			case space:
				endsBlank = true
			}
		}
		if j == i+1 {
			out = append(out, spans[i])
			i++
			continue
		}
		n, size := len(spans[i].Glyphs), len(spans[i].Text)
		for k, b := range spans[i+1 : j] {
			n, size = n+len(b.Glyphs), size+len(b.Text)
			if gaps[k] {
				n, size = n+1, size+1
			}
		}
		glyphs := make([]Glyph, 0, n)
		var text strings.Builder
		text.Grow(size)
		glyphs = append(glyphs, spans[i].Glyphs...)
		text.WriteString(spans[i].Text)
		width := spans[i].Width // the width joined so far, where a gap starts
		for k, b := range spans[i+1 : j] {
			along := alongs[k]
			if gaps[k] {
				glyphs = append(glyphs, Glyph{Text: " ", Offset: width, Advance: along - width})
				text.WriteByte(' ')
			}
			for _, g := range b.Glyphs {
				g.Offset += along
				glyphs = append(glyphs, g)
			}
			text.WriteString(b.Text)
			width = along + b.Width
		}
		head.Text, head.Glyphs = text.String(), glyphs
		out = append(out, head)
		i = j
	}
	return out
}

func continues(a, b TextSpan) bool {
	if a.FontName != b.FontName || a.Fill != b.Fill || a.Invisible != b.Invisible || a.Artifact != b.Artifact ||
		math.Abs(a.Size-b.Size) > 0.01*math.Max(a.Size, 1) || math.Abs(a.Angle-b.Angle) > 0.5 || a.Size <= 0 {
		return false
	}
	rad := a.Angle * math.Pi / 180
	ux, uy := math.Cos(rad), math.Sin(rad)
	dx, dy := b.X-a.X, b.Y-a.Y
	along := dx*ux + dy*uy
	across := -dx*uy + dy*ux
	gap := along - a.Width
	return math.Abs(across) < 0.05*a.Size && gap > -0.1*a.Size && gap < 0.6*a.Size
}

// TrimmedBox returns the run's box without its leading and trailing blank glyphs
// (ok false when the run is blank), without allocating.
func (s TextSpan) TrimmedBox() (box [4]float64, ok bool) {
	first, last := -1, -1
	for i, g := range s.Glyphs {
		if strings.TrimSpace(g.Text) != "" {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return box, false
	}
	rad := s.Angle * math.Pi / 180
	ux, uy := math.Cos(rad), math.Sin(rad)
	start := s.Glyphs[first].Offset
	end := s.Glyphs[last].Offset + s.Glyphs[last].Advance
	return runBox(s.X+ux*start, s.Y+uy*start, s.X+ux*end, s.Y+uy*end, -uy, ux, s.ascent, s.descent), true
}
