package signature

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeferredForgedUnkeyedState forges states without a StateKey, where the integrity
// tag is a plain SHA-256 anyone can recompute: a forger who changes the update to
// append (here the /Reason the signer was shown) cannot get Complete to write it, with
// or without also recomputing the message digest.
func TestDeferredForgedUnkeyedState(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Lê Thị Hoa"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	in := pdftest.Classic()
	p, err := Prepare(context.Background(), bytes.NewReader(in), int64(len(in)), []*x509.Certificate{cert},
		&SignOptions{Reason: "Dong y"})
	require.NoError(t, err)
	sig, err := key.Sign(rand.Reader, p.Digest, p.SignerOpts)
	require.NoError(t, err)

	forge := func(recomputeDigest bool) []byte {
		st, err := openState(p.State, nil)
		require.NoError(t, err)
		i := bytes.Index(st.Section, []byte("(Dong y)"))
		require.GreaterOrEqual(t, i, 0, "the reason is in the update")
		copy(st.Section[i:], "(Tu choi)"[:len("(Dong y)")]) // same length: offsets stay valid
		if recomputeDigest {
			h := crypto.Hash(st.Hash).New()
			h.Write(in)
			h.Write(st.Section[:st.HoleStart])
			h.Write(st.Section[st.HoleStart+st.HoleLen:])
			st.MessageDigest = h.Sum(nil)
		}
		forged, err := st.seal(nil)
		require.NoError(t, err)
		return forged
	}
	for _, tc := range []struct {
		name            string
		recomputeDigest bool
		want            error
	}{
		{"update changed", false, ErrStateMismatch},
		{"update and digest changed", true, ErrBadSignatureValue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := Complete(context.Background(), &out, bytes.NewReader(in), int64(len(in)), forge(tc.recomputeDigest), sig, nil)
			assert.ErrorIs(t, err, tc.want)
			assert.Zero(t, out.Len(), "nothing written for a forged state")
		})
	}
	// The genuine state still completes.
	var out bytes.Buffer
	_, err = Complete(context.Background(), &out, bytes.NewReader(in), int64(len(in)), p.State, sig, nil)
	require.NoError(t, err)
	assert.Contains(t, out.String(), "(Dong y)")
}
