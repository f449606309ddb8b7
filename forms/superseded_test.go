package forms

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 12 item 6: the TT 185 Mẫu 01–05 are "Văn bản đề nghị cấp chứng thư số …"
// (rules.md §4), not "Đơn".
func TestTT185RequestTitles(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	want := map[string]string{
		"tt185/mau-01": "Văn bản đề nghị cấp chứng thư số cá nhân",
		"tt185/mau-02": "Văn bản đề nghị cấp chứng thư số cho các cá nhân của Cơ quan, tổ chức quản lý trực tiếp",
		"tt185/mau-03": "Văn bản đề nghị cấp chứng thư số cho cơ quan, tổ chức của người được cơ quan, tổ chức giao quản lý chứng thư số",
		"tt185/mau-04": "Văn bản đề nghị cấp chứng thư số cho các cơ quan, tổ chức của Cơ quan, tổ chức quản lý trực tiếp",
		"tt185/mau-05": "Văn bản đề nghị cấp chứng thư số cho thiết bị, dịch vụ, phần mềm của người được cơ quan, tổ chức giao quản lý chứng thư số",
	}
	for id, title := range want {
		d, err := reg.Definition(id)
		require.NoError(t, err, id)
		assert.Equal(t, title, d.Title, id)
		assert.NotContains(t, d.DocumentType, "ĐƠN", id)
	}
	nd, err := reg.Definition("nd68/mau-01")
	require.NoError(t, err)
	assert.Contains(t, nd.Title, "chứng thư chữ ký số chuyên dùng công vụ")
}

// Issue 12 item 7: a TT 185 form dated on or after 15/8/2024 renders, with a warning
// naming the NĐ 68/2024 form that replaces it; dated before, no warning; an NĐ 68
// form never warns.
func TestTT185FormDatedAfterND68Warns(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-01")
	require.NoError(t, err)
	require.NotNil(t, d.Sample)
	render := func(d *Definition, date string) *Rendered {
		t.Helper()
		data := *d.Sample
		data.Header.Date = date
		var buf bytes.Buffer
		r, err := d.RenderDocument(&buf, &data, RenderOptions{SkipValidation: true})
		require.NoError(t, err)
		require.NotZero(t, buf.Len(), "the form is still drawn")
		return r
	}
	r := render(d, "15/08/2024")
	require.Len(t, r.Warnings, 1)
	w := r.Warnings[0]
	assert.Equal(t, WarningFormSuperseded, w.Code)
	assert.Equal(t, "nd68/mau-01", w.ReplacedBy)
	assert.Equal(t, "Mẫu 01 Thông tư 185/2019/TT-BQP lập ngày 15/08/2024, sau khi Nghị định 68/2024/NĐ-CP có hiệu lực (15/08/2024): dùng Mẫu số 01 Nghị định 68/2024/NĐ-CP thay thế.", w.Vietnamese)
	assert.True(t, strings.HasPrefix(w.English, "tt185/mau-01 is dated 15/08/2024"), w.English)

	assert.Empty(t, render(d, "14/08/2024").Warnings, "the day before NĐ 68/2024 came into force")

	for id, repl := range map[string]string{"tt185/mau-09": "nd68/mau-05", "tt185/mau-11": "nd68/mau-06", "tt185/mau-04": "nd68/mau-02"} {
		d, err := reg.Definition(id)
		require.NoError(t, err)
		r := render(d, "01/12/2026")
		require.Len(t, r.Warnings, 1, id)
		assert.Equal(t, repl, r.Warnings[0].ReplacedBy, id)
	}
	d15, err := reg.Definition("tt185/mau-15")
	require.NoError(t, err)
	r = render(d15, "01/12/2026")
	require.Len(t, r.Warnings, 1)
	assert.Empty(t, r.Warnings[0].ReplacedBy)
	assert.Contains(t, r.Warnings[0].Vietnamese, "chưa tìm thấy mẫu thay thế")

	nd, err := reg.Definition("nd68/mau-01")
	require.NoError(t, err)
	assert.Empty(t, render(nd, "01/12/2026").Warnings)

	// Undated data: the creation date decides.
	data := *d.Sample
	data.Header.Date = ""
	r, err = d.RenderDocument(&bytes.Buffer{}, &data, RenderOptions{SkipValidation: true, Created: time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.Len(t, r.Warnings, 1)
}

// The titles of TT 185 Mẫu 06–13 are not in kyso's sources: none is an "Đơn" or a
// "Công văn" (the seeds say "văn bản đề nghị … theo Mẫu 06/09/10", QN Điều 10 k3 b,
// Điều 13 k1–2), and each definition says its title is unverified. Mẫu 14 and 15 are
// the minutes the seeds name (HT Điều 11 k3; QN Điều 13 k3).
func TestTT185TitlesNotAsserted(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	for _, n := range []string{"06", "07", "08", "09", "10", "11", "12", "13"} {
		d, err := reg.Definition("tt185/mau-" + n)
		require.NoError(t, err, n)
		assert.True(t, strings.HasPrefix(d.Title, "Văn bản đề nghị "), "%s: %s", n, d.Title)
		assert.NotContains(t, d.DocumentType, "ĐƠN", n)
		assert.Contains(t, d.Provenance.Notes, "Title (unverified): the official title of TT 185/2019 Mẫu "+n+" is not in kyso's sources", n)
	}
	for n, title := range map[string]string{"14": "Biên bản bàn giao thiết bị lưu khóa bí mật", "15": "Biên bản xác nhận thiết bị lưu khóa bí mật bị thất lạc"} {
		d, err := reg.Definition("tt185/mau-" + n)
		require.NoError(t, err)
		assert.Equal(t, title, d.Title)
	}
}
