package signature

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/evidence"
	"github.com/kyso-go/kyso/internal/identity"
)

// errNoRoots is the chain error when no trust anchors were given.
var errNoRoots = errors.New("no trusted root certificates were given")

// builtinValidator validates a path with x509.Certificate.Verify at the given time.
type builtinValidator struct {
	roots, intermediates *x509.CertPool
}

// ValidateChain verifies cert's path to the roots at time at with crypto/x509.
func (b builtinValidator) ValidateChain(ctx context.Context, cert *x509.Certificate, inter []*x509.Certificate, at time.Time) ([]*x509.Certificate, error) {
	if b.roots == nil {
		return nil, &ChainError{SubIndication: NoCertificateChainFound, Err: errNoRoots}
	}
	pool := x509.NewCertPool()
	if b.intermediates != nil {
		pool = b.intermediates.Clone()
	}
	for _, c := range inter {
		pool.AddCert(c)
	}
	chains, err := cert.Verify(x509.VerifyOptions{
		Roots:         b.roots,
		Intermediates: pool,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return nil, err
	}
	return chains[0], nil
}

// SubIndicationError is what an error of a ChainValidator (or of any other source
// this package consumes) may implement to say which ETSI EN 319 102-1 sub-indication
// its failure deserves, by name: "NO_CERTIFICATE_CHAIN_FOUND", "OUT_OF_BOUNDS_NO_POE",
// "CHAIN_CONSTRAINTS_FAILURE", "CRYPTO_CONSTRAINTS_FAILURE", "REVOKED", … The errors
// of certstatus implement it, so a *certstatus.Checker is a ChainValidator and a
// RevocationSource as it is, with no adapter.
type SubIndicationError interface {
	error
	SubIndication() string
}

// chainSubIndication maps a path-validation error to an ETSI sub-indication.
func chainSubIndication(err error) SubIndication {
	var ce *ChainError
	var se SubIndicationError
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var ia x509.InsecureAlgorithmError
	switch {
	case errors.As(err, &ce):
		return ce.SubIndication
	case errors.As(err, &se) && se.SubIndication() != "":
		return SubIndication(se.SubIndication())
	case errors.As(err, &ua):
		return NoCertificateChainFound
	case errors.As(err, &ia):
		return CryptoConstraintsFailure
	case errors.As(err, &ci):
		switch ci.Reason {
		case x509.Expired:
			return OutOfBoundsNoPOE
		case x509.IncompatibleUsage, x509.NotAuthorizedToSign, x509.TooManyIntermediates, x509.CANotAuthorizedForThisName, x509.CANotAuthorizedForExtKeyUsage:
			return ChainConstraintsFailure
		}
	}
	return CertificateChainFailure
}

// checkKeyUsage reports why cert may not make signatures, or "" when it may.
func checkKeyUsage(cert *x509.Certificate) string {
	if !identity.MaySign(cert) {
		return "neither digitalSignature nor nonRepudiation"
	}
	if cert.IsCA {
		return "a CA certificate"
	}
	return ""
}

// checkTSAKeyUsage reports why cert may not sign time-stamps, or "" when it may (RFC 3161
// §2.3, as internal/cms judges it; leniently: timeStamping need not be the only,
// critical extended key usage in tokens other tools made).
func checkTSAKeyUsage(cert *x509.Certificate) string { return cms.TSAUsageProblem(cert, false) }

// keyStrength reports why a public key is below the module's key policy (RSA < 2048,
// ECDSA < 256 bits, an unknown key type; internal/evidence), or "".
func keyStrength(pub any) string {
	if err := evidence.KeyStrength(pub); err != nil {
		return evidence.WithoutReason(evidence.WithoutReason(err.Error(), evidence.ErrWeakAlgorithm), evidence.ErrUnsupported)
	}
	return ""
}

// keyDescription names a public key for messages ("RSA 2048", "ECDSA P-256").
func keyDescription(pub any) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k != nil && k.N != nil {
			return fmt.Sprintf("RSA %d", k.N.BitLen())
		}
	case *ecdsa.PublicKey:
		if k != nil && k.Curve != nil && k.Curve.Params() != nil {
			return "ECDSA " + k.Curve.Params().Name
		}
		return "ECDSA"
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return fmt.Sprintf("%T", pub)
}

// findIssuer returns the certificate among pool that issued cert (by name and signature).
func findIssuer(cert *x509.Certificate, pool []*x509.Certificate) *x509.Certificate {
	for _, c := range pool {
		if string(c.RawSubject) == string(cert.RawIssuer) && cert.CheckSignatureFrom(c) == nil {
			return c
		}
	}
	return nil
}
