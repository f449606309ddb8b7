package evidence

import (
	"crypto/x509"
	"fmt"
	"time"
)

// Status is the revocation status of a certificate at a time of interest (the signing
// time or a time-stamp), not merely now.
type Status int

// The statuses.
const (
	// StatusUnknown: no source could say; Result.Err explains why
	// (ETSI INDETERMINATE, e.g. TRY_LATER or REVOCATION_OUT_OF_BOUNDS_NO_POE).
	StatusUnknown Status = iota
	// StatusGood: not revoked or suspended at the time of interest.
	StatusGood
	// StatusRevoked: revoked at or before the time of interest, or revoked at any time
	// for key or CA compromise (REVOKED).
	StatusRevoked
	// StatusRevokedLater: revoked after the time of interest for a reason other than
	// a compromise, so it was good at that time; Result.RevokedAt and Reason say when
	// and why.
	StatusRevokedLater
	// StatusSuspended: on hold (certificateHold) at the time of interest.
	StatusSuspended
)

var statusNames = [...]string{"unknown", "good", "revoked", "revoked after the time of interest", "suspended"}

// String returns the status in English.
func (s Status) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Vietnamese returns the status as shown to users.
func (s Status) Vietnamese() string {
	switch s {
	case StatusGood:
		return "còn hiệu lực"
	case StatusRevoked:
		return "đã bị thu hồi"
	case StatusRevokedLater:
		return "còn hiệu lực tại thời điểm ký (bị thu hồi sau đó)"
	case StatusSuspended:
		return "đang bị tạm dừng"
	}
	return "không xác định được trạng thái"
}

// ValidAt reports whether the status means the certificate could be used at the time
// of interest (StatusGood or StatusRevokedLater).
func (s Status) ValidAt() bool { return s == StatusGood || s == StatusRevokedLater }

// Source is where a status came from.
type Source int

// The sources.
const (
	SourceNone Source = iota
	SourceOCSP
	SourceCRL
)

// String returns "OCSP", "CRL" or "none".
func (s Source) String() string {
	switch s {
	case SourceOCSP:
		return "OCSP"
	case SourceCRL:
		return "CRL"
	}
	return "none"
}

// Reason is a CRLReason (RFC 5280 §5.3.1), shared by OCSP and CRLs.
type Reason int

// The revocation reasons.
const (
	ReasonUnspecified          Reason = 0
	ReasonKeyCompromise        Reason = 1
	ReasonCACompromise         Reason = 2
	ReasonAffiliationChanged   Reason = 3
	ReasonSuperseded           Reason = 4
	ReasonCessationOfOperation Reason = 5
	ReasonCertificateHold      Reason = 6
	ReasonRemoveFromCRL        Reason = 8
	ReasonPrivilegeWithdrawn   Reason = 9
	ReasonAACompromise         Reason = 10
)

var reasonNames = map[Reason]string{
	ReasonUnspecified: "unspecified", ReasonKeyCompromise: "keyCompromise",
	ReasonCACompromise: "cACompromise", ReasonAffiliationChanged: "affiliationChanged",
	ReasonSuperseded: "superseded", ReasonCessationOfOperation: "cessationOfOperation",
	ReasonCertificateHold: "certificateHold", ReasonRemoveFromCRL: "removeFromCRL",
	ReasonPrivilegeWithdrawn: "privilegeWithdrawn", ReasonAACompromise: "aACompromise",
}

// String returns the RFC 5280 name of the reason, e.g. "keyCompromise".
func (r Reason) String() string {
	if n, ok := reasonNames[r]; ok {
		return n
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// compromise reports whether the reason taints every signature made with the key,
// whenever the revocation happened.
func (r Reason) compromise() bool {
	return r == ReasonKeyCompromise || r == ReasonCACompromise || r == ReasonAACompromise
}

// Classify turns a revocation entry into a status relative to the time of interest.
func Classify(revokedAt time.Time, reason Reason, at time.Time) Status {
	if reason.compromise() {
		return StatusRevoked
	}
	if revokedAt.After(at) {
		return StatusRevokedLater
	}
	if reason == ReasonCertificateHold {
		return StatusSuspended
	}
	return StatusRevoked
}

// Result is the answer to "was this certificate revoked at that time?".
type Result struct {
	Status Status
	// Source answered; SourceNone when Status is StatusUnknown.
	Source Source
	// URL the answer was fetched from; empty for data handed in (offline).
	URL string
	// At is the time of interest the status refers to.
	At time.Time
	// ProducedAt is the OCSP response's producedAt, or the CRL's thisUpdate.
	ProducedAt time.Time
	// ThisUpdate and NextUpdate of the OCSP single response or of the CRL.
	ThisUpdate, NextUpdate time.Time
	// RevokedAt and Reason are set for StatusRevoked, StatusRevokedLater and
	// StatusSuspended.
	RevokedAt time.Time
	Reason    Reason
	// Raw holds the DER of the answer: the OCSP response, or the CRL(s) (base first,
	// then a delta CRL if one was used), ready to embed in a DSS.
	Raw [][]byte
	// Responder signed the answer: the issuer, or a delegated OCSP responder.
	Responder *x509.Certificate
	// ResponderEvidence is the data (DER CRLs) that established the status of a
	// delegated OCSP responder without id-pkix-ocsp-nocheck that signed the answer
	// (RFC 6960 §4.2.2.2.1); it belongs in a DSS next to the answer.
	ResponderEvidence [][]byte
	// ResponderUnchecked: the answer was signed by a delegated OCSP responder without
	// id-pkix-ocsp-nocheck whose own status could not be established; it was accepted
	// (Evaluator.RequireResponderStatus refuses it instead) and Warnings says so.
	ResponderUnchecked bool
	// Warnings are what a user should be told although the answer stands, each in
	// Vietnamese then English ("VI / EN"); see ResponderUncheckedWarning.
	Warnings []string
	// Failures lists, in order, the sources tried that did not answer and data the
	// answer could not use (for example an announced delta CRL that failed).
	Failures []error
	// Err says why the status is unknown; nil otherwise.
	Err error
}
