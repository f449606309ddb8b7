package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// policyFields are the prepare request's fields that give the signing policy the facts
// a certificate does not carry. They are read only when the server checks a policy
// (Config.Policy); otherwise they are ignored.
var policyFields = map[string]fieldSpec{
	"role":            {fieldText, maxTextField}, // authority, deputy, clerk, key-keeper, …
	"documentKind":    {fieldText, maxTextField}, // administrative (default), copy, …
	"classification":  {fieldText, maxTextField}, // "", mat, toi-mat, tuyet-mat
	"authority":       {fieldText, maxTextField}, // markers, comma-separated: TM., KT., TL., TUQ., Q.
	"certificateKind": {fieldText, maxTextField}, // individual, organisation, …; default read from the certificate
}

// policyFacts reads the policy fields of a prepare request into a policy.Request
// (Role, Document, Markers, Certificate.Kind), refusing unknown values with a 400.
func policyFacts(f map[string][]byte) (policy.Request, error) {
	var req policy.Request
	bad := func(name string, err error) error {
		return badRequest(fmt.Sprintf("Giá trị của trường %q không hợp lệ", name), fmt.Sprintf("Invalid value of field %q", name), err)
	}
	if len(f["role"]) == 0 {
		return req, badRequest("Máy chủ kiểm tra chính sách ký số: cần trường \"role\" (vai trò của người ký: authority, deputy, clerk, …)",
			"This service checks the signing policy: the field \"role\" (authority, deputy, clerk, …) is required", nil)
	}
	if err := req.Role.UnmarshalText(f["role"]); err != nil {
		return req, bad("role", err)
	}
	req.Document.Kind = policy.DocAdministrative
	if v := f["documentKind"]; len(v) > 0 {
		if err := req.Document.Kind.UnmarshalText(v); err != nil {
			return req, bad("documentKind", err)
		}
	}
	if v := f["classification"]; len(v) > 0 {
		if err := req.Document.Classification.UnmarshalText(v); err != nil {
			return req, bad("classification", err)
		}
	}
	if v := strings.TrimSpace(string(f["authority"])); v != "" {
		for _, m := range strings.Split(v, ",") {
			var mk policy.AuthorityMarker
			if err := mk.UnmarshalText([]byte(strings.TrimSpace(m))); err != nil {
				return req, bad("authority", err)
			}
			req.Markers = append(req.Markers, mk)
		}
	}
	if v := f["certificateKind"]; len(v) > 0 {
		if err := req.Certificate.Kind.UnmarshalText(v); err != nil {
			return req, bad("certificateKind", err)
		}
	}
	return req, nil
}

// policyHook adapts a policy.Engine to signature.PolicyHook for one prepare request:
// it completes the caller's facts with what signature.Prepare reads in the document
// (the signer's certificate, the signing time, the signatures already there) and asks
// the engine. Existing signatures are verified first (verifyExisting), because the
// rules speak of a *valid* signature of the person with authority.
type policyHook struct {
	engine         *policy.Engine
	facts          policy.Request
	verifyExisting func(ctx context.Context) (*signature.Report, error)
	decision       *policy.Decision
}

// CheckSigning decides whether the signature described by info may be made.
func (h *policyHook) CheckSigning(ctx context.Context, info signature.SigningInfo) error {
	if len(info.Chain) == 0 || info.Chain[0] == nil {
		return errors.New("no signer certificate")
	}
	req := h.facts
	kind := h.facts.Certificate.Kind
	if kind == "" {
		kind = certificateKind(info.Chain[0])
	}
	req.Certificate = policy.CertificateFacts(info.Chain[0], kind)
	req.Certificate.Status = h.facts.Certificate.Status
	req.Time = info.Time

	verified := map[string]signature.SignatureReport{}
	if len(info.Existing) > 0 && h.verifyExisting != nil {
		rep, err := h.verifyExisting(ctx)
		if err != nil {
			return err
		}
		for _, s := range rep.Signatures {
			verified[s.Field] = s
		}
	}
	for i, s := range info.Existing {
		es := policy.ExistingSignature{Order: i + 1, Time: s.Time}
		if s.Kind == signature.KindDocTimestamp {
			es.Kind = policy.KindDocTimestamp
			req.Existing = append(req.Existing, es)
			continue
		}
		if s.Signer == nil {
			// A signature whose signer cannot be read is no evidence that anyone signed.
			es.Certificate, es.Indication = policy.Certificate{Kind: policy.CertIndividual}, policy.IndicationTotalFailed
			req.Existing = append(req.Existing, es)
			continue
		}
		es.Certificate = policy.CertificateFacts(s.Signer, certificateKind(s.Signer))
		if v, ok := verified[s.Field]; ok {
			es.Indication = policy.Indication(v.Indication)
			switch {
			case v.SubIndication == signature.Revoked:
				es.Certificate.Status = policy.StatusRevoked
			case v.Indication == signature.TotalPassed:
				es.Certificate.Status = policy.StatusGood
			}
		}
		req.Existing = append(req.Existing, es)
	}
	d := h.engine.Decide(ctx, req)
	h.decision = &d
	return d.AsError()
}

// certificateKind reads a certificate's kind with certstatus.ParseIdentity's rules;
// a kind it cannot tell counts as an individual's certificate (the policy then checks
// the title and role).
func certificateKind(c *x509.Certificate) policy.CertificateKind {
	switch certstatus.ParseIdentity(c).Kind {
	case certstatus.KindOrganisation:
		return policy.CertOrganisation
	case certstatus.KindDevice, certstatus.KindCA:
		return policy.CertDevice
	}
	return policy.CertIndividual
}

// policyStatus turns a revocation check into the policy's certificate status.
func policyStatus(r certstatus.Result) policy.CertificateStatus {
	switch {
	case r.Status == certstatus.StatusUnknown:
		return policy.StatusUnknown
	case r.Status.ValidAt():
		return policy.StatusGood
	case r.Status == certstatus.StatusSuspended:
		return policy.StatusSuspended
	}
	return policy.StatusRevoked
}

// policyError maps a refusal of the policy to a 422 carrying the decision (its reasons
// with their legal citations), or a malformed request to a 400.
func policyError(err error) (*apiError, bool) {
	var ref *policy.RefusalError
	if errors.As(err, &ref) {
		e := newAPIError(http.StatusUnprocessableEntity, codePolicyRefused, ref.Decision.Vietnamese(), ref.Decision.English(), err)
		e.Policy = &ref.Decision
		return e, true
	}
	if errors.Is(err, policy.ErrInvalidRequest) {
		return badRequest("Thông tin cho chính sách ký số không hợp lệ (role, documentKind, certificateKind, authority)",
			"The facts given for the signing policy are invalid (role, documentKind, certificateKind, authority)", err), true
	}
	return nil, false
}
