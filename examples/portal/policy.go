package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/kyso-go/kyso/policy"
)

// policyFields are the prepare request's fields that give the signing policy the facts
// a certificate does not carry. They are read only when the server checks a policy
// (Config.Policy); otherwise they are ignored.
var policyFields = map[string]fieldSpec{
	"role":            {fieldText, maxTextField}, // authority, deputy, clerk, key-keeper, …
	"documentKind":    {fieldText, maxTextField}, // administrative (default), copy, …
	"classification":  {fieldText, maxTextField}, // "", mat, toi-mat, tuyet-mat
	"authority":       {fieldText, maxTextField}, // markers, comma-separated: TM., KT., TL., TUQ., Q.
	"certificateKind": {fieldText, maxTextField}, // individual, organisation, …; default kyso.CertificateKind
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
