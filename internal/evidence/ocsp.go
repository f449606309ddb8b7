package evidence

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/kyso-go/kyso/internal/algorithm"
)

var (
	// OIDOCSPNonce is the OCSP nonce extension (RFC 8954).
	OIDOCSPNonce = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}
	// OIDOCSPNoCheck marks an OCSP responder certificate whose own status need not be
	// checked (RFC 6960 §4.2.2.2.1).
	OIDOCSPNoCheck = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}
)

// HasOCSPNoCheck reports whether c carries id-pkix-ocsp-nocheck.
func HasOCSPNoCheck(c *x509.Certificate) bool {
	for _, e := range c.Extensions {
		if e.Id.Equal(OIDOCSPNoCheck) {
			return true
		}
	}
	return false
}

// DelegatedResponderWithoutNoCheck returns the certificate of the delegated responder
// that signed the OCSP response der when it names issuer as its issuer and lacks
// id-pkix-ocsp-nocheck, else nil (also for a response over maxBytes or unreadable).
// It judges nothing — Evaluator does, with ResponderStatus — it tells a client whose
// status is worth fetching (a CRL, never OCSP from the responder itself) before the
// response is evaluated (RFC 6960 §4.2.2.2.1).
func DelegatedResponderWithoutNoCheck(der []byte, issuer *x509.Certificate, maxBytes int64) *x509.Certificate {
	if issuer == nil || int64(len(der)) > maxBytes {
		return nil
	}
	resp, err := ocsp.ParseResponse(der, nil)
	if err != nil || resp.Certificate == nil || resp.Certificate.Equal(issuer) ||
		!bytes.Equal(resp.Certificate.RawIssuer, issuer.RawSubject) || HasOCSPNoCheck(resp.Certificate) {
		return nil
	}
	return resp.Certificate
}

// ASN.1 of an OCSP request (RFC 6960 §4.1.1), written here because
// golang.org/x/crypto/ocsp cannot add the nonce extension.
type ocspCertID struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	NameHash      []byte
	IssuerKeyHash []byte
	SerialNumber  *big.Int
}

type ocspSingleRequest struct {
	Cert ocspCertID
}

type ocspTBSRequest struct {
	Version     int `asn1:"explicit,tag:0,default:0,optional"`
	RequestList []ocspSingleRequest
	Extensions  []pkix.Extension `asn1:"explicit,tag:2,optional"`
}

type ocspRequestASN1 struct {
	TBSRequest ocspTBSRequest
}

// ASN.1 of the parts of a response golang.org/x/crypto/ocsp does not expose: the
// responseExtensions, where the nonce lives.
type ocspResponseASN1 struct {
	Status   asn1.Enumerated
	Response struct {
		ResponseType asn1.ObjectIdentifier
		Response     []byte
	} `asn1:"explicit,tag:0,optional"`
}

type ocspBasicResponse struct {
	TBSResponseData struct {
		Version            int `asn1:"optional,default:0,explicit,tag:0"`
		RawResponderID     asn1.RawValue
		ProducedAt         time.Time `asn1:"generalized"`
		Responses          []asn1.RawValue
		ResponseExtensions []pkix.Extension `asn1:"explicit,tag:1,optional"`
	}
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          asn1.BitString
	Certificates       []asn1.RawValue `asn1:"explicit,tag:0,optional"`
}

// publicKeyBits returns the contents of the subjectPublicKey BIT STRING, which OCSP
// CertIDs hash.
func publicKeyBits(c *x509.Certificate) ([]byte, error) {
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki); err != nil {
		return nil, fmt.Errorf("%w: issuer public key: %v", ErrMalformed, err)
	}
	return spki.PublicKey.RightAlign(), nil
}

// IssuerKeyHash is SHA-1 over the issuer's subjectPublicKey BIT STRING contents.
func IssuerKeyHash(issuer *x509.Certificate) ([]byte, error) {
	bits, err := publicKeyBits(issuer)
	if err != nil {
		return nil, err
	}
	h := sha1.Sum(bits)
	return h[:], nil
}

// BuildOCSPRequest returns a DER OCSP request for cert with an optional nonce.
func BuildOCSPRequest(cert, issuer *x509.Certificate, nonce []byte) ([]byte, error) {
	keyHash, err := IssuerKeyHash(issuer)
	if err != nil {
		return nil, err
	}
	nameHash := sha1.Sum(issuer.RawSubject)
	req := ocspRequestASN1{TBSRequest: ocspTBSRequest{
		RequestList: []ocspSingleRequest{{Cert: ocspCertID{
			HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: algorithm.OIDSHA1, Parameters: asn1.NullRawValue},
			NameHash:      nameHash[:],
			IssuerKeyHash: keyHash,
			SerialNumber:  cert.SerialNumber,
		}}},
	}}
	if nonce != nil {
		val, err := asn1.Marshal(nonce)
		if err != nil {
			return nil, err
		}
		req.TBSRequest.Extensions = []pkix.Extension{{Id: OIDOCSPNonce, Value: val}}
	}
	return asn1.Marshal(req)
}

// parseBasicResponse reads the BasicOCSPResponse inside a successful OCSP response.
func parseBasicResponse(der []byte) (*ocspBasicResponse, error) {
	var resp ocspResponseASN1
	if _, err := asn1.Unmarshal(der, &resp); err != nil {
		return nil, err
	}
	var basic ocspBasicResponse
	if _, err := asn1.Unmarshal(resp.Response.Response, &basic); err != nil {
		return nil, err
	}
	return &basic, nil
}

// responseNonce returns the extnValue of the nonce in the responseExtensions, or nil.
func responseNonce(basic *ocspBasicResponse) ([]byte, error) {
	for _, e := range basic.TBSResponseData.ResponseExtensions {
		if e.Id.Equal(OIDOCSPNonce) {
			return e.Value, nil
		}
		if e.Critical {
			return nil, fmt.Errorf("%w: critical response extension %v", ErrUnsupported, e.Id)
		}
	}
	return nil, nil
}

// OCSP parses and verifies one OCSP response about cert, issued by issuer, for the
// time of interest at: status, CertID issuer hashes, responder authorisation and
// ResponderID, critical extensions, nonce (wantNonce, when not nil, is the extnValue
// the response must echo) and freshness (online: still current). It returns
// ErrNotForThisCert for a response about another certificate, else a *ResponseError.
func (e *Evaluator) OCSP(der []byte, from string, cert, issuer *x509.Certificate, at time.Time, wantNonce []byte, online bool) (Result, error) {
	fail := func(reason error, detail string) (Result, error) {
		return Result{}, &ResponseError{Source: SourceOCSP, URL: from, Reason: reason, Detail: detail}
	}
	if int64(len(der)) > e.maxOCSP() {
		return fail(ErrTooLarge, fmt.Sprintf("%d bytes", len(der)))
	}
	resp, err := ocsp.ParseResponseForCert(der, cert, nil)
	if err != nil {
		var re ocsp.ResponseError
		switch {
		case errors.As(err, &re) && re.Status == ocsp.TryLater:
			return fail(ErrTryLater, "responder status tryLater")
		case errors.As(err, &re):
			return fail(ErrResponderError, "responder status "+re.Status.String())
		case errors.Is(err, ocsp.ParseError("no response matching the supplied certificate")):
			return Result{}, ErrNotForThisCert
		case strings.HasPrefix(err.Error(), "bad signature on embedded certificate"):
			// The response does not verify with the certificate it carries.
			return fail(ErrBadSignature, "response signature does not verify with the responder certificate it carries")
		}
		return fail(ErrMalformed, err.Error())
	}
	basic, err := parseBasicResponse(der)
	if err != nil {
		return fail(ErrMalformed, err.Error())
	}
	// The CertID must name our issuer, not merely our serial number.
	if err := checkCertIDIssuer(basic, cert, issuer); err != nil {
		return Result{}, err
	}
	signer, needStatus, err := e.authorizeResponder(resp, issuer)
	if err != nil {
		return fail(UnwrapSentinel(err), err.Error())
	}
	var responderEvidence [][]byte
	var warnings []string
	unchecked := false
	if needStatus {
		responderEvidence, unchecked, err = e.checkResponder(signer, issuer, resp.ProducedAt)
		if err == nil && unchecked && signer.Equal(cert) {
			// A responder vouching for its own certificate proves nothing.
			err = fmt.Errorf("%w: responder certificate %q lacks id-pkix-ocsp-nocheck and answers about itself; its status must come from elsewhere",
				ErrWrongResponder, signer.Subject.CommonName)
		}
		if err != nil {
			return fail(UnwrapSentinel(err), err.Error())
		}
		if unchecked {
			vi, en := ResponderUncheckedWarning(signer)
			warnings = append(warnings, vi+" / "+en)
		}
	}
	nonce, err := responseNonce(basic)
	if err != nil {
		return fail(UnwrapSentinel(err), err.Error())
	}
	if wantNonce != nil {
		switch {
		case nonce == nil && e.RequireNonce:
			return fail(ErrBadNonce, "response carries no nonce")
		case nonce != nil && !bytes.Equal(nonce, wantNonce):
			return fail(ErrBadNonce, "response nonce differs from the request's")
		}
	}
	if err := e.Fresh(resp.ThisUpdate, resp.NextUpdate, at, online); err != nil &&
		(online || resp.Status != ocsp.Revoked || !e.provesRevocation(resp.ThisUpdate, resp.RevokedAt, Reason(resp.RevocationReason), at)) {
		return fail(UnwrapSentinel(err), err.Error())
	}
	if resp.ProducedAt.After(e.now().Add(e.skew() + time.Minute)) {
		return fail(ErrStale, "producedAt is in the future")
	}
	r := Result{
		Source: SourceOCSP, URL: from, At: at,
		ProducedAt: resp.ProducedAt, ThisUpdate: resp.ThisUpdate, NextUpdate: resp.NextUpdate,
		Raw: [][]byte{der}, Responder: signer,
		ResponderEvidence: responderEvidence, ResponderUnchecked: unchecked, Warnings: warnings,
	}
	switch resp.Status {
	case ocsp.Good:
		r.Status = StatusGood
	case ocsp.Revoked:
		r.RevokedAt, r.Reason = resp.RevokedAt, Reason(resp.RevocationReason)
		r.Status = Classify(r.RevokedAt, r.Reason, at)
	default:
		return fail(ErrUnknownCertificate, "OCSP status unknown")
	}
	return r, nil
}

// checkCertIDIssuer finds the single response for cert's serial and checks that its
// CertID hashes match issuer.
func checkCertIDIssuer(basic *ocspBasicResponse, cert, issuer *x509.Certificate) error {
	keyBits, err := publicKeyBits(issuer)
	if err != nil {
		return &ResponseError{Source: SourceOCSP, Reason: ErrMalformed, Detail: err.Error()}
	}
	for _, raw := range basic.TBSResponseData.Responses {
		// Go's asn1 allows the fields after CertID to be left undescribed.
		var single struct{ CertID ocspCertID }
		if _, err := asn1.Unmarshal(raw.FullBytes, &single); err != nil {
			return &ResponseError{Source: SourceOCSP, Reason: ErrMalformed, Detail: err.Error()}
		}
		id := single.CertID
		if id.SerialNumber == nil || id.SerialNumber.Cmp(cert.SerialNumber) != 0 {
			continue
		}
		h := algorithm.HashFromOID(id.HashAlgorithm.Algorithm)
		if h == 0 || !h.Available() {
			return &ResponseError{Source: SourceOCSP, Reason: ErrUnsupported, Detail: "CertID hash algorithm"}
		}
		nh := h.New()
		nh.Write(issuer.RawSubject)
		kh := h.New()
		kh.Write(keyBits)
		if bytes.Equal(nh.Sum(nil), id.NameHash) && bytes.Equal(kh.Sum(nil), id.IssuerKeyHash) {
			return nil
		}
	}
	return ErrNotForThisCert
}

// authorizeResponder checks who signed the response: the issuer itself, or a
// delegated responder certified by the issuer for OCSPSigning and valid when the
// response was produced (RFC 6960 §4.2.2.2). It returns the signer, and needStatus
// when that is a delegated responder without id-pkix-ocsp-nocheck, whose own status
// the client should check by other means (§4.2.2.2.1; see checkResponder).
func (e *Evaluator) authorizeResponder(resp *ocsp.Response, issuer *x509.Certificate) (signer *x509.Certificate, needStatus bool, err error) {
	rc := resp.Certificate
	if rc == nil || rc.Equal(issuer) {
		if !responderIDMatches(resp, issuer) {
			return nil, false, fmt.Errorf("%w: responder ID does not name the issuer %q and the response carries no responder certificate", ErrWrongResponder, issuer.Subject.CommonName)
		}
		if err := resp.CheckSignatureFrom(issuer); err != nil {
			return nil, false, fmt.Errorf("%w: response signature does not verify with the key of the issuer %q: %v", ErrBadSignature, issuer.Subject.CommonName, err)
		}
		return issuer, false, nil
	}
	if !responderIDMatches(resp, rc) {
		return nil, false, fmt.Errorf("%w: responder ID does not name the responder certificate %q", ErrWrongResponder, rc.Subject.CommonName)
	}
	// ParseResponseForCert checked the response signature with rc; now rc itself.
	if err := rc.CheckSignatureFrom(issuer); err != nil {
		// CheckSignatureFrom needs CA rights on issuer; fall back to the bare signature.
		if err2 := issuer.CheckSignature(rc.SignatureAlgorithm, rc.RawTBSCertificate, rc.Signature); err2 != nil {
			return nil, false, fmt.Errorf("%w: responder certificate %q not issued by %q", ErrWrongResponder, rc.Subject.CommonName, issuer.Subject.CommonName)
		}
	}
	if !bytes.Equal(rc.RawIssuer, issuer.RawSubject) {
		return nil, false, fmt.Errorf("%w: responder certificate %q names another issuer", ErrWrongResponder, rc.Subject.CommonName)
	}
	hasOCSPSigning := false
	for _, u := range rc.ExtKeyUsage {
		if u == x509.ExtKeyUsageOCSPSigning {
			hasOCSPSigning = true
		}
	}
	if !hasOCSPSigning {
		return nil, false, fmt.Errorf("%w: responder certificate %q lacks the OCSPSigning extended key usage", ErrWrongResponder, rc.Subject.CommonName)
	}
	t := resp.ProducedAt
	if t.Before(rc.NotBefore.Add(-e.skew())) || t.After(rc.NotAfter.Add(e.skew())) {
		return nil, false, fmt.Errorf("%w: responder certificate %q not valid when the response was produced", ErrWrongResponder, rc.Subject.CommonName)
	}
	return rc, !HasOCSPNoCheck(rc), nil
}

// checkResponder establishes the status, at producedAt, of a delegated responder rc
// (issued by issuer) whose certificate lacks id-pkix-ocsp-nocheck, with
// Evaluator.ResponderStatus (a CRL: never that responder about itself). A responder
// revoked at producedAt (or ever, for a key compromise) or on hold then is refused
// with ErrResponderRevoked. When its status cannot be established the response is
// accepted with unchecked set, unless RequireResponderStatus refuses it
// (ErrWrongResponder). evidence is the data that established the status.
func (e *Evaluator) checkResponder(rc, issuer *x509.Certificate, producedAt time.Time) (evidence [][]byte, unchecked bool, err error) {
	st := Result{Err: ErrNoRevocationData}
	if e.ResponderStatus != nil {
		st = e.ResponderStatus(rc, issuer, producedAt)
	}
	switch st.Status {
	case StatusGood, StatusRevokedLater:
		return st.Raw, false, nil
	case StatusRevoked, StatusSuspended:
		return nil, false, fmt.Errorf("%w: responder certificate %q %s since %s (%s, %s)", ErrResponderRevoked,
			rc.Subject.CommonName, st.Status, st.RevokedAt.UTC().Format(time.RFC3339), st.Reason, st.Source)
	}
	if e.RequireResponderStatus {
		why := "no revocation data for it"
		if st.Err != nil {
			why = strings.TrimPrefix(st.Err.Error(), "certstatus: ")
		}
		return nil, false, fmt.Errorf("%w: responder certificate %q lacks id-pkix-ocsp-nocheck and its own status could not be established (%s)",
			ErrWrongResponder, rc.Subject.CommonName, why)
	}
	return nil, true, nil
}

// ResponderUncheckedWarning words, in Vietnamese and in English, the warning given
// when an answer relies on a delegated OCSP responder without id-pkix-ocsp-nocheck
// whose own status could not be checked (RFC 6960 §4.2.2.2.1).
func ResponderUncheckedWarning(responder *x509.Certificate) (vi, en string) {
	name := ""
	if responder != nil {
		name = responder.Subject.CommonName
	}
	vi = fmt.Sprintf("không kiểm tra được trạng thái thu hồi của chứng thư số máy chủ OCSP được ủy quyền %q (không có phần mở rộng id-pkix-ocsp-nocheck) — RFC 6960 §4.2.2.2.1; phản hồi OCSP vẫn được dùng", name)
	en = fmt.Sprintf("the delegated OCSP responder's own certificate %q (without id-pkix-ocsp-nocheck) could not be checked for revocation — RFC 6960 §4.2.2.2.1; its response is used nonetheless", name)
	return vi, en
}

// responderIDMatches checks the ResponderID (by name or by key hash) against the
// certificate that signed the response (RFC 6960 §4.2.2.3).
func responderIDMatches(resp *ocsp.Response, signer *x509.Certificate) bool {
	if resp.RawResponderName != nil {
		return bytes.Equal(resp.RawResponderName, signer.RawSubject)
	}
	h, err := IssuerKeyHash(signer)
	return err == nil && bytes.Equal(resp.ResponderKeyHash, h)
}
