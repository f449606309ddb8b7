package signature

import (
	"slices"

	"github.com/kyso-go/kyso/internal/pdf"
)

// role is what an indirect object is to the document, found by walking the object graph
// from the trailer. An object can have several roles at once (an appearance stream that
// a page also draws as an XObject); a change is judged by the most serious one.
//
// Roles are primary (the page tree and what pages draw, the form, annotations, the
// DSS…) or secondary (outlines, actions, named destinations, the structure tree: things
// that point at pages and annotations without being part of them). A secondary walk
// never enters a page or an annotation, and an object with a primary role is judged by
// it alone: a page reachable from /OpenAction is a page, not "other".
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
	roleOther            // anything else reached from the catalog (outlines, actions…): secondary
	roleFieldValue       // a non-signature field's value held as an indirect object
	roleSignedField      // a signature field that holds a signature (or a widget of one)
	roleSignedAP         // the appearance of a signed signature, and its resources
	roleStruct           // the logical structure tree (/StructTreeRoot and below): secondary
	roleNames            // the catalog's /Names dictionary and its name trees: secondary
	roleNamedAP          // the /Names /AP tree of named appearance streams: secondary
)

// secondaryRoles point at pages and annotations without being part of what is drawn.
const secondaryRoles = roleOther | roleStruct | roleNames | roleNamedAP

// drawnRoles are the pages, annotations, fields and the dictionaries that hold them:
// a secondary walk stops there, and a change of one is judged by its primary roles.
const drawnRoles = rolePage | rolePageTree | roleWidget | roleAnnot | roleField | roleSigField | roleAnnots | roleCatalog | roleAcroForm

// judged returns the roles a change of an object is judged by: without its secondary
// roles when it is one of the drawn parts (a page that an outline points at is a
// page). Anything else keeps them: an appearance stream also reached from an outline
// or an unknown catalog entry is shared with something a viewer may show, and
// rewriting it in place is not form filling.
func (r role) judged() role {
	if r&drawnRoles != 0 {
		return r &^ secondaryRoles
	}
	return r
}

var roleLabels = []struct {
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
	{roleStruct, "structure-tree"}, {roleNames, "names"}, {roleNamedAP, "named-appearances"},
}

// String names the roles, joined with "+".
func (r role) String() string {
	s := ""
	for _, n := range roleLabels {
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

// maxWalk bounds the (object, role) pairs visited over a whole analysis.
const maxWalk = 2_000_000

// roleWalker assigns roles to the objects of a document's revisions. It walks the first
// analysed revision whole, then, for every later revision, only the objects that
// revision (re)defined and whatever they newly reach: each object is walked once, plus
// once per change of it. Roles accumulate: an object keeps the roles it had in earlier
// revisions (the analysis is then at worst stricter).
type roleWalker struct {
	doc        *pdf.Document // the revision being walked
	roles      map[pdf.Ref]role
	masks      map[pdf.Ref][]role // the roles each object was reached with
	seen       map[walkKey]bool
	dangling   map[pdf.Ref]bool // references to missing objects met in the current revision
	fieldOf    map[pdf.Ref]string
	sigWidgets map[pdf.Ref]bool
	complete   bool // false once the walk hit its limit
	visits     int  // objects resolved by the walk, over the whole analysis
	primary    []walkItem
	secondary  []walkItem
	// parents are, for each object, the objects that refer to it (in any revision
	// walked): a freed object is gone for good only if one of them still does.
	parents map[pdf.Ref][]pdf.Ref
	edges   map[[2]pdf.Ref]bool
	// place: the catalog, the form and the page tree of the revision walked (see
	// placed).
	place places
	// skipPages leaves the catalog's page tree out of the walk: the lazy analysis
	// (lazy.go) enters only the pages and nodes that later revisions change.
	skipPages bool
}

type walkKey struct {
	ref pdf.Ref
	r   role
}

type walkItem struct {
	obj   pdf.Object
	r     role
	depth int
	from  pdf.Ref // the indirect object holding obj (zero: the trailer)
}

func newRoleWalker() *roleWalker {
	return &roleWalker{roles: map[pdf.Ref]role{}, masks: map[pdf.Ref][]role{}, seen: map[walkKey]bool{},
		dangling: map[pdf.Ref]bool{}, fieldOf: map[pdf.Ref]string{}, sigWidgets: map[pdf.Ref]bool{}, complete: true,
		parents: map[pdf.Ref][]pdf.Ref{}, edges: map[[2]pdf.Ref]bool{}}
}

// walkAll walks revision view doc from its trailer.
func (w *roleWalker) walkAll(doc *pdf.Document) {
	w.setDoc(doc)
	w.readFields()
	tr := doc.Trailer()
	w.push(tr.Get("Root"), roleCatalog, 0, pdf.Ref{})
	w.push(tr.Get("Info"), roleInfo, 0, pdf.Ref{})
	w.drain()
}

// walkChanges walks revision view doc after the objects in changed were (re)defined:
// each is walked again with the roles it had, and the trailer's entries when they
// moved.
func (w *roleWalker) walkChanges(doc *pdf.Document, changed []pdf.Ref, oldTrailer, newTrailer pdf.Dict) {
	w.setDoc(doc)
	// The field tree is read again only when this revision touched it (or the
	// catalog): a revision that changes a page or the DSS costs nothing more.
	fieldsTouched := !equalShallow(oldTrailer.Get("Root"), newTrailer.Get("Root"))
	for _, ref := range changed {
		if w.roles[ref]&(roleCatalog|roleAcroForm|roleField|roleSigField|roleWidget) != 0 {
			fieldsTouched = true
			break
		}
	}
	if fieldsTouched {
		w.readFields()
	}
	if !equalShallow(oldTrailer.Get("Root"), newTrailer.Get("Root")) {
		w.push(newTrailer.Get("Root"), roleCatalog, 0, pdf.Ref{})
	}
	if !equalShallow(oldTrailer.Get("Info"), newTrailer.Get("Info")) {
		w.push(newTrailer.Get("Info"), roleInfo, 0, pdf.Ref{})
	}
	for _, ref := range changed {
		for _, m := range w.masks[ref] {
			delete(w.seen, walkKey{ref, m})
			w.push(ref, m, 0, pdf.Ref{})
		}
	}
	w.drain()
}

// readFields records field names (to report which field a change touches and to apply
// field locks) and the widgets of signature fields.
func (w *roleWalker) readFields() {
	fields, err := w.doc.Fields()
	if err != nil {
		return
	}
	for _, f := range fields {
		w.fieldOf[f.Ref] = f.Name
		for _, wr := range f.Widgets {
			if f.Type == "Sig" {
				w.sigWidgets[wr] = true
			}
			if _, ok := w.fieldOf[wr]; !ok {
				w.fieldOf[wr] = f.Name
			}
		}
	}
}

func (w *roleWalker) drain() {
	for w.complete {
		var it walkItem
		switch {
		case len(w.primary) > 0:
			it = w.primary[len(w.primary)-1]
			w.primary = w.primary[:len(w.primary)-1]
		case len(w.secondary) > 0:
			it = w.secondary[len(w.secondary)-1]
			w.secondary = w.secondary[:len(w.secondary)-1]
		default:
			return
		}
		w.visit(it)
		if len(w.seen) > maxWalk {
			w.complete = false
		}
	}
	w.primary, w.secondary = nil, nil
}

func (w *roleWalker) push(o pdf.Object, r role, depth int, from pdf.Ref) {
	if o == nil || depth > 64 || r == 0 {
		return
	}
	switch o.(type) {
	case pdf.Ref, pdf.Dict, pdf.Array, *pdf.Stream:
	default:
		return // nothing below a number, name or string
	}
	it := walkItem{obj: o, r: r, depth: depth, from: from}
	if r&^secondaryRoles == 0 {
		w.secondary = append(w.secondary, it)
	} else {
		w.primary = append(w.primary, it)
	}
}

// visit resolves it.obj (recording the role of an indirect object) and pushes its
// children with their roles.
func (w *roleWalker) visit(it walkItem) {
	o := it.obj
	holder := it.from
	if ref, ok := o.(pdf.Ref); ok {
		if it.from != (pdf.Ref{}) && !w.edges[[2]pdf.Ref{it.from, ref}] {
			w.edges[[2]pdf.Ref{it.from, ref}] = true
			w.parents[ref] = append(w.parents[ref], it.from)
		}
		holder = ref
		k := walkKey{ref, it.r}
		if w.seen[k] {
			return
		}
		w.visits++
		v, err := w.doc.Get(ref)
		if err != nil || v == nil {
			w.seen[k] = true
			w.addMask(ref, it.r)
			w.dangling[ref] = true
			w.roles[ref] |= it.r
			return
		}
		if it.r&^secondaryRoles == 0 && (w.roles[ref]&drawnRoles != 0 || drawnPart(v)) {
			return // a page or an annotation seen from outside: judged by its own role
		}
		if w.placed(ref, v, it.r) {
			return // the catalog, the form or a page named from elsewhere: judged by what it is
		}
		w.seen[k] = true
		w.addMask(ref, it.r)
		o = v
		if d, ok := v.(pdf.Dict); ok {
			it.r = refineRole(it.r, d)
		}
		w.roles[ref] |= it.r
	} else if it.r&^secondaryRoles == 0 && drawnPart(o) {
		return
	}
	var d pdf.Dict
	switch v := o.(type) {
	case pdf.Dict:
		d = v
	case *pdf.Stream:
		d = v.Dict
	case pdf.Array:
		for _, e := range v {
			w.push(e, childRoleOfArray(it.r), it.depth+1, holder)
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
		case "Pages":
			if w.skipPages && it.r&roleCatalog != 0 {
				continue
			}
		}
		w.push(v, childRole(it.r, k, d), it.depth+1, holder)
	}
}

// addMask records that ref was reached as r. Each role is kept once: an object
// changed in every revision (the catalog, the form, a page) is walked again once per
// role, not once per earlier change.
func (w *roleWalker) addMask(ref pdf.Ref, r role) {
	if !slices.Contains(w.masks[ref], r) {
		w.masks[ref] = append(w.masks[ref], r)
	}
}

// placed reports whether ref, reached as r, is an object whose place in the document's
// structure decides how its changes are judged, reached by a path that is not that
// place: the catalog (the trailer's /Root) reached other than from the trailer, the
// interactive form dictionary (the catalog's /AcroForm) other than from the catalog,
// a page or page tree node in the page tree other than from its parent's /Kids.
// Such a reference (a page's /SeparationInfo /Pages listing the page itself, a marked-
// content property list naming the catalog, a structure or destination entry inside a
// resource) draws nothing of the object: it must not give the object, or what the
// object holds (a page's /Annots), the role of the referrer. The object is walked from
// its own place (a page in the tree from its parent), where a change of what it draws
// (a page's /Contents or /Resources) is judged as such.
//
// A dictionary typed /Page that no /Kids lists is not a page: it keeps the role it is
// reached with.
func (w *roleWalker) placed(ref pdf.Ref, v pdf.Object, r role) bool {
	if r&roleCatalog != 0 {
		return false
	}
	if ref == w.place.catalog {
		return true
	}
	if r&roleAcroForm == 0 && ref == w.place.form {
		return true
	}
	if r&(rolePageTree|rolePage) != 0 {
		return false
	}
	d, ok := v.(pdf.Dict)
	if !ok {
		return false
	}
	if t, _ := d.Get("Type").(pdf.Name); t != "Page" && t != "Pages" {
		return false
	}
	in, ok := w.place.inTree[ref]
	if !ok {
		_, in = inPageTree(w.doc, ref, w.place.pages, w.place.catalog)
		w.place.inTree[ref] = in
	}
	return in
}

// places are, for the revision walked, the objects placed judges by their place.
type places struct {
	catalog, form, pages pdf.Ref // zero when not indirect objects
	// inTree caches whether a page or page tree node named from outside the page
	// tree is in it.
	inTree map[pdf.Ref]bool
}

// setDoc makes doc the revision walked.
func (w *roleWalker) setDoc(doc *pdf.Document) {
	w.doc = doc
	w.dangling = map[pdf.Ref]bool{}
	w.place = places{inTree: map[pdf.Ref]bool{}}
	w.place.catalog, _ = doc.Trailer().Get("Root").(pdf.Ref)
	if cat, ok := asDict(resolveQuiet(doc, w.place.catalog)); ok {
		w.place.form, _ = cat.Get("AcroForm").(pdf.Ref)
		w.place.pages, _ = cat.Get("Pages").(pdf.Ref)
	}
}

// drawnPart reports whether o is a page, a page tree node or an annotation: objects a
// secondary walk (an outline's destination, a structure element's /Pg or /Obj) must not
// enter.
func drawnPart(o pdf.Object) bool {
	d, ok := o.(pdf.Dict)
	if !ok {
		return false
	}
	switch t, _ := d.Get("Type").(pdf.Name); t {
	case "Page", "Pages", "Annot":
		return true
	}
	if _, ok := d.Get("Subtype").(pdf.Name); ok && d.Get("Rect") != nil {
		return true
	}
	return d.Get("FT") != nil
}

// refineRole adjusts the role of a dictionary reached as r by what it says it is.
func refineRole(r role, d pdf.Dict) role {
	if r&(roleField|roleWidget|roleAnnot) != 0 {
		if n, _ := d.Get("Subtype").(pdf.Name); n == "Widget" {
			r = r&^roleAnnot | roleWidget
		}
		if n, _ := d.Get("FT").(pdf.Name); n == "Sig" && r&(roleField|roleWidget) != 0 {
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

// pageDrawKeys are the entries of a page (or inherited from a page tree node) that
// decide what the page shows (ISO 32000-1 7.7.3.3, table 30).
var pageDrawKeys = map[pdf.Name]bool{
	"Contents": true, "Resources": true, "MediaBox": true, "CropBox": true, "BleedBox": true, "TrimBox": true,
	"ArtBox": true, "BoxColorInfo": true, "Rotate": true, "Group": true, "Thumb": true, "UserUnit": true, "VP": true,
	"SeparationInfo": true, "OutputIntents": true, "DPart": true, "AF": true, "PresSteps": true, "Trans": true,
}

// childRoleOfArray is the role of the elements of an array reached as r.
func childRoleOfArray(r role) role {
	if r&roleAnnots != 0 {
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
		case "StructTreeRoot":
			return roleStruct
		case "PieceInfo":
			return roleInfo // application data (ISO 32000-1 14.5): never drawn
		case "Names":
			return roleNames
		}
		return roleOther
	case r&(roleSigValue|roleFieldValue) != 0 && k == "Data":
		// A signature reference's /Data names what the transform covers (usually the
		// catalog); it is not part of the signature dictionary.
		return 0
	case r&(roleInfo|roleDSS|roleMetadata|roleSigValue|roleContent|roleFormRes|roleWidgetAP|roleAnnotAP|roleFieldValue|roleSignedAP) != 0:
		// Everything below keeps its parent's role (the most serious one first).
		for _, keep := range []role{roleContent, roleSigValue, roleSignedAP, roleAnnotAP, roleWidgetAP, roleFormRes, roleFieldValue, roleDSS, roleMetadata, roleInfo} {
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
		case "A", "AA", "Dest", "PA":
			return roleOther // actions and destinations: they point at pages
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
		if pageDrawKeys[k] {
			return roleContent
		}
		return roleOther // a key no viewer draws: judged as a pointer (it may lead anywhere)
	case r&rolePage != 0:
		if k == "Annots" {
			return roleAnnots
		}
		if k == "PieceInfo" {
			return roleInfo // application data: never drawn
		}
		if pageDrawKeys[k] {
			return roleContent
		}
		return roleOther // article beads, actions, private keys
	case r&roleAnnots != 0:
		return roleAnnot
	case r&roleNames != 0 && k == "AP":
		return roleNamedAP
	case r&(roleStruct|roleNames|roleNamedAP) != 0:
		return r & (roleStruct | roleNames | roleNamedAP)
	}
	return roleOther
}
