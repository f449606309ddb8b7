package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/layout"
)

// runLayoutCmd runs "kyso layout args…".
func runLayoutCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(context.Background(), c, append([]string{"layout"}, args...))
	return code, out.String(), errb.String()
}

// layoutLetter renders a forms letter (an NĐ 30 letter with its signer block) to a file.
func layoutLetter(t *testing.T) string {
	t.Helper()
	reg, err := forms.NewRegistry()
	require.NoError(t, err)
	def, err := reg.Definition("tt185/mau-01")
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, def.Render(&buf, def.Sample, forms.RenderOptions{SkipValidation: true}))
	p := filepath.Join(t.TempDir(), "letter.pdf")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o600))
	return p
}

func TestLayoutCheckCommand(t *testing.T) {
	letter := layoutLetter(t)
	code, out, errs := runLayoutCmd(t, "check", letter)
	assert.Contains(t, []int{0, 1}, code, errs)
	assert.Contains(t, out, "rules checked")
	if code == 0 {
		assert.Contains(t, out, "ĐẠT / CONFORMING")
	}

	code, out, _ = runLayoutCmd(t, "check", "-json", letter)
	assert.Contains(t, []int{0, 1}, code)
	var rep struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Severity string `json:"severity"`
			Passed   bool   `json:"passed"`
			Citation struct {
				Instrument string `json:"instrument"`
			} `json:"citation"`
			MessageVI string `json:"message_vi"`
			Measured  string `json:"measured"`
		} `json:"findings"`
		Measurement struct {
			Pages []json.RawMessage `json:"pages"`
		} `json:"measurement"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	require.NotEmpty(t, rep.Findings)
	assert.NotEmpty(t, rep.Measurement.Pages)
	rules := map[string]bool{}
	for _, f := range rep.Findings {
		rules[f.Rule] = true
		assert.NotEmpty(t, f.Citation.Instrument)
		assert.NotEmpty(t, f.MessageVI)
		assert.Contains(t, []string{"error", "warning"}, f.Severity)
	}
	assert.True(t, rules["page.a4"] && rules["page.margins"] && rules["font.family"], "%v", rules)

	// A file that is not a PDF: 3; no file: 2; a missing file: 3.
	bad := filepath.Join(t.TempDir(), "bad.pdf")
	require.NoError(t, os.WriteFile(bad, []byte("not a pdf"), 0o600))
	code, _, errs = runLayoutCmd(t, "check", bad)
	assert.Equal(t, 3, code, errs)
	assert.True(t, strings.HasPrefix(errs, "kyso layout check: không đọc được tệp PDF"), "Vietnamese first: %s", errs)
	assert.Contains(t, errs, " / not a readable PDF")
	code, _, errs = runLayoutCmd(t, "anchors", bad)
	assert.Equal(t, 3, code, errs)
	assert.True(t, strings.HasPrefix(errs, "kyso layout anchors: không đọc được tệp PDF"), "Vietnamese first: %s", errs)
	code, _, _ = runLayoutCmd(t, "check")
	assert.Equal(t, 2, code)
	code, _, _ = runLayoutCmd(t, "check", "-nope", letter)
	assert.Equal(t, 2, code)
	code, _, errs = runLayoutCmd(t, "check", filepath.Join(t.TempDir(), "missing.pdf"))
	assert.Equal(t, 3, code)
	assert.True(t, strings.HasPrefix(errs, "kyso layout check: không tìm thấy tệp / file not found\n"), errs)
	code, _, _ = runLayoutCmd(t)
	assert.Equal(t, 2, code)
	code, _, _ = runLayoutCmd(t, "frobnicate")
	assert.Equal(t, 2, code)
}

// TestLayoutAnchorsCommand: "kyso layout anchors" prints the signer blocks layout's
// anchor finder finds (page, 7a box and lines, 7c gap, 7b name), only the signer asked
// for with -name, and the extractor's lines when no block is found.
func TestLayoutAnchorsCommand(t *testing.T) {
	letter := layoutLetter(t)
	f, err := os.Open(letter)
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	m, err := layout.Measure(context.Background(), f, st.Size(), nil)
	require.NoError(t, err)
	require.Len(t, m.CandidateBlocks, 1)
	signer := m.CandidateBlocks[0].Name.Text
	var title []string
	for _, l := range m.CandidateBlocks[0].Title {
		title = append(title, l.Text)
	}

	code, out, errs := runLayoutCmd(t, "anchors", letter)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "signer block 1 on page 1 (layout.FindSigner)")
	assert.Regexp(t, `7a title \[\s*[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\]`, out)
	assert.Regexp(t, `7c gap   \[[^\]]+\] [\d.]+ × [\d.]+ pt`, out)
	assert.Contains(t, out, "7b name")
	assert.Contains(t, out, fmt.Sprintf("%q", signer))
	assert.NotContains(t, out, "page 1 (595 × 842 pt", "the lines only with -lines or when no block is found")
	// The gap is what Place would fill: layout.FindSigner's own measure.
	b, err := layout.FindSigner(context.Background(), f, st.Size(), strings.Join(title, "\n"), signer, nil)
	require.NoError(t, err)
	assert.Contains(t, out, fmt.Sprintf("7c gap   [%6.1f %6.1f %6.1f %6.1f]", b.Gap[0], b.Gap[1], b.Gap[2], b.Gap[3]))

	// -lines adds the extractor's lines.
	code, out, _ = runLayoutCmd(t, "anchors", "-lines", letter)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "signer block 1 on page 1")
	assert.Contains(t, out, "page 1 (595 × 842 pt, rotate 0)")
	assert.Contains(t, out, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")

	// -name: that signer's block; a name not on the page: the finder's error, the lines
	// as a fallback, exit 1.
	code, out, _ = runLayoutCmd(t, "anchors", "-name", strings.ToUpper(signer), letter)
	require.Equal(t, 0, code)
	assert.Equal(t, 1, strings.Count(out, "signer block "), out)
	code, out, _ = runLayoutCmd(t, "anchors", "-name", "Người Không Có", letter)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "Người Không Có")
	assert.Contains(t, out, "no signer block")
	assert.Contains(t, out, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")

	// A document without a signer block (the demo's appendix): the extractor's lines.
	annex, err := demoRenderAppendix(demoLetterNumber, time.Now())
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "phu-luc.pdf")
	require.NoError(t, os.WriteFile(p, annex, 0o600))
	code, out, _ = runLayoutCmd(t, "anchors", p)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "no signer block (title ô 7a above a gap above a name ô 7b) found")
	assert.Contains(t, out, "PHỤ LỤC")
	assert.NotContains(t, out, "signer block 1")

	code, _, _ = runLayoutCmd(t, "anchors")
	assert.Equal(t, 2, code)
	code, _, _ = runLayoutCmd(t, "anchors", "-title", "CHỦ TỊCH", letter)
	assert.Equal(t, 2, code, "-title needs -name")
}
