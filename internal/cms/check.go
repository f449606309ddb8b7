package cms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"

	"github.com/kyso-go/kyso/internal/algorithm"
)

// CheckOptions tunes SignerInfo.CheckSignature. The zero value (or nil) is strict.
type CheckOptions struct {
	// AllowWeakHash lets SHA-1 signatures be checked (for reporting legacy
	// signatures); by default they yield ErrWeakAlgorithm. MD5 is never accepted.
	AllowWeakHash bool
}

// CheckSignature checks si.Signature over the DER signed attributes with pub (an
// *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey, usually the signer
// certificate's) for RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA and (for other tools' files)
// Ed25519. It returns nil when the value verifies, ErrBadSignature
// when it does not, ErrNoSignedAttributes, or an *AlgorithmError.
//
// It does not compare the message-digest attribute with the content, does not check
// that the signing-certificate attribute names the certificate and does not validate
// any certificate: see MessageDigest, SigningCertificate and SignedData.SignerCertificate.
func (si *SignerInfo) CheckSignature(pub crypto.PublicKey, opts *CheckOptions) error {
	if si.RawSignedAttributes == nil {
		return ErrNoSignedAttributes
	}
	if pub == nil {
		return &AlgorithmError{Algorithm: "unknown public key algorithm (e.g. Ed448)", Err: ErrUnsupportedAlgorithm}
	}
	if edPub, ok := pub.(ed25519.PublicKey); ok {
		return si.checkEd25519(edPub)
	}
	h := si.Hash
	if h == 0 {
		return &AlgorithmError{Algorithm: si.DigestAlgorithm.Algorithm.String(), Reason: "digest algorithm", Err: ErrUnsupportedAlgorithm}
	}
	// The module's weak-hash list (internal/algorithm); AllowWeakHash lets SHA-1 alone
	// through, for a caller that judges it afterwards with the SHA-1 sunset.
	if algorithm.WeakHash(h) && !(h == crypto.SHA1 && opts != nil && opts.AllowWeakHash) {
		return &AlgorithmError{Algorithm: h.String(), Err: ErrWeakAlgorithm}
	}
	pss, saltLen, err := signatureScheme(si.SignatureAlgorithm, h, pub)
	if err != nil {
		return err
	}
	hh := h.New()
	hh.Write(si.RawSignedAttributes)
	return checkSignatureValue(pub, h, pss, saltLen, hh.Sum(nil), si.Signature)
}

// checkEd25519 checks a pure Ed25519 signature over the signed attributes (RFC 8419:
// no pre-hash; the content digest uses SHA-512).
func (si *SignerInfo) checkEd25519(pub ed25519.PublicKey) error {
	if !si.SignatureAlgorithm.Algorithm.Equal(OIDEd25519) {
		return &AlgorithmError{Algorithm: si.SignatureAlgorithm.Algorithm.String(), Reason: "not Ed25519 for an Ed25519 key", Err: ErrUnsupportedAlgorithm}
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, si.RawSignedAttributes, si.Signature) {
		return ErrBadSignature
	}
	return nil
}

// signatureScheme checks that the signature algorithm fits the key and the digest
// algorithm and returns the PSS parameters when it is RSASSA-PSS.
func signatureScheme(alg pkix.AlgorithmIdentifier, h crypto.Hash, pub crypto.PublicKey) (pss bool, saltLen int, err error) {
	oid := alg.Algorithm
	unsupported := func(reason string) error {
		return &AlgorithmError{Algorithm: oid.String(), Reason: reason, Err: ErrUnsupportedAlgorithm}
	}
	switch pub.(type) {
	case *rsa.PublicKey:
		switch {
		case oid.Equal(OIDRSAEncryption):
			return false, 0, nil
		case oid.Equal(OIDSHA256WithRSA), oid.Equal(OIDSHA384WithRSA), oid.Equal(OIDSHA512WithRSA), oid.Equal(OIDSHA1WithRSA):
			if !rsaSigOIDFor(h).Equal(oid) {
				return false, 0, unsupported("signature algorithm does not match the digest algorithm " + h.String())
			}
			return false, 0, nil
		case oid.Equal(OIDRSASSAPSS):
			ph, salt, err := parsePSSParams(alg.Parameters.FullBytes)
			if err != nil {
				return false, 0, err
			}
			if ph != h {
				return false, 0, unsupported("RSASSA-PSS hash differs from the digest algorithm")
			}
			return true, salt, nil
		}
		return false, 0, unsupported("not an RSA signature algorithm")
	case *ecdsa.PublicKey:
		switch {
		case oid.Equal(OIDECPublicKey):
			return false, 0, nil
		case oid.Equal(OIDECDSAWithSHA256), oid.Equal(OIDECDSAWithSHA384), oid.Equal(OIDECDSAWithSHA512), oid.Equal(OIDECDSAWithSHA1):
			if !ecdsaSigOIDFor(h).Equal(oid) {
				return false, 0, unsupported("signature algorithm does not match the digest algorithm " + h.String())
			}
			return false, 0, nil
		}
		return false, 0, unsupported("not an ECDSA signature algorithm")
	}
	return false, 0, &AlgorithmError{Algorithm: fmt.Sprintf("%T", pub), Reason: "public key type", Err: ErrUnsupportedAlgorithm}
}

func rsaSigOIDFor(h crypto.Hash) asn1.ObjectIdentifier {
	if h == crypto.SHA1 {
		return OIDSHA1WithRSA
	}
	return rsaSigOID(h)
}

func ecdsaSigOIDFor(h crypto.Hash) asn1.ObjectIdentifier {
	if h == crypto.SHA1 {
		return OIDECDSAWithSHA1
	}
	return ecdsaSigOID(h)
}

// pssParams mirrors RSASSA-PSS-params (RFC 4055).
type pssParams struct {
	Hash         pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:0"`
	MGF          pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:1"`
	SaltLength   int                      `asn1:"optional,explicit,tag:2,default:20"`
	TrailerField int                      `asn1:"optional,explicit,tag:3,default:1"`
}

// parsePSSParams returns the hash and salt length of RSASSA-PSS-params; the MGF must be
// MGF1 with the same hash (what crypto/rsa implements) and the trailer 1.
func parsePSSParams(der []byte) (crypto.Hash, int, error) {
	var p pssParams
	if len(der) == 0 { // all defaults: SHA-1
		return crypto.SHA1, 20, nil
	}
	if rest, err := asn1.Unmarshal(der, &p); err != nil || len(rest) != 0 {
		return 0, 0, malformed("RSASSA-PSS-params", "cannot parse")
	}
	h := crypto.SHA1
	if len(p.Hash.Algorithm) > 0 {
		h = algorithm.HashFromOID(p.Hash.Algorithm)
	}
	mgfHash := crypto.SHA1
	if len(p.MGF.Algorithm) > 0 {
		if !p.MGF.Algorithm.Equal(OIDMGF1) {
			return 0, 0, &AlgorithmError{Algorithm: p.MGF.Algorithm.String(), Reason: "mask generation function", Err: ErrUnsupportedAlgorithm}
		}
		var mh pkix.AlgorithmIdentifier
		if _, err := asn1.Unmarshal(p.MGF.Parameters.FullBytes, &mh); err != nil {
			return 0, 0, malformed("RSASSA-PSS-params", "bad MGF1 hash")
		}
		mgfHash = algorithm.HashFromOID(mh.Algorithm)
	}
	if h == 0 || mgfHash != h {
		return 0, 0, &AlgorithmError{Algorithm: "RSASSA-PSS", Reason: "MGF1 hash must equal the message hash", Err: ErrUnsupportedAlgorithm}
	}
	if p.TrailerField != 1 || p.SaltLength < 0 {
		return 0, 0, malformed("RSASSA-PSS-params", "trailer field must be 1")
	}
	return h, p.SaltLength, nil
}

// checkSignatureValue verifies sig over digest.
func checkSignatureValue(pub crypto.PublicKey, h crypto.Hash, pss bool, saltLen int, digest, sig []byte) error {
	var err error
	switch k := pub.(type) {
	case *rsa.PublicKey:
		err = verifyRSA(k, h, pss, saltLen, digest, sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest, sig) {
			err = ErrBadSignature
		}
	default:
		return &AlgorithmError{Algorithm: fmt.Sprintf("%T", pub), Reason: "public key type", Err: ErrUnsupportedAlgorithm}
	}
	if err != nil {
		return ErrBadSignature
	}
	return nil
}
