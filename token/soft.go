package token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/kyso-go/kyso/internal/evidence"
)

// maxKeyFileSize bounds a PKCS#12 or PEM input.
const maxKeyFileSize = 1 << 20

// SoftSigner is a crypto.Signer over a key held in memory, for development and tests.
// Production signatures under the government CA are made with a key on a token; see
// [OpenModule].
//
// A SoftSigner is safe for concurrent use.
type SoftSigner struct {
	key   crypto.Signer
	cert  *x509.Certificate
	chain []*x509.Certificate
}

// OpenPKCS12 reads a PKCS#12 (.p12, .pfx) file holding one private key, its certificate
// and optionally the issuers. The password is used only during the call. The key must be
// RSA (≥ 2048 bits) or ECDSA (≥ 256 bits) and match the certificate.
//
// It does not check the certificate's validity period, usage or revocation: that is the
// verifier's job.
func OpenPKCS12(data, password []byte) (*SoftSigner, error) {
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("%w: PKCS#12 file of %d bytes (limit %d)", ErrTooLarge, len(data), maxKeyFileSize)
	}
	if err := checkPKCS12Work(data); err != nil {
		return nil, err
	}
	key, cert, cas, err := decodePKCS12(data, password)
	if err != nil {
		switch {
		case errors.Is(err, pkcs12.ErrIncorrectPassword):
			return nil, fmt.Errorf("%w: %v", ErrIncorrectPassword, err)
		case errors.Is(err, pkcs12.ErrDecryption):
			return nil, fmt.Errorf("%w: %v", ErrIncorrectPassword, err)
		}
		return nil, fmt.Errorf("%w: PKCS#12: %v", ErrMalformedKeyFile, err)
	}
	if len(cas) > maxCertificates {
		return nil, fmt.Errorf("%w: %d certificates in the PKCS#12 file (limit %d)", ErrTooLarge, len(cas), maxCertificates)
	}
	signer, ok := key.(crypto.Signer)
	if !ok || key == nil {
		return nil, fmt.Errorf("%w: PKCS#12 key of type %T", ErrUnsupportedKey, key)
	}
	return newSoftSigner(signer, cert, cas)
}

// decodePKCS12 calls pkcs12.DecodeChain, turning a panic on hostile input into an error.
func decodePKCS12(data, password []byte) (key any, cert *x509.Certificate, cas []*x509.Certificate, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed PKCS#12 data (%v)", r)
		}
	}()
	return pkcs12.DecodeChain(data, string(password))
}

// newSoftSigner checks key and cert and orders the chain.
func newSoftSigner(key crypto.Signer, cert *x509.Certificate, others []*x509.Certificate) (*SoftSigner, error) {
	if err := checkKey(key.Public()); err != nil {
		return nil, err
	}
	if cert == nil {
		return nil, ErrNoCertificate
	}
	if !publicKeysEqual(key.Public(), cert.PublicKey) {
		return nil, fmt.Errorf("%w: certificate %q", ErrKeyMismatch, cert.Subject.String())
	}
	path, rest := orderChain(cert, others)
	return &SoftSigner{key: key, cert: cert, chain: append(path, rest...)}, nil
}

// checkKey accepts RSA keys of at least 2048 bits and ECDSA keys of at least 256 bits
// (the module's key policy, internal/evidence).
func checkKey(pub crypto.PublicKey) error {
	switch pub.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey:
	default:
		return fmt.Errorf("%w: %T (RSA or ECDSA expected)", ErrUnsupportedKey, pub)
	}
	if err := evidence.KeyStrength(pub); err != nil {
		return fmt.Errorf("%w: %s", ErrUnsupportedKey, evidence.WithoutReason(err.Error(), evidence.ErrWeakAlgorithm))
	}
	return nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	ea, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && ea.Equal(b)
}

// Public returns the public key.
func (s *SoftSigner) Public() crypto.PublicKey { return s.key.Public() }

// Certificate returns the signer's certificate.
func (s *SoftSigner) Certificate() *x509.Certificate { return s.cert }

// Chain returns the issuers found in the key file, leaf excluded, ordered towards the
// root; certificates of the file that are not on the path follow at the end. The caller
// must not modify the slice.
func (s *SoftSigner) Chain() []*x509.Certificate { return s.chain }

// Sign signs digest, a hash made with opts.HashFunc(). RSA keys sign PKCS#1 v1.5 unless
// opts is an *rsa.PSSOptions; ECDSA keys return an ASN.1 DER signature. SHA-1 and MD5
// are refused with ErrWeakHash. rand is used for PSS salts and ECDSA nonces; nil means
// crypto/rand.
func (s *SoftSigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts == nil {
		return nil, fmt.Errorf("%w: no signer options", ErrUnsupportedHash)
	}
	if err := checkDigest(opts.HashFunc(), digest); err != nil {
		return nil, err
	}
	switch k := s.key.(type) {
	case *rsa.PrivateKey:
		if pss, ok := opts.(*rsa.PSSOptions); ok {
			return rsa.SignPSS(rand, k, pss.Hash, digest, pss)
		}
		return rsa.SignPKCS1v15(rand, k, opts.HashFunc(), digest)
	case *ecdsa.PrivateKey:
		if _, ok := opts.(*rsa.PSSOptions); ok {
			return nil, fmt.Errorf("%w: RSA-PSS options for an ECDSA key", ErrUnsupportedOptions)
		}
		return ecdsa.SignASN1(rand, k, digest)
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, s.key)
}
