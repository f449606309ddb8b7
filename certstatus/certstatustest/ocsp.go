package certstatustest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	_ "crypto/sha256" // CertID hashes
	_ "crypto/sha512"

	"github.com/kyso-go/kyso/internal/algorithm"
)

// OCSPBehavior is how the OCSP responder misbehaves, for failure tests.
type OCSPBehavior int

// The OCSP behaviours.
const (
	OCSPNormal           OCSPBehavior = iota // correct, signed answers echoing the nonce
	OCSPTryLater                             // responseStatus tryLater
	OCSPInternalError                        // responseStatus internalError
	OCSPMalformed                            // a 200 answer whose body is not an OCSP response
	OCSPWrongKey                             // signed by a key the CA never certified
	OCSPUnauthorized                         // signed by a CA-issued certificate without OCSPSigning
	OCSPStale                                // thisUpdate two days ago, nextUpdate a day ago
	OCSPBadNonce                             // a nonce different from the request's
	OCSPNoNonce                              // no nonce in the answer
	OCSPUnknown                              // certStatus unknown for every certificate
	OCSPOversized                            // a 2 MiB body
	OCSPFuture                               // thisUpdate a day in the future
	OCSPWrongResponderID                     // correctly signed, but the ResponderID names another key
	OCSPBadSignature                         // signed by the right responder, signature corrupted
)

// SetOCSP sets how the responder behaves from now on.
func (p *PKI) SetOCSP(b OCSPBehavior) {
	p.mu.Lock()
	p.ocspMode = b
	p.mu.Unlock()
}

// SetOCSPDelay makes the responder wait d before answering (a slow responder).
func (p *PKI) SetOCSPDelay(d time.Duration) {
	p.mu.Lock()
	p.ocspDelay = d
	p.mu.Unlock()
}

// SetOCSPSigner makes the delegated responder sign with another holder (for example
// one issued without id-pkix-ocsp-nocheck, or an expired one, see Expire); nil
// restores the PKI's OCSPSigner. It applies to answers about the issuing CA's
// certificates.
func (p *PKI) SetOCSPSigner(h *Holder) {
	p.mu.Lock()
	p.ocspSigner = h
	p.mu.Unlock()
}

// SetOCSPSignedByCA makes the issuing CA sign OCSP answers about its certificates
// itself instead of the delegated responder.
func (p *PKI) SetOCSPSignedByCA(on bool) {
	p.mu.Lock()
	p.ocspByCA = on
	p.mu.Unlock()
}

var (
	oidOCSPNonce   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}
	oidOCSPBasic   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 1}
	oidSHA256      = algorithm.OIDSHA256
	oidSHA256RSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidECDSASHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
)

type certID struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	NameHash      []byte
	IssuerKeyHash []byte
	SerialNumber  *big.Int
}

type ocspReq struct {
	TBS struct {
		Version       int           `asn1:"explicit,tag:0,default:0,optional"`
		RequestorName asn1.RawValue `asn1:"explicit,tag:1,optional"`
		RequestList   []struct {
			Cert       certID
			Extensions []pkix.Extension `asn1:"explicit,tag:0,optional"`
		}
		Extensions []pkix.Extension `asn1:"explicit,tag:2,optional"`
	}
	Signature asn1.RawValue `asn1:"explicit,tag:0,optional"`
}

type singleResp struct {
	CertID     certID
	Status     asn1.RawValue
	ThisUpdate time.Time `asn1:"generalized"`
	NextUpdate time.Time `asn1:"generalized,explicit,tag:0,optional"`
}

type respData struct {
	ResponderID asn1.RawValue
	ProducedAt  time.Time `asn1:"generalized"`
	Responses   []singleResp
	Extensions  []pkix.Extension `asn1:"explicit,tag:1,optional"`
}

type basicResp struct {
	TBS       asn1.RawValue
	Algorithm pkix.AlgorithmIdentifier
	Signature asn1.BitString
	Certs     []asn1.RawValue `asn1:"explicit,tag:0,optional"`
}

type ocspResp struct {
	Status asn1.Enumerated
	Bytes  struct {
		Type     asn1.ObjectIdentifier
		Response []byte
	} `asn1:"explicit,tag:0"`
}

func spkiKey(c *x509.Certificate) []byte {
	var spki struct {
		Alg pkix.AlgorithmIdentifier
		Key asn1.BitString
	}
	asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki)
	return spki.Key.RightAlign()
}

// matchesIssuer reports whether id names issuer.
func matchesIssuer(id certID, issuer *x509.Certificate) bool {
	h := algorithm.HashFromOID(id.HashAlgorithm.Algorithm)
	if h == 0 {
		return false
	}
	nh := h.New()
	nh.Write(issuer.RawSubject)
	kh := h.New()
	kh.Write(spkiKey(issuer))
	return bytes.Equal(nh.Sum(nil), id.NameHash) && bytes.Equal(kh.Sum(nil), id.IssuerKeyHash)
}

func writeOCSP(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/ocsp-response")
	w.Write(body)
}

func (p *PKI) serveOCSP(w http.ResponseWriter, r *http.Request) {
	p.hit("ocsp")
	p.mu.Lock()
	mode, delay, byCA, delegated := p.ocspMode, p.ocspDelay, p.ocspByCA, p.ocspSigner
	p.mu.Unlock()
	if delegated == nil {
		delegated = p.OCSPSigner
	}
	var der []byte
	switch r.Method {
	case http.MethodPost:
		b, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if err != nil {
			http.Error(w, "read error", http.StatusBadRequest)
			return
		}
		der = b
	case http.MethodGet:
		enc := strings.TrimLeft(strings.TrimPrefix(r.URL.Path, "/ocsp"), "/")
		if u, err := url.PathUnescape(enc); err == nil {
			enc = u
		}
		b, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			writeOCSP(w, []byte{0x30, 0x03, 0x0A, 0x01, 0x01})
			return
		}
		der = b
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// Wait after reading the body: only then does the server notice a client that
	// gave up.
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	switch mode {
	case OCSPTryLater:
		writeOCSP(w, []byte{0x30, 0x03, 0x0A, 0x01, 0x03})
		return
	case OCSPInternalError:
		writeOCSP(w, []byte{0x30, 0x03, 0x0A, 0x01, 0x02})
		return
	case OCSPMalformed:
		writeOCSP(w, []byte("this is not an OCSP response"))
		return
	case OCSPOversized:
		writeOCSP(w, make([]byte, 2<<20))
		return
	}
	var req ocspReq
	if rest, err := asn1.Unmarshal(der, &req); err != nil || len(rest) > 0 || len(req.TBS.RequestList) == 0 {
		writeOCSP(w, []byte{0x30, 0x03, 0x0A, 0x01, 0x01}) // malformedRequest
		return
	}
	body, err := p.ocspAnswer(req, mode, byCA, delegated)
	if err != nil {
		writeOCSP(w, []byte{0x30, 0x03, 0x0A, 0x01, 0x02}) // internalError
		return
	}
	writeOCSP(w, body)
}

// ocspAnswer builds a signed BasicOCSPResponse for the request.
func (p *PKI) ocspAnswer(req ocspReq, mode OCSPBehavior, byCA bool, delegated *Holder) ([]byte, error) {
	now := p.now().UTC().Truncate(time.Second)
	thisUpdate, nextUpdate := now, now.Add(24*time.Hour)
	switch mode {
	case OCSPStale:
		thisUpdate, nextUpdate = now.Add(-48*time.Hour), now.Add(-24*time.Hour)
	case OCSPFuture:
		thisUpdate, nextUpdate = now.Add(24*time.Hour), now.Add(48*time.Hour)
	}
	// The first request decides the issuer, hence the signer.
	first := req.TBS.RequestList[0].Cert
	var issuer *Holder
	for _, h := range []*Holder{p.CA, p.Root} {
		if matchesIssuer(first, h.Cert) {
			issuer = h
		}
	}
	var responses []singleResp
	p.mu.Lock()
	for _, rq := range req.TBS.RequestList {
		id := rq.Cert
		sr := singleResp{CertID: id, ThisUpdate: thisUpdate, NextUpdate: nextUpdate}
		serial := ""
		if id.SerialNumber != nil {
			serial = id.SerialNumber.Text(16)
		}
		issued, known := p.issued[serial]
		known = known && issuer != nil && matchesIssuer(id, issuer.Cert) && bytes.Equal(issued.RawIssuer, issuer.Cert.RawSubject)
		rev, revoked := p.revoked[serial]
		switch {
		case mode == OCSPUnknown || !known:
			sr.Status = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2}
		case revoked:
			info, _ := asn1.Marshal(struct {
				At     time.Time       `asn1:"generalized"`
				Reason asn1.Enumerated `asn1:"explicit,tag:0,optional"`
			}{rev.at.UTC(), asn1.Enumerated(rev.reason)})
			var seq asn1.RawValue
			asn1.Unmarshal(info, &seq)
			sr.Status = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 1, IsCompound: true, Bytes: seq.Bytes}
		default:
			sr.Status = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0}
		}
		responses = append(responses, sr)
	}
	if p.rogue == nil && (mode == OCSPWrongKey) {
		p.mu.Unlock()
		rogue, err := p.newRogue()
		if err != nil {
			return nil, err
		}
		p.mu.Lock()
		p.rogue = rogue
	}
	rogue := p.rogue
	p.mu.Unlock()

	// Who signs: the delegated responder for the issuing CA's certificates, the root
	// itself for the CA certificate, or the misbehaving signer.
	signer := p.Root
	var certs []*x509.Certificate
	if issuer == p.CA {
		if byCA {
			signer = p.CA
		} else {
			signer = delegated
			certs = []*x509.Certificate{delegated.Cert}
		}
	}
	switch mode {
	case OCSPWrongKey:
		signer, certs = rogue, []*x509.Certificate{rogue.Cert}
	case OCSPUnauthorized:
		signer, certs = p.Leader, []*x509.Certificate{p.Leader.Cert}
	}
	var exts []pkix.Extension
	if mode != OCSPNoNonce {
		for _, e := range req.TBS.Extensions {
			if e.Id.Equal(oidOCSPNonce) {
				v := append([]byte(nil), e.Value...)
				if mode == OCSPBadNonce && len(v) > 0 {
					v[len(v)-1] ^= 0xff
				}
				exts = append(exts, pkix.Extension{Id: oidOCSPNonce, Value: v})
			}
		}
	}
	idCert := signer.Cert
	if mode == OCSPWrongResponderID {
		idCert = p.Root.Cert
		if signer == p.Root {
			idCert = p.CA.Cert
		}
	}
	keyHash := sha1.Sum(spkiKey(idCert))
	kh, _ := asn1.Marshal(keyHash[:])
	tbs, err := asn1.Marshal(respData{
		ResponderID: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, IsCompound: true, Bytes: kh},
		ProducedAt:  now,
		Responses:   responses,
		Extensions:  exts,
	})
	if err != nil {
		return nil, err
	}
	alg, sig, err := signDER(signer.Key, tbs)
	if err != nil {
		return nil, err
	}
	if mode == OCSPBadSignature {
		sig[len(sig)/2] ^= 0xff
	}
	br := basicResp{TBS: asn1.RawValue{FullBytes: tbs}, Algorithm: alg, Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}}
	for _, c := range certs {
		br.Certs = append(br.Certs, asn1.RawValue{FullBytes: c.Raw})
	}
	basic, err := asn1.Marshal(br)
	if err != nil {
		return nil, err
	}
	var out ocspResp
	out.Bytes.Type = oidOCSPBasic
	out.Bytes.Response = basic
	return asn1.Marshal(out)
}

// signDER signs data with SHA-256 and returns the algorithm identifier.
func signDER(key crypto.Signer, data []byte) (pkix.AlgorithmIdentifier, []byte, error) {
	d := crypto.SHA256.New()
	d.Write(data)
	sig, err := key.Sign(rand.Reader, d.Sum(nil), crypto.SHA256)
	if err != nil {
		return pkix.AlgorithmIdentifier{}, nil, err
	}
	if _, ok := key.Public().(*ecdsa.PublicKey); ok {
		return pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA256}, sig, nil
	}
	return pkix.AlgorithmIdentifier{Algorithm: oidSHA256RSA, Parameters: asn1.NullRawValue}, sig, nil
}

// newRogue makes a self-signed responder certificate the CA never certified.
func (p *PKI) newRogue() (*Holder, error) {
	key, err := p.newKey()
	if err != nil {
		return nil, err
	}
	now := p.now().UTC()
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	t := &x509.Certificate{
		SerialNumber: serial,
		RawSubject:   Name(C("VN"), O("Giả mạo"), CN("OCSP giả mạo")),
		NotBefore:    now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
	}
	der, err := x509.CreateCertificate(rand.Reader, t, t, key.Public(), key)
	if err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Holder{Name: "rogue", Cert: c, Key: key, Chain: []*x509.Certificate{c}}, nil
}
