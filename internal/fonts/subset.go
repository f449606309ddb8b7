package fonts

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
)

// Subset returns a TrueType font program holding only the given glyphs (plus glyph 0,
// .notdef, and the components of composite glyphs). Glyph indices are preserved: the
// glyphs not kept are present but empty, so a PDF can keep using the original indices
// as CIDs with /CIDToGIDMap /Identity. The result keeps the tables a PDF consumer needs
// to rasterise (head, hhea, maxp, hmtx, loca, glyf, cvt, fpgm, prep, and name, OS/2,
// post) and drops cmap and the layout tables.
func (f *Font) Subset(glyphs []uint16) ([]byte, error) {
	glyf := f.tables["glyf"]
	keep := make(map[uint16]bool, len(glyphs)+1)
	var visit func(g uint16, depth int) error
	visit = func(g uint16, depth int) error {
		if int(g) >= f.numGlyphs {
			return fmt.Errorf("fonts: subset: glyph %d out of range (font has %d)", g, f.numGlyphs)
		}
		if keep[g] {
			return nil
		}
		if depth > 8 {
			return fmt.Errorf("%w: composite glyphs nested too deep", ErrMalformed)
		}
		keep[g] = true
		comps, err := components(glyf[f.loca[g]:f.loca[g+1]])
		if err != nil {
			return err
		}
		for _, c := range comps {
			if err := visit(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(0, 0); err != nil {
		return nil, err
	}
	for _, g := range glyphs {
		if err := visit(g, 0); err != nil {
			return nil, err
		}
	}

	// New glyf and long-form loca.
	var newGlyf []byte
	newLoca := make([]byte, 4*(f.numGlyphs+1))
	for g := 0; g < f.numGlyphs; g++ {
		binary.BigEndian.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if keep[uint16(g)] {
			newGlyf = append(newGlyf, glyf[f.loca[g]:f.loca[g+1]]...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*f.numGlyphs:], uint32(len(newGlyf)))

	head := slices.Clone(f.tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0) // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1)

	out := map[string][]byte{
		"head": head,
		"hhea": f.tables["hhea"],
		"maxp": f.tables["maxp"],
		"hmtx": f.tables["hmtx"],
		"loca": newLoca,
		"glyf": newGlyf,
	}
	out["cmap"] = minimalCmap
	for _, t := range []string{"cvt ", "fpgm", "prep", "name", "OS/2", "post"} {
		if b, ok := f.tables[t]; ok {
			if t == "post" && len(b) >= 32 {
				// Keep the header only (format 3: no glyph names).
				b = slices.Clone(b[:32])
				binary.BigEndian.PutUint32(b, 0x00030000)
			}
			out[t] = b
		}
	}
	return assemble(out), nil
}

// minimalCmap is a cmap with one empty format 4 subtable (platform 3, encoding 1).
var minimalCmap = []byte{
	0, 0, 0, 1, // version, one encoding record
	0, 3, 0, 1, 0, 0, 0, 12, // Windows Unicode BMP at offset 12
	0, 4, 0, 24, 0, 0, // format 4, length 24, language 0
	0, 2, 0, 2, 0, 0, 0, 0, // segCountX2 2, searchRange 2, entrySelector 0, rangeShift 0
	0xFF, 0xFF, 0, 0, // endCode[0] 0xFFFF, reservedPad
	0xFF, 0xFF, 0, 1, 0, 0, // startCode 0xFFFF, idDelta 1, idRangeOffset 0
}

// components returns the glyph indices a composite glyph refers to (none for a simple
// or empty glyph).
func components(g []byte) ([]uint16, error) {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil, nil
	}
	var out []uint16
	p := 10
	for {
		if p+4 > len(g) {
			return nil, fmt.Errorf("%w: truncated composite glyph", ErrMalformed)
		}
		flags := binary.BigEndian.Uint16(g[p:])
		out = append(out, binary.BigEndian.Uint16(g[p+2:]))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			return out, nil
		}
		if len(out) > 64 {
			return nil, fmt.Errorf("%w: too many components", ErrMalformed)
		}
	}
}

// assemble writes an sfnt with the given tables, checksums and head's
// checkSumAdjustment.
func assemble(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	es := 0
	for 1<<(es+1) <= n {
		es++
	}
	hdr := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(hdr, 0x00010000)
	binary.BigEndian.PutUint16(hdr[4:], uint16(n))
	binary.BigEndian.PutUint16(hdr[6:], uint16(16<<es))
	binary.BigEndian.PutUint16(hdr[8:], uint16(es))
	binary.BigEndian.PutUint16(hdr[10:], uint16(16*n-16<<es))
	body := make([]byte, 0, 1<<16)
	headAt := -1
	for i, t := range tags {
		b := tables[t]
		off := len(hdr) + len(body)
		rec := hdr[12+16*i:]
		copy(rec, t)
		binary.BigEndian.PutUint32(rec[4:], checksum(b))
		binary.BigEndian.PutUint32(rec[8:], uint32(off))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(b)))
		if t == "head" {
			headAt = off
		}
		body = append(body, b...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	out := append(hdr, body...)
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
