package token

import (
	"context"
	"sync"
)

// sessionPool hands out sessions of one token, each to one goroutine at a time, and opens
// at most cap(sem) of them.
type sessionPool struct {
	be   backend
	slot uint
	sem  chan struct{}
	// prepare runs on a newly opened session (to log in when the token has lost its
	// login); an error closes the session and fails get.
	prepare func(ctx context.Context, sh uint) error

	mu      sync.Mutex
	idle    []uint
	open    map[uint]struct{}
	closed  bool
	done    chan struct{} // closed when close begins
	drained chan struct{} // closed when close has waited for every session
}

func newSessionPool(be backend, slot uint, limit int, prepare func(context.Context, uint) error) *sessionPool {
	return &sessionPool{be: be, slot: slot, sem: make(chan struct{}, limit), prepare: prepare, open: map[uint]struct{}{}, done: make(chan struct{}), drained: make(chan struct{})}
}

// hold takes one of the pool's slots without a session, for calls that need the module
// to stay open (close waits for every slot) but no session.
func (p *sessionPool) hold(ctx context.Context) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-p.done:
		return nil, ErrClosed
	}
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		<-p.sem
		return nil, ErrClosed
	}
	return func() { <-p.sem }, nil
}

// get returns a session for the caller's exclusive use, waiting while limit sessions are
// in use; it honours ctx while waiting. The session must be given back with put.
func (p *sessionPool) get(ctx context.Context) (uint, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-p.done:
		return 0, ErrClosed
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.sem
		return 0, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		sh := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return sh, nil
	}
	p.mu.Unlock()
	sh, err := p.be.openSession(p.slot, ckfSerialSession)
	if err != nil {
		<-p.sem
		return 0, err
	}
	p.mu.Lock()
	p.open[sh] = struct{}{}
	p.mu.Unlock()
	if p.prepare != nil {
		if err := p.prepare(ctx, sh); err != nil {
			p.put(sh, true)
			return 0, err
		}
	}
	return sh, nil
}

// put gives a session back. A broken session is closed and forgotten, so the next get
// opens a fresh one instead of reusing it.
func (p *sessionPool) put(sh uint, broken bool) {
	p.mu.Lock()
	if broken || p.closed {
		delete(p.open, sh)
		p.mu.Unlock()
		p.be.closeSession(sh) // a broken session may be gone already; nothing to do about it
	} else {
		p.idle = append(p.idle, sh)
		p.mu.Unlock()
	}
	<-p.sem
}

// discardAll forgets every idle session (closing it): after the module reported that
// all sessions are gone, for instance.
func (p *sessionPool) discardIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	for _, sh := range idle {
		delete(p.open, sh)
	}
	p.mu.Unlock()
	for _, sh := range idle {
		p.be.closeSession(sh)
	}
}

// close refuses new work, waits until every session in use has been put back (closing
// it), then closes the idle ones. After close no goroutine is inside a module call
// through the pool, so the module may be finalised.
func (p *sessionPool) close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.drained // a concurrent close is draining: wait for it too
		return
	}
	p.closed = true
	close(p.done)
	p.mu.Unlock()
	for range cap(p.sem) {
		p.sem <- struct{}{}
	}
	p.discardIdle()
	close(p.drained)
}

// size reports how many sessions are open (idle or in use).
func (p *sessionPool) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.open)
}
