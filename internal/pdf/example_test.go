package pdf_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// Open a document, read its pages and form fields, and append an incremental update
// that gives the document a Vietnamese title.
func Example() {
	orig := pdftest.WithSignatureField()
	d, err := pdf.Open(bytes.NewReader(orig), int64(len(orig)), nil)
	if err != nil {
		log.Fatal(err)
	}
	pages, err := d.Pages()
	if err != nil {
		log.Fatal(err)
	}
	fields, err := d.Fields()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(pages), "pages; field", fields[0].Name, "of type", fields[0].Type)

	u := d.NewUpdate()
	u.SetInfo(u.Add(pdf.Dict{"Title": pdf.TextString("Quyết định số 12/QĐ-UBND")}))
	cat, err := d.Catalog()
	if err != nil {
		log.Fatal(err)
	}
	cat = cat.Clone() // objects from a Document are shared: copy before changing
	cat["Lang"] = pdf.TextString("vi-VN")
	u.Set(d.Trailer().Get("Root").(pdf.Ref), cat)
	section, err := u.Bytes()
	if err != nil {
		log.Fatal(err)
	}
	updated := append(orig[:len(orig):len(orig)], section...)

	d2, err := pdf.Open(bytes.NewReader(updated), int64(len(updated)), nil)
	if err != nil {
		log.Fatal(err)
	}
	revs := d2.Revisions()
	fmt.Println(len(revs), "revisions; the new one ends at the end of the file:", revs[1].EOF == int64(len(updated)))
	cat2, _ := d2.Catalog()
	lang, _ := pdf.Text(cat2.Get("Lang"))
	info, _ := d2.Resolve(d2.Trailer().Get("Info"))
	title, _ := pdf.Text(info.(pdf.Dict).Get("Title"))
	fmt.Println("language:", lang, "title:", title)
	// Output:
	// 2 pages; field Chữ ký 1 of type Sig
	// 2 revisions; the new one ends at the end of the file: true
	// language: vi-VN title: Quyết định số 12/QĐ-UBND
}

// Text strings are PDFDocEncoding when ASCII and UTF-16BE otherwise; the writer
// escapes the bytes 0x28, 0x29 and 0x5C wherever they occur.
func ExampleTextString() {
	fmt.Printf("%s\n", pdf.AppendObject(nil, pdf.TextString("Ha Noi")))
	fmt.Printf("%q\n", pdf.AppendObject(nil, pdf.TextString("ĩ")))
	// Output:
	// (Ha Noi)
	// "(\xfe\xff\x01\\))"
}

// Find where a text appears on a page.
func ExampleDocument_PageText() {
	b := pdftest.Classic()
	d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), nil)
	if err != nil {
		log.Fatal(err)
	}
	pages, err := d.Pages()
	if err != nil {
		log.Fatal(err)
	}
	spans, err := d.PageText(pages[0])
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range spans {
		fmt.Printf("%q at (%g, %g), %g pt\n", s.Text, s.X, s.Y, s.Size)
	}
	// Output:
	// "Hello kyso, page 1" at (72, 760), 24 pt
}
