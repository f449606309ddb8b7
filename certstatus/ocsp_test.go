package certstatus_test

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/ctxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"
)

func TestOCSPStatusAtSigningTime(t *testing.T) {
	now := time.Now()
	signingTime := now.Add(-time.Hour)
	tests := []struct {
		name      string
		reason    int
		revokedAt time.Time
		suspend   bool
		want      certstatus.Status
	}{
		{name: "good", want: certstatus.StatusGood},
		{name: "revoked before signing", reason: ocsp.Superseded, revokedAt: now.Add(-2 * time.Hour), want: certstatus.StatusRevoked},
		{name: "revoked after signing, superseded", reason: ocsp.Superseded, revokedAt: now.Add(-30 * time.Minute), want: certstatus.StatusRevokedLater},
		{name: "revoked after signing, key compromise", reason: ocsp.KeyCompromise, revokedAt: now.Add(-30 * time.Minute), want: certstatus.StatusRevoked},
		{name: "suspended before signing", reason: ocsp.CertificateHold, revokedAt: now.Add(-2 * time.Hour), want: certstatus.StatusSuspended},
	}
	pki := certstatustest.NewPKI(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.revokedAt.IsZero() {
				pki.Revoke(pki.Leader.Cert, tc.reason, tc.revokedAt)
				t.Cleanup(func() { pki.Reinstate(pki.Leader.Cert) })
			}
			r := checkerFor(pki, ocspOnly).Check(bg, pki.Leader.Cert, pki.CA.Cert, signingTime)
			require.NoError(t, r.Err)
			assert.Equal(t, tc.want, r.Status)
			assert.Equal(t, certstatus.SourceOCSP, r.Source)
			assert.Equal(t, pki.OCSPURL, r.URL)
			assert.True(t, r.Responder.Equal(pki.OCSPSigner.Cert), "answered by the delegated responder")
			assert.False(t, r.ProducedAt.IsZero())
			require.Len(t, r.Raw, 1)
			if tc.want != certstatus.StatusGood {
				assert.Equal(t, certstatus.Reason(tc.reason), r.Reason)
				assert.True(t, r.RevokedAt.Equal(tc.revokedAt.Truncate(time.Second)))
			}
		})
	}
}

func TestOCSPFailuresEachHaveTheirOwnError(t *testing.T) {
	tests := []struct {
		name     string
		behavior certstatustest.OCSPBehavior
		modify   func(*certstatus.Options)
		want     error
	}{
		{"tryLater", certstatustest.OCSPTryLater, nil, certstatus.ErrTryLater},
		{"internal error", certstatustest.OCSPInternalError, nil, certstatus.ErrResponderError},
		{"malformed", certstatustest.OCSPMalformed, nil, certstatus.ErrMalformed},
		{"signed by an uncertified key", certstatustest.OCSPWrongKey, nil, certstatus.ErrWrongResponder},
		{"signed by a certificate without OCSPSigning", certstatustest.OCSPUnauthorized, nil, certstatus.ErrWrongResponder},
		{"stale", certstatustest.OCSPStale, nil, certstatus.ErrStale},
		{"from the future", certstatustest.OCSPFuture, nil, certstatus.ErrStale},
		{"responder ID names another key", certstatustest.OCSPWrongResponderID, nil, certstatus.ErrWrongResponder},
		{"bad nonce", certstatustest.OCSPBadNonce, nil, certstatus.ErrBadNonce},
		{"missing nonce when required", certstatustest.OCSPNoNonce, func(o *certstatus.Options) { o.RequireNonce = true }, certstatus.ErrBadNonce},
		{"unknown certificate", certstatustest.OCSPUnknown, nil, certstatus.ErrUnknownCertificate},
		{"oversized", certstatustest.OCSPOversized, nil, certstatus.ErrTooLarge},
		{"corrupted signature", certstatustest.OCSPBadSignature, nil, certstatus.ErrBadSignature},
	}
	pki := certstatustest.NewPKI(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pki.SetOCSP(tc.behavior)
			t.Cleanup(func() { pki.SetOCSP(certstatustest.OCSPNormal) })
			mods := []func(*certstatus.Options){ocspOnly}
			if tc.modify != nil {
				mods = append(mods, tc.modify)
			}
			ck := checkerFor(pki, mods...)
			r := ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
			assert.Equal(t, certstatus.StatusUnknown, r.Status)
			assert.Equal(t, certstatus.SourceNone, r.Source)
			require.ErrorIs(t, r.Err, tc.want)
			var re *certstatus.ResponseError
			require.ErrorAs(t, r.Err, &re)
			assert.Equal(t, certstatus.SourceOCSP, re.Source)

			_, err := ck.OCSPResponse(bg, pki.Leader.Cert, pki.CA.Cert)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestOCSPWithoutNonceAcceptedByDefault(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.SetOCSP(certstatustest.OCSPNoNonce)
	r := checkerFor(pki, ocspOnly).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusGood, r.Status)
}

func TestOCSPSlowAndUnreachableResponders(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.SetOCSPDelay(3 * time.Second)
	ck := checkerFor(pki, ocspOnly, func(o *certstatus.Options) { o.Timeout = 100 * time.Millisecond })
	r := ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	assert.ErrorIs(t, r.Err, certstatus.ErrUnreachable)
	assert.ErrorContains(t, r.Err, "no answer within 100ms", "the user learns it was the timeout")
	assert.Equal(t, 1, strings.Count(r.Err.Error(), pki.OCSPURL), "the URL is named once: %v", r.Err)

	// A port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := "http://" + ln.Addr().String() + "/ocsp"
	require.NoError(t, ln.Close())
	noAIA, err := pki.Issue("no-aia", pki.Leader.Cert)
	require.NoError(t, err)
	noAIA.Cert.OCSPServer = nil // the Checker's fallback responder is then used
	ck = checkerFor(pki, ocspOnly, func(o *certstatus.Options) { o.OCSPURL = dead })
	r = ck.Check(bg, noAIA.Cert, pki.CA.Cert, time.Time{})
	require.ErrorIs(t, r.Err, certstatus.ErrUnreachable)
	var fe *certstatus.FetchError
	require.ErrorAs(t, r.Err, &fe)
	assert.Equal(t, dead, fe.URL)

	ck = checkerFor(pki, ocspOnly)
	r = ck.Check(bg, noAIA.Cert, pki.CA.Cert, time.Time{})
	assert.ErrorIs(t, r.Err, certstatus.ErrNoRevocationSource)
}

func TestOCSPFallsBackToCRL(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.SetOCSP(certstatustest.OCSPTryLater)
	pki.Revoke(pki.Leader.Cert, ocsp.KeyCompromise, time.Now().Add(-time.Hour))
	r := checkerFor(pki).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusRevoked, r.Status)
	assert.Equal(t, certstatus.SourceCRL, r.Source)
	assert.Equal(t, pki.CRLURL, r.URL)
	require.Len(t, r.Failures, 1)
	assert.ErrorIs(t, r.Failures[0], certstatus.ErrTryLater)

	// CRLFirst asks the CRL and never the responder.
	before := pki.Hits("ocsp")
	r = checkerFor(pki, func(o *certstatus.Options) { o.Strategy = certstatus.CRLFirst }).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	assert.Equal(t, certstatus.SourceCRL, r.Source)
	assert.Equal(t, before, pki.Hits("ocsp"))
}

func TestOCSPVariants(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	t.Run("GET", func(t *testing.T) {
		r := checkerFor(pki, ocspOnly, func(o *certstatus.Options) { o.OCSPGet = true }).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
		require.NoError(t, r.Err)
		assert.Equal(t, certstatus.StatusGood, r.Status)
	})
	t.Run("no nonce in the request", func(t *testing.T) {
		r := checkerFor(pki, ocspOnly, func(o *certstatus.Options) { o.DisableNonce = true }).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
		require.NoError(t, r.Err)
	})
	t.Run("signed by the CA itself", func(t *testing.T) {
		pki.SetOCSPSignedByCA(true)
		defer pki.SetOCSPSignedByCA(false)
		r := checkerFor(pki, ocspOnly).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
		require.NoError(t, r.Err)
		assert.True(t, r.Responder.Equal(pki.CA.Cert))
	})
	t.Run("the CA certificate, answered by the root", func(t *testing.T) {
		r := checkerFor(pki, ocspOnly).Check(bg, pki.CA.Cert, pki.Root.Cert, time.Time{})
		require.NoError(t, r.Err)
		assert.Equal(t, certstatus.StatusGood, r.Status)
		assert.True(t, r.Responder.Equal(pki.Root.Cert))
	})
	t.Run("wrong issuer given", func(t *testing.T) {
		r := checkerFor(pki, ocspOnly).Check(bg, pki.Leader.Cert, pki.Root.Cert, time.Time{})
		assert.Equal(t, certstatus.StatusUnknown, r.Status)
		assert.Error(t, r.Err)
	})
}

func TestOCSPCacheAndSingleFlight(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.SetOCSPDelay(200 * time.Millisecond)
	ck := checkerFor(pki, ocspOnly)
	var wg sync.WaitGroup
	results := make([]certstatus.Result, 16)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
		}()
	}
	wg.Wait()
	for _, r := range results {
		require.NoError(t, r.Err)
		assert.Equal(t, certstatus.StatusGood, r.Status)
	}
	assert.Equal(t, 1, pki.Hits("ocsp"), "one request in flight per certificate")

	// Cached until nextUpdate, also for another time of interest.
	r := ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Now().Add(-time.Hour))
	require.NoError(t, r.Err)
	assert.Equal(t, 1, pki.Hits("ocsp"))

	// A disabled cache asks every time.
	nc := checkerFor(pki, ocspOnly, func(o *certstatus.Options) { o.OCSPCacheEntries = -1 })
	pki.SetOCSPDelay(0)
	nc.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	nc.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	assert.Equal(t, 3, pki.Hits("ocsp"))
}

func TestOCSPResponseForDSS(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ck := checkerFor(pki)
	der, err := ck.OCSPResponse(bg, pki.Leader.Cert, pki.CA.Cert)
	require.NoError(t, err)
	resp, err := ocsp.ParseResponseForCert(der, pki.Leader.Cert, pki.CA.Cert)
	require.NoError(t, err)
	assert.Equal(t, ocsp.Good, resp.Status)

	pki.Revoke(pki.Org.Cert, ocsp.CessationOfOperation, time.Time{})
	der, err = ck.OCSPResponse(bg, pki.Org.Cert, pki.CA.Cert)
	assert.ErrorIs(t, err, certstatus.ErrRevoked)
	assert.NotEmpty(t, der, "the evidence is returned with the error")
}

func TestCheckHonoursContext(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	// The responder would answer only after a minute; the check is cancelled once its
	// request is there (a fixed 100 ms against a 5 s delay depended on the machine's
	// load both ways).
	pki.SetOCSPDelay(time.Minute)
	ctx, cancel := contextWithCancel()
	defer cancel()
	defer ctxtest.ExpireWhen(func() bool { return pki.Hits("ocsp") > 0 }, cancel, time.Minute)()
	r := checkerFor(pki).Check(ctx, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	assert.Equal(t, certstatus.StatusUnknown, r.Status)
	assert.ErrorIs(t, r.Err, context.Canceled)
	assert.Len(t, r.Failures, 1, "a cancelled check does not go on to the CRL")
}

// A delegated responder must be certified by the issuer for OCSPSigning and be valid
// when it answers (RFC 6960 §4.2.2.2); an issuer answering itself must sign with its
// own key.
func TestOCSPResponderAuthorisation(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	expired, err := pki.Expire(pki.OCSPSigner)
	require.NoError(t, err)
	tests := []struct {
		name   string
		signer *certstatustest.Holder
		byCA   bool
		mode   certstatustest.OCSPBehavior
		want   error
		detail string
	}{
		{"expired delegated responder", expired, false, certstatustest.OCSPNormal, certstatus.ErrWrongResponder, "not valid when the response was produced"},
		{"delegated responder, corrupted signature", nil, false, certstatustest.OCSPBadSignature, certstatus.ErrBadSignature, "does not verify"},
		{"issuer itself, corrupted signature", nil, true, certstatustest.OCSPBadSignature, certstatus.ErrBadSignature, "does not verify"},
		{"issuer itself, responder ID of another key", nil, true, certstatustest.OCSPWrongResponderID, certstatus.ErrWrongResponder, "responder ID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pki.SetOCSPSigner(tc.signer)
			pki.SetOCSPSignedByCA(tc.byCA)
			pki.SetOCSP(tc.mode)
			t.Cleanup(func() {
				pki.SetOCSPSigner(nil)
				pki.SetOCSPSignedByCA(false)
				pki.SetOCSP(certstatustest.OCSPNormal)
			})
			r := checkerFor(pki, ocspOnly).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
			assert.Equal(t, certstatus.StatusUnknown, r.Status)
			require.ErrorIs(t, r.Err, tc.want)
			assert.Contains(t, r.Err.Error(), tc.detail)
		})
	}
	// The same responders answer correctly once the kit signs normally again.
	r := checkerFor(pki, ocspOnly).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.True(t, r.Responder.Equal(pki.OCSPSigner.Cert))
}

// A delegated responder without id-pkix-ocsp-nocheck is usable once its own status is
// established by other means (RFC 6960 §4.2.2.2.1): the CRL at its distribution point.
// Listed as revoked there, it is refused (ErrResponderRevoked); with no CRL to be had,
// its answer stands with a warning, unless RequireResponderStatus refuses it.
func TestOCSPDelegatedResponderWithoutNoCheck(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	noNoCheck, err := pki.Issue("ocsp-without-nocheck", &x509.Certificate{
		RawSubject:  certstatustest.Name(certstatustest.C("VN"), certstatustest.CN("OCSP thiếu nocheck")),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
	})
	require.NoError(t, err)
	strict := func(o *certstatus.Options) { o.RequireResponderStatus = true }
	for _, tc := range []struct {
		name      string
		setup     func()
		strict    bool
		want      error
		unchecked bool
	}{
		{name: "responder's CRL good"},
		{name: "responder's CRL good, strict", strict: true},
		{name: "responder revoked", setup: func() { pki.Revoke(noNoCheck.Cert, int(certstatus.ReasonSuperseded), time.Now().Add(-time.Hour)) },
			want: certstatus.ErrResponderRevoked},
		{name: "responder's CRL unreachable", setup: func() { pki.SetCRL(certstatustest.CRLNotFound) }, unchecked: true},
		{name: "responder's CRL unreachable, strict", setup: func() { pki.SetCRL(certstatustest.CRLNotFound) }, strict: true,
			want: certstatus.ErrWrongResponder},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pki.SetOCSPSigner(noNoCheck)
			t.Cleanup(func() {
				pki.SetOCSPSigner(nil)
				pki.SetCRL(certstatustest.CRLNormal)
				pki.Reinstate(noNoCheck.Cert)
			})
			if tc.setup != nil {
				tc.setup()
			}
			mods := []func(*certstatus.Options){ocspOnly, func(o *certstatus.Options) { o.OCSPCacheEntries, o.CRLCacheBytes = -1, -1 }}
			if tc.strict {
				mods = append(mods, strict)
			}
			r := checkerFor(pki, mods...).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
			if tc.want != nil {
				assert.Equal(t, certstatus.StatusUnknown, r.Status)
				require.ErrorIs(t, r.Err, tc.want)
				if tc.want == certstatus.ErrWrongResponder {
					assert.NotErrorIs(t, r.Err, certstatus.ErrResponderRevoked)
					assert.ErrorContains(t, r.Err, "lacks id-pkix-ocsp-nocheck")
				}
				return
			}
			require.NoError(t, r.Err)
			assert.Equal(t, certstatus.StatusGood, r.Status)
			assert.Equal(t, certstatus.SourceOCSP, r.Source)
			assert.True(t, r.Responder.Equal(noNoCheck.Cert))
			assert.Equal(t, tc.unchecked, r.ResponderUnchecked)
			if tc.unchecked {
				require.Len(t, r.Warnings, 1)
				assert.Contains(t, r.Warnings[0], "RFC 6960 §4.2.2.2.1")
				assert.Empty(t, r.ResponderEvidence)
			} else {
				assert.Empty(t, r.Warnings)
				require.Len(t, r.ResponderEvidence, 1, "the CA's CRL vouched for the responder")
				// Offline, the same response with that CRL reaches the same verdict.
				off := checkerFor(pki, mods...).CheckOffline(pki.Leader.Cert, pki.CA.Cert, time.Time{}, r.Raw, r.ResponderEvidence)
				require.NoError(t, off.Err)
				assert.Equal(t, certstatus.SourceOCSP, off.Source)
				assert.False(t, off.ResponderUnchecked)
			}
		})
	}
}

// thisUpdate a little ahead of our clock is tolerated within ClockSkew, and not
// beyond it.
func TestOCSPClockSkewTolerance(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	behind := func(o *certstatus.Options) { o.Now = func() time.Time { return time.Now().Add(-3 * time.Minute) } }
	r := checkerFor(pki, ocspOnly, behind).Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err, "3 minutes of skew, 5 tolerated by default")
	assert.Equal(t, certstatus.StatusGood, r.Status)

	r = checkerFor(pki, ocspOnly, behind, func(o *certstatus.Options) { o.ClockSkew = time.Minute }).
		Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.ErrorIs(t, r.Err, certstatus.ErrStale)
	assert.ErrorContains(t, r.Err, "in the future")
}

// A cached response serves until its nextUpdate (a day in the kit); after that the
// responder is asked again.
func TestOCSPCacheExpiresAtNextUpdate(t *testing.T) {
	clock := &fakeClock{now: time.Now().Truncate(time.Second)}
	pki := certstatustest.NewPKIWith(t, certstatustest.Options{Now: clock.Now})
	ck := checkerFor(pki, ocspOnly, func(o *certstatus.Options) { o.Now = clock.Now })
	first := ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, first.Err)
	require.Equal(t, 1, pki.Hits("ocsp"))
	assert.True(t, first.NextUpdate.Equal(first.ThisUpdate.Add(24*time.Hour)))

	clock.Advance(23 * time.Hour)
	r := ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, 1, pki.Hits("ocsp"), "still before nextUpdate: from the cache")
	assert.True(t, r.ThisUpdate.Equal(first.ThisUpdate))

	clock.Advance(2 * time.Hour)
	r = ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, 2, pki.Hits("ocsp"), "after nextUpdate: asked again")
	assert.True(t, r.ThisUpdate.After(first.ThisUpdate))
}

// Suspend puts a certificate on hold now; Reinstate lifts it.
func TestOCSPSuspendAndReinstate(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.Suspend(pki.Clerk.Cert)
	nocache := func(o *certstatus.Options) { o.OCSPCacheEntries = -1 }
	r := checkerFor(pki, ocspOnly, nocache).Check(bg, pki.Clerk.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusSuspended, r.Status)
	assert.Equal(t, certstatus.ReasonCertificateHold, r.Reason)
	assert.False(t, r.Status.ValidAt())

	r = checkerFor(pki, ocspOnly, nocache).Check(bg, pki.Clerk.Cert, pki.CA.Cert, time.Now().Add(-time.Hour))
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusRevokedLater, r.Status, "put on hold after the time of interest")

	pki.Reinstate(pki.Clerk.Cert)
	r = checkerFor(pki, ocspOnly, nocache).Check(bg, pki.Clerk.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusGood, r.Status)
}

// recordingTransport answers every request with an error after noting its URL: no
// request leaves the machine.
type recordingTransport struct {
	mu   sync.Mutex
	urls []string
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.urls = append(rt.urls, r.URL.String())
	rt.mu.Unlock()
	return nil, errors.New("no network in tests")
}

// A certificate of the VGCA hierarchy that names no responder is asked at
// DefaultOCSPURL; one of another hierarchy is not, and Options.OCSPURL overrides both.
func TestOCSPDefaultResponderForTheVGCAHierarchy(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	noAIA := *pki.CA.Cert // any certificate; only its issuer matters here
	noAIA.OCSPServer = nil
	tests := []struct {
		name    string
		issuer  *x509.Certificate
		ocspURL string
		want    []string
	}{
		{"issued by the VGCA root", certstatus.VGCARootG2(), "", []string{certstatus.DefaultOCSPURL}},
		{"issued by another CA", pki.Root.Cert, "", nil},
		{"configured responder", certstatus.VGCARootG2(), "http://127.0.0.1:1/ocsp", []string{"http://127.0.0.1:1/ocsp"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt := &recordingTransport{}
			ck := checkerFor(pki, ocspOnly, func(o *certstatus.Options) {
				o.HTTPClient = &http.Client{Transport: rt}
				o.OCSPURL = tc.ocspURL
			})
			r := ck.Check(bg, &noAIA, tc.issuer, time.Time{})
			assert.Equal(t, certstatus.StatusUnknown, r.Status)
			assert.Equal(t, tc.want, rt.urls)
			if tc.want == nil {
				assert.ErrorIs(t, r.Err, certstatus.ErrNoRevocationSource)
			} else {
				assert.ErrorIs(t, r.Err, certstatus.ErrUnreachable)
			}
		})
	}
}

// A responder answering about another certificate gets an exported, actionable error.
func TestOCSPAnswerAboutAnotherCertificate(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	orgOCSP, err := checkerFor(pki).OCSPResponse(bg, pki.Org.Cert, pki.CA.Cert)
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/ocsp-response")
		w.Write(orgOCSP)
	}))
	t.Cleanup(srv.Close)
	leader := *pki.Leader.Cert
	leader.OCSPServer = []string{srv.URL}
	r := checkerFor(pki, ocspOnly).Check(bg, &leader, pki.CA.Cert, time.Time{})
	assert.Equal(t, certstatus.StatusUnknown, r.Status)
	require.ErrorIs(t, r.Err, certstatus.ErrMalformed)
	assert.ErrorContains(t, r.Err, "another certificate")
	assert.ErrorContains(t, r.Err, srv.URL)
}
