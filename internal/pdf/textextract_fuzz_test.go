package pdf_test

import (
	"testing"

	"github.com/kyso-go/kyso/internal/pdf"
)

// FuzzPageObjects runs text, image and path extraction over arbitrary content streams
// (with a composite font, a standard font, a form XObject and an image in the
// resources). Errors must be typed; nothing may panic or hang.
func FuzzPageObjects(f *testing.F) {
	for _, s := range []string{
		"BT /F2 10 Tf 5 6 Td <0001000300020004> Tj [<0005> -300 <0001>] TJ ET",
		"q 2 0 0 2 10 20 cm BT /F1 12 Tf 1 0 0 1 72 700 Tm 3 Tr 2 Tc 110 Tz 3 Ts (Hi) ' 1 2 (x) \" T* ET Q",
		"/Artifact <</Type /Pagination>> BDC BT /F1 9 Tf (1) Tj ET EMC /P <</MCID 0>> BDC EMC",
		"0.5 g 1 0 0 RG 0 0 1 0 k /DeviceRGB cs 1 0 0 sc /CS0 CS 0.3 SCN 10 10 m 20 20 l 5 5 10 10 re h S f* B n",
		"q 50 0 0 50 0 0 cm /Im Do Q /Fm Do BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI",
		"BT /F9 10 Tf (no font) Tj ET ( [ << >> ] ) Tj",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		b := rawPDF([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] /Rotate 90 >>",
			"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 9 0 R /F2 5 0 R >> /XObject << /Fm 8 0 R /Im 10 0 R >> /ColorSpace << /CS0 /DeviceGray >> >> >>",
			streamObj("", string(content)),
			"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Kyso /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
			"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Kyso /DW 1000 /W [1 [600 700] 3 5 500] >>",
			streamObj("", toUnicode),
			streamObj("/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [1 0 0 1 100 100] /Resources 3 0 R", string(content)),
			"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
			streamObj("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace [/Indexed /DeviceRGB 0 <ff0000>] /BitsPerComponent 8", "\x00"),
		}, "/Root 1 0 R")
		d, err := pdfOpenLimited(b)
		if err != nil {
			return
		}
		pages, err := d.Pages()
		if err != nil || len(pages) == 0 {
			return
		}
		o, err := d.PageObjects(pages[0])
		if err != nil {
			if !typedErr(err) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		for _, s := range pdf.JoinRuns(o.Text) {
			for _, w := range s.Words() {
				_ = pdf.DisplayBox(pages[0], w.BBox)
			}
		}
	})
}

func pdfOpenLimited(b []byte) (*pdf.Document, error) {
	return pdf.Open(bytesReader(b), int64(len(b)), &pdf.Options{MaxObjects: 20000, MaxStreamSize: 1 << 20, CacheSize: 64})
}
