package token

import (
	"crypto"
	"crypto/x509"
)

// Signer is a signing key together with its certificate and the issuers found beside it.
// Both [*SoftSigner] and [*KeySigner] (a key on a PKCS#11 token) implement it, so callers
// treat software and hardware keys alike.
type Signer interface {
	crypto.Signer
	// Certificate returns the signer's own (leaf) certificate.
	Certificate() *x509.Certificate
	// Chain returns the issuers of Certificate, leaf excluded, ordered towards the
	// root.
	Chain() []*x509.Certificate
}

var (
	_ Signer = (*SoftSigner)(nil)
)
