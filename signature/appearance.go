package signature

import (
	"context"
	"crypto/x509"
	"time"
)

// Appearance draws a visible signature. kyso's layout package implements it; callers
// may supply their own.
//
// The appearance is exchanged as a PDF document so that the interface needs nothing
// but standard types: Sign imports the first page of the returned document — its
// content and resources — as the widget's normal appearance (/AP /N, a form XObject
// whose /BBox is the page's MediaBox). A viewer scales the MediaBox onto the widget
// rectangle, so a page of AppearanceRequest.Width × Height points maps one to one.
type Appearance interface {
	AppearancePDF(ctx context.Context, req AppearanceRequest) ([]byte, error)
}

// AppearanceFunc adapts a function to Appearance.
type AppearanceFunc func(ctx context.Context, req AppearanceRequest) ([]byte, error)

// AppearancePDF calls f.
func (f AppearanceFunc) AppearancePDF(ctx context.Context, req AppearanceRequest) ([]byte, error) {
	return f(ctx, req)
}

// AppearanceRequest tells an Appearance what it draws.
type AppearanceRequest struct {
	// Width and Height of the widget as the reader sees it, in points: the /Rect
	// size, swapped on pages displayed rotated by 90° or 270° (Sign counter-rotates the
	// appearance so that it reads upright).
	Width, Height float64
	// Signer is the signer's certificate.
	Signer *x509.Certificate
	// Time is the signing time written to /M.
	Time time.Time
	// Name, Reason, Location and ContactInfo are the texts of SignOptions.
	Name, Reason, Location, ContactInfo string
}
