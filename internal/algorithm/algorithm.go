// Package algorithm is the module's algorithm policy and its table of hash
// algorithms, written once: RSA keys of at least 2048 bits, ECDSA keys of at least
// 256 bits (Ed25519 accepted for other tools' files), the SHA-2 and SHA-3 families;
// SHA-1 only for what was signed before its sunset; MD5 never (Thông tư 39/2017/
// TT-BTTTT, Thông tư 15/2025). internal/cms refuses weak algorithms when signing,
// internal/evidence (and through it certstatus and signature) when judging, token
// when asked to sign a digest.
//
// It depends on the standard library only, so every other package can use it.
package algorithm

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"time"
)

// The minimum key sizes.
const (
	MinRSABits   = 2048
	MinECDSABits = 256
)

// Digest algorithm identifiers.
var (
	OIDSHA1   = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	OIDMD5    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 5}
	OIDSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	OIDSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	OIDSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

// The SHA-3 digest algorithm identifiers (NIST CSOR, FIPS 202).
var (
	OIDSHA3_256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 8}
	OIDSHA3_384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 9}
	OIDSHA3_512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 10}
)

// hashUse says what the module does with a hash algorithm's identifier.
type hashUse uint8

const (
	// useVerify: the identifier is recognised in what the module reads and writes
	// itself (CMS SignedData, time-stamp tokens, OCSP): HashOID and HashFromOID.
	// SHA-1 and MD5 are recognised so that callers can refuse them by name.
	useVerify hashUse = 1 << iota
	// useRemote: the identifier may be sent to a remote signing service
	// (hashAlgorithmOID of the CSC API) for it to sign a digest made with the hash:
	// RemoteHashOID. Only hashes the policy accepts for new signatures.
	useRemote
)

// hashOIDs is the module's one table of digest algorithm identifiers.
var hashOIDs = []struct {
	h   crypto.Hash
	oid asn1.ObjectIdentifier
	use hashUse
}{
	{crypto.SHA256, OIDSHA256, useVerify | useRemote},
	{crypto.SHA384, OIDSHA384, useVerify | useRemote},
	{crypto.SHA512, OIDSHA512, useVerify | useRemote},
	{crypto.SHA1, OIDSHA1, useVerify},
	{crypto.MD5, OIDMD5, useVerify},
	{crypto.SHA3_256, OIDSHA3_256, useRemote},
	{crypto.SHA3_384, OIDSHA3_384, useRemote},
	{crypto.SHA3_512, OIDSHA3_512, useRemote},
}

func hashOID(h crypto.Hash, use hashUse) (asn1.ObjectIdentifier, bool) {
	for _, e := range hashOIDs {
		if e.h == h && e.use&use != 0 {
			return e.oid, true
		}
	}
	return nil, false
}

// HashOID returns the digest algorithm identifier of h as the module's CMS, TSP and
// OCSP code reads and writes it (the SHA-2 family, and SHA-1 and MD5 so they can be
// refused by name).
func HashOID(h crypto.Hash) (asn1.ObjectIdentifier, bool) { return hashOID(h, useVerify) }

// HashFromOID maps a digest algorithm identifier to a crypto.Hash (0 when unknown),
// for verification: the SHA-2 family; SHA-1 and MD5 are recognised so that callers
// can refuse them by name.
func HashFromOID(oid asn1.ObjectIdentifier) crypto.Hash {
	for _, e := range hashOIDs {
		if e.use&useVerify != 0 && e.oid.Equal(oid) {
			return e.h
		}
	}
	return 0
}

// RemoteHashOID returns the identifier sent to a remote signing service (the CSC
// API's hashAlgorithmOID) for a digest made with h, for the hashes accepted for
// signing remotely: the SHA-2 and SHA-3 families of 256 bits and more; never SHA-1
// or MD5.
func RemoteHashOID(h crypto.Hash) (asn1.ObjectIdentifier, bool) { return hashOID(h, useRemote) }

// DigestInfoPrefix is the DER prefix of a PKCS#1 v1.5 DigestInfo (RFC 8017 §9.2,
// note 1) for each hash the module signs or verifies with; the digest bytes follow.
var DigestInfoPrefix = map[crypto.Hash][]byte{
	crypto.SHA1:     {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14},
	crypto.SHA224:   {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c},
	crypto.SHA256:   {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384:   {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512:   {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
	crypto.SHA3_256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x08, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA3_384: {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x09, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA3_512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0a, 0x05, 0x00, 0x04, 0x40},
}

// WeakHash reports whether h is a weak digest (SHA-1, MD5, MD4, MD5+SHA-1,
// RIPEMD-160): refused for new signatures and, by default, for checks.
func WeakHash(h crypto.Hash) bool {
	switch h {
	case crypto.SHA1, crypto.MD5, crypto.MD4, crypto.MD5SHA1, crypto.RIPEMD160:
		return true
	}
	return false
}

// Error is a refusal by the policy. Weak tells an algorithm or size below the policy
// from one the policy does not know; callers wrap it in their own sentinel.
type Error struct {
	Weak   bool
	Detail string // e.g. "RSA key of 1024 bits (at least 2048 required)"
}

// Error returns the detail.
func (e *Error) Error() string { return e.Detail }

func weak(format string, args ...any) error {
	return &Error{Weak: true, Detail: fmt.Sprintf(format, args...)}
}

// KeyStrength applies the key policy to pub: nil, or an *Error.
func KeyStrength(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N == nil || k.N.BitLen() < MinRSABits {
			n := 0
			if k.N != nil {
				n = k.N.BitLen()
			}
			return weak("RSA key of %d bits (at least %d required)", n, MinRSABits)
		}
	case *ecdsa.PublicKey:
		if k.Curve == nil || k.Curve.Params().BitSize < MinECDSABits {
			return weak("ECDSA key below %d bits", MinECDSABits)
		}
	case ed25519.PublicKey:
	default:
		return &Error{Detail: fmt.Sprintf("public key type %T not in the policy", pub)}
	}
	return nil
}

// CheckHash applies the hash policy to a signature made with h at signedAt: the SHA-2
// and SHA-3 families pass; SHA-1 passes only when signedAt is not after sha1Sunset (a
// zero sunset refuses it always); MD5 and other weak hashes never. It returns nil or
// an *Error.
func CheckHash(h crypto.Hash, signedAt, sha1Sunset time.Time) error {
	switch h {
	case crypto.SHA1:
		if sha1Sunset.IsZero() {
			return weak("SHA-1 is not acceptable")
		}
		if signedAt.After(sha1Sunset) {
			return weak("SHA-1 signature made after %s", sha1Sunset.Format("2006-01-02"))
		}
		return nil
	case crypto.SHA224, crypto.SHA256, crypto.SHA384, crypto.SHA512, crypto.SHA512_224, crypto.SHA512_256,
		crypto.SHA3_224, crypto.SHA3_256, crypto.SHA3_384, crypto.SHA3_512:
		return nil
	}
	if WeakHash(h) {
		return weak("hash %v is not acceptable", h)
	}
	return weak("hash %v is not in the policy", h)
}

// CheckSignatureAlgorithm applies the hash policy to a certificate or CRL signature
// algorithm, for something signed at signedAt. It returns nil or an *Error.
func CheckSignatureAlgorithm(alg x509.SignatureAlgorithm, signedAt, sha1Sunset time.Time) error {
	switch alg {
	case x509.MD2WithRSA, x509.MD5WithRSA:
		return weak("%v is never acceptable", alg)
	case x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1:
		if signedAt.After(sha1Sunset) {
			return weak("%v after %s", alg, sha1Sunset.Format("2006-01-02"))
		}
	case x509.UnknownSignatureAlgorithm:
		return &Error{Detail: "unknown signature algorithm"}
	}
	return nil
}
