package evidence_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"

	"github.com/kyso-go/kyso/internal/evidence"
)

type miniCA struct {
	ca, leader *x509.Certificate
	key        crypto.Signer
}

func newMiniCA(t *testing.T) *miniCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "CA Test"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	ca, _ := x509.ParseCertificate(der)
	lkey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err = x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "Nguyễn Văn A"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}, ca, lkey.Public(), key)
	require.NoError(t, err)
	leader, _ := x509.ParseCertificate(der)
	return &miniCA{ca: ca, leader: leader, key: key}
}

func (m *miniCA) ocsp(t *testing.T, status int, revokedAt time.Time, reason int, thisUpdate time.Time) []byte {
	t.Helper()
	der, err := ocsp.CreateResponse(m.ca, m.ca, ocsp.Response{Status: status, SerialNumber: m.leader.SerialNumber,
		ThisUpdate: thisUpdate, NextUpdate: thisUpdate.Add(24 * time.Hour), RevokedAt: revokedAt, RevocationReason: reason}, m.key)
	require.NoError(t, err)
	return der
}

func (m *miniCA) crl(t *testing.T, revokedAt time.Time, reason int, thisUpdate time.Time) []byte {
	t.Helper()
	tmpl := &x509.RevocationList{Number: big.NewInt(thisUpdate.Unix()), ThisUpdate: thisUpdate, NextUpdate: thisUpdate.Add(24 * time.Hour)}
	if !revokedAt.IsZero() {
		tmpl.RevokedCertificateEntries = []x509.RevocationListEntry{{SerialNumber: m.leader.SerialNumber, RevocationTime: revokedAt, ReasonCode: reason}}
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, m.ca, m.key)
	require.NoError(t, err)
	return der
}

// Offline judgement: a revocation in any source wins over a "good" from another, an
// answer too old to vouch for the time of interest still proves a permanent
// revocation it lists, and an old answer proves nothing else.
func TestOfflineDecision(t *testing.T) {
	m := newMiniCA(t)
	now := time.Now().Truncate(time.Second)
	order := []evidence.Source{evidence.SourceOCSP, evidence.SourceCRL}
	var e evidence.Evaluator
	for _, c := range []struct {
		name        string
		at          time.Time
		ocsps, crls [][]byte
		want        evidence.Status
		source      evidence.Source
	}{
		{"fresh good OCSP", now, [][]byte{m.ocsp(t, ocsp.Good, time.Time{}, 0, now)}, nil, evidence.StatusGood, evidence.SourceOCSP},
		{"good OCSP, CRL lists the revocation", now,
			[][]byte{m.ocsp(t, ocsp.Good, time.Time{}, 0, now)}, [][]byte{m.crl(t, now.Add(-time.Hour), ocsp.Superseded, now)},
			evidence.StatusRevoked, evidence.SourceCRL},
		{"stale CRL still proves an earlier revocation", now.AddDate(0, 0, 10),
			nil, [][]byte{m.crl(t, now.Add(-time.Hour), ocsp.Superseded, now)}, evidence.StatusRevoked, evidence.SourceCRL},
		{"stale OCSP still proves an earlier revocation", now.AddDate(0, 0, 10),
			[][]byte{m.ocsp(t, ocsp.Revoked, now.Add(-time.Hour), ocsp.KeyCompromise, now)}, nil, evidence.StatusRevoked, evidence.SourceOCSP},
		{"stale hold proves nothing", now.AddDate(0, 0, 10),
			nil, [][]byte{m.crl(t, now.Add(-time.Hour), ocsp.CertificateHold, now)}, evidence.StatusUnknown, evidence.SourceNone},
		{"stale good proves nothing", now.AddDate(0, 0, 10),
			[][]byte{m.ocsp(t, ocsp.Good, time.Time{}, 0, now)}, nil, evidence.StatusUnknown, evidence.SourceNone},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.Offline(m.leader, m.ca, c.at, order, c.ocsps, c.crls)
			assert.Equal(t, c.want, r.Status, "%v", r.Err)
			assert.Equal(t, c.source, r.Source)
			if c.want == evidence.StatusUnknown {
				assert.ErrorIs(t, r.Err, evidence.ErrStale)
				assert.Equal(t, "REVOCATION_OUT_OF_BOUNDS_NO_POE", evidence.SubIndication(r.Err))
			}
		})
	}
}
