package pdf_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

const toUnicode = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <004E> <0002> <1EC5> endbfchar
1 beginbfrange <0003> <0005> <0067> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`

func streamObj(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func TestPageText(t *testing.T) {
	content := "q 2 0 0 2 10 20 cm BT /F2 10 Tf 5 6 Td <0001000300020004> Tj [<0005> -300 <0001>] TJ ET Q /Fm Do"
	b := rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F2 5 0 R >> /XObject << /Fm 8 0 R >> >> >>",
		streamObj("", content),
		"<< /Type /Font /Subtype /Type0 /BaseFont /Kyso /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Kyso /DW 1000 /W [1 [600 700] 3 5 500] >>",
		streamObj("", toUnicode),
		streamObj("/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [1 0 0 1 100 100] /Resources << /Font << /F1 9 0 R >> >>",
			"BT /F1 12 Tf 0 0 Td (Form) Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 70 /Widths [600] >>",
	}, "/Root 1 0 R")
	d := open(t, b)
	pages, err := d.Pages()
	require.NoError(t, err)
	spans, err := d.PageText(pages[0])
	require.NoError(t, err)
	require.Len(t, spans, 3)
	near := func(want, got float64, what string) { assert.InDelta(t, want, got, 1e-9, what) }
	assert.Equal(t, "Ngễh", spans[0].Text)
	near(20, spans[0].X, "x0")
	near(32, spans[0].Y, "y0")
	near(20, spans[0].Size, "size0")
	near(46, spans[0].Width, "width0")
	assert.Equal(t, pdf.Name("F2"), spans[0].Font)
	assert.Equal(t, "i N", spans[1].Text)
	near(66, spans[1].X, "x1")
	near(28, spans[1].Width, "width1")
	assert.Equal(t, "Form", spans[2].Text)
	near(100, spans[2].X, "x2")
	near(100, spans[2].Y, "y2")
	near(12, spans[2].Size, "size2")
	near((600+3*500)*12.0/1000, spans[2].Width, "width2") // F from /Widths, o r m at half an em
}

// TestPageTextAgainstPdftotext compares the positions of the generated documents' words
// with poppler's pdftotext -bbox.
func TestPageTextAgainstPdftotext(t *testing.T) {
	tool := needTool(t, "pdftotext")
	b := pdftest.Classic()
	f := filepath.Join(t.TempDir(), "c.pdf")
	require.NoError(t, os.WriteFile(f, b, 0o600))
	out, err := exec.Command(tool, "-f", "1", "-l", "1", "-bbox", f, "-").CombinedOutput()
	require.NoError(t, err, "%s", out)
	m := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="[0-9.]+" yMax="([0-9.]+)">Hello</word>`).FindSubmatch(out)
	require.NotNil(t, m, "%s", out)
	xMin, _ := strconv.ParseFloat(string(m[1]), 64)
	yMax, _ := strconv.ParseFloat(string(m[2]), 64)
	d := open(t, b)
	pages, err := d.Pages()
	require.NoError(t, err)
	spans, err := d.PageText(pages[0])
	require.NoError(t, err)
	require.Len(t, spans, 1)
	assert.Equal(t, "Hello kyso, page 1", spans[0].Text)
	assert.InDelta(t, xMin, spans[0].X, 0.01)
	// pdftotext measures from the top; the word's bottom is near the baseline (the
	// descent of "Hello" is zero, so within a fraction of the size).
	assert.InDelta(t, float64(pdftest.PageHeight)-yMax, spans[0].Y, 0.3*spans[0].Size)
	assert.Equal(t, 24.0, spans[0].Size)
}

func TestParseCMapSloppy(t *testing.T) {
	// Broken CMaps must not fail extraction: what can be read is used.
	b := rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F2 5 0 R >> >> >>",
		streamObj("", "BT /F2 10 Tf <00010002> Tj ET"),
		"<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 >>",
		streamObj("", "1 beginbfchar <0001> <0041> ) <zz> endbfchar 1 beginbfchar <0002> <0042> endbfchar"),
	}, "/Root 1 0 R")
	d := open(t, b)
	pages, err := d.Pages()
	require.NoError(t, err)
	spans, err := d.PageText(pages[0])
	require.NoError(t, err)
	require.Len(t, spans, 1)
	assert.Contains(t, spans[0].Text, "B")
}

// TestPageTextSelfCallingForm: a form that calls itself many times ends.
func TestPageTextSelfCallingForm(t *testing.T) {
	b := rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources 5 0 R >>",
		streamObj("", "/Fm Do"),
		"<< /XObject << /Fm 6 0 R >> >>",
		streamObj("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources 5 0 R", "BT (x) Tj ET /Fm Do /Fm Do /Fm Do /Fm Do"),
	}, "/Root 1 0 R")
	d := open(t, b)
	pages, err := d.Pages()
	require.NoError(t, err)
	spans, err := d.PageText(pages[0])
	require.NoError(t, err)
	assert.LessOrEqual(t, len(spans), 1000)
}

// TestPageTextPulledBackMark: a combining mark that a TJ number pulls back over its
// letter, the pen then restored (as Microsoft Word writes text typed decomposed), is
// no word space; a gap beyond the furthest point the pen reached still is.
func TestPageTextPulledBackMark(t *testing.T) {
	const cmap = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
1 beginbfrange <0001> <0001> <0065> endbfrange
2 beginbfchar <0002> <0302> <0003> <006E> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end`
	for _, tc := range []struct{ tj, want string }{
		{"[<0001> 400 <0002> -400 <0003>]", "e\u0302n"},
		{"[<0001> 400 <0002> -700 <0003>]", "e\u0302 n"},
		{"[<0001> -300 <0003>]", "e n"},
		{"[<0001> -200 <0003>]", "e n"},
		{"[<0001> -80 <0003>]", "en"},
	} {
		b := rawPDF([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
			"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
			streamObj("", "BT /F1 10 Tf 10 10 Td "+tc.tj+" TJ ET"),
			"<< /Type /Font /Subtype /Type0 /BaseFont /Kyso /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
			"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Kyso /DW 1000 /W [1 [500 0 500]] >>",
			streamObj("", cmap),
		}, "/Root 1 0 R")
		d := open(t, b)
		pages, err := d.Pages()
		require.NoError(t, err)
		spans, err := d.PageText(pages[0])
		require.NoError(t, err)
		require.Len(t, spans, 1)
		assert.Equal(t, tc.want, spans[0].Text, tc.tj)
	}
}

// TestDisplayBoxUsesTheMediaBox: pdftotext -bbox reports positions from the top left of
// the MediaBox, even on a page whose CropBox is smaller (pdfcpu's crop samples, a book
// chapter cropped to its trim box).
func TestDisplayBoxUsesTheMediaBox(t *testing.T) {
	p := pdf.Page{MediaBox: [4]float64{0, 0, 595, 842}, CropBox: [4]float64{10, 10, 585, 832}}
	assert.Equal(t, [4]float64{100, 130, 150, 142}, pdf.DisplayBox(p, [4]float64{100, 700, 150, 712}))
	p.Rotate = 90
	assert.Equal(t, [4]float64{700, 100, 712, 150}, pdf.DisplayBox(p, [4]float64{100, 700, 150, 712}))

	// The same against pdftotext, on a page cropped by 10 pt on each side.
	b := rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /CropBox [10 10 585 832] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		streamObj("", "BT /F1 12 Tf 100 700 Td (Cropped page words) Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}, "/Root 1 0 R")
	matched, total, _ := compareWithPoppler(t, b)
	assert.Equal(t, 3, total)
	assert.Equal(t, total, matched)
}

// TestWordsBreakAtATenthOfAnEm: a gap of more than 0.1 em between glyphs separates
// words as in pdftotext (poppler's minWordBreakSpace) — a TJ number of -250 (pdfTeX's
// interword space, which the former quarter-em rule missed: "Athesis") or -150 —
// while tighter kerning (-90) and letter spacing set with Tc keep a word whole.
func TestWordsBreakAtATenthOfAnEm(t *testing.T) {
	b := rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		streamObj("", "BT /F1 12 Tf 72 700 Td [(A)-250(thesis)-150(submitted)-150(to)-90(the)] TJ ET "+
			"BT /F1 10 Tf 1.5 Tc 72 650 Td (SPACED) Tj ET "+
			"BT /F1 10 Tf 0.5 Tc 72 600 Td (tight) Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
	}, "/Root 1 0 R")
	d := open(t, b)
	pages, err := d.Pages()
	require.NoError(t, err)
	spans, err := d.PageText(pages[0])
	require.NoError(t, err)
	var words []string
	for _, s := range pdf.JoinRuns(spans) {
		for _, w := range s.Words() {
			words = append(words, w.Text)
		}
	}
	assert.Equal(t, []string{"A", "thesis", "submitted", "tothe", "SPACED", "tight"}, words)
	assert.Equal(t, "A thesis submitted tothe", spans[0].Text)
	matched, total, _ := compareWithPoppler(t, b)
	assert.Equal(t, len(words), total)
	assert.Equal(t, total, matched)
}
