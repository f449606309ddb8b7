package forms

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

//go:embed definitions
var builtinFS embed.FS

// Limits on definition files.
const (
	MaxDefinitionFileSize = 1 << 20
	MaxDefinitionFiles    = 1000
	MaxFieldsPerForm      = 500
)

// Registry holds form definitions: the built-in ones and those an agency adds or
// amends with its own files. A Registry is not safe for concurrent Load; once loaded,
// lookups may run concurrently.
type Registry struct {
	defs   map[string]*Definition
	origin map[string]string // form ID → "file:line" where it was defined
	set    map[string]string // "form|property" → "file:line" of the extension that set it
}

// NewRegistry returns a registry holding the built-in definitions (TT 185/2019 Mẫu
// 01–15, NĐ 68/2024 Mẫu 01–09 and the periodic usage report).
func NewRegistry() (*Registry, error) {
	r := &Registry{defs: map[string]*Definition{}, origin: map[string]string{}, set: map[string]string{}}
	sub, err := fs.Sub(builtinFS, "definitions")
	if err != nil {
		return nil, err
	}
	if err := r.load(sub, "definitions", true); err != nil {
		return nil, fmt.Errorf("forms: built-in definitions: %w", err)
	}
	return r, nil
}

// Definition returns the definition with the given ID, or an error wrapping
// ErrUnknownForm.
func (r *Registry) Definition(id string) (*Definition, error) {
	if d, ok := r.defs[id]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("%w: %q (kyso forms list shows the known forms)", ErrUnknownForm, id)
}

// Definitions returns every definition, sorted by ID.
func (r *Registry) Definitions() []*Definition {
	out := make([]*Definition, 0, len(r.defs))
	for _, d := range r.defs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Origin returns where the definition with the given ID was defined ("file:line").
func (r *Registry) Origin(id string) string { return r.origin[id] }

// LoadDir loads an agency's definition files from a directory; see Load.
func (r *Registry) LoadDir(dir string) error {
	return r.load(os.DirFS(dir), dir, false)
}

// Load loads an agency's definition files (*.json, *.yaml, *.yml, in lexical order,
// recursively, skipping *.schema.json) from fsys. A file either defines a new form (it has "id") or amends an
// existing one (it has "extends"): relabelling fields, adding fields, overriding
// defaults such as the province's managing body. See definitions/README.md for the
// format. Invalid files and conflicts (a form defined twice, two files changing the
// same property) are reported as *DefinitionError values with file and line, joined;
// on any error the registry is left unchanged.
func (r *Registry) Load(fsys fs.FS) error {
	return r.load(fsys, "", false)
}

func (r *Registry) load(fsys fs.FS, prefix string, builtin bool) error {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := path.Ext(p)
		if !e.IsDir() && (ext == ".json" || ext == ".yaml" || ext == ".yml") && !strings.HasSuffix(p, ".schema.json") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return &DefinitionError{File: prefix, Err: ErrInvalidDefinition, Detail: err.Error()}
	}
	if len(files) > MaxDefinitionFiles {
		return &DefinitionError{File: prefix, Err: ErrInvalidDefinition,
			Detail: fmt.Sprintf("%d definition files, at most %d", len(files), MaxDefinitionFiles)}
	}
	sort.Strings(files)
	// Work on a copy so that a failed load leaves r unchanged.
	next := &Registry{defs: map[string]*Definition{}, origin: map[string]string{}, set: map[string]string{}}
	for k, v := range r.defs {
		next.defs[k] = v
	}
	for k, v := range r.origin {
		next.origin[k] = v
	}
	for k, v := range r.set {
		next.set[k] = v
	}
	var errs []error
	var overlays []*parsedFile
	for _, f := range files {
		name := f
		if prefix != "" {
			name = path.Join(prefix, f)
		}
		pf, err := parseDefinitionFile(fsys, f, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if pf.overlay != nil {
			overlays = append(overlays, pf)
			continue
		}
		d := pf.def
		if prev, dup := next.defs[d.ID]; dup && prev != nil {
			errs = append(errs, &DefinitionError{File: name, Line: pf.line("id"), Form: d.ID, Err: ErrConflict,
				Detail: fmt.Sprintf("form already defined at %s (use \"extends\" to amend it)", next.origin[d.ID])})
			continue
		}
		next.defs[d.ID] = d
		next.origin[d.ID] = fmt.Sprintf("%s:%d", name, pf.line("id"))
	}
	for _, pf := range overlays {
		errs = append(errs, next.applyOverlay(pf, builtin)...)
	}
	// Check every amended definition once, with its sample, blaming the last file that
	// amended it.
	checked := map[string]bool{}
	for i := len(overlays) - 1; i >= 0; i-- {
		pf := overlays[i]
		if d, ok := next.defs[pf.overlay.Extends]; ok && !checked[d.ID] {
			checked[d.ID] = true
			errs = append(errs, checkDefinition(d, pf)...)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	*r = *next
	return nil
}

// parsedFile is one definition file: either a full definition or an overlay, with the
// YAML node tree for line numbers.
type parsedFile struct {
	name    string
	root    *yaml.Node
	def     *Definition
	overlay *overlay
}

// line returns the line of the node at the given path (map keys and sequence indexes),
// or of the deepest node found.
func (pf *parsedFile) line(p ...any) int {
	n := pf.root
	if n == nil {
		return 0
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, el := range p {
		switch k := el.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return n.Line
			}
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					n, found = n.Content[i+1], true
					if n.Kind == yaml.ScalarNode {
						return n.Line
					}
					break
				}
			}
			if !found {
				return n.Line
			}
		case int:
			if n.Kind != yaml.SequenceNode || k >= len(n.Content) {
				return n.Line
			}
			n = n.Content[k]
		}
	}
	return n.Line
}

// valueLine finds the first scalar value equal to v (or ending in "."+v, for table
// columns written table.column) anywhere in the file.
func (pf *parsedFile) valueLine(v string) int {
	var walk func(n *yaml.Node) int
	walk = func(n *yaml.Node) int {
		if n.Kind == yaml.ScalarNode && (n.Value == v || strings.HasSuffix(n.Value, "."+v)) {
			return n.Line
		}
		for _, c := range n.Content {
			if l := walk(c); l > 0 {
				return l
			}
		}
		return 0
	}
	if pf.root == nil || v == "" {
		return 0
	}
	return walk(pf.root)
}

// keyLine finds the first mapping key named key anywhere in the file.
func (pf *parsedFile) keyLine(key string) int {
	var walk func(n *yaml.Node) int
	walk = func(n *yaml.Node) int {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					return n.Content[i].Line
				}
			}
		}
		for _, c := range n.Content {
			if l := walk(c); l > 0 {
				return l
			}
		}
		return 0
	}
	if pf.root == nil {
		return 0
	}
	return walk(pf.root)
}

var reUnknownField = regexp.MustCompile(`unknown field "([^"]+)"`)

func parseDefinitionFile(fsys fs.FS, file, name string) (*parsedFile, error) {
	bad := func(line int, format string, a ...any) error {
		return &DefinitionError{File: name, Line: line, Err: ErrInvalidDefinition, Detail: fmt.Sprintf(format, a...)}
	}
	fi, err := fs.Stat(fsys, file)
	if err != nil {
		return nil, bad(0, "%v", err)
	}
	if fi.Size() > MaxDefinitionFileSize {
		return nil, bad(0, "file is %d bytes, at most %d", fi.Size(), MaxDefinitionFileSize)
	}
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, bad(0, "%v", err)
	}
	raw = norm.NFC.Bytes(raw) // labels typed in decomposed form print and extract as NFC
	pf := &parsedFile{name: name, root: &yaml.Node{}}
	if err := yaml.Unmarshal(raw, pf.root); err != nil {
		line := 0
		if m := regexp.MustCompile(`line (\d+)`).FindStringSubmatch(err.Error()); m != nil {
			fmt.Sscan(m[1], &line)
		}
		return nil, bad(line, "not valid JSON or YAML: %v", err)
	}
	var generic any
	if err := pf.root.Decode(&generic); err != nil {
		return nil, bad(0, "%v", err)
	}
	m, ok := generic.(map[string]any)
	if !ok {
		return nil, bad(1, "a definition file holds one object (mapping)")
	}
	delete(m, "$schema") // editors' schema reference (definitions/definition.schema.json)
	js, err := json.Marshal(generic)
	if err != nil {
		return nil, bad(0, "%v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	decodeErr := func(err error) error {
		if sm := reUnknownField.FindStringSubmatch(err.Error()); sm != nil {
			return bad(pf.keyLine(sm[1]), "unknown key %q", sm[1])
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			parts := strings.Split(te.Field, ".")
			return bad(pf.keyLine(parts[len(parts)-1]), "%q must be a %s", te.Field, te.Type)
		}
		return bad(0, "%v", err)
	}
	if _, isOverlay := m["extends"]; isOverlay {
		pf.overlay = &overlay{}
		if err := dec.Decode(pf.overlay); err != nil {
			return nil, decodeErr(err)
		}
		return pf, nil
	}
	pf.def = &Definition{}
	if err := dec.Decode(pf.def); err != nil {
		return nil, decodeErr(err)
	}
	if errs := checkDefinition(pf.def, pf); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return pf, nil
}

// maxColumnWidth bounds a column's relative Width (a larger one would starve the other
// columns of room, or overflow the layout arithmetic).
const maxColumnWidth = 20

var reFormID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$`)
var reFieldID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// checkDefinition checks a definition for consistency; pf locates lines.
func checkDefinition(d *Definition, pf *parsedFile) []error {
	var errs []error
	bad := func(line int, format string, a ...any) {
		errs = append(errs, &DefinitionError{File: pf.name, Line: line, Form: d.ID, Err: ErrInvalidDefinition,
			Detail: fmt.Sprintf(format, a...)})
	}
	isDef := pf.def == d
	ln := func(p ...any) int {
		if isDef {
			return pf.line(p...)
		}
		// An extension file: point at the field it added or amended, if it names it.
		if len(p) >= 4 && p[0] == "sections" {
			i, _ := p[1].(int)
			if i < len(d.Sections) {
				id := ""
				if j, ok := p[3].(int); ok && p[2] == "fields" && j < len(d.Sections[i].Fields) {
					id = d.Sections[i].Fields[j].ID
				} else if len(p) >= 5 && p[2] == "table" && d.Sections[i].Table != nil {
					if j, ok := p[4].(int); ok && j < len(d.Sections[i].Table.Columns) {
						id = d.Sections[i].Table.Columns[j].ID
					}
				}
				if l := pf.valueLine(id); id != "" && l > 0 {
					return l
				}
			}
		}
		return pf.line()
	}
	if !reFormID.MatchString(d.ID) {
		bad(ln("id"), "id %q must be lower-case words separated by '/', e.g. \"agency/mau-01\"", d.ID)
	}
	if strings.TrimSpace(d.Title) == "" {
		bad(ln("title"), "title is required")
	}
	switch d.Layout {
	case LayoutLetter, LayoutApplication, LayoutMinutes, LayoutReport:
	default:
		bad(ln("layout"), "layout %q must be letter, application, minutes or report", d.Layout)
	}
	switch d.Provenance.Confidence {
	case ConfidenceOfficial, ConfidenceSeed, ConfidenceReconstructed:
	default:
		bad(ln("provenance"), "provenance.confidence %q must be official, seed or reconstructed", d.Provenance.Confidence)
	}
	if len(d.Provenance.Sources) == 0 {
		bad(ln("provenance"), "provenance.sources must say where the field list comes from")
	}
	if len(d.Sections) == 0 {
		bad(ln("sections"), "at least one section is required")
	}
	if d.Superseded != "" {
		if _, err := time.Parse(time.DateOnly, d.Superseded); err != nil {
			bad(ln("superseded"), "superseded %q must be a date written YYYY-MM-DD", d.Superseded)
		}
	}
	if d.ReplacedBy != "" && !reFormID.MatchString(d.ReplacedBy) {
		bad(ln("replacedBy"), "replacedBy %q must be a form id, e.g. \"nd68/mau-01\"", d.ReplacedBy)
	}
	ids := map[string]bool{}
	tables := map[string]bool{}
	secIDs := map[string]bool{}
	nFields := 0
	checkField := func(f Field, p ...any) {
		nFields++
		if !reFieldID.MatchString(f.ID) {
			bad(ln(p...), "field id %q must be a letter followed by letters, digits or '_'", f.ID)
		}
		if strings.TrimSpace(f.Label) == "" {
			bad(ln(p...), "field %q has no label", f.ID)
		}
		if !f.Type.Known() {
			bad(ln(append(p, "type")...), "field %q has unknown type %q", f.ID, f.Type)
		}
		if f.Type == TypeEnum && len(f.Options) == 0 {
			bad(ln(p...), "enum field %q has no options", f.ID)
		}
		if f.Type != TypeEnum && len(f.Options) > 0 {
			bad(ln(p...), "field %q has options but is not an enum", f.ID)
		}
		if f.Width < 0 || f.Width > maxColumnWidth {
			bad(ln(p...), "field %q: width %g must be between 0 and %g (a relative column width, default 1)", f.ID, f.Width, float64(maxColumnWidth))
		}
		if f.MaxLength < 0 {
			bad(ln(p...), "field %q: maxLength %d must not be negative", f.ID, f.MaxLength)
		}
		seen := map[string]bool{}
		for _, o := range f.Options {
			if o.Value == "" || seen[o.Value] {
				bad(ln(p...), "field %q: option values must be non-empty and unique (%q)", f.ID, o.Value)
			}
			seen[o.Value] = true
		}
	}
	for i, s := range d.Sections {
		if s.ID == "" || secIDs[s.ID] {
			bad(ln("sections", i), "section %d: id %q missing or repeated", i+1, s.ID)
		}
		secIDs[s.ID] = true
		for j, f := range s.Fields {
			if ids[f.ID] {
				bad(ln("sections", i, "fields", j), "field id %q repeated", f.ID)
			}
			ids[f.ID] = true
			checkField(f, "sections", i, "fields", j)
		}
		if t := s.Table; t != nil {
			if t.ID == "" || tables[t.ID] {
				bad(ln("sections", i, "table"), "table id %q missing or repeated", t.ID)
			}
			tables[t.ID] = true
			if len(t.Columns) == 0 {
				bad(ln("sections", i, "table"), "table %q has no columns", t.ID)
			}
			if t.MinRows < 0 || t.MaxRows < 0 || (t.MaxRows > 0 && t.MaxRows < t.MinRows) {
				bad(ln("sections", i, "table"), "table %q: bad minRows/maxRows", t.ID)
			}
			cols := map[string]bool{}
			for j, c := range t.Columns {
				if cols[c.ID] {
					bad(ln("sections", i, "table", "columns", j), "column id %q repeated", c.ID)
				}
				cols[c.ID] = true
				checkField(c, "sections", i, "table", "columns", j)
			}
		}
	}
	if nFields > MaxFieldsPerForm {
		bad(ln("sections"), "%d fields, at most %d", nFields, MaxFieldsPerForm)
	}
	// requiredIf must name a field of the same scope and, for an enum, one of its values.
	checkCond := func(f Field, scope []Field, p ...any) {
		if f.RequiredIf == "" {
			return
		}
		other, val, ok := strings.Cut(f.RequiredIf, "=")
		idx := slices.IndexFunc(scope, func(g Field) bool { return g.ID == other })
		switch {
		case !ok || idx < 0:
			bad(ln(p...), "field %q: requiredIf %q must be \"field=value\" naming a field beside it", f.ID, f.RequiredIf)
		case scope[idx].Type == TypeEnum && !slices.ContainsFunc(scope[idx].Options, func(o Option) bool { return o.Value == val }):
			bad(ln(p...), "field %q: requiredIf %q: %q is not an option of %q", f.ID, f.RequiredIf, val, other)
		}
	}
	all := d.Fields()
	for i, s := range d.Sections {
		for j, f := range s.Fields {
			checkCond(f, all, "sections", i, "fields", j)
		}
		if s.Table != nil {
			for j, c := range s.Table.Columns {
				checkCond(c, s.Table.Columns, "sections", i, "table", "columns", j)
			}
		}
	}
	for i, b := range d.Signature.Blocks {
		if b.NameField != "" && !ids[b.NameField] {
			bad(ln("signature", "blocks", i), "signature block %q names unknown field %q", b.Role, b.NameField)
		}
	}
	if len(errs) == 0 && d.Sample != nil {
		s := *d.Sample
		if s.Form == "" {
			s.Form = d.ID
		}
		if s.Form != d.ID {
			bad(ln("sample"), "sample is for form %q", s.Form)
		} else if err := d.Validate(d.Normalize(&s), ValidateOptions{Now: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			hint := ""
			if !isDef {
				hint = " (an extension file amends the sample with a \"sample\" key: header, fields, tables)"
			}
			bad(ln("sample"), "sample data does not validate%s: %v", hint, err)
		}
	}
	return errs
}
