package signature

import (
	"github.com/kyso-go/kyso/internal/pdf"
)

// role is what an indirect object is to the document, found by walking the object graph
// from the trailer. An object can have several roles at once (an appearance stream that
// a page also draws as an XObject); a change is judged by the most serious one.
type role uint32

const (
	roleCatalog     role = 1 << iota
	roleInfo             // the document information dictionary and below
	roleDSS              // the document security store and below
	roleMetadata         // the catalog's XMP metadata stream
	roleAcroForm         // the interactive form dictionary
	roleFormRes          // the form's default resources (/DR)
	roleField            // a form field
	roleSigField         // a signature field
	roleSigValue         // a signature dictionary (a signature field's /V) and below
	roleWidget           // a widget annotation
	roleAnnot            // any other annotation
	roleAnnots           // a page's /Annots array held as an indirect object
	roleWidgetAP         // an appearance stream of a widget, and its resources
	roleAnnotAP          // an appearance stream of another annotation, and its resources
	rolePageTree         // a /Pages node
	rolePage             // a page
	roleContent          // page content, resources, fonts, images, anything a page draws
	roleOther            // anything else reached from the catalog (names, outlines, actions…)
	roleFieldValue       // a non-signature field's value held as an indirect object
	roleSignedField      // a signature field that holds a signature (or a widget of one)
	roleSignedAP         // the appearance of a signed signature, and its resources
)

var roleNames = []struct {
	r    role
	name string
}{
	{roleCatalog, "catalog"}, {roleInfo, "info"}, {roleDSS, "dss"}, {roleMetadata, "metadata"},
	{roleAcroForm, "acroform"}, {roleFormRes, "form-resources"}, {roleField, "field"},
	{roleSigField, "signature-field"}, {roleSigValue, "signature"}, {roleWidget, "widget"},
	{roleAnnot, "annotation"}, {roleAnnots, "annotation-list"}, {roleWidgetAP, "widget-appearance"},
	{roleAnnotAP, "annotation-appearance"}, {rolePageTree, "page-tree"}, {rolePage, "page"},
	{roleContent, "page-content"}, {roleOther, "other"}, {roleFieldValue, "field-value"},
	{roleSignedField, "signed-field"}, {roleSignedAP, "signed-appearance"},
}

// String names the roles, joined with "+".
func (r role) String() string {
	s := ""
	for _, n := range roleNames {
		if r&n.r != 0 {
			if s != "" {
				s += "+"
			}
			s += n.name
		}
	}
	if s == "" {
		return "unreachable"
	}
	return s
}

// graph is the result of walking one revision's object graph.
type graph struct {
	roles    map[pdf.Ref]role
	dangling map[pdf.Ref]bool // references to objects that do not exist (free or missing)
	fieldOf  map[pdf.Ref]string
	// sigWidgets are the widgets of signature fields.
	sigWidgets map[pdf.Ref]bool
	complete   bool // false when the walk hit its limit
}

// maxWalk bounds the objects visited in one revision's walk.
const maxWalk = 500_000

// walker walks a document's object graph assigning roles.
type walker struct {
	doc   *pdf.Document
	g     *graph
	seen  map[walkKey]bool
	queue []walkItem
}

type walkKey struct {
	ref pdf.Ref
	r   role
}

type walkItem struct {
	obj   pdf.Object
	r     role
	field string // the full name of the field this object belongs to, for fields and widgets
	depth int
}

// walkGraph assigns roles to every indirect object reachable from doc's trailer.
func walkGraph(doc *pdf.Document) *graph {
	w := &walker{doc: doc, g: &graph{roles: map[pdf.Ref]role{}, dangling: map[pdf.Ref]bool{}, fieldOf: map[pdf.Ref]string{}, sigWidgets: map[pdf.Ref]bool{}, complete: true}, seen: map[walkKey]bool{}}
	tr := doc.Trailer()
	w.push(tr.Get("Root"), roleCatalog, "", 0)
	w.push(tr.Get("Info"), roleInfo, "", 0)
	// Field names, to report which field a change touches and to apply field locks.
	if fields, err := doc.Fields(); err == nil {
		for _, f := range fields {
			w.g.fieldOf[f.Ref] = f.Name
			for _, wr := range f.Widgets {
				if f.Type == "Sig" {
					w.g.sigWidgets[wr] = true
				}
				if _, ok := w.g.fieldOf[wr]; !ok {
					w.g.fieldOf[wr] = f.Name
				}
			}
		}
	}
	for len(w.queue) > 0 {
		it := w.queue[len(w.queue)-1]
		w.queue = w.queue[:len(w.queue)-1]
		w.visit(it)
		if len(w.seen) > maxWalk {
			w.g.complete = false
			break
		}
	}
	return w.g
}

func (w *walker) push(o pdf.Object, r role, field string, depth int) {
	if o == nil || depth > 64 {
		return
	}
	w.queue = append(w.queue, walkItem{obj: o, r: r, field: field, depth: depth})
}

// visit resolves it.obj (recording the role of an indirect object) and pushes its
// children with their roles.
func (w *walker) visit(it walkItem) {
	o := it.obj
	if ref, ok := o.(pdf.Ref); ok {
		k := walkKey{ref, it.r}
		if w.seen[k] {
			return
		}
		w.seen[k] = true
		v, err := w.doc.Get(ref)
		if err != nil || v == nil {
			w.g.dangling[ref] = true
			w.g.roles[ref] |= it.r
			return
		}
		// A page, signature field or widget is known by its dictionary; refine the role.
		o = v
		if d, ok := v.(pdf.Dict); ok {
			it.r = refineRole(it.r, d)
		}
		w.g.roles[ref] |= it.r
	}
	var d pdf.Dict
	switch v := o.(type) {
	case pdf.Dict:
		d = v
	case *pdf.Stream:
		d = v.Dict
	case pdf.Array:
		for _, e := range v {
			w.push(e, childRoleOfArray(it.r), it.field, it.depth+1)
		}
		return
	default:
		return
	}
	for k, v := range d {
		switch k {
		case "Parent", "P", "IRT":
			// Back pointers: the objects they lead to have their own place.
			continue
		}
		if r := childRole(it.r, k, d); r != 0 {
			w.push(v, r, it.field, it.depth+1)
		}
	}
}

// refineRole adjusts the role of a dictionary reached as r by what it says it is.
func refineRole(r role, d pdf.Dict) role {
	if r&(roleField|roleWidget|roleAnnot) != 0 {
		if n, _ := d.Get("Subtype").(pdf.Name); n == "Widget" {
			r = r&^roleAnnot | roleWidget
		}
		if n, _ := d.Get("FT").(pdf.Name); n == "Sig" && r&roleField != 0 {
			r |= roleSigField
			if d.Get("V") != nil {
				r |= roleSignedField
			}
		}
	}
	if r&rolePageTree != 0 {
		if n, _ := d.Get("Type").(pdf.Name); n == "Page" {
			r = r&^rolePageTree | rolePage
		}
	}
	return r
}

// childRoleOfArray is the role of the elements of an array reached as r.
func childRoleOfArray(r role) role {
	switch {
	case r&roleAnnots != 0:
		return roleAnnot
	}
	return r
}

// childRole is the role of the value of key k in dictionary d reached as r.
func childRole(r role, k pdf.Name, d pdf.Dict) role {
	switch {
	case r&roleCatalog != 0:
		switch k {
		case "Pages":
			return rolePageTree
		case "AcroForm":
			return roleAcroForm
		case "DSS":
			return roleDSS
		case "Metadata":
			return roleMetadata
		case "Extensions", "Version", "Type":
			return roleInfo
		}
		return roleOther
	case r&(roleInfo|roleDSS|roleMetadata|roleSigValue|roleContent|roleOther|roleFormRes|roleWidgetAP|roleAnnotAP|roleFieldValue|roleSignedAP) != 0:
		// Everything below keeps its parent's role (the most serious one first).
		for _, keep := range []role{roleContent, roleOther, roleSigValue, roleSignedAP, roleAnnotAP, roleWidgetAP, roleFormRes, roleFieldValue, roleDSS, roleMetadata, roleInfo} {
			if r&keep != 0 {
				return keep
			}
		}
	case r&roleAcroForm != 0:
		switch k {
		case "Fields":
			return roleField
		case "DR":
			return roleFormRes
		case "SigFlags", "NeedAppearances", "DA", "Q":
			return 0
		}
		return roleOther
	case r&(roleField|roleWidget|roleAnnot) != 0:
		switch k {
		case "Kids":
			if r&roleField != 0 {
				// Kids inherit /FT and /V: the widgets of a signed signature field
				// are signed too.
				return roleField | r&(roleSigField|roleSignedField)
			}
			return roleOther
		case "V":
			if r&roleSigField != 0 {
				return roleSigValue
			}
			return roleFieldValue
		case "AP":
			if r&roleSignedField != 0 {
				return roleSignedAP
			}
			if r&(roleField|roleWidget) != 0 {
				return roleWidgetAP
			}
			return roleAnnotAP
		case "Popup":
			return roleAnnot
		case "Lock", "SV", "DV", "MK", "DA", "Opt":
			return roleFieldValue
		}
		if r&(roleWidget|roleField) != 0 {
			return roleFieldValue
		}
		return roleAnnotAP
	case r&rolePageTree != 0:
		if k == "Kids" {
			return rolePageTree
		}
		return roleContent
	case r&rolePage != 0:
		if k == "Annots" {
			return roleAnnots
		}
		return roleContent
	case r&roleAnnots != 0:
		return roleAnnot
	}
	return roleOther
}
