package forms

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/fonts"
)

// This file is a compact PDF 1.7 writer: pages of text, lines and rectangles, with the
// four Liberation Serif faces embedded as subset Type0/CIDFontType2 fonts (Identity-H,
// /CIDToGIDMap /Identity, a /ToUnicode CMap). pdfcpu v0.15 can embed TrueType fonts
// only after converting them into .gob files in a process-wide user font directory
// (font.UserFontDir, loaded once per process), which a library must not impose on its
// callers; hence this writer.

// A4 in points.
const (
	pageWidth  = 595.276
	pageHeight = 841.890
	mm         = 72 / 25.4
)

type fontStyle = fonts.Style

type pdfPage struct {
	content bytes.Buffer
	used    [4]bool
	w, h    float64 // media box size in points
}

type pdfDoc struct {
	faces [4]*fonts.Font
	usage [4]*fonts.Usage
	pages []*pdfPage
	// missing records the first character drawn that the font lacks, and where.
	missing     rune
	missingText string
}

func newPDFDoc() (*pdfDoc, error) {
	d := &pdfDoc{}
	for s := fonts.Regular; s <= fonts.BoldItalic; s++ {
		f, err := fonts.LiberationSerif(s)
		if err != nil {
			return nil, err
		}
		d.faces[s] = f
		d.usage[s] = fonts.NewUsage(f)
	}
	return d, nil
}

func (d *pdfDoc) newPage(w, h float64) *pdfPage {
	p := &pdfPage{w: w, h: h}
	d.pages = append(d.pages, p)
	return p
}

// num writes a PDF real number; NaN and infinities, which PDF has no syntax for,
// become 0 so that a layout bug can never make the file unreadable.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// text draws s with its baseline starting at (x, y).
func (d *pdfDoc) text(p *pdfPage, st fontStyle, size, x, y float64, s string) {
	if s == "" {
		return
	}
	s = norm.NFC.String(s)
	if miss := d.faces[st].HasGlyphs(s); len(miss) > 0 && d.missing == 0 {
		d.missing, d.missingText = miss[0], s
	}
	p.used[st] = true
	fmt.Fprintf(&p.content, "BT /F%d %s Tf %s %s Td <%X> Tj ET\n", int(st), num(size), num(x), num(y),
		d.usage[st].Encode(s))
}

func (d *pdfDoc) width(st fontStyle, size float64, s string) float64 {
	return d.faces[st].StringWidth(s, size)
}

func (p *pdfPage) line(x1, y1, x2, y2, w float64) {
	fmt.Fprintf(&p.content, "%s w %s %s m %s %s l S\n", num(w), num(x1), num(y1), num(x2), num(y2))
}

func (p *pdfPage) rect(x, y, w, h, lw float64) {
	fmt.Fprintf(&p.content, "%s w %s %s %s %s re S\n", num(lw), num(x), num(y), num(w), num(h))
}

// pdfInfo is the document information dictionary.
type pdfInfo struct {
	Title, Subject, Creator string
	Created                 time.Time
}

func pdfTextString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

func deflate(data []byte) []byte {
	var b bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&b, zlib.DefaultCompression)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

// writeTo serialises the document with a classic cross-reference table.
func (d *pdfDoc) writeTo(w io.Writer, info pdfInfo) error {
	var out bytes.Buffer
	var offsets []int
	next := 1
	alloc := func() int { n := next; next++; offsets = append(offsets, 0); return n }
	obj := func(n int, body string) {
		offsets[n-1] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	stream := func(n int, dict string, data []byte) {
		offsets[n-1] = out.Len()
		z := deflate(data)
		fmt.Fprintf(&out, "%d 0 obj\n<< %s /Filter /FlateDecode /Length %d >>\nstream\n", n, dict, len(z))
		out.Write(z)
		out.WriteString("\nendstream\nendobj\n")
	}
	out.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	catalog, pagesObj, infoObj := alloc(), alloc(), alloc()

	// Fonts actually used.
	var fontRef [4]int
	var used [4]bool
	for _, p := range d.pages {
		for s, u := range p.used {
			used[s] = used[s] || u
		}
	}
	for s := range 4 {
		if !used[s] {
			continue
		}
		u, f := d.usage[s], d.faces[s]
		prog, err := u.Subset()
		if err != nil {
			return err
		}
		fd := f.Descriptor()
		name := u.Tag() + "+" + f.PostScriptName()
		type0, cid, desc, file, tounicode := alloc(), alloc(), alloc(), alloc(), alloc()
		fontRef[s] = type0
		obj(type0, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
			name, cid, tounicode))
		obj(cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW %d /W [%s] >>",
			name, desc, u.DefaultWidth(), u.Widths()))
		obj(desc, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %s /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %d 0 R >>",
			name, fd.Flags, fd.BBox[0], fd.BBox[1], fd.BBox[2], fd.BBox[3],
			num(fd.ItalicAngle), fd.Ascent, fd.Descent, fd.CapHeight, fd.StemV, file))
		stream(file, fmt.Sprintf("/Length1 %d", len(prog)), prog)
		stream(tounicode, "", u.ToUnicodeCMap())
	}

	var kids []string
	for _, p := range d.pages {
		pg, content := alloc(), alloc()
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
		var res strings.Builder
		for s := range 4 {
			if p.used[s] {
				fmt.Fprintf(&res, " /F%d %d 0 R", s, fontRef[s])
			}
		}
		obj(pg, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources << /Font <<%s >> >> /Contents %d 0 R >>",
			pagesObj, num(p.w), num(p.h), res.String(), content))
		stream(content, "", p.content.Bytes())
	}
	obj(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(d.pages)))
	obj(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /Lang (vi-VN) >>", pagesObj))
	infoDict := fmt.Sprintf("<< /Title %s /Subject %s /Creator %s /Producer (kyso forms)",
		pdfTextString(info.Title), pdfTextString(info.Subject), pdfTextString(info.Creator))
	if !info.Created.IsZero() {
		t := info.Created.In(vietnam)
		infoDict += fmt.Sprintf(" /CreationDate (D:%s+07'00')", t.Format("20060102150405"))
	}
	obj(infoObj, infoDict+" >>")

	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", next)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", next, catalog, infoObj, xref)
	_, err := w.Write(out.Bytes())
	return err
}
