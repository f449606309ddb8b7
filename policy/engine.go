package policy

import (
	"context"
	"slices"
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
		e.cites = append(e.cites, e.citations(d))
	}
	return e, nil
}

// Profile returns a copy of the engine's profile.
func (e *Engine) Profile() *Profile { return e.profile.clone() }

// Rules lists the rules as this profile cites them: the province's own restatements
// first, then the national citations.
func (e *Engine) Rules() []Rule {
	out := make([]Rule, len(e.rules))
	for i, d := range e.rules {
		r := d.rule()
		r.Citations = slices.Clone(e.cites[i])
		out[i] = r
	}
	return out
}

// citations orders a rule's citations for this profile: the province's restatements
// with an article first, then the catalogue's, then restatements without one.
func (e *Engine) citations(d ruleDef) []Citation {
	var withArticle, without []Citation
	for _, c := range e.profile.restatements(d.id) {
		if c.HasArticle() {
			withArticle = append(withArticle, c)
		} else {
			without = append(without, c)
		}
	}
	out := append(withArticle, d.citations...)
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
	d.Allowed = len(d.Violations()) == 0
	if d.Allowed {
		d.Placement = placementFor(req.Certificate.Kind, req.Document.Kind)
	}
	return d
}

// evaluate runs the rules and orders the reasons: violations, warnings, satisfied.
func (e *Engine) evaluate(c *evalCtx, verificationOnly bool) []Reason {
	buckets := map[Outcome][]Reason{}
	for i, d := range e.rules {
		if verificationOnly && !d.verification {
			continue
		}
		cites := e.cites[i]
		for _, f := range d.check(c) {
			buckets[f.outcome] = append(buckets[f.outcome], Reason{
				Rule: d.id, Outcome: f.outcome, MessageVI: f.vi, MessageEN: f.en,
				Citation: cites[0], SeeAlso: slices.Clone(cites[1:]),
			})
		}
	}
	var out []Reason
	for _, o := range []Outcome{OutcomeViolated, OutcomeWarning, OutcomeSatisfied} {
		out = append(out, buckets[o]...)
	}
	return out
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
