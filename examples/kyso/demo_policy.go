package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// demoProfileID is the province profile the demo decides under: the test PKI's
// certificates belong to the People's Committee of Quảng Ninh (QĐ 41/2022).
const demoProfileID = "quang-ninh"

// demoPolicy checks each signature of the demo with the policy engine before it is
// made, through the root package's kyso.Policy as "kyso sign" does, and keeps the
// decisions.
type demoPolicy struct {
	engine  *policy.Engine
	profile *policy.Profile
}

// demoStep is one policy-checked signature: who signs in which capacity, and the
// decision once made.
type demoStep struct {
	Name     string   // "lãnh đạo / leader", "văn thư / clerk"
	Rules    []string // the rules printed in full for this step
	policy   *kyso.Policy
	Decision *policy.Decision
}

func newDemoPolicy() (*demoPolicy, error) {
	profile, err := policy.BuiltinProfiles().Lookup(demoProfileID)
	if err != nil {
		return nil, err
	}
	e, err := policy.New(policy.Options{Profile: profile})
	if err != nil {
		return nil, err
	}
	return &demoPolicy{engine: e, profile: profile}, nil
}

// leader is the chairman (Chủ tịch) signing the letter as the person with authority
// (người có thẩm quyền), on behalf of the committee (TM.), with an individual
// certificate whose title is the printed one.
func (p *demoPolicy) leader(status policy.CertificateStatus) *demoStep {
	s := &demoStep{Name: "lãnh đạo / leader", Rules: []string{policy.RuleAuthorityIndividualCert,
		policy.RuleAuthorityWithinTitle, policy.RuleMarkerMatchesTitle}}
	s.policy = &kyso.Policy{Engine: p.engine, Facts: policy.Request{
		Role:         policy.RoleAuthority,
		Certificate:  policy.Certificate{Status: status}, // the kind: kyso.CertificateKind
		Document:     policy.Document{Kind: policy.DocAdministrative},
		Markers:      []policy.AuthorityMarker{policy.MarkerOnBehalfOf},
		PrintedTitle: "CHỦ TỊCH",
	}, Decided: s.record}
	return s
}

// clerk is the clerk (văn thư) applying the organisation's signature with the
// organisation certificate, after the leader. verified is what the verification of
// the document to sign found (the signatures in document order): the policy allows
// the organisation signature only over a valid signature of the person with
// authority (NĐ 30/2020 Điều 32); check verifies it before the decision.
func (p *demoPolicy) clerk(status policy.CertificateStatus, verified *signature.Report, check *kyso.VerifyOptions) *demoStep {
	s := &demoStep{Name: "văn thư / clerk", Rules: []string{policy.RuleOrgSealByClerk, policy.RuleOrgSealAfterAuthority}}
	s.policy = &kyso.Policy{Engine: p.engine, Facts: policy.Request{
		Role:        policy.RoleClerk,
		Certificate: policy.Certificate{Status: status},
		Document:    policy.Document{Kind: policy.DocAdministrative},
	}, Verify: check, Decided: s.record}
	for i, r := range verified.Signatures {
		if r.Field == demoLeaderField {
			// What the document does not show: the leader signed on behalf of the
			// committee.
			s.policy.Facts.Existing = append(s.policy.Facts.Existing, policy.ExistingSignature{Order: i + 1,
				Markers: []policy.AuthorityMarker{policy.MarkerOnBehalfOf}})
		}
	}
	return s
}

// attachment is the clerk applying the organisation signature to the letter's
// appendix in a separate file, whose main document the chairman has signed (NĐ
// 30/2020 Phụ lục I mục II k8 b).
func (p *demoPolicy) attachment(status policy.CertificateStatus) *demoStep {
	s := &demoStep{Name: "văn thư / clerk, phụ lục / appendix", Rules: []string{policy.RuleAttachmentSeparateFile, policy.RuleOrgSealByClerk}}
	s.policy = &kyso.Policy{Engine: p.engine, Facts: policy.Request{
		Role:        policy.RoleClerk,
		Certificate: policy.Certificate{Status: status},
		Document:    policy.Document{Kind: policy.DocAttachmentSeparateFile, MainDocumentSigned: true},
	}, Decided: s.record}
	return s
}

// copier is the clerk signing an electronic copy (SAO Y) the organisation made of a
// paper document (NĐ 30/2020 Phần II mục I).
func (p *demoPolicy) copier(status policy.CertificateStatus) *demoStep {
	s := &demoStep{Name: "văn thư / clerk, bản sao / copy", Rules: []string{policy.RuleCopyOwnOrganisation, policy.RuleCopyStamp}}
	s.policy = &kyso.Policy{Engine: p.engine, Facts: policy.Request{
		Role:        policy.RoleClerk,
		Certificate: policy.Certificate{Status: status},
		Document:    policy.Document{Kind: policy.DocCopy, CopyForm: policy.CopyTrue, CopyMadeByOrganisation: true},
	}, Decided: s.record}
	return s
}

func (s *demoStep) record(d policy.Decision) { s.Decision = &d }

// explain turns a signing error into a message that cites the policy when the policy
// refused.
func (s *demoStep) explain(err error) error {
	var ref *policy.RefusalError
	if errors.As(err, &ref) {
		return fmt.Errorf("the signing policy refused the %s's signature: %s: %w", s.Name, ref.Decision.English(), err)
	}
	return fmt.Errorf("signing as the %s: %w", s.Name, err)
}

// reasons returns the decision's reasons worth printing: the step's own rules, and
// every violation and warning.
func (s *demoStep) reasons() []policy.Reason {
	if s.Decision == nil {
		return nil
	}
	var out []policy.Reason
	for _, r := range s.Decision.Reasons {
		if r.Outcome != policy.OutcomeSatisfied || slices.Contains(s.Rules, r.Rule) {
			out = append(out, r)
		}
	}
	return out
}

// demoCitations renders a reason's citations, the primary one first.
func demoCitations(r policy.Reason) string {
	var parts []string
	for _, c := range append([]policy.Citation{r.Citation}, r.SeeAlso...) {
		p := c.Instrument
		if l := c.Locator(); l != "" {
			p += " " + l
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}
