package layout_test

import (
	"bytes"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
)

// rotatedLetter is a portrait page stored as a landscape MediaBox displayed with
// /Rotate 90 (as some scanners and converters write), its text upright on screen: the
// signer block must be found and the signature drawn upright where the reader sees it.
func rotatedLetter() []byte {
	// A displayed point (x, y) is the user point (842 - y, x); upright text runs along
	// the user y axis.
	var c bytes.Buffer
	text := func(font string, size, x, y float64, s string) {
		fmt.Fprintf(&c, "BT /%s %g Tf 0 1 -1 0 %.2f %.2f Tm (%s) Tj ET\n", font, size, 842-y, x, s)
	}
	text("F1", 13, 85, 760, "QUYET DINH ve viec ky so van ban dien tu")
	for i := 0; i < 12; i++ {
		text("F1", 13, 85, 720-float64(i)*18, fmt.Sprintf("Dieu %d. Giao So Noi vu chu tri trien khai viec ky so.", i+1))
	}
	text("F2", 14, 375, 440, "TM. UY BAN NHAN DAN")
	text("F2", 14, 412, 424, "CHU TICH")
	text("F2", 14, 392, 340, "Nguyen Van Thang")
	content := c.String()
	return pdftest.Hand(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Rotate 90 /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
		"stream:"+content,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold /Encoding /WinAnsiEncoding >>",
	)
}

func TestRotatedPage(t *testing.T) {
	needTool(t, "pdftoppm", "pdftotext", "pdfsig", "qpdf")
	s := newSigner(t)
	at := time.Now().Truncate(time.Second)
	doc := rotatedLetter()
	spec := layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(300), SignerTitle: "TM. UY BAN NHAN DAN\nCHU TICH", SignerName: "Nguyen Van Thang"}
	lead, p := s.sign(doc, s.pki.Leader, spec, at)
	assert.Greater(t, p.Rect[3]-p.Rect[1], p.Rect[2]-p.Rect[0], "in user space the widget of an upright, wide signature is tall")
	spec.Kind, spec.Image = layout.Seal, layouttest.SealPNG(36, 300)
	sealed, sp := s.sign(lead, s.pki.Org, spec, at.Add(time.Second))
	assert.Equal(t, p.Rect, sp.SignerImage)
	checkSignerAndSeal(t, s.write(sealed), 1, "CHU TICH", "Nguyen Van Thang", 0, 36)

	stamped, _ := s.sign(doc, s.pki.Org, layout.Spec{Kind: layout.Attachment, DocNumber: "41/2022/QĐ-UBND"}, at)
	img := render(t, s.write(stamped), 1)
	b := img.Bounds()
	assert.Less(t, b.Dx(), b.Dy(), "displayed portrait")
	ink, n := inkBox(within{img, imageRect(b.Dx()/2, 0, b.Dx(), int(math.Round(20*pxPerMM)))}, isDark)
	assert.Greater(t, n, 30, "the stamp in the top-right corner as displayed")
	assert.Less(t, ink.h(), 6*pxPerMM, "one upright line, not a column")
}
