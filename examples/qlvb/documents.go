package main

import (
	"bytes"
	"embed"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io/fs"
	"strings"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/layout/layouttest"
)

// formDefs are the agency's own form definitions, added to the forms registry as an
// agency would (forms.Registry.Load): the decision and its separate appendix.
//
//go:embed forms/*.json
var formDefs embed.FS

// The forms the workflow renders.
const (
	decisionForm = "qlvb/quyet-dinh"
	appendixForm = "qlvb/phu-luc"
)

// The people and bodies of the example (the test PKI's certificates name them).
const (
	issuingBody  = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"
	authorityTag = "TM. ỦY BAN NHÂN DÂN"
	leaderTitle  = "CHỦ TỊCH"
	// signerTitle is ô 7a as printed, for layout's anchor finder.
	signerTitle = authorityTag + "\n" + leaderTitle
)

// decision is one decision to render.
type decision struct {
	Number  string // số và ký hiệu, e.g. "41/QĐ-UBND"
	Subject string
	Body    []string // Điều 1, 2, 3
}

// registry returns the forms registry with the agency's definitions loaded.
func registry() (*forms.Registry, error) {
	reg, err := forms.NewRegistry()
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(formDefs, "forms")
	if err != nil {
		return nil, err
	}
	if err := reg.Load(sub); err != nil {
		return nil, err
	}
	return reg, nil
}

// renderDecision renders d as a decision signed by leaderName (ô 7b), dated now.
func renderDecision(reg *forms.Registry, d decision, leaderName string, now time.Time) ([]byte, error) {
	def, err := reg.Definition(decisionForm)
	if err != nil {
		return nil, err
	}
	data := *def.Sample
	data.Header.Number = d.Number
	data.Header.Date = forms.FormatDate(now)
	data.Header.SignerName = leaderName
	data.Fields = map[string]string{"subject": d.Subject, "article1": d.Body[0], "article2": d.Body[1], "article3": d.Body[2]}
	var b bytes.Buffer
	if _, err := def.RenderDocument(&b, &data, forms.RenderOptions{Validate: &forms.ValidateOptions{Now: now}, Created: now}); err != nil {
		return nil, fmt.Errorf("dự thảo %s / drafting %s: %w", d.Number, d.Number, err)
	}
	return b.Bytes(), nil
}

// renderAppendix renders the appendix of the decision in a separate file.
func renderAppendix(reg *forms.Registry, number string, now time.Time) ([]byte, error) {
	def, err := reg.Definition(appendixForm)
	if err != nil {
		return nil, err
	}
	data := *def.Sample
	data.Header.Number = number
	data.Header.Date = forms.FormatDate(now)
	var b bytes.Buffer
	if _, err := def.RenderDocument(&b, &data, forms.RenderOptions{Validate: &forms.ValidateOptions{Now: now}, Created: now}); err != nil {
		return nil, fmt.Errorf("dự thảo phụ lục / drafting the appendix: %w", err)
	}
	return b.Bytes(), nil
}

// mainDecision is the decision the workflow issues.
func mainDecision() decision {
	return decision{
		Number:  "41/QĐ-UBND",
		Subject: "Về việc ban hành Quy chế quản lý, sử dụng chữ ký số trong cơ quan nhà nước tỉnh Quảng Ninh",
		Body: []string{
			"Ban hành kèm theo Quyết định này Quy chế quản lý, sử dụng chữ ký số trong các cơ quan nhà nước trên địa bàn tỉnh Quảng Ninh (Phụ lục kèm theo).",
			"Quyết định này có hiệu lực kể từ ngày ký.",
			"Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, ban, ngành và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
		},
	}
}

// batchDecision is the i-th decision of the batch folder; the body grows with i, so
// that each signer block sits at another height (layout finds each one).
func batchDecision(i int) decision {
	var extra strings.Builder
	for range i % 4 {
		extra.WriteString(" Các cơ quan, đơn vị báo cáo kết quả thực hiện về Văn phòng Ủy ban nhân dân tỉnh trước ngày 15 hằng tháng.")
	}
	return decision{
		Number:  fmt.Sprintf("%d/QĐ-UBND", 100+i),
		Subject: fmt.Sprintf("Về việc giao chỉ tiêu số hóa hồ sơ thủ tục hành chính năm 2027 cho đơn vị số %d", i+1),
		Body: []string{
			"Giao chỉ tiêu số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm 2027 theo danh mục kèm theo." + extra.String(),
			"Quyết định này có hiệu lực kể từ ngày ký.",
			"Chánh Văn phòng Ủy ban nhân dân tỉnh và Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
		},
	}
}

// scanDPI is the resolution of the scanned paper page: Nghị định 30/2020 Phụ lục I
// Phần II asks for at least 200 dpi.
const scanDPI = 200

// scannedPage draws, in colour, what a scanner returns for an A4 paper letter at
// scanDPI: off-white paper, dark lines of text, a blue signature and the red seal over
// it. It stands in for a real scan (TEST ONLY); the copy made from it is what the
// workflow signs.
func scannedPage() ([]byte, error) {
	w, h := 210*scanDPI*10/254, 297*scanDPI*10/254 // A4 in pixels
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{246, 244, 236, 255}}, image.Point{}, draw.Src)
	ink := &image.Uniform{color.RGBA{38, 38, 46, 255}}
	mm := func(v float64) int { return int(v * scanDPI / 25.4) }
	bar := func(x0, y0, x1 float64) {
		draw.Draw(img, image.Rect(mm(x0), mm(y0), mm(x1), mm(y0)+mm(2.2)), ink, image.Point{}, draw.Src)
	}
	// Header: issuing body left, Quốc hiệu right; the title; the body; the signer block.
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
	paste := func(png []byte, xmm, ymm float64) {
		im, err := decodePNG(png)
		if err != nil {
			return
		}
		draw.Draw(img, im.Bounds().Add(image.Pt(mm(xmm), mm(ymm))), im, im.Bounds().Min, draw.Over)
	}
	paste(layouttest.SignaturePNG(scanDPI), 130, 245)
	paste(layouttest.SealPNG(36, scanDPI), 112, 238)
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		return nil, err
	}
	return layouttest.WithDPI(b.Bytes(), scanDPI), nil
}

func decodePNG(data []byte) (image.Image, error) { return png.Decode(bytes.NewReader(data)) }

// scannedPDF makes the image-only PDF of the scanned page (the digitised copy).
func scannedPDF(now time.Time) ([]byte, error) {
	page, err := scannedPage()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := kyso.ScannedPDF(&b, [][]byte{page}, &kyso.ScanOptions{Title: "Bản số hóa văn bản giấy", Created: now}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
