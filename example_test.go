package kyso_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
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
