package signature

import (
	"bytes"

	"github.com/kyso-go/kyso/internal/pdf"
)

// equal compares an object of the older revision (a) with one of the newer (b) by
// value, as PDF means it: numbers by value (612 and 612.0 are equal), strings by their
// bytes whatever their notation, dictionaries regardless of key order. A reference
// equal to itself is equal (a redefined object is judged on its own); two different
// references, or a reference and a direct object, are equal when what they lead to is
// (a /Resources moved to an identical copy). Streams compare dictionaries and their
// encoded data.
func (c *changeCtx) equal(a, b pdf.Object, depth int) bool {
	if depth > 64 {
		return false
	}
	if xr, ok := a.(pdf.Ref); ok {
		if yr, ok := b.(pdf.Ref); ok {
			if xr == yr {
				return true
			}
			return c.equalRefs(xr, yr, depth)
		}
		if !c.byValue() || !c.spend() {
			return false
		}
		return c.equal(resolveQuiet(c.old, xr), b, depth+1)
	}
	if yr, ok := b.(pdf.Ref); ok {
		if !c.byValue() || !c.spend() {
			return false
		}
		return c.equal(a, resolveQuiet(c.new, yr), depth+1)
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case pdf.Integer, pdf.Real:
		fx, _ := number(a)
		fy, ok := number(b)
		return ok && fx == fy
	case pdf.Bool, pdf.Name:
		return a == b
	case pdf.String, pdf.HexString:
		xb, _ := pdf.Bytes(a)
		yb, ok := pdf.Bytes(b)
		return ok && bytes.Equal(xb, yb) && isStringish(b)
	case pdf.Array:
		y, ok := b.(pdf.Array)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !c.equal(x[i], y[i], depth+1) {
				return false
			}
		}
		return true
	case pdf.Dict:
		y, ok := b.(pdf.Dict)
		return ok && c.equalDict(x, y, depth)
	case *pdf.Stream:
		y, ok := b.(*pdf.Stream)
		if !ok || !c.byValue() || !c.equalDict(x.Dict, y.Dict, depth) {
			return false
		}
		xd, err1 := c.old.RawStreamData(x)
		yd, err2 := c.new.RawStreamData(y)
		return err1 == nil && err2 == nil && bytes.Equal(xd, yd)
	case pdf.Raw:
		y, ok := b.(pdf.Raw)
		return ok && bytes.Equal(x, y)
	}
	return false
}

// byValue reports whether references may be followed (a context without documents
// compares references by identity).
func (c *changeCtx) byValue() bool { return c.old != nil && c.new != nil }

// spend counts one more object resolved for a comparison; false past the budget (the
// values are then taken as different: the analysis is stricter, never laxer).
func (c *changeCtx) spend() bool {
	c.budget++
	return c.budget <= maxCompare
}

// equalRefs compares the objects x (older revision) and y (newer) by value, once per
// pair.
func (c *changeCtx) equalRefs(x, y pdf.Ref, depth int) bool {
	if !c.byValue() {
		return false
	}
	k := [2]pdf.Ref{x, y}
	if v, ok := c.memo[k]; ok {
		return v
	}
	if !c.spend() {
		return false
	}
	c.memo[k] = true // a cycle compares equal along itself
	ov, err1 := c.old.Get(x)
	nv, err2 := c.new.Get(y)
	eq := err1 == nil && err2 == nil && c.equal(ov, nv, depth+1)
	c.memo[k] = eq
	return eq
}

func (c *changeCtx) equalDict(x, y pdf.Dict, depth int) bool {
	if len(x) != len(y) {
		return false
	}
	for k, v := range x {
		w, ok := y[k]
		if !ok || !c.equal(v, w, depth+1) {
			return false
		}
	}
	return true
}

// extends reports whether b holds everything a holds, only with additions: entries
// added to dictionaries, elements added to arrays (the old ones kept in order), a
// single value turned into an array holding it, /ParentTreeNextKey increased. This is
// how a structure tree grows when a new widget is tagged (PDF/UA), and how a name
// tree grows.
func (c *changeCtx) extends(a, b pdf.Object, depth int) bool {
	if c.equal(a, b, depth) {
		return true
	}
	if depth > 16 || !c.spend() {
		return false
	}
	if xr, ok := a.(pdf.Ref); ok {
		if yr, ok := b.(pdf.Ref); ok && xr == yr {
			return true
		}
		return false // a different object in a structure: only equal values pass
	}
	if y, ok := b.(pdf.Array); ok {
		if x, ok := a.(pdf.Array); ok {
			j := 0
			for _, e := range x {
				for j < len(y) && !c.extends(e, y[j], depth+1) {
					j++
				}
				if j == len(y) {
					return false
				}
				j++
			}
			return true
		}
		for _, e := range y {
			if c.equal(a, e, depth+1) {
				return true
			}
		}
		return false
	}
	x, ok1 := asDict(a)
	y, ok2 := asDict(b)
	if !ok1 || !ok2 {
		return false
	}
	if _, isStream := a.(*pdf.Stream); isStream {
		return false
	}
	for k := range y {
		if _, had := x[k]; !had && structText[k] {
			return false // new text for an existing element: another reading
		}
	}
	for k, v := range x {
		w, ok := y[k]
		if !ok {
			return false
		}
		if k == "Limits" {
			continue // a tree node's key range: it follows what the node holds
		}
		if k == "ParentTreeNextKey" {
			ov, _ := number(v)
			nv, ok := number(w)
			if !ok || nv < ov {
				return false
			}
			continue
		}
		if !c.extends(v, w, depth+1) {
			return false
		}
	}
	return true
}

// structText are the entries of a structure element that give it text (ISO 32000-1
// 14.9: alternate descriptions, replacement text, expansions, language, title): adding
// one to an existing element changes what assistive technology and text extraction
// read, so it is not an extension.
var structText = map[pdf.Name]bool{"Alt": true, "ActualText": true, "E": true, "Lang": true, "T": true}

// onlyAdded reports whether the dictionary new holds every entry of old unchanged
// (one level of nested dictionaries deep, as in /DR /Font): entries were only added.
func (c *changeCtx) onlyAdded(oldO, newO pdf.Object, depth int) bool {
	od, ok1 := asDict(resolveQuiet(c.old, oldO))
	nd, ok2 := asDict(resolveQuiet(c.new, newO))
	if !ok2 {
		return false
	}
	if !ok1 {
		return oldO == nil
	}
	for k, v := range od {
		w, ok := nd[k]
		if !ok {
			return false
		}
		if c.equal(v, w, 1) {
			continue
		}
		if depth > 0 || !c.onlyAdded(v, w, depth+1) {
			return false
		}
	}
	return true
}

// number reads an integer or real.
func number(o pdf.Object) (float64, bool) {
	switch n := o.(type) {
	case pdf.Integer:
		return float64(n), true
	case pdf.Real:
		return float64(n), true
	}
	return 0, false
}

func isStringish(o pdf.Object) bool {
	switch o.(type) {
	case pdf.String, pdf.HexString:
		return true
	}
	return false
}

// equalShallow compares two objects without reading anything: references by identity
// (for trailer entries).
func equalShallow(a, b pdf.Object) bool {
	if _, ok := a.(*pdf.Stream); ok {
		return false
	}
	c := &changeCtx{}
	return c.equal(a, b, 0)
}

func asDict(o pdf.Object) (pdf.Dict, bool) {
	switch v := o.(type) {
	case pdf.Dict:
		return v, true
	case *pdf.Stream:
		return v.Dict, true
	}
	return nil, false
}

func resolveQuiet(d *pdf.Document, o pdf.Object) pdf.Object {
	if d == nil {
		return nil
	}
	v, err := d.Resolve(o)
	if err != nil {
		return nil
	}
	return v
}
