package pdf

import (
	"bytes"
	"errors"
	"io"
)

// censusChunk and censusOverlap size the windows CountReferences reads: each window
// also holds the censusOverlap bytes before it, so that the tokens before an "R" are
// in memory.
const (
	censusChunk   = 1 << 20
	censusOverlap = 64 << 10
)

// CountReferences counts, in the bytes of revisions 0 to upto (the file up to that
// revision's end), the indirect references ("N G R", with whitespace and comments
// between the tokens as the syntax allows) to each object number in nums, leaving
// out those of the cross-reference trailers (/Root, /Info, /Encrypt). The count is an
// upper bound: text in strings and stream data that looks like a reference is
// counted too. A number with no count is referred to by no object defined in those
// revisions — whatever a later revision defines under it, no earlier object reaches
// it.
//
// ok is false when the bytes cannot tell: the document was recovered, an object of
// those revisions lives in an object stream (its references are compressed) or
// beyond upto's end, or a reference's tokens are spread too far to be read back. The
// cost is one sequential read of those bytes, without parsing any object.
func (d *Document) CountReferences(upto int, nums map[int]bool) (counts map[int]int, ok bool, err error) {
	c, err := d.NewRefCensus(upto, nums, nil)
	if err != nil || !c.ok {
		return nil, false, err
	}
	if len(nums) == 0 {
		return c.Result()
	}
	buf := make([]byte, censusChunk)
	for off := int64(0); off < c.end; off += censusChunk {
		n := int(min(censusChunk, c.end-off))
		got, rerr := d.r.ReadAt(buf[:n], off)
		d.bytesRead.Add(int64(got))
		if got < n {
			if rerr == nil || errors.Is(rerr, io.EOF) {
				rerr = io.ErrUnexpectedEOF
			}
			return nil, false, &MalformedError{Offset: off + int64(got), Msg: "read error", Err: rerr}
		}
		c.Feed(off, buf[:n])
		if !c.ok {
			return nil, false, nil
		}
	}
	return c.Result()
}

// RefCensus is CountReferences fed by a caller that reads the file anyway (a
// verifier's hashing pass): the bytes up to the revision's end are given to Feed in
// increasing order, and Result counts as CountReferences does. Feed may skip the ranges
// given as gaps (signature /Contents strings whose place the caller checked: a string
// holds no reference, and a delimiter ends it); any other byte not fed makes the
// census unable to tell. A RefCensus is not safe for concurrent use.
type RefCensus struct {
	d      *Document
	upto   int
	end    int64
	nums   map[int]bool
	counts map[int]int
	gaps   [][2]int64
	ok     bool
	next   int64  // the offset after the last byte fed
	tail   []byte // the last bytes fed, up to censusOverlap, ending at next
	// tailAtStart: tail starts at the file's start or just after a gap (a token
	// boundary), so reading back to its start loses nothing.
	tailAtStart bool
	joined      []byte
	sc          refScanner
}

// NewRefCensus starts a census of the references to nums in the bytes of revisions
// 0 to upto. When those bytes cannot tell (see CountReferences), the census is
// already unable to: its Result reports false.
func (d *Document) NewRefCensus(upto int, nums map[int]bool, gaps [][2]int64) (*RefCensus, error) {
	if err := d.revisionRange(upto); err != nil {
		return nil, err
	}
	c := &RefCensus{d: d, upto: upto, end: d.revs[upto].EOF, nums: nums, counts: map[int]int{}, gaps: gaps, tailAtStart: true}
	c.sc = refScanner{nums: nums, counts: c.counts}
	if d.recovered || d.history() == nil {
		return c, nil
	}
	for i := 0; i <= upto; i++ {
		for _, sec := range d.revs[i].sections {
			for _, e := range sec.entries {
				if e.typ == 2 || (e.typ == 1 && e.off >= c.end) {
					return c, nil
				}
			}
		}
	}
	c.ok = true
	return c, nil
}

// Feed counts the references in b, the bytes of the file at off.
func (c *RefCensus) Feed(off int64, b []byte) {
	if !c.ok || len(c.nums) == 0 || off >= c.end {
		return
	}
	if int64(len(b)) > c.end-off {
		b = b[:c.end-off]
	}
	if off < c.next { // bytes already counted
		if off+int64(len(b)) <= c.next {
			return
		}
		b = b[c.next-off:]
		off = c.next
	}
	if off > c.next {
		allowed := false
		for _, g := range c.gaps {
			allowed = allowed || (g[0] == c.next && g[1] == off)
		}
		if !allowed {
			c.ok = false
			return
		}
		c.tail, c.tailAtStart = c.tail[:0], true
	}
	// The first bytes, read back into the tail of what came before.
	head := min(len(b), censusOverlap)
	c.joined = append(append(c.joined[:0], c.tail...), b[:min(len(b), head+1)]...)
	c.sc.fileStart = c.tailAtStart
	c.scan(c.joined, len(c.tail), len(c.tail)+head)
	// The rest, within b itself.
	c.sc.fileStart = false
	c.scan(b, head, len(b))
	if c.sc.lost {
		c.ok = false
		return
	}
	if len(b) >= censusOverlap {
		c.tail = append(c.tail[:0], b[len(b)-censusOverlap:]...)
		c.tailAtStart = false
	} else {
		c.tail = append(c.tail, b...)
		if over := len(c.tail) - censusOverlap; over > 0 {
			c.tail = append(c.tail[:0], c.tail[over:]...)
			c.tailAtStart = false
		}
	}
	c.next = off + int64(len(b))
}

// scan looks at every "R" of w[lo:hi]. An "R" that ends w is taken as followed by a
// delimiter (an upper bound).
func (c *RefCensus) scan(w []byte, lo, hi int) {
	for i := lo; i < hi; {
		k := bytes.IndexByte(w[i:hi], 'R')
		if k < 0 {
			return
		}
		i += k
		c.sc.at(w, i)
		i++
	}
}

// Result returns the counts, leaving out the trailers' own references. ok is false
// when the bytes could not tell, or not all of them were fed.
func (c *RefCensus) Result() (counts map[int]int, ok bool, err error) {
	if !c.ok {
		return nil, false, nil
	}
	if len(c.nums) == 0 {
		return map[int]int{}, true, nil
	}
	if c.next < c.end {
		return nil, false, nil
	}
	out := make(map[int]int, len(c.counts))
	for n, k := range c.counts {
		out[n] = k
	}
	// The trailers' own references: one per section that names the object.
	for i := 0; i <= c.upto; i++ {
		for _, sec := range c.d.revs[i].sections {
			for _, k := range []Name{"Root", "Info", "Encrypt"} {
				if r, isRef := sec.trailer.Get(k).(Ref); isRef && c.nums[r.Num] {
					out[r.Num]--
				}
			}
		}
	}
	for n, k := range out {
		if k < 0 {
			return nil, false, nil // a trailer's reference not found as text: do not guess
		}
		if k == 0 {
			delete(out, n)
		}
	}
	return out, true, nil
}

// refScanner reads back, from an "R", the two integer tokens of a reference.
type refScanner struct {
	nums      map[int]bool
	counts    map[int]int
	fileStart bool // the window starts at the beginning of the file
	lost      bool // a reference's tokens reach before the window
	budget    int
}

// at looks at the "R" at w[i].
func (s *refScanner) at(w []byte, i int) {
	if i+1 < len(w) && isRegular(w[i+1]) {
		return // part of a longer token
	}
	if i == 0 || !isWhite(w[i-1]) {
		return // "0R" is one token; a comment ends with an end of line, which is white
	}
	// The usual reference, its tokens on one line: no comment can sit between them.
	if g, crossed := s.back(w, i-1); g >= 0 && !crossed {
		gs, _, ok := s.integer(w, g)
		if !ok {
			return
		}
		if n, crossed := s.back(w, gs-1); n >= 0 && !crossed {
			if _, v, ok := s.integer(w, n); ok && s.nums[v] {
				s.counts[v]++
			}
			return
		}
	}
	s.budget = 64
	for _, g := range s.tokenEnds(w, i-1, 0) {
		gs, _, ok := s.integer(w, g)
		if !ok {
			continue
		}
		for _, n := range s.tokenEnds(w, gs-1, 0) {
			if _, v, ok := s.integer(w, n); ok && s.nums[v] {
				s.counts[v]++
			}
		}
	}
}

// integer reads the token ending at w[e] as the lexer reads an unsigned integer: it
// starts with a digit, and its value is its leading digits unless a "." follows them
// (a real). The lexer stops at the first stray byte ("5A" reads as 5).
func (s *refScanner) integer(w []byte, e int) (start, v int, ok bool) {
	st := e
	for st >= 0 && isRegular(w[st]) {
		st--
	}
	if st < 0 && !s.fileStart {
		s.lost = true
		return 0, 0, false
	}
	st++
	end := st
	for end <= e && w[end] >= '0' && w[end] <= '9' {
		end++
	}
	if end == st || (end <= e && w[end] == '.') {
		return 0, 0, false
	}
	v, ok = smallInt(w[st:end])
	return st, v, ok
}

// back skips whitespace backwards from w[p] and reports whether it crossed an end of
// line. It returns -1 at the start of the window.
func (s *refScanner) back(w []byte, p int) (int, bool) {
	crossed := false
	for p >= 0 && isWhite(w[p]) {
		if w[p] == '\n' || w[p] == '\r' {
			crossed = true
		}
		p--
	}
	return p, crossed
}

// tokenEnds returns where the token before w[p] (going back over whitespace and
// comments) may end. Whitespace that crosses an end of line may hide a comment: every
// "%" of the line before it may start one, and each is tried.
func (s *refScanner) tokenEnds(w []byte, p, depth int) []int {
	crossed := false
	for p >= 0 && isWhite(w[p]) {
		if w[p] == '\n' || w[p] == '\r' {
			crossed = true
		}
		p--
	}
	if p < 0 {
		if !s.fileStart {
			s.lost = true
		}
		return nil
	}
	out := []int{p}
	if !crossed {
		return out
	}
	ls := p
	for ls >= 0 && w[ls] != '\n' && w[ls] != '\r' {
		ls--
	}
	if ls < 0 && !s.fileStart {
		s.lost = true
		return out
	}
	for r := ls + 1; r <= p; r++ {
		if w[r] != '%' {
			continue
		}
		s.budget--
		if depth >= 4 || s.budget < 0 {
			s.lost = true
			return out
		}
		out = append(out, s.tokenEnds(w, r-1, depth+1)...)
	}
	return out
}

// smallInt parses an unsigned decimal that fits an object number.
func smallInt(b []byte) (int, bool) {
	for len(b) > 1 && b[0] == '0' {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	v := 0
	for _, c := range b {
		v = v*10 + int(c-'0')
	}
	return v, v <= 1<<31-1
}
