package calendar

import (
	"sort"
	"time"
)

// Holiday is a public holiday (ngày nghỉ lễ, Tết) or a compensatory day off (nghỉ bù).
type Holiday struct {
	Date time.Time // midnight UTC of the calendar date
	Name string    // in Vietnamese, e.g. "Tết Nguyên đán (mùng 1)"
}

// Calendar decides which days are working days in Vietnamese state bodies: Monday to
// Friday, less the public holidays of Bộ luật Lao động 2019 Điều 112 khoản 1 — Tết
// Dương lịch (1/1), Tết Âm lịch (5 days: the last day of the lunar year and mùng 1–4
// Tháng Giêng), Giỗ Tổ Hùng Vương (10/3 âm lịch, điểm e), 30/4, 1/5, Quốc khánh (2/9
// and 1/9) — and, when a holiday falls on a weekly day off, the next working day as
// compensation (Điều 111 khoản 3: a weekly day off falling on a holiday of Điều 112
// khoản 1 is made up on the following working day). Those two locators were checked
// on the web
// (verified): lawnet.vn quotes Điều 112 k1 e and Điều 111 k3
// (https://lawnet.vn/thong-tin-phap-luat/en/lao-dong-tien-luong/schedule-for-the-day-off-on-hung-kings-commemoration-day-in-2021-for-vietnamese-officials-public-employees-and-employees-according-to-the-2019-labor-code-142320.html)
// and Lao Động's explainer cites the same two clauses
// (https://media-cdn-v2.laodong.vn/storage/newsportal/2026/2/4/1651485/videos/en-Nghi-Tet-Bu-01.vtt).
// The other points of Điều 112 k1 as listed here, and Điều 112 khoản 3 leaving the
// exact Tết and 2/9 days to the Prime Minister, are kyso's reading, not checked.
// The lunar dates are computed (see SolarToLunar).
//
// The Prime Minister's yearly decisions move some days (the exact Tết days, the day
// adjacent to 2/9, swapped working days); callers add them with ExtraHolidays and
// ExtraWorkdays. The zero Calendar applies the statutory rules only.
type Calendar struct {
	// ExtraHolidays are additional days off.
	ExtraHolidays []time.Time
	// ExtraWorkdays are Saturdays or Sundays declared working days (làm bù).
	ExtraWorkdays []time.Time
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func weekend(t time.Time) bool {
	wd := t.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// Holidays returns the days off of the given year other than ordinary weekends, in
// date order.
func (c *Calendar) Holidays(year int) []Holiday {
	var hs []Holiday
	add := func(t time.Time, name string) {
		if t.Year() == year {
			hs = append(hs, Holiday{Date: dateOnly(t), Name: name})
		}
	}
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	add(d(year, 1, 1), "Tết Dương lịch")
	// Tết of this year and of the next (whose eve may fall in this year).
	for _, y := range []int{year, year + 1} {
		tet := Tet(y)
		add(tet.AddDate(0, 0, -1), "Tết Nguyên đán (ngày cuối năm âm lịch)")
		for i := range 4 {
			add(tet.AddDate(0, 0, i), "Tết Nguyên đán (mùng "+string(rune('1'+i))+")")
		}
	}
	add(HungKingsDay(year), "Giỗ Tổ Hùng Vương (10/3 âm lịch)")
	add(d(year, 4, 30), "Ngày Chiến thắng (30/4)")
	add(d(year, 5, 1), "Ngày Quốc tế lao động (1/5)")
	add(d(year, 9, 1), "Quốc khánh (ngày liền kề)")
	add(d(year, 9, 2), "Quốc khánh (2/9)")
	for _, t := range c.ExtraHolidays {
		add(t, "Ngày nghỉ theo quyết định của cơ quan có thẩm quyền")
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
	// Compensatory days for holidays on a weekend.
	off := map[time.Time]bool{}
	for _, h := range hs {
		off[h.Date] = true
	}
	var comp []Holiday
	for _, h := range hs {
		if !weekend(h.Date) || c.isExtraWorkday(h.Date) {
			continue
		}
		t := h.Date.AddDate(0, 0, 1)
		for weekend(t) || off[t] {
			t = t.AddDate(0, 0, 1)
		}
		off[t] = true
		if t.Year() == year {
			comp = append(comp, Holiday{Date: t, Name: "Nghỉ bù (" + h.Name + ")"})
		}
	}
	hs = append(hs, comp...)
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
	return hs
}

func (c *Calendar) isExtraWorkday(t time.Time) bool {
	for _, w := range c.ExtraWorkdays {
		if dateOnly(w).Equal(t) {
			return true
		}
	}
	return false
}

// IsWorkingDay reports whether the calendar date of t is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	t = dateOnly(t)
	if c.isExtraWorkday(t) {
		return true
	}
	if weekend(t) {
		return false
	}
	for _, h := range c.Holidays(t.Year()) {
		if h.Date.Equal(t) {
			return false
		}
	}
	return true
}

// NextWorkingDay returns the date of t if it is a working day, else the first working
// day after it.
func (c *Calendar) NextWorkingDay(t time.Time) time.Time {
	t = dateOnly(t)
	for i := 0; i < 60 && !c.IsWorkingDay(t); i++ {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// PreviousWorkingDay returns the date of t if it is a working day, else the last
// working day before it.
func (c *Calendar) PreviousWorkingDay(t time.Time) time.Time {
	t = dateOnly(t)
	for i := 0; i < 60 && !c.IsWorkingDay(t); i++ {
		t = t.AddDate(0, 0, -1)
	}
	return t
}
