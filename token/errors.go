package token

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of the software signer and of key files.
var (
	// ErrWeakHash: the digest was made with SHA-1 or MD5, which signers refuse
	// (SHA-2 or SHA-3 only: kyso's policy, as Thông tư 15/2025/TT-BKHCN lists for
	// public signatures and kyso follows as practice; Thông tư 39/2017/TT-BTTTT
	// recommends SHA-2).
	ErrWeakHash = errors.New("token: SHA-1 and MD5 are refused; use SHA-256 or stronger")
	// ErrUnsupportedHash: the signer does not know the hash function asked for.
	ErrUnsupportedHash = errors.New("token: unsupported hash function")
	// ErrDigestSize: the digest's length does not match its hash function.
	ErrDigestSize = errors.New("token: digest length does not match the hash function")
	// ErrUnsupportedKey: the key is neither RSA nor ECDSA, or too weak
	// (RSA < 2048 bits, ECDSA < 256 bits).
	ErrUnsupportedKey = errors.New("token: unsupported key type or size")
	// ErrUnsupportedOptions: the signer options do not fit the key (PSS options for an
	// ECDSA key, for example).
	ErrUnsupportedOptions = errors.New("token: signer options do not fit the key")
	// ErrMalformedKeyFile: a PKCS#12 or PEM file could not be parsed.
	ErrMalformedKeyFile = errors.New("token: malformed key file")
	// ErrIncorrectPassword: the password of a PKCS#12 file or encrypted PEM key is wrong.
	ErrIncorrectPassword = errors.New("token: incorrect password for the key file")
	// ErrNoPrivateKey: the key file holds no private key.
	ErrNoPrivateKey = errors.New("token: no private key in the key file")
	// ErrNoCertificate: no certificate matches the private key.
	ErrNoCertificate = errors.New("token: no certificate matches the private key")
	// ErrKeyMismatch: the certificate given does not belong to the private key.
	ErrKeyMismatch = errors.New("token: the certificate does not match the private key")
	// ErrTooLarge: an input exceeds the package's limits.
	ErrTooLarge = errors.New("token: input too large")
)

// Errors of PKCS#11 tokens. A [*PINError] or [*PKCS11Error] matches the relevant ones
// with errors.Is.
var (
	// ErrNoPKCS11: the program was built without cgo, so PKCS#11 modules cannot be
	// loaded. Rebuild with CGO_ENABLED=1 and a C compiler.
	ErrNoPKCS11 = errors.New("token: PKCS#11 support needs cgo; this program was built with CGO_ENABLED=0 (rebuild with CGO_ENABLED=1)")
	// ErrModule: the PKCS#11 module could not be loaded or initialised.
	ErrModule = errors.New("token: cannot load the PKCS#11 module")
	// ErrClosed: the module, token or signer has been closed.
	ErrClosed = errors.New("token: already closed")
	// ErrTokenNotFound: no slot holds a token matching the options.
	ErrTokenNotFound = errors.New("token: no matching token (không tìm thấy thiết bị ký số)")
	// ErrAmbiguousToken: several tokens match the options; give a label or serial.
	ErrAmbiguousToken = errors.New("token: several tokens match; choose one by label or serial")
	// ErrTokenNotPresent: the slot holds no token (CKR_TOKEN_NOT_PRESENT).
	ErrTokenNotPresent = errors.New("token: thiết bị ký số chưa được cắm / the token is not present")
	// ErrTokenRemoved: the token was removed during an operation (CKR_DEVICE_REMOVED,
	// CKR_TOKEN_NOT_PRESENT after a session was opened).
	ErrTokenRemoved = errors.New("token: thiết bị ký số đã bị rút ra trong khi đang dùng / the token was removed during the operation")
	// ErrKeyNotFound: no signing key matches the selector.
	ErrKeyNotFound = errors.New("token: no matching signing key with a certificate on the token")
	// ErrAmbiguousKey: several signing keys match; give a key ID or label.
	ErrAmbiguousKey = errors.New("token: several signing keys match; choose one by key ID or label")
	// ErrMechanismUnsupported: the token offers no mechanism for this signature.
	ErrMechanismUnsupported = errors.New("token: the token offers no mechanism for this signature")
	// ErrPINIncorrect: the PIN was wrong (CKR_PIN_INCORRECT).
	ErrPINIncorrect = errors.New("token: incorrect PIN")
	// ErrPINLocked: the user PIN is locked after too many wrong PINs (CKR_PIN_LOCKED or
	// CKF_USER_PIN_LOCKED). The CA recovers the device on the managing
	// organisation's request (Nghị định 68/2024/NĐ-CP Mẫu số 06).
	ErrPINLocked = errors.New("token: PIN locked")
	// ErrPINExpired: the PIN has expired or must be changed before use
	// (CKR_PIN_EXPIRED, CKF_USER_PIN_TO_BE_CHANGED).
	ErrPINExpired = errors.New("token: PIN expired or must be changed")
	// ErrPINInvalid: the PIN has characters or a length the token does not accept
	// (CKR_PIN_INVALID, CKR_PIN_LEN_RANGE).
	ErrPINInvalid = errors.New("token: PIN has an invalid form")
	// ErrNoPIN: a PIN was needed and the callback gave none (or there is no callback).
	ErrNoPIN = errors.New("token: a PIN is needed and none was given")
)

// PINReason says what is wrong with a PIN.
type PINReason int

// The PIN problems a token reports.
const (
	PINIncorrect PINReason = iota + 1 // wrong PIN
	PINLocked                         // locked after too many wrong PINs
	PINExpired                        // expired or must be changed first
	PINInvalid                        // form or length refused by the token
	PINNotGiven                       // a PIN is needed and none was given
)

// PINError is a login failure. Its message, in Vietnamese and English, names the problem
// and, when the token reports it, how few tries are left.
type PINError struct {
	Token    string    // token label
	Reason   PINReason // what is wrong
	CountLow bool      // the token reports few tries left (CKF_USER_PIN_COUNT_LOW)
	FinalTry bool      // the next wrong PIN locks the token (CKF_USER_PIN_FINAL_TRY)
	Code     uint      // the PKCS#11 return code, 0 if the error did not come from the token
	Err      error     // the callback's error for PINNotGiven, else nil
}

// Error names the PIN problem in Vietnamese and English, with the tries left when the
// token reports them.
func (e *PINError) Error() string {
	var b strings.Builder
	b.WriteString("token")
	if e.Token != "" {
		fmt.Fprintf(&b, " %q", e.Token)
	}
	b.WriteString(": ")
	switch e.Reason {
	case PINIncorrect:
		b.WriteString("mã PIN không đúng / incorrect PIN")
		switch {
		case e.FinalTry:
			b.WriteString("; còn một lần thử cuối cùng, nhập sai nữa thiết bị sẽ bị khóa / final try left: one more wrong PIN locks the device")
		case e.CountLow:
			b.WriteString("; chỉ còn ít lần thử / few tries left before the device locks")
		}
	case PINLocked:
		b.WriteString("mã PIN đã bị khóa do nhập sai quá số lần cho phép; cơ quan, tổ chức quản lý trực tiếp đề nghị Cục Chứng thực số và Bảo mật thông tin khôi phục thiết bị (Mẫu số 06, Nghị định 68/2024/NĐ-CP; trước 15/8/2024: Mẫu 11/12, Thông tư 185/2019/TT-BQP) / " +
			"the PIN is locked after too many wrong PINs; the CA recovers the device on the managing organisation's request (NĐ 68/2024 Mẫu 06)")
	case PINExpired:
		b.WriteString("mã PIN đã hết hạn hoặc phải đổi trước khi dùng / the PIN has expired or must be changed before use")
	case PINInvalid:
		b.WriteString("mã PIN không hợp lệ (ký tự hoặc độ dài) / the PIN has characters or a length the device refuses")
	case PINNotGiven:
		b.WriteString("cần mã PIN nhưng chưa được cung cấp / a PIN is needed and none was given")
	default:
		b.WriteString("lỗi mã PIN / PIN error")
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Is matches the sentinel errors ErrPINIncorrect, ErrPINLocked, ErrPINExpired,
// ErrPINInvalid and ErrNoPIN.
func (e *PINError) Is(target error) bool {
	switch target {
	case ErrPINIncorrect:
		return e.Reason == PINIncorrect
	case ErrPINLocked:
		return e.Reason == PINLocked
	case ErrPINExpired:
		return e.Reason == PINExpired
	case ErrPINInvalid:
		return e.Reason == PINInvalid
	case ErrNoPIN:
		return e.Reason == PINNotGiven
	}
	return false
}

// Unwrap returns the callback's error, if any.
func (e *PINError) Unwrap() error { return e.Err }

// PKCS#11 return codes the package interprets (PKCS#11 v2.40 §5.1).
const (
	ckrDeviceError          = 0x30
	ckrDeviceRemoved        = 0x32
	ckrTokenNotPresent      = 0xE0
	ckrTokenNotRecognized   = 0xE1
	ckrSessionClosed        = 0xB0
	ckrSessionHandleInvalid = 0xB3
	ckrUserNotLoggedIn      = 0x101
	ckrMechanismInvalid     = 0x70
	ckrSlotIDInvalid        = 0x03
)

// PKCS11Error is a failure reported by a PKCS#11 module. errors.Is matches
// ErrTokenNotPresent and ErrTokenRemoved for the codes that mean so.
type PKCS11Error struct {
	Op   string // the PKCS#11 function, e.g. "C_Sign"
	Code uint   // the CKR_ return code
	Name string // the code's name, e.g. "CKR_DEVICE_REMOVED", when known
}

// Error names the failed PKCS#11 function and its return code, and says in Vietnamese
// and English when the code means the token is absent or was removed.
func (e *PKCS11Error) Error() string {
	name := e.Name
	if name == "" {
		name = fmt.Sprintf("CKR 0x%X", e.Code)
	}
	msg := fmt.Sprintf("token: %s failed: %s", e.Op, name)
	switch e.Code {
	case ckrDeviceRemoved:
		msg += " (thiết bị ký số đã bị rút ra / the token was removed)"
	case ckrTokenNotPresent:
		msg += " (thiết bị ký số chưa được cắm / the token is not present)"
	}
	return msg
}

// Is matches ErrTokenNotPresent (CKR_TOKEN_NOT_PRESENT) and ErrTokenRemoved
// (CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT), and ErrMechanismUnsupported
// (CKR_MECHANISM_INVALID).
func (e *PKCS11Error) Is(target error) bool {
	switch target {
	case ErrTokenNotPresent:
		return e.Code == ckrTokenNotPresent || e.Code == ckrTokenNotRecognized
	case ErrTokenRemoved:
		return e.Code == ckrDeviceRemoved || e.Code == ckrTokenNotPresent
	case ErrMechanismUnsupported:
		return e.Code == ckrMechanismInvalid
	}
	return false
}
