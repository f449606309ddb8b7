package policy

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Profile holds what one province does differently, as data: who manages
// subscribers, the reporting periods and deadlines, which national rules the province
// restates (its own article then leads the citations), who may apply the organisation
// signature, and who is eligible for SIM PKI devices. A profile extends another one
// (normally "national", the baseline) and overrides what it sets.
//
// Profiles are JSON files; an agency adds or corrects one with Registry.Load, without
// code. Where the sources are silent, a field is left out and the parent's value holds.
type Profile struct {
	// ID is the profile's identifier, lower-case ASCII with hyphens ("quang-ninh").
	ID string `json:"id"`
	// Name is the province's Vietnamese name ("Quảng Ninh").
	Name string `json:"name"`
	// Extends names the profile this one builds on; empty only for the baseline.
	Extends string `json:"extends,omitempty"`
	// Instrument is the short name of the province's regulation.
	Instrument string `json:"instrument,omitempty"`
	// Provenance says where the data comes from and how sure it is.
	Provenance string `json:"provenance,omitempty"`
	// Instruments declares instruments beyond kyso's list (Instruments) that this
	// profile's citations may name, e.g. a newer provincial decision.
	Instruments []Instrument `json:"instruments,omitempty"`
	// SubscriberManager is the body managing subscribers for the province.
	SubscriberManager *SubscriberManager `json:"subscriber_manager,omitempty"`
	// OrgSignatureRoles are the roles that may apply the organisation signature.
	OrgSignatureRoles []Role `json:"org_signature_roles,omitempty"`
	// Reports are the periodic usage reports the province requires.
	Reports []Report `json:"reports,omitempty"`
	// SIMPKI says who may receive SIM PKI key devices, where the province says so.
	SIMPKI *SIMPKIEligibility `json:"sim_pki,omitempty"`
	// Restates lists the national rules the province's regulation restates, with the
	// province's own citation.
	Restates []Restatement `json:"restates,omitempty"`
}

// SubscriberManager is who manages subscribers (người quản lý thuê bao) in a province.
type SubscriberManager struct {
	Name    string `json:"name"`         // the body's Vietnamese name
	English string `json:"en,omitempty"` // its name or role in English
	// Role is RoleProvincialDepartment when one provincial body manages the
	// province's subscribers, RoleManagingOrganisation when each subscriber's own
	// managing organisation does.
	Role     Role     `json:"role,omitempty"`
	Citation Citation `json:"citation"` // where the province says so
}

// Report is one periodic report on certificate use that a province requires.
type Report struct {
	// Period is "monthly", "quarterly", "half-year" or "annual".
	Period string `json:"period"`
	// Due states the deadline in Vietnamese, as the regulation words it.
	Due string `json:"due,omitempty"`
	// DueDay and DueMonth give the deadline's day and month (DueMonth 0: every
	// month); zero when the regulation sets none.
	DueDay   int `json:"due_day,omitempty"`
	DueMonth int `json:"due_month,omitempty"`
	// DueBefore says the report must arrive before the day (trước ngày), not on it.
	DueBefore bool `json:"due_before,omitempty"`
	// DataFrom and DataTo describe the data period (thời gian chốt số liệu).
	DataFrom string `json:"data_from,omitempty"`
	DataTo   string `json:"data_to,omitempty"`
	// NextWorkingDay says a deadline on a weekend or public holiday moves to the next
	// working day.
	NextWorkingDay bool     `json:"next_working_day,omitempty"`
	Citation       Citation `json:"citation"` // the article setting the report
}

// SIMPKIEligibility lists who may receive SIM PKI devices.
type SIMPKIEligibility struct {
	Eligible []string `json:"eligible"` // the groups of people, in the regulation's words
	Citation Citation `json:"citation"` // the article naming them
}

// Restatement records that a province's regulation restates one of the rules.
type Restatement struct {
	Rule     string   `json:"rule"`     // the rule's identifier, e.g. "VN-ORG-SEAL-AFTER-AUTHORITY"
	Citation Citation `json:"citation"` // the province's own article restating it
}

// Limits on profile files.
const (
	// MaxProfileSize is the largest profile file Registry.Load reads.
	MaxProfileSize = 256 << 10
	maxProfileList = 100
)

var profileIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

var reportPeriods = []string{"monthly", "quarterly", "half-year", "annual"}

// ParseProfile reads one profile from JSON. It checks the file on its own (fields,
// vocabulary, citations, limits); Registry.Add checks it against its parent.
func ParseProfile(r io.Reader) (*Profile, error) {
	var p Profile
	if err := decodeStrictJSON(r, MaxProfileSize, &p); err != nil {
		var re *RequestError
		if errors.As(err, &re) {
			return nil, &ProfileError{Field: re.Field, Reason: re.Reason}
		}
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

func (p *Profile) validate() error {
	bad := func(field, format string, args ...any) error {
		return &ProfileError{Profile: p.ID, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if !profileIDPattern.MatchString(p.ID) {
		return bad("id", "%q is not lower-case letters, digits and hyphens (at most 64)", truncate(p.ID, 80))
	}
	if strings.TrimSpace(p.Name) == "" {
		return bad("name", "missing")
	}
	if p.Extends != "" && !profileIDPattern.MatchString(p.Extends) {
		return bad("extends", "%q is not a profile id", truncate(p.Extends, 80))
	}
	if p.Extends == p.ID {
		return bad("extends", "a profile cannot extend itself")
	}
	for _, s := range []struct{ f, v string }{{"name", p.Name}, {"instrument", p.Instrument}, {"provenance", p.Provenance}} {
		if err := validateText(s.f, s.v); err != nil {
			return bad(s.f, "longer than %d bytes or not UTF-8", MaxTextLength)
		}
	}
	if len(p.Instruments) > maxProfileList || len(p.Reports) > maxProfileList || len(p.Restates) > maxProfileList || len(p.OrgSignatureRoles) > maxProfileList {
		return bad("", "more than %d entries in a list", maxProfileList)
	}
	for i, in := range p.Instruments {
		f := fmt.Sprintf("instruments[%d]", i)
		if strings.TrimSpace(in.Short) == "" || strings.TrimSpace(in.Title) == "" {
			return bad(f, "short and title are required")
		}
		if len(in.Match) > maxProfileList {
			return bad(f+".match", "more than %d entries", maxProfileList)
		}
		if err := p.validateTexts(f, append([]string{in.Short, in.Title, in.Scope, in.Status, in.Source}, in.Match...)...); err != nil {
			return err
		}
	}
	if p.Instrument != "" && !p.knows(p.Instrument) {
		return bad("instrument", "%q is neither in kyso's list nor declared in instruments", p.Instrument)
	}
	for i, r := range p.OrgSignatureRoles {
		if !r.Valid() || r == "" {
			return bad(fmt.Sprintf("org_signature_roles[%d]", i), "unknown role %q", r)
		}
	}
	if m := p.SubscriberManager; m != nil {
		if strings.TrimSpace(m.Name) == "" {
			return bad("subscriber_manager.name", "missing")
		}
		if err := p.validateTexts("subscriber_manager", m.Name, m.English); err != nil {
			return err
		}
		if m.Role != "" && m.Role != RoleProvincialDepartment && m.Role != RoleManagingOrganisation {
			return bad("subscriber_manager.role", "%q: use %q or %q", m.Role, RoleProvincialDepartment, RoleManagingOrganisation)
		}
		if err := p.validateCitation("subscriber_manager.citation", m.Citation); err != nil {
			return err
		}
	}
	for i, rep := range p.Reports {
		f := fmt.Sprintf("reports[%d]", i)
		if !slices.Contains(reportPeriods, rep.Period) {
			return bad(f+".period", "%q is not one of %s", rep.Period, strings.Join(reportPeriods, ", "))
		}
		if rep.DueDay < 0 || rep.DueDay > 31 || rep.DueMonth < 0 || rep.DueMonth > 12 {
			return bad(f, "due day or month out of range")
		}
		if err := p.validateTexts(f, rep.Due, rep.DataFrom, rep.DataTo); err != nil {
			return err
		}
		if err := p.validateCitation(f+".citation", rep.Citation); err != nil {
			return err
		}
	}
	if s := p.SIMPKI; s != nil {
		if len(s.Eligible) == 0 || len(s.Eligible) > maxProfileList {
			return bad("sim_pki.eligible", "between 1 and %d entries", maxProfileList)
		}
		if err := p.validateTexts("sim_pki.eligible", s.Eligible...); err != nil {
			return err
		}
		if err := p.validateCitation("sim_pki.citation", s.Citation); err != nil {
			return err
		}
	}
	known := make(map[string]bool)
	for _, d := range catalogue() {
		known[d.id] = true
	}
	for i, r := range p.Restates {
		f := fmt.Sprintf("restates[%d]", i)
		if !known[r.Rule] {
			return bad(f+".rule", "unknown rule %q", truncate(r.Rule, 80))
		}
		if err := p.validateCitation(f+".citation", r.Citation); err != nil {
			return err
		}
	}
	return nil
}

func (p *Profile) knows(instrument string) bool {
	if knownInstrument(instrument) {
		return true
	}
	for _, in := range p.Instruments {
		if in.Short == instrument {
			return true
		}
	}
	return false
}

// validateTexts applies the limits of free text (MaxTextLength, UTF-8) to a
// profile's strings.
func (p *Profile) validateTexts(field string, texts ...string) error {
	for _, s := range texts {
		if err := validateText(field, s); err != nil {
			return &ProfileError{Profile: p.ID, Field: field, Reason: fmt.Sprintf("a text is longer than %d bytes or not UTF-8", MaxTextLength)}
		}
	}
	return nil
}

// validateCitation requires a known instrument and either a position in it or a note
// explaining why there is none.
func (p *Profile) validateCitation(field string, c Citation) error {
	if !p.knows(c.Instrument) {
		return &ProfileError{Profile: p.ID, Field: field + ".instrument", Reason: fmt.Sprintf("%q is neither in kyso's list nor declared in instruments", truncate(c.Instrument, 80))}
	}
	if !c.HasArticle() && strings.TrimSpace(c.Note) == "" {
		return &ProfileError{Profile: p.ID, Field: field, Reason: "give the article (Điều) or a note saying why the source has none"}
	}
	for _, s := range []string{c.Annex, c.Article, c.Clause, c.Point, c.Source, c.Note} {
		if err := validateText(field, s); err != nil {
			return &ProfileError{Profile: p.ID, Field: field, Reason: "text too long or not UTF-8"}
		}
	}
	return nil
}

// merged returns p laid over its resolved parent.
func (p *Profile) merged(parent *Profile) *Profile {
	out := parent.clone()
	out.ID, out.Name, out.Extends = p.ID, p.Name, p.Extends
	out.Instrument, out.Provenance = p.Instrument, p.Provenance
	out.Instruments = append(slices.Clone(p.Instruments), out.Instruments...)
	if p.SubscriberManager != nil {
		m := *p.SubscriberManager
		out.SubscriberManager = &m
	}
	if len(p.OrgSignatureRoles) > 0 {
		out.OrgSignatureRoles = slices.Clone(p.OrgSignatureRoles)
	}
	if len(p.Reports) > 0 {
		out.Reports = slices.Clone(p.Reports)
	}
	if p.SIMPKI != nil {
		s := SIMPKIEligibility{Eligible: slices.Clone(p.SIMPKI.Eligible), Citation: p.SIMPKI.Citation}
		out.SIMPKI = &s
	}
	// The province's restatements come first, then what the parent restates.
	out.Restates = append(slices.Clone(p.Restates), out.Restates...)
	return out
}

func (p *Profile) clone() *Profile {
	c := *p
	c.Instruments = slices.Clone(p.Instruments)
	c.OrgSignatureRoles = slices.Clone(p.OrgSignatureRoles)
	c.Reports = slices.Clone(p.Reports)
	c.Restates = slices.Clone(p.Restates)
	if p.SubscriberManager != nil {
		m := *p.SubscriberManager
		c.SubscriberManager = &m
	}
	if p.SIMPKI != nil {
		s := SIMPKIEligibility{Eligible: slices.Clone(p.SIMPKI.Eligible), Citation: p.SIMPKI.Citation}
		c.SIMPKI = &s
	}
	return &c
}

// restatements returns the profile's own citations for a rule.
func (p *Profile) restatements(rule string) []Citation {
	var out []Citation
	for _, r := range p.Restates {
		if r.Rule == rule {
			out = append(out, r.Citation)
		}
	}
	return out
}

// Registry holds profiles by id. The zero value is an empty registry, as NewRegistry
// returns. It is not safe for concurrent modification; build it once, then share the
// profiles it returns.
type Registry struct {
	raw      map[string]*Profile // as loaded: validated, not resolved
	profiles map[string]*Profile // resolved against their parents
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{raw: make(map[string]*Profile), profiles: make(map[string]*Profile)}
}

//go:embed data/profiles/*.json
var builtinProfileFS embed.FS

// BuiltinProfiles returns a new registry holding the national baseline ("national")
// and the five seed provinces: "quang-ninh" (QĐ 41/2022), "ha-tinh" (QĐ 19/2020),
// "hoa-binh" (QĐ 13/2020), "cao-bang" (QĐ 12/2021) and "bac-lieu".
func BuiltinProfiles() *Registry {
	r := NewRegistry()
	for _, name := range []string{"national", "quang-ninh", "ha-tinh", "hoa-binh", "cao-bang", "bac-lieu"} {
		f, err := builtinProfileFS.Open(path.Join("data/profiles", name+".json"))
		if err != nil {
			panic("policy: embedded profile missing: " + name)
		}
		_, err = r.Load(f)
		f.Close()
		if err != nil {
			// The files are embedded at build time and covered by tests.
			panic("policy: embedded profile " + name + ": " + err.Error())
		}
	}
	return r
}

// Load parses a profile (ParseProfile) and adds it (Add), replacing any profile with
// the same id. It returns the resolved profile.
func (r *Registry) Load(rd io.Reader) (*Profile, error) {
	p, err := ParseProfile(rd)
	if err != nil {
		return nil, err
	}
	return r.Add(p)
}

// Add resolves p against its parent (Extends, which must already be in the registry)
// and stores it under its id, replacing any previous profile with that id. Profiles
// that extend p, directly or through others, are resolved again, so an agency that
// corrects the national baseline corrects every province built on it. The resolved
// profile must say who applies the organisation signature. It returns the resolved
// profile; later changes to p do not affect the registry. On error the registry is
// unchanged.
func (r *Registry) Add(p *Profile) (*Profile, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Extends != "" {
		if _, ok := r.raw[p.Extends]; !ok {
			return nil, &ProfileError{Profile: p.ID, Field: "extends", Reason: fmt.Sprintf("no profile %q to extend (load it first)", p.Extends)}
		}
		for id := p.Extends; id != ""; {
			if id == p.ID {
				return nil, &ProfileError{Profile: p.ID, Field: "extends", Reason: fmt.Sprintf("%q extends %q, directly or through others: profiles cannot extend each other in a cycle", p.Extends, p.ID)}
			}
			parent, ok := r.raw[id]
			if !ok {
				break
			}
			id = parent.Extends
		}
	}
	raw := make(map[string]*Profile, len(r.raw)+1)
	maps.Copy(raw, r.raw)
	raw[p.ID] = p.clone()
	resolved := make(map[string]*Profile, len(raw))
	var resolve func(id string) (*Profile, error)
	resolve = func(id string) (*Profile, error) {
		if done, ok := resolved[id]; ok {
			return done, nil
		}
		q := raw[id]
		out := q.clone()
		if q.Extends != "" {
			parent, err := resolve(q.Extends)
			if err != nil {
				return nil, err
			}
			out = q.merged(parent)
		}
		if len(out.OrgSignatureRoles) == 0 {
			return nil, &ProfileError{Profile: id, Field: "org_signature_roles", Reason: "nobody may apply the organisation signature; give at least \"clerk\" (or extend \"national\")"}
		}
		resolved[id] = out
		return out, nil
	}
	for _, id := range slices.Sorted(maps.Keys(raw)) {
		if _, err := resolve(id); err != nil {
			return nil, err
		}
	}
	r.raw, r.profiles = raw, resolved
	return resolved[p.ID].clone(), nil
}

// Lookup returns the profile with the given id, or whose name matches it ("Quảng
// Ninh"); the error matches ErrUnknownProfile.
func (r *Registry) Lookup(id string) (*Profile, error) {
	if p, ok := r.profiles[id]; ok {
		return p.clone(), nil
	}
	f := fold(id)
	for _, pid := range r.IDs() {
		if p := r.profiles[pid]; fold(p.Name) == f {
			return p.clone(), nil
		}
	}
	return nil, fmt.Errorf("%w %q; known profiles: %s", ErrUnknownProfile, truncate(id, 80), strings.Join(r.IDs(), ", "))
}

// Clone returns an independent copy of the registry.
func (r *Registry) Clone() *Registry {
	c := NewRegistry()
	for id, p := range r.raw {
		c.raw[id] = p.clone()
	}
	for id, p := range r.profiles {
		c.profiles[id] = p.clone()
	}
	return c
}

// IDs lists the registry's profile ids, sorted.
func (r *Registry) IDs() []string {
	ids := make([]string, 0, len(r.profiles))
	for id := range r.profiles {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
