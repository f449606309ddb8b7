package certstatus_test

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fingerprint published in /work/shared/docs/rules.md §1.
const rulesFingerprint = "F04BA4B459A7C9A1B971AD9B1CB833E695A80C79AEA63B174B66A70EDFE2FDB8"

func TestEmbeddedVGCARootFingerprint(t *testing.T) {
	root := certstatus.VGCARootG2()
	sum := sha256.Sum256(root.Raw)
	assert.Equal(t, rulesFingerprint, strings.ToUpper(hex.EncodeToString(sum[:])))
	assert.Equal(t, rulesFingerprint, certstatus.VGCARootG2Fingerprint)
	assert.Equal(t, "RootCA chuyên dùng Chính phủ G2", root.Subject.CommonName)
	assert.Equal(t, []string{"Ban Cơ yếu Chính phủ"}, root.Subject.Organization)
	assert.Equal(t, 4096, root.PublicKey.(interface{ Size() int }).Size()*8)

	store := certstatus.DefaultTrustStore()
	require.Len(t, store.Roots(), 1)
	assert.True(t, store.Roots()[0].Equal(root))
}

func TestTrustStoreAddAndReplace(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "root.pem"), pki.Root.CertPEM(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o644))

	store := certstatus.DefaultTrustStore()
	n, err := store.AddDir(dir)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Len(t, store.Roots(), 2)
	store.Add(pki.Root.Cert) // duplicate ignored
	assert.Len(t, store.Roots(), 2)

	ck := certstatus.NewChecker(certstatus.Options{Trust: store})
	_, err = ck.VerifyCertificate(bg, pki.Leader.Cert, certstatus.VerifyOptions{Intermediates: []*x509.Certificate{pki.CA.Cert}})
	require.NoError(t, err)

	store.Replace(certstatus.VGCARootG2())
	_, err = ck.VerifyCertificate(bg, pki.Leader.Cert, certstatus.VerifyOptions{Intermediates: []*x509.Certificate{pki.CA.Cert}})
	assert.ErrorIs(t, err, certstatus.ErrNoChain)

	pool := x509.NewCertPool()
	pool.AddCert(pki.Root.Cert)
	store.AddPool(pool)
	_, err = ck.VerifyCertificate(bg, pki.Leader.Cert, certstatus.VerifyOptions{Intermediates: []*x509.Certificate{pki.CA.Cert}})
	assert.NoError(t, err)
}

func TestTrustStoreBadPEM(t *testing.T) {
	store := certstatus.NewTrustStore()
	tests := map[string][]byte{
		"empty":       nil,
		"no cert":     pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}),
		"broken cert": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0x01}}),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := store.AddPEM(data)
			assert.ErrorIs(t, err, certstatus.ErrMalformed)
			assert.Empty(t, store.Roots())
		})
	}
	_, err := store.AddPEMFile(filepath.Join(t.TempDir(), "missing.pem"))
	assert.True(t, errors.Is(err, os.ErrNotExist))
}

// A directory with one broken file adds nothing, and the error names the file.
func TestTrustStoreAddDirAllOrNothing(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a-root.pem"), pki.Root.CertPEM(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b-broken.crt"), []byte("not PEM"), 0o644))
	store := certstatus.NewTrustStore()
	n, err := store.AddDir(dir)
	require.ErrorIs(t, err, certstatus.ErrMalformed)
	assert.ErrorContains(t, err, "b-broken.crt")
	assert.Zero(t, n)
	assert.Empty(t, store.Roots())

	n, err = store.AddPEMFile(filepath.Join(dir, "a-root.pem"))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}
