package policy

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// vnDecompose is the inverse of vnCompose: a precomposed Vietnamese letter to its
// canonical decomposition. Built once from the generated table; never modified.
var vnDecompose = func() map[rune]string {
	m := make(map[rune]string, len(vnCompose))
	for d, c := range vnCompose {
		m[c] = d
	}
	return m
}()

// combiningClass returns the canonical combining class of the marks Vietnamese uses
// (horn 216, dot below 220, the others above the letter 230), 0 for anything else.
func combiningClass(r rune) int {
	switch {
	case r == '\u031b':
		return 216
	case r == '\u0323':
		return 220
	case r >= '\u0300' && r <= '\u036f':
		return 230
	}
	return 0
}

// normalizeVN composes decomposed Vietnamese letters (as typed on some systems, or
// copied from NFD text) into their precomposed form, so that "Pho\u0301" and "Phó"
// compare equal. It is a Vietnamese-only subset of Unicode NFC, written against the
// standard library because policy imports nothing else; anything it does not know is
// left as it is.
func normalizeVN(s string) string {
	hasMark := false
	for _, r := range s {
		if combiningClass(r) != 0 {
			hasMark = true
			break
		}
	}
	if !hasMark || !utf8.ValidString(s) {
		return s
	}
	runes := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(runes); {
		j := i + 1
		for j < len(runes) && combiningClass(runes[j]) != 0 {
			j++
		}
		if j == i+1 {
			b.WriteRune(runes[i])
			i = j
			continue
		}
		base := runes[i]
		var marks []rune
		if d, ok := vnDecompose[base]; ok {
			dr := []rune(d)
			base, marks = dr[0], append(marks, dr[1:]...)
		}
		marks = append(marks, runes[i+1:j]...)
		sort.SliceStable(marks, func(a, b int) bool { return combiningClass(marks[a]) < combiningClass(marks[b]) })
		if c, ok := vnCompose[string(base)+string(marks)]; ok {
			b.WriteRune(c)
		} else {
			b.WriteString(string(runes[i:j]))
		}
		i = j
	}
	return b.String()
}

// fold prepares text for comparison: Vietnamese NFC, lower case, single spaces, no
// surrounding spaces or trailing full stop.
func fold(s string) string {
	s = strings.ToLower(normalizeVN(s))
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	return strings.TrimSuffix(s, ".")
}
