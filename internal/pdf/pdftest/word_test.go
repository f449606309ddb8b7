package pdftest_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// TestWordDecision: the Word-shaped decision is a sane PDF — qpdf finds nothing to
// warn about, pdftotext returns the exact Vietnamese text through the bfrange
// /ToUnicode CMaps, and kyso's reader sees Word's two cross-reference sections.
func TestWordDecision(t *testing.T) {
	b := pdftest.WordDecision(pdftest.WordOptions{})
	assert.Equal(t, b, pdftest.WordDecision(pdftest.WordOptions{}), "deterministic")
	assert.NotContains(t, qpdf(t, b, "--check"), "WARNING")
	for _, s := range []string{"xref\r\n0 0\r\ntrailer", "/XRefStm", "/Prev", "/Type /ObjStm", "/StructTreeRoot", "/CIDToGIDMap /Identity",
		"/BCDEEE+TimesNewRomanPSMT", "/MarkInfo", pdftest.WordProducer, "/Lang (vi-VN)", "/Encoding /Identity-H"} {
		assert.Contains(t, string(b), s)
	}

	d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), nil)
	require.NoError(t, err)
	n, err := d.PageCount()
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.False(t, d.Recovered(), "read through its cross-reference sections, not recovered")
	t.Logf("revisions: %+v", d.Revisions())
	p2, err := d.Page(2)
	require.NoError(t, err)
	spans, err := d.PageText(p2)
	require.NoError(t, err)
	var text strings.Builder
	for _, s := range spans {
		text.WriteString(s.Text)
	}
	assert.Contains(t, text.String(), "Nguyễn")
	// The structure tree's parent tree lives in the object stream, reached through
	// the /XRefStm of the last trailer.
	cat, err := d.Catalog()
	require.NoError(t, err)
	root, err := d.Resolve(cat["StructTreeRoot"])
	require.NoError(t, err)
	pt, err := d.Resolve(root.(pdf.Dict)["ParentTree"])
	require.NoError(t, err)
	assert.Len(t, pt.(pdf.Dict)["Nums"], 6)

	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is required under CI")
		}
		t.Skip("pdftotext not installed")
	}
	for page, want := range map[string][]string{
		"1": {"ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 123/QĐ-UBND",
			"Quảng Ninh, ngày 07 tháng 12 năm 2026", "QUYẾT ĐỊNH", "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020"},
		"2": {"Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh", "Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A", "- Lưu: VT, KHCN."},
	} {
		f := filepath.Join(t.TempDir(), "w.pdf")
		require.NoError(t, os.WriteFile(f, b, 0o600))
		out, err := exec.Command(tool, "-f", page, "-l", page, "-layout", f, "-").CombinedOutput()
		require.NoError(t, err, "%s", out)
		for _, s := range want {
			assert.Contains(t, string(out), s, "page %s", page)
		}
	}
}
