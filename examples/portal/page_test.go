package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/signature"
)

// signThroughPortal runs prepare and complete and returns the signed document.
func signThroughPortal(t *testing.T, url string, h *certstatustest.Holder, in []byte, extra map[string]string) []byte {
	t.Helper()
	prep := prepareDoc(t, url, h, in, extra)
	done := completeDoc(t, url, prep.State, clientSign(t, h, prep), in)
	require.Equal(t, http.StatusOK, done.Status, "%s", done.Body)
	return done.Body
}

func getPage(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	return resp.StatusCode, string(b)
}

// testVerificationPage: the page is in Vietnamese, shows what Thông tư 15/2025 asks
// for on every card, and escapes what the document says about itself.
func testVerificationPage(t *testing.T, pki *certstatustest.PKI) {
	ts := startPortal(t, pki, nil)

	code, page := getPage(t, ts.URL+"/")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, `<html lang="vi">`)
	assert.Contains(t, page, "Kiểm tra chữ ký số trên tài liệu PDF")
	assert.Contains(t, page, `enctype="multipart/form-data"`)
	assert.NotContains(t, page, "<script")
	assert.NotContains(t, page, "http://", "no external asset")

	evil := `<script>alert("xss")</script><img src=x onerror=alert(1)>`
	signed := signThroughPortal(t, ts.URL, pki.Leader, pdftest.Classic(), map[string]string{"field": evil, "reason": "Ký duyệt & ban hành"})
	a := postMultipart(t, ts.URL+"/verify", map[string][]byte{"pdf": signed}, "pdf")
	require.Equal(t, http.StatusOK, a.Status, "%s", a.Body)
	html := string(a.Body)
	assert.NotContains(t, html, "<script>", "the field name must be escaped")
	assert.NotContains(t, html, "<img")
	assert.Contains(t, html, "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;")
	assert.Contains(t, html, "Ký duyệt &amp; ban hành")
	for _, want := range []string{
		"HỢP LỆ",
		"Tổ chức cung cấp dịch vụ chứng thực (CA)", pki.CA.Cert.Subject.CommonName,
		"Người ký", pki.Leader.Cert.Subject.CommonName,
		"Đơn vị quản lý",
		"Thời điểm ký", "do người ký khai báo",
		"Tính toàn vẹn của tài liệu",
		"Hiệu lực chứng thư số tại thời điểm ký",
		"Thời hạn hiệu lực của chứng thư số", fmtTime(pki.Leader.Cert.NotAfter),
	} {
		assert.Contains(t, html, htmlEscaped(want))
	}
	assert.NotContains(t, html, "Cảnh báo: không kiểm tra được trạng thái", "the test PKI's OCSP answered")
	if unit := pki.Leader.Cert.Subject.OrganizationalUnit; len(unit) > 0 {
		assert.Contains(t, html, htmlEscaped(unit[0]))
	}

	t.Run("status unknown shows a warning", func(t *testing.T) {
		offline := startPortal(t, pki, func(c *Config) { c.Offline = true })
		a := postMultipart(t, offline.URL+"/verify", map[string][]byte{"pdf": signed}, "pdf")
		require.Equal(t, http.StatusOK, a.Status)
		assert.Contains(t, string(a.Body), "Cảnh báo: không kiểm tra được trạng thái")
	})
	t.Run("not a PDF", func(t *testing.T) {
		a := postMultipart(t, ts.URL+"/verify", map[string][]byte{"pdf": []byte("<b>not a pdf</b>")}, "pdf")
		assert.Equal(t, http.StatusBadRequest, a.Status)
		assert.Contains(t, string(a.Body), "không phải tệp PDF đọc được")
		assert.NotContains(t, string(a.Body), "<b>not")
	})
	t.Run("unsigned PDF", func(t *testing.T) {
		a := postMultipart(t, ts.URL+"/verify", map[string][]byte{"pdf": pdftest.Classic()}, "pdf")
		assert.Equal(t, http.StatusUnprocessableEntity, a.Status)
		assert.Contains(t, string(a.Body), "Tài liệu không có chữ ký số")
	})
	t.Run("unsigned PDF, JSON API", func(t *testing.T) {
		a := post(t, ts.URL+"/api/verify", "application/pdf", pdftest.Classic())
		require.Equal(t, http.StatusUnprocessableEntity, a.Status)
		assert.Equal(t, codeNoSignatures, a.Error.Code)
	})
	t.Run("too large", func(t *testing.T) {
		a := postMultipart(t, ts.URL+"/verify", map[string][]byte{"pdf": make([]byte, 5<<20)}, "pdf")
		assert.Equal(t, http.StatusRequestEntityTooLarge, a.Status)
		assert.Contains(t, string(a.Body), "vượt quá giới hạn")
		assert.Contains(t, string(a.Body), "Kiểm tra chữ ký số trên tài liệu PDF", "the page, with the form to try again")
	})
	t.Run("no file", func(t *testing.T) {
		a := postMultipart(t, ts.URL+"/verify", map[string][]byte{}, "pdf")
		assert.Equal(t, http.StatusBadRequest, a.Status)
		assert.Contains(t, string(a.Body), "Chưa chọn tệp PDF")
	})
}

// htmlEscaped escapes s as html/template does in text.
func htmlEscaped(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

// TestPageMarks: the picture of a page draws its measured lines and images with y
// turned downwards, bounds their number, and draws nothing on a page it cannot place
// them on (rotated, or measured at another size).
func TestPageMarks(t *testing.T) {
	page := layout.MeasuredPage{Number: 1, Width: 595, Height: 842,
		Lines:  []layout.MeasuredLine{{BBox: [4]float64{72, 760, 300, 784}}},
		Images: []layout.MeasuredImage{{BBox: [4]float64{100, 100, 200, 150}}}}
	m := &layout.Measurement{Pages: []layout.MeasuredPage{page}}
	marks := pageMarks(m, 1, 0, 595, 842)
	require.Len(t, marks, 2)
	assert.Equal(t, pageMark{X: 100, Y: 692, W: 100, H: 50, Image: true}, marks[0])
	assert.Equal(t, pageMark{X: 72, Y: 66, W: 228, H: 16}, marks[1], "a line is a bar over the lower two thirds of its box")

	assert.Empty(t, pageMarks(m, 1, 90, 595, 842), "rotated page")
	assert.Empty(t, pageMarks(m, 1, 0, 842, 595), "measured at another size")
	assert.Empty(t, pageMarks(m, 2, 0, 595, 842), "no such page")
	assert.Empty(t, pageMarks(nil, 1, 0, 595, 842), "not measured")

	many := page
	many.Lines = make([]layout.MeasuredLine, 5000)
	for i := range many.Lines {
		many.Lines[i].BBox = [4]float64{72, 100, 80, 108}
	}
	assert.Len(t, pageMarks(&layout.Measurement{Pages: []layout.MeasuredPage{many}}, 1, 0, 595, 842), maxPageMarks)
}

// TestVerificationPageCertification: a certification (DocMDP) signature is flagged on
// its card with what it allows after it, in Vietnamese and English; an approval
// signature is not.
func TestVerificationPageCertification(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ts := startPortal(t, pki, nil)
	for _, tc := range []struct {
		name    string
		certify signature.DocMDPPermission
		want    string
	}{
		{"no changes", signature.DocMDPNoChanges, "Chữ ký chứng nhận (DocMDP P=1): không cho phép thay đổi nào sau khi ký / certification: no changes allowed"},
		{"form filling", signature.DocMDPFormFilling, "Chữ ký chứng nhận (DocMDP P=2): chỉ cho phép điền biểu mẫu và ký / certification: form filling and signing allowed"},
		{"approval", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := pdftest.Classic()
			var out bytes.Buffer
			_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), pki.Leader.Key, pki.Leader.Chain,
				&signature.SignOptions{NewField: "Chứng nhận", Certify: tc.certify})
			require.NoError(t, err)
			a := postMultipart(t, ts.URL+"/verify", map[string][]byte{"pdf": out.Bytes()}, "pdf")
			require.Equal(t, http.StatusOK, a.Status, "%s", a.Body)
			html := string(a.Body)
			if tc.want == "" {
				assert.NotContains(t, html, `class="badge"`)
				return
			}
			assert.Contains(t, html, `<div class="badge">`+htmlEscaped(tc.want)+`</div>`)
		})
	}
}

// A signature that carries a time-stamp the verifier could not validate shows its
// claimed time with that said, not "no time-stamp".
func TestMakeCardTimestampThatProvesNothing(t *testing.T) {
	claimed := time.Date(2024, 3, 4, 12, 25, 31, 0, time.UTC)
	s := &signature.SignatureReport{Kind: signature.KindSignature, Indication: signature.Indeterminate, ClaimedTime: &claimed,
		Checks: []signature.Check{{Name: signature.CheckTimestamp, Result: signature.CheckIndeterminate, MessageVI: "không kiểm tra được"}}}
	c := makeCard(1, s)
	assert.Contains(t, c.TimeSource, "dấu thời gian kèm theo không chứng minh được")
	s.Checks = nil
	assert.Contains(t, makeCard(1, s).TimeSource, "không có dấu thời gian")
}
