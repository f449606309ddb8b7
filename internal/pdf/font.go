package pdf

import (
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// font is what text extraction needs of a font: how to split a string into codes, the
// text of each code and its width.
type font struct {
	composite bool
	cmap      *cmap              // the encoding CMap of a composite font (code space only)
	toUnicode *cmap              // /ToUnicode, when present
	simple    [256]string        // text of each code of a simple font (from its encoding)
	widths    map[uint32]float64 // glyph widths in thousandths of text space units
	dw        float64            // default width
	scale     float64            // glyph space to text space (1/1000, or Type 3's FontMatrix)

	// Set by loadFont (textextract_font.go) for text extraction with positions.
	baseName        string  // /BaseFont without a subset prefix
	embedded        bool    // the font program is in the file
	bold, italic    bool    // from the descriptor and the name
	ascent, descent float64 // in text space units per unit of font size
	hasWidths       bool    // /Widths or /W was given
	type3Size       float64 // poppler's guess of a Type 3 font's size factor (see type3SizeGuess)
}

// glyphNames maps the Adobe glyph names most used in Western and Vietnamese text to
// their text; single letters and digits map to themselves, uniXXXX and uXXXX names are
// decoded.
var glyphNames = map[string]string{
	"space": " ", "exclam": "!", "quotedbl": "\"", "numbersign": "#", "dollar": "$", "percent": "%",
	"ampersand": "&", "quotesingle": "'", "quoteright": "’", "parenleft": "(", "parenright": ")",
	"asterisk": "*", "plus": "+", "comma": ",", "hyphen": "-", "period": ".", "slash": "/",
	"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
	"seven": "7", "eight": "8", "nine": "9", "colon": ":", "semicolon": ";", "less": "<",
	"equal": "=", "greater": ">", "question": "?", "at": "@", "bracketleft": "[", "backslash": "\\",
	"bracketright": "]", "asciicircum": "^", "underscore": "_", "grave": "`", "quoteleft": "‘",
	"braceleft": "{", "bar": "|", "braceright": "}", "asciitilde": "~", "endash": "–", "emdash": "—",
	"quotedblleft": "“", "quotedblright": "”", "bullet": "•", "ellipsis": "…", "fi": "fi", "fl": "fl",
	"Dcroat": "Đ", "dcroat": "đ", "Ohorn": "Ơ", "ohorn": "ơ", "Uhorn": "Ư", "uhorn": "ư",
	"Abreve": "Ă", "abreve": "ă", "Acircumflex": "Â", "acircumflex": "â", "Ecircumflex": "Ê",
	"ecircumflex": "ê", "Ocircumflex": "Ô", "ocircumflex": "ô", "Aacute": "Á", "aacute": "á",
	"Agrave": "À", "agrave": "à", "Eacute": "É", "eacute": "é", "Egrave": "È", "egrave": "è",
	"Iacute": "Í", "iacute": "í", "Igrave": "Ì", "igrave": "ì", "Oacute": "Ó", "oacute": "ó",
	"Ograve": "Ò", "ograve": "ò", "Uacute": "Ú", "uacute": "ú", "Ugrave": "Ù", "ugrave": "ù",
	"Atilde": "Ã", "atilde": "ã", "Otilde": "Õ", "otilde": "õ", "Yacute": "Ý", "yacute": "ý",
	"degree": "°", "section": "§", "copyright": "©", "registered": "®", "nbspace": "\u00a0",
}

// glyphText returns the text of a glyph name ("" when unknown).
func glyphText(n Name) string {
	s := string(n)
	if i := strings.IndexByte(s, '.'); i > 0 { // "a.sc", "one.oldstyle"
		s = s[:i]
	}
	if len(s) == 1 {
		return s
	}
	if t, ok := glyphNames[s]; ok {
		return t
	}
	if strings.HasPrefix(s, "uni") && len(s) >= 7 && (len(s)-3)%4 == 0 {
		var out []rune
		for i := 3; i+4 <= len(s); i += 4 {
			v, err := strconv.ParseUint(s[i:i+4], 16, 16)
			if err != nil {
				return ""
			}
			out = append(out, rune(v))
		}
		return string(out)
	}
	if strings.HasPrefix(s, "u") && len(s) >= 5 && len(s) <= 7 {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil && v <= 0x10FFFF {
			return string(rune(v))
		}
	}
	return ""
}

// baseEncoding fills the text of a simple font's codes from a named base encoding.
func baseEncoding(name Name, out *[256]string) {
	for c := 0; c < 256; c++ {
		var r rune
		switch name {
		case "MacRomanEncoding":
			r = charmap.Macintosh.DecodeByte(byte(c))
		case "StandardEncoding":
			// ASCII letters, digits and most punctuation agree with WinAnsi; the quotes
			// differ.
			switch c {
			case 0x27:
				r = '’'
			case 0x60:
				r = '‘'
			default:
				if c < 0x80 {
					r = rune(c)
				}
			}
		default: // WinAnsiEncoding, and the default for nonsymbolic fonts
			r = charmap.Windows1252.DecodeByte(byte(c))
		}
		if r != 0 && r != 0xFFFD && (r >= 0x20 || r == '\t') {
			out[c] = string(r)
		}
	}
}

// loadFontCore reads the encoding and widths of a font dictionary for text extraction.
func (d *Document) loadFontCore(fd Dict) *font {
	f := &font{widths: map[uint32]float64{}, dw: 1000, scale: 0.001}
	sub, _ := d.resolveQuiet(fd.Get("Subtype")).(Name)
	if s, ok := d.resolveQuiet(fd.Get("ToUnicode")).(*Stream); ok {
		if data, err := d.StreamData(s); err == nil {
			f.toUnicode = parseCMap(data)
		}
	}
	if sub == "Type0" {
		f.composite = true
		switch enc := d.resolveQuiet(fd.Get("Encoding")).(type) {
		case *Stream:
			if data, err := d.StreamData(enc); err == nil {
				f.cmap = parseCMap(data)
			}
		}
		var desc Dict
		if a, ok := d.resolveQuiet(fd.Get("DescendantFonts")).(Array); ok && len(a) > 0 {
			desc, _ = d.resolveQuiet(a[0]).(Dict)
		}
		if v, ok := Number(d.resolveQuiet(desc.Get("DW"))); ok {
			f.dw = v
		}
		// /W: c [w1 w2 …] or cfirst clast w.
		w, _ := d.resolveQuiet(desc.Get("W")).(Array)
		for i := 0; i < len(w) && len(f.widths) < maxCMapEntries; {
			first, ok := d.resolveQuiet(w[i]).(Integer)
			if !ok || i+1 >= len(w) {
				break
			}
			if arr, ok := d.resolveQuiet(w[i+1]).(Array); ok {
				for k, e := range arr {
					if v, ok := Number(d.resolveQuiet(e)); ok {
						f.widths[uint32(first)+uint32(k)] = v
					}
				}
				i += 2
				continue
			}
			if i+2 >= len(w) {
				break
			}
			last, ok1 := d.resolveQuiet(w[i+1]).(Integer)
			v, ok2 := Number(d.resolveQuiet(w[i+2]))
			if ok1 && ok2 && last >= first && last-first <= 0xFFFF {
				for c := first; c <= last; c++ {
					f.widths[uint32(c)] = v
				}
			}
			i += 3
		}
		return f
	}
	// Simple fonts.
	f.dw = 500 // the standard 14 fonts carry no /Widths: assume half an em
	if desc, ok := d.resolveQuiet(fd.Get("FontDescriptor")).(Dict); ok {
		if v, ok := Number(d.resolveQuiet(desc.Get("MissingWidth"))); ok && v > 0 {
			f.dw = v
		}
	}
	if sub == "Type3" {
		if m, ok := d.resolveQuiet(fd.Get("FontMatrix")).(Array); ok && len(m) == 6 {
			if v, ok := Number(d.resolveQuiet(m[0])); ok {
				f.scale = v
			}
		}
	}
	first, _ := d.resolveQuiet(fd.Get("FirstChar")).(Integer)
	if ws, ok := d.resolveQuiet(fd.Get("Widths")).(Array); ok {
		for k, e := range ws {
			if v, ok := Number(d.resolveQuiet(e)); ok && int(first)+k < 256 {
				f.widths[uint32(int(first)+k)] = v
			}
		}
	}
	var base Name = "WinAnsiEncoding"
	var diffs Array
	named := false // an /Encoding or /BaseEncoding names the base encoding
	switch enc := d.resolveQuiet(fd.Get("Encoding")).(type) {
	case Name:
		base, named = enc, true
	case Dict:
		if b, ok := d.resolveQuiet(enc.Get("BaseEncoding")).(Name); ok {
			base, named = b, true
		}
		diffs, _ = d.resolveQuiet(enc.Get("Differences")).(Array)
	}
	bf, _ := d.resolveQuiet(fd.Get("BaseFont")).(Name)
	if builtin := builtinEncoding(stripSubset(string(bf))); builtin != nil && !named && sub != "Type3" {
		// Symbol and ZapfDingbats are not WinAnsi: without a named encoding their
		// codes are those of their built-in encoding (ISO 32000-1, 9.6.6.1).
		builtinText(builtin.enc, &f.simple)
	} else {
		baseEncoding(base, &f.simple)
	}
	// oneChar[c]: code c's glyph name is one character (a base encoding's ASCII
	// letters, or a /Differences name), for the Type 3 size guess.
	var oneChar, named256 [256]bool
	for c, t := range f.simple {
		named256[c] = t != ""
		oneChar[c] = len(t) == 1 && (t[0] >= 'A' && t[0] <= 'Z' || t[0] >= 'a' && t[0] <= 'z')
	}
	code := 0
	for _, e := range diffs {
		switch v := d.resolveQuiet(e).(type) {
		case Integer:
			code = int(v)
		case Name:
			if code >= 0 && code < 256 {
				f.simple[code] = glyphText(v)
				named256[code], oneChar[code] = true, len(v) == 1 && (v[0] >= 'A' && v[0] <= 'Z' || v[0] >= 'a' && v[0] <= 'z')
			}
			code++
		}
	}
	if sub == "Type3" {
		f.type3Size = type3SizeGuess(f, fd, d, &oneChar, &named256)
	}
	return f
}

// type3SizeGuess is poppler's guess of the size of a Type 3 font's glyphs (its
// TextOutputDev scales the font size, and so the height of word boxes, by it): the
// width of 'm' over 0.6, else of a letter over 0.5, else of any named glyph over 0.5,
// times |FontMatrix d / a|. 1 when nothing can be measured.
func type3SizeGuess(f *font, fd Dict, d *Document, oneChar, named *[256]bool) float64 {
	width := func(c int) float64 { return f.widths[uint32(c)] * f.scale }
	k := 1.0
	mCode, letter, anyCode := -1, -1, -1
	for c := 0; c < 256; c++ {
		if oneChar[c] && f.simple[c] == "m" {
			mCode = c
		}
		if letter < 0 && oneChar[c] {
			letter = c
		}
		if anyCode < 0 && named[c] && width(c) > 0 {
			anyCode = c
		}
	}
	switch {
	case mCode >= 0 && width(mCode) > 0:
		k = width(mCode) / 0.6
	case letter >= 0 && width(letter) > 0:
		k = width(letter) / 0.5
	case anyCode >= 0:
		k = width(anyCode) / 0.5
	}
	if m, ok := d.resolveQuiet(fd.Get("FontMatrix")).(Array); ok && len(m) == 6 {
		a, ok1 := Number(d.resolveQuiet(m[0]))
		dd, ok2 := Number(d.resolveQuiet(m[3]))
		if ok1 && ok2 && a != 0 {
			k *= math.Abs(dd / a)
		}
	}
	if math.IsNaN(k) || math.IsInf(k, 0) || k <= 0 || k > 100 {
		return 1
	}
	return k
}

// decode splits a shown string into codes with their text and width (in thousandths
// of text space units).
func (f *font) decode(s []byte) (codes []uint32, texts []string, widths []float64) {
	if f.composite {
		codes = f.cmap.split(s, 2)
	} else {
		codes = make([]uint32, len(s))
		for i, c := range s {
			codes[i] = uint32(c)
		}
	}
	texts = make([]string, len(codes))
	widths = make([]float64, len(codes))
	for i, c := range codes {
		if f.toUnicode != nil {
			if t, ok := f.toUnicode.unicode[c]; ok {
				texts[i] = t
			}
		}
		if texts[i] == "" && !f.composite && c < 256 {
			texts[i] = f.simple[c]
		}
		w, ok := f.widths[c]
		if !ok {
			w = f.dw
		}
		widths[i] = w
	}
	return codes, texts, widths
}
