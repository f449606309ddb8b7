//go:build cgo && unix

package token

import (
	"context"
	"crypto"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkTokenSign measures signatures per second against one SoftHSM2 token with 1, 2,
// 4 and 8 goroutines signing at once through one KeySigner, for RSA-2048 (PKCS#1 v1.5)
// and ECDSA P-256. "sessions=1" runs 8 signers over a single session, what a pool that
// serialised the token would give, for comparison.
//
//	go test -run '^$' -bench BenchmarkTokenSign -benchtime 2s ./token/
func BenchmarkTokenSign(b *testing.B) {
	hsm := newSoftHSM(b)
	provision(b, hsm, "Bench", "1234")
	m, err := OpenModule(hsm.module)
	require.NoError(b, err)
	defer m.Close()
	ctx := context.Background()
	for _, key := range []string{"RSA-2048", "EC-P256"} {
		for _, c := range []struct{ signers, sessions int }{{1, 0}, {2, 0}, {4, 0}, {8, 0}, {8, 1}} {
			name := fmt.Sprintf("%s/signers=%d", key, c.signers)
			if c.sessions != 0 {
				name += fmt.Sprintf("/sessions=%d", c.sessions)
			}
			b.Run(name, func(b *testing.B) {
				tok, err := m.OpenToken(ctx, TokenOptions{Label: "Bench", PIN: staticPIN("1234", nil, nil), MaxSessions: c.sessions})
				require.NoError(b, err)
				defer tok.Close()
				s, err := tok.Signer(ctx, KeySelector{Label: key})
				require.NoError(b, err)
				cb := &countingBackend{backend: tok.be}
				tok.be = cb
				d := digestOf(crypto.SHA256, "bench")
				b.ResetTimer()
				start := time.Now()
				cpu0 := processCPU()
				var wg sync.WaitGroup
				var failed sync.Once
				for g := range c.signers {
					n := b.N / c.signers
					if g < b.N%c.signers {
						n++
					}
					wg.Go(func() {
						for range n {
							if _, err := s.SignContext(ctx, d, crypto.SHA256); err != nil {
								failed.Do(func() { b.Error(err) })
								return
							}
						}
					})
				}
				wg.Wait()
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "sigs/s")
				b.ReportMetric(float64(cb.max.Load()), "max-in-C_Sign")
				b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/sig")
			})
		}
	}
}

// countingBackend records how many C_Sign calls run at the same time: the pool must let
// as many run as there are signers (up to its limit), leaving any serialisation to the
// token itself.
type countingBackend struct {
	backend
	inflight, max atomic.Int64
}

func (c *countingBackend) sign(sh uint, data []byte) ([]byte, error) {
	n := c.inflight.Add(1)
	for {
		m := c.max.Load()
		if n <= m || c.max.CompareAndSwap(m, n) {
			break
		}
	}
	defer c.inflight.Add(-1)
	return c.backend.sign(sh, data)
}

// processCPU is the CPU time (user and system) the process has used: unlike wall time it
// is little affected by other programs on a shared machine, and it shows work lost to
// contention inside the module.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
