package signature

import (
	"context"
	"crypto/x509"
	"time"
)

// Appearance draws a visible signature. kyso's layout package implements it; callers
// may supply their own. The method uses only standard types, so that an implementation
// (layout.Placement) need not import this package.
//
// The appearance is exchanged as a PDF document: Sign imports the first page of the
// returned document — its content and resources — as the widget's normal appearance
// (/AP /N, a form XObject whose /BBox is the page's MediaBox). A viewer scales the
// MediaBox onto the widget rectangle, so a page of width × height points maps one to
// one.
//
// width and height are the widget's size as the reader sees it, in points: the /Rect
// size, swapped on pages displayed rotated by 90° or 270° (Sign counter-rotates the
// appearance so that it reads upright). signer is the signer's certificate;
// signingTime the time written to /M.
type Appearance interface {
	AppearancePDF(ctx context.Context, width, height float64, signer *x509.Certificate, signingTime time.Time) ([]byte, error)
}

// AppearanceFunc adapts a function to Appearance.
type AppearanceFunc func(ctx context.Context, width, height float64, signer *x509.Certificate, signingTime time.Time) ([]byte, error)

// AppearancePDF calls f.
func (f AppearanceFunc) AppearancePDF(ctx context.Context, width, height float64, signer *x509.Certificate, signingTime time.Time) ([]byte, error) {
	return f(ctx, width, height, signer, signingTime)
}
