package pdftest

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"

	"github.com/kyso-go/kyso/internal/pdf"
)

// Image geometry of WriteImageHeavy: 1024×512 RGB, 8 bits, uncompressed (1.5 MiB).
const (
	imageWidth  = 1024
	imageHeight = 512
	imageBytes  = imageWidth * imageHeight * 3
)

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// WriteImageHeavy writes to w an image-heavy document of about size bytes (at least one
// page): one page per 1.5 MiB uncompressed pseudo-random RGB image, with a classic
// cross-reference table. It holds only the object offsets in memory, never the file, so
// it can generate files of any size. The output is deterministic.
func WriteImageHeavy(w io.Writer, size int64) error {
	pages := int(size / (imageBytes + 600))
	if pages < 1 {
		pages = 1
	}
	cw := &countingWriter{w: bufio.NewWriterSize(w, 64<<10)}
	// Objects: 1 catalog, 2 pages root, then per page i: page, content, image.
	n := 2 + 3*pages
	offsets := make([]int64, n+1)
	obj := func(num int, o pdf.Object) error {
		offsets[num] = cw.n
		b := fmt.Appendf(nil, "%d 0 obj\n", num)
		b = pdf.AppendObject(b, o)
		b = append(b, "\nendobj\n"...)
		_, err := cw.Write(b)
		return err
	}
	if _, err := cw.Write([]byte(header)); err != nil {
		return err
	}
	kids := make(pdf.Array, pages)
	for i := range kids {
		kids[i] = pdf.Ref{Num: 3 + 3*i}
	}
	if err := obj(1, pdf.Dict{"Type": pdf.Name("Catalog"), "Pages": pdf.Ref{Num: 2}}); err != nil {
		return err
	}
	if err := obj(2, pdf.Dict{"Type": pdf.Name("Pages"), "Kids": kids, "Count": pdf.Integer(pages),
		"MediaBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(595), pdf.Integer(842)}}); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	chunk := make([]byte, 64<<10)
	for i := 0; i < pages; i++ {
		page, content, img := 3+3*i, 4+3*i, 5+3*i
		if err := obj(page, pdf.Dict{"Type": pdf.Name("Page"), "Parent": pdf.Ref{Num: 2}, "Contents": pdf.Ref{Num: content},
			"Resources": pdf.Dict{"XObject": pdf.Dict{"Im0": pdf.Ref{Num: img}}}}); err != nil {
			return err
		}
		if err := obj(content, &pdf.Stream{Dict: pdf.Dict{}, Data: []byte("q 555 0 0 277 20 500 cm /Im0 Do Q\n")}); err != nil {
			return err
		}
		offsets[img] = cw.n
		hdr := fmt.Appendf(nil, "%d 0 obj\n", img)
		hdr = pdf.AppendObject(hdr, pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Image"),
			"Width": pdf.Integer(imageWidth), "Height": pdf.Integer(imageHeight), "ColorSpace": pdf.Name("DeviceRGB"),
			"BitsPerComponent": pdf.Integer(8), "Length": pdf.Integer(imageBytes)})
		hdr = append(hdr, "\nstream\n"...)
		if _, err := cw.Write(hdr); err != nil {
			return err
		}
		for left := imageBytes; left > 0; {
			k := min(left, len(chunk))
			for j := 0; j+8 <= k; j += 8 {
				v := rng.Uint64()
				for b := 0; b < 8; b++ {
					chunk[j+b] = byte(v >> (8 * b))
				}
			}
			if _, err := cw.Write(chunk[:k]); err != nil {
				return err
			}
			left -= k
		}
		if _, err := cw.Write([]byte("\nendstream\nendobj\n")); err != nil {
			return err
		}
	}
	return writeTail(cw, offsets, n)
}

// WriteTextPages writes to w a text document of the given number of pages, each with an
// uncompressed content stream of about pageBytes bytes of text lines, in a two-level
// page tree (nodes of at most 100 pages under the root), with a classic
// cross-reference table: 10,000 pages of 10 KB make the ~100 MB document of the
// benchmarks. Like WriteImageHeavy it holds only the object offsets in memory. The
// output is deterministic.
func WriteTextPages(w io.Writer, pages, pageBytes int) error {
	pages = max(pages, 1)
	const fanout = 100
	nodes := (pages + fanout - 1) / fanout
	cw := &countingWriter{w: bufio.NewWriterSize(w, 64<<10)}
	// Objects: 1 catalog, 2 pages root, 3 font, then the nodes, then per page: page
	// and content.
	firstNode := 4
	firstPage := firstNode + nodes
	n := firstPage + 2*pages - 1
	offsets := make([]int64, n+1)
	obj := func(num int, o pdf.Object) error {
		offsets[num] = cw.n
		b := fmt.Appendf(nil, "%d 0 obj\n", num)
		b = pdf.AppendObject(b, o)
		b = append(b, "\nendobj\n"...)
		_, err := cw.Write(b)
		return err
	}
	if _, err := cw.Write([]byte(header)); err != nil {
		return err
	}
	nodeKids := make(pdf.Array, nodes)
	for i := range nodeKids {
		nodeKids[i] = pdf.Ref{Num: firstNode + i}
	}
	if err := obj(1, pdf.Dict{"Type": pdf.Name("Catalog"), "Pages": pdf.Ref{Num: 2}}); err != nil {
		return err
	}
	if err := obj(2, pdf.Dict{"Type": pdf.Name("Pages"), "Kids": nodeKids, "Count": pdf.Integer(pages),
		"MediaBox":  pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(595), pdf.Integer(842)},
		"Resources": pdf.Dict{"Font": pdf.Dict{"F1": pdf.Ref{Num: 3}}}}); err != nil {
		return err
	}
	if err := obj(3, pdf.Dict{"Type": pdf.Name("Font"), "Subtype": pdf.Name("Type1"), "BaseFont": pdf.Name("Helvetica")}); err != nil {
		return err
	}
	for i := 0; i < nodes; i++ {
		var kids pdf.Array
		for p := i * fanout; p < min(pages, (i+1)*fanout); p++ {
			kids = append(kids, pdf.Ref{Num: firstPage + 2*p})
		}
		if err := obj(firstNode+i, pdf.Dict{"Type": pdf.Name("Pages"), "Parent": pdf.Ref{Num: 2}, "Kids": kids,
			"Count": pdf.Integer(len(kids))}); err != nil {
			return err
		}
	}
	var content []byte
	for p := 0; p < pages; p++ {
		page, c := firstPage+2*p, firstPage+2*p+1
		if err := obj(page, pdf.Dict{"Type": pdf.Name("Page"), "Parent": pdf.Ref{Num: firstNode + p/fanout},
			"Contents": pdf.Ref{Num: c}}); err != nil {
			return err
		}
		content = append(content[:0], "BT /F1 9 Tf 40 800 Td 11 TL\n"...)
		for l := 0; len(content) < pageBytes-100; l++ {
			content = fmt.Appendf(content, "(Trang %05d dong %03d: Cong hoa xa hoi chu nghia Viet Nam) '\n", p+1, l)
		}
		content = append(content, "ET\n"...)
		if err := obj(c, &pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(len(content))}, Data: content}); err != nil {
			return err
		}
	}
	return writeTail(cw, offsets, n)
}

// writeTail ends a generated document: a classic cross-reference table for objects
// 1…n at offsets, the trailer (catalog 1 0 R) and startxref, then flushes.
func writeTail(cw *countingWriter, offsets []int64, n int) error {
	xref := cw.n
	b := fmt.Appendf(nil, "xref\n0 %d\n0000000000 65535 f\r\n", n+1)
	for num := 1; num <= n; num++ {
		b = fmt.Appendf(b, "%010d 00000 n\r\n", offsets[num])
	}
	b = append(b, "trailer\n"...)
	b = pdf.AppendObject(b, pdf.Dict{"Size": pdf.Integer(n + 1), "Root": pdf.Ref{Num: 1}})
	b = append(b, "\nstartxref\n"+strconv.FormatInt(xref, 10)+"\n%%EOF\n"...)
	if _, err := cw.Write(b); err != nil {
		return err
	}
	return cw.w.Flush()
}
