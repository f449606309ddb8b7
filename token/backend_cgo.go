//go:build cgo

package token

import (
	"errors"
	"fmt"
	"strings"

	"github.com/miekg/pkcs11"
)

// miekgBackend implements backend with github.com/miekg/pkcs11.
type miekgBackend struct {
	ctx *pkcs11.Ctx
}

func loadBackend(path string) (backend, error) {
	ctx := pkcs11.New(path)
	if ctx == nil {
		return nil, fmt.Errorf("%w %q: the file is missing, not a shared library, or has no C_GetFunctionList", ErrModule, path)
	}
	return &miekgBackend{ctx: ctx}, nil
}

// p11err turns a miekg error into a *PKCS11Error naming op.
func p11err(op string, err error) error {
	if err == nil {
		return nil
	}
	var e pkcs11.Error
	if errors.As(err, &e) {
		name := e.Error()
		if i := strings.LastIndex(name, ": "); i >= 0 {
			name = name[i+2:]
		}
		return &PKCS11Error{Op: op, Code: uint(e), Name: name}
	}
	return fmt.Errorf("token: %s: %w", op, err)
}

func (b *miekgBackend) initialize() (bool, error) {
	err := b.ctx.Initialize()
	if e, ok := err.(pkcs11.Error); ok && e == pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED {
		return true, nil
	}
	return false, p11err("C_Initialize", err)
}

func (b *miekgBackend) finalize() error { return p11err("C_Finalize", b.ctx.Finalize()) }
func (b *miekgBackend) destroy()        { b.ctx.Destroy() }

func (b *miekgBackend) slotList(present bool) ([]uint, error) {
	s, err := b.ctx.GetSlotList(present)
	return s, p11err("C_GetSlotList", err)
}

func (b *miekgBackend) slotInfo(slot uint) (rawSlot, error) {
	i, err := b.ctx.GetSlotInfo(slot)
	if err != nil {
		return rawSlot{}, p11err("C_GetSlotInfo", err)
	}
	return rawSlot{Description: trimPad(i.SlotDescription), Manufacturer: trimPad(i.ManufacturerID), Flags: i.Flags}, nil
}

func (b *miekgBackend) tokenInfo(slot uint) (rawToken, error) {
	i, err := b.ctx.GetTokenInfo(slot)
	if err != nil {
		return rawToken{}, p11err("C_GetTokenInfo", err)
	}
	return rawToken{
		Label: trimPad(i.Label), Manufacturer: trimPad(i.ManufacturerID), Model: trimPad(i.Model),
		Serial: trimPad(i.SerialNumber), Flags: i.Flags, MaxSessions: i.MaxSessionCount,
		Sessions: i.SessionCount, MaxPINLen: i.MaxPinLen, MinPINLen: i.MinPinLen,
	}, nil
}

// trimPad removes the blank (and NUL) padding of fixed-size PKCS#11 strings.
func trimPad(s string) string { return strings.TrimRight(s, " \x00") }

func (b *miekgBackend) mechanisms(slot uint) ([]uint, error) {
	ms, err := b.ctx.GetMechanismList(slot)
	if err != nil {
		return nil, p11err("C_GetMechanismList", err)
	}
	out := make([]uint, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Mechanism)
	}
	return out, nil
}

func (b *miekgBackend) openSession(slot, flags uint) (uint, error) {
	sh, err := b.ctx.OpenSession(slot, flags)
	return uint(sh), p11err("C_OpenSession", err)
}

func (b *miekgBackend) closeSession(sh uint) error {
	return p11err("C_CloseSession", b.ctx.CloseSession(pkcs11.SessionHandle(sh)))
}

func (b *miekgBackend) closeAllSessions(slot uint) error {
	return p11err("C_CloseAllSessions", b.ctx.CloseAllSessions(slot))
}

func (b *miekgBackend) sessionState(sh uint) (uint, error) {
	i, err := b.ctx.GetSessionInfo(pkcs11.SessionHandle(sh))
	return i.State, p11err("C_GetSessionInfo", err)
}

func (b *miekgBackend) login(sh, userType uint, pin []byte, pinPad bool) error {
	// miekg/pkcs11 takes the PIN as a string, copies it to C memory and frees it; the
	// string is dropped as soon as the call returns. With a PIN pad the PIN is empty.
	p := ""
	if !pinPad {
		p = string(pin)
	}
	return p11err("C_Login", b.ctx.Login(pkcs11.SessionHandle(sh), userType, p))
}

func (b *miekgBackend) findObjects(sh uint, template []attr, max int) ([]uint, error) {
	t := make([]*pkcs11.Attribute, len(template))
	for i, a := range template {
		t[i] = pkcs11.NewAttribute(a.Type, a.Value)
	}
	s := pkcs11.SessionHandle(sh)
	if err := b.ctx.FindObjectsInit(s, t); err != nil {
		return nil, p11err("C_FindObjectsInit", err)
	}
	var out []uint
	var ferr error
	for len(out) < max {
		objs, _, err := b.ctx.FindObjects(s, min(64, max-len(out)))
		if err != nil {
			ferr = p11err("C_FindObjects", err)
			break
		}
		if len(objs) == 0 {
			break
		}
		for _, o := range objs {
			out = append(out, uint(o))
		}
	}
	if err := b.ctx.FindObjectsFinal(s); err != nil && ferr == nil {
		ferr = p11err("C_FindObjectsFinal", err)
	}
	return out, ferr
}

func (b *miekgBackend) attribute(sh, obj, typ uint) ([]byte, bool, error) {
	a, err := b.ctx.GetAttributeValue(pkcs11.SessionHandle(sh), pkcs11.ObjectHandle(obj), []*pkcs11.Attribute{pkcs11.NewAttribute(typ, nil)})
	if e, ok := err.(pkcs11.Error); ok && (e == pkcs11.CKR_ATTRIBUTE_TYPE_INVALID || e == pkcs11.CKR_ATTRIBUTE_SENSITIVE) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, p11err("C_GetAttributeValue", err)
	}
	if len(a) != 1 {
		return nil, false, nil
	}
	return a[0].Value, true, nil
}

func (b *miekgBackend) signInit(sh, mech uint, param []byte, key uint) error {
	m := []*pkcs11.Mechanism{pkcs11.NewMechanism(mech, param)}
	if param == nil {
		m = []*pkcs11.Mechanism{pkcs11.NewMechanism(mech, nil)}
	}
	return p11err("C_SignInit", b.ctx.SignInit(pkcs11.SessionHandle(sh), m, pkcs11.ObjectHandle(key)))
}

func (b *miekgBackend) sign(sh uint, data []byte) ([]byte, error) {
	s, err := b.ctx.Sign(pkcs11.SessionHandle(sh), data)
	return s, p11err("C_Sign", err)
}

// pssParams encodes CK_RSA_PKCS_PSS_PARAMS in the platform's layout.
func pssParams(hashMech, mgf, saltLen uint) []byte {
	return pkcs11.NewPSSParams(hashMech, mgf, saltLen)
}
