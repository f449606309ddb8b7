package token

import "strings"

// TokenFlags are a token's CK_TOKEN_INFO flags.
type TokenFlags uint

// LoginRequired reports whether keys are used only after C_Login.
func (f TokenFlags) LoginRequired() bool { return f&ckfLoginRequired != 0 }

// ProtectedAuthPath reports whether the PIN is entered on the device itself (PIN pad,
// biometric) rather than passed by the program.
func (f TokenFlags) ProtectedAuthPath() bool { return f&ckfProtectedAuthPath != 0 }

// Initialized reports whether the token has been initialised.
func (f TokenFlags) Initialized() bool { return f&ckfTokenInitialized != 0 }

// UserPINInitialized reports whether the user PIN has been set.
func (f TokenFlags) UserPINInitialized() bool { return f&ckfUserPINInitialized != 0 }

// PINCountLow reports that at least one wrong user PIN was entered since the last
// successful login (CKF_USER_PIN_COUNT_LOW).
func (f TokenFlags) PINCountLow() bool { return f&ckfUserPINCountLow != 0 }

// PINFinalTry reports that one more wrong user PIN locks the token
// (CKF_USER_PIN_FINAL_TRY).
func (f TokenFlags) PINFinalTry() bool { return f&ckfUserPINFinalTry != 0 }

// PINLocked reports that the user PIN is locked (CKF_USER_PIN_LOCKED): the device must
// be recovered by the managing organisation.
func (f TokenFlags) PINLocked() bool { return f&ckfUserPINLocked != 0 }

// PINToBeChanged reports that the user PIN must be changed before use
// (CKF_USER_PIN_TO_BE_CHANGED).
func (f TokenFlags) PINToBeChanged() bool { return f&ckfUserPINToBeChanged != 0 }

// WriteProtected reports a read-only token.
func (f TokenFlags) WriteProtected() bool { return f&ckfWriteProtected != 0 }

// String lists the flags that matter to a user, e.g. "login-required,pin-count-low".
func (f TokenFlags) String() string {
	var s []string
	for _, x := range []struct {
		on   bool
		name string
	}{
		{f.Initialized(), "initialized"}, {f.LoginRequired(), "login-required"},
		{f.UserPINInitialized(), "user-pin-initialized"}, {f.ProtectedAuthPath(), "pin-pad"},
		{f.WriteProtected(), "write-protected"}, {f.PINCountLow(), "pin-count-low"},
		{f.PINFinalTry(), "pin-final-try"}, {f.PINLocked(), "pin-locked"},
		{f.PINToBeChanged(), "pin-to-be-changed"},
	} {
		if x.on {
			s = append(s, x.name)
		}
	}
	return strings.Join(s, ",")
}
