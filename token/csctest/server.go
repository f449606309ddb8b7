package csctest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Credential is a signing key the server holds.
type Credential struct {
	// ID is the credentialID.
	ID string
	// Key signs; Chain is its certificate followed by the issuers (leaf first).
	Key   crypto.Signer
	Chain []*x509.Certificate
	// PIN and OTP, when not empty, must be given to credentials/authorize.
	PIN, OTP string
	// SCAL is 1 (default) or 2: with 2 the hashes must be sent with the authorisation
	// and signHash signs only those.
	SCAL int
	// Multisign is the most signatures one authorisation allows; 0 means 100.
	Multisign int
	// MaxPINTries is how many wrong PINs in a row lock the credential; 0 means 3.
	MaxPINTries int
	// Description is returned by credentials/info.
	Description string
	// AuthV21, when set, describes the PIN and OTP as the authentication objects of
	// CSC v2.0.0.2 ("auth": {"mode", "expression", "objects"}) and expects them back
	// as "authData"; otherwise credentials/info answers the flat shape of CSC v1
	// ("authMode", "PIN", "OTP") and credentials/authorize reads "PIN" and "OTP".
	// (The name predates the finding that this shape is already v2.0.0.2's.)
	AuthV21 bool
	// OAuth2Code, when set, makes the credential's authMode "oauth2code": the access
	// token stands for the credential authorisation (credential scope), signHash needs
	// no SAD, and credentials/authorize is refused.
	OAuth2Code bool
	// ApprovalPolls, when > 0, makes credentials/authorize answer HTTP 202 with a
	// handle (the signer approves on a phone) and credentials/authorizeCheck answer 202
	// that many times before giving the SAD.
	ApprovalPolls int
}

// Server is a CSC v2 service on 127.0.0.1.
type Server struct {
	// URL is the service base, e.g. "http://127.0.0.1:41234"; the API is under
	// URL + "/csc/v2/".
	URL string
	// Token is the access token the server accepts ("Authorization: Bearer").
	Token string

	mu          sync.Mutex
	creds       map[string]*credState
	sads        map[string]*sadState
	pending     map[string]*pendingAuth
	calls       map[string]int
	failNext    map[string][]int
	rateLimit   map[string][]time.Duration
	wrongHash   int
	echo        bool
	sadLifetime time.Duration
	latency     time.Duration
	expireAfter []int // for the next SADs issued: expired after that many signatures

	server   *http.Server
	listener net.Listener
	done     chan struct{}
	once     sync.Once
}

type credState struct {
	Credential
	wrongPINs int
	locked    bool
}

// pendingAuth is an authorisation waiting for the signer's approval.
type pendingAuth struct {
	polls int
	sad   string
}

type sadState struct {
	cred      string
	remaining int
	expires   time.Time
	// expireAfter, when > 0, is how many signatures the SAD makes before it expires
	// (ExpireNextSADAfter); used counts them.
	expireAfter, used int
	hashes            map[string]bool // SCAL 2: the authorised hashes (hex)
}

// NewHandlerServer returns a server that is not listening: use [Server.Handler] to
// mount it (kyso pki serve does, beside OCSP/CRL/TSA). URL is empty until Start.
func NewHandlerServer(token string, creds ...Credential) (*Server, error) {
	s := &Server{Token: token, creds: map[string]*credState{}, sads: map[string]*sadState{}, pending: map[string]*pendingAuth{}, calls: map[string]int{},
		failNext: map[string][]int{}, rateLimit: map[string][]time.Duration{}, sadLifetime: time.Hour}
	for _, c := range creds {
		if c.ID == "" || c.Key == nil || len(c.Chain) == 0 || c.Chain[0] == nil {
			return nil, errors.New("csctest: a credential needs an ID, a key and its certificate")
		}
		if eq, ok := c.Key.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !eq.Equal(c.Chain[0].PublicKey) {
			return nil, fmt.Errorf("csctest: credential %q: the key does not match the certificate", c.ID)
		}
		if _, dup := s.creds[c.ID]; dup {
			return nil, fmt.Errorf("csctest: credential %q given twice", c.ID)
		}
		if c.SCAL == 0 {
			c.SCAL = 1
		}
		if c.Multisign == 0 {
			c.Multisign = 100
		}
		if c.MaxPINTries == 0 {
			c.MaxPINTries = 3
		}
		s.creds[c.ID] = &credState{Credential: c}
	}
	return s, nil
}

// NewServer starts a server on 127.0.0.1 (a free port) accepting token.
func NewServer(token string, creds ...Credential) (*Server, error) {
	s, err := NewHandlerServer(token, creds...)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.listener = ln
	s.URL = "http://" + ln.Addr().String()
	s.server = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.done = make(chan struct{})
	go func() { defer close(s.done); _ = s.server.Serve(ln) }()
	return s, nil
}

// New is NewServer for tests: it fails t on error and closes the server when t ends.
func New(t testing.TB, token string, creds ...Credential) *Server {
	t.Helper()
	s, err := NewServer(token, creds...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Close stops the server; it is safe to call more than once.
func (s *Server) Close() error {
	s.once.Do(func() {
		if s.server == nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.server.Shutdown(ctx); err != nil {
			s.server.Close()
		}
		<-s.done
	})
	return nil
}

// Calls returns how many requests reached method (e.g. "credentials/authorize"),
// faults included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// TotalCalls returns how many requests reached the server.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		n += c
	}
	return n
}

// ResetCalls sets the counters back to zero.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
}

// FailNext makes the next n requests to method fail with HTTP status (a 5xx).
func (s *Server) FailNext(method string, status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failNext[method] = append(s.failNext[method], status)
	}
}

// RateLimitNext makes the next n requests to method fail with 429 Too Many Requests
// and "Retry-After: <seconds>".
func (s *Server) RateLimitNext(method string, retryAfter time.Duration, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.rateLimit[method] = append(s.rateLimit[method], retryAfter)
	}
}

// ExpireSADs makes every SAD issued so far expired.
func (s *Server) ExpireSADs() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.sads {
		st.expires = time.Now().Add(-time.Second)
	}
}

// ExpireNextSADAfter makes the next SAD issued expire once k signatures were made
// with it (k ≥ 1; a signHash call that starts before then completes), as a SAD
// whose lifetime runs out in the middle of a batch: further signHash calls with it
// are answered "SAD expired". Each call applies to one further SAD, in order.
func (s *Server) ExpireNextSADAfter(k int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireAfter = append(s.expireAfter, max(k, 1))
}

// SetSADLifetime sets the lifetime of the SADs issued from now on (default 1 h).
func (s *Server) SetSADLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sadLifetime = d
}

// SetLatency delays every answer by d, to stand for the network between a signing
// application and a remote service.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SignWrongHash makes the next n signatures sign another hash than the one sent.
func (s *Server) SignWrongHash(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wrongHash = n
}

// EchoSecrets makes error descriptions repeat the PIN, OTP or SAD received.
func (s *Server) EchoSecrets(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.echo = on
}

// Locked reports whether the credential is locked by wrong PINs.
func (s *Server) Locked(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.creds[id]
	return c != nil && c.locked
}

// Unlock unlocks a credential and clears its wrong-PIN count.
func (s *Server) Unlock(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.creds[id]; c != nil {
		c.locked, c.wrongPINs = false, 0
	}
}

// Methods lists the API methods the server implements.
var Methods = []string{"info", "credentials/list", "credentials/info", "credentials/authorize", "credentials/authorizeCheck", "signatures/signHash"}

// Handler returns the HTTP handler of the API, answering under /csc/v2/.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serve)
}

// apiError is a CSC error answer.
type apiError struct {
	status int
	code   string
	desc   string
}

func badRequest(desc string) *apiError { return &apiError{400, "invalid_request", desc} }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/csc/v2/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	// The body is read first: only then does the server notice a client that hangs up
	// during the latency below (r.Context ends).
	body, bodyErr := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	s.calls[method]++
	var fail int
	if q := s.failNext[method]; len(q) > 0 {
		fail, s.failNext[method] = q[0], q[1:]
	}
	delay := s.latency
	retry := time.Duration(-1)
	if q := s.rateLimit[method]; len(q) > 0 && fail == 0 {
		retry, s.rateLimit[method] = q[0], q[1:]
	}
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case fail != 0:
		writeJSON(w, fail, map[string]string{"error": "server_error", "error_description": "injected failure"})
		return
	case retry >= 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(retry/time.Second)))
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "too_many_requests", "error_description": "Rate limit exceeded"})
		return
	}
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request", "error_description": "POST only"})
		return
	}
	if method != "info" && r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": "The access token is not valid"})
		return
	}
	if bodyErr != nil {
		writeJSON(w, 400, map[string]string{"error": "invalid_request", "error_description": "unreadable body"})
		return
	}
	var req map[string]json.RawMessage
	if len(body) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			writeJSON(w, 400, map[string]string{"error": "invalid_request", "error_description": "Malformed JSON"})
			return
		}
	}
	var out any
	var aerr *apiError
	switch method {
	case "info":
		out = s.info()
	case "credentials/list":
		out, aerr = s.list(req)
	case "credentials/info":
		out, aerr = s.credInfo(req)
	case "credentials/authorize":
		out, aerr = s.authorize(req)
		if a, ok := out.(map[string]any); ok && a["handle"] != nil {
			writeJSON(w, http.StatusAccepted, out)
			return
		}
	case "credentials/authorizeCheck":
		var pending bool
		out, pending, aerr = s.authorizeCheck(req)
		if pending {
			writeJSON(w, http.StatusAccepted, out)
			return
		}
	case "signatures/signHash":
		out, aerr = s.signHash(req)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "invalid_request", "error_description": "Unknown method"})
		return
	}
	if aerr != nil {
		writeJSON(w, aerr.status, map[string]string{"error": aerr.code, "error_description": aerr.desc})
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) info() any {
	return map[string]any{
		"specs": "2.0.0.2", "name": "kyso csctest", "logo": "", "region": "VN", "lang": "vi-VN",
		"description": "Dịch vụ ký số từ xa thử nghiệm / test remote signing service",
		"authType":    []string{"oauth2client"}, "methods": Methods,
	}
}

func str(req map[string]json.RawMessage, key string) (string, bool) {
	raw, ok := req[key]
	if !ok {
		return "", false
	}
	var v string
	if json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	return v, true
}

func (s *Server) list(req map[string]json.RawMessage) (any, *apiError) {
	s.mu.Lock()
	ids := make([]string, 0, len(s.creds))
	for id := range s.creds {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	sort.Strings(ids)
	maxN := len(ids)
	if raw, ok := req["maxResults"]; ok {
		if json.Unmarshal(raw, &maxN) != nil || maxN < 1 {
			return nil, badRequest("Invalid parameter maxResults")
		}
	}
	start := 0
	if p, ok := str(req, "pageToken"); ok && p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > len(ids) {
			return nil, badRequest("Invalid parameter pageToken")
		}
		start = n
	}
	end := min(start+maxN, len(ids))
	out := map[string]any{"credentialIDs": ids[start:end]}
	if end < len(ids) {
		out["nextPageToken"] = strconv.Itoa(end)
	}
	return out, nil
}

func (s *Server) cred(req map[string]json.RawMessage) (*credState, *apiError) {
	id, ok := str(req, "credentialID")
	if !ok {
		return nil, badRequest("Missing (or invalid type) string parameter credentialID")
	}
	c := s.creds[id]
	if c == nil {
		return nil, badRequest("Invalid parameter credentialID")
	}
	return c, nil
}

// keyAlgos lists the signAlgo OIDs the credential's key supports.
func keyAlgos(pub crypto.PublicKey) (algos []string, curve string, bits int) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return []string{"1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13"}, "", k.N.BitLen()
	case *ecdsa.PublicKey:
		curve := map[elliptic.Curve]string{elliptic.P256(): "1.2.840.10045.3.1.7", elliptic.P384(): "1.3.132.0.34", elliptic.P521(): "1.3.132.0.35"}[k.Curve]
		return []string{"1.2.840.10045.2.1", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4"}, curve, k.Curve.Params().BitSize
	}
	return nil, "", 0
}

func (s *Server) credInfo(req map[string]json.RawMessage) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.cred(req)
	if aerr != nil {
		return nil, aerr
	}
	which := "single"
	if v, ok := str(req, "certificates"); ok {
		which = v
	}
	var certs []string
	switch which {
	case "none":
	case "single":
		certs = []string{base64.StdEncoding.EncodeToString(c.Chain[0].Raw)}
	case "chain":
		for _, x := range c.Chain {
			certs = append(certs, base64.StdEncoding.EncodeToString(x.Raw))
		}
	default:
		return nil, badRequest("Invalid parameter certificates")
	}
	leaf := c.Chain[0]
	algos, curve, bits := keyAlgos(leaf.PublicKey)
	key := map[string]any{"status": "enabled", "algo": algos, "len": bits}
	if c.locked {
		key["status"] = "disabled"
	}
	if curve != "" {
		key["curve"] = curve
	}
	out := map[string]any{
		"description": c.Description, "key": key,
		"cert": map[string]any{
			"status": "valid", "certificates": certs, "issuerDN": leaf.Issuer.String(), "subjectDN": leaf.Subject.String(),
			"serialNumber": strings.ToUpper(hex.EncodeToString(leaf.SerialNumber.Bytes())),
			"validFrom":    leaf.NotBefore.UTC().Format("20060102150405Z"), "validTo": leaf.NotAfter.UTC().Format("20060102150405Z"),
		},
		"SCAL": strconv.Itoa(c.SCAL), "multisign": c.Multisign, "lang": "vi-VN",
	}
	if c.AuthV21 {
		var objs []map[string]string
		var names []string
		if c.PIN != "" {
			objs = append(objs, map[string]string{"type": "Password", "id": "PIN", "format": "N", "label": "PIN", "description": "Mã PIN ký số"})
			names = append(names, "PIN")
		}
		if c.OTP != "" {
			objs = append(objs, map[string]string{"type": "Password", "id": "OTP", "format": "N", "generator": "totp", "label": "OTP", "description": "Mã OTP"})
			names = append(names, "OTP")
		}
		out["auth"] = map[string]any{"mode": "explicit", "expression": strings.Join(names, " AND "), "objects": objs}
		return out, nil
	}
	out["authMode"] = "explicit"
	if c.OAuth2Code {
		out["authMode"] = "oauth2code"
		return out, nil
	}
	presence := func(v string) string {
		if v != "" {
			return "true"
		}
		return "false"
	}
	out["PIN"] = map[string]string{"presence": presence(c.PIN), "format": "N", "label": "PIN", "description": "Mã PIN ký số / signing PIN"}
	out["OTP"] = map[string]string{"presence": presence(c.OTP), "type": "offline", "format": "N", "label": "OTP", "description": "Mã OTP / one-time password"}
	return out, nil
}

func randomSAD() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeHashes(req map[string]json.RawMessage) ([][]byte, bool, *apiError) {
	raw, ok := req["hashes"]
	if !ok {
		return nil, false, nil
	}
	var ss []string
	if json.Unmarshal(raw, &ss) != nil {
		return nil, true, badRequest("Missing (or invalid type) array parameter hashes")
	}
	if len(ss) == 0 {
		return nil, true, badRequest("Empty hash array")
	}
	out := make([][]byte, len(ss))
	for i, h := range ss {
		b, err := base64.StdEncoding.DecodeString(h)
		if err != nil {
			return nil, true, badRequest("Invalid Base64 hash string parameter")
		}
		out[i] = b
	}
	return out, true, nil
}

func (s *Server) authorize(req map[string]json.RawMessage) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.cred(req)
	if aerr != nil {
		return nil, aerr
	}
	if c.locked {
		return nil, badRequest("Credential locked")
	}
	if c.OAuth2Code {
		return nil, badRequest("The credential is authorized with oauth2code")
	}
	var num int
	if raw, ok := req["numSignatures"]; !ok || json.Unmarshal(raw, &num) != nil {
		return nil, badRequest("Missing (or invalid type) integer parameter numSignatures")
	}
	if num < 1 {
		return nil, badRequest("Invalid value for parameter numSignatures")
	}
	if num > c.Multisign {
		return nil, badRequest("Numbers of signatures is too high")
	}
	hashes, present, aerr := decodeHashes(req)
	if aerr != nil {
		return nil, aerr
	}
	if c.SCAL == 2 && !present {
		return nil, badRequest("Missing (or invalid type) array parameter hashes")
	}
	if present && len(hashes) != num {
		return nil, badRequest("Invalid parameter hashes")
	}
	pin, otp := authData(req, c.AuthV21)
	echo := func(d, secret string) string {
		if s.echo {
			return d + " (received " + secret + ")"
		}
		return d
	}
	if c.PIN != "" && pin != c.PIN {
		c.wrongPINs++
		if c.wrongPINs >= c.MaxPINTries {
			c.locked = true
			return nil, badRequest(echo("Credential locked", pin))
		}
		return nil, &apiError{400, "invalid_pin", echo(fmt.Sprintf("The PIN is invalid (%d tries left)", c.MaxPINTries-c.wrongPINs), pin)}
	}
	if c.OTP != "" && otp != c.OTP {
		return nil, &apiError{400, "invalid_otp", echo("The OTP is invalid", otp)}
	}
	c.wrongPINs = 0
	sad := randomSAD()
	st := &sadState{cred: c.ID, remaining: num, expires: time.Now().Add(s.sadLifetime)}
	if len(s.expireAfter) > 0 {
		st.expireAfter, s.expireAfter = s.expireAfter[0], s.expireAfter[1:]
	}
	if present {
		st.hashes = map[string]bool{}
		for _, h := range hashes {
			st.hashes[hex.EncodeToString(h)] = true
		}
	}
	s.sads[sad] = st
	if c.ApprovalPolls > 0 {
		handle := randomSAD()
		s.pending[handle] = &pendingAuth{polls: c.ApprovalPolls, sad: sad}
		return map[string]any{"handle": handle}, nil
	}
	return map[string]any{"SAD": sad, "expiresIn": int(s.sadLifetime / time.Second)}, nil
}

// authorizeCheck answers a poll of a pending authorisation: 202 with the handle until
// the signer "approved", then the SAD.
func (s *Server) authorizeCheck(req map[string]json.RawMessage) (any, bool, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := str(req, "handle")
	p := s.pending[h]
	if !ok || p == nil {
		return nil, false, badRequest("Invalid parameter handle")
	}
	if p.polls > 0 {
		p.polls--
		return map[string]any{"handle": h}, true, nil
	}
	delete(s.pending, h)
	return map[string]any{"SAD": p.sad, "expiresIn": int(s.sadLifetime / time.Second)}, false, nil
}

// authData reads the PIN and OTP of an authorisation, in the CSC v1 or v2.0.0.2 shape.
func authData(req map[string]json.RawMessage, v21 bool) (pin, otp string) {
	if !v21 {
		pin, _ = str(req, "PIN")
		otp, _ = str(req, "OTP")
		return
	}
	var objs []struct{ ID, Value string }
	if raw, ok := req["authData"]; ok {
		_ = json.Unmarshal(raw, &objs)
	}
	for _, o := range objs {
		switch o.ID {
		case "PIN":
			pin = o.Value
		case "OTP":
			otp = o.Value
		}
	}
	return
}

// maxOAuth2Signatures bounds one signHash call of an oauth2code credential.
const maxOAuth2Signatures = 1000

var hashByOID = map[string]crypto.Hash{
	"2.16.840.1.101.3.4.2.1": crypto.SHA256, "2.16.840.1.101.3.4.2.2": crypto.SHA384, "2.16.840.1.101.3.4.2.3": crypto.SHA512,
	"2.16.840.1.101.3.4.2.8": crypto.SHA3_256, "2.16.840.1.101.3.4.2.9": crypto.SHA3_384, "2.16.840.1.101.3.4.2.10": crypto.SHA3_512,
}

var hashBySignAlgo = map[string]crypto.Hash{
	"1.2.840.113549.1.1.11": crypto.SHA256, "1.2.840.113549.1.1.12": crypto.SHA384, "1.2.840.113549.1.1.13": crypto.SHA512,
	"1.2.840.10045.4.3.2": crypto.SHA256, "1.2.840.10045.4.3.3": crypto.SHA384, "1.2.840.10045.4.3.4": crypto.SHA512,
}

func (s *Server) signHash(req map[string]json.RawMessage) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.cred(req)
	if aerr != nil {
		return nil, aerr
	}
	sad, ok := str(req, "SAD")
	if !ok && c.OAuth2Code { // the credential-scope access token authorises the signatures
		sad = "oauth2:" + randomSAD()
		s.sads[sad] = &sadState{cred: c.ID, remaining: maxOAuth2Signatures, expires: time.Now().Add(time.Minute)}
		ok = true
	}
	if !ok {
		return nil, badRequest("Missing (or invalid type) string parameter SAD")
	}
	st := s.sads[sad]
	if st == nil || st.cred != c.ID {
		if s.echo {
			return nil, badRequest("Invalid parameter SAD " + sad)
		}
		return nil, badRequest("Invalid parameter SAD")
	}
	if time.Now().After(st.expires) || (st.expireAfter > 0 && st.used >= st.expireAfter) {
		delete(s.sads, sad)
		return nil, badRequest("SAD expired")
	}
	hashes, present, aerr := decodeHashes(req)
	if aerr != nil {
		return nil, aerr
	}
	if !present {
		return nil, badRequest("Missing (or invalid type) array parameter hash")
	}
	if len(hashes) > st.remaining {
		return nil, badRequest("Numbers of signatures is too high")
	}
	algo, ok := str(req, "signAlgo")
	if !ok {
		return nil, badRequest("Missing (or invalid type) string parameter signAlgo")
	}
	algos, _, _ := keyAlgos(c.Chain[0].PublicKey)
	known := false
	for _, a := range algos {
		known = known || a == algo
	}
	if !known {
		return nil, badRequest("Invalid parameter signAlgo")
	}
	h, implied := hashBySignAlgo[algo]
	if !implied {
		oid, ok := str(req, "hashAlgorithmOID")
		if !ok {
			return nil, badRequest("Missing (or invalid type) string parameter hashAlgorithmOID")
		}
		if h = hashByOID[oid]; h == 0 {
			return nil, badRequest("Invalid parameter hashAlgorithmOID")
		}
	}
	var opts crypto.SignerOpts = h
	if algo == "1.2.840.113549.1.1.10" {
		p, ok := str(req, "signAlgoParams")
		if !ok {
			return nil, badRequest("Missing (or invalid type) string parameter signAlgoParams")
		}
		pss, err := parsePSSParams(p)
		if err != nil || pss.Hash != h {
			return nil, badRequest("Invalid parameter signAlgoParams")
		}
		opts = pss
	}
	for _, d := range hashes {
		if len(d) != h.Size() {
			return nil, badRequest("Invalid digest value length")
		}
		if st.hashes != nil && !st.hashes[hex.EncodeToString(d)] {
			return nil, badRequest("Hash is not authorized by the SAD")
		}
	}
	sigs := make([]string, len(hashes))
	for i, d := range hashes {
		if s.wrongHash > 0 {
			s.wrongHash--
			other := sha512.Sum512(d) // 64 bytes: enough for any hash size
			d = other[:h.Size()]
		}
		sig, err := c.Key.Sign(rand.Reader, d, opts)
		if err != nil {
			return nil, &apiError{500, "server_error", "signing failed"}
		}
		sigs[i] = base64.StdEncoding.EncodeToString(sig)
	}
	st.remaining -= len(hashes)
	st.used += len(hashes)
	if st.remaining == 0 {
		delete(s.sads, sad) // used up: the SAD is invalid from now on
	}
	return map[string]any{"signatures": sigs}, nil
}

// parsePSSParams reads base64 DER RSASSA-PSS-params (RFC 8017 A.2.3).
func parsePSSParams(b64 string) (*rsa.PSSOptions, error) {
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, err
	}
	type algID struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	var p struct {
		Hash    algID `asn1:"explicit,tag:0"`
		MGF     algID `asn1:"explicit,tag:1"`
		Salt    int   `asn1:"explicit,tag:2"`
		Trailer int   `asn1:"optional,explicit,tag:3,default:1"`
	}
	if rest, err := asn1.Unmarshal(der, &p); err != nil || len(rest) > 0 {
		return nil, errors.New("bad RSASSA-PSS-params")
	}
	h := hashByOID[p.Hash.Algorithm.String()]
	if h == 0 || p.MGF.Algorithm.String() != "1.2.840.113549.1.1.8" || p.Salt < 0 || p.Trailer != 1 {
		return nil, errors.New("unsupported RSASSA-PSS-params")
	}
	var mgfHash algID
	if _, err := asn1.Unmarshal(p.MGF.Parameters.FullBytes, &mgfHash); err != nil || hashByOID[mgfHash.Algorithm.String()] != h {
		return nil, errors.New("MGF1 hash differs")
	}
	return &rsa.PSSOptions{Hash: h, SaltLength: p.Salt}, nil
}
