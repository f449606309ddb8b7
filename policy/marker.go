package policy

import (
	"strings"
)

// AuthorityMarker is the abbreviation written before the title in the signature block
// (ô 7a) when a person signs other than in their own right (Nghị định 30/2020 Phụ lục I
// Phần I mục II k7).
type AuthorityMarker string

// The authority markers.
const (
	// MarkerOnBehalfOf is "TM." (thay mặt): signing on behalf of a collective body.
	MarkerOnBehalfOf AuthorityMarker = "TM."
	// MarkerDeputy is "KT." (ký thay): a deputy signing for the head.
	MarkerDeputy AuthorityMarker = "KT."
	// MarkerByOrder is "TL." (thừa lệnh): signing by order of the head.
	MarkerByOrder AuthorityMarker = "TL."
	// MarkerByDelegation is "TUQ." (thừa ủy quyền): signing under the head's
	// delegation.
	MarkerByDelegation AuthorityMarker = "TUQ."
	// MarkerActing is "Q." (quyền): the acting head.
	MarkerActing AuthorityMarker = "Q."
)

var markerAliases = map[string][]string{
	string(MarkerOnBehalfOf):   {"TM", "thay mặt"},
	string(MarkerDeputy):       {"KT", "ký thay"},
	string(MarkerByOrder):      {"TL", "thừa lệnh"},
	string(MarkerByDelegation): {"TUQ", "thừa ủy quyền", "thừa uỷ quyền"},
	string(MarkerActing):       {"Q", "quyền"},
}

// Valid reports whether m is one of the five markers.
func (m AuthorityMarker) Valid() bool { _, ok := markerAliases[string(m)]; return ok }

// Vietnamese returns the marker's meaning in Vietnamese.
func (m AuthorityMarker) Vietnamese() string {
	switch m {
	case MarkerOnBehalfOf:
		return "thay mặt"
	case MarkerDeputy:
		return "ký thay"
	case MarkerByOrder:
		return "thừa lệnh"
	case MarkerByDelegation:
		return "thừa ủy quyền"
	case MarkerActing:
		return "quyền"
	}
	return string(m)
}

// UnmarshalText accepts "KT.", "KT", "ký thay" and the like.
func (m *AuthorityMarker) UnmarshalText(b []byte) error {
	id, ok := parseEnum(string(b), markerAliases)
	if !ok {
		return &RequestError{Field: "markers", Value: string(b), Reason: "unknown authority marker; use TM., KT., TL., TUQ. or Q."}
	}
	*m = AuthorityMarker(id)
	return nil
}

// Title is a signer's title split into the authority markers written before it and the
// position itself, e.g. "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" → [KT.] and "Phó Giám đốc".
type Title struct {
	Markers  []AuthorityMarker // the markers in the order written
	Position string            // the signer's own position, e.g. "Phó Giám đốc"
}

// ParseTitle splits a title or signature block into its markers and the signer's own
// position. Lines (or parts separated by "/" or "|") that start with markers name the
// body or head signed for; the position is the last part without a marker, or, when
// every part has one, what follows the last marker ("Q. Giám đốc" → Giám đốc). Text is
// compared after Vietnamese normalisation, so decomposed input is accepted.
func ParseTitle(s string) Title {
	var t Title
	lastRest := ""
	parts := strings.FieldsFunc(normalizeVN(s), func(r rune) bool { return r == '\n' || r == '\r' || r == '/' || r == '|' })
	for _, part := range parts {
		rest := strings.TrimSpace(part)
		if rest == "" {
			continue
		}
		marked := false
		for {
			m, after, ok := cutMarker(rest)
			if !ok {
				break
			}
			t.Markers = append(t.Markers, m)
			rest, marked = after, true
		}
		if marked {
			lastRest = rest
		} else {
			t.Position = rest
		}
	}
	if t.Position == "" {
		t.Position = lastRest
	}
	return t
}

// cutMarker removes one leading marker ("KT." or "KT " …) from s.
func cutMarker(s string) (AuthorityMarker, string, bool) {
	s = strings.TrimSpace(s)
	for _, m := range []AuthorityMarker{MarkerByDelegation, MarkerOnBehalfOf, MarkerDeputy, MarkerByOrder, MarkerActing} {
		abbr := strings.TrimSuffix(string(m), ".")
		if len(s) <= len(abbr) || !strings.EqualFold(s[:len(abbr)], abbr) {
			continue
		}
		if s[len(abbr)] == '.' {
			return m, strings.TrimSpace(s[len(abbr)+1:]), true
		}
	}
	return "", s, false
}

// rank is what a position says about its holder's place: a head, a deputy (Phó …) or
// an acting head (Quyền …).
type rank int

const (
	rankHead rank = iota
	rankDeputy
	rankActing
)

func positionRank(position string) rank {
	p := fold(position)
	switch {
	case strings.HasPrefix(p, "phó ") || p == "phó":
		return rankDeputy
	case strings.HasPrefix(p, "quyền ") || strings.HasPrefix(p, "q. "):
		return rankActing
	}
	return rankHead
}

func hasMarker(ms []AuthorityMarker, m AuthorityMarker) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}
