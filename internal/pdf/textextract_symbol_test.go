package pdf_test

import (
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

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// symbolPage is a page showing every code from 0x21 to 0xFE of one non-embedded font
// without /Widths, four columns, each code on its own line; encoding is added to the
// font dictionary as written.
func symbolPage(baseFont, encoding string) []byte {
	var c strings.Builder
	for code := 0x21; code <= 0xFE; code++ {
		i := code - 0x21
		x, y := 40+float64(i%4)*130, 800-float64(i/4)*13
		fmt.Fprintf(&c, "BT /S 10 Tf %g %g Td <%02X> Tj ET\n", x, y, code)
	}
	font := "<< /Type /Font /Subtype /Type1 /BaseFont /" + baseFont + encoding + " >>"
	return pdftest.Hand(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /S 5 0 R >> >> >>",
		"stream:"+c.String(),
		font,
	)
}

var bboxWord = regexp.MustCompile(`<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="([-0-9.]+)">([^<]*)</word>`)

type posWord struct {
	text string
	box  [4]float64
}

func pdftotextWords(t *testing.T, b []byte) []posWord {
	t.Helper()
	tool := needTool(t, "pdftotext")
	f := filepath.Join(t.TempDir(), "s.pdf")
	require.NoError(t, os.WriteFile(f, b, 0o600))
	out, err := exec.Command(tool, "-bbox", f, "-").CombinedOutput()
	require.NoError(t, err, "%s", out)
	var ws []posWord
	for _, m := range bboxWord.FindAllStringSubmatch(string(out), -1) {
		w := posWord{text: html.UnescapeString(m[5])}
		for i := range w.box {
			w.box[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		ws = append(ws, w)
	}
	return ws
}

func kysoWords(t *testing.T, b []byte) []posWord {
	t.Helper()
	d := open(t, b)
	pages, err := d.Pages()
	require.NoError(t, err)
	spans, err := d.PageText(pages[0])
	require.NoError(t, err)
	var ws []posWord
	for _, s := range pdf.JoinRuns(spans) {
		for _, w := range s.Words() {
			ws = append(ws, posWord{text: w.Text, box: pdf.DisplayBox(pages[0], w.BBox)})
		}
	}
	return ws
}

// TestSymbolEncodingsAgainstPdftotext shows every code of the Symbol and ZapfDingbats
// fonts without /Encoding and checks kyso's text and boxes against pdftotext -bbox:
// their built-in encodings, not WinAnsi, and poppler's built-in metrics.
func TestSymbolEncodingsAgainstPdftotext(t *testing.T) {
	for _, tc := range []struct {
		font string
		// onlyKyso are codes poppler's tables lack (added to the AFM files after
		// poppler's tables were written): kyso reads them by the AGL.
		onlyKyso map[int]string
	}{
		{"Symbol", map[int]string{0xA0: "€"}},
		{"ZapfDingbats", map[int]string{0x80: "❨", 0x81: "❩", 0x86: "❮", 0x8D: "❵"}},
	} {
		t.Run(tc.font, func(t *testing.T) {
			b := symbolPage(tc.font, "")
			pop, ky := pdftotextWords(t, b), kysoWords(t, b)
			require.NotEmpty(t, pop)
			matched := 0
			for _, p := range pop {
				found := false
				for _, k := range ky {
					if math.Abs(k.box[0]-p.box[0]) < 1 && math.Abs(k.box[3]-p.box[3]) < 1 {
						found = true
						assert.Equal(t, p.text, k.text, "word at %.1f", p.box)
						for i := range p.box {
							assert.InDelta(t, p.box[i], k.box[i], 1, "box %d of %q", i, p.text)
						}
						break
					}
				}
				if assert.True(t, found, "pdftotext's %q at %.1f not found by kyso", p.text, p.box) {
					matched++
				}
			}
			assert.Greater(t, matched, 180)
			for code, want := range tc.onlyKyso {
				i := code - 0x21
				x := 40 + float64(i%4)*130
				y := 842 - (800 - float64(i/4)*13) // baseline, from the top
				got := ""
				for _, k := range ky {
					if math.Abs(k.box[0]-x) < 0.5 && k.box[1] < y && k.box[3] > y {
						got = k.text
					}
				}
				assert.Equal(t, want, got, "code %#x", code)
			}
		})
	}
}

// TestSymbolEncodingNamed checks that a named /Encoding still wins over the built-in
// encoding, and that /Differences without /BaseEncoding apply over it.
func TestSymbolEncodingNamed(t *testing.T) {
	text := func(b []byte) string {
		var s []string
		for _, w := range kysoWords(t, b) {
			s = append(s, w.text)
		}
		return strings.Join(s, " ")
	}
	// 0x61 is alpha in Symbol, a in WinAnsi; 0x44 is Delta in Symbol (U+2206 by the AGL).
	named := text(symbolPage("Symbol", " /Encoding /WinAnsiEncoding"))
	assert.True(t, strings.HasPrefix(named, "! \" # $"), named)
	assert.Contains(t, named, " a b c ")
	builtin := text(symbolPage("Symbol", ""))
	assert.Contains(t, builtin, " α β χ δ ")
	assert.Contains(t, builtin, " ∆ ")
	diffs := text(symbolPage("Symbol", " /Encoding << /Differences [97 /A] >>"))
	assert.Contains(t, diffs, " A β χ δ ")
	zapf := text(symbolPage("ZapfDingbats", ""))
	assert.True(t, strings.HasPrefix(zapf, "✁ ✂ ✃ ✄"), zapf)
	subset := text(symbolPage("ABCDEF+SymbolMT", ""))
	assert.Contains(t, subset, " α β χ δ ")
}

// TestType3BoxAgainstPdftotext checks word boxes of Type 3 fonts against pdftotext
// -bbox: poppler scales a Type 3 font's size by the width of its 'm' (over 0.6), else
// of a letter or any glyph (over 0.5), and by its FontMatrix's aspect, as Chrome's
// Type 3 fonts (pdfcpu's read.go.pdf) show.
func TestType3BoxAgainstPdftotext(t *testing.T) {
	toUni := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /Adobe-Identity-UCS def\n" +
		"1 begincodespacerange <00> <FF> endcodespacerange\n3 beginbfchar <41> <0041> <42> <0042> <6D> <006D> endbfchar\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end"
	for _, tc := range []struct {
		name, matrix, diffs, widths, text string
	}{
		{"glyph-names-flipped", "[0.001 0 0 -0.001 0 0]", "[65 /g1 /g2]", "/FirstChar 65 /LastChar 66 /Widths [600 600]", "1 0 0 -1 100 700 Tm (AB) Tj"},
		{"with-m", "[0.001 0 0 0.001 0 0]", "[65 /A /B 109 /m]", "/FirstChar 65 /LastChar 109 /Widths [700 650" + strings.Repeat(" 0", 42) + " 300]", "100 700 Td (ABm) Tj"},
		{"letter", "[0.002 0 0 0.001 0 0]", "[65 /A /B]", "/FirstChar 65 /LastChar 66 /Widths [400 400]", "100 700 Td (AB) Tj"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			content := "BT /T3 20 Tf " + tc.text + " ET"
			b := pdftest.Hand(
				"<< /Type /Catalog /Pages 2 0 R >>",
				"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
				"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /T3 5 0 R >> >> >>",
				"stream:"+content,
				"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 600 700] /FontMatrix "+tc.matrix+
					" /CharProcs << /g1 6 0 R /g2 6 0 R /A 6 0 R /B 6 0 R /m 6 0 R >> /Encoding << /Type /Encoding /Differences "+tc.diffs+
					" >> "+tc.widths+" /ToUnicode 7 0 R /Resources << >> >>",
				"stream:600 0 d0 0 0 500 700 re f",
				"stream:"+toUni,
			)
			pop, ky := pdftotextWords(t, b), kysoWords(t, b)
			require.Len(t, pop, 1)
			require.Len(t, ky, 1)
			assert.Equal(t, pop[0].text, ky[0].text)
			for i := range pop[0].box {
				assert.InDelta(t, pop[0].box[i], ky[0].box[i], 0.5, "box %d: pdftotext %.2f, kyso %.2f", i, pop[0].box, ky[0].box)
			}
		})
	}
}
