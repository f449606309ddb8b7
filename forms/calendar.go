package forms

import (
	"time"

	"github.com/kyso-go/kyso/internal/calendar"
)

// The working-day calendar and the lunar calendar live in internal/calendar, shared
// with the policy package's province deadlines; these names keep forms' API.

// Holiday is a public holiday (ngày nghỉ lễ, Tết) or a compensatory day off (nghỉ bù):
// Date is midnight UTC of the calendar date, Name is in Vietnamese.
type Holiday = calendar.Holiday

// Calendar decides which days are working days in Vietnamese state bodies: Monday to
// Friday, less the public holidays of Bộ luật Lao động 2019 Điều 112 khoản 1 and the
// compensatory days for holidays on a weekly day off (Điều 111 khoản 3; both checked
// on the web, see internal/calendar); ExtraHolidays and ExtraWorkdays add
// the days the Prime Minister's yearly decisions move. The zero Calendar applies the
// statutory rules only.
type Calendar = calendar.Calendar

// LunarDate is a date of the Vietnamese lunar calendar (âm lịch).
type LunarDate = calendar.LunarDate

// SolarToLunar converts the calendar date of t to the Vietnamese lunar calendar
// (Hồ Ngọc Đức's algorithm, UTC+7).
func SolarToLunar(t time.Time) LunarDate { return calendar.SolarToLunar(t) }

// LunarToSolar converts a lunar date to the Gregorian calendar (midnight UTC of that
// date). It fails for a leap month the year does not have and for days outside 1–30 or
// past the end of the month.
func LunarToSolar(l LunarDate) (time.Time, error) { return calendar.LunarToSolar(l) }

// Tet returns the Gregorian date of Tết Nguyên Đán (1 Tháng Giêng) of the given year.
func Tet(year int) time.Time { return calendar.Tet(year) }

// HungKingsDay returns the Gregorian date of Giỗ Tổ Hùng Vương (10 Tháng Ba âm lịch)
// of the given year.
func HungKingsDay(year int) time.Time { return calendar.HungKingsDay(year) }
