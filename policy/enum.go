package policy

import (
	"slices"
	"strings"
)

// parseEnum maps text to one of the canonical identifiers keyed in aliases, accepting
// the identifier itself or any of its aliases, compared after folding (Vietnamese NFC,
// lower case, single spaces).
func parseEnum(text string, aliases map[string][]string) (string, bool) {
	f := fold(text)
	for id, as := range aliases {
		if f == fold(id) {
			return id, true
		}
		for _, a := range as {
			if f == fold(a) {
				return id, true
			}
		}
	}
	return "", false
}

// enumValues lists the non-empty identifiers for an error message.
func enumValues(aliases map[string][]string) string {
	var ids []string
	for id := range aliases {
		if id != "" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return strings.Join(ids, ", ")
}
