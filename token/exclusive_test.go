//go:build cgo

package token

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// exclusiveBackend checks the pool's promise that a session is never used by two
// goroutines at once: it counts the callers inside each session's functions and marks a
// session from C_SignInit to the end of its C_Sign, and records every overlap. The
// race detector cannot see this (session handles are plain integers into C), so the
// concurrency tests install it.
type exclusiveBackend struct {
	backend

	mu         sync.Mutex
	inside     map[uint]int  // callers inside a function of the session
	signing    map[uint]bool // between C_SignInit and C_Sign
	violations []string
	calls      int
	mechs      []uint // every mechanism C_SignInit was given, in order
}

func newExclusiveBackend(be backend) *exclusiveBackend {
	return &exclusiveBackend{backend: be, inside: map[uint]int{}, signing: map[uint]bool{}}
}

// install puts the checker in front of t's backend, for the token and its pool.
func (e *exclusiveBackend) install(t *Token) {
	t.be = e
	t.pool.be = e
}

func (e *exclusiveBackend) enter(sh uint, op string) func() {
	e.mu.Lock()
	e.calls++
	e.inside[sh]++
	if n := e.inside[sh]; n > 1 {
		e.violations = append(e.violations, fmt.Sprintf("%s on session %d while %d other call(s) use it", op, sh, n-1))
	}
	e.mu.Unlock()
	return func() {
		e.mu.Lock()
		e.inside[sh]--
		e.mu.Unlock()
	}
}

func (e *exclusiveBackend) report() (calls int, violations []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls, append([]string(nil), e.violations...)
}

func (e *exclusiveBackend) closeSession(sh uint) error {
	defer e.enter(sh, "C_CloseSession")()
	e.mu.Lock()
	delete(e.signing, sh)
	e.mu.Unlock()
	return e.backend.closeSession(sh)
}

func (e *exclusiveBackend) sessionState(sh uint) (uint, error) {
	defer e.enter(sh, "C_GetSessionInfo")()
	return e.backend.sessionState(sh)
}

func (e *exclusiveBackend) login(sh uint, userType uint, pin []byte, pinPad bool) error {
	defer e.enter(sh, "C_Login")()
	return e.backend.login(sh, userType, pin, pinPad)
}

func (e *exclusiveBackend) findObjects(sh uint, template []attr, max int) ([]uint, error) {
	defer e.enter(sh, "C_FindObjects")()
	return e.backend.findObjects(sh, template, max)
}

func (e *exclusiveBackend) attribute(sh, obj, typ uint) ([]byte, bool, error) {
	defer e.enter(sh, "C_GetAttributeValue")()
	return e.backend.attribute(sh, obj, typ)
}

func (e *exclusiveBackend) signInit(sh uint, mech uint, param []byte, key uint) error {
	defer e.enter(sh, "C_SignInit")()
	e.mu.Lock()
	if e.signing[sh] {
		e.violations = append(e.violations, fmt.Sprintf("C_SignInit on session %d while another signature is under way on it", sh))
	}
	e.mu.Unlock()
	err := e.backend.signInit(sh, mech, param, key)
	e.mu.Lock()
	e.mechs = append(e.mechs, mech)
	if err == nil {
		e.signing[sh] = true
	}
	e.mu.Unlock()
	return err
}

func (e *exclusiveBackend) sign(sh uint, data []byte) ([]byte, error) {
	defer e.enter(sh, "C_Sign")()
	defer func() {
		e.mu.Lock()
		delete(e.signing, sh)
		e.mu.Unlock()
	}()
	return e.backend.sign(sh, data)
}

// blockingBackend holds C_GetSessionInfo until released, to let two callers overlap.
type blockingBackend struct {
	backend
	entered chan struct{}
	release chan struct{}
}

func (b *blockingBackend) sessionState(sh uint) (uint, error) {
	b.entered <- struct{}{}
	<-b.release
	return cksRWUserFunctions, nil
}

// lastMechanism returns the mechanism of the latest C_SignInit, or 0.
func (e *exclusiveBackend) lastMechanism() uint {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.mechs) == 0 {
		return 0
	}
	return e.mechs[len(e.mechs)-1]
}

// barrierBackend holds each C_Sign until n of them are inside the module at once, and
// records a failure if that never happens (a pool that serialised signatures would
// leave the first one waiting alone).
type barrierBackend struct {
	backend
	n       int
	mu      sync.Mutex
	inside  int
	full    chan struct{}
	timeout chan struct{} // closed by the watchdog
	failed  atomic.Bool
}

func (b *barrierBackend) sign(sh uint, data []byte) ([]byte, error) {
	b.mu.Lock()
	b.inside++
	if b.inside == b.n {
		close(b.full)
	}
	b.mu.Unlock()
	select {
	case <-b.full:
	case <-b.timeout:
		b.failed.Store(true)
	}
	return b.backend.sign(sh, data)
}

// newBarrierBackend returns a barrier for n signers whose watchdog gives up after d.
func newBarrierBackend(be backend, n int, d time.Duration) *barrierBackend {
	b := &barrierBackend{backend: be, n: n, full: make(chan struct{}), timeout: make(chan struct{})}
	time.AfterFunc(d, func() { close(b.timeout) })
	return b
}
