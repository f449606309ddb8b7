package pdf

import (
	"strings"
	"unicode/utf8"
)

// loadFont reads a font dictionary for text extraction: its encoding and widths
// (loadFontCore), then its name, whether it is embedded, its style, its ascent and
// descent, and standard 14 widths when the file gives none.
func (d *Document) loadFont(fd Dict) *font {
	f := d.loadFontCore(fd)
	sub, _ := d.resolveQuiet(fd.Get("Subtype")).(Name)
	base, _ := d.resolveQuiet(fd.Get("BaseFont")).(Name)
	desc, _ := d.resolveQuiet(fd.Get("FontDescriptor")).(Dict)
	f.hasWidths = fd.Get("Widths") != nil
	if sub == "Type0" {
		if a, ok := d.resolveQuiet(fd.Get("DescendantFonts")).(Array); ok && len(a) > 0 {
			if df, ok := d.resolveQuiet(a[0]).(Dict); ok {
				desc, _ = d.resolveQuiet(df.Get("FontDescriptor")).(Dict)
				f.hasWidths = df.Get("W") != nil || df.Get("DW") != nil
			}
		}
	}
	f.baseName = stripSubset(string(base))
	f.embedded = sub == "Type3" || desc.Get("FontFile") != nil || desc.Get("FontFile2") != nil || desc.Get("FontFile3") != nil
	lower := strings.ToLower(f.baseName)
	f.bold = strings.Contains(lower, "bold") || strings.Contains(lower, "black") || strings.Contains(lower, "heavy")
	f.italic = strings.Contains(lower, "italic") || strings.Contains(lower, "oblique")
	if flags, ok := d.resolveQuiet(desc.Get("Flags")).(Integer); ok {
		f.bold = f.bold || flags&(1<<18) != 0
		f.italic = f.italic || flags&(1<<6) != 0
	}
	if w, ok := Number(d.resolveQuiet(desc.Get("FontWeight"))); ok && w >= 600 {
		f.bold = true
	}
	if a, ok := Number(d.resolveQuiet(desc.Get("ItalicAngle"))); ok && a != 0 {
		f.italic = true
	}
	// Ascent and descent as poppler reads them: the descriptor's values when sane, the
	// built-in metrics for a non-embedded standard font, else 0.95 and -0.35.
	f.ascent, f.descent = 0.95, -0.35
	if v, ok := Number(d.resolveQuiet(desc.Get("Ascent"))); ok {
		v = abs01(v) * 0.001
		if v != 0 && v < 3 {
			f.ascent = v
		}
	}
	if v, ok := Number(d.resolveQuiet(desc.Get("Descent"))); ok {
		v *= 0.001
		if v > 0 {
			v = -v
		}
		if v != 0 && v > -3 {
			f.descent = v
		}
	}
	std := standardFamily(f.baseName)
	if std != "" && !f.embedded {
		switch std {
		case "Courier":
			f.ascent, f.descent = 0.629, -0.157
		case "Helvetica":
			f.ascent, f.descent = 0.718, -0.207
		case "Times":
			f.ascent, f.descent = 0.683, -0.217
		}
	}
	if bi := builtinEncoding(f.baseName); bi != nil && sub != "Type0" && sub != "Type3" {
		// Symbol and ZapfDingbats: poppler's built-in metrics (the fonts' bounding
		// boxes) and the AFM widths by glyph.
		if !f.embedded {
			f.ascent, f.descent = bi.ascent, bi.descent
		}
		if !f.hasWidths {
			f.dw = 0
			byText := make(map[string]float64, len(bi.enc))
			for _, g := range bi.enc {
				byText[string(g.r)] = float64(g.w)
			}
			for c := range 256 {
				if w, ok := byText[f.simple[c]]; ok && f.simple[c] != "" {
					f.widths[uint32(c)] = w
				}
			}
		}
	}
	if sub == "Type3" {
		// poppler's defaults, scaled by its guess of the glyphs' size.
		k := f.type3Size
		if k <= 0 {
			k = 1
		}
		f.ascent, f.descent = 0.95*k, -0.35*k
	}
	if sub != "Type0" && !f.hasWidths && std != "" {
		// As poppler: a glyph the built-in metrics lack has no width.
		f.dw = 0
		var table map[rune]uint16
		switch std {
		case "Times":
			switch {
			case f.bold && f.italic:
				table = timesBoldItalicWidths
			case f.bold:
				table = timesBoldWidths
			case f.italic:
				table = timesItalicWidths
			default:
				table = timesRomanWidths
			}
		case "Helvetica":
			table = helveticaWidths
			if f.bold {
				table = helveticaBoldWidths
			}
		}
		extra := latinExtra[std+boolKey(f.bold, f.italic)]
		for c := 0; c < 256; c++ {
			t := f.simple[c]
			if std == "Courier" {
				if t != "" {
					f.widths[uint32(c)] = 600
				}
				continue
			}
			r, n := utf8.DecodeRuneInString(t)
			if n == 0 || n != len(t) {
				continue
			}
			if w, ok := table[r]; ok {
				f.widths[uint32(c)] = float64(w)
			} else if w, ok := extra[r]; ok {
				f.widths[uint32(c)] = float64(w)
			}
		}
	}
	return f
}

func abs01(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// stripSubset removes a subset tag ("ABCDEF+") from a font name.
func stripSubset(s string) string {
	if len(s) > 7 && s[6] == '+' {
		for i := 0; i < 6; i++ {
			if s[i] < 'A' || s[i] > 'Z' {
				return s
			}
		}
		return s[7:]
	}
	return s
}

// standardFamily returns "Times", "Helvetica" or "Courier" when a font name is one of
// the standard 14 fonts of those families or a common alias (Arial, Times New Roman,
// Courier New), else "".
func standardFamily(name string) string {
	n := strings.ToLower(strings.NewReplacer(" ", "", "-", "", ",", "").Replace(name))
	switch {
	case strings.HasPrefix(n, "courier"):
		return "Courier"
	case strings.HasPrefix(n, "helvetica"), strings.HasPrefix(n, "arial"):
		return "Helvetica"
	case strings.HasPrefix(n, "times"):
		return "Times"
	}
	return ""
}

// defaultFont is used when text is shown without a font: WinAnsi, half an em per glyph.
func defaultFont() *font {
	f := &font{widths: map[uint32]float64{}, dw: 500, scale: 0.001, ascent: 0.95, descent: -0.35}
	baseEncoding("WinAnsiEncoding", &f.simple)
	return f
}

func boolKey(bold, italic bool) string {
	switch {
	case bold && italic:
		return "-BoldItalic"
	case bold:
		return "-Bold"
	case italic:
		return "-Italic"
	}
	return ""
}

// latinExtra holds the widths of Vietnamese letters of the Adobe Latin character set
// that groff's tables lack (from the Adobe core 14 AFM files).
var latinExtra = map[string]map[rune]uint16{
	"Times":                {'Đ': 722, 'đ': 500, 'Ă': 722, 'ă': 444},
	"Times-Bold":           {'Đ': 722, 'đ': 556, 'Ă': 722, 'ă': 500},
	"Times-Italic":         {'Đ': 722, 'đ': 500, 'Ă': 611, 'ă': 500},
	"Times-BoldItalic":     {'Đ': 722, 'đ': 500, 'Ă': 667, 'ă': 500},
	"Helvetica":            {'Đ': 722, 'đ': 556, 'Ă': 667, 'ă': 556},
	"Helvetica-Italic":     {'Đ': 722, 'đ': 556, 'Ă': 667, 'ă': 556},
	"Helvetica-Bold":       {'Đ': 722, 'đ': 611, 'Ă': 722, 'ă': 556},
	"Helvetica-BoldItalic": {'Đ': 722, 'đ': 611, 'Ă': 722, 'ă': 556},
}
