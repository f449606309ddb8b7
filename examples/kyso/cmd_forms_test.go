package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/forms"
)

func runFormsCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	c := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(context.Background(), c, append([]string{"forms"}, args...))
	return code, out.String(), errb.String()
}

func formsSampleJSON(t *testing.T, id string, edit func(*forms.Data)) string {
	t.Helper()
	reg, err := forms.NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition(id)
	require.NoError(t, err)
	data := d.Normalize(d.Sample)
	if edit != nil {
		edit(data)
	}
	b, err := forms.MarshalData(data)
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "data.json")
	require.NoError(t, os.WriteFile(p, b, 0o644))
	return p
}

func TestFormsList(t *testing.T) {
	code, out, _ := runFormsCLI("list")
	require.Equal(t, exitOK, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Len(t, lines, 25)
	assert.True(t, strings.HasPrefix(lines[len(lines)-1], "tt185/mau-15 "), lines[len(lines)-1])
	assert.Contains(t, out, "tt185/mau-01   reconstructed Văn bản đề nghị cấp chứng thư số cá nhân")
}

func TestFormsShow(t *testing.T) {
	defs := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(defs, "qn.yaml"), []byte(
		"extends: tt185/mau-02\ndefaults:\n  issuingBody: Sở Khoa học và Công nghệ\nnote: Sở KH&CN quản lý thuê bao từ 2025.\n"), 0o644))
	code, out, errOut := runFormsCLI("show", "-form", "tt185/mau-02", "-defs", defs)
	require.Equal(t, exitOK, code, errOut)
	var d forms.Definition
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	assert.Equal(t, "Sở Khoa học và Công nghệ", d.Defaults.IssuingBody)
	assert.Equal(t, forms.ConfidenceReconstructed, d.Provenance.Confidence)
	assert.Contains(t, d.Provenance.Notes, "qn.yaml: Sở KH&CN quản lý thuê bao từ 2025.")
	assert.Contains(t, errOut, "definitions/tt185/mau-02.json:2")
}

func TestFormsSchema(t *testing.T) {
	code, out, _ := runFormsCLI("schema", "-form", "tt185/mau-01")
	require.Equal(t, exitOK, code)
	var s map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &s))
	assert.Equal(t, "urn:kyso:forms:tt185/mau-01", s["$id"])

	code, _, errOut := runFormsCLI("schema", "-form", "tt185/mau-99")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "unknown form")
	code, _, _ = runFormsCLI("schema")
	assert.Equal(t, exitUsage, code)
}

func TestFormsValidate(t *testing.T) {
	good := formsSampleJSON(t, "tt185/mau-02", nil)
	code, out, _ := runFormsCLI("validate", "-form", "tt185/mau-02", "-data", good)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "hợp lệ / valid")

	bad := formsSampleJSON(t, "tt185/mau-02", func(d *forms.Data) {
		d.Fields["receiverIdNumber"] = "12345"
		d.Tables["subscribers"][2]["phone"] = "0412345678"
	})
	code, out, _ = runFormsCLI("validate", "-form", "tt185/mau-02", "-data", bad)
	assert.Equal(t, exitFailure, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, out)
	assert.Contains(t, lines[0], "fields.receiverIdNumber")
	assert.Contains(t, lines[1], "tables.subscribers[3].phone")
	assert.Contains(t, lines[1], "dòng 3")

	// A CSV list with a JSON base for the other values.
	csvPath := filepath.Join(t.TempDir(), "list.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("STT,Họ và tên,Ngày sinh,Số CMND/CCCD/Hộ chiếu,Ngày cấp,Nơi cấp,Địa chỉ thư điện tử công vụ,\"Tên cơ quan, tổ chức công tác\",Tỉnh/Thành phố,Số điện thoại di động\n"+
		"1,Trần Văn An,01/02/1990,022090001111,02/03/2021,Cục CSQLHC về TTXH,antv@quangninh.gov.vn,Sở Y tế,Quảng Ninh,0988777666\n"+
		"2,Lê Bình,01/02/1990,022090001112,02/03/2021,Cục CSQLHC về TTXH,binh@gmail.com,Sở Y tế,Quảng Ninh,0988777667\n"), 0o644))
	code, out, _ = runFormsCLI("validate", "-form", "tt185/mau-02", "-data", csvPath, "-base", good)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, out, "dòng 3, cột «Địa chỉ thư điện tử công vụ»")
	assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 1, out)
	// Problems in the base document are reported too.
	badBase := formsSampleJSON(t, "tt185/mau-02", func(d *forms.Data) { d.Fields["receiverPhone"] = "123" })
	code, out, _ = runFormsCLI("validate", "-form", "tt185/mau-02", "-data", csvPath, "-base", badBase)
	assert.Equal(t, exitFailure, code)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, out)
	assert.Contains(t, lines[0], "dòng 3")
	assert.Contains(t, lines[1], "fields.receiverPhone")

	// A spreadsheet with the header and no rows: the list is too short, said once.
	emptyCSV := filepath.Join(t.TempDir(), "empty.csv")
	require.NoError(t, os.WriteFile(emptyCSV, []byte("STT,Họ và tên,Ngày sinh,Số CMND/CCCD/Hộ chiếu,Ngày cấp,Nơi cấp,Địa chỉ thư điện tử công vụ,\"Tên cơ quan, tổ chức công tác\",Tỉnh/Thành phố,Số điện thoại di động\n"), 0o644))
	code, out, _ = runFormsCLI("validate", "-form", "tt185/mau-02", "-data", emptyCSV, "-base", good)
	assert.Equal(t, exitFailure, code)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 1, out)
	assert.Contains(t, lines[0], "tables.subscribers")

	code, _, errOut := runFormsCLI("validate", "-form", "tt185/mau-02", "-data", filepath.Join(t.TempDir(), "missing.json"))
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "no such file")
}

func formsNeed(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI", tool)
		}
		t.Skipf("%s not installed", tool)
	}
}

func TestFormsRender(t *testing.T) {
	formsNeed(t, "pdftotext")
	dir := t.TempDir()
	out := filepath.Join(dir, "mau01.pdf")
	code, _, errOut := runFormsCLI("render", "-form", "tt185/mau-01", "-sample", "-out", out)
	require.Equal(t, exitOK, code, errOut)
	text, err := exec.Command("pdftotext", "-layout", out, "-").Output()
	require.NoError(t, err)
	assert.Contains(t, string(text), "Nguyễn Thị Thu Hương")
	assert.Contains(t, string(text), "Kính gửi: Thủ trưởng cơ quan, tổ chức quản lý trực tiếp")
	// The sample is dated 2026: a TT 185 form then is out of date (NĐ 68/2024 since
	// 15/8/2024), which the command says, naming the replacing form.
	assert.Contains(t, errOut, "lưu ý / warning: Mẫu 01 Thông tư 185/2019/TT-BQP")
	assert.Contains(t, errOut, "Mẫu số 01 Nghị định 68/2024/NĐ-CP")

	// An agency overrides the recipient with -defs.
	defs := filepath.Join(dir, "defs")
	require.NoError(t, os.Mkdir(defs, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(defs, "qn.yaml"), []byte(
		"extends: tt185/mau-01\ndefaults:\n  recipients: [Sở Khoa học và Công nghệ tỉnh Quảng Ninh]\n"), 0o644))
	data := formsSampleJSON(t, "tt185/mau-01", func(d *forms.Data) { d.Header.Recipients = nil })
	out2 := filepath.Join(dir, "mau01-qn.pdf")
	code, _, errOut = runFormsCLI("render", "-form", "tt185/mau-01", "-data", data, "-out", out2, "-defs", defs)
	require.Equal(t, exitOK, code, errOut)
	text, err = exec.Command("pdftotext", "-layout", out2, "-").Output()
	require.NoError(t, err)
	assert.Contains(t, string(text), "Kính gửi: Sở Khoa học và Công nghệ tỉnh Quảng Ninh")

	// Invalid data: no output file at all.
	bad := formsSampleJSON(t, "tt185/mau-01", func(d *forms.Data) { d.Fields["email"] = "x@gmail.com" })
	out3 := filepath.Join(dir, "bad.pdf")
	code, _, errOut = runFormsCLI("render", "-form", "tt185/mau-01", "-data", bad, "-out", out3)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "fields.email")
	_, err = os.Stat(out3)
	assert.True(t, os.IsNotExist(err), "no partial output")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), ".bad.pdf"), "no temporary file left: %s", e.Name())
	}

	// A broken extension directory is reported with file and line.
	require.NoError(t, os.WriteFile(filepath.Join(defs, "zz.yaml"), []byte("extends: tt185/mau-01\nfields:\n  - id: nope\n"), 0o644))
	code, _, errOut = runFormsCLI("list", "-defs", defs)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "zz.yaml:3")

	code, _, _ = runFormsCLI("render", "-form", "tt185/mau-01", "-out", out)
	assert.Equal(t, exitUsage, code, "-data or -sample is required")

	// The output is never one of the inputs, nor a directory.
	before, err := os.ReadFile(data)
	require.NoError(t, err)
	code, _, errOut = runFormsCLI("render", "-form", "tt185/mau-01", "-data", data, "-out", data)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "is the input")
	after, err := os.ReadFile(data)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the input is untouched")
	code, _, errOut = runFormsCLI("render", "-form", "tt185/mau-01", "-sample", "-out", dir)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "is a directory")
	code, _, errOut = runFormsCLI("render", "-form", "tt185/mau-01", "-sample", "-out", filepath.Join(dir, "thiếu", "x.pdf"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "does not exist")
}

func TestFormsRenderFromXLSX(t *testing.T) {
	formsNeed(t, "pdftotext")
	reg, err := forms.NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-10")
	require.NoError(t, err)
	rows := d.Normalize(d.Sample).Tables["certificates"]
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "thu-hoi.xlsx")
	f, err := os.Create(xlsx)
	require.NoError(t, err)
	require.NoError(t, d.ExportXLSX("certificates", f, rows))
	require.NoError(t, f.Close())
	base := formsSampleJSON(t, "tt185/mau-10", func(d *forms.Data) { d.Tables = nil })
	out := filepath.Join(dir, "thu-hoi.pdf")
	code, _, errOut := runFormsCLI("render", "-form", "tt185/mau-10", "-data", xlsx, "-base", base, "-out", out)
	require.Equal(t, exitOK, code, errOut)
	text, err := exec.Command("pdftotext", "-layout", out, "-").Output()
	require.NoError(t, err)
	for _, w := range []string{"Hoàng", "Khải", "54020B3C9A1D7E220041", "Biên bản", "thất lạc", "Gửi kèm"} {
		assert.Contains(t, string(text), w)
	}

	// Without -base the letter's own fields are missing: every problem is listed and
	// nothing is written.
	out2 := filepath.Join(dir, "thieu.pdf")
	code, _, errOut = runFormsCLI("render", "-form", "tt185/mau-02", "-data", xlsx, "-out", out2)
	assert.Equal(t, exitFailure, code)
	assert.NotEmpty(t, errOut)
	_, err = os.Stat(out2)
	assert.True(t, os.IsNotExist(err))
}

func TestFormsTemplateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	tpl := filepath.Join(dir, "danh-sach.xlsx")
	code, _, errOut := runFormsCLI("template", "-form", "tt185/mau-02", "-sample", "-out", tpl)
	require.Equal(t, exitOK, code, errOut)
	base := formsSampleJSON(t, "tt185/mau-02", func(d *forms.Data) { d.Tables = nil })
	code, out, _ := runFormsCLI("validate", "-form", "tt185/mau-02", "-data", tpl, "-base", base)
	assert.Equal(t, exitOK, code, out)

	code, _, _ = runFormsCLI("template", "-form", "tt185/mau-01", "-out", filepath.Join(dir, "x.csv"))
	assert.Equal(t, exitFailure, code, "Mẫu 01 has no list")
	code, _, _ = runFormsCLI("template", "-form", "tt185/mau-02", "-out", filepath.Join(dir, "x.pdf"))
	assert.Equal(t, exitUsage, code)
}

func TestFormsDeadline(t *testing.T) {
	code, out, _ := runFormsCLI("deadline", "-profile", "quang-ninh", "-period", "2026-12")
	require.Equal(t, exitOK, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], "quang-ninh monthly 2026-12: hạn 21/12/2026 (thứ Hai); dời vì ngày 20/12/2026 là Chủ nhật; số liệu 15/11/2026–14/12/2026")
	assert.Contains(t, lines[1], "quang-ninh yearly 2026: hạn 20/01/2027")

	// The government adds Monday 21/12/2026 as a day off (a made-up decision): the
	// deadline moves on to Tuesday.
	code, out, _ = runFormsCLI("deadline", "-profile", "quang-ninh", "-period", "2026-12", "-holiday", "2026-12-21")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "hạn 22/12/2026 (thứ Ba)")

	// Hà Tĩnh's move back off a Sunday is kyso's assumption, and says so.
	code, out, _ = runFormsCLI("deadline", "-profile", "ha-tinh", "-period", "2024-06")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "ha-tinh half-year 2024-H1: hạn 14/06/2024 (thứ Sáu); dời vì ngày 16/06/2024 là Chủ nhật (giả định của kyso")

	// A province file — the one kyso policy reads — gives the deadlines too.
	prov := filepath.Join(t.TempDir(), "thu-nghiem.json")
	require.NoError(t, os.WriteFile(prov, []byte(`{"id":"thu-nghiem","name":"Thử Nghiệm","extends":"national","instrument":"QĐ 7/2026",
		"instruments":[{"short":"QĐ 7/2026","title":"Quy chế (thử nghiệm)","scope":"provincial","source":"agency"}],
		"reports":[{"period":"quarterly","due_date":{"month_offset":1,"day":5},"shift":"next-working-day","recipient":"Sở KH&CN",
		"citation":{"instrument":"QĐ 7/2026","article":"9","source":"agency"}}]}`), 0o644))
	code, out, errOut := runFormsCLI("deadline", "-profile", prov, "-period", "2026-09")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "thu-nghiem quarterly 2026-Q3: hạn 05/10/2026 (thứ Hai); gửi Sở KH&CN; căn cứ QĐ 7/2026, Điều 9")

	// A province file kyso policy refuses is refused here too, with the same error
	// naming the field; one without reports says so; a huge one is refused unread.
	for name, c := range map[string]struct{ file, want string }{
		"undeclared instrument": {`{"id":"x","name":"X","extends":"national","reports":[{"period":"annual","due_date":{"month_offset":0,"day":5},"citation":{"instrument":"QĐ 9/2026","article":"9"}}]}`, `reports[0].citation.instrument: "QĐ 9/2026" is neither in kyso's list`},
		"unknown field":         {`{"id":"x","name":"X","extends":"national","colour":"red"}`, "colour: unknown field"},
		"period backwards":      {`{"id":"x","name":"X","extends":"national","period":{"from":"2025-07-01","until":"2020-01-01","note":"n"}}`, "period.until"},
		"no reports":            {`{"id":"x","name":"X","extends":"national"}`, `reports: province "x" has no report with a due_date`},
		"too large":             {`{"id":"x","name":"` + strings.Repeat("a", forms.MaxProvinceFileSize) + `"}`, "larger than 262144 bytes"},
	} {
		f := filepath.Join(t.TempDir(), "p.json")
		require.NoError(t, os.WriteFile(f, []byte(c.file), 0o644))
		code, _, errOut := runFormsCLI("deadline", "-profile", f, "-period", "2026-12")
		assert.Equal(t, exitFailure, code, name)
		assert.Contains(t, errOut, c.want, name)
	}

	// An agency's own profile file.
	pf := filepath.Join(t.TempDir(), "tinh.json")
	require.NoError(t, os.WriteFile(pf, []byte(`{"id":"tinh-x","province":"X","recipient":"Sở KH&CN","source":"QĐ 1/2026",
		"schedules":[{"kind":"monthly","name":"Báo cáo tháng","months":[1,2,3,4,5,6,7,8,9,10,11,12],"due":{"monthOffset":1,"day":5},"shift":"next-working-day","citation":"Điều 9"}]}`), 0o644))
	code, out, errOut = runFormsCLI("deadline", "-profile", pf, "-period", "2026-12")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "tinh-x monthly 2026-12: hạn 05/01/2027 (thứ Ba)")

	code, _, _ = runFormsCLI("deadline", "-profile", "quang-ninh", "-period", "2026-12", "-holiday", "21/12/2026")
	assert.Equal(t, exitUsage, code)

	code, _, errOut = runFormsCLI("deadline", "-profile", "quang-ninh", "-period", "12/2026")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "YYYY-MM")
	code, _, _ = runFormsCLI("deadline", "-profile", "ha-noi", "-period", "2026-12")
	assert.Equal(t, exitFailure, code)
	code, _, _ = runFormsCLI("nope")
	assert.Equal(t, exitUsage, code)
}

// `kyso forms show` prints the article of NĐ 68/2024 that prescribes the form, checked
// against the decree's text (Điều 11 khoản 1 điểm a for Mẫu số 01).
func TestFormsShowND68LegalBasis(t *testing.T) {
	code, out, _ := runFormsCLI("show", "-form", "nd68/mau-01")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, `"article": "Nghị định 68/2024/NĐ-CP, Điều 11 khoản 1 điểm a; Mẫu số 01"`)
	assert.Contains(t, out, "checked (verified): Nghị định 68/2024/NĐ-CP, Điều 11 khoản 1 điểm a")
}
