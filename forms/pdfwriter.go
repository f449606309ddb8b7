package forms

import (
	"time"

	"github.com/kyso-go/kyso/internal/typeset"
)

// Forms are set with the typesetter that forms and layout share (internal/typeset): a
// compact PDF 1.7 writer with the four Liberation Serif faces embedded as subset
// Type0/CIDFontType2 fonts (Identity-H, /ToUnicode). pdfcpu v0.15 can embed TrueType
// fonts only after converting them into .gob files in a process-wide user font
// directory, which a library must not impose on its callers; hence that writer.

// A4 in points.
const (
	pageWidth  = typeset.A4Width
	pageHeight = typeset.A4Height
	mm         = typeset.MM
)

type fontStyle = typeset.Style

type pdfPage = typeset.Page

// pdfDoc is the document being rendered.
type pdfDoc struct{ *typeset.Doc }

func newPDFDoc() (*pdfDoc, error) {
	d, err := typeset.New(nil)
	if err != nil {
		return nil, err
	}
	return &pdfDoc{d}, nil
}

func (d *pdfDoc) text(p *pdfPage, st fontStyle, size, x, y float64, s string) {
	d.Text(p, st, size, x, y, s)
}

func (d *pdfDoc) width(st fontStyle, size float64, s string) float64 { return d.Width(st, size, s) }

func num(v float64) string { return typeset.Num(v) }

func pdfTextString(s string) string { return typeset.TextString(s) }

// pdfInfo is the document information dictionary.
type pdfInfo struct {
	Title, Subject, Creator string
	Created                 time.Time
}

func (d *pdfDoc) writeTo(buf interface{ Write([]byte) (int, error) }, info pdfInfo) error {
	return d.WriteTo(buf, typeset.Info{Title: info.Title, Subject: info.Subject, Creator: info.Creator,
		Producer: "kyso forms", Created: info.Created})
}
