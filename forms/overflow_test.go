package forms

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	reBBoxPage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	reBBoxWord = regexp.MustCompile(`<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="([-0-9.]+)">([^<]*)</word>`)
)

// wordsOffPage returns the words pdftotext finds outside their page's margins (top and
// bottom margins of 20 mm, less room for the page number in the top margin and the
// glyphs' descenders), all the words joined with spaces, and the (0-based) page of each
// word.
func wordsOffPage(t *testing.T, pdf string) (off []string, text string, pageOf map[string]int) {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-")
	var all []string
	pageOf = map[string]int{}
	for pi, page := range strings.Split(out, "</page>") {
		pm := reBBoxPage.FindStringSubmatch(page)
		if pm == nil {
			continue
		}
		h, _ := strconv.ParseFloat(pm[2], 64)
		for _, m := range reBBoxWord.FindAllStringSubmatch(page, -1) {
			yMin, _ := strconv.ParseFloat(m[2], 64)
			yMax, _ := strconv.ParseFloat(m[4], 64)
			all = append(all, m[5])
			pageOf[m[5]] = pi
			// pdftotext's y grows downwards from the top of the page.
			if yMin < 20*mm-20 || yMax > h-20*mm+6 {
				off = append(off, fmt.Sprintf("%q at y %.0f–%.0f of %.0f", m[5], yMin, yMax, h))
			}
		}
	}
	return off, strings.Join(all, " "), pageOf
}

// Text longer than a page — a "Nơi nhận" of thirty long entries, thirty long recipients,
// a list cell of hundreds of characters in a narrow column — continues on the next page
// instead of running off the bottom edge, and every word of it is in the PDF.
func TestLongTextNeverRunsOffThePage(t *testing.T) {
	needTool(t, "pdftotext", "qpdf")
	d := mau02(t)
	data := d.Normalize(d.Sample)
	data.Header.Distribution, data.Header.Recipients = nil, nil
	for i := range maxHeaderItems {
		data.Header.Distribution = append(data.Header.Distribution,
			fmt.Sprintf("Nơinhận%02d ", i+1)+strings.Repeat("Sở Nội vụ tỉnh Quảng Ninh ", 10))
		data.Header.Recipients = append(data.Header.Recipients,
			fmt.Sprintf("Kínhgửi%02d ", i+1)+strings.Repeat("Ủy ban nhân dân huyện ", 12))
	}
	// A row whose every text cell holds about 480 characters is taller than a page.
	long := func(first, last string) string {
		return first + " " + strings.Repeat("Ban Cơ yếu ", 42) + last
	}
	tall := data.Tables["subscribers"][1]
	tall["fullName"] = long("Đầuhọtên", "Cuốihọtên")
	tall["idIssuePlace"] = long("Đầunơicấp", "Cuốinơicấp")
	tall["organisation"] = long("Đầucơquan", "Cuốicơquan")
	tall["province"] = long("Đầutỉnh", "Cuốitỉnh")
	tall["position"] = long("Đầuchứcvụ", "Cuốichứcvụ")
	require.NoError(t, d.Validate(data, ValidateOptions{Now: testNow}), "the data is valid, only long")

	var buf bytes.Buffer
	rd, err := d.RenderDocument(&buf, data, RenderOptions{Validate: &ValidateOptions{Now: testNow}})
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "long.pdf")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	assert.Contains(t, run(t, "qpdf", "--check", p), "No syntax or stream encoding errors")
	assert.Greater(t, rd.Pages, 4)

	off, text, pageOf := wordsOffPage(t, p)
	assert.Empty(t, off, "words outside the page margins")
	for i := range maxHeaderItems {
		assert.Contains(t, text, fmt.Sprintf("Nơinhận%02d", i+1))
		assert.Contains(t, text, fmt.Sprintf("Kínhgửi%02d", i+1))
	}
	first, last := pageOf["Đầuhọtên"], 0
	for _, c := range []string{"họtên", "nơicấp", "cơquan", "tỉnh", "chứcvụ"} {
		require.Contains(t, pageOf, "Đầu"+c)
		require.Contains(t, pageOf, "Cuối"+c)
		assert.Equal(t, first, pageOf["Đầu"+c], "the tall row starts on one page")
		last = max(last, pageOf["Cuối"+c])
	}
	assert.Greater(t, last, first, "the tall row goes on on the next page")
	require.Contains(t, pageOf, "Hoàng")
	assert.GreaterOrEqual(t, pageOf["Hoàng"], last, "the row after the tall one follows it")
}

func TestFitPrefixBreaksWhereAReaderExpects(t *testing.T) {
	doc, err := newPDFDoc()
	require.NoError(t, err)
	r := &renderer{doc: doc}
	w := func(s string) float64 { return doc.width(fontStyle(0), 10, s) }
	cases := []struct {
		word  string
		avail float64
		want  string
	}{
		{"tuyetlta@quangninh.gov.vn", w("tuyetlta@quang"), "tuyetlta"},                 // before the "@"
		{"125/STTTT-CĐS", w("125/STTTT-C"), "125/STTTT-"},                              // after "-"
		{"125/STTTT-CĐS", w("125/STT"), "125/"},                                        // after "/"
		{"27/11/1990", w("27/11/1"), "27/11/1"},                                        // a date has no break points: by characters
		{"XXXXXXXXXX", w("XXX") + 0.01, "XXX"},                                         // no break point: by characters
		{"ƯƯƯ", 0.5, "Ư"},                                                              // at least one character
		{strings.Repeat("Ư", 3000), w(strings.Repeat("Ư", 7)), strings.Repeat("Ư", 7)}, // long words cost linear time
	}
	for _, c := range cases {
		assert.Equal(t, c.want, r.fitPrefix(fontStyle(0), 10, c.word, c.avail), c.word)
	}
}

// Header values and field values at their length limits — a 300-character issuing body,
// signer's authority, title and name — stay inside the page in every layout: the
// signature block moves to the next page when its wrapped lines do not fit.
func TestLongHeaderAndSignatureStayOnThePage(t *testing.T) {
	needTool(t, "pdftotext")
	reg, err := NewRegistry()
	require.NoError(t, err)
	long := func(w string, n int) string {
		return strings.TrimSpace(strings.Repeat(w+" ", n/(len([]rune(w))+1)))
	}
	for _, id := range []string{"tt185/mau-02", "tt185/mau-01", "tt185/mau-14", "report/usage"} {
		t.Run(goldenName(id), func(t *testing.T) {
			d, err := reg.Definition(id)
			require.NoError(t, err)
			data := d.Normalize(d.Sample)
			h := &data.Header
			h.ParentBody, h.IssuingBody = long("Ủy ban nhân dân", maxHeaderText), long("Sở Thông tin", maxHeaderText)
			h.SignerAuthority, h.SignerTitle = long("KT. GIÁM ĐỐC", maxHeaderText), long("PHÓ GIÁM ĐỐC", maxHeaderText)
			h.SignerName, h.Number = long("Nguyễn Văn", maxHeaderText), long("125/STTTT", maxHeaderText)
			for _, f := range d.Fields() {
				if v := data.Fields[f.ID]; v != "" && f.Type == TypeText && f.MaxLength == 0 {
					data.Fields[f.ID] = long(v, DefaultMaxLength)
				}
			}
			var buf bytes.Buffer
			require.NoError(t, d.Render(&buf, data, RenderOptions{Validate: &ValidateOptions{Now: testNow}}))
			p := filepath.Join(t.TempDir(), "long.pdf")
			require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
			off, _, _ := wordsOffPage(t, p)
			assert.Empty(t, off, "words outside the page margins")
		})
	}
}
