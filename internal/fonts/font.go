package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf16"
)

// ErrMalformed is returned (wrapped) by Parse when the data is not a usable TrueType
// font.
var ErrMalformed = errors.New("fonts: malformed TrueType font")

// Limits on what Parse accepts.
const (
	maxTables = 64
	maxGlyphs = 65535
)

// Metrics are the font-wide values a PDF font descriptor needs, in font units
// (UnitsPerEm per em).
type Metrics struct {
	UnitsPerEm  int
	Ascent      int    // hhea ascender
	Descent     int    // hhea descender (negative)
	LineGap     int    // hhea line gap
	CapHeight   int    // OS/2 sCapHeight, or Ascent when absent
	XHeight     int    // OS/2 sxHeight
	BBox        [4]int // head xMin, yMin, xMax, yMax
	ItalicAngle float64
	Bold        bool
	Italic      bool
}

// Font is a parsed TrueType font. It is immutable and safe for concurrent use.
type Font struct {
	data         []byte
	tables       map[string][]byte
	metrics      Metrics
	numGlyphs    int
	advances     []uint16
	cmap         map[rune]uint16
	loca         []uint32 // numGlyphs+1 offsets into glyf
	postscript   string
	familyName   string
	locaLongForm bool
}

// Parse reads a TrueType (glyf-based) font. The data is retained, not copied; the caller
// must not modify it afterwards.
func Parse(data []byte) (*Font, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, a...))
	}
	if len(data) < 12 {
		return nil, bad("too short")
	}
	if v := binary.BigEndian.Uint32(data); v != 0x00010000 && v != 0x74727565 {
		return nil, bad("not a TrueType font (version %#x)", v)
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if n > maxTables || 12+16*n > len(data) {
		return nil, bad("table directory out of range")
	}
	f := &Font{data: data, tables: make(map[string][]byte, n)}
	for i := range n {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off := int(binary.BigEndian.Uint32(rec[8:]))
		ln := int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || ln < 0 || off > len(data) || ln > len(data)-off {
			return nil, bad("table %q out of range", tag)
		}
		f.tables[tag] = data[off : off+ln]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"} {
		if _, ok := f.tables[t]; !ok {
			return nil, bad("missing %q table", t)
		}
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, bad("short head/hhea/maxp")
	}
	m := &f.metrics
	m.UnitsPerEm = int(binary.BigEndian.Uint16(head[18:]))
	if m.UnitsPerEm < 16 || m.UnitsPerEm > 16384 {
		return nil, bad("unitsPerEm %d", m.UnitsPerEm)
	}
	for i := range 4 {
		m.BBox[i] = int(int16(binary.BigEndian.Uint16(head[36+2*i:])))
	}
	macStyle := binary.BigEndian.Uint16(head[44:])
	m.Bold, m.Italic = macStyle&1 != 0, macStyle&2 != 0
	f.locaLongForm = binary.BigEndian.Uint16(head[50:]) == 1
	m.Ascent = int(int16(binary.BigEndian.Uint16(hhea[4:])))
	m.Descent = int(int16(binary.BigEndian.Uint16(hhea[6:])))
	m.LineGap = int(int16(binary.BigEndian.Uint16(hhea[8:])))
	m.CapHeight = m.Ascent
	if os2 := f.tables["OS/2"]; len(os2) >= 90 {
		m.XHeight = int(int16(binary.BigEndian.Uint16(os2[86:])))
		m.CapHeight = int(int16(binary.BigEndian.Uint16(os2[88:])))
	}
	if post := f.tables["post"]; len(post) >= 8 {
		m.ItalicAngle = float64(int32(binary.BigEndian.Uint32(post[4:]))) / 65536
	}
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	if f.numGlyphs == 0 || f.numGlyphs > maxGlyphs {
		return nil, bad("glyph count %d", f.numGlyphs)
	}
	// Advance widths.
	nh := int(binary.BigEndian.Uint16(hhea[34:]))
	hmtx := f.tables["hmtx"]
	if nh == 0 || nh > f.numGlyphs || len(hmtx) < 4*nh {
		return nil, bad("hmtx too short")
	}
	f.advances = make([]uint16, f.numGlyphs)
	for g := range f.numGlyphs {
		i := min(g, nh-1)
		f.advances[g] = binary.BigEndian.Uint16(hmtx[4*i:])
	}
	// Glyph locations.
	loca := f.tables["loca"]
	f.loca = make([]uint32, f.numGlyphs+1)
	glyfLen := uint32(len(f.tables["glyf"]))
	for g := 0; g <= f.numGlyphs; g++ {
		var off uint32
		if f.locaLongForm {
			if len(loca) < 4*(g+1) {
				return nil, bad("loca too short")
			}
			off = binary.BigEndian.Uint32(loca[4*g:])
		} else {
			if len(loca) < 2*(g+1) {
				return nil, bad("loca too short")
			}
			off = 2 * uint32(binary.BigEndian.Uint16(loca[2*g:]))
		}
		if off > glyfLen || (g > 0 && off < f.loca[g-1]) {
			return nil, bad("loca entry %d out of order or range", g)
		}
		f.loca[g] = off
	}
	var err error
	if f.cmap, err = parseCmap(f.tables["cmap"], f.numGlyphs); err != nil {
		return nil, err
	}
	f.postscript, f.familyName = parseNames(f.tables["name"])
	if f.postscript == "" {
		f.postscript = "UnnamedFont"
	}
	return f, nil
}

// PostScriptName returns the font's PostScript name (name ID 6), e.g.
// "LiberationSerif-Bold".
func (f *Font) PostScriptName() string { return f.postscript }

// FamilyName returns the font family name (name ID 1), e.g. "Liberation Serif".
func (f *Font) FamilyName() string { return f.familyName }

// Metrics returns the font-wide metrics.
func (f *Font) Metrics() Metrics { return f.metrics }

// NumGlyphs returns the number of glyphs in the font.
func (f *Font) NumGlyphs() int { return f.numGlyphs }

// GlyphIndex returns the glyph for r, and false (with glyph 0, .notdef) when the font
// has none.
func (f *Font) GlyphIndex(r rune) (uint16, bool) {
	g, ok := f.cmap[r]
	return g, ok
}

// HasGlyphs reports the runes of s the font cannot draw (nil when it can draw them all).
func (f *Font) HasGlyphs(s string) []rune {
	var missing []rune
	for _, r := range s {
		if _, ok := f.cmap[r]; !ok {
			missing = append(missing, r)
		}
	}
	return missing
}

// Advance returns the advance width of glyph g in font units (0 for an unknown glyph).
func (f *Font) Advance(g uint16) int {
	if int(g) >= len(f.advances) {
		return 0
	}
	return int(f.advances[g])
}

// StringWidth returns the width of s set at size points, in points, without kerning.
func (f *Font) StringWidth(s string, size float64) float64 {
	var units int
	for _, r := range s {
		g, _ := f.cmap[r]
		units += int(f.advances[g])
	}
	return float64(units) * size / float64(f.metrics.UnitsPerEm)
}

// Scale converts font units to points at size points.
func (f *Font) Scale(units int, size float64) float64 {
	return float64(units) * size / float64(f.metrics.UnitsPerEm)
}

func parseCmap(t []byte, numGlyphs int) (map[rune]uint16, error) {
	bad := func(s string) error { return fmt.Errorf("%w: cmap: %s", ErrMalformed, s) }
	if len(t) < 4 {
		return nil, bad("too short")
	}
	n := int(binary.BigEndian.Uint16(t[2:]))
	if len(t) < 4+8*n {
		return nil, bad("encoding records out of range")
	}
	var best []byte
	bestRank := 0
	for i := range n {
		rec := t[4+8*i:]
		pid, eid := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if off < 0 || off+4 > len(t) {
			continue
		}
		sub := t[off:]
		format := binary.BigEndian.Uint16(sub)
		rank := 0
		switch {
		case format == 12 && (pid == 3 && eid == 10 || pid == 0):
			rank = 3
		case format == 4 && (pid == 3 && eid == 1 || pid == 0):
			rank = 2
		}
		if rank > bestRank {
			best, bestRank = sub, rank
		}
	}
	if best == nil {
		return nil, bad("no Unicode subtable (format 4 or 12)")
	}
	m := make(map[rune]uint16, 4096)
	put := func(r rune, g int) {
		if g > 0 && g < numGlyphs {
			if _, dup := m[r]; !dup {
				m[r] = uint16(g)
			}
		}
	}
	switch binary.BigEndian.Uint16(best) {
	case 4:
		if len(best) < 14 {
			return nil, bad("format 4 too short")
		}
		segX2 := int(binary.BigEndian.Uint16(best[6:]))
		if segX2%2 != 0 || len(best) < 16+4*segX2 {
			return nil, bad("format 4 segments out of range")
		}
		ends := best[14:]
		starts := best[16+segX2:]
		deltas := best[16+2*segX2:]
		rangeOffs := best[16+3*segX2:]
		for s := 0; s < segX2; s += 2 {
			end := int(binary.BigEndian.Uint16(ends[s:]))
			start := int(binary.BigEndian.Uint16(starts[s:]))
			delta := int(binary.BigEndian.Uint16(deltas[s:]))
			ro := int(binary.BigEndian.Uint16(rangeOffs[s:]))
			for c := start; c <= end && c != 0xFFFF; c++ {
				var g int
				if ro == 0 {
					g = (c + delta) & 0xFFFF
				} else {
					at := 16 + 3*segX2 + s + ro + 2*(c-start)
					if at+2 > len(best) {
						return nil, bad("format 4 glyph index out of range")
					}
					g = int(binary.BigEndian.Uint16(best[at:]))
					if g != 0 {
						g = (g + delta) & 0xFFFF
					}
				}
				put(rune(c), g)
			}
		}
	case 12:
		if len(best) < 16 {
			return nil, bad("format 12 too short")
		}
		ng := int(binary.BigEndian.Uint32(best[12:]))
		if ng < 0 || ng > (len(best)-16)/12 {
			return nil, bad("format 12 groups out of range")
		}
		for i := range ng {
			grp := best[16+12*i:]
			start := binary.BigEndian.Uint32(grp)
			end := binary.BigEndian.Uint32(grp[4:])
			g := int(binary.BigEndian.Uint32(grp[8:]))
			if end < start || end > 0x10FFFF || end-start > 0x10000 {
				return nil, bad("format 12 group out of range")
			}
			for c := start; c <= end; c++ {
				put(rune(c), g+int(c-start))
			}
		}
	}
	return m, nil
}

// parseNames returns the PostScript name (ID 6) and family name (ID 1), preferring the
// Windows Unicode records.
func parseNames(t []byte) (ps, family string) {
	if len(t) < 6 {
		return "", ""
	}
	count := int(binary.BigEndian.Uint16(t[2:]))
	strOff := int(binary.BigEndian.Uint16(t[4:]))
	for i := range count {
		rec := 6 + 12*i
		if rec+12 > len(t) {
			break
		}
		pid := binary.BigEndian.Uint16(t[rec:])
		nameID := binary.BigEndian.Uint16(t[rec+6:])
		ln := int(binary.BigEndian.Uint16(t[rec+8:]))
		off := strOff + int(binary.BigEndian.Uint16(t[rec+10:]))
		if off+ln > len(t) || (nameID != 1 && nameID != 6) {
			continue
		}
		raw := t[off : off+ln]
		var s string
		if pid == 3 || pid == 0 {
			u := make([]uint16, len(raw)/2)
			for j := range u {
				u[j] = binary.BigEndian.Uint16(raw[2*j:])
			}
			s = string(utf16.Decode(u))
		} else {
			s = string(raw)
		}
		if nameID == 6 && ps == "" {
			ps = sanitizePSName(s)
		}
		if nameID == 1 && family == "" {
			family = s
		}
	}
	return ps, family
}

func sanitizePSName(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= 32 || r >= 127 || strings.ContainsRune("[](){}<>/%", r) {
			return -1
		}
		return r
	}, s)
}

// round rounds half away from zero.
func round(v float64) int { return int(math.Round(v)) }
