package cms

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
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testPKI is a root CA and signers with RSA, P-256 and P-384 keys, made once per test
// binary (RSA key generation is slow).
type testPKI struct {
	root    *x509.Certificate
	rootKey crypto.Signer
	signers map[string]testSigner
}

type testSigner struct {
	key  crypto.Signer
	cert *x509.Certificate
}

var (
	pkiOnce sync.Once
	pki     *testPKI
)

func getPKI(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() {
		rootKey, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(1),
			Subject:               pkix.Name{Country: []string{"VN"}, Organization: []string{"Ban Cơ yếu Chính phủ (test)"}, CommonName: "kyso test root"},
			NotBefore:             time.Now().Add(-time.Hour),
			NotAfter:              time.Now().Add(24 * time.Hour),
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, rootKey.Public(), rootKey)
		if err != nil {
			panic(err)
		}
		root, _ := x509.ParseCertificate(der)
		p := &testPKI{root: root, rootKey: rootKey, signers: map[string]testSigner{}}
		rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		for i, k := range []struct {
			name string
			key  crypto.Signer
		}{{"rsa", rsaKey}, {"p256", p256}, {"p384", p384}} {
			p.signers[k.name] = testSigner{key: k.key, cert: p.issue(int64(i+2), "Nguyễn Văn Lĩnh "+k.name, k.key.Public())}
		}
		pki = p
	})
	return pki
}

func (p *testPKI) issue(serial int64, cn string, pub crypto.PublicKey) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(serial),
		Subject:        pkix.Name{Country: []string{"VN"}, Province: []string{"Hà Tĩnh"}, CommonName: cn},
		NotBefore:      time.Now().Add(-time.Hour),
		NotAfter:       time.Now().Add(24 * time.Hour),
		KeyUsage:       x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		AuthorityKeyId: p.root.SubjectKeyId,
		SubjectKeyId:   []byte{0x6b, 0x79, 0x73, 0x6f, byte(serial)}, // for openssl -keyid
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.root, pub, p.rootKey)
	if err != nil {
		panic(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c
}

// writePEM writes certificates (or a key) as PEM into dir/name and returns the path.
func writePEM(t *testing.T, dir, name, typ string, ders ...[]byte) string {
	t.Helper()
	var out []byte
	for _, d := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: d})...)
	}
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, out, 0o600))
	return path
}

// needTool skips (or, under CI, fails) when an external tool is missing.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := execLookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}
