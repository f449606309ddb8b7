package evidence

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors about certificates and evidence. certstatus exports them under the
// same names (certstatus.ErrRevoked is ErrRevoked), so errors.Is works whichever
// package a caller imports; their text keeps the "certstatus:" prefix users see.
// certstatus documents each one.
var (
	ErrNoChain            = errors.New("certstatus: no certificate chain to a trusted root")
	ErrExpired            = errors.New("certstatus: certificate expired at the time of interest")
	ErrNotYetValid        = errors.New("certstatus: certificate not yet valid at the time of interest")
	ErrKeyUsage           = errors.New("certstatus: key usage does not allow this use")
	ErrWeakAlgorithm      = errors.New("certstatus: algorithm or key size below policy")
	ErrBasicConstraints   = errors.New("certstatus: basic constraints violated")
	ErrRevoked            = errors.New("certstatus: certificate revoked")
	ErrTryLater           = errors.New("certstatus: OCSP responder asked to try later")
	ErrResponderError     = errors.New("certstatus: OCSP responder returned an error status")
	ErrMalformed          = errors.New("certstatus: malformed data")
	ErrWrongResponder     = errors.New("certstatus: not signed by the issuer or an authorised responder")
	ErrBadNonce           = errors.New("certstatus: nonce in response does not match the request")
	ErrStale              = errors.New("certstatus: revocation data is not fresh for the time of interest")
	ErrUnknownCertificate = errors.New("certstatus: responder does not know the certificate")
	ErrNoRevocationSource = errors.New("certstatus: no OCSP responder or CRL distribution point")
	ErrNoRevocationData   = errors.New("certstatus: no revocation data for this certificate")
	ErrOffline            = errors.New("certstatus: network access disabled (offline mode)")
	ErrUnsupported        = errors.New("certstatus: unsupported feature")
	ErrUnreachable        = errors.New("certstatus: server unreachable")
	ErrHTTPStatus         = errors.New("certstatus: unexpected HTTP status")
	ErrTooLarge           = errors.New("certstatus: response too large")
	ErrTSARejected        = errors.New("certstatus: time-stamp request rejected")
	ErrImprintMismatch    = errors.New("certstatus: time-stamp imprint does not match the data")
	ErrBadSignature       = errors.New("certstatus: signature does not verify")
	ErrTSACertificate     = errors.New("certstatus: TSA certificate not valid for time-stamping")
)

// ErrResponderRevoked refuses an OCSP response signed by a delegated responder whose
// own certificate was revoked (or on hold) when it produced the response, or revoked
// for a key compromise. It wraps ErrWrongResponder: the response is not from an
// authorised responder. It says nothing about the certificate the response is about.
var ErrResponderRevoked = fmt.Errorf("%w: the OCSP responder's own certificate is revoked", ErrWrongResponder)

// ErrNotForThisCert marks data about another certificate or issuer: offline
// evaluation skips it.
var ErrNotForThisCert = errors.New("certstatus: data is about another certificate")

// ResponseError reports an OCSP response or CRL that could not be used. Reason is a
// sentinel (ErrMalformed, ErrWrongResponder, ErrBadNonce, ErrStale, ErrTryLater, …).
type ResponseError struct {
	Source Source
	URL    string // where it came from; empty for data handed in (offline)
	Reason error
	Detail string
	Err    error // the underlying error (for example a *FetchError), if any
}

// Error names the reason, the source and where the data came from.
func (e *ResponseError) Error() string {
	if e.Detail == "" && e.Err != nil {
		// A transport error already names the URL.
		return fmt.Sprintf("%s: %v", e.Source, e.Err)
	}
	s := fmt.Sprintf("%v (%s", e.Reason, e.Source)
	if e.URL != "" {
		s += " " + e.URL
	}
	s += ")"
	if d := WithoutReason(e.Detail, e.Reason); d != "" {
		s += ": " + d
	}
	return s
}

// Unwrap returns Reason and the underlying error.
func (e *ResponseError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Reason}
	}
	return []error{e.Reason, e.Err}
}

// SubIndication names the ETSI EN 319 102-1 sub-indication the failure deserves, so
// that a consumer (signature) can report it without knowing this type.
func (e *ResponseError) SubIndication() string { return SubIndication(e) }

// WithoutReason drops a repetition of the reason at the start of a detail.
func WithoutReason(detail string, reason error) string {
	if reason != nil {
		detail = strings.TrimPrefix(detail, reason.Error()+": ")
	}
	return detail
}

// subIndications maps each sentinel to its ETSI EN 319 102-1 sub-indication, most
// specific first.
var subIndications = []struct {
	err error
	sub string
}{
	{ErrRevoked, "REVOKED"},
	{ErrNoChain, "NO_CERTIFICATE_CHAIN_FOUND"},
	{ErrExpired, "OUT_OF_BOUNDS_NO_POE"},
	{ErrNotYetValid, "NOT_YET_VALID"},
	{ErrKeyUsage, "CHAIN_CONSTRAINTS_FAILURE"},
	{ErrBasicConstraints, "CHAIN_CONSTRAINTS_FAILURE"},
	{ErrTSACertificate, "CHAIN_CONSTRAINTS_FAILURE"},
	{ErrWeakAlgorithm, "CRYPTO_CONSTRAINTS_FAILURE"},
	{ErrImprintMismatch, "HASH_FAILURE"},
	{ErrBadSignature, "SIG_CRYPTO_FAILURE"},
	{ErrTryLater, "TRY_LATER"},
	{ErrUnreachable, "TRY_LATER"},
	{ErrHTTPStatus, "TRY_LATER"},
	{ErrResponderError, "TRY_LATER"},
	{ErrUnknownCertificate, "TRY_LATER"},
	{ErrNoRevocationData, "TRY_LATER"},
	{ErrNoRevocationSource, "TRY_LATER"},
	{ErrOffline, "TRY_LATER"},
	{ErrStale, "REVOCATION_OUT_OF_BOUNDS_NO_POE"},
	{ErrMalformed, "FORMAT_FAILURE"},
}

// SubIndication names the ETSI EN 319 102-1 sub-indication err deserves, from the
// first sentinel it wraps (most specific first), or "" for nil. Anything else is
// CERTIFICATE_CHAIN_GENERAL_FAILURE.
func SubIndication(err error) string {
	if err == nil {
		return ""
	}
	for _, s := range subIndications {
		if errors.Is(err, s.err) {
			return s.sub
		}
	}
	return "CERTIFICATE_CHAIN_GENERAL_FAILURE"
}

// UnwrapSentinel returns the first sentinel of this package inside err, or err.
func UnwrapSentinel(err error) error {
	for _, s := range []error{ErrStale, ErrMalformed, ErrUnsupported, ErrResponderRevoked, ErrWrongResponder, ErrBadSignature} {
		if errors.Is(err, s) {
			return s
		}
	}
	return err
}
