package layout_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/signature"
)

// ckNeedTool fails under CI and skips elsewhere when an external tool is missing.
func ckNeedTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// ckDecisionFODT is an NĐ 30 decision written as LibreOffice flat ODT: A4, margins
// 20/20/30/15 mm, Times New Roman 14 pt justified body, the header and the signer
// block in borderless tables; long enough for the signer block to fall on page 2.
func ckDecisionFODT(paragraphs int) string {
	var body strings.Builder
	cell := func(style, text string) string {
		return fmt.Sprintf(`<table:table-cell><text:p text:style-name="%s">%s</text:p></table:table-cell>`, style, text)
	}
	body.WriteString(`<table:table table:style-name="Tb"><table:table-column table:style-name="C1"/><table:table-column table:style-name="C2"/>`)
	body.WriteString(`<table:table-row>` + cell("H13", "ỦY BAN NHÂN DÂN") + cell("H12B", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + `</table:table-row>`)
	body.WriteString(`<table:table-row>` + cell("H13B", "TỈNH QUẢNG NINH") + cell("H13B", "Độc lập - Tự do - Hạnh phúc") + `</table:table-row>`)
	body.WriteString(`<table:table-row>` + cell("H13", "Số: 41/2022/QĐ-UBND") + cell("H14I", "Quảng Ninh, ngày 08 tháng 11 năm 2022") + `</table:table-row></table:table>`)
	body.WriteString(`<text:p text:style-name="H14B">QUYẾT ĐỊNH</text:p>`)
	for i := range paragraphs {
		fmt.Fprintf(&body, `<text:p text:style-name="Body">Điều %d. Phê duyệt kế hoạch ứng dụng chữ ký số chuyên dùng công vụ trong các cơ quan nhà nước trên địa bàn tỉnh năm 2026, với những nội dung chủ yếu như sau và giao các sở, ban, ngành tổ chức thực hiện.</text:p>`, i+1)
	}
	body.WriteString(`<table:table table:style-name="Tb"><table:table-column table:style-name="C1"/><table:table-column table:style-name="C2"/>`)
	body.WriteString(`<table:table-row><table:table-cell><text:p text:style-name="Noi">Nơi nhận:</text:p><text:p text:style-name="Small">- Như Điều 3;</text:p><text:p text:style-name="Small">- Lưu: VT.</text:p></table:table-cell>`)
	body.WriteString(`<table:table-cell><text:p text:style-name="H13B">KT. CHỦ TỊCH</text:p><text:p text:style-name="H13B">PHÓ CHỦ TỊCH</text:p>` +
		`<text:p text:style-name="H13B"/><text:p text:style-name="H13B"/><text:p text:style-name="H13B"/><text:p text:style-name="H13B"/>` +
		`<text:p text:style-name="H14B">Nguyễn Văn Ấn</text:p></table:table-cell></table:table-row></table:table>`)
	return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="Times New Roman" svg:font-family="'Times New Roman'" style:font-family-generic="roman"/></office:font-face-decls>
<office:styles><style:style style:name="Standard" style:family="paragraph"><style:text-properties style:font-name="Times New Roman" fo:font-size="14pt"/></style:style></office:styles>
<office:automatic-styles>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" fo:margin-top="20mm" fo:margin-bottom="20mm" fo:margin-left="30mm" fo:margin-right="15mm"/></style:page-layout>
<style:style style:name="Tb" style:family="table"><style:table-properties style:width="165mm" table:align="left"/></style:style>
<style:style style:name="C1" style:family="table-column"><style:table-column-properties style:column-width="70mm"/></style:style>
<style:style style:name="C2" style:family="table-column"><style:table-column-properties style:column-width="95mm"/></style:style>
<style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="justify" fo:text-indent="12.7mm" fo:margin-top="6pt"/></style:style>
<style:style style:name="H12B" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="12pt" fo:font-weight="bold"/></style:style>
<style:style style:name="H13" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="13pt"/></style:style>
<style:style style:name="H13B" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>
<style:style style:name="H14B" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center" fo:margin-top="12pt"/><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>
<style:style style:name="H14I" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="14pt" fo:font-style="italic"/></style:style>
<style:style style:name="Noi" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="12pt" fo:font-weight="bold" fo:font-style="italic"/></style:style>
<style:style style:name="Small" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="11pt"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>
` + body.String() + `
</office:text></office:body></office:document>`
}

// ckSoffice converts a flat ODT source to tagged PDF with LibreOffice.
func ckSoffice(t testing.TB, src string) []byte {
	t.Helper()
	tool := ckNeedTool(t, "soffice")
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.fodt")
	require.NoError(t, os.WriteFile(in, []byte(src), 0o600))
	out, err := exec.Command(tool, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", `pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}`, "--outdir", dir, in).CombinedOutput()
	require.NoError(t, err, "%s", out)
	b, err := os.ReadFile(filepath.Join(dir, "doc.pdf"))
	require.NoError(t, err, "%s", out)
	return b
}

// TestCheckLibreOfficeDecision: a decision exported by LibreOffice (an independent
// producer) is measured — its signer block found on page 2 from the text alone — and,
// once signed with the signer's image in that block and the seal over its left third,
// checked conforming, with the metric clone LibreOffice substitutes for Times New
// Roman reported as a warning.
func TestCheckLibreOfficeDecision(t *testing.T) {
	doc := ckSoffice(t, ckDecisionFODT(20))
	m, err := layout.Measure(context.Background(), bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	require.Len(t, m.Pages, 2, "%v", m.Pages)
	require.Len(t, m.CandidateBlocks, 1, "the signer block")
	blk := m.CandidateBlocks[0]
	assert.Equal(t, 2, blk.Page)
	assert.Equal(t, "Nguyễn Văn Ấn", blk.Name.Text)
	require.Len(t, blk.Title, 2)
	assert.Equal(t, "KT. CHỦ TỊCH", blk.Title[0].Text)
	assert.Equal(t, "PHÓ CHỦ TỊCH", blk.Title[1].Text)

	gap := blk.Gap()
	cx := (blk.Name.BBox[0] + blk.Name.BBox[2]) / 2
	cy := (gap[1] + gap[3]) / 2
	h := (gap[3] - gap[1]) * 0.8
	w := h * 2.5
	pc, pk := ckCert(t, "Nguyễn Văn Ấn", "CCCD:001085012345")
	oc, ok := ckCert(t, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "MST:5700100256")
	signerRect := [4]float64{cx - w/2, cy - h/2, cx + w/2, cy + h/2}
	inkL, inkR := signerRect[0]+w/20, signerRect[2]-w/20
	d := 36 * ckMM
	sealRect := [4]float64{inkL + (inkR-inkL)/3 - d, cy - d/2, inkL + (inkR-inkL)/3, cy + d/2}
	at := time.Date(2026, 12, 7, 7, 3, 45, 0, ckVNZone)
	img := ckSignerImage(600, 240, [3]byte{20, 40, 180})
	seal := ckSealImage(425, [3]byte{220, 20, 30}, false)
	sign := func(in []byte, key ckSig) []byte {
		var out bytes.Buffer
		_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), key.key, []*x509.Certificate{key.cert},
			&signature.SignOptions{Time: at, Widget: &signature.Widget{Page: 2, Rect: key.rect, Appearance: ckImageAppearance(t, *key.img)}})
		require.NoError(t, err)
		return out.Bytes()
	}
	signed := sign(doc, ckSig{rect: signerRect, img: &img, cert: pc, key: pk})
	signed = sign(signed, ckSig{rect: sealRect, img: &seal, cert: oc, key: ok})
	rep := ckCheck(t, signed, &layout.CheckOptions{SealDiameterMM: 36})
	assert.True(t, rep.Conforming(), ckDescribe(rep))
	got := ckFailed(rep)
	require.Contains(t, got, "font.family")
	assert.Equal(t, layout.SeverityWarning, got["font.family"].Severity)
	assert.Contains(t, got["font.family"].Measured, "LiberationSerif")
	for _, r := range []string{"signer.position", "seal.overlap", "seal.side", "seal.size", "page.margins", "body.size", "page.a4"} {
		assert.NotContains(t, got, r)
	}
}
