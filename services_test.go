package kyso_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// TestServicesLevels: the services of the test PKI raise a signature to B-LTA and
// renew it; the document then verifies offline with the trust anchors alone.
func TestServicesLevels(t *testing.T) {
	pki := sharedPKI(t)
	ctx := context.Background()
	svc := &kyso.Services{TSAURL: pki.TSAURL, Trust: certstatus.NewTrustStore(pki.Root.Cert)}
	assert.Nil(t, svc.Level(signature.LevelBB))
	assert.Nil(t, svc.Level(""))

	doc, err := sign(t, signaturetest.SamplePDF(), signer(pki.Leader), &kyso.SignOptions{Signature: signature.SignOptions{Level: svc.Level(signature.LevelBLTA)}})
	require.NoError(t, err)
	offline := &kyso.VerifyOptions{Trust: svc.Trust, Offline: true}
	rep := verify(t, doc, offline)
	require.Len(t, rep.Signatures, 2, "the signature and the document time-stamp")
	assert.Equal(t, signature.LevelBLTA, rep.Signatures[0].Level)
	for _, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "%s: %s", s.Field, s.SubIndication)
	}

	var renewed bytes.Buffer
	_, err = signature.Extend(ctx, &renewed, bytes.NewReader(doc), int64(len(doc)), svc.Extend(true))
	require.NoError(t, err)
	rep = verify(t, renewed.Bytes(), offline)
	require.Len(t, rep.Signatures, 3, "a new document time-stamp")
	for _, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "%s: %s", s.Field, s.SubIndication)
	}

	ext := svc.Extend(false)
	assert.Nil(t, ext.Timestamper)
	assert.True(t, ext.NoDocTimestamp)
	assert.Equal(t, []string{pki.Root.Cert.Subject.CommonName}, []string{ext.Certificates[0].Subject.CommonName})
	assert.Equal(t, pki.TSAURL, svc.Timestamper().URL)
}
