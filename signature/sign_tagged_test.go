package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// TestSignTagsWidgetInTaggedPDF: in a tagged PDF (a decision saved by Microsoft Word)
// a visible signature's widget joins the structure tree as PDF/UA asks (ISO 14289-1
// 7.18.1, 7.18.4): a /StructParent, a /Form element holding an OBJR under the
// document element, the parent tree and /ParentTreeNextKey extended. Two signatures
// in turn stay TOTAL_PASSED (the second one's tagging is an allowed change for the
// first); an invisible signature is not tagged.
func TestSignTagsWidgetInTaggedPDF(t *testing.T) {
	keys := signTestPKI(t)
	doc := pdftest.WordDecision(pdftest.WordOptions{})
	widget := func(y float64) *signature.Widget {
		return &signature.Widget{Page: 2, Rect: [4]float64{300, y, 480, y + 60}, Appearance: signature.AppearanceFunc(signTestAppearance)}
	}
	out, _ := signBytes(t, doc, keys.byName["rsa"], &signature.SignOptions{Widget: widget(560)})
	out, _ = signBytes(t, out, keys.byName["p256"], &signature.SignOptions{Widget: widget(480)})
	out, _ = signBytes(t, out, keys.byName["p384"], nil)

	roots := x509.NewCertPool()
	roots.AddCert(keys.root)
	rep, err := signature.Verify(context.Background(), bytes.NewReader(out), int64(len(out)),
		&signature.VerifyOptions{Roots: roots, Offline: true, AllowMissingRevocation: true})
	require.NoError(t, err)
	require.Len(t, rep.Signatures, 3)
	for _, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "%s: %s", s.Field, s.SubIndication)
	}

	d, err := pdf.Open(bytes.NewReader(out), int64(len(out)), nil)
	require.NoError(t, err)
	get := func(o pdf.Object) pdf.Object {
		v, err := d.Resolve(o)
		require.NoError(t, err)
		return v
	}
	cat, err := d.Catalog()
	require.NoError(t, err)
	root := get(cat["StructTreeRoot"]).(pdf.Dict)
	assert.Equal(t, pdf.Integer(5), root["ParentTreeNextKey"], "keys 3 and 4 used by the two widgets")
	nums := get(root["ParentTree"]).(pdf.Dict)["Nums"].(pdf.Array)
	docElem := get(root["K"].(pdf.Array)[0]).(pdf.Dict)
	kids := docElem["K"].(pdf.Array)
	tagged := 0
	for _, f := range get(cat["AcroForm"]).(pdf.Dict)["Fields"].(pdf.Array) {
		w := get(f).(pdf.Dict)
		key, ok := w["StructParent"].(pdf.Integer)
		if r := w["Rect"].(pdf.Array); r[0] == r[2] {
			assert.False(t, ok, "an invisible widget is not tagged")
			continue
		}
		require.True(t, ok)
		tagged++
		var elemRef pdf.Object
		for i := 0; i+1 < len(nums); i += 2 {
			if nums[i] == key {
				elemRef = nums[i+1]
			}
		}
		require.NotNil(t, elemRef)
		elem := get(elemRef).(pdf.Dict)
		assert.Equal(t, pdf.Name("Form"), elem["S"])
		assert.Equal(t, f, elem["K"].(pdf.Dict)["Obj"])
		assert.Contains(t, kids, elemRef, "under the document element")
	}
	assert.Equal(t, 2, tagged)
}
