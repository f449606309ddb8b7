package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
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
		{"direct annotation", directAnnotPDF},
		{"page and catalog named from the page's resources", selfNamedPDF},
		// In object streams the analysis walks the whole object graph (the census of
		// references cannot read them), not only the changed pages.
		{"page and catalog named from the page's resources, object streams",
			pdftest.QPDF(t, selfNamedPDF, "--object-streams=generate")},
	}
	widget := func(y float64) *signature.Widget {
		return &signature.Widget{Page: 1, Rect: [4]float64{300, y, 500, y + 60}, Appearance: signature.AppearanceFunc(
			func(context.Context, float64, float64, *x509.Certificate, time.Time) ([]byte, error) {
				return openActionPDF, nil
			})}
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

// TestVerifySneakySignatureAfterCertification: an unsigned visible signature field
// added after a certification draws over the certified page with no signature behind
// it. P=2 and P=3 allow signing (ISO 32000-2 12.8.2.2), not such an overlay; without a
// certification it is an ordinary field prepared for the next signer.
func TestVerifySneakySignatureAfterCertification(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	rect := pdf.Array{pdf.Integer(72), pdf.Integer(700), pdf.Integer(272), pdf.Integer(740)}
	for _, tc := range []struct {
		certify signature.DocMDPPermission
		want    signature.Indication
	}{
		{0, signature.TotalPassed},
		{signature.DocMDPNoChanges, signature.TotalFailed},
		{signature.DocMDPFormFilling, signature.TotalFailed},
		{signature.DocMDPAnnotations, signature.TotalFailed},
	} {
		t.Run(fmt.Sprintf("P=%d", tc.certify), func(t *testing.T) {
			signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now, Certify: tc.certify})
			doc := addEmptySigField(t, signed, rect)
			rep := vtVerify(t, p, doc, now, nil)
			s := rep.Signatures[0]
			assert.Equal(t, tc.want, s.Indication, "%+v", s.Checks)
			if tc.want == signature.TotalFailed {
				c, ok := s.Check(signature.CheckDocMDP)
				require.True(t, ok)
				assert.Equal(t, signature.CheckFailed, c.Result)
				integ, _ := s.Check(signature.CheckIntegrity)
				assert.NotContains(t, integ.MessageEN, "forged", "a disallowed change is not a forgery")
			}
			if tc.certify >= signature.DocMDPFormFilling {
				c, _ := s.Check(signature.CheckDocMDP)
				assert.Contains(t, c.MessageEN, "sneaky signature")
				assert.Contains(t, c.MessageEN, `"Sneaky"`)
			}
			// Signing the prepared field afterwards is signing: allowed under P=2/P=3.
			if tc.certify >= signature.DocMDPFormFilling {
				then := vtSign(t, p, doc, &signature.SignOptions{Time: now, Field: "Sneaky"})
				rep := vtVerify(t, p, then, now, nil)
				for _, s := range rep.Signatures {
					assert.Equal(t, signature.TotalPassed, s.Indication, "%s: %s", s.Field, signaturetest.FailedChecks(&s))
				}
			}
		})
	}
}

// TestVerifyShadowXRefToOtherObject: a later cross-reference entry points a signed
// object's number at a different object. A viewer following the entry shows that
// object; the reader repairs the entry by scanning, and the analysis must not call the
// document unchanged.
func TestVerifyShadowXRefToOtherObject(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	// Object 6 is a second content stream nobody draws (hidden in the signed revision).
	base := pdftest.Hand("<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>", pageObj, pageContent, fontObj,
		"stream:BT /F1 24 Tf 72 720 Td (Evil text) Tj ET")
	signed := vtSign(t, p, base, &signature.SignOptions{Time: now})
	off := bytes.Index(signed, []byte("6 0 obj"))
	require.Positive(t, off)
	doc := redirectXRef(t, signed, 4, off)
	rep := vtVerify(t, p, doc, now, nil)
	s := rep.Signatures[0]
	assert.NotEqual(t, signature.TotalPassed, s.Indication, "%+v", s.Changes)
	assert.NotEqual(t, signature.ModNone, s.Modification, "the shadowed content stream was called not changed")
}

// TestVerifyIntegrityWording: "changed or forged" only when the digest or the
// signature value fails; other failures say what failed.
func TestVerifyIntegrityWording(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now})
	integrity := func(t *testing.T, doc []byte, pki *vtPKI) (signature.Check, *signature.SignatureReport) {
		rep := vtVerify(t, pki, doc, now, nil)
		s := rep.Signatures[0]
		c, ok := s.Check(signature.CheckIntegrity)
		require.True(t, ok)
		return c, &s
	}
	t.Run("content changed: forged wording", func(t *testing.T) {
		c, s := integrity(t, patchLast(t, signed, "Hello kyso", "Hellx kyso"), p)
		assert.Equal(t, signature.HashFailure, s.SubIndication)
		assert.Equal(t, signature.CheckFailed, c.Result)
		assert.Contains(t, c.MessageEN, "forged")
	})
	t.Run("page content replaced later: says which object", func(t *testing.T) {
		doc := update(t, signed, func(d *pdf.Document, u *pdf.Update) {
			u.Set(pdf.Ref{Num: 7}, &pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(20)}, Data: []byte("BT (Evil text) Tj ET")})
		})
		c, s := integrity(t, doc, p)
		assert.Equal(t, signature.TotalFailed, s.Indication)
		assert.Equal(t, signature.CheckFailed, c.Result)
		assert.NotContains(t, c.MessageEN, "forged")
		assert.Contains(t, c.MessageEN, "7 0 R")
		assert.Contains(t, c.MessageEN, "signed revision is intact")
		assert.Contains(t, c.MessageVI, "không được phép")
	})
	t.Run("broken byte range: says the structure", func(t *testing.T) {
		br, _ := lastByteRange(t, signed)
		c, _ := integrity(t, setByteRange(t, signed, 0, br[1]), p)
		assert.Equal(t, signature.CheckFailed, c.Result)
		assert.NotContains(t, c.MessageEN, "forged")
		assert.Contains(t, c.MessageEN, "byte-range")
	})
	for name, doc := range map[string][]byte{
		"no /Contents":  patchLast(t, signed, "/Contents <", "/Contentx <"),
		"no /ByteRange": patchLast(t, signed, "/ByteRange", "/ByteRangx"),
	} {
		t.Run(name+": says the structure, not a forgery", func(t *testing.T) {
			c, s := integrity(t, doc, p)
			assert.Equal(t, signature.TotalFailed, s.Indication)
			assert.Equal(t, signature.CheckFailed, c.Result)
			assert.NotContains(t, c.MessageEN, "forg")
			assert.NotContains(t, c.MessageVI, "giả mạo")
			assert.Contains(t, c.MessageEN, "structure is broken")
		})
	}
	t.Run("revoked signer: the content is intact", func(t *testing.T) {
		rev := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
		rev.revoked[rev.leader.SerialNumber.String()] = now.Add(-time.Hour)
		c, s := integrity(t, vtSign(t, rev, pdftest.Classic(), &signature.SignOptions{Time: now}), rev)
		assert.Equal(t, signature.Revoked, s.SubIndication)
		assert.Equal(t, signature.CheckPassed, c.Result, c.MessageEN)
	})
}

// TestReportSaysWhatFailed: the text report of a signature that fails because of a
// change after signing names the change, not a forgery.
func TestReportSaysWhatFailed(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now})
	doc := update(t, signed, func(d *pdf.Document, u *pdf.Update) {
		u.Set(pdf.Ref{Num: 7}, &pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(20)}, Data: []byte("BT (Evil text) Tj ET")})
	})
	rep := vtVerify(t, p, doc, now, nil)
	var vi, en bytes.Buffer
	require.NoError(t, rep.WriteText(&vi, "vi"))
	require.NoError(t, rep.WriteText(&en, "en"))
	assert.Contains(t, en.String(), "Reason: The document was changed after signing in a way that is not allowed")
	assert.Contains(t, en.String(), "7 0 R")
	assert.NotContains(t, en.String(), "forged")
	assert.Contains(t, vi.String(), "Lý do: Tài liệu đã bị thay đổi sau khi ký theo cách không được phép")
}
