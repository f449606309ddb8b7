package kyso_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/signature"
)

// TestPagesCountFromOne: a page number passes between the packages as it is — the
// signature box a form reports (forms.SignatureBox.Page) is the page signature's
// widget goes on (signature.Widget.Page) and the page the verification report names
// (signature.WidgetBox.Page), all counted from 1.
func TestPagesCountFromOne(t *testing.T) {
	pki := sharedPKI(t)
	reg, err := forms.NewRegistry()
	require.NoError(t, err)
	def, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)
	var doc bytes.Buffer
	rendered, err := def.RenderDocument(&doc, def.Sample, forms.RenderOptions{Validate: &forms.ValidateOptions{Now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}})
	require.NoError(t, err)
	require.NotEmpty(t, rendered.Signatures)
	box := rendered.Signatures[len(rendered.Signatures)-1]
	require.GreaterOrEqual(t, box.Page, 1)
	require.LessOrEqual(t, box.Page, rendered.Pages)

	in := doc.Bytes()
	var out bytes.Buffer
	_, err = kyso.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), signer(pki.Leader), &kyso.SignOptions{
		Signature: signature.SignOptions{Widget: &signature.Widget{Page: box.Page, Rect: box.Rect}}})
	require.NoError(t, err)
	rep := verify(t, out.Bytes(), &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert)})
	require.Len(t, rep.Signatures, 1)
	require.NotNil(t, rep.Signatures[0].Widget)
	assert.Equal(t, box.Page, rep.Signatures[0].Widget.Page)
	assert.InDeltaSlice(t, box.Rect[:], rep.Signatures[0].Widget.Rect[:], 0.01)
}
