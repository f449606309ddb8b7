package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// TestCreateField: Field with CreateField signs the named empty field when it exists
// and creates it otherwise, for Sign and Prepare alike, so callers need no retry; a
// field of that name that cannot take the signature is still refused.
func TestCreateField(t *testing.T) {
	keys := signTestPKI(t)
	s := keys.byName["p256"]
	ctx := context.Background()
	withField := pdftest.WithSignatureField()
	plain := pdftest.Classic()
	roots := x509.NewCertPool()
	roots.AddCert(keys.root)
	app := &signature.Widget{Page: 1, Rect: [4]float64{100, 100, 300, 160}, Appearance: signature.AppearanceFunc(signTestAppearance)}

	for _, tc := range []struct {
		name    string
		in      []byte
		field   string
		widget  *signature.Widget
		created bool
	}{
		{"existing field", withField, pdftest.SignatureFieldName, nil, false},
		{"existing field, visible", withField, pdftest.SignatureFieldName, app, false},
		{"absent field is created", plain, "Lãnh đạo", nil, true},
		{"absent field is created visible", plain, "Lãnh đạo", app, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := &signature.SignOptions{Field: tc.field, CreateField: true, Widget: tc.widget}
			out, res := signBytes(t, tc.in, s, opts)
			assert.Equal(t, tc.field, res.Field)
			rep, err := signature.Verify(ctx, bytes.NewReader(out), int64(len(out)), &signature.VerifyOptions{Roots: roots, AllowMissingRevocation: true})
			require.NoError(t, err)
			require.Len(t, rep.Signatures, 1)
			assert.Equal(t, tc.field, rep.Signatures[0].Field)
			assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, rep.Signatures[0].SubIndication)

			var created bool
			hook := signature.PolicyHookFunc(func(_ context.Context, info signature.SigningInfo) error {
				created = info.NewField
				return nil
			})
			prep, err := signature.Prepare(ctx, bytes.NewReader(tc.in), int64(len(tc.in)), s.chain,
				&signature.SignOptions{Field: tc.field, CreateField: true, Widget: tc.widget, Policy: hook})
			require.NoError(t, err, "Prepare needs no retry")
			assert.Equal(t, tc.field, prep.Field)
			assert.Equal(t, tc.created, created, "SigningInfo.NewField")
		})
	}

	t.Run("a field that is not a signature field is refused", func(t *testing.T) {
		err := signErrOf(t, withField, s, &signature.SignOptions{Field: "Ghi chú", CreateField: true})
		assert.ErrorIs(t, err, signature.ErrNotSignatureField)
	})
	t.Run("a signed field is refused", func(t *testing.T) {
		signed, _ := signBytes(t, withField, s, &signature.SignOptions{Field: pdftest.SignatureFieldName})
		err := signErrOf(t, signed, s, &signature.SignOptions{Field: pdftest.SignatureFieldName, CreateField: true})
		assert.ErrorIs(t, err, signature.ErrFieldSigned)
	})
	t.Run("CreateField without Field", func(t *testing.T) {
		assert.ErrorIs(t, signErrOf(t, plain, s, &signature.SignOptions{CreateField: true}), signature.ErrInvalidOptions)
	})
	t.Run("without CreateField an absent field is still an error", func(t *testing.T) {
		assert.ErrorIs(t, signErrOf(t, plain, s, &signature.SignOptions{Field: "Lãnh đạo"}), signature.ErrFieldNotFound)
	})
}

// TestNotPDFSameSentinel: the same bad input gives ErrNotPDF from Sign, Prepare,
// Extend and Verify (Sign's error still matches ErrDocument too).
func TestNotPDFSameSentinel(t *testing.T) {
	keys := signTestPKI(t)
	s := keys.byName["p256"]
	ctx := context.Background()
	for name, in := range map[string][]byte{
		"text":      []byte("this is not a PDF at all"),
		"truncated": pdftest.Classic()[:40],
		"empty":     {},
	} {
		t.Run(name, func(t *testing.T) {
			r := bytes.NewReader(in)
			var out bytes.Buffer
			_, err := signature.Sign(ctx, &out, r, int64(len(in)), s.key, s.chain, nil)
			assert.ErrorIs(t, err, signature.ErrNotPDF, "Sign")
			assert.ErrorIs(t, err, signature.ErrDocument, "Sign")
			assert.Zero(t, out.Len())
			_, err = signature.Prepare(ctx, r, int64(len(in)), s.chain, nil)
			assert.ErrorIs(t, err, signature.ErrNotPDF, "Prepare")
			_, err = signature.Extend(ctx, &out, r, int64(len(in)), &signature.ExtendOptions{NoDocTimestamp: true})
			assert.ErrorIs(t, err, signature.ErrNotPDF, "Extend")
			_, err = signature.Verify(ctx, r, int64(len(in)), nil)
			assert.ErrorIs(t, err, signature.ErrNotPDF, "Verify")
		})
	}
}
