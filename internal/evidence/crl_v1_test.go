package evidence_test

import (
	"bytes"
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/evidence"
	"github.com/kyso-go/kyso/internal/openssltest"
)

// TestVersion1CRL: "openssl ca -gencrl" without CRL extensions writes a version 1
// CRL (no version field), which crypto/x509 refuses. Such a CRL is legal (RFC 5280
// §5.1.2.1) and must be read, its signature checked over the bytes as given, and its
// entries believed; the same CRL with one byte changed must not be.
func TestVersion1CRL(t *testing.T) {
	m := newMiniCA(t)
	now := time.Now().Truncate(time.Second)
	revokedAt := now.Add(-time.Hour)
	ca := openssltest.NewCA(t, m.ca, m.key)
	ca.CRLNumber, ca.AKI = false, false
	ca.Add(m.leader, revokedAt, "")
	der := ca.GenCRL(t)
	_, err := x509.ParseRevocationList(der)
	require.Error(t, err, "crypto/x509 refuses version 1 CRLs")

	crl, err := evidence.ParseCRL(der, m.ca)
	require.NoError(t, err)
	assert.Nil(t, crl.Number)
	assert.Equal(t, der, crl.Raw)
	var e evidence.Evaluator
	r := e.Offline(m.leader, m.ca, now, []evidence.Source{evidence.SourceCRL}, nil, [][]byte{der})
	assert.Equal(t, evidence.StatusRevoked, r.Status, "%v", r.Err)
	assert.True(t, r.RevokedAt.Equal(revokedAt), "revoked at %v, want %v", r.RevokedAt, revokedAt)

	bad := bytes.Clone(der)
	bad[len(bad)-5] ^= 0x01 // inside the signature value
	_, err = evidence.ParseCRL(bad, m.ca)
	assert.ErrorIs(t, err, evidence.ErrWrongResponder)

	other := newMiniCA(t)
	_, err = evidence.ParseCRL(der, other.ca)
	assert.Error(t, err)

	// A v2 CRL from the same issuer still goes through crypto/x509 as it is.
	ca.CRLNumber, ca.AKI = true, true
	v2, err := evidence.ParseCRL(ca.GenCRL(t), m.ca)
	require.NoError(t, err)
	assert.NotNil(t, v2.Number)
}
