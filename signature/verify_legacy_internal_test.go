package signature

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/cms"
)

// FuzzLegacyPKCS1 feeds the adbe.x509.rsa_sha1 readers (the /Contents OCTET STRING and
// the opened DigestInfo) outside input: an error or zero, never a panic.
func FuzzLegacyPKCS1(f *testing.F) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(f, err)
	d := sha256.Sum256(nil)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, d[:])
	require.NoError(f, err)
	f.Add(append([]byte{0x04, 0x81, 0x80}, sig...))
	f.Add([]byte{0x04, 0x00, 0x00})
	f.Add([]byte{0x04, 0x01, 0x01, 0x00, 0x01})
	f.Fuzz(func(t *testing.T, contents []byte) {
		v, err := pkcs1Value(contents)
		if err != nil {
			return
		}
		cms.DigestInfoHash(&key.PublicKey, v)
		rawCertFields(contents)
	})
}
