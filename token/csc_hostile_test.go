package token

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyso-go/kyso/token/csctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileFixture puts a hostile middleware in front of a csctest server: mw sees every
// request first and either answers it itself or passes it on (next), possibly
// rewriting the answer.
type hostileFixture struct {
	srv    *csctest.Server
	url    string
	client *CSCClient
	log    *bytes.Buffer
	pki    *testPKI
	mu     sync.Mutex
	calls  map[string]int
	bodies map[string][]map[string]any // request bodies per method
}

type hostileMW func(f *hostileFixture, method string, w http.ResponseWriter, r *http.Request, next http.Handler)

func newHostileFixture(t *testing.T, creds func(p *testPKI) []csctest.Credential, mw hostileMW) *hostileFixture {
	t.Helper()
	p := newTestPKI(t)
	var cs []csctest.Credential
	if creds != nil {
		cs = creds(p)
	} else {
		rk, ek := cscKeys(t)
		cs = []csctest.Credential{
			{ID: "rsa", Key: rk, Chain: []*x509.Certificate{p.leaf(t, "Nguyễn Văn Lãnh Đạo", rk.Public()), p.issuing, p.root}, PIN: "123456"},
			{ID: "ec", Key: ek, Chain: []*x509.Certificate{p.leaf(t, "UBND tỉnh Quảng Ninh", ek.Public()), p.issuing, p.root}, PIN: "123456"},
		}
	}
	srv, err := csctest.NewHandlerServer(cscTestToken, cs...)
	require.NoError(t, err)
	f := &hostileFixture{srv: srv, pki: p, log: &bytes.Buffer{}, calls: map[string]int{}, bodies: map[string][]map[string]any{}}
	inner := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := strings.TrimPrefix(r.URL.Path, "/csc/v2/")
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		f.mu.Lock()
		f.calls[method]++
		f.bodies[method] = append(f.bodies[method], m)
		f.mu.Unlock()
		if mw == nil {
			inner.ServeHTTP(w, r)
			return
		}
		mw(f, method, w, r, inner)
	}))
	t.Cleanup(ts.Close)
	f.url = ts.URL
	f.client, err = NewCSCClient(CSCOptions{BaseURL: ts.URL, AccessToken: cscTestToken, RetryDelay: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	require.NoError(t, err)
	return f
}

func (f *hostileFixture) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// rewriteSignatures passes signHash to the server and lets edit change the signatures
// it answered.
func rewriteSignatures(method string, w http.ResponseWriter, r *http.Request, next http.Handler, edit func(req map[string]any, sigs []string) []string) bool {
	if method != "signatures/signHash" {
		return false
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	var req map[string]any
	_ = json.Unmarshal(body, &req)
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	var out struct {
		Signatures []string `json:"signatures"`
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil {
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		return true
	}
	out.Signatures = edit(req, out.Signatures)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
	return true
}

func hostileDigests(n int) [][]byte {
	var ds [][]byte
	for i := range n {
		ds = append(ds, cscDigest(crypto.SHA256, fmt.Sprint("công văn ", i)))
	}
	return ds
}

// TestCSCHostileHugeAnswer: a service answering an endless JSON body costs the client
// a bounded amount of memory and gives ErrCSCBadResponse, not retried.
func TestCSCHostileHugeAnswer(t *testing.T) {
	const sent = 64 << 20
	for _, status := range []int{http.StatusOK, http.StatusBadRequest, http.StatusServiceUnavailable} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f := newHostileFixture(t, nil, func(_ *hostileFixture, method string, w http.ResponseWriter, r *http.Request, next http.Handler) {
				if method != "credentials/info" {
					next.ServeHTTP(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				io.WriteString(w, `{"description":"`)
				chunk := bytes.Repeat([]byte("a"), 64<<10)
				for n := 0; n < sent; n += len(chunk) {
					if _, err := w.Write(chunk); err != nil {
						return // the client hung up
					}
				}
				io.WriteString(w, `"}`)
			})
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := f.client.CredentialInfo(context.Background(), "rsa")
			runtime.ReadMemStats(&after)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrCSCBadResponse)
			assert.Contains(t, err.Error(), "larger than")
			assert.Equal(t, 1, f.count("credentials/info"), "a malformed answer is not retried")
			// The server sent 64 MiB; the client kept at most its 4 MiB bound (plus the
			// growth of the read buffer), whatever the status.
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(32<<20), "bytes allocated reading the answer")
		})
	}
}

// TestCSCHostileSlowService: a service that never answers is left when the context
// ends, or when the client's own Timeout runs out.
func TestCSCHostileSlowService(t *testing.T) {
	release := make(chan struct{})
	f := newHostileFixture(t, nil, func(_ *hostileFixture, method string, w http.ResponseWriter, r *http.Request, next http.Handler) {
		if method == "signatures/signHash" || method == "credentials/list" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		next.ServeHTTP(w, r)
	})
	defer close(release)
	s, err := f.client.Signer(context.Background(), "rsa", fixedAuth("123456", ""))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, errs := s.SignDigests(ctx, hostileDigests(3), crypto.SHA256, nil)
	require.Len(t, errs, 3)
	for _, e := range errs {
		assert.ErrorIs(t, e, context.DeadlineExceeded)
	}
	assert.Equal(t, 1, f.count("signatures/signHash"), "a cancelled request is not retried")

	c, err := NewCSCClient(CSCOptions{BaseURL: f.url, AccessToken: cscTestToken, Timeout: 100 * time.Millisecond, MaxRetries: 1, RetryDelay: time.Millisecond})
	require.NoError(t, err)
	_, err = c.ListCredentials(context.Background())
	assert.ErrorIs(t, err, ErrCSCUnavailable)
	assert.Equal(t, 2, f.count("credentials/list"), "a time-out is transient: retried once, then given up")
	assert.NotContains(t, err.Error(), cscTestToken)
}

// TestCSCHostileRetryAfter: Retry-After as an HTTP date is honoured; a date far ahead or
// an absurd number of seconds fails at once with the wait the service asked for, capped.
func TestCSCHostileRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name     string
		header   func() string
		ok       bool
		calls    int
		min, max time.Duration // RetryAfter of the error when !ok
	}{
		{"HTTP date 2 s ahead", func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }, true, 2, 0, 0},
		{"HTTP date 1 h ahead", func() string { return time.Now().Add(time.Hour).UTC().Format(http.TimeFormat) }, false, 1, 59 * time.Minute, time.Hour},
		{"HTTP date in the past", func() string { return time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat) }, true, 2, 0, 0},
		{"absurd seconds", func() string { return "999999999999999999999999" }, false, 1, 24 * time.Hour, 24 * time.Hour},
		{"a week", func() string { return "604800" }, false, 1, 24 * time.Hour, 24 * time.Hour},
		{"garbage", func() string { return "soon, maybe" }, true, 2, 0, 0},
		{"negative", func() string { return "-30" }, true, 2, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			limited := false
			f := newHostileFixture(t, nil, func(_ *hostileFixture, method string, w http.ResponseWriter, r *http.Request, next http.Handler) {
				if method == "credentials/list" && !limited {
					limited = true
					w.Header().Set("Retry-After", tc.header())
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				next.ServeHTTP(w, r)
			})
			_, err := f.client.ListCredentials(context.Background())
			assert.Equal(t, tc.calls, f.count("credentials/list"))
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrCSCRateLimited)
			var ce *CSCError
			require.ErrorAs(t, err, &ce)
			assert.GreaterOrEqual(t, ce.RetryAfter, tc.min)
			assert.LessOrEqual(t, ce.RetryAfter, tc.max)
		})
	}
}

// TestCSCHostileUnauthorizedMidBatch: the access token is refused after the first
// group of a batch: the rest fails with ErrCSCUnauthorized at once, without another
// authorisation (which would send the PIN again for nothing).
func TestCSCHostileUnauthorizedMidBatch(t *testing.T) {
	f := newHostileFixture(t, nil, func(f *hostileFixture, method string, w http.ResponseWriter, r *http.Request, next http.Handler) {
		if method == "signatures/signHash" && f.count(method) == 2 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_token","error_description":"The access token expired"}`)
			return
		}
		next.ServeHTTP(w, r)
	})
	s, err := f.client.Signer(context.Background(), "rsa", fixedAuth("123456", ""))
	require.NoError(t, err)
	s.info.Multisign = 2
	ds := hostileDigests(6)
	sigs, errs := s.SignDigests(context.Background(), ds, crypto.SHA256, nil)
	require.Len(t, errs, 6)
	for i := range 2 {
		assert.NoError(t, errs[i])
		assert.NoError(t, rsa.VerifyPKCS1v15(s.Public().(*rsa.PublicKey), crypto.SHA256, ds[i], sigs[i]))
	}
	for i := 2; i < 6; i++ {
		assert.ErrorIs(t, errs[i], ErrCSCUnauthorized, "digest %d", i)
		assert.Nil(t, sigs[i])
	}
	assert.Equal(t, 2, f.count("credentials/authorize"), "no third authorisation after the token was refused")
	assert.Equal(t, 2, f.count("signatures/signHash"))
}

// TestCSCHostileSignatures: signHash answers that do not fit the request — too few or
// too many signatures, signatures by another key, ECDSA r‖s of the wrong length — fail
// the digests concerned with their typed error and hand out no signature.
func TestCSCHostileSignatures(t *testing.T) {
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		cred string
		edit func(req map[string]any, sigs []string) []string
		want error
	}{
		{"one signature fewer", "rsa", func(_ map[string]any, s []string) []string { return s[:len(s)-1] }, ErrCSCBadResponse},
		{"one signature more", "rsa", func(_ map[string]any, s []string) []string { return append(s, s[0]) }, ErrCSCBadResponse},
		{"no signatures", "rsa", func(map[string]any, []string) []string { return nil }, ErrCSCBadResponse},
		{"not base64", "rsa", func(_ map[string]any, s []string) []string { s[1] = "%%%"; return s }, ErrCSCBadResponse},
		{"signatures reordered", "rsa", func(_ map[string]any, s []string) []string { s[0], s[1] = s[1], s[0]; return s }, ErrCSCBadSignature},
		{"right hashes, another key", "rsa", func(req map[string]any, s []string) []string {
			for i, h := range req["hashes"].([]any) {
				d, _ := base64.StdEncoding.DecodeString(h.(string))
				sig, err := rsa.SignPKCS1v15(rand.Reader, other, crypto.SHA256, d)
				require.NoError(t, err)
				s[i] = base64.StdEncoding.EncodeToString(sig)
			}
			return s
		}, ErrCSCBadSignature},
		{"ECDSA raw r‖s one byte short", "ec", func(_ map[string]any, s []string) []string {
			for i := range s {
				s[i] = base64.StdEncoding.EncodeToString(rawECDSA(t, s[i])[:63])
			}
			return s
		}, ErrCSCBadSignature},
		{"ECDSA raw r‖s one byte long", "ec", func(_ map[string]any, s []string) []string {
			for i := range s {
				s[i] = base64.StdEncoding.EncodeToString(append([]byte{0}, rawECDSA(t, s[i])...))
			}
			return s
		}, ErrCSCBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newHostileFixture(t, nil, func(_ *hostileFixture, method string, w http.ResponseWriter, r *http.Request, next http.Handler) {
				if !rewriteSignatures(method, w, r, next, tc.edit) {
					next.ServeHTTP(w, r)
				}
			})
			s, err := f.client.Signer(context.Background(), tc.cred, fixedAuth("123456", ""))
			require.NoError(t, err)
			sigs, errs := s.SignDigests(context.Background(), hostileDigests(3), crypto.SHA256, nil)
			require.Len(t, errs, 3)
			for i := range 3 {
				if tc.name == "signatures reordered" && i == 2 {
					assert.NoError(t, errs[i], "the third was left in place")
					continue
				}
				assert.ErrorIs(t, errs[i], tc.want, "digest %d", i)
				assert.Nil(t, sigs[i], "digest %d", i)
			}
		})
	}
	// The raw r‖s of the right length is converted to DER (see also the interop test).
	f := newHostileFixture(t, nil, func(_ *hostileFixture, method string, w http.ResponseWriter, r *http.Request, next http.Handler) {
		if !rewriteSignatures(method, w, r, next, func(_ map[string]any, s []string) []string {
			for i := range s {
				s[i] = base64.StdEncoding.EncodeToString(rawECDSA(t, s[i]))
			}
			return s
		}) {
			next.ServeHTTP(w, r)
		}
	})
	s, err := f.client.Signer(context.Background(), "ec", fixedAuth("123456", ""))
	require.NoError(t, err)
	ds := hostileDigests(2)
	sigs, errs := s.SignDigests(context.Background(), ds, crypto.SHA256, nil)
	require.Nil(t, errs)
	for i, sig := range sigs {
		assert.True(t, ecdsa.VerifyASN1(s.Public().(*ecdsa.PublicKey), ds[i], sig))
	}
}

// rawECDSA turns a base64 DER ECDSA P-256 signature into r‖s.
func rawECDSA(t *testing.T, b64 string) []byte {
	der, err := base64.StdEncoding.DecodeString(b64)
	require.NoError(t, err)
	var rs struct{ R, S *big.Int }
	_, err = asn1.Unmarshal(der, &rs)
	require.NoError(t, err)
	return append(rs.R.FillBytes(make([]byte, 32)), rs.S.FillBytes(make([]byte, 32))...)
}

// TestCSCHostileCredentialCertificate: a credential whose certificate is expired, not
// yet valid, or reported revoked by the service is refused before any authorisation
// (no PIN sent); a chain out of order is put in order.
func TestCSCHostileCredentialCertificate(t *testing.T) {
	rk, _ := cscKeys(t)
	leafAt := func(t *testing.T, p *testPKI, from, to time.Time) *x509.Certificate {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "Lê Thị Hết Hạn"},
			NotBefore: from, NotAfter: to, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, p.issuing, rk.Public(), p.issuingKey)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return c
	}
	now := time.Now()
	for _, tc := range []struct {
		name   string
		from   time.Time
		to     time.Time
		status string
		want   string
	}{
		{"expired", now.Add(-48 * time.Hour), now.Add(-time.Hour), "", "certificate expired"},
		{"not yet valid", now.Add(time.Hour), now.Add(48 * time.Hour), "", "not valid before"},
		{"revoked on the service", now.Add(-time.Hour), now.Add(time.Hour), "revoked", "cert/status is revoked"},
		{"suspended on the service", now.Add(-time.Hour), now.Add(time.Hour), "suspended", "cert/status is suspended"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newHostileFixture(t, func(p *testPKI) []csctest.Credential {
				return []csctest.Credential{{ID: "rsa", Key: rk, Chain: []*x509.Certificate{leafAt(t, p, tc.from, tc.to), p.issuing, p.root}, PIN: "123456"}}
			}, func(_ *hostileFixture, method string, w http.ResponseWriter, r *http.Request, next http.Handler) {
				if method != "credentials/info" || tc.status == "" {
					next.ServeHTTP(w, r)
					return
				}
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r)
				var m map[string]any
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m))
				m["cert"].(map[string]any)["status"] = tc.status
				json.NewEncoder(w).Encode(m)
			})
			_, err := f.client.Signer(context.Background(), "rsa", fixedAuth("123456", ""))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrCSCCredentialDisabled)
			assert.Contains(t, err.Error(), tc.want)
			assert.Zero(t, f.count("credentials/authorize"), "the PIN is never sent")
			// CredentialInfo still describes it (kyso token list shows it).
			info, err := f.client.CredentialInfo(context.Background(), "rsa")
			require.NoError(t, err)
			assert.Equal(t, "Lê Thị Hết Hạn", info.Certificates[0].Subject.CommonName)
		})
	}

	t.Run("chain out of order", func(t *testing.T) {
		var stranger *x509.Certificate
		f := newHostileFixture(t, func(p *testPKI) []csctest.Credential {
			stranger = newTestPKI(t).root
			return []csctest.Credential{{ID: "rsa", Key: rk, Chain: []*x509.Certificate{p.leaf(t, "Nguyễn Văn A", rk.Public()), stranger, p.root, p.issuing}, PIN: "123456"}}
		}, nil)
		s, err := f.client.Signer(context.Background(), "rsa", fixedAuth("123456", ""))
		require.NoError(t, err)
		require.Len(t, s.Chain(), 3)
		assert.True(t, s.Chain()[0].Equal(f.pki.issuing), "the issuer first")
		assert.True(t, s.Chain()[1].Equal(f.pki.root))
		assert.True(t, s.Chain()[2].Equal(stranger), "an unrelated certificate goes last")
		d := cscDigest(crypto.SHA256, "x")
		sig, err := s.Sign(nil, d, crypto.SHA256)
		require.NoError(t, err)
		assert.NoError(t, rsa.VerifyPKCS1v15(&rk.PublicKey, crypto.SHA256, d, sig))
	})
}

// TestCSCBatchRequestShape: the authorisation of a batch asks for numSignatures = N and,
// with SCAL 2, carries the N hashes with their algorithm; multisign 1 makes one
// authorisation per document.
func TestCSCBatchRequestShape(t *testing.T) {
	for _, tc := range []struct {
		name            string
		scal, multisign int
		n               int
		authorize       int
	}{
		{"SCAL 2, multisign 100, N = 7", 2, 100, 7, 1},
		{"SCAL 1, multisign 100, N = 7", 1, 100, 7, 1},
		{"SCAL 2, multisign 1, N = 3", 2, 1, 3, 3},
		{"SCAL 1, multisign 1, N = 3", 1, 1, 3, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rk, _ := cscKeys(t)
			f := newHostileFixture(t, func(p *testPKI) []csctest.Credential {
				return []csctest.Credential{{ID: "rsa", Key: rk, Chain: []*x509.Certificate{p.leaf(t, "Nguyễn Văn B", rk.Public()), p.issuing}, PIN: "123456", SCAL: tc.scal, Multisign: tc.multisign}}
			}, nil)
			pins := 0
			s, err := f.client.Signer(context.Background(), "rsa", func(context.Context, *CSCCredentialInfo, int) (string, string, error) {
				pins++
				return "123456", "", nil
			})
			require.NoError(t, err)
			ds := hostileDigests(tc.n)
			sigs, errs := s.SignDigests(context.Background(), ds, &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: rsa.PSSSaltLengthEqualsHash}, nil)
			require.Nil(t, errs)
			for i := range ds {
				assert.NoError(t, rsa.VerifyPSS(&rk.PublicKey, crypto.SHA256, ds[i], sigs[i], nil))
			}
			assert.Equal(t, tc.authorize, f.count("credentials/authorize"))
			assert.Equal(t, tc.authorize, pins, "the PIN is asked once per authorisation")
			assert.Equal(t, tc.authorize, f.count("signatures/signHash"))
			per := tc.n / tc.authorize
			sent := 0
			for _, body := range f.bodies["credentials/authorize"] {
				assert.EqualValues(t, per, body["numSignatures"])
				hashes, has := body["hashes"].([]any)
				if tc.scal == 2 {
					require.True(t, has, "SCAL 2: the hashes go with the authorisation")
					assert.Len(t, hashes, per)
					assert.Equal(t, "2.16.840.1.101.3.4.2.1", body["hashAlgorithmOID"])
					for _, h := range hashes {
						assert.Equal(t, base64.StdEncoding.EncodeToString(ds[sent]), h)
						sent++
					}
				} else {
					assert.False(t, has)
				}
			}
			for _, body := range f.bodies["signatures/signHash"] {
				assert.Equal(t, oidRSAPSS, body["signAlgo"])
				assert.NotEmpty(t, body["signAlgoParams"])
				assert.Len(t, body["hashes"], per)
			}
		})
	}
}

// TestCSCHostileSecretsInLog: every record the client logs, at every level, and every
// error of the hostile answers above is free of the access token, PIN, OTP and SAD.
func TestCSCHostileSecretsInLog(t *testing.T) {
	var sad string
	f := newHostileFixture(t, nil, func(_ *hostileFixture, method string, w http.ResponseWriter, r *http.Request, next http.Handler) {
		switch method {
		case "credentials/authorize":
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var m map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &m)
			sad, _ = m["SAD"].(string)
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		case "signatures/signHash": // a 500 that echoes the whole request
			body, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			json.NewEncoder(w).Encode(map[string]string{"error": "server_error " + string(body), "error_description": "request was " + string(body) + " with " + r.Header.Get("Authorization")})
		default:
			next.ServeHTTP(w, r)
		}
	})
	s, err := f.client.Signer(context.Background(), "rsa", fixedAuth("123456", "OTP-31337"))
	require.NoError(t, err)
	_, err = s.Sign(nil, cscDigest(crypto.SHA256, "x"), crypto.SHA256)
	require.ErrorIs(t, err, ErrCSCUnavailable)
	require.NotEmpty(t, sad)
	for _, secret := range []string{cscTestToken, "123456", "OTP-31337", sad} {
		assert.NotContains(t, err.Error(), secret)
		assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), secret)
		assert.NotContains(t, f.log.String(), secret)
	}
	assert.NotEmpty(t, f.log.String())
}

// TestCSCHostileRedirect: a service that redirects credentials/authorize elsewhere (a
// 307 would re-send the body, PIN included) gets no second request: the client refuses
// the redirect with ErrCSCBadResponse.
func TestCSCHostileRedirect(t *testing.T) {
	var elsewhere sync.Map
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		elsewhere.Store(r.URL.Path, string(body))
	}))
	defer sink.Close()
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f := newHostileFixture(t, nil, func(_ *hostileFixture, method string, w http.ResponseWriter, r *http.Request, next http.Handler) {
				if method == "credentials/authorize" {
					http.Redirect(w, r, sink.URL+"/steal", status)
					return
				}
				next.ServeHTTP(w, r)
			})
			s, err := f.client.Signer(context.Background(), "rsa", fixedAuth("123456", ""))
			require.NoError(t, err)
			_, err = s.Sign(nil, cscDigest(crypto.SHA256, "x"), crypto.SHA256)
			assert.ErrorIs(t, err, ErrCSCBadResponse)
			assert.Contains(t, err.Error(), "redirect refused")
			_, stolen := elsewhere.Load("/steal")
			assert.False(t, stolen, "nothing reached the redirect's target")
			assert.Equal(t, 1, f.count("credentials/authorize"), "not retried")
		})
	}
}

// TestCSCHashOIDTable: the hash identifiers the client sends, now read from
// internal/algorithm's one table, are exactly those of the client's former own table
// (SHA-2 and SHA-3 of 256 bits and more), and nothing else.
func TestCSCHashOIDTable(t *testing.T) {
	former := map[crypto.Hash]string{
		crypto.SHA256: "2.16.840.1.101.3.4.2.1", crypto.SHA384: "2.16.840.1.101.3.4.2.2", crypto.SHA512: "2.16.840.1.101.3.4.2.3",
		crypto.SHA3_256: "2.16.840.1.101.3.4.2.8", crypto.SHA3_384: "2.16.840.1.101.3.4.2.9", crypto.SHA3_512: "2.16.840.1.101.3.4.2.10",
	}
	for h := crypto.Hash(0); h <= crypto.BLAKE2b_512+1; h++ {
		assert.Equal(t, former[h], CSCHashOID(h), "%v", h)
	}
}
