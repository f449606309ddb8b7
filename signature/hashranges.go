package signature

import (
	"context"
	"crypto"
	"encoding"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
)

// hashJob is one digest to compute: the concatenation of Ranges (half-open [start, end)
// offsets into the file, in increasing order, not overlapping) under Hash.
type hashJob struct {
	Hash   crypto.Hash
	Ranges [][2]int64
}

// hashChunkSize is the size of the window read from the file at a time.
const hashChunkSize = 1 << 20

// hashGroup is a hash state shared by every job that has seen exactly the same bytes so
// far.
type hashGroup struct {
	alg     crypto.Hash
	h       hash.Hash
	members []int
}

// hashRanges computes every job's digest in one pass over r: the file is read once,
// front to back, and bytes that several jobs cover identically (the shared prefix of
// all the signatures of a document) are hashed once. Where the jobs' ranges part, the
// hash state is cloned, so each job keeps its own state from there on.
//
// The result has one digest per job, in order. Jobs must have well-formed ranges (the
// caller checks them first); a range outside r yields an error.
func hashRanges(ctx context.Context, r io.ReaderAt, jobs []hashJob) ([][]byte, error) {
	return hashRangesLimited(ctx, r, jobs, 0)
}

// errHashBudget: hashing the jobs would take more work than allowed.
var errHashBudget = errors.New("signature: the signatures' byte ranges would take too long to hash")

// hashRangesLimited is hashRanges with a bound on the total bytes fed to hash states
// (0: none), so that crafted documents whose many signatures part early cannot make
// verification hash the file hundreds of times.
func hashRangesLimited(ctx context.Context, r io.ReaderAt, jobs []hashJob, maxWork int64) ([][]byte, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	// Every boundary of every range cuts the file into segments; within a segment every
	// job either covers all of it or none of it.
	var cuts []int64
	for _, j := range jobs {
		if !j.Hash.Available() {
			return nil, fmt.Errorf("signature: hash %v not available", j.Hash)
		}
		for _, rg := range j.Ranges {
			if rg[0] < 0 || rg[1] < rg[0] {
				return nil, fmt.Errorf("signature: bad range [%d, %d)", rg[0], rg[1])
			}
			cuts = append(cuts, rg[0], rg[1])
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)

	// Groups start as one per algorithm holding every job of that algorithm.
	var groups []*hashGroup
	byAlg := map[crypto.Hash]*hashGroup{}
	for i, j := range jobs {
		g := byAlg[j.Hash]
		if g == nil {
			g = &hashGroup{alg: j.Hash, h: j.Hash.New()}
			byAlg[j.Hash] = g
			groups = append(groups, g)
		}
		g.members = append(g.members, i)
	}

	// next[i] is the index of the first range of job i not yet finished.
	next := make([]int, len(jobs))
	covers := func(i int, start int64) bool {
		rs := jobs[i].Ranges
		for next[i] < len(rs) && rs[next[i]][1] <= start {
			next[i]++
		}
		return next[i] < len(rs) && rs[next[i]][0] <= start
	}

	buf := make([]byte, hashChunkSize)
	var writers []hash.Hash
	var work int64
	for k := 0; k+1 < len(cuts); k++ {
		start, end := cuts[k], cuts[k+1]
		writers = writers[:0]
		var split []*hashGroup
		for _, g := range groups {
			// Count first: groups split at most len(jobs)-1 times in all, so the
			// lists are built only then (covers is idempotent for one start).
			nin := 0
			for _, m := range g.members {
				if covers(m, start) {
					nin++
				}
			}
			switch {
			case nin == 0:
				continue
			case nin < len(g.members):
				in := make([]int, 0, nin)
				out := make([]int, 0, len(g.members)-nin)
				for _, m := range g.members {
					if covers(m, start) {
						in = append(in, m)
					} else {
						out = append(out, m)
					}
				}
				// The jobs part here: those that skip this segment keep a copy
				// of the state as it is now.
				h, err := cloneHash(g.alg, g.h)
				if err != nil {
					return nil, err
				}
				split = append(split, &hashGroup{alg: g.alg, h: h, members: out})
				g.members = in
			}
			writers = append(writers, g.h)
		}
		groups = append(groups, split...)
		if len(writers) == 0 {
			continue
		}
		work += (end - start) * int64(len(writers))
		if maxWork > 0 && work > maxWork {
			return nil, errHashBudget
		}
		for off := start; off < end; {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			n := int64(len(buf))
			if end-off < n {
				n = end - off
			}
			got, err := r.ReadAt(buf[:n], off)
			if int64(got) < n {
				if err == nil || errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				return nil, fmt.Errorf("signature: reading signed bytes at %d: %w", off, err)
			}
			for _, w := range writers {
				w.Write(buf[:n])
			}
			off += n
		}
	}
	out := make([][]byte, len(jobs))
	for _, g := range groups {
		sum := g.h.Sum(nil)
		for _, m := range g.members {
			out[m] = sum
		}
	}
	return out, nil
}

// cloneHash returns an independent copy of h's state.
func cloneHash(alg crypto.Hash, h hash.Hash) (hash.Hash, error) {
	if c, ok := h.(hash.Cloner); ok {
		return c.Clone()
	}
	m, ok := h.(encoding.BinaryMarshaler)
	if !ok {
		return nil, fmt.Errorf("signature: hash %v state cannot be cloned", alg)
	}
	state, err := m.MarshalBinary()
	if err != nil {
		return nil, err
	}
	n := alg.New()
	u, ok := n.(encoding.BinaryUnmarshaler)
	if !ok {
		return nil, fmt.Errorf("signature: hash %v state cannot be restored", alg)
	}
	if err := u.UnmarshalBinary(state); err != nil {
		return nil, err
	}
	return n, nil
}
