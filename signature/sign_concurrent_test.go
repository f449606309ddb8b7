package signature_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignConcurrent signs one shared input from several goroutines, as a portal does;
// Sign keeps no shared state, so every output must be complete and distinct only in
// its own signature. Run it with -race.
func TestSignConcurrent(t *testing.T) {
	keys := signTestPKI(t)
	in := pdftest.ObjectStreams()
	rootPEM := writeRootPEM(t, keys.root)
	outs := make([][]byte, 6)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := keys.byName[[]string{"rsa", "p256", "p384"}[i%3]]
			var out bytes.Buffer
			_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s.key, s.chain,
				&signature.SignOptions{PSS: i%2 == 0, Reason: "đồng thời"})
			assert.NoError(t, err)
			outs[i] = out.Bytes()
		}()
	}
	wg.Wait()
	for _, out := range outs {
		require.NotEmpty(t, out)
		signTestCheck{in: in, out: out, signatures: 1, rootPEM: rootPEM}.run(t)
	}
}
