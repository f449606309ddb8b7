package typeset

import (
	"strings"
	"unicode/utf8"
)

// WrapOptions parameterise Wrap.
type WrapOptions struct {
	// FirstIndent narrows the first line of each paragraph.
	FirstIndent float64
	// KeepWhole, when not nil, reports words that must not be broken at a slash,
	// hyphen, comma or "@" (a date, say); they are still broken between characters
	// when longer than a line.
	KeepWhole func(word string) bool
}

// Wrap breaks s into lines no wider than width at size points: at spaces, then inside
// a word longer than a line after "/", "-" or "," or before "@" where possible, else
// between characters. Each "\n" starts a paragraph.
func (d *Doc) Wrap(st Style, size, width float64, s string, opts WrapOptions) []string {
	var lines []string
	firstIndent := opts.FirstIndent
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		cur := ""
		avail := width - firstIndent
		for _, w := range words {
			try := w
			if cur != "" {
				try = cur + " " + w
			}
			if d.Width(st, size, try) <= avail {
				cur = try
				continue
			}
			if cur != "" {
				lines = append(lines, cur)
				avail = width
			}
			for d.Width(st, size, w) > avail {
				head := d.FitPrefix(st, size, w, avail, opts.KeepWhole == nil || !opts.KeepWhole(w))
				lines = append(lines, head)
				w = w[len(head):]
				avail = width
			}
			cur = w
		}
		lines = append(lines, cur)
		firstIndent = 0
	}
	return lines
}

// FitPrefix returns the part of the word w to put on a line avail points wide: the
// longest prefix that fits and ends at a preferred break point (after "/", "-" or ",",
// before "@"; only when breaks is set), else the longest prefix that fits, but at least
// one character. It reads w once (a word of thousands of characters must not cost
// quadratic time).
func (d *Doc) FitPrefix(st Style, size float64, w string, avail float64, breaks bool) string {
	f := d.faces[st]
	units, lastBreak, lastFit := 0, 0, 0
	for i, c := range w {
		if breaks && c == '@' && i > 0 {
			lastBreak = i
		}
		g, _ := f.GlyphIndex(c)
		if f.Scale(units+f.Advance(g), size) > avail {
			break
		}
		units += f.Advance(g)
		lastFit = i + utf8.RuneLen(c)
		if breaks && (c == '/' || c == '-' || c == ',') {
			lastBreak = lastFit
		}
	}
	switch {
	case lastBreak > 0:
		return w[:lastBreak]
	case lastFit > 0:
		return w[:lastFit]
	}
	_, n := utf8.DecodeRuneInString(w)
	return w[:n]
}
