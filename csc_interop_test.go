package kyso_test

// A second CSC v2 remote signing service, written for these tests from the text of the
// specification (CSC API v2.0.0.x: info, credentials/list, credentials/info,
// credentials/authorize, signatures/signHash and the error table) — not from the client
// nor from token/csctest — and made to answer in each of the ways independent services
// were found to answer (see the variants below and token/CSC_INTEROP.md). Every
// variant signs a PDF through kyso.Sign that kyso's verifier and pdfsig accept.

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Object identifiers, from RFC 8017, RFC 5758 and NIST CSOR.
const (
	ivRSA       = "1.2.840.113549.1.1.1"
	ivRSAPSS    = "1.2.840.113549.1.1.10"
	ivSHA256RSA = "1.2.840.113549.1.1.11"
	ivSHA384RSA = "1.2.840.113549.1.1.12"
	ivEC        = "1.2.840.10045.2.1"
	ivECSHA256  = "1.2.840.10045.4.3.2"
	ivSHA256    = "2.16.840.1.101.3.4.2.1"
	ivSHA384    = "2.16.840.1.101.3.4.2.2"
	ivSHA512    = "2.16.840.1.101.3.4.2.3"
	ivP256      = "1.2.840.10045.3.1.7"
)

// ivVariant is how the service answers where the specification leaves room, or where
// services differ from it.
type ivVariant struct {
	name string
	// info
	infoGETOnly bool // info is GET only: 405 to POST (CZERTAINLY CSC API)
	infoSlash   bool // info only under /csc/v2/info/
	refuseLang  bool // 400 to an unknown "lang" (info, credentials/list, credentials/info)
	strictList  bool // 400 to maxResults/pageToken (CSC v1 parameters gone in v2)
	// credentials/list
	listInfosOnly bool // only credentialInfos, no credentialIDs
	listAuthDto   bool // credentialInfos name "auth" "authDto" (CZERTAINLY)
	// credentials/info
	flatV1         bool   // authMode, PIN, OTP objects (CSC v1 shape), PIN/OTP in authorize
	objectsStrings bool   // auth/objects as ["PIN"] (CZERTAINLY's AuthDto)
	pinObjectID    string // id of the PIN authentication object (default "PIN")
	implicit       bool   // authMode implicit: no PIN
	otp            string // an OTP is required too
	algos          []string
	stringNumbers  bool // key/len, multisign, SCAL as strings ("2048", "10", "2")
	scal2          bool
	chainNoRoot    bool
	chainRootFirst bool
	certsMIME      bool // certificates as MIME base64, 64-character lines
	// credentials/authorize
	hashesAlways bool // the hashes are required although SCAL is 1
	// signatures/signHash
	hashAlgoV1 bool // hashAlgo (CSC v1 name) required instead of hashAlgorithmOID
	hashV1     bool // "hash" (CSC v1 name) read instead of "hashes", in authorize and signHash
	otpOnline  bool // the OTP is sent by credentials/sendOTP (CSC v1 "online" OTP)
	// compositeOnly: key/algo lists the key algorithm, signHash accepts only a
	// signature algorithm with its hash (CZERTAINLY's ECDSA family)
	compositeOnly bool
	sigB64        *base64.Encoding
	ecdsaRaw      bool // ECDSA signatures as r‖s (IEEE P1363), not DER
	// errors
	status200Errors bool // refusals with HTTP 200 and an error body
}

type ivSAD struct {
	left   int
	until  time.Time
	hashes map[string]bool
}

// ivService is the independent service: one credential.
type ivService struct {
	v      ivVariant
	bearer string
	id     string
	key    crypto.Signer
	chain  []*x509.Certificate
	pin    string

	mu      sync.Mutex
	otpSent bool
	sads    map[string]*ivSAD
	counts  map[string]int
	// faults answer the next requests to a path: status, body, Retry-After.
	faults map[string][]ivFault
}

type ivFault struct {
	status     int
	body       string
	retryAfter string
}

func (s *ivService) fail(path string, f ...ivFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[path] = append(s.faults[path], f...)
}

func (s *ivService) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[path]
}

type ivErr struct {
	status int
	code   string
	desc   string
}

func ivBad(desc string) *ivErr { return &ivErr{400, "invalid_request", desc} }

func (s *ivService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/rssp/csc/v2/")
	s.counts[path]++
	if fs := s.faults[path]; len(fs) > 0 {
		f := fs[0]
		s.faults[path] = fs[1:]
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		w.WriteHeader(f.status)
		fmt.Fprint(w, f.body)
		return
	}
	var in map[string]any
	if r.Method == http.MethodPost && r.ContentLength != 0 {
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			s.reply(w, nil, ivBad("Malformed request"))
			return
		}
	}
	var out any
	var e *ivErr
	switch {
	case path == "info" || path == "info/":
		out, e = s.info(r, path, in)
	case r.Method != http.MethodPost:
		e = &ivErr{405, "invalid_request", "Method not allowed"}
	case r.Header.Get("Authorization") != "Bearer "+s.bearer:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized) // no body, as many gateways answer
		return
	case s.v.refuseLang && in["lang"] != nil:
		e = ivBad("Invalid parameter lang")
	case path == "credentials/list" && s.v.strictList && in["maxResults"] != nil:
		e = ivBad("Invalid parameter maxResults")
	case path == "credentials/list":
		out, e = s.list(in)
	case path == "credentials/info":
		if in["credentialID"] != s.id {
			e = ivBad("Invalid parameter credentialID")
			break
		}
		out = s.credInfo(in["certificates"])
	case path == "credentials/sendOTP" && s.v.otpOnline:
		if in["credentialID"] != s.id {
			e = ivBad("Invalid parameter credentialID")
			break
		}
		s.otpSent = true
		w.WriteHeader(http.StatusNoContent)
		return
	case path == "credentials/authorize":
		out, e = s.authorize(in)
	case path == "signatures/signHash":
		out, e = s.signHash(in)
	default:
		e = &ivErr{404, "invalid_request", "Not found"}
	}
	s.reply(w, out, e)
}

func (s *ivService) reply(w http.ResponseWriter, out any, e *ivErr) {
	w.Header().Set("Content-Type", "application/json")
	if e != nil {
		if s.v.status200Errors && e.status == 400 {
			e.status = 200
		}
		w.WriteHeader(e.status)
		json.NewEncoder(w).Encode(map[string]string{"error": e.code, "error_description": e.desc})
		return
	}
	json.NewEncoder(w).Encode(out)
}

func (s *ivService) info(r *http.Request, path string, in map[string]any) (any, *ivErr) {
	switch {
	case s.v.infoSlash && path == "info":
		return nil, &ivErr{404, "invalid_request", "Not found"}
	case s.v.infoGETOnly && r.Method != http.MethodGet:
		return nil, &ivErr{405, "invalid_request", "Request method 'POST' is not supported"}
	case s.v.refuseLang && in["lang"] != nil:
		return nil, ivBad("Invalid parameter lang")
	}
	return map[string]any{"specs": "2.0.0.2", "name": "Independent RSSP " + s.v.name, "logo": "", "region": "VN", "lang": "en-US",
		"description": "test", "authType": []string{"oauth2code"}, "methods": []string{"credentials/list", "credentials/info", "credentials/authorize", "signatures/signHash"}}, nil
}

func (s *ivService) list(in map[string]any) (any, *ivErr) {
	out := map[string]any{}
	if !s.v.listInfosOnly {
		out["credentialIDs"] = []string{s.id}
	}
	if in["credentialInfo"] == true || s.v.listInfosOnly {
		ci := s.credInfo(in["certificates"])
		ci["credentialID"] = s.id
		if s.v.listAuthDto && ci["auth"] != nil {
			ci["authDto"] = ci["auth"]
			delete(ci, "auth")
		}
		out["credentialInfos"] = []any{ci}
	}
	return out, nil
}

func (s *ivService) num(n int) any {
	if s.v.stringNumbers {
		return strconv.Itoa(n)
	}
	return n
}

func (s *ivService) credInfo(which any) map[string]any {
	chain := s.chain
	if s.v.chainNoRoot {
		chain = chain[:len(chain)-1]
	}
	if s.v.chainRootFirst {
		rev := make([]*x509.Certificate, 0, len(chain))
		for i := len(chain) - 1; i >= 0; i-- {
			rev = append(rev, chain[i])
		}
		chain = rev
	}
	switch {
	case which == "none":
		chain = nil
	case which == "single", which == nil:
		chain = chain[:1]
	}
	var certs []string
	for _, c := range chain {
		b64 := base64.StdEncoding.EncodeToString(c.Raw)
		if s.v.certsMIME {
			var lines []string
			for len(b64) > 64 {
				lines, b64 = append(lines, b64[:64]), b64[64:]
			}
			b64 = strings.Join(append(lines, b64), "\r\n")
		}
		certs = append(certs, b64)
	}
	key := map[string]any{"status": "enabled", "algo": s.v.algos}
	switch k := s.key.Public().(type) {
	case *rsa.PublicKey:
		key["len"] = s.num(k.N.BitLen())
	case *ecdsa.PublicKey:
		key["len"], key["curve"] = s.num(256), ivP256
	}
	scal := 1
	if s.v.scal2 {
		scal = 2
	}
	ci := map[string]any{"description": "Chữ ký số từ xa", "key": key,
		"cert":      map[string]any{"status": "valid", "certificates": certs, "subjectDN": chain[0].Subject.String()},
		"multisign": s.num(10), "SCAL": strconv.Itoa(scal)}
	if !s.v.stringNumbers {
		ci["SCAL"] = scal
	}
	switch {
	case s.v.implicit && s.v.flatV1:
		ci["authMode"] = "implicit"
	case s.v.implicit:
		ci["auth"] = map[string]any{"mode": "implicit"}
	case s.v.flatV1:
		ci["authMode"] = "explicit"
		ci["PIN"] = map[string]any{"presence": "true", "format": "N", "label": "PIN"}
		if s.v.otp != "" {
			typ := "offline"
			if s.v.otpOnline {
				typ = "online"
			}
			ci["OTP"] = map[string]any{"presence": "true", "type": typ, "format": "N", "ID": "token-1"}
		} else {
			ci["OTP"] = map[string]any{"presence": "false"}
		}
	case s.v.objectsStrings:
		objs := []string{"PIN"}
		if s.v.otp != "" {
			objs = append(objs, "OTP")
		}
		ci["auth"] = map[string]any{"mode": "explicit", "objects": objs}
	default:
		pinID := s.v.pinObjectID
		if pinID == "" {
			pinID = "PIN"
		}
		objs := []map[string]any{{"type": "Password", "id": pinID, "format": "N", "label": "PIN"}}
		if s.v.otp != "" {
			objs = append(objs, map[string]any{"type": "OTP", "id": "OTP", "format": "N", "generator": "totp"})
		}
		ci["auth"] = map[string]any{"mode": "explicit", "expression": "", "objects": objs}
	}
	return ci
}

func (s *ivService) authorize(in map[string]any) (any, *ivErr) {
	if in["credentialID"] != s.id {
		return nil, ivBad("Invalid parameter credentialID")
	}
	n, ok := in["numSignatures"].(float64)
	if !ok {
		return nil, ivBad("Missing (or invalid type) integer parameter numSignatures")
	}
	if n < 1 || n > 10 {
		return nil, ivBad("Numbers of signatures is too high")
	}
	hashKey := "hashes"
	if s.v.hashV1 {
		hashKey = "hash"
	}
	hashes, _ := in[hashKey].([]any)
	if (s.v.scal2 || s.v.hashesAlways) && len(hashes) == 0 {
		if s.v.hashV1 {
			return nil, ivBad("Missing (or invalid type) array parameter hash")
		}
		return nil, ivBad("Missing (or invalid type) array parameter hashes")
	}
	if len(hashes) > 0 && (len(hashes) != int(n) || in["hashAlgorithmOID"] == nil) {
		return nil, ivBad("Invalid parameter hashes")
	}
	var pin, otp string
	if s.v.flatV1 {
		pin, _ = in["PIN"].(string)
		otp, _ = in["OTP"].(string)
	} else {
		ad, _ := in["authData"].([]any)
		pinID := s.v.pinObjectID
		if pinID == "" || s.v.objectsStrings {
			pinID = "PIN"
		}
		for _, a := range ad {
			m, _ := a.(map[string]any)
			switch m["id"] {
			case pinID:
				pin, _ = m["value"].(string)
			case "OTP":
				otp, _ = m["value"].(string)
			}
		}
	}
	if !s.v.implicit && pin != s.pin {
		return nil, &ivErr{400, "invalid_request", "The PIN is invalid"}
	}
	if s.v.otp != "" && (otp != s.v.otp || s.v.otpOnline && !s.otpSent) {
		return nil, ivBad("The OTP is invalid")
	}
	s.otpSent = false
	sad := make([]byte, 18)
	rand.Read(sad)
	id := base64.RawURLEncoding.EncodeToString(sad)
	st := &ivSAD{left: int(n), until: time.Now().Add(10 * time.Minute)}
	if len(hashes) > 0 {
		st.hashes = map[string]bool{}
		for _, h := range hashes {
			st.hashes[h.(string)] = true
		}
	}
	s.sads[id] = st
	return map[string]any{"SAD": id, "expiresIn": 600}, nil
}

func (s *ivService) signHash(in map[string]any) (any, *ivErr) {
	sad, _ := in["SAD"].(string)
	st := s.sads[sad]
	switch {
	case in["credentialID"] != s.id:
		return nil, ivBad("Invalid parameter credentialID")
	case st == nil:
		return nil, ivBad("Invalid parameter SAD")
	case time.Now().After(st.until):
		return nil, ivBad("SAD expired")
	}
	hashKey := "hashes"
	if s.v.hashV1 {
		hashKey = "hash"
	}
	hashes, _ := in[hashKey].([]any)
	if len(hashes) == 0 {
		return nil, ivBad("Missing (or invalid type) array parameter " + hashKey)
	}
	if len(hashes) > st.left {
		return nil, ivBad("Numbers of signatures is too high")
	}
	algo, _ := in["signAlgo"].(string)
	offered := false
	for _, a := range s.v.algos {
		offered = offered || a == algo
	}
	if s.v.compositeOnly {
		offered = algo == ivSHA256RSA || algo == ivSHA384RSA || algo == ivECSHA256
	}
	if !offered {
		return nil, ivBad("Invalid parameter signAlgo")
	}
	hashParam := "hashAlgorithmOID"
	if s.v.hashAlgoV1 {
		hashParam = "hashAlgo"
	}
	var h crypto.Hash
	switch algo {
	case ivSHA256RSA, ivECSHA256:
		h = crypto.SHA256
	case ivSHA384RSA:
		h = crypto.SHA384
	default:
		oid, ok := in[hashParam].(string)
		if !ok {
			return nil, ivBad("Missing (or invalid type) string parameter " + hashParam)
		}
		h = map[string]crypto.Hash{ivSHA256: crypto.SHA256, ivSHA384: crypto.SHA384, ivSHA512: crypto.SHA512}[oid]
		if h == 0 {
			return nil, ivBad("Invalid parameter " + hashParam)
		}
	}
	var opts crypto.SignerOpts = h
	if algo == ivRSAPSS {
		p, _ := in["signAlgoParams"].(string)
		salt, ok := ivPSSSalt(p, h)
		if !ok {
			return nil, ivBad("Invalid parameter signAlgoParams")
		}
		opts = &rsa.PSSOptions{Hash: h, SaltLength: salt}
	}
	enc := s.v.sigB64
	if enc == nil {
		enc = base64.StdEncoding
	}
	var sigs []string
	for _, hv := range hashes {
		b64, _ := hv.(string)
		if st.hashes != nil && !st.hashes[b64] {
			return nil, ivBad("Hash is not authorized by the SAD")
		}
		d, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(d) != h.Size() {
			return nil, ivBad("Invalid digest value length")
		}
		sig, err := s.key.Sign(rand.Reader, d, opts)
		if err != nil {
			return nil, &ivErr{500, "server_error", "HSM error"}
		}
		if _, ec := s.key.Public().(*ecdsa.PublicKey); ec && s.v.ecdsaRaw {
			var rs struct{ R, S *big.Int }
			if _, err := asn1.Unmarshal(sig, &rs); err != nil {
				return nil, &ivErr{500, "server_error", "HSM error"}
			}
			sig = append(rs.R.FillBytes(make([]byte, 32)), rs.S.FillBytes(make([]byte, 32))...)
		}
		sigs = append(sigs, enc.EncodeToString(sig))
	}
	st.left -= len(hashes)
	if st.left == 0 {
		delete(s.sads, sad)
	}
	return map[string]any{"signatures": sigs}, nil
}

// ivPSSSalt reads RSASSA-PSS-params (RFC 8017 A.2.3) and returns the salt length when
// both hashes are h and the trailer is 1.
func ivPSSSalt(b64 string, h crypto.Hash) (int, bool) {
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return 0, false
	}
	type algID struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	var p struct {
		Hash    algID `asn1:"explicit,optional,tag:0"`
		MGF     algID `asn1:"explicit,optional,tag:1"`
		Salt    int   `asn1:"explicit,optional,default:20,tag:2"`
		Trailer int   `asn1:"explicit,optional,default:1,tag:3"`
	}
	if rest, err := asn1.Unmarshal(der, &p); err != nil || len(rest) > 0 {
		return 0, false
	}
	var mgfHash algID
	if _, err := asn1.Unmarshal(p.MGF.Parameters.FullBytes, &mgfHash); err != nil {
		return 0, false
	}
	want := map[crypto.Hash]string{crypto.SHA256: ivSHA256, crypto.SHA384: ivSHA384, crypto.SHA512: ivSHA512}[h]
	if p.Hash.Algorithm.String() != want || mgfHash.Algorithm.String() != want || p.Trailer != 1 {
		return 0, false
	}
	return p.Salt, true
}

// ivKit is one variant's service, with the test PKI it signs under.
type ivKit struct {
	svc    *ivService
	url    string
	client *token.CSCClient
	bt     *btKit
}

// ivPKIs are the test hierarchies the variants sign under (RSA and ECDSA), made once
// per test: generating RSA hierarchies is slow on a loaded machine.
type ivPKIs struct{ rsa, ec *certstatustest.PKI }

func newIVPKIs(t *testing.T, ec bool) ivPKIs {
	p := ivPKIs{rsa: certstatustest.NewPKI(t)}
	if ec {
		p.ec = certstatustest.NewPKIWith(t, certstatustest.Options{ECDSA: true})
	}
	return p
}

func newIVKit(t *testing.T, pkis ivPKIs, v ivVariant, ec bool) *ivKit {
	t.Helper()
	p := pkis.rsa
	if ec {
		p = pkis.ec
	}
	svc := &ivService{v: v, bearer: "iv-" + strings.ReplaceAll(v.name, " ", "-"), id: "cred-" + strconv.Itoa(len(v.name)),
		key: p.Leader.Key, chain: p.Leader.Chain, pin: "987654",
		sads: map[string]*ivSAD{}, counts: map[string]int{}, faults: map[string][]ivFault{}}
	ts := httptest.NewServer(svc)
	t.Cleanup(ts.Close)
	c, err := token.NewCSCClient(token.CSCOptions{BaseURL: ts.URL + "/rssp/", AccessToken: svc.bearer, Lang: "vi-VN", RetryDelay: time.Millisecond})
	require.NoError(t, err)
	checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(p.Root.Cert), Timeout: 5 * time.Second})
	return &ivKit{svc: svc, url: ts.URL, client: c, bt: &btKit{pki: p, client: c, checker: checker}}
}

func (k *ivKit) signer(t *testing.T, otp string) *token.CSCSigner {
	t.Helper()
	s, err := k.client.Signer(context.Background(), k.svc.id, func(_ context.Context, info *token.CSCCredentialInfo, _ int) (string, string, error) {
		if info.AuthMode == "implicit" {
			return "", "", nil
		}
		return "987654", otp, nil
	})
	require.NoError(t, err)
	return s
}

// TestCSCInteropVariants: each way an independent CSC v2 service was found to answer,
// through info, credentials/list (IDs and details), credentials/info, a signer, and a
// PDF signed with kyso.Sign that kyso's verifier and pdfsig accept.
func TestCSCInteropVariants(t *testing.T) {
	rsaAlgos := []string{ivSHA256RSA, ivSHA384RSA, ivRSAPSS}
	variants := []struct {
		v   ivVariant
		ec  bool
		rsa kyso.RSAScheme
		otp string
	}{
		{v: ivVariant{name: "v2.0.0.2 objects", algos: rsaAlgos}},
		{v: ivVariant{name: "info GET only, list infos with authDto", infoGETOnly: true, listAuthDto: true, algos: rsaAlgos}},
		{v: ivVariant{name: "info under slash, lang refused", infoSlash: true, refuseLang: true, algos: rsaAlgos}},
		{v: ivVariant{name: "list infos only", listInfosOnly: true, algos: rsaAlgos}},
		{v: ivVariant{name: "strict v2 list, lang refused everywhere", strictList: true, refuseLang: true, algos: rsaAlgos}},
		{v: ivVariant{name: "CSC v1 flat shape", flatV1: true, algos: []string{ivSHA256RSA}}, rsa: kyso.RSAPKCS1v15},
		{v: ivVariant{name: "CSC v1 flat shape with OTP", flatV1: true, otp: "112233", algos: rsaAlgos}, otp: "112233"},
		{v: ivVariant{name: "CSC v1 names: hash, hashAlgo, online OTP by sendOTP, SCAL 2", flatV1: true, hashV1: true, hashAlgoV1: true, scal2: true,
			otp: "778899", otpOnline: true, algos: []string{ivRSA}}, rsa: kyso.RSAPKCS1v15, otp: "778899"},
		{v: ivVariant{name: "objects as strings with OTP", objectsStrings: true, otp: "445566", algos: rsaAlgos}, otp: "445566"},
		{v: ivVariant{name: "PIN object with its own id", pinObjectID: "pin-hsm-1", algos: rsaAlgos}},
		{v: ivVariant{name: "implicit", implicit: true, algos: rsaAlgos}},
		{v: ivVariant{name: "rsaEncryption only, PKCS#1 v1.5", algos: []string{ivRSA}}, rsa: kyso.RSAPKCS1v15},
		{v: ivVariant{name: "rsaEncryption and RSASSA-PSS", algos: []string{ivRSA, ivRSAPSS}}},
		{v: ivVariant{name: "numbers as strings, SCAL 2", stringNumbers: true, scal2: true, algos: rsaAlgos}},
		{v: ivVariant{name: "hashes always", hashesAlways: true, algos: rsaAlgos}},
		{v: ivVariant{name: "hashAlgo of CSC v1", hashAlgoV1: true, algos: []string{ivRSA}}, rsa: kyso.RSAPKCS1v15},
		{v: ivVariant{name: "key algorithm listed, signature algorithm wanted", compositeOnly: true, algos: []string{ivRSA}}, rsa: kyso.RSAPKCS1v15},
		{v: ivVariant{name: "ecPublicKey listed, ecdsa-with-SHA256 wanted", compositeOnly: true, algos: []string{ivEC}}, ec: true},
		{v: ivVariant{name: "chain without root", chainNoRoot: true, algos: rsaAlgos}},
		{v: ivVariant{name: "chain root first, MIME base64", chainRootFirst: true, certsMIME: true, algos: rsaAlgos}},
		{v: ivVariant{name: "signatures URL-safe", sigB64: base64.URLEncoding, algos: rsaAlgos}},
		{v: ivVariant{name: "signatures unpadded", sigB64: base64.RawStdEncoding, algos: rsaAlgos}},
		{v: ivVariant{name: "signatures URL-safe unpadded", sigB64: base64.RawURLEncoding, algos: rsaAlgos}},
		{v: ivVariant{name: "ECDSA with SHA-256 DER", algos: []string{ivECSHA256}}, ec: true},
		{v: ivVariant{name: "ECDSA ecPublicKey raw r-s", ecdsaRaw: true, algos: []string{ivEC}}, ec: true},
		{v: ivVariant{name: "ECDSA raw r-s, SCAL 2, URL-safe", ecdsaRaw: true, scal2: true, sigB64: base64.RawURLEncoding, algos: []string{ivECSHA256}}, ec: true},
	}
	ctx := context.Background()
	pkis := newIVPKIs(t, true)
	for _, tc := range variants {
		t.Run(tc.v.name, func(t *testing.T) {
			k := newIVKit(t, pkis, tc.v, tc.ec)
			info, err := k.client.Info(ctx)
			require.NoError(t, err)
			assert.Equal(t, "2.0.0.2", info.Specs)

			ids, err := k.client.ListCredentials(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{k.svc.id}, ids)
			infos, err := k.client.ListCredentialInfos(ctx)
			require.NoError(t, err)
			require.Len(t, infos, 1)
			assert.True(t, infos[0].Certificates[0].Equal(k.svc.chain[0]), "the leaf first")
			if tc.v.implicit {
				assert.False(t, infos[0].PIN.Required())
			} else {
				assert.True(t, infos[0].PIN.Required())
			}
			assert.Equal(t, tc.otp != "", infos[0].OTP.Required())
			assert.Equal(t, 10, infos[0].Multisign)

			s := k.signer(t, tc.otp)
			assert.True(t, s.Certificate().Equal(k.svc.chain[0]))
			assert.NotEmpty(t, s.Chain())
			opts := kyso.SignOptions{RSA: tc.rsa, Signature: signature.SignOptions{Reason: "Ký số từ xa: " + tc.v.name, Location: "Hà Nội"}}
			in := pdftest.OnePage(41)
			var out bytes.Buffer
			_, err = kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), s, &opts)
			require.NoError(t, err)
			path := filepath.Join(t.TempDir(), "signed.pdf")
			require.NoError(t, os.WriteFile(path, out.Bytes(), 0o600))
			k.bt.verify(t, path, signature.LevelBB)

			// Two documents with one authorisation.
			before := k.svc.count("credentials/authorize")
			docs, _ := btDocs(t, 2)
			results, err := kyso.SignBatch(ctx, s, docs, &kyso.BatchOptions{Sign: opts})
			require.NoError(t, err)
			for _, r := range results {
				require.NoError(t, r.Err)
			}
			k.bt.verify(t, results[1].Output, signature.LevelBB)
			assert.Equal(t, 1, k.svc.count("credentials/authorize")-before)
			if tc.v.hashesAlways {
				assert.Equal(t, 3, k.svc.count("credentials/authorize"), "refused without the hashes once, then sent with them from the start")
			}
		})
	}
}

// TestCSCInteropErrors: the error answers of independent services become the client's
// typed errors: HTTP 401 without a body, 403, 429 and 503 with Retry-After (retried),
// 5xx, error bodies that are not the CSC shape, refusals with HTTP 200, and the
// descriptions of the EU reference signer's error table.
func TestCSCInteropErrors(t *testing.T) {
	k := newIVKit(t, newIVPKIs(t, false), ivVariant{name: "errors", algos: []string{ivSHA256RSA, ivRSAPSS}}, false)
	s := k.signer(t, "")
	d := crypto.SHA256.New().Sum(nil)

	// Transient failures are retried; Retry-After of a 429 and of a 503 is honoured.
	k.svc.fail("credentials/authorize", ivFault{status: 429, retryAfter: "0", body: `{"error":"too_many_requests"}`}, ivFault{status: 503, retryAfter: "0"}, ivFault{status: 502, body: "<html>Bad Gateway</html>"})
	_, err := s.Sign(nil, d, crypto.SHA256)
	require.NoError(t, err)
	assert.Equal(t, 4, k.svc.count("credentials/authorize"))

	cases := []struct {
		name string
		path string
		f    ivFault
		want error
	}{
		{"401 without body", "credentials/authorize", ivFault{status: 401}, token.ErrCSCUnauthorized},
		{"403", "signatures/signHash", ivFault{status: 403, body: `{"error":"access_denied","error_description":"Insufficient scope"}`}, token.ErrCSCUnauthorized},
		{"429 too long", "credentials/authorize", ivFault{status: 429, retryAfter: "3600"}, token.ErrCSCRateLimited},
		{"PIN locked", "credentials/authorize", ivFault{status: 400, body: `{"error":"invalid_request","error_description":"PIN locked"}`}, token.ErrCSCCredentialLocked},
		{"PIN invalid", "credentials/authorize", ivFault{status: 400, body: `{"error":"invalid_request","error_description":"The PIN is invalid"}`}, token.ErrPINIncorrect},
		{"OTP invalid", "credentials/authorize", ivFault{status: 400, body: `{"error":"invalid_request","error_description":"The OTP is invalid"}`}, token.ErrCSCOTPIncorrect},
		{"certificate expired", "credentials/authorize", ivFault{status: 400, body: `{"error":"invalid_request","error_description":"Signing certificate 'O=UBND,CN=Nguyen Van A' is expired"}`}, token.ErrCSCCredentialDisabled},
		{"framework error body", "credentials/authorize", ivFault{status: 400, body: `{"timestamp":"2026-12-07T03:00:00Z","status":400,"error":{"code":"invalid_pin","message":"Wrong PIN"}}`}, token.ErrPINIncorrect},
		{"message only, SAD expired twice (renewed once)", "signatures/signHash", ivFault{status: 400, body: `{"message":"SAD expired"}`}, token.ErrCSCSADExpired},
		{"refusal with HTTP 200", "credentials/authorize", ivFault{status: 200, body: `{"error":"invalid_request","error_description":"The PIN is invalid"}`}, token.ErrPINIncorrect},
		{"5xx to the end", "signatures/signHash", ivFault{status: 500, body: `{"error":"server_error"}`}, token.ErrCSCUnavailable},
		{"not JSON", "signatures/signHash", ivFault{status: 200, body: `<html>maintenance</html>`}, token.ErrCSCBadResponse},
		{"signature not base64", "signatures/signHash", ivFault{status: 200, body: `{"signatures":["***"]}`}, token.ErrCSCBadResponse},
		{"signature of something else", "signatures/signHash", ivFault{status: 200, body: `{"signatures":["` + base64.StdEncoding.EncodeToString(make([]byte, 256)) + `"]}`}, token.ErrCSCBadSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			n := 1
			switch {
			case tc.f.status >= 500:
				n = 4 // every retry
			case strings.Contains(tc.name, "twice"):
				n = 2
			}
			for range n {
				k.svc.fail(tc.path, f)
			}
			_, err := s.Sign(nil, d, crypto.SHA256)
			require.ErrorIs(t, err, tc.want)
			assert.ErrorIs(t, err, token.ErrCSC)
			assert.NotContains(t, err.Error(), "987654")
			assert.NotContains(t, err.Error(), k.svc.bearer)
		})
	}
	// The first faults were consumed; the service signs again.
	_, err = s.Sign(nil, d, crypto.SHA256)
	require.NoError(t, err)
}
