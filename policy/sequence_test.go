package policy

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckSequence(t *testing.T) {
	admin := Document{Kind: DocAdministrative}
	type want struct {
		Order   int
		Rule    string
		Outcome Outcome
	}
	deviceSig := func(order int) ExistingSignature {
		s := leaderSig(order)
		s.Certificate.Kind = CertDevice
		return s
	}
	cases := []struct {
		name      string
		profile   string
		doc       Document
		sigs      []ExistingSignature
		compliant bool
		want      []want
	}{
		{name: "leader then seal", doc: admin, sigs: []ExistingSignature{leaderSig(1), sealSig(2)}, compliant: true},
		{name: "listed out of order", doc: admin, sigs: []ExistingSignature{sealSig(2), leaderSig(1)}, compliant: true},
		{name: "seal without leader", doc: admin, sigs: []ExistingSignature{sealSig(1)},
			want: []want{{1, RuleOrgSealAfterAuthority, OutcomeViolated}}},
		{name: "seal before leader", doc: admin, sigs: []ExistingSignature{sealSig(1), leaderSig(2)},
			want: []want{{1, RuleOrgSealAfterAuthority, OutcomeViolated}}},
		{name: "seal after a failed leader signature", doc: admin, sigs: []ExistingSignature{
			func() ExistingSignature { s := leaderSig(1); s.Indication = IndicationTotalFailed; return s }(), sealSig(2)},
			want: []want{{2, RuleOrgSealAfterAuthority, OutcomeViolated}}},
		{name: "document time-stamps are skipped", doc: admin, sigs: []ExistingSignature{
			leaderSig(1), sealSig(2), {Kind: KindDocTimestamp, Order: 3, Time: t0}}, compliant: true},
		{name: "classified document", doc: Document{Kind: DocAdministrative, Classification: Secret}, sigs: []ExistingSignature{leaderSig(1), sealSig(2)},
			want: []want{{1, RuleClassified, OutcomeViolated}, {2, RuleClassified, OutcomeViolated}}},
		{name: "device certificate", doc: admin, sigs: []ExistingSignature{deviceSig(1)},
			want: []want{{1, RuleDeviceCertificate, OutcomeViolated}}},
		{name: "leader certificate expired at signing", doc: admin, sigs: []ExistingSignature{
			func() ExistingSignature {
				s := leaderSig(1)
				s.Certificate.NotAfter = s.Time.Add(-time.Minute)
				return s
			}(), sealSig(2)},
			want: []want{{1, RuleCertificateValid, OutcomeViolated}, {2, RuleOrgSealAfterAuthority, OutcomeViolated}}},
		{name: "unknown revocation status is a warning", doc: admin, sigs: []ExistingSignature{
			func() ExistingSignature { s := leaderSig(1); s.Certificate.Status = StatusUnknown; return s }(), sealSig(2)},
			compliant: true, want: []want{{1, RuleCertificateValid, OutcomeWarning}}},
		{name: "signing time unknown", doc: admin, sigs: []ExistingSignature{
			func() ExistingSignature { s := leaderSig(1); s.Time = time.Time{}; return s }()},
			compliant: true, want: []want{{1, RuleCertificateValid, OutcomeWarning}}},
		{name: "copy signed by a person", doc: Document{Kind: DocCopy, CopyForm: CopyTrue, CopyMadeByOrganisation: true}, sigs: []ExistingSignature{leaderSig(1)},
			want: []want{{1, RuleCopyStamp, OutcomeViolated}}},
		{name: "copy of another body", doc: Document{Kind: DocCopy, CopyForm: CopyTrue}, sigs: []ExistingSignature{sealSig(1)},
			want: []want{{1, RuleCopyOwnOrganisation, OutcomeViolated}}},
		{name: "own copy", doc: Document{Kind: DocCopy, CopyForm: CopyTrue, CopyMadeByOrganisation: true}, sigs: []ExistingSignature{sealSig(1)}, compliant: true},
		{name: "appendix in the same file signed", doc: Document{Kind: DocAppendixSameFile}, sigs: []ExistingSignature{leaderSig(1)},
			want: []want{{1, RuleAppendixSameFile, OutcomeViolated}}},
		{name: "separate attachment signed by a person", doc: Document{Kind: DocAttachmentSeparateFile}, sigs: []ExistingSignature{leaderSig(1)},
			want: []want{{1, RuleAttachmentSeparateFile, OutcomeViolated}}},
		{name: "separate attachment sealed", doc: Document{Kind: DocAttachmentSeparateFile}, sigs: []ExistingSignature{sealSig(1)}, compliant: true},
		{name: "second certificate on an ordinary document", doc: admin, sigs: []ExistingSignature{
			leaderSig(1), func() ExistingSignature { s := sealSig(2); s.Certificate.Kind = CertOrganisationSecond; return s }()},
			want: []want{{2, RuleSecondCertServiceCentre, OutcomeViolated}}},
		{name: "deputy signed as head", doc: admin, sigs: []ExistingSignature{
			func() ExistingSignature {
				s := leaderSig(1)
				s.Certificate.Title = "Phó Giám đốc"
				s.Markers = []AuthorityMarker{MarkerOnBehalfOf}
				return s
			}()},
			profile: "ha-tinh", // Hà Tĩnh Điều 7 k4 binds there
			want:    []want{{1, RuleMarkerMatchesTitle, OutcomeViolated}}},
		{name: "deputy signed as head, a warning outside Hà Tĩnh", doc: admin, compliant: true, sigs: []ExistingSignature{
			func() ExistingSignature {
				s := leaderSig(1)
				s.Certificate.Title = "Phó Giám đốc"
				s.Markers = []AuthorityMarker{MarkerOnBehalfOf}
				return s
			}()},
			want: []want{{1, RuleMarkerMatchesTitle, OutcomeWarning}}},
		{name: "empty document", doc: admin, compliant: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.profile
			if p == "" {
				p = "quang-ninh"
			}
			rep, err := engineFor(t, p).CheckSequence(context.Background(), c.doc, c.sigs)
			require.NoError(t, err)
			assert.Equal(t, c.compliant, rep.Compliant)
			var got []want
			for _, f := range rep.Findings {
				got = append(got, want{f.Order, f.Rule, f.Outcome})
				assert.NotEmpty(t, f.MessageVI)
				assert.NotEmpty(t, f.Citation.Instrument)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%s", diff, rep.Vietnamese())
			}
		})
	}
}

func TestCheckSequenceWarningWording(t *testing.T) {
	s := leaderSig(1)
	s.Certificate.Status = StatusUnknown
	rep, err := engineFor(t, "national").CheckSequence(context.Background(), Document{Kind: DocAdministrative}, []ExistingSignature{s})
	require.NoError(t, err)
	require.Len(t, rep.Findings, 1)
	assert.Contains(t, rep.Findings[0].MessageVI, "chưa kết luận được hiệu lực của chữ ký này")
	assert.NotContains(t, rep.Findings[0].MessageVI, "trước khi ký")
}

func TestCheckSequenceCitesProvince(t *testing.T) {
	rep, err := engineFor(t, "quang-ninh").CheckSequence(context.Background(), Document{Kind: DocAdministrative}, []ExistingSignature{sealSig(1)})
	require.NoError(t, err)
	require.Len(t, rep.Findings, 1)
	assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5", rep.Findings[0].Citation.String())
	assert.Contains(t, rep.Vietnamese(), "KHÔNG phù hợp")
	assert.Contains(t, rep.Vietnamese(), "chữ ký thứ 1: Chữ ký số của cơ quan, tổ chức được ký khi văn bản chưa có chữ ký số của người có thẩm quyền (QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5).")
	assert.Equal(t, "The signature sequence does NOT comply with the rules. Violation, signature 1: The organisation signature was applied before any signature of the person with authority (QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5).", rep.English())

	b, err := json.Marshal(rep)
	require.NoError(t, err)
	var j struct {
		Compliant bool `json:"compliant"`
		Findings  []struct {
			Order    int    `json:"order"`
			Rule     string `json:"rule"`
			Outcome  string `json:"outcome"`
			Citation struct {
				Text string `json:"text"`
			} `json:"citation"`
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal(b, &j))
	assert.False(t, j.Compliant)
	require.Len(t, j.Findings, 1)
	assert.Equal(t, 1, j.Findings[0].Order)
	assert.Equal(t, RuleOrgSealAfterAuthority, j.Findings[0].Rule)
	assert.Equal(t, "violated", j.Findings[0].Outcome)
	assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5", j.Findings[0].Citation.Text)
}

func TestCheckSequenceBadInput(t *testing.T) {
	e := engineFor(t, "national")
	_, err := e.CheckSequence(context.Background(), Document{Kind: "letter"}, nil)
	assert.ErrorIs(t, err, ErrInvalidRequest)
	_, err = e.CheckSequence(context.Background(), Document{Kind: DocAdministrative}, []ExistingSignature{leaderSig(1), sealSig(1)})
	assert.ErrorIs(t, err, ErrInvalidRequest)
	many := make([]ExistingSignature, MaxExistingSignatures+1)
	_, err = e.CheckSequence(context.Background(), Document{Kind: DocAdministrative}, many)
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "signatures", re.Field)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = e.CheckSequence(ctx, Document{Kind: DocAdministrative}, nil)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestDecodeSignedDocument(t *testing.T) {
	sd, err := DecodeSignedDocument(strings.NewReader(`{"document":{"kind":"bản sao","copy_form":"SAO Y"},"signatures":[{"certificate":{"kind":"cơ quan"},"order":1}]}`))
	require.NoError(t, err)
	assert.Equal(t, DocCopy, sd.Document.Kind)
	assert.Equal(t, CertOrganisation, sd.Signatures[0].Certificate.Kind)
	for in, field := range map[string]string{
		`{"document":{"kind":"x"}}`: "document.kind",
		`{"document":{"kind":"copy"},"signatures":[{"certificate":{"kind":"individual"},"order":-1}]}`: "signatures[0].order",
		`{"document":{"kind":"copy"},"extra":1}`:                                                       "extra",
		`[]`:                                                                                           "(input)",
	} {
		_, err := DecodeSignedDocument(strings.NewReader(in))
		var re *RequestError
		require.ErrorAs(t, err, &re, in)
		assert.Equal(t, field, re.Field, in)
	}
}

// A seal that follows the leader's signature in the file but is dated before it is a
// warning: the order is kept, the times contradict it.
func TestCheckSequenceSealDatedBeforeLeader(t *testing.T) {
	leader, seal := leaderSig(1), sealSig(2)
	leader.Time, seal.Time = t0, t0.Add(-time.Hour)
	rep, err := engineFor(t, "quang-ninh").CheckSequence(context.Background(), Document{Kind: DocAdministrative}, []ExistingSignature{leader, seal})
	require.NoError(t, err)
	assert.True(t, rep.Compliant)
	require.Len(t, rep.Findings, 1)
	f := rep.Findings[0]
	assert.Equal(t, 2, f.Order)
	assert.Equal(t, RuleOrgSealAfterAuthority, f.Rule)
	assert.Equal(t, OutcomeWarning, f.Outcome)
	assert.Contains(t, f.MessageVI, "trước thời điểm ký của người có thẩm quyền (22/11/2026 14:05:09 +07:00)")
	assert.Contains(t, f.MessageEN, "dated 2026-11-22T13:05:09+07:00")

	seal.Time = t0.Add(time.Minute)
	rep, err = engineFor(t, "quang-ninh").CheckSequence(context.Background(), Document{Kind: DocAdministrative}, []ExistingSignature{leader, seal})
	require.NoError(t, err)
	assert.Empty(t, rep.Findings)
}
