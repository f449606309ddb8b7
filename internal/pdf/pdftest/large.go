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
