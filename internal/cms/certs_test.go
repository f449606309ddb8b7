package cms

import (
	"crypto"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAddSignerChain: a SignedData made by openssl without certificates (as a
// TSA answers a request without certReq) gets its signer's certificate back; the
// signature still verifies, here and in openssl, and nothing else changes.
func TestAddSignerChain(t *testing.T) {
	openssl := needTool(t, "openssl")
	p := getPKI(t)
	s := p.signers["p256"]
	dir := t.TempDir()
	content := filepath.Join(dir, "content.txt")
	require.NoError(t, os.WriteFile(content, []byte("Quyết định số 12/QĐ-UBND\n"), 0o600))
	keyDER, err := x509.MarshalPKCS8PrivateKey(s.key)
	require.NoError(t, err)
	keyPath := writePEM(t, dir, "key.pem", "PRIVATE KEY", keyDER)
	certPath := writePEM(t, dir, "cert.pem", "CERTIFICATE", s.cert.Raw)
	rootPath := writePEM(t, dir, "root.pem", "CERTIFICATE", p.root.Raw)
	bare := filepath.Join(dir, "bare.der")
	out, err := exec.Command(openssl, "cms", "-sign", "-binary", "-nocerts", "-in", content, "-signer", certPath,
		"-inkey", keyPath, "-outform", "DER", "-out", bare, "-md", "sha256").CombinedOutput()
	require.NoError(t, err, "%s", out)
	der, err := os.ReadFile(bare)
	require.NoError(t, err)
	before, err := Parse(der)
	require.NoError(t, err)
	require.Empty(t, before.Certificates)

	_, _, err = AddSignerChain(der, []*x509.Certificate{p.root})
	assert.ErrorIs(t, err, ErrSignerNotFound)

	full, added, err := AddSignerChain(der, []*x509.Certificate{p.signers["rsa"].cert, p.root, s.cert})
	require.NoError(t, err)
	assert.True(t, added)
	after, err := Parse(full)
	require.NoError(t, err)
	// The signer's certificate, not the self-signed root (a verifier's trust anchor).
	require.Len(t, after.Certificates, 1)
	assert.True(t, after.Certificates[0].Equal(s.cert))
	assert.Equal(t, before.Content, after.Content)
	assert.Equal(t, before.Signers[0].raw, after.Signers[0].raw, "the signer info is kept byte for byte")
	assert.Equal(t, before.pre, after.pre)
	require.NoError(t, after.Signers[0].CheckSignature(s.cert.PublicKey, nil))

	again, added, err := AddSignerChain(full, []*x509.Certificate{s.cert})
	require.NoError(t, err)
	assert.False(t, added)
	assert.Equal(t, full, again)

	fullPath := filepath.Join(dir, "full.der")
	require.NoError(t, os.WriteFile(fullPath, full, 0o600))
	for _, f := range []string{bare, fullPath} {
		out, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", f, "-content", content,
			"-CAfile", rootPath, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
		if f == bare {
			assert.Error(t, err, "openssl cannot verify without the certificate: %s", out)
		} else {
			assert.NoError(t, err, "%s", out)
		}
	}
}

func TestAddCertificatesDeduplicates(t *testing.T) {
	p := getPKI(t)
	s := p.signers["rsa"]
	der, err := Sign(s.key, digestOf(crypto.SHA256, []byte("x")), s.cert, nil, nil)
	require.NoError(t, err)
	out, err := AddCertificates(der, []*x509.Certificate{s.cert, p.root, p.root, nil})
	require.NoError(t, err)
	sd, err := Parse(out)
	require.NoError(t, err)
	assert.Len(t, sd.Certificates, 2)
	require.NoError(t, sd.Signers[0].CheckSignature(s.cert.PublicKey, nil))
	same, err := AddCertificates(out, []*x509.Certificate{p.root})
	require.NoError(t, err)
	assert.Equal(t, out, same)
}
