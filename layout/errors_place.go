package layout

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of Place and FindSigner, for errors.Is.
var (
	// ErrAnchorNotFound: the signer's title and name (ô 7a, 7b) are not on the page.
	ErrAnchorNotFound = errors.New("layout: signer block not found")
	// ErrAnchorAmbiguous: the signer block is printed more than once on the page, or
	// several signatures could be the one a seal goes with.
	ErrAnchorAmbiguous = errors.New("layout: signer block ambiguous")
	// ErrSpec: the Spec is incomplete or contradictory.
	ErrSpec = errors.New("layout: invalid placement spec")
	// ErrDocument: the PDF cannot be read.
	ErrDocument = errors.New("layout: unreadable document")
	// ErrPlacementImage: the signature or seal image cannot be used.
	ErrPlacementImage = errors.New("layout: unusable image")
)

// Candidate is text or a signature found on a page that could have been what was
// looked for.
type Candidate struct {
	Page int        // 1-based
	Text string     // the line(s), or the signature field's name
	Rect [4]float64 // where, in default user space
}

// AnchorError reports a signer block that was not found, or found more than once.
// Unwrap gives ErrAnchorNotFound or ErrAnchorAmbiguous.
type AnchorError struct {
	Err        error       // ErrAnchorNotFound or ErrAnchorAmbiguous
	Signer     string      // the title and name searched for
	Candidates []Candidate // lines or signatures that came close, with their pages
}

// Error lists what was searched for and the candidates, in Vietnamese and English.
func (e *AnchorError) Error() string {
	var b strings.Builder
	switch e.Err {
	case ErrAnchorAmbiguous:
		fmt.Fprintf(&b, "layout: khối chữ ký của %q xuất hiện nhiều lần / the signer block of %q is ambiguous", e.Signer, e.Signer)
	default:
		fmt.Fprintf(&b, "layout: không tìm thấy khối chữ ký của %q / the signer block of %q was not found", e.Signer, e.Signer)
	}
	if len(e.Candidates) > 0 {
		b.WriteString("; ứng viên / candidates:")
		for _, c := range e.Candidates {
			fmt.Fprintf(&b, " [trang/page %d: %q]", c.Page, strings.ReplaceAll(c.Text, "\n", " / "))
		}
	} else {
		b.WriteString("; không có dòng nào gần giống: hãy chỉ định trang và khung chữ ký (Spec.Page, Spec.Rect) / nothing came close: give the page and rectangle by hand (Spec.Page, Spec.Rect)")
	}
	return b.String()
}

// Unwrap returns the sentinel.
func (e *AnchorError) Unwrap() error { return e.Err }

// SpecError reports a Spec field that is missing or wrong. Unwrap gives ErrSpec.
type SpecError struct {
	Field string // the Spec field, e.g. "SealMM"
	Msg   string // what is wrong with it, in Vietnamese and English
}

// Error names the field and the problem.
func (e *SpecError) Error() string { return "layout: Spec." + e.Field + ": " + e.Msg }

// Unwrap returns ErrSpec.
func (e *SpecError) Unwrap() error { return ErrSpec }

// DocumentError reports a PDF that could not be read. errors.Is(err, ErrDocument)
// holds, and the reader's own error is wrapped too.
type DocumentError struct {
	Page int   // 1-based, 0 for the whole document
	Err  error // the PDF reader's error
}

// Error gives the page, when known, and the reader's error.
func (e *DocumentError) Error() string {
	if e.Page > 0 {
		return fmt.Sprintf("layout: page %d: %v", e.Page, e.Err)
	}
	return "layout: " + e.Err.Error()
}

// Unwrap returns ErrDocument and the reader's error.
func (e *DocumentError) Unwrap() []error { return []error{ErrDocument, e.Err} }
