package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/calendar"
	"github.com/kyso-go/kyso/internal/province"
)

// ErrBadReportPeriod: a reporting period is not "YYYY-MM" or "YYYY", or the profile
// has no report due for it.
var ErrBadReportPeriod = errors.New("policy: bad reporting period")

// Calendar decides working days in Vietnamese state bodies (public holidays of Bộ
// luật Lao động 2019 Điều 112 khoản 1, Tết by the lunar calendar, compensatory days of
// Điều 111 khoản 3 — locators checked on the web, see internal/calendar; add the
// days the Prime Minister's yearly decisions move with ExtraHolidays and
// ExtraWorkdays). It is the calendar forms uses (forms.Calendar is the same type).
type Calendar = calendar.Calendar

// Deadline is when one report of a profile is due for one period.
type Deadline struct {
	Profile string `json:"profile"` // the profile's id
	Report  string `json:"report"`  // the report's period kind: "monthly", "quarterly", "half-year", "annual"
	Name    string `json:"name,omitempty"`
	// Period is "YYYY-MM" (monthly), "YYYY-Qn", "YYYY-Hn" or "YYYY" (annual).
	Period string `json:"period"`
	// Nominal is the day the rule names; Last the last day allowed (the day before
	// Nominal when the rule says "before"); Due is Last moved off days off per the
	// report's Shift.
	Nominal time.Time `json:"nominal"`
	Last    time.Time `json:"last"`
	Due     time.Time `json:"due"`
	// Moved explains in Vietnamese why Due differs from Last; empty otherwise.
	Moved string `json:"moved,omitempty"`
	// ShiftAssumed marks a shift the regulation does not state; ShiftNote says why.
	ShiftAssumed bool   `json:"shift_assumed,omitempty"`
	ShiftNote    string `json:"shift_note,omitempty"`
	// WindowStart and WindowEnd bound the data the report covers (zero if none).
	WindowStart time.Time `json:"window_start,omitzero"`
	WindowEnd   time.Time `json:"window_end,omitzero"`
	Recipient   string    `json:"recipient,omitempty"`
	// Reporters are the bodies that send the report on the Due date: those of an
	// abolished level (the district level from 1/7/2025) or past their Until are left
	// out.
	Reporters []Reporter `json:"reporters,omitempty"`
	Citation  Citation   `json:"citation"`
	SeeAlso   []Citation `json:"see_also,omitempty"`
	// OutsidePeriod says, in Vietnamese and English, that Due lies outside the
	// profile's period (empty otherwise).
	OutsidePeriod string `json:"outside_period,omitempty"`
}

// schedule returns what the shared deadline computation needs, false when the report
// sets no deadline.
func (r Report) schedule() (province.Schedule, bool) {
	s := province.Schedule{Period: r.Period, Months: r.Months, Shift: r.Shift}
	switch {
	case r.DueDate != nil:
		s.Due = province.DayRef{MonthOffset: r.DueDate.MonthOffset, Day: r.DueDate.Day, Before: r.DueDate.Before}
	case r.DueDay > 0:
		// The earlier schema: an absolute month (0: the period's own month).
		s.Due = province.DayRef{Day: r.DueDay, Before: r.DueBefore}
		if r.DueMonth > 0 {
			last := province.DefaultMonths(r.Period)
			if len(r.Months) > 0 {
				last = r.Months
			}
			end := slices.Max(last)
			s.Due.MonthOffset = (r.DueMonth - end + 12) % 12
			if len(r.Months) == 0 && r.Period != province.Annual && r.Period != province.Monthly {
				s.Months = []int{r.DueMonth} // "before 17 June" ends the half-year in June
				s.Due.MonthOffset = 0
			}
		}
		if r.NextWorkingDay {
			s.Shift = province.ShiftNext
		}
	default:
		return s, false
	}
	if w := r.DataWindow; w != nil {
		s.WindowStart = &province.DayRef{MonthOffset: w.Start.MonthOffset, Day: w.Start.Day, Before: w.Start.Before}
		s.WindowEnd = &province.DayRef{MonthOffset: w.End.MonthOffset, Day: w.End.Day, Before: w.End.Before}
	}
	return s, true
}

// Deadlines returns the reports of the profile due for a period: "YYYY-MM" gives
// every report whose period ends that month, "YYYY" the annual one. cal decides
// working days (nil: the statutory holidays only). Reports whose regulation sets no
// deadline are left out; an error matching ErrBadReportPeriod says when the period is
// malformed or nothing is due.
func (p *Profile) Deadlines(period string, cal *Calendar) ([]Deadline, error) {
	year, month, yearOnly, err := province.ParsePeriod(period)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadReportPeriod, err)
	}
	var out []Deadline
	for _, r := range p.Reports {
		s, ok := r.schedule()
		if !ok || !s.Applies(month, yearOnly) {
			continue
		}
		dl := s.Deadline(year, month, cal)
		d := Deadline{
			Profile: p.ID, Report: r.Period, Name: r.Name, Period: dl.Label,
			Nominal: dl.Nominal, Last: dl.Last, Due: dl.Due, Moved: dl.Moved,
			ShiftAssumed: r.ShiftAssumed, ShiftNote: r.ShiftNote,
			WindowStart: dl.WindowStart, WindowEnd: dl.WindowEnd,
			Recipient: r.Recipient, Reporters: p.ReportersAt(r, dl.Due),
			Citation: r.Citation, SeeAlso: slices.Clone(r.SeeAlso),
		}
		if p.Period != nil && !p.Period.Contains(dl.Due) {
			d.OutsidePeriod = fmt.Sprintf("hạn %s nằm ngoài thời kỳ áp dụng của hồ sơ “%s” (the due date is outside the profile's period)", dl.Due.Format("02/01/2006"), p.ID)
			if s := p.Successor; s != nil {
				d.OutsidePeriod += fmt.Sprintf("; tỉnh kế thừa / successor: %s", s.Name)
			}
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		// Say what the regulation does say of the reports it sets without a
		// deadline, with its citation, rather than only that nothing is due.
		var none []string
		for _, r := range p.Reports {
			if _, ok := r.schedule(); !ok {
				none = append(none, fmt.Sprintf("%s: %s (%s)", r.Period, r.Due, r.Citation))
			}
		}
		if len(none) > 0 {
			return nil, fmt.Errorf("%w: profile %q has no report with a deadline for period %q; its regulation sets none for %s", ErrBadReportPeriod, p.ID, period, strings.Join(none, "; "))
		}
		return nil, fmt.Errorf("%w: profile %q has no report with a deadline for period %q", ErrBadReportPeriod, p.ID, period)
	}
	return out, nil
}

// ReportersAt returns the bodies that send report r on the date of t: a reporter
// whose Until has passed, whose From has not come, or whose level the profile lists
// as abolished by then (the district level from 1/7/2025) is left out.
func (p *Profile) ReportersAt(r Report, t time.Time) []Reporter {
	d := t.In(vietnamZone).Format(time.DateOnly)
	var out []Reporter
	for _, x := range r.Reporters {
		if (x.From != "" && d < x.From) || (x.Until != "" && d > x.Until) {
			continue
		}
		gone := false
		for _, l := range p.AbolishedLevels {
			if l.Level == x.Level && d >= l.From {
				gone = true
			}
		}
		if !gone {
			if x.Citation != nil {
				c := *x.Citation
				x.Citation = &c
			}
			out = append(out, x)
		}
	}
	return out
}
