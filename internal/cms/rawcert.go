package cms

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// ErrUnusableCertificate: the signer's certificate is in the SignedData but
// crypto/x509 refuses it (a negative serial number, an unsupported curve or key
// algorithm, …), so it cannot be used to check the signature or build a chain.
var ErrUnusableCertificate = errors.New("cms: the signer's certificate cannot be used")

// CertificateError says why the certificate a SignerInfo names could not be used. It
// wraps ErrUnusableCertificate; UnsupportedKey tells an algorithm this module does not
// implement (an ETSI crypto constraint) from a malformed certificate.
type CertificateError struct {
	Raw            []byte // the certificate's DER, as found in the SignedData
	Reason         string // in English, e.g. "unsupported elliptic curve brainpoolP256r1"
	UnsupportedKey bool   // the key algorithm or curve is not supported
	Err            error  // what crypto/x509 said
}

// Error says why the certificate is unusable.
func (e *CertificateError) Error() string {
	return fmt.Sprintf("%v: %s", ErrUnusableCertificate, e.Reason)
}

// Unwrap returns ErrUnusableCertificate and the parser's error.
func (e *CertificateError) Unwrap() []error { return []error{ErrUnusableCertificate, e.Err} }

// rawCertID is what identifies a certificate to a SignerInfo, read from its DER
// without crypto/x509: issuer, serial (possibly negative) and subject key identifier,
// plus the SubjectPublicKeyInfo's algorithm and parameters.
type rawCertID struct {
	issuer   []byte
	serial   *big.Int
	ski      []byte
	keyAlg   asn1.ObjectIdentifier
	keyParam asn1.ObjectIdentifier // the named curve of an EC key
}

var oidExtSubjectKeyID = asn1.ObjectIdentifier{2, 5, 29, 14}

// readRawCertID reads a certificate's identifiers; ok is false when der is not
// shaped like an X.509 certificate.
func readRawCertID(der []byte) (rawCertID, bool) {
	var id rawCertID
	in := cryptobyte.String(der)
	var cert, tbs cryptobyte.String
	if !in.ReadASN1(&cert, cbasn1.SEQUENCE) || !cert.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return id, false
	}
	tbs.SkipOptionalASN1(cbasn1.Tag(0).ContextSpecific().Constructed())
	id.serial = new(big.Int)
	var issuer, spki cryptobyte.String
	if !tbs.ReadASN1Integer(id.serial) || !tbs.SkipASN1(cbasn1.SEQUENCE) ||
		!tbs.ReadASN1Element(&issuer, cbasn1.SEQUENCE) || !tbs.SkipASN1(cbasn1.SEQUENCE) ||
		!tbs.SkipASN1(cbasn1.SEQUENCE) || !tbs.ReadASN1(&spki, cbasn1.SEQUENCE) {
		return id, false
	}
	id.issuer = bytes.Clone(issuer)
	var alg cryptobyte.String
	if spki.ReadASN1(&alg, cbasn1.SEQUENCE) && alg.ReadASN1ObjectIdentifier(&id.keyAlg) && alg.PeekASN1Tag(cbasn1.OBJECT_IDENTIFIER) {
		alg.ReadASN1ObjectIdentifier(&id.keyParam)
	}
	tbs.SkipOptionalASN1(cbasn1.Tag(1).ContextSpecific())
	tbs.SkipOptionalASN1(cbasn1.Tag(2).ContextSpecific())
	var exts, list cryptobyte.String
	var present bool
	if !tbs.ReadOptionalASN1(&exts, &present, cbasn1.Tag(3).ContextSpecific().Constructed()) || !present || !exts.ReadASN1(&list, cbasn1.SEQUENCE) {
		return id, true
	}
	for !list.Empty() {
		var ext, val cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !list.ReadASN1(&ext, cbasn1.SEQUENCE) || !ext.ReadASN1ObjectIdentifier(&oid) {
			break
		}
		ext.SkipOptionalASN1(cbasn1.BOOLEAN)
		if oid.Equal(oidExtSubjectKeyID) && ext.ReadASN1(&val, cbasn1.OCTET_STRING) {
			var ski cryptobyte.String
			if val.ReadASN1(&ski, cbasn1.OCTET_STRING) {
				id.ski = bytes.Clone(ski)
			}
		}
	}
	return id, true
}

// curveNames names the curves crypto/x509 does not implement but signers use.
var curveNames = map[string]string{
	"1.3.36.3.3.2.8.1.1.7":  "brainpoolP256r1",
	"1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1",
	"1.3.36.3.3.2.8.1.1.13": "brainpoolP512r1",
	"1.3.132.0.10":          "secp256k1",
}

// unusable explains why crypto/x509 refused der, which a SignerInfo names.
func unusable(der []byte, id rawCertID) error {
	_, perr := x509.ParseCertificate(der)
	e := &CertificateError{Raw: der, Err: perr}
	switch {
	case id.serial.Sign() < 0:
		e.Reason = "negative serial number " + id.serial.String() + " (RFC 5280 §4.1.2.2 requires a positive one)"
	case id.keyAlg.Equal(OIDECPublicKey) && id.keyParam != nil:
		name := curveNames[id.keyParam.String()]
		if name == "" {
			name = id.keyParam.String()
		}
		e.Reason, e.UnsupportedKey = "unsupported elliptic curve "+name, true
	case perr != nil:
		e.Reason = perr.Error()
	default:
		e.Reason = "unreadable certificate"
	}
	return e
}

// matchRaw looks for the certificate si names among the DER certificates Go could not
// parse, and says why it is unusable.
func (sd *SignedData) matchRaw(si *SignerInfo) error {
	for _, der := range sd.RawCertificates {
		id, ok := readRawCertID(der)
		if !ok {
			continue
		}
		bySerial := si.SerialNumber != nil && id.serial.Cmp(si.SerialNumber) == 0 && bytes.Equal(id.issuer, si.Issuer)
		byKeyID := si.SubjectKeyID != nil && id.ski != nil && bytes.Equal(id.ski, si.SubjectKeyID)
		if !bySerial && !byKeyID {
			continue
		}
		parsed := false
		for _, c := range sd.Certificates {
			parsed = parsed || bytes.Equal(c.Raw, der)
		}
		if !parsed {
			return unusable(der, id)
		}
	}
	return ErrSignerNotFound
}
