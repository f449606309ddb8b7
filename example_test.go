package kyso_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// The leader signs, then the clerk (văn thư) applies the organisation's signature,
// each under the Quảng Ninh signing policy; the clerk's step verifies the leader's
// signature first, since the seal goes only over a valid signature of the person with
// authority (NĐ 30/2020 Điều 32). A test PKI on 127.0.0.1 stands in for the VGCA.
func Example() {
	ctx := context.Background()
	pki, err := certstatustest.NewServer(certstatustest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer pki.Close()
	profile, _ := policy.BuiltinProfiles().Lookup("quang-ninh")
	engine, _ := policy.New(policy.Options{Profile: profile})
	check := &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert)} // nil Trust: the VGCA root
	step := func(in []byte, signer kyso.Signer, role policy.Role) []byte {
		var out bytes.Buffer
		opts := &kyso.SignOptions{Policy: &kyso.Policy{Engine: engine, Facts: policy.Request{Role: role}, Verify: check}}
		if _, err := kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), signer, opts); err != nil {
			log.Fatal(err) // a refusal explains itself with its legal citations
		}
		return out.Bytes()
	}
	leader := step(signaturetest.SamplePDF(), kyso.NewSigner(pki.Leader.Key, pki.Leader.Chain...), policy.RoleAuthority)
	sealed := step(leader, kyso.NewSigner(pki.Org.Key, pki.Org.Chain...), policy.RoleClerk)

	rep, err := kyso.Verify(ctx, bytes.NewReader(sealed), int64(len(sealed)), check)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range rep.Signatures {
		fmt.Println(s.Signer.CommonName, "|", s.Signer.Kind, "|", s.Indication)
	}
	// Output:
	// Nguyễn Văn Thắng | individual | TOTAL_PASSED
	// ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH | organisation | TOTAL_PASSED
}

// The same flow with visible signatures where Nghị định 30/2020 puts them: the
// chairman's signature image between his title and his name on a letter rendered by
// forms, then the committee's seal at its real size over the left third of it. layout
// finds both places; the policy agrees on each.
func Example_placement() {
	ctx := context.Background()
	pki, err := certstatustest.NewServer(certstatustest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer pki.Close()
	profile, _ := policy.BuiltinProfiles().Lookup("quang-ninh")
	engine, _ := policy.New(policy.Options{Profile: profile})
	check := &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert)}
	title, name := "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", pki.Leader.Cert.Subject.CommonName
	step := func(in []byte, signer kyso.Signer, role policy.Role, place *layout.Spec) []byte {
		var out bytes.Buffer
		res, err := kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), signer, &kyso.SignOptions{
			Policy:    &kyso.Policy{Engine: engine, Facts: policy.Request{Role: role}, Verify: check},
			Placement: place,
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Decision.Placement, "on page", res.Placement.Page)
		return out.Bytes()
	}
	doc := exampleLetter(name, title) // a letter with the signer block (ô 7a, 7b)
	signed := step(doc, kyso.NewSigner(pki.Leader.Key, pki.Leader.Chain...), policy.RoleAuthority,
		&layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(300), SignerTitle: title, SignerName: name})
	sealed := step(signed, kyso.NewSigner(pki.Org.Key, pki.Org.Chain...), policy.RoleClerk,
		&layout.Spec{Kind: layout.Seal, Image: layouttest.SealPNG(36, 300), SignerTitle: title, SignerName: name})

	rep, err := kyso.Verify(ctx, bytes.NewReader(sealed), int64(len(sealed)), check)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range rep.Signatures {
		fmt.Println(s.Signer.Kind, s.Indication)
	}
	// Output:
	// signer on page 1
	// seal on page 1
	// individual TOTAL_PASSED
	// organisation TOTAL_PASSED
}

// exampleLetter renders the built-in sample of a request form as a letter of the
// People's Committee signed by name with title.
func exampleLetter(name, title string) []byte {
	reg, err := forms.NewRegistry()
	if err != nil {
		log.Fatal(err)
	}
	def, err := reg.Definition("tt185/mau-02")
	if err != nil {
		log.Fatal(err)
	}
	data := *def.Sample
	data.Header.IssuingBody = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"
	data.Header.SignerAuthority, data.Header.SignerTitle, _ = strings.Cut(title, "\n")
	data.Header.SignerName = name
	var b bytes.Buffer
	if _, err := def.RenderDocument(&b, &data, forms.RenderOptions{}); err != nil {
		log.Fatal(err)
	}
	return b.Bytes()
}
