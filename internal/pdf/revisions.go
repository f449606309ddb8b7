package pdf

import (
	"bytes"
	"fmt"
	"sort"
	"sync"
)

// AnomalyKind names something in a revision's cross-reference structure that lets a
// viewer show something other than what a reader of the revisions sees, or that a
// splitter into revisions may be fooled by. The package still reads such files (as
// viewers do); Anomalies reports what it repaired or worked around so that a
// verifier can judge it.
type AnomalyKind string

const (
	// AnomalyWrongObject: the revision's cross-reference entry for the object points
	// at an offset that holds another object's header. This package then reads the
	// object found by scanning the file; a viewer following the entry shows whatever
	// lies at the offset (the "shadow hide" variant that redirects a signed object
	// number to a different object).
	AnomalyWrongObject AnomalyKind = "wrong-object"
	// AnomalyEarlierBytes: an incremental update redefines the object with a
	// definition that lies in the bytes of an earlier revision (inside what an
	// earlier signature covers), one that earlier revision carried but did not use: a
	// shadow definition switched on without adding any object bytes.
	AnomalyEarlierBytes AnomalyKind = "earlier-bytes"
	// AnomalySectionInEarlierBytes: a cross-reference section this revision uses lies
	// in the bytes of an earlier revision. Its entries are counted as this revision's
	// changes (not the earlier revision's, whose bytes hold it).
	AnomalySectionInEarlierBytes AnomalyKind = "section-in-earlier-bytes"
	// AnomalyLinearization: an incremental update adds or redefines a linearization
	// dictionary (only the original file may be linearized; a viewer trusting an
	// appended one reads the first page from the hint data it points at).
	AnomalyLinearization AnomalyKind = "linearization-added"
	// AnomalyEOFBeforeStartXRef: an %%EOF marker lies between the revision's trailer
	// and the startxref that points at its cross-reference section. A splitter that
	// cuts at the first %%EOF would end the revision there, leaving its startxref to
	// the next one. This package ends the revision at the %%EOF after its startxref.
	AnomalyEOFBeforeStartXRef AnomalyKind = "eof-before-startxref"
)

// Anomaly is one finding of Anomalies.
type Anomaly struct {
	Kind AnomalyKind
	// Ref is the object concerned (Num 0 for a finding about the revision itself).
	Ref Ref
	// Offset is where it was found in the file (-1 when unknown).
	Offset int64
	// Detail says what was found, in English.
	Detail string
}

// String describes the anomaly in one line.
func (a Anomaly) String() string {
	if a.Ref.Num > 0 {
		return fmt.Sprintf("%s: object %s: %s", a.Kind, a.Ref, a.Detail)
	}
	return fmt.Sprintf("%s: %s", a.Kind, a.Detail)
}

// revMemo is what the document and its views compute once per revision on demand.
type revMemo struct {
	revs     []revision // the whole file's revisions (not a view's)
	histOnce sync.Once
	hist     map[int][]histEntry // every definition of each object, oldest first

	mu    sync.Mutex
	anoms map[int][]Anomaly
	views map[int]*Document
	lin   int8 // the file starts with a linearization dictionary: 0 unknown, 1 yes, -1 no
}

// revisionRange checks i.
func (d *Document) revisionRange(i int) error {
	if i < 0 || i >= len(d.revs) {
		return fmt.Errorf("pdf: revision %d out of range (document has %d)", i, len(d.revs))
	}
	return nil
}

// Anomalies returns what revision i's cross-reference structure does that a viewer
// may read differently (see AnomalyKind), in a stable order. It reads the header of
// every object the revision defines (and parses the objects an incremental update
// defines), once per document; a recovered document reports none (its
// cross-reference was rebuilt, which Recovered says). The result is shared: do not
// modify it.
func (d *Document) Anomalies(i int) ([]Anomaly, error) {
	if err := d.revisionRange(i); err != nil {
		return nil, err
	}
	d.anoms.mu.Lock()
	if a, ok := d.anoms.anoms[i]; ok {
		d.anoms.mu.Unlock()
		return a, nil
	}
	d.anoms.mu.Unlock()
	out := append([]Anomaly(nil), d.revs[i].anoms...)
	if d.history() != nil {
		found, err := d.entryAnomalies(i)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	d.anoms.mu.Lock()
	if d.anoms.anoms == nil {
		d.anoms.anoms = map[int][]Anomaly{}
	}
	d.anoms.anoms[i] = out
	d.anoms.mu.Unlock()
	return out, nil
}

// revEntries returns revision i's own entries (as merged from its sections), by
// object number.
func (d *Document) revEntries(i int) map[int]xrefEntry {
	m := map[int]xrefEntry{}
	secs := d.revs[i].sections
	for k := len(secs) - 1; k >= 0; k-- {
		for n, e := range secs[k].entries {
			m[n] = e
		}
	}
	return m
}

// entryBefore returns object num's entry as of the revision before i.
func (d *Document) entryBefore(num, i int) (xrefEntry, bool) {
	h := d.history()[num]
	k := sort.Search(len(h), func(j int) bool { return h[j].rev >= i }) - 1
	if k < 0 {
		return xrefEntry{}, false
	}
	return h[k].e, true
}

// entryAt returns object num's entry as of revision i.
func (d *Document) entryAt(num, i int) (xrefEntry, bool) {
	return d.entryBefore(num, i+1)
}

func (d *Document) entryAnomalies(i int) ([]Anomaly, error) {
	entries := d.revEntries(i)
	nums := make([]int, 0, len(entries))
	for n := range entries {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	var out []Anomaly
	var view *Document
	if i > 0 {
		var err error
		if view, err = d.revisionView(i); err != nil {
			return nil, err
		}
	}
	for _, n := range nums {
		e := entries[n]
		if e.typ == 0 {
			continue
		}
		ref := Ref{n, e.gen}
		if e.typ == 2 {
			ref.Gen = 0
		}
		prev, had := d.entryBefore(n, i)
		changed := i > 0 && (!had || prev != e)
		switch e.typ {
		case 1:
			// An entry a few bytes off (no object header at the offset) is a common
			// writer bug that viewers repair the same way; another object's header
			// there is what a viewer not checking numbers would show instead.
			if got, ok := d.objectNumberAt(e.off); ok && got != n {
				out = append(out, Anomaly{Kind: AnomalyWrongObject, Ref: ref, Offset: e.off,
					Detail: fmt.Sprintf("the cross-reference entry points at offset %d, which holds object %d", e.off, got)})
			}
			if changed && e.off < d.revs[i-1].EOF {
				out = append(out, Anomaly{Kind: AnomalyEarlierBytes, Ref: ref, Offset: e.off,
					Detail: fmt.Sprintf("redefined by a definition at offset %d, inside revision %d's bytes", e.off, d.revisionAt(e.off))})
			}
		case 2:
			if changed {
				ce, ok := d.entryAt(int(e.off), i)
				cprev, cok := d.entryBefore(int(e.off), i)
				if ok && cok && ce == cprev {
					out = append(out, Anomaly{Kind: AnomalyEarlierBytes, Ref: ref, Offset: -1,
						Detail: fmt.Sprintf("redefined by a definition inside object stream %d of an earlier revision", e.off)})
				}
			}
		}
		if changed {
			o, err := view.Get(ref)
			if err != nil {
				continue // unreadable: the modification analysis reports it
			}
			if dd, ok := o.(Dict); ok && dd.Get("Linearized") != nil {
				out = append(out, Anomaly{Kind: AnomalyLinearization, Ref: ref, Offset: -1,
					Detail: "an incremental update adds a linearization dictionary"})
			}
		}
	}
	return out, nil
}

// revisionAt returns the revision whose bytes hold off.
func (d *Document) revisionAt(off int64) int {
	for k, r := range d.revs {
		if off < r.EOF {
			return k
		}
	}
	return len(d.revs) - 1
}

// objectNumberAt reads the "N G obj" header at off.
func (d *Document) objectNumberAt(off int64) (int, bool) {
	buf, err := d.readAt(off, 64)
	if err != nil {
		return 0, false
	}
	l := &lexer{buf: buf, base: off, atEOF: true, maxDepth: 1}
	l.skipWS()
	n, err1 := l.parseObject(0)
	g, err2 := l.parseObject(0)
	kw, err3 := l.parseObject(0)
	num, ok1 := n.(Integer)
	_, ok2 := g.(Integer)
	if err1 != nil || err2 != nil || err3 != nil || !ok1 || !ok2 || kw != keyword("obj") || num < 0 || num > 1<<31-1 {
		return 0, false
	}
	return int(num), true
}

// ChangedObjects returns, sorted by number, the objects whose definition revision i
// changes compared with revision i-1: the objects it adds, redefines elsewhere or
// frees (a freed object comes with the generation it had), and the objects of an
// object stream it redefines whose entries still point into that stream. An object
// listed again with the same entry is not changed. For revision 0 it returns every
// object the original file defines; for a recovered document, the objects defined in
// the revision's bytes. The cost is that of revision i's own cross-reference
// entries (plus one pass over all objects when the revision redefines an object
// stream), not that of the whole document.
//
// With ObjectAt, this is the interface of the modification analysis: the objects
// changed between revision i-1 and i, and object X as of revision i.
func (d *Document) ChangedObjects(i int) ([]Ref, error) {
	if err := d.revisionRange(i); err != nil {
		return nil, err
	}
	if i == 0 || d.history() == nil {
		return append([]Ref(nil), d.revs[i].Objects...), nil
	}
	var out []Ref
	seen := map[int]bool{}
	containers := map[int]bool{}
	for n, e := range d.revEntries(i) {
		prev, had := d.entryBefore(n, i)
		switch {
		case had && prev == e:
			continue
		case e.typ == 0 && (!had || prev.typ == 0):
			continue // freed again, or never defined
		case e.typ == 0:
			gen := prev.gen
			if prev.typ == 2 {
				gen = 0
			}
			out = append(out, Ref{n, gen})
		case e.typ == 2:
			out = append(out, Ref{n, 0})
		default:
			out = append(out, Ref{n, e.gen})
			if had && prev.typ == 1 {
				containers[n] = true // perhaps an object stream: its members change too
			}
		}
		seen[n] = true
	}
	if len(containers) > 0 {
		for n := range d.history() {
			if seen[n] {
				continue
			}
			if e, ok := d.entryAt(n, i); ok && e.typ == 2 && containers[int(e.off)] {
				out = append(out, Ref{n, 0})
				seen[n] = true
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Num < out[b].Num })
	return out, nil
}

// ObjectAt returns object r as it is in revision i (nil when free or missing there).
// Objects are shared between revisions: an object whose cross-reference entry did not
// change is parsed once for all of them, so reading every changed object of every
// revision costs about as much as reading the file once.
func (d *Document) ObjectAt(r Ref, i int) (Object, error) {
	v, err := d.revisionView(i)
	if err != nil {
		return nil, err
	}
	return v.Get(r)
}

// revisionView returns a view of revision i, made once per document.
func (d *Document) revisionView(i int) (*Document, error) {
	if err := d.revisionRange(i); err != nil {
		return nil, err
	}
	if d.xref != nil && !d.recovered && d.upto == i {
		return d, nil
	}
	d.anoms.mu.Lock()
	v, ok := d.anoms.views[i]
	d.anoms.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := d.AtRevision(i)
	if err != nil {
		return nil, err
	}
	d.anoms.mu.Lock()
	if d.anoms.views == nil {
		d.anoms.views = map[int]*Document{}
	}
	d.anoms.views[i] = v
	d.anoms.mu.Unlock()
	return v, nil
}

// sectionEOF returns the end of the revision whose cross-reference section is sec:
// just after the %%EOF (and its end-of-line) that follows the startxref pointing at
// sec, or, when no such startxref follows the trailer (a linearized file's
// first-page section, a broken writer), just after the first %%EOF after sec. It
// reports an %%EOF marker found between the trailer and that startxref.
func (d *Document) sectionEOF(sec *xrefSection) (int64, []Anomaly, error) {
	const window = 64 << 10
	limit := min(d.size, sec.end+window)
	sx, err := d.scanFor(sec.end, []byte("startxref"), limit)
	if err != nil {
		return 0, nil, err
	}
	if sx >= 0 {
		var val int64 = -1
		_ = d.withWindow(sx+9, func(l *lexer) error {
			o, err := l.parseObject(0)
			if i, ok := o.(Integer); ok && err == nil {
				val = int64(i)
			}
			return err
		})
		if val >= 0 && (val == sec.offset || (d.header > 0 && val+d.header == sec.offset)) {
			eofPos, err := d.scanFor(sx, []byte("%%EOF"), min(d.size, sx+window))
			if err != nil {
				return 0, nil, err
			}
			if eofPos >= 0 {
				var anoms []Anomaly
				if early, err := d.scanFor(sec.end, []byte("%%EOF"), sx); err == nil && early >= 0 {
					anoms = append(anoms, Anomaly{Kind: AnomalyEOFBeforeStartXRef, Offset: early,
						Detail: fmt.Sprintf("an %%%%EOF marker at offset %d lies between the trailer of the section at %d and its startxref", early, sec.offset)})
				}
				eof, err := d.skipEOL(eofPos + 5)
				return eof, anoms, err
			}
		}
	}
	eof, err := d.findEOF(sec.end)
	return eof, nil, err
}

// startsLinearized reports whether the file's first object is a linearization
// dictionary.
func (d *Document) startsLinearized() bool {
	d.anoms.mu.Lock()
	lin := d.anoms.lin
	d.anoms.mu.Unlock()
	if lin != 0 {
		return lin > 0
	}
	lin = -1
	if buf, err := d.readAt(d.header, 1024); err == nil {
		if i := bytes.Index(buf, []byte("obj")); i > 0 {
			if st, ok := objHeaderStart(buf[:i]); ok {
				if ind, err := d.parseIndirectAt(d.header+int64(st), 1); err == nil {
					if dd, ok := ind.obj.(Dict); ok && dd.Get("Linearized") != nil {
						lin = 1
					}
				}
			}
		}
	}
	d.anoms.mu.Lock()
	d.anoms.lin = lin
	d.anoms.mu.Unlock()
	return lin > 0
}
