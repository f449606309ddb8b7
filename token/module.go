package token

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
)

// The PKCS#11 standard allows C_Initialize once per module and process, and C_Finalize
// ends the module for everyone in the process. So modules are shared, process-wide, by
// path: the first OpenModule initialises, the last Close finalises. This registry is the
// package's only process-wide state, and it exists because the standard makes the state
// process-wide already.
var registry = struct {
	sync.Mutex
	modules map[string]*sharedModule
}{modules: map[string]*sharedModule{}}

// sharedModule is one loaded module, shared by every Module opened on its path.
type sharedModule struct {
	path string
	be   backend
	refs int
	// owned: this package called C_Initialize (and so may call C_Finalize). When
	// another part of the program had initialised the module already, it is not ours
	// to finalise.
	owned bool
}

// Module is a PKCS#11 module (the vendor's .so/.dll) opened by this program. Open it with
// [OpenModule] and close it with [Module.Close]; several Modules on the same path share
// one initialisation. A Module is safe for concurrent use.
type Module struct {
	shared *sharedModule
	// ops is held (shared) by module-level calls so Close cannot finalise the module
	// under them.
	ops sync.RWMutex

	mu     sync.Mutex
	tokens map[*Token]struct{}
	closed bool
}

// OpenModule loads the PKCS#11 module at path and initialises it unless this process
// already did. Every Module must be closed; the module is finalised when the last one
// is.
//
// Without cgo it returns ErrNoPKCS11.
func OpenModule(path string) (*Module, error) {
	key := path
	if abs, err := filepath.Abs(path); err == nil {
		key = abs
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			key = real
		}
	}
	registry.Lock()
	defer registry.Unlock()
	sm := registry.modules[key]
	if sm == nil {
		be, err := loadBackend(key)
		if err != nil {
			return nil, err
		}
		already, err := be.initialize()
		if err != nil {
			be.destroy()
			return nil, fmt.Errorf("%w %q: %w", ErrModule, path, err)
		}
		sm = &sharedModule{path: key, be: be, owned: !already}
		registry.modules[key] = sm
	}
	sm.refs++
	return &Module{shared: sm, tokens: map[*Token]struct{}{}}, nil
}

// Path returns the module's resolved file path.
func (m *Module) Path() string { return m.shared.path }

// Close closes the tokens opened through m and releases the module; the last Close of a
// module finalises and unloads it. Closing twice is harmless.
func (m *Module) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	tokens := make([]*Token, 0, len(m.tokens))
	for t := range m.tokens {
		tokens = append(tokens, t)
	}
	m.mu.Unlock()
	for _, t := range tokens {
		t.Close()
	}
	m.ops.Lock() // wait for Slots, Tokens and OpenToken in progress
	defer m.ops.Unlock()

	registry.Lock()
	defer registry.Unlock()
	sm := m.shared
	if sm.refs--; sm.refs > 0 {
		return nil
	}
	delete(registry.modules, sm.path)
	var err error
	if sm.owned {
		err = sm.be.finalize()
	}
	sm.be.destroy()
	return err
}

// begin starts a module-level call: it returns the backend and a function to call when
// done, or ErrClosed.
func (m *Module) begin() (backend, func(), error) {
	m.ops.RLock()
	m.mu.Lock()
	closed := m.closed
	m.mu.Unlock()
	if closed {
		m.ops.RUnlock()
		return nil, nil, ErrClosed
	}
	return m.shared.be, m.ops.RUnlock, nil
}

// SlotInfo describes a slot (a reader, a USB port, an HSM partition) and the token in
// it, if any.
type SlotInfo struct {
	ID           uint
	Description  string
	Manufacturer string
	TokenPresent bool
	Removable    bool // removable device (a USB token or smart card)
	Hardware     bool // hardware slot, not a software one
	// Token describes the token; nil when no token is present or its information
	// cannot be read.
	Token *TokenInfo
}

// TokenInfo describes a token as the module reports it.
type TokenInfo struct {
	SlotID       uint
	Label        string
	Manufacturer string
	Model        string
	Serial       string
	Flags        TokenFlags
	// MaxSessions is the most sessions the token allows at once; 0 means it sets no
	// limit or does not say.
	MaxSessions uint
	MinPINLen   uint
	MaxPINLen   uint
}

func tokenInfoFrom(slot uint, r rawToken) TokenInfo {
	maxS := r.MaxSessions
	if maxS == ckUnavailableInfo {
		maxS = 0
	}
	return TokenInfo{
		SlotID: slot, Label: r.Label, Manufacturer: r.Manufacturer, Model: r.Model,
		Serial: r.Serial, Flags: TokenFlags(r.Flags), MaxSessions: maxS,
		MinPINLen: r.MinPINLen, MaxPINLen: r.MaxPINLen,
	}
}

// Slots lists every slot of the module, with its token when one is present.
func (m *Module) Slots(ctx context.Context) ([]SlotInfo, error) {
	be, done, err := m.begin()
	if err != nil {
		return nil, err
	}
	defer done()
	ids, err := be.slotList(false)
	if err != nil {
		return nil, err
	}
	out := make([]SlotInfo, 0, len(ids))
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		si, err := be.slotInfo(id)
		if err != nil {
			return nil, err
		}
		s := SlotInfo{
			ID: id, Description: si.Description, Manufacturer: si.Manufacturer,
			TokenPresent: si.Flags&ckfTokenPresent != 0, Removable: si.Flags&ckfRemovableDevice != 0,
			Hardware: si.Flags&ckfHWSlot != 0,
		}
		if s.TokenPresent {
			if ti, err := be.tokenInfo(id); err == nil {
				info := tokenInfoFrom(id, ti)
				s.Token = &info
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// Tokens lists the tokens present, in slot order, with their flags and PIN counters.
func (m *Module) Tokens(ctx context.Context) ([]TokenInfo, error) {
	be, done, err := m.begin()
	if err != nil {
		return nil, err
	}
	defer done()
	ids, err := be.slotList(true)
	if err != nil {
		return nil, err
	}
	out := make([]TokenInfo, 0, len(ids))
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ti, err := be.tokenInfo(id)
		if err != nil {
			if isCode(err, ckrTokenNotPresent) {
				continue // removed between the two calls
			}
			return nil, err
		}
		out = append(out, tokenInfoFrom(id, ti))
	}
	return out, nil
}

// codeOf returns the PKCS#11 return code inside err, or 0.
func codeOf(err error) uint {
	var e *PKCS11Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

func isCode(err error, code uint) bool { return err != nil && codeOf(err) == code }
