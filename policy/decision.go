package policy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Outcome is what a rule concluded about a request.
type Outcome string

// Outcomes.
const (
	// OutcomeViolated: the rule forbids the signature; the decision refuses.
	OutcomeViolated Outcome = "violated"
	// OutcomeWarning: a fact the rule needs is missing or doubtful; the decision is
	// not refused on this account, but the reader should look.
	OutcomeWarning Outcome = "warning"
	// OutcomeSatisfied: the rule applies and is met.
	OutcomeSatisfied Outcome = "satisfied"
)

// Reason is one rule's conclusion about a request, with the sentence for this case in
// Vietnamese and English and the legal basis: Citation is the primary one (under a
// province profile, the province's own article when it restates the rule), SeeAlso the
// others.
type Reason struct {
	Rule      string     // the rule's identifier, e.g. RuleOrgSealAfterAuthority
	Outcome   Outcome    // violated, warning or satisfied
	MessageVI string     // what the rule found in this case, in Vietnamese
	MessageEN string     // the same in English
	Citation  Citation   // the primary legal basis
	SeeAlso   []Citation // the other citations of the rule
}

type reasonJSON struct {
	Rule      string         `json:"rule"`
	Outcome   Outcome        `json:"outcome"`
	MessageVI string         `json:"message_vi"`
	MessageEN string         `json:"message_en"`
	Citation  citationJSON   `json:"citation"`
	SeeAlso   []citationJSON `json:"see_also,omitempty"`
}

// MarshalJSON writes rule, outcome, message_vi, message_en, citation (an object with
// its rendered "text") and see_also.
func (r Reason) MarshalJSON() ([]byte, error) {
	j := reasonJSON{Rule: r.Rule, Outcome: r.Outcome, MessageVI: r.MessageVI, MessageEN: r.MessageEN, Citation: withText(r.Citation)}
	for _, c := range r.SeeAlso {
		j.SeeAlso = append(j.SeeAlso, withText(c))
	}
	return json.Marshal(j)
}

// Decision answers a Request.
//
// Allowed is true when no rule is violated; warnings do not refuse. Placement is where
// the permitted signature goes (PlacementNone when refused). Reasons lists every
// rule that applied: violations first, then warnings, then the rules satisfied, each in
// catalogue order. Err is set, with Allowed false and no reasons, when the request was
// malformed (it matches ErrInvalidRequest) or the context was done.
type Decision struct {
	Allowed   bool      // no rule is violated
	Placement Placement // where the signature goes; PlacementNone when refused
	Profile   string    // the id of the profile the engine applied
	Reasons   []Reason  // violations, then warnings, then the rules satisfied
	Err       error     // a malformed request or a done context; nil otherwise
}

// Violations returns the reasons that refuse the signature.
func (d Decision) Violations() []Reason { return d.withOutcome(OutcomeViolated) }

// Warnings returns the reasons that do not refuse but call for a look.
func (d Decision) Warnings() []Reason { return d.withOutcome(OutcomeWarning) }

func (d Decision) withOutcome(o Outcome) []Reason {
	var out []Reason
	for _, r := range d.Reasons {
		if r.Outcome == o {
			out = append(out, r)
		}
	}
	return out
}

// RuleIDs returns the identifiers of the reasons with the given outcome, in order.
func (d Decision) RuleIDs(o Outcome) []string {
	var ids []string
	for _, r := range d.withOutcome(o) {
		ids = append(ids, r.Rule)
	}
	return ids
}

// AsError returns nil when the signature is allowed, d.Err when the request could not
// be decided, and otherwise a *RefusalError (matching ErrRefused) carrying d. A
// signing hook returns it.
func (d Decision) AsError() error {
	switch {
	case d.Err != nil:
		return d.Err
	case d.Allowed:
		return nil
	}
	return &RefusalError{Decision: d}
}

// Vietnamese renders the decision as a short paragraph a clerk can read: the answer,
// where the signature goes, why (each reason with its citation), and what to check.
func (d Decision) Vietnamese() string {
	if d.Err != nil {
		return "Không đưa ra được quyết định: " + d.Err.Error()
	}
	var b strings.Builder
	if d.Allowed {
		fmt.Fprintf(&b, "ĐƯỢC KÝ. Vị trí: %s.", d.Placement.Vietnamese())
	} else {
		b.WriteString("KHÔNG ĐƯỢC KÝ.")
		for _, r := range d.Violations() {
			b.WriteString(" " + cited(r.MessageVI, r.Citation))
		}
	}
	if w := d.Warnings(); len(w) > 0 {
		b.WriteString(" Lưu ý:")
		for _, r := range w {
			b.WriteString(" " + cited(r.MessageVI, r.Citation))
		}
	}
	if d.Allowed {
		if basis := d.basis(); basis != "" {
			b.WriteString(" Căn cứ: " + basis + ".")
		}
	}
	return b.String()
}

// cited puts a citation inside the sentence it supports: "… văn bản (NĐ 30/2020/NĐ-CP,
// Điều 32 k2 d)."
func cited(sentence string, c Citation) string {
	return strings.TrimRight(sentence, ". ") + " (" + c.String() + ")."
}

// basis lists the primary citations of the satisfied rules, grouped by instrument:
// "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 5 k7, Điều 20 k5; NĐ 68/2024/NĐ-CP".
func (d Decision) basis() string {
	var order []string
	locs := map[string][]string{}
	for _, r := range d.withOutcome(OutcomeSatisfied) {
		c := r.Citation
		if _, ok := locs[c.Instrument]; !ok {
			order = append(order, c.Instrument)
			locs[c.Instrument] = nil
		}
		if l := c.Locator(); l != "" && !slices.Contains(locs[c.Instrument], l) {
			locs[c.Instrument] = append(locs[c.Instrument], l)
		}
	}
	parts := make([]string, len(order))
	for i, in := range order {
		parts[i] = strings.Join(append([]string{in}, locs[in]...), ", ")
	}
	return strings.Join(parts, "; ")
}

// English renders the same paragraph in English.
func (d Decision) English() string {
	if d.Err != nil {
		return "No decision: " + d.Err.Error()
	}
	var b strings.Builder
	if d.Allowed {
		fmt.Fprintf(&b, "ALLOWED. Placement: %s.", d.Placement)
	} else {
		b.WriteString("REFUSED.")
		for _, r := range d.Violations() {
			b.WriteString(" " + cited(r.MessageEN, r.Citation))
		}
	}
	if w := d.Warnings(); len(w) > 0 {
		b.WriteString(" Note:")
		for _, r := range w {
			b.WriteString(" " + cited(r.MessageEN, r.Citation))
		}
	}
	if d.Allowed {
		if basis := d.basis(); basis != "" {
			b.WriteString(" Basis: " + basis + ".")
		}
	}
	return b.String()
}

type decisionJSON struct {
	Allowed       bool      `json:"allowed"`
	Placement     Placement `json:"placement"`
	Profile       string    `json:"profile"`
	Reasons       []Reason  `json:"reasons"`
	ExplanationVI string    `json:"explanation_vi"`
	ExplanationEN string    `json:"explanation_en"`
	Error         string    `json:"error,omitempty"`
}

// MarshalJSON writes allowed, placement ("none" when refused), profile, reasons, the
// paragraphs explanation_vi and explanation_en, and error when Err is set.
func (d Decision) MarshalJSON() ([]byte, error) {
	j := decisionJSON{
		Allowed: d.Allowed, Placement: d.Placement, Profile: d.Profile, Reasons: d.Reasons,
		ExplanationVI: d.Vietnamese(), ExplanationEN: d.English(),
	}
	if j.Placement == "" {
		j.Placement = PlacementNone
	}
	if j.Reasons == nil {
		j.Reasons = []Reason{}
	}
	if d.Err != nil {
		j.Error = d.Err.Error()
	}
	return json.Marshal(j)
}
