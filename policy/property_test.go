package policy

import (
	"context"
	"math/rand"
	"reflect"
	"slices"
	"testing"
	"testing/quick"
	"time"
)

// genCase is a random request and a random signature unrelated to it: one that is not
// evidence that the person with authority signed (an organisation seal, a device
// signature, a document time-stamp, a failed or invalid individual signature).
type genCase struct {
	Profile   string
	Req       Request
	Unrelated ExistingSignature
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.Intn(len(xs))] }

func genCertificate(r *rand.Rand, kinds ...CertificateKind) Certificate {
	c := Certificate{
		Kind:  pick(r, kinds...),
		Title: pick(r, "", "Giám đốc", "Phó Giám đốc", "Quyền Giám đốc", "Chủ tịch", "Phó Chủ tịch", "Chánh Văn phòng", "KT. Giám đốc / Phó Giám đốc"),
	}
	if r.Intn(5) > 0 {
		c.NotBefore = t0.AddDate(0, -r.Intn(24), 0)
		c.NotAfter = c.NotBefore.AddDate(0, r.Intn(48), 0)
	}
	c.Status = pick(r, StatusGood, StatusGood, StatusGood, StatusUnknown, StatusRevoked, StatusSuspended)
	return c
}

func genSignature(r *rand.Rand, order int) ExistingSignature {
	s := ExistingSignature{
		Certificate: genCertificate(r, CertIndividual, CertIndividual, CertOrganisation, CertOrganisationSecond, CertDevice),
		Order:       order,
		Time:        t0.Add(-time.Duration(r.Intn(1000)) * time.Minute),
		Indication:  pick(r, IndicationTotalPassed, IndicationTotalPassed, IndicationNotChecked, IndicationIndeterminate, IndicationTotalFailed),
	}
	if r.Intn(8) == 0 {
		s = ExistingSignature{Kind: KindDocTimestamp, Order: order, Time: s.Time}
	}
	if r.Intn(3) == 0 {
		s.Markers = []AuthorityMarker{pick(r, MarkerDeputy, MarkerActing, MarkerByOrder, MarkerOnBehalfOf)}
	}
	return s
}

func genUnrelated(r *rand.Rand, order int) ExistingSignature {
	for {
		s := genSignature(r, order)
		if unrelated(s) {
			return s
		}
	}
}

// unrelated says, independently of the engine's code, that s is no evidence of a
// signature of the person with authority.
func unrelated(s ExistingSignature) bool {
	c := s.Certificate
	return s.Kind == KindDocTimestamp || c.Kind != CertIndividual ||
		s.Indication == IndicationTotalFailed ||
		c.Status == StatusRevoked || c.Status == StatusSuspended ||
		(!c.NotBefore.IsZero() && s.Time.Before(c.NotBefore)) ||
		(!c.NotAfter.IsZero() && s.Time.After(c.NotAfter))
}

// Generate implements quick.Generator.
func (genCase) Generate(r *rand.Rand, _ int) reflect.Value {
	req := Request{
		Role:        pick(r, RoleAuthority, RoleDeputy, RoleClerk, RoleKeyKeeper, RoleITOfficer, RoleSubscriber, RoleManagingOrganisation, RoleProvincialDepartment),
		Certificate: genCertificate(r, CertIndividual, CertOrganisation, CertOrganisationSecond, CertDevice),
		Document: Document{
			Kind:                   pick(r, DocAdministrative, DocAdministrative, DocAppendixSameFile, DocAttachmentSeparateFile, DocCopy, DocProcedureResult),
			Classification:         pick(r, Unclassified, Unclassified, Unclassified, Confidential, Secret, TopSecret),
			CopyForm:               pick(r, CopyForm(""), CopyTrue, CopyRecopy, CopyExtract),
			CopyMadeByOrganisation: r.Intn(2) == 0,
			MainDocumentSigned:     r.Intn(2) == 0,
		},
		AtServiceCentre: r.Intn(2) == 0,
		KeyUsedByOther:  r.Intn(6) == 0,
		Time:            t0,
	}
	for i := r.Intn(4); i > 0; i-- {
		req.Markers = append(req.Markers, pick(r, MarkerDeputy, MarkerActing, MarkerByOrder, MarkerByDelegation, MarkerOnBehalfOf))
	}
	if r.Intn(3) == 0 {
		req.PrintedTitle = pick(r, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "CHỦ TỊCH")
	}
	orders := r.Perm(6)
	for i := r.Intn(4); i > 0; i-- {
		req.Existing = append(req.Existing, genSignature(r, orders[i]+1))
	}
	// The unrelated signature takes an unused order: before, between or after.
	used := map[int]bool{}
	for _, s := range req.Existing {
		used[s.Order] = true
	}
	order := 1 + r.Intn(8)
	for used[order] {
		order++
	}
	return reflect.ValueOf(genCase{Profile: pick(r, allProfiles...), Req: req, Unrelated: genUnrelated(r, order)})
}

// Adding an unrelated existing signature never turns a refusal into an allowance, and
// never removes a violated rule.
func TestPropertyUnrelatedSignatureNeverAllows(t *testing.T) {
	engines := map[string]*Engine{}
	for _, p := range allProfiles {
		engines[p] = engineFor(t, p)
	}
	refusals := 0
	prop := func(c genCase) bool {
		e := engines[c.Profile]
		before := e.Decide(context.Background(), c.Req)
		if before.Err != nil {
			t.Logf("generator made an invalid request: %v", before.Err)
			return false
		}
		if before.Allowed {
			return true
		}
		refusals++
		with := c.Req
		with.Existing = append(slices.Clone(c.Req.Existing), c.Unrelated)
		after := e.Decide(context.Background(), with)
		if after.Err != nil || after.Allowed {
			t.Logf("before: %v\nafter adding %+v: %v", before.RuleIDs(OutcomeViolated), c.Unrelated, after.Vietnamese())
			return false
		}
		for _, id := range before.RuleIDs(OutcomeViolated) {
			if !slices.Contains(after.RuleIDs(OutcomeViolated), id) {
				t.Logf("rule %s no longer violated after adding %+v", id, c.Unrelated)
				return false
			}
		}
		return true
	}
	cfg := &quick.Config{MaxCount: 5000, Rand: rand.New(rand.NewSource(20261122))}
	if err := quick.Check(prop, cfg); err != nil {
		t.Fatal(err)
	}
	if refusals < 1000 {
		t.Fatalf("only %d refusals among the generated cases: the property was barely exercised", refusals)
	}
}

// Decide does not depend on the order the existing signatures are listed in, only on
// their Order fields.
func TestPropertyListingOrderIrrelevant(t *testing.T) {
	e := engineFor(t, "quang-ninh")
	prop := func(c genCase) bool {
		a := e.Decide(context.Background(), c.Req)
		rev := c.Req
		rev.Existing = slices.Clone(c.Req.Existing)
		slices.Reverse(rev.Existing)
		b := e.Decide(context.Background(), rev)
		return reflect.DeepEqual(a, b)
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 2000, Rand: rand.New(rand.NewSource(7))}); err != nil {
		t.Fatal(err)
	}
}
