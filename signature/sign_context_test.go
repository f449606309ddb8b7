package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/ctxtest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stalledRemoteSigner is a remote key whose service never answers: its SignContext
// waits for ctx; its plain Sign would sign at once with the local key.
type stalledRemoteSigner struct {
	crypto.Signer
	asked chan struct{}
}

func (s stalledRemoteSigner) SignContext(ctx context.Context, _ []byte, _ crypto.SignerOpts) ([]byte, error) {
	close(s.asked)
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestSignPassesContextToSigner: Sign calls a signer's SignContext with its ctx, so a
// remote key's requests end when ctx does.
func TestSignPassesContextToSigner(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.OnePage(3)
	s := stalledRemoteSigner{Signer: k.pki.Leader.Key, asked: make(chan struct{})}
	// The deadline passes once the signer is asked, however long preparing the
	// signature took on a loaded machine (a 200 ms time-out sometimes ran out before).
	ctx, expire := ctxtest.Deadline(context.Background())
	defer expire()
	defer ctxtest.ExpireWhen(func() bool { return isClosed(s.asked) }, expire, time.Minute)()
	var out bytes.Buffer
	_, err := signature.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), s, k.pki.Leader.Chain, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	select {
	case <-s.asked:
	default:
		t.Fatal("SignContext was not called")
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
