package cms

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/algorithm"
)

// emsaPSSEncode is EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with MGF1-SHA-256, for the test.
func emsaPSSEncode(mHash, salt []byte, emBits int) []byte {
	h := crypto.SHA256
	emLen := (emBits + 7) / 8
	d := h.New()
	d.Write(make([]byte, 8))
	d.Write(mHash)
	d.Write(salt)
	hh := d.Sum(nil)
	db := make([]byte, emLen-h.Size()-1)
	db[len(db)-len(salt)-1] = 1
	copy(db[len(db)-len(salt):], salt)
	mask := mgf1(hh, len(db), h)
	for i := range db {
		db[i] ^= mask[i]
	}
	db[0] &= 0xff >> uint(8*emLen-emBits)
	return append(append(db, hh...), 0xbc)
}

// The big-integer path verifies PKCS#1 v1.5 and PSS signatures of a key whose public
// exponent crypto/rsa refuses, and refuses wrong ones.
func TestVerifyRSALargeExponent(t *testing.T) {
	e := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 33), big.NewInt(1)) // 2³³+1
	one := big.NewInt(1)
	var n, d *big.Int
	for d == nil || n.BitLen() != 2048 {
		p, err := rand.Prime(rand.Reader, 1024)
		require.NoError(t, err)
		q, err := rand.Prime(rand.Reader, 1024)
		require.NoError(t, err)
		n = new(big.Int).Mul(p, q)
		d = new(big.Int).ModInverse(e, new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one)))
	}
	pub := &rsa.PublicKey{N: n, E: int(e.Int64())}
	raw := func(em []byte) []byte {
		return new(big.Int).Exp(new(big.Int).SetBytes(em), d, n).FillBytes(make([]byte, 256))
	}
	digest := sha256.Sum256([]byte("Quyết định số 12/QĐ-UBND"))

	em := make([]byte, 256)
	em[1] = 1
	prefix := algorithm.DigestInfoPrefix[crypto.SHA256]
	for i := 2; i < 256-len(prefix)-32-1; i++ {
		em[i] = 0xff
	}
	copy(em[256-32-len(prefix):], prefix)
	copy(em[256-32:], digest[:])
	sig := raw(em)
	assert.NoError(t, checkSignatureValue(pub, crypto.SHA256, false, 0, digest[:], sig))
	assert.NoError(t, CheckDigestSignature(pub, crypto.SHA256, digest[:], sig))
	sig[10] ^= 1
	assert.ErrorIs(t, checkSignatureValue(pub, crypto.SHA256, false, 0, digest[:], sig), ErrBadSignature)

	salt := make([]byte, 32)
	_, err := rand.Read(salt)
	require.NoError(t, err)
	pss := raw(emsaPSSEncode(digest[:], salt, n.BitLen()-1))
	assert.NoError(t, checkSignatureValue(pub, crypto.SHA256, true, 32, digest[:], pss))
	assert.ErrorIs(t, checkSignatureValue(pub, crypto.SHA256, true, 20, digest[:], pss), ErrBadSignature, "wrong salt length")
	other := sha256.Sum256([]byte("khác"))
	assert.ErrorIs(t, checkSignatureValue(pub, crypto.SHA256, true, 32, other[:], pss), ErrBadSignature)
}
