package token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testPKI is a small VGCA-shaped hierarchy made by the test: a root, an issuing CA and
// end-entity certificates for keys the test chooses.
type testPKI struct {
	root, issuing       *x509.Certificate
	rootKey, issuingKey crypto.Signer
}

func newTestPKI(t testing.TB) *testPKI {
	t.Helper()
	rootKey, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	root := makeCert(t, &x509.Certificate{
		Subject:               pkix.Name{Country: []string{"VN"}, Organization: []string{"Ban Cơ yếu Chính phủ"}, CommonName: "Test RootCA chuyên dùng Chính phủ"},
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, rootKey.Public(), nil, rootKey)
	issKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	iss := makeCert(t, &x509.Certificate{
		Subject:               pkix.Name{Country: []string{"VN"}, Organization: []string{"Ban Cơ yếu Chính phủ"}, CommonName: "Test CA phục vụ các cơ quan Nhà nước"},
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, issKey.Public(), root, rootKey)
	return &testPKI{root: root, issuing: iss, rootKey: rootKey, issuingKey: issKey}
}

// leaf issues an end-entity signing certificate for pub.
func (p *testPKI) leaf(t testing.TB, name string, pub crypto.PublicKey) *x509.Certificate {
	t.Helper()
	return makeCert(t, &x509.Certificate{
		Subject:  pkix.Name{Country: []string{"VN"}, Locality: []string{"Quảng Ninh"}, Organization: []string{"UBND tỉnh Quảng Ninh"}, CommonName: name},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}, pub, p.issuing, p.issuingKey)
}

func makeCert(t testing.TB, tmpl *x509.Certificate, pub crypto.PublicKey, parent *x509.Certificate, parentKey crypto.Signer) *x509.Certificate {
	t.Helper()
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	require.NoError(t, err)
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(24 * time.Hour)
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c
}

// testKeys caches generated RSA keys: RSA-3072 generation is slow.
type testKey struct {
	name string
	key  crypto.Signer
}

func genKeys(t testing.TB) []testKey {
	t.Helper()
	r2048, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	r3072, err := rsa.GenerateKey(rand.Reader, 3072)
	require.NoError(t, err)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return []testKey{{"RSA-2048", r2048}, {"RSA-3072", r3072}, {"EC-P256", p256}}
}

func certPEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// needTool skips (or, under CI, fails) a test when an external tool is missing.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI: %v", name, err)
		}
		t.Skipf("%s not installed: %v", name, err)
	}
	return p
}
