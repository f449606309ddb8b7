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

func TestDecodeRequest(t *testing.T) {
	in := `{
	  "role": "văn thư",
	  "certificate": {"kind": "cơ quan, tổ chức", "not_before": "2025-11-22T00:00:00Z", "not_after": "2028-11-22T00:00:00Z", "status": "good"},
	  "document": {"kind": "administrative", "classification": "thường"},
	  "time": "2026-11-22T14:05:09+07:00",
	  "existing": [{"certificate": {"kind": "individual", "title": "Phó Giám đốc", "status": "good"},
	                "order": 1, "time": "2026-11-22T13:00:00+07:00", "indication": "TOTAL_PASSED", "markers": ["KT"]}]
	}`
	req, err := DecodeRequest(strings.NewReader(in))
	require.NoError(t, err)
	want := Request{
		Role: RoleClerk,
		Certificate: Certificate{Kind: CertOrganisation, Status: StatusGood,
			NotBefore: time.Date(2025, 11, 22, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2028, 11, 22, 0, 0, 0, 0, time.UTC)},
		Document: Document{Kind: DocAdministrative},
		Time:     time.Date(2026, 11, 22, 14, 5, 9, 0, time.FixedZone("", 7*3600)),
		Existing: []ExistingSignature{{
			Certificate: Certificate{Kind: CertIndividual, Title: "Phó Giám đốc", Status: StatusGood},
			Order:       1, Time: time.Date(2026, 11, 22, 13, 0, 0, 0, time.FixedZone("", 7*3600)),
			Indication: IndicationTotalPassed, Markers: []AuthorityMarker{MarkerDeputy},
		}},
	}
	if diff := cmp.Diff(want, req, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	// A round trip through JSON gives the same request.
	b, err := json.Marshal(req)
	require.NoError(t, err)
	again, err := DecodeRequest(strings.NewReader(string(b)))
	require.NoError(t, err)
	assert.True(t, cmp.Equal(req, again, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })))
}

func TestDecodeRequestVietnameseAliases(t *testing.T) {
	for in, want := range map[string]Classification{"mật": Confidential, "MẬT": Confidential, "Tối mật": Secret, "tuyệt mật": TopSecret, "tuyet-mat": TopSecret, "thường": Unclassified} {
		req, err := DecodeRequest(strings.NewReader(`{"role":"authority","certificate":{"kind":"individual"},"document":{"kind":"administrative","classification":"` + in + `"}}`))
		require.NoError(t, err, in)
		assert.Equal(t, want, req.Document.Classification, in)
	}
	for in, want := range map[string]CopyForm{"SAO Y": CopyTrue, "sao-y": CopyTrue, "SAO LỤC": CopyRecopy, "trích sao": CopyExtract} {
		req, err := DecodeRequest(strings.NewReader(`{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"copy","copy_form":"` + in + `"}}`))
		require.NoError(t, err, in)
		assert.Equal(t, want, req.Document.CopyForm, in)
	}
}

func TestDecodeRequestErrors(t *testing.T) {
	cases := []struct{ name, in, field string }{
		{"empty", ``, "(input)"},
		{"not JSON", `role=clerk`, "(input)"},
		{"unknown field", `{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"administrative"},"rank":1}`, "rank"},
		{"unknown role", `{"role":"chief","certificate":{"kind":"organisation"},"document":{"kind":"administrative"}}`, "role"},
		{"missing role", `{"certificate":{"kind":"organisation"},"document":{"kind":"administrative"}}`, "role"},
		{"unknown certificate kind", `{"role":"clerk","certificate":{"kind":"ssl"},"document":{"kind":"administrative"}}`, "certificate.kind"},
		{"unknown document kind", `{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"letter"}}`, "document.kind"},
		{"unknown marker", `{"role":"authority","certificate":{"kind":"individual"},"document":{"kind":"administrative"},"markers":["XT."]}`, "markers"},
		{"unknown status", `{"role":"clerk","certificate":{"kind":"organisation","status":"fine"},"document":{"kind":"administrative"}}`, "certificate.status"},
		{"bad time", `{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"administrative"},"time":"yesterday"}`, "(input)"},
		{"trailing data", `{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"administrative"}} {}`, "(input)"},
		{"duplicate order", `{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"administrative"},
			"existing":[{"certificate":{"kind":"individual"},"order":1},{"certificate":{"kind":"individual"},"order":1}]}`, "existing[1].order"},
		{"too large", `{"role":"clerk","printed_title":"` + strings.Repeat("a", MaxRequestSize) + `"}`, "(input)"},
		// encoding/json lets the last of two equal keys win: two readers of one
		// request could see two different signers.
		{"wrong JSON type", `{"role":1,"certificate":{"kind":"organisation"},"document":{"kind":"administrative"}}`, "role"},
		{"wrong JSON type deeper", `{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"administrative"},"existing":[{"order":"1"}]}`, "existing.order"},
		{"role given twice", `{"role":"clerk","role":"authority","certificate":{"kind":"individual"},"document":{"kind":"administrative"}}`, "role"},
		{"certificate kind given twice", `{"role":"clerk","certificate":{"kind":"organisation","kind":"individual"},"document":{"kind":"administrative"}}`, "certificate.kind"},
		{"key twice in an existing signature", `{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"administrative"},
			"existing":[{"certificate":{"kind":"individual"},"order":1},{"certificate":{"kind":"individual"},"order":2,"order":3}]}`, "existing[1].order"},
		{"nested too deep", `{"existing":[{"certificate":{"title":` + strings.Repeat("[", 20) + strings.Repeat("]", 20) + `}}]}`, "existing[0].certificate.title[0][0][0][0][0][0][0][0][0][0][0]"},
		{"deep array alone", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeRequest(strings.NewReader(c.in))
			require.ErrorIs(t, err, ErrInvalidRequest)
			var re *RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, c.field, re.Field)
			assert.NotContains(t, err.Error(), strings.Repeat("a", 100), "the message stays short")
		})
	}
}

func TestDecisionJSON(t *testing.T) {
	d := decide(t, "quang-ninh", clerkRequest())
	b, err := json.Marshal(d)
	require.NoError(t, err)
	var j struct {
		Allowed   bool   `json:"allowed"`
		Placement string `json:"placement"`
		Profile   string `json:"profile"`
		Reasons   []struct {
			Rule      string `json:"rule"`
			Outcome   string `json:"outcome"`
			MessageVI string `json:"message_vi"`
			MessageEN string `json:"message_en"`
			Citation  struct {
				Instrument string `json:"instrument"`
				Article    string `json:"article"`
				Clause     string `json:"clause"`
				Text       string `json:"text"`
			} `json:"citation"`
		} `json:"reasons"`
		ExplanationVI string `json:"explanation_vi"`
	}
	require.NoError(t, json.Unmarshal(b, &j))
	assert.False(t, j.Allowed)
	assert.Equal(t, "none", j.Placement)
	assert.Equal(t, "quang-ninh", j.Profile)
	require.NotEmpty(t, j.Reasons)
	r := j.Reasons[0]
	assert.Equal(t, RuleOrgSealAfterAuthority, r.Rule)
	assert.Equal(t, "violated", r.Outcome)
	assert.Contains(t, r.MessageVI, "người có thẩm quyền")
	assert.Contains(t, r.MessageEN, "person with authority")
	assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh", r.Citation.Instrument)
	assert.Equal(t, "20", r.Citation.Article)
	assert.Equal(t, "5", r.Citation.Clause)
	assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5", r.Citation.Text)
	assert.True(t, strings.HasPrefix(j.ExplanationVI, "KHÔNG ĐƯỢC KÝ."), j.ExplanationVI)

	ok, err := json.Marshal(decide(t, "quang-ninh", clerkRequest(leaderSig(1))))
	require.NoError(t, err)
	assert.Contains(t, string(ok), `"allowed":true`)
	assert.Contains(t, string(ok), `"placement":"seal"`)

	bad := engineFor(t, "national").Decide(context.Background(), Request{})
	b, err = json.Marshal(bad)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"error":"policy: invalid request: role`)
	assert.Contains(t, string(b), `"reasons":[]`)
}

func TestDecisionParagraphs(t *testing.T) {
	refused := decide(t, "quang-ninh", clerkRequest())
	assert.Equal(t, "KHÔNG ĐƯỢC KÝ. Văn bản chưa có chữ ký số của người có thẩm quyền: văn thư chỉ được ký số của cơ quan, tổ chức vào văn bản đã có chữ ký số của người có thẩm quyền (QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5).",
		refused.Vietnamese())
	assert.True(t, strings.HasPrefix(refused.English(), "REFUSED. The document does not yet carry"), refused.English())

	allowed := decide(t, "quang-ninh", clerkRequest(leaderSig(1)))
	vi := allowed.Vietnamese()
	assert.True(t, strings.HasPrefix(vi, "ĐƯỢC KÝ. Vị trí: dấu, chữ ký số của cơ quan, tổ chức tại ô số 8"), vi)
	assert.Contains(t, vi, "Căn cứ: ")
	assert.True(t, strings.HasSuffix(vi, "Căn cứ: QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 5 k7, Điều 2 k3 c, Điều 3 k1 a, Điều 3 k1 b, Điều 5 k5, Điều 20 k5."), vi)
	assert.True(t, strings.HasSuffix(decide(t, "national", clerkRequest(leaderSig(1))).English(),
		"Basis: QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 5 k7, Điều 2 k3 c; NĐ 68/2024/NĐ-CP, Điều 31 k1, Điều 29 k3; NĐ 30/2020/NĐ-CP, Điều 32, Điều 32 k2 d."), decide(t, "national", clerkRequest(leaderSig(1))).English())

	warned := clerkRequest(leaderSig(1))
	warned.Certificate.Status = StatusUnknown
	assert.Contains(t, decide(t, "national", warned).Vietnamese(), "Lưu ý: Chưa kiểm tra được trạng thái thu hồi")
}
