// Package province holds the province profiles kyso ships — one JSON file per
// province with its rules' provincial citations, its reports and deadlines, its
// period and successor — and the one computation of a report's deadline that both
// policy (which owns the file's schema and validates it) and forms (which renders the
// periodic report and reads only the reports) use.
//
// A report's deadline is data: the months that end a period, the due day relative to
// the period's last month, whether the report must arrive before that day, and what
// happens when the day is not a working day. Deadline applies it with the shared
// working-day calendar (internal/calendar).
package province

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/calendar"
)

//go:embed profiles/*.json
var files embed.FS

// File is one embedded province file.
type File struct {
	Name string // file name, e.g. "quang-ninh.json"
	Data []byte
}

// Files returns every embedded province file, sorted by name. Adding a file to
// profiles/ is enough for policy and forms to load it.
func Files() []File {
	ents, err := fs.ReadDir(files, "profiles")
	if err != nil {
		panic("province: embedded profiles: " + err.Error()) // embedded at build time
	}
	var out []File
	for _, e := range ents {
		b, err := files.ReadFile("profiles/" + e.Name())
		if err != nil {
			panic("province: embedded profile " + e.Name() + ": " + err.Error())
		}
		out = append(out, File{Name: e.Name(), Data: b})
	}
	return out
}

// The report periods and the shifts of a deadline that is not a working day.
const (
	Monthly   = "monthly"
	Quarterly = "quarterly"
	HalfYear  = "half-year"
	Annual    = "annual"

	ShiftNext     = "next-working-day"
	ShiftPrevious = "previous-working-day"
	ShiftNone     = "none"
)

// Periods lists the report periods, Shifts the deadline shifts.
var (
	Periods = []string{Monthly, Quarterly, HalfYear, Annual}
	Shifts  = []string{ShiftNext, ShiftPrevious, ShiftNone}
)

// DefaultMonths returns the months that end a period of the given kind when a
// schedule lists none: every month, each quarter, June and December, December.
func DefaultMonths(period string) []int {
	switch period {
	case Monthly:
		return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	case Quarterly:
		return []int{3, 6, 9, 12}
	case HalfYear:
		return []int{6, 12}
	}
	return []int{12}
}

// DayRef is a day relative to the last month of a report period.
type DayRef struct {
	MonthOffset int  // months from the period's last month (-1: the month before)
	Day         int  // 1–31; past the month's end means its last day
	Before      bool // the report must arrive before this day (the last day allowed is the day before)
}

// In returns the day for a period whose last month is month of year.
func (r DayRef) In(year, month int) time.Time {
	first := time.Date(year, time.Month(month)+time.Month(r.MonthOffset), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(r.Day, last)-1)
}

// Schedule is what Deadline needs of one report.
type Schedule struct {
	Period      string  // Monthly, Quarterly, HalfYear or Annual
	Months      []int   // the months ending a period; nil: DefaultMonths(Period)
	Due         DayRef  // the deadline
	Shift       string  // ShiftNext, ShiftPrevious or ShiftNone ("" is ShiftNone)
	WindowStart *DayRef // the data window (thời gian chốt số liệu), when the rule gives one
	WindowEnd   *DayRef
}

// Deadline is when one report of one period is due.
type Deadline struct {
	// Label is "YYYY-MM" (monthly), "YYYY-Qn" (quarterly), "YYYY-Hn" (half-year) or
	// "YYYY" (annual).
	Label string
	// Nominal is the day the rule names; Last the last day allowed (the day before
	// Nominal when the rule says "before"); Due is Last moved off days off per Shift.
	Nominal, Last, Due time.Time
	// Moved says, in Vietnamese, why Due differs from Last; empty otherwise.
	Moved string
	// WindowStart and WindowEnd bound the data the report covers (zero if none).
	WindowStart, WindowEnd time.Time
}

var rePeriod = regexp.MustCompile(`^([0-9]{4})(?:-([0-9]{2}))?$`)

// ParsePeriod reads "YYYY-MM" or "YYYY" (yearOnly; month is then 12). The error says
// what is wrong in words a user can act on.
func ParsePeriod(s string) (year, month int, yearOnly bool, err error) {
	m := rePeriod.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false, fmt.Errorf("%q: write YYYY-MM (e.g. 2026-12) or YYYY", s)
	}
	year, _ = strconv.Atoi(m[1])
	if year < 1900 || year > 2190 {
		return 0, 0, false, fmt.Errorf("year %d out of range", year)
	}
	if m[2] == "" {
		return year, 12, true, nil
	}
	month, _ = strconv.Atoi(m[2])
	if month < 1 || month > 12 {
		return 0, 0, false, fmt.Errorf("month %d out of range", month)
	}
	return year, month, false, nil
}

// Applies reports whether a report of s is due for the period of ParsePeriod: for
// "YYYY-MM" every report whose period ends that month, for "YYYY" the annual one.
func (s Schedule) Applies(month int, yearOnly bool) bool {
	if yearOnly && s.Period != Annual {
		return false
	}
	months := s.Months
	if len(months) == 0 {
		months = DefaultMonths(s.Period)
	}
	return slices.Contains(months, month)
}

// Deadline computes the deadline of the report for the period ending in month of
// year; cal decides working days (nil: the statutory holidays only).
func (s Schedule) Deadline(year, month int, cal *calendar.Calendar) Deadline {
	if cal == nil {
		cal = &calendar.Calendar{}
	}
	var dl Deadline
	switch s.Period {
	case Monthly:
		dl.Label = fmt.Sprintf("%04d-%02d", year, month)
	case Quarterly:
		dl.Label = fmt.Sprintf("%04d-Q%d", year, (month+2)/3)
	case HalfYear:
		dl.Label = fmt.Sprintf("%04d-H%d", year, (month+5)/6)
	default:
		dl.Label = fmt.Sprintf("%04d", year)
	}
	dl.Nominal = s.Due.In(year, month)
	dl.Last = dl.Nominal
	if s.Due.Before {
		dl.Last = dl.Nominal.AddDate(0, 0, -1)
	}
	switch s.Shift {
	case ShiftNext:
		dl.Due = cal.NextWorkingDay(dl.Last)
	case ShiftPrevious:
		dl.Due = cal.PreviousWorkingDay(dl.Last)
	default:
		dl.Due = dl.Last
	}
	if !dl.Due.Equal(dl.Last) {
		dl.Moved = "ngày " + dl.Last.Format("02/01/2006") + " là " + dayOffName(cal, dl.Last)
	}
	if s.WindowStart != nil && s.WindowEnd != nil {
		dl.WindowStart = s.WindowStart.In(year, month)
		dl.WindowEnd = s.WindowEnd.In(year, month)
	}
	return dl
}

func dayOffName(cal *calendar.Calendar, t time.Time) string {
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

// Locator renders a position inside an instrument the way Vietnamese practice
// abbreviates it — "Điều 32 k2 d", "Phụ lục I Phần I mục II k8 b" — from its parts (an
// annex or section, the article, the clause and the point); empty when none is given.
// policy's citations and forms' province deadlines both write positions with it.
func Locator(annex, article, clause, point string) string {
	var parts []string
	if annex != "" {
		parts = append(parts, annex)
	}
	if article != "" {
		parts = append(parts, "Điều "+article)
	}
	if clause != "" {
		parts = append(parts, "k"+clause)
	}
	if point != "" {
		parts = append(parts, point)
	}
	return strings.Join(parts, " ")
}
