package forms

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wordBox returns the box (top-left origin, as pdftotext -bbox reports it) of the last
// occurrence of word.
func wordBox(t *testing.T, bbox, word string) (xMin, yMin, xMax, yMax float64) {
	t.Helper()
	re := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">` + regexp.QuoteMeta(word) + `</word>`)
	all := re.FindAllStringSubmatch(bbox, -1)
	require.NotEmpty(t, all, "word %q not found", word)
	m := all[len(all)-1]
	f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	return f(m[1]), f(m[2]), f(m[3]), f(m[4])
}

func TestSignatureBoxLiesBetweenTitleAndName(t *testing.T) {
	needTool(t, "pdftotext")
	reg, err := NewRegistry()
	require.NoError(t, err)
	cases := []struct{ form, authorityWord, nameWord string }{
		{"tt185/mau-01", "NGƯỜI", "Hương"},
		{"tt185/mau-02", "PHÓ", "Thành"},
		{"report/usage", "GIÁM", "Việt"},
	}
	for _, c := range cases {
		t.Run(goldenName(c.form), func(t *testing.T) {
			d, err := reg.Definition(c.form)
			require.NoError(t, err)
			var buf bytes.Buffer
			res, err := d.RenderDocument(&buf, d.Sample, RenderOptions{Validate: &ValidateOptions{Now: testNow}})
			require.NoError(t, err)
			require.Len(t, res.Signatures, 1)
			box := res.Signatures[0]
			p := filepath.Join(t.TempDir(), "f.pdf")
			require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
			page := strconv.Itoa(box.Page)
			bbox := run(t, "pdftotext", "-bbox", "-f", page, "-l", page, p, "-")
			_, _, _, authBottom := wordBox(t, bbox, c.authorityWord)
			nx0, nameTop, nx1, _ := wordBox(t, bbox, c.nameWord)
			top, bottom := pageHeight-box.Rect[3], pageHeight-box.Rect[1]
			assert.Greater(t, top, authBottom, "box below the title")
			assert.Less(t, bottom, nameTop, "box above the name")
			assert.Less(t, box.Rect[0], nx0)
			assert.Greater(t, box.Rect[2], nx1, "box spans the name horizontally")
			assert.GreaterOrEqual(t, box.Rect[3]-box.Rect[1], 60.0, "room for a visible signature")
		})
	}
	// Records have one box per party.
	d, _ := reg.Definition("tt185/mau-14")
	var buf bytes.Buffer
	res, err := d.RenderDocument(&buf, d.Sample, RenderOptions{Validate: &ValidateOptions{Now: testNow}})
	require.NoError(t, err)
	require.Len(t, res.Signatures, 2)
	assert.Equal(t, "giver", res.Signatures[0].Role)
	assert.Less(t, res.Signatures[0].Rect[2], res.Signatures[1].Rect[0], "side by side")
	assert.Equal(t, 1, res.Pages)
}

func TestUsageReportFollowsTheQuangNinhOutline(t *testing.T) {
	needTool(t, "pdftotext")
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("report/usage")
	require.NoError(t, err)
	p := renderSample(t, d)
	text := spaces.ReplaceAllString(run(t, "pdftotext", p, "-"), " ")
	order := []string{
		"BÁO CÁO",
		"Tình hình quản lý và sử dụng chứng thư số, chữ ký số chuyên dùng Chính phủ tháng 11/2026",
		"Kính gửi: Sở Thông tin và Truyền thông",
		"I. Đánh giá tình hình và kết quả triển khai quản lý và sử dụng chứng thư số, chữ ký số tại cơ quan, tổ chức",
		"1. Đặc điểm tình hình",
		"II. Những khó khăn, vướng mắc chủ yếu và nguyên nhân",
		"III. Nhiệm vụ và giải pháp thực hiện trong thời gian tới",
		"IV. Đề xuất, kiến nghị",
		"Nơi nhận:",
		// The figures are attached after the report (Phụ biểu kèm theo), not a section V.
		"PHỤ BIỂU SỐ LIỆU",
		"(Kèm theo văn bản số 215/BC-STC ngày 18/11/2026 của Sở Tài chính)",
		"Số chứng thư số cá nhân đang sử dụng",
	}
	at := 0
	for _, s := range order {
		i := bytes.Index([]byte(text[at:]), []byte(s))
		require.GreaterOrEqual(t, i, 0, "%q after position %d", s, at)
		at += i + len(s)
	}
	assert.NotContains(t, text, "V. Phụ biểu", "the outline has sections I–IV only")
}

func TestBlankFormAndSeveralRecipients(t *testing.T) {
	needTool(t, "pdftotext")
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)

	// A blank form for printing: dotted placeholders, nothing invented.
	var blank bytes.Buffer
	require.NoError(t, d.Render(&blank, &Data{}, RenderOptions{SkipValidation: true}))
	p := filepath.Join(t.TempDir(), "blank.pdf")
	require.NoError(t, os.WriteFile(p, blank.Bytes(), 0o644))
	text := run(t, "pdftotext", "-layout", p, "-")
	assert.Contains(t, text, "Số: ……/CV-…")
	assert.Contains(t, text, "ngày ….. tháng ….. năm ……")
	assert.Contains(t, text, "- Họ và tên: ……………………")

	// Several recipients are listed under "Kính gửi:".
	data := d.Normalize(d.Sample)
	data.Header.Recipients = []string{"Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ", "Sở Nội vụ tỉnh Quảng Ninh"}
	var buf bytes.Buffer
	require.NoError(t, d.Render(&buf, data, RenderOptions{Validate: &ValidateOptions{Now: testNow}}))
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	text = run(t, "pdftotext", "-layout", p, "-")
	assert.Regexp(t, `Kính gửi:\s+- Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ;`, text)
	assert.Regexp(t, `\n\s+- Sở Nội vụ tỉnh Quảng Ninh\.`, text)
}

// Every Vietnamese letter, in each of the four faces the letter uses, comes back
// exactly from pdftotext.
func TestEveryVietnameseLetterSurvivesExtraction(t *testing.T) {
	needTool(t, "pdftotext")
	const lower = "aàảãáạ ăằẳẵắặ âầẩẫấậ đ eèẻẽéẹ êềểễếệ iìỉĩíị oòỏõóọ ôồổỗốộ ơờởỡớợ uùủũúụ ưừửữứự yỳỷỹýỵ"
	upper := strings.ToUpper(lower)
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-15")
	require.NoError(t, err)
	data := d.Normalize(d.Sample)
	data.Fields["circumstances"] = lower + " " + upper // regular
	data.Header.IssuingBody = "Sở " + lower            // bold, upper-cased
	data.Header.Place = "Đồng " + lower                // italic
	data.Fields["witnessName"] = upper                 // bold
	var buf bytes.Buffer
	require.NoError(t, d.Render(&buf, data, RenderOptions{Validate: &ValidateOptions{Now: testNow}}))
	p := filepath.Join(t.TempDir(), "letters.pdf")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	text := spaces.ReplaceAllString(run(t, "pdftotext", p, "-"), " ")
	assert.Contains(t, text, lower+" "+upper, "regular, in the body")
	// The header columns wrap, so check them word by word.
	for _, w := range strings.Fields(upper) {
		assert.GreaterOrEqual(t, strings.Count(text, w), 3, "%s: body, bold issuing body, bold signer name", w)
	}
	for _, w := range strings.Fields(lower) {
		assert.GreaterOrEqual(t, strings.Count(text, w), 2, "%s: body and italic place", w)
	}
}
