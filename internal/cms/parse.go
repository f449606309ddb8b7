package cms

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/kyso-go/kyso/internal/algorithm"
)

// SignedData is a parsed CMS SignedData.
type SignedData struct {
	// Raw is the whole ContentInfo, re-encoded with DER lengths (equal to the input
	// when that was DER, without trailing padding).
	Raw     []byte
	Version int64 // the SignedData version (1 or 3)
	// DigestAlgorithms lists the digestAlgorithms field.
	DigestAlgorithms []pkix.AlgorithmIdentifier
	// ContentType is the encapsulated content type (id-data for PAdES).
	ContentType asn1.ObjectIdentifier
	// Content is the encapsulated content, nil when detached (PAdES).
	Content []byte
	// Certificates holds the certificates Go could parse, in order;
	// RawCertificates holds every certificate choice's DER, parsed or not.
	Certificates    []*x509.Certificate
	RawCertificates [][]byte
	// CRLs holds the DER of each revocationInfoChoice.
	CRLs    [][]byte
	Signers []*SignerInfo // in encoded order

	head        []byte   // version … crls, as encoded, for re-encoding
	pre         []byte   // version … encapContentInfo, as encoded
	certChoices [][]byte // every CertificateChoices element, as encoded
}

// SignerInfo is one parsed SignerInfo.
type SignerInfo struct {
	Version int64 // 1 (issuer and serial) or 3 (subject key identifier)
	// The signer identifier: IssuerAndSerialNumber (Issuer is the raw DER Name) or a
	// SubjectKeyIdentifier.
	Issuer       []byte
	SerialNumber *big.Int
	SubjectKeyID []byte
	// DigestAlgorithm and Hash (0 when not recognised).
	DigestAlgorithm pkix.AlgorithmIdentifier
	Hash            crypto.Hash
	// SignedAttributes in encoded order; RawSignedAttributes is their DER encoding as
	// a SET OF (tag 0x31): the bytes the signature covers. Nil when absent.
	SignedAttributes    []Attribute
	RawSignedAttributes []byte
	SignatureAlgorithm  pkix.AlgorithmIdentifier // e.g. RSASSA-PSS with its parameters
	Signature           []byte                   // the signature value
	UnsignedAttributes  []Attribute              // e.g. a signature time-stamp token; nil when absent

	raw       []byte // the whole SignerInfo
	rawSigned []byte // version … signature, as encoded
}

// Attribute is a CMS attribute: a type and the DER encodings of its values.
type Attribute struct {
	Type   asn1.ObjectIdentifier // the attribute's OID
	Values [][]byte              // the DER encoding of each value
}

// Parse parses a DER- or BER-encoded ContentInfo holding a SignedData. Trailing zero
// bytes (a PDF /Contents hole) are ignored; anything else after the structure is an
// error. Errors wrap ErrMalformed or ErrLimit (see SyntaxError).
func Parse(der []byte) (*SignedData, error) {
	if len(bytes.Trim(der, "\x00")) == 0 {
		return nil, malformed("input", "empty: no CMS (a /Contents hole that holds only zeros?)")
	}
	norm, err := normalize(der)
	if err != nil {
		return nil, err
	}
	sd := &SignedData{Raw: norm}
	in := cryptobyte.String(norm)
	var ci, content cryptobyte.String
	var ct asn1.ObjectIdentifier
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&ct) {
		return nil, malformed("ContentInfo", "not a ContentInfo")
	}
	if !ct.Equal(OIDSignedData) {
		return nil, malformed("ContentInfo", "content type %v is not id-signedData", ct)
	}
	if !ci.ReadASN1(&content, cbasn1.Tag(0).ContextSpecific().Constructed()) || !ci.Empty() {
		return nil, malformed("ContentInfo", "missing [0] content")
	}
	var s cryptobyte.String
	if !content.ReadASN1(&s, cbasn1.SEQUENCE) || !content.Empty() {
		return nil, malformed("SignedData", "not a SEQUENCE")
	}
	start := len(s)
	body := s
	if !s.ReadASN1Int64WithTag(&sd.Version, cbasn1.INTEGER) {
		return nil, malformed("SignedData.version", "not an INTEGER")
	}
	var algs cryptobyte.String
	if !s.ReadASN1(&algs, cbasn1.SET) {
		return nil, malformed("SignedData.digestAlgorithms", "not a SET")
	}
	for !algs.Empty() {
		ai, err := readAlgorithmID(&algs, "SignedData.digestAlgorithms")
		if err != nil {
			return nil, err
		}
		sd.DigestAlgorithms = append(sd.DigestAlgorithms, ai)
	}
	var eci cryptobyte.String
	if !s.ReadASN1(&eci, cbasn1.SEQUENCE) || !eci.ReadASN1ObjectIdentifier(&sd.ContentType) {
		return nil, malformed("SignedData.encapContentInfo", "not an EncapsulatedContentInfo")
	}
	if !eci.Empty() {
		var ec, oct cryptobyte.String
		if !eci.ReadASN1(&ec, cbasn1.Tag(0).ContextSpecific().Constructed()) || !ec.ReadASN1(&oct, cbasn1.OCTET_STRING) || !ec.Empty() || !eci.Empty() {
			return nil, malformed("SignedData.encapContentInfo", "bad eContent")
		}
		sd.Content = bytes.Clone(oct)
	}
	sd.pre = bytes.Clone(body[:start-len(s)])
	if s.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific().Constructed()) {
		var certs cryptobyte.String
		s.ReadASN1(&certs, cbasn1.Tag(0).ContextSpecific().Constructed())
		for n := 0; !certs.Empty(); n++ {
			if n > 1000 {
				return nil, &SyntaxError{Where: "SignedData.certificates", Msg: "more than 1000 certificates", Err: ErrLimit}
			}
			var c cryptobyte.String
			var tag cbasn1.Tag
			if !certs.ReadAnyASN1Element(&c, &tag) {
				return nil, malformed("SignedData.certificates", "bad element")
			}
			sd.certChoices = append(sd.certChoices, bytes.Clone(c))
			if tag != cbasn1.SEQUENCE { // other CertificateChoices: kept raw only
				continue
			}
			sd.RawCertificates = append(sd.RawCertificates, bytes.Clone(c))
			if cert, err := x509.ParseCertificate(c); err == nil {
				sd.Certificates = append(sd.Certificates, cert)
			}
		}
	}
	if s.PeekASN1Tag(cbasn1.Tag(1).ContextSpecific().Constructed()) {
		var crls cryptobyte.String
		s.ReadASN1(&crls, cbasn1.Tag(1).ContextSpecific().Constructed())
		for n := 0; !crls.Empty(); n++ {
			if n > 1000 {
				return nil, &SyntaxError{Where: "SignedData.crls", Msg: "more than 1000 CRLs", Err: ErrLimit}
			}
			var c cryptobyte.String
			var tag cbasn1.Tag
			if !crls.ReadAnyASN1Element(&c, &tag) {
				return nil, malformed("SignedData.crls", "bad element")
			}
			sd.CRLs = append(sd.CRLs, bytes.Clone(c))
		}
	}
	sd.head = bytes.Clone(body[:start-len(s)])
	var sis cryptobyte.String
	if !s.ReadASN1(&sis, cbasn1.SET) || !s.Empty() {
		return nil, malformed("SignedData.signerInfos", "not a SET at the end of SignedData")
	}
	for n := 0; !sis.Empty(); n++ {
		if n > 100 {
			return nil, &SyntaxError{Where: "SignedData.signerInfos", Msg: "more than 100 signers", Err: ErrLimit}
		}
		si, err := parseSignerInfo(&sis)
		if err != nil {
			return nil, err
		}
		sd.Signers = append(sd.Signers, si)
	}
	return sd, nil
}

func parseSignerInfo(sis *cryptobyte.String) (*SignerInfo, error) {
	const where = "SignerInfo"
	var raw, s cryptobyte.String
	if !sis.ReadASN1Element(&raw, cbasn1.SEQUENCE) {
		return nil, malformed(where, "not a SEQUENCE")
	}
	si := &SignerInfo{raw: bytes.Clone(raw)}
	outer := raw
	outer.ReadASN1(&s, cbasn1.SEQUENCE)
	body := s
	if !s.ReadASN1Int64WithTag(&si.Version, cbasn1.INTEGER) {
		return nil, malformed(where+".version", "not an INTEGER")
	}
	switch {
	case s.PeekASN1Tag(cbasn1.SEQUENCE):
		var ias, name cryptobyte.String
		si.SerialNumber = new(big.Int)
		if !s.ReadASN1(&ias, cbasn1.SEQUENCE) || !ias.ReadASN1Element(&name, cbasn1.SEQUENCE) || !ias.ReadASN1Integer(si.SerialNumber) || !ias.Empty() {
			return nil, malformed(where+".sid", "bad IssuerAndSerialNumber")
		}
		si.Issuer = bytes.Clone(name)
	case s.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific()):
		var ski cryptobyte.String
		s.ReadASN1(&ski, cbasn1.Tag(0).ContextSpecific())
		si.SubjectKeyID = bytes.Clone(ski)
	default:
		return nil, malformed(where+".sid", "unknown SignerIdentifier")
	}
	var err error
	if si.DigestAlgorithm, err = readAlgorithmID(&s, where+".digestAlgorithm"); err != nil {
		return nil, err
	}
	si.Hash = algorithm.HashFromOID(si.DigestAlgorithm.Algorithm)
	if s.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific().Constructed()) {
		var attrs cryptobyte.String
		s.ReadASN1(&attrs, cbasn1.Tag(0).ContextSpecific().Constructed())
		// The signature covers the DER SET OF: the same content under tag 0x31.
		si.RawSignedAttributes = append(appendLength([]byte{0x31}, len(attrs)), attrs...)
		if si.SignedAttributes, err = parseAttributes(attrs, where+".signedAttrs"); err != nil {
			return nil, err
		}
	}
	if si.SignatureAlgorithm, err = readAlgorithmID(&s, where+".signatureAlgorithm"); err != nil {
		return nil, err
	}
	var sig cryptobyte.String
	if !s.ReadASN1(&sig, cbasn1.OCTET_STRING) {
		return nil, malformed(where+".signature", "not an OCTET STRING")
	}
	si.Signature = bytes.Clone(sig)
	si.rawSigned = bytes.Clone(body[:len(body)-len(s)])
	if s.PeekASN1Tag(cbasn1.Tag(1).ContextSpecific().Constructed()) {
		var attrs cryptobyte.String
		s.ReadASN1(&attrs, cbasn1.Tag(1).ContextSpecific().Constructed())
		if si.UnsignedAttributes, err = parseAttributes(attrs, where+".unsignedAttrs"); err != nil {
			return nil, err
		}
	}
	if !s.Empty() {
		return nil, malformed(where, "trailing data")
	}
	return si, nil
}

func parseAttributes(s cryptobyte.String, where string) ([]Attribute, error) {
	var out []Attribute
	for n := 0; !s.Empty(); n++ {
		if n > 1000 {
			return nil, &SyntaxError{Where: where, Msg: "more than 1000 attributes", Err: ErrLimit}
		}
		var a, vals cryptobyte.String
		var at Attribute
		if !s.ReadASN1(&a, cbasn1.SEQUENCE) || !a.ReadASN1ObjectIdentifier(&at.Type) || !a.ReadASN1(&vals, cbasn1.SET) || !a.Empty() {
			return nil, malformed(where, "bad Attribute")
		}
		for !vals.Empty() {
			var v cryptobyte.String
			var tag cbasn1.Tag
			if !vals.ReadAnyASN1Element(&v, &tag) {
				return nil, malformed(where, "bad attribute value")
			}
			at.Values = append(at.Values, bytes.Clone(v))
		}
		out = append(out, at)
	}
	return out, nil
}

func readAlgorithmID(s *cryptobyte.String, where string) (pkix.AlgorithmIdentifier, error) {
	var el cryptobyte.String
	var ai pkix.AlgorithmIdentifier
	if !s.ReadASN1Element(&el, cbasn1.SEQUENCE) {
		return ai, malformed(where, "not an AlgorithmIdentifier")
	}
	if rest, err := asn1.Unmarshal(el, &ai); err != nil || len(rest) != 0 {
		return ai, malformed(where, "bad AlgorithmIdentifier")
	}
	return ai, nil
}

// Attribute returns the first attribute of type oid among the signed attributes.
func (si *SignerInfo) Attribute(oid asn1.ObjectIdentifier) (Attribute, bool) {
	return findAttribute(si.SignedAttributes, oid)
}

// UnsignedAttribute returns the first attribute of type oid among the unsigned ones.
func (si *SignerInfo) UnsignedAttribute(oid asn1.ObjectIdentifier) (Attribute, bool) {
	return findAttribute(si.UnsignedAttributes, oid)
}

func findAttribute(attrs []Attribute, oid asn1.ObjectIdentifier) (Attribute, bool) {
	for _, a := range attrs {
		if a.Type.Equal(oid) {
			return a, true
		}
	}
	return Attribute{}, false
}

// singleValue returns the only value of the signed attribute oid.
func (si *SignerInfo) singleValue(oid asn1.ObjectIdentifier, name string) (cryptobyte.String, error) {
	var found []Attribute
	for _, a := range si.SignedAttributes {
		if a.Type.Equal(oid) {
			found = append(found, a)
		}
	}
	if len(found) != 1 || len(found[0].Values) != 1 {
		return nil, &AttributeError{Attribute: name, Reason: "must appear once with one value"}
	}
	return cryptobyte.String(found[0].Values[0]), nil
}

// MessageDigest returns the value of the message-digest signed attribute, which the
// caller compares with the digest (SignerInfo.Hash) of the signed content.
func (si *SignerInfo) MessageDigest() ([]byte, error) {
	v, err := si.singleValue(OIDAttributeMessageDigest, "message-digest")
	if err != nil {
		return nil, err
	}
	var md cryptobyte.String
	if !v.ReadASN1(&md, cbasn1.OCTET_STRING) || !v.Empty() {
		return nil, &AttributeError{Attribute: "message-digest", Reason: "not an OCTET STRING"}
	}
	return bytes.Clone(md), nil
}

// ContentTypeAttribute returns the value of the content-type signed attribute.
func (si *SignerInfo) ContentTypeAttribute() (asn1.ObjectIdentifier, error) {
	v, err := si.singleValue(OIDAttributeContentType, "content-type")
	if err != nil {
		return nil, err
	}
	var oid asn1.ObjectIdentifier
	if !v.ReadASN1ObjectIdentifier(&oid) || !v.Empty() {
		return nil, &AttributeError{Attribute: "content-type", Reason: "not an OBJECT IDENTIFIER"}
	}
	return oid, nil
}

// ESSCertID is the first entry of an ESS signing-certificate(-v2) attribute.
type ESSCertID struct {
	Hash     crypto.Hash // SHA-1 for signing-certificate (v1)
	CertHash []byte      // the certificate's digest with Hash
	// Issuer (raw DER Name of the directoryName) and SerialNumber; nil when the
	// optional issuerSerial is absent.
	Issuer       []byte
	SerialNumber *big.Int
}

// SigningCertificate returns the first ESSCertIDv2 of the signing-certificate-v2
// attribute (RFC 5035), or, when that is absent, the ESSCertID of signing-certificate
// (RFC 2634, SHA-1). Use ESSCertID.Matches to compare it with a certificate.
func (si *SignerInfo) SigningCertificate() (*ESSCertID, error) {
	v2 := true
	v, err := si.singleValue(OIDAttributeSigningCertV2, "signing-certificate-v2")
	if err != nil {
		if _, ok := si.Attribute(OIDAttributeSigningCertV2); ok {
			return nil, err
		}
		v2 = false
		if v, err = si.singleValue(OIDAttributeSigningCert, "signing-certificate"); err != nil {
			return nil, err
		}
	}
	bad := &AttributeError{Attribute: "signing-certificate-v2", Reason: "malformed"}
	var sc, certs, id cryptobyte.String
	if !v.ReadASN1(&sc, cbasn1.SEQUENCE) || !sc.ReadASN1(&certs, cbasn1.SEQUENCE) || !certs.ReadASN1(&id, cbasn1.SEQUENCE) {
		return nil, bad
	}
	e := &ESSCertID{Hash: crypto.SHA1}
	if v2 {
		e.Hash = crypto.SHA256
		if id.PeekASN1Tag(cbasn1.SEQUENCE) {
			ai, err := readAlgorithmID(&id, "ESSCertIDv2.hashAlgorithm")
			if err != nil {
				return nil, bad
			}
			if e.Hash = algorithm.HashFromOID(ai.Algorithm); e.Hash == 0 {
				return nil, &AlgorithmError{Algorithm: ai.Algorithm.String(), Reason: "ESSCertIDv2 hash", Err: ErrUnsupportedAlgorithm}
			}
		}
	}
	var h cryptobyte.String
	if !id.ReadASN1(&h, cbasn1.OCTET_STRING) {
		return nil, bad
	}
	e.CertHash = bytes.Clone(h)
	if id.PeekASN1Tag(cbasn1.SEQUENCE) {
		var is, gns, gn cryptobyte.String
		e.SerialNumber = new(big.Int)
		if !id.ReadASN1(&is, cbasn1.SEQUENCE) || !is.ReadASN1(&gns, cbasn1.SEQUENCE) || !is.ReadASN1Integer(e.SerialNumber) {
			return nil, bad
		}
		for !gns.Empty() {
			var tag cbasn1.Tag
			if !gns.ReadAnyASN1(&gn, &tag) {
				return nil, bad
			}
			if tag == cbasn1.Tag(4).ContextSpecific().Constructed() {
				var name cryptobyte.String
				if !gn.ReadASN1Element(&name, cbasn1.SEQUENCE) {
					return nil, bad
				}
				e.Issuer = bytes.Clone(name)
				break
			}
		}
	}
	return e, nil
}

// Matches reports whether cert is the certificate e identifies: same hash, and when
// present, the same issuer and serial number.
func (e *ESSCertID) Matches(cert *x509.Certificate) bool {
	if !e.Hash.Available() {
		return false
	}
	h := e.Hash.New()
	h.Write(cert.Raw)
	if !bytes.Equal(h.Sum(nil), e.CertHash) {
		return false
	}
	if e.SerialNumber != nil && e.SerialNumber.Cmp(cert.SerialNumber) != 0 {
		return false
	}
	if e.Issuer != nil && !bytes.Equal(e.Issuer, cert.RawIssuer) {
		return false
	}
	return true
}

// SignerCertificate returns the certificate among sd.Certificates that si identifies
// (by issuer and serial number, or subject key identifier). When the certificate is in
// the SignedData but crypto/x509 could not parse it (a negative serial number, a
// brainpool curve, …), it returns a *CertificateError saying why; when no certificate
// matches, ErrSignerNotFound.
func (sd *SignedData) SignerCertificate(si *SignerInfo) (*x509.Certificate, error) {
	for _, c := range sd.Certificates {
		if si.SerialNumber != nil && c.SerialNumber.Cmp(si.SerialNumber) == 0 && bytes.Equal(c.RawIssuer, si.Issuer) {
			return c, nil
		}
		if si.SubjectKeyID != nil && bytes.Equal(c.SubjectKeyId, si.SubjectKeyID) {
			return c, nil
		}
	}
	return nil, sd.matchRaw(si)
}

// SignatureTimeStampToken returns the DER ContentInfo of the first
// id-aa-signatureTimeStampToken unsigned attribute (PAdES B-T), if any.
func (si *SignerInfo) SignatureTimeStampToken() ([]byte, bool) {
	a, ok := si.UnsignedAttribute(OIDAttributeTimeStampToken)
	if !ok || len(a.Values) == 0 {
		return nil, false
	}
	return a.Values[0], true
}
