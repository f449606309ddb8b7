package cms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

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

// IssuerChain gathers a certificate's chain from a pool, up to and including the
// self-signed root, bounded by max; AddSignerChain and the DSS writer (signature) both
// use it.
func TestIssuerChain(t *testing.T) {
	type node struct {
		cert *x509.Certificate
		key  *ecdsa.PrivateKey
	}
	issue := func(cn string, parent *node, ca bool) *node {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(len(cn)) + 100), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: ca, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
		pt, pk := tmpl, key
		if parent != nil {
			pt, pk = parent.cert, parent.key
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, pt, &key.PublicKey, pk)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return &node{c, key}
	}
	root := issue("Root", nil, true)
	inter := issue("Intermediate", root, true)
	leaf := issue("Leaf", inter, false)
	names := func(cs []*x509.Certificate) (out []string) {
		for _, c := range cs {
			out = append(out, c.Subject.CommonName)
		}
		return out
	}
	pool := []*x509.Certificate{nil, leaf.cert, root.cert, inter.cert}
	assert.Equal(t, []string{"Leaf", "Intermediate", "Root"}, names(IssuerChain(leaf.cert, pool, 10)))
	assert.Equal(t, []string{"Leaf", "Intermediate"}, names(IssuerChain(leaf.cert, pool, 2)))
	assert.Equal(t, []string{"Leaf", "Intermediate"}, names(IssuerChain(leaf.cert, []*x509.Certificate{inter.cert}, 10)), "root unknown")
	assert.Equal(t, []string{"Root"}, names(IssuerChain(root.cert, pool, 10)))
}
