package signature

import (
	"crypto"
	"time"
)

// DocMDPPermission is the P value of a certification signature (DocMDP): which changes
// the certifier allows after signing. 0 means "do not certify".
type DocMDPPermission int

// Certification levels (ISO 32000-1 §12.8.2.2).
const (
	// DocMDPNoChanges (P=1): no change at all, not even another signature.
	DocMDPNoChanges DocMDPPermission = 1
	// DocMDPFormFilling (P=2): filling in forms and signing.
	DocMDPFormFilling DocMDPPermission = 2
	// DocMDPAnnotations (P=3): P=2 plus creating, changing and deleting annotations.
	DocMDPAnnotations DocMDPPermission = 3
)

// SignOptions controls Sign and Prepare, in the manner of x509.VerifyOptions. The zero
// value (or nil) signs with SHA-256 into a new invisible field named "SignatureN", at
// the current time, with PKCS#1 v1.5 for RSA keys.
type SignOptions struct {
	// Time is written to the signature dictionary's /M (PAdES B-B has no signing-time
	// attribute). Zero means time.Now().
	Time time.Time
	// Hash is the digest algorithm: crypto.SHA256 (default), crypto.SHA384 or
	// crypto.SHA512. SHA-1 and MD5 are refused.
	Hash crypto.Hash
	// PSS selects RSASSA-PSS for RSA keys (mandatory for signing under Thông tư
	// 39/2017/TT-BTTTT). Ignored for ECDSA keys.
	PSS bool

	// Name, Reason, Location and ContactInfo go into the signature dictionary as PDF
	// text strings (any Vietnamese text). Empty values are omitted.
	Name        string
	Reason      string
	Location    string
	ContactInfo string

	// Field names an existing, empty signature field to sign (its full dotted name).
	// It is an error if the field is absent (unless CreateField), not a signature
	// field or already signed.
	Field string
	// CreateField makes Field mean "this field, or create it": when the document has
	// no field of that name, a new one is created with that name (as NewField would,
	// with Widget), so a caller needs no retry. A field of that name that is not an
	// empty signature field is still refused.
	CreateField bool
	// NewField names the new signature field created when Field is empty; empty means
	// a unique "SignatureN". It is an error if a field of that name exists.
	NewField string
	// Widget makes the new signature visible: a widget on a page with an appearance
	// the caller draws. Nil makes an invisible signature. With Field, only
	// Widget.Appearance is used, on the existing field's widget rectangle (all of it
	// when CreateField creates the field).
	Widget *Widget

	// Certify makes this a certification signature (DocMDP) with the given
	// permission. Only the first signature of a document may certify.
	Certify DocMDPPermission

	// Limits bounds the reading of the input; the zero value gives safe defaults.
	Limits ReadLimits

	// Password opens an encrypted input (the user or owner password; nil is the empty
	// password). New strings are encrypted with the document's key; /Contents never is.
	Password []byte

	// ReserveUnsigned is the room, in bytes, kept in /Contents for unsigned attributes
	// added later (a signature time-stamp token for PAdES B-T is about 6–8 KB).
	// 0 means 16384; a negative value reserves none (refused with a Level above
	// B-B); more than 1 MiB is refused.
	ReserveUnsigned int

	// Level asks for PAdES B-T, B-LT or B-LTA (a signature time-stamp, then a DSS,
	// then a document time-stamp); nil signs at B-B. Sign only: Prepare refuses a level
	// above B-B with ErrInvalidOptions (see LevelOptions).
	Level *LevelOptions

	// Policy, when not nil, is asked before the signature is made whether the signer
	// may sign this document (see PolicyHook); a refusal stops Sign or Prepare with
	// ErrPolicyRefused before anything is written. Nil signs without a policy check.
	Policy PolicyHook

	// StateKey, used by Prepare only, protects the deferred-signing state with
	// HMAC-SHA256. Complete must be given the same key. Without a key the state is
	// still bound to the input by its digest, but anyone can forge a consistent one.
	StateKey []byte
}

// ReadLimits bounds what reading a PDF may cost, against crafted or damaged files. A
// zero field means its default.
type ReadLimits struct {
	// MaxObjects bounds the number of objects (the highest object number), and the
	// number of elements of one parsed value. Default 1,000,000.
	MaxObjects int
	// MaxDepth bounds the nesting of arrays and dictionaries, and of the page and
	// form-field trees. Default 64.
	MaxDepth int
	// MaxStreamSize bounds the decompressed size of one stream the signer reads
	// (cross-reference and object streams). Default 256 MiB.
	MaxStreamSize int64
}

// Widget places a visible signature.
type Widget struct {
	// Page is the 1-based page number; 0 means page 1.
	Page int
	// Rect is the widget rectangle in the page's default user space:
	// lower-left x, lower-left y, upper-right x, upper-right y, in points.
	Rect [4]float64
	// Appearance draws the widget. Nil leaves the widget blank.
	Appearance Appearance
}

// SignResult describes the signature that was written.
type SignResult struct {
	// Field is the full name of the signature field that holds the signature.
	Field string
	// ByteRange is the signature's /ByteRange: the signed bytes are
	// [ByteRange[0], ByteRange[0]+ByteRange[1]) and [ByteRange[2], ByteRange[2]+ByteRange[3]).
	ByteRange [4]int64
	// Size is the size of the signed document (bytes written).
	Size int64
	// ContentsCapacity is the size in bytes of the /Contents hole; CMSSize of the CMS
	// written into it. The difference is room for unsigned attributes.
	ContentsCapacity int
	CMSSize          int
	// Time is the signing time written to /M.
	Time time.Time
	// Certified is the DocMDP permission when this is a certification signature.
	Certified DocMDPPermission
	// Warnings lists what the PDF reader repaired or ignored in the input, for
	// example a broken cross-reference table rebuilt by scanning the file as viewers
	// do. The signature is valid (the update then carries a complete cross-reference);
	// a caller may still want to tell the user that the input was damaged. Nil when
	// the input was sound, and always nil from Complete (Prepare reports them).
	Warnings []string
	// Level says which level SignOptions.Level reached and what was added; nil when
	// no level was asked for.
	Level *LevelResult
}
