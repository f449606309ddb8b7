package kyso_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// wordTool runs an external checker on doc; missing, it fails under CI and skips
// otherwise.
func wordTool(t *testing.T, doc []byte, name string, args ...string) (string, error) {
	t.Helper()
	tool, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI", name)
		}
		t.Skipf("%s not installed", name)
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	require.NoError(t, os.WriteFile(f, doc, 0o600))
	out, err := exec.Command(tool, append(args, f)...).CombinedOutput()
	return string(out), err
}

// TestWordExport: a decision saved as PDF by Microsoft Word (hybrid cross-reference
// sections chained by /Prev and /XRefStm, tagged, Type0 Identity-H fonts, text set
// word by word) is signed by the deputy chairman where his block is on page 2, then
// sealed by the clerk; pdfsig, qpdf and kyso accept both signatures at B-B and after
// B-LTA, and layout finds nothing wrong with them.
//
// The decomposed variant is typed in Unicode tổ hợp (NFD): the combining marks are
// glyphs of their own, pulled back over their letters by TJ numbers; its printed name
// holds no-break spaces.
func TestWordExport(t *testing.T) {
	for _, nfd := range []bool{false, true} {
		t.Run(map[bool]string{false: "composed", true: "decomposed"}[nfd], func(t *testing.T) { testWordExport(t, nfd) })
	}
}

func testWordExport(t *testing.T, decomposed bool) {
	pki := sharedPKI(t)
	ctx := context.Background()
	authority, title, name := "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", pki.Deputy.Cert.Subject.CommonName
	printed := name
	if decomposed { // and the name kept on one line with no-break spaces (Ctrl+Shift+Space)
		printed = strings.ReplaceAll(name, " ", "\u00a0")
	}
	doc := pdftest.WordDecision(pdftest.WordOptions{Authority: authority, Title: title, Name: printed, Decomposed: decomposed})
	full := authority + "\n" + title

	block, err := layout.FindSigner(ctx, bytes.NewReader(doc), int64(len(doc)), full, name, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, block.Page)
	assert.Greater(t, block.Gap[3]-block.Gap[1], 40.0, "the four empty lines between title and name")

	engine := quangNinh(t)
	check := &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert)}
	step := func(in []byte, h kyso.Signer, role policy.Role, spec *layout.Spec) []byte {
		t.Helper()
		var out bytes.Buffer
		res, err := kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), h, &kyso.SignOptions{
			Placement: spec,
			Policy: &kyso.Policy{Engine: engine, Verify: check,
				Facts: policy.Request{Role: role, Markers: []policy.AuthorityMarker{policy.MarkerDeputy}}},
		})
		require.NoError(t, err)
		require.NotNil(t, res.Placement)
		assert.Equal(t, 2, res.Placement.Page)
		return out.Bytes()
	}
	signed := step(doc, signer(pki.Deputy), policy.RoleAuthority,
		&layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(150), SignerTitle: full, SignerName: name})
	sealed := step(signed, signer(pki.Org), policy.RoleClerk,
		&layout.Spec{Kind: layout.Seal, Image: layouttest.SealPNG(36, 300), SignerTitle: full, SignerName: name})

	accept := func(t *testing.T, doc []byte, opts *kyso.VerifyOptions, sigs int) {
		t.Helper()
		rep := verify(t, doc, opts)
		require.Len(t, rep.Signatures, sigs)
		for _, s := range rep.Signatures {
			assert.Equal(t, signature.TotalPassed, s.Indication, "%s: %s", s.Field, s.SubIndication)
		}
		out, err := wordTool(t, doc, "qpdf", "--check")
		assert.NoError(t, err, out)
		assert.NotContains(t, out, "WARNING")
		out, _ = wordTool(t, doc, "pdfsig", "-nocert", "-no-ocsp")
		assert.Equal(t, 2, strings.Count(out, "Signature is Valid."), out) // pdfsig does not validate document time-stamps
		assert.Equal(t, 1, strings.Count(out, "Total document signed"), out)

		rl, err := layout.Check(ctx, bytes.NewReader(doc), int64(len(doc)), nil)
		require.NoError(t, err)
		for _, f := range rl.Failed() {
			t.Logf("finding %s %v page %d field %q: %s (%s)", f.Rule, f.Severity, f.Page, f.Field, f.Message, f.Measured)
			if f.Severity == layout.SeverityError {
				assert.Empty(t, f.Field, "signature finding %s: %s (%s)", f.Rule, f.Message, f.Measured)
				t.Logf("document finding %s page %d: %s (%s)", f.Rule, f.Page, f.Message, f.Measured)
			}
		}
	}
	t.Run("B-B", func(t *testing.T) { accept(t, sealed, check, 2) })

	// What Word wrote into the catalog survives both signatures, and /ID[0] is kept.
	catalog := func(doc []byte) (pdf.Dict, pdf.Array) {
		d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
		require.NoError(t, err)
		c, err := d.Catalog()
		require.NoError(t, err)
		revs := d.Revisions()
		id, _ := revs[len(revs)-1].Trailer["ID"].(pdf.Array)
		return c, id
	}
	before, id0 := catalog(doc)
	after, id1 := catalog(sealed)
	for _, k := range []pdf.Name{"StructTreeRoot", "MarkInfo", "Lang", "Metadata", "ViewerPreferences", "Outlines", "Names", "PageMode"} {
		assert.Equal(t, before[k], after[k], "catalog /%s", k)
	}
	require.Len(t, id1, 2)
	assert.Equal(t, id0[0], id1[0])

	// Both widgets joined the structure tree (PDF/UA 7.18.1, 7.18.4): a /StructParent
	// mapped by the parent tree to a /Form element whose OBJR is the widget.
	d, err := pdf.Open(bytes.NewReader(sealed), int64(len(sealed)), nil)
	require.NoError(t, err)
	resolve := func(o pdf.Object) pdf.Dict {
		v, err := d.Resolve(o)
		require.NoError(t, err)
		dict, _ := v.(pdf.Dict)
		return dict
	}
	root := resolve(after["StructTreeRoot"])
	nums := resolve(root["ParentTree"])["Nums"].(pdf.Array)
	p2, err := d.Page(2)
	require.NoError(t, err)
	annots, err := d.Resolve(p2.Dict["Annots"])
	require.NoError(t, err)
	require.Len(t, annots, 2)
	for _, a := range annots.(pdf.Array) {
		w := resolve(a)
		key, ok := w["StructParent"].(pdf.Integer)
		require.True(t, ok, "widget %v has a /StructParent", a)
		var elem pdf.Dict
		for i := 0; i+1 < len(nums); i += 2 {
			if nums[i] == key {
				elem = resolve(nums[i+1])
			}
		}
		require.NotNil(t, elem, "key %d in the parent tree", key)
		assert.Equal(t, pdf.Name("Form"), elem["S"])
		assert.Equal(t, a, resolve(elem["K"])["Obj"])
	}
	assert.Equal(t, pdf.Integer(5), root["ParentTreeNextKey"])

	t.Run("B-LTA", func(t *testing.T) {
		svc := &kyso.Services{TSAURL: pki.TSAURL, Trust: certstatus.NewTrustStore(pki.Root.Cert)}
		var lta bytes.Buffer
		_, err := signature.Extend(ctx, &lta, bytes.NewReader(sealed), int64(len(sealed)), svc.Extend(true))
		require.NoError(t, err)
		accept(t, lta.Bytes(), &kyso.VerifyOptions{Trust: svc.Trust, Offline: true}, 3)
		rep := verify(t, lta.Bytes(), &kyso.VerifyOptions{Trust: svc.Trust, Offline: true})
		for _, s := range rep.Signatures[:2] {
			assert.Equal(t, signature.LevelBLTA, s.Level, s.Field)
		}
	})
}
