package token

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	_ "crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyso-go/kyso/token/csctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const cscTestToken = "bearer-token-SECRET-7f3a"

// cscFixture is a CSC test server holding an RSA and an ECDSA credential issued by a
// test PKI, and a client for it.
type cscFixture struct {
	srv    *csctest.Server
	client *CSCClient
	pki    *testPKI
	rsaKey *rsa.PrivateKey
	log    *bytes.Buffer
}

var (
	cscKeysOnce sync.Once
	cscRSAKey   *rsa.PrivateKey
	cscECKey    *ecdsa.PrivateKey
)

func cscKeys(t testing.TB) (*rsa.PrivateKey, *ecdsa.PrivateKey) {
	cscKeysOnce.Do(func() {
		var err error
		cscRSAKey, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		cscECKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
	})
	return cscRSAKey, cscECKey
}

// newCSCFixture starts a server with credentials "rsa" (PIN 123456) and "ec" (PIN
// 123456 and OTP 654321); edit adjusts them.
func newCSCFixture(t *testing.T, edit func(*csctest.Credential)) *cscFixture {
	t.Helper()
	p := newTestPKI(t)
	rk, ek := cscKeys(t)
	creds := []csctest.Credential{
		{ID: "rsa", Key: rk, Chain: []*x509.Certificate{p.leaf(t, "Nguyễn Văn Lãnh Đạo", rk.Public()), p.issuing, p.root}, PIN: "123456"},
		{ID: "ec", Key: ek, Chain: []*x509.Certificate{p.leaf(t, "UBND tỉnh Quảng Ninh", ek.Public()), p.issuing, p.root}, PIN: "123456", OTP: "654321"},
	}
	for i := range creds {
		if edit != nil {
			edit(&creds[i])
		}
	}
	srv := csctest.New(t, cscTestToken, creds...)
	log := &bytes.Buffer{}
	c, err := NewCSCClient(CSCOptions{BaseURL: srv.URL, AccessToken: cscTestToken, RetryDelay: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	require.NoError(t, err)
	return &cscFixture{srv: srv, client: c, pki: p, rsaKey: rk, log: log}
}

func fixedAuth(pin, otp string) CSCAuthFunc {
	return func(context.Context, *CSCCredentialInfo, int) (string, string, error) { return pin, otp, nil }
}

func cscDigest(h crypto.Hash, s string) []byte {
	w := h.New()
	w.Write([]byte(s))
	return w.Sum(nil)
}

func TestCSCServiceInfoAndCredentials(t *testing.T) {
	f := newCSCFixture(t, nil)
	ctx := context.Background()
	info, err := f.client.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, "2.0.0.2", info.Specs)
	assert.Contains(t, info.Methods, "signatures/signHash")

	ids, err := f.client.ListCredentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"ec", "rsa"}, ids)

	ci, err := f.client.CredentialInfo(ctx, "ec")
	require.NoError(t, err)
	assert.Equal(t, "explicit", ci.AuthMode)
	assert.True(t, ci.PIN.Required())
	assert.True(t, ci.OTP.Required())
	assert.Equal(t, 100, ci.Multisign)
	assert.Equal(t, 1, ci.SCAL)
	require.Len(t, ci.Certificates, 3)
	assert.Equal(t, "UBND tỉnh Quảng Ninh", ci.Certificates[0].Subject.CommonName)

	s, err := f.client.Signer(ctx, "rsa", fixedAuth("123456", ""))
	require.NoError(t, err)
	require.Len(t, s.Chain(), 2)
	assert.True(t, s.Chain()[0].Equal(f.pki.issuing))
	assert.True(t, s.Chain()[1].Equal(f.pki.root))
	var _ Signer = s

	_, err = f.client.CredentialInfo(ctx, "nope")
	assert.ErrorIs(t, err, ErrCSCInvalidRequest)
}

func TestCSCSignerEveryAlgorithm(t *testing.T) {
	for _, v21 := range []bool{false, true} {
		f := newCSCFixture(t, func(c *csctest.Credential) { c.AuthV21 = v21 })
		ctx := context.Background()
		cases := []struct {
			cred string
			opts crypto.SignerOpts
		}{
			{"rsa", crypto.SHA256}, {"rsa", crypto.SHA384}, {"rsa", crypto.SHA512},
			{"rsa", &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: rsa.PSSSaltLengthEqualsHash}},
			{"rsa", &rsa.PSSOptions{Hash: crypto.SHA512, SaltLength: 32}},
			{"ec", crypto.SHA256}, {"ec", crypto.SHA384},
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("v21=%v/%s/%T/%v", v21, tc.cred, tc.opts, tc.opts.HashFunc()), func(t *testing.T) {
				s, err := f.client.Signer(ctx, tc.cred, fixedAuth("123456", "654321"))
				require.NoError(t, err)
				d := cscDigest(tc.opts.HashFunc(), "văn bản "+tc.cred)
				sig, err := s.Sign(rand.Reader, d, tc.opts)
				require.NoError(t, err)
				switch pub := s.Public().(type) {
				case *rsa.PublicKey:
					if pss, ok := tc.opts.(*rsa.PSSOptions); ok {
						assert.NoError(t, rsa.VerifyPSS(pub, pss.Hash, d, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}))
					} else {
						assert.NoError(t, rsa.VerifyPKCS1v15(pub, tc.opts.HashFunc(), d, sig))
					}
				case *ecdsa.PublicKey:
					assert.True(t, ecdsa.VerifyASN1(pub, d, sig))
				}
			})
		}
		assert.Equal(t, len(cases), f.srv.Calls("credentials/authorize"))
		assert.Equal(t, len(cases), f.srv.Calls("signatures/signHash"))
	}
}

func TestCSCSignerRefusesWeakHash(t *testing.T) {
	f := newCSCFixture(t, nil)
	s, err := f.client.Signer(context.Background(), "rsa", fixedAuth("123456", ""))
	require.NoError(t, err)
	d := sha256.Sum224([]byte("x"))
	_, err = s.Sign(nil, d[:20], crypto.SHA1)
	assert.ErrorIs(t, err, ErrWeakHash)
	_, err = s.Sign(nil, []byte{1, 2, 3}, crypto.SHA256)
	assert.ErrorIs(t, err, ErrDigestSize)
	_, err = f.client.Signer(context.Background(), "ec", nil)
	require.NoError(t, err)
	assert.Zero(t, f.srv.Calls("credentials/authorize"), "refused digests never reach the service")
}

func TestCSCBatchOneAuthorization(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		scal, multisign, per int
		n                    int
		authorize, signHash  int
	}{
		{"one authorisation one call", 1, 100, 0, 25, 1, 1},
		{"SCAL2 sends the hashes", 2, 100, 0, 25, 1, 1},
		{"signHash in chunks", 2, 100, 10, 25, 1, 3},
		{"multisign splits the authorisations", 1, 10, 0, 25, 3, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newCSCFixture(t, func(c *csctest.Credential) { c.SCAL, c.Multisign = tc.scal, tc.multisign })
			ctx := context.Background()
			calls := 0
			s, err := f.client.Signer(ctx, "rsa", func(_ context.Context, info *CSCCredentialInfo, n int) (string, string, error) {
				calls++
				return "123456", "", nil
			})
			require.NoError(t, err)
			s.MaxHashesPerCall = tc.per
			var digests [][]byte
			for i := range tc.n {
				digests = append(digests, cscDigest(crypto.SHA256, fmt.Sprint("tài liệu ", i)))
			}
			var progress []int
			sigs, errs := Batch(s).SignDigests(ctx, digests, crypto.SHA256, func(done, total int) {
				assert.Equal(t, tc.n, total)
				progress = append(progress, done)
			})
			require.Nil(t, errs)
			for i, sig := range sigs {
				assert.NoError(t, rsa.VerifyPKCS1v15(&f.rsaKey.PublicKey, crypto.SHA256, digests[i], sig), "signature %d", i)
			}
			assert.Equal(t, tc.authorize, f.srv.Calls("credentials/authorize"))
			assert.Equal(t, tc.authorize, calls, "the PIN callback runs once per authorisation")
			assert.Equal(t, tc.signHash, f.srv.Calls("signatures/signHash"))
			assert.Equal(t, tc.n, progress[len(progress)-1])
		})
	}
}

// TestCSCApprovalPolling: a service that answers credentials/authorize with HTTP 202 (the
// signer approves on a phone) is polled with credentials/authorizeCheck until the SAD.
func TestCSCApprovalPolling(t *testing.T) {
	f := newCSCFixture(t, func(c *csctest.Credential) { c.ApprovalPolls = 2 })
	c, err := NewCSCClient(CSCOptions{BaseURL: f.srv.URL, AccessToken: cscTestToken, PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	ctx := context.Background()
	s, err := c.Signer(ctx, "rsa", fixedAuth("123456", ""))
	require.NoError(t, err)
	d := cscDigest(crypto.SHA256, "x")
	sig, err := s.Sign(nil, d, crypto.SHA256)
	require.NoError(t, err)
	assert.NoError(t, rsa.VerifyPKCS1v15(&f.rsaKey.PublicKey, crypto.SHA256, d, sig))
	assert.Equal(t, 1, f.srv.Calls("credentials/authorize"))
	assert.Equal(t, 3, f.srv.Calls("credentials/authorizeCheck"), "two pending answers, then the SAD")

	// The signer never approves: the wait ends with a typed error.
	never := newCSCFixture(t, func(c *csctest.Credential) { c.ApprovalPolls = 1 << 30 })
	slow, err := NewCSCClient(CSCOptions{BaseURL: never.srv.URL, AccessToken: cscTestToken, PollInterval: 5 * time.Millisecond, MaxApprovalWait: 50 * time.Millisecond})
	require.NoError(t, err)
	s2, err := slow.Signer(ctx, "rsa", fixedAuth("123456", ""))
	require.NoError(t, err)
	_, err = s2.Sign(nil, d, crypto.SHA256)
	assert.ErrorIs(t, err, ErrCSCUnavailable)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "did not approve in time")
	assert.Zero(t, never.srv.Calls("signatures/signHash"))
}

// TestCSCOAuth2CodeCredential: a credential authorised through OAuth2 (the caller's
// access token has credential scope) signs without credentials/authorize.
func TestCSCOAuth2CodeCredential(t *testing.T) {
	f := newCSCFixture(t, func(c *csctest.Credential) { c.OAuth2Code = true })
	ctx := context.Background()
	asked := false
	s, err := f.client.Signer(ctx, "rsa", func(context.Context, *CSCCredentialInfo, int) (string, string, error) {
		asked = true
		return "", "", nil
	})
	require.NoError(t, err)
	assert.Equal(t, "oauth2code", s.Info().AuthMode)
	digests := [][]byte{cscDigest(crypto.SHA256, "a"), cscDigest(crypto.SHA256, "b")}
	sigs, errs := s.SignDigests(ctx, digests, &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: rsa.PSSSaltLengthEqualsHash}, nil)
	require.Nil(t, errs)
	for i, sig := range sigs {
		assert.NoError(t, rsa.VerifyPSS(&f.rsaKey.PublicKey, crypto.SHA256, digests[i], sig, nil))
	}
	assert.False(t, asked, "no PIN is asked for")
	assert.Zero(t, f.srv.Calls("credentials/authorize"))
	assert.Equal(t, 1, f.srv.Calls("signatures/signHash"))
	// Authorize itself refuses such a credential with a clear error.
	_, err = f.client.Authorize(ctx, s.Info(), CSCAuthorizeRequest{NumSignatures: 1})
	assert.ErrorIs(t, err, ErrCSCUnsupported)
}

func TestCSCBatchWrongHashFailsOnlyThatDocument(t *testing.T) {
	f := newCSCFixture(t, nil)
	ctx := context.Background()
	s, err := f.client.Signer(ctx, "ec", fixedAuth("123456", "654321"))
	require.NoError(t, err)
	f.srv.SignWrongHash(1)
	digests := [][]byte{cscDigest(crypto.SHA256, "a"), cscDigest(crypto.SHA256, "b"), cscDigest(crypto.SHA256, "c")}
	sigs, errs := s.SignDigests(ctx, digests, crypto.SHA256, nil)
	require.Len(t, errs, 3)
	assert.ErrorIs(t, errs[0], ErrCSCBadSignature)
	assert.Nil(t, sigs[0])
	var ce *CSCError
	require.ErrorAs(t, errs[0], &ce)
	assert.Equal(t, 0, ce.Index)
	assert.NoError(t, errs[1])
	assert.NoError(t, errs[2])
	assert.True(t, ecdsa.VerifyASN1(s.Public().(*ecdsa.PublicKey), digests[1], sigs[1]))
	assert.Contains(t, errs[0].Error(), "does not verify")
}

func TestCSCFaults(t *testing.T) {
	ctx := context.Background()
	t.Run("wrong PIN then lock-out", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		s, err := f.client.Signer(ctx, "rsa", fixedAuth("000000", ""))
		require.NoError(t, err)
		d := cscDigest(crypto.SHA256, "x")
		for i := range 2 {
			_, err = s.Sign(nil, d, crypto.SHA256)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrPINIncorrect, "try %d", i)
			assert.ErrorIs(t, err, ErrCSC)
			assert.Contains(t, err.Error(), "mã PIN không đúng / incorrect PIN")
		}
		_, err = s.Sign(nil, d, crypto.SHA256)
		assert.ErrorIs(t, err, ErrCSCCredentialLocked)
		assert.ErrorIs(t, err, ErrPINLocked)
		assert.True(t, f.srv.Locked("rsa"))
		// Locked: even the right PIN is refused.
		good, err := f.client.Signer(ctx, "ec", fixedAuth("123456", "654321"))
		require.NoError(t, err)
		_, err = good.Sign(nil, d, crypto.SHA256)
		assert.NoError(t, err, "another credential is not affected")
		_, err = f.client.Signer(ctx, "rsa", fixedAuth("123456", ""))
		assert.ErrorIs(t, err, ErrCSCCredentialDisabled, "credentials/info reports the locked key disabled")
		assert.ErrorContains(t, err, "bị khóa do nhập sai mã PIN", "the user is told a lock-out may be why")
		// A batch with a wrong PIN authorises once, not once per group.
		f.srv.Unlock("rsa")
		f.srv.ResetCalls()
		s.info.Multisign = 1
		_, errs := s.SignDigests(ctx, [][]byte{d, d, d}, crypto.SHA256, nil)
		require.Len(t, errs, 3)
		for _, e := range errs {
			assert.ErrorIs(t, e, ErrPINIncorrect)
		}
		assert.Equal(t, 1, f.srv.Calls("credentials/authorize"))
	})
	t.Run("wrong OTP", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		s, err := f.client.Signer(ctx, "ec", fixedAuth("123456", "111111"))
		require.NoError(t, err)
		_, err = s.Sign(nil, cscDigest(crypto.SHA256, "x"), crypto.SHA256)
		assert.ErrorIs(t, err, ErrCSCOTPIncorrect)
	})
	t.Run("no PIN given", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		s, err := f.client.Signer(ctx, "rsa", nil)
		require.NoError(t, err)
		_, err = s.Sign(nil, cscDigest(crypto.SHA256, "x"), crypto.SHA256)
		assert.ErrorIs(t, err, ErrNoPIN)
		assert.Zero(t, f.srv.Calls("credentials/authorize"))
	})
	t.Run("expired SAD", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		info, err := f.client.CredentialInfo(ctx, "rsa")
		require.NoError(t, err)
		auth, err := f.client.Authorize(ctx, info, CSCAuthorizeRequest{NumSignatures: 1, PIN: "123456"})
		require.NoError(t, err)
		f.srv.ExpireSADs()
		_, err = f.client.SignHash(ctx, auth, info.Certificates[0].PublicKey, info.KeyAlgorithms, [][]byte{cscDigest(crypto.SHA256, "x")}, crypto.SHA256)
		assert.ErrorIs(t, err, ErrCSCSADExpired)
		assert.Contains(t, err.Error(), "SAD expired")
		assert.Equal(t, 1, f.srv.Calls("signatures/signHash"), "an expired SAD is not retried")
	})
	t.Run("SAD used up", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		info, err := f.client.CredentialInfo(ctx, "rsa")
		require.NoError(t, err)
		auth, err := f.client.Authorize(ctx, info, CSCAuthorizeRequest{NumSignatures: 1, PIN: "123456"})
		require.NoError(t, err)
		hs := [][]byte{cscDigest(crypto.SHA256, "x")}
		_, err = f.client.SignHash(ctx, auth, info.Certificates[0].PublicKey, info.KeyAlgorithms, hs, crypto.SHA256)
		require.NoError(t, err)
		_, err = f.client.SignHash(ctx, auth, info.Certificates[0].PublicKey, info.KeyAlgorithms, hs, crypto.SHA256)
		assert.ErrorIs(t, err, ErrCSCInvalidRequest)
	})
	t.Run("429 Retry-After is honoured", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		s, err := f.client.Signer(ctx, "rsa", fixedAuth("123456", ""))
		require.NoError(t, err)
		f.srv.RateLimitNext("signatures/signHash", time.Second, 1)
		start := time.Now()
		_, err = s.Sign(nil, cscDigest(crypto.SHA256, "x"), crypto.SHA256)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), time.Second, "the client waited as Retry-After asked")
		assert.Equal(t, 2, f.srv.Calls("signatures/signHash"))
	})
	t.Run("429 beyond the retries", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		c, err := NewCSCClient(CSCOptions{BaseURL: f.srv.URL, AccessToken: cscTestToken, MaxRetries: -1})
		require.NoError(t, err)
		f.srv.RateLimitNext("credentials/info", 7*time.Second, 1)
		_, err = c.CredentialInfo(ctx, "rsa")
		assert.ErrorIs(t, err, ErrCSCRateLimited)
		var ce *CSCError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, 7*time.Second, ce.RetryAfter)
		assert.Equal(t, 429, ce.Status)
		// A Retry-After above MaxRetryAfter is not waited for.
		c2, err := NewCSCClient(CSCOptions{BaseURL: f.srv.URL, AccessToken: cscTestToken, MaxRetryAfter: time.Second})
		require.NoError(t, err)
		f.srv.ResetCalls()
		f.srv.RateLimitNext("credentials/info", time.Hour, 1)
		_, err = c2.CredentialInfo(ctx, "rsa")
		assert.ErrorIs(t, err, ErrCSCRateLimited)
		assert.Equal(t, 1, f.srv.Calls("credentials/info"))
	})
	t.Run("5xx retried with back-off", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		f.srv.FailNext("credentials/info", 503, 2)
		_, err := f.client.CredentialInfo(ctx, "rsa")
		require.NoError(t, err)
		assert.Equal(t, 3, f.srv.Calls("credentials/info"))
		f.srv.ResetCalls()
		f.srv.FailNext("credentials/info", 500, 10)
		_, err = f.client.CredentialInfo(ctx, "rsa")
		assert.ErrorIs(t, err, ErrCSCUnavailable)
		assert.Equal(t, 4, f.srv.Calls("credentials/info"), "one try and three retries")
	})
	t.Run("4xx is not retried", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		_, err := f.client.CredentialInfo(ctx, "nope")
		assert.ErrorIs(t, err, ErrCSCInvalidRequest)
		assert.Equal(t, 1, f.srv.Calls("credentials/info"))
	})
	t.Run("bad access token", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		c, err := NewCSCClient(CSCOptions{BaseURL: f.srv.URL, AccessToken: "wrong-token-XYZ"})
		require.NoError(t, err)
		_, err = c.ListCredentials(ctx)
		assert.ErrorIs(t, err, ErrCSCUnauthorized)
		assert.NotContains(t, err.Error(), "wrong-token-XYZ")
	})
	t.Run("service down", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		url := f.srv.URL
		f.srv.Close()
		c, err := NewCSCClient(CSCOptions{BaseURL: url, AccessToken: cscTestToken, RetryDelay: time.Millisecond})
		require.NoError(t, err)
		_, err = c.Info(ctx)
		assert.ErrorIs(t, err, ErrCSCUnavailable)
	})
	t.Run("context cancelled", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		s, err := f.client.Signer(ctx, "rsa", fixedAuth("123456", ""))
		require.NoError(t, err)
		f.srv.RateLimitNext("credentials/authorize", 20*time.Second, 1)
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		_, err = s.SignContext(cctx, cscDigest(crypto.SHA256, "x"), crypto.SHA256)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

// TestCSCSecretsNeverLeak: the access token, PIN, OTP and SAD appear in no error and no
// log record, even when the service echoes them back.
func TestCSCSecretsNeverLeak(t *testing.T) {
	f := newCSCFixture(t, func(c *csctest.Credential) { c.PIN, c.MaxPINTries = "PIN-4242-SECRET", 10 })
	f.srv.EchoSecrets(true)
	ctx := context.Background()
	secrets := []string{cscTestToken, "PIN-9999-WRONG", "OTP-777777"}
	s, err := f.client.Signer(ctx, "ec", fixedAuth("PIN-9999-WRONG", "OTP-777777"))
	require.NoError(t, err)
	var errs []error
	_, err = s.Sign(nil, cscDigest(crypto.SHA256, "x"), crypto.SHA256)
	require.ErrorIs(t, err, ErrPINIncorrect)
	errs = append(errs, err)

	// A SAD the server echoes in an error.
	info, err := f.client.CredentialInfo(ctx, "rsa")
	require.NoError(t, err)
	auth, err := f.client.Authorize(ctx, info, CSCAuthorizeRequest{NumSignatures: 1, PIN: "PIN-4242-SECRET"})
	require.NoError(t, err)
	secrets = append(secrets, auth.sad, "PIN-4242-SECRET")
	assert.NotContains(t, auth.String(), auth.sad)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", auth, auth, auth), auth.sad)
	req := CSCAuthorizeRequest{NumSignatures: 1, PIN: "PIN-4242-SECRET", OTP: "OTP-777777"}
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v %s", req, req, req, req), "PIN-4242-SECRET")
	bogus := &CSCAuthorization{credentialID: "ec", sad: auth.sad}
	_, err = f.client.SignHash(ctx, bogus, info.Certificates[0].PublicKey, info.KeyAlgorithms, [][]byte{cscDigest(crypto.SHA256, "x")}, crypto.SHA256)
	require.Error(t, err)
	errs = append(errs, err)
	f.srv.ExpireSADs()
	_, err = f.client.SignHash(ctx, auth, info.Certificates[0].PublicKey, info.KeyAlgorithms, [][]byte{cscDigest(crypto.SHA256, "x")}, crypto.SHA256)
	require.ErrorIs(t, err, ErrCSCSADExpired)
	errs = append(errs, err)
	// Rate limits, 5xx and refusals.
	f.srv.FailNext("credentials/info", 503, 10)
	_, err = f.client.CredentialInfo(ctx, "rsa")
	errs = append(errs, err)

	require.NotEmpty(t, f.log.String(), "the logger received records")
	for _, sec := range secrets {
		for _, e := range errs {
			assert.NotContains(t, e.Error(), sec)
			assert.NotContains(t, fmt.Sprintf("%+v %#v", e, e), sec)
		}
		assert.NotContains(t, f.log.String(), sec)
	}
	assert.Contains(t, errs[0].Error(), "***", "the echoed PIN was replaced")
}

func TestCSCClientOptions(t *testing.T) {
	for _, u := range []string{"", "ftp://x", "http://example.vn", "https://user:pw@example.vn", "https://x/?a=b"} {
		_, err := NewCSCClient(CSCOptions{BaseURL: u})
		assert.ErrorIs(t, err, ErrCSCInvalidRequest, u)
	}
	for _, u := range []string{"https://rs.example.vn", "https://rs.example.vn/api/", "http://127.0.0.1:8080", "http://localhost:1"} {
		_, err := NewCSCClient(CSCOptions{BaseURL: u})
		assert.NoError(t, err, u)
	}
	assert.Equal(t, 5*time.Second, parseRetryAfter("5", time.Now()))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, 10*time.Second, parseRetryAfter(now.Add(10*time.Second).Format(http.TimeFormat), now))
	assert.Zero(t, parseRetryAfter("soon", now))
	assert.Zero(t, parseRetryAfter("-3", now))
}

func TestCSCRawECDSASignatureIsConverted(t *testing.T) {
	_, ek := cscKeys(t)
	d := cscDigest(crypto.SHA256, "r||s")
	der, err := ek.Sign(rand.Reader, d, crypto.SHA256)
	require.NoError(t, err)
	var rs struct{ R, S *big.Int }
	_, err = asn1.Unmarshal(der, &rs)
	require.NoError(t, err)
	r, s := rs.R, rs.S
	raw := append(leftPad(r.Bytes(), 32), leftPad(s.Bytes(), 32)...)
	out, err := verifySignature(&ek.PublicKey, d, raw, crypto.SHA256)
	require.NoError(t, err)
	assert.True(t, ecdsa.VerifyASN1(&ek.PublicKey, d, out))
	_, err = verifySignature(&ek.PublicKey, cscDigest(crypto.SHA256, "other"), raw, crypto.SHA256)
	assert.Error(t, err)
}

func leftPad(b []byte, n int) []byte { return append(make([]byte, n-len(b)), b...) }

func TestCSCErrorClassification(t *testing.T) {
	for _, tc := range []struct {
		status     int
		code, desc string
		want       error
	}{
		{400, "invalid_request", "Credential locked", ErrCSCCredentialLocked},
		{400, "invalid_pin", "The PIN is invalid", ErrPINIncorrect},
		{400, "invalid_authentication_data", "The authentication data is invalid", ErrPINIncorrect},
		{400, "invalid_otp", "The OTP is invalid", ErrCSCOTPIncorrect},
		{400, "invalid_request", "SAD expired", ErrCSCSADExpired},
		{400, "invalid_request", "The credential identified by credentialID is disabled", ErrCSCCredentialDisabled},
		{400, "invalid_request", "Signing certificate is expired", ErrCSCCredentialDisabled},
		{400, "invalid_request", "Signing certificate 'O=UBND,CN=Nguyen Van A' is expired", ErrCSCCredentialDisabled},
		{400, "invalid_request", "PIN locked", ErrCSCCredentialLocked},
		{400, "invalid_request", "Hash is not authorized by the SAD", ErrCSCInvalidRequest},
		{401, "", "", ErrCSCUnauthorized},
		{429, "", "", ErrCSCRateLimited},
		{502, "", "", ErrCSCUnavailable},
	} {
		e := &CSCError{Reason: classifyCSC("x", tc.status, tc.code, tc.desc)}
		assert.ErrorIs(t, e, tc.want, "%d %s %s", tc.status, tc.code, tc.desc)
		assert.ErrorIs(t, e, ErrCSC)
	}
	long := cleanDescription(strings.Repeat("x", 195)+"SECRET-PIN-1", []string{"SECRET-PIN-1"})
	assert.NotContains(t, long, "SECRET")
	assert.NotContains(t, long, "SECRET-P")
	assert.Equal(t, "bad *** here", cleanDescription("bad \x00SECRET\x01 here", []string{"\x00SECRET\x01"}))
	assert.NotContains(t, cleanDescription("PIN 42 is wrong", []string{"42"}), "42", "a two-digit PIN is withheld too")
	assert.Equal(t, "PIN is wrong", cleanDescription("PIN is wrong", []string{"42", ""}))
}

// TestCSCSADRenewedMidBatch: a SAD that expires in the middle of SignDigests is renewed
// once for the digests left (with their hashes for SCAL 2, the PIN given before and no
// second call to the PIN callback); with an OTP it is renewed only through FreshOTP.
func TestCSCSADRenewedMidBatch(t *testing.T) {
	ctx := context.Background()
	digests := func(n int) [][]byte {
		var ds [][]byte
		for i := range n {
			ds = append(ds, cscDigest(crypto.SHA256, fmt.Sprint("công văn ", i)))
		}
		return ds
	}
	for _, scal := range []int{1, 2} {
		t.Run(fmt.Sprint("SCAL", scal), func(t *testing.T) {
			f := newCSCFixture(t, func(c *csctest.Credential) { c.SCAL = scal })
			asked := 0
			s, err := f.client.Signer(ctx, "rsa", func(context.Context, *CSCCredentialInfo, int) (string, string, error) {
				asked++
				return "123456", "", nil
			})
			require.NoError(t, err)
			s.MaxHashesPerCall = 3
			f.srv.ExpireNextSADAfter(3)
			ds := digests(7)
			sigs, errs := s.SignDigests(ctx, ds, crypto.SHA256, nil)
			require.Nil(t, errs)
			for i, sig := range sigs {
				assert.NoError(t, rsa.VerifyPKCS1v15(&f.rsaKey.PublicKey, crypto.SHA256, ds[i], sig))
			}
			assert.Equal(t, 2, f.srv.Calls("credentials/authorize"))
			assert.Equal(t, 1, asked)
			assert.Equal(t, 4, f.srv.Calls("signatures/signHash"), "3 signed, 3 refused, then 3 and 1")
		})
	}
	t.Run("OTP without a fresh OTP source", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		s, err := f.client.Signer(ctx, "ec", fixedAuth("123456", "654321"))
		require.NoError(t, err)
		s.MaxHashesPerCall = 2
		f.srv.ExpireNextSADAfter(2)
		_, errs := s.SignDigests(ctx, digests(4), crypto.SHA256, nil)
		require.Len(t, errs, 4)
		assert.NoError(t, errs[0])
		assert.NoError(t, errs[1])
		assert.ErrorIs(t, errs[2], ErrCSCSADExpired)
		assert.ErrorIs(t, errs[3], ErrCSCSADExpired)
		assert.Equal(t, 1, f.srv.Calls("credentials/authorize"))
	})
	t.Run("OTP source fails", func(t *testing.T) {
		f := newCSCFixture(t, nil)
		s, err := f.client.Signer(ctx, "ec", fixedAuth("123456", "654321"))
		require.NoError(t, err)
		s.FreshOTP = func(context.Context, *CSCCredentialInfo, int) (string, error) {
			return "", fmt.Errorf("người ký không nhập OTP")
		}
		s.MaxHashesPerCall = 2
		f.srv.ExpireNextSADAfter(2)
		_, errs := s.SignDigests(ctx, digests(4), crypto.SHA256, nil)
		require.Len(t, errs, 4)
		assert.NoError(t, errs[1])
		assert.ErrorIs(t, errs[2], ErrNoPIN)
		assert.Equal(t, 1, f.srv.Calls("credentials/authorize"))
	})
}

// TestCSCParseVariants: the shapes of independent services' answers the client reads
// (the end-to-end variants are in the module root's TestCSCInteropVariants).
func TestCSCParseVariants(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"AAEC/w==", "000102ff"}, {"AAEC_w==", "000102ff"}, {"AAEC/w", "000102ff"}, {"AAEC_w", "000102ff"},
		{"AA\r\nEC/w==", "000102ff"}, {"-----BEGIN CERTIFICATE-----\nAAEC/w==\n-----END CERTIFICATE-----\n", "000102ff"},
	} {
		in := strings.NewReplacer(`\r`, "\r", `\n`, "\n").Replace(tc.in)
		b, err := decodeBase64(in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, fmt.Sprintf("%x", b), tc.in)
	}
	_, err := decodeBase64("***")
	assert.Error(t, err)

	for _, tc := range []struct {
		body       string
		code, desc string
	}{
		{`{"error":"invalid_request","error_description":"SAD expired"}`, "invalid_request", "SAD expired"},
		{`{"message":"SAD expired"}`, "", "SAD expired"},
		{`{"status":400,"error":{"code":"invalid_pin","message":"Wrong PIN"}}`, "invalid_pin", "Wrong PIN"},
		{`{"errorCode":4001,"errorMessage":"Sai mã PIN"}`, "4001", "Sai mã PIN"},
	} {
		e, ok := parseCSCError([]byte(tc.body))
		require.True(t, ok, tc.body)
		assert.Equal(t, tc.code, e.Error, tc.body)
		assert.Equal(t, tc.desc, e.ErrorDescription, tc.body)
	}

	p := newTestPKI(t)
	rk, _ := cscKeys(t)
	leaf := p.leaf(t, "Nguyễn Văn A", rk.Public())
	b64 := func(c *x509.Certificate) string { return base64.StdEncoding.EncodeToString(c.Raw) }
	for _, tc := range []struct {
		name, auth   string
		pin, otp     string // presence
		pinID, otpID string
		authData     bool
	}{
		{"objects", `"auth":{"mode":"explicit","objects":[{"type":"Password","id":"pin-1"},{"type":"OTP","id":"OTP"}]}`, "true", "true", "pin-1", "OTP", true},
		{"objects as strings", `"auth":{"mode":"explicit","objects":["PIN"]}`, "true", "", "PIN", "", true},
		{"authDto", `"authDto":{"mode":"explicit","objects":["PIN","OTP"]}`, "true", "true", "PIN", "OTP", true},
		{"expression AND", `"auth":{"mode":"explicit","expression":"(PASSWORD AND OTP)","objects":[{"type":"Password","id":"PASSWORD"},"OTP"]}`, "true", "true", "PASSWORD", "OTP", true},
		{"expression OR", `"auth":{"mode":"explicit","expression":"PIN OR OTP","objects":["PIN","OTP"]}`, "optional", "optional", "PIN", "OTP", true},
		{"flat v1", `"authMode":"explicit","PIN":{"presence":true},"OTP":{"presence":"false","ID":"dev-1"}`, "true", "false", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The chain root first: the leaf is still found.
			raw := `{"key":{"status":"enabled","algo":["1.2.840.113549.1.1.11"],"len":"2048"},"cert":{"certificates":["` + b64(p.root) + `","` + b64(p.issuing) + `","` + b64(leaf) + `"]},"SCAL":2,"multisign":"10",` + tc.auth + `}`
			info, err := parseCredentialInfo([]byte(raw))
			require.NoError(t, err)
			assert.True(t, info.Certificates[0].Equal(leaf))
			assert.Equal(t, "explicit", info.AuthMode)
			assert.Equal(t, tc.pin, info.PIN.Presence)
			assert.Equal(t, tc.otp, info.OTP.Presence)
			assert.Equal(t, tc.pinID, info.pinID)
			assert.Equal(t, tc.otpID, info.otpID)
			assert.Equal(t, tc.authData, info.authData)
			assert.Equal(t, 2, info.SCAL)
			assert.Equal(t, 10, info.Multisign)
			assert.Equal(t, 2048, info.KeyLength)
		})
	}
}
