package main

import (
	"bytes"
	"embed"
	"fmt"
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

// scannedPDF makes the image-only PDF of the scanned page (the digitised copy).
func scannedPDF(now time.Time) ([]byte, error) {
	page := layouttest.ScannedLetterPNG(scanDPI, 36)
	var b bytes.Buffer
	if err := kyso.ScannedPDF(&b, [][]byte{page}, &kyso.ScanOptions{Title: "Bản số hóa văn bản giấy", Created: now}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
