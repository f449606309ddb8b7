package policy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Options configures an Engine.
type Options struct {
	// Profile is the province profile to apply; nil means the national baseline.
	Profile *Profile
	// Now returns the current time, used when a request gives no signing time; nil
	// means time.Now.
	Now func() time.Time
}

// Engine answers who may sign what under one profile. It is immutable and safe for
// concurrent use.
type Engine struct {
	profile *Profile
	now     func() time.Time
	rules   []ruleDef
	cites   [][]Citation // per rule, ordered for the profile (citations)
}

// New returns an engine for opts.Profile (resolved, as Registry returns it). A
// profile that is invalid or says nobody may apply the organisation signature is an
// error matching ErrInvalidProfile.
func New(opts Options) (*Engine, error) {
	p := opts.Profile
	if p == nil {
		var err error
		if p, err = BuiltinProfiles().Lookup("national"); err != nil {
			return nil, err
		}
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if len(p.OrgSignatureRoles) == 0 {
		return nil, &ProfileError{Profile: p.ID, Field: "org_signature_roles", Reason: "nobody may apply the organisation signature; resolve the profile through a Registry"}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	e := &Engine{profile: p.clone(), now: now, rules: catalogue()}
	for _, d := range e.rules {
		cites := e.citations(d)
		if len(cites) == 0 {
			return nil, &ProfileError{Profile: p.ID, Field: "restates", Reason: fmt.Sprintf("rule %s has no citation: kyso's catalogue has no national article for it, so the profile (or the baseline it extends) must restate it", d.id)}
		}
		e.cites = append(e.cites, cites)
	}
	return e, nil
}

// Profile returns a copy of the engine's profile.
func (e *Engine) Profile() *Profile { return e.profile.clone() }

// Rules lists the rules as this profile cites them at the engine's current time
// (Options.Now): the province's own restatements first, then the national citations
// in force, then the other provinces' articles, then citations without an article;
// texts no longer in force (NĐ 130/2018 after 14/8/2024) come last.
func (e *Engine) Rules() []Rule {
	now := e.now()
	out := make([]Rule, len(e.rules))
	for i, d := range e.rules {
		r := d.rule()
		r.Citations = inForceFirst(e.cites[i], now)
		if d.provincial {
			r.Binding = e.profile.binds(d.id)
		}
		out[i] = r
	}
	return out
}

// inForceFirst returns cites with those governing at t first, keeping the order
// otherwise; a zero t keeps the order.
func inForceFirst(cites []Citation, t time.Time) []Citation {
	if t.IsZero() {
		return slices.Clone(cites)
	}
	var in, out []Citation
	for _, c := range cites {
		if c.InForce(t) {
			in = append(in, c)
		} else {
			out = append(out, c)
		}
	}
	return append(in, out...)
}

// citations orders a rule's citations for this profile: the province's own
// restatements with an article first, then the catalogue's national citations, then
// the baseline's restatements with an article (the provincial articles the national
// baseline leans on), then restatements without one.
func (e *Engine) citations(d ruleDef) []Citation {
	var own, base, without []Citation
	prov, inherited := e.profile.provinceRestatements(d.id)
	for _, c := range prov {
		if c.HasArticle() {
			own = append(own, c)
		} else {
			without = append(without, c)
		}
	}
	for _, c := range inherited {
		if c.HasArticle() {
			base = append(base, c)
		} else {
			without = append(without, c)
		}
	}
	out := append(own, d.citations...)
	out = append(out, base...)
	out = append(out, without...)
	// Drop citations of the same place twice (a restatement of an article the
	// catalogue already cites), keeping the first.
	var uniq []Citation
	seen := map[string]bool{}
	for _, c := range out {
		key := c.String()
		if !c.HasArticle() {
			key += "\x00" + c.Note
		}
		if !seen[key] {
			seen[key] = true
			uniq = append(uniq, c)
		}
	}
	return uniq
}

// Decide answers whether req's signer may apply this signature to this document at
// req.Time, under the engine's profile. It never blocks; ctx is consulted once, so a
// cancelled context yields a Decision with Err set.
//
// Decide checks only the facts in req: it does not read certificates, verify
// signatures or query revocation services. A fact left at its zero value counts as
// unknown where that matters (certificate status, validity period), which yields a
// warning rather than a refusal.
func (e *Engine) Decide(ctx context.Context, req Request) Decision {
	d := Decision{Profile: e.profile.ID, Placement: PlacementNone}
	if err := ctx.Err(); err != nil {
		d.Err = err
		return d
	}
	if err := req.Validate(); err != nil {
		d.Err = err
		return d
	}
	at := req.Time
	if at.IsZero() {
		at = e.now()
	}
	c := &evalCtx{req: &req, profile: e.profile, at: at, prior: signaturesInOrder(req.Existing)}
	d.Reasons = e.evaluate(c, false)
	if r, ok := e.periodWarning(at); ok {
		d.Reasons = append(d.Reasons, r)
		d.Reasons = orderReasons(d.Reasons)
	}
	d.Allowed = len(d.Violations()) == 0
	if d.Allowed {
		d.Placement = placementFor(req.Certificate.Kind, req.Document.Kind)
	}
	return d
}

// evaluate runs the rules and orders the reasons: violations, warnings, satisfied.
// A provincial rule the profile does not make binding warns instead of refusing.
// Each reason's citations are ordered for the signing time (inForceFirst), the
// finding's lead citation first.
func (e *Engine) evaluate(c *evalCtx, verificationOnly bool) []Reason {
	var out []Reason
	for i, d := range e.rules {
		if verificationOnly && !d.verification {
			continue
		}
		cites := inForceFirst(e.cites[i], c.at)
		for _, f := range d.check(c) {
			switch {
			case f.outcome == OutcomeViolated && d.provincial && !e.profile.binds(d.id):
				f.outcome = OutcomeWarning
				f.vi = strings.TrimRight(f.vi, ". ") + ". Đây là quy định cấp tỉnh, không ràng buộc trong hồ sơ “" + e.profile.ID + "”: chỉ cảnh báo."
				f.en = strings.TrimRight(f.en, ". ") + ". This is a provincial rule, not binding under profile " + e.profile.ID + ": a warning only."
			case f.outcome == OutcomeViolated && d.provincial:
				// Say why this profile refuses what others only warn about.
				f.vi = strings.TrimRight(f.vi, ". ") + ". Quy định cấp tỉnh, ràng buộc trong hồ sơ “" + e.profile.ID + "”: không được ký."
				f.en = strings.TrimRight(f.en, ". ") + ". A provincial rule, binding under profile " + e.profile.ID + ": refused."
			}
			cs := cites
			if f.lead != "" {
				if j := slices.IndexFunc(cs, func(c Citation) bool { return c.String() == f.lead }); j > 0 {
					cs = append([]Citation{cs[j]}, slices.Delete(slices.Clone(cs), j, j+1)...)
				}
			}
			out = append(out, Reason{
				Rule: d.id, Outcome: f.outcome, MessageVI: f.vi, MessageEN: f.en,
				Citation: cs[0], SeeAlso: slices.Clone(cs[1:]),
			})
		}
	}
	return orderReasons(out)
}

// orderReasons sorts reasons into violations, warnings and satisfied, keeping the
// order within each.
func orderReasons(rs []Reason) []Reason {
	rank := map[Outcome]int{OutcomeViolated: 0, OutcomeWarning: 1, OutcomeSatisfied: 2}
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b Reason) int { return rank[a.Outcome] - rank[b.Outcome] })
	return out
}

// periodWarning says when t lies outside the profile's period, naming the successor.
func (e *Engine) periodWarning(t time.Time) (Reason, bool) {
	p := e.profile
	if p.Period == nil || p.Period.Contains(t) {
		return Reason{}, false
	}
	when := func(d string) string {
		if x, err := time.Parse(time.DateOnly, d); err == nil {
			return x.Format("02/01/2006")
		}
		return d
	}
	span := "từ " + when(p.Period.From)
	spanEN := "from " + p.Period.From
	switch {
	case p.Period.From == "":
		span, spanEN = "đến "+when(p.Period.Until), "until "+p.Period.Until
	case p.Period.Until != "":
		span += " đến " + when(p.Period.Until)
		spanEN += " until " + p.Period.Until
	}
	vi := fmt.Sprintf("Thời điểm ký %s nằm ngoài thời kỳ áp dụng của hồ sơ “%s” (%s)", vnTime(t), p.Name, span)
	en := fmt.Sprintf("The signing time %s is outside the period of profile %s (%s)", t.In(vietnamZone).Format(time.RFC3339), p.ID, spanEN)
	if p.Period.Unverified {
		vi += ", thời kỳ chưa được kiểm chứng (unverified)"
		en += "; the period is unverified"
	}
	if s := p.Successor; s != nil && (s.From == "" || t.In(vietnamZone).Format(time.DateOnly) >= s.From) {
		vi += fmt.Sprintf("; tỉnh kế thừa: %s (hồ sơ “%s”)", s.Name, s.ID)
		en += fmt.Sprintf("; the successor province is %s (profile %q)", s.Name, s.ID)
		if s.Unverified {
			vi += ", chưa kiểm chứng"
			en += ", unverified"
		}
		if s.Citation != nil {
			vi += " (căn cứ: " + s.Citation.String() + ")"
			en += " (basis: " + s.Citation.String() + ")"
		}
	}
	vi += ": các quy định của hồ sơ này có thể không còn áp dụng."
	en += ": this profile's rules may no longer apply."
	cite := Citation{Instrument: p.Instrument, Note: p.Period.Note}
	if p.Period.Citation != nil {
		cite = *p.Period.Citation
	}
	if cite.Instrument == "" {
		cite.Instrument = p.Name
	}
	return Reason{Rule: RuleProfilePeriod, Outcome: OutcomeWarning, MessageVI: vi, MessageEN: en, Citation: cite}, true
}

// signaturesInOrder returns the signatures (not document time-stamps) sorted by Order.
func signaturesInOrder(sigs []ExistingSignature) []ExistingSignature {
	var out []ExistingSignature
	for _, s := range sigs {
		if s.Kind != KindDocTimestamp {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b ExistingSignature) int { return a.Order - b.Order })
	return out
}
