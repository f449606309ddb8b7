package certstatus

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ocsp"
)

var (
	oidOCSPNonce   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}
	oidOCSPNoCheck = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}
	oidSHA1        = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
)

// errNotForThisCert marks data about another certificate; offline checks skip it.
var errNotForThisCert = errors.New("certstatus: data is about another certificate")

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

// issuerKeyHash is SHA-1 over the issuer's subjectPublicKey BIT STRING contents.
func issuerKeyHash(issuer *x509.Certificate) ([]byte, error) {
	bits, err := publicKeyBits(issuer)
	if err != nil {
		return nil, err
	}
	h := sha1.Sum(bits)
	return h[:], nil
}

// buildOCSPRequest returns a DER OCSP request for cert with an optional nonce.
func buildOCSPRequest(cert, issuer *x509.Certificate, nonce []byte) ([]byte, error) {
	keyHash, err := issuerKeyHash(issuer)
	if err != nil {
		return nil, err
	}
	nameHash := sha1.Sum(issuer.RawSubject)
	req := ocspRequestASN1{TBSRequest: ocspTBSRequest{
		RequestList: []ocspSingleRequest{{Cert: ocspCertID{
			HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA1, Parameters: asn1.NullRawValue},
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
		req.TBSRequest.Extensions = []pkix.Extension{{Id: oidOCSPNonce, Value: val}}
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
		if e.Id.Equal(oidOCSPNonce) {
			return e.Value, nil
		}
		if e.Critical {
			return nil, fmt.Errorf("%w: critical response extension %v", ErrUnsupported, e.Id)
		}
	}
	return nil, nil
}

// ocspURLs lists the responders to ask for cert: those it names, else
// Options.OCSPURL, else DefaultOCSPURL when issuer belongs to the VGCA hierarchy.
func (c *Checker) ocspURLs(cert, issuer *x509.Certificate) []string {
	var urls []string
	for _, u := range cert.OCSPServer {
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			urls = append(urls, u)
		}
	}
	switch {
	case len(urls) > 0:
	case c.opts.OCSPURL != "":
		urls = append(urls, c.opts.OCSPURL)
	case underVGCARoot(issuer):
		urls = append(urls, DefaultOCSPURL)
	}
	return urls
}

// vgcaRoot is the shipped root, parsed once (read-only).
var vgcaRoot = sync.OnceValue(VGCARootG2)

// underVGCARoot reports whether issuer is the shipped VGCA root or a CA it certified.
func underVGCARoot(issuer *x509.Certificate) bool {
	root := vgcaRoot()
	if issuer.Equal(root) {
		return true
	}
	return bytes.Equal(issuer.RawIssuer, root.RawSubject) && issuer.CheckSignatureFrom(root) == nil
}

// checkOCSP returns a verified OCSP answer about cert from the cache or a responder.
func (c *Checker) checkOCSP(ctx context.Context, cert, issuer *x509.Certificate, at time.Time) (Result, error) {
	keyHash, err := issuerKeyHash(issuer)
	if err != nil {
		return Result{}, &ResponseError{Source: SourceOCSP, Reason: ErrMalformed, Detail: err.Error()}
	}
	key := "ocsp:" + hex.EncodeToString(keyHash) + ":" + cert.SerialNumber.Text(16)
	if e, ok := c.ocspCache.get(key, c.now()); ok {
		r, err := c.evalOCSP(e.raw, e.url, cert, issuer, at, nil, true)
		if err == nil {
			return r, nil
		}
		c.ocspCache.drop(key)
	}
	urls := c.ocspURLs(cert, issuer)
	if len(urls) == 0 {
		return Result{}, &ResponseError{Source: SourceOCSP, Reason: ErrNoRevocationSource, Detail: "certificate names no OCSP responder"}
	}
	v, err := c.sharedDo(ctx, key, func(ctx context.Context) (any, error) {
		var errs []error
		for _, u := range urls {
			r, err := c.queryOCSP(ctx, u, key, cert, issuer, at)
			if err == nil {
				return r, nil
			}
			errs = append(errs, err)
		}
		return nil, errors.Join(errs...)
	})
	if err != nil {
		return Result{}, err
	}
	r := v.(Result)
	if !at.Equal(r.At) {
		// A shared flight answered for another time of interest: re-classify.
		return c.evalOCSP(r.Raw[0], r.URL, cert, issuer, at, nil, true)
	}
	return r, nil
}

// queryOCSP sends one request to one responder and verifies the answer.
func (c *Checker) queryOCSP(ctx context.Context, responder, cacheKey string, cert, issuer *x509.Certificate, at time.Time) (Result, error) {
	var nonce []byte
	if !c.opts.DisableNonce {
		nonce = make([]byte, 16)
		if _, err := rand.Read(nonce); err != nil {
			return Result{}, err
		}
	}
	reqDER, err := buildOCSPRequest(cert, issuer, nonce)
	if err != nil {
		return Result{}, &ResponseError{Source: SourceOCSP, URL: responder, Reason: ErrMalformed, Detail: err.Error()}
	}
	var body []byte
	enc := base64.StdEncoding.EncodeToString(reqDER)
	if c.opts.OCSPGet && len(enc) <= 255 {
		u := strings.TrimSuffix(responder, "/") + "/" + url.PathEscape(enc)
		body, err = c.fetch.get(ctx, u, c.opts.MaxOCSPResponseBytes)
	} else {
		body, err = c.fetch.post(ctx, responder, "application/ocsp-request", reqDER, c.opts.MaxOCSPResponseBytes, nil)
	}
	if err != nil {
		return Result{}, &ResponseError{Source: SourceOCSP, URL: responder, Reason: unwrapReason(err), Err: err}
	}
	var wantNonce []byte
	if nonce != nil {
		wantNonce, _ = asn1.Marshal(nonce)
	}
	r, err := c.evalOCSP(body, responder, cert, issuer, at, wantNonce, true)
	if errors.Is(err, errNotForThisCert) {
		return Result{}, &ResponseError{Source: SourceOCSP, URL: responder, Reason: ErrMalformed,
			Detail: "the response is about another certificate than the one asked for"}
	}
	if err != nil {
		return Result{}, err
	}
	c.ocspCache.put(cacheKey, ocspCacheEntry{raw: body, url: responder, expires: cacheUntil(r.NextUpdate, r.ThisUpdate)})
	return r, nil
}

// unwrapReason returns the sentinel inside a fetch error.
func unwrapReason(err error) error {
	for _, s := range []error{ErrOffline, ErrTooLarge, ErrHTTPStatus, ErrUnreachable, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, s) {
			return s
		}
	}
	return err
}

// cacheUntil is nextUpdate, or an hour after thisUpdate when the response has none.
func cacheUntil(next, this time.Time) time.Time {
	if !next.IsZero() {
		return next
	}
	return this.Add(time.Hour)
}

// evalOCSP parses and verifies one OCSP response about cert. wantNonce, when not nil,
// is the extnValue the response must echo.
func (c *Checker) evalOCSP(der []byte, from string, cert, issuer *x509.Certificate, at time.Time, wantNonce []byte, online bool) (Result, error) {
	fail := func(reason error, detail string) (Result, error) {
		return Result{}, &ResponseError{Source: SourceOCSP, URL: from, Reason: reason, Detail: detail}
	}
	if int64(len(der)) > c.opts.MaxOCSPResponseBytes {
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
			return Result{}, errNotForThisCert
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
	signer, err := c.authorizeResponder(resp, issuer)
	if err != nil {
		return fail(unwrapSentinel(err), err.Error())
	}
	nonce, err := responseNonce(basic)
	if err != nil {
		return fail(unwrapSentinel(err), err.Error())
	}
	if wantNonce != nil {
		switch {
		case nonce == nil && c.opts.RequireNonce:
			return fail(ErrBadNonce, "response carries no nonce")
		case nonce != nil && !bytes.Equal(nonce, wantNonce):
			return fail(ErrBadNonce, "response nonce differs from the request's")
		}
	}
	if err := c.fresh(resp.ThisUpdate, resp.NextUpdate, at, online); err != nil {
		return fail(unwrapSentinel(err), err.Error())
	}
	if resp.ProducedAt.After(c.now().Add(c.opts.ClockSkew + time.Minute)) {
		return fail(ErrStale, "producedAt is in the future")
	}
	r := Result{
		Source: SourceOCSP, URL: from, At: at,
		ProducedAt: resp.ProducedAt, ThisUpdate: resp.ThisUpdate, NextUpdate: resp.NextUpdate,
		Raw: [][]byte{der}, Responder: signer,
	}
	switch resp.Status {
	case ocsp.Good:
		r.Status = StatusGood
	case ocsp.Revoked:
		r.RevokedAt, r.Reason = resp.RevokedAt, Reason(resp.RevocationReason)
		r.Status = classify(r.RevokedAt, r.Reason, at)
	default:
		return fail(ErrUnknownCertificate, "OCSP status unknown")
	}
	return r, nil
}

// unwrapSentinel returns the first sentinel of this package inside err.
func unwrapSentinel(err error) error {
	for _, s := range []error{ErrStale, ErrMalformed, ErrUnsupported, ErrWrongResponder, ErrBadSignature} {
		if errors.Is(err, s) {
			return s
		}
	}
	return err
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
		h := hashForOID(id.HashAlgorithm.Algorithm)
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
	return errNotForThisCert
}

// authorizeResponder checks who signed the response: the issuer itself, or a
// delegated responder certified by the issuer for OCSPSigning with id-pkix-ocsp-nocheck
// and valid when the response was produced. It returns the signer.
func (c *Checker) authorizeResponder(resp *ocsp.Response, issuer *x509.Certificate) (*x509.Certificate, error) {
	rc := resp.Certificate
	if rc == nil || rc.Equal(issuer) {
		if !responderIDMatches(resp, issuer) {
			return nil, fmt.Errorf("%w: responder ID does not name the issuer %q and the response carries no responder certificate", ErrWrongResponder, issuer.Subject.CommonName)
		}
		if err := resp.CheckSignatureFrom(issuer); err != nil {
			return nil, fmt.Errorf("%w: response signature does not verify with the key of the issuer %q: %v", ErrBadSignature, issuer.Subject.CommonName, err)
		}
		return issuer, nil
	}
	if !responderIDMatches(resp, rc) {
		return nil, fmt.Errorf("%w: responder ID does not name the responder certificate %q", ErrWrongResponder, rc.Subject.CommonName)
	}
	// ParseResponseForCert checked the response signature with rc; now rc itself.
	if err := rc.CheckSignatureFrom(issuer); err != nil {
		// CheckSignatureFrom needs CA rights on issuer; fall back to the bare signature.
		if err2 := issuer.CheckSignature(rc.SignatureAlgorithm, rc.RawTBSCertificate, rc.Signature); err2 != nil {
			return nil, fmt.Errorf("%w: responder certificate %q not issued by %q", ErrWrongResponder, rc.Subject.CommonName, issuer.Subject.CommonName)
		}
	}
	if !bytes.Equal(rc.RawIssuer, issuer.RawSubject) {
		return nil, fmt.Errorf("%w: responder certificate %q names another issuer", ErrWrongResponder, rc.Subject.CommonName)
	}
	hasOCSPSigning := false
	for _, u := range rc.ExtKeyUsage {
		if u == x509.ExtKeyUsageOCSPSigning {
			hasOCSPSigning = true
		}
	}
	if !hasOCSPSigning {
		return nil, fmt.Errorf("%w: responder certificate %q lacks the OCSPSigning extended key usage", ErrWrongResponder, rc.Subject.CommonName)
	}
	noCheck := false
	for _, e := range rc.Extensions {
		if e.Id.Equal(oidOCSPNoCheck) {
			noCheck = true
		}
	}
	if !noCheck {
		return nil, fmt.Errorf("%w: responder certificate %q lacks id-pkix-ocsp-nocheck", ErrWrongResponder, rc.Subject.CommonName)
	}
	t := resp.ProducedAt
	if t.Before(rc.NotBefore.Add(-c.opts.ClockSkew)) || t.After(rc.NotAfter.Add(c.opts.ClockSkew)) {
		return nil, fmt.Errorf("%w: responder certificate %q not valid when the response was produced", ErrWrongResponder, rc.Subject.CommonName)
	}
	return rc, nil
}

// responderIDMatches checks the ResponderID (by name or by key hash) against the
// certificate that signed the response (RFC 6960 §4.2.2.3).
func responderIDMatches(resp *ocsp.Response, signer *x509.Certificate) bool {
	if resp.RawResponderName != nil {
		return bytes.Equal(resp.RawResponderName, signer.RawSubject)
	}
	h, err := issuerKeyHash(signer)
	return err == nil && bytes.Equal(resp.ResponderKeyHash, h)
}

func hashForOID(oid asn1.ObjectIdentifier) crypto.Hash {
	switch {
	case oid.Equal(oidSHA1):
		return crypto.SHA1
	case oid.Equal(oidSHA256):
		return crypto.SHA256
	case oid.Equal(oidSHA384):
		return crypto.SHA384
	case oid.Equal(oidSHA512):
		return crypto.SHA512
	}
	return 0
}

// ocspCache holds verified responses until their nextUpdate.
type ocspCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]ocspCacheEntry
}

type ocspCacheEntry struct {
	raw     []byte
	url     string
	expires time.Time
}

func newOCSPCache(max int) *ocspCache {
	return &ocspCache{max: max, entries: map[string]ocspCacheEntry{}}
}

func (c *ocspCache) get(key string, now time.Time) (ocspCacheEntry, bool) {
	if c.max < 0 {
		return ocspCacheEntry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if ok && now.After(e.expires) {
		delete(c.entries, key)
		return ocspCacheEntry{}, false
	}
	return e, ok
}

func (c *ocspCache) put(key string, e ocspCacheEntry) {
	if c.max < 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Evict the entry that expires first.
		var oldest string
		var t time.Time
		for k, v := range c.entries {
			if oldest == "" || v.expires.Before(t) {
				oldest, t = k, v.expires
			}
		}
		delete(c.entries, oldest)
	}
	c.entries[key] = e
}

func (c *ocspCache) drop(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}
