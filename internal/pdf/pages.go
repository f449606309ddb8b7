package pdf

import "fmt"

// Page is one page of the document with its inheritable attributes resolved.
type Page struct {
	Ref       Ref        // the page object
	Dict      Dict       // the page dictionary as stored (without inherited entries)
	MediaBox  [4]float64 // inherited when absent; US Letter when absent everywhere
	CropBox   [4]float64 // inherited when absent; the MediaBox when absent everywhere
	Rotate    int        // inherited; normalised to 0, 90, 180 or 270
	Resources Dict       // inherited; an empty Dict when absent everywhere
}

type inherited struct {
	mediaBox, cropBox, rotate, resources Object
}

// Pages returns the document's pages in order, walking the page tree from the
// catalog's /Pages. Loops in the tree and repeated pages are errors (ErrMalformed); a
// tree deeper than Options.MaxDepth or with more than Options.MaxObjects nodes is an
// ErrLimit error.
func (d *Document) Pages() ([]Page, error) {
	cat, err := d.Catalog()
	if err != nil {
		return nil, err
	}
	root, ok := cat.Get("Pages").(Ref)
	if !ok {
		return nil, malformed(-1, "catalog has no indirect /Pages")
	}
	var pages []Page
	seen := map[Ref]bool{}
	var walk func(r Ref, inh inherited, depth int) error
	walk = func(r Ref, inh inherited, depth int) error {
		if depth > d.opts.MaxDepth {
			return &LimitError{Limit: "MaxDepth", Max: int64(d.opts.MaxDepth), Offset: -1}
		}
		if seen[r] {
			return &MalformedError{Offset: -1, Ref: r, Msg: "page tree reaches this node twice (a loop or a shared node)"}
		}
		seen[r] = true
		if len(seen) > d.opts.MaxObjects {
			return &LimitError{Limit: "MaxObjects", Max: int64(d.opts.MaxObjects), Offset: -1}
		}
		o, err := d.Get(r)
		if err != nil {
			return err
		}
		node, ok := o.(Dict)
		if !ok {
			return &MalformedError{Offset: -1, Ref: r, Msg: "page tree node is not a dictionary"}
		}
		inh.inherit(node)
		t, _ := node.Get("Type").(Name)
		kidsObj, err := d.Resolve(node.Get("Kids"))
		if err != nil {
			return err
		}
		kids, isNode := kidsObj.(Array)
		if t == "Page" || (!isNode && t != "Pages") {
			pages = append(pages, d.makePage(r, node, inh))
			return nil
		}
		for _, k := range kids {
			kr, ok := k.(Ref)
			if !ok {
				d.warn("page tree node %d: a kid is not a reference; skipped", r.Num)
				continue
			}
			if err := walk(kr, inh, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root, inherited{}, 0); err != nil {
		return nil, err
	}
	return pages, nil
}

// inherit records the inheritable attributes node sets.
func (inh *inherited) inherit(node Dict) {
	if v := node.Get("MediaBox"); v != nil {
		inh.mediaBox = v
	}
	if v := node.Get("CropBox"); v != nil {
		inh.cropBox = v
	}
	if v := node.Get("Rotate"); v != nil {
		inh.rotate = v
	}
	if v := node.Get("Resources"); v != nil {
		inh.resources = v
	}
}

// makePage builds the Page of page object r with the attributes it inherits.
func (d *Document) makePage(r Ref, node Dict, inh inherited) Page {
	p := Page{Ref: r, Dict: node}
	p.MediaBox = [4]float64{0, 0, 612, 792}
	if b, ok := d.rect(inh.mediaBox); ok {
		p.MediaBox = b
	}
	p.CropBox = p.MediaBox
	if b, ok := d.rect(inh.cropBox); ok {
		p.CropBox = b
	}
	if rot, ok := d.resolveQuiet(inh.rotate).(Integer); ok {
		p.Rotate = int(((rot%360)+360)%360) / 90 * 90
	}
	p.Resources, _ = d.resolveQuiet(inh.resources).(Dict)
	if p.Resources == nil {
		p.Resources = Dict{}
	}
	return p
}

// PageCount returns the number of pages: the page tree root's /Count when it is a
// non-negative integer (read without walking the tree), else the number Pages finds.
func (d *Document) PageCount() (int, error) {
	cat, err := d.Catalog()
	if err != nil {
		return 0, err
	}
	root, err := d.Resolve(cat.Get("Pages"))
	if err != nil {
		return 0, err
	}
	if rd, ok := root.(Dict); ok {
		if c, ok := d.resolveQuiet(rd.Get("Count")).(Integer); ok && c >= 0 && int64(c) <= int64(d.opts.MaxObjects) {
			return int(c), nil
		}
	}
	pages, err := d.Pages()
	return len(pages), err
}

// Page returns page n (1 for the first page) without loading the whole page tree: it
// descends from the root through the kids whose /Count ranges hold n, reading only
// the nodes on that path and the kids before it in each node. When a /Count is
// missing or does not match the tree, it falls back to Pages. A page number beyond the
// last page is an ErrMalformed error naming the number of pages.
func (d *Document) Page(n int) (Page, error) {
	p, ok, err := d.pageByCount(n)
	if err != nil || ok {
		return p, err
	}
	pages, err := d.Pages()
	if err != nil {
		return Page{}, err
	}
	if n < 1 || n > len(pages) {
		return Page{}, malformed(-1, "page %d of a %d-page document", n, len(pages))
	}
	return pages[n-1], nil
}

// maxCheckedKids is the largest page tree node whose kids' counts Page checks.
const maxCheckedKids = 256

// pageByCount descends the page tree by /Count; ok is false when the counts cannot be
// trusted (the caller then walks the whole tree).
func (d *Document) pageByCount(n int) (Page, bool, error) {
	cat, err := d.Catalog()
	if err != nil {
		return Page{}, false, err
	}
	r, ok := cat.Get("Pages").(Ref)
	if !ok || n < 1 {
		return Page{}, false, nil
	}
	var inh inherited
	seen := map[Ref]bool{}
	for depth := 0; depth <= d.opts.MaxDepth; depth++ {
		if seen[r] {
			return Page{}, false, nil
		}
		seen[r] = true
		o, err := d.Get(r)
		if err != nil {
			return Page{}, false, err
		}
		node, ok := o.(Dict)
		if !ok {
			return Page{}, false, nil
		}
		inh.inherit(node)
		t, _ := node.Get("Type").(Name)
		kids, isNode := d.resolveQuiet(node.Get("Kids")).(Array)
		if t == "Page" || (!isNode && t != "Pages") {
			if n != 1 {
				return Page{}, false, nil
			}
			return d.makePage(r, node, inh), true, nil
		}
		// A node with few kids has them all read, to check that their counts add up to
		// its own (a lying /Count would otherwise pick the wrong page); in a large
		// flat node only the kids before the page are read.
		checkAll := len(kids) <= maxCheckedKids
		next, want, sum := Ref{}, n, 0
		for _, k := range kids {
			kr, ok := k.(Ref)
			if !ok {
				return Page{}, false, nil
			}
			ko, err := d.Get(kr)
			if err != nil {
				return Page{}, false, err
			}
			kd, ok := ko.(Dict)
			if !ok {
				return Page{}, false, nil
			}
			count := 1
			kt, _ := kd.Get("Type").(Name)
			if _, kidIsNode := d.resolveQuiet(kd.Get("Kids")).(Array); kt == "Pages" || (kidIsNode && kt != "Page") {
				c, ok := d.resolveQuiet(kd.Get("Count")).(Integer)
				if !ok || c < 0 || int64(c) > int64(d.opts.MaxObjects) {
					return Page{}, false, nil
				}
				count = int(c)
			}
			if next.Num == 0 && want-sum <= count {
				next, n = kr, want-sum
				if !checkAll {
					break
				}
			}
			sum += count
		}
		if next.Num == 0 {
			return Page{}, false, nil
		}
		if c, ok := d.resolveQuiet(node.Get("Count")).(Integer); checkAll && (!ok || int(c) != sum) {
			return Page{}, false, nil
		}
		r = next
	}
	return Page{}, false, nil
}

// PageOf returns the page that page object r is, with the attributes it inherits
// through its /Parent chain, without walking the page tree.
func (d *Document) PageOf(r Ref) (Page, error) {
	o, err := d.Get(r)
	if err != nil {
		return Page{}, err
	}
	node, ok := o.(Dict)
	if !ok {
		return Page{}, &MalformedError{Offset: -1, Ref: r, Msg: "page object is not a dictionary"}
	}
	chain := []Dict{node}
	seen := map[Ref]bool{r: true}
	for cur := node; len(chain) <= d.opts.MaxDepth; {
		pr, ok := cur.Get("Parent").(Ref)
		if !ok || seen[pr] {
			break
		}
		seen[pr] = true
		po, err := d.Get(pr)
		if err != nil {
			return Page{}, err
		}
		pd, ok := po.(Dict)
		if !ok {
			break
		}
		chain = append(chain, pd)
		cur = pd
	}
	var inh inherited
	for i := len(chain) - 1; i >= 0; i-- {
		inh.inherit(chain[i])
	}
	return d.makePage(r, node, inh), nil
}

// Rect reads a rectangle [llx lly urx ury] (an array of four numbers, each possibly an
// indirect reference), normalised so that ll < ur.
func (d *Document) Rect(o Object) ([4]float64, bool) { return d.rect(o) }

// rect reads a rectangle [llx lly urx ury], normalised so that ll < ur.
func (d *Document) rect(o Object) ([4]float64, bool) {
	var r [4]float64
	a, ok := d.resolveQuiet(o).(Array)
	if !ok || len(a) != 4 {
		return r, false
	}
	for i := range a {
		f, ok := Number(d.resolveQuiet(a[i]))
		if !ok {
			return r, false
		}
		r[i] = f
	}
	if r[0] > r[2] {
		r[0], r[2] = r[2], r[0]
	}
	if r[1] > r[3] {
		r[1], r[3] = r[3], r[1]
	}
	return r, true
}

// String describes the page briefly.
func (p Page) String() string {
	return fmt.Sprintf("page %s %v rotate %d", p.Ref, p.MediaBox, p.Rotate)
}
