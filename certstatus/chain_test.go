package certstatus_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifyCertificateAtATime(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	expired, err := pki.Expire(pki.Leader)
	require.NoError(t, err)
	inter := []*x509.Certificate{pki.CA.Cert}
	now := time.Now()
	tests := []struct {
		name string
		cert *x509.Certificate
		at   time.Time
		want error
	}{
		{"valid now", pki.Leader.Cert, time.Time{}, nil},
		{"valid an hour ago", pki.Leader.Cert, now.Add(-time.Hour), nil},
		{"before issuance", pki.Leader.Cert, now.Add(-48 * time.Hour), certstatus.ErrNotYetValid},
		{"after expiry", pki.Leader.Cert, now.AddDate(4, 0, 0), certstatus.ErrExpired},
		{"expired certificate now", expired.Cert, time.Time{}, certstatus.ErrExpired},
		{"expired certificate at a signing time inside its validity", expired.Cert, now.AddDate(0, -6, 0), nil},
	}
	ck := checkerFor(pki)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chain, err := ck.VerifyCertificate(bg, tc.cert, certstatus.VerifyOptions{At: tc.at, Intermediates: inter})
			if tc.want == nil {
				require.NoError(t, err)
				require.Len(t, chain, 3)
				assert.True(t, chain[2].Equal(pki.Root.Cert))
				return
			}
			require.ErrorIs(t, err, tc.want)
			var ce *certstatus.CertificateInvalidError
			require.ErrorAs(t, err, &ce)
			assert.NotNil(t, ce.Cert)
		})
	}
}

func TestVerifyCertificateFetchesIssuersByAIA(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ck := checkerFor(pki)
	chain, err := ck.VerifyCertificate(bg, pki.Org.Cert, certstatus.VerifyOptions{})
	require.NoError(t, err)
	require.Len(t, chain, 3)
	assert.True(t, chain[1].Equal(pki.CA.Cert))
	assert.Equal(t, 1, pki.Hits("aia"))

	// Cached: a second chain does not download again.
	_, err = ck.VerifyCertificate(bg, pki.Leader.Cert, certstatus.VerifyOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, pki.Hits("aia"))

	pooled := checkerFor(pki, func(o *certstatus.Options) { o.Offline = true; o.Intermediates = []*x509.Certificate{pki.CA.Cert} })
	_, err = pooled.VerifyCertificate(bg, pki.Org.Cert, certstatus.VerifyOptions{})
	require.NoError(t, err, "the caller's pool completes the chain offline")

	for name, c := range map[string]*certstatus.Checker{
		"offline":      checkerFor(pki, func(o *certstatus.Options) { o.Offline = true }),
		"AIA disabled": checkerFor(pki, func(o *certstatus.Options) { o.DisableAIA = true }),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.VerifyCertificate(bg, pki.Org.Cert, certstatus.VerifyOptions{})
			assert.ErrorIs(t, err, certstatus.ErrNoChain)
		})
	}
}

func TestVerifyCertificateUntrustedRoot(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	// The real VGCA root does not vouch for the test hierarchy.
	ck := certstatus.NewChecker(certstatus.Options{DisableAIA: true})
	_, err := ck.VerifyCertificate(bg, pki.Leader.Cert, certstatus.VerifyOptions{Intermediates: []*x509.Certificate{pki.CA.Cert}})
	assert.ErrorIs(t, err, certstatus.ErrNoChain)
	_, err = ck.VerifyCertificate(bg, nil, certstatus.VerifyOptions{})
	assert.ErrorIs(t, err, certstatus.ErrNoChain)
}

func TestVerifyCertificateUsage(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	encOnly, err := pki.Issue("enc", &x509.Certificate{RawSubject: certstatustest.Name(certstatustest.CN("Chỉ mã hóa")), KeyUsage: x509.KeyUsageKeyEncipherment})
	require.NoError(t, err)
	softTSA, err := pki.Issue("tsa-noncritical", &x509.Certificate{
		RawSubject:  certstatustest.Name(certstatustest.CN("TSA không đánh dấu critical")),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
	})
	require.NoError(t, err)
	tests := []struct {
		name  string
		cert  *x509.Certificate
		usage certstatus.Usage
		want  error
	}{
		{"leader signs", pki.Leader.Cert, certstatus.UsageSigning, nil},
		{"org seal signs", pki.Org.Cert, certstatus.UsageSigning, nil},
		{"encryption-only key cannot sign", encOnly.Cert, certstatus.UsageSigning, certstatus.ErrKeyUsage},
		{"TSA with critical EKU", pki.TSA.Cert, certstatus.UsageTimestamping, nil},
		{"TSA without critical EKU", softTSA.Cert, certstatus.UsageTimestamping, certstatus.ErrTSACertificate},
		{"leader is no TSA", pki.Leader.Cert, certstatus.UsageTimestamping, certstatus.ErrTSACertificate},
		{"delegated OCSP responder", pki.OCSPSigner.Cert, certstatus.UsageOCSPSigning, nil},
		{"leader is no OCSP responder", pki.Leader.Cert, certstatus.UsageOCSPSigning, certstatus.ErrKeyUsage},
		{"any", encOnly.Cert, certstatus.UsageAny, nil},
	}
	ck := checkerFor(pki)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ck.VerifyCertificate(bg, tc.cert, certstatus.VerifyOptions{Usage: tc.usage, Intermediates: []*x509.Certificate{pki.CA.Cert}})
			if tc.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
}

func TestAlgorithmPolicy(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	weak, err := pki.IssueWithKey("weak", &x509.Certificate{RawSubject: certstatustest.Name(certstatustest.CN("Khóa yếu")), KeyUsage: x509.KeyUsageDigitalSignature}, small.Public(), small)
	require.NoError(t, err)
	ck := checkerFor(pki)
	_, err = ck.VerifyCertificate(bg, weak.Cert, certstatus.VerifyOptions{Intermediates: []*x509.Certificate{pki.CA.Cert}})
	assert.ErrorIs(t, err, certstatus.ErrWeakAlgorithm)

	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	rsaKey := pki.Leader.Cert.PublicKey
	sunset := certstatus.DefaultSHA1Sunset
	tests := []struct {
		name string
		pub  crypto.PublicKey
		h    crypto.Hash
		at   time.Time
		ok   bool
	}{
		{"RSA-2048 SHA-256", rsaKey, crypto.SHA256, time.Now(), true},
		{"RSA-1024", small.Public(), crypto.SHA256, time.Now(), false},
		{"ECDSA P-256", p256.Public(), crypto.SHA384, time.Now(), true},
		{"ECDSA P-224", p224.Public(), crypto.SHA256, time.Now(), false},
		{"SHA-1 before its sunset", rsaKey, crypto.SHA1, sunset.AddDate(-1, 0, 0), true},
		{"SHA-1 after its sunset", rsaKey, crypto.SHA1, sunset.AddDate(0, 0, 1), false},
		{"MD5 ever", rsaKey, crypto.MD5, sunset.AddDate(-10, 0, 0), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ck.CheckAlgorithm(tc.pub, tc.h, tc.at)
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, certstatus.ErrWeakAlgorithm)
			}
		})
	}
}

func TestValidateChainAndSubIndications(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ck := checkerFor(pki, func(o *certstatus.Options) { o.DisableAIA = true })
	// The plain shape a verifier declares.
	var v interface {
		ValidateChain(ctx context.Context, cert *x509.Certificate, intermediates []*x509.Certificate, at time.Time) ([]*x509.Certificate, error)
	} = ck
	chain, err := v.ValidateChain(bg, pki.Device.Cert, []*x509.Certificate{pki.CA.Cert}, time.Now().Add(-time.Hour))
	require.NoError(t, err)
	assert.Len(t, chain, 3)

	_, err = v.ValidateChain(bg, pki.Device.Cert, nil, time.Time{})
	assert.Equal(t, "NO_CERTIFICATE_CHAIN_FOUND", certstatus.SubIndication(err))
	_, err = v.ValidateChain(bg, pki.Device.Cert, []*x509.Certificate{pki.CA.Cert}, time.Now().AddDate(10, 0, 0))
	assert.Equal(t, "OUT_OF_BOUNDS_NO_POE", certstatus.SubIndication(err))

	tests := map[error]string{
		nil:                            "",
		certstatus.ErrRevoked:          "REVOKED",
		certstatus.ErrWeakAlgorithm:    "CRYPTO_CONSTRAINTS_FAILURE",
		certstatus.ErrTryLater:         "TRY_LATER",
		certstatus.ErrImprintMismatch:  "HASH_FAILURE",
		certstatus.ErrBadSignature:     "SIG_CRYPTO_FAILURE",
		certstatus.ErrMalformed:        "FORMAT_FAILURE",
		certstatus.ErrBasicConstraints: "CHAIN_CONSTRAINTS_FAILURE",
		certstatus.ErrStale:            "REVOCATION_OUT_OF_BOUNDS_NO_POE",
		context.Canceled:               "CERTIFICATE_CHAIN_GENERAL_FAILURE",
	}
	for e, want := range tests {
		assert.Equal(t, want, certstatus.SubIndication(e), "%v", e)
	}
}

// Downloads of missing issuers are bounded, and a failed download is named in the
// error, so the user sees why no chain was found.
func TestVerifyCertificateAIALimits(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big.cer":
			w.Write(make([]byte, 300<<10))
		case "/junk.cer":
			w.Write([]byte("không phải chứng thư"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"))
	tests := []struct {
		path string
		says string
	}{
		{"/big.cer", "response too large"},
		{"/junk.cer", "neither a certificate nor a PKCS#7 bundle"},
		{"/missing.cer", "unexpected HTTP status 404"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			leaf := *pki.Org.Cert
			leaf.IssuingCertificateURL = []string{srv.URL + tc.path}
			_, err := checkerFor(pki).VerifyCertificate(bg, &leaf, certstatus.VerifyOptions{})
			require.ErrorIs(t, err, certstatus.ErrNoChain)
			assert.ErrorContains(t, err, "AIA caIssuers")
			assert.ErrorContains(t, err, srv.URL+tc.path)
			assert.ErrorContains(t, err, tc.says)
		})
	}
}

// Options.MaxChainLength bounds the chains accepted, not only the AIA downloads.
func TestVerifyCertificateMaxChainLength(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	inter := certstatus.VerifyOptions{Intermediates: []*x509.Certificate{pki.CA.Cert}}
	_, err := checkerFor(pki, func(o *certstatus.Options) { o.MaxChainLength = 2 }).VerifyCertificate(bg, pki.Leader.Cert, inter)
	require.ErrorIs(t, err, certstatus.ErrNoChain)
	assert.ErrorContains(t, err, "MaxChainLength")
	chain, err := checkerFor(pki, func(o *certstatus.Options) { o.MaxChainLength = 3 }).VerifyCertificate(bg, pki.Leader.Cert, inter)
	require.NoError(t, err)
	assert.Len(t, chain, 3)
}
