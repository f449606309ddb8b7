package cms

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// DigestInfoHash finds the hash a PKCS#1 v1.5 value names, and nothing for values
// that do not open to one.
func TestDigestInfoHash(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	d := sha256.Sum256([]byte("byte ranges"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, d[:])
	require.NoError(t, err)
	assert.Equal(t, crypto.SHA256, DigestInfoHash(&key.PublicKey, sig))
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	assert.Zero(t, DigestInfoHash(&other.PublicKey, sig), "another key opens it to noise")
	assert.Zero(t, DigestInfoHash(&key.PublicKey, sig[1:]), "wrong length")
}
