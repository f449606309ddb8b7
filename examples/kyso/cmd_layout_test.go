package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/forms"
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
	code, _, _ = runLayoutCmd(t, "check")
	assert.Equal(t, 2, code)
	code, _, _ = runLayoutCmd(t, "check", "-nope", letter)
	assert.Equal(t, 2, code)
	code, _, _ = runLayoutCmd(t, "check", filepath.Join(t.TempDir(), "missing.pdf"))
	assert.Equal(t, 3, code)
	code, _, _ = runLayoutCmd(t)
	assert.Equal(t, 2, code)
	code, _, _ = runLayoutCmd(t, "frobnicate")
	assert.Equal(t, 2, code)
}

func TestLayoutAnchorsCommand(t *testing.T) {
	code, out, errs := runLayoutCmd(t, "anchors", layoutLetter(t))
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "page 1 (595 × 842 pt, rotate 0)")
	assert.Contains(t, out, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	assert.Contains(t, out, "signer block on page")
	assert.Contains(t, out, "7a title")
	assert.Contains(t, out, "7b name")
	code, _, _ = runLayoutCmd(t, "anchors")
	assert.Equal(t, 2, code)
}
