package cms

import (
	"bytes"
	"crypto"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/kyso-go/kyso/internal/algorithm"
	"github.com/kyso-go/kyso/internal/identity"
)

// ErrTimeStamp: a time-stamp token is not an RFC 3161 TimeStampToken (the content is
// not a TSTInfo, several signers, a malformed TSTInfo).
var ErrTimeStamp = errors.New("cms: not an RFC 3161 time-stamp token")

// TSTInfo is the content a time-stamping authority signs (RFC 3161 §2.4.2).
type TSTInfo struct {
	Version       int
	Policy        asn1.ObjectIdentifier
	HashAlgorithm asn1.ObjectIdentifier // of the message imprint
	Hash          crypto.Hash           // 0 when HashAlgorithm is not recognised
	HashedMessage []byte
	SerialNumber  *big.Int
	GenTime       time.Time
	Accuracy      time.Duration // zero when the token states none
	Ordering      bool
	Nonce         *big.Int // nil when absent
	Extensions    []pkix.Extension
}

type tstInfoASN1 struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint struct {
		HashAlgorithm pkix.AlgorithmIdentifier
		HashedMessage []byte
	}
	SerialNumber *big.Int
	GenTime      time.Time `asn1:"generalized"`
	Accuracy     struct {
		Seconds int `asn1:"optional"`
		Millis  int `asn1:"optional,tag:0"`
		Micros  int `asn1:"optional,tag:1"`
	} `asn1:"optional"`
	Ordering   bool             `asn1:"optional"`
	Nonce      *big.Int         `asn1:"optional"`
	TSA        asn1.RawValue    `asn1:"optional,explicit,tag:0"`
	Extensions []pkix.Extension `asn1:"optional,tag:1"`
}

// TimeStampToken is a parsed RFC 3161 token: the SignedData and its TSTInfo.
type TimeStampToken struct {
	SignedData *SignedData
	Info       TSTInfo
}

func tspError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrTimeStamp, fmt.Sprintf(format, args...))
}

// ParseTimeStampToken parses a DER or BER TimeStampToken: a SignedData with exactly
// one signer whose encapsulated content is a TSTInfo. It checks the structure only: a
// TSTInfo of version 1 with a serial number and an imprint of the right size. It
// verifies nothing (see TimeStampToken.Check). Errors wrap ErrMalformed, ErrLimit or
// ErrTimeStamp.
func ParseTimeStampToken(der []byte) (*TimeStampToken, error) {
	sd, err := Parse(der)
	if err != nil {
		return nil, err
	}
	if !sd.ContentType.Equal(OIDTSTInfo) || sd.Content == nil {
		return nil, tspError("encapsulated content %v is not a TSTInfo", sd.ContentType)
	}
	if len(sd.Signers) != 1 {
		return nil, tspError("%d signers (exactly one required)", len(sd.Signers))
	}
	var a tstInfoASN1
	if rest, err := asn1.Unmarshal(sd.Content, &a); err != nil || len(rest) > 0 {
		return nil, tspError("TSTInfo: %v", err)
	}
	if a.Version != 1 {
		return nil, tspError("TSTInfo version %d", a.Version)
	}
	if a.SerialNumber == nil {
		return nil, tspError("TSTInfo without serial number")
	}
	info := TSTInfo{
		Version: a.Version, Policy: a.Policy,
		HashAlgorithm: a.MessageImprint.HashAlgorithm.Algorithm,
		Hash:          algorithm.HashFromOID(a.MessageImprint.HashAlgorithm.Algorithm),
		HashedMessage: a.MessageImprint.HashedMessage,
		SerialNumber:  a.SerialNumber, GenTime: a.GenTime, Ordering: a.Ordering, Nonce: a.Nonce,
		Accuracy: time.Duration(a.Accuracy.Seconds)*time.Second + time.Duration(a.Accuracy.Millis)*time.Millisecond +
			time.Duration(a.Accuracy.Micros)*time.Microsecond,
		Extensions: a.Extensions,
	}
	if info.Hash != 0 && len(info.HashedMessage) != info.Hash.Size() {
		return nil, tspError("imprint of %d bytes for %v", len(info.HashedMessage), info.Hash)
	}
	return &TimeStampToken{SignedData: sd, Info: info}, nil
}

// ErrImprint marks a time-stamp token that does not stamp the data it is checked
// against: its message imprint is another digest, or made with another hash.
var ErrImprint = errors.New("cms: the time-stamp is over other data (message imprint mismatch)")

// CheckImprint reports whether the token stamps digest made with h: the same hash
// algorithm and the same bytes (compared in constant time). Errors wrap ErrImprint. It
// is the one imprint comparison of the module: certstatus, the verifier and the
// signer's time-stamp request use it.
func (t *TimeStampToken) CheckImprint(h crypto.Hash, digest []byte) error {
	if t.Info.Hash != h || subtle.ConstantTimeCompare(t.Info.HashedMessage, digest) != 1 {
		return fmt.Errorf("%w: the token stamps %v %x, not %v %x", ErrImprint, t.Info.Hash, t.Info.HashedMessage, h, digest)
	}
	return nil
}

// CheckImprintOf hashes data with the token's imprint algorithm and checks the result
// with CheckImprint. An imprint algorithm this build cannot compute is an error
// wrapping ErrTimeStamp.
func (t *TimeStampToken) CheckImprintOf(data []byte) error {
	h := t.Info.Hash
	if h == 0 || !h.Available() {
		return tspError("unsupported imprint algorithm %v", t.Info.HashAlgorithm)
	}
	d := h.New()
	d.Write(data)
	return t.CheckImprint(h, d.Sum(nil))
}

// Check verifies the token's signature: it finds the TSA certificate (in the token,
// else among candidates — a token requested with certReq false carries none — by
// issuer and serial number or subject key identifier, preferring the candidate its ESS
// signing-certificate attribute names; see SignerCertificate), checks the content-type and
// message-digest signed attributes against the TSTInfo, the ESS signing-certificate
// (v1 or v2) attribute against the TSA certificate, and the signature value. It
// returns the TSA certificate. opts.AllowWeakHash lets a SHA-1 token be checked, so
// that a caller can report its algorithm as a crypto constraint rather than as a bad
// signature; the imprint's algorithm is the caller's to judge (Info.Hash).
//
// Errors: ErrSignerNotFound or a *CertificateError, an *AttributeError (ErrAttribute),
// ErrBadSignature (message digest or value), an *AlgorithmError.
func (t *TimeStampToken) Check(candidates []*x509.Certificate, opts *CheckOptions) (*x509.Certificate, error) {
	sd := t.SignedData
	si := sd.Signers[0]
	tsa, err := sd.SignerCertificate(si)
	if err != nil && errors.Is(err, ErrSignerNotFound) {
		if c := pickSigner(si, candidates); c != nil {
			tsa, err = c, nil
		}
	}
	if err != nil {
		return nil, err
	}
	if si.RawSignedAttributes == nil {
		return nil, ErrNoSignedAttributes
	}
	ct, err := si.ContentTypeAttribute()
	if err != nil {
		return nil, err
	}
	if !ct.Equal(OIDTSTInfo) {
		return nil, &AttributeError{Attribute: "content-type", Reason: "does not name the TSTInfo"}
	}
	if si.Hash == 0 || !si.Hash.Available() {
		return nil, &AlgorithmError{Algorithm: si.DigestAlgorithm.Algorithm.String(), Reason: "digest algorithm", Err: ErrUnsupportedAlgorithm}
	}
	md, err := si.MessageDigest()
	if err != nil {
		return nil, err
	}
	h := si.Hash.New()
	h.Write(sd.Content)
	if subtle.ConstantTimeCompare(h.Sum(nil), md) != 1 {
		return nil, fmt.Errorf("%w: the message-digest attribute does not match the TSTInfo", ErrBadSignature)
	}
	id, err := si.SigningCertificate()
	if err != nil {
		return nil, err
	}
	if !id.Matches(tsa) {
		return nil, &AttributeError{Attribute: "signing-certificate", Reason: "names another certificate than the TSA's"}
	}
	if err := si.CheckSignature(tsa.PublicKey, opts); err != nil {
		return nil, err
	}
	return tsa, nil
}

// pickSigner returns the certificate among candidates that si identifies (issuer and
// serial number, or subject key identifier), preferring one that its ESS
// signing-certificate(-v2) attribute also names (a re-issued certificate may share the
// issuer and serial number of an older one in a careless PKI, and a key may be
// certified twice), or nil.
func pickSigner(si *SignerInfo, candidates []*x509.Certificate) *x509.Certificate {
	var first *x509.Certificate
	id, idErr := si.SigningCertificate()
	for _, c := range candidates {
		if c == nil {
			continue
		}
		bySerial := si.SerialNumber != nil && c.SerialNumber.Cmp(si.SerialNumber) == 0 && bytes.Equal(c.RawIssuer, si.Issuer)
		byKeyID := si.SubjectKeyID != nil && bytes.Equal(c.SubjectKeyId, si.SubjectKeyID)
		if !bySerial && !byKeyID {
			continue
		}
		if idErr == nil && id.Matches(c) {
			return c
		}
		if first == nil {
			first = c
		}
	}
	return first
}

// WeakHashes lists the weak digest algorithms (SHA-1, MD5) the token relies on — its
// imprint, its SignerInfo digest and its signature algorithm — for a caller that
// checked it with AllowWeakHash. Nil means none.
func (t *TimeStampToken) WeakHashes() []crypto.Hash {
	var weak []crypto.Hash
	si := t.SignedData.Signers[0]
	for _, h := range []crypto.Hash{t.Info.Hash, si.Hash, SignatureHash(si.SignatureAlgorithm)} {
		if algorithm.WeakHash(h) && !slices.Contains(weak, h) {
			weak = append(weak, h)
		}
	}
	return weak
}

// SignatureHash returns the hash a signature algorithm identifier names (SHA-1 for
// sha1WithRSAEncryption, the PSS parameters' hash, …), or 0 when it names none
// (rsaEncryption, ecPublicKey) or is unknown.
func SignatureHash(alg pkix.AlgorithmIdentifier) crypto.Hash {
	oid := alg.Algorithm
	switch {
	case oid.Equal(OIDSHA1WithRSA), oid.Equal(OIDECDSAWithSHA1):
		return crypto.SHA1
	case oid.Equal(OIDSHA256WithRSA), oid.Equal(OIDECDSAWithSHA256):
		return crypto.SHA256
	case oid.Equal(OIDSHA384WithRSA), oid.Equal(OIDECDSAWithSHA384):
		return crypto.SHA384
	case oid.Equal(OIDSHA512WithRSA), oid.Equal(OIDECDSAWithSHA512):
		return crypto.SHA512
	case oid.Equal(OIDRSASSAPSS):
		if h, _, err := parsePSSParams(alg.Parameters.FullBytes); err == nil {
			return h
		}
	}
	return 0
}

var oidExtExtKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}

// TSAUsageProblem reports why cert may not sign time-stamp tokens (RFC 3161 §2.3), or
// "" when it may: the timeStamping extended key usage and a key usage, if any, that
// allows digitalSignature or nonRepudiation. strict also requires what the RFC says
// MUST be: timeStamping as the only extended key usage, marked critical (certstatus
// asks this of a TSA it uses); without it a certificate that lists timeStamping among
// others, as some deployed TSAs' do, is accepted (the verifier reading other tools'
// tokens).
func TSAUsageProblem(cert *x509.Certificate, strict bool) string {
	has := slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageTimeStamping)
	if !has {
		return "no timeStamping extended key usage"
	}
	if strict {
		if len(cert.ExtKeyUsage) != 1 || len(cert.UnknownExtKeyUsage) > 0 {
			return "extended key usage must be timeStamping only"
		}
		critical := false
		for _, e := range cert.Extensions {
			if e.Id.Equal(oidExtExtKeyUsage) {
				critical = e.Critical
			}
		}
		if !critical {
			return "extended key usage timeStamping is not marked critical"
		}
	}
	if !identity.MaySign(cert) {
		return "key usage allows neither digitalSignature nor nonRepudiation"
	}
	return ""
}
