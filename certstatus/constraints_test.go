package certstatus_test

import (
	"crypto/rand"
	"crypto/x509"
	"math/big"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sign makes a certificate for the key of subject, signed by parent, outside the kit.
func sign(t *testing.T, tmpl *x509.Certificate, subject, parent *certstatustest.Holder) *x509.Certificate {
	t.Helper()
	tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent.Cert, subject.Cert.PublicKey, parent.Key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c
}

func TestVerifyCertificateBasicConstraintsAndNames(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ck := checkerFor(pki, func(o *certstatus.Options) { o.DisableAIA = true })

	// The issuing CA has path length 0: a CA below it may not issue.
	subCA := sign(t, &x509.Certificate{RawSubject: certstatustest.Name(certstatustest.CN("CA cấp dưới trái phép")),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}, pki.Deputy, pki.CA)
	subCAHolder := &certstatustest.Holder{Cert: subCA, Key: pki.Deputy.Key}
	leaf := sign(t, &x509.Certificate{RawSubject: certstatustest.Name(certstatustest.CN("Người dùng")),
		KeyUsage: x509.KeyUsageDigitalSignature}, pki.Clerk, subCAHolder)
	_, err := ck.VerifyCertificate(bg, leaf, certstatus.VerifyOptions{Intermediates: []*x509.Certificate{subCA, pki.CA.Cert}})
	assert.ErrorIs(t, err, certstatus.ErrBasicConstraints)

	// An end-entity certificate cannot act as an issuer.
	byLeader := sign(t, &x509.Certificate{RawSubject: certstatustest.Name(certstatustest.CN("Do cá nhân cấp"))}, pki.Clerk, pki.Leader)
	_, err = ck.VerifyCertificate(bg, byLeader, certstatus.VerifyOptions{Intermediates: []*x509.Certificate{pki.Leader.Cert, pki.CA.Cert}})
	assert.ErrorIs(t, err, certstatus.ErrBasicConstraints)

	// Name chaining: the issuer name must be the CA's subject, whatever key signed it.
	renamed := &certstatustest.Holder{Cert: &x509.Certificate{}, Key: pki.CA.Key}
	*renamed.Cert = *pki.CA.Cert
	renamed.Cert.RawSubject = certstatustest.Name(certstatustest.CN("Một CA khác"))
	renamed.Cert.Subject.CommonName = "Một CA khác"
	misnamed := sign(t, &x509.Certificate{RawSubject: certstatustest.Name(certstatustest.CN("Tên không khớp"))}, pki.Clerk, renamed)
	_, err = ck.VerifyCertificate(bg, misnamed, certstatus.VerifyOptions{Intermediates: []*x509.Certificate{pki.CA.Cert}})
	assert.ErrorIs(t, err, certstatus.ErrNoChain)
}

// crypto/x509 verifies no SHA-1 signature at all; the policy refuses SHA-1 only after
// its sunset. A SHA-1 certificate issued after the sunset is a weak algorithm; one
// issued before cannot be validated here, and the error says so rather than "no
// chain".
func TestVerifyCertificateSHA1Signatures(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ck := checkerFor(pki, func(o *certstatus.Options) { o.DisableAIA = true })
	sha1Cert := func(notBefore time.Time) *x509.Certificate {
		tmpl := &x509.Certificate{
			SerialNumber:       big.NewInt(notBefore.Unix()),
			RawSubject:         certstatustest.Name(certstatustest.C("VN"), certstatustest.CN("Chứng thư SHA-1")),
			NotBefore:          notBefore,
			NotAfter:           time.Now().AddDate(1, 0, 0),
			KeyUsage:           x509.KeyUsageDigitalSignature,
			SignatureAlgorithm: x509.SHA1WithRSA,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, pki.CA.Cert, pki.Clerk.Cert.PublicKey, pki.CA.Key)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return c
	}
	inter := []*x509.Certificate{pki.CA.Cert}

	_, err := ck.VerifyCertificate(bg, sha1Cert(time.Now().Add(-time.Hour)), certstatus.VerifyOptions{Intermediates: inter})
	require.ErrorIs(t, err, certstatus.ErrWeakAlgorithm)
	assert.Equal(t, "CRYPTO_CONSTRAINTS_FAILURE", certstatus.SubIndication(err))
	assert.ErrorContains(t, err, "SHA1-RSA")

	_, err = ck.VerifyCertificate(bg, sha1Cert(certstatus.DefaultSHA1Sunset.AddDate(-2, 0, 0)), certstatus.VerifyOptions{Intermediates: inter})
	require.ErrorIs(t, err, certstatus.ErrUnsupported)
	assert.ErrorContains(t, err, "before the SHA-1 sunset")
}
