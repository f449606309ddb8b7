package pdf

import (
	"bytes"
	"errors"
	"sort"
)

// recoverXRef rebuilds the cross-reference by scanning the whole file for "N G obj",
// "trailer" and "%%EOF", as viewers do. Later definitions of an object win. Objects
// inside object streams are added when no direct definition exists. Revisions are
// rebuilt from the %%EOF markers.
func (d *Document) recoverXRef() error {
	d.recovered = true
	// Objects parsed through the broken cross-reference are dropped; the bytes they
	// cost still count.
	st := newStore(d.st.budget)
	st.parsed.Store(d.st.parsed.Load())
	d.st = st
	d.xref = map[int]xrefEntry{}
	sr, err := d.scanObjects(d.xref)
	if err != nil {
		return err
	}
	trailers, eofs, objstms, catalog := sr.trailers, sr.eofs, sr.objstms, sr.catalog
	d.older = sr.older
	// Objects in object streams, where no direct definition exists.
	for _, num := range objstms {
		os, err := d.loadObjStm(num, 0)
		if err != nil {
			d.warn("recovery: object stream %d unreadable: %v", num, err)
			continue
		}
		for i, n := range os.nums {
			if _, ok := d.xref[n]; !ok {
				d.xref[n] = xrefEntry{typ: 2, off: int64(num), gen: i}
			}
		}
	}
	if len(d.xref) == 0 {
		return ErrNotPDF
	}
	// The trailer: the last one with a usable /Root.
	var trailer Dict
	for i := len(trailers) - 1; i >= 0; i-- {
		if r, ok := trailers[i].d.Get("Root").(Ref); ok {
			if e, ok := d.xref[r.Num]; ok && e.typ != 0 {
				trailer = trailers[i].d.Clone()
				break
			}
		}
	}
	if trailer == nil {
		if catalog == nil {
			// Look for the catalog in object streams too.
			for n, e := range d.xref {
				if e.typ != 2 {
					continue
				}
				if o, err := d.Get(Ref{n, 0}); err == nil {
					if dd, ok := o.(Dict); ok {
						if t, _ := dd.Get("Type").(Name); t == "Catalog" {
							r := Ref{n, 0}
							catalog = &r
							break
						}
					}
				}
			}
		}
		if catalog == nil {
			return &MalformedError{Offset: -1, Msg: "no document catalog found while rebuilding the cross-reference"}
		}
		trailer = Dict{"Root": *catalog}
		// Keep /Info, /ID and /Encrypt of any trailer found.
		for _, t := range trailers {
			for _, k := range []Name{"Info", "ID", "Encrypt"} {
				if v := t.d.Get(k); v != nil {
					trailer[k] = v
				}
			}
		}
	}
	for _, k := range []Name{"Prev", "XRefStm", "Type", "W", "Index", "Filter", "DecodeParms", "Length"} {
		delete(trailer, k)
	}
	max := 0
	for n := range d.xref {
		if n > max {
			max = n
		}
	}
	trailer["Size"] = Integer(max + 1)
	d.trailer = trailer

	// Revisions: one per %%EOF; the objects defined before it and after the previous.
	if len(eofs) == 0 || eofs[len(eofs)-1] < d.size-32 {
		eofs = append(eofs, d.size)
	}
	d.revs = nil
	prev := int64(0)
	for i, eof := range eofs {
		rev := Revision{XRefOffset: -1, EOF: eof, Style: XRefTable}
		for n, e := range d.xref {
			if e.typ == 1 && e.off >= prev && e.off < eof {
				rev.Objects = append(rev.Objects, Ref{n, e.gen})
			}
		}
		sort.Slice(rev.Objects, func(a, b int) bool { return rev.Objects[a].Num < rev.Objects[b].Num })
		if sx, err := d.scanBackFor(eof, []byte("startxref"), max64(prev, eof-64)); err == nil && sx >= 0 {
			_ = d.withWindow(sx+9, func(l *lexer) error {
				o, err := l.parseObject(0)
				if v, ok := o.(Integer); ok && err == nil {
					rev.XRefOffset = int64(v)
				}
				return err
			})
		}
		rev.Trailer = trailer
		for _, t := range trailers {
			if t.off >= prev && t.off < eof {
				rev.Trailer = t.d
			}
		}
		if i == len(eofs)-1 {
			rev.Trailer = trailer
		}
		d.revs = append(d.revs, revision{Revision: rev})
		prev = eof
	}
	return nil
}

type trailerAt struct {
	off int64
	d   Dict
}

// scanResult is what scanObjects found besides the objects.
type scanResult struct {
	trailers []trailerAt
	eofs     []int64
	objstms  []int
	catalog  *Ref
	older    map[int][]xrefEntry // earlier definitions of redefined objects, oldest first
}

// scanObjects scans the whole file for "N G obj", "trailer" and "%%EOF", storing every
// object found in xref (later definitions win).
func (d *Document) scanObjects(xref map[int]xrefEntry) (scanResult, error) {
	var sr scanResult
	const chunk = 1 << 20
	const overlap = 64
	pos := d.header
	kwObj, kwTrailer, kwEOF := []byte("obj"), []byte("trailer"), []byte("%%EOF")
	// Bound the work on hostile files: parsing candidates may not read more than this.
	var buf []byte
	var from int64
	next := [3]int{-2, -2, -2} // index in buf of each keyword's next match; -2 unknown, -1 none
	allowed := 32*d.size + 256<<20
	budget := d.bytesRead.Load() + allowed
	for pos < d.size {
		if d.bytesRead.Load() > budget {
			return sr, &LimitError{Limit: "recovery reads", Max: allowed, Offset: pos}
		}
		// Keep the current chunk while pos is well inside it; keywords are short, so a
		// match must start before its last 64 bytes unless it ends the file.
		if buf == nil || pos-overlap < from || (pos+overlap > from+int64(len(buf)) && from+int64(len(buf)) < d.size) {
			from = max(0, pos-overlap)
			var err error
			if buf, err = d.readAt(from, int(pos-from)+chunk); err != nil {
				return sr, err
			}
			next = [3]int{-2, -2, -2}
			if len(buf) == 0 {
				break
			}
		}
		rel := int(pos - from)
		// Matches must start before searchEnd, so that a keyword straddling the end
		// of the chunk is found in the next one.
		searchEnd := len(buf)
		if from+int64(len(buf)) < d.size {
			searchEnd = len(buf) - overlap
		}
		// Find the next interesting keyword at or after pos; remember where each
		// keyword occurs next in this chunk, so the scan stays linear.
		best, kind := -1, 0
		for k, kw := range [][]byte{kwObj, kwTrailer, kwEOF} {
			if next[k] == -2 || (next[k] >= 0 && next[k] < rel) {
				next[k] = -1
				if i := bytes.Index(buf[rel:], kw); i >= 0 && rel+i < searchEnd {
					next[k] = rel + i
				}
			}
			if i := next[k]; i >= 0 && (best < 0 || i-rel < best) {
				best, kind = i-rel, k
			}
		}
		if best < 0 {
			if searchEnd == len(buf) {
				break
			}
			pos = from + int64(searchEnd)
			buf = nil
			continue
		}
		at := rel + best // index in buf
		atOff := from + int64(at)
		switch kind {
		case 0: // "obj": look back for "N G "
			if at+3 < len(buf) && isRegular(buf[at+3]) {
				pos = atOff + 3
				continue
			}
			start, ok := objHeaderStart(buf[:at])
			if !ok {
				pos = atOff + 3
				continue
			}
			objOff := from + int64(start)
			ind, err := d.parseIndirectAt(objOff, 1)
			if err != nil {
				if errors.Is(err, ErrLimit) {
					return sr, err
				}
				pos = atOff + 3
				continue
			}
			if len(xref) >= d.opts.MaxObjects {
				return sr, &LimitError{Limit: "MaxObjects", Max: int64(d.opts.MaxObjects), Offset: objOff}
			}
			if old, ok := xref[ind.ref.Num]; ok && old.typ == 1 {
				// Redefined later (an incremental update): keep the earlier version
				// for views of earlier revisions.
				if sr.older == nil {
					sr.older = map[int][]xrefEntry{}
				}
				sr.older[ind.ref.Num] = append(sr.older[ind.ref.Num], old)
			}
			xref[ind.ref.Num] = xrefEntry{typ: 1, off: objOff, gen: ind.ref.Gen}
			var dict Dict
			switch v := ind.obj.(type) {
			case Dict:
				dict = v
			case *Stream:
				dict = v.Dict
			}
			switch t, _ := dict.Get("Type").(Name); t {
			case "Catalog":
				r := ind.ref
				sr.catalog = &r
			case "ObjStm":
				sr.objstms = append(sr.objstms, ind.ref.Num)
			case "XRef":
				if dict.Get("Root") != nil {
					sr.trailers = append(sr.trailers, trailerAt{objOff, dict})
				}
			}
			if ind.end > atOff+3 {
				pos = ind.end
			} else {
				pos = atOff + 3
			}
		case 1: // trailer
			var tr Dict
			_ = d.withWindow(atOff+7, func(l *lexer) error {
				o, err := l.parseObject(0)
				if err == nil {
					tr, _ = o.(Dict)
				}
				return err
			})
			if tr != nil {
				sr.trailers = append(sr.trailers, trailerAt{atOff, tr})
			}
			pos = atOff + 7
		case 2: // %%EOF
			end, err := d.skipEOL(atOff + 5)
			if err != nil {
				return sr, err
			}
			sr.eofs = append(sr.eofs, end)
			pos = end
		}
	}
	return sr, nil
}

// scannedEntry looks object num up in an index built by scanning the whole file (once),
// for cross-reference entries that turn out to be wrong.
func (d *Document) scannedEntry(num int) (xrefEntry, bool) {
	d.scanOnce.Do(func() {
		idx := map[int]xrefEntry{}
		if _, err := d.scanObjects(idx); err != nil {
			d.warn("scanning for objects: %v", err)
		}
		d.scanned = idx
	})
	e, ok := d.scanned[num]
	return e, ok
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// objHeaderStart finds "N G " just before the end of b (which ends where "obj"
// starts) and returns the index of N.
func objHeaderStart(b []byte) (int, bool) {
	i := len(b)
	skipWS := func() {
		for i > 0 && isWhite(b[i-1]) {
			i--
		}
	}
	digits := func() bool {
		j := i
		for i > 0 && b[i-1] >= '0' && b[i-1] <= '9' && j-i < 10 {
			i--
		}
		return i < j
	}
	skipWS()
	if !digits() {
		return 0, false
	}
	if i == 0 || !isWhite(b[i-1]) {
		return 0, false
	}
	skipWS()
	if !digits() {
		return 0, false
	}
	if i > 0 && isRegular(b[i-1]) {
		return 0, false
	}
	return i, true
}
