package signature

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parsePDFDate parses a PDF date string "D:YYYYMMDDHHmmSSOHH'mm'" (ISO 32000-1 §7.9.4);
// missing parts default as the standard says.
func parsePDFDate(s string) (time.Time, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	if len(s) < 4 {
		return time.Time{}, fmt.Errorf("bad PDF date %q", s)
	}
	num := func(from, n, def int) (int, error) {
		if len(s) < from+n {
			return def, nil
		}
		return strconv.Atoi(s[from : from+n])
	}
	parts := []struct{ from, n, def int }{{0, 4, 0}, {4, 2, 1}, {6, 2, 1}, {8, 2, 0}, {10, 2, 0}, {12, 2, 0}}
	var vals [6]int
	for i, p := range parts {
		n, err := num(p.from, p.n, p.def)
		if err != nil {
			return time.Time{}, fmt.Errorf("bad PDF date %q", s)
		}
		vals[i] = n
	}
	loc := time.UTC
	if len(s) > 14 {
		tz := s[14:]
		switch tz[0] {
		case 'Z':
		case '+', '-':
			digits := strings.NewReplacer("'", "", ":", "").Replace(tz[1:])
			h, m := 0, 0
			if len(digits) >= 2 {
				h, _ = strconv.Atoi(digits[:2])
			}
			if len(digits) >= 4 {
				m, _ = strconv.Atoi(digits[2:4])
			}
			off := h*3600 + m*60
			if tz[0] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	t := time.Date(vals[0], time.Month(vals[1]), vals[2], vals[3], vals[4], vals[5], 0, loc)
	return t.UTC(), nil
}
