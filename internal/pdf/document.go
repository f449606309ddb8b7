package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
)

// Document is a PDF file opened for lazy reading. It reads the cross-reference sections
// at Open and everything else on demand. A Document is safe for concurrent use when its
// io.ReaderAt is (as the io.ReaderAt contract requires).
type Document struct {
	r    io.ReaderAt
	size int64
	opts Options

	revs      []revision        // oldest first
	xref      map[int]xrefEntry // nil in a view of an unrecovered file: see hist
	upto      int               // a view's revision (its entries are looked up in hist)
	trailer   Dict
	recovered bool
	older     map[int][]xrefEntry // recovered files: earlier definitions of redefined objects
	header    int64               // offset of "%PDF-"

	sec    securityHandler // nil when not encrypted
	encRef Ref             // the /Encrypt dictionary's object, when indirect

	mu       sync.Mutex
	warnings []string
	st       *store // shared with every view
	anoms    *revMemo

	bytesRead atomic.Int64 // bytes read through readAt, to bound work on hostile files
	esMemo    [2]int64     // last "endstream" search: from offset, found offset (-1 none)

	scanOnce sync.Once
	scanned  map[int]xrefEntry // objects found by scanning, for broken entries
}

// revision is a Revision and the sections it is made of (more than one for a linearized
// file's first-page section).
type revision struct {
	Revision
	sections []*xrefSection // newest first (the first section's entries win)
	anoms    []Anomaly      // what splitting the file into revisions found
}

// Revision describes one incremental update of a document (the original file is the
// first).
type Revision struct {
	// XRefOffset is the offset of this revision's cross-reference section: the value
	// of its startxref (corrected when that value was a few bytes off). In a recovered
	// document it is the startxref value found before the revision's %%EOF, or -1.
	XRefOffset int64
	// EOF is the offset just after this revision's %%EOF marker and its end-of-line.
	EOF int64
	// Trailer is this revision's trailer dictionary (an xref stream's dictionary).
	Trailer Dict
	// Style is the kind of this revision's cross-reference section.
	Style XRefStyle
	// Objects are the objects (re)defined in this revision's cross-reference section,
	// sorted by number.
	Objects []Ref
}

// Open reads the structure of the PDF file of the given size through r: its header,
// cross-reference sections and trailers. Objects are read later, on demand. When the
// cross-reference information is broken, Open rebuilds it by scanning the file for
// objects, as viewers do; Recovered then reports true and Warnings says why.
//
// Errors wrap ErrNotPDF, ErrMalformed, ErrLimit, ErrUnsupportedEncryption or
// ErrWrongPassword.
func Open(r io.ReaderAt, size int64, opts *Options) (*Document, error) {
	d := &Document{r: r, size: size, opts: opts.withDefaults(), esMemo: [2]int64{-1, -1}, anoms: &revMemo{}}
	d.st = newStore(d.opts.parsedBudget(size))
	head, err := d.readAt(0, 1024)
	if err != nil {
		return nil, err
	}
	d.header = int64(bytes.Index(head, []byte("%PDF-")))
	if d.header < 0 {
		return nil, ErrNotPDF
	}
	if err := d.readXRefChain(); err != nil {
		if errors.Is(err, ErrLimit) {
			return nil, err
		}
		d.warn("cross-reference information is broken (%v); rebuilt it by scanning the file", err)
		if err := d.recoverXRef(); err != nil {
			return nil, err
		}
	}
	if err := d.setupEncryption(); err != nil {
		return nil, err
	}
	if _, err := d.Catalog(); err != nil && !d.recovered {
		if errors.Is(err, ErrLimit) || errors.Is(err, ErrUnsupportedEncryption) || errors.Is(err, ErrWrongPassword) {
			return nil, err
		}
		d.warn("document catalog unreadable (%v); rebuilt the cross-reference by scanning the file", err)
		d.sec = nil
		if err := d.recoverXRef(); err != nil {
			return nil, err
		}
		if err := d.setupEncryption(); err != nil {
			return nil, err
		}
	}
	if _, err := d.Catalog(); err != nil {
		return nil, err
	}
	return d, nil
}

// readXRefChain reads the cross-reference sections from the last startxref along /Prev.
func (d *Document) readXRefChain() error {
	from := d.size - 4096
	if from < 0 {
		from = 0
	}
	pos, err := d.scanBackFor(d.size, []byte("startxref"), from)
	if err != nil {
		return err
	}
	if pos < 0 {
		if from > 0 {
			// Garbage after the end: look further back.
			if pos, err = d.scanBackFor(from, []byte("startxref"), max(0, d.size-(1<<20))); err != nil {
				return err
			}
		}
		if pos < 0 {
			return malformed(-1, "no startxref")
		}
	}
	var start int64
	err = d.withWindow(pos+9, func(l *lexer) error {
		o, err := l.parseObject(0)
		if err != nil {
			return err
		}
		i, ok := o.(Integer)
		if !ok || i <= 0 || int64(i) >= d.size {
			return malformed(pos, "startxref is not a valid offset")
		}
		start = int64(i)
		return nil
	})
	if err != nil {
		return err
	}
	var chain []*xrefSection // newest first
	seen := map[int64]bool{}
	next := start
	for {
		if seen[next] {
			d.warn("/Prev chain loops back to offset %d", next)
			break
		}
		if len(chain) >= maxRevisions {
			return &LimitError{Limit: "revisions", Max: maxRevisions, Offset: next}
		}
		seen[next] = true
		sec, err := d.readSection(next)
		if err != nil && !errors.Is(err, ErrLimit) {
			// An offset a few bytes off (a common writer bug): look nearby.
			if s2, off2 := d.sectionNear(next); s2 != nil {
				d.warn("cross-reference section expected at offset %d found at %d", next, off2)
				sec, err = s2, nil
			}
		}
		if err != nil && d.header > 0 {
			// Offsets counted from the header rather than from the file's start.
			if s2, err2 := d.readSection(next + d.header); err2 == nil {
				sec, err = s2, nil
				d.warn("cross-reference offsets are relative to the %%PDF header at %d", d.header)
			}
		}
		if err != nil {
			if len(chain) > 0 && !errors.Is(err, ErrLimit) {
				// An older section is broken: the newer ones may be complete.
				return fmt.Errorf("section at /Prev %d: %w", next, err)
			}
			return err
		}
		chain = append(chain, sec)
		prev, ok := sec.trailer.Get("Prev").(Integer)
		if !ok {
			if _, isReal := sec.trailer.Get("Prev").(Real); isReal {
				prev, ok = Integer(sec.trailer.Get("Prev").(Real)), true
			}
		}
		if !ok || prev <= 0 || int64(prev) >= d.size {
			break
		}
		next = int64(prev)
	}
	if err := d.buildRevisions(chain); err != nil {
		return err
	}
	d.xref = mergeXRef(d.revs)
	d.anoms.revs = d.revs
	d.upto = len(d.revs) - 1
	d.trailer = d.revs[len(d.revs)-1].Trailer
	if _, ok := d.trailer.Get("Root").(Ref); !ok {
		return malformed(start, "trailer has no /Root")
	}
	return nil
}

// sectionNear looks for a cross-reference section ("xref" or an xref stream object)
// starting within a few bytes of off.
func (d *Document) sectionNear(off int64) (*xrefSection, int64) {
	const radius = 16
	from := max(0, off-radius)
	buf, err := d.readAt(from, 2*radius+8)
	if err != nil {
		return nil, 0
	}
	var cands []int64
	for i := 0; i+4 <= len(buf); i++ {
		if bytes.HasPrefix(buf[i:], []byte("xref")) && (i == 0 || !isRegular(buf[i-1])) {
			cands = append(cands, from+int64(i))
		}
		if bytes.HasPrefix(buf[i:], []byte("obj")) {
			if st, ok := objHeaderStart(buf[:i]); ok {
				cands = append(cands, from+int64(st))
			}
		}
	}
	sort.Slice(cands, func(a, b int) bool { return abs64(cands[a]-off) < abs64(cands[b]-off) })
	for _, c := range cands {
		if c == off {
			continue
		}
		if sec, err := d.readSection(c); err == nil {
			return sec, c
		}
	}
	return nil, 0
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// buildRevisions groups the sections (newest first) into revisions (oldest first), with
// the EOF of each. A section that ends inside an earlier revision's bytes belongs to
// that revision only when it is the first-page section of a linearized original
// file; any other such section is counted with the next newer revision (the one whose
// /Prev chain reaches it), and reported as an anomaly.
func (d *Document) buildRevisions(chain []*xrefSection) error {
	d.revs = nil
	var pending []*xrefSection // newest last
	var pendingAnoms []Anomaly
	newRevision := func(sec *xrefSection, eof int64, anoms []Anomaly) {
		secs := []*xrefSection{sec} // newest first: the first section wins
		for k := len(pending) - 1; k >= 0; k-- {
			secs = append(secs, pending[k])
		}
		d.revs = append(d.revs, revision{
			Revision: Revision{XRefOffset: sec.offset, EOF: eof, Trailer: sec.trailer, Style: sec.style,
				Objects: objectList(secs)},
			sections: secs,
			anoms:    append(pendingAnoms, anoms...),
		})
		pending, pendingAnoms = nil, nil
	}
	for i := len(chain) - 1; i >= 0; i-- {
		sec := chain[i]
		eof, anoms, err := d.sectionEOF(sec)
		if err != nil {
			return err
		}
		n := len(d.revs)
		if n > 0 && eof <= d.revs[n-1].EOF {
			if n == 1 && len(pending) == 0 && sec.offset < d.revs[0].XRefOffset && d.startsLinearized() {
				// A linearized file's first-page section: part of the original file.
				r := &d.revs[0]
				r.sections = append(r.sections, sec)
				r.XRefOffset = sec.offset
				r.Trailer = mergeTrailer(sec.trailer, r.Trailer)
				r.Objects = objectList(r.sections)
				continue
			}
			pending = append(pending, sec)
			pendingAnoms = append(pendingAnoms, anoms...)
			pendingAnoms = append(pendingAnoms, Anomaly{Kind: AnomalySectionInEarlierBytes, Offset: sec.offset,
				Detail: fmt.Sprintf("a cross-reference section at offset %d lies inside revision %d's bytes", sec.offset, d.revisionAt(sec.offset))})
			continue
		}
		if n > 0 && sec.offset < d.revs[n-1].EOF {
			anoms = append(anoms, Anomaly{Kind: AnomalySectionInEarlierBytes, Offset: sec.offset,
				Detail: fmt.Sprintf("the cross-reference section at offset %d lies inside revision %d's bytes", sec.offset, d.revisionAt(sec.offset))})
		}
		newRevision(sec, eof, anoms)
	}
	if len(pending) > 0 {
		// The newest sections all lie in earlier bytes: a revision of their own, ending
		// at the next %%EOF after the previous revision.
		last := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		eof, err := d.findEOF(d.revs[len(d.revs)-1].EOF)
		if err != nil {
			return err
		}
		newRevision(last, eof, nil)
	}
	return nil
}

// mergeTrailer returns newer with the keys only older has added.
func mergeTrailer(newer, older Dict) Dict {
	m := older.Clone()
	if m == nil {
		m = Dict{}
	}
	for k, v := range newer {
		m[k] = v
	}
	return m
}

func objectList(secs []*xrefSection) []Ref {
	var refs []Ref
	var seen map[int]bool // needed only when several sections may list a number
	if len(secs) > 1 {
		seen = map[int]bool{}
	}
	for _, s := range secs {
		if refs == nil {
			refs = make([]Ref, 0, len(s.entries))
		}
		for n, e := range s.entries {
			if e.typ == 0 || seen[n] {
				continue
			}
			if seen != nil {
				seen[n] = true
			}
			gen := e.gen
			if e.typ == 2 {
				gen = 0
			}
			refs = append(refs, Ref{n, gen})
		}
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Num < refs[j].Num })
	return refs
}

func mergeXRef(revs []revision) map[int]xrefEntry {
	if len(revs) == 1 && len(revs[0].sections) == 1 {
		// One section: its entries are the cross-reference (read-only from here on).
		return revs[0].sections[0].entries
	}
	m := map[int]xrefEntry{}
	for _, r := range revs {
		// Within a revision, sections were appended newest first.
		for i := len(r.sections) - 1; i >= 0; i-- {
			for n, e := range r.sections[i].entries {
				m[n] = e
			}
		}
	}
	return m
}

// findEOF returns the offset just after the first %%EOF (and its end-of-line) at or
// after off, or the file size when there is none.
func (d *Document) findEOF(off int64) (int64, error) {
	pos, err := d.scanFor(off, []byte("%%EOF"), -1)
	if err != nil {
		return 0, err
	}
	if pos < 0 {
		return d.size, nil
	}
	return d.skipEOL(pos + 5)
}

func (d *Document) skipEOL(end int64) (int64, error) {
	tail, err := d.readAt(end, 2)
	if err != nil {
		return 0, err
	}
	switch {
	case len(tail) >= 2 && tail[0] == '\r' && tail[1] == '\n':
		end += 2
	case len(tail) >= 1 && (tail[0] == '\n' || tail[0] == '\r'):
		end++
	}
	return end, nil
}

func (d *Document) warn(format string, args ...any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.warnings) < 100 {
		d.warnings = append(d.warnings, fmt.Sprintf(format, args...))
	}
}

// Size returns the size of the file (for a view from AtRevision, the end of that
// revision).
func (d *Document) Size() int64 { return d.size }

// Trailer returns the newest trailer dictionary (for a hybrid file, the table's
// trailer; for an xref stream, the stream's dictionary).
func (d *Document) Trailer() Dict { return d.trailer }

// Revisions returns the document's revisions, oldest first. A recovered document's
// revisions are rebuilt from the %%EOF markers found while scanning.
func (d *Document) Revisions() []Revision {
	out := make([]Revision, len(d.revs))
	for i, r := range d.revs {
		out[i] = r.Revision
	}
	return out
}

// Recovered reports whether the cross-reference information was rebuilt by scanning
// the file.
func (d *Document) Recovered() bool { return d.recovered }

// Warnings returns what was repaired or ignored while reading (at most 100 entries).
func (d *Document) Warnings() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.warnings...)
}

// Encrypted reports whether the document is encrypted.
func (d *Document) Encrypted() bool { return d.sec != nil }

// Catalog returns the document catalog (the trailer's /Root).
func (d *Document) Catalog() (Dict, error) {
	o, err := d.Resolve(d.trailer.Get("Root"))
	if err != nil {
		return nil, err
	}
	c, ok := o.(Dict)
	if !ok {
		return nil, malformed(-1, "document catalog (/Root) is not a dictionary")
	}
	return c, nil
}

// HighestObject returns the highest object number in the cross-reference.
func (d *Document) HighestObject() int {
	h := 0
	if d.xref == nil {
		for n := range d.history() {
			if _, ok := d.entry(n); ok && n > h {
				h = n
			}
		}
		return h
	}
	for n := range d.xref {
		if n > h {
			h = n
		}
	}
	return h
}

// AtRevision returns a read-only view of the document as of revision i (0 is the
// original file): its objects, trailer and Size are those of that revision. Do not start
// an Update from a view: an update belongs after the end of the whole file.
func (d *Document) AtRevision(i int) (*Document, error) {
	if i < 0 || i >= len(d.revs) {
		return nil, fmt.Errorf("pdf: revision %d out of range (document has %d)", i, len(d.revs))
	}
	v := &Document{r: d.r, size: d.revs[i].EOF, opts: d.opts, revs: d.revs[: i+1 : i+1],
		recovered: d.recovered, header: d.header, sec: d.sec, encRef: d.encRef,
		st: d.st, anoms: d.anoms, upto: i, esMemo: [2]int64{-1, -1}}
	if d.recovered {
		v.xref = map[int]xrefEntry{}
		v.older = d.older
		for n, e := range d.xref {
			if e.typ == 1 && e.off < v.size {
				v.xref[n] = e
				continue
			}
			// The latest earlier definition inside this revision.
			hist := d.older[n]
			for k := len(hist) - 1; k >= 0; k-- {
				if hist[k].off < v.size {
					v.xref[n] = hist[k]
					break
				}
			}
		}
		// Objects in object streams: kept when their stream is.
		for n, e := range d.xref {
			if e.typ == 2 {
				if se, ok := v.xref[int(e.off)]; ok && se.typ == 1 {
					v.xref[n] = e
				}
			}
		}
	}
	v.trailer = d.revs[i].Trailer
	if _, err := v.Catalog(); err != nil {
		return nil, err
	}
	return v, nil
}

// Get returns object r as of the newest revision; a free or missing object is nil
// (the null object). Streams come back as *Stream without their data.
func (d *Document) Get(r Ref) (Object, error) {
	return d.get(r, 0)
}

func (d *Document) get(r Ref, depth int) (Object, error) {
	e, ok := d.entry(r.Num)
	if !ok || e.typ == 0 {
		return nil, nil
	}
	key := objKey{ref: r, e: e}
	if e.typ == 2 {
		key.container, _ = d.entry(int(e.off))
	}
	if o, ok := d.st.load(key); ok {
		return o, nil
	}
	var o Object
	switch e.typ {
	case 1:
		ind, err := d.parseIndirectAt(e.off, depth)
		if err == nil && ind.ref.Num != r.Num {
			err = &MalformedError{Offset: e.off, Ref: r, Msg: fmt.Sprintf("cross-reference points at object %d", ind.ref.Num)}
		}
		if err != nil && depth == 0 && !d.recovered && !errors.Is(err, ErrLimit) {
			// A wrong entry: find the object by scanning, as viewers do.
			if se, ok := d.scannedEntry(r.Num); ok && se.off != e.off {
				if ind2, err2 := d.parseIndirectAt(se.off, depth); err2 == nil && ind2.ref.Num == r.Num {
					d.warn("object %d: cross-reference entry is wrong (%v); found it at offset %d by scanning", r.Num, err, se.off)
					ind, err = ind2, nil
				}
			}
		}
		if err != nil {
			return nil, streamErr(r, err)
		}
		o = ind.obj
		if d.sec != nil && r != d.encRef {
			var err error
			if o, err = d.decryptObject(o, r); err != nil {
				return nil, err
			}
		}
	case 2:
		var err error
		o, err = d.fromObjStm(int(e.off), e.gen, r, depth)
		if err != nil {
			return nil, err
		}
	}
	d.st.save(key, o, d.opts.CacheSize)
	return o, nil
}

// entry returns the cross-reference entry of object num in this document or view.
func (d *Document) entry(num int) (xrefEntry, bool) {
	if d.xref != nil {
		e, ok := d.xref[num]
		return e, ok
	}
	h := d.history()[num]
	if len(h) == 1 { // most objects are defined once
		if h[0].rev <= d.upto {
			return h[0].e, true
		}
		return xrefEntry{}, false
	}
	k := sort.Search(len(h), func(i int) bool { return h[i].rev > d.upto }) - 1
	if k < 0 {
		return xrefEntry{}, false
	}
	return h[k].e, true
}

// Resolve follows o while it is a Ref (through chains of references) and returns the
// object it ends at; any other object is returned as is. A reference cycle is an
// ErrMalformed error.
func (d *Document) Resolve(o Object) (Object, error) {
	return d.resolveDepth(o, 0)
}

func (d *Document) resolveDepth(o Object, depth int) (Object, error) {
	// The references followed: the first one, then (from the second hop, which few
	// documents have) a set; a single reference, the common case, allocates nothing.
	var first Ref
	var seen map[Ref]bool
	for hops := 0; ; hops++ {
		r, ok := o.(Ref)
		if !ok {
			return o, nil
		}
		if hops == 0 {
			first = r
		} else {
			if r == first || seen[r] || hops > 32 {
				return nil, &MalformedError{Offset: -1, Ref: r, Msg: "reference cycle"}
			}
			if seen == nil {
				seen = map[Ref]bool{}
			}
			seen[r] = true
		}
		var err error
		if o, err = d.get(r, depth); err != nil {
			return nil, err
		}
	}
}

// resolveQuiet resolves o, returning nil on error (for optional entries).
func (d *Document) resolveQuiet(o Object) Object {
	v, err := d.Resolve(o)
	if err != nil {
		return nil
	}
	return v
}

// StreamData returns a stream's data, decrypted and decoded (every filter applied),
// bounded by Options.MaxStreamSize. Image codecs (DCTDecode, JPXDecode, CCITTFaxDecode,
// JBIG2Decode) yield ErrUnsupportedFilter.
func (d *Document) StreamData(s *Stream) ([]byte, error) {
	return d.decodedData(s, true)
}

// RawStreamData returns a stream's data decrypted but still encoded.
func (d *Document) RawStreamData(s *Stream) ([]byte, error) {
	if s == nil {
		return nil, malformed(-1, "nil stream")
	}
	if !s.fromFile {
		return s.Data, nil
	}
	if s.n > d.opts.MaxStreamSize {
		return nil, &LimitError{Limit: "MaxStreamSize", Max: d.opts.MaxStreamSize, Offset: s.off}
	}
	if err := d.st.charge(s.n, s.off); err != nil {
		return nil, err
	}
	data, err := d.readAt(s.off, int(s.n))
	if err != nil {
		return nil, err
	}
	if d.sec != nil {
		return d.decryptStream(s, data)
	}
	return data, nil
}

func (d *Document) decodedData(s *Stream, decrypt bool) ([]byte, error) {
	if s == nil {
		return nil, malformed(-1, "nil stream")
	}
	var data []byte
	var err error
	if decrypt {
		data, err = d.RawStreamData(s)
	} else if s.fromFile {
		if s.n > d.opts.MaxStreamSize {
			return nil, &LimitError{Limit: "MaxStreamSize", Max: d.opts.MaxStreamSize, Offset: s.off}
		}
		if err := d.st.charge(s.n, s.off); err != nil {
			return nil, err
		}
		data, err = d.readAt(s.off, int(s.n))
	} else {
		data = s.Data
	}
	if err != nil {
		return nil, err
	}
	names, parms, err := filterList(s.Dict, d.resolveQuiet)
	if err != nil {
		return nil, streamErr(s.ref, err)
	}
	if len(names) == 0 {
		return data, nil // nothing decoded: the data was counted when read
	}
	out, err := decodeStream(data, names, parms, d.opts.MaxStreamSize)
	if err != nil {
		return nil, streamErr(s.ref, err)
	}
	if err := d.st.charge(int64(len(out)), s.off); err != nil {
		return nil, err
	}
	return out, nil
}
