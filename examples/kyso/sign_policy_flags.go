package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/policy"
)

// signPolicyFlags are the flags of "kyso sign" that turn the policy check on and give
// the facts policy needs that a certificate does not carry.
type signPolicyFlags struct {
	profile        string // -policy-profile
	requestFile    string // -policy-request
	role           string // -role
	docKind        string // -doc-kind
	classification string // -classification
	authority      string // -authority
	certKind       string // -cert-kind
	trust          string // -policy-trust
}

// enabled reports whether any policy flag was given.
func (p *signPolicyFlags) enabled() bool {
	return p.profile != "" || p.requestFile != "" || p.role != "" || p.docKind != "" ||
		p.classification != "" || p.authority != "" || p.certKind != "" || p.trust != ""
}

// check returns the usage problems of the policy flags.
func (p *signPolicyFlags) check() []string {
	if !p.enabled() {
		return nil
	}
	var problems []string
	if p.role == "" && p.requestFile == "" {
		problems = append(problems, "the signing policy needs the signer's role: -role (authority, deputy, clerk, key-keeper, …) or -policy-request FILE.json")
	}
	if _, err := p.overlay(policy.Request{}); err != nil {
		problems = append(problems, err.Error())
	}
	return problems
}

// overlay returns base with the facts the flags give.
func (p *signPolicyFlags) overlay(base policy.Request) (policy.Request, error) {
	req := base
	if p.role != "" {
		if err := req.Role.UnmarshalText([]byte(p.role)); err != nil {
			return req, fmt.Errorf("-role: %v", err)
		}
	}
	if p.docKind != "" {
		if err := req.Document.Kind.UnmarshalText([]byte(p.docKind)); err != nil {
			return req, fmt.Errorf("-doc-kind: %v", err)
		}
	}
	if req.Document.Kind == "" {
		req.Document.Kind = policy.DocAdministrative
	}
	if p.classification != "" {
		if err := req.Document.Classification.UnmarshalText([]byte(p.classification)); err != nil {
			return req, fmt.Errorf("-classification: %v", err)
		}
	}
	if p.authority != "" {
		req.Markers = nil
		for _, m := range strings.Split(p.authority, ",") {
			var mk policy.AuthorityMarker
			if err := mk.UnmarshalText([]byte(strings.TrimSpace(m))); err != nil {
				return req, fmt.Errorf("-authority: %v", err)
			}
			req.Markers = append(req.Markers, mk)
		}
	}
	if p.certKind != "" {
		if err := req.Certificate.Kind.UnmarshalText([]byte(p.certKind)); err != nil {
			return req, fmt.Errorf("-cert-kind: %v", err)
		}
	}
	// Validate with a stand-in kind when the certificate's is to be guessed.
	probe := req
	if probe.Certificate.Kind == "" {
		probe.Certificate.Kind = policy.CertIndividual
	}
	if probe.Role != "" {
		if err := probe.Validate(); err != nil {
			return req, err
		}
	}
	return req, nil
}

// signPolicy is the policy check of one "kyso sign" run: the root package's
// kyso.Policy with the facts the flags give, and what is needed to print its decision.
type signPolicy struct {
	policy   *kyso.Policy
	profile  *policy.Profile
	decision *policy.Decision // the last decision, once made
}

// newSignPolicy builds the check the flags ask for, or returns nil when they ask for
// none. With -policy-trust the signatures already in the input are verified first
// (offline: the document's own revocation data; a missing status is a warning), so
// that the policy sees which of them are valid; without it they count as unchecked.
func newSignPolicy(c *cli, p *signPolicyFlags) (*signPolicy, error) {
	if !p.enabled() {
		return nil, nil
	}
	var base policy.Request
	if p.requestFile != "" {
		f, err := os.Open(p.requestFile)
		if err != nil {
			return nil, fmt.Errorf("-policy-request: %w", err)
		}
		defer f.Close()
		if base, err = policy.DecodeRequest(f); err != nil {
			return nil, fmt.Errorf("-policy-request %s: %w", p.requestFile, err)
		}
		if !base.Time.IsZero() {
			fmt.Fprintln(c.stderr, "kyso sign: -policy-request: its \"time\" is ignored; the signing time is the one written to the signature")
		}
	}
	facts, err := p.overlay(base)
	if err != nil {
		return nil, err
	}
	e, err := policyEngine(c, policyOpts{profile: p.profile})
	if err != nil {
		return nil, err
	}
	sp := &signPolicy{profile: e.Profile()}
	sp.policy = &kyso.Policy{Engine: e, Facts: facts, Decided: func(d policy.Decision) { sp.decision = &d }}
	if p.trust != "" {
		store := certstatus.DefaultTrustStore()
		if _, err := store.AddPEMFile(p.trust); err != nil {
			if errors.Is(err, certstatus.ErrMalformed) {
				return nil, fmt.Errorf("-policy-trust: no PEM certificate in %s: %w", p.trust, err)
			}
			return nil, fmt.Errorf("-policy-trust: %w", err)
		}
		sp.policy.Verify = &kyso.VerifyOptions{Trust: store, Offline: true, AllowMissingRevocation: true}
	}
	return sp, nil
}

// report prints the decision after signing: on a refusal the explanation in
// Vietnamese and English with every reason and its citation, to w; when allowed,
// the placement and the decision's paragraphs (with its warnings).
func (sp *signPolicy) report(w io.Writer, err error) {
	var ref *policy.RefusalError
	if errors.As(err, &ref) {
		fmt.Fprintln(w, "kyso sign: chính sách ký số không cho phép ký / the signing policy refuses this signature; nothing was written")
		policyWriteDecision(w, sp.profile, ref.Decision)
		return
	}
	if err != nil || sp.decision == nil {
		return
	}
	d := sp.decision
	fmt.Fprintf(w, "  chính sách / policy %s: được phép / allowed, vị trí / placement %s\n", sp.profile.ID, d.Placement)
	fmt.Fprintf(w, "    vi: %s\n    en: %s\n", d.Vietnamese(), d.English())
}
