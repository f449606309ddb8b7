package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// refusal is a step the rules forbid, and the rule that must refuse it.
type refusal struct {
	vi, en string
	rule   string
	doc    func(d *drafts, leaderSigned []byte) []byte
	signer func(e *env) kyso.Signer
	facts  func(e *env) facts
}

// refusalCases are the wrong steps a QLVB system must stop before anything is signed.
func refusalCases() []refusal {
	admin := policy.Document{Kind: policy.DocAdministrative}
	draft := func(d *drafts, _ []byte) []byte { return d.decision }
	afterLeader := func(_ *drafts, signed []byte) []byte { return signed }
	return []refusal{
		{
			vi: "Văn thư ký số cơ quan trước khi lãnh đạo ký", en: "the clerk seals before the leader has signed",
			rule: policy.RuleOrgSealAfterAuthority, doc: draft,
			signer: func(e *env) kyso.Signer { return e.org },
			facts:  func(e *env) facts { return e.clerkFacts(admin, false) },
		},
		{
			vi: "Ký số văn bản mật", en: "signing a classified document (MẬT)",
			rule: policy.RuleClassified, doc: draft,
			signer: func(e *env) kyso.Signer { return e.leader },
			facts: func(e *env) facts {
				return e.leaderFacts(policy.Document{Kind: policy.DocAdministrative, Classification: policy.Confidential})
			},
		},
		{
			vi: "Ký văn bản bằng chứng thư số của thiết bị", en: "signing with a device (SSL) certificate",
			rule: policy.RuleDeviceCertificate, doc: draft,
			signer: func(e *env) kyso.Signer { return kyso.NewSigner(e.pki.Device.Key, e.pki.Device.Chain...) },
			facts:  func(e *env) facts { return e.leaderFacts(admin) },
		},
		{
			vi: "Chuyên viên không được giao giữ thiết bị lưu khóa của cơ quan ký số cơ quan", en: "an official who does not keep the organisation's key device applies the organisation signature",
			rule: policy.RuleOrgSealByClerk, doc: afterLeader,
			signer: func(e *env) kyso.Signer { return e.org },
			facts: func(e *env) facts {
				f := e.clerkFacts(admin, true)
				f.Role = policy.RoleSubscriber
				return f
			},
		},
	}
}

// refusals is step 5: each wrong step is refused by the policy before anything is
// written, with its reasons in Vietnamese (English beside them) and their legal basis.
func (e *env) refusals(ctx context.Context, d *drafts) error {
	e.step(5, "Các bước sai bị từ chối", "wrong steps refused by the policy")
	leaderSigned, err := os.ReadFile(e.path(fileLeader))
	if err != nil {
		return err
	}
	for i, r := range refusalCases() {
		fmt.Fprintf(e.out, "  5.%d %s / %s\n", i+1, r.vi, r.en)
		s, err := e.sign(ctx, r.doc(d, leaderSigned), r.signer(e), nil, r.facts(e), "Thử ký", "Bước sai / wrong step", false)
		var ref *policy.RefusalError
		switch {
		case err == nil:
			return fmt.Errorf("bước %q lẽ ra phải bị từ chối / step %q should have been refused", r.vi, r.en)
		case !errors.As(err, &ref) || !errors.Is(err, signature.ErrPolicyRefused):
			return fmt.Errorf("bước %q: %w", r.vi, err)
		}
		if s != nil && s.pdf != nil {
			return fmt.Errorf("bước %q: a refused signature produced a document", r.vi)
		}
		found := false
		for _, v := range ref.Decision.Violations() {
			found = found || v.Rule == r.rule
			fmt.Fprintf(e.out, "      TỪ CHỐI / REFUSED [%s] %s\n        %s\n        căn cứ / basis: %s\n", v.Rule, v.MessageVI, v.MessageEN, citations(v))
		}
		if !found {
			return fmt.Errorf("bước %q bị từ chối nhưng không theo quy tắc %s / refused, but not by %s", r.vi, r.rule, r.rule)
		}
	}
	fmt.Fprintln(e.out, "  Không có tệp nào được ghi cho các bước bị từ chối / nothing was written for the refused steps")
	return nil
}

// citations renders a reason's citations, the primary one first.
func citations(r policy.Reason) string {
	s := ""
	for i, c := range append([]policy.Citation{r.Citation}, r.SeeAlso...) {
		if i > 0 {
			s += "; "
		}
		s += c.Instrument
		if l := c.Locator(); l != "" {
			s += " " + l
		}
	}
	return s
}
