package policy

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, for errors.Is.
var (
	// ErrInvalidRequest: a request (or existing-signature list) is malformed.
	ErrInvalidRequest = errors.New("policy: invalid request")
	// ErrInvalidProfile: a province profile file is malformed or inconsistent.
	ErrInvalidProfile = errors.New("policy: invalid profile")
	// ErrUnknownProfile: no profile has the requested identifier.
	ErrUnknownProfile = errors.New("policy: unknown profile")
	// ErrRefused: the policy refuses the signature (see RefusalError).
	ErrRefused = errors.New("policy: signature refused")
)

// RequestError explains what is wrong with one field of a request. It matches
// ErrInvalidRequest with errors.Is.
type RequestError struct {
	Field  string // JSON name of the field, e.g. "certificate.kind" or "existing[2].order"
	Value  string // the offending value, when short
	Reason string // what is wrong and what values are accepted
}

// Error names the field, the value and what is wrong with it.
func (e *RequestError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("policy: invalid request: %s %q: %s", e.Field, truncate(e.Value, 80), e.Reason)
	}
	return fmt.Sprintf("policy: invalid request: %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidRequest.
func (e *RequestError) Is(target error) bool { return target == ErrInvalidRequest }

// ProfileError explains what is wrong with a profile. It matches ErrInvalidProfile.
type ProfileError struct {
	Profile string // the profile's id, when known
	Field   string // JSON name of the field, e.g. "restates[0].rule"; empty for the whole file
	Reason  string // what is wrong, in words a profile author can act on
}

// Error names the profile, the field and what is wrong with it.
func (e *ProfileError) Error() string {
	id := e.Profile
	if id == "" {
		id = "(no id)"
	}
	if e.Field == "" {
		return fmt.Sprintf("policy: invalid profile %s: %s", id, e.Reason)
	}
	return fmt.Sprintf("policy: invalid profile %s: %s: %s", id, e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidProfile.
func (e *ProfileError) Is(target error) bool { return target == ErrInvalidProfile }

// RefusalError carries a refusing Decision; it matches ErrRefused. A signing hook
// returns it so the caller can show the reasons.
type RefusalError struct {
	Decision Decision // the refusing decision, with its reasons and citations
}

// Error lists the violated rules with their primary citations; Decision.Vietnamese
// and Decision.English give the full explanation.
func (e *RefusalError) Error() string {
	var ids []string
	for _, r := range e.Decision.Violations() {
		ids = append(ids, r.Rule+" ("+r.Citation.String()+")")
	}
	return "policy: signature refused: " + strings.Join(ids, "; ")
}

// Is reports whether target is ErrRefused.
func (e *RefusalError) Is(target error) bool { return target == ErrRefused }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
