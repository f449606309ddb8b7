package signature

import (
	"context"
	"strconv"
	"strings"

	"github.com/kyso-go/kyso/internal/pdf"
)

// Widget annotation flags: Print (4) and Locked (128).
const widgetFlags = 4 | 128

// docEdit gathers the changes of one signature's incremental update.
type docEdit struct {
	doc            *pdf.Document
	u              *pdf.Update
	rootRef        pdf.Ref
	catalog        pdf.Dict // a clone, written back by finish when catalogChanged
	catalogChanged bool
	fields         []pdf.Field
	signedCount    int // signature fields holding a value
	needSigFlags   bool
	newFieldRef    *pdf.Ref // a new field to add to /AcroForm /Fields
	sigDict        pdf.Dict // the new signature dictionary (still editable until finish)
}

func openEdit(doc *pdf.Document) (*docEdit, error) {
	root, ok := doc.Trailer().Get("Root").(pdf.Ref)
	if !ok {
		return nil, signErr(ErrDocument, nil, "the trailer has no /Root reference")
	}
	cat, err := doc.Catalog()
	if err != nil {
		return nil, signErr(ErrDocument, err, "reading the catalog")
	}
	fields, err := doc.Fields()
	if err != nil {
		return nil, signErr(ErrDocument, err, "reading the form fields")
	}
	ed := &docEdit{doc: doc, u: doc.NewUpdate(), rootRef: root, catalog: cat.Clone(), fields: fields, needSigFlags: true}
	for _, f := range fields {
		if f.Type == "Sig" && f.Dict.Get("V") != nil {
			ed.signedCount++
		}
	}
	return ed, nil
}

func (ed *docEdit) resolve(o pdf.Object) pdf.Object {
	v, err := ed.doc.Resolve(o)
	if err != nil {
		return nil
	}
	return v
}

// dict resolves o to a dictionary; ok is false (and d nil) when it is not one.
func (ed *docEdit) dict(o pdf.Object) (d pdf.Dict, ok bool) {
	d, ok = ed.resolve(o).(pdf.Dict)
	return d, ok
}

// fillField puts the signature into the existing empty signature field name.
func (ed *docEdit) fillField(ctx context.Context, name string, sigRef pdf.Ref, app *appearanceInput) (string, error) {
	var f *pdf.Field
	for i := range ed.fields {
		if ed.fields[i].Name == name {
			f = &ed.fields[i]
			break
		}
	}
	if f == nil {
		return "", signErr(ErrFieldNotFound, nil, "%q", name)
	}
	if f.Type != "Sig" {
		return "", signErr(ErrNotSignatureField, nil, "%q has /FT /%s", name, f.Type)
	}
	if f.Dict.Get("V") != nil {
		return "", signErr(ErrFieldSigned, nil, "%q", name)
	}
	fd, err := ed.doc.Get(f.Ref)
	if err != nil {
		return "", signErr(ErrDocument, err, "reading field %q", name)
	}
	fdict, ok := fd.(pdf.Dict)
	if !ok {
		return "", signErr(ErrDocument, nil, "field %q is not a dictionary", name)
	}
	nf := fdict.Clone()
	nf["V"] = sigRef
	ed.addFieldMDP(fdict)
	widgetRef := f.Ref
	if len(f.Widgets) > 0 {
		widgetRef = f.Widgets[0]
	}
	if app != nil {
		var wd pdf.Dict
		if widgetRef == f.Ref {
			wd = nf
		} else {
			w, _ := ed.dict(widgetRef)
			wd = w.Clone()
		}
		if wd == nil {
			return "", signErr(ErrAppearance, nil, "field %q has no widget to draw on", name)
		}
		rect := rectOf(ed.resolve(wd.Get("Rect")))
		ap, err := ed.importAppearance(ctx, app, rect[2]-rect[0], rect[3]-rect[1], ed.pageRotation(wd.Get("P")))
		if err != nil {
			return "", err
		}
		wd["AP"] = pdf.Dict{"N": ap}
		if widgetRef != f.Ref {
			ed.u.Set(widgetRef, wd)
		}
	}
	ed.u.Set(f.Ref, nf)
	return name, nil
}

// addFieldMDP carries a signature field's lock (/Lock, a SigFieldLock dictionary) into
// the signature dictionary as a FieldMDP transform (ISO 32000-1 §12.8.2.4), so that
// validators that read only the signature's /Reference enforce it too. The lock's
// PDF 2.0 /P entry is not turned into a DocMDP transform.
func (ed *docEdit) addFieldMDP(field pdf.Dict) {
	lock, ok := ed.dict(field.Get("Lock"))
	if !ok || ed.sigDict == nil {
		return
	}
	action, ok := ed.resolve(lock.Get("Action")).(pdf.Name)
	if !ok || (action != "All" && action != "Include" && action != "Exclude") {
		return
	}
	params := pdf.Dict{"Type": pdf.Name("TransformParams"), "Action": action, "V": pdf.Name("1.2")}
	if action != "All" {
		fields, ok := ed.resolve(lock.Get("Fields")).(pdf.Array)
		if !ok {
			return
		}
		var names pdf.Array
		for _, f := range fields {
			if s, ok := ed.resolve(f).(pdf.String); ok {
				names = append(names, s)
			}
		}
		params["Fields"] = names
	}
	refs, _ := ed.sigDict.Get("Reference").(pdf.Array)
	ed.sigDict["Reference"] = append(refs, pdf.Dict{
		"Type":            pdf.Name("SigRef"),
		"TransformMethod": pdf.Name("FieldMDP"),
		"TransformParams": params,
	})
}

// newField adds a signature field (merged with its widget) named name, or a unique
// "SignatureN", invisible or as described by w.
func (ed *docEdit) newField(ctx context.Context, name string, sigRef pdf.Ref, w *Widget, app *appearanceInput) (string, error) {
	if name == "" {
		name = ed.uniqueName()
	} else {
		if strings.Contains(name, ".") {
			return "", signErr(ErrInvalidOptions, nil, "new field name %q must not contain '.' (it would name a child field)", name)
		}
		for _, f := range ed.fields {
			if f.Name == name || strings.HasPrefix(f.Name, name+".") {
				return "", signErr(ErrFieldExists, nil, "%q", name)
			}
		}
	}
	pageNo := 1
	rect := [4]float64{}
	if w != nil {
		pageNo = max(w.Page, 1)
		rect = w.Rect
	}
	// The page is found through the tree's /Count: signing page 1 of a 10,000-page
	// document reads a handful of page tree nodes, not all of them.
	count, err := ed.doc.PageCount()
	if err != nil {
		return "", signErr(ErrDocument, err, "reading the page tree")
	}
	if pageNo > count {
		return "", signErr(ErrPageNotFound, nil, "page %d of a %d-page document", pageNo, count)
	}
	page, err := ed.doc.Page(pageNo)
	if err != nil {
		if pages, err2 := ed.doc.Pages(); err2 == nil && pageNo > len(pages) {
			return "", signErr(ErrPageNotFound, nil, "page %d of a %d-page document", pageNo, len(pages))
		}
		return "", signErr(ErrDocument, err, "reading the page tree")
	}
	field := pdf.Dict{
		"Type":    pdf.Name("Annot"),
		"Subtype": pdf.Name("Widget"),
		"FT":      pdf.Name("Sig"),
		"T":       pdf.TextString(name),
		"V":       sigRef,
		"F":       pdf.Integer(widgetFlags),
		"P":       page.Ref,
		"Rect":    pdf.Array{pdf.Real(rect[0]), pdf.Real(rect[1]), pdf.Real(rect[2]), pdf.Real(rect[3])},
	}
	if app != nil {
		ap, err := ed.importAppearance(ctx, app, rect[2]-rect[0], rect[3]-rect[1], page.Rotate)
		if err != nil {
			return "", err
		}
		field["AP"] = pdf.Dict{"N": ap}
	} else {
		// An empty appearance, so that viewers and PDF/A checkers find /AP.
		blank := &pdf.Stream{Dict: pdf.Dict{
			"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"),
			"BBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Real(rect[2] - rect[0]), pdf.Real(rect[3] - rect[1])},
		}}
		field["AP"] = pdf.Dict{"N": ed.u.Add(blank)}
	}
	// In a tagged PDF a visible widget joins the structure tree (a hidden one need not).
	var tag func(widget pdf.Ref)
	if rect[2] > rect[0] && rect[3] > rect[1] {
		var key int
		if key, tag = ed.structParent(page.Ref); tag != nil {
			field["StructParent"] = pdf.Integer(key)
		}
	}
	fieldRef := ed.u.Add(field)
	if err := ed.addAnnot(page.Ref, fieldRef, tag != nil); err != nil {
		return "", err
	}
	if tag != nil {
		tag(fieldRef)
	}
	ed.newFieldRef = &fieldRef
	return name, nil
}

// pageRotation returns the /Rotate of the page p refers to (0 when unknown).
func (ed *docEdit) pageRotation(p pdf.Object) int {
	ref, ok := p.(pdf.Ref)
	if !ok {
		return 0
	}
	pg, err := ed.doc.PageOf(ref)
	if err != nil {
		return 0
	}
	return pg.Rotate
}

// uniqueName returns "SignatureN" for the smallest N not used by a field.
func (ed *docEdit) uniqueName() string {
	used := map[string]bool{}
	for _, f := range ed.fields {
		used[f.Name] = true
		if i := strings.IndexByte(f.Name, '.'); i > 0 {
			used[f.Name[:i]] = true
		}
	}
	for n := 1; ; n++ {
		if s := "Signature" + strconv.Itoa(n); !used[s] {
			return s
		}
	}
}

// structParent prepares tagging a new widget on the page pageRef of a tagged PDF
// (ISO 14289-1 7.18.1 and 7.18.4; ISO 32000-1 14.7.4.4): it returns the widget's
// /StructParent key and a function that, given the widget, adds a /Form structure
// element holding an OBJR to it under the document element, maps the key to that
// element in the parent tree and advances /ParentTreeNextKey. tag is nil (the widget
// stays untagged, as before) when the document has no structure tree or one this
// simple edit cannot extend safely (a parent tree with /Kids, an unusual /K).
func (ed *docEdit) structParent(pageRef pdf.Ref) (key int, tag func(widget pdf.Ref)) {
	rootRef, ok := ed.catalog.Get("StructTreeRoot").(pdf.Ref)
	if !ok {
		return 0, nil
	}
	root, ok := ed.dict(rootRef)
	if !ok {
		return 0, nil
	}
	ptObj := root.Get("ParentTree")
	pt, ok := ed.dict(ptObj)
	if !ok || pt.Get("Kids") != nil {
		return 0, nil
	}
	nums, ok := pt.Get("Nums").(pdf.Array)
	if !ok || len(nums)%2 != 0 {
		return 0, nil
	}
	for i := 0; i < len(nums); i += 2 {
		k, ok := nums[i].(pdf.Integer)
		if !ok || k < 0 || k >= 1<<30 {
			return 0, nil
		}
		key = max(key, int(k)+1)
	}
	if n, ok := root.Get("ParentTreeNextKey").(pdf.Integer); ok && n > pdf.Integer(key) && n < 1<<30 {
		key = int(n)
	}
	// The parent: the one document element /K refers to (alone or as the array's only
	// element, as Word writes it), else the root itself.
	parentRef, parent := rootRef, root
	rk := root.Get("K")
	if a, ok := rk.(pdf.Array); ok && len(a) == 1 {
		rk = a[0]
	}
	if kr, ok := rk.(pdf.Ref); ok {
		if parent, ok = ed.dict(kr); !ok {
			return 0, nil
		}
		parentRef = kr
	}
	var kids pdf.Array
	switch k := parent.Get("K").(type) {
	case nil:
	case pdf.Array:
		kids = k.Clone()
	case pdf.Ref:
		if _, isDict := ed.dict(k); !isDict {
			return 0, nil // an indirect array or a marked-content reference: leave it
		}
		kids = pdf.Array{k}
	case pdf.Integer, pdf.Dict:
		kids = pdf.Array{k}
	default:
		return 0, nil
	}
	return key, func(widget pdf.Ref) {
		elem := ed.u.Add(pdf.Dict{"Type": pdf.Name("StructElem"), "S": pdf.Name("Form"), "P": parentRef, "Pg": pageRef,
			"K": pdf.Dict{"Type": pdf.Name("OBJR"), "Obj": widget, "Pg": pageRef}})
		nr := root.Clone()
		np := nr
		if parentRef != rootRef {
			np = parent.Clone()
		}
		np["K"] = append(kids, elem)
		npt := pt.Clone()
		npt["Nums"] = append(nums.Clone(), pdf.Integer(key), elem)
		if ptRef, ok := ptObj.(pdf.Ref); ok {
			ed.u.Set(ptRef, npt)
		} else {
			nr["ParentTree"] = npt
		}
		nr["ParentTreeNextKey"] = pdf.Integer(key + 1)
		ed.u.Set(rootRef, nr)
		if parentRef != rootRef {
			ed.u.Set(parentRef, np)
		}
	}
}

// addAnnot appends annot to the page's /Annots; tabs sets the page's /Tabs /S (the
// tab order PDF/UA asks of a tagged page with annotations) when it has no /Tabs.
func (ed *docEdit) addAnnot(pageRef, annot pdf.Ref, tabs bool) error {
	po, err := ed.doc.Get(pageRef)
	if err != nil {
		return signErr(ErrDocument, err, "reading page %v", pageRef)
	}
	pd, ok := po.(pdf.Dict)
	if !ok {
		return signErr(ErrDocument, nil, "page %v is not a dictionary", pageRef)
	}
	tabs = tabs && pd.Get("Tabs") == nil
	if ar, ok := pd.Get("Annots").(pdf.Ref); ok {
		if arr, ok := ed.resolve(ar).(pdf.Array); ok {
			ed.u.Set(ar, append(arr.Clone(), annot))
			if tabs {
				np := pd.Clone()
				np["Tabs"] = pdf.Name("S")
				ed.u.Set(pageRef, np)
			}
			return nil
		}
	}
	np := pd.Clone()
	if tabs {
		np["Tabs"] = pdf.Name("S")
	}
	arr, _ := ed.resolve(pd.Get("Annots")).(pdf.Array)
	np["Annots"] = append(arr.Clone(), annot)
	ed.u.Set(pageRef, np)
	return nil
}

// finish adds a new field to /AcroForm /Fields, sets /SigFlags 3 and writes the
// catalog back when it changed.
func (ed *docEdit) finish() error {
	afObj := ed.catalog.Get("AcroForm")
	af, _ := ed.dict(afObj)
	naf := af.Clone()
	if naf == nil {
		naf = pdf.Dict{}
	}
	changed := false
	if ed.newFieldRef != nil {
		if fr, ok := naf.Get("Fields").(pdf.Ref); ok {
			if arr, ok := ed.resolve(fr).(pdf.Array); ok {
				ed.u.Set(fr, append(arr.Clone(), *ed.newFieldRef))
			} else {
				naf["Fields"] = pdf.Array{*ed.newFieldRef}
				changed = true
			}
		} else {
			arr, _ := ed.resolve(naf.Get("Fields")).(pdf.Array)
			naf["Fields"] = append(arr.Clone(), *ed.newFieldRef)
			changed = true
		}
	}
	flags, _ := ed.resolve(naf.Get("SigFlags")).(pdf.Integer)
	if flags&3 != 3 {
		naf["SigFlags"] = flags | 3
		changed = true
	}
	if changed {
		if r, ok := afObj.(pdf.Ref); ok && af != nil {
			ed.u.Set(r, naf)
		} else {
			ed.catalog["AcroForm"] = naf
			ed.catalogChanged = true
		}
	}
	if ed.catalogChanged {
		ed.u.Set(ed.rootRef, ed.catalog)
	}
	return nil
}

// rectOf reads a rectangle array; zeros when it is not one.
func rectOf(o pdf.Object) [4]float64 {
	var r [4]float64
	arr, _ := o.(pdf.Array)
	if len(arr) != 4 {
		return r
	}
	for i, v := range arr {
		r[i], _ = pdf.Number(v)
	}
	if r[0] > r[2] {
		r[0], r[2] = r[2], r[0]
	}
	if r[1] > r[3] {
		r[1], r[3] = r[3], r[1]
	}
	return r
}
