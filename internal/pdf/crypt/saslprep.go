package crypt

// Password preparation: SASLprep (RFC 4013, a profile of RFC 3454 stringprep) for the
// UTF-8 passwords of revisions 5 and 6, and PDFDocEncoding for the byte passwords of
// revisions 2 to 4.

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// maxPasswordAES256 is the limit on a revision 5 or 6 password, in UTF-8 bytes.
const maxPasswordAES256 = 127

// runeRange is an inclusive range of code points.
type runeRange struct{ lo, hi rune }

func inRanges(r rune, table []runeRange) bool {
	for _, rr := range table {
		if r >= rr.lo && r <= rr.hi {
			return true
		}
	}
	return false
}

// mappedToNothing is RFC 3454 table B.1.
var mappedToNothing = []runeRange{
	{0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x1806, 0x1806}, {0x180B, 0x180D},
	{0x200B, 0x200D}, {0x2060, 0x2060}, {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF},
}

// nonASCIISpace is RFC 3454 table C.1.2, mapped to U+0020 by SASLprep.
var nonASCIISpace = []runeRange{
	{0x00A0, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200B}, {0x202F, 0x202F},
	{0x205F, 0x205F}, {0x3000, 0x3000},
}

// prohibited is RFC 3454 tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and
// C.9, the output SASLprep prohibits.
var prohibited = []runeRange{
	// C.1.2 non-ASCII space (mapped away before this check, listed for completeness)
	{0x00A0, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200B}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000},
	// C.2.1 ASCII control
	{0x0000, 0x001F}, {0x007F, 0x007F},
	// C.2.2 non-ASCII control
	{0x0080, 0x009F}, {0x06DD, 0x06DD}, {0x070F, 0x070F}, {0x180E, 0x180E}, {0x200C, 0x200D},
	{0x2028, 0x2029}, {0x2060, 0x2063}, {0x206A, 0x206F}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFC},
	{0x1D173, 0x1D17A},
	// C.3 private use
	{0xE000, 0xF8FF}, {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD},
	// C.4 non-character code points (the plane-final pairs are checked in isProhibited)
	{0xFDD0, 0xFDEF},
	// C.5 surrogate codes
	{0xD800, 0xDFFF},
	// C.6 inappropriate for plain text
	{0xFFF9, 0xFFFD},
	// C.7 inappropriate for canonical representation
	{0x2FF0, 0x2FFB},
	// C.8 change display properties or deprecated
	{0x0340, 0x0341}, {0x200E, 0x200F}, {0x202A, 0x202E}, {0x206A, 0x206F},
	// C.9 tagging characters
	{0xE0001, 0xE0001}, {0xE0020, 0xE007F},
}

func isProhibited(r rune) bool {
	if r&0xFFFE == 0xFFFE { // C.4: U+xFFFE and U+xFFFF in every plane
		return true
	}
	return inRanges(r, prohibited)
}

// saslPrep prepares a password per RFC 4013 (stored strings are not required, so
// unassigned code points are allowed, as for queries). ok is false when the password
// is not valid UTF-8 or holds prohibited characters or a bidirectional mix RFC 3454
// §6 forbids.
func saslPrep(pw []byte) (prepared []byte, ok bool) {
	if !utf8.Valid(pw) {
		return nil, false
	}
	// Mapping (RFC 4013 §2.1): B.1 to nothing, C.1.2 to SPACE.
	mapped := make([]rune, 0, len(pw))
	for _, r := range string(pw) {
		switch {
		case inRanges(r, mappedToNothing):
		case inRanges(r, nonASCIISpace):
			mapped = append(mapped, ' ')
		default:
			mapped = append(mapped, r)
		}
	}
	// Normalisation (§2.2): form KC.
	s := norm.NFKC.String(string(mapped))
	// Prohibited output (§2.3) and bidirectional characters (§2.4).
	var hasRandAL, hasL, firstRandAL, lastRandAL bool
	for i, r := range s {
		if isProhibited(r) {
			return nil, false
		}
		p, _ := bidi.LookupRune(r)
		isRandAL := p.Class() == bidi.R || p.Class() == bidi.AL
		hasRandAL = hasRandAL || isRandAL
		hasL = hasL || p.Class() == bidi.L
		if i == 0 {
			firstRandAL = isRandAL
		}
		lastRandAL = isRandAL
	}
	if hasRandAL && (hasL || !firstRandAL || !lastRandAL) {
		return nil, false
	}
	return []byte(s), true
}

// truncateUTF8 cuts b to at most n bytes without splitting a UTF-8 sequence.
func truncateUTF8(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	i := n
	for i > 0 && !utf8.RuneStart(b[i]) {
		i--
	}
	return b[:i]
}

// passwordsAES256 returns the candidate byte strings for a revision 5 or 6 password:
// the SASLprep form, then the raw bytes when they differ (for writers that skip the
// preparation), each cut to 127 bytes.
func passwordsAES256(pw []byte) [][]byte {
	raw := truncateUTF8(pw, maxPasswordAES256)
	prep, ok := saslPrep(pw)
	if !ok {
		return [][]byte{raw}
	}
	prep = truncateUTF8(prep, maxPasswordAES256)
	if string(prep) == string(raw) {
		return [][]byte{prep}
	}
	return [][]byte{prep, raw}
}

// pdfDocSpecial maps the code points PDFDocEncoding places outside Latin-1's positions.
var pdfDocSpecial = map[rune]byte{
	0x02D8: 0x18, 0x02C7: 0x19, 0x02C6: 0x1A, 0x02D9: 0x1B, 0x02DD: 0x1C, 0x02DB: 0x1D,
	0x02DA: 0x1E, 0x02DC: 0x1F, 0x2022: 0x80, 0x2020: 0x81, 0x2021: 0x82, 0x2026: 0x83,
	0x2014: 0x84, 0x2013: 0x85, 0x0192: 0x86, 0x2044: 0x87, 0x2039: 0x88, 0x203A: 0x89,
	0x2212: 0x8A, 0x2030: 0x8B, 0x201E: 0x8C, 0x201C: 0x8D, 0x201D: 0x8E, 0x2018: 0x8F,
	0x2019: 0x90, 0x201A: 0x91, 0x2122: 0x92, 0xFB01: 0x93, 0xFB02: 0x94, 0x0141: 0x95,
	0x0152: 0x96, 0x0160: 0x97, 0x0178: 0x98, 0x017D: 0x99, 0x0131: 0x9A, 0x0142: 0x9B,
	0x0153: 0x9C, 0x0161: 0x9D, 0x017E: 0x9E, 0x20AC: 0xA0,
}

// toPDFDoc converts a UTF-8 password to PDFDocEncoding; ok is false when a character
// has no PDFDocEncoding byte.
func toPDFDoc(pw []byte) (out []byte, ok bool) {
	if !utf8.Valid(pw) {
		return nil, false
	}
	s := norm.NFC.String(string(pw))
	out = make([]byte, 0, len(s))
	for _, r := range s {
		switch b, special := pdfDocSpecial[r]; {
		case special:
			out = append(out, b)
		case r < 0x18 || (r >= 0x20 && r < 0x7F) || (r >= 0xA1 && r <= 0xFF && r != 0xAD):
			out = append(out, byte(r))
		default:
			return nil, false
		}
	}
	return out, true
}

// pdfDocPassword returns the PDFDocEncoding form of a UTF-8 password when there is
// one, else the password as given: what a revision 2 to 4 writer stores.
func pdfDocPassword(pw []byte) []byte {
	c := passwordsMD5(pw)
	return c[len(c)-1]
}

// passwordsMD5 returns the candidate byte strings for a revision 2 to 4 password: the
// bytes as given, then their PDFDocEncoding form when they are UTF-8 text outside ASCII
// that PDFDocEncoding can represent.
func passwordsMD5(pw []byte) [][]byte {
	out := [][]byte{pw}
	if doc, ok := toPDFDoc(pw); ok && string(doc) != string(pw) {
		out = append(out, doc)
	}
	return out
}
