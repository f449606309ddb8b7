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
	// unsigned are the widgets of signature fields that were added, or given an
	// appearance, without a signature: visible overlays (the "sneaky signature").
	unsigned []unsignedWidget
	// anomalies are what the revisions' cross-reference structure does that a viewer
	// may read otherwise (pdf.Document.Anomalies): each is also a change of class
	// "other".
	anomalies []revAnomaly
}

// revAnomaly is one finding of pdf.Document.Anomalies for a revision, or the error
// that kept the revision's structure from being read.
type revAnomaly struct {
	rev int
	a   pdf.Anomaly
	err error
}

// unsignedWidget is a visible widget of a signature field that holds no signature.
type unsignedWidget struct {
	ref   pdf.Ref
	field string
}

func (rc *revChanges) add(c Change) {
	rc.changes = append(rc.changes, c)
	rc.class = maxMod(rc.class, c.Class)
}

// differ analyses the revisions of one document. The analysis runs once, revision
// after revision from the oldest signed one, keeping only the two views it compares
// and the roles of objects; every signature then reads the merged result for the
// revisions after its own.
//
// It needs from the document only its revisions (Revisions, AtRevision, FreedIn) and
// objects: how revisions are split and opened stays behind that boundary.
type differ struct {
	doc   *pdf.Document
	revs  []pdf.Revision
	start int // the revision the analysis started from, -1 before it ran
	byRev map[int]*revChanges
	dss   map[int]bool // whether a revision's catalog has a DSS, by revision
	// visits counts the objects the role walk resolved (the cost the analysis is
	// linear in: each object once, plus once per change of it).
	visits int
	// full forces the walk of the signed revision's whole object graph (the lazy
	// analysis falls back to it by itself when it cannot prove its shortcut sound).
	full bool
	// lazy reports whether the last analysis left the unchanged pages out.
	lazy bool
	// census, when set, is fed by the verifier's hashing pass (closing censusDone)
	// for the analysis from revision censusFrom; censusFed reports it was used.
	census     *pdf.RefCensus
	censusFrom int
	censusDone chan struct{}
	censusFed  bool
}

func newDiffer(doc *pdf.Document) *differ {
	return &differ{doc: doc, revs: doc.Revisions(), start: -1, byRev: map[int]*revChanges{}, dss: map[int]bool{}}
}

// since merges what every revision after rev changed. The first call should be for
// the oldest revision any signature covers (a call for an older one starts over).
func (df *differ) since(rev int) *revChanges {
	df.analyse(rev)
	out := &revChanges{class: ModNone, fields: map[string]Modification{}}
	for t := rev + 1; t < len(df.revs); t++ {
		rc := df.byRev[t]
		if rc == nil {
			continue
		}
		out.class = maxMod(out.class, rc.class)
		out.changes = append(out.changes, rc.changes...)
		out.sigAdded = out.sigAdded || rc.sigAdded
		for f, c := range rc.fields {
			out.fields[f] = maxMod(out.fields[f], c)
		}
		out.unsigned = append(out.unsigned, rc.unsigned...)
		out.anomalies = append(out.anomalies, rc.anomalies...)
	}
	// An overlay signed later (its field holds a signature in the newest revision) was
	// only the first step of signing it.
	kept := out.unsigned[:0]
	for _, w := range out.unsigned {
		if !df.signedNow(w.ref) {
			kept = append(kept, w)
		}
	}
	out.unsigned = kept
	return out
}

// signedNow reports whether the signature widget w belongs to a field that holds a
// signature (not a document time-stamp) in the newest revision.
func (df *differ) signedNow(w pdf.Ref) bool {
	d, ok := asDict(resolveQuiet(df.doc, w))
	for i := 0; ok && i < 32; i++ {
		if v := d.Get("V"); v != nil {
			vd, ok := asDict(resolveQuiet(df.doc, v))
			t, _ := vd.Get("Type").(pdf.Name)
			return ok && t != "DocTimeStamp"
		}
		d, ok = asDict(resolveQuiet(df.doc, d.Get("Parent")))
	}
	return false
}

// hasDSS reports whether revision rev's catalog has a DSS.
func (df *differ) hasDSS(rev int) bool {
	if has, ok := df.dss[rev]; ok {
		return has
	}
	has := false
	if view, err := df.doc.AtRevision(rev); err == nil {
		cat, err := view.Catalog()
		has = err == nil && cat.Get("DSS") != nil
	}
	df.dss[rev] = has
	return has
}

// analyse compares every revision after from with the one before it, once. It first
// tries the lazy walk (diff_lazy.go), which leaves out the pages later revisions do not
// change, and falls back to the walk of the whole object graph when the lazy one
// cannot be proved to see every role a change has.
func (df *differ) analyse(from int) {
	if df.start >= 0 && from >= df.start {
		return
	}
	if !df.full && df.analyseWith(from, true) {
		return
	}
	df.analyseWith(from, false)
}

// analyseWith runs the analysis from revision from, lazily or over the whole graph. A
// lazy run reports false (and leaves nothing) when its shortcut turns out unsound.
func (df *differ) analyseWith(from int, lazy bool) bool {
	df.start = from
	df.byRev = map[int]*revChanges{}
	df.lazy = lazy
	w := newRoleWalker()
	prev, err := df.doc.AtRevision(from)
	var pagesRoot pdf.Ref
	if err == nil {
		if lazy {
			var ok bool
			if pagesRoot, ok = df.walkLazily(w, from, prev); !ok {
				df.start = -1
				return false
			}
		} else {
			w.walkAll(prev)
		}
	}
	for t := from + 1; t < len(df.revs); t++ {
		rc := &revChanges{class: ModNone, fields: map[string]Modification{}}
		df.byRev[t] = rc
		fail := func(detail string) {
			rc.add(Change{Revision: t, Object: "document", Role: "unknown", Class: ModOther, Detail: detail})
		}
		if err != nil {
			fail(fmt.Sprintf("revision %d cannot be read: %v", t, err))
			continue
		}
		cur, err2 := df.doc.AtRevision(t)
		if err2 != nil {
			fail(fmt.Sprintf("revision %d cannot be read: %v", t+1, err2))
			err = err2
			continue
		}
		if lazy && pagesRootOf(cur) != pagesRoot {
			// A new page tree: the lazy walk has not seen it.
			df.start = -1
			return false
		}
		df.compare(t, prev, cur, w, rc)
		df.structure(t, w, rc)
		prev = cur
	}
	df.visits = w.visits
	return true
}

// compare classifies what revision t (view cur) changed from revision t-1 (view prev).
func (df *differ) compare(t int, prev, cur *pdf.Document, w *roleWalker, rc *revChanges) {
	changed := df.revs[t].Objects
	freed := df.doc.FreedIn(t)
	before := make(map[pdf.Ref]role, len(changed)+len(freed))
	for _, ref := range changed {
		before[ref] = w.roles[ref]
	}
	for _, ref := range freed {
		before[ref] = w.roles[ref]
	}
	oldTr, newTr := prev.Trailer(), cur.Trailer()
	w.walkChanges(cur, changed, oldTr, newTr)
	if !w.complete {
		rc.add(Change{Revision: t, Object: "document", Role: "unknown", Class: ModOther,
			Detail: "the document has too many objects to analyse its changes"})
		return
	}
	c := &changeCtx{t: t, old: prev, new: cur, before: before, w: w, rc: rc, memo: map[[2]pdf.Ref]bool{}}
	c.trailer(oldTr, newTr)
	for _, ref := range changed {
		c.object(ref)
	}
	// Objects freed or made to vanish: what still refers to them now shows nothing. A
	// freed object is gone when a referrer that this revision did not rewrite still
	// holds it (a rewritten one that still does is in w.dangling); one replaced by a
	// copy everywhere is merely garbage.
	gone := map[pdf.Ref]bool{}
	isChanged := make(map[pdf.Ref]bool, len(changed))
	for _, ref := range changed {
		isChanged[ref] = true
	}
	isFreed := make(map[pdf.Ref]bool, len(freed))
	for _, ref := range freed {
		isFreed[ref] = true
	}
	for _, ref := range freed {
		for _, p := range w.parents[ref] {
			if !isChanged[p] && !isFreed[p] {
				gone[ref] = true
				break
			}
		}
	}
	for ref := range w.dangling {
		gone[ref] = true
	}
	var list []pdf.Ref
	for ref := range gone {
		list = append(list, ref)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Num < list[j].Num })
	for _, ref := range list {
		r := (before[ref] | w.roles[ref]).judged()
		if r == 0 {
			continue
		}
		if ov, err := prev.Get(ref); err == nil && ov != nil {
			cls := ModOther
			if r&^(roleAnnot|roleAnnotAP) == 0 {
				cls = ModAnnotations
			}
			rc.add(Change{Revision: t, Object: refString(ref), Role: r.String(), Class: cls, Detail: "object removed"})
		}
	}
}

// structure records what revision t's cross-reference structure does that a viewer
// may read otherwise (an entry pointing a signed object's number at another object —
// the "shadow hide" redirect —, a definition switched on from earlier bytes, a hidden
// section, an %%EOF before the startxref, an appended linearization dictionary): the
// reader worked around it, so the comparison of objects may not be what a viewer
// shows. Each is a change of class "other", and the verdict names it.
func (df *differ) structure(t int, w *roleWalker, rc *revChanges) {
	an, err := df.doc.Anomalies(t)
	if err != nil {
		rc.anomalies = append(rc.anomalies, revAnomaly{rev: t, err: err})
		rc.add(Change{Revision: t, Object: "cross-reference", Role: "cross-reference", Class: ModOther,
			Detail: fmt.Sprintf("the revision's cross-reference structure cannot be read: %v", err)})
		return
	}
	for _, a := range an {
		rc.anomalies = append(rc.anomalies, revAnomaly{rev: t, a: a})
		obj, r := "cross-reference", "cross-reference"
		if a.Ref.Num > 0 {
			obj = refString(a.Ref)
			if jr := w.roles[a.Ref].judged(); jr != 0 {
				r = jr.String()
			}
		}
		rc.add(Change{Revision: t, Object: obj, Role: r, Class: ModOther,
			Detail: fmt.Sprintf("%s: %s (a viewer may show content other than what was checked)", a.Kind, a.Detail)})
	}
}

func refString(r pdf.Ref) string { return fmt.Sprintf("%d %d R", r.Num, r.Gen) }

// changeCtx classifies the changes of one revision.
type changeCtx struct {
	t        int
	old, new *pdf.Document
	before   map[pdf.Ref]role // roles of the changed objects before this revision
	w        *roleWalker      // roles after it
	rc       *revChanges
	memo     map[[2]pdf.Ref]bool // compared pairs of objects (old, new)
	budget   int                 // objects compared by value so far
}

// maxCompare bounds the objects one revision's comparison resolves to compare values.
const maxCompare = 200_000

func (c *changeCtx) add(obj string, r role, cls Modification, format string, args ...any) {
	c.rc.add(Change{Revision: c.t, Object: obj, Role: r.String(), Class: cls, Detail: fmt.Sprintf(format, args...)})
}

// trailer compares the trailers: /Encrypt must not move; /Root may move to another
// catalog object, whose content is then judged as a change of the catalog; /Info may
// change.
func (c *changeCtx) trailer(old, new pdf.Dict) {
	if !equalShallow(old.Get("Encrypt"), new.Get("Encrypt")) {
		c.add("trailer", roleCatalog, ModOther, "the trailer's /Encrypt was replaced")
	}
	if !equalShallow(old.Get("Root"), new.Get("Root")) {
		od, ok1 := asDict(resolveQuiet(c.old, old.Get("Root")))
		nd, ok2 := asDict(resolveQuiet(c.new, new.Get("Root")))
		if !ok1 || !ok2 {
			c.add("trailer", roleCatalog, ModOther, "the trailer's /Root was redirected to something that is not a catalog")
		} else {
			j := &judgement{}
			c.catalog(od, nd, j.note)
			c.commit("trailer /Root", roleCatalog, j)
		}
	}
	if !c.equal(old.Get("Info"), new.Get("Info"), 0) {
		c.add("trailer", roleInfo, ModLTAUpdates, "the document information dictionary was replaced")
	}
}

// judgement collects what a change of one object amounts to.
type judgement struct {
	cls     Modification
	details []string
}

func (j *judgement) note(m Modification, format string, args ...any) {
	j.cls = maxMod(j.cls, m)
	j.details = append(j.details, fmt.Sprintf(format, args...))
}

func (c *changeCtx) commit(obj string, r role, j *judgement) {
	if j.cls == "" || j.cls == ModNone {
		return
	}
	c.rc.add(Change{Revision: c.t, Object: obj, Role: r.String(), Class: j.cls, Detail: joinDetails(j.details)})
}

// object classifies a (re)definition of ref in revision t.
func (c *changeCtx) object(ref pdf.Ref) {
	ov, errOld := c.old.Get(ref)
	nv, errNew := c.new.Get(ref)
	before := c.before[ref]
	r := (before | c.w.roles[ref]).judged()
	// A signature's appearance is frozen only once it was signed in the older revision;
	// the revision that signs a field may still draw its appearance.
	r = r&^roleSignedAP | before&roleSignedAP
	if errNew != nil {
		if r != 0 {
			c.add(refString(ref), r, ModOther, "the object cannot be read: %v", errNew)
		}
		return
	}
	if errOld == nil && ov == nil && before == 0 {
		return // a new object: judged through whatever references it
	}
	if errOld == nil && c.equal(ov, nv, 0) {
		return // rewritten with the same value
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
	j := &judgement{}
	note := j.note
	od, _ := asDict(ov)
	nd, _ := asDict(nv)
	_, oIsStream := ov.(*pdf.Stream)
	_, nIsStream := nv.(*pdf.Stream)
	if ov != nil && oIsStream != nIsStream {
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
	if r&rolePageTree != 0 {
		c.pageTree(od, nd, note)
	}
	if r&roleContent != 0 {
		note(ModOther, "page content or resources changed")
	}
	if r&roleStruct != 0 {
		if c.extends(ov, nv, 0) {
			note(ModLTAUpdates, "the structure tree was extended")
		} else {
			note(ModOther, "the structure tree was changed")
		}
	}
	if r&roleNames != 0 {
		if od != nil && nd != nil && nd.Get("Names") == nil && od.Get("Names") == nil && nd.Get("Kids") == nil {
			c.names(od, nd, note) // the catalog's /Names dictionary itself
		} else {
			note(ModOther, "a name tree was changed")
		}
	}
	if r&roleNamedAP != 0 {
		if c.extends(ov, nv, 0) {
			note(ModLTAUpdates, "named appearance streams were added")
		} else {
			note(ModOther, "the named appearance streams were changed")
		}
	}
	if r&roleOther != 0 {
		note(ModOther, "document structure changed (outlines, actions or other catalog entries)")
	}
	c.commit(refString(ref), r, j)
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

// catalog judges a change of the catalog, key by key.
func (c *changeCtx) catalog(od, nd pdf.Dict, note noteFunc) {
	for _, k := range c.changedKeys(od, nd) {
		switch k {
		case "DSS", "Extensions", "Version", "Metadata":
			note(ModLTAUpdates, "catalog /%s updated", k)
		case "PieceInfo", "LastModified":
			note(ModLTAUpdates, "catalog /%s (application data) updated", k)
		case "AcroForm":
			if _, isRef := nd.Get(k).(pdf.Ref); isRef && equalShallow(od.Get(k), nd.Get(k)) {
				continue // the same object: judged on its own
			}
			oa, _ := asDict(resolveQuiet(c.old, od.Get(k)))
			na, _ := asDict(resolveQuiet(c.new, nd.Get(k)))
			c.acroForm(oa, na, note)
		case "Names":
			if _, isRef := nd.Get(k).(pdf.Ref); isRef && equalShallow(od.Get(k), nd.Get(k)) {
				continue
			}
			on, _ := asDict(resolveQuiet(c.old, od.Get(k)))
			nn, ok := asDict(resolveQuiet(c.new, nd.Get(k)))
			if !ok {
				note(ModOther, "catalog /Names removed")
				continue
			}
			c.names(on, nn, note)
		case "StructTreeRoot":
			if _, isRef := nd.Get(k).(pdf.Ref); isRef && equalShallow(od.Get(k), nd.Get(k)) {
				continue
			}
			if od.Get(k) != nil && c.extends(resolveQuiet(c.old, od.Get(k)), resolveQuiet(c.new, nd.Get(k)), 0) {
				note(ModLTAUpdates, "the structure tree was extended")
			} else {
				note(ModOther, "catalog /%s changed", k)
			}
		default:
			note(ModOther, "catalog /%s changed", k)
		}
	}
}

// names judges a change of the catalog's /Names dictionary: named appearance streams
// (/AP) may be added; every other name tree (destinations, JavaScript, embedded
// files…) must keep its value.
func (c *changeCtx) names(od, nd pdf.Dict, note noteFunc) {
	for _, k := range c.changedKeys(od, nd) {
		if k == "AP" && od.Get(k) == nil {
			note(ModLTAUpdates, "named appearance streams were added")
			continue
		}
		if k == "AP" {
			if _, isRef := nd.Get(k).(pdf.Ref); isRef && equalShallow(od.Get(k), nd.Get(k)) {
				continue
			}
			if c.extends(resolveQuiet(c.old, od.Get(k)), resolveQuiet(c.new, nd.Get(k)), 0) {
				note(ModLTAUpdates, "named appearance streams were added")
				continue
			}
		}
		note(ModOther, "the /Names /%s tree changed", k)
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
	oldSet := make(map[pdf.Ref]bool, len(oa))
	// Partial names of the siblings: two fields of one parent with the same /T have
	// the same fully qualified name and are one field (ISO 32000-1 12.7.3.2), so a
	// new field taking an existing name shows its value as that field's (a second
	// signature passed off under the signed field's name).
	taken := make(map[string]bool, len(oa))
	for _, e := range oa {
		if r, ok := e.(pdf.Ref); ok {
			oldSet[r] = true
		}
		if fd, _ := asDict(resolveQuiet(c.old, e)); fd != nil {
			if t, ok := pdf.Text(resolveQuiet(c.old, fd.Get("T"))); ok && t != "" {
				taken[t] = true
			}
		}
	}
	newSet := make(map[pdf.Ref]bool, len(na))
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
		fd, _ := asDict(resolveQuiet(c.new, r))
		if t, ok := pdf.Text(resolveQuiet(c.new, fd.Get("T"))); ok && t != "" {
			if taken[t] {
				note(ModOther, "a new field takes the name %q of an existing field (fields of one name are one field)", t)
				continue
			}
			taken[t] = true
		}
		if fd != nil && c.onlySigFields(fd, 0) {
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
	n, ok := c.w.fieldOf[ref]
	return n, ok
}

// readOnlyAdded reports whether a field's /Ff changed only by setting ReadOnly (bit 1),
// which signing tools do to the field they sign.
func readOnlyAdded(o, n pdf.Object) bool {
	of, _ := o.(pdf.Integer)
	nf, ok := n.(pdf.Integer)
	return ok && nf&^1 == of&^1 && nf&1 == 1
}

// emptied says how a widget was emptied in place (no longer a widget, its appearance
// removed, its rectangle reduced to nothing, hidden), or "".
func (c *changeCtx) emptied(od, nd pdf.Dict) string {
	if od == nil || nd == nil {
		return ""
	}
	if st, _ := od.Get("Subtype").(pdf.Name); st != "Widget" {
		return ""
	}
	if st, _ := nd.Get("Subtype").(pdf.Name); st != "Widget" {
		return "is no longer a widget"
	}
	if od.Get("AP") != nil && nd.Get("AP") == nil {
		return "lost its appearance"
	}
	if rectArea(c.old, od) > 0 && rectArea(c.new, nd) == 0 {
		return "was reduced to an empty rectangle"
	}
	of, _ := resolveQuiet(c.old, od.Get("F")).(pdf.Integer)
	nf, _ := resolveQuiet(c.new, nd.Get("F")).(pdf.Integer)
	if of&(2|32) == 0 && nf&(2|32) != 0 { // Hidden, NoView
		return "was hidden"
	}
	return ""
}

// rectArea is the area of an annotation's /Rect (0 when missing or malformed).
func rectArea(doc *pdf.Document, d pdf.Dict) float64 {
	rect, _ := resolveQuiet(doc, d.Get("Rect")).(pdf.Array)
	if len(rect) != 4 {
		return 0
	}
	var v [4]float64
	for i, e := range rect {
		f, ok := number(resolveQuiet(doc, e))
		if !ok {
			return 0
		}
		v[i] = f
	}
	w, h := v[2]-v[0], v[3]-v[1]
	if w < 0 {
		w = -w
	}
	if h < 0 {
		h = -h
	}
	return w * h
}

// field judges a change of a field dictionary (possibly merged with its widget).
func (c *changeCtx) field(ref pdf.Ref, od, nd pdf.Dict, r role, note noteFunc) {
	sig := r&roleSigField != 0 || isSigField(od)
	name, _ := c.fieldName(ref)
	if how := c.emptied(od, nd); how != "" {
		note(ModOther, "the widget of field %q %s", name, how)
	}
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
		case sig && k == "Ff" && readOnlyAdded(resolveQuiet(c.old, od.Get(k)), resolveQuiet(c.new, nd.Get(k))):
			note(ModLTAUpdates, "signature field %q made read-only", name)
		case k == "StructParent" && od.Get(k) == nil:
			note(ModLTAUpdates, "widget of field %q tagged for the structure tree", name)
		case sig && od.Get("V") != nil && (k == "AP" || k == "AS" || k == "F" || k == "MK" || k == "DA" || k == "Rect"):
			note(ModOther, "the appearance of signed signature field %q was changed", name)
		case sig && (k == "AP" || k == "AS" || k == "F" || k == "MK" || k == "DA") && nd.Get("V") == nil:
			// A new appearance with no signature behind it draws over the page.
			note(ModFormFilling, "appearance of empty signature field %q changed without signing it", name)
			if c.visibleWithoutSignature(nd) {
				c.rc.unsigned = append(c.rc.unsigned, unsignedWidget{ref, name})
			}
		case sig && (k == "AP" || k == "AS" || k == "F" || k == "MK" || k == "DA"):
			note(ModLTAUpdates, "appearance of signature field %q updated", name)
		case !sig && (k == "V" || k == "AP" || k == "AS" || k == "DA" || k == "MK" || k == "I"):
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
	if c.before[ref]&roleSignedField != 0 {
		signedBefore = true
	}
	if how := c.emptied(od, nd); how != "" {
		note(ModOther, "the widget of field %q %s", name, how)
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
				if c.visibleWithoutSignature(nd) {
					c.rc.unsigned = append(c.rc.unsigned, unsignedWidget{ref, name})
				}
			} else if sig {
				note(ModLTAUpdates, "appearance of signature field %q updated", name)
			} else {
				note(ModFormFilling, "appearance of field %q updated", name)
				c.rc.fields[name] = maxMod(c.rc.fields[name], ModFormFilling)
			}
		case "StructParent":
			if od.Get(k) == nil {
				note(ModLTAUpdates, "widget of field %q tagged for the structure tree", name)
			} else {
				note(ModOther, "widget of field %q: /%s changed", name, k)
			}
		case "Parent", "Subtype", "Type", "FT", "Kids":
			note(ModOther, "widget of field %q: /%s changed", name, k)
		default:
			note(ModAnnotations, "widget of field %q: /%s changed", name, k)
		}
	}
}

// page judges a change of a page dictionary: only its annotations (and the keys that
// tag it for accessibility) may change.
func (c *changeCtx) page(od, nd pdf.Dict, note noteFunc) {
	for _, k := range c.changedKeys(od, nd) {
		switch k {
		case "Annots":
			if _, isRef := nd.Get(k).(pdf.Ref); isRef && equalShallow(od.Get(k), nd.Get(k)) {
				continue // the array object itself is judged on its own
			}
			oa, _ := resolveQuiet(c.old, od.Get(k)).(pdf.Array)
			na, _ := resolveQuiet(c.new, nd.Get(k)).(pdf.Array)
			c.annotList(oa, na, note)
		case "Tabs":
			// Tab order (PDF/UA asks for /Tabs /S on a page with annotations):
			// nothing drawn changes.
			note(ModLTAUpdates, "page /%s set for accessibility", k)
		case "StructParents":
			// Given to a page that had none, it tags the page; changed, it would map
			// the page's marked content to other structure elements (other
			// /ActualText, another reading).
			if od.Get(k) == nil {
				note(ModLTAUpdates, "page /%s set for accessibility", k)
			} else {
				note(ModOther, "page /%s changed (its content maps to other structure elements)", k)
			}
		case "PieceInfo", "LastModified":
			// Application data and its date (ISO 32000-1 14.5): Acrobat touches them
			// when it changes a page's annotations; nothing drawn changes.
			note(ModLTAUpdates, "page /%s (application data) updated", k)
		default:
			note(ModOther, "page /%s changed", k)
		}
	}
}

// pageTree judges a change of a /Pages node: its kids and inherited attributes must
// stay; a producer's private mark (iText's /ITXT) may change.
func (c *changeCtx) pageTree(od, nd pdf.Dict, note noteFunc) {
	if od == nil || nd == nil {
		note(ModOther, "a page tree node was replaced")
		return
	}
	for _, k := range c.changedKeys(od, nd) {
		switch k {
		case "ITXT":
			note(ModLTAUpdates, "the producer's mark /%s on the page tree changed", k)
		default:
			note(ModOther, "page tree /%s changed", k)
		}
	}
}

// annotList judges a change of a page's /Annots: removed or added annotations, and new
// widgets (only signature widgets are maintenance). Direct annotations are matched by
// value: rewriting the array keeps them.
func (c *changeCtx) annotList(oa, na pdf.Array, note noteFunc) {
	oldSet := make(map[pdf.Ref]bool, len(oa))
	var oldDirect []pdf.Object
	for _, e := range oa {
		if r, ok := e.(pdf.Ref); ok {
			oldSet[r] = true
		} else {
			oldDirect = append(oldDirect, e)
		}
	}
	matched := make([]bool, len(oldDirect))
	newSet := make(map[pdf.Ref]bool, len(na))
	var newDirect []pdf.Object
	for _, e := range na {
		r, ok := e.(pdf.Ref)
		if !ok {
			newDirect = append(newDirect, e)
			continue
		}
		newSet[r] = true
		if oldSet[r] {
			continue
		}
		ad, _ := asDict(resolveQuiet(c.new, r))
		if st, _ := ad.Get("Subtype").(pdf.Name); st == "Widget" {
			switch {
			case (c.inheritedFT(ad) == "Sig" || c.w.sigWidgets[r]) && c.visibleWithoutSignature(ad):
				// No signature comes with it (an empty field, or a document
				// time-stamp, which should be invisible), only an appearance drawn over
				// the page (the "sneaky signature" overlay).
				note(ModFormFilling, "a visible widget of a signature field without a signature was added")
				name, _ := c.fieldName(r)
				c.rc.unsigned = append(c.rc.unsigned, unsignedWidget{r, name})
			case c.inheritedFT(ad) == "Sig" || c.w.sigWidgets[r]:
				note(ModLTAUpdates, "the widget of a new signature was added")
			default:
				note(ModOther, "a widget of a new form field was added")
			}
			continue
		}
		note(ModAnnotations, "an annotation was added")
	}
	// Direct annotations: the same value, anywhere in the array, is the same annotation.
	unmatchedNew := 0
	for _, e := range newDirect {
		found := false
		for i, o := range oldDirect {
			if !matched[i] && c.equal(o, e, 1) {
				matched[i], found = true, true
				break
			}
		}
		if !found {
			unmatchedNew++
			if d, ok := e.(pdf.Dict); ok && d.Get("Subtype") == pdf.Name("Widget") {
				note(ModOther, "a direct widget annotation was added or changed")
			} else {
				note(ModAnnotations, "a direct annotation was added or changed")
			}
		}
	}
	// Old ones left unmatched beyond those changed in place were removed.
	for i, o := range oldDirect {
		if matched[i] {
			continue
		}
		if unmatchedNew > 0 {
			unmatchedNew--
			continue
		}
		{
			if d, ok := o.(pdf.Dict); ok && d.Get("Subtype") == pdf.Name("Widget") {
				note(ModOther, "a direct widget annotation was removed")
			} else {
				note(ModAnnotations, "a direct annotation was removed")
			}
		}
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
	return rectArea(c.new, w) > 0
}
