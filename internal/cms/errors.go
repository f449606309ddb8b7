package cms

import (
	"errors"
	"fmt"
)

// Sentinel errors, usable with errors.Is. Detailed errors wrap one of them.
var (
	// ErrMalformed: the input is not a well-formed CMS SignedData.
	ErrMalformed = errors.New("cms: malformed SignedData")
	// ErrLimit: the input exceeds a size, count or nesting limit.
	ErrLimit = errors.New("cms: input exceeds a limit")
	// ErrWeakAlgorithm: SHA-1 or MD5, refused for signing and (by default) for checks.
	ErrWeakAlgorithm = errors.New("cms: weak digest algorithm (SHA-1/MD5) refused")
	// ErrUnsupportedAlgorithm: a digest, signature algorithm, key type or curve this
	// package does not handle.
	ErrUnsupportedAlgorithm = errors.New("cms: unsupported algorithm")
	// ErrKeyMismatch: the signer's public key is not the certificate's.
	ErrKeyMismatch = errors.New("cms: signer key does not match the certificate")
	// ErrBadSignature: a signature value does not verify with the public key.
	ErrBadSignature = errors.New("cms: signature value does not verify")
	// ErrNoSignedAttributes: a SignerInfo has no signed attributes (PAdES requires them).
	ErrNoSignedAttributes = errors.New("cms: signer info has no signed attributes")
	// ErrAttribute: a required attribute is missing or malformed.
	ErrAttribute = errors.New("cms: missing or malformed attribute")
	// ErrSignerNotFound: no certificate or signer info matches.
	ErrSignerNotFound = errors.New("cms: signer not found")
)

// AlgorithmError details an algorithm refusal. It wraps ErrWeakAlgorithm or
// ErrUnsupportedAlgorithm.
type AlgorithmError struct {
	Algorithm string // human-readable name or OID
	Reason    string // what to use instead, e.g. "use SHA-256, SHA-384 or SHA-512"
	Err       error  // ErrWeakAlgorithm or ErrUnsupportedAlgorithm
}

// Error names the algorithm and, when known, what to use instead.
func (e *AlgorithmError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("%v: %s", e.Err, e.Algorithm)
	}
	return fmt.Sprintf("%v: %s (%s)", e.Err, e.Algorithm, e.Reason)
}

// Unwrap returns the sentinel.
func (e *AlgorithmError) Unwrap() error { return e.Err }

// SyntaxError details a parse failure: where in the structure it happened. It wraps
// ErrMalformed or ErrLimit.
type SyntaxError struct {
	Where string // e.g. "SignerInfo.signedAttrs"
	Msg   string // what is wrong
	Err   error  // ErrMalformed or ErrLimit
}

// Error says where in the structure parsing failed and why.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%v: %s: %s", e.Err, e.Where, e.Msg)
}

// Unwrap returns the sentinel.
func (e *SyntaxError) Unwrap() error { return e.Err }

func malformed(where, format string, args ...any) error {
	return &SyntaxError{Where: where, Msg: fmt.Sprintf(format, args...), Err: ErrMalformed}
}

// AttributeError details a missing or malformed attribute. It wraps ErrAttribute.
type AttributeError struct {
	Attribute string // e.g. "message-digest"
	Reason    string // what is wrong with it
}

// Error names the attribute and what is wrong with it.
func (e *AttributeError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrAttribute, e.Attribute, e.Reason)
}

// Unwrap returns ErrAttribute.
func (e *AttributeError) Unwrap() error { return ErrAttribute }
