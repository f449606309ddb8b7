package fonts

// Descriptor holds the values of a PDF font descriptor (PDF 32000-1 §9.8) in glyph space
// units (thousandths of an em), ready to write.
type Descriptor struct {
	Flags       int    // Serif | Nonsymbolic, plus Italic for italic faces
	BBox        [4]int // FontBBox
	ItalicAngle float64
	Ascent      int
	Descent     int
	CapHeight   int
	StemV       int // not stored in TrueType fonts; 80 for regular, 140 for bold weights
}

// PDF font descriptor flag bits used here.
const (
	FlagSerif       = 1 << 1
	FlagNonsymbolic = 1 << 5
	FlagItalic      = 1 << 6
)

// Descriptor returns the PDF font descriptor values of the font.
func (f *Font) Descriptor() Descriptor {
	m := f.metrics
	s := func(v int) int { return round(float64(v) * 1000 / float64(m.UnitsPerEm)) }
	d := Descriptor{
		Flags:       FlagSerif | FlagNonsymbolic,
		BBox:        [4]int{s(m.BBox[0]), s(m.BBox[1]), s(m.BBox[2]), s(m.BBox[3])},
		ItalicAngle: m.ItalicAngle,
		Ascent:      s(m.Ascent),
		Descent:     s(m.Descent),
		CapHeight:   s(m.CapHeight),
		StemV:       80,
	}
	if m.Italic {
		d.Flags |= FlagItalic
	}
	if m.Bold {
		d.StemV = 140
	}
	return d
}
