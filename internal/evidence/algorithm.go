package evidence

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/kyso-go/kyso/internal/algorithm"
)

// wrapPolicy wraps a refusal of internal/algorithm in ErrWeakAlgorithm (below the
// policy) or ErrUnsupported (not in it).
func wrapPolicy(err error) error {
	var e *algorithm.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e) && !e.Weak:
		return fmt.Errorf("%w: %s", ErrUnsupported, e.Detail)
	}
	return fmt.Errorf("%w: %v", ErrWeakAlgorithm, err)
}

// KeyStrength applies the key policy (internal/algorithm) to pub. It returns nil, an
// error wrapping ErrWeakAlgorithm (a key too short) or one wrapping ErrUnsupported (a
// key type the policy does not know).
func KeyStrength(pub crypto.PublicKey) error { return wrapPolicy(algorithm.KeyStrength(pub)) }

// CheckHash applies the hash policy (internal/algorithm) to a signature made with h at
// signedAt. Errors wrap ErrWeakAlgorithm.
func CheckHash(h crypto.Hash, signedAt, sha1Sunset time.Time) error {
	if err := algorithm.CheckHash(h, signedAt, sha1Sunset); err != nil {
		return fmt.Errorf("%w: %v", ErrWeakAlgorithm, err)
	}
	return nil
}

// CheckSignatureAlgorithm applies the hash policy to a certificate or CRL signature
// algorithm, for something signed at signedAt. The error carries only the detail.
func CheckSignatureAlgorithm(alg x509.SignatureAlgorithm, signedAt, sha1Sunset time.Time) error {
	return algorithm.CheckSignatureAlgorithm(alg, signedAt, sha1Sunset)
}
