package pdf

import (
	"errors"
	"fmt"
)

// Sentinel errors, usable with errors.Is. Errors returned by this package wrap one of
// them, usually through a detail type (LimitError, MalformedError,
// UnsupportedEncryptionError) usable with errors.As.
var (
	// ErrNotPDF means the input does not start like a PDF file and holds no PDF objects.
	ErrNotPDF = errors.New("pdf: not a PDF file")
	// ErrMalformed means the file breaks the PDF syntax in a way that cannot be repaired.
	ErrMalformed = errors.New("pdf: malformed file")
	// ErrLimit means the file exceeds one of the limits in Options.
	ErrLimit = errors.New("pdf: limit exceeded")
	// ErrUnsupportedEncryption means the file is encrypted with a security handler or
	// algorithm this package does not implement (public-key security, unknown filters).
	ErrUnsupportedEncryption = errors.New("pdf: unsupported encryption")
	// ErrWrongPassword means the password given in Options (or the empty password)
	// does not open the encrypted file.
	ErrWrongPassword = errors.New("pdf: wrong password (sai mật khẩu): neither the user nor the owner password of this encrypted file")
)

// LimitError reports which limit of Options a file exceeded.
type LimitError struct {
	// Limit names the limit: an Options field ("MaxObjects", "MaxDepth",
	// "MaxStreamSize", "MaxParsedBytes") or a fixed bound ("object size", "revisions", "recovery reads").
	Limit string
	Max   int64 // the limit in force
	// Offset is the file offset where the limit was hit, or -1 when unknown.
	Offset int64
}

// Error names the limit, its value and where it was hit.
func (e *LimitError) Error() string {
	s := fmt.Sprintf("pdf: limit exceeded: %s (%d)", e.Limit, e.Max)
	if e.Offset >= 0 {
		s += fmt.Sprintf(" at offset %d", e.Offset)
	}
	switch e.Limit {
	case "MaxObjects", "MaxDepth", "MaxStreamSize", "MaxParsedBytes":
		s += "; raise the " + e.Limit + " limit if the file is trusted"
	default:
		s += "; the file is too large or too damaged to read"
	}
	return s
}

// Is reports whether target is ErrLimit.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// MalformedError reports a syntax or structure error and where it was found.
type MalformedError struct {
	Offset int64  // file offset, or -1 when unknown
	Ref    Ref    // the object being read, when known (Num > 0)
	Msg    string // what is wrong
	Err    error  // an underlying error, if any
}

// Error says what is wrong and where (object and offset, when known).
func (e *MalformedError) Error() string {
	s := "pdf: malformed file: " + e.Msg
	if e.Ref.Num > 0 {
		s += fmt.Sprintf(" (object %d %d)", e.Ref.Num, e.Ref.Gen)
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf(" at offset %d", e.Offset)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is ErrMalformed.
func (e *MalformedError) Is(target error) bool { return target == ErrMalformed }

// Unwrap returns the underlying error.
func (e *MalformedError) Unwrap() error { return e.Err }

// UnsupportedEncryptionError names the security handler or algorithm that is not
// supported.
type UnsupportedEncryptionError struct {
	Handler string // the /Filter of the encryption dictionary, e.g. "Adobe.PubSec"
	Detail  string // what exactly is unsupported
}

// Error names the security handler and what of it is unsupported.
func (e *UnsupportedEncryptionError) Error() string {
	s := "pdf: unsupported encryption: security handler " + e.Handler
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Is reports whether target is ErrUnsupportedEncryption.
func (e *UnsupportedEncryptionError) Is(target error) bool {
	return target == ErrUnsupportedEncryption
}

func malformed(off int64, format string, args ...any) error {
	return &MalformedError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}
