package forms

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinDefinitionsAreCompleteAndHonest(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	want := []string{"report/usage"}
	for i := 1; i <= 15; i++ {
		want = append(want, "tt185/mau-"+twoDigits(i))
	}
	for i := 1; i <= 9; i++ {
		want = append(want, "nd68/mau-"+twoDigits(i))
	}
	var got []string
	for _, d := range reg.Definitions() {
		got = append(got, d.ID)
		assert.NotEmpty(t, d.Provenance.Sources, d.ID)
		assert.NotNil(t, d.Sample, "%s ships sample data", d.ID)
		assert.NotEmpty(t, d.Signature.Blocks, d.ID)
		if strings.HasPrefix(d.ID, "tt185/") {
			assert.Equal(t, ConfidenceReconstructed, d.Provenance.Confidence,
				"%s: the TT 185 field lists are reconstructed and must say so", d.ID)
			assert.Contains(t, d.Provenance.Notes, "should correct it")
		}
		assert.NoError(t, d.Validate(d.Normalize(d.Sample), ValidateOptions{Now: testNow}), d.ID)
	}
	assert.ElementsMatch(t, want, got)
	d, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)
	assert.Equal(t, []string{"Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ"}, d.Defaults.Recipients)
	_, err = reg.Definition("tt185/mau-16")
	assert.ErrorIs(t, err, ErrUnknownForm)
}

func twoDigits(i int) string { return string([]byte{byte('0' + i/10), byte('0' + i%10)}) }

const agencyNewForm = `# A province's own form: a request to add a subscriber to the e-office system.
id: quang-ninh/dang-ky-qlvb
title: Phiếu đăng ký sử dụng chữ ký số trên hệ thống quản lý văn bản
layout: application
documentType: PHIẾU ĐĂNG KÝ
summary: Sử dụng chữ ký số trên hệ thống quản lý văn bản và điều hành
defaults:
  recipients: [Sở Thông tin và Truyền thông tỉnh Quảng Ninh]
sections:
  - id: user
    title: Thông tin người đăng ký
    fields:
      - {id: fullName, label: Họ và tên, type: text, required: true}
      - {id: account, label: Tài khoản hệ thống, type: text, required: true}
      - {id: phone, label: Số điện thoại di động, type: phone, required: true}
signature:
  signer: subscriber
  blocks: [{role: applicant, authority: NGƯỜI ĐĂNG KÝ, nameField: fullName}]
provenance:
  confidence: official
  sources: [Sở TT&TT Quảng Ninh, mẫu phiếu nội bộ 2026]
sample:
  header: {place: Hạ Long, date: 02/11/2026}
  fields: {fullName: Đặng Thu Trang, account: trangdt, phone: "0987654321"}
`

const agencyOverlay = `{
  "$schema": "https://example.invalid/ignored-by-the-loader.json",
  "extends": "tt185/mau-02",
  "defaults": {
    "recipients": ["Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ", "Trung tâm Chứng thực điện tử chuyên dùng Chính phủ"],
    "issuingBody": "Sở Khoa học và Công nghệ",
    "parentBody": "UBND tỉnh Quảng Ninh"
  },
  "fields": [
    {"id": "receiverAddress", "label": "Địa chỉ nhận thiết bị (ghi rõ phòng, tầng)"},
    {"id": "subscribers.email", "domainSuffix": "quangninh.gov.vn"}
  ],
  "addFields": [
    {"section": "receiver", "field": {"id": "receiverUnit", "label": "Phòng, ban", "type": "text"}}
  ],
  "note": "Từ 01/3/2025 Sở KH&CN quản lý thuê bao (hợp nhất Sở TT&TT)."
}
`

func TestAgencyExtensionFromDirectory(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dang-ky-qlvb.yaml"), []byte(agencyNewForm), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "overrides"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "overrides", "mau-02.json"), []byte(agencyOverlay), 0o644))
	reg, err := NewRegistry()
	require.NoError(t, err)
	require.NoError(t, reg.LoadDir(dir))

	// New form.
	nf, err := reg.Definition("quang-ninh/dang-ky-qlvb")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "dang-ky-qlvb.yaml")+":2", reg.Origin(nf.ID))
	var pdf bytes.Buffer
	require.NoError(t, nf.Render(&pdf, nf.Sample, RenderOptions{Validate: &ValidateOptions{Now: testNow}}))

	// Relabelled field, stricter column, added field, overridden defaults.
	d, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)
	f, ok := d.Field("receiverAddress")
	require.True(t, ok)
	assert.Equal(t, "Địa chỉ nhận thiết bị (ghi rõ phòng, tầng)", f.Label)
	_, ok = d.Field("receiverUnit")
	assert.True(t, ok)
	assert.Equal(t, "Sở Khoa học và Công nghệ", d.Defaults.IssuingBody)
	assert.Equal(t, []string{"Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ",
		"Trung tâm Chứng thực điện tử chuyên dùng Chính phủ"}, d.Defaults.Recipients, "overridden recipients")
	assert.Contains(t, d.Provenance.Notes, "Sở KH&CN")
	data := d.Normalize(d.Sample)
	data.Header.IssuingBody = ""
	data.Tables["subscribers"][0]["email"] = "viet@hanoi.gov.vn"
	err = d.Validate(data, ValidateOptions{Now: testNow})
	require.ErrorIs(t, err, ErrInvalidEmail, "the agency's stricter e-mail domain applies")
	data.Tables["subscribers"][0]["email"] = "viettq@quangninh.gov.vn"
	require.NoError(t, d.Validate(data, ValidateOptions{Now: testNow}))
	needTool(t, "pdftotext")
	pdf.Reset()
	require.NoError(t, d.Render(&pdf, data, RenderOptions{Validate: &ValidateOptions{Now: testNow}}))
	p := filepath.Join(t.TempDir(), "f.pdf")
	require.NoError(t, os.WriteFile(p, pdf.Bytes(), 0o644))
	text := spaces.ReplaceAllString(run(t, "pdftotext", p, "-"), " ")
	assert.Contains(t, text, "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
	assert.Contains(t, text, "Địa chỉ nhận thiết bị (ghi rõ phòng, tầng):")
	assert.Contains(t, text, "Kính gửi: - Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ; - Trung tâm Chứng thực điện tử chuyên dùng Chính phủ.",
		"the overridden recipients are printed")

	// The built-in registry is untouched by another registry's extension.
	fresh, err := NewRegistry()
	require.NoError(t, err)
	d2, _ := fresh.Definition("tt185/mau-02")
	assert.Equal(t, "", d2.Defaults.IssuingBody)
	assert.Len(t, d2.Defaults.Recipients, 1)
}

func TestAgencyExtensionErrorsHaveFileAndLine(t *testing.T) {
	cases := []struct {
		name  string
		files fstest.MapFS
		kind  error
		where string
		text  string
	}{
		{"duplicate of a built-in", fstest.MapFS{"a.yaml": {Data: []byte(strings.Replace(agencyNewForm, "quang-ninh/dang-ky-qlvb", "tt185/mau-01", 1))}},
			ErrConflict, "a.yaml:2", "already defined at definitions/tt185/mau-01.json:2"},
		{"two files change one property", fstest.MapFS{
			"a.yaml": {Data: []byte("extends: tt185/mau-01\ndefaults:\n  place: Hạ Long\n")},
			"b.yaml": {Data: []byte("extends: tt185/mau-01\n\ndefaults:\n  place: Cẩm Phả\n")}},
			ErrConflict, "b.yaml:4", "also changed at a.yaml:3"},
		{"unknown key", fstest.MapFS{"a.yaml": {Data: []byte("id: x/y\ntitle: T\nlayout: letter\nsectons: []\n")}},
			ErrInvalidDefinition, "a.yaml:4", `unknown key "sectons"`},
		{"bad field type", fstest.MapFS{"f.yaml": {Data: []byte(
			"id: x/y\ntitle: T\nlayout: letter\nprovenance: {confidence: official, sources: [s]}\nsections:\n  - id: s\n    title: S\n    fields:\n      - id: a\n        label: A\n        type: colour\n")}},
			ErrInvalidDefinition, "f.yaml:11", `unknown type "colour"`},
		{"syntax", fstest.MapFS{"s.json": {Data: []byte("{\n\"id\": \"x/y\",\n\"title\": [\n")}},
			ErrInvalidDefinition, "s.json", "not valid JSON or YAML"},
		{"requiredIf names nothing", fstest.MapFS{"r.yaml": {Data: []byte(
			"id: x/y\ntitle: T\nlayout: letter\nprovenance: {confidence: official, sources: [s]}\nsections:\n  - id: s\n    title: S\n    fields:\n      - {id: a, label: A, type: text}\n      - {id: b, label: B, type: text, requiredIf: c=1}\n")}},
			ErrInvalidDefinition, "r.yaml:10", `requiredIf "c=1"`},
		{"added field invalid", fstest.MapFS{"o.yaml": {Data: []byte("extends: tt185/mau-01\naddFields:\n  - section: applicant\n    field:\n      id: unit\n      label: Đơn vị\n      type: colour\n")}},
			ErrInvalidDefinition, "o.yaml:5", `field "unit" has unknown type "colour"`},
		{"column width out of range", fstest.MapFS{"w.yaml": {Data: []byte(
			"id: x/y\ntitle: T\nlayout: letter\nprovenance: {confidence: official, sources: [s]}\nsections:\n  - id: s\n    title: S\n    table:\n      id: t\n      columns:\n        - {id: a, label: A, type: text, width: 1e308}\n")}},
			ErrInvalidDefinition, "w.yaml:11", `width 1e+308 must be between 0 and 20`},
		{"extends unknown", fstest.MapFS{"o.yaml": {Data: []byte("extends: tt185/mau-99\n")}},
			ErrInvalidDefinition, "o.yaml:1", `unknown form "tt185/mau-99"`},
		{"relabel unknown field", fstest.MapFS{"o.yaml": {Data: []byte("extends: tt185/mau-01\nfields:\n  - id: nope\n    label: X\n")}},
			ErrInvalidDefinition, "o.yaml:3", `no field or column "nope"`},
		{"sample invalid", fstest.MapFS{"n.yaml": {Data: []byte(agencyNewForm[:strings.Index(agencyNewForm, "sample:")] +
			"sample:\n  fields: {fullName: A, account: b, phone: \"123\"}\n")}},
			ErrInvalidDefinition, "n.yaml:23", "sample data does not validate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg, err := NewRegistry()
			require.NoError(t, err)
			before := len(reg.Definitions())
			err = reg.Load(c.files)
			require.Error(t, err)
			assert.ErrorIs(t, err, c.kind)
			var de *DefinitionError
			require.True(t, errors.As(err, &de), "%v", err)
			assert.Contains(t, err.Error(), c.where)
			assert.Contains(t, err.Error(), c.text)
			assert.Len(t, reg.Definitions(), before, "a failed load changes nothing")
		})
	}
}

func FuzzLoadDefinitionFile(f *testing.F) {
	f.Add([]byte(agencyNewForm))
	f.Add([]byte(agencyOverlay))
	f.Add([]byte("extends: tt185/mau-01\nfields: [{id: phone, required: false}]\n"))
	f.Add([]byte("extends: tt185/mau-04\naddFields:\n  - table: organisations\n    field: {id: unitCode, label: Mã đơn vị, type: integer, width: 0.6}\n"))
	f.Add([]byte("extends: tt185/mau-01\naddFields:\n  - section: applicant\n    field: {id: unit, label: Đơn vị, type: text, required: true}\nsample:\n  header: {number: 07/ĐĐN}\n  fields: {unit: Phòng Chuyển đổi số}\n"))
	base, err := NewRegistry()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		reg := *base // Load replaces the maps it changes; base stays as it was
		err := reg.Load(fstest.MapFS{"f.yaml": {Data: in}})
		if err != nil {
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("error without file and line: %v", err)
			}
			return
		}
		for _, d := range reg.Definitions() {
			if old, _ := base.Definition(d.ID); old != d && d.Sample != nil {
				var buf bytes.Buffer
				_ = d.Render(&buf, d.Sample, RenderOptions{SkipValidation: true})
			}
		}
	})
}

func TestLoadDirMissing(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	err = reg.LoadDir(filepath.Join(t.TempDir(), "nope"))
	var de *DefinitionError
	require.ErrorAs(t, err, &de)
	assert.ErrorIs(t, err, ErrInvalidDefinition)
	assert.Contains(t, err.Error(), "nope")
}

func TestDefinitionTextIsNFCAndDrawable(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	nfd := "extends: tt185/mau-01\nfields:\n  - id: position\n    label: \"Chu\u031B\u0301c vu\u0323\"\n"
	require.NoError(t, reg.Load(fstest.MapFS{"nfd.yaml": {Data: []byte(nfd)}}))
	d, _ := reg.Definition("tt185/mau-01")
	f, _ := d.Field("position")
	assert.Equal(t, "Chức vụ", f.Label, "labels are normalised to NFC")

	reg2, err := NewRegistry()
	require.NoError(t, err)
	require.NoError(t, reg2.Load(fstest.MapFS{"emoji.yaml": {Data: []byte("extends: tt185/mau-01\ntitle: Đơn ✅\nsummary: Cấp chứng thư số ✅\n")}}))
	d2, _ := reg2.Definition("tt185/mau-01")
	var buf bytes.Buffer
	err = d2.Render(&buf, d2.Sample, RenderOptions{Validate: &ValidateOptions{Now: testNow}})
	assert.ErrorIs(t, err, ErrUnsupportedCharacter, "a definition's text the font cannot draw is refused too")
	assert.Zero(t, buf.Len())
}

// An agency adds a required field: the extension file gives the sample value it needs,
// so the form keeps a sample that validates.
func TestAgencyAddsRequiredFieldsWithSampleValues(t *testing.T) {
	const withoutSample = "extends: tt185/mau-01\naddFields:\n  - section: applicant\n    field: {id: unit, label: \"Phòng, ban\", type: text, required: true}\n"
	reg, err := NewRegistry()
	require.NoError(t, err)
	err = reg.Load(fstest.MapFS{"o.yaml": {Data: []byte(withoutSample)}})
	require.ErrorIs(t, err, ErrInvalidDefinition)
	assert.Contains(t, err.Error(), "o.yaml:1")
	assert.Contains(t, err.Error(), `amends the sample with a "sample" key`, "the message says how to fix it")

	withSample := withoutSample + "sample:\n  header: {number: 07/ĐĐN}\n  fields: {unit: Phòng Chuyển đổi số}\n"
	require.NoError(t, reg.Load(fstest.MapFS{"o.yaml": {Data: []byte(withSample)}}))
	d, err := reg.Definition("tt185/mau-01")
	require.NoError(t, err)
	f, ok := d.Field("unit")
	require.True(t, ok)
	assert.True(t, f.Required)
	assert.Equal(t, "Phòng Chuyển đổi số", d.Sample.Fields["unit"])
	assert.Equal(t, "07/ĐĐN", d.Sample.Header.Number)
	assert.Equal(t, "Nguyễn Thị Thu Hương", d.Sample.Fields["fullName"], "the rest of the sample is kept")
	assert.NoError(t, d.Validate(d.Normalize(d.Sample), ValidateOptions{Now: testNow}))

	// The built-in sample is not modified.
	fresh, err := NewRegistry()
	require.NoError(t, err)
	orig, _ := fresh.Definition("tt185/mau-01")
	assert.NotContains(t, orig.Sample.Fields, "unit")
	assert.Empty(t, orig.Sample.Header.Number)

	// Two files giving the same sample value conflict, with both places named.
	reg2, err := NewRegistry()
	require.NoError(t, err)
	err = reg2.Load(fstest.MapFS{
		"a.yaml": {Data: []byte("extends: tt185/mau-01\nsample:\n  fields: {position: Chuyên viên}\n")},
		"b.yaml": {Data: []byte("extends: tt185/mau-01\nsample:\n  fields:\n    position: Trưởng phòng\n")}})
	require.ErrorIs(t, err, ErrConflict)
	assert.Contains(t, err.Error(), "b.yaml:4")
	assert.Contains(t, err.Error(), "a.yaml:3")
	// A sample for another form is refused.
	err = reg2.Load(fstest.MapFS{"c.yaml": {Data: []byte("extends: tt185/mau-01\nsample: {form: tt185/mau-02}\n")}})
	assert.ErrorIs(t, err, ErrInvalidDefinition)
}

// An agency adds a column to a list: it is validated, imported from a spreadsheet by
// its label and drawn in the table.
func TestAgencyAddsAColumnToAList(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	require.NoError(t, reg.Load(fstest.MapFS{"cot.yaml": {Data: []byte(
		"extends: tt185/mau-04\naddFields:\n  - table: organisations\n    field: {id: unitCode, label: Mã đơn vị, labelEn: Unit code, type: integer, width: 0.6}\n" +
			"note: Sở Nội vụ cấp mã đơn vị cho từng cơ quan.\n")}}))
	d, err := reg.Definition("tt185/mau-04")
	require.NoError(t, err)
	cols := d.Table("organisations").Columns
	assert.Equal(t, "unitCode", cols[len(cols)-1].ID)

	data := d.Normalize(d.Sample)
	data.Tables["organisations"][0]["unitCode"] = "12a"
	assert.ErrorIs(t, d.Validate(data, ValidateOptions{Now: testNow}), ErrInvalidInteger)
	data.Tables["organisations"][0]["unitCode"] = "1204"
	require.NoError(t, d.Validate(data, ValidateOptions{Now: testNow}))

	var csvBuf bytes.Buffer
	require.NoError(t, d.ExportCSV("organisations", &csvBuf, data.Tables["organisations"]))
	assert.Contains(t, csvBuf.String(), ",Mã đơn vị\n")
	res, err := d.ImportCSV("organisations", &csvBuf, ImportOptions{Now: testNow})
	require.NoError(t, err)
	assert.Empty(t, res.Problems)
	assert.Equal(t, "1204", res.Rows[0]["unitCode"])

	needTool(t, "pdftotext")
	var pdf bytes.Buffer
	require.NoError(t, d.Render(&pdf, data, RenderOptions{Validate: &ValidateOptions{Now: testNow}}))
	p := filepath.Join(t.TempDir(), "f.pdf")
	require.NoError(t, os.WriteFile(p, pdf.Bytes(), 0o644))
	text := spaces.ReplaceAllString(run(t, "pdftotext", p, "-"), " ")
	assert.Regexp(t, `Mã\s.*đơn\s.*vị`, text, "the column header (wrapped in its narrow column)")
	assert.Contains(t, text, "1204")

	for name, c := range map[string]struct{ file, where, text string }{
		"unknown list":   {"extends: tt185/mau-04\naddFields:\n  - table: nope\n    field: {id: a, label: A, type: text}\n", "o.yaml:3", `no list table "nope"`},
		"both":           {"extends: tt185/mau-04\naddFields:\n  - table: organisations\n    section: x\n    field: {id: a, label: A, type: text}\n", "o.yaml:3", "not both"},
		"column exists":  {"extends: tt185/mau-04\naddFields:\n  - table: organisations\n    field: {id: taxCode, label: A, type: text}\n", "o.yaml:3", `column "taxCode" already exists`},
		"invalid column": {"extends: tt185/mau-04\naddFields:\n  - table: organisations\n    field: {id: b, label: B, type: colour}\n", "o.yaml:4", `unknown type "colour"`},
	} {
		t.Run(name, func(t *testing.T) {
			reg, err := NewRegistry()
			require.NoError(t, err)
			err = reg.Load(fstest.MapFS{"o.yaml": {Data: []byte(c.file)}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.where)
			assert.Contains(t, err.Error(), c.text)
		})
	}
}

// The TT 185 procedures each form belongs to, as Hà Tĩnh 19/2020 Điều 6 khoản 2 lists
// them: Điều 8 issuance (Mẫu 01–06), Điều 9 renewal and change (07–08), Điều 10
// revocation (09–10, with the lost-device minutes 15), Điều 11 recovery (11–12).
func TestTT185FormsCiteTheirProcedure(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	art := map[int]int{1: 8, 2: 8, 3: 8, 4: 8, 5: 8, 6: 8, 7: 9, 8: 9, 9: 10, 10: 10, 11: 11, 12: 11, 15: 10}
	for n, a := range art {
		d, err := reg.Definition("tt185/mau-" + twoDigits(n))
		require.NoError(t, err)
		assert.Contains(t, d.LegalBasis, "Thông tư 185/2019/TT-BQP, Điều "+strconv.Itoa(a), d.ID)
	}
}
