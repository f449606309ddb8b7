package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// policyHook adapts a policy.Engine to signature.PolicyHook, so that "kyso sign" (or
// any caller of signature.Sign and signature.Prepare) refuses a signature the policy
// refuses. It fills a policy.Request from what signature reads in the document (the
// signer's certificate, the signing time, the signatures already there) and from the
// facts a certificate does not carry, which the caller supplies in Facts. It only
// reads its fields, so it is safe for concurrent use when Decided is.
type policyHook struct {
	// Engine decides under one province profile.
	Engine *policy.Engine
	// Facts holds the caller's facts: Role, Document, Markers, PrintedTitle,
	// AtServiceCentre and KeyUsedByOther are used as they are. Certificate.Kind, when
	// set, is the signer's certificate kind (else GuessKind's); Certificate.Title, when
	// set, replaces the title read from the certificate; Certificate.Status is the
	// revocation status the caller checked. Existing entries, matched by Order (1 for
	// the document's oldest signature, counting document time-stamps), add what a PDF
	// does not show: the signer's certificate kind, title, status, the verification
	// indication and the authority markers. Facts.Time is ignored: the signing time is
	// the one signature will write.
	Facts policy.Request
	// Verified holds, by field name, what a verification of the input (signature.Verify)
	// found about the signatures already there; Facts.Existing takes precedence. A
	// signature neither verified nor described by Facts counts as unchecked.
	Verified map[string]policyVerified
	// GuessKind tells a certificate's kind when Facts does not; nil means
	// policyGuessKind.
	GuessKind func(*x509.Certificate) policy.CertificateKind
	// Decided, when not nil, receives every decision, allowed or not.
	Decided func(policy.Decision)
}

// CheckSigning decides whether the signature described by info may be made and
// returns nil, or the decision's *policy.RefusalError (a malformed request or a
// cancelled context returns that error instead).
func (h *policyHook) CheckSigning(ctx context.Context, info signature.SigningInfo) error {
	req, err := h.request(info)
	if err != nil {
		return err
	}
	d := h.Engine.Decide(ctx, req)
	if h.Decided != nil {
		h.Decided(d)
	}
	return d.AsError()
}

// policyVerified is what verification found about one existing signature.
type policyVerified struct {
	Indication policy.Indication
	Status     policy.CertificateStatus
}

// errPolicyFacts marks facts that do not fit the document being signed.
var errPolicyFacts = errors.New("policy facts do not fit the document")

// request builds the policy request for info.
func (h *policyHook) request(info signature.SigningInfo) (policy.Request, error) {
	guess := h.GuessKind
	if guess == nil {
		guess = policyGuessKind
	}
	if len(info.Chain) == 0 || info.Chain[0] == nil {
		return policy.Request{}, fmt.Errorf("%w: no signer certificate", errPolicyFacts)
	}
	req := h.Facts
	req.Markers = append([]policy.AuthorityMarker(nil), h.Facts.Markers...)
	kind := h.Facts.Certificate.Kind
	if kind == "" {
		kind = guess(info.Chain[0])
	}
	req.Certificate = policy.CertificateFacts(info.Chain[0], kind)
	if h.Facts.Certificate.Title != "" {
		req.Certificate.Title = h.Facts.Certificate.Title
	}
	req.Certificate.Status = h.Facts.Certificate.Status
	req.Time = info.Time

	given := make(map[int]policy.ExistingSignature, len(h.Facts.Existing))
	for _, e := range h.Facts.Existing {
		given[e.Order] = e
	}
	req.Existing = make([]policy.ExistingSignature, 0, len(info.Existing))
	for i, s := range info.Existing {
		es := policy.ExistingSignature{Order: i + 1, Time: s.Time}
		g, ok := given[es.Order]
		delete(given, es.Order)
		if s.Kind == signature.KindDocTimestamp {
			es.Kind = policy.KindDocTimestamp
			req.Existing = append(req.Existing, es)
			continue
		}
		kind := g.Certificate.Kind
		if kind == "" {
			kind = guess(s.Signer)
		}
		if s.Signer != nil {
			es.Certificate = policy.CertificateFacts(s.Signer, kind)
		} else {
			// A signature whose signer cannot even be read is no evidence that the
			// person with authority signed.
			es.Certificate = policy.Certificate{Kind: kind}
			es.Indication = policy.IndicationTotalFailed
		}
		if v, found := h.Verified[s.Field]; found && s.Signer != nil {
			es.Indication, es.Certificate.Status = v.Indication, v.Status
		}
		if ok {
			if g.Certificate.Title != "" {
				es.Certificate.Title = g.Certificate.Title
			}
			if g.Certificate.Status != policy.StatusUnknown {
				es.Certificate.Status = g.Certificate.Status
			}
			if g.Indication != policy.IndicationNotChecked && s.Signer != nil {
				es.Indication = g.Indication
			}
			es.Markers = append([]policy.AuthorityMarker(nil), g.Markers...)
		}
		req.Existing = append(req.Existing, es)
	}
	if len(given) > 0 {
		orders := make([]int, 0, len(given))
		for o := range given {
			orders = append(orders, o)
		}
		return policy.Request{}, fmt.Errorf("%w: the facts describe existing signature %v but the document holds %d signature(s) and document time-stamp(s)",
			errPolicyFacts, orders, len(info.Existing))
	}
	return req, nil
}

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

// signPolicy is the policy check of one "kyso sign" run.
type signPolicy struct {
	hook     *policyHook
	profile  *policy.Profile
	decision *policy.Decision // the last decision, once made
	roots    *x509.CertPool   // -policy-trust: verify the existing signatures first
}

// newSignPolicy builds the check the flags ask for, or returns nil when they ask for
// none.
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
	if p.trust != "" {
		data, err := readLimited(p.trust, 4<<20)
		if err != nil {
			return nil, fmt.Errorf("-policy-trust: %w", err)
		}
		sp.roots = x509.NewCertPool()
		if !sp.roots.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("-policy-trust: no PEM certificate in %s", p.trust)
		}
	}
	sp.hook = &policyHook{Engine: e, Facts: facts, Decided: func(d policy.Decision) { sp.decision = &d }}
	return sp, nil
}

// verifyInput verifies the signatures already in the input with the -policy-trust
// anchors (offline: the document's own revocation data; a missing status is a
// warning), so that the policy sees which of them are valid. Without -policy-trust it
// does nothing and they count as unchecked.
func (sp *signPolicy) verifyInput(ctx context.Context, r io.ReaderAt, size int64, password []byte) error {
	if sp.roots == nil {
		return nil
	}
	rep, err := signature.Verify(ctx, r, size, &signature.VerifyOptions{Roots: sp.roots, Offline: true,
		AllowMissingRevocation: true, Password: password})
	if err != nil {
		return fmt.Errorf("verifying the signatures already in the document: %w", err)
	}
	sp.hook.Verified = make(map[string]policyVerified, len(rep.Signatures))
	for _, s := range rep.Signatures {
		v := policyVerified{Indication: policy.Indication(s.Indication)}
		switch {
		case s.SubIndication == signature.Revoked:
			v.Status = policy.StatusRevoked
		case s.Indication == signature.TotalPassed:
			v.Status = policy.StatusGood
		}
		sp.hook.Verified[s.Field] = v
	}
	return nil
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
