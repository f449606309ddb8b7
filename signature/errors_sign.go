package signature

import (
	"errors"
	"fmt"

	"github.com/kyso-go/kyso/internal/pdf"
)

// Errors returned by Sign, Prepare and Complete. Each refusal wraps one of these
// sentinels (use errors.Is); most also come as a *SignError (use errors.As) that says
// what was refused and what to do about it.
var (
	// ErrNoCertificate: no signer certificate was given (chain[0] is the signer's).
	ErrNoCertificate = errors.New("signature: no signer certificate")
	// ErrKeyMismatch: the signer's public key is not the certificate's.
	ErrKeyMismatch = errors.New("signature: signer key does not match the certificate")
	// ErrAlgorithm: a digest or key algorithm that is refused (SHA-1, MD5, RSA < 2048
	// bits) or not supported (curves other than P-256/P-384, Ed25519, SHA-224).
	ErrAlgorithm = errors.New("signature: algorithm refused or unsupported")
	// ErrInvalidOptions: contradictory or out-of-range options.
	ErrInvalidOptions = errors.New("signature: invalid sign options")
	// ErrFieldNotFound: SignOptions.Field names no field of the document.
	ErrFieldNotFound = errors.New("signature: signature field not found")
	// ErrNotSignatureField: the named field is not a signature field (/FT /Sig).
	ErrNotSignatureField = errors.New("signature: field is not a signature field")
	// ErrFieldSigned: the named signature field already holds a signature.
	ErrFieldSigned = errors.New("signature: signature field is already signed")
	// ErrFieldExists: SignOptions.NewField names a field that already exists.
	ErrFieldExists = errors.New("signature: a field with that name already exists")
	// ErrPageNotFound: the widget's page does not exist.
	ErrPageNotFound = errors.New("signature: page not found")
	// ErrAppearance: the caller's appearance could not be used.
	ErrAppearance = errors.New("signature: appearance unusable")
	// ErrCertifiedNoChanges: the document's certification signature (DocMDP P=1)
	// forbids any change, so no signature may be added.
	ErrCertifiedNoChanges = errors.New("signature: the document is certified with no changes allowed (DocMDP P=1)")
	// ErrCertifyNotFirst: certification (DocMDP) was asked for a document that is
	// already signed; only the first signature may certify.
	ErrCertifyNotFirst = errors.New("signature: only the first signature of a document may certify it")
	// ErrContentsTooSmall: the CMS does not fit into the reserved /Contents.
	ErrContentsTooSmall = errors.New("signature: signature does not fit into the reserved /Contents")
	// ErrBadSignatureValue: the signature value (from the signer or given to Complete)
	// does not verify with the certificate's public key.
	ErrBadSignatureValue = errors.New("signature: signature value does not verify with the certificate")
	// ErrStateInvalid: a deferred-signing state is malformed, tampered with or was
	// protected with another key.
	ErrStateInvalid = errors.New("signature: deferred-signing state is invalid or tampered with")
	// ErrStateMismatch: the input given to Complete is not the one Prepare saw.
	ErrStateMismatch = errors.New("signature: input does not match the deferred-signing state")
	// ErrPolicyRefused: the caller's signing policy (SignOptions.Policy) refused the
	// signature; the hook's error is wrapped, so errors.As reaches its own type.
	ErrPolicyRefused = errors.New("signature: the signing policy refused the signature")
	// ErrDocument: the input PDF cannot be read or updated (see the wrapped error from
	// the PDF layer: malformed, limit, unsupported encryption, wrong password). An
	// input that cannot be opened as a PDF at all also matches ErrNotPDF, the sentinel
	// Verify returns for the same input.
	ErrDocument = errors.New("signature: cannot read or update the document")

	// ErrWrongPassword: the document is encrypted and the password given
	// (SignOptions.Password, VerifyOptions.Password; nil means the empty password) is
	// neither its user nor its owner password. Sign wraps it in ErrDocument and
	// ErrNotPDF, Verify in ErrNotPDF, so errors.Is finds them: ask the user for the
	// password and retry.
	ErrWrongPassword = pdf.ErrWrongPassword
	// ErrUnsupportedEncryption: the document is encrypted with a security handler other
	// than the standard password handler (for example Adobe.PubSec, encryption to
	// certificates) or with an unknown crypt filter; it cannot be read or signed.
	ErrUnsupportedEncryption = pdf.ErrUnsupportedEncryption
	// ErrLimit: the input exceeds a read limit (too many objects, too deep, a stream
	// too large once decompressed; see SignOptions.Limits). Wrapped in ErrDocument.
	ErrLimit = pdf.ErrLimit
)

// SignError details a refusal by Sign, Prepare or Complete. Err is one of the sentinels
// above; Cause, when set, is the underlying error (for example from the PDF layer or
// internal/cms).
type SignError struct {
	Err    error  // the sentinel, e.g. ErrFieldSigned
	Detail string // what exactly, e.g. the field name
	Cause  error
}

// Error says what was refused: the sentinel's text, the detail and the cause.
func (e *SignError) Error() string {
	s := e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns the sentinel and the cause, so errors.Is matches both.
func (e *SignError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

func signErr(sentinel error, cause error, format string, args ...any) error {
	return &SignError{Err: sentinel, Detail: fmt.Sprintf(format, args...), Cause: cause}
}

// openErr is the error of Sign, Prepare, Complete and Extend when the input cannot be
// opened as a PDF: it matches ErrDocument and, like Verify's error for the same input,
// ErrNotPDF.
func openErr(err error) error {
	return &SignError{Err: ErrDocument, Cause: notPDFError{err}}
}

// notPDFError wraps the PDF layer's error with ErrNotPDF without changing its text.
type notPDFError struct{ err error }

func (e notPDFError) Error() string   { return e.err.Error() }
func (e notPDFError) Unwrap() []error { return []error{ErrNotPDF, e.err} }
