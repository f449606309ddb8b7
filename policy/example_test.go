package policy_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kyso-go/kyso/policy"
)

// A clerk (văn thư) in Quảng Ninh asks whether she may apply the organisation's
// signature to a document the director has not signed yet, then again after he has.
func Example() {
	profile, err := policy.BuiltinProfiles().Lookup("quang-ninh")
	if err != nil {
		panic(err)
	}
	engine, err := policy.New(policy.Options{Profile: profile})
	if err != nil {
		panic(err)
	}
	signingTime := time.Date(2026, 11, 22, 14, 5, 9, 0, time.FixedZone("ICT", 7*3600))
	orgCert := policy.Certificate{
		Kind:      policy.CertOrganisation,
		NotBefore: signingTime.AddDate(-1, 0, 0),
		NotAfter:  signingTime.AddDate(2, 0, 0),
		Status:    policy.StatusGood,
	}
	req := policy.Request{
		Role:        policy.RoleClerk,
		Certificate: orgCert,
		Document:    policy.Document{Kind: policy.DocAdministrative},
		Time:        signingTime,
	}

	d := engine.Decide(context.Background(), req)
	fmt.Println(d.Allowed, d.Placement)
	for _, r := range d.Violations() {
		fmt.Println(r.Rule, "—", r.Citation)
	}

	// The director has signed with his individual certificate.
	directorCert := orgCert
	directorCert.Kind, directorCert.Title = policy.CertIndividual, "Giám đốc"
	req.Existing = []policy.ExistingSignature{{
		Certificate: directorCert,
		Order:       1,
		Time:        signingTime.Add(-time.Hour),
		Indication:  policy.IndicationTotalPassed,
	}}
	d = engine.Decide(context.Background(), req)
	fmt.Println(d.Allowed, d.Placement)
	// Output:
	// false none
	// VN-ORG-SEAL-AFTER-AUTHORITY — QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5
	// true seal
}

// Checking the signatures of a document that is already signed.
func ExampleEngine_CheckSequence() {
	engine, err := policy.New(policy.Options{}) // the national baseline
	if err != nil {
		panic(err)
	}
	sealed := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	report, err := engine.CheckSequence(context.Background(),
		policy.Document{Kind: policy.DocAdministrative, Classification: policy.Confidential},
		[]policy.ExistingSignature{{
			Certificate: policy.Certificate{Kind: policy.CertOrganisation, Status: policy.StatusGood,
				NotBefore: sealed.AddDate(-1, 0, 0), NotAfter: sealed.AddDate(1, 0, 0)},
			Order: 1,
			Time:  sealed,
		}})
	if err != nil {
		panic(err)
	}
	fmt.Println("compliant:", report.Compliant)
	for _, f := range report.Findings {
		fmt.Printf("signature %d: %s (%s)\n", f.Order, f.Rule, f.Citation)
	}
	// Output:
	// compliant: false
	// signature 1: VN-CLASSIFIED-NO-DIGITAL-SIGNATURE (QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 5 k7)
	// signature 1: VN-ORG-SEAL-AFTER-AUTHORITY (NĐ 30/2020/NĐ-CP, Điều 32 k2 d)
}

// The paragraph a clerk reads.
func ExampleDecision_Vietnamese() {
	engine, _ := policy.New(policy.Options{})
	d := engine.Decide(context.Background(), policy.Request{
		Role:        policy.RoleAuthority,
		Certificate: policy.Certificate{Kind: policy.CertDevice},
		Document:    policy.Document{Kind: policy.DocAdministrative},
		Time:        time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC),
	})
	fmt.Println(d.Vietnamese())
	// Output:
	// KHÔNG ĐƯỢC KÝ. Chứng thư số thiết bị, dịch vụ, phần mềm không được dùng để ký văn bản (QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 2 k3 c). Lưu ý: Chưa kiểm tra được trạng thái thu hồi của chứng thư số tại thời điểm ký; cần kiểm tra trước khi ký (NĐ 68/2024/NĐ-CP, Điều 31 k1).
}

// An agency corrects a province's data with a JSON file, without code: here a district
// profile that builds on Quảng Ninh's and also lets a person assigned in writing apply
// the organisation signature, citing its own decision.
func ExampleRegistry_Load() {
	const file = `{
	  "id": "ha-long",
	  "name": "Hạ Long",
	  "extends": "quang-ninh",
	  "instruments": [{"short": "QĐ 1/2027/QĐ-UBND Hạ Long", "title": "Quyết định (ví dụ)", "scope": "provincial", "source": "agency"}],
	  "org_signature_roles": ["clerk", "key-keeper"],
	  "restates": [{"rule": "VN-ORG-SEAL-BY-CLERK",
	                "citation": {"instrument": "QĐ 1/2027/QĐ-UBND Hạ Long", "article": "4", "clause": "2", "source": "agency"}}]
	}`
	reg := policy.BuiltinProfiles()
	p, err := reg.Load(strings.NewReader(file))
	if err != nil {
		panic(err)
	}
	fmt.Println(p.ID, p.OrgSignatureRoles, p.SubscriberManager.Name)
	engine, _ := policy.New(policy.Options{Profile: p})
	for _, r := range engine.Rules() {
		if r.ID == policy.RuleOrgSealByClerk {
			fmt.Println(r.Citations[0])
		}
	}
	// Output:
	// ha-long [clerk key-keeper] Sở Thông tin và Truyền thông
	// QĐ 1/2027/QĐ-UBND Hạ Long, Điều 4 k2
}

// A province's reports and deadlines come from its file: Quảng Ninh's monthly report
// is due on the 20th, moved to the next working day (Điều 16 k7).
func ExampleProfile_Deadlines() {
	p, err := policy.BuiltinProfiles().Lookup("quang-ninh")
	if err != nil {
		panic(err)
	}
	dls, err := p.Deadlines("2025-12", nil)
	if err != nil {
		panic(err)
	}
	for _, d := range dls {
		fmt.Println(d.Period, d.Due.Format("02/01/2006"), d.Moved, "—", d.Citation)
	}
	// Output:
	// 2025-12 22/12/2025 ngày 20/12/2025 là thứ Bảy — QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 16 k7
	// 2025 20/01/2026  — QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 16 k7
}
