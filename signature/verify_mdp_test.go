package signature_test

import (
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

// fillNote fills the text field "Ghi chú" of pdftest.WithSignatureField with a value
// and a new appearance, as a form filler would.
func fillNote(t testing.TB, doc []byte, value string) []byte {
	return update(t, doc, func(d *pdf.Document, u *pdf.Update) {
		fields, err := d.Fields()
		require.NoError(t, err)
		for _, f := range fields {
			if f.Name != "Ghi chú" {
				continue
			}
			nd := f.Dict.Clone()
			nd["V"] = pdf.TextString(value)
			u.Set(f.Ref, nd)
			for _, w := range f.Widgets {
				wo, err := d.Get(w)
				require.NoError(t, err)
				wd := wo.(pdf.Dict).Clone()
				ap := []byte("BT /Helv 10 Tf 2 5 Td (filled) Tj ET")
				wd["AP"] = pdf.Dict{"N": u.Add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"),
					"BBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(228), pdf.Integer(20)}, "Length": pdf.Integer(len(ap))}, Data: ap})}
				u.Set(w, wd)
			}
			return
		}
		t.Fatal("no field Ghi chú")
	})
}

// lockAll adds a FieldMDP /Lock <</Action /All>> to the empty signature field.
func lockAll(t testing.TB, doc []byte) []byte {
	return update(t, doc, func(d *pdf.Document, u *pdf.Update) {
		fields, err := d.Fields()
		require.NoError(t, err)
		for _, f := range fields {
			if f.Type == "Sig" {
				nd := f.Dict.Clone()
				nd["Lock"] = pdf.Dict{"Type": pdf.Name("SigFieldLock"), "Action": pdf.Name("All")}
				u.Set(f.Ref, nd)
			}
		}
	})
}

func TestVerifyFormFillingAgainstDocMDPAndLocks(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	base := pdftest.WithSignatureField()
	tests := []struct {
		name    string
		prepare func() []byte
		opts    signature.SignOptions
		want    signature.Indication
		check   signature.CheckName
	}{
		{"approval signature, form filled", func() []byte { return base }, signature.SignOptions{}, signature.TotalPassed, signature.CheckDocMDP},
		{"certified P=2, form filled", func() []byte { return base }, signature.SignOptions{Certify: signature.DocMDPFormFilling}, signature.TotalPassed, signature.CheckDocMDP},
		{"certified P=3, form filled", func() []byte { return base }, signature.SignOptions{Certify: signature.DocMDPAnnotations}, signature.TotalPassed, signature.CheckDocMDP},
		{"certified P=1, form filled", func() []byte { return base }, signature.SignOptions{Certify: signature.DocMDPNoChanges}, signature.TotalFailed, signature.CheckDocMDP},
		{"field lock All, form filled", func() []byte { return lockAll(t, base) }, signature.SignOptions{Field: pdftest.SignatureFieldName}, signature.TotalFailed, signature.CheckDocMDP},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Time = now
			signed := vtSign(t, p, tc.prepare(), &opts)
			filled := fillNote(t, signed, "Đã xem, đồng ý")
			rep := vtVerify(t, p, filled, now, nil)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]
			assert.Equal(t, signature.ModFormFilling, s.Modification, "%+v", s.Changes)
			assert.Equal(t, tc.want, s.Indication, "%+v", s.Checks)
			c, ok := s.Check(tc.check)
			require.True(t, ok)
			if tc.want == signature.TotalPassed {
				assert.Equal(t, signature.CheckPassed, c.Result, c.MessageEN)
			} else {
				assert.Equal(t, signature.CheckFailed, c.Result, c.MessageEN)
				assert.Equal(t, signature.FormatFailure, s.SubIndication)
			}
		})
	}
}

func TestVerifyEncrypted(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	for _, method := range []string{pdftest.RC4128, pdftest.AES128, pdftest.AES256} {
		t.Run(method, func(t *testing.T) {
			enc := pdftest.Encrypted(t, pdftest.Classic(), method, "")
			signed := vtSign(t, p, enc, &signature.SignOptions{Reason: "Mã hóa"})
			rep := vtVerify(t, p, signed, now, nil)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]
			assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
			assert.Equal(t, "Mã hóa", s.Reason)
			assert.Equal(t, signature.ModNone, s.Modification)
		})
	}
}

func TestVerifySecondSignatureInExistingField(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	for _, certify := range []signature.DocMDPPermission{0, signature.DocMDPFormFilling} {
		t.Run(fmt.Sprintf("P=%d", certify), func(t *testing.T) {
			first := vtSign(t, p, pdftest.WithSignatureField(), &signature.SignOptions{Certify: certify, NewField: "Lãnh đạo"})
			second := vtSign(t, p, first, &signature.SignOptions{Field: pdftest.SignatureFieldName})
			signaturetest.AssertSignatures(t, second, &signature.VerifyOptions{Roots: p.roots, Revocation: vtSource{t: t, p: p, now: now}, Time: now},
				signaturetest.Expect{Field: "Lãnh đạo", Modification: signature.ModLTAUpdates},
				signaturetest.Expect{Field: pdftest.SignatureFieldName, Modification: signature.ModNone})
		})
	}
}

func TestVerifyVisibleSecondSignature(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	appearance := signature.AppearanceFunc(func(context.Context, float64, float64, *x509.Certificate, time.Time) ([]byte, error) {
		return pdftest.OnePage(2000), nil
	})
	first := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Certify: signature.DocMDPFormFilling,
		Widget: &signature.Widget{Page: 1, Rect: [4]float64{300, 50, 500, 120}, Appearance: appearance}})
	second := vtSign(t, p, first, &signature.SignOptions{
		Widget: &signature.Widget{Page: 2, Rect: [4]float64{50, 50, 250, 120}, Appearance: appearance}})
	signaturetest.AssertSignatures(t, second, &signature.VerifyOptions{Roots: p.roots, Revocation: vtSource{t: t, p: p, now: now}, Time: now},
		signaturetest.Expect{Level: signature.LevelBB, Modification: signature.ModLTAUpdates},
		signaturetest.Expect{Level: signature.LevelBB, Modification: signature.ModNone})
}
