package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/province"
)

// ErrUnknownProfile: no reporting profile has the requested ID.
var ErrUnknownProfile = errors.New("forms: unknown reporting profile")

// ErrBadPeriod: a reporting period is not "YYYY" or "YYYY-MM".
var ErrBadPeriod = errors.New("forms: bad reporting period")

// ReportingProfile is a province's periodic-report rules for certificate use: who
// receives the report and, per kind of report, when it is due and which data window it
// covers. It is forms' view of a province file — the one file per province that the
// policy package also reads for the province's rules (its "reports") — or of the
// earlier reporting-only format; see ParseReportingProfile.
type ReportingProfile struct {
	ID        string     `json:"id"`
	Province  string     `json:"province"`
	Recipient string     `json:"recipient"`
	Source    string     `json:"source"`
	Schedules []Schedule `json:"schedules"`
}

// Schedule is one kind of periodic report.
type Schedule struct {
	// Kind is "monthly", "quarterly", "half-year" or "yearly".
	Kind string `json:"kind"`
	// Name is the report's Vietnamese name.
	Name string `json:"name"`
	// Months lists the months (1–12) that end a period of this kind.
	Months []int `json:"months"`
	// Due is the deadline relative to the period's last month.
	Due DayRef `json:"due"`
	// Shift says what happens when the deadline is not a working day:
	// "next-working-day", "previous-working-day" or "none".
	Shift string `json:"shift"`
	// ShiftAssumed marks a Shift the regulation does not state (an assumption);
	// ShiftNote says why it was chosen.
	ShiftAssumed bool   `json:"shiftAssumed,omitempty"`
	ShiftNote    string `json:"shiftNote,omitempty"`
	// Window is the data window (thời gian chốt số liệu), when the rule gives one.
	Window *struct {
		Start DayRef `json:"start"`
		End   DayRef `json:"end"`
	} `json:"window,omitempty"`
	// Citation is the article the schedule comes from.
	Citation string `json:"citation"`
}

// DayRef is a day relative to a period's last month.
type DayRef struct {
	// MonthOffset counts months from the period's last month (-1: the month before).
	MonthOffset int `json:"monthOffset"`
	// Day is the day of that month, 1–31; a day past the month's end means its last day
	// (day 31 in February is 28 or 29 February).
	Day int `json:"day"`
	// Before means the report must arrive before this day (the last day allowed is the
	// day before).
	Before bool `json:"before,omitempty"`
}

// Deadline is when one report is due.
type Deadline struct {
	Profile string
	Kind    string
	Name    string
	// Period is "YYYY-MM" for monthly reports, "YYYY-H1" for half-year, "YYYY" for yearly.
	Period string
	// Nominal is the day the rule names; Last is the last day the report may be sent
	// (the day before Nominal when the rule says "before").
	Nominal, Last time.Time
	// Due is Last moved off weekends and public holidays per Shift.
	Due time.Time
	// Moved explains, in Vietnamese, why Due differs from Last (empty otherwise).
	Moved string
	// WindowStart and WindowEnd bound the data the report covers (zero when the rule
	// gives no window).
	WindowStart, WindowEnd time.Time
	Recipient              string
	Citation               string
	// ShiftAssumed says the move off a day off is an assumption, not the regulation's
	// text; ShiftNote explains it.
	ShiftAssumed bool
	ShiftNote    string
}

// ParseReportingProfile reads a reporting profile from JSON: a province file (the
// schema the policy package documents, whose "reports" give the deadlines; fields
// forms does not use are ignored) or the earlier reporting-only format with
// "schedules".
//
// A file larger than MaxProvinceFileSize is refused. A file without "schedules" is
// read as a province file, so one without reports is told so ("reports: …") rather
// than that its province fields are unknown. forms checks only what it reads: the
// policy package validates the whole file.
func ParseReportingProfile(b []byte) (*ReportingProfile, error) {
	if len(b) > MaxProvinceFileSize {
		return nil, &InputError{Detail: fmt.Sprintf("province file larger than %d bytes", MaxProvinceFileSize), Err: ErrMalformedInput}
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, jsonError(b, err)
	}
	if _, legacy := probe["schedules"]; !legacy {
		return parseProvinceFile(b)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p ReportingProfile
	if err := dec.Decode(&p); err != nil {
		return nil, jsonError(b, err)
	}
	if p.ID == "" || len(p.Schedules) == 0 {
		return nil, &InputError{Detail: "reporting profile needs an id and at least one schedule", Err: ErrMalformedInput}
	}
	for i, s := range p.Schedules {
		if err := s.validate(fmt.Sprintf("schedules[%d]", i)); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

func (s Schedule) validate(field string) error {
	bad := func(f, format string, args ...any) error {
		return &InputError{Detail: field + f + ": " + fmt.Sprintf(format, args...), Err: ErrMalformedInput}
	}
	switch s.Kind {
	case "monthly", "quarterly", "half-year", "yearly":
	default:
		return bad(".kind", "schedule kind %q must be monthly, quarterly, half-year or yearly", s.Kind)
	}
	if !slices.Contains(province.Shifts, s.Shift) {
		return bad(".shift", "schedule shift %q must be next-working-day, previous-working-day or none", s.Shift)
	}
	if s.Due.Day < 1 || s.Due.Day > 31 || len(s.Months) == 0 {
		return bad("", "schedule needs months and a due day 1–31")
	}
	for _, m := range s.Months {
		if m < 1 || m > 12 {
			return bad(".months", "schedule month %d out of range", m)
		}
	}
	return nil
}

// MaxProvinceFileSize is the largest province file ParseReportingProfile reads, the
// limit the policy package sets on the same files.
const MaxProvinceFileSize = 256 << 10

// provinceFile is the part of a province file forms reads.
type provinceFile struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Instrument        string `json:"instrument"`
	SubscriberManager *struct {
		Name string `json:"name"`
	} `json:"subscriber_manager"`
	Reports []struct {
		Period  string `json:"period"`
		Name    string `json:"name"`
		Months  []int  `json:"months"`
		DueDate *struct {
			MonthOffset int  `json:"month_offset"`
			Day         int  `json:"day"`
			Before      bool `json:"before"`
		} `json:"due_date"`
		Shift        string `json:"shift"`
		ShiftAssumed bool   `json:"shift_assumed"`
		ShiftNote    string `json:"shift_note"`
		DataWindow   *struct {
			Start struct {
				MonthOffset int `json:"month_offset"`
				Day         int `json:"day"`
			} `json:"start"`
			End struct {
				MonthOffset int `json:"month_offset"`
				Day         int `json:"day"`
			} `json:"end"`
		} `json:"data_window"`
		Recipient string       `json:"recipient"`
		Citation  provinceCite `json:"citation"`
	} `json:"reports"`
}

type provinceCite struct {
	Instrument string `json:"instrument"`
	Annex      string `json:"annex"`
	Article    string `json:"article"`
	Clause     string `json:"clause"`
	Point      string `json:"point"`
	Note       string `json:"note"`
}

// locator writes "Điều 16 k7" (or the annex section) as the policy package does.
func (c provinceCite) locator() string {
	return province.Locator(c.Annex, c.Article, c.Clause, c.Point)
}

// parseProvinceFile reads the reports of a province file that set a deadline.
func parseProvinceFile(b []byte) (*ReportingProfile, error) {
	var f provinceFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, jsonError(b, err)
	}
	if f.ID == "" {
		return nil, &InputError{Detail: "id: a province file needs an id", Err: ErrMalformedInput}
	}
	p := &ReportingProfile{ID: f.ID, Province: f.Name, Source: f.Instrument}
	if f.SubscriberManager != nil {
		p.Recipient = f.SubscriberManager.Name
	}
	for i, r := range f.Reports {
		if !slices.Contains(province.Periods, r.Period) {
			return nil, &InputError{Detail: fmt.Sprintf("reports[%d].period: %q must be monthly, quarterly, half-year or annual", i, r.Period), Err: ErrMalformedInput}
		}
		if r.DueDate == nil {
			continue // the regulation sets no deadline
		}
		kind := r.Period
		if kind == province.Annual {
			kind = "yearly"
		}
		months := r.Months
		if len(months) == 0 {
			months = province.DefaultMonths(r.Period)
		}
		shift := r.Shift
		if shift == "" {
			shift = province.ShiftNone
		}
		s := Schedule{Kind: kind, Name: r.Name, Months: months, Shift: shift, ShiftAssumed: r.ShiftAssumed, ShiftNote: r.ShiftNote,
			Due:      DayRef{MonthOffset: r.DueDate.MonthOffset, Day: r.DueDate.Day, Before: r.DueDate.Before},
			Citation: r.Citation.locator()}
		if r.Citation.Note != "" {
			s.Citation = strings.TrimSpace(s.Citation + " (" + r.Citation.Note + ")")
		}
		if r.Citation.Instrument != "" && r.Citation.Instrument != p.Source {
			s.Citation = r.Citation.Instrument + ", " + s.Citation
		}
		if w := r.DataWindow; w != nil {
			s.Window = &struct {
				Start DayRef `json:"start"`
				End   DayRef `json:"end"`
			}{DayRef{MonthOffset: w.Start.MonthOffset, Day: w.Start.Day}, DayRef{MonthOffset: w.End.MonthOffset, Day: w.End.Day}}
		}
		if err := s.validate(fmt.Sprintf("reports[%d]", i)); err != nil {
			return nil, err
		}
		if r.Recipient != "" {
			p.Recipient = r.Recipient
		}
		p.Schedules = append(p.Schedules, s)
	}
	if len(p.Schedules) == 0 {
		return nil, &InputError{Detail: fmt.Sprintf("reports: province %q has no report with a due_date", f.ID), Err: ErrMalformedInput}
	}
	return p, nil
}

// ReportingProfiles returns the reporting profiles of the province files kyso ships
// (the same files the policy package loads) whose reports set a deadline — today
// quang-ninh and ha-tinh — sorted by ID.
func ReportingProfiles() ([]*ReportingProfile, error) {
	var out []*ReportingProfile
	for _, f := range province.Files() {
		if !bytes.Contains(f.Data, []byte(`"due_date"`)) {
			continue
		}
		p, err := ParseReportingProfile(f.Data)
		if err != nil {
			return nil, fmt.Errorf("province file %s: %w", f.Name, err)
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// LookupReportingProfile returns the built-in profile with the given ID.
func LookupReportingProfile(id string) (*ReportingProfile, error) {
	ps, err := ReportingProfiles()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
		ids = append(ids, p.ID)
	}
	return nil, fmt.Errorf("%w: %q (known: %v)", ErrUnknownProfile, id, ids)
}

// Deadlines returns the reports due for a period: "YYYY-MM" gives the monthly report of
// that month plus any quarterly, half-year or yearly report whose period ends that
// month; "YYYY" gives the yearly report. cal decides working days (nil: statutory
// holidays only). The computation is the one policy's Profile.Deadlines uses.
func (p *ReportingProfile) Deadlines(period string, cal *Calendar) ([]Deadline, error) {
	year, month, yearOnly, err := province.ParsePeriod(period)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadPeriod, err)
	}
	var out []Deadline
	for _, s := range p.Schedules {
		kind := s.Kind
		if kind == "yearly" {
			kind = province.Annual
		}
		sch := province.Schedule{Period: kind, Months: s.Months, Shift: s.Shift,
			Due: province.DayRef{MonthOffset: s.Due.MonthOffset, Day: s.Due.Day, Before: s.Due.Before}}
		if len(s.Months) == 0 {
			continue // validated profiles always list months
		}
		if s.Window != nil {
			sch.WindowStart = &province.DayRef{MonthOffset: s.Window.Start.MonthOffset, Day: s.Window.Start.Day}
			sch.WindowEnd = &province.DayRef{MonthOffset: s.Window.End.MonthOffset, Day: s.Window.End.Day}
		}
		if !sch.Applies(month, yearOnly) {
			continue
		}
		dl := sch.Deadline(year, month, cal)
		out = append(out, Deadline{Profile: p.ID, Kind: s.Kind, Name: s.Name, Recipient: p.Recipient,
			Citation: p.Source + ", " + s.Citation, Period: dl.Label,
			Nominal: dl.Nominal, Last: dl.Last, Due: dl.Due, Moved: dl.Moved,
			WindowStart: dl.WindowStart, WindowEnd: dl.WindowEnd,
			ShiftAssumed: s.ShiftAssumed, ShiftNote: s.ShiftNote})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: profile %q has no report for period %q", ErrBadPeriod, p.ID, period)
	}
	return out, nil
}
