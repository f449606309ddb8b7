package pdf

import "sort"

// FreedIn returns the objects that revision i's cross-reference section(s) mark free
// (object 0 and entries for numbers no earlier revision defined are left out), sorted
// by number. A change analysis needs them: an object freed by a later revision vanishes
// from whatever still refers to it, without that referrer being rewritten. A recovered
// document's revisions have no sections and report none.
func (d *Document) FreedIn(i int) []Ref {
	if i <= 0 || i >= len(d.revs) {
		return nil
	}
	var out []Ref
	seen := map[int]bool{}
	for _, s := range d.revs[i].sections {
		for n, e := range s.entries {
			if e.typ != 0 || n == 0 || seen[n] {
				continue
			}
			seen[n] = true
			if oe, ok := d.definedBefore(i, n); ok {
				gen := oe.gen
				if oe.typ == 2 {
					gen = 0
				}
				out = append(out, Ref{Num: n, Gen: gen})
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Num < out[b].Num })
	return out
}

// definedBefore returns the newest entry for object n in the revisions before i, when
// it is in use there.
func (d *Document) definedBefore(i, n int) (xrefEntry, bool) {
	for k := i - 1; k >= 0; k-- {
		secs := d.revs[k].sections
		for j := 0; j < len(secs); j++ { // sections of a revision: newest first
			if e, ok := secs[j].entries[n]; ok {
				return e, e.typ != 0
			}
		}
	}
	return xrefEntry{}, false
}
