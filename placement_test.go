package kyso_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// letter renders a letter of the People's Committee signed by the test PKI's leader.
func letter(t *testing.T, leaderName string) []byte {
	t.Helper()
	reg, err := forms.NewRegistry()
	require.NoError(t, err)
	def, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)
	data := *def.Sample
	data.Header.IssuingBody = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"
	data.Header.SignerAuthority = "TM. ỦY BAN NHÂN DÂN"
	data.Header.SignerTitle = "CHỦ TỊCH"
	data.Header.SignerName = leaderName
	var b bytes.Buffer
	_, err = def.RenderDocument(&b, &data, forms.RenderOptions{Validate: &forms.ValidateOptions{Now: time.Now()}})
	require.NoError(t, err)
	return b.Bytes()
}

// TestPlacementUnderPolicy: the leader's image and the clerk's seal are placed by
// layout under the policy, in a few lines each; a spec the policy disagrees with is
// refused; the attachment and copy stamps tell the policy what the document is.
func TestPlacementUnderPolicy(t *testing.T) {
	pki := sharedPKI(t)
	ctx := context.Background()
	engine := quangNinh(t)
	check := &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert), Offline: true, AllowMissingRevocation: true}
	title, name := "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", pki.Leader.Cert.Subject.CommonName
	signWith := func(in []byte, h kyso.Signer, role policy.Role, spec layout.Spec, doc ...policy.Document) (*kyso.SignResult, []byte, error) {
		var out bytes.Buffer
		facts := policy.Request{Role: role, Markers: []policy.AuthorityMarker{policy.MarkerOnBehalfOf}}
		if len(doc) > 0 {
			facts.Document = doc[0]
		}
		res, err := kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), h, &kyso.SignOptions{
			Placement: &spec,
			Policy:    &kyso.Policy{Engine: engine, Facts: facts, Verify: check},
		})
		return res, out.Bytes(), err
	}

	doc := letter(t, name)
	res, leader, err := signWith(doc, signer(pki.Leader), policy.RoleAuthority,
		layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(150), SignerTitle: title, SignerName: name})
	require.NoError(t, err)
	require.NotNil(t, res.Placement)
	assert.Equal(t, policy.PlacementSigner, res.Decision.Placement)

	// The clerk asking for the leader's placement with the organisation certificate.
	_, _, err = signWith(leader, signer(pki.Org), policy.RoleClerk,
		layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(150), SignerTitle: title, SignerName: name})
	assert.ErrorIs(t, err, kyso.ErrPlacementMismatch)
	assert.ErrorIs(t, err, signature.ErrPolicyRefused)

	res, sealed, err := signWith(leader, signer(pki.Org), policy.RoleClerk,
		layout.Spec{Kind: layout.Seal, Image: layouttest.SealPNG(36, 300), SignerTitle: title, SignerName: name})
	require.NoError(t, err)
	assert.Equal(t, policy.PlacementSeal, res.Decision.Placement)
	assert.Equal(t, res.Placement.Page, func() int {
		r := verify(t, sealed, check)
		require.Len(t, r.Signatures, 2)
		for _, s := range r.Signatures {
			assert.Equal(t, signature.TotalPassed, s.Indication, "%s: %s", s.Field, s.SubIndication)
		}
		require.NotNil(t, r.Signatures[1].Widget)
		return r.Signatures[1].Widget.Page
	}())

	// A separate attachment: the stamp tells the policy the document's kind.
	res, _, err = signWith(signaturetest.SamplePDF(), signer(pki.Org), policy.RoleClerk,
		layout.Spec{Kind: layout.Attachment, DocNumber: "41/2022/QĐ-UBND"}, policy.Document{MainDocumentSigned: true})
	require.NoError(t, err)
	assert.Equal(t, policy.PlacementAttachmentStamp, res.Decision.Placement)
	assert.Equal(t, 1, res.Placement.Page)

	// An electronic copy; the copying organisation comes from the certificate.
	res, _, err = signWith(signaturetest.SamplePDF(), signer(pki.Org), policy.RoleClerk,
		layout.Spec{Kind: layout.Copy, CopyForm: layout.CopyExact}, policy.Document{CopyMadeByOrganisation: true})
	if err != nil {
		var ref *policy.RefusalError
		if errors.As(err, &ref) {
			t.Fatalf("refused: %s", ref.Decision.English())
		}
		t.Fatal(err)
	}
	assert.Equal(t, policy.PlacementCopyStamp, res.Decision.Placement)

	// Without a policy, only layout decides.
	var out bytes.Buffer
	res, err = kyso.Sign(ctx, &out, bytes.NewReader(doc), int64(len(doc)), signer(pki.Leader), &kyso.SignOptions{
		Placement: &layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(150), SignerTitle: title, SignerName: name}})
	require.NoError(t, err)
	assert.Nil(t, res.Decision)
	assert.NotNil(t, res.Placement)

	// A placement that cannot be made is layout's error, before anything is written.
	out.Reset()
	_, err = kyso.Sign(ctx, &out, bytes.NewReader(doc), int64(len(doc)), signer(pki.Leader), &kyso.SignOptions{
		Placement: &layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(150), SignerName: "Không Có Tên Này"}})
	assert.Error(t, err)
	assert.Zero(t, out.Len())
}
