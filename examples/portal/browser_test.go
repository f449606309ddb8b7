package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// chromium starts headless Chromium (Debian's package) for one test, at a phone's
// width, with the flags this machine's closed network needs. Without Chromium the test
// fails under CI and is skipped elsewhere.
func chromium(t *testing.T, width, height int) context.Context {
	t.Helper()
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed (Debian package chromium); bash .ci/test installs it")
		}
		t.Skip("chromium is not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first call starts the browser and must not carry a time-out (it would stop
	// the browser); later calls are bounded by step.
	require.NoError(t, chromedp.Do(ctx), "starting chromium")
	// A phone's viewport: the window alone cannot be narrower than 500 px.
	step(t, ctx, chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateMobile))
	return ctx
}

// step runs one browser action within a minute.
func step[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	require.NoError(t, err)
	return v
}

// visibleSigned signs a document with a visible widget on page 1.
func visibleSigned(t *testing.T, pki *certstatustest.PKI) []byte {
	t.Helper()
	in := pdftest.Classic()
	var out bytes.Buffer
	_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), pki.Leader.Key, pki.Leader.Chain,
		&signature.SignOptions{NewField: "Lãnh đạo ký", Widget: &signature.Widget{Page: 1, Rect: [4]float64{350, 80, 550, 160}}})
	require.NoError(t, err)
	return out.Bytes()
}

// TestBrowserVerificationPage drives the verification page in headless Chromium at a
// phone's width (375 px): the file input has a label, the page never scrolls sideways,
// the chosen file's name is shown, a valid signature reads HỢP LỆ with its place on the
// page drawn, and a broken one shows its reason in Vietnamese (English beside it) on
// the card itself, without opening the collapsed details.
func TestBrowserVerificationPage(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ts := startPortal(t, pki, nil)
	ctx := chromium(t, 375, 812)

	dir := t.TempDir()
	good := visibleSigned(t, pki)
	goodPath := filepath.Join(dir, "quyết-định-đã-ký.pdf")
	require.NoError(t, os.WriteFile(goodPath, good, 0o600))
	// Tamper with the signed content: one byte of the first page's text.
	bad := bytes.Clone(good)
	i := bytes.Index(bad, []byte("Hello"))
	require.Positive(t, i, "the test document's text")
	bad[i] = 'J'
	badPath := filepath.Join(dir, "bi-sua.pdf")
	require.NoError(t, os.WriteFile(badPath, bad, 0o600))

	step(t, ctx, chromedp.Navigate(ts.URL+"/"))
	label := step(t, ctx, chromedp.Text(chromedp.CSS(`label[for="pdf"]`)))
	assert.Contains(t, label, "Tệp PDF cần kiểm tra")
	assert.False(t, step(t, ctx, chromedp.Evaluate[bool](sideways)), "the upload page scrolls sideways at 375 px")

	upload := func(path string) (verdict, reasons, file string, overflow bool, boxes int) {
		step(t, ctx, chromedp.Steps(
			chromedp.Navigate(ts.URL+"/"),
			chromedp.SetUploadFiles(chromedp.CSS(`#pdf`), []string{path}),
			chromedp.Click(chromedp.CSS(`button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`section.card`)),
		))
		verdict = step(t, ctx, chromedp.Text(chromedp.CSS(`section.card .verdict`)))
		file = step(t, ctx, chromedp.Text(chromedp.CSS(`p.file`)))
		reasons = step(t, ctx, chromedp.Evaluate[string](`(document.querySelector('section.card .reasons')||{innerText:''}).innerText`))
		overflow = step(t, ctx, chromedp.Evaluate[bool](sideways))
		boxes = step(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('figure svg rect.sig').length`))
		return
	}

	verdict, reasons, file, overflow, boxes := upload(goodPath)
	assert.Contains(t, verdict, "HỢP LỆ")
	assert.NotContains(t, verdict, "KHÔNG")
	assert.Contains(t, verdict, "Lãnh đạo ký")
	assert.Empty(t, reasons, "a valid signature needs no reason")
	assert.Contains(t, file, "quyết-định-đã-ký.pdf")
	assert.False(t, overflow, "the result page scrolls sideways at 375 px")
	assert.Equal(t, 1, boxes, "the signature's box is drawn on its page")
	// The picture is of the page itself: its text is drawn (as grey bars, where
	// layout.Measure found the lines), not an empty frame, and the bars stay inside it.
	marks := step(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('figure svg rect.mark').length`))
	assert.Positive(t, marks, "the page's text lines are drawn in its picture")
	outside := step(t, ctx, chromedp.Evaluate[int](`(() => { let n = 0; for (const f of document.querySelectorAll('figure svg')) {
		const vb = f.viewBox.baseVal; for (const r of f.querySelectorAll('rect.mark')) {
		const x = r.x.baseVal.value, y = r.y.baseVal.value, w = r.width.baseVal.value, h = r.height.baseVal.value;
		if (x < 0 || y < 0 || x + w > vb.width + 1 || y + h > vb.height + 1) n++ } } return n })()`))
	assert.Zero(t, outside, "every drawn line lies on the page")
	layoutText := step(t, ctx, chromedp.Text(chromedp.CSS(`section.layout`)))
	assert.Contains(t, layoutText, "Nghị định 30/2020")
	assert.Contains(t, layoutText, "quy tắc đạt", "layout.Check's findings are shown beside the verdicts")

	verdict, reasons, _, overflow, _ = upload(badPath)
	assert.Contains(t, verdict, "KHÔNG HỢP LỆ")
	assert.NotEmpty(t, reasons, "the reason is on the card, not only in the details")
	assert.True(t, strings.ContainsAny(reasons, "ảịọ"), "the reason is in Vietnamese: %q", reasons)
	assert.NotContains(t, reasons, "%!", "no formatting residue: %q", reasons)
	assert.False(t, overflow)

	if out := os.Getenv("KYSO_PORTAL_SCREENSHOT"); out != "" {
		png := step(t, ctx, chromedp.FullScreenshot(100))
		require.NoError(t, os.WriteFile(out, png, 0o644))
	}
}

// sideways is true when the page is wider than the window: the reader would have to
// scroll horizontally.
const sideways = `document.documentElement.scrollWidth > window.innerWidth`

// TestBrowserErrorPages: an unknown page and a wrong method are pages in the portal's
// style, in Vietnamese, with a way back.
func TestBrowserErrorPages(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ts := startPortal(t, pki, nil)
	ctx := chromium(t, 375, 812)
	step(t, ctx, chromedp.Navigate(ts.URL+"/khong-co"))
	assert.Contains(t, step(t, ctx, chromedp.Text(chromedp.CSS(`h1`))), "Không tìm thấy trang")
	assert.Contains(t, step(t, ctx, chromedp.Text(chromedp.CSS(`p.error`))), "/khong-co")
	assert.Equal(t, 1, step(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('a[href="/"]').length`)))
	// A result page reloaded or bookmarked goes back to the form.
	step(t, ctx, chromedp.Navigate(ts.URL+"/verify"))
	assert.Equal(t, ts.URL+"/", step(t, ctx, chromedp.Evaluate[string](`location.href`)))
	assert.Equal(t, 1, step(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[type=file]').length`)))
}
