package certstatus_test

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"
)

func TestCRLStatusAtSigningTime(t *testing.T) {
	now := time.Now()
	signingTime := now.Add(-time.Hour)
	tests := []struct {
		name      string
		reason    int
		revokedAt time.Time
		want      certstatus.Status
	}{
		{name: "good", want: certstatus.StatusGood},
		{name: "revoked before signing", reason: ocsp.AffiliationChanged, revokedAt: now.Add(-2 * time.Hour), want: certstatus.StatusRevoked},
		{name: "revoked after signing", reason: ocsp.Superseded, revokedAt: now.Add(-10 * time.Minute), want: certstatus.StatusRevokedLater},
		{name: "key compromise after signing", reason: ocsp.KeyCompromise, revokedAt: now.Add(-10 * time.Minute), want: certstatus.StatusRevoked},
		{name: "on hold", reason: ocsp.CertificateHold, revokedAt: now.Add(-3 * time.Hour), want: certstatus.StatusSuspended},
	}
	pki := certstatustest.NewPKI(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.revokedAt.IsZero() {
				pki.Revoke(pki.Deputy.Cert, tc.reason, tc.revokedAt)
				t.Cleanup(func() { pki.Reinstate(pki.Deputy.Cert) })
			}
			r := checkerFor(pki, crlOnly).Check(bg, pki.Deputy.Cert, pki.CA.Cert, signingTime)
			require.NoError(t, r.Err)
			assert.Equal(t, tc.want, r.Status)
			assert.Equal(t, certstatus.SourceCRL, r.Source)
			assert.Equal(t, pki.CRLURL, r.URL)
			require.Len(t, r.Raw, 1)
			if tc.want != certstatus.StatusGood {
				assert.Equal(t, certstatus.Reason(tc.reason), r.Reason)
				assert.True(t, r.RevokedAt.Equal(tc.revokedAt.Truncate(time.Second)), "revoked at %v, want %v", r.RevokedAt, tc.revokedAt)
			}
		})
	}
}

func TestCRLFailuresEachHaveTheirOwnError(t *testing.T) {
	tests := []struct {
		name     string
		behavior certstatustest.CRLBehavior
		want     error
	}{
		{"stale", certstatustest.CRLStale, certstatus.ErrStale},
		{"signed by an impostor", certstatustest.CRLWrongKey, certstatus.ErrWrongResponder},
		{"malformed", certstatustest.CRLMalformed, certstatus.ErrMalformed},
		{"oversized", certstatustest.CRLOversized, certstatus.ErrTooLarge},
		{"missing", certstatustest.CRLNotFound, certstatus.ErrHTTPStatus},
	}
	pki := certstatustest.NewPKI(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pki.SetCRL(tc.behavior)
			t.Cleanup(func() { pki.SetCRL(certstatustest.CRLNormal) })
			ck := checkerFor(pki, crlOnly, func(o *certstatus.Options) { o.MaxCRLBytes = 1 << 20 })
			r := ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
			assert.Equal(t, certstatus.StatusUnknown, r.Status)
			require.ErrorIs(t, r.Err, tc.want)
			var re *certstatus.ResponseError
			require.ErrorAs(t, r.Err, &re)
			assert.Equal(t, certstatus.SourceCRL, re.Source)
			_, err := ck.CRLs(bg, pki.Leader.Cert, pki.CA.Cert)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestCRLOfTheRootCoversTheCA(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ck := checkerFor(pki, crlOnly)
	r := ck.Check(bg, pki.CA.Cert, pki.Root.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusGood, r.Status)
	assert.Equal(t, pki.RootCRLURL, r.URL)

	pki.Revoke(pki.CA.Cert, ocsp.CACompromise, time.Time{})
	r = checkerFor(pki, crlOnly).Check(bg, pki.CA.Cert, pki.Root.Cert, time.Now().Add(-time.Hour))
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusRevoked, r.Status, "a CA compromise taints earlier signatures too")
}

func TestDeltaCRL(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.Revoke(pki.Clerk.Cert, ocsp.Superseded, time.Now().Add(-2*time.Hour))
	pki.FreezeBaseCRL()
	pki.Revoke(pki.Leader.Cert, ocsp.KeyCompromise, time.Now().Add(-time.Minute))
	pki.Reinstate(pki.Clerk.Cert)

	ck := checkerFor(pki, crlOnly, func(o *certstatus.Options) { o.CRLCacheBytes = -1 })
	r := ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusRevoked, r.Status, "only the delta CRL lists it")
	require.Len(t, r.Raw, 2, "base and delta CRL")
	base, err := x509.ParseRevocationList(r.Raw[0])
	require.NoError(t, err)
	assert.Len(t, base.RevokedCertificateEntries, 1)

	r = ck.Check(bg, pki.Clerk.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusGood, r.Status, "removeFromCRL in the delta lifts the base entry")

	crls, err := ck.CRLs(bg, pki.Leader.Cert, pki.CA.Cert)
	assert.ErrorIs(t, err, certstatus.ErrRevoked)
	assert.Len(t, crls, 2)

	// Offline, from the same two CRLs.
	off := checkerFor(pki, crlOnly, func(o *certstatus.Options) { o.Offline = true })
	r = off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, time.Time{}, nil, crls)
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusRevoked, r.Status)
	assert.Len(t, r.Raw, 2)
}

func TestCRLCache(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ck := checkerFor(pki, crlOnly)
	for _, c := range []*x509.Certificate{pki.Leader.Cert, pki.Org.Cert, pki.Device.Cert} {
		r := ck.Check(bg, c, pki.CA.Cert, time.Time{})
		require.NoError(t, r.Err)
	}
	assert.Equal(t, 1, pki.Hits("crl"), "one download serves every certificate of the CA")

	tiny := checkerFor(pki, crlOnly, func(o *certstatus.Options) { o.CRLCacheBytes = 10 })
	tiny.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	tiny.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	assert.Equal(t, 3, pki.Hits("crl"), "a CRL larger than the cache is not kept")
}

func TestParseCRL(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.Revoke(pki.Leader.Cert, ocsp.KeyCompromise, time.Time{})
	der, err := pki.CRL("ca.crl")
	require.NoError(t, err)
	rl, err := certstatus.ParseCRL(der, pki.CA.Cert)
	require.NoError(t, err)
	require.Len(t, rl.RevokedCertificateEntries, 1)
	assert.Equal(t, 0, rl.RevokedCertificateEntries[0].SerialNumber.Cmp(pki.Leader.Cert.SerialNumber))

	_, err = certstatus.ParseCRL(der, pki.Root.Cert)
	assert.ErrorIs(t, err, certstatus.ErrWrongResponder)
	_, err = certstatus.ParseCRL([]byte("junk"), pki.CA.Cert)
	assert.ErrorIs(t, err, certstatus.ErrMalformed)
}

// failPath is a transport that fails requests for one path and passes the others.
type failPath struct{ path string }

func (f failPath) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == f.path {
		return nil, errors.New("refused by the test")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// When the announced delta CRL cannot be used, the full CRL still answers and the
// result says the delta was not used.
func TestDeltaCRLUnavailable(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.FreezeBaseCRL()
	ck := checkerFor(pki, crlOnly, func(o *certstatus.Options) {
		o.HTTPClient = &http.Client{Transport: failPath{"/crl/ca-delta.crl"}}
	})
	r := ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusGood, r.Status)
	assert.Len(t, r.Raw, 1, "the base CRL only")
	require.Len(t, r.Failures, 1)
	assert.ErrorIs(t, r.Failures[0], certstatus.ErrUnreachable)
	assert.ErrorContains(t, r.Failures[0], "delta CRL")
}

// TestCRLServedAsPEM: a distribution point that serves the PEM "openssl ca -gencrl"
// writes (RFC 5280 wants DER) still answers; the CRL returned for a DSS is the DER.
func TestCRLServedAsPEM(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.Revoke(pki.Org.Cert, ocsp.KeyCompromise, time.Now().Add(-time.Hour))
	der, err := pki.CRL("ca.crl")
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("\n"))
		w.Write(pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der}))
	}))
	defer srv.Close()
	at := func(c *x509.Certificate) *x509.Certificate {
		cp := *c
		cp.CRLDistributionPoints = []string{srv.URL + "/ca.crl"}
		return &cp
	}
	ck := checkerFor(pki, crlOnly)
	crls, err := ck.CRLs(bg, at(pki.Leader.Cert), pki.CA.Cert)
	require.NoError(t, err)
	require.Len(t, crls, 1)
	assert.Equal(t, der, crls[0])
	r := ck.Check(bg, at(pki.Org.Cert), pki.CA.Cert, time.Time{})
	assert.Equal(t, certstatus.StatusRevoked, r.Status, "%v", r.Err)
}
