package layout_test

import (
	"bytes"
	"context"
	"crypto"
	"image"
	"image/png"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
	"github.com/kyso-go/kyso/signature"
)

// signer signs documents for the end-to-end tests with the test PKI's keys.
type signer struct {
	t       *testing.T
	pki     *certstatustest.PKI
	checker *certstatus.Checker
	dir     string
	n       int
}

func newSigner(t *testing.T) *signer {
	pki := certstatustest.NewPKI(t)
	transport := &http.Transport{Proxy: nil}
	t.Cleanup(transport.CloseIdleConnections)
	checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(pki.Root.Cert),
		HTTPClient: &http.Client{Transport: transport}, Timeout: 10 * time.Second})
	dir := t.TempDir()
	if d := os.Getenv("KYSO_LAYOUT_KEEP"); d != "" {
		dir = d // keep the signed documents to look at them
	}
	return &signer{t: t, pki: pki, checker: checker, dir: dir}
}

// sign places spec in doc, signs it with h at time at, checks the output with pdfsig,
// qpdf and kyso's verifier, and returns it.
func (s *signer) sign(doc []byte, h *certstatustest.Holder, spec layout.Spec, at time.Time) ([]byte, *layout.Placement) {
	t := s.t
	t.Helper()
	ctx := context.Background()
	p, err := layout.Place(ctx, bytes.NewReader(doc), int64(len(doc)), spec)
	require.NoError(t, err)
	var out bytes.Buffer
	s.n++
	_, err = signature.Sign(ctx, &out, bytes.NewReader(doc), int64(len(doc)), h.Key, h.Chain, &signature.SignOptions{
		Time: at, Hash: crypto.SHA256, NewField: "Chữ ký " + strconv.Itoa(s.n),
		Widget: &signature.Widget{Page: p.Page, Rect: p.Rect, Appearance: p},
	})
	require.NoError(t, err)
	signed := out.Bytes()
	s.check(doc, signed)
	return signed, p
}

// check runs the independent checkers, kyso's verifier and layout.Check on a signed
// document; before is the document that was signed.
func (s *signer) check(before, doc []byte) {
	t := s.t
	t.Helper()
	path := s.write(doc)
	out, err := exec.Command("pdfsig", path).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.NotContains(t, string(out), "Signature is Invalid", string(out))
	assert.Equal(t, strings.Count(string(out), "Signature Validation: Signature is Valid."), strings.Count(string(out), "Signature #"), string(out))
	q, err := exec.Command("qpdf", "--check", path).CombinedOutput()
	require.NoError(t, err, string(q))
	assert.Contains(t, string(q), "No syntax or stream encoding errors found")

	rep, err := signature.Verify(context.Background(), bytes.NewReader(doc), int64(len(doc)),
		&signature.VerifyOptions{Roots: s.pki.Roots(), Revocation: s.checker})
	require.NoError(t, err)
	for _, sig := range rep.Signatures {
		if !assert.Equal(t, signature.TotalPassed, sig.Indication, "%s: %s %s", sig.Field, sig.Indication, sig.SubIndication) {
			var b bytes.Buffer
			rep.WriteText(&b, "en")
			t.Log(b.String())
		}
	}

	// layout.Check passes what layout placed: signing breaks no rule of severity
	// error that the document did not already break (the test documents' own thể
	// thức is not layout's to judge here), and every visible signature is read back
	// with a role.
	for _, f := range newErrors(t, before, doc) {
		assert.Fail(t, "layout.Check flags layout's own output", "%s page %d %s: %s (measured %s; accepted %s)", f.Rule, f.Page, f.Field, f.Message, f.Measured, f.Accepted)
	}
	lr, err := layout.Check(context.Background(), bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	for _, ms := range lr.Measurement.Signatures {
		assert.NotEmpty(t, ms.Role, "role of %s", ms.Field)
	}
}

// newErrors returns the findings of severity error that layout.Check reports on after
// and not on before (by rule, signature field and page).
func newErrors(t *testing.T, before, after []byte) []layout.Finding {
	t.Helper()
	check := func(b []byte) *layout.Report {
		rep, err := layout.Check(context.Background(), bytes.NewReader(b), int64(len(b)), nil)
		require.NoError(t, err)
		return rep
	}
	type key struct {
		rule, field string
		page        int
	}
	had := map[key]bool{}
	for _, f := range check(before).Failed() {
		had[key{f.Rule, f.Field, f.Page}] = true
	}
	var out []layout.Finding
	for _, f := range check(after).Failed() {
		if f.Severity == layout.SeverityError && !had[key{f.Rule, f.Field, f.Page}] {
			out = append(out, f)
		}
	}
	return out
}

func (s *signer) write(doc []byte) string {
	p := filepath.Join(s.dir, "doc"+strconv.Itoa(s.n)+"-"+strconv.Itoa(len(doc))+".pdf")
	require.NoError(s.t, os.WriteFile(p, doc, 0o644))
	return p
}

// box is a rectangle in page pixels (origin top left).
type box struct{ x0, y0, x1, y1 float64 }

func (b box) w() float64  { return b.x1 - b.x0 }
func (b box) h() float64  { return b.y1 - b.y0 }
func (b box) cx() float64 { return (b.x0 + b.x1) / 2 }
func (b box) cy() float64 { return (b.y0 + b.y1) / 2 }

const renderDPI = 100.0

// pxPerMM converts millimetres to pixels of the rendering.
const pxPerMM = renderDPI / 25.4

// render rasterises one page with pdftoppm.
func render(t *testing.T, path string, page int) image.Image {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", strconv.Itoa(int(renderDPI)), "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-png", "-singlefile", path, prefix)
	f, err := os.Open(prefix + ".png")
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	return img
}

// inkBox returns the bounding box of the pixels that match, and how many there are.
func inkBox(img image.Image, match func(r, g, b uint8) bool) (box, int) {
	bb := img.Bounds()
	out := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	n := 0
	for y := bb.Min.Y; y < bb.Max.Y; y++ {
		for x := bb.Min.X; x < bb.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if match(uint8(r>>8), uint8(g>>8), uint8(b>>8)) {
				n++
				out.x0, out.y0 = math.Min(out.x0, float64(x)), math.Min(out.y0, float64(y))
				out.x1, out.y1 = math.Max(out.x1, float64(x+1)), math.Max(out.y1, float64(y+1))
			}
		}
	}
	return out, n
}

func isBlue(r, g, b uint8) bool {
	return int(b) > 110 && int(b)-int(r) > 60 && int(b)-int(g) > 40
}
func isRed(r, g, b uint8) bool { return r > 150 && int(r)-int(g) > 80 && int(r)-int(b) > 80 }
func isDark(r, g, b uint8) bool {
	return r < 110 && g < 110 && b < 110
}

var reWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

type word struct {
	b    box // points, origin top left
	text string
}

// words returns pdftotext's word boxes of a page (an independent text extractor).
func words(t *testing.T, path string, page int) []word {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), path, "-")
	var ws []word
	for _, m := range reWord.FindAllStringSubmatch(out, -1) {
		f := func(i int) float64 { v, _ := strconv.ParseFloat(m[i], 64); return v }
		ws = append(ws, word{box{f(1), f(2), f(3), f(4)}, m[5]})
	}
	return ws
}

// phrase finds the words of s in sequence (after skipping n earlier matches) and
// returns their union, in pixels.
func phrase(t *testing.T, ws []word, s string, skip int) box {
	t.Helper()
	want := strings.Fields(s)
	for i := range ws {
		if i+len(want) > len(ws) {
			break
		}
		ok := true
		for j, w := range want {
			ok = ok && ws[i+j].text == w
		}
		if !ok {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		b := ws[i].b
		for j := range want {
			c := ws[i+j].b
			b = box{math.Min(b.x0, c.x0), math.Min(b.y0, c.y0), math.Max(b.x1, c.x1), math.Max(b.y1, c.y1)}
		}
		k := renderDPI / 72
		return box{b.x0 * k, b.y0 * k, b.x1 * k, b.y1 * k}
	}
	t.Fatalf("%q not found by pdftotext", s)
	return box{}
}

// within restricts an image to a box (in pixels).
type within struct {
	image.Image
	r image.Rectangle
}

func (w within) Bounds() image.Rectangle { return w.r.Intersect(w.Image.Bounds()) }

// checkSignerAndSeal measures the rendered signer block: blue ink between the title's
// bottom and the name's top, centred on them within 3 mm; the red seal at its real
// size within 10 %, covering 20–45 % of the signer image's width on its left.
func checkSignerAndSeal(t *testing.T, path string, page int, title, name string, skip int, sealMM float64) {
	// skip counts earlier blocks with the same title.
	t.Helper()
	ws := words(t, path, page)
	tb := phrase(t, ws, title, skip)
	nb := phrase(t, ws, name, 0)
	img := render(t, path, page)
	// Look only at the signer's column, between the title's top and well below the
	// name.
	col := image.Rect(int(math.Min(tb.x0, nb.x0)-40*pxPerMM), int(tb.y0), int(math.Max(tb.x1, nb.x1)+10*pxPerMM), int(nb.y1+20*pxPerMM))
	blue, n := inkBox(within{img, col}, isBlue)
	require.Greater(t, n, 50, "blue ink of the signature")
	assert.GreaterOrEqual(t, blue.y0, tb.y1-1, "the signature starts below the title")
	assert.LessOrEqual(t, blue.y1, nb.y0+1, "the signature ends above the name")
	textCX := (tb.cx() + nb.cx()) / 2
	assert.InDelta(t, textCX, blue.cx(), 3*pxPerMM, "centred on the title and name")
	assert.InDelta(t, (tb.y1+nb.y0)/2, blue.cy(), 3*pxPerMM, "centred between the title and the name")
	if sealMM == 0 {
		return
	}
	red, n := inkBox(within{img, col}, isRed)
	require.Greater(t, n, 50, "red ink of the seal")
	assert.InEpsilon(t, sealMM*pxPerMM, red.w(), 0.10, "seal width at its real size")
	assert.InEpsilon(t, sealMM*pxPerMM, red.h(), 0.10, "seal height at its real size")
	covered := (red.x1 - blue.x0) / blue.w()
	assert.GreaterOrEqual(t, covered, 0.20, "the seal covers about a third of the signature")
	assert.LessOrEqual(t, covered, 0.45, "the seal covers about a third of the signature")
	assert.Less(t, red.cx(), blue.x0+blue.w()/2, "on its left")
}

func TestSignerAndSealOnLibreOfficeExports(t *testing.T) {
	needTool(t, "pdftoppm", "pdftotext", "pdfsig", "qpdf")
	s := newSigner(t)
	sig, seal := layouttest.SignaturePNG(300), layouttest.SealPNG(36, 300)
	at := time.Now().Truncate(time.Second)
	cases := []struct {
		doc, title, name string
		lastTitle        string // the title line right above the gap, as pdftotext reads it
		page             int
	}{
		{"decision", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Nguyễn Văn Thắng", "PHÓ CHỦ TỊCH", 2},
		{"landscape", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "Nguyễn Văn Thắng", "CHỦ TỊCH", 1},
	}
	for _, c := range cases {
		t.Run(c.doc, func(t *testing.T) {
			s.t = t
			doc := exported(t, c.doc)
			lead, p := s.sign(doc, s.pki.Leader, layout.Spec{Kind: layout.Signer, Image: sig, SignerTitle: c.title, SignerName: c.name}, at)
			assert.Equal(t, c.page, p.Page)
			assert.Empty(t, p.Warnings)
			checkSignerAndSeal(t, s.write(lead), c.page, c.lastTitle, c.name, 0, 0)

			// The seal, after the leader's signature, found from it.
			sealed, sp := s.sign(lead, s.pki.Org, layout.Spec{Kind: layout.Seal, Image: seal, SignerTitle: c.title, SignerName: c.name}, at.Add(time.Second))
			assert.Equal(t, c.page, sp.Page)
			assert.Equal(t, p.Rect, sp.SignerImage, "the seal goes with the leader's signature widget")
			checkSignerAndSeal(t, s.write(sealed), c.page, c.lastTitle, c.name, 0, 36)
		})
	}
}

// A joint document (văn bản liên tịch): two signer blocks side by side on one page,
// each seal with its own signer.
func TestJointDocumentPairsEachSealWithItsSigner(t *testing.T) {
	needTool(t, "pdftoppm", "pdftotext", "pdfsig", "qpdf")
	s := newSigner(t)
	sig, seal := layouttest.SignaturePNG(300), layouttest.SealPNG(30, 300)
	at := time.Now().Truncate(time.Second)
	doc := exported(t, "joint")
	finance := layout.Spec{SignerTitle: "KT. BỘ TRƯỞNG BỘ TÀI CHÍNH\nTHỨ TRƯỞNG", SignerName: "Trần Thị Hương"}
	home := layout.Spec{SignerTitle: "KT. BỘ TRƯỞNG BỘ NỘI VỤ\nTHỨ TRƯỞNG", SignerName: "Lê Minh Đức"}
	step := func(doc []byte, h *certstatustest.Holder, base layout.Spec, kind layout.Kind, img []byte, n int) ([]byte, *layout.Placement) {
		base.Kind, base.Image = kind, img
		return s.sign(doc, h, base, at.Add(time.Duration(n)*time.Second))
	}
	d1, p1 := step(doc, s.pki.Leader, finance, layout.Signer, sig, 0)
	d2, p2 := step(d1, s.pki.Deputy, home, layout.Signer, sig, 1)
	d3, s1 := step(d2, s.pki.Org, finance, layout.Seal, seal, 2)
	d4, s2 := step(d3, s.pki.Org, home, layout.Seal, seal, 3)
	assert.Equal(t, p1.Rect, s1.SignerImage)
	assert.Equal(t, p2.Rect, s2.SignerImage)
	path := s.write(d4)
	checkSignerAndSeal(t, path, 1, "THỨ TRƯỞNG", "Trần Thị Hương", 0, 30)
	checkSignerAndSeal(t, path, 1, "THỨ TRƯỞNG", "Lê Minh Đức", 1, 30)
	// Without the signer's name the seal cannot tell which of the two it goes with.
	_, err := layout.Place(context.Background(), bytes.NewReader(d2), int64(len(d2)), layout.Spec{Kind: layout.Seal, Image: seal})
	assert.ErrorIs(t, err, layout.ErrAnchorAmbiguous)
	assert.Contains(t, err.Error(), "Chữ ký 1")
}

func TestStampsOnAttachmentAndCopy(t *testing.T) {
	needTool(t, "pdftoppm", "pdftotext", "pdfsig", "qpdf")
	s := newSigner(t)
	at := time.Date(2026, 12, 7, 0, 3, 45, 0, time.UTC) // 07:03:45 in Vietnam
	cases := []struct {
		name string
		doc  func(t *testing.T) []byte
		spec layout.Spec
		want string
	}{
		{"attachment", func(t *testing.T) []byte { return exported(t, "appendix") },
			layout.Spec{Kind: layout.Attachment, DocNumber: "41/2022/QĐ-UBND"}, "Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00"},
		{"copy", func(t *testing.T) []byte { return exported(t, "decision") },
			layout.Spec{Kind: layout.Copy, CopyForm: "sao y", OrgName: "Ủy ban nhân dân tỉnh Quảng Ninh"}, "SAO Y; Ủy ban nhân dân tỉnh Quảng Ninh; 2026-12-07T07:03:45+07:00"},
		{"copy of a landscape page", func(t *testing.T) []byte { return exported(t, "landscape") },
			layout.Spec{Kind: layout.Copy, CopyForm: "TRÍCH SAO", OrgName: "Sở Nội vụ tỉnh Hà Tĩnh"}, "TRÍCH SAO; Sở Nội vụ tỉnh Hà Tĩnh; 2026-12-07T07:03:45+07:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.t = t
			doc := c.doc(t)
			signed, p := s.sign(doc, s.pki.Org, c.spec, at)
			assert.Equal(t, 1, p.Page)
			path := s.write(signed)
			cmd := exec.Command("pdftotext", "-f", "1", "-l", "1", path, "-")
			cmd.Env = append(os.Environ(), "TZ=UTC")
			out, err := cmd.Output()
			require.NoError(t, err)
			assert.Contains(t, strings.Split(string(out), "\n"), c.want, "pdftotext returns the stamp line exactly")

			// In the top-right corner: black text in the top margin, right of the
			// middle, reaching into the right margin.
			img := render(t, path, 1)
			b := img.Bounds()
			band := image.Rect(b.Dx()/2, 0, b.Dx(), int(math.Round(20*pxPerMM)))
			ink, n := inkBox(within{img, band}, isDark)
			require.Greater(t, n, 30)
			assert.Greater(t, ink.x1, float64(b.Dx())-15*pxPerMM, "reaches into the right margin")
			assert.Less(t, ink.y1, 20*pxPerMM, "in the top margin")
			ws := words(t, path, 1)
			size := ws[0].b.h()
			for _, w := range ws {
				if w.text == "2026-12-07T07:03:45+07:00" {
					size = w.b.h()
				}
			}
			assert.InDelta(t, 10*(0.891+0.216), size, 0.5, "10 pt")
		})
	}
}

func imageRect(x0, y0, x1, y1 int) image.Rectangle { return image.Rect(x0, y0, x1, y1) }
