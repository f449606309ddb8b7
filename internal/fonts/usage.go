package fonts

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"unicode/utf16"
)

// Usage records which glyphs a document draws with one font and which text each glyph
// stands for, and produces what a PDF Type0/CIDFontType2 font with Identity-H encoding
// needs: the two-byte codes, the subset font program with its tag, the /W widths and
// the /ToUnicode CMap. It is not safe for concurrent use.
type Usage struct {
	font  *Font
	text  map[uint16][]rune
	order []uint16
}

// NewUsage starts recording glyph use for f.
func NewUsage(f *Font) *Usage {
	return &Usage{font: f, text: make(map[uint16][]rune)}
}

// Font returns the font being recorded.
func (u *Usage) Font() *Font { return u.font }

// Encode returns s as Identity-H codes (two bytes per glyph, big-endian glyph index)
// and records the glyphs. Runes without a glyph map to .notdef; callers check with
// Font.HasGlyphs first when that matters.
func (u *Usage) Encode(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for _, r := range s {
		g, _ := u.font.GlyphIndex(r)
		if _, seen := u.text[g]; !seen && g != 0 {
			u.text[g] = []rune{r}
			u.order = append(u.order, g)
		}
		out = append(out, byte(g>>8), byte(g))
	}
	return out
}

// Glyphs returns the recorded glyphs in ascending order.
func (u *Usage) Glyphs() []uint16 {
	g := slices.Clone(u.order)
	slices.Sort(g)
	return g
}

// Tag returns the six-letter subset tag (e.g. "KQXBDA") derived from the glyph set, to
// be prefixed to the font name as "TAG+Name" as PDF 32000-1 §9.6.4 requires of subsets.
func (u *Usage) Tag() string {
	h := fnv.New64a()
	for _, g := range u.Glyphs() {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	v := h.Sum64()
	var b [6]byte
	for i := range b {
		b[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(b[:])
}

// Subset returns the subset font program for the recorded glyphs.
func (u *Usage) Subset() ([]byte, error) { return u.font.Subset(u.Glyphs()) }

// Widths returns the contents of a CIDFont /W array (without the outer brackets) for
// the recorded glyphs, in thousandths of an em.
func (u *Usage) Widths() string {
	var b strings.Builder
	gs := u.Glyphs()
	for i := 0; i < len(gs); {
		j := i
		for j+1 < len(gs) && gs[j+1] == gs[j]+1 {
			j++
		}
		fmt.Fprintf(&b, "%d [", gs[i])
		for k := i; k <= j; k++ {
			if k > i {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%d", u.width1000(gs[k]))
		}
		b.WriteString("] ")
		i = j + 1
	}
	return strings.TrimSpace(b.String())
}

// DefaultWidth returns the width of .notdef in thousandths of an em (for /DW).
func (u *Usage) DefaultWidth() int { return u.width1000(0) }

func (u *Usage) width1000(g uint16) int {
	return round(float64(u.font.Advance(g)) * 1000 / float64(u.font.metrics.UnitsPerEm))
}

// ToUnicodeCMap returns a /ToUnicode CMap mapping each recorded glyph code to the text
// it was recorded for, so text extraction returns the original (NFC) characters.
func (u *Usage) ToUnicodeCMap() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
	b.WriteString("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
	b.WriteString("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
	b.WriteString("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	gs := u.Glyphs()
	for i := 0; i < len(gs); i += 100 {
		chunk := gs[i:min(i+100, len(gs))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			fmt.Fprintf(&b, "<%04X> <", g)
			for _, c := range utf16.Encode(u.text[g]) {
				fmt.Fprintf(&b, "%04X", c)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
