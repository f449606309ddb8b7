package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// B-LT/B-LTA signing does not refuse because the revocation data of ANOTHER signer
// already in the document cannot be fetched (its hierarchy's responders are down): it
// adds what can be had, says what could not, and keeps the new signer's own data
// mandatory.
func TestLevelsOtherSignersRevocationUnavailable(t *testing.T) {
	other := certstatustest.NewPKIWith(t, certstatustest.Options{ECDSA: true})
	own := certstatustest.NewPKIWith(t, certstatustest.Options{ECDSA: true})
	checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(other.Root.Cert, own.Root.Cert),
		OCSPCacheEntries: -1, CRLCacheBytes: -1, Timeout: serviceTimeout})
	tsa := &certstatus.TSAClient{URL: own.TSAURL, Checker: checker, Timeout: serviceTimeout}
	ctx := context.Background()
	sign := func(in []byte, h *certstatustest.Holder, lo *signature.LevelOptions) ([]byte, *signature.SignResult, error) {
		var out bytes.Buffer
		res, err := signature.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), h.Key, h.Chain, &signature.SignOptions{Level: lo})
		return out.Bytes(), res, err
	}
	first, _, err := sign(pdftest.Classic(), other.Leader, nil)
	require.NoError(t, err)

	// The first signer's hierarchy is unreachable now.
	other.SetOCSP(certstatustest.OCSPInternalError)
	other.SetCRL(certstatustest.CRLNotFound)
	lo := &signature.LevelOptions{Target: signature.LevelBLTA, Timestamper: tsa, Revocation: checker,
		Certificates: []*x509.Certificate{other.Root.Cert, own.Root.Cert}}
	out, res, err := sign(first, own.Leader, lo)
	require.NoError(t, err, "another signer's missing data must not stop this signature")
	require.NotNil(t, res.Level)
	assert.Equal(t, signature.LevelBLTA, res.Level.Level, "%v", res.Level.Warnings)
	assert.Empty(t, res.Level.Missing, "nothing of this signature's own is missing")
	require.NotNil(t, res.Level.Validation)
	var missing []*x509.Certificate
	for _, m := range res.Level.Validation.Missing {
		missing = append(missing, m.Certificate)
		assert.True(t, bytes.Equal(m.Certificate.RawIssuer, other.CA.Cert.RawSubject) || bytes.Equal(m.Certificate.RawIssuer, other.Root.Cert.RawSubject),
			"only the other hierarchy's certificates may be missing: %s", m)
	}
	assert.Contains(t, missing, other.Leader.Cert, "what could not be had is said")
	assert.Contains(t, res.Level.Warnings[0], "other signatures")
	assert.Positive(t, res.Level.Validation.OCSPs+res.Level.Validation.CRLs, "what could be had is added")

	rep, err := signature.Verify(ctx, bytes.NewReader(out), int64(len(out)), &signature.VerifyOptions{
		Validator: checker, Offline: true, AllowMissingRevocation: true})
	require.NoError(t, err)
	require.Len(t, rep.Signatures, 3)
	s := rep.Signatures[1]
	assert.Equal(t, signature.TotalPassed, s.Indication, "%s %+v", s.SubIndication, s.Checks)
	assert.Equal(t, signature.LevelBLTA, s.Level)
	rc, ok := s.Check(signature.CheckRevocation)
	require.True(t, ok)
	assert.Equal(t, signature.CheckPassed, rc.Result, "the new signature's own data is in the DSS")

	// The new signer's own data stays mandatory.
	own.SetOCSP(certstatustest.OCSPInternalError)
	own.SetCRL(certstatustest.CRLNotFound)
	_, _, err = sign(first, own.Leader, lo)
	var re *signature.RevocationError
	require.True(t, errors.As(err, &re), "%v", err)
	var ownMissing []*x509.Certificate
	for _, m := range re.Missing {
		ownMissing = append(ownMissing, m.Certificate)
	}
	assert.Contains(t, ownMissing, own.Leader.Cert)
	assert.NotContains(t, ownMissing, other.Leader.Cert, "the error names what this signature lacks")
}
