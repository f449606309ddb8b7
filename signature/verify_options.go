package signature

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// ChainValidator builds and validates the certification path of a certificate at a given
// time: validity periods, name chaining, basic constraints and key usage, up to a trusted
// root. It returns the chain, leaf first, root last.
//
// *certstatus.Checker is such a validator as it is (this package never imports
// certstatus; kyso.VerifyOptions in the module's root package passes one). To give a
// precise sub-indication, an implementation may return a *ChainError or an error
// implementing SubIndicationError, as certstatus's do.
type ChainValidator interface {
	ValidateChain(ctx context.Context, cert *x509.Certificate, intermediates []*x509.Certificate, at time.Time) ([]*x509.Certificate, error)
}

// RevocationSource fetches revocation data online, as raw DER: an OCSP response for cert
// issued by issuer, and the CRLs that cover it. certstatus.Checker has exactly these
// methods. Verification evaluates the answers itself with the code certstatus uses
// (signature, responder, issuer, time), so a source only needs to fetch. An answer returned together with an error is still
// used: certstatus.Checker returns the OCSP response or CRLs of a revoked certificate
// with an error wrapping its ErrRevoked.
type RevocationSource interface {
	OCSPResponse(ctx context.Context, cert, issuer *x509.Certificate) ([]byte, error)
	CRLs(ctx context.Context, cert, issuer *x509.Certificate) ([][]byte, error)
}

// ChainError is an error a ChainValidator may return to say which ETSI sub-indication
// its failure deserves (NO_CERTIFICATE_CHAIN_FOUND, CHAIN_CONSTRAINTS_FAILURE,
// CRYPTO_CONSTRAINTS_FAILURE, …).
type ChainError struct {
	SubIndication SubIndication
	Err           error
}

// Error says which sub-indication the failure deserves and why.
func (e *ChainError) Error() string { return fmt.Sprintf("%s: %v", e.SubIndication, e.Err) }

// Unwrap returns the underlying error.
func (e *ChainError) Unwrap() error { return e.Err }

// VerifyOptions tunes Verify. The zero value (or nil) verifies integrity and
// modifications, but reports every signature as INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND
// because nothing is trusted.
type VerifyOptions struct {
	// Roots are the trust anchors for the built-in path validation (x509.Certificate.Verify
	// at the signing time). Ignored when Validator is set.
	Roots *x509.CertPool
	// Intermediates adds intermediate certificates to those found in the signatures and
	// the document's DSS. Ignored when Validator is set.
	Intermediates *x509.CertPool
	// Validator replaces the built-in path validation.
	Validator ChainValidator
	// Certificates are further certificates the caller makes available (a TSA's
	// certificate, trusted roots, intermediates): a time-stamp token that does not
	// carry its TSA's certificate (requested with certReq false) is checked with the
	// one among them, the document's DSS (/Certs and /VRI) and the certificate sets of
	// the document's signatures and time-stamps that its signer identifier and ESS
	// signing-certificate attribute name. They also help build certification paths
	// (as intermediates; they are not trusted for it).
	Certificates []*x509.Certificate

	// Revocation fetches revocation data online when the document's own data (DSS, CMS)
	// does not settle the signer certificate's status. Unused when Offline is set.
	Revocation RevocationSource
	// Offline restricts revocation checking to the data inside the document.
	Offline bool
	// AllowMissingRevocation reports an undeterminable revocation status as a warning
	// (the signature may still pass) instead of INDETERMINATE/TRY_LATER. Thông tư 15/2025
	// (public signatures; followed here as practice) asks verifiers to warn; ETSI EN
	// 319 102-1 asks for TRY_LATER.
	AllowMissingRevocation bool
	// RequireResponderStatus refuses an OCSP response signed by a delegated responder
	// whose certificate lacks id-pkix-ocsp-nocheck when no CRL (in the document, or
	// online) establishes the responder's own status (RFC 6960 §4.2.2.2.1). By default
	// such a response is used and the report carries a warning line; a responder
	// listed as revoked is refused either way.
	RequireResponderStatus bool

	// Time is the validation time ("now"); zero means time.Now(). Validating at a later
	// time shows whether an LTA document still verifies once its certificates expired.
	Time time.Time

	// Password opens encrypted documents (nil: the empty user password).
	Password []byte

	// MaxSignatures bounds the signatures and document time-stamps examined (default
	// 200). MaxRevisions bounds the revisions analysed for modifications (default 1000).
	MaxSignatures int
	MaxRevisions  int
}

func (o *VerifyOptions) now() time.Time {
	if o == nil || o.Time.IsZero() {
		return time.Now()
	}
	return o.Time
}

func (o *VerifyOptions) maxSignatures() int {
	if o == nil || o.MaxSignatures <= 0 {
		return 200
	}
	return o.MaxSignatures
}

func (o *VerifyOptions) maxRevisions() int {
	if o == nil || o.MaxRevisions <= 0 {
		return 1000
	}
	return o.MaxRevisions
}

// Errors of Verify. A document that opens and holds signatures never yields an error:
// every problem with a signature is in its report.
var (
	// ErrNotPDF: the input is not a readable PDF.
	ErrNotPDF = errors.New("signature: not a readable PDF")
	// ErrNoSignatures: the PDF has no signature and no document time-stamp.
	ErrNoSignatures = errors.New("signature: the document has no signature")
)

// DocumentError details why a document could not be read for verification. It wraps
// ErrNotPDF and the underlying cause.
type DocumentError struct {
	Err error
}

// Error says why the document could not be read.
func (e *DocumentError) Error() string {
	return fmt.Sprintf("%v: %v", ErrNotPDF, e.Err)
}

// Unwrap returns ErrNotPDF and the cause.
func (e *DocumentError) Unwrap() []error { return []error{ErrNotPDF, e.Err} }
