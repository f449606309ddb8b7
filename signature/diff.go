package signature

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/kyso-go/kyso/internal/pdf"
)

// revChanges is what one revision changed compared with the one before it.
type revChanges struct {
	class   Modification
	changes []Change
	// fields whose value or appearance changed (form filling), by full name, and the
	// class of the change.
	fields map[string]Modification
	// sigAdded: a signature (not a document time-stamp) was added, which DocMDP P=1
	// forbids.
	sigAdded bool
}

func (rc *revChanges) add(c Change) {
	rc.changes = append(rc.changes, c)
	rc.class = maxMod(rc.class, c.Class)
}

// differ analyses the revisions of one document; results are cached so several
// signatures share the work.
type differ struct {
	doc    *pdf.Document
	revs   []pdf.Revision
	views  map[int]*pdf.Document
	graphs map[int]*graph
	byRev  map[int]*revChanges
}

func newDiffer(doc *pdf.Document) *differ {
	return &differ{doc: doc, revs: doc.Revisions(), views: map[int]*pdf.Document{}, graphs: map[int]*graph{}, byRev: map[int]*revChanges{}}
}

func (df *differ) view(i int) (*pdf.Document, error) {
	if v, ok := df.views[i]; ok {
		return v, nil
	}
	v, err := df.doc.AtRevision(i)
	if err != nil {
		return nil, err
	}
	df.views[i] = v
	return v, nil
}

func (df *differ) graph(i int) (*graph, error) {
	if g, ok := df.graphs[i]; ok {
		return g, nil
	}
	v, err := df.view(i)
	if err != nil {
		return nil, err
	}
	g := walkGraph(v)
	df.graphs[i] = g
	return g, nil
}

// since merges what every revision after rev changed.
func (df *differ) since(rev int) *revChanges {
	out := &revChanges{class: ModNone, fields: map[string]Modification{}}
	for t := rev + 1; t < len(df.revs); t++ {
		rc := df.revision(t)
		out.class = maxMod(out.class, rc.class)
		out.changes = append(out.changes, rc.changes...)
		out.sigAdded = out.sigAdded || rc.sigAdded
		for f, c := range rc.fields {
			out.fields[f] = maxMod(out.fields[f], c)
		}
	}
	return out
}

// revision analyses revision t (t ≥ 1) against revision t-1.
func (df *differ) revision(t int) *revChanges {
	if rc, ok := df.byRev[t]; ok {
		return rc
	}
	rc := &revChanges{class: ModNone, fields: map[string]Modification{}}
	df.byRev[t] = rc
	fail := func(detail string) {
		rc.add(Change{Revision: t, Object: "document", Role: "unknown", Class: ModOther, Detail: detail})
	}
	oldDoc, err := df.view(t - 1)
	if err != nil {
		fail(fmt.Sprintf("revision %d cannot be read: %v", t, err))
		return rc
	}
	newDoc, err := df.view(t)
	if err != nil {
		fail(fmt.Sprintf("revision %d cannot be read: %v", t+1, err))
		return rc
	}
	gOld, err1 := df.graph(t - 1)
	gNew, err2 := df.graph(t)
	if err1 != nil || err2 != nil {
		fail("the object graph cannot be walked")
		return rc
	}
	if !gOld.complete || !gNew.complete {
		fail("the document has too many objects to analyse its changes")
		return rc
	}
	c := &changeCtx{t: t, old: oldDoc, new: newDoc, gOld: gOld, gNew: gNew, rc: rc}
	c.trailer(df.revs[t-1].Trailer, df.revs[t].Trailer)
	for _, ref := range df.revs[t].Objects {
		c.object(ref)
	}
	// Objects freed or made to vanish: what referenced them now shows nothing.
	var gone []pdf.Ref
	for ref := range gNew.dangling {
		gone = append(gone, ref)
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].Num < gone[j].Num })
	for _, ref := range gone {
		if ov, err := oldDoc.Get(ref); err == nil && ov != nil {
			r := gOld.roles[ref] | gNew.roles[ref]
			cls := ModOther
			if r&^(roleAnnot|roleAnnotAP) == 0 {
				cls = ModAnnotations
			}
			rc.add(Change{Revision: t, Object: refString(ref), Role: r.String(), Class: cls, Detail: "object removed"})
		}
	}
	return rc
}

func refString(r pdf.Ref) string { return fmt.Sprintf("%d %d R", r.Num, r.Gen) }

// changeCtx classifies the changes of one revision.
type changeCtx struct {
	t          int
	old, new   *pdf.Document
	gOld, gNew *graph
	rc         *revChanges
}

func (c *changeCtx) add(obj string, r role, cls Modification, format string, args ...any) {
	c.rc.add(Change{Revision: c.t, Object: obj, Role: r.String(), Class: cls, Detail: fmt.Sprintf(format, args...)})
}

// trailer compares the trailers: /Root and /Encrypt must not move; /Info may.
func (c *changeCtx) trailer(old, new pdf.Dict) {
	for _, k := range []pdf.Name{"Root", "Encrypt"} {
		if !equalShallow(old.Get(k), new.Get(k)) {
			c.add("trailer", roleCatalog, ModOther, "the trailer's /%s was redirected", k)
		}
	}
	if !equalShallow(old.Get("Info"), new.Get("Info")) {
		c.add("trailer", roleInfo, ModLTAUpdates, "the document information dictionary was replaced")
	}
}

// object classifies a (re)definition of ref in revision t.
func (c *changeCtx) object(ref pdf.Ref) {
	ov, errOld := c.old.Get(ref)
	nv, errNew := c.new.Get(ref)
	r := c.gOld.roles[ref] | c.gNew.roles[ref]
	// A signature's appearance is frozen only once it was signed in the older revision;
	// the revision that signs a field may still draw its appearance.
	r = r&^roleSignedAP | c.gOld.roles[ref]&roleSignedAP
	if errNew != nil {
		if r != 0 {
			c.add(refString(ref), r, ModOther, "the object cannot be read: %v", errNew)
		}
		return
	}
	if errOld == nil && ov == nil {
		return // a new object: judged through whatever references it
	}
	if errOld == nil && c.equal(ov, nv, 0) {
		return // rewritten unchanged
	}
	if st, ok := ov.(*pdf.Stream); ok {
		if t, _ := st.Dict.Get("Type").(pdf.Name); t == "ObjStm" {
			// The objects inside keep their cross-reference entries and silently
			// take their new values from the redefined container.
			c.add(refString(ref), r, ModOther, "an object stream of an earlier revision was redefined")
			return
		}
	}
	if r == 0 {
		return // reachable in neither revision: invisible
	}
	obj := refString(ref)
	cls := ModNone
	worst := func(m Modification) { cls = maxMod(cls, m) }
	details := []string{}
	note := func(m Modification, format string, args ...any) {
		worst(m)
		details = append(details, fmt.Sprintf(format, args...))
	}
	od, _ := asDict(ov)
	nd, _ := asDict(nv)
	_, oIsStream := ov.(*pdf.Stream)
	_, nIsStream := nv.(*pdf.Stream)
	if oIsStream != nIsStream {
		note(ModOther, "the object changed kind")
	}
	if r&roleCatalog != 0 {
		c.catalog(od, nd, note)
	}
	if r&(roleInfo|roleDSS|roleMetadata) != 0 {
		note(ModLTAUpdates, "document information, metadata or DSS updated")
	}
	if r&roleAcroForm != 0 {
		c.acroForm(od, nd, note)
	}
	if r&roleFormRes != 0 {
		note(ModFormFilling, "form default resources updated")
	}
	if r&(roleField|roleSigField) != 0 {
		if oa, ok := ov.(pdf.Array); ok {
			na, _ := nv.(pdf.Array)
			c.fieldList(oa, na, note)
		} else {
			c.field(ref, od, nd, r, note)
		}
	}
	if r&roleSigValue != 0 {
		note(ModOther, "a signature dictionary was changed after it was signed")
	}
	if r&roleWidget != 0 && r&roleField == 0 {
		c.widget(ref, od, nd, note)
	}
	if r&roleAnnot != 0 {
		note(ModAnnotations, "an annotation was changed")
	}
	if r&roleAnnots != 0 {
		oa, _ := ov.(pdf.Array)
		na, _ := nv.(pdf.Array)
		c.annotList(oa, na, note)
	}
	if r&roleSignedAP != 0 {
		note(ModOther, "the appearance of a signed signature was changed")
	}
	if r&roleWidgetAP != 0 {
		note(ModFormFilling, "a widget appearance was changed")
	}
	if r&roleAnnotAP != 0 {
		note(ModAnnotations, "an annotation appearance was changed")
	}
	if r&roleFieldValue != 0 {
		note(ModFormFilling, "a field value was changed")
		if name, ok := c.fieldName(ref); ok {
			c.rc.fields[name] = maxMod(c.rc.fields[name], ModFormFilling)
		}
	}
	if r&rolePage != 0 {
		c.page(od, nd, note)
	}
	if r&(rolePageTree|roleContent|roleOther) != 0 {
		note(ModOther, "page content, resources or document structure changed")
	}
	if cls == ModNone {
		return
	}
	c.rc.add(Change{Revision: c.t, Object: obj, Role: r.String(), Class: cls, Detail: joinDetails(details)})
}

func joinDetails(d []string) string {
	sort.Strings(d)
	var out []string
	for i, s := range d {
		if i == 0 || d[i-1] != s {
			out = append(out, s)
		}
	}
	var b bytes.Buffer
	for i, s := range out {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(s)
	}
	return b.String()
}

type noteFunc func(m Modification, format string, args ...any)

// changedKeys lists the keys whose values differ between two dictionaries.
func (c *changeCtx) changedKeys(od, nd pdf.Dict) []pdf.Name {
	var keys []pdf.Name
	for k, v := range od {
		if !c.equal(v, nd.Get(k), 1) {
			keys = append(keys, k)
		}
	}
	for k := range nd {
		if _, ok := od[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

func (c *changeCtx) catalog(od, nd pdf.Dict, note noteFunc) {
	for _, k := range c.changedKeys(od, nd) {
		switch k {
		case "DSS", "Extensions", "Version", "Metadata":
			note(ModLTAUpdates, "catalog /%s updated", k)
		case "AcroForm":
			oa, _ := asDict(resolveQuiet(c.old, od.Get(k)))
			na, _ := asDict(resolveQuiet(c.new, nd.Get(k)))
			if _, isRef := nd.Get(k).(pdf.Ref); isRef && equalShallow(od.Get(k), nd.Get(k)) {
				continue
			}
			c.acroForm(oa, na, note)
		default:
			note(ModOther, "catalog /%s changed", k)
		}
	}
}

func (c *changeCtx) acroForm(od, nd pdf.Dict, note noteFunc) {
	if nd == nil {
		note(ModOther, "the interactive form was removed")
		return
	}
	for _, k := range c.changedKeys(od, nd) {
		switch k {
		case "Fields":
			oa, _ := resolveQuiet(c.old, od.Get(k)).(pdf.Array)
			na, _ := resolveQuiet(c.new, nd.Get(k)).(pdf.Array)
			c.fieldList(oa, na, note)
		case "SigFlags":
			note(ModLTAUpdates, "/SigFlags set")
		case "DR":
			if c.onlyAdded(od.Get(k), nd.Get(k), 0) {
				note(ModLTAUpdates, "form default resources extended")
			} else {
				note(ModFormFilling, "form /DR changed")
			}
		case "NeedAppearances", "DA", "Q":
			note(ModFormFilling, "form /%s changed", k)
		default:
			note(ModOther, "form /%s changed", k)
		}
	}
}

// fieldList judges a change of a /Fields or /Kids array: existing fields must stay;
// new ones may only be signature fields.
func (c *changeCtx) fieldList(oa, na pdf.Array, note noteFunc) {
	oldSet := map[pdf.Ref]bool{}
	for _, e := range oa {
		if r, ok := e.(pdf.Ref); ok {
			oldSet[r] = true
		}
	}
	newSet := map[pdf.Ref]bool{}
	for _, e := range na {
		r, ok := e.(pdf.Ref)
		if !ok {
			note(ModOther, "a field that is not an indirect object was added")
			continue
		}
		newSet[r] = true
		if oldSet[r] {
			continue
		}
		if fd, _ := asDict(resolveQuiet(c.new, r)); fd != nil && c.onlySigFields(fd, 0) {
			c.noteSignature(fd)
			note(ModLTAUpdates, "a new signature field was added")
		} else {
			note(ModOther, "a new form field that is not a signature field was added")
		}
	}
	for r := range oldSet {
		if !newSet[r] {
			note(ModOther, "a form field was removed")
		}
	}
}

// noteSignature records that a signature field got a value that is a signature rather
// than a document time-stamp.
func (c *changeCtx) noteSignature(field pdf.Dict) {
	v, ok := asDict(resolveQuiet(c.new, field.Get("V")))
	if !ok {
		return
	}
	if t, _ := v.Get("Type").(pdf.Name); t != "DocTimeStamp" {
		c.rc.sigAdded = true
	}
}

// inheritedFT returns a field's /FT, inherited from its ancestors.
func (c *changeCtx) inheritedFT(d pdf.Dict) pdf.Name {
	for i := 0; i < 32 && d != nil; i++ {
		if ft, ok := d.Get("FT").(pdf.Name); ok {
			return ft
		}
		d, _ = asDict(resolveQuiet(c.new, d.Get("Parent")))
	}
	return ""
}

// onlySigFields reports whether a new field is a signature field, or a non-terminal
// field whose descendants all are.
func (c *changeCtx) onlySigFields(d pdf.Dict, depth int) bool {
	if c.inheritedFT(d) == "Sig" {
		return true
	}
	kids, _ := resolveQuiet(c.new, d.Get("Kids")).(pdf.Array)
	if len(kids) == 0 || depth > 16 {
		return false
	}
	for _, k := range kids {
		kd, ok := asDict(resolveQuiet(c.new, k))
		if !ok || !c.onlySigFields(kd, depth+1) {
			return false
		}
	}
	return true
}

func isSigField(d pdf.Dict) bool {
	ft, _ := d.Get("FT").(pdf.Name)
	return ft == "Sig"
}

func (c *changeCtx) fieldName(ref pdf.Ref) (string, bool) {
	if n, ok := c.gNew.fieldOf[ref]; ok {
		return n, true
	}
	n, ok := c.gOld.fieldOf[ref]
	return n, ok
}

// field judges a change of a field dictionary (possibly merged with its widget).
func (c *changeCtx) field(ref pdf.Ref, od, nd pdf.Dict, r role, note noteFunc) {
	sig := r&roleSigField != 0 || isSigField(od)
	name, _ := c.fieldName(ref)
	for _, k := range c.changedKeys(od, nd) {
		switch {
		case k == "V" && sig:
			if od.Get("V") == nil {
				c.noteSignature(nd)
				note(ModLTAUpdates, "signature field %q was signed", name)
			} else {
				note(ModOther, "the value of signature field %q was replaced", name)
			}
		case k == "Kids":
			oa, _ := resolveQuiet(c.old, od.Get(k)).(pdf.Array)
			na, _ := resolveQuiet(c.new, nd.Get(k)).(pdf.Array)
			c.fieldList(oa, na, note)
		case sig && od.Get("V") != nil && (k == "AP" || k == "AS" || k == "F" || k == "MK" || k == "DA" || k == "Rect"):
			note(ModOther, "the appearance of signed signature field %q was changed", name)
		case sig && (k == "AP" || k == "AS" || k == "F" || k == "MK" || k == "DA") && nd.Get("V") == nil:
			// A new appearance with no signature behind it draws over the page.
			note(ModFormFilling, "appearance of empty signature field %q changed without signing it", name)
		case sig && (k == "AP" || k == "AS" || k == "F" || k == "MK" || k == "DA"):
			note(ModLTAUpdates, "appearance of signature field %q updated", name)
		case !sig && (k == "V" || k == "AP" || k == "AS" || k == "DA" || k == "MK"):
			note(ModFormFilling, "field %q filled", name)
			c.rc.fields[name] = maxMod(c.rc.fields[name], ModFormFilling)
		case k == "Rect" || k == "F":
			note(ModAnnotations, "widget of field %q moved or its flags changed", name)
		default:
			note(ModOther, "field %q: /%s changed", name, k)
		}
	}
}

// widget judges a change of a widget annotation that is not merged with its field.
func (c *changeCtx) widget(ref pdf.Ref, od, nd pdf.Dict, note noteFunc) {
	name, _ := c.fieldName(ref)
	sig, signedBefore, signedNow := false, false, false
	if p, ok := asDict(resolveQuiet(c.new, nd.Get("Parent"))); ok {
		sig = isSigField(p)
		signedNow = p.Get("V") != nil
	}
	if p, ok := asDict(resolveQuiet(c.old, od.Get("Parent"))); ok && isSigField(p) && p.Get("V") != nil {
		signedBefore = true
	}
	if c.gOld.roles[ref]&roleSignedField != 0 {
		signedBefore = true
	}
	for _, k := range c.changedKeys(od, nd) {
		switch k {
		case "AP", "AS", "MK", "DA", "Rect", "F":
			if signedBefore {
				note(ModOther, "the appearance of signed signature field %q was changed", name)
			} else if k == "Rect" || k == "F" {
				note(ModAnnotations, "widget of field %q: /%s changed", name, k)
			} else if sig && !signedNow {
				note(ModFormFilling, "appearance of empty signature field %q changed without signing it", name)
			} else if sig {
				note(ModLTAUpdates, "appearance of signature field %q updated", name)
			} else {
				note(ModFormFilling, "appearance of field %q updated", name)
				c.rc.fields[name] = maxMod(c.rc.fields[name], ModFormFilling)
			}
		case "Parent":
			note(ModOther, "a widget was moved to another field")
		default:
			note(ModAnnotations, "widget of field %q: /%s changed", name, k)
		}
	}
}

// page judges a change of a page dictionary: only its annotations may change.
func (c *changeCtx) page(od, nd pdf.Dict, note noteFunc) {
	for _, k := range c.changedKeys(od, nd) {
		if k != "Annots" {
			note(ModOther, "page /%s changed", k)
			continue
		}
		oa, _ := resolveQuiet(c.old, od.Get(k)).(pdf.Array)
		na, _ := resolveQuiet(c.new, nd.Get(k)).(pdf.Array)
		if _, isRef := nd.Get(k).(pdf.Ref); isRef && equalShallow(od.Get(k), nd.Get(k)) {
			continue // the array object itself is judged on its own
		}
		c.annotList(oa, na, note)
	}
}

// annotList judges a change of a page's /Annots: removed or added annotations, and new
// widgets (only signature widgets are maintenance).
func (c *changeCtx) annotList(oa, na pdf.Array, note noteFunc) {
	oldSet := map[pdf.Ref]bool{}
	for _, e := range oa {
		if r, ok := e.(pdf.Ref); ok {
			oldSet[r] = true
		}
	}
	newSet := map[pdf.Ref]bool{}
	for _, e := range na {
		r, ok := e.(pdf.Ref)
		if !ok {
			note(ModAnnotations, "a direct annotation was added")
			continue
		}
		newSet[r] = true
		if oldSet[r] {
			continue
		}
		ad, _ := asDict(resolveQuiet(c.new, r))
		if st, _ := ad.Get("Subtype").(pdf.Name); st == "Widget" {
			switch {
			case (c.inheritedFT(ad) == "Sig" || c.gNew.sigWidgets[r]) && c.visibleWithoutSignature(ad):
				// No signature comes with it (an empty field, or a document
				// time-stamp, which should be invisible), only an appearance drawn over
				// the page (the "sneaky signature" overlay): form filling at best,
				// which a DocMDP P=1 certification forbids.
				note(ModFormFilling, "a visible widget of a signature field without a signature was added")
			case c.inheritedFT(ad) == "Sig" || c.gNew.sigWidgets[r]:
				note(ModLTAUpdates, "the widget of a new signature was added")
			default:
				note(ModOther, "a widget of a new form field was added")
			}
			continue
		}
		note(ModAnnotations, "an annotation was added")
	}
	for r := range oldSet {
		if newSet[r] {
			continue
		}
		if ad, _ := asDict(resolveQuiet(c.old, r)); ad != nil && ad.Get("Subtype") == pdf.Name("Widget") {
			note(ModOther, "the widget of a form field was removed from its page")
		} else {
			note(ModAnnotations, "an annotation was removed")
		}
	}
}

// visibleWithoutSignature reports whether a signature widget draws something on its
// page (a non-empty /Rect, an appearance, not hidden) while its field holds no
// signature: no value, or a document time-stamp.
func (c *changeCtx) visibleWithoutSignature(w pdf.Dict) bool {
	field := w
	if w.Get("V") == nil && w.Get("FT") == nil {
		if p, ok := asDict(resolveQuiet(c.new, w.Get("Parent"))); ok {
			field = p
		}
	}
	if v := field.Get("V"); v != nil {
		vd, ok := asDict(resolveQuiet(c.new, v))
		if t, _ := vd.Get("Type").(pdf.Name); !ok || t != "DocTimeStamp" {
			return false
		}
	}
	if f, _ := resolveQuiet(c.new, w.Get("F")).(pdf.Integer); f&(2|32) != 0 { // Hidden, NoView
		return false
	}
	if w.Get("AP") == nil {
		return false
	}
	rect, _ := resolveQuiet(c.new, w.Get("Rect")).(pdf.Array)
	if len(rect) != 4 {
		return false
	}
	var v [4]float64
	for i, e := range rect {
		switch n := resolveQuiet(c.new, e).(type) {
		case pdf.Integer:
			v[i] = float64(n)
		case pdf.Real:
			v[i] = float64(n)
		default:
			return false
		}
	}
	return v[2] != v[0] && v[3] != v[1]
}

// equal compares two objects deeply; references compare by identity (a changed
// referenced object is judged on its own). Streams compare dictionaries and raw data.
func (c *changeCtx) equal(a, b pdf.Object, depth int) bool {
	if depth > 64 {
		return false
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case pdf.Ref:
		y, ok := b.(pdf.Ref)
		return ok && x == y
	case pdf.Bool, pdf.Integer, pdf.Real, pdf.Name:
		return a == b
	case pdf.String, pdf.HexString:
		xb, _ := pdf.Bytes(a)
		yb, ok := pdf.Bytes(b)
		return ok && bytes.Equal(xb, yb) && isStringish(b)
	case pdf.Array:
		y, ok := b.(pdf.Array)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !c.equal(x[i], y[i], depth+1) {
				return false
			}
		}
		return true
	case pdf.Dict:
		y, ok := b.(pdf.Dict)
		return ok && c.equalDict(x, y, depth)
	case *pdf.Stream:
		y, ok := b.(*pdf.Stream)
		if !ok || !c.equalDict(x.Dict, y.Dict, depth) {
			return false
		}
		xd, err1 := c.old.RawStreamData(x)
		yd, err2 := c.new.RawStreamData(y)
		return err1 == nil && err2 == nil && bytes.Equal(xd, yd)
	case pdf.Raw:
		y, ok := b.(pdf.Raw)
		return ok && bytes.Equal(x, y)
	}
	return false
}

// onlyAdded reports whether the dictionary new holds every entry of old unchanged
// (one level of nested dictionaries deep, as in /DR /Font): entries were only added.
func (c *changeCtx) onlyAdded(oldO, newO pdf.Object, depth int) bool {
	od, ok1 := asDict(resolveQuiet(c.old, oldO))
	nd, ok2 := asDict(resolveQuiet(c.new, newO))
	if !ok2 {
		return false
	}
	if !ok1 {
		return oldO == nil
	}
	for k, v := range od {
		w, ok := nd[k]
		if !ok {
			return false
		}
		if c.equal(v, w, 1) {
			continue
		}
		if depth > 0 || !c.onlyAdded(v, w, depth+1) {
			return false
		}
	}
	return true
}

func isStringish(o pdf.Object) bool {
	switch o.(type) {
	case pdf.String, pdf.HexString:
		return true
	}
	return false
}

func (c *changeCtx) equalDict(x, y pdf.Dict, depth int) bool {
	if len(x) != len(y) {
		return false
	}
	for k, v := range x {
		w, ok := y[k]
		if !ok || !c.equal(v, w, depth+1) {
			return false
		}
	}
	return true
}

// equalShallow compares two objects without reading streams (for trailer entries).
func equalShallow(a, b pdf.Object) bool {
	c := &changeCtx{}
	switch a.(type) {
	case *pdf.Stream:
		return false
	}
	return c.equal(a, b, 0)
}

func asDict(o pdf.Object) (pdf.Dict, bool) {
	switch v := o.(type) {
	case pdf.Dict:
		return v, true
	case *pdf.Stream:
		return v.Dict, true
	}
	return nil, false
}

func resolveQuiet(d *pdf.Document, o pdf.Object) pdf.Object {
	v, err := d.Resolve(o)
	if err != nil {
		return nil
	}
	return v
}
