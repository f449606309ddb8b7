package pdf

// Field is one field of the document's interactive form (AcroForm).
type Field struct {
	Ref     Ref    // the field dictionary
	Name    string // the fully qualified name: the partial names (/T) joined with "."
	Type    Name   // /FT, inherited ("Sig", "Tx", "Btn", "Ch"); "" for a non-terminal field without one
	Dict    Dict   // the field dictionary as stored
	Widgets []Ref  // the field's widget annotations (itself when field and widget are merged)
	Kids    []Ref  // child fields
	Parent  *Ref   // the parent field, nil for a top-level field
}

// Fields walks the AcroForm field tree from the catalog's /AcroForm /Fields and returns
// every field (non-terminal fields before their children), in tree order. A document
// without a form has no fields. Loops are errors (ErrMalformed).
func (d *Document) Fields() ([]Field, error) {
	cat, err := d.Catalog()
	if err != nil {
		return nil, err
	}
	af, err := d.Resolve(cat.Get("AcroForm"))
	if err != nil {
		return nil, err
	}
	form, ok := af.(Dict)
	if !ok {
		return nil, nil
	}
	fo, err := d.Resolve(form.Get("Fields"))
	if err != nil {
		return nil, err
	}
	top, _ := fo.(Array)
	var fields []Field
	seen := map[Ref]bool{}
	// oneRef returns a list of r alone, carved from a shared block (capped, so that
	// appending to it copies): one allocation per 64 fields, not one per field.
	var slab []Ref
	oneRef := func(r Ref) []Ref {
		if len(slab) == cap(slab) {
			slab = make([]Ref, 0, 64)
		}
		slab = append(slab, r)
		n := len(slab)
		return slab[n-1 : n : n]
	}
	var walk func(r Ref, parent *Ref, prefix string, ft Name, depth int) error
	walk = func(r Ref, parent *Ref, prefix string, ft Name, depth int) error {
		if depth > d.opts.MaxDepth {
			return &LimitError{Limit: "MaxDepth", Max: int64(d.opts.MaxDepth), Offset: -1}
		}
		if seen[r] {
			return &MalformedError{Offset: -1, Ref: r, Msg: "form field tree reaches this field twice (a loop or a shared field)"}
		}
		seen[r] = true
		if len(seen) > d.opts.MaxObjects {
			return &LimitError{Limit: "MaxObjects", Max: int64(d.opts.MaxObjects), Offset: -1}
		}
		o, err := d.Get(r)
		if err != nil {
			return err
		}
		fd, ok := o.(Dict)
		if !ok {
			return &MalformedError{Offset: -1, Ref: r, Msg: "form field is not a dictionary"}
		}
		f := Field{Ref: r, Dict: fd, Parent: parent, Type: ft, Name: prefix}
		if t, ok := d.resolveQuiet(fd.Get("FT")).(Name); ok {
			f.Type = t
		}
		if t, ok := Text(d.resolveQuiet(fd.Get("T"))); ok {
			if prefix != "" {
				f.Name = prefix + "." + t
			} else {
				f.Name = t
			}
		}
		if st, _ := fd.Get("Subtype").(Name); st == "Widget" {
			f.Widgets = oneRef(r)
		}
		kids, _ := d.resolveQuiet(fd.Get("Kids")).(Array)
		var childFields []Ref
		for _, k := range kids {
			kr, ok := k.(Ref)
			if !ok {
				continue
			}
			ko, err := d.Get(kr)
			if err != nil {
				return err
			}
			kd, ok := ko.(Dict)
			if !ok {
				continue
			}
			if kd.Get("T") == nil && kd.Get("FT") == nil && kd.Get("Kids") == nil {
				// A widget annotation of this field.
				if seen[kr] {
					return &MalformedError{Offset: -1, Ref: kr, Msg: "widget belongs to two fields"}
				}
				seen[kr] = true
				f.Widgets = append(f.Widgets, kr)
				continue
			}
			childFields = append(childFields, kr)
		}
		f.Kids = childFields
		fields = append(fields, f)
		if len(childFields) == 0 {
			return nil
		}
		self := r // the parent of the children (allocated only for a field that has some)
		for _, kr := range childFields {
			if err := walk(kr, &self, f.Name, f.Type, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, e := range top {
		r, ok := e.(Ref)
		if !ok {
			d.warn("AcroForm /Fields holds a direct object; skipped")
			continue
		}
		if err := walk(r, nil, "", "", 0); err != nil {
			return nil, err
		}
	}
	return fields, nil
}
