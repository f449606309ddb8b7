package certstatus_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"
)

func TestCheckOfflineWithDSSData(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	online := checkerFor(pki)
	// The CRLs are fetched before the OCSP responses: between two "good" answers the
	// newest stands, so an OCSP response fetched in a later second than the CRL would
	// lose to nothing, and one fetched before it could lose when the clock ticks.
	caCRLs, err := online.CRLs(bg, pki.Leader.Cert, pki.CA.Cert)
	require.NoError(t, err)
	rootCRLs, err := online.CRLs(bg, pki.CA.Cert, pki.Root.Cert)
	require.NoError(t, err)
	leaderOCSP, err := online.OCSPResponse(bg, pki.Leader.Cert, pki.CA.Cert)
	require.NoError(t, err)
	orgOCSP, err := online.OCSPResponse(bg, pki.Org.Cert, pki.CA.Cert)
	require.NoError(t, err)
	hits := pki.Hits("ocsp") + pki.Hits("crl")

	off := checkerFor(pki, func(o *certstatus.Options) { o.Offline = true })
	signingTime := time.Now().Add(-time.Hour)

	r := off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, signingTime, [][]byte{orgOCSP, leaderOCSP}, append(rootCRLs, caCRLs...))
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusGood, r.Status)
	assert.Equal(t, certstatus.SourceOCSP, r.Source, "OCSP first; the org's response is skipped")
	assert.Empty(t, r.URL)

	r = off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, signingTime, [][]byte{orgOCSP}, append(rootCRLs, caCRLs...))
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.SourceCRL, r.Source)

	r = off.CheckOffline(pki.CA.Cert, pki.Root.Cert, signingTime, [][]byte{leaderOCSP}, append(caCRLs, rootCRLs...))
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.SourceCRL, r.Source)

	r = off.CheckOffline(pki.Device.Cert, pki.CA.Cert, signingTime, [][]byte{leaderOCSP}, rootCRLs)
	assert.Equal(t, certstatus.StatusUnknown, r.Status)
	assert.ErrorIs(t, r.Err, certstatus.ErrNoRevocationData)

	// Data produced a day before the time of interest and expired by then: stale.
	r = off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, time.Now().Add(72*time.Hour), [][]byte{leaderOCSP}, caCRLs)
	assert.Equal(t, certstatus.StatusUnknown, r.Status)
	assert.ErrorIs(t, r.Err, certstatus.ErrStale)

	// Online checks are refused by an offline Checker.
	r = off.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	assert.ErrorIs(t, r.Err, certstatus.ErrOffline)
	assert.Equal(t, hits, pki.Hits("ocsp")+pki.Hits("crl"), "offline means no request at all")
}

func TestCheckOfflineRevocationEvidence(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	revokedAt := time.Now().Add(-20 * time.Minute)
	pki.Revoke(pki.Leader.Cert, ocsp.Superseded, revokedAt)
	online := checkerFor(pki)
	der, err := online.OCSPResponse(bg, pki.Leader.Cert, pki.CA.Cert)
	require.ErrorIs(t, err, certstatus.ErrRevoked)

	off := checkerFor(pki, func(o *certstatus.Options) { o.Offline = true })
	r := off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, time.Now().Add(-time.Hour), [][]byte{der}, nil)
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusRevokedLater, r.Status)
	assert.True(t, r.Status.ValidAt())
	r = off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, time.Now().Add(-10*time.Minute), [][]byte{der}, nil)
	assert.Equal(t, certstatus.StatusRevoked, r.Status)
	assert.False(t, r.Status.ValidAt())
	assert.Equal(t, "đã bị thu hồi", r.Status.Vietnamese())

	// Garbage in the DSS is reported, not fatal.
	r = off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, time.Time{}, [][]byte{[]byte("junk")}, [][]byte{[]byte("junk")})
	assert.Equal(t, certstatus.StatusUnknown, r.Status)
	assert.ErrorIs(t, r.Err, certstatus.ErrMalformed)
	assert.Len(t, r.Failures, 2)
}

func TestVietnameseExplanations(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.SetOCSP(certstatustest.OCSPBadNonce)
	r := checkerFor(pki, ocspOnly).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	assert.Equal(t, "giá trị nonce trong phản hồi không khớp với yêu cầu", certstatus.Vietnamese(r.Err))
	assert.Equal(t, "", certstatus.Vietnamese(nil))
	assert.Equal(t, "", certstatus.Vietnamese(errors.New("other")))
	for _, e := range []error{certstatus.ErrRevoked, certstatus.ErrExpired, certstatus.ErrNoChain, certstatus.ErrTryLater,
		certstatus.ErrImprintMismatch, certstatus.ErrTSACertificate, certstatus.ErrMalformed, certstatus.ErrOffline} {
		assert.NotEmpty(t, certstatus.Vietnamese(e), e.Error())
	}
}

// fakeClock is a clock tests move by hand, shared by the kit and a Checker.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// A DSS may hold an older answer (good) and a newer one (revoked for key compromise
// after the signing time): the newer one decides, whatever the order.
func TestCheckOfflineNewestDataDecides(t *testing.T) {
	clock := &fakeClock{now: time.Now().Truncate(time.Second)}
	pki := certstatustest.NewPKIWith(t, certstatustest.Options{Now: clock.Now})
	withClock := func(o *certstatus.Options) { o.Now = clock.Now }
	signingTime := clock.Now().Add(-30 * time.Minute)

	online := checkerFor(pki, withClock, func(o *certstatus.Options) { o.OCSPCacheEntries = -1; o.CRLCacheBytes = -1 })
	oldOCSP, err := online.OCSPResponse(bg, pki.Leader.Cert, pki.CA.Cert)
	require.NoError(t, err)
	oldCRL, err := pki.CRL("ca.crl")
	require.NoError(t, err)

	clock.Advance(time.Hour)
	pki.Revoke(pki.Leader.Cert, ocsp.KeyCompromise, clock.Now())
	clock.Advance(time.Hour)
	newOCSP, err := online.OCSPResponse(bg, pki.Leader.Cert, pki.CA.Cert)
	require.ErrorIs(t, err, certstatus.ErrRevoked)
	newCRL, err := pki.CRL("ca.crl")
	require.NoError(t, err)

	off := checkerFor(pki, withClock, func(o *certstatus.Options) { o.Offline = true })
	for name, order := range map[string][2][]byte{"old first": {oldOCSP, newOCSP}, "new first": {newOCSP, oldOCSP}} {
		t.Run("OCSP "+name, func(t *testing.T) {
			r := off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, signingTime, order[:], nil)
			require.NoError(t, r.Err)
			assert.Equal(t, certstatus.StatusRevoked, r.Status)
			assert.Equal(t, certstatus.ReasonKeyCompromise, r.Reason)
			assert.Equal(t, newOCSP, r.Raw[0])
		})
	}
	for name, order := range map[string][2][]byte{"old first": {oldCRL, newCRL}, "new first": {newCRL, oldCRL}} {
		t.Run("CRL "+name, func(t *testing.T) {
			r := off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, signingTime, nil, order[:])
			require.NoError(t, r.Err)
			assert.Equal(t, certstatus.StatusRevoked, r.Status)
			assert.Equal(t, newCRL, r.Raw[0])
		})
	}
	// With only the old data, the certificate was good as far as anyone could tell.
	r := off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, signingTime, [][]byte{oldOCSP}, [][]byte{oldCRL})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusGood, r.Status)
}
