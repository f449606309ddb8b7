package signature_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// TestVerifyPageReachableOutsidePageTree is the headline of issue 11: a page reachable
// from /OpenAction, /Outlines, /Names /Dests or the structure tree, signed twice (the
// clerk's seal after the leader's signature), must verify TOTAL_PASSED for both
// signatures, visible or not, and after a certification.
func TestVerifyPageReachableOutsidePageTree(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	docs := []struct {
		name string
		pdf  []byte
	}{
		{"OpenAction", openActionPDF},
		{"Outlines", outlinesPDF},
		{"named destinations", namedDestsPDF},
		{"tagged", taggedPDF},
	}
	widget := func(y float64) *signature.Widget {
		return &signature.Widget{Page: 1, Rect: [4]float64{300, y, 500, y + 60}, Appearance: signature.AppearanceFunc(
			func(ctx context.Context, req signature.AppearanceRequest) ([]byte, error) { return openActionPDF, nil })}
	}
	for _, d := range docs {
		for _, visible := range []bool{false, true} {
			for _, certify := range []signature.DocMDPPermission{0, signature.DocMDPFormFilling} {
				name := d.name
				if visible {
					name += "/visible"
				}
				if certify != 0 {
					name += "/certified"
				}
				t.Run(name, func(t *testing.T) {
					o1 := &signature.SignOptions{Time: now, Certify: certify}
					o2 := &signature.SignOptions{Time: now}
					if visible {
						o1.Widget, o2.Widget = widget(100), widget(200)
					}
					once := vtSign(t, p, d.pdf, o1)
					twice := vtSign(t, p, once, o2)
					opts := &signature.VerifyOptions{Roots: p.roots, Revocation: vtSource{t: t, p: p, now: now}, Time: now}
					rep := signaturetest.AssertSignatures(t, twice, opts,
						signaturetest.Expect{Indication: signature.TotalPassed, Modification: signature.ModLTAUpdates},
						signaturetest.Expect{Indication: signature.TotalPassed, Modification: signature.ModNone})
					require.Len(t, rep.Signatures, 2)
					assert.Empty(t, rep.Signatures[0].Changes[:0])
				})
			}
		}
	}
}
