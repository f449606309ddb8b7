package certstatus

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A caller arriving after every earlier caller gave up starts a fresh flight rather
// than joining the cancelled one (whose result is only a context error).
func TestFlightAfterEveryoneGaveUp(t *testing.T) {
	var g flightGroup
	release := make(chan struct{})
	var calls atomic.Int32
	fn := func(ctx context.Context) (any, error) {
		if calls.Add(1) == 1 {
			<-release // the first flight outlives its only caller
			return nil, ctx.Err()
		}
		return "answer", nil
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := g.do(ctx, "k", fn)
		done <- err
	}()
	for calls.Load() == 0 {
		runtime.Gosched() // wait until the first flight runs
	}
	cancel()
	assert.True(t, errors.Is(<-done, context.Canceled))
	g.mu.Lock()
	_, stillListed := g.calls["k"]
	g.mu.Unlock()
	assert.False(t, stillListed, "a flight nobody waits for is no longer joinable")

	type result struct {
		v   any
		err error
	}
	second := make(chan result, 1)
	go func() {
		v, err := g.do(context.Background(), "k", fn)
		second <- result{v, err}
	}()
	var got result
	select {
	case got = <-second:
	case <-time.After(10 * time.Second):
		// It joined the stuck first flight: free it to see what it got.
		close(release)
		got = <-second
		t.Fatalf("the second caller joined the abandoned flight and got %v, %v", got.v, got.err)
	}
	close(release)
	require.NoError(t, got.err)
	assert.Equal(t, "answer", got.v)
	assert.Equal(t, int32(2), calls.Load())
}

// Callers that share a flight get the same answer from one call.
func TestFlightShared(t *testing.T) {
	var g flightGroup
	release := make(chan struct{})
	var calls atomic.Int32
	fn := func(ctx context.Context) (any, error) {
		calls.Add(1)
		<-release
		return "answer", nil
	}
	results := make(chan any, 2)
	for range 2 {
		go func() {
			v, _ := g.do(context.Background(), "k", fn)
			results <- v
		}()
	}
	for {
		g.mu.Lock()
		c := g.calls["k"]
		n := 0
		if c != nil {
			n = c.waiters
		}
		g.mu.Unlock()
		if n == 2 {
			break
		}
		runtime.Gosched()
	}
	close(release)
	assert.Equal(t, "answer", <-results)
	assert.Equal(t, "answer", <-results)
	assert.Equal(t, int32(1), calls.Load())
}
