package cms

import (
	"crypto/sha256"
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pickSigner finds a token's TSA certificate among candidates by the signer
// identifier and, when two share it (a careless re-issue with the same serial), the
// one the ESS signing-certificate attribute names.
func TestPickSignerPrefersTheESSCertificate(t *testing.T) {
	p := getPKI(t)
	s := p.signers["p256"]
	twin := p.issue(s.cert.SerialNumber.Int64(), "Nguyễn Văn Lĩnh (twin)", s.key.Public())
	require.Equal(t, s.cert.SerialNumber, twin.SerialNumber)
	digest := sha256.Sum256([]byte("tst info"))
	der, err := Sign(s.key, digest[:], s.cert, nil, nil)
	require.NoError(t, err)
	sd, err := Parse(der)
	require.NoError(t, err)
	si := sd.Signers[0]

	assert.Same(t, s.cert, pickSigner(si, []*x509.Certificate{twin, s.cert}), "the ESS names this one")
	assert.Same(t, twin, pickSigner(si, []*x509.Certificate{twin}), "else the identifier's match")
	assert.Nil(t, pickSigner(si, []*x509.Certificate{p.signers["rsa"].cert}))
	assert.Nil(t, pickSigner(si, nil))
}
