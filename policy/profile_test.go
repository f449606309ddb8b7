package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/province"
)

func TestBuiltinProfiles(t *testing.T) {
	reg := BuiltinProfiles()
	assert.Equal(t, []string{"bac-lieu", "cao-bang", "ha-tinh", "hoa-binh", "national", "quang-ninh"}, reg.IDs())
	// Item 6: in Hòa Bình and Cao Bằng each agency manages its own subscribers and the
	// Sở TT&TT coordinates.
	managers := map[string]struct {
		name string
		role Role
	}{
		"national":   {"Cơ quan, tổ chức quản lý trực tiếp", RoleManagingOrganisation},
		"quang-ninh": {"Sở Thông tin và Truyền thông", RoleProvincialDepartment},
		"ha-tinh":    {"Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh", RoleProvincialDepartment},
		"hoa-binh":   {"Cơ quan nhà nước quản lý thuê bao của mình; Sở Thông tin và Truyền thông hướng dẫn, phối hợp", RoleManagingOrganisation},
		"cao-bang":   {"Cơ quan nhà nước quản lý thuê bao của mình; Sở Thông tin và Truyền thông chủ trì phối hợp, hướng dẫn", RoleManagingOrganisation},
		"bac-lieu":   {"Sở Văn hóa, Thông tin, Thể thao và Du lịch", RoleProvincialDepartment},
	}
	for id, m := range managers {
		p, err := reg.Lookup(id)
		require.NoError(t, err)
		require.NotNil(t, p.SubscriberManager, id)
		assert.Equal(t, m.name, p.SubscriberManager.Name, id)
		assert.Equal(t, m.role, p.SubscriberManager.Role, id)
		assert.NotEmpty(t, p.Provenance, id)
		assert.NotEmpty(t, p.OrgSignatureRoles, id)
	}
	hb, err := reg.Lookup("hoa-binh")
	require.NoError(t, err)
	assert.Equal(t, "QĐ 13/2020/QĐ-UBND Hòa Bình, Điều 7 k1", hb.SubscriberManager.Citation.String())
	require.NotNil(t, hb.SubscriberManager.Coordinator)
	assert.Equal(t, "Sở Thông tin và Truyền thông", hb.SubscriberManager.Coordinator.Name)
	assert.Equal(t, "QĐ 13/2020/QĐ-UBND Hòa Bình, Điều 6 k2", hb.SubscriberManager.Coordinator.Citation.String())
	cb, err := reg.Lookup("cao-bang")
	require.NoError(t, err)
	require.NotNil(t, cb.SubscriberManager.Coordinator)
	assert.Equal(t, "Sở Thông tin và Truyền thông", cb.SubscriberManager.Coordinator.Name)

	qn, err := reg.Lookup("quang-ninh")
	require.NoError(t, err)
	require.Len(t, qn.Reports, 2)
	assert.Equal(t, "monthly", qn.Reports[0].Period)
	assert.Equal(t, &DayRef{Day: 20}, qn.Reports[0].DueDate)
	assert.Equal(t, "next-working-day", qn.Reports[0].Shift)
	assert.Equal(t, &DataWindow{Start: DayRef{MonthOffset: -1, Day: 15}, End: DayRef{Day: 14}}, qn.Reports[0].DataWindow)
	assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 16 k7", qn.Reports[0].Citation.String())
	assert.Equal(t, &DayRef{MonthOffset: 1, Day: 20}, qn.Reports[1].DueDate)
	require.NotNil(t, qn.SIMPKI)
	assert.Len(t, qn.SIMPKI.Eligible, 3)
	assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 9 k1", qn.SIMPKI.Citation.String())

	ht, err := reg.Lookup("Hà Tĩnh") // by name
	require.NoError(t, err)
	assert.Equal(t, "ha-tinh", ht.ID)
	require.Len(t, ht.Reports, 2)
	assert.Equal(t, "trước ngày 17 tháng 6 hàng năm", ht.Reports[0].Due)
	assert.Equal(t, &DayRef{Day: 17, Before: true}, ht.Reports[0].DueDate)
	assert.Equal(t, []Role{RoleClerk, RoleKeyKeeper}, ht.OrgSignatureRoles)
	assert.Nil(t, ht.SIMPKI, "Hà Tĩnh's regulation says nothing about SIM PKI")

	_, err = reg.Lookup("hanoi")
	assert.ErrorIs(t, err, ErrUnknownProfile)
	assert.Contains(t, err.Error(), "quang-ninh")

	// Each call gives a fresh registry: changing one does not change another.
	qn.OrgSignatureRoles[0] = RoleSubscriber
	again, _ := BuiltinProfiles().Lookup("quang-ninh")
	assert.Equal(t, []Role{RoleClerk}, again.OrgSignatureRoles)
	fromSame, _ := reg.Lookup("quang-ninh")
	assert.Equal(t, []Role{RoleClerk}, fromSame.OrgSignatureRoles)
}

// Every embedded profile file is valid on its own and lists rules that exist; every
// one is loaded (no hard-coded list).
func TestEmbeddedProfileFiles(t *testing.T) {
	files := province.Files()
	require.Len(t, files, 6)
	var ids []string
	for _, f := range files {
		p, err := ParseProfile(bytes.NewReader(f.Data))
		require.NoError(t, err, f.Name)
		assert.Equal(t, p.ID+".json", f.Name)
		ids = append(ids, p.ID)
	}
	assert.ElementsMatch(t, ids, BuiltinProfiles().IDs())
}

// An agency adds or overrides a profile with a file, without code.
func TestRegistryLoadOverride(t *testing.T) {
	reg := BuiltinProfiles()
	keeper := clerkRequest(leaderSig(1))
	keeper.Role = RoleKeyKeeper

	before, err := reg.Lookup("quang-ninh")
	require.NoError(t, err)
	e, err := New(Options{Profile: before})
	require.NoError(t, err)
	assert.False(t, e.Decide(context.Background(), keeper).Allowed)

	override := `{
	  "id": "quang-ninh", "name": "Quảng Ninh", "extends": "national",
	  "instrument": "QĐ 99/2027/QĐ-UBND Quảng Ninh",
	  "instruments": [{"short": "QĐ 99/2027/QĐ-UBND Quảng Ninh", "title": "Quyết định sửa đổi (giả định cho kiểm thử)", "scope": "provincial", "source": "agency"}],
	  "org_signature_roles": ["clerk", "key-keeper"],
	  "restates": [{"rule": "VN-ORG-SEAL-BY-CLERK", "citation": {"instrument": "QĐ 99/2027/QĐ-UBND Quảng Ninh", "article": "3", "clause": "1", "source": "agency"}}]
	}`
	p, err := reg.Load(strings.NewReader(override))
	require.NoError(t, err)
	assert.Equal(t, "Cơ quan, tổ chức quản lý trực tiếp", p.SubscriberManager.Name, "inherited from national, the old Quảng Ninh data is replaced")
	e, err = New(Options{Profile: p})
	require.NoError(t, err)
	d := e.Decide(context.Background(), keeper)
	assert.True(t, d.Allowed, d.Vietnamese())
	for _, r := range d.Reasons {
		if r.Rule == RuleOrgSealByClerk {
			assert.Equal(t, "QĐ 99/2027/QĐ-UBND Quảng Ninh, Điều 3 k1", r.Citation.String())
		}
	}

	// A new district profile extending a province.
	_, err = reg.Load(strings.NewReader(`{"id": "ha-long", "name": "Hạ Long", "extends": "quang-ninh"}`))
	require.NoError(t, err)
	hl, err := reg.Lookup("ha-long")
	require.NoError(t, err)
	assert.Equal(t, []Role{RoleClerk, RoleKeyKeeper}, hl.OrgSignatureRoles)
}

func TestProfileErrors(t *testing.T) {
	cases := []struct{ name, in, field string }{
		{"not JSON", `{`, "(input)"},
		{"unknown field", `{"id":"x","name":"X","extends":"national","colour":"red"}`, "colour"},
		{"unknown nested field", `{"id":"x","name":"X","extends":"national","period":{"from":"2025-01-01","note":"n","untill":"2026-01-01"}}`, "untill"},
		{"wrong type", `{"id":"x","name":"X","extends":"national","period":{"from":20250101,"note":"n"}}`, "period.from"},
		{"wrong type in a list", `{"id":"x","name":"X","extends":"national","reports":[{"period":"annual","months":["6"],"citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "reports.months"},
		{"binding not a boolean", `{"id":"x","name":"X","extends":"national","restates":[{"rule":"VN-AUTHORITY-WITHIN-TITLE","binding":"yes","citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "restates.binding"},
		{"bad id", `{"id":"Quảng Ninh","name":"X"}`, "id"},
		{"no name", `{"id":"x","extends":"national"}`, "name"},
		{"extends itself", `{"id":"x","name":"X","extends":"x"}`, "extends"},
		{"unknown parent", `{"id":"x","name":"X","extends":"atlantis"}`, "extends"},
		{"nobody seals", `{"id":"x","name":"X"}`, "org_signature_roles"},
		{"no citation for a rule", `{"id":"x","name":"X","org_signature_roles":["clerk"]}`, "restates"},
		{"binding a national rule", `{"id":"x","name":"X","extends":"national","restates":[{"rule":"VN-KEY-SOLE-CONTROL","binding":true,"citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "restates[0].binding"},
		{"bad period date", `{"id":"x","name":"X","extends":"national","period":{"from":"1/7/2025","note":"n"}}`, "period.from"},
		{"period ends before it starts", `{"id":"x","name":"X","extends":"national","period":{"from":"2025-07-01","until":"2020-01-01","note":"n"}}`, "period.until"},
		{"period without source", `{"id":"x","name":"X","extends":"national","period":{"from":"2025-07-01"}}`, "period"},
		{"redeclares a listed instrument", `{"id":"x","name":"X","extends":"national","instruments":[{"short":"NĐ 30/2020/NĐ-CP","title":"giả","scope":"provincial","source":"agency"}]}`, "instruments[0].short"},
		{"instrument declared twice", `{"id":"x","name":"X","extends":"national","instruments":[{"short":"QĐ 1","title":"a","source":"agency"},{"short":"QĐ 1","title":"b","source":"agency"}]}`, "instruments[1].short"},
		{"successor before the period ends", `{"id":"x","name":"X","extends":"national","period":{"from":"2020-01-01","until":"2025-06-30","note":"n"},"successor":{"id":"y","name":"Y","from":"2024-01-01"}}`, "successor.from"},
		{"successor without name", `{"id":"x","name":"X","extends":"national","successor":{"id":"y"}}`, "successor.name"},
		{"bad shift", `{"id":"x","name":"X","extends":"national","reports":[{"period":"annual","shift":"later","citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "reports[0].shift"},
		{"assumed shift without note", `{"id":"x","name":"X","extends":"national","reports":[{"period":"annual","shift":"none","shift_assumed":true,"citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "reports[0].shift_note"},
		{"bad due date day", `{"id":"x","name":"X","extends":"national","reports":[{"period":"annual","due_date":{"month_offset":0,"day":0},"citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "reports[0].due_date.day"},
		{"bad month", `{"id":"x","name":"X","extends":"national","reports":[{"period":"annual","months":[13],"citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "reports[0].months[0]"},
		{"district reporter without level", `{"id":"x","name":"X","extends":"national","reports":[{"period":"annual","reporters":[{"name":"UBND cấp huyện"}],"citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "reports[0].reporters[0].level"},
		{"bad abolished level date", `{"id":"x","name":"X","extends":"national","abolished_levels":[{"level":"commune","name":"cấp xã"}]}`, "abolished_levels[0].from"},
		{"bad citation date", `{"id":"x","name":"X","extends":"national","restates":[{"rule":"VN-KEY-SOLE-CONTROL","citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1","until":"soon"}}]}`, "restates[0].citation.until"},
		{"unknown role", `{"id":"x","name":"X","extends":"national","org_signature_roles":["boss"]}`, "role"},
		{"unknown rule", `{"id":"x","name":"X","extends":"national","restates":[{"rule":"VN-NOPE","citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "restates[0].rule"},
		{"unknown instrument", `{"id":"x","name":"X","extends":"national","restates":[{"rule":"VN-KEY-SOLE-CONTROL","citation":{"instrument":"Luật X","article":"1"}}]}`, "restates[0].citation.instrument"},
		{"no article and no note", `{"id":"x","name":"X","extends":"national","restates":[{"rule":"VN-KEY-SOLE-CONTROL","citation":{"instrument":"NĐ 30/2020/NĐ-CP"}}]}`, "restates[0].citation"},
		{"bad period", `{"id":"x","name":"X","extends":"national","reports":[{"period":"weekly","citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "reports[0].period"},
		{"bad due day", `{"id":"x","name":"X","extends":"national","reports":[{"period":"annual","due_day":40,"citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "reports[0]"},
		{"subscriber manager role", `{"id":"x","name":"X","extends":"national","subscriber_manager":{"name":"Sở","role":"clerk","citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}}`, "subscriber_manager.role"},
		{"empty SIM PKI", `{"id":"x","name":"X","extends":"national","sim_pki":{"eligible":[],"citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}}`, "sim_pki.eligible"},
		{"too large", `{"id":"x","name":"` + strings.Repeat("a", MaxProfileSize) + `"}`, "(input)"},
		{"report text too long", `{"id":"x","name":"X","extends":"national","reports":[{"period":"annual","due":"` + strings.Repeat("a", MaxTextLength+1) + `","citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`, "reports[0]"},
		{"subscriber manager name too long", `{"id":"x","name":"X","extends":"national","subscriber_manager":{"name":"` + strings.Repeat("Sở ", MaxTextLength) + `","citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}}`, "subscriber_manager"},
		{"id given twice", `{"id":"x","name":"X","extends":"national","id":"quang-ninh"}`, "id"},
		{"extends in a cycle", `{"id":"national","name":"Toàn quốc","extends":"quang-ninh"}`, "extends"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := BuiltinProfiles().Load(strings.NewReader(c.in))
			require.ErrorIs(t, err, ErrInvalidProfile)
			var pe *ProfileError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, pe.Field, c.field)
			assert.Less(t, len(err.Error()), 400)
		})
	}
}

// An agency that corrects the national baseline corrects every province built on it,
// except where the province sets the value itself; a failed load changes nothing.
func TestRegistryOverrideBaseline(t *testing.T) {
	reg := BuiltinProfiles()
	keeper := clerkRequest(leaderSig(1))
	keeper.Role = RoleKeyKeeper
	allowed := func(id string) bool {
		t.Helper()
		p, err := reg.Lookup(id)
		require.NoError(t, err)
		e, err := New(Options{Profile: p, Now: func() time.Time { return t0 }})
		require.NoError(t, err)
		return e.Decide(context.Background(), keeper).Allowed
	}
	require.False(t, allowed("bac-lieu"))

	// The agency copies the baseline's file and edits it.
	nat, err := reg.Lookup("national")
	require.NoError(t, err)
	nat.OrgSignatureRoles = []Role{RoleClerk, RoleKeyKeeper}
	file, err := json.Marshal(nat)
	require.NoError(t, err)
	_, err = reg.Load(bytes.NewReader(file))
	require.NoError(t, err)
	assert.True(t, allowed("national"))
	assert.True(t, allowed("bac-lieu"), "Bạc Liêu sets no roles of its own: it follows the corrected baseline")
	assert.False(t, allowed("quang-ninh"), "Quảng Ninh names the clerk alone in its own data")
	assert.False(t, allowed("hoa-binh"))
	bl, err := reg.Lookup("bac-lieu")
	require.NoError(t, err)
	assert.Equal(t, "Sở Văn hóa, Thông tin, Thể thao và Du lịch", bl.SubscriberManager.Name, "the province's own data stays")

	before := reg.IDs()
	_, err = reg.Load(strings.NewReader(`{"id": "national", "name": "Toàn quốc", "extends": "ha-tinh"}`))
	require.ErrorIs(t, err, ErrInvalidProfile)
	assert.Contains(t, err.Error(), "cycle")
	assert.Equal(t, before, reg.IDs())
	assert.True(t, allowed("bac-lieu"), "a refused file leaves the registry as it was")
}

// The zero Registry is usable, like NewRegistry's.
func TestZeroRegistry(t *testing.T) {
	var reg Registry
	_, err := reg.Lookup("national")
	assert.ErrorIs(t, err, ErrUnknownProfile)
	// A profile extending nothing must cite every rule kyso has no national article for.
	_, err = reg.Load(strings.NewReader(`{"id": "x", "name": "X", "org_signature_roles": ["clerk"]}`))
	var pe *ProfileError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "restates", pe.Field)
	nat, err := BuiltinProfiles().Lookup("national")
	require.NoError(t, err)
	nat.ID = "x"
	p, err := reg.Add(nat)
	require.NoError(t, err)
	assert.Equal(t, "x", p.ID)
	assert.Equal(t, []string{"x"}, reg.IDs())
	assert.Equal(t, []string{"x"}, reg.Clone().IDs())
}

func TestEngineRulesPerProfile(t *testing.T) {
	for _, id := range allProfiles {
		rules := engineFor(t, id).Rules()
		require.Len(t, rules, len(Rules()), id)
		for _, r := range rules {
			require.NotEmpty(t, r.Citations, "%s %s", id, r.ID)
		}
	}
	qn := engineFor(t, "quang-ninh").Rules()
	for _, r := range qn {
		if r.ID == RuleOrgSealAfterAuthority {
			assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5", r.Citations[0].String())
		}
	}
	b, err := json.Marshal(Rules()[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"id":"VN-CLASSIFIED-NO-DIGITAL-SIGNATURE"`)
	assert.Contains(t, string(b), `"vi":"Không sử dụng chữ ký số cho văn bản mật`)
}

func TestInstruments(t *testing.T) {
	list := Instruments()
	require.NotEmpty(t, list)
	seen := map[string]bool{}
	for _, in := range list {
		assert.False(t, seen[in.Short], "duplicate %s", in.Short)
		seen[in.Short] = true
		assert.Contains(t, []string{"national", "provincial"}, in.Scope)
		assert.NotEmpty(t, in.Match)
	}
	for _, s := range []string{"NĐ 30/2020/NĐ-CP", "NĐ 130/2018/NĐ-CP", "TT 185/2019/TT-BQP", "QĐ 41/2022/QĐ-UBND Quảng Ninh", "QĐ 19/2020/QĐ-UBND Hà Tĩnh", "QĐ 13/2020/QĐ-UBND Hòa Bình", "QĐ 12/2021/QĐ-UBND Cao Bằng", "Quy chế Bạc Liêu"} {
		assert.True(t, seen[s], s)
	}
	list[0].Short = "changed"
	assert.NotEqual(t, "changed", Instruments()[0].Short)
}
