package fonts

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

// vietnameseLetters are all precomposed Vietnamese letters (NFC), lower and upper case.
const vietnameseLetters = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"

func TestFacesParseAndCoverVietnamese(t *testing.T) {
	all := vietnameseLetters + strings.ToUpper(vietnameseLetters) + "0123456789.,;:-–—/()«»“”…"
	require.Equal(t, all, norm.NFC.String(all))
	for _, st := range []Style{Regular, Bold, Italic, BoldItalic} {
		t.Run(st.String(), func(t *testing.T) {
			f, err := LiberationSerif(st)
			require.NoError(t, err)
			assert.Equal(t, "Liberation Serif", f.FamilyName())
			assert.True(t, strings.HasPrefix(f.PostScriptName(), "LiberationSerif"))
			assert.Empty(t, f.HasGlyphs(all), "Liberation Serif 2 covers every Vietnamese letter")
			m := f.Metrics()
			assert.Equal(t, 2048, m.UnitsPerEm)
			assert.Equal(t, st == Bold || st == BoldItalic, m.Bold)
			assert.Equal(t, st == Italic || st == BoldItalic, m.Italic)
			// Times New Roman metrics: space 512/2048, "H" 1479/2048 in Regular.
			if st == Regular {
				g, _ := f.GlyphIndex(' ')
				assert.Equal(t, 512, f.Advance(g))
				g, _ = f.GlyphIndex('H')
				assert.Equal(t, 1479, f.Advance(g))
				assert.InDelta(t, 13*1479.0/2048, f.StringWidth("H", 13), 1e-9)
			}
		})
	}
	// Space and no-break space, hyphen and soft hyphen have distinct glyphs (unlike
	// Tinos), so text extraction can tell them apart.
	f, err := LiberationSerif(Regular)
	require.NoError(t, err)
	sp, _ := f.GlyphIndex(' ')
	nb, _ := f.GlyphIndex('\u00A0')
	assert.NotEqual(t, sp, nb)
}

func TestSubsetKeepsGlyphIndicesAndDropsTheRest(t *testing.T) {
	f, err := LiberationSerif(Regular)
	require.NoError(t, err)
	u := NewUsage(f)
	text := "Cộng hòa xã hội chủ nghĩa Việt Nam — Ỹ"
	codes := u.Encode(text)
	require.Len(t, codes, 2*len([]rune(text)))
	prog, err := u.Subset()
	require.NoError(t, err)
	assert.Less(t, len(prog), len(serifRegular)/3, "the subset is much smaller than the font")
	sub, err := Parse(prog)
	require.NoError(t, err, "the subset is itself a valid TrueType font")
	assert.Equal(t, f.NumGlyphs(), sub.NumGlyphs(), "glyph indices are preserved")
	// Every used glyph keeps its outline; an unused one is empty.
	for _, r := range text {
		g, _ := f.GlyphIndex(r)
		assert.Equal(t, f.glyph(g), sub.glyph(g), "glyph for %q", r)
	}
	z, _ := f.GlyphIndex('Z')
	assert.NotEmpty(t, f.glyph(z))
	assert.Empty(t, sub.glyph(z))
	// Composite glyphs bring their components.
	for _, r := range "ộỸ" {
		g, _ := f.GlyphIndex(r)
		comps, err := components(f.glyph(g))
		require.NoError(t, err)
		for _, c := range comps {
			assert.NotEmpty(t, sub.glyph(c), "component %d of %q", c, r)
		}
	}
	// The checksum adjustment makes the whole file sum to 0xB1B0AFBA.
	assert.Equal(t, uint32(0xB1B0AFBA), checksum(prog))
	assert.Len(t, u.Tag(), 6)
	assert.Equal(t, strings.ToUpper(u.Tag()), u.Tag())
}

func (f *Font) glyph(g uint16) []byte { return f.tables["glyf"][f.loca[g]:f.loca[g+1]] }

func TestToUnicodeAndWidths(t *testing.T) {
	f, err := LiberationSerif(Bold)
	require.NoError(t, err)
	u := NewUsage(f)
	u.Encode("Độc lập")
	cmap := string(u.ToUnicodeCMap())
	g, _ := f.GlyphIndex('Đ')
	assert.Contains(t, cmap, "<"+hex4(g)+"> <0110>")
	g, _ = f.GlyphIndex('ộ')
	assert.Contains(t, cmap, "<"+hex4(g)+"> <1ED9>")
	assert.Contains(t, cmap, "begincodespacerange\n<0000> <FFFF>")
	w := u.Widths()
	g, _ = f.GlyphIndex(' ')
	assert.Contains(t, w, strconv.Itoa(int(g))+" [250]", "space is 250/1000 em in Times metrics")
}

func hex4(g uint16) string {
	const h = "0123456789ABCDEF"
	return string([]byte{h[g>>12], h[g>>8&15], h[g>>4&15], h[g&15]})
}

func TestParseRejectsMalformed(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":     nil,
		"not a ttf": []byte("%PDF-1.7 this is not a font"),
		"truncated": serifRegular[:4096],
		"huge table count": func() []byte {
			b := bytes.Clone(serifRegular[:64])
			binary.BigEndian.PutUint16(b[4:], 60000)
			return b
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(data)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(serifRegular[:2048])
	prog, _ := func() ([]byte, error) {
		ft, _ := LiberationSerif(Regular)
		u := NewUsage(ft)
		u.Encode("Việt")
		return u.Subset()
	}()
	f.Add(prog)
	f.Fuzz(func(t *testing.T, data []byte) {
		ft, err := Parse(data)
		if err != nil {
			return
		}
		u := NewUsage(ft)
		u.Encode("Việt Nam")
		_, _ = u.Subset()
		_ = u.ToUnicodeCMap()
		_ = u.Widths()
	})
}

func TestDescriptor(t *testing.T) {
	r, err := LiberationSerif(Regular)
	require.NoError(t, err)
	d := r.Descriptor()
	assert.Equal(t, FlagSerif|FlagNonsymbolic, d.Flags)
	assert.Equal(t, 891, d.Ascent)
	assert.Equal(t, -216, d.Descent)
	assert.Equal(t, 80, d.StemV)
	bi, err := LiberationSerif(BoldItalic)
	require.NoError(t, err)
	d = bi.Descriptor()
	assert.NotZero(t, d.Flags&FlagItalic)
	assert.Less(t, d.ItalicAngle, 0.0)
	assert.Equal(t, 140, d.StemV)
}
