package pdf

// histEntry is one definition of an object: the revision that made it and its entry.
type histEntry struct {
	rev int
	e   xrefEntry
}

// buildHistory lists every object's definitions, oldest first, so that a view of
// revision i finds an object's entry by binary search instead of copying the merged
// cross-reference of every revision up to i.
func buildHistory(revs []revision) map[int][]histEntry {
	h := map[int][]histEntry{}
	for i, r := range revs {
		merged := map[int]xrefEntry{}
		// As in mergeXRef: the first section of a revision wins.
		for k := len(r.sections) - 1; k >= 0; k-- {
			for n, e := range r.sections[k].entries {
				merged[n] = e
			}
		}
		for n, e := range merged {
			h[n] = append(h[n], histEntry{rev: i, e: e})
		}
	}
	return h
}

// history returns every object's definitions (built on first use: signing never
// needs them), or nil for a recovered document, whose views copy their entries.
func (d *Document) history() map[int][]histEntry {
	if d.recovered || d.anoms.revs == nil {
		return nil
	}
	d.anoms.histOnce.Do(func() { d.anoms.hist = buildHistory(d.anoms.revs) })
	return d.anoms.hist
}
