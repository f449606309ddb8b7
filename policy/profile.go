package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/province"
)

// Profile holds what one province does differently, as data — a province is one
// file: who manages subscribers, the periodic reports with their deadlines, which
// rules the province restates (its own article then leads the citations) and which
// provincial rules it makes binding, who may apply the organisation signature, who is
// eligible for SIM PKI devices, the period the profile applies to and the province
// that succeeds it. A profile extends another one (normally "national", the baseline)
// and overrides what it sets.
//
// Profiles are JSON files; an agency adds or corrects one with Registry.Load, without
// code. Where the sources are silent, a field is left out and the parent's value holds
// (Period and Successor are never inherited: they belong to the province). Where a
// fact comes from news rather than the legal text, it is marked "unverified".
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
	// Period is the time the profile applies to; nil means always. A decision for a
	// signing time outside it says so.
	Period *Period `json:"period,omitempty"`
	// Successor is the province that took over this one's territory (the 1/7/2025
	// mergers), when there is one.
	Successor *Successor `json:"successor,omitempty"`
	// Instruments declares instruments beyond kyso's list (Instruments) that this
	// profile's citations may name, e.g. a newer provincial decision.
	Instruments []Instrument `json:"instruments,omitempty"`
	// AbolishedLevels lists administrative levels that ceased to exist (the district
	// level on 1/7/2025): reporters of that level drop out of a report from then on.
	// They are inherited and added to.
	AbolishedLevels []AbolishedLevel `json:"abolished_levels,omitempty"`
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
	// Coordinator is the provincial body that guides and coordinates when each
	// agency manages its own subscribers (Hòa Bình, Cao Bằng), if any.
	Coordinator *Coordinator `json:"coordinator,omitempty"`
}

// Coordinator is a body that coordinates subscriber management without managing the
// subscribers itself.
type Coordinator struct {
	Name     string   `json:"name"`
	Citation Citation `json:"citation"`
}

// Period is when a profile applies: From and Until are dates (YYYY-MM-DD, Vietnam
// time), either may be empty (open). Unverified marks dates taken from news rather
// than the legal text; Note says where they come from. Citation, when given, is the
// article that sets them.
type Period struct {
	From       string    `json:"from,omitempty"`
	Until      string    `json:"until,omitempty"`
	Unverified bool      `json:"unverified,omitempty"`
	Note       string    `json:"note,omitempty"`
	Citation   *Citation `json:"citation,omitempty"`
}

// Contains reports whether the date of t (in Vietnam time) lies in the period.
func (p *Period) Contains(t time.Time) bool {
	if p == nil {
		return true
	}
	d := t.In(vietnamZone).Format(time.DateOnly)
	return (p.From == "" || d >= p.From) && (p.Until == "" || d <= p.Until)
}

// Successor names the province that took over a profile's territory.
type Successor struct {
	ID         string `json:"id"`             // its profile id, which kyso may not ship
	Name       string `json:"name"`           // its Vietnamese name
	From       string `json:"from,omitempty"` // the date it took over, YYYY-MM-DD
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
	// Citation, when given, is the act that made the successor take over (e.g. Nghị
	// quyết 202/2025/QH15 Điều 1), with where it was checked.
	Citation *Citation `json:"citation,omitempty"`
}

// AbolishedLevel is an administrative level that ceased to exist on From.
type AbolishedLevel struct {
	Level      string `json:"level"` // "district" or "commune"
	Name       string `json:"name"`  // Vietnamese: "cấp huyện"
	From       string `json:"from"`  // YYYY-MM-DD: the first day without it
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
}

// Report is one periodic report on certificate use that a province requires, in the
// one schema policy (Profile.Deadlines) and forms (ReportingProfile) both read.
type Report struct {
	// Period is "monthly", "quarterly", "half-year" or "annual".
	Period string `json:"period"`
	// Name is the report's Vietnamese name.
	Name string `json:"name,omitempty"`
	// Due states the deadline in Vietnamese, as the regulation words it.
	Due string `json:"due,omitempty"`
	// Months lists the months (1–12) that end a period; empty means every month,
	// each quarter, June and December, or December, by Period.
	Months []int `json:"months,omitempty"`
	// DueDate is the deadline relative to the period's last month; nil when the
	// regulation sets none (then no deadline is computed).
	DueDate *DayRef `json:"due_date,omitempty"`
	// Shift says what happens when the deadline is not a working day:
	// "next-working-day", "previous-working-day" or "none" (the default).
	Shift string `json:"shift,omitempty"`
	// ShiftAssumed marks a Shift the regulation does not state (kyso's assumption);
	// ShiftNote says why it was chosen.
	ShiftAssumed bool   `json:"shift_assumed,omitempty"`
	ShiftNote    string `json:"shift_note,omitempty"`
	// DataWindow is the data period (thời gian chốt số liệu) relative to the
	// period's last month; DataFrom and DataTo word it as the regulation does.
	DataWindow *DataWindow `json:"data_window,omitempty"`
	DataFrom   string      `json:"data_from,omitempty"`
	DataTo     string      `json:"data_to,omitempty"`
	// Recipient is the body receiving the report.
	Recipient string `json:"recipient,omitempty"`
	// Reporters are the bodies that send it.
	Reporters []Reporter `json:"reporters,omitempty"`
	// Citation is the article setting the report; SeeAlso the related ones.
	Citation Citation   `json:"citation"`
	SeeAlso  []Citation `json:"see_also,omitempty"`

	// DueDay, DueMonth, DueBefore and NextWorkingDay are the earlier way of writing
	// the deadline (day and absolute month, 0 for every month), still read when
	// DueDate is absent.
	DueDay         int  `json:"due_day,omitempty"`
	DueMonth       int  `json:"due_month,omitempty"`
	DueBefore      bool `json:"due_before,omitempty"`
	NextWorkingDay bool `json:"next_working_day,omitempty"`
}

// DayRef is a day relative to the last month of a report period: MonthOffset months
// after it (-1: the month before), day Day (a day past the month's end is its last
// day); Before means the report must arrive before that day.
type DayRef struct {
	MonthOffset int  `json:"month_offset"`
	Day         int  `json:"day"`
	Before      bool `json:"before,omitempty"`
}

// DataWindow bounds the data a report covers.
type DataWindow struct {
	Start DayRef `json:"start"`
	End   DayRef `json:"end"`
}

// Reporter is a body that sends a report. Level ("province", "district",
// "commune", "agency") lets a reporter drop out when its level is abolished; Until
// (YYYY-MM-DD) ends it explicitly.
type Reporter struct {
	Name     string    `json:"name"`
	Level    string    `json:"level,omitempty"`
	From     string    `json:"from,omitempty"`
	Until    string    `json:"until,omitempty"`
	Citation *Citation `json:"citation,omitempty"`
}

var reporterLevels = []string{"province", "district", "commune", "agency"}

// SIMPKIEligibility lists who may receive SIM PKI devices.
type SIMPKIEligibility struct {
	Eligible []string `json:"eligible"` // the groups of people, in the regulation's words
	Citation Citation `json:"citation"` // the article naming them
}

// Restatement records that a province's regulation restates one of the rules.
type Restatement struct {
	Rule     string   `json:"rule"`     // the rule's identifier, e.g. "VN-ORG-SEAL-AFTER-AUTHORITY"
	Citation Citation `json:"citation"` // the province's own article restating it
	// Binding makes a provincial rule (one kyso's sources found only in a province's
	// regulation, e.g. VN-AUTHORITY-WITHIN-TITLE) refuse under this profile; without
	// it such a rule only warns.
	Binding bool `json:"binding,omitempty"`

	// inherited marks a restatement the profile takes from the baseline (the profile
	// at the root of its chain): those follow the catalogue's national citations.
	inherited bool
}

// Limits on profile files.
const (
	// MaxProfileSize is the largest profile file Registry.Load reads.
	MaxProfileSize = 256 << 10
	maxProfileList = 100
)

var profileIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

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
		// A file declares instruments beyond kyso's list; it may not give one of
		// kyso's a different title or status, nor declare one twice.
		if knownInstrument(in.Short) {
			return bad(f+".short", "%q is in kyso's list already: cite it without declaring it", truncate(in.Short, 80))
		}
		if j := slices.IndexFunc(p.Instruments[:i], func(x Instrument) bool { return x.Short == in.Short }); j >= 0 {
			return bad(f+".short", "%q is declared twice (also instruments[%d])", truncate(in.Short, 80), j)
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
	if err := p.validatePeriod(); err != nil {
		return err
	}
	if len(p.AbolishedLevels) > maxProfileList {
		return bad("abolished_levels", "more than %d entries", maxProfileList)
	}
	for i, l := range p.AbolishedLevels {
		f := fmt.Sprintf("abolished_levels[%d]", i)
		if !slices.Contains(reporterLevels, l.Level) {
			return bad(f+".level", "%q is not one of %s", truncate(l.Level, 40), strings.Join(reporterLevels, ", "))
		}
		if err := validDate(l.From); err != nil || l.From == "" {
			return bad(f+".from", "write the first day without the level as YYYY-MM-DD")
		}
		if err := p.validateTexts(f, l.Name, l.Note); err != nil {
			return err
		}
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
		if co := m.Coordinator; co != nil {
			if strings.TrimSpace(co.Name) == "" {
				return bad("subscriber_manager.coordinator.name", "missing")
			}
			if err := p.validateTexts("subscriber_manager.coordinator.name", co.Name); err != nil {
				return err
			}
			if err := p.validateCitation("subscriber_manager.coordinator.citation", co.Citation); err != nil {
				return err
			}
		}
	}
	for i, rep := range p.Reports {
		if err := p.validateReport(fmt.Sprintf("reports[%d]", i), rep); err != nil {
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
	known := make(map[string]ruleDef)
	for _, d := range catalogue() {
		known[d.id] = d
	}
	for i, r := range p.Restates {
		f := fmt.Sprintf("restates[%d]", i)
		d, ok := known[r.Rule]
		if !ok {
			return bad(f+".rule", "unknown rule %q", truncate(r.Rule, 80))
		}
		if r.Binding && !d.provincial {
			return bad(f+".binding", "%s binds in every profile already; binding applies to the provincial rules (%s)", r.Rule, strings.Join(provincialRules(), ", "))
		}
		if err := p.validateCitation(f+".citation", r.Citation); err != nil {
			return err
		}
	}
	return nil
}

// validateReport checks one report: the period and shift vocabulary, the months and
// days in range, the reporters' levels and dates, the texts and the citations.
func (p *Profile) validateReport(f string, rep Report) error {
	bad := func(field, format string, args ...any) error {
		return &ProfileError{Profile: p.ID, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if !slices.Contains(province.Periods, rep.Period) {
		return bad(f+".period", "%q is not one of %s", truncate(rep.Period, 40), strings.Join(province.Periods, ", "))
	}
	if rep.Shift != "" && !slices.Contains(province.Shifts, rep.Shift) {
		return bad(f+".shift", "%q is not one of %s", truncate(rep.Shift, 40), strings.Join(province.Shifts, ", "))
	}
	if rep.ShiftAssumed && strings.TrimSpace(rep.ShiftNote) == "" {
		return bad(f+".shift_note", "an assumed shift needs a note saying why")
	}
	if len(rep.Months) > 12 {
		return bad(f+".months", "more than 12 months")
	}
	for j, m := range rep.Months {
		if m < 1 || m > 12 {
			return bad(fmt.Sprintf("%s.months[%d]", f, j), "month %d is not 1–12", m)
		}
	}
	dayRef := func(field string, r *DayRef) error {
		if r == nil {
			return nil
		}
		if r.Day < 1 || r.Day > 31 {
			return bad(field+".day", "day %d is not 1–31", r.Day)
		}
		if r.MonthOffset < -24 || r.MonthOffset > 24 {
			return bad(field+".month_offset", "%d is more than 24 months away", r.MonthOffset)
		}
		return nil
	}
	if err := dayRef(f+".due_date", rep.DueDate); err != nil {
		return err
	}
	if w := rep.DataWindow; w != nil {
		if err := dayRef(f+".data_window.start", &w.Start); err != nil {
			return err
		}
		if err := dayRef(f+".data_window.end", &w.End); err != nil {
			return err
		}
	}
	if rep.DueDay < 0 || rep.DueDay > 31 {
		return bad(f+".due_day", "day %d is not 1–31", rep.DueDay)
	}
	if rep.DueMonth < 0 || rep.DueMonth > 12 {
		return bad(f+".due_month", "month %d is not 1–12 (0: every month)", rep.DueMonth)
	}
	if err := p.validateTexts(f, rep.Name, rep.Due, rep.DataFrom, rep.DataTo, rep.Recipient, rep.ShiftNote); err != nil {
		return err
	}
	if len(rep.Reporters) > maxProfileList || len(rep.SeeAlso) > maxProfileList {
		return bad(f, "more than %d reporters or see_also entries", maxProfileList)
	}
	for j, r := range rep.Reporters {
		rf := fmt.Sprintf("%s.reporters[%d]", f, j)
		if strings.TrimSpace(r.Name) == "" {
			return bad(rf+".name", "missing")
		}
		if err := p.validateTexts(rf+".name", r.Name); err != nil {
			return err
		}
		if r.Level != "" && !slices.Contains(reporterLevels, r.Level) {
			return bad(rf+".level", "%q is not one of %s", truncate(r.Level, 40), strings.Join(reporterLevels, ", "))
		}
		// A body of the district level must say so, so that it ends with that level.
		if r.Level != "district" && strings.Contains(fold(r.Name), "huyện") {
			return bad(rf+".level", "%q names a district body (huyện): set level \"district\" so it ends when that level does", truncate(r.Name, 80))
		}
		if err := validDate(r.From); err != nil {
			return bad(rf+".from", "%v", err)
		}
		if err := validDate(r.Until); err != nil {
			return bad(rf+".until", "%v", err)
		}
		if r.Citation != nil {
			if err := p.validateCitation(rf+".citation", *r.Citation); err != nil {
				return err
			}
		}
	}
	if err := p.validateCitation(f+".citation", rep.Citation); err != nil {
		return err
	}
	for j, c := range rep.SeeAlso {
		if err := p.validateCitation(fmt.Sprintf("%s.see_also[%d]", f, j), c); err != nil {
			return err
		}
	}
	return nil
}

// validatePeriod checks the period and successor dates and texts.
func (p *Profile) validatePeriod() error {
	bad := func(field, format string, args ...any) error {
		return &ProfileError{Profile: p.ID, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if pe := p.Period; pe != nil {
		if err := validDate(pe.From); err != nil {
			return bad("period.from", "%v", err)
		}
		if err := validDate(pe.Until); err != nil {
			return bad("period.until", "%v", err)
		}
		if pe.From == "" && pe.Until == "" {
			return bad("period", "give from, until or both")
		}
		if pe.From != "" && pe.Until != "" && pe.Until < pe.From {
			return bad("period.until", "%s is before from %s", pe.Until, pe.From)
		}
		if pe.Citation == nil && strings.TrimSpace(pe.Note) == "" {
			return bad("period", "give the citation setting the dates or a note saying where they come from")
		}
		if err := p.validateTexts("period.note", pe.Note); err != nil {
			return err
		}
		if pe.Citation != nil {
			if err := p.validateCitation("period.citation", *pe.Citation); err != nil {
				return err
			}
		}
	}
	if s := p.Successor; s != nil {
		if !profileIDPattern.MatchString(s.ID) {
			return bad("successor.id", "%q is not a profile id", truncate(s.ID, 80))
		}
		if s.ID == p.ID {
			return bad("successor.id", "a province cannot succeed itself")
		}
		if strings.TrimSpace(s.Name) == "" {
			return bad("successor.name", "missing")
		}
		if err := validDate(s.From); err != nil {
			return bad("successor.from", "%v", err)
		}
		if pe := p.Period; pe != nil && pe.Until != "" && s.From != "" && s.From <= pe.Until {
			return bad("successor.from", "%s is not after the end of the period (until %s)", s.From, pe.Until)
		}
		if err := p.validateTexts("successor", s.Name, s.Note); err != nil {
			return err
		}
		if s.Citation != nil {
			if err := p.validateCitation("successor.citation", *s.Citation); err != nil {
				return err
			}
		}
	}
	return nil
}

// validDate accepts "" or a date written YYYY-MM-DD.
func validDate(s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Errorf("%q is not a date written YYYY-MM-DD", truncate(s, 40))
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
	if err := validDate(c.From); err != nil {
		return &ProfileError{Profile: p.ID, Field: field + ".from", Reason: err.Error()}
	}
	if err := validDate(c.Until); err != nil {
		return &ProfileError{Profile: p.ID, Field: field + ".until", Reason: err.Error()}
	}
	if c.Status != "" && !slices.Contains(citationStatuses, c.Status) {
		return &ProfileError{Profile: p.ID, Field: field + ".status", Reason: fmt.Sprintf("%q is not one of %s", truncate(c.Status, 40), strings.Join(citationStatuses, ", "))}
	}
	if c.Status == CitationVerified && len(c.URLs()) == 0 {
		return &ProfileError{Profile: p.ID, Field: field + ".source", Reason: "a verified citation names the web page(s) it was checked against: give their URLs in source"}
	}
	return nil
}

// merged returns p laid over its resolved parent.
func (p *Profile) merged(parent *Profile) *Profile {
	out := parent.clone()
	out.ID, out.Name, out.Extends = p.ID, p.Name, p.Extends
	out.Instrument, out.Provenance = p.Instrument, p.Provenance
	out.Period, out.Successor = clonePeriod(p.Period), cloneSuccessor(p.Successor)
	out.Instruments = append(slices.Clone(p.Instruments), out.Instruments...)
	out.AbolishedLevels = append(slices.Clone(out.AbolishedLevels), p.AbolishedLevels...)
	if p.SubscriberManager != nil {
		out.SubscriberManager = cloneManager(p.SubscriberManager)
	}
	if len(p.OrgSignatureRoles) > 0 {
		out.OrgSignatureRoles = slices.Clone(p.OrgSignatureRoles)
	}
	if len(p.Reports) > 0 {
		out.Reports = cloneReports(p.Reports)
	}
	if p.SIMPKI != nil {
		s := SIMPKIEligibility{Eligible: slices.Clone(p.SIMPKI.Eligible), Citation: p.SIMPKI.Citation}
		out.SIMPKI = &s
	}
	// The province's restatements come first, then what the parent restates; the
	// baseline's (the root's) stay marked as such.
	own := slices.Clone(p.Restates)
	for i := range own {
		own[i].inherited = false
	}
	if parent.Extends == "" {
		for i := range out.Restates {
			out.Restates[i].inherited = true
		}
	}
	out.Restates = append(own, out.Restates...)
	return out
}

func (p *Profile) clone() *Profile {
	c := *p
	c.Instruments = slices.Clone(p.Instruments)
	c.OrgSignatureRoles = slices.Clone(p.OrgSignatureRoles)
	c.Reports = cloneReports(p.Reports)
	c.Restates = slices.Clone(p.Restates)
	c.AbolishedLevels = slices.Clone(p.AbolishedLevels)
	c.Period, c.Successor = clonePeriod(p.Period), cloneSuccessor(p.Successor)
	if p.SubscriberManager != nil {
		c.SubscriberManager = cloneManager(p.SubscriberManager)
	}
	if p.SIMPKI != nil {
		s := SIMPKIEligibility{Eligible: slices.Clone(p.SIMPKI.Eligible), Citation: p.SIMPKI.Citation}
		c.SIMPKI = &s
	}
	return &c
}

func cloneManager(m *SubscriberManager) *SubscriberManager {
	c := *m
	if m.Coordinator != nil {
		co := *m.Coordinator
		c.Coordinator = &co
	}
	return &c
}

func clonePeriod(p *Period) *Period {
	if p == nil {
		return nil
	}
	c := *p
	if p.Citation != nil {
		ct := *p.Citation
		c.Citation = &ct
	}
	return &c
}

func cloneSuccessor(s *Successor) *Successor {
	if s == nil {
		return nil
	}
	c := *s
	if s.Citation != nil {
		ct := *s.Citation
		c.Citation = &ct
	}
	return &c
}

func cloneReports(rs []Report) []Report {
	if rs == nil {
		return nil
	}
	out := make([]Report, len(rs))
	for i, r := range rs {
		r.Months = slices.Clone(r.Months)
		r.SeeAlso = slices.Clone(r.SeeAlso)
		if r.DueDate != nil {
			d := *r.DueDate
			r.DueDate = &d
		}
		if r.DataWindow != nil {
			w := *r.DataWindow
			r.DataWindow = &w
		}
		rep := make([]Reporter, len(r.Reporters))
		for j, x := range r.Reporters {
			if x.Citation != nil {
				ct := *x.Citation
				x.Citation = &ct
			}
			rep[j] = x
		}
		if r.Reporters == nil {
			rep = nil
		}
		r.Reporters = rep
		out[i] = r
	}
	return out
}

// binds reports whether the profile makes the provincial rule binding.
func (p *Profile) binds(rule string) bool {
	for _, r := range p.Restates {
		if r.Rule == rule && r.Binding {
			return true
		}
	}
	return false
}

// citesEveryRule checks that every rule without a national article in the catalogue
// is restated by the profile or the baseline it extends.
func (p *Profile) citesEveryRule() error {
	for _, d := range catalogue() {
		if len(d.citations) == 0 && len(p.restatements(d.id)) == 0 {
			return &ProfileError{Profile: p.ID, Field: "restates", Reason: fmt.Sprintf("rule %s has no citation: kyso's catalogue has no national article for it, so the profile (or the baseline it extends) must restate it", d.id)}
		}
	}
	return nil
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

// provinceRestatements splits a rule's restatements into the province's (its own
// and its non-baseline ancestors') and the baseline's; a profile extending nothing is
// the baseline.
func (p *Profile) provinceRestatements(rule string) (province, base []Citation) {
	for _, r := range p.Restates {
		if r.Rule != rule {
			continue
		}
		if r.inherited || p.Extends == "" {
			base = append(base, r.Citation)
		} else {
			province = append(province, r.Citation)
		}
	}
	return province, base
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

// BuiltinProfiles returns a new registry holding every profile kyso ships: the
// national baseline ("national") and the seed provinces — "quang-ninh" (QĐ 41/2022),
// "ha-tinh" (QĐ 19/2020), "hoa-binh" (QĐ 13/2020), "cao-bang" (QĐ 12/2021),
// "bac-lieu" — and any other embedded province file: adding a file is enough.
func BuiltinProfiles() *Registry {
	r := NewRegistry()
	pending := map[string]*Profile{}
	for _, f := range province.Files() {
		p, err := ParseProfile(bytes.NewReader(f.Data))
		if err != nil {
			// The files are embedded at build time and covered by tests.
			panic("policy: embedded profile " + f.Name + ": " + err.Error())
		}
		pending[p.ID] = p
	}
	// Parents before the profiles extending them.
	for len(pending) > 0 {
		progress := false
		for _, id := range slices.Sorted(maps.Keys(pending)) {
			p := pending[id]
			if _, ok := pending[p.Extends]; p.Extends != "" && ok {
				continue
			}
			if _, err := r.Add(p); err != nil {
				panic("policy: embedded profile " + id + ": " + err.Error())
			}
			delete(pending, id)
			progress = true
		}
		if !progress {
			panic("policy: embedded profiles extend each other in a cycle")
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
		if err := out.citesEveryRule(); err != nil {
			return nil, err
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
