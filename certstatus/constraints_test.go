package certstatus_test

import (
	"crypto"
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
	// A random serial: two certificates made in the same clock tick (a coarse clock
	// on a virtual machine) would share a time-based one.
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	require.NoError(t, err)
	tmpl.SerialNumber = serial
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
// its sunset. Legacy paths whose SHA-1 certificates predate the sunset (the VGCA's G1
// hierarchy) are validated by certstatus itself, with the same checks.
func TestVerifyCertificateSHA1Signatures(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	legacy := certstatus.DefaultSHA1Sunset.AddDate(-2, 0, 0)
	serial := int64(1000)
	mk := func(tmpl *x509.Certificate, parent *x509.Certificate, parentKey crypto.Signer, pub crypto.PublicKey) *x509.Certificate {
		serial++
		tmpl.SerialNumber = big.NewInt(serial)
		if tmpl.NotAfter.IsZero() {
			tmpl.NotAfter = time.Now().AddDate(1, 0, 0)
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return c
	}
	name := func(cn string) []byte { return certstatustest.Name(certstatustest.C("VN"), certstatustest.CN(cn)) }
	leafTmpl := func(cn string, notBefore time.Time, alg x509.SignatureAlgorithm) *x509.Certificate {
		return &x509.Certificate{RawSubject: name(cn), NotBefore: notBefore, KeyUsage: x509.KeyUsageDigitalSignature, SignatureAlgorithm: alg}
	}
	clerkKey := pki.Clerk.Cert.PublicKey

	// A G1-like issuing CA signed by the root with SHA-1 in 2016 (its key: the deputy's).
	oldCA := mk(&x509.Certificate{RawSubject: name("CA cũ G1 Test"), NotBefore: legacy, IsCA: true, BasicConstraintsValid: true,
		MaxPathLenZero: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, SignatureAlgorithm: x509.SHA1WithRSA},
		pki.Root.Cert, pki.Root.Key, pki.Deputy.Cert.PublicKey)
	underOldCA := mk(leafTmpl("Người ký dưới CA cũ", time.Now().Add(-time.Hour), x509.SHA256WithRSA), oldCA, pki.Deputy.Key, clerkKey)
	subCA := mk(&x509.Certificate{RawSubject: name("CA con trái phép"), NotBefore: legacy, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, SignatureAlgorithm: x509.SHA1WithRSA}, oldCA, pki.Deputy.Key, pki.Leader.Cert.PublicKey)
	belowSubCA := mk(leafTmpl("Dưới CA con", legacy, x509.SHA1WithRSA), subCA, pki.Leader.Key, clerkKey)

	tests := []struct {
		name  string
		cert  *x509.Certificate
		inter []*x509.Certificate
		at    time.Time
		want  error
		chain int
	}{
		{"SHA-1 leaf issued after the sunset", mk(leafTmpl("SHA-1 mới", time.Now().Add(-time.Hour), x509.SHA1WithRSA), pki.CA.Cert, pki.CA.Key, clerkKey),
			[]*x509.Certificate{pki.CA.Cert}, time.Time{}, certstatus.ErrWeakAlgorithm, 0},
		{"SHA-1 leaf issued before the sunset", mk(leafTmpl("SHA-1 cũ", legacy, x509.SHA1WithRSA), pki.CA.Cert, pki.CA.Key, clerkKey),
			[]*x509.Certificate{pki.CA.Cert}, time.Time{}, nil, 3},
		{"same, issuer fetched by AIA", func() *x509.Certificate {
			c := mk(leafTmpl("SHA-1 cũ AIA", legacy, x509.SHA1WithRSA), pki.CA.Cert, pki.CA.Key, clerkKey)
			c.IssuingCertificateURL = pki.Leader.Cert.IssuingCertificateURL
			return c
		}(), nil, time.Time{}, nil, 3},
		{"SHA-1 intermediate CA from before the sunset", underOldCA, []*x509.Certificate{oldCA}, time.Time{}, nil, 3},
		{"legacy path beyond the CA's path length", belowSubCA, []*x509.Certificate{subCA, oldCA}, time.Time{}, certstatus.ErrBasicConstraints, 0},
		{"SHA-1 leaf expired at the time of interest", mk(&x509.Certificate{RawSubject: name("SHA-1 hết hạn"), NotBefore: legacy,
			NotAfter: legacy.AddDate(1, 0, 0), SignatureAlgorithm: x509.SHA1WithRSA}, pki.CA.Cert, pki.CA.Key, clerkKey),
			[]*x509.Certificate{pki.CA.Cert}, time.Time{}, certstatus.ErrExpired, 0},
		{"SHA-1 leaf at a time inside its validity, before its CA's", mk(&x509.Certificate{RawSubject: name("SHA-1 hết hạn 2"), NotBefore: legacy,
			NotAfter: legacy.AddDate(1, 0, 0), SignatureAlgorithm: x509.SHA1WithRSA}, pki.CA.Cert, pki.CA.Key, clerkKey),
			[]*x509.Certificate{pki.CA.Cert}, legacy.AddDate(0, 6, 0), certstatus.ErrNotYetValid, 0},
		{"SHA-1 leaf issued by an end entity", mk(leafTmpl("Do cá nhân cấp SHA-1", legacy, x509.SHA1WithRSA), pki.Leader.Cert, pki.Leader.Key, clerkKey),
			[]*x509.Certificate{pki.Leader.Cert, pki.CA.Cert}, time.Time{}, certstatus.ErrBasicConstraints, 0},
		{"SHA-1 signature by another key under the CA's name", func() *x509.Certificate {
			forger := *pki.CA.Cert
			forger.PublicKey = pki.Deputy.Cert.PublicKey
			return mk(leafTmpl("Giả mạo SHA-1", legacy, x509.SHA1WithRSA), &forger, pki.Deputy.Key, clerkKey)
		}(), []*x509.Certificate{pki.CA.Cert}, time.Time{}, certstatus.ErrNoChain, 0},
	}
	ck := checkerFor(pki)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chain, err := ck.VerifyCertificate(bg, tc.cert, certstatus.VerifyOptions{Intermediates: tc.inter, At: tc.at})
			if tc.want == nil {
				require.NoError(t, err)
				require.Len(t, chain, tc.chain)
				assert.True(t, chain[len(chain)-1].Equal(pki.Root.Cert))
				return
			}
			require.ErrorIs(t, err, tc.want)
			if tc.cert == belowSubCA {
				assert.ErrorContains(t, err, "path length")
			}
		})
	}
}
