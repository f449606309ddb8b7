package certstatus

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"

	_ "crypto/sha256" // hashes used by tokens
	_ "crypto/sha512"
)

var (
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}

	oidSignedData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidTSTInfo              = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidAttrContentType      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningCert      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 12}
	oidAttrSigningCertV2    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidSHA1WithRSA          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	oidSHA256WithRSA        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384WithRSA        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512WithRSA        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidRSAPSS               = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidECDSAWithSHA256      = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384      = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512      = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidDefaultESSCertIDHash = oidSHA256
)

// maxTokenBytes bounds a time-stamp token or response.
const maxTokenBytes = 1 << 20

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	EncapContentInfo struct {
		EContentType asn1.ObjectIdentifier
		EContent     []byte `asn1:"explicit,tag:0"`
	}
	Certificates asn1.RawValue   `asn1:"optional,tag:0"`
	CRLs         asn1.RawValue   `asn1:"optional,tag:1"`
	SignerInfos  []asn1.RawValue `asn1:"set"`
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values []asn1.RawValue `asn1:"set"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	SerialNumber   *big.Int
	GenTime        time.Time `asn1:"generalized"`
	Accuracy       struct {
		Seconds int `asn1:"optional"`
		Millis  int `asn1:"optional,tag:0"`
		Micros  int `asn1:"optional,tag:1"`
	} `asn1:"optional"`
	Ordering   bool             `asn1:"optional"`
	Nonce      *big.Int         `asn1:"optional"`
	TSA        asn1.RawValue    `asn1:"optional,explicit,tag:0"`
	Extensions []pkix.Extension `asn1:"optional,tag:1"`
}

// Token is an RFC 3161 time-stamp token (a CMS SignedData over a TSTInfo).
type Token struct {
	// Raw is the DER of the token (ContentInfo).
	Raw []byte
	// Time is genTime: when the TSA saw the imprint.
	Time time.Time
	// Accuracy of Time, zero when the token states none.
	Accuracy      time.Duration
	SerialNumber  *big.Int
	Policy        asn1.ObjectIdentifier
	Hash          crypto.Hash // imprint hash algorithm
	HashedMessage []byte      // imprint value
	Nonce         *big.Int    // nil when the request carried none
	Ordering      bool
	// Certificates embedded in the token.
	Certificates []*x509.Certificate
	// Signer is the TSA certificate, and Chain its validated chain (TSA first, root
	// last); both are set only by VerifyTimestamp.
	Signer *x509.Certificate
	Chain  []*x509.Certificate

	content []byte
	signer  signerInfo
}

// ParseToken parses a DER time-stamp token without verifying it: the structure, the
// TSTInfo and the embedded certificates. Use Checker.VerifyTimestamp to verify.
func ParseToken(der []byte) (*Token, error) {
	fail := func(detail string, args ...any) (*Token, error) {
		return nil, &TimestampError{Reason: ErrMalformed, Detail: fmt.Sprintf(detail, args...)}
	}
	if len(der) > maxTokenBytes {
		return nil, &TimestampError{Reason: ErrTooLarge, Detail: fmt.Sprintf("token of %d bytes", len(der))}
	}
	var ci contentInfo
	if rest, err := asn1.Unmarshal(der, &ci); err != nil || len(rest) > 0 {
		return fail("not a DER ContentInfo")
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return fail("content type %v is not SignedData", ci.ContentType)
	}
	var sd signedData
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(rest) > 0 {
		return fail("SignedData: %v", err)
	}
	if !sd.EncapContentInfo.EContentType.Equal(oidTSTInfo) {
		return fail("encapsulated content %v is not a TSTInfo", sd.EncapContentInfo.EContentType)
	}
	if len(sd.SignerInfos) != 1 {
		return fail("%d signers (exactly one required)", len(sd.SignerInfos))
	}
	var si signerInfo
	if rest, err := asn1.Unmarshal(sd.SignerInfos[0].FullBytes, &si); err != nil || len(rest) > 0 {
		return fail("SignerInfo: %v", err)
	}
	var info tstInfo
	if rest, err := asn1.Unmarshal(sd.EncapContentInfo.EContent, &info); err != nil || len(rest) > 0 {
		return fail("TSTInfo: %v", err)
	}
	if info.Version != 1 {
		return fail("TSTInfo version %d", info.Version)
	}
	h := hashForOID(info.MessageImprint.HashAlgorithm.Algorithm)
	if h == 0 {
		return nil, &TimestampError{Reason: ErrUnsupported, Detail: fmt.Sprintf("imprint hash algorithm %v", info.MessageImprint.HashAlgorithm.Algorithm)}
	}
	if len(info.MessageImprint.HashedMessage) != h.Size() {
		return fail("imprint of %d bytes for %v", len(info.MessageImprint.HashedMessage), h)
	}
	if info.SerialNumber == nil {
		return fail("no serial number")
	}
	for _, e := range info.Extensions {
		if e.Critical {
			return nil, &TimestampError{Reason: ErrUnsupported, Detail: fmt.Sprintf("critical TSTInfo extension %v", e.Id)}
		}
	}
	t := &Token{
		Raw: der, Time: info.GenTime, SerialNumber: info.SerialNumber, Policy: info.Policy,
		Hash: h, HashedMessage: info.MessageImprint.HashedMessage, Nonce: info.Nonce, Ordering: info.Ordering,
		Accuracy: time.Duration(info.Accuracy.Seconds)*time.Second + time.Duration(info.Accuracy.Millis)*time.Millisecond +
			time.Duration(info.Accuracy.Micros)*time.Microsecond,
		content: sd.EncapContentInfo.EContent,
		signer:  si,
	}
	if len(sd.Certificates.Bytes) > 0 {
		certs, err := x509.ParseCertificates(sd.Certificates.Bytes)
		if err != nil {
			return fail("embedded certificates: %v", err)
		}
		t.Certificates = certs
	}
	return t, nil
}

// TimestampOptions add to what VerifyTimestamp checks.
type TimestampOptions struct {
	// Certificates are candidates for the TSA certificate and its chain when the token
	// does not embed them (for example from a PDF's DSS).
	Certificates []*x509.Certificate
	// Nonce, when not nil, must equal the token's nonce.
	Nonce *big.Int
}

// VerifyTimestamp verifies a time-stamp token against the digest (under h) of the
// data it claims to stamp: the imprint, the nonce when opts.Nonce is set, the CMS
// signature and its signed attributes (content type, message digest, ESS
// signing-certificate binding the TSA certificate), the TSA certificate's sole and
// critical timeStamping extended key usage, the algorithm policy, and the TSA's chain
// to a trusted root at the token's time. It does not check the TSA certificate's
// revocation; call Check with Chain[0] and Chain[1] for that.
//
// Errors are *TimestampError wrapping ErrMalformed, ErrImprintMismatch, ErrBadNonce,
// ErrBadSignature, ErrTSACertificate, ErrWeakAlgorithm or a chain sentinel.
func (c *Checker) VerifyTimestamp(ctx context.Context, token, digest []byte, h crypto.Hash, opts TimestampOptions) (*Token, error) {
	t, err := ParseToken(token)
	if err != nil {
		return nil, err
	}
	if h == 0 {
		h = crypto.SHA256
	}
	if t.Hash != h || subtle.ConstantTimeCompare(t.HashedMessage, digest) != 1 {
		return nil, &TimestampError{Reason: ErrImprintMismatch, Detail: fmt.Sprintf("token stamps %v %x, expected %v %x", t.Hash, t.HashedMessage, h, digest)}
	}
	if opts.Nonce != nil && (t.Nonce == nil || t.Nonce.Cmp(opts.Nonce) != 0) {
		return nil, &TimestampError{Reason: ErrBadNonce, Detail: fmt.Sprintf("token nonce %v, request nonce %v", t.Nonce, opts.Nonce)}
	}
	candidates := append(append([]*x509.Certificate(nil), t.Certificates...), opts.Certificates...)
	signer, err := t.verifySignature(candidates)
	if err != nil {
		return nil, err
	}
	if err := checkTSAUsage(signer); err != nil {
		return nil, &TimestampError{Reason: ErrTSACertificate, Detail: fmt.Sprintf("%s: %v", signer.Subject.CommonName, err)}
	}
	// The algorithm policy at genTime covers the signature, the digest of the
	// signed attributes and the imprint: a weak hash anywhere undoes the token.
	sigHash, _ := t.signatureHash()
	for _, use := range []struct {
		what string
		h    crypto.Hash
	}{{"signature", sigHash}, {"message digest", hashForOID(t.signer.DigestAlgorithm.Algorithm)}, {"imprint", t.Hash}} {
		if err := c.CheckAlgorithm(signer.PublicKey, use.h, t.Time); err != nil {
			return nil, &TimestampError{Reason: ErrWeakAlgorithm, Detail: fmt.Sprintf("%s: %v", use.what, err)}
		}
	}
	chain, err := c.VerifyCertificate(ctx, signer, VerifyOptions{At: t.Time, Intermediates: candidates, Usage: UsageTimestamping})
	if err != nil {
		reason := ErrNoChain
		if ce, ok := err.(*CertificateInvalidError); ok {
			reason = ce.Reason
		}
		return nil, &TimestampError{Reason: reason, Detail: err.Error()}
	}
	t.Signer, t.Chain = signer, chain
	return t, nil
}

// signatureHash is the hash the signer used over the signed attributes.
func (t *Token) signatureHash() (crypto.Hash, error) {
	alg := t.signer.SignatureAlgorithm.Algorithm
	switch {
	case alg.Equal(oidSHA256WithRSA), alg.Equal(oidECDSAWithSHA256):
		return crypto.SHA256, nil
	case alg.Equal(oidSHA384WithRSA), alg.Equal(oidECDSAWithSHA384):
		return crypto.SHA384, nil
	case alg.Equal(oidSHA512WithRSA), alg.Equal(oidECDSAWithSHA512):
		return crypto.SHA512, nil
	case alg.Equal(oidSHA1WithRSA):
		return crypto.SHA1, nil
	case alg.Equal(oidRSAPSS):
		var params struct {
			Hash pkix.AlgorithmIdentifier `asn1:"explicit,tag:0,optional"`
		}
		if _, err := asn1.Unmarshal(t.signer.SignatureAlgorithm.Parameters.FullBytes, &params); err != nil {
			return 0, err
		}
		if params.Hash.Algorithm == nil {
			return crypto.SHA1, nil
		}
		if h := hashForOID(params.Hash.Algorithm); h != 0 {
			return h, nil
		}
		return 0, fmt.Errorf("RSASSA-PSS hash %v", params.Hash.Algorithm)
	}
	if h := hashForOID(t.signer.DigestAlgorithm.Algorithm); h != 0 {
		return h, nil
	}
	return 0, fmt.Errorf("digest algorithm %v", t.signer.DigestAlgorithm.Algorithm)
}

// verifySignature finds the signer among candidates and checks the CMS signature and
// the signed attributes. It returns the signer certificate.
func (t *Token) verifySignature(candidates []*x509.Certificate) (*x509.Certificate, error) {
	fail := func(reason error, detail string, args ...any) (*x509.Certificate, error) {
		return nil, &TimestampError{Reason: reason, Detail: fmt.Sprintf(detail, args...)}
	}
	si := t.signer
	var signer *x509.Certificate
	switch {
	case si.SID.Class == asn1.ClassUniversal && si.SID.Tag == asn1.TagSequence:
		var ias issuerAndSerial
		if _, err := asn1.Unmarshal(si.SID.FullBytes, &ias); err != nil {
			return fail(ErrMalformed, "signer identifier: %v", err)
		}
		for _, c := range candidates {
			if ias.Serial != nil && c.SerialNumber.Cmp(ias.Serial) == 0 && bytes.Equal(c.RawIssuer, ias.Issuer.FullBytes) {
				signer = c
				break
			}
		}
	case si.SID.Class == asn1.ClassContextSpecific && si.SID.Tag == 0:
		for _, c := range candidates {
			if len(c.SubjectKeyId) > 0 && bytes.Equal(c.SubjectKeyId, si.SID.Bytes) {
				signer = c
				break
			}
		}
	default:
		return fail(ErrMalformed, "signer identifier of unknown form")
	}
	if signer == nil {
		return fail(ErrNoChain, "the TSA certificate is neither in the token nor among the given certificates")
	}
	if len(si.SignedAttrs.Bytes) == 0 {
		return fail(ErrMalformed, "no signed attributes")
	}
	digestHash := hashForOID(si.DigestAlgorithm.Algorithm)
	if digestHash == 0 || !digestHash.Available() {
		return fail(ErrUnsupported, "digest algorithm %v", si.DigestAlgorithm.Algorithm)
	}
	var contentType asn1.ObjectIdentifier
	var md []byte
	var essOK, essSeen bool
	rest := si.SignedAttrs.Bytes
	for len(rest) > 0 {
		var a attribute
		var err error
		if rest, err = asn1.Unmarshal(rest, &a); err != nil {
			return fail(ErrMalformed, "signed attribute: %v", err)
		}
		if len(a.Values) != 1 {
			return fail(ErrMalformed, "attribute %v with %d values", a.Type, len(a.Values))
		}
		v := a.Values[0].FullBytes
		switch {
		case a.Type.Equal(oidAttrContentType):
			if _, err := asn1.Unmarshal(v, &contentType); err != nil {
				return fail(ErrMalformed, "content-type attribute: %v", err)
			}
		case a.Type.Equal(oidAttrMessageDigest):
			if _, err := asn1.Unmarshal(v, &md); err != nil {
				return fail(ErrMalformed, "message-digest attribute: %v", err)
			}
		case a.Type.Equal(oidAttrSigningCertV2), a.Type.Equal(oidAttrSigningCert):
			essSeen = true
			ok, err := essMatches(v, a.Type.Equal(oidAttrSigningCertV2), signer)
			if err != nil {
				return fail(ErrMalformed, "signing-certificate attribute: %v", err)
			}
			essOK = ok
		}
	}
	if !contentType.Equal(oidTSTInfo) {
		return fail(ErrMalformed, "content-type attribute %v does not match the TSTInfo", contentType)
	}
	hh := digestHash.New()
	hh.Write(t.content)
	if subtle.ConstantTimeCompare(hh.Sum(nil), md) != 1 {
		return fail(ErrBadSignature, "message-digest attribute does not match the TSTInfo")
	}
	if !essSeen {
		return fail(ErrMalformed, "no ESS signing-certificate attribute (RFC 3161 §2.4.2, RFC 5816)")
	}
	if !essOK {
		return fail(ErrBadSignature, "ESS signing-certificate attribute names another certificate than %q", signer.Subject.CommonName)
	}
	// The signature covers the DER of the attributes as a SET (tag 0x31), not [0].
	signed := append([]byte(nil), si.SignedAttrs.FullBytes...)
	signed[0] = 0x31
	sigHash, err := t.signatureHash()
	if err != nil || !sigHash.Available() {
		return fail(ErrUnsupported, "signature algorithm %v", si.SignatureAlgorithm.Algorithm)
	}
	if err := verifyRaw(signer.PublicKey, si.SignatureAlgorithm.Algorithm, sigHash, signed, si.Signature); err != nil {
		return fail(ErrBadSignature, "token signature by %q: %v", signer.Subject.CommonName, err)
	}
	return signer, nil
}

// essMatches checks that the first ESSCertID(v2) hashes to the signer certificate.
func essMatches(der []byte, v2 bool, signer *x509.Certificate) (bool, error) {
	if v2 {
		var sc struct {
			Certs []struct {
				HashAlgorithm pkix.AlgorithmIdentifier `asn1:"optional"`
				CertHash      []byte
				IssuerSerial  asn1.RawValue `asn1:"optional"`
			}
		}
		if _, err := asn1.Unmarshal(der, &sc); err != nil {
			return false, err
		}
		if len(sc.Certs) == 0 {
			return false, fmt.Errorf("empty")
		}
		alg := sc.Certs[0].HashAlgorithm.Algorithm
		if alg == nil {
			alg = oidDefaultESSCertIDHash
		}
		h := hashForOID(alg)
		if h == 0 || !h.Available() {
			return false, fmt.Errorf("hash %v", alg)
		}
		d := h.New()
		d.Write(signer.Raw)
		return bytes.Equal(d.Sum(nil), sc.Certs[0].CertHash), nil
	}
	var sc struct {
		Certs []struct {
			CertHash     []byte
			IssuerSerial asn1.RawValue `asn1:"optional"`
		}
	}
	if _, err := asn1.Unmarshal(der, &sc); err != nil {
		return false, err
	}
	if len(sc.Certs) == 0 {
		return false, fmt.Errorf("empty")
	}
	d := crypto.SHA1.New()
	d.Write(signer.Raw)
	return bytes.Equal(d.Sum(nil), sc.Certs[0].CertHash), nil
}

// verifyRaw checks a signature over msg hashed with h, for RSA PKCS#1 v1.5, RSA-PSS,
// ECDSA and Ed25519 keys.
func verifyRaw(pub crypto.PublicKey, alg asn1.ObjectIdentifier, h crypto.Hash, msg, sig []byte) error {
	if ek, ok := pub.(ed25519.PublicKey); ok {
		if !ed25519.Verify(ek, msg, sig) {
			return fmt.Errorf("Ed25519 verification failed")
		}
		return nil
	}
	d := h.New()
	d.Write(msg)
	sum := d.Sum(nil)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if alg.Equal(oidRSAPSS) {
			return rsa.VerifyPSS(k, h, sum, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
		}
		return rsa.VerifyPKCS1v15(k, h, sum, sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, sum, sig) {
			return fmt.Errorf("ECDSA verification failed")
		}
		return nil
	}
	return fmt.Errorf("%w: public key type %T", ErrUnsupported, pub)
}
