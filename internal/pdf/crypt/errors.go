package crypt

import (
	"errors"
	"fmt"
)

// Sentinel errors, usable with errors.Is. Every error New, NewParams and the decryption
// methods return wraps one of them, usually through one of the detail types below.
var (
	// ErrWrongPassword means the password is neither the document's user password nor
	// its owner password (sai mật khẩu).
	ErrWrongPassword = errors.New("crypt: wrong password (sai mật khẩu): it is neither the document's user nor its owner password")

	// ErrUnsupported means the document uses a security handler, revision or crypt
	// filter method this package does not implement, such as the public-key handler
	// /Adobe.PubSec. The detail is an *UnsupportedError.
	ErrUnsupported = errors.New("crypt: unsupported encryption")

	// ErrMalformed means the encryption dictionary or an encrypted string or stream is
	// broken (an O or U entry of the wrong length, Perms that do not decrypt, a
	// ciphertext that is not a whole number of AES blocks). The detail is a
	// *MalformedError.
	ErrMalformed = errors.New("crypt: malformed encryption data")
)

// UnsupportedError reports what this package does not implement. It wraps
// ErrUnsupported.
type UnsupportedError struct {
	// Entry is the encryption dictionary entry concerned, with its slash: "/Filter",
	// "/V", "/R", "/CFM", "/StmF", "/StrF" or "/EFF".
	Entry string
	// Value is the value found, e.g. "Adobe.PubSec" or "3".
	Value string
	// Reason optionally says more.
	Reason string
}

func (e *UnsupportedError) Error() string {
	msg := fmt.Sprintf("crypt: unsupported encryption: %s %s", e.Entry, e.Value)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns ErrUnsupported.
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// MalformedError reports a broken encryption dictionary entry or encrypted value. It
// wraps ErrMalformed.
type MalformedError struct {
	// Entry is what is broken: an encryption dictionary key with its slash ("/O",
	// "/U", "/Perms", …) or, for data, "string" or "stream".
	Entry string
	// Reason says what is wrong, e.g. "is 20 bytes, want at least 32".
	Reason string
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("crypt: malformed encryption data: %s %s", e.Entry, e.Reason)
}

// Unwrap returns ErrMalformed.
func (e *MalformedError) Unwrap() error { return ErrMalformed }

func malformed(entry, format string, args ...any) error {
	return &MalformedError{Entry: entry, Reason: fmt.Sprintf(format, args...)}
}
