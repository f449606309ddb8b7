package pdftest

import (
	"bytes"
	"fmt"

	"github.com/kyso-go/kyso/internal/pdf"
)

// The generated documents' page size (A4) in points: their /MediaBox is
// [0 0 PageWidth PageHeight].
const (
	PageWidth  = 595
	PageHeight = 842
)

// Title is the /Title of the generated documents' /Info.
const Title = "kyso test document"

// sampleDoc builds the standard two-page document; extra, when non-nil, is called
// with the builder, the catalog and the first page before they are stored.
func sampleDoc(extra func(b *builder, cat, page1 pdf.Dict, page1Ref pdf.Ref)) (*builder, pdf.Dict) {
	b := &builder{}
	catRef := b.add(nil)
	rootRef := b.add(nil)
	midRef := b.add(nil)
	p1Ref := b.add(nil)
	p2Ref := b.add(nil)
	font := b.add(pdf.Dict{"Type": pdf.Name("Font"), "Subtype": pdf.Name("Type1"), "BaseFont": pdf.Name("Helvetica")})
	c1 := b.add(&pdf.Stream{Dict: pdf.Dict{"Filter": pdf.Name("FlateDecode")},
		Data: deflate([]byte("BT /F1 24 Tf 72 760 Td (Hello kyso, page 1) Tj ET\n"))})
	c2 := b.add(&pdf.Stream{Dict: pdf.Dict{}, Data: []byte("BT /F1 24 Tf 72 760 Td (Page 2) Tj ET\n")})
	info := b.add(pdf.Dict{"Title": pdf.TextString(Title), "Author": pdf.TextString("Nguyễn Văn Lĩnh"),
		"Producer": pdf.String("kyso pdftest")})
	cat := pdf.Dict{"Type": pdf.Name("Catalog"), "Pages": rootRef}
	b.set(rootRef, pdf.Dict{"Type": pdf.Name("Pages"), "Kids": pdf.Array{midRef}, "Count": pdf.Integer(2),
		"MediaBox":  pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(595), pdf.Integer(842)},
		"Resources": pdf.Dict{"Font": pdf.Dict{"F1": font}}})
	b.set(midRef, pdf.Dict{"Type": pdf.Name("Pages"), "Parent": rootRef, "Kids": pdf.Array{p1Ref, p2Ref}, "Count": pdf.Integer(2)})
	p1 := pdf.Dict{"Type": pdf.Name("Page"), "Parent": midRef, "Contents": c1}
	b.set(p2Ref, pdf.Dict{"Type": pdf.Name("Page"), "Parent": midRef, "Contents": c2, "Rotate": pdf.Integer(90)})
	if extra != nil {
		extra(b, cat, p1, p1Ref)
	}
	b.set(p1Ref, p1)
	b.set(catRef, cat)
	return b, pdf.Dict{"Root": catRef, "Info": info, "ID": pdf.Array{pdf.HexString("kyso-pdftest-id0"), pdf.HexString("kyso-pdftest-id0")}}
}

// Classic returns a two-page PDF 1.7 file with a classic cross-reference table.
func Classic() []byte {
	b, tr := sampleDoc(nil)
	return b.write(layoutTable, tr)
}

// XRefStream returns the two-page document with a cross-reference stream (Flate, PNG Up
// predictor) and every object stored directly.
func XRefStream() []byte {
	b, tr := sampleDoc(nil)
	return b.write(layoutStream, tr)
}

// ObjectStreams returns the two-page document with its non-stream objects in an object
// stream and a cross-reference stream.
func ObjectStreams() []byte {
	b, tr := sampleDoc(nil)
	return b.write(layoutObjStm, tr)
}

// Hybrid returns the two-page document as a hybrid-reference file: a classic table for
// the directly stored objects whose trailer's /XRefStm points at an xref stream for the
// objects in an object stream.
func Hybrid() []byte {
	b, tr := sampleDoc(nil)
	return b.write(layoutHybrid, tr)
}

// SignatureFieldName is the name of the empty signature field of WithSignatureField.
const SignatureFieldName = "Chữ ký 1"

// WithSignatureField returns the two-page document (classic table) with an AcroForm
// holding one empty, visible signature field named SignatureFieldName on page 1
// (its widget merged with the field), and one text field "Ghi chú".
func WithSignatureField() []byte {
	b, tr := sampleDoc(func(b *builder, cat, page1 pdf.Dict, p1 pdf.Ref) {
		sig := b.add(pdf.Dict{"FT": pdf.Name("Sig"), "T": pdf.TextString(SignatureFieldName),
			"Type": pdf.Name("Annot"), "Subtype": pdf.Name("Widget"), "F": pdf.Integer(4), "P": p1,
			"Rect": pdf.Array{pdf.Integer(350), pdf.Integer(80), pdf.Integer(550), pdf.Integer(160)}})
		note := b.add(nil)
		widget := b.add(pdf.Dict{"Type": pdf.Name("Annot"), "Subtype": pdf.Name("Widget"), "Parent": note, "P": p1,
			"Rect": pdf.Array{pdf.Integer(72), pdf.Integer(600), pdf.Integer(300), pdf.Integer(620)}})
		b.set(note, pdf.Dict{"FT": pdf.Name("Tx"), "T": pdf.TextString("Ghi chú"), "Kids": pdf.Array{widget},
			"DA": pdf.String("/Helv 10 Tf 0 g")})
		page1["Annots"] = pdf.Array{sig, widget}
		helv := b.add(pdf.Dict{"Type": pdf.Name("Font"), "Subtype": pdf.Name("Type1"), "BaseFont": pdf.Name("Helvetica"),
			"Encoding": pdf.Name("WinAnsiEncoding")})
		cat["AcroForm"] = pdf.Dict{"Fields": pdf.Array{sig, note}, "DA": pdf.String("/Helv 0 Tf 0 g"),
			"DR": pdf.Dict{"Font": pdf.Dict{"Helv": helv}}}
	})
	return b.write(layoutTable, tr)
}

// Incremental returns Classic followed by two incremental updates (three revisions):
// the first changes the /Info title, the second adds a text annotation to page 1. Each
// update's cross-reference is a classic table.
func Incremental() []byte {
	return incremental(Classic())
}

// IncrementalXRefStream is like Incremental but starts from ObjectStreams, so every
// section is an xref stream.
func IncrementalXRefStream() []byte {
	return incremental(ObjectStreams())
}

func incremental(base []byte) []byte {
	out := base
	for step := 1; step <= 2; step++ {
		d, err := pdf.Open(bytes.NewReader(out), int64(len(out)), nil)
		if err != nil {
			panic("pdftest: reopening generated file: " + err.Error())
		}
		u := d.NewUpdate()
		switch step {
		case 1:
			infoRef := d.Trailer().Get("Info").(pdf.Ref)
			io, _ := d.Get(infoRef)
			info := io.(pdf.Dict).Clone()
			info["Title"] = pdf.TextString("kyso test document, revision 2")
			u.Set(infoRef, info)
		case 2:
			pages, err := d.Pages()
			if err != nil {
				panic("pdftest: pages of generated file: " + err.Error())
			}
			annot := u.Add(pdf.Dict{"Type": pdf.Name("Annot"), "Subtype": pdf.Name("Text"),
				"Rect":     pdf.Array{pdf.Integer(72), pdf.Integer(700), pdf.Integer(92), pdf.Integer(720)},
				"Contents": pdf.TextString("Ghi chú: đã xem")})
			p := pages[0].Dict.Clone()
			p["Annots"] = pdf.Array{annot}
			u.Set(pages[0].Ref, p)
		}
		b, err := u.Bytes()
		if err != nil {
			panic("pdftest: update of generated file: " + err.Error())
		}
		out = append(out[:len(out):len(out)], b...)
	}
	return out
}

// OnePage returns a one-page document of about size bytes (at least a few KB): its
// page content is uncompressed text, 200 KB for OnePage(200 << 10).
func OnePage(size int) []byte {
	var content bytes.Buffer
	content.WriteString("BT /F1 9 Tf 40 800 Td 11 TL\n")
	for i := 0; content.Len() < size-1500; i++ {
		fmt.Fprintf(&content, "(Dong %06d: Cong hoa xa hoi chu nghia Viet Nam - Doc lap - Tu do - Hanh phuc) '\n", i)
	}
	content.WriteString("ET\n")
	b := &builder{}
	cat := b.add(nil)
	pages := b.add(nil)
	page := b.add(nil)
	font := b.add(pdf.Dict{"Type": pdf.Name("Font"), "Subtype": pdf.Name("Type1"), "BaseFont": pdf.Name("Helvetica")})
	c := b.add(&pdf.Stream{Dict: pdf.Dict{}, Data: content.Bytes()})
	b.set(cat, pdf.Dict{"Type": pdf.Name("Catalog"), "Pages": pages})
	b.set(pages, pdf.Dict{"Type": pdf.Name("Pages"), "Kids": pdf.Array{page}, "Count": pdf.Integer(1)})
	b.set(page, pdf.Dict{"Type": pdf.Name("Page"), "Parent": pages, "Contents": c,
		"MediaBox":  pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(595), pdf.Integer(842)},
		"Resources": pdf.Dict{"Font": pdf.Dict{"F1": font}}})
	return b.write(layoutTable, pdf.Dict{"Root": cat})
}
