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
		t, _ := node.Get("Type").(Name)
		kidsObj, err := d.Resolve(node.Get("Kids"))
		if err != nil {
			return err
		}
		kids, isNode := kidsObj.(Array)
		if t == "Page" || (!isNode && t != "Pages") {
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
			pages = append(pages, p)
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
