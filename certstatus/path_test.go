package certstatus_test

import (
	"crypto/x509"
	"errors"
	"testing"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIssuerPath: the issuers of a leaf-only signer come from what the caller knows,
// the Checker's intermediates, or AIA caIssuers downloads — and an offline Checker,
// or one with AIA disabled, makes no request.
func TestIssuerPath(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ca, root := pki.CA.Cert, pki.Root.Cert
	tests := []struct {
		name     string
		modify   func(*certstatus.Options)
		cert     *x509.Certificate
		known    []*x509.Certificate
		want     []*x509.Certificate
		wantErr  error
		wantHits int
	}{
		{"AIA completes a leaf", nil, pki.Leader.Cert, nil, []*x509.Certificate{ca, root}, nil, 1},
		{"the signer's chain, out of order", nil, pki.Leader.Cert, []*x509.Certificate{root, pki.Org.Cert, ca}, []*x509.Certificate{ca, root}, nil, 0},
		{"the Checker's intermediates, offline", func(o *certstatus.Options) {
			o.Offline, o.Intermediates = true, []*x509.Certificate{ca}
		}, pki.Leader.Cert, nil, []*x509.Certificate{ca, root}, nil, 0},
		{"a trust anchor has an empty path", nil, root, nil, nil, nil, 0},
		{"the CA", nil, ca, nil, []*x509.Certificate{root}, nil, 0},
		{"offline: no request", func(o *certstatus.Options) { o.Offline = true }, pki.Leader.Cert, nil, nil, certstatus.ErrNoChain, 0},
		{"AIA disabled: no request", func(o *certstatus.Options) { o.DisableAIA = true }, pki.Leader.Cert, nil, nil, certstatus.ErrNoChain, 0},
		{"another root: the path stops at a self-signed certificate", func(o *certstatus.Options) {
			o.Trust = certstatus.DefaultTrustStore()
		}, pki.Leader.Cert, nil, []*x509.Certificate{ca, root}, certstatus.ErrNoChain, 2},
		{"no certificate", nil, nil, nil, nil, certstatus.ErrNoChain, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := pki.Hits("aia")
			var mods []func(*certstatus.Options)
			if tc.modify != nil {
				mods = append(mods, tc.modify)
			}
			path, err := checkerFor(pki, mods...).IssuerPath(bg, tc.cert, tc.known)
			assert.Equal(t, tc.wantHits, pki.Hits("aia")-before, "AIA downloads")
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				var ce *certstatus.CertificateInvalidError
				require.True(t, errors.As(err, &ce))
			} else {
				require.NoError(t, err)
			}
			require.Len(t, path, len(tc.want))
			for i := range tc.want {
				assert.True(t, path[i].Equal(tc.want[i]), "path[%d] is %s", i, path[i].Subject.CommonName)
			}
		})
	}
}

// TestIssuerPathUnreachable: an AIA server that does not answer leaves the path
// incomplete, and the error says which download failed.
func TestIssuerPathUnreachable(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	require.NoError(t, pki.Close())
	path, err := checkerFor(pki).IssuerPath(bg, pki.Leader.Cert, nil)
	require.ErrorIs(t, err, certstatus.ErrNoChain)
	assert.Empty(t, path)
	assert.Contains(t, err.Error(), "/aia/ca.cer")
	assert.Contains(t, err.Error(), "unreachable")
}
