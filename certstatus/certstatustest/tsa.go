package certstatustest

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"net/http"
	"sort"
	"time"

	"github.com/digitorus/timestamp"

	"github.com/kyso-go/kyso/internal/algorithm"
)

// TSABehavior is how the time-stamping server misbehaves, for failure tests.
type TSABehavior int

// The TSA behaviours.
const (
	TSANormal         TSABehavior = iota // correct tokens
	TSAWrongImprint                      // the token stamps another digest
	TSAWrongNonce                        // the token carries another nonce
	TSARejection                         // status rejection, failInfo badRequest
	TSAMalformed                         // a 200 answer whose body is not a TimeStampResp
	TSABadSignature                      // the token's signature is corrupted
	TSANoCertificates                    // no certificates in the token even when asked
)

// TSAPolicy is the policy OID of the test TSA's tokens (under Vietnam's country arc).
var TSAPolicy = asn1.ObjectIdentifier{2, 16, 704, 1, 99, 3161, 1}

// SetTSA sets how the time-stamping server behaves from now on.
func (p *PKI) SetTSA(b TSABehavior) {
	p.mu.Lock()
	p.tsaMode = b
	p.mu.Unlock()
}

// SetTSASigner makes the TSA sign with another holder (for example one whose
// timeStamping key usage is not critical); nil restores the PKI's TSA.
func (p *PKI) SetTSASigner(h *Holder) {
	p.mu.Lock()
	p.tsaSigner = h
	p.mu.Unlock()
}

// SetTSARSAPSS makes the TSA sign tokens with RSASSA-PSS (SHA-256, MGF1-SHA-256, salt
// 32), the scheme Thông tư 39/2017/TT-BTTTT makes mandatory for signing, instead of
// PKCS #1 v1.5. It needs RSA keys (the default).
func (p *PKI) SetTSARSAPSS(on bool) {
	p.mu.Lock()
	p.tsaPSS = on
	p.mu.Unlock()
}

// SetTSADelay makes the time-stamping server wait d before answering (a slow TSA).
func (p *PKI) SetTSADelay(d time.Duration) {
	p.mu.Lock()
	p.tsaDelay = d
	p.mu.Unlock()
}

// RequireTSAAuth makes the TSA demand HTTP basic authentication; an empty user turns
// it off.
func (p *PKI) RequireTSAAuth(user, password string) {
	p.mu.Lock()
	p.tsaUser, p.tsaPass = user, password
	p.mu.Unlock()
}

var (
	oidSignedData       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidTSTInfo          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidAttrContentType  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigst = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningTime  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidAttrSigningCert2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
)

type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type accuracy struct {
	Seconds int `asn1:"optional"`
	Millis  int `asn1:"optional,tag:0"`
}

type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	SerialNumber   *big.Int
	GenTime        time.Time `asn1:"generalized"`
	Accuracy       accuracy  `asn1:"optional"`
	Nonce          *big.Int  `asn1:"optional"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type signerInfo struct {
	Version            int
	SID                issuerAndSerial
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
}

type encapContent struct {
	Type    asn1.ObjectIdentifier
	Content []byte `asn1:"explicit,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContent
	Certificates     asn1.RawValue `asn1:"optional"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type contentInfo struct {
	Type    asn1.ObjectIdentifier
	Content asn1.RawValue
}

type pkiStatusInfo struct {
	Status       int
	StatusString []asn1.RawValue `asn1:"optional"` // PKIFreeText: SEQUENCE OF UTF8String
	FailInfo     asn1.BitString  `asn1:"optional"`
}

type tsResp struct {
	Status pkiStatusInfo
	Token  asn1.RawValue `asn1:"optional"`
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values []asn1.RawValue `asn1:"set"`
}

func hashOID(h crypto.Hash) asn1.ObjectIdentifier {
	if h == crypto.MD5 {
		return nil
	}
	oid, _ := algorithm.HashOID(h)
	return oid
}

func freeText(s string) []asn1.RawValue {
	return []asn1.RawValue{{Tag: asn1.TagUTF8String, Bytes: []byte(s)}}
}

func writeTSA(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/timestamp-reply")
	w.Write(body)
}

func (p *PKI) serveTSA(w http.ResponseWriter, r *http.Request) {
	p.hit("tsa")
	if r.Method != http.MethodPost {
		http.Error(w, "POST an application/timestamp-query", http.StatusMethodNotAllowed)
		return
	}
	p.mu.Lock()
	mode, signer, user, pass, pss, delay := p.tsaMode, p.tsaSigner, p.tsaUser, p.tsaPass, p.tsaPSS, p.tsaDelay
	p.tsaSerial++
	serial := p.tsaSerial
	p.mu.Unlock()
	if signer == nil {
		signer = p.TSA
	}
	if user != "" {
		u, pw, ok := r.BasicAuth()
		if !ok || u != user || pw != pass {
			w.Header().Set("WWW-Authenticate", `Basic realm="TSA"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if mode == TSAMalformed {
		writeTSA(w, []byte("this is not a TimeStampResp"))
		return
	}
	req, err := timestamp.ParseRequest(body)
	if err != nil || mode == TSARejection {
		resp, _ := asn1.Marshal(tsResp{Status: pkiStatusInfo{Status: 2, StatusString: freeText("bad request"),
			FailInfo: asn1.BitString{Bytes: []byte{0x20}, BitLength: 3}}})
		writeTSA(w, resp)
		return
	}
	token, err := p.makeToken(req, signer, mode, serial, pss)
	if err != nil {
		resp, _ := asn1.Marshal(tsResp{Status: pkiStatusInfo{Status: 2, StatusString: freeText(err.Error()),
			FailInfo: asn1.BitString{Bytes: []byte{0x00, 0x00, 0x00, 0x40}, BitLength: 26}}})
		writeTSA(w, resp)
		return
	}
	resp, err := asn1.Marshal(tsResp{Status: pkiStatusInfo{Status: 0}, Token: asn1.RawValue{FullBytes: token}})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeTSA(w, resp)
}

// Timestamp makes a token directly (without HTTP) over digest, as the TSA would
// answer a request with certReq and the given nonce (nil: none).
func (p *PKI) Timestamp(digest []byte, h crypto.Hash, nonce *big.Int) ([]byte, error) {
	p.mu.Lock()
	mode, signer, pss := p.tsaMode, p.tsaSigner, p.tsaPSS
	p.tsaSerial++
	serial := p.tsaSerial
	p.mu.Unlock()
	if signer == nil {
		signer = p.TSA
	}
	return p.makeToken(&timestamp.Request{HashAlgorithm: h, HashedMessage: digest, Nonce: nonce, Certificates: true}, signer, mode, serial, pss)
}

// makeToken builds a DER TimeStampToken (ContentInfo with SignedData over a TSTInfo).
func (p *PKI) makeToken(req *timestamp.Request, signer *Holder, mode TSABehavior, serial int64, pss bool) ([]byte, error) {
	hoid := hashOID(req.HashAlgorithm)
	if hoid == nil {
		return nil, crlError("unsupported hash algorithm")
	}
	imprint := append([]byte(nil), req.HashedMessage...)
	if mode == TSAWrongImprint && len(imprint) > 0 {
		imprint[0] ^= 0xff
	}
	nonce := req.Nonce
	if mode == TSAWrongNonce {
		nonce = big.NewInt(1)
		if req.Nonce != nil {
			nonce.Add(nonce, req.Nonce)
		}
	}
	now := p.now().UTC().Truncate(time.Second)
	info, err := asn1.Marshal(tstInfo{
		Version:        1,
		Policy:         TSAPolicy,
		MessageImprint: messageImprint{HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: hoid, Parameters: asn1.NullRawValue}, HashedMessage: imprint},
		SerialNumber:   big.NewInt(serial),
		GenTime:        now,
		Accuracy:       accuracy{Seconds: 1},
		Nonce:          nonce,
	})
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	if req.Certificates && mode != TSANoCertificates {
		certs = signer.Chain
		if len(certs) > 2 {
			certs = certs[:2] // TSA and issuing CA; the root comes from the trust store
		}
	}
	return signCMS(oidTSTInfo, info, signer, certs, now, mode == TSABadSignature, pss)
}

// signCMS makes a CMS SignedData ContentInfo over content with the signed attributes
// content-type, message-digest, signing-time and ESS signing-certificate-v2.
func signCMS(contentType asn1.ObjectIdentifier, content []byte, signer *Holder, certs []*x509.Certificate, now time.Time, corrupt, pss bool) ([]byte, error) {
	md := crypto.SHA256.New()
	md.Write(content)
	certHash := crypto.SHA256.New()
	certHash.Write(signer.Cert.Raw)
	// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, with the
	// default hash (SHA-256) left out as DER requires.
	essCert, err := asn1.Marshal(struct {
		Certs []struct{ CertHash []byte }
	}{Certs: []struct{ CertHash []byte }{{CertHash: certHash.Sum(nil)}}})
	if err != nil {
		return nil, err
	}
	ct, _ := asn1.Marshal(contentType)
	mdv, _ := asn1.Marshal(md.Sum(nil))
	st, _ := asn1.Marshal(now)
	var encoded [][]byte
	for _, a := range []attribute{
		{Type: oidAttrContentType, Values: []asn1.RawValue{{FullBytes: ct}}},
		{Type: oidAttrSigningTime, Values: []asn1.RawValue{{FullBytes: st}}},
		{Type: oidAttrMessageDigst, Values: []asn1.RawValue{{FullBytes: mdv}}},
		{Type: oidAttrSigningCert2, Values: []asn1.RawValue{{FullBytes: essCert}}},
	} {
		der, err := asn1.Marshal(a)
		if err != nil {
			return nil, err
		}
		encoded = append(encoded, der)
	}
	sort.Slice(encoded, func(i, j int) bool { return bytes.Compare(encoded[i], encoded[j]) < 0 })
	attrs := bytes.Join(encoded, nil)
	setDER, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: attrs})
	if err != nil {
		return nil, err
	}
	alg, sig, err := signDER(signer.Key, setDER)
	if pss {
		alg, sig, err = signPSS(signer.Key, setDER)
	}
	if err != nil {
		return nil, err
	}
	if corrupt {
		sig[len(sig)/2] ^= 0xff
	}
	sd := signedData{
		Version:          3,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: oidSHA256, Parameters: asn1.NullRawValue}},
		EncapContentInfo: encapContent{Type: contentType, Content: content},
		SignerInfos: []signerInfo{{
			Version:            1,
			SID:                issuerAndSerial{Issuer: asn1.RawValue{FullBytes: signer.Cert.RawIssuer}, Serial: signer.Cert.SerialNumber},
			DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: oidSHA256, Parameters: asn1.NullRawValue},
			SignedAttrs:        asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: attrs},
			SignatureAlgorithm: alg,
			Signature:          sig,
		}},
	}
	if len(certs) > 0 {
		var raw []byte
		for _, c := range certs {
			raw = append(raw, c.Raw...)
		}
		sd.Certificates = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: raw}
	}
	sdDER, err := asn1.Marshal(sd)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(contentInfo{Type: oidSignedData,
		Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sdDER}})
}

var (
	oidRSAPSS = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidMGF1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
)

// signPSS signs data with RSASSA-PSS, SHA-256, MGF1-SHA-256 and a 32-byte salt.
func signPSS(key crypto.Signer, data []byte) (pkix.AlgorithmIdentifier, []byte, error) {
	d := crypto.SHA256.New()
	d.Write(data)
	sig, err := key.Sign(rand.Reader, d.Sum(nil), &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: crypto.SHA256})
	if err != nil {
		return pkix.AlgorithmIdentifier{}, nil, err
	}
	sha256ID := pkix.AlgorithmIdentifier{Algorithm: oidSHA256, Parameters: asn1.NullRawValue}
	mgfParams, _ := asn1.Marshal(sha256ID)
	params, err := asn1.Marshal(struct {
		Hash       pkix.AlgorithmIdentifier `asn1:"explicit,tag:0"`
		MGF        pkix.AlgorithmIdentifier `asn1:"explicit,tag:1"`
		SaltLength int                      `asn1:"explicit,tag:2"`
	}{sha256ID, pkix.AlgorithmIdentifier{Algorithm: oidMGF1, Parameters: asn1.RawValue{FullBytes: mgfParams}}, 32})
	if err != nil {
		return pkix.AlgorithmIdentifier{}, nil, err
	}
	return pkix.AlgorithmIdentifier{Algorithm: oidRSAPSS, Parameters: asn1.RawValue{FullBytes: params}}, sig, nil
}
