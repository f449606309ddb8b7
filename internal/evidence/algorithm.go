package evidence

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
)

// The algorithm policy of Thông tư 39/2017/TT-BTTTT and Thông tư 15/2025: RSA keys of
// at least 2048 bits, ECDSA keys of at least 256 bits (Ed25519 accepted for other
// tools' files), the SHA-2 and SHA-3 families; SHA-1 only for signatures made before
// its sunset; MD5 never.
const (
	MinRSABits   = 2048
	MinECDSABits = 256
)

// KeyStrength applies the key policy to pub. It returns nil, an error wrapping
// ErrWeakAlgorithm (a key too short) or one wrapping ErrUnsupported (a key type the
// policy does not know).
func KeyStrength(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N == nil || k.N.BitLen() < MinRSABits {
			n := 0
			if k.N != nil {
				n = k.N.BitLen()
			}
			return fmt.Errorf("%w: RSA key of %d bits (at least %d required)", ErrWeakAlgorithm, n, MinRSABits)
		}
	case *ecdsa.PublicKey:
		if k.Curve == nil || k.Curve.Params().BitSize < MinECDSABits {
			return fmt.Errorf("%w: ECDSA key below %d bits", ErrWeakAlgorithm, MinECDSABits)
		}
	case ed25519.PublicKey:
	default:
		return fmt.Errorf("%w: public key type %T not in the policy", ErrUnsupported, pub)
	}
	return nil
}

// CheckHash applies the hash policy to a signature made with h at signedAt: the SHA-2
// and SHA-3 families pass; SHA-1 passes only when signedAt is not after sha1Sunset (a
// zero sunset refuses it always); MD5 and other weak hashes never. Errors wrap
// ErrWeakAlgorithm.
func CheckHash(h crypto.Hash, signedAt, sha1Sunset time.Time) error {
	switch h {
	case crypto.SHA1:
		if sha1Sunset.IsZero() {
			return fmt.Errorf("%w: SHA-1 is not acceptable", ErrWeakAlgorithm)
		}
		if signedAt.After(sha1Sunset) {
			return fmt.Errorf("%w: SHA-1 signature made after %s", ErrWeakAlgorithm, sha1Sunset.Format("2006-01-02"))
		}
		return nil
	case crypto.SHA224, crypto.SHA256, crypto.SHA384, crypto.SHA512, crypto.SHA512_224, crypto.SHA512_256,
		crypto.SHA3_224, crypto.SHA3_256, crypto.SHA3_384, crypto.SHA3_512:
		return nil
	}
	if cms.WeakHash(h) {
		return fmt.Errorf("%w: hash %v is not acceptable", ErrWeakAlgorithm, h)
	}
	return fmt.Errorf("%w: hash %v is not in the policy", ErrWeakAlgorithm, h)
}

// CheckSignatureAlgorithm applies the hash policy to a certificate or CRL signature
// algorithm, for something signed at signedAt.
func CheckSignatureAlgorithm(alg x509.SignatureAlgorithm, signedAt, sha1Sunset time.Time) error {
	switch alg {
	case x509.MD2WithRSA, x509.MD5WithRSA:
		return fmt.Errorf("%v is never acceptable", alg)
	case x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1:
		if signedAt.After(sha1Sunset) {
			return fmt.Errorf("%v after %s", alg, sha1Sunset.Format("2006-01-02"))
		}
	case x509.UnknownSignatureAlgorithm:
		return errors.New("unknown signature algorithm")
	}
	return nil
}
