package forms

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// overlay is an agency file that amends an existing definition ("extends").
type overlay struct {
	Extends  string  `json:"extends"`
	Title    *string `json:"title,omitempty"`
	TitleEn  *string `json:"titleEn,omitempty"`
	Summary  *string `json:"summary,omitempty"`
	Intro    *string `json:"intro,omitempty"`
	Defaults *struct {
		ParentBody      *string  `json:"parentBody,omitempty"`
		IssuingBody     *string  `json:"issuingBody,omitempty"`
		NumberSuffix    *string  `json:"numberSuffix,omitempty"`
		Place           *string  `json:"place,omitempty"`
		Recipients      []string `json:"recipients,omitempty"`
		Distribution    []string `json:"distribution,omitempty"`
		SignerAuthority *string  `json:"signerAuthority,omitempty"`
		SignerTitle     *string  `json:"signerTitle,omitempty"`
	} `json:"defaults,omitempty"`
	// Fields amends existing fields (or table columns, as "table.column").
	Fields []struct {
		ID           string   `json:"id"`
		Label        *string  `json:"label,omitempty"`
		LabelEn      *string  `json:"labelEn,omitempty"`
		Help         *string  `json:"help,omitempty"`
		HelpEn       *string  `json:"helpEn,omitempty"`
		Required     *bool    `json:"required,omitempty"`
		DomainSuffix *string  `json:"domainSuffix,omitempty"`
		Options      []Option `json:"options,omitempty"`
	} `json:"fields,omitempty"`
	// AddFields appends new fields to a section, or new columns to a list table.
	AddFields []struct {
		Section string `json:"section,omitempty"`
		Table   string `json:"table,omitempty"`
		Field   Field  `json:"field"`
	} `json:"addFields,omitempty"`
	Closing []string `json:"closing,omitempty"`
	// Sample amends the sample data: its non-empty header values, its fields and its
	// lists (whole) replace the sample's, so that a field an agency adds as required, or
	// makes required, has a sample value.
	Sample *Data `json:"sample,omitempty"`
	// Note is appended to the provenance notes, saying who amended the form and why.
	Note string `json:"note,omitempty"`
}

// cloneDefinition deep-copies what overlays may change.
func cloneDefinition(d *Definition) *Definition {
	c := *d
	c.Sections = slices.Clone(d.Sections)
	for i := range c.Sections {
		s := &c.Sections[i]
		s.Fields = slices.Clone(s.Fields)
		if s.Table != nil {
			t := *s.Table
			t.Columns = slices.Clone(t.Columns)
			s.Table = &t
		}
	}
	c.Defaults.Recipients = slices.Clone(d.Defaults.Recipients)
	c.Defaults.Distribution = slices.Clone(d.Defaults.Distribution)
	c.Closing = slices.Clone(d.Closing)
	c.Provenance.Sources = slices.Clone(d.Provenance.Sources)
	return &c
}

// applyOverlay amends the definition pf.overlay extends, recording which file set each
// property so that two extension files changing the same property conflict.
func (r *Registry) applyOverlay(pf *parsedFile, builtin bool) []error {
	o := pf.overlay
	var errs []error
	bad := func(line int, kind error, format string, a ...any) {
		errs = append(errs, &DefinitionError{File: pf.name, Line: line, Form: o.Extends, Err: kind,
			Detail: fmt.Sprintf(format, a...)})
	}
	base, ok := r.defs[o.Extends]
	if !ok {
		bad(pf.line("extends"), ErrInvalidDefinition, "extends unknown form %q", o.Extends)
		return errs
	}
	d := cloneDefinition(base)
	claim := func(prop string, line int) bool {
		key := o.Extends + "|" + prop
		if prev, taken := r.set[key]; taken && !builtin {
			bad(line, ErrConflict, "%s is also changed at %s", prop, prev)
			return false
		}
		r.set[key] = fmt.Sprintf("%s:%d", pf.name, line)
		return true
	}
	setStr := func(dst *string, v *string, prop string, line int) {
		if v != nil && claim(prop, line) {
			*dst = *v
		}
	}
	setStr(&d.Title, o.Title, "title", pf.line("title"))
	setStr(&d.TitleEn, o.TitleEn, "titleEn", pf.line("titleEn"))
	setStr(&d.Summary, o.Summary, "summary", pf.line("summary"))
	setStr(&d.Intro, o.Intro, "intro", pf.line("intro"))
	if o.Closing != nil && claim("closing", pf.line("closing")) {
		d.Closing = o.Closing
	}
	if df := o.Defaults; df != nil {
		l := func(k string) int { return pf.line("defaults", k) }
		setStr(&d.Defaults.ParentBody, df.ParentBody, "defaults.parentBody", l("parentBody"))
		setStr(&d.Defaults.IssuingBody, df.IssuingBody, "defaults.issuingBody", l("issuingBody"))
		setStr(&d.Defaults.NumberSuffix, df.NumberSuffix, "defaults.numberSuffix", l("numberSuffix"))
		setStr(&d.Defaults.Place, df.Place, "defaults.place", l("place"))
		setStr(&d.Defaults.SignerAuthority, df.SignerAuthority, "defaults.signerAuthority", l("signerAuthority"))
		setStr(&d.Defaults.SignerTitle, df.SignerTitle, "defaults.signerTitle", l("signerTitle"))
		if df.Recipients != nil && claim("defaults.recipients", l("recipients")) {
			d.Defaults.Recipients = df.Recipients
		}
		if df.Distribution != nil && claim("defaults.distribution", l("distribution")) {
			d.Defaults.Distribution = df.Distribution
		}
	}
	for i, fp := range o.Fields {
		line := pf.line("fields", i)
		f := d.fieldRef(fp.ID)
		if f == nil {
			bad(line, ErrInvalidDefinition, "no field or column %q to amend (columns are written table.column)", fp.ID)
			continue
		}
		p := "field " + fp.ID + "."
		setStr(&f.Label, fp.Label, p+"label", line)
		setStr(&f.LabelEn, fp.LabelEn, p+"labelEn", line)
		setStr(&f.Help, fp.Help, p+"help", line)
		setStr(&f.HelpEn, fp.HelpEn, p+"helpEn", line)
		setStr(&f.DomainSuffix, fp.DomainSuffix, p+"domainSuffix", line)
		if fp.Required != nil && claim(p+"required", line) {
			f.Required = *fp.Required
		}
		if fp.Options != nil && claim(p+"options", line) {
			f.Options = fp.Options
		}
	}
	for i, af := range o.AddFields {
		line := pf.line("addFields", i)
		if af.Table != "" {
			if af.Section != "" {
				bad(line, ErrInvalidDefinition, "addFields: give either section (a field) or table (a column), not both")
				continue
			}
			t := d.Table(af.Table)
			if t == nil {
				bad(line, ErrInvalidDefinition, "addFields: no list table %q", af.Table)
				continue
			}
			if slices.ContainsFunc(t.Columns, func(c Field) bool { return c.ID == af.Field.ID }) {
				bad(line, ErrConflict, "addFields: column %q already exists in %q", af.Field.ID, af.Table)
				continue
			}
			if claim("column "+af.Table+"."+af.Field.ID, line) {
				t.Columns = append(t.Columns, af.Field)
			}
			continue
		}
		idx := slices.IndexFunc(d.Sections, func(s Section) bool { return s.ID == af.Section })
		if idx < 0 {
			bad(line, ErrInvalidDefinition, "addFields: no section %q", af.Section)
			continue
		}
		if d.fieldRef(af.Field.ID) != nil {
			bad(line, ErrConflict, "addFields: field %q already exists", af.Field.ID)
			continue
		}
		if !claim("field "+af.Field.ID, line) {
			continue
		}
		d.Sections[idx].Fields = append(d.Sections[idx].Fields, af.Field)
	}
	if sd := o.Sample; sd != nil {
		line := pf.line("sample")
		if sd.Form != "" && sd.Form != o.Extends {
			bad(line, ErrInvalidDefinition, "sample is for form %q", sd.Form)
		} else {
			d.Sample = amendSample(d.Sample, sd, o.Extends, func(prop string) bool {
				path := []any{"sample"}
				for _, k := range strings.SplitN(prop, ".", 2) {
					path = append(path, k)
				}
				return claim("sample."+prop, pf.line(path...))
			})
		}
	}
	if o.Note != "" {
		if d.Provenance.Notes != "" {
			d.Provenance.Notes += "\n"
		}
		d.Provenance.Notes += fmt.Sprintf("%s: %s", pf.name, o.Note)
	}
	if len(errs) == 0 {
		r.defs[o.Extends] = d
	}
	return errs
}

// fieldRef returns a pointer to a field ("id") or a table column ("table.column").
func (d *Definition) fieldRef(id string) *Field {
	for i := range d.Sections {
		s := &d.Sections[i]
		for j := range s.Fields {
			if s.Fields[j].ID == id {
				return &s.Fields[j]
			}
		}
		if t := s.Table; t != nil {
			for j := range t.Columns {
				if t.ID+"."+t.Columns[j].ID == id {
					return &t.Columns[j]
				}
			}
		}
	}
	return nil
}

// amendSample returns a copy of base (which may be nil) amended by o: non-empty header
// values, fields and whole lists of o replace those of base. claim is asked for each
// property changed ("header", "fields.<id>", "tables.<id>") and may refuse it.
func amendSample(base, o *Data, form string, claim func(prop string) bool) *Data {
	out := &Data{Form: form}
	if base != nil {
		out.Header = base.Header
		out.Header.Recipients = slices.Clone(base.Header.Recipients)
		out.Header.Distribution = slices.Clone(base.Header.Distribution)
		out.Fields = maps.Clone(base.Fields)
		out.Tables = maps.Clone(base.Tables)
	}
	h := o.Header
	if !emptyHeader(h) && claim("header") {
		set := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		set(&out.Header.ParentBody, h.ParentBody)
		set(&out.Header.IssuingBody, h.IssuingBody)
		set(&out.Header.Number, h.Number)
		set(&out.Header.Place, h.Place)
		set(&out.Header.Date, h.Date)
		set(&out.Header.SignerAuthority, h.SignerAuthority)
		set(&out.Header.SignerTitle, h.SignerTitle)
		set(&out.Header.SignerName, h.SignerName)
		if h.Recipients != nil {
			out.Header.Recipients = h.Recipients
		}
		if h.Distribution != nil {
			out.Header.Distribution = h.Distribution
		}
	}
	for _, k := range slices.Sorted(maps.Keys(o.Fields)) {
		if claim("fields." + k) {
			if out.Fields == nil {
				out.Fields = map[string]string{}
			}
			out.Fields[k] = o.Fields[k]
		}
	}
	for _, k := range slices.Sorted(maps.Keys(o.Tables)) {
		if claim("tables." + k) {
			if out.Tables == nil {
				out.Tables = map[string][]Row{}
			}
			out.Tables[k] = o.Tables[k]
		}
	}
	return out
}

func emptyHeader(h Header) bool {
	return h.ParentBody == "" && h.IssuingBody == "" && h.Number == "" && h.Place == "" && h.Date == "" &&
		h.SignerAuthority == "" && h.SignerTitle == "" && h.SignerName == "" &&
		h.Recipients == nil && h.Distribution == nil
}
