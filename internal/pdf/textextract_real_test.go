package pdf_test

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/internal/pdf"
)

// fodt wraps paragraphs (already marked up) into a flat ODT document with one page
// layout per master page name used in the body.
func fodt(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="Times New Roman" svg:font-family="'Times New Roman'" style:font-family-generic="roman"/></office:font-face-decls>
<office:styles><style:style style:name="Standard" style:family="paragraph"><style:text-properties style:font-name="Times New Roman" fo:font-size="14pt"/></style:style></office:styles>
<office:automatic-styles>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" fo:margin-top="20mm" fo:margin-bottom="20mm" fo:margin-left="30mm" fo:margin-right="15mm"/></style:page-layout>
<style:page-layout style:name="pm2"><style:page-layout-properties fo:page-width="297mm" fo:page-height="210mm" style:print-orientation="landscape" fo:margin-top="20mm" fo:margin-bottom="20mm" fo:margin-left="25mm" fo:margin-right="15mm"/></style:page-layout>
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="justify" fo:text-indent="12.7mm"/></style:style>
<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-weight="bold" fo:font-size="13pt"/></style:style>
<style:style style:name="P3" style:family="paragraph" style:parent-style-name="Standard" style:master-page-name="Landscape"><style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="P4" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="12pt" fo:font-style="italic" style:text-rotation-angle="90"/></style:style>
<style:style style:name="T1" style:family="text"><style:text-properties fo:color="#c00000" style:text-position="super 58%"/></style:style>
<style:style style:name="T2" style:family="text"><style:text-properties fo:letter-spacing="1pt" fo:font-weight="bold"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/><style:master-page style:name="Landscape" style:page-layout-name="pm2"/></office:master-styles>
<office:body><office:text>
` + body + `
</office:text></office:body></office:document>`
}

// sofficeConvert converts flat ODT sources to tagged PDF with LibreOffice, in one run.
func sofficeConvert(t testing.TB, sources map[string]string) map[string][]byte {
	t.Helper()
	tool := needTool(t, "soffice")
	dir := t.TempDir()
	var args []string
	for name, src := range sources {
		p := filepath.Join(dir, name+".fodt")
		require.NoError(t, os.WriteFile(p, []byte(src), 0o600))
		args = append(args, p)
	}
	cmd := exec.Command(tool, append([]string{"--headless", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--convert-to", `pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}`, "--outdir", dir}, args...)...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	res := map[string][]byte{}
	for name := range sources {
		b, err := os.ReadFile(filepath.Join(dir, name+".pdf"))
		require.NoError(t, err, "soffice output: %s", out)
		res[name] = b
	}
	return res
}

type popplerWord struct {
	page int
	text string
	box  [4]float64
}

// popplerWords runs pdftotext -bbox on b.
func popplerWords(t testing.TB, b []byte) []popplerWord {
	t.Helper()
	tool := needTool(t, "pdftotext")
	f := filepath.Join(t.TempDir(), "in.pdf")
	require.NoError(t, os.WriteFile(f, b, 0o600))
	out, err := exec.Command(tool, "-bbox", f, "-").CombinedOutput()
	require.NoError(t, err, "%s", out)
	var words []popplerWord
	page := 0
	re := regexp.MustCompile(`<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="([-0-9.]+)">([^<]*)</word>`)
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "<page ") {
			page++
			continue
		}
		m := re.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		w := popplerWord{page: page, text: norm.NFC.String(html.UnescapeString(m[5]))}
		for i := range w.box {
			w.box[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		words = append(words, w)
	}
	return words
}

// compareWithPoppler matches every word pdftotext reports with a word of PageText and
// returns how many matched and the largest coordinate difference.
func compareWithPoppler(t *testing.T, b []byte) (matched, total int, worst float64) {
	t.Helper()
	d := open(t, b)
	pages, err := d.Pages()
	require.NoError(t, err)
	mine := map[int][]popplerWord{}
	for i, p := range pages {
		spans, err := d.PageText(p)
		require.NoError(t, err)
		for _, s := range pdf.JoinRuns(spans) {
			if s.Invisible {
				continue
			}
			for _, w := range s.Words() {
				mine[i+1] = append(mine[i+1], popplerWord{page: i + 1, text: norm.NFC.String(w.Text), box: pdf.DisplayBox(p, w.BBox)})
			}
		}
	}
	for _, pw := range popplerWords(t, b) {
		total++
		best, bestD := -1, math.Inf(1)
		for j, w := range mine[pw.page] {
			if w.text != pw.text {
				continue
			}
			dd := 0.0
			for k := range 4 {
				dd = math.Max(dd, math.Abs(w.box[k]-pw.box[k]))
			}
			if dd < bestD {
				best, bestD = j, dd
			}
		}
		if best < 0 {
			t.Logf("page %d: no word %q of pdftotext at %v", pw.page, pw.text, pw.box)
			continue
		}
		matched++
		if bestD > 1 {
			t.Errorf("page %d word %q: pdftotext %v, PageText %v", pw.page, pw.text, pw.box, mine[pw.page][best].box)
		}
		worst = math.Max(worst, bestD)
	}
	return matched, total, worst
}

// TestPageTextAgreesWithPdftotextOnLibreOffice converts flat ODT documents written here
// with LibreOffice (an independent producer: subset TrueType fonts, tagged PDF, a
// landscape page, rotated and superscript text, letter spacing, a table) and checks
// that every word's box agrees with pdftotext -bbox within 1 pt, also after the pages
// are given /Rotate 90.
func TestPageTextAgreesWithPdftotextOnLibreOffice(t *testing.T) {
	var body strings.Builder
	body.WriteString(`<text:p text:style-name="P2">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</text:p>`)
	for i := range 40 {
		fmt.Fprintf(&body, `<text:p text:style-name="P1">Điều %d. Phê duyệt kế hoạch ứng dụng chữ ký số chuyên dùng công vụ<text:span text:style-name="T1">%d</text:span> trong các cơ quan nhà nước trên địa bàn tỉnh <text:span text:style-name="T2">Quảng Ninh</text:span> năm 2026, với những nội dung chủ yếu như sau.</text:p>`, i+1, i+1)
	}
	body.WriteString(`<text:p text:style-name="P4">Ghi chú xoay dọc</text:p>`)
	body.WriteString(`<text:p text:style-name="P3">DANH SÁCH KÈM THEO (trang ngang)</text:p>`)
	body.WriteString(`<table:table><table:table-column table:number-columns-repeated="3"/>`)
	for r := range 5 {
		fmt.Fprintf(&body, `<table:table-row><table:table-cell><text:p>%d</text:p></table:table-cell><table:table-cell><text:p>Nguyễn Văn Ấn %d</text:p></table:table-cell><table:table-cell><text:p>Sở Thông tin và Truyền thông</text:p></table:table-cell></table:table-row>`, r+1, r)
	}
	body.WriteString(`</table:table>`)
	pdfs := sofficeConvert(t, map[string]string{"decision": fodt(body.String())})
	b := pdfs["decision"]

	matched, total, worst := compareWithPoppler(t, b)
	t.Logf("LibreOffice: %d of %d words matched, worst difference %.3f pt", matched, total, worst)
	require.Greater(t, total, 400)
	assert.Equal(t, total, matched, "every word of pdftotext found by PageText, the rotated ones too")

	// Tagged PDF: marked content is parsed; spans carry fonts, sizes and colours.
	d := open(t, b)
	pages, err := d.Pages()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(pages), 2)
	spans, err := d.PageText(pages[0])
	require.NoError(t, err)
	var sawRed, sawBold, sawSuper bool
	for _, s := range spans {
		assert.True(t, s.Embedded, "LibreOffice embeds %s", s.FontName)
		assert.NotContains(t, s.FontName, "+")
		if s.Fill.RGB[0] > 0.7 && s.Fill.RGB[1] < 0.1 {
			sawRed = true
			sawSuper = sawSuper || s.Size < 10
		}
		if s.Bold && strings.Contains(s.Text, "CỘNG") {
			sawBold = true
			assert.InDelta(t, 13, s.Size, 0.01)
		}
	}
	assert.True(t, sawRed, "the red superscript")
	assert.True(t, sawSuper, "superscript at its reduced size")
	assert.True(t, sawBold, "the bold 13 pt heading")
	last := pages[len(pages)-1]
	assert.Greater(t, last.MediaBox[2], last.MediaBox[3], "the last page is landscape")

	// The same file with every page rotated by 90°: pdftotext reports the displayed
	// coordinates, DisplayBox converts to them.
	rotated := rotatePages(t, b, 90)
	matched, total, worst = compareWithPoppler(t, rotated)
	t.Logf("rotated: %d of %d words matched, worst difference %.3f pt", matched, total, worst)
	assert.Equal(t, total, matched)
}

// rotatePages appends an update setting /Rotate on every page.
func rotatePages(t *testing.T, b []byte, rot int) []byte {
	t.Helper()
	d := open(t, b)
	pages, err := d.Pages()
	require.NoError(t, err)
	u := d.NewUpdate()
	for _, p := range pages {
		nd := p.Dict.Clone()
		nd["Rotate"] = pdf.Integer(rot)
		u.Set(p.Ref, nd)
	}
	out, err := u.Bytes()
	require.NoError(t, err)
	return append(append([]byte(nil), b...), out...)
}

// TestPageTextAgreesWithPdftotextOnForms checks the letters kyso's forms package
// renders (composite Identity-H fonts with /W and /ToUnicode).
func TestPageTextAgreesWithPdftotextOnForms(t *testing.T) {
	reg, err := forms.NewRegistry()
	require.NoError(t, err)
	for _, id := range []string{"tt185/mau-01", "tt185/mau-14"} {
		def, err := reg.Definition(id)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, def.Render(&buf, def.Sample, forms.RenderOptions{SkipValidation: true}))
		matched, total, worst := compareWithPoppler(t, buf.Bytes())
		t.Logf("%s: %d of %d words matched, worst difference %.3f pt", id, matched, total, worst)
		require.Greater(t, total, 50)
		assert.Equal(t, total, matched, id)
	}
}

// TestPageTextStandardFontsAgainstPdftotext: standard 14 fonts without widths (Adobe
// metrics), a /Differences encoding, TJ kerning, character and word spacing,
// horizontal scaling, rise, a text matrix, a form XObject with /Matrix and artifacts —
// every word within 1 pt of pdftotext -bbox.
func TestPageTextStandardFontsAgainstPdftotext(t *testing.T) {
	content := "/Artifact <</Type /Pagination>> BDC BT /F1 13 Tf 290 800 Td (2) Tj ET EMC " +
		"BT /F1 12 Tf 72 700 Td (Hello World, AVATAR Times) Tj 0 -20 Td [(Ke) 120 (rning) -600 (gap)] TJ ET " +
		"BT /F2 10 Tf 2 Tc 5 Tw 72 650 Td (Bold Helvetica words) Tj ET " +
		"BT /F3 11 Tf 80 Tz 1 0 0 1 72 620 Tm (Courier narrow) Tj 0 Tz 100 Tz 4 Ts ( risen) Tj ET " +
		"BT /F4 12 Tf 72 590 Td <0102> Tj ( plain) Tj ET " +
		"TILT" +
		"q 1 0 0 rg 72 100 451 0.75 re f Q 0.5 w 100 200 m 300 200 l S " +
		"q 100 0 0 50 300 400 cm /Im Do Q /Fm Do"
	// pdftotext reads text at 45° glyph by glyph: the tilted run is left out of the
	// comparison.
	build := func(tilt string) []byte {
		return rawPDF([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595.28 841.89] >>",
			"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R /F4 8 0 R >> /XObject << /Im 9 0 R /Fm 10 0 R >> >> >>",
			streamObj("", strings.Replace(content, "TILT", tilt, 1)),
			"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>",
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
			"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>",
			"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /Dcroat /ohorn] >> >>",
			streamObj("/Type /XObject /Subtype /Image /Width 2 /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8", "\xff\x00\x00\x00\x00\xff"),
			streamObj("/Type /XObject /Subtype /Form /BBox [0 0 200 100] /Matrix [2 0 0 2 100 450] /Resources << /Font << /F1 5 0 R >> >>",
				"BT /F1 9 Tf 0 0 Td (Inside the form) Tj ET"),
		}, "/Root 1 0 R")
	}
	matched, total, worst := compareWithPoppler(t, build(""))
	t.Logf("%d of %d words matched, worst difference %.3f pt", matched, total, worst)
	assert.Equal(t, total, matched)
	assert.GreaterOrEqual(t, total, 18)

	d := open(t, build("0 0 1 rg BT /F1 12 Tf 0.7071 0.7071 -0.7071 0.7071 300 300 Tm (Tilted text) Tj ET "))
	pages, err := d.Pages()
	require.NoError(t, err)
	o, err := d.PageObjects(pages[0])
	require.NoError(t, err)
	require.NotEmpty(t, o.Text)
	assert.True(t, o.Text[0].Artifact)
	assert.Equal(t, pdf.Name("Pagination"), o.Text[0].ArtifactType)
	assert.False(t, o.Text[0].Embedded)
	assert.Equal(t, "Times-Roman", o.Text[0].FontName)
	var sawDiff, sawBlue, sawForm bool
	for _, s := range o.Text {
		switch {
		case s.Text == "Đơ":
			sawDiff = true
			assert.True(t, s.Bold)
		case s.Text == "Tilted text":
			sawBlue = s.Fill.RGB == [3]float64{0, 0, 1}
			assert.InDelta(t, 45, s.Angle, 0.01)
		case s.Text == "Inside the form":
			sawForm = true
			assert.InDelta(t, 18, s.Size, 1e-9)
			assert.InDelta(t, 100, s.X, 1e-9)
		}
	}
	assert.True(t, sawDiff, "Differences decoded")
	assert.True(t, sawBlue, "fill colour")
	assert.True(t, sawForm, "form XObject with its matrix")
	require.Len(t, o.Images, 1)
	assert.Equal(t, [4]float64{300, 400, 400, 450}, o.Images[0].BBox)
	assert.Equal(t, 3, o.Images[0].Components)
	require.Len(t, o.Paths, 2)
	assert.True(t, o.Paths[0].Fill)
	assert.InDeltaSlice(t, []float64{72, 100, 523, 100.75}, o.Paths[0].BBox[:], 1e-9)
	assert.True(t, o.Paths[1].Stroke)
	assert.InDelta(t, 0.5, o.Paths[1].LineWidth, 1e-9)
}

// uprightRotated rewrites every page as a rotated page that displays as before: the
// MediaBox turned, /Rotate set, and the content counter-rotated (as producers write
// landscape-scanned or rotated pages).
func uprightRotated(t *testing.T, b []byte, rot int) []byte {
	t.Helper()
	d := open(t, b)
	pages, err := d.Pages()
	require.NoError(t, err)
	u := d.NewUpdate()
	for _, p := range pages {
		w, h := p.MediaBox[2]-p.MediaBox[0], p.MediaBox[3]-p.MediaBox[1]
		np := pdf.Page{Rotate: rot, CropBox: [4]float64{0, 0, w, h}}
		if rot == 90 || rot == 270 {
			np.CropBox = [4]float64{0, 0, h, w}
		}
		m := pdf.UprightMatrix(np) // user → displayed; the content needs the inverse
		det := m[0]*m[3] - m[1]*m[2]
		inv := [6]float64{m[3] / det, -m[1] / det, -m[2] / det, m[0] / det, (m[2]*m[5] - m[3]*m[4]) / det, (m[1]*m[4] - m[0]*m[5]) / det}
		pre := u.Add(&pdf.Stream{Dict: pdf.Dict{}, Data: []byte(fmt.Sprintf("q %g %g %g %g %g %g cm\n", inv[0], inv[1], inv[2], inv[3], inv[4], inv[5]))})
		post := u.Add(&pdf.Stream{Dict: pdf.Dict{}, Data: []byte("\nQ")})
		nd := p.Dict.Clone()
		contents := pdf.Array{pre}
		switch c := p.Dict.Get("Contents").(type) {
		case pdf.Array:
			contents = append(contents, c...)
		default:
			contents = append(contents, c)
		}
		nd["Contents"] = append(contents, post)
		nd["Rotate"] = pdf.Integer(rot)
		box := pdf.Array{pdf.Real(0), pdf.Real(0), pdf.Real(np.CropBox[2]), pdf.Real(np.CropBox[3])}
		nd["MediaBox"], nd["CropBox"] = box, box
		u.Set(p.Ref, nd)
	}
	out, err := u.Bytes()
	require.NoError(t, err)
	return append(append([]byte(nil), b...), out...)
}

// TestPageObjectsUprightOnRotatedPages: on pages rotated by 90, 180 and 270 degrees
// whose content is drawn counter-rotated (so that they display upright),
// PageObjectsUpright gives horizontal text whose word boxes are pdftotext's, flipped.
func TestPageObjectsUprightOnRotatedPages(t *testing.T) {
	var body strings.Builder
	for i := range 12 {
		fmt.Fprintf(&body, `<text:p text:style-name="P1">Điều %d. Phê duyệt kế hoạch ứng dụng chữ ký số chuyên dùng công vụ trong các cơ quan nhà nước.</text:p>`, i+1)
	}
	b := sofficeConvert(t, map[string]string{"d": fodt(body.String())})["d"]
	for _, rot := range []int{90, 180, 270} {
		r := uprightRotated(t, b, rot)
		d := open(t, r)
		pages, err := d.Pages()
		require.NoError(t, err)
		p := pages[0]
		o, err := d.PageObjectsUpright(p)
		require.NoError(t, err)
		h := p.CropBox[2] - p.CropBox[0] // the displayed height
		if rot == 180 {
			h = p.CropBox[3] - p.CropBox[1]
		}
		require.InDelta(t, 841.89, h, 0.01)
		var mine []popplerWord
		for _, s := range pdf.JoinRuns(o.Text) {
			assert.InDelta(t, 0, s.Angle, 0.01, "rotation %d: upright text", rot)
			for _, w := range s.Words() {
				mine = append(mine, popplerWord{text: norm.NFC.String(w.Text), box: [4]float64{w.BBox[0], h - w.BBox[3], w.BBox[2], h - w.BBox[1]}})
			}
		}
		matched := 0
		words := popplerWords(t, r)
		for _, pw := range words {
			if pw.page != 1 {
				continue
			}
			for _, w := range mine {
				if w.text == pw.text && math.Abs(w.box[0]-pw.box[0]) < 1 && math.Abs(w.box[1]-pw.box[1]) < 1 &&
					math.Abs(w.box[2]-pw.box[2]) < 1 && math.Abs(w.box[3]-pw.box[3]) < 1 {
					matched++
					break
				}
			}
		}
		assert.Greater(t, matched, 150, "rotation %d", rot)
		assert.Equal(t, len(mine), matched, "rotation %d: every word at pdftotext's place", rot)
	}
}
