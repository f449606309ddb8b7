package certstatus

import "github.com/kyso-go/kyso/internal/evidence"

// The vocabulary of revocation answers is shared with the verifier (signature) through
// the module's evidence core, so that the same OCSP response or CRL gets the same
// verdict online and from a PDF's DSS. The names below are this package's view of it.

// Status is the revocation status of a certificate at a time of interest (the signing
// time or a time-stamp), not merely now: StatusUnknown, StatusGood, StatusRevoked,
// StatusRevokedLater or StatusSuspended. Its String method answers in English and
// Vietnamese in Vietnamese; ValidAt reports StatusGood or StatusRevokedLater.
type Status = evidence.Status

// The statuses.
const (
	// StatusUnknown: no source could say; Result.Err explains why
	// (ETSI INDETERMINATE, e.g. TRY_LATER or REVOCATION_OUT_OF_BOUNDS_NO_POE).
	StatusUnknown = evidence.StatusUnknown
	// StatusGood: not revoked or suspended at the time of interest.
	StatusGood = evidence.StatusGood
	// StatusRevoked: revoked at or before the time of interest, or revoked at any time
	// for key or CA compromise (REVOKED).
	StatusRevoked = evidence.StatusRevoked
	// StatusRevokedLater: revoked after the time of interest for a reason other than
	// a compromise, so it was good at that time; Result.RevokedAt and Reason say when
	// and why.
	StatusRevokedLater = evidence.StatusRevokedLater
	// StatusSuspended: on hold (certificateHold) at the time of interest.
	StatusSuspended = evidence.StatusSuspended
)

// Source is where a status came from: SourceNone, SourceOCSP or SourceCRL.
type Source = evidence.Source

// The sources.
const (
	SourceNone = evidence.SourceNone
	SourceOCSP = evidence.SourceOCSP
	SourceCRL  = evidence.SourceCRL
)

// Reason is a CRLReason (RFC 5280 §5.3.1), shared by OCSP and CRLs; String returns its
// RFC 5280 name, e.g. "keyCompromise".
type Reason = evidence.Reason

// The revocation reasons.
const (
	ReasonUnspecified          = evidence.ReasonUnspecified
	ReasonKeyCompromise        = evidence.ReasonKeyCompromise
	ReasonCACompromise         = evidence.ReasonCACompromise
	ReasonAffiliationChanged   = evidence.ReasonAffiliationChanged
	ReasonSuperseded           = evidence.ReasonSuperseded
	ReasonCessationOfOperation = evidence.ReasonCessationOfOperation
	ReasonCertificateHold      = evidence.ReasonCertificateHold
	ReasonRemoveFromCRL        = evidence.ReasonRemoveFromCRL
	ReasonPrivilegeWithdrawn   = evidence.ReasonPrivilegeWithdrawn
	ReasonAACompromise         = evidence.ReasonAACompromise
)

// Result is the answer to "was this certificate revoked at that time?": Status,
// Source, URL, At, ProducedAt, ThisUpdate, NextUpdate, RevokedAt, Reason, Raw (the DER
// to embed in a DSS), Responder, Failures and Err.
type Result = evidence.Result
