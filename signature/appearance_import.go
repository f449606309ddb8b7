package signature

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/x509"
	"time"

	"github.com/kyso-go/kyso/internal/pdf"
)

// Limits on a caller's appearance document.
const (
	maxAppearanceSize    = 32 << 20 // bytes of the appearance PDF
	maxAppearanceObjects = 10_000   // objects copied from it
)

// appearanceInput is a caller's Appearance with the request it will be asked.
type appearanceInput struct {
	a      Appearance
	signer *x509.Certificate
	time   time.Time
}

// importAppearance asks the caller's Appearance for a one-page PDF of width × height
// points and adds its first page to the update as a form XObject. On a page displayed
// rotated (/Rotate 90, 180, 270) the appearance is asked in the reader's orientation
// (width and height swapped for 90 and 270) and counter-rotated with the form's
// /Matrix, so that it reads upright on screen.
func (ed *docEdit) importAppearance(ctx context.Context, app *appearanceInput, width, height float64, rotate int) (pdf.Ref, error) {
	if !(width > 0 && height > 0) {
		return pdf.Ref{}, signErr(ErrAppearance, nil, "the widget rectangle is empty (%g × %g points): an invisible field cannot show an appearance; sign it without Widget.Appearance or give a field with a rectangle", width, height)
	}
	w, h := width, height
	if rotate == 90 || rotate == 270 {
		w, h = height, width
	}
	data, err := app.a.AppearancePDF(ctx, w, h, app.signer, app.time)
	if err != nil {
		return pdf.Ref{}, signErr(ErrAppearance, err, "the appearance failed")
	}
	if len(data) > maxAppearanceSize {
		return pdf.Ref{}, signErr(ErrAppearance, nil, "appearance PDF of %d bytes (limit %d)", len(data), maxAppearanceSize)
	}
	// A caller's appearance is bounded like the document: no stream of it may
	// decompress to more than the appearance PDF may weigh.
	src, err := pdf.Open(bytes.NewReader(data), int64(len(data)), &pdf.Options{MaxStreamSize: maxAppearanceSize})
	if err != nil {
		return pdf.Ref{}, signErr(ErrAppearance, err, "the appearance is not a readable PDF")
	}
	pages, err := src.Pages()
	if err != nil || len(pages) == 0 {
		return pdf.Ref{}, signErr(ErrAppearance, err, "the appearance PDF has no page")
	}
	page := pages[0]
	var content []byte
	contents, _ := src.Resolve(page.Dict.Get("Contents"))
	var streams []pdf.Object
	switch c := contents.(type) {
	case *pdf.Stream:
		streams = []pdf.Object{c}
	case pdf.Array:
		streams = c
	}
	for _, so := range streams {
		o, err := src.Resolve(so)
		if err != nil {
			return pdf.Ref{}, signErr(ErrAppearance, err, "reading the appearance content")
		}
		s, ok := o.(*pdf.Stream)
		if !ok {
			continue
		}
		d, err := src.StreamData(s)
		if err != nil {
			return pdf.Ref{}, signErr(ErrAppearance, err, "reading the appearance content")
		}
		if len(content)+len(d) > maxAppearanceSize {
			return pdf.Ref{}, signErr(ErrAppearance, nil, "appearance content over %d bytes once decompressed", maxAppearanceSize)
		}
		content = append(content, d...)
		content = append(content, '\n')
	}
	cp := &objectCopier{src: src, u: ed.u, refs: map[pdf.Ref]pdf.Ref{}}
	res, err := cp.copy(page.Resources, 0)
	if err != nil {
		return pdf.Ref{}, err
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(content)
	zw.Close()
	mb := page.MediaBox
	form := &pdf.Stream{Dict: pdf.Dict{
		"Type":     pdf.Name("XObject"),
		"Subtype":  pdf.Name("Form"),
		"FormType": pdf.Integer(1),
		"BBox":     pdf.Array{pdf.Real(mb[0]), pdf.Real(mb[1]), pdf.Real(mb[2]), pdf.Real(mb[3])},
		"Filter":   pdf.Name("FlateDecode"),
	}, Data: z.Bytes()}
	if res != nil {
		form.Dict["Resources"] = res
	}
	// The viewer maps the transformed BBox onto the widget rectangle, so a pure
	// rotation is enough.
	switch rotate {
	case 90:
		form.Dict["Matrix"] = pdf.Array{pdf.Integer(0), pdf.Integer(1), pdf.Integer(-1), pdf.Integer(0), pdf.Integer(0), pdf.Integer(0)}
	case 180:
		form.Dict["Matrix"] = pdf.Array{pdf.Integer(-1), pdf.Integer(0), pdf.Integer(0), pdf.Integer(-1), pdf.Integer(0), pdf.Integer(0)}
	case 270:
		form.Dict["Matrix"] = pdf.Array{pdf.Integer(0), pdf.Integer(-1), pdf.Integer(1), pdf.Integer(0), pdf.Integer(0), pdf.Integer(0)}
	}
	return ed.u.Add(form), nil
}

// objectCopier deep-copies objects from another document into an update.
type objectCopier struct {
	src  *pdf.Document
	u    *pdf.Update
	refs map[pdf.Ref]pdf.Ref
}

func (c *objectCopier) copy(o pdf.Object, depth int) (pdf.Object, error) {
	if depth > 64 {
		return nil, signErr(ErrAppearance, nil, "appearance objects nest deeper than 64")
	}
	switch v := o.(type) {
	case pdf.Ref:
		if nr, ok := c.refs[v]; ok {
			return nr, nil
		}
		if len(c.refs) >= maxAppearanceObjects {
			return nil, signErr(ErrAppearance, nil, "appearance uses more than %d objects", maxAppearanceObjects)
		}
		obj, err := c.src.Get(v)
		if err != nil {
			return nil, signErr(ErrAppearance, err, "reading appearance object %v", v)
		}
		nr := c.u.Add(nil) // reserve the number first: objects may refer to each other
		c.refs[v] = nr
		cp, err := c.copy(obj, depth+1)
		if err != nil {
			return nil, err
		}
		c.u.Set(nr, cp)
		return nr, nil
	case pdf.Dict:
		nd := make(pdf.Dict, len(v))
		for k, e := range v {
			if k == "Parent" || k == "P" {
				continue
			}
			ce, err := c.copy(e, depth+1)
			if err != nil {
				return nil, err
			}
			nd[k] = ce
		}
		return nd, nil
	case pdf.Array:
		na := make(pdf.Array, len(v))
		for i, e := range v {
			ce, err := c.copy(e, depth+1)
			if err != nil {
				return nil, err
			}
			na[i] = ce
		}
		return na, nil
	case *pdf.Stream:
		data, err := c.src.RawStreamData(v)
		if err != nil {
			return nil, signErr(ErrAppearance, err, "reading an appearance stream")
		}
		d, err := c.copy(v.Dict, depth+1)
		if err != nil {
			return nil, err
		}
		nd := d.(pdf.Dict)
		delete(nd, "Length")
		return &pdf.Stream{Dict: nd, Data: data}, nil
	}
	return o, nil
}
