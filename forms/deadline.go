package forms

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"time"
)

//go:embed profiles/*.json
var profileFS embed.FS

// ErrUnknownProfile: no reporting profile has the requested ID.
var ErrUnknownProfile = errors.New("forms: unknown reporting profile")

// ErrBadPeriod: a reporting period is not "YYYY" or "YYYY-MM".
var ErrBadPeriod = errors.New("forms: bad reporting period")

// ReportingProfile is a province's periodic-report rules for certificate use: who
// receives the report and, per kind of report, when it is due and which data window it
// covers. Profiles are data (profiles/*.json); see ParseReportingProfile.
type ReportingProfile struct {
	ID        string     `json:"id"`
	Province  string     `json:"province"`
	Recipient string     `json:"recipient"`
	Source    string     `json:"source"`
	Schedules []Schedule `json:"schedules"`
}

// Schedule is one kind of periodic report.
type Schedule struct {
	// Kind is "monthly", "half-year" or "yearly".
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

func (r DayRef) in(year, month int) time.Time {
	first := time.Date(year, time.Month(month)+time.Month(r.MonthOffset), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(r.Day, last)-1)
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
}

// ParseReportingProfile reads a reporting profile from JSON.
func ParseReportingProfile(b []byte) (*ReportingProfile, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p ReportingProfile
	if err := dec.Decode(&p); err != nil {
		return nil, jsonError(b, err)
	}
	if p.ID == "" || len(p.Schedules) == 0 {
		return nil, &InputError{Detail: "reporting profile needs an id and at least one schedule", Err: ErrMalformedInput}
	}
	for _, s := range p.Schedules {
		switch s.Kind {
		case "monthly", "half-year", "yearly":
		default:
			return nil, &InputError{Detail: fmt.Sprintf("schedule kind %q must be monthly, half-year or yearly", s.Kind), Err: ErrMalformedInput}
		}
		switch s.Shift {
		case "next-working-day", "previous-working-day", "none":
		default:
			return nil, &InputError{Detail: fmt.Sprintf("schedule shift %q must be next-working-day, previous-working-day or none", s.Shift), Err: ErrMalformedInput}
		}
		if s.Due.Day < 1 || s.Due.Day > 31 || len(s.Months) == 0 {
			return nil, &InputError{Detail: "schedule needs months and a due day 1–31", Err: ErrMalformedInput}
		}
		for _, m := range s.Months {
			if m < 1 || m > 12 {
				return nil, &InputError{Detail: fmt.Sprintf("schedule month %d out of range", m), Err: ErrMalformedInput}
			}
		}
	}
	return &p, nil
}

// ReportingProfiles returns the built-in reporting profiles (quang-ninh, ha-tinh),
// sorted by ID.
func ReportingProfiles() ([]*ReportingProfile, error) {
	ents, err := profileFS.ReadDir("profiles")
	if err != nil {
		return nil, err
	}
	var out []*ReportingProfile
	for _, e := range ents {
		b, err := profileFS.ReadFile("profiles/" + e.Name())
		if err != nil {
			return nil, err
		}
		p, err := ParseReportingProfile(b)
		if err != nil {
			return nil, fmt.Errorf("profiles/%s: %w", e.Name(), err)
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

var rePeriod = regexp.MustCompile(`^([0-9]{4})(?:-([0-9]{2}))?$`)

// Deadlines returns the reports due for a period: "YYYY-MM" gives the monthly report of
// that month plus any half-year or yearly report whose period ends that month; "YYYY"
// gives the yearly report. cal decides working days (nil: statutory holidays only).
func (p *ReportingProfile) Deadlines(period string, cal *Calendar) ([]Deadline, error) {
	m := rePeriod.FindStringSubmatch(period)
	if m == nil {
		return nil, fmt.Errorf("%w: %q: write YYYY-MM (e.g. 2026-12) or YYYY", ErrBadPeriod, period)
	}
	year, _ := strconv.Atoi(m[1])
	if year < 1900 || year > 2190 {
		return nil, fmt.Errorf("%w: year %d out of range", ErrBadPeriod, year)
	}
	month := 12
	yearOnly := m[2] == ""
	if !yearOnly {
		month, _ = strconv.Atoi(m[2])
		if month < 1 || month > 12 {
			return nil, fmt.Errorf("%w: month %d out of range", ErrBadPeriod, month)
		}
	}
	if cal == nil {
		cal = &Calendar{}
	}
	var out []Deadline
	for _, s := range p.Schedules {
		if yearOnly && s.Kind != "yearly" || !slices.Contains(s.Months, month) {
			continue
		}
		dl := Deadline{Profile: p.ID, Kind: s.Kind, Name: s.Name, Recipient: p.Recipient,
			Citation: p.Source + ", " + s.Citation}
		switch s.Kind {
		case "monthly":
			dl.Period = fmt.Sprintf("%04d-%02d", year, month)
		case "half-year":
			dl.Period = fmt.Sprintf("%04d-H%d", year, (month+5)/6)
		default:
			dl.Period = fmt.Sprintf("%04d", year)
		}
		dl.Nominal = s.Due.in(year, month)
		dl.Last = dl.Nominal
		if s.Due.Before {
			dl.Last = dl.Nominal.AddDate(0, 0, -1)
		}
		switch s.Shift {
		case "next-working-day":
			dl.Due = cal.NextWorkingDay(dl.Last)
		case "previous-working-day":
			dl.Due = cal.PreviousWorkingDay(dl.Last)
		default:
			dl.Due = dl.Last
		}
		if !dl.Due.Equal(dl.Last) {
			dl.Moved = "ngày " + FormatDate(dl.Last) + " là " + dayOffName(cal, dl.Last)
		}
		if s.Window != nil {
			dl.WindowStart = s.Window.Start.in(year, month)
			dl.WindowEnd = s.Window.End.in(year, month)
		}
		out = append(out, dl)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: profile %q has no report for period %q", ErrBadPeriod, p.ID, period)
	}
	return out, nil
}

func dayOffName(cal *Calendar, t time.Time) string {
	for _, h := range cal.Holidays(t.Year()) {
		if h.Date.Equal(t) {
			return h.Name
		}
	}
	if t.Weekday() == time.Saturday {
		return "thứ Bảy"
	}
	return "Chủ nhật"
}
