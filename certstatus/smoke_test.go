package certstatus_test

import (
	"context"
	"crypto"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/require"
)

func TestSmoke(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ck := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(pki.Root.Cert)})
	ctx := context.Background()
	chain, err := ck.VerifyCertificate(ctx, pki.Leader.Cert, certstatus.VerifyOptions{})
	require.NoError(t, err)
	require.Len(t, chain, 3)
	r := ck.Check(ctx, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	require.Equal(t, certstatus.StatusGood, r.Status)
	r = certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(pki.Root.Cert), Strategy: certstatus.CRLOnly}).Check(ctx, pki.Leader.Cert, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	r = ck.Check(ctx, pki.CA.Cert, pki.Root.Cert, time.Time{})
	require.NoError(t, r.Err)
	d := sha256.Sum256([]byte("hello"))
	tsa := &certstatus.TSAClient{URL: pki.TSAURL, Checker: ck}
	tok, err := tsa.Timestamp(ctx, d[:], crypto.SHA256)
	require.NoError(t, err)
	require.NotEmpty(t, tok)
}
