package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
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

// demoScannedPDF makes the image-only PDF an electronic copy starts from
// (kyso.ScannedPDF) out of a fake scanned A4 letter at demoScanDPI
// (layouttest.ScannedLetterPNG). TEST ONLY.
func demoScannedPDF(now time.Time) ([]byte, error) {
	var out bytes.Buffer
	page := layouttest.ScannedLetterPNG(demoScanDPI, demoSealMM)
	if err := kyso.ScannedPDF(&out, [][]byte{page}, &kyso.ScanOptions{Title: "Bản số hóa văn bản giấy", Created: now}); err != nil {
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
