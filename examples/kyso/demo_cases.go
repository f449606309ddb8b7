package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
)

// demoAppendixDef is the demo's appendix in a separate file, a form definition added
// to the forms registry as an agency adds its own (forms.Registry.Load).
//
//go:embed demo_phu-luc.json
var demoAppendixDef embed.FS

// demoAppendixForm is its identifier.
const demoAppendixForm = "demo/phu-luc"

// demoCopyingOrg is the copying organisation written in the SAO Y stamp.
const demoCopyingOrg = "Ủy ban nhân dân tỉnh Quảng Ninh"

// demoRenderAppendix renders the letter's appendix, in a file of its own, for the
// letter numbered number.
func demoRenderAppendix(number string, now time.Time) ([]byte, error) {
	reg, err := forms.NewRegistry()
	if err != nil {
		return nil, err
	}
	if err := reg.Load(demoAppendixDef); err != nil {
		return nil, err
	}
	def, err := reg.Definition(demoAppendixForm)
	if err != nil {
		return nil, err
	}
	data := *def.Sample
	data.Header.Number = number
	data.Header.Date = forms.FormatDate(now)
	var b bytes.Buffer
	if _, err := def.RenderDocument(&b, &data, forms.RenderOptions{Validate: &forms.ValidateOptions{Now: now}, Created: now}); err != nil {
		return nil, fmt.Errorf("rendering the appendix: %w", err)
	}
	return b.Bytes(), nil
}

// demoScanDPI is the resolution of the scanned paper page (Nghị định 30/2020 Phụ lục I
// Phần II: at least 200 dpi, in colour).
const demoScanDPI = 200

// demoScannedPDF draws what a scanner returns for an A4 paper letter at demoScanDPI —
// off-white paper, dark lines of text, a blue signature under a red seal — and makes
// it the image-only PDF an electronic copy starts from (kyso.ScannedPDF). TEST ONLY.
func demoScannedPDF(now time.Time) ([]byte, error) {
	w, h := 210*demoScanDPI*10/254, 297*demoScanDPI*10/254
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{246, 244, 236, 255}}, image.Point{}, draw.Src)
	ink := &image.Uniform{color.RGBA{38, 38, 46, 255}}
	mm := func(v float64) int { return int(v * demoScanDPI / 25.4) }
	bar := func(x0, y0, x1 float64) {
		draw.Draw(img, image.Rect(mm(x0), mm(y0), mm(x1), mm(y0)+mm(2.2)), ink, image.Point{}, draw.Src)
	}
	bar(30, 22, 90)
	bar(35, 28, 85)
	bar(105, 22, 195)
	bar(118, 28, 182)
	bar(85, 50, 125)
	bar(50, 56, 160)
	for i := range 22 {
		x1 := 195.0
		if i%6 == 5 {
			x1 = 140
		}
		bar(30, 70+float64(i)*7, x1)
	}
	bar(125, 232, 175)
	bar(132, 276, 168)
	for _, p := range []struct {
		png  []byte
		x, y float64
	}{{layouttest.SignaturePNG(demoScanDPI), 130, 245}, {layouttest.SealPNG(demoSealMM, demoScanDPI), 112, 238}} {
		im, err := png.Decode(bytes.NewReader(p.png))
		if err != nil {
			return nil, err
		}
		draw.Draw(img, im.Bounds().Add(image.Pt(mm(p.x), mm(p.y))), im, im.Bounds().Min, draw.Over)
	}
	var page bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&page, img); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := kyso.ScannedPDF(&out, [][]byte{layouttest.WithDPI(page.Bytes(), demoScanDPI)}, &kyso.ScanOptions{Title: "Bản số hóa văn bản giấy", Created: now}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// demoCheckDir makes sure dir is a directory the demo can write in, before any work.
func demoCheckDir(dir string) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("thư mục kết quả là một tệp / the output directory %s is a file", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("không tạo được thư mục kết quả / cannot create the output directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".kyso-demo-write-test-*")
	if err != nil {
		return fmt.Errorf("không ghi được vào thư mục kết quả / cannot write in the output directory: %w", err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// demoLayoutVerdict checks a signed output against the layout rules of Nghị định 30
// (layout.Check, as "kyso layout check" does): the broken rules of severity error, or
// none.
func demoLayoutVerdict(ctx context.Context, doc []byte) ([]string, error) {
	rep, err := layout.Check(ctx, bytes.NewReader(doc), int64(len(doc)), &layout.CheckOptions{SealDiameterMM: demoSealMM})
	if err != nil {
		return nil, err
	}
	var broken []string
	for _, f := range rep.Failed() {
		if f.Severity == layout.SeverityError {
			broken = append(broken, f.Rule)
		}
	}
	return broken, nil
}

// demoRender writes a PNG of page of the PDF at path with pdftoppm, when it is
// installed: the file name is the PDF's with "-trang-N.png". It returns the PNG's path,
// or "" when pdftoppm is missing.
func demoRender(ctx context.Context, path string, page int) (string, error) {
	tool, err := exec.LookPath("pdftoppm")
	if err != nil {
		return "", nil
	}
	prefix := strings.TrimSuffix(path, filepath.Ext(path)) + fmt.Sprintf("-trang-%d", page)
	out, err := exec.CommandContext(ctx, tool, "-r", "100", "-png", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), "-singlefile", path, prefix).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("pdftoppm %s: %w: %s", path, err, out)
	}
	return prefix + ".png", nil
}
