package evidence_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"

	"github.com/kyso-go/kyso/internal/evidence"
)

// delegated issues, under m's CA, a delegated OCSP responder certificate (OCSPSigning
// EKU) with or without id-pkix-ocsp-nocheck, and returns a function producing
// responses about m's leader signed by it.
func (m *miniCA) delegated(t *testing.T, serial int64, noCheck bool) (*x509.Certificate, func(producedAt time.Time) []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "OCSP Test"},
		NotBefore: now.Add(-2 * time.Hour), NotAfter: now.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}}
	if noCheck {
		tmpl.ExtraExtensions = []pkix.Extension{{Id: evidence.OIDOCSPNoCheck, Value: asn1.NullBytes}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, m.ca, key.Public(), m.key)
	require.NoError(t, err)
	rc, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return rc, func(producedAt time.Time) []byte {
		der, err := ocsp.CreateResponse(m.ca, rc, ocsp.Response{Status: ocsp.Good, SerialNumber: m.leader.SerialNumber,
			ThisUpdate: producedAt, NextUpdate: producedAt.Add(24 * time.Hour), ProducedAt: producedAt, Certificate: rc}, key)
		require.NoError(t, err)
		return der
	}
}

// crlListing is a CRL of m's CA listing serial as revoked at revokedAt for reason
// (nothing when revokedAt is zero).
func (m *miniCA) crlListing(t *testing.T, serial *big.Int, revokedAt time.Time, reason int, thisUpdate time.Time) []byte {
	t.Helper()
	tmpl := &x509.RevocationList{Number: big.NewInt(thisUpdate.UnixNano()), ThisUpdate: thisUpdate, NextUpdate: thisUpdate.Add(24 * time.Hour)}
	if !revokedAt.IsZero() {
		tmpl.RevokedCertificateEntries = []x509.RevocationListEntry{{SerialNumber: serial, RevocationTime: revokedAt, ReasonCode: reason}}
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, m.ca, m.key)
	require.NoError(t, err)
	return der
}

// A delegated responder without id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1) is usable
// when a CRL shows it good when it answered; refused when the CRL shows it revoked
// then (or ever, for a key compromise); accepted with a warning when nothing says,
// unless RequireResponderStatus asks for its status.
func TestDelegatedResponderStatus(t *testing.T) {
	m := newMiniCA(t)
	now := time.Now().Truncate(time.Second)
	withNoCheck, respNoCheck := m.delegated(t, 100, true)
	without, resp := m.delegated(t, 101, false)
	ocspOnly := []evidence.Source{evidence.SourceOCSP}
	for _, c := range []struct {
		name      string
		responder *x509.Certificate
		der       []byte
		crls      [][]byte
		strict    bool
		want      error // nil: StatusGood
		unchecked bool
	}{
		{name: "nocheck", responder: withNoCheck, der: respNoCheck(now)},
		{name: "nocheck, strict, no CRL", responder: withNoCheck, der: respNoCheck(now), strict: true},
		{name: "no nocheck, responder's CRL good", responder: without, der: resp(now),
			crls: [][]byte{m.crlListing(t, big.NewInt(999), now.Add(-time.Hour), ocsp.KeyCompromise, now.Add(-time.Minute))}},
		{name: "no nocheck, responder revoked before producedAt", responder: without, der: resp(now),
			crls: [][]byte{m.crlListing(t, without.SerialNumber, now.Add(-time.Hour), ocsp.Superseded, now.Add(-time.Minute))},
			want: evidence.ErrResponderRevoked},
		// ocsp.CreateResponse sets producedAt to now (to the minute).
		{name: "no nocheck, responder revoked later, not for a compromise", responder: without, der: resp(now),
			crls: [][]byte{m.crlListing(t, without.SerialNumber, now.Add(2*time.Minute), ocsp.Superseded, now)}},
		{name: "no nocheck, responder's key compromised later", responder: without, der: resp(now),
			crls: [][]byte{m.crlListing(t, without.SerialNumber, now.Add(2*time.Minute), ocsp.KeyCompromise, now)},
			want: evidence.ErrResponderRevoked},
		{name: "no nocheck, responder on hold", responder: without, der: resp(now),
			crls: [][]byte{m.crlListing(t, without.SerialNumber, now.Add(-time.Hour), ocsp.CertificateHold, now.Add(-time.Minute))},
			want: evidence.ErrResponderRevoked},
		{name: "no nocheck, status unknown", responder: without, der: resp(now), unchecked: true},
		{name: "no nocheck, status unknown, strict", responder: without, der: resp(now), strict: true, want: evidence.ErrWrongResponder},
		{name: "no nocheck, only a stale CRL, strict", responder: without, der: resp(now), strict: true,
			crls: [][]byte{m.crlListing(t, big.NewInt(999), now.Add(-72*time.Hour), 0, now.Add(-48*time.Hour))}, want: evidence.ErrWrongResponder},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := evidence.Evaluator{RequireResponderStatus: c.strict}
			r := e.Offline(m.leader, m.ca, now, ocspOnly, [][]byte{c.der}, c.crls)
			if c.want != nil {
				assert.Equal(t, evidence.StatusUnknown, r.Status)
				require.ErrorIs(t, r.Err, c.want)
				if c.want == evidence.ErrWrongResponder {
					assert.NotErrorIs(t, r.Err, evidence.ErrResponderRevoked)
					assert.ErrorContains(t, r.Err, "lacks id-pkix-ocsp-nocheck")
				} else {
					assert.ErrorContains(t, r.Err, `responder certificate "OCSP Test"`)
					assert.NotErrorIs(t, r.Err, evidence.ErrRevoked, "the certificate asked about is not revoked")
				}
				return
			}
			require.NoError(t, r.Err)
			assert.Equal(t, evidence.StatusGood, r.Status)
			assert.True(t, r.Responder.Equal(c.responder))
			assert.Equal(t, c.unchecked, r.ResponderUnchecked)
			if c.unchecked {
				require.Len(t, r.Warnings, 1)
				assert.Contains(t, r.Warnings[0], "RFC 6960 §4.2.2.2.1")
				assert.Contains(t, r.Warnings[0], "không kiểm tra được")
				assert.Contains(t, r.Warnings[0], "could not be checked")
				assert.Empty(t, r.ResponderEvidence)
			} else {
				assert.Empty(t, r.Warnings)
			}
			if !c.unchecked && c.responder == without {
				assert.Equal(t, c.crls[:1], r.ResponderEvidence, "the CRL that vouched for the responder")
			}
		})
	}
}

// The online hook (Evaluator.ResponderStatus) is what establishes the status when set;
// it is asked about the responder at the response's producedAt, never about the
// certificate the response is about.
func TestDelegatedResponderStatusHook(t *testing.T) {
	m := newMiniCA(t)
	produced := time.Now().Add(-10 * time.Minute).Truncate(time.Second)
	without, resp := m.delegated(t, 101, false)
	var asked []*x509.Certificate
	var askedAt time.Time
	crl := m.crlListing(t, big.NewInt(999), produced.Add(-time.Hour), 0, produced.Add(-time.Minute))
	e := evidence.Evaluator{ResponderStatus: func(rc, issuer *x509.Certificate, at time.Time) evidence.Result {
		asked, askedAt = append(asked, rc), at
		return evidence.Result{Status: evidence.StatusGood, Source: evidence.SourceCRL, Raw: [][]byte{crl}}
	}}
	r, err := e.OCSP(resp(produced), "http://127.0.0.1/ocsp", m.leader, m.ca, time.Now(), nil, true)
	require.NoError(t, err)
	assert.Equal(t, evidence.StatusGood, r.Status)
	require.Len(t, asked, 1)
	assert.True(t, asked[0].Equal(without))
	assert.WithinDuration(t, time.Now().Truncate(time.Minute), askedAt, time.Minute, "the response's producedAt")
	assert.False(t, r.ResponderUnchecked)
	assert.Equal(t, [][]byte{crl}, r.ResponderEvidence)

	e.ResponderStatus = func(rc, issuer *x509.Certificate, at time.Time) evidence.Result {
		return evidence.Result{Status: evidence.StatusRevoked, Source: evidence.SourceCRL, RevokedAt: at.Add(-time.Hour), Reason: evidence.ReasonKeyCompromise}
	}
	_, err = e.OCSP(resp(produced), "http://127.0.0.1/ocsp", m.leader, m.ca, time.Now(), nil, true)
	var re *evidence.ResponseError
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, evidence.ErrResponderRevoked)
	assert.Equal(t, evidence.ErrResponderRevoked, re.Reason)
	assert.Contains(t, err.Error(), "keyCompromise")
}

// A delegated responder without id-pkix-ocsp-nocheck cannot vouch for itself: its
// answer about its own certificate is refused unless a CRL establishes its status (and
// then the CRL is what counts).
func TestDelegatedResponderAboutItself(t *testing.T) {
	m := newMiniCA(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(102), Subject: pkix.Name{CommonName: "OCSP Self"},
		NotBefore: now.Add(-2 * time.Hour), NotAfter: now.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}}, m.ca, key.Public(), m.key)
	require.NoError(t, err)
	rc, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	resp, err := ocsp.CreateResponse(m.ca, rc, ocsp.Response{Status: ocsp.Good, SerialNumber: rc.SerialNumber,
		ThisUpdate: now, NextUpdate: now.Add(24 * time.Hour), Certificate: rc}, key)
	require.NoError(t, err)
	var e evidence.Evaluator
	ocspOnly := []evidence.Source{evidence.SourceOCSP}
	r := e.Offline(rc, m.ca, now, ocspOnly, [][]byte{resp}, nil)
	assert.Equal(t, evidence.StatusUnknown, r.Status)
	assert.ErrorIs(t, r.Err, evidence.ErrWrongResponder)
	assert.ErrorContains(t, r.Err, "answers about itself")

	crl := m.crlListing(t, big.NewInt(999), now.Add(-time.Hour), 0, now.Add(-time.Minute))
	r = e.Offline(rc, m.ca, now, ocspOnly, [][]byte{resp}, [][]byte{crl})
	require.NoError(t, r.Err)
	assert.Equal(t, evidence.StatusGood, r.Status)
	assert.False(t, r.ResponderUnchecked)
}

// DelegatedResponderWithoutNoCheck names the responder whose status a client should
// fetch before evaluating: a delegated responder of the issuer without nocheck; not
// one with nocheck, not the issuer itself, not another CA's, not an oversized or
// unreadable response.
func TestDelegatedResponderWithoutNoCheck(t *testing.T) {
	m := newMiniCA(t)
	now := time.Now()
	without, resp := m.delegated(t, 101, false)
	_, respNoCheck := m.delegated(t, 100, true)
	byCA := m.ocsp(t, ocsp.Good, time.Time{}, 0, now)
	rc := evidence.DelegatedResponderWithoutNoCheck(resp(now), m.ca, 1<<20)
	require.NotNil(t, rc)
	assert.True(t, rc.Equal(without))
	assert.Nil(t, evidence.DelegatedResponderWithoutNoCheck(respNoCheck(now), m.ca, 1<<20), "nocheck")
	assert.Nil(t, evidence.DelegatedResponderWithoutNoCheck(byCA, m.ca, 1<<20), "signed by the issuer")
	assert.Nil(t, evidence.DelegatedResponderWithoutNoCheck(resp(now), m.leader, 1<<20), "issued by another name")
	assert.Nil(t, evidence.DelegatedResponderWithoutNoCheck(resp(now), m.ca, 10), "over the size limit")
	assert.Nil(t, evidence.DelegatedResponderWithoutNoCheck([]byte("not OCSP"), m.ca, 1<<20), "unreadable")
	assert.Nil(t, evidence.DelegatedResponderWithoutNoCheck(resp(now), nil, 1<<20), "no issuer")
}
