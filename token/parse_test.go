package token

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tokens hand back EC points wrapped in an OCTET STRING (as PKCS#11 says) or raw; both
// decode, anything else is refused without panicking.
func TestECPublicKeyFromToken(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	params, err := asn1.Marshal(oidP256)
	require.NoError(t, err)
	raw, err := key.PublicKey.Bytes()
	require.NoError(t, err)
	wrapped, err := asn1.Marshal(raw)
	require.NoError(t, err)
	for name, point := range map[string][]byte{"wrapped": wrapped, "raw": raw} {
		t.Run(name, func(t *testing.T) {
			pub := ecPublicKey(params, point)
			require.NotNil(t, pub)
			assert.True(t, pub.Equal(&key.PublicKey))
		})
	}
	// A raw point whose first coordinate byte equals the remaining length also reads
	// as a DER OCTET STRING; it must still decode as the raw point it is. Draw keys
	// until one has that first byte (one in 256; the overwrite below changes nothing
	// then, and any other key is thrown away as off the curve).
	for {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		r, err := k.PublicKey.Bytes()
		require.NoError(t, err)
		r[1] = byte(len(r) - 2) // 0x04 0x3F: an OCTET STRING header over the rest
		if pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), r); err == nil {
			got := ecPublicKey(params, r)
			require.NotNil(t, got, "raw point that parses as DER")
			assert.True(t, got.Equal(pub))
			break
		}
	}
	p384, _ := asn1.Marshal(oidP384)
	assert.Nil(t, ecPublicKey(p384, wrapped), "point not on the named curve")
	assert.Nil(t, ecPublicKey([]byte{1, 2}, wrapped))
	assert.Nil(t, ecPublicKey(params, []byte{4, 1, 2}))
}

// ECDSA signatures come from tokens as r‖s and leave as DER.
func TestECDSARawToDER(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	d := sha256.Sum256([]byte("x"))
	der, err := ecdsa.SignASN1(rand.Reader, key, d[:])
	require.NoError(t, err)
	var rs struct{ R, S []byte }
	var ints struct{ R, S asn1.RawValue }
	_, err = asn1.Unmarshal(der, &ints)
	require.NoError(t, err)
	pad := func(b []byte) []byte {
		for len(b) > 32 && b[0] == 0 {
			b = b[1:]
		}
		return append(make([]byte, 32-len(b)), b...)
	}
	rs.R, rs.S = pad(ints.R.Bytes), pad(ints.S.Bytes)
	got, err := ecdsaRawToDER(append(rs.R, rs.S...))
	require.NoError(t, err)
	assert.True(t, ecdsa.VerifyASN1(&key.PublicKey, d[:], got))
	_, err = ecdsaRawToDER([]byte{1, 2, 3})
	require.Error(t, err)
	_, err = ecdsaRawToDER(nil)
	require.Error(t, err)
}

func FuzzECPublicKey(f *testing.F) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	params, _ := asn1.Marshal(oidP256)
	raw, _ := key.PublicKey.Bytes()
	wrapped, _ := asn1.Marshal(raw)
	f.Add(params, wrapped)
	f.Add(params, raw)
	f.Fuzz(func(t *testing.T, params, point []byte) {
		if pub := ecPublicKey(params, point); pub != nil {
			b, err := pub.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ecdsa.ParseUncompressedPublicKey(pub.Curve, b); err != nil {
				t.Fatal("invalid point accepted:", err)
			}
		}
		ecdsaRawToDER(point)
		ulong(point)
	})
}
