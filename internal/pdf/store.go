package pdf

import (
	"sync"
	"sync/atomic"
)

// store holds what a Document and every view of it from AtRevision share: the parsed
// objects, keyed by where they were read (an object whose cross-reference entry is the
// same in two revisions is the same object and is parsed once), the parsed object
// streams, and the byte budget.
type store struct {
	mu      sync.Mutex
	objs    map[objKey]Object
	objstms map[objKey]*objStm

	parsed atomic.Int64 // bytes of strings parsed and stream data read or decoded
	budget int64        // Options.MaxParsedBytes in force
}

// objKey identifies one definition of an object: its reference, its cross-reference
// entry and, for an object in an object stream, the entry of that stream.
type objKey struct {
	ref       Ref
	e         xrefEntry
	container xrefEntry
}

func newStore(budget int64) *store {
	return &store{objs: map[objKey]Object{}, objstms: map[objKey]*objStm{}, budget: budget}
}

func (s *store) load(k objKey) (Object, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.objs[k]
	return o, ok
}

// save keeps o, evicting about half of the objects (arbitrarily) when max are kept.
func (s *store) save(k objKey, o Object, max int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.objs) >= max {
		n := 0
		for k := range s.objs {
			delete(s.objs, k)
			if n++; n >= max/2 {
				break
			}
		}
	}
	s.objs[k] = o
}

// charge counts n bytes of parsed strings or stream data against the budget: a
// *LimitError ("MaxParsedBytes") once the total exceeds it.
func (s *store) charge(n int64, off int64) error {
	if n <= 0 {
		return nil
	}
	if s.parsed.Add(n) > s.budget {
		return &LimitError{Limit: "MaxParsedBytes", Max: s.budget, Offset: off}
	}
	return nil
}

// ParsedBytes returns the bytes of strings parsed and of stream data read or decoded
// so far by the document and every view of it: what Options.MaxParsedBytes bounds.
func (d *Document) ParsedBytes() int64 { return d.st.parsed.Load() }
