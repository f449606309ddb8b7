package kyso

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// Policy is the signing-policy check of one signature (Nghị định 30/2020/NĐ-CP and the
// province's rules): before anything is signed, the engine is asked whether this
// signer may apply this signature to this document now. kyso fills the request from
// what the document and the certificate show — the signer's certificate (its kind by
// CertificateKind, title, validity), the signing time, the signatures already there
// and, with Verify, whether they are valid — and from Facts, what no file carries.
//
// A Policy only reads its fields; it may be shared by concurrent calls when Decided
// is safe for concurrent use.
type Policy struct {
	// Engine decides under one province profile.
	Engine *policy.Engine
	// Facts holds what a certificate does not carry. Role, Document (an empty
	// Document.Kind means policy.DocAdministrative), Markers, PrintedTitle,
	// AtServiceCentre and KeyUsedByOther are used as they are. Certificate.Kind, when
	// set, replaces CertificateKind's answer (say policy.CertOrganisationSecond there);
	// Certificate.Title, when set, replaces the certificate's title; Certificate.Status
	// is the revocation status the caller checked (see CertificateStatus). Entries of
	// Existing, matched by Order (1 for the document's oldest signature, counting
	// document time-stamps), add what a PDF does not show: a certificate kind or
	// title, a status, an indication, the authority markers. Time is ignored: the
	// signing time is the one written to the signature.
	Facts policy.Request
	// Verify, when not nil, verifies the signatures already in the document with
	// these options before deciding, so the policy knows which of them are valid (the
	// clerk seals only over a valid signature of the person with authority: NĐ 30/2020
	// Điều 32 k2 d). Nil leaves them unchecked, a warning in the decision. A document
	// without signatures needs no verification and is not an error. Unless Offline,
	// the signer's own certificate status at the signing time is checked online too
	// when Facts.Certificate.Status does not give it.
	Verify *VerifyOptions
	// Decided, when not nil, receives every decision, allowed or not.
	Decided func(policy.Decision)
}

// ErrPolicyFacts marks Policy.Facts that do not fit the document being signed (an
// entry of Existing for a signature the document does not hold), or a signature with
// no signer certificate.
var ErrPolicyFacts = errors.New("kyso: the policy facts do not fit the document")

// Hook returns p as the signature.PolicyHook for signing the document in r (size
// bytes), for callers of signature.Sign and signature.Prepare: Sign and Prepare of
// this package set it themselves. password opens an encrypted r for Verify.
func (p *Policy) Hook(r io.ReaderAt, size int64, password []byte) signature.PolicyHook {
	return &policyHook{p: p, r: r, size: size, password: password}
}

// policyHook is a Policy bound to one input document.
type policyHook struct {
	p        *Policy
	r        io.ReaderAt
	size     int64
	password []byte
}

// CheckSigning decides whether the signature described by info may be made: nil, the
// decision's *policy.RefusalError, or the error that kept it from deciding.
func (h *policyHook) CheckSigning(ctx context.Context, info signature.SigningInfo) error {
	var rep *signature.Report
	if h.p.Verify != nil && len(info.Existing) > 0 {
		vo := *h.p.Verify
		if vo.Password == nil {
			vo.Password = h.password
		}
		var err error
		rep, err = Verify(ctx, h.r, h.size, &vo)
		if err != nil && !errors.Is(err, signature.ErrNoSignatures) {
			return fmt.Errorf("verifying the signatures already in the document: %w", err)
		}
	}
	req, err := h.p.Request(info, rep)
	if err != nil {
		return err
	}
	if v := h.p.Verify; v != nil && !v.Offline && req.Certificate.Status == policy.StatusUnknown && len(info.Chain) > 1 {
		res := v.checker().Check(ctx, info.Chain[0], info.Chain[1], info.Time)
		req.Certificate.Status = CertificateStatus(res.Status)
	}
	d := h.p.Engine.Decide(ctx, req)
	if h.p.Decided != nil {
		h.p.Decided(d)
	}
	return d.AsError()
}

// Request builds the policy request for the signature described by info, with the
// verdicts of verified (a verification of the same document; nil when none was made)
// and p.Facts.
func (p *Policy) Request(info signature.SigningInfo, verified *signature.Report) (policy.Request, error) {
	if len(info.Chain) == 0 || info.Chain[0] == nil {
		return policy.Request{}, fmt.Errorf("%w: no signer certificate", ErrPolicyFacts)
	}
	req := p.Facts
	req.Markers = append([]policy.AuthorityMarker(nil), p.Facts.Markers...)
	if req.Document.Kind == "" {
		req.Document.Kind = policy.DocAdministrative
	}
	req.Certificate = certificateFacts(info.Chain[0], p.Facts.Certificate)
	req.Certificate.Status = p.Facts.Certificate.Status
	req.Time = info.Time

	verdicts := map[string]*signature.SignatureReport{}
	if verified != nil {
		for i := range verified.Signatures {
			verdicts[verified.Signatures[i].Field] = &verified.Signatures[i]
		}
	}
	given := make(map[int]policy.ExistingSignature, len(p.Facts.Existing))
	for _, e := range p.Facts.Existing {
		given[e.Order] = e
	}
	req.Existing = make([]policy.ExistingSignature, 0, len(info.Existing))
	for i, s := range info.Existing {
		g, ok := given[i+1]
		delete(given, i+1)
		var override *policy.ExistingSignature
		if ok {
			override = &g
		}
		req.Existing = append(req.Existing, existingFact(i+1, s.Kind, s.Signer, s.Time, verdicts[s.Field], override))
	}
	if len(given) > 0 {
		orders := make([]int, 0, len(given))
		for o := range given {
			orders = append(orders, o)
		}
		sort.Ints(orders)
		return policy.Request{}, fmt.Errorf("%w: the facts describe existing signature %v but the document holds %d signature(s) and document time-stamp(s)",
			ErrPolicyFacts, orders, len(info.Existing))
	}
	return req, nil
}

// certificateFacts reads the policy's facts about cert: its kind by CertificateKind
// unless given.Kind says otherwise, its title unless given.Title does, its validity
// period. The status is left to the caller.
func certificateFacts(cert *x509.Certificate, given policy.Certificate) policy.Certificate {
	kind := given.Kind
	if kind == "" {
		kind = CertificateKind(cert)
	}
	c := policy.CertificateFacts(cert, kind)
	if given.Title != "" {
		c.Title = given.Title
	}
	return c
}

// existingFact is the one translation of a signature already in a document into
// policy's facts: from what the document shows (kind, signer certificate, time), the
// verdict of a verification when one was made, and the caller's facts when given.
// A signature whose signer cannot be read is no evidence that anyone signed: it
// counts as TOTAL_FAILED whatever else is said about it.
func existingFact(order int, kind signature.Kind, cert *x509.Certificate, t time.Time, verdict *signature.SignatureReport, given *policy.ExistingSignature) policy.ExistingSignature {
	es := policy.ExistingSignature{Order: order, Time: t}
	if kind == signature.KindDocTimestamp {
		es.Kind = policy.KindDocTimestamp
		if verdict != nil {
			es.Indication = policy.Indication(verdict.Indication)
		}
		return es
	}
	var g policy.ExistingSignature
	if given != nil {
		g = *given
		es.Markers = append([]policy.AuthorityMarker(nil), g.Markers...)
	}
	if cert == nil {
		es.Certificate = policy.Certificate{Kind: g.Certificate.Kind}
		if es.Certificate.Kind == "" {
			es.Certificate.Kind = CertificateKind(nil)
		}
		es.Indication = policy.IndicationTotalFailed
		return es
	}
	es.Certificate = certificateFacts(cert, g.Certificate)
	if verdict != nil {
		es.Indication = policy.Indication(verdict.Indication)
		es.Certificate.Status = verdictStatus(verdict)
	}
	if g.Certificate.Status != policy.StatusUnknown {
		es.Certificate.Status = g.Certificate.Status
	}
	if g.Indication != policy.IndicationNotChecked {
		es.Indication = g.Indication
	}
	return es
}

// verdictStatus is what a verification says of the signer certificate's revocation
// status at the signing time: revoked (sub-indication REVOKED), good when the
// signature passed, unknown otherwise.
func verdictStatus(s *signature.SignatureReport) policy.CertificateStatus {
	switch {
	case s.SubIndication == signature.Revoked:
		return policy.StatusRevoked
	case s.Indication == signature.TotalPassed:
		return policy.StatusGood
	}
	return policy.StatusUnknown
}

// SignedDocument verifies the PDF in r and returns the policy facts of its signatures
// (oldest first, document time-stamps included, each certificate's kind by
// CertificateKind and its status and indication from the verification) with doc, the
// facts about the document a PDF does not show, for policy.Engine's sequence check.
// It returns the report too. Errors are Verify's.
func SignedDocument(ctx context.Context, r io.ReaderAt, size int64, doc policy.Document, opts *VerifyOptions) (policy.SignedDocument, *signature.Report, error) {
	sd := policy.SignedDocument{Document: doc}
	rep, err := Verify(ctx, r, size, opts)
	if err != nil {
		return sd, rep, err
	}
	sd.Signatures = ExistingSignatures(rep)
	return sd, rep, nil
}

// ExistingSignatures translates a verification report into policy's facts about the
// signatures it lists, in the report's order (Order 1 is the oldest).
func ExistingSignatures(rep *signature.Report) []policy.ExistingSignature {
	if rep == nil {
		return nil
	}
	out := make([]policy.ExistingSignature, 0, len(rep.Signatures))
	for i := range rep.Signatures {
		s := &rep.Signatures[i]
		var t time.Time
		if s.SigningTime != nil {
			t = *s.SigningTime
		}
		out = append(out, existingFact(i+1, s.Kind, s.Certificate, t, s, nil))
	}
	return out
}
