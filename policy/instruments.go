package policy

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// Instrument is a legal instrument kyso's rules may cite: a national law, decree or
// circular listed in the rule book (rules.md §1), or a provincial regulation from the
// sources the rules were distilled from.
type Instrument struct {
	// Short is the name citations use, e.g. "NĐ 30/2020/NĐ-CP" or
	// "QĐ 41/2022/QĐ-UBND Quảng Ninh".
	Short string `json:"short"`
	// Title is the full Vietnamese title.
	Title string `json:"title"`
	// Scope is "national" or "provincial".
	Scope string `json:"scope"`
	// Status summarises whether it is in force, as the rule book records it.
	Status string `json:"status,omitempty"`
	// From and Until (YYYY-MM-DD) bound when it governs this regime, where known.
	From  string `json:"from,omitempty"`
	Until string `json:"until,omitempty"`
	// SupersededBy names the instrument that replaced it for this regime.
	SupersededBy string `json:"superseded_by,omitempty"`
	// Governing marks the decree that governs the government-dedicated (công vụ)
	// CA service now: NĐ 68/2024/NĐ-CP.
	Governing bool `json:"governing,omitempty"`
	// Source is where kyso found it: "rules.md §1", a seed file, or the URLs
	// (space-separated) of the web pages where it was read.
	Source string `json:"source"`
	// Match lists strings that occur verbatim in Source, so a test can confirm the
	// instrument is really there (for web pages, what the pages state; the tests
	// record the pages read, as they cannot fetch them).
	Match []string `json:"match"`
}

//go:embed data/instruments.json
var instrumentsJSON []byte

// instrumentList is parsed once from the embedded file and never modified.
var instrumentList = func() []Instrument {
	var list []Instrument
	if err := json.Unmarshal(instrumentsJSON, &list); err != nil {
		// The file is embedded at build time and covered by tests.
		panic(fmt.Sprintf("policy: embedded instruments.json: %v", err))
	}
	return list
}()

// Instruments returns the list of instruments kyso's citations may name, a copy of the
// list in rules.md §1 plus the provincial regulations. Each call returns a fresh copy.
func Instruments() []Instrument {
	out := make([]Instrument, len(instrumentList))
	for i, in := range instrumentList {
		in.Match = append([]string(nil), in.Match...)
		out[i] = in
	}
	return out
}

// Governing returns the instrument that governs the government-dedicated ("công vụ")
// CA service now (NĐ 68/2024/NĐ-CP, from 15/8/2024), as Instruments marks it.
func Governing() Instrument {
	for _, in := range instrumentList {
		if in.Governing {
			in.Match = append([]string(nil), in.Match...)
			return in
		}
	}
	return Instrument{}
}

// LookupInstrument returns the instrument with the given short name from kyso's list.
func LookupInstrument(short string) (Instrument, bool) {
	for _, in := range instrumentList {
		if in.Short == short {
			in.Match = append([]string(nil), in.Match...)
			return in, true
		}
	}
	return Instrument{}, false
}

func knownInstrument(short string) bool {
	for _, in := range instrumentList {
		if in.Short == short {
			return true
		}
	}
	return false
}
