// Package ctxtest gives tests a context whose deadline passes when the test says so.
//
// A test that checks "the call gives up when its deadline passes" with
// context.WithTimeout(ctx, 200*time.Millisecond) also asserts, without meaning to,
// that everything before the stalled step (parsing, hashing, an authorisation round
// trip) takes less than 200 ms. On a loaded machine it sometimes does not, and the test
// fails for a reason that has nothing to do with what it checks. With Deadline the test
// waits until the stalled step is reached and then makes the deadline pass: the code
// under test sees exactly what a real deadline gives it (Done closed, Err and Cause
// context.DeadlineExceeded), whatever the machine's load.
package ctxtest

import (
	"context"
	"sync"
	"time"
)

// deadlineCtx is a context.Context whose deadline is reached when expire is called.
type deadlineCtx struct {
	context.Context // the parent's values; its cancellation is not inherited
	done            chan struct{}
	once            sync.Once
	deadline        time.Time
}

func (c *deadlineCtx) Deadline() (time.Time, bool) { return c.deadline, true }
func (c *deadlineCtx) Done() <-chan struct{}       { return c.done }

func (c *deadlineCtx) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// Deadline returns a context carrying parent's values whose deadline passes when expire
// is called (or an hour from now, as a safety net). Deadline reports that hour, so code
// that derives shorter time-outs from the deadline behaves as with a distant one.
func Deadline(parent context.Context) (ctx context.Context, expire func()) {
	c := &deadlineCtx{Context: context.WithoutCancel(parent), done: make(chan struct{}), deadline: time.Now().Add(time.Hour)}
	stop := time.AfterFunc(time.Hour, func() { c.once.Do(func() { close(c.done) }) })
	return c, func() {
		stop.Stop()
		c.once.Do(func() { close(c.done) })
	}
}

// ExpireWhen calls expire as soon as reached reports true (polled every millisecond or
// so), or after limit at the latest, so that a test whose code never reaches the
// stalled step fails on its assertions instead of hanging. The returned stop ends the
// polling early; call it (deferred) when the test is done.
func ExpireWhen(reached func() bool, expire func(), limit time.Duration) (stop func()) {
	quit := make(chan struct{})
	var once sync.Once
	go func() {
		give := time.NewTimer(limit)
		defer give.Stop()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for !reached() {
			select {
			case <-quit:
				return
			case <-give.C:
				expire()
				return
			case <-tick.C:
			}
		}
		expire()
	}()
	return func() { once.Do(func() { close(quit) }) }
}
