package cms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/asn1"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// SignatureAlgorithmOID and PSSParams are what CMS signing and the CSC signHash
// request (token) both use: one table of signature algorithms, one PSS encoder.
func TestSignatureAlgorithmOIDAndPSSParams(t *testing.T) {
	for _, c := range []struct {
		pub  crypto.PublicKey
		h    crypto.Hash
		want asn1.ObjectIdentifier
	}{
		{&rsa.PublicKey{}, crypto.SHA256, OIDSHA256WithRSA},
		{&rsa.PublicKey{}, crypto.SHA512, OIDSHA512WithRSA},
		{&ecdsa.PublicKey{}, crypto.SHA384, OIDECDSAWithSHA384},
		{&rsa.PublicKey{}, crypto.SHA3_256, nil},
		{ed25519.PublicKey{}, crypto.SHA256, nil},
	} {
		got, ok := SignatureAlgorithmOID(c.pub, c.h)
		assert.Equal(t, c.want != nil, ok, "%T %v", c.pub, c.h)
		assert.True(t, c.want.Equal(got), "%T %v: %v", c.pub, c.h, got)
	}
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
		id := sigAlgOIDs[h]
		assert.True(t, rsaSigOID(h).Equal(id.rsa))
		hid := map[crypto.Hash]asn1.ObjectIdentifier{crypto.SHA256: OIDSHA256, crypto.SHA384: OIDSHA384, crypto.SHA512: OIDSHA512}[h]
		gotH, salt, err := parsePSSParams(PSSParams(hid, h.Size()))
		require.NoError(t, err)
		assert.Equal(t, h, gotH)
		assert.Equal(t, h.Size(), salt)
	}
}
