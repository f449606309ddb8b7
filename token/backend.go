package token

// attr is one attribute of a search template. Value is a uint, bool, string or []byte.
type attr struct {
	Type  uint
	Value any
}

// rawSlot and rawToken mirror CK_SLOT_INFO and CK_TOKEN_INFO.
type rawSlot struct {
	Description, Manufacturer string
	Flags                     uint
}

type rawToken struct {
	Label, Manufacturer, Model, Serial string
	Flags                              uint
	MaxSessions, Sessions              uint
	MaxPINLen, MinPINLen               uint
}

// backend is the thin layer over a loaded PKCS#11 module. The cgo build implements it
// with github.com/miekg/pkcs11; without cgo, loading fails with ErrNoPKCS11. Every error
// it returns from the module is a *PKCS11Error.
type backend interface {
	// initialize calls C_Initialize; already reports CKR_CRYPTOKI_ALREADY_INITIALIZED.
	initialize() (already bool, err error)
	finalize() error
	destroy()
	slotList(tokenPresent bool) ([]uint, error)
	slotInfo(slot uint) (rawSlot, error)
	tokenInfo(slot uint) (rawToken, error)
	mechanisms(slot uint) ([]uint, error)
	openSession(slot uint, flags uint) (uint, error)
	closeSession(sh uint) error
	closeAllSessions(slot uint) error
	sessionState(sh uint) (uint, error)
	login(sh uint, userType uint, pin []byte, pinPad bool) error
	findObjects(sh uint, template []attr, max int) ([]uint, error)
	// attribute reads one attribute; ok is false when the object does not have it or
	// it is sensitive.
	attribute(sh, obj, typ uint) (value []byte, ok bool, err error)
	signInit(sh uint, mech uint, param []byte, key uint) error
	sign(sh uint, data []byte) ([]byte, error)
}
