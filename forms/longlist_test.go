package forms

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A long list breaks across pages and repeats its header row on each page.
func TestLongListRepeatsHeaderOnEveryPage(t *testing.T) {
	needTool(t, "pdftotext", "qpdf")
	d := mau02(t)
	data := d.Normalize(d.Sample)
	data.Tables["subscribers"] = subscriberRows(120)
	var buf bytes.Buffer
	require.NoError(t, d.Render(&buf, data, RenderOptions{Validate: &ValidateOptions{Now: testNow}}))
	p := filepath.Join(t.TempDir(), "long.pdf")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	assert.Contains(t, run(t, "qpdf", "--check", p), "No syntax or stream encoding errors")
	info := run(t, "qpdf", "--show-npages", p)
	n := strings.TrimSpace(info)
	require.NotEqual(t, "1", n)
	all := run(t, "pdftotext", "-layout", p, "-")
	pages := strings.Split(strings.TrimRight(all, "\f"), "\f")
	require.Greater(t, len(pages), 3)
	seen := 0
	for i, pg := range pages {
		if strings.Contains(pg, "@quangninh.gov.vn") && strings.Contains(pg, "0912000") {
			seen++
			assert.True(t, strings.Contains(pg, "STT") && strings.Contains(pg, "Ngày sinh"),
				"page %d repeats the header row", i+1)
		}
		if i > 0 {
			assert.Equal(t, itoa(i+1), strings.TrimSpace(strings.SplitN(strings.TrimLeft(pg, "\n "), "\n", 2)[0]),
				"page %d is numbered at the top", i+1)
		}
	}
	assert.Greater(t, seen, 2)
	for _, want := range []string{"tb001", "0912000001", "tb120", "@quangninh.gov.vn", "0912000120", "022185000120"} {
		assert.True(t, strings.Contains(all, want), "extracted text holds %q", want)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
