package token

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// CSCOptions configures a [CSCClient], in the manner of x509.VerifyOptions.
type CSCOptions struct {
	// BaseURL is the service's base URL, e.g. "https://rs.example.vn"; the client
	// appends "/csc/v2/<method>". It must be https, or http on a loopback address.
	BaseURL string
	// AccessToken is the OAuth2 access token (service or credential scope) sent as
	// "Authorization: Bearer". The caller obtains it; the client runs no OAuth flow.
	AccessToken string
	// HTTPClient sends the requests; nil means a client with the Timeout below that
	// follows no redirect (the CSC API has none, and a 307 would carry the PIN or the
	// SAD to wherever it points). A client given here keeps its own redirect policy.
	HTTPClient *http.Client
	// Timeout bounds each HTTP attempt when HTTPClient is nil; 0 means 60 s.
	Timeout time.Duration
	// MaxRetries is how many times a transient failure (HTTP 429, 5xx, a connection
	// error) is retried; 0 means 3, a negative value none. Nothing else is retried: a
	// refused PIN, an expired SAD or a refused parameter comes back at once. A service
	// that signed before failing with a 5xx may refuse the retried signHash as beyond
	// what the SAD allows; the affected digests then fail, the others are kept.
	MaxRetries int
	// RetryDelay is the first back-off delay, doubled at each retry with jitter; 0
	// means 200 ms.
	RetryDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits for; a longer one
	// fails at once with ErrCSCRateLimited. 0 means 30 s.
	MaxRetryAfter time.Duration
	// Lang is sent as "lang" where the API accepts it (e.g. "vi-VN"); empty omits it.
	Lang string
	// PollInterval is how often credentials/authorizeCheck is asked while an
	// authorisation is underway (HTTP 202: the signer approves on a phone); 0 means
	// 2 s. MaxApprovalWait bounds that wait; 0 means 5 minutes. The context bounds it
	// too.
	PollInterval, MaxApprovalWait time.Duration
	// Logger, when not nil, receives one debug record per HTTP attempt (method, HTTP
	// status, duration). Secrets and bodies are never logged.
	Logger *slog.Logger
}

// CSCClient talks to a remote signing service over the Cloud Signature Consortium API
// v2 (CSC v2.0.0.x): info, credentials/list, credentials/info, credentials/authorize
// and signatures/signHash. It is safe for concurrent use.
type CSCClient struct {
	base     string
	token    string
	http     *http.Client
	retries  int
	delay    time.Duration
	maxAfter time.Duration
	lang     string
	log      *slog.Logger
	poll     time.Duration
	maxWait  time.Duration
	// v1Hash, v1HashAlgo: the service refused a request for want of "hash" or
	// "hashAlgo" (the CSC v1 names of "hashes" and "hashAlgorithmOID"); both names are
	// sent from then on.
	v1Hash, v1HashAlgo atomic.Bool
}

// maxCSCResponse bounds a response body (certificate chains are the largest part).
const maxCSCResponse = 4 << 20

// NewCSCClient checks the options and returns a client. It sends nothing.
func NewCSCClient(opts CSCOptions) (*CSCClient, error) {
	u, err := url.Parse(opts.BaseURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: base URL %q: want https://host[/path]", ErrCSCInvalidRequest, opts.BaseURL)
	}
	if u.Scheme == "http" {
		host := u.Hostname()
		ip := net.ParseIP(host)
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("%w: base URL %q: plain http is allowed only on a loopback address (the access token and PIN would travel in clear)", ErrCSCInvalidRequest, opts.BaseURL)
		}
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: base URL: no user information allowed; pass the access token in CSCOptions.AccessToken", ErrCSCInvalidRequest)
	}
	c := &CSCClient{
		base: strings.TrimSuffix(u.String(), "/"), token: opts.AccessToken, http: opts.HTTPClient,
		retries: opts.MaxRetries, delay: opts.RetryDelay, maxAfter: opts.MaxRetryAfter, lang: opts.Lang, log: opts.Logger,
		poll: opts.PollInterval, maxWait: opts.MaxApprovalWait,
	}
	if c.poll <= 0 {
		c.poll = 2 * time.Second
	}
	if c.maxWait <= 0 {
		c.maxWait = 5 * time.Minute
	}
	if c.http == nil {
		t := opts.Timeout
		if t <= 0 {
			t = 60 * time.Second
		}
		c.http = &http.Client{Timeout: t, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	switch {
	case c.retries == 0:
		c.retries = 3
	case c.retries < 0:
		c.retries = 0
	}
	if c.delay <= 0 {
		c.delay = 200 * time.Millisecond
	}
	if c.maxAfter <= 0 {
		c.maxAfter = 30 * time.Second
	}
	return c, nil
}

// CSCServiceInfo is what the info method says about the service.
type CSCServiceInfo struct {
	Specs       string   // API version, e.g. "2.0.0.2"
	Name        string   // service name
	Region      string   // ISO 3166-1 country code
	Lang        string   // language of the answers
	Description string   // free text
	AuthType    []string // service authorisation types: "basic", "oauth2code", …
	Methods     []string // API methods the service implements
}

// Info calls the info method.
func (c *CSCClient) Info(ctx context.Context) (*CSCServiceInfo, error) {
	req := map[string]any{}
	if c.lang != "" {
		req["lang"] = c.lang
	}
	var out struct {
		Specs       string   `json:"specs"`
		Name        string   `json:"name"`
		Region      string   `json:"region"`
		Lang        string   `json:"lang"`
		Description string   `json:"description"`
		AuthType    []string `json:"authType"`
		Methods     []string `json:"methods"`
	}
	// The specification has info as POST /csc/v2/info with an optional "lang". Services
	// seen in the wild differ: some serve it as GET only (405 or 404 to a POST), some
	// only under a trailing slash, some refuse a "lang" they do not know (400). Info
	// carries no secret, so each shape is tried in turn.
	err := c.callAt(ctx, http.MethodPost, "info", "info", req, &out, nil)
	if err != nil && len(req) > 0 && cscStatus(err) == http.StatusBadRequest {
		err = c.callAt(ctx, http.MethodPost, "info", "info", map[string]any{}, &out, nil)
	}
	for _, alt := range []struct{ verb, path string }{{http.MethodGet, "info"}, {http.MethodPost, "info/"}, {http.MethodGet, "info/"}} {
		if err == nil || !wrongRoute(err) {
			break
		}
		var body any
		if alt.verb == http.MethodPost {
			body = map[string]any{}
		}
		err = c.callAt(ctx, alt.verb, "info", alt.path, body, &out, nil)
	}
	if err != nil {
		return nil, err
	}
	return &CSCServiceInfo{Specs: out.Specs, Name: out.Name, Region: out.Region, Lang: out.Lang,
		Description: out.Description, AuthType: out.AuthType, Methods: out.Methods}, nil
}

// cscStatus returns the HTTP status of a *CSCError (0 otherwise).
func cscStatus(err error) int {
	var ce *CSCError
	if errors.As(err, &ce) {
		return ce.Status
	}
	return 0
}

// wrongRoute reports an answer saying the request went to the wrong place or with
// the wrong verb: 404, 405 or a redirect (which the client never follows).
func wrongRoute(err error) bool {
	switch st := cscStatus(err); {
	case st == http.StatusNotFound, st == http.StatusMethodNotAllowed:
		return true
	case st >= 300 && st < 400:
		return true
	}
	return false
}

// maxCSCCredentials bounds how many credential IDs ListCredentials gathers.
const maxCSCCredentials = 1000

// ListCredentials calls credentials/list (following nextPageToken) and returns the
// credential IDs of the user the access token belongs to. A service that answers only
// credentialInfos (the objects, without the credentialIDs array) is read too.
func (c *CSCClient) ListCredentials(ctx context.Context) ([]string, error) {
	ids, _, err := c.list(ctx, false)
	return ids, err
}

// ListCredentialInfos returns what credentials/info says of every credential of the
// user, asking credentials/list for the details at once (credentialInfo, with the
// chain and the authorisation details: CSC v2) and credentials/info only for the
// credentials whose details did not come with the list (a CSC v1 service, or one that
// ignores credentialInfo).
func (c *CSCClient) ListCredentialInfos(ctx context.Context) ([]*CSCCredentialInfo, error) {
	ids, infos, err := c.list(ctx, true)
	if err != nil {
		return nil, err
	}
	out := make([]*CSCCredentialInfo, 0, len(ids))
	for _, id := range ids {
		if raw, ok := infos[id]; ok {
			if info, err := parseCredentialInfo(raw); err == nil {
				info.ID = id
				out = append(out, info)
				continue
			}
		}
		info, err := c.CredentialInfo(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, nil
}

// list gathers the credential IDs of credentials/list and, withInfo, the credential
// details the service returned with them (by ID).
func (c *CSCClient) list(ctx context.Context, withInfo bool) ([]string, map[string]json.RawMessage, error) {
	const op = "credentials/list"
	var ids []string
	infos := map[string]json.RawMessage{}
	seen := map[string]bool{}
	page := ""
	minimal := false // a service that refused the optional parameters: none is sent
	for i := 0; i < 100; i++ {
		req := map[string]any{}
		if !minimal {
			req["maxResults"] = 100 // CSC v1; v2 services page on their own
		}
		if page != "" {
			req["pageToken"] = page
		}
		if c.lang != "" && !minimal {
			req["lang"] = c.lang
		}
		if withInfo {
			req["credentialInfo"], req["certificates"], req["certInfo"], req["authInfo"] = true, "chain", true, true
		}
		var out struct {
			CredentialIDs   []string          `json:"credentialIDs"`
			CredentialInfos []json.RawMessage `json:"credentialInfos"`
			NextPageToken   flexString        `json:"nextPageToken"`
		}
		err := c.call(ctx, op, req, &out, nil)
		if err != nil && page == "" && cscStatus(err) == http.StatusBadRequest {
			switch {
			case withInfo:
				withInfo = false // a CSC v1 service that refuses the v2 parameters
				continue
			case !minimal:
				minimal = true // one that refuses maxResults (gone in v2) or the language
				continue
			}
		}
		if err != nil {
			return nil, nil, err
		}
		add := func(id string) {
			if id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		for _, id := range out.CredentialIDs {
			add(id)
		}
		for _, raw := range out.CredentialInfos {
			var head struct {
				CredentialID string `json:"credentialID"`
			}
			if json.Unmarshal(raw, &head) == nil && head.CredentialID != "" {
				add(head.CredentialID)
				if withInfo {
					infos[head.CredentialID] = raw
				}
			}
		}
		if len(ids) > maxCSCCredentials {
			return nil, nil, &CSCError{Op: op, Reason: CSCBadResponse, Description: fmt.Sprintf("more than %d credentials", maxCSCCredentials)}
		}
		next := string(out.NextPageToken)
		if next == "" || next == page {
			return ids, infos, nil
		}
		page = next
	}
	return nil, nil, &CSCError{Op: op, Reason: CSCBadResponse, Description: "too many pages"}
}

// CSCAuthObject describes one authentication factor of a credential (its PIN or OTP).
type CSCAuthObject struct {
	// Presence is "true" (required), "false" (not used) or "optional"; empty when the
	// service did not say.
	Presence    string
	Format      string // "A" alphanumeric, "N" numeric
	Label       string
	Description string
	Type        string // OTP: "offline" or "online"
}

// Required reports whether the factor must be given.
func (o CSCAuthObject) Required() bool { return o.Presence == "true" }

// CSCCredentialInfo is what credentials/info says about a credential.
type CSCCredentialInfo struct {
	ID          string
	Description string
	// KeyStatus is "enabled" or "disabled"; KeyAlgorithms the OIDs of the signature
	// algorithms the key supports; KeyLength its size in bits; Curve the OID of an
	// ECDSA curve.
	KeyStatus     string
	KeyAlgorithms []string
	KeyLength     int
	Curve         string
	// CertStatus is "valid", "expired", "revoked" or "suspended" when given.
	CertStatus string
	// Certificates is the chain as the service returned it, leaf first.
	Certificates []*x509.Certificate
	// AuthMode is "implicit", "explicit" or "oauth2code".
	AuthMode string
	// PIN and OTP describe the authentication factors of explicit authorisation.
	PIN, OTP CSCAuthObject
	// SCAL is 1 or 2 (Sole Control Assurance Level); with 2 the hashes to sign must be
	// sent with credentials/authorize.
	SCAL int
	// Multisign is the most signatures one authorisation may create (at least 1).
	Multisign int
	// authData reports that the service described its factors as the authentication
	// objects of CSC v2.0.0.2 ("auth": mode, expression, objects; sent back as
	// "authData") rather than in the flat shape of CSC v1 (authMode, PIN, OTP) that
	// several v2 services still answer. pinID and otpID are the ids of those objects
	// (sent back as authData/id); empty means "PIN" and "OTP".
	authData     bool
	pinID, otpID string
}

// CredentialInfo calls credentials/info, asking for the certificate chain and the
// authorisation details, and checks the answer (certificates parse; multisign ≥ 1).
func (c *CSCClient) CredentialInfo(ctx context.Context, id string) (*CSCCredentialInfo, error) {
	if id == "" {
		return nil, &CSCError{Op: "credentials/info", Reason: CSCInvalidRequest, Description: "empty credential ID"}
	}
	req := map[string]any{"credentialID": id, "certificates": "chain", "certInfo": true, "authInfo": true}
	if c.lang != "" {
		req["lang"] = c.lang
	}
	var raw json.RawMessage
	err := c.call(ctx, "credentials/info", req, &raw, nil)
	if err != nil && c.lang != "" && cscStatus(err) == http.StatusBadRequest {
		delete(req, "lang") // a service that refuses a language it does not know
		err = c.call(ctx, "credentials/info", req, &raw, nil)
	}
	if err != nil {
		return nil, err
	}
	info, err := parseCredentialInfo(raw)
	if err != nil {
		return nil, &CSCError{Op: "credentials/info", Reason: CSCBadResponse, Err: err}
	}
	info.ID = id
	return info, nil
}

// flexString accepts a JSON string, number or boolean as its text.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case bool:
		*f = flexString(strconv.FormatBool(x))
	case float64:
		*f = flexString(strconv.FormatFloat(x, 'f', -1, 64))
	case nil:
		*f = ""
	default:
		return fmt.Errorf("want a string, number or boolean")
	}
	return nil
}

type cscAuthObjectJSON struct {
	Presence    flexString `json:"presence"`
	Type        string     `json:"type"`
	ID          string     `json:"id"`
	Format      string     `json:"format"`
	Label       string     `json:"label"`
	Description string     `json:"description"`
}

type cscCredentialInfoJSON struct {
	Description string `json:"description"`
	Key         struct {
		Status string     `json:"status"`
		Algo   []string   `json:"algo"`
		Len    flexString `json:"len"`
		Curve  string     `json:"curve"`
	} `json:"key"`
	Cert struct {
		Status       string   `json:"status"`
		Certificates []string `json:"certificates"`
	} `json:"cert"`
	AuthMode  string             `json:"authMode"`
	SCAL      flexString         `json:"SCAL"`
	PIN       *cscAuthObjectJSON `json:"PIN"`
	OTP       *cscAuthObjectJSON `json:"OTP"`
	Multisign flexString         `json:"multisign"`
	Auth      *cscAuthJSON       `json:"auth"`
	// AuthDto: one CSC v2 service (CZERTAINLY's CSC API) names "auth" after its Java
	// record component in credentials/list's credentialInfos.
	AuthDto *cscAuthJSON `json:"authDto"`
}

// cscAuthJSON is the "auth" object of CSC v2.0.0.2. Its objects are authentication
// objects ({"type", "id", "format", …}); some services list bare type names
// (["PIN", "OTP"]) instead.
type cscAuthJSON struct {
	Mode       string            `json:"mode"`
	Expression string            `json:"expression"`
	Objects    []json.RawMessage `json:"objects"`
}

// parseCredentialInfo reads a credentials/info answer.
func parseCredentialInfo(raw []byte) (*CSCCredentialInfo, error) {
	var j cscCredentialInfoJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, err
	}
	info := &CSCCredentialInfo{
		Description: j.Description, KeyStatus: j.Key.Status, KeyAlgorithms: j.Key.Algo, Curve: j.Key.Curve,
		CertStatus: j.Cert.Status, AuthMode: j.AuthMode, SCAL: 1, Multisign: 1,
	}
	if len(info.KeyAlgorithms) > 64 {
		return nil, errors.New("more than 64 key algorithms")
	}
	if j.Key.Len != "" {
		n, err := strconv.Atoi(string(j.Key.Len))
		if err != nil || n < 0 || n > 65536 {
			return nil, fmt.Errorf("key/len %q", j.Key.Len)
		}
		info.KeyLength = n
	}
	if j.SCAL != "" {
		switch j.SCAL {
		case "1":
		case "2":
			info.SCAL = 2
		default:
			return nil, fmt.Errorf("SCAL %q: want 1 or 2", j.SCAL)
		}
	}
	if j.Multisign != "" {
		n, err := strconv.Atoi(string(j.Multisign))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("multisign %q: want a number ≥ 1", j.Multisign)
		}
		info.Multisign = n
	}
	conv := func(o *cscAuthObjectJSON) CSCAuthObject {
		if o == nil {
			return CSCAuthObject{}
		}
		return CSCAuthObject{Presence: strings.ToLower(string(o.Presence)), Type: o.Type, Format: o.Format, Label: o.Label, Description: o.Description}
	}
	info.PIN, info.OTP = conv(j.PIN), conv(j.OTP)
	if j.Auth == nil {
		j.Auth = j.AuthDto
	}
	if j.Auth != nil { // CSC v2.0.0.2 shape: auth/mode and authentication objects
		if info.AuthMode == "" {
			info.AuthMode = j.Auth.Mode
		}
		if len(j.Auth.Objects) > 16 {
			return nil, errors.New("more than 16 authentication objects")
		}
		// An expression with OR or XOR makes each factor one of the alternatives;
		// without one, every object is required (the specification's implied AND).
		presence := "true"
		for _, w := range strings.FieldsFunc(strings.ToUpper(j.Auth.Expression), func(r rune) bool { return r < 'A' || r > 'Z' }) {
			if w == "OR" || w == "XOR" {
				presence = "optional"
			}
		}
		for _, raw := range j.Auth.Objects {
			var o cscAuthObjectJSON
			var name string
			if json.Unmarshal(raw, &name) == nil {
				o = cscAuthObjectJSON{Type: name, ID: name}
			} else if err := json.Unmarshal(raw, &o); err != nil {
				return nil, fmt.Errorf("auth/objects: %v", err)
			}
			obj := conv(&o)
			obj.Presence = presence
			id, typ := strings.ToUpper(o.ID), strings.ToUpper(o.Type)
			switch {
			case id == "OTP" || typ == "OTP" || strings.HasPrefix(id, "OTP") && typ != "PASSWORD":
				obj.Type = "" // the object's type names the factor, not an OTP type
				info.OTP, info.otpID, info.authData = obj, o.ID, true
			case id == "PIN" || typ == "PIN" || typ == "PASSWORD":
				obj.Type = ""
				info.PIN, info.pinID, info.authData = obj, o.ID, true
			}
		}
	}
	if len(j.Cert.Certificates) == 0 {
		return nil, errors.New("no certificate (cert/certificates is empty)")
	}
	if len(j.Cert.Certificates) > maxCertificates {
		return nil, fmt.Errorf("more than %d certificates", maxCertificates)
	}
	for i, s := range j.Cert.Certificates {
		der, err := decodeBase64(s)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %v", i, err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %v", i, err)
		}
		info.Certificates = append(info.Certificates, cert)
	}
	// The specification puts the end-entity certificate first; a chain given root
	// first (or in any order) still has exactly one certificate that is no CA.
	if len(info.Certificates) > 1 && info.Certificates[0].IsCA {
		leaf := -1
		for i, c := range info.Certificates {
			if !c.IsCA {
				if leaf >= 0 {
					leaf = -1
					break
				}
				leaf = i
			}
		}
		if leaf > 0 {
			cs := info.Certificates
			cs[0], cs[leaf] = cs[leaf], cs[0]
		}
	}
	return info, nil
}

// decodeBase64 reads base64 as services send it: standard or URL-safe alphabet, with
// or without padding, with line breaks (MIME encoders), even PEM-armoured.
func decodeBase64(s string) ([]byte, error) {
	if strings.Contains(s, "-----BEGIN") {
		var body []string
		for _, line := range strings.Split(s, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "-----") {
				body = append(body, line)
			}
		}
		s = strings.Join(body, "")
	}
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
	enc := base64.StdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.URLEncoding
	}
	if len(s)%4 != 0 {
		enc = enc.WithPadding(base64.NoPadding)
		s = strings.TrimRight(s, "=")
	}
	return enc.DecodeString(s)
}

// cscErrorJSON is the CSC error body.
type cscErrorJSON struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// call POSTs req as JSON to method and decodes a 200 answer into out, retrying
// transient failures. secrets are removed from any error text.
func (c *CSCClient) call(ctx context.Context, method string, req, out any, secrets []string) error {
	return c.callAt(ctx, http.MethodPost, method, method, req, out, secrets)
}

// callAt is call with the HTTP verb and the path under /csc/v2/ given: only info is
// ever asked otherwise than with POST /csc/v2/<method> (see Info). A nil req sends
// no body.
func (c *CSCClient) callAt(ctx context.Context, verb, method, path string, req, out any, secrets []string) error {
	var body []byte
	if req != nil {
		var err error
		if body, err = json.Marshal(req); err != nil {
			return &CSCError{Op: method, Reason: CSCInvalidRequest, Err: err}
		}
	}
	secrets = append(secrets, c.token)
	var last *CSCError
	for attempt := 0; ; attempt++ {
		status, data, hdr, err := c.once(ctx, verb, method, path, body)
		last = c.answer(method, status, data, hdr, err, out, secrets)
		if last == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !last.temporary() || attempt >= c.retries {
			return last
		}
		wait := c.delay << attempt
		wait = wait/2 + rand.N(wait/2+1)
		if last.RetryAfter > 0 { // 429, or 503 with Retry-After
			if last.RetryAfter > c.maxAfter {
				return last
			}
			wait = last.RetryAfter
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// once sends one attempt.
func (c *CSCClient) once(ctx context.Context, verb, method, path string, body []byte) (int, []byte, http.Header, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, verb, c.base+"/csc/v2/"+path, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	hreq.Header.Set("Accept", "application/json")
	if c.token != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.token)
	}
	start := time.Now()
	resp, err := c.http.Do(hreq)
	if err != nil {
		c.logAttempt(ctx, method, 0, start, err)
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the URL carries nothing secret, but keep the message short
		}
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxCSCResponse+1))
	c.logAttempt(ctx, method, resp.StatusCode, start, err)
	if err != nil {
		return resp.StatusCode, nil, resp.Header, err
	}
	if len(data) > maxCSCResponse {
		return resp.StatusCode, nil, resp.Header, fmt.Errorf("answer larger than %d bytes", maxCSCResponse)
	}
	return resp.StatusCode, data, resp.Header, nil
}

func (c *CSCClient) logAttempt(ctx context.Context, method string, status int, start time.Time, err error) {
	if c.log == nil {
		return
	}
	attrs := []slog.Attr{slog.String("method", method), slog.Int("status", status), slog.Duration("elapsed", time.Since(start))}
	if err != nil {
		attrs = append(attrs, slog.String("transport_error", fmt.Sprintf("%T", err)))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "csc request", attrs...)
}

// answer turns one attempt's outcome into nil (decoded into out) or a *CSCError.
func (c *CSCClient) answer(method string, status int, data []byte, hdr http.Header, err error, out any, secrets []string) *CSCError {
	if err != nil {
		if status == 0 {
			return &CSCError{Op: method, Reason: CSCUnavailable, Err: errors.New(cleanDescription(err.Error(), secrets))}
		}
		return &CSCError{Op: method, Reason: CSCBadResponse, Status: status, Err: errors.New(cleanDescription(err.Error(), secrets))}
	}
	if out == nil && status >= 200 && status < 300 { // an answer without content (sendOTP: 204 or 200)
		return nil
	}
	if status == http.StatusOK {
		var probe struct {
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(data, &probe) == nil && len(probe.Error) > 0 && string(probe.Error) != "null" && string(probe.Error) != `""` && string(probe.Error) != "false" {
			ej, _ := parseCSCError(data)
			// A service that reports a refusal with HTTP 200: no answer of the API
			// has an "error" member otherwise.
			e := &CSCError{Op: method, Status: status, Code: cleanDescription(ej.Error, secrets), Description: cleanDescription(ej.ErrorDescription, secrets)}
			if len(e.Code) > 64 {
				e.Code = e.Code[:64]
			}
			e.Reason = classifyCSC(method, http.StatusBadRequest, ej.Error, ej.ErrorDescription)
			return e
		}
		if err := json.Unmarshal(data, out); err != nil {
			return &CSCError{Op: method, Reason: CSCBadResponse, Status: status, Err: errors.New(cleanDescription(err.Error(), secrets))}
		}
		return nil
	}
	if status == http.StatusAccepted {
		if a, ok := out.(*cscAuthorizeAnswer); ok { // authorisation underway: a handle to poll
			if err := json.Unmarshal(data, a); err != nil || a.Handle == "" {
				return &CSCError{Op: method, Reason: CSCBadResponse, Status: status, Description: "HTTP 202 without a handle"}
			}
			a.pending = true
			return nil
		}
		return &CSCError{Op: method, Reason: CSCUnsupported, Status: status, Description: "asynchronous operation (HTTP 202) is not supported"}
	}
	if status >= 300 && status < 400 {
		return &CSCError{Op: method, Reason: CSCBadResponse, Status: status, Description: "redirect refused: the request carries the PIN or the SAD, and the CSC API has no redirects"}
	}
	ej, _ := parseCSCError(data) // a body that is not CSC JSON leaves the fields empty
	e := &CSCError{Op: method, Status: status, Code: cleanDescription(ej.Error, secrets), Description: cleanDescription(ej.ErrorDescription, secrets)}
	if len(e.Code) > 64 {
		e.Code = e.Code[:64]
	}
	e.Reason = classifyCSC(method, status, ej.Error, ej.ErrorDescription)
	if e.Reason == CSCRateLimited || status == http.StatusServiceUnavailable {
		e.RetryAfter = parseRetryAfter(hdr.Get("Retry-After"), time.Now())
	}
	return e
}

// parseCSCError reads an error body: the CSC shape ({"error", "error_description"}),
// and the shapes services built on common web frameworks send instead ("message",
// "errorMessage", "error" as an object with "code" and "message"). ok is false when
// the body is not a JSON object.
func parseCSCError(data []byte) (e cscErrorJSON, ok bool) {
	var m map[string]json.RawMessage
	if len(data) == 0 || data[0] != '{' || json.Unmarshal(data, &m) != nil {
		return e, false
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			var v flexString
			if raw, ok := m[k]; ok && json.Unmarshal(raw, &v) == nil && v != "" {
				return string(v)
			}
		}
		return ""
	}
	e.Error = str("error", "errorCode", "error_code", "code")
	e.ErrorDescription = str("error_description", "errorDescription", "message", "errorMessage", "error_message", "detail")
	if raw, ok := m["error"]; ok && len(raw) > 0 && raw[0] == '{' {
		var inner struct {
			Code    flexString `json:"code"`
			Message string     `json:"message"`
		}
		if json.Unmarshal(raw, &inner) == nil {
			e.Error = string(inner.Code)
			if e.ErrorDescription == "" {
				e.ErrorDescription = inner.Message
			}
		}
	}
	return e, true
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0
		}
		if n > 86400 {
			n = 86400
		}
		return time.Duration(n) * time.Second
	} else if strings.Trim(v, "0123456789") == "" { // delay-seconds beyond int64: absurd, capped
		return 24 * time.Hour
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, 24*time.Hour)
		}
	}
	return 0
}
