package token

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// DefaultMaxSessions bounds a token's session pool when TokenOptions.MaxSessions is 0.
const DefaultMaxSessions = 16

// maxSessionRetries bounds how often one operation is retried on a fresh session after
// the module reported its session broken.
const maxSessionRetries = 3

// PINRequest tells a [PINFunc] which token asks for a PIN and why.
type PINRequest struct {
	// Token is the token's state just before the login, including its PIN counter
	// flags (Token.Flags.PINCountLow, PINFinalTry) a prompt may show.
	Token TokenInfo
	// Relogin is true when the token lost its login (all sessions were closed, the
	// token was reset) and the pool is logging in again.
	Relogin bool
	// ContextSpecific is true when the key asks for its PIN before every signature
	// (CKA_ALWAYS_AUTHENTICATE).
	ContextSpecific bool
}

// PINFunc supplies a PIN. It returns a fresh slice the token package clears after use;
// an error (or an empty PIN) means no PIN is given, which fails the login with
// ErrNoPIN. It may be called from several goroutines, never at the same time for the same
// token.
type PINFunc func(ctx context.Context, req PINRequest) ([]byte, error)

// TokenOptions chooses a token and says how to log in to it.
type TokenOptions struct {
	// Label and Serial select the token; an empty field matches any token. With both
	// empty, the module must hold exactly one initialised token.
	Label  string
	Serial string
	// PIN supplies the user PIN. When nil and the token has a protected
	// authentication path (a PIN pad), the PIN is entered on the device; leave it nil
	// to use the pad (some pads refuse a PIN sent by the program).
	PIN PINFunc
	// NoLogin opens the token without logging in, to read its public objects
	// (Certificates): private keys stay invisible, so Signer finds none.
	NoLogin bool
	// MaxSessions bounds the session pool: at most this many signatures run on the
	// token at once. 0 means DefaultMaxSessions. The token's own limit, when it reports
	// one, also applies.
	MaxSessions int
}

// Token is a logged-in token with a pool of sessions. Its methods are safe for concurrent
// use; a session is never used by two goroutines at once.
//
// When the token loses its login (sessions closed underneath, token reset), the pool logs
// in again with the PIN callback. A re-login that fails on the PIN is not retried: later
// operations return the same error, so that many goroutines never spend the token's PIN
// tries. Open the token again to log in anew.
type Token struct {
	m    *Module
	be   backend
	info TokenInfo
	opts TokenOptions
	pool *sessionPool

	loginMu  sync.Mutex
	loggedIn bool  // a login succeeded once: later logins are re-logins
	loginErr error // a re-login failed on the PIN: no more automatic tries

	mechMu sync.Mutex
	mechs  map[uint]bool
}

// OpenToken finds the token the options select, logs in with the PIN callback and
// returns it with an idle session kept open (so the login lasts). A PIN problem is a
// *PINError (errors.Is ErrPINIncorrect, ErrPINLocked, ErrPINExpired, ErrPINInvalid,
// ErrNoPIN) carrying the tries-left flags the token reports. A failed login leaves the
// module usable by everyone else.
//
// PKCS#11 keeps one login state per token and process: when another part of the program
// is already logged in to the same token, the login succeeds without the PIN being
// checked again.
func (m *Module) OpenToken(ctx context.Context, opts TokenOptions) (*Token, error) {
	be, done, err := m.begin()
	if err != nil {
		return nil, err
	}
	defer done()
	info, err := findToken(ctx, be, opts)
	if err != nil {
		return nil, err
	}
	limit := opts.MaxSessions
	if limit <= 0 {
		limit = DefaultMaxSessions
	}
	if info.MaxSessions > 0 && uint(limit) > info.MaxSessions {
		limit = int(info.MaxSessions)
	}
	t := &Token{m: m, be: be, info: info, opts: opts}
	t.pool = newSessionPool(be, info.SlotID, limit, t.ensureLogin)
	sh, err := t.pool.get(ctx)
	if err != nil {
		t.pool.close()
		return nil, err
	}
	t.pool.put(sh, false)

	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		t.pool.close()
		return nil, ErrClosed
	}
	m.tokens[t] = struct{}{}
	m.mu.Unlock()
	return t, nil
}

// findToken returns the one present token matching opts.
func findToken(ctx context.Context, be backend, opts TokenOptions) (TokenInfo, error) {
	ids, err := be.slotList(true)
	if err != nil {
		return TokenInfo{}, err
	}
	if len(ids) == 0 {
		return TokenInfo{}, fmt.Errorf("%w (no slot holds a token)", ErrTokenNotPresent)
	}
	var matches []TokenInfo
	var seen []string
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return TokenInfo{}, err
		}
		r, err := be.tokenInfo(id)
		if err != nil {
			if errors.Is(err, ErrTokenNotPresent) {
				continue
			}
			return TokenInfo{}, err
		}
		ti := tokenInfoFrom(id, r)
		if !ti.Flags.Initialized() {
			continue
		}
		seen = append(seen, fmt.Sprintf("%q (serial %s)", ti.Label, ti.Serial))
		if (opts.Label == "" || ti.Label == opts.Label) && (opts.Serial == "" || ti.Serial == opts.Serial) {
			matches = append(matches, ti)
		}
	}
	switch {
	case len(matches) == 1:
		return matches[0], nil
	case len(matches) > 1:
		return TokenInfo{}, fmt.Errorf("%w: %s", ErrAmbiguousToken, strings.Join(seen, ", "))
	case len(seen) == 0:
		return TokenInfo{}, fmt.Errorf("%w (no initialised token in any slot)", ErrTokenNotPresent)
	}
	return TokenInfo{}, fmt.Errorf("%w: label %q serial %q; tokens present: %s", ErrTokenNotFound, opts.Label, opts.Serial, strings.Join(seen, ", "))
}

// Info returns the token's description as it was when the token was opened.
func (t *Token) Info() TokenInfo { return t.info }

// Status reads the token's current description, with its PIN counter flags now. A
// removed token gives an error matching ErrTokenRemoved.
func (t *Token) Status(ctx context.Context) (TokenInfo, error) {
	release, err := t.pool.hold(ctx)
	if err != nil {
		return TokenInfo{}, err
	}
	defer release()
	r, err := t.be.tokenInfo(t.info.SlotID)
	if err != nil {
		return TokenInfo{}, err
	}
	return tokenInfoFrom(t.info.SlotID, r), nil
}

// Close waits for the signatures in progress to end, then closes the token's sessions;
// later calls fail with ErrClosed. The module stays open. Closing twice is harmless.
func (t *Token) Close() error {
	t.m.mu.Lock()
	delete(t.m.tokens, t)
	t.m.mu.Unlock()
	t.pool.close()
	return nil
}

// ensureLogin logs the token in on session sh unless the session already runs user
// functions (PKCS#11 login is shared by all the application's sessions of a token).
func (t *Token) ensureLogin(ctx context.Context, sh uint) error {
	if !t.info.Flags.LoginRequired() || t.opts.NoLogin {
		return nil
	}
	if st, err := t.be.sessionState(sh); err == nil && (st == cksROUserFunctions || st == cksRWUserFunctions) {
		return nil
	}
	t.loginMu.Lock()
	defer t.loginMu.Unlock()
	if t.loginErr != nil {
		return t.loginErr
	}
	// Another goroutine may have logged in while this one waited.
	if st, err := t.be.sessionState(sh); err != nil {
		return err
	} else if st == cksROUserFunctions || st == cksRWUserFunctions {
		return nil
	}
	if err := t.login(ctx, sh, ckuUser); err != nil {
		var pe *PINError
		if t.loggedIn && errors.As(err, &pe) && pe.Reason != PINNotGiven {
			// Every goroutine waiting here would try the same wrong PIN and lock the
			// device: stop after one failed re-login.
			t.loginErr = err
		}
		return err
	}
	t.loggedIn = true
	return nil
}

// login runs C_Login for userType on sh, asking the callback for the PIN. The caller
// holds loginMu for ckuUser.
func (t *Token) login(ctx context.Context, sh uint, userType uint) error {
	r, err := t.be.tokenInfo(t.info.SlotID)
	if err != nil {
		return err
	}
	now := tokenInfoFrom(t.info.SlotID, r)
	label := t.info.Label
	if now.Flags.PINLocked() {
		return &PINError{Token: label, Reason: PINLocked}
	}
	if now.Flags.PINToBeChanged() {
		return &PINError{Token: label, Reason: PINExpired}
	}
	pinPad := now.Flags.ProtectedAuthPath() && t.opts.PIN == nil
	var pin []byte
	if !pinPad {
		if t.opts.PIN == nil {
			return &PINError{Token: label, Reason: PINNotGiven}
		}
		pin, err = t.opts.PIN(ctx, PINRequest{Token: now, Relogin: t.loggedIn, ContextSpecific: userType == ckuContextSpecific})
		defer clear(pin)
		if err != nil {
			return &PINError{Token: label, Reason: PINNotGiven, Err: err}
		}
		if len(pin) == 0 {
			return &PINError{Token: label, Reason: PINNotGiven}
		}
	}
	err = t.be.login(sh, userType, pin, pinPad)
	if err == nil || isCode(err, ckrUserAlreadyLoggedIn) {
		return nil
	}
	return t.pinError(err)
}

// pinError turns a failed C_Login into a *PINError with the token's flags after the
// failure; other failures are returned as they are.
func (t *Token) pinError(err error) error {
	e := &PINError{Token: t.info.Label, Code: codeOf(err)}
	switch e.Code {
	case ckrPINIncorrect:
		e.Reason = PINIncorrect
	case ckrPINLocked:
		e.Reason = PINLocked
	case ckrPINExpired:
		e.Reason = PINExpired
	case ckrPINInvalid, ckrPINLenRange:
		e.Reason = PINInvalid
	default:
		return err
	}
	if r, ierr := t.be.tokenInfo(t.info.SlotID); ierr == nil {
		f := TokenFlags(r.Flags)
		e.CountLow, e.FinalTry = f.PINCountLow(), f.PINFinalTry()
		if f.PINLocked() {
			e.Reason = PINLocked
		}
	}
	return e
}

// withSession runs fn on a pooled session. When the module reports the session broken
// (closed, invalid) it is discarded and fn retried on a fresh one; when the login was
// lost it logs in again (asking the PIN callback) and retries; when the token is gone
// every idle session is dropped. fn reports whether its session must be discarded even
// on success of the call that failed (an operation left active, for instance).
func (t *Token) withSession(ctx context.Context, fn func(sh uint) (discard bool, err error)) error {
	var last error
	for range maxSessionRetries {
		sh, err := t.pool.get(ctx)
		if err != nil {
			return err
		}
		discard, err := fn(sh)
		if err == nil {
			t.pool.put(sh, discard)
			return nil
		}
		last = err
		switch codeOf(err) {
		case ckrSessionHandleInvalid, ckrSessionClosed:
			t.pool.put(sh, true)
			continue
		case ckrUserNotLoggedIn, ckrKeyHandleInvalid, ckrObjectHandleInvalid:
			// Private objects vanish from a session that lost its login.
			if st, serr := t.be.sessionState(sh); serr == nil && st != cksROUserFunctions && st != cksRWUserFunctions && t.info.Flags.LoginRequired() {
				if lerr := t.ensureLogin(ctx, sh); lerr != nil {
					t.pool.put(sh, discard)
					return lerr
				}
				t.pool.put(sh, discard)
				continue
			}
		case ckrDeviceRemoved, ckrTokenNotPresent, ckrDeviceError:
			t.pool.put(sh, true)
			t.pool.discardIdle()
			return err
		}
		t.pool.put(sh, discard)
		return err
	}
	return last
}

// hasMechanism reports whether the token offers mech. The list is read once it could
// be read.
func (t *Token) hasMechanism(mech uint) (bool, error) {
	t.mechMu.Lock()
	defer t.mechMu.Unlock()
	if t.mechs == nil {
		ms, err := t.be.mechanisms(t.info.SlotID)
		if err != nil {
			return false, err
		}
		t.mechs = make(map[uint]bool, len(ms))
		for _, m := range ms {
			t.mechs[m] = true
		}
	}
	return t.mechs[mech], nil
}
