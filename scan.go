package kyso

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/kyso-go/kyso/internal/typeset"
)

// MinScanDPI is the lowest resolution of a digitised copy (bản số hóa): Nghị định
// 30/2020/NĐ-CP Phụ lục I Phần II asks for PDF 1.4 or later, in colour, at 200 dpi
// or more and 100 % scale.
const MinScanDPI = 200

// MaxScanPages bounds the pages of one ScannedPDF.
const MaxScanPages = 1000

// ErrScan marks a scanned page ScannedPDF cannot use: not a PNG or JPEG, too large,
// without a resolution, or under MinScanDPI.
var ErrScan = errors.New("kyso: unusable scanned page")

// ScanOptions controls ScannedPDF.
type ScanOptions struct {
	// DPI is the resolution of pages that declare none (PNG pHYs, JPEG JFIF density);
	// 0 refuses such pages. A page declaring a resolution keeps its own.
	DPI float64
	// Title and Created go into the document information (Created in Vietnam time).
	Title   string
	Created time.Time
}

// ScannedPDF writes the scanned paper pages (PNG or JPEG images, one per page) to w
// as the image-only PDF an electronic copy of a paper document starts from (Nghị
// định 30/2020/NĐ-CP Phụ lục I Phần II mục I): PDF 1.7, each page exactly the size of
// its image at the image's resolution (100 % scale), the samples as they were
// scanned, colour kept. The copying organisation then signs it with the copy stamp
// at ô 14 (layout.Copy).
//
// A page under MinScanDPI, or whose resolution is unknown and opts.DPI unset, is an
// error matching ErrScan, and nothing is written. ScannedPDF does not check that a
// page is in colour: a greyscale scan is written as it is (layout.Check reports it).
func ScannedPDF(w io.Writer, pages [][]byte, opts *ScanOptions) error {
	var o ScanOptions
	if opts != nil {
		o = *opts
	}
	if len(pages) == 0 || len(pages) > MaxScanPages {
		return fmt.Errorf("%w: %d pages (want 1 to %d)", ErrScan, len(pages), MaxScanPages)
	}
	doc, err := typeset.New(nil)
	if err != nil {
		return err
	}
	for i, data := range pages {
		img, err := typeset.DecodeImage(data)
		if err != nil {
			return fmt.Errorf("%w: page %d: %v", ErrScan, i+1, err)
		}
		dx, dy := img.DPIX, img.DPIY
		if dx <= 0 || dy <= 0 {
			dx, dy = o.DPI, o.DPI
		}
		if dx <= 0 {
			return fmt.Errorf("%w: page %d declares no resolution and ScanOptions.DPI is not set", ErrScan, i+1)
		}
		if dx < MinScanDPI-0.5 || dy < MinScanDPI-0.5 {
			return fmt.Errorf("%w: page %d is scanned at %.0f × %.0f dpi, under the %d dpi of Nghị định 30/2020 (trang số hóa dưới %d dpi)", ErrScan, i+1, dx, dy, MinScanDPI, MinScanDPI)
		}
		pw, ph := float64(img.Width)*72/dx, float64(img.Height)*72/dy
		p := doc.NewPage(pw, ph)
		doc.Image(p, img, 0, 0, pw, ph)
	}
	return doc.WriteTo(w, typeset.Info{Title: o.Title, Producer: "kyso", Created: o.Created})
}
