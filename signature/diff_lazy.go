package signature

import (
	"sort"

	"github.com/kyso-go/kyso/internal/pdf"
)

// The lazy analysis. The roles of the objects later revisions change are what the
// modification analysis needs; walking the signed revision's whole object graph to
// find them costs as much as the document is large (every page and what it draws),
// whatever changed. The lazy walk leaves the page tree out and enters only the pages
// and page tree nodes that later revisions change, proved to be in the tree by their
// /Parent chain (each parent's /Kids listing the child) up to the catalog's /Pages.
//
// It is sound only when no object the walk left out reaches a changed object in a way
// that would give it another role. An object left out is an unchanged one, defined in
// the bytes of the signed revision or before; CountReferences counts, in those bytes,
// the references to each object number later revisions define or free. A changed
// object referred to from those bytes must be one whose every role the lazy walk
// finds:
//   - the catalog, the interactive form dictionary (found from the catalog), or a page
//     or page tree node proved to be in the tree (walked with its subtree, as the
//     full walk would);
//   - nothing else: a changed content stream, resource, annotation or field that an
//     unchanged object refers to, a number an unchanged object referred to before it
//     was defined (a reference to a missing object filled in later), or a freed
//     object still referred to send the analysis to the full walk.
//
// A changed object no unchanged object refers to can be reached only through changed
// objects, which the walk follows from the catalog, the document information, the
// form and the changed pages. The page tree's root must stay the same object in every
// later revision (a new tree is walked in full).
//
// A page, the catalog and the form dictionary are dictionaries whose allowed changes
// (/Annots, /AcroForm, /Fields, /SigFlags, …) mean nothing to anything else that might
// name them (a page's /SeparationInfo, a property list in its resources): both walks
// judge them by their place in the document alone (roleWalker.placed), so an unchanged
// object naming them gives them no other role.
//
// When the bytes cannot tell (object streams, a recovered file), the full walk runs.

// walkLazily walks revision view prev without its page tree, then the changed pages
// and nodes, and returns the page tree's root. It reports false when the shortcut
// cannot be proved sound.
func (df *differ) walkLazily(w *roleWalker, from int, prev *pdf.Document) (pdf.Ref, bool) {
	root := pagesRootOf(prev)
	if root == (pdf.Ref{}) {
		return root, false
	}
	changed, freed, nums := df.changedSince(from)
	if nums[0] {
		// Object 0 heads the free list and is never in use; the reader also reads a
		// malformed number such as "." as 0, which the census does not count, so a
		// revision that defines it is judged by the full walk.
		return root, false
	}
	w.skipPages = true
	w.walkAll(prev)
	counts, ok, err := df.countReferences(from, nums)
	if err != nil || !ok {
		return root, false
	}
	catalog, _ := prev.Trailer().Get("Root").(pdf.Ref)
	referred := make([]int, 0, len(counts))
	for n := range counts {
		referred = append(referred, n)
	}
	sort.Ints(referred)
	for _, n := range referred {
		ref := changed[n]
		if freed[n] {
			return root, false
		}
		if ref.Num == catalog.Num {
			continue
		}
		d, ok := asDict(resolveQuiet(prev, ref))
		if !ok {
			return root, false // a reference to a missing object, or not a dictionary
		}
		if w.roles[ref]&roleAcroForm != 0 {
			continue
		}
		if t, _ := d.Get("Type").(pdf.Name); t != "Page" && t != "Pages" {
			return root, false
		}
		parent, ok := inPageTree(prev, ref, root, catalog)
		if !ok {
			return root, false
		}
		w.push(ref, rolePageTree, 0, parent)
	}
	w.drain()
	return root, w.complete
}

// changedSince returns the objects the revisions after from define or free, by
// number: the numbers the census counts references to.
func (df *differ) changedSince(from int) (changed map[int]pdf.Ref, freed, nums map[int]bool) {
	changed, freed, nums = map[int]pdf.Ref{}, map[int]bool{}, map[int]bool{}
	for t := from + 1; t < len(df.revs); t++ {
		for _, r := range df.revs[t].Objects {
			changed[r.Num] = r
			nums[r.Num] = true
		}
		for _, r := range df.doc.FreedIn(t) {
			if _, ok := changed[r.Num]; !ok {
				changed[r.Num] = r
			}
			freed[r.Num] = true
			nums[r.Num] = true
		}
	}
	return changed, freed, nums
}

// countReferences is the census of the references to nums in the bytes up to revision
// from: the one the verifier's hashing pass fed, when it covers them, or a read of
// its own.
func (df *differ) countReferences(from int, nums map[int]bool) (map[int]int, bool, error) {
	if df.census != nil && df.censusFrom == from {
		<-df.censusDone
		if counts, ok, err := df.census.Result(); err == nil && ok {
			df.censusFed = true
			return counts, true, nil
		}
	}
	return df.doc.CountReferences(from, nums)
}

// feedCensus prepares the census of the references to what the revisions after from
// change, to be fed by the hashing pass (which reads those bytes anyway, all but the
// signatures' /Contents strings, given as gaps); done must be closed once it was fed.
func (df *differ) feedCensus(from int, gaps [][2]int64, done chan struct{}) *pdf.RefCensus {
	_, _, nums := df.changedSince(from)
	c, err := df.doc.NewRefCensus(from, nums, gaps)
	if err != nil {
		return nil
	}
	df.census, df.censusFrom, df.censusDone = c, from, done
	return c
}

// pagesRootOf returns the catalog's /Pages reference (zero when it is not one).
func pagesRootOf(doc *pdf.Document) pdf.Ref {
	cat, err := doc.Catalog()
	if err != nil {
		return pdf.Ref{}
	}
	r, _ := cat.Get("Pages").(pdf.Ref)
	return r
}

// inPageTree reports whether ref is the page tree's root or is listed in the /Kids of
// its /Parent, and so on up to the root, and returns the object that refers to it.
func inPageTree(doc *pdf.Document, ref, root, catalog pdf.Ref) (pdf.Ref, bool) {
	if ref == root {
		return catalog, true
	}
	var first pdf.Ref
	cur := ref
	for i := 0; i < 64; i++ {
		if cur == root {
			return first, true
		}
		d, ok := asDict(resolveQuiet(doc, cur))
		if !ok {
			return first, false
		}
		p, ok := d.Get("Parent").(pdf.Ref)
		if !ok {
			return first, false
		}
		pd, ok := asDict(resolveQuiet(doc, p))
		if !ok {
			return first, false
		}
		if t, _ := pd.Get("Type").(pdf.Name); t != "Pages" {
			return first, false
		}
		kids, _ := resolveQuiet(doc, pd.Get("Kids")).(pdf.Array)
		listed := false
		for _, k := range kids {
			if k == pdf.Object(cur) {
				listed = true
				break
			}
		}
		if !listed {
			return first, false
		}
		if i == 0 {
			first = p
		}
		cur = p
	}
	return first, false
}
