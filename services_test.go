package kyso_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/openssltest"
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

// TestServicesWithOpenSSLTSA: the everyday vendor path (Services with a TSA URL and
// the trust anchors, nothing else) against a time-stamping authority kyso did not
// write — "openssl ts -reply" configured without its chain, so that its tokens carry
// the TSA certificate alone. The document reaches B-LTA and verifies offline: the
// TSA's chain is complete because the client added the issuing CA to the tokens.
func TestServicesWithOpenSSLTSA(t *testing.T) {
	openssltest.Tool(t, "openssl")
	pki := sharedPKI(t)
	tsaKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	eku, _ := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	tsa, err := pki.IssueWithKey("tsa-openssl", &x509.Certificate{
		RawSubject:      certstatustest.Name(certstatustest.C("VN"), certstatustest.CN("TSA OpenSSL (services)")),
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}},
	}, tsaKey.Public(), tsaKey)
	require.NoError(t, err)
	url := openssltest.StartTSA(t, openssltest.TSAConfig{NoChain: true, Accuracy: true}, tsa.Cert, tsaKey)

	svc := &kyso.Services{TSAURL: url, Trust: certstatus.NewTrustStore(pki.Root.Cert)}
	doc, err := sign(t, signaturetest.SamplePDF(), signer(pki.Leader), &kyso.SignOptions{Signature: signature.SignOptions{Level: svc.Level(signature.LevelBLTA)}})
	require.NoError(t, err)
	rep := verify(t, doc, &kyso.VerifyOptions{Trust: svc.Trust, Offline: true})
	require.Len(t, rep.Signatures, 2)
	assert.Equal(t, signature.LevelBLTA, rep.Signatures[0].Level)
	for _, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "%s: %s", s.Field, s.SubIndication)
	}
}
