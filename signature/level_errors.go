package signature

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
)

// Errors of the signing levels (B-T, B-LT, B-LTA) and of Extend. Each wraps one of these
// sentinels (use errors.Is); the details come as a *TimestampError or a
// *RevocationError (use errors.As).
var (
	// ErrTimestamp: the time-stamping authority could not be reached, refused the
	// request, or returned a token that is malformed or over other data.
	ErrTimestamp = errors.New("signature: no usable time-stamp token")
	// ErrRevocationUnavailable: the OCSP responses or CRLs needed for B-LT could not be
	// obtained for some certificate (and LevelOptions/ExtendOptions asked to fail).
	ErrRevocationUnavailable = errors.New("signature: revocation data unavailable")
	// ErrNoLevelData: the document holds no signature or time-stamp to add validation
	// data for.
	ErrNoLevelData = errors.New("signature: the document has no signature to extend")
)

// TimestampError says why no usable time-stamp token was obtained: what it was for
// ("signature time-stamp" or "document time-stamp") and the cause (the Timestamper's
// error, or what is wrong with its token). It wraps ErrTimestamp and the cause.
type TimestampError struct {
	Purpose string
	Err     error
}

// Error says which time-stamp failed and why.
func (e *TimestampError) Error() string {
	return fmt.Sprintf("%v (%s): %v", ErrTimestamp, e.Purpose, e.Err)
}

// Unwrap returns ErrTimestamp and the cause.
func (e *TimestampError) Unwrap() []error { return []error{ErrTimestamp, e.Err} }

// MissingRevocation names a certificate whose revocation status could not be obtained,
// and why.
type MissingRevocation struct {
	// Certificate is the certificate without status data; Issuer its issuer (nil when
	// the issuer is unknown, which also prevents any query).
	Certificate *x509.Certificate
	Issuer      *x509.Certificate
	// Reason is the OCSP and CRL failures, in English.
	Reason string
}

// String describes the missing item for logs and warnings.
func (m MissingRevocation) String() string {
	name := "?"
	if m.Certificate != nil {
		name = m.Certificate.Subject.CommonName
		if name == "" {
			name = m.Certificate.Subject.String()
		}
	}
	return fmt.Sprintf("no revocation data for %q: %s", name, m.Reason)
}

// RevocationError lists the certificates whose revocation data could not be obtained.
// It wraps ErrRevocationUnavailable.
type RevocationError struct {
	Missing []MissingRevocation
}

// Error lists the certificates whose revocation data could not be obtained.
func (e *RevocationError) Error() string {
	parts := make([]string, len(e.Missing))
	for i, m := range e.Missing {
		parts[i] = m.String()
	}
	return fmt.Sprintf("%v: %s (check the OCSP/CRL responders, or set OnMissingRevocation to ContinueWithoutRevocation to keep the lower level)",
		ErrRevocationUnavailable, strings.Join(parts, "; "))
}

// Unwrap returns ErrRevocationUnavailable.
func (e *RevocationError) Unwrap() error { return ErrRevocationUnavailable }
