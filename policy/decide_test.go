package policy

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decisionCase is one row of the decision table: a request, the profiles it is run
// under (nil: all), and the exact rules it must violate and warn about.
type decisionCase struct {
	name      string
	profiles  []string
	req       Request
	violated  []string
	warnings  []string
	placement Placement
	// covers names a rule that stays silent in this allowed case because the fact it
	// concerns is absent (e.g. the document is not an appendix).
	covers string
	// provincial marks a case refused only where a province makes the rule binding
	// (Hà Tĩnh Điều 7 k3–k4): elsewhere the violations are warnings and the signer
	// signs at ô 7c.
	provincial bool
}

// bindingTitleRules lists the profiles that make the title rules binding.
var bindingTitleRules = []string{"ha-tinh"}

func decisionTable() []decisionCase {
	with := func(r Request, f func(*Request)) Request { f(&r); return r }
	deputy := func(title string, markers ...AuthorityMarker) Request {
		return with(leaderRequest(), func(r *Request) {
			r.Role = RoleDeputy
			r.Certificate.Title = title
			r.Markers = markers
		})
	}
	secondCert := func(f func(*Request)) Request {
		return with(clerkRequest(leaderSig(1)), func(r *Request) {
			r.Certificate.Kind = CertOrganisationSecond
			r.Document.Kind = DocProcedureResult
			r.AtServiceCentre = true
			if f != nil {
				f(r)
			}
		})
	}
	type tc = decisionCase
	return []tc{
		// The everyday allowed cases.
		{name: "leader signs", req: leaderRequest(), placement: PlacementSigner, covers: RuleAppendixSameFile},
		{name: "clerk seals after leader", req: clerkRequest(leaderSig(1)), placement: PlacementSeal},

		// VN-CLASSIFIED-NO-DIGITAL-SIGNATURE
		{name: "leader signs mật", req: with(leaderRequest(), func(r *Request) { r.Document.Classification = Confidential }), violated: []string{RuleClassified}},
		{name: "leader signs tối mật", req: with(leaderRequest(), func(r *Request) { r.Document.Classification = Secret }), violated: []string{RuleClassified}},
		{name: "clerk seals tuyệt mật", req: with(clerkRequest(leaderSig(1)), func(r *Request) { r.Document.Classification = TopSecret }), violated: []string{RuleClassified}},

		// VN-DEVICE-CERT-NO-DOCUMENT
		{name: "leader with a device certificate", req: with(leaderRequest(), func(r *Request) { r.Certificate.Kind = CertDevice }), violated: []string{RuleDeviceCertificate}},
		{name: "clerk with a device certificate", req: with(clerkRequest(leaderSig(1)), func(r *Request) { r.Certificate.Kind = CertDevice }), violated: []string{RuleDeviceCertificate}},

		// VN-APPENDIX-SAME-FILE-NOT-SIGNED
		{name: "leader signs an appendix in the same file", req: with(leaderRequest(), func(r *Request) { r.Document.Kind = DocAppendixSameFile }), violated: []string{RuleAppendixSameFile}},
		{name: "clerk seals an appendix in the same file", req: with(clerkRequest(leaderSig(1)), func(r *Request) { r.Document.Kind = DocAppendixSameFile }), violated: []string{RuleAppendixSameFile}},

		// VN-CERT-VALID-AT-SIGNING
		{name: "expired certificate", req: with(leaderRequest(), func(r *Request) { r.Certificate.NotAfter = t0.Add(-time.Second) }), violated: []string{RuleCertificateValid}},
		{name: "not yet valid certificate", req: with(leaderRequest(), func(r *Request) { r.Certificate.NotBefore = t0.Add(time.Hour) }), violated: []string{RuleCertificateValid}},
		{name: "revoked certificate", req: with(leaderRequest(), func(r *Request) { r.Certificate.Status = StatusRevoked }), violated: []string{RuleCertificateValid}},
		{name: "suspended certificate", req: with(clerkRequest(leaderSig(1)), func(r *Request) { r.Certificate.Status = StatusSuspended }), violated: []string{RuleCertificateValid}},
		{name: "status not checked", req: with(leaderRequest(), func(r *Request) { r.Certificate.Status = StatusUnknown }), warnings: []string{RuleCertificateValid}, placement: PlacementSigner},
		{name: "validity period unknown", req: with(leaderRequest(), func(r *Request) { r.Certificate.NotAfter = time.Time{} }), warnings: []string{RuleCertificateValid}, placement: PlacementSigner},
		{name: "no signing time: the engine's clock", req: with(leaderRequest(), func(r *Request) { r.Time = time.Time{} }), placement: PlacementSigner},

		// VN-KEY-SOLE-CONTROL
		{name: "lent token", req: with(leaderRequest(), func(r *Request) { r.KeyUsedByOther = true }), violated: []string{RuleKeySoleControl}},
		{name: "clerk's key used by another", req: with(clerkRequest(leaderSig(1)), func(r *Request) { r.KeyUsedByOther = true }), violated: []string{RuleKeySoleControl}},

		// VN-AUTHORITY-INDIVIDUAL-CERT (and the organisation rules the same act breaks)
		{name: "leader uses the organisation certificate", req: with(leaderRequest(), func(r *Request) { r.Certificate.Kind = CertOrganisation }),
			violated: []string{RuleAuthorityIndividualCert, RuleOrgSealByClerk, RuleOrgSealAfterAuthority}},
		{name: "leader uses the organisation certificate on a signed document", req: with(leaderRequest(), func(r *Request) {
			r.Certificate.Kind = CertOrganisation
			r.Existing = []ExistingSignature{leaderSig(1)}
		}), violated: []string{RuleAuthorityIndividualCert, RuleOrgSealByClerk}},

		// VN-AUTHORITY-WITHIN-TITLE
		{provincial: true, name: "subscriber signs as if with authority", req: with(leaderRequest(), func(r *Request) { r.Role = RoleSubscriber }), violated: []string{RuleAuthorityWithinTitle}},
		{provincial: true, name: "clerk signs with an individual certificate", req: with(leaderRequest(), func(r *Request) { r.Role = RoleClerk }), violated: []string{RuleAuthorityWithinTitle}},
		{provincial: true, name: "IT officer signs with an individual certificate", req: with(leaderRequest(), func(r *Request) { r.Role = RoleITOfficer }), violated: []string{RuleAuthorityWithinTitle}},
		{name: "title unknown", req: with(leaderRequest(), func(r *Request) { r.Certificate.Title = "  " }), warnings: []string{RuleAuthorityWithinTitle}, placement: PlacementSigner},
		{name: "title unknown, markers unchecked", req: deputy("", MarkerDeputy), warnings: []string{RuleAuthorityWithinTitle}, placement: PlacementSigner},

		// VN-AUTHORITY-MARKER-MATCHES-TITLE
		{name: "deputy signs KT.", req: deputy("Phó Giám đốc", MarkerDeputy), placement: PlacementSigner},
		{name: "deputy signs TM. KT.", req: deputy("Phó Chủ tịch", MarkerOnBehalfOf, MarkerDeputy), placement: PlacementSigner},
		{provincial: true, name: "deputy signs as head", req: deputy("Phó Giám đốc"), violated: []string{RuleMarkerMatchesTitle}},
		{provincial: true, name: "head signs KT.", req: with(leaderRequest(), func(r *Request) { r.Markers = []AuthorityMarker{MarkerDeputy} }), violated: []string{RuleMarkerMatchesTitle}},
		{name: "head signs TM.", req: with(leaderRequest(), func(r *Request) {
			r.Certificate.Title = "Chủ tịch"
			r.Markers = []AuthorityMarker{MarkerOnBehalfOf}
		}), placement: PlacementSigner},
		{name: "acting head signs Q.", req: deputy("Quyền Giám đốc", MarkerActing), placement: PlacementSigner},
		{provincial: true, name: "acting head signs without Q.", req: deputy("Quyền Giám đốc"), violated: []string{RuleMarkerMatchesTitle}},
		{provincial: true, name: "Q. without an acting title", req: with(leaderRequest(), func(r *Request) { r.Markers = []AuthorityMarker{MarkerActing} }), violated: []string{RuleMarkerMatchesTitle}},
		{provincial: true, name: "deputy role with a head's title", req: deputy("Giám đốc"), violated: []string{RuleMarkerMatchesTitle}},
		// A deputy given quyền cấp trưởng signs Q. while the certificate still reads
		// Phó …: NĐ 30 requires Q.; only Hà Tĩnh Điều 7 k4 refuses it.
		{provincial: true, name: "deputy with acting appointment signs Q.", req: deputy("Phó Giám đốc", MarkerActing), violated: []string{RuleMarkerMatchesTitle}},
		{name: "chief of office signs TL.", req: deputy("Chánh Văn phòng", MarkerByOrder), placement: PlacementSigner},
		{name: "printed title matches", req: with(deputy("Phó Giám đốc", MarkerDeputy), func(r *Request) { r.PrintedTitle = "PHÓ GIÁM ĐỐC" }), placement: PlacementSigner},
		{provincial: true, name: "printed title differs", req: with(deputy("Phó Giám đốc", MarkerDeputy), func(r *Request) { r.PrintedTitle = "GIÁM ĐỐC" }), violated: []string{RuleMarkerMatchesTitle}},
		{provincial: true, name: "certificate title carries KT. the block omits", req: deputy("KT. Giám đốc / Phó Giám đốc"), violated: []string{RuleMarkerMatchesTitle}},
		{name: "decomposed Vietnamese title, KT.", req: deputy("Pho\u0301 Gia\u0301m đô\u0301c", MarkerDeputy), placement: PlacementSigner},
		{provincial: true, name: "decomposed Vietnamese title, no KT.", req: deputy("PHO\u0301 GIA\u0301M ĐÔ\u0301C"), violated: []string{RuleMarkerMatchesTitle}},

		// VN-SUBSCRIBER-OWN-REQUEST (Quảng Ninh Điều 5 k1 a)
		{name: "subscriber signs own request", req: with(leaderRequest(), func(r *Request) {
			r.Role, r.Certificate.Title, r.Document.Kind = RoleSubscriber, "Chuyên viên", DocOwnRequest
		}), placement: PlacementSigner},
		{name: "organisation certificate on an own request", req: with(clerkRequest(), func(r *Request) { r.Document.Kind = DocOwnRequest }), violated: []string{RuleSubscriberOwnRequest}},

		// VN-ORG-SEAL-BY-CLERK: the provinces differ.
		{name: "subscriber uses the organisation certificate", req: with(clerkRequest(leaderSig(1)), func(r *Request) { r.Role = RoleSubscriber }), violated: []string{RuleOrgSealByClerk}},
		{name: "IT officer uses the organisation certificate", req: with(clerkRequest(leaderSig(1)), func(r *Request) { r.Role = RoleITOfficer }), violated: []string{RuleOrgSealByClerk}},
		{name: "assigned keeper seals (clerk only)", profiles: []string{"national", "quang-ninh", "hoa-binh", "bac-lieu"},
			req: with(clerkRequest(leaderSig(1)), func(r *Request) { r.Role = RoleKeyKeeper }), violated: []string{RuleOrgSealByClerk}},
		{name: "permitted keeper seals in the clerk's absence", profiles: []string{"national", "quang-ninh", "hoa-binh", "bac-lieu"},
			req: with(clerkRequest(leaderSig(1)), func(r *Request) { r.Role, r.KeeperPermitted = RoleKeyKeeper, true }), warnings: []string{RuleOrgSealByClerk}, placement: PlacementSeal},
		{name: "assigned keeper seals (clerk or keeper)", profiles: []string{"ha-tinh", "cao-bang"},
			req: with(clerkRequest(leaderSig(1)), func(r *Request) { r.Role = RoleKeyKeeper }), placement: PlacementSeal},

		// VN-ORG-SEAL-AFTER-AUTHORITY
		{name: "clerk seals an unsigned document", req: clerkRequest(), violated: []string{RuleOrgSealAfterAuthority}},
		{name: "clerk seals after a failed leader signature", req: clerkRequest(func() ExistingSignature { s := leaderSig(1); s.Indication = IndicationTotalFailed; return s }()), violated: []string{RuleOrgSealAfterAuthority}},
		{name: "clerk seals after a revoked leader certificate", req: clerkRequest(func() ExistingSignature { s := leaderSig(1); s.Certificate.Status = StatusRevoked; return s }()), violated: []string{RuleOrgSealAfterAuthority}},
		{name: "clerk seals after an expired leader certificate", req: clerkRequest(func() ExistingSignature { s := leaderSig(1); s.Certificate.NotAfter = s.Time.Add(-time.Hour); return s }()), violated: []string{RuleOrgSealAfterAuthority}},
		{name: "clerk seals after an indeterminate leader signature", req: clerkRequest(func() ExistingSignature { s := leaderSig(1); s.Indication = IndicationIndeterminate; return s }()),
			warnings: []string{RuleOrgSealAfterAuthority}, placement: PlacementSeal},
		{name: "clerk seals after an unverified leader signature with unknown status", req: clerkRequest(func() ExistingSignature {
			s := leaderSig(1)
			s.Indication, s.Certificate.Status = IndicationNotChecked, StatusUnknown
			return s
		}()), warnings: []string{RuleOrgSealAfterAuthority}, placement: PlacementSeal},
		{name: "clerk seals at a time before the leader's signing time", req: clerkRequest(func() ExistingSignature { s := leaderSig(1); s.Time = t0.Add(time.Minute); return s }()),
			warnings: []string{RuleOrgSealAfterAuthority}, placement: PlacementSeal},
		{name: "clerk seals after a verified leader signature without time", req: clerkRequest(func() ExistingSignature { s := leaderSig(1); s.Time = time.Time{}; return s }()),
			placement: PlacementSeal},
		{name: "clerk seals after another seal only", req: clerkRequest(sealSig(1)), violated: []string{RuleOrgSealAfterAuthority}},
		{name: "clerk seals after a document time-stamp only", req: clerkRequest(ExistingSignature{Kind: KindDocTimestamp, Order: 1, Time: t0}), violated: []string{RuleOrgSealAfterAuthority}},
		{name: "leader signs after a premature seal", req: with(leaderRequest(), func(r *Request) { r.Existing = []ExistingSignature{sealSig(1)} }), violated: []string{RuleOrgSealAfterAuthority}},
		{name: "second leader signs after leader and seal", req: with(leaderRequest(), func(r *Request) { r.Existing = []ExistingSignature{leaderSig(1), sealSig(2)} }), placement: PlacementSigner},
		{name: "attachment file, main document not signed", req: with(clerkRequest(), func(r *Request) { r.Document.Kind = DocAttachmentSeparateFile }), violated: []string{RuleOrgSealAfterAuthority}},

		// VN-ATTACHMENT-SEPARATE-FILE-ORG-SIGNS
		{name: "clerk signs a separate attachment file", req: with(clerkRequest(), func(r *Request) {
			r.Document = Document{Kind: DocAttachmentSeparateFile, MainDocumentSigned: true}
		}), placement: PlacementAttachmentStamp},
		{name: "leader signs a separate attachment file", req: with(leaderRequest(), func(r *Request) {
			r.Document = Document{Kind: DocAttachmentSeparateFile, MainDocumentSigned: true}
		}), violated: []string{RuleAttachmentSeparateFile}},

		// VN-COPY-OWN-ORGANISATION and VN-COPY-STAMP-BY-ORGANISATION
		{name: "clerk signs own SAO Y", req: with(clerkRequest(), func(r *Request) {
			r.Document = Document{Kind: DocCopy, CopyForm: CopyTrue, CopyMadeByOrganisation: true}
		}), placement: PlacementCopyStamp},
		{name: "clerk signs another body's copy", req: with(clerkRequest(), func(r *Request) {
			r.Document = Document{Kind: DocCopy, CopyForm: CopyExtract}
		}), violated: []string{RuleCopyOwnOrganisation}},
		{name: "copy without copy form", req: with(clerkRequest(), func(r *Request) {
			r.Document = Document{Kind: DocCopy, CopyMadeByOrganisation: true}
		}), violated: []string{RuleCopyStamp}},
		{name: "leader signs a copy", req: with(leaderRequest(), func(r *Request) {
			r.Document = Document{Kind: DocCopy, CopyForm: CopyRecopy, CopyMadeByOrganisation: true}
		}), violated: []string{RuleCopyStamp}},

		// VN-SECOND-ORG-CERT-SERVICE-CENTRE
		{name: "second certificate at the service centre", req: secondCert(nil), placement: PlacementSeal},
		{name: "second certificate outside the service centre", req: secondCert(func(r *Request) { r.AtServiceCentre = false }), violated: []string{RuleSecondCertServiceCentre}},
		{name: "second certificate on an ordinary document", req: secondCert(func(r *Request) { r.Document.Kind = DocAdministrative }), violated: []string{RuleSecondCertServiceCentre}},
		{name: "ordinary organisation certificate on a procedure result", req: secondCert(func(r *Request) { r.Certificate.Kind = CertOrganisation; r.AtServiceCentre = false }), placement: PlacementSeal},
	}
}

func TestDecideTable(t *testing.T) {
	for _, c := range decisionTable() {
		profiles := c.profiles
		if profiles == nil {
			profiles = allProfiles
		}
		for _, p := range profiles {
			t.Run(p+"/"+c.name, func(t *testing.T) {
				d := decide(t, p, c.req)
				c := c
				if c.provincial && !slices.Contains(bindingTitleRules, p) {
					c.warnings, c.violated = append(slices.Clone(c.warnings), c.violated...), nil
					c.placement = PlacementSigner
				}
				assert.Equal(t, len(c.violated) == 0, d.Allowed, "allowed")
				if diff := cmp.Diff(c.violated, d.RuleIDs(OutcomeViolated)); diff != "" {
					t.Errorf("violated rules (-want +got):\n%s\n%s", diff, d.Vietnamese())
				}
				// The merged provinces' profiles end on 30/6/2025: TestProfilePeriod
				// checks that warning; the table is about the rules.
				warnings := slices.DeleteFunc(d.RuleIDs(OutcomeWarning), func(id string) bool { return id == RuleProfilePeriod })
				if len(warnings) == 0 {
					warnings = nil
				}
				if diff := cmp.Diff(c.warnings, warnings); diff != "" {
					t.Errorf("warnings (-want +got):\n%s", diff)
				}
				want := c.placement
				if want == "" {
					want = PlacementNone
				}
				assert.Equal(t, want, d.Placement)
				assert.Equal(t, p, d.Profile)
				for _, r := range d.Reasons {
					assert.NotEmpty(t, r.MessageVI, r.Rule)
					assert.NotEmpty(t, r.MessageEN, r.Rule)
					assert.NotEmpty(t, r.Citation.Instrument, r.Rule)
				}
				if d.Allowed {
					assert.NotEmpty(t, d.RuleIDs(OutcomeSatisfied), "an allowance cites the rules it satisfied")
				}
			})
		}
	}
}

// The table has, for every rule, a case it refuses and an allowed case about it, and
// for the rule that differs between profiles, cases under each.
func TestDecisionTableCoversEveryRule(t *testing.T) {
	refused, allowed := map[string]bool{}, map[string]bool{}
	for _, c := range decisionTable() {
		for _, id := range c.violated {
			refused[id] = true
		}
		if len(c.violated) == 0 {
			profile := "national"
			if c.profiles != nil {
				profile = c.profiles[0]
			}
			if c.provincial {
				continue
			}
			d := decide(t, profile, c.req)
			require.True(t, d.Allowed, c.name)
			allowed[c.covers] = true
			for _, id := range d.RuleIDs(OutcomeSatisfied) {
				allowed[id] = true
			}
		}
	}
	for _, r := range Rules() {
		assert.True(t, refused[r.ID], "no refusing case for %s", r.ID)
		assert.True(t, allowed[r.ID], "no allowing case for %s", r.ID)
	}
}

// An Engine is immutable: concurrent decisions agree (run with -race).
func TestDecideConcurrent(t *testing.T) {
	e := engineFor(t, "quang-ninh")
	cases := decisionTable()
	want := make([]Decision, len(cases))
	for i, c := range cases {
		want[i] = e.Decide(context.Background(), c.req)
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			ok := true
			for i, c := range cases {
				ok = ok && cmp.Equal(want[i], e.Decide(context.Background(), c.req), cmp.Comparer(func(a, b error) bool { return a == b }))
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		assert.True(t, <-done)
	}
}

// The allowed everyday cases cite what they satisfied, in catalogue order.
func TestDecideSatisfiedRules(t *testing.T) {
	d := decide(t, "national", clerkRequest(leaderSig(1)))
	assert.Equal(t, []string{RuleClassified, RuleDeviceCertificate, RuleCertificateValid, RuleKeySoleControl, RuleOrgSealByClerk, RuleOrgSealAfterAuthority},
		d.RuleIDs(OutcomeSatisfied))
	d = decide(t, "national", leaderRequest())
	assert.Equal(t, []string{RuleClassified, RuleDeviceCertificate, RuleCertificateValid, RuleKeySoleControl, RuleAuthorityIndividualCert, RuleAuthorityWithinTitle, RuleMarkerMatchesTitle},
		d.RuleIDs(OutcomeSatisfied))
}

// Under a province profile the province's own article leads the citations.
func TestDecideCitationsPerProfile(t *testing.T) {
	reason := func(d Decision, rule string) Reason {
		for _, r := range d.Reasons {
			if r.Rule == rule {
				return r
			}
		}
		t.Fatalf("no reason %s in %v", rule, d.Reasons)
		return Reason{}
	}
	unsigned := clerkRequest()
	classified := leaderRequest()
	classified.Document.Classification = Confidential
	keeper := clerkRequest(leaderSig(1))
	keeper.Role = RoleKeyKeeper
	cases := []struct {
		profile string
		req     Request
		rule    string
		want    string
		seeAlso string
	}{
		{"national", unsigned, RuleOrgSealAfterAuthority, "NĐ 30/2020/NĐ-CP, Điều 32 k2 d", "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5"},
		{"quang-ninh", unsigned, RuleOrgSealAfterAuthority, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5", "NĐ 30/2020/NĐ-CP, Điều 32 k2 d"},
		{"hoa-binh", unsigned, RuleOrgSealAfterAuthority, "QĐ 13/2020/QĐ-UBND Hòa Bình, Điều 7 k3 b", "NĐ 30/2020/NĐ-CP, Điều 32 k2 d"},
		{"quang-ninh", classified, RuleClassified, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 5 k7", "QĐ 19/2020/QĐ-UBND Hà Tĩnh, Điều 1 k1 b"},
		{"ha-tinh", classified, RuleClassified, "QĐ 19/2020/QĐ-UBND Hà Tĩnh, Điều 1 k1 b", "Quy chế Bạc Liêu"},
		{"bac-lieu", classified, RuleClassified, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 5 k7", "Quy chế Bạc Liêu"},
		{"quang-ninh", keeper, RuleOrgSealByClerk, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 5 k5", "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 18 k4"},
		{"ha-tinh", keeper, RuleOrgSealByClerk, "QĐ 19/2020/QĐ-UBND Hà Tĩnh, Điều 10 k2", "QĐ 19/2020/QĐ-UBND Hà Tĩnh, Điều 11 k1"},
		{"cao-bang", keeper, RuleOrgSealByClerk, "NĐ 30/2020/NĐ-CP, Điều 32", "QĐ 12/2021/QĐ-UBND Cao Bằng"},
	}
	for _, c := range cases {
		t.Run(c.profile+"/"+c.rule, func(t *testing.T) {
			r := reason(decide(t, c.profile, c.req), c.rule)
			assert.Equal(t, c.want, r.Citation.String())
			var also []string
			for _, s := range r.SeeAlso {
				also = append(also, s.String())
			}
			assert.Contains(t, also, c.seeAlso)
		})
	}
}

// A province's restatement of an article the catalogue cites is not listed twice.
func TestCitationsNotRepeated(t *testing.T) {
	for _, id := range allProfiles {
		for _, r := range engineFor(t, id).Rules() {
			seen := map[string]bool{}
			for _, c := range r.Citations {
				if c.HasArticle() {
					assert.False(t, seen[c.String()], "%s %s cites %s twice", id, r.ID, c)
					seen[c.String()] = true
				}
			}
		}
	}
	r := engineFor(t, "national").Rules()[0]
	assert.Contains(t, r.Citations[0].Note, "no national article found")
}

func TestDecideBadInput(t *testing.T) {
	e := engineFor(t, "national")
	cases := []struct {
		name  string
		req   Request
		field string
	}{
		{"zero request", Request{}, "role"},
		{"unknown role", func() Request { r := leaderRequest(); r.Role = "boss"; return r }(), "role"},
		{"unknown certificate kind", func() Request { r := leaderRequest(); r.Certificate.Kind = "x"; return r }(), "certificate.kind"},
		{"unknown document kind", func() Request { r := leaderRequest(); r.Document.Kind = ""; return r }(), "document.kind"},
		{"unknown classification", func() Request { r := leaderRequest(); r.Document.Classification = "mật?"; return r }(), "document.classification"},
		{"unknown marker", func() Request { r := leaderRequest(); r.Markers = []AuthorityMarker{"XX."}; return r }(), "markers[0]"},
		{"period ends before it begins", func() Request {
			r := leaderRequest()
			r.Certificate.NotAfter = r.Certificate.NotBefore.Add(-1)
			return r
		}(), "certificate.not_after"},
		{"duplicate order", func() Request { r := clerkRequest(leaderSig(1), leaderSig(1)); return r }(), "existing[1].order"},
		{"order zero", func() Request { r := clerkRequest(leaderSig(0)); return r }(), "existing[0].order"},
		{"bad indication", func() Request { s := leaderSig(1); s.Indication = "PASSED"; return clerkRequest(s) }(), "existing[0].indication"},
		{"too many markers", func() Request { r := leaderRequest(); r.Markers = make([]AuthorityMarker, MaxMarkers+1); return r }(), "markers"},
		{"title too long", func() Request {
			r := leaderRequest()
			r.Certificate.Title = string(make([]byte, MaxTextLength+1))
			return r
		}(), "certificate.title"},
		{"invalid UTF-8", func() Request { r := leaderRequest(); r.PrintedTitle = "\xff"; return r }(), "printed_title"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := e.Decide(context.Background(), c.req)
			require.Error(t, d.Err)
			assert.False(t, d.Allowed)
			assert.Empty(t, d.Reasons)
			assert.ErrorIs(t, d.Err, ErrInvalidRequest)
			var re *RequestError
			require.ErrorAs(t, d.Err, &re)
			assert.Equal(t, c.field, re.Field)
			assert.ErrorIs(t, d.AsError(), ErrInvalidRequest)
		})
	}
}

func TestDecideCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d := engineFor(t, "national").Decide(ctx, leaderRequest())
	assert.ErrorIs(t, d.Err, context.Canceled)
	assert.False(t, d.Allowed)
}

func TestDecisionAsError(t *testing.T) {
	assert.NoError(t, decide(t, "national", leaderRequest()).AsError())
	err := decide(t, "quang-ninh", clerkRequest()).AsError()
	require.ErrorIs(t, err, ErrRefused)
	var re *RefusalError
	require.True(t, errors.As(err, &re))
	assert.Equal(t, []string{RuleOrgSealAfterAuthority}, re.Decision.RuleIDs(OutcomeViolated))
	assert.Contains(t, err.Error(), "VN-ORG-SEAL-AFTER-AUTHORITY (QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5)")
}

func TestNewEngine(t *testing.T) {
	e, err := New(Options{})
	require.NoError(t, err)
	assert.Equal(t, "national", e.Profile().ID)
	_, err = New(Options{Profile: &Profile{ID: "x", Name: "X"}})
	assert.ErrorIs(t, err, ErrInvalidProfile, "an unresolved profile without org_signature_roles")
	_, err = New(Options{Profile: &Profile{ID: "Bad ID", Name: "X"}})
	assert.ErrorIs(t, err, ErrInvalidProfile)
}
