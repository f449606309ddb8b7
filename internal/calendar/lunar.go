package calendar

import (
	"fmt"
	"math"
	"time"
)

// The Vietnamese lunisolar calendar (âm lịch), computed with Hồ Ngọc Đức's algorithm:
// new moons from Jean Meeus' "Astronomical Algorithms" series, the sun's longitude for
// the principal terms (trung khí), month 11 as the month holding the winter solstice,
// and the first month without a principal term as the leap month — all evaluated in
// Vietnam's time zone, UTC+7, which is why Vietnamese and Chinese dates occasionally
// differ.

// vnTimeZone is the time zone of the Vietnamese calendar, in hours.
const vnTimeZone = 7.0

// LunarDate is a date of the Vietnamese lunar calendar.
type LunarDate struct {
	Year  int  // the lunar year, numbered as the solar year in which it mostly falls
	Month int  // 1–12
	Day   int  // 1–30
	Leap  bool // a leap month (tháng nhuận) repeats the number of the month before it
}

// String returns the date as "d/m/yyyy âm lịch", with "(nhuận)" for a leap month.
func (l LunarDate) String() string {
	leap := ""
	if l.Leap {
		leap = " (nhuận)"
	}
	return fmt.Sprintf("%d/%d%s/%d âm lịch", l.Day, l.Month, leap, l.Year)
}

func jdFromDate(dd, mm, yy int) int {
	a := (14 - mm) / 12
	y := yy + 4800 - a
	m := mm + 12*a - 3
	jd := dd + (153*m+2)/5 + 365*y + y/4 - y/100 + y/400 - 32045
	if jd < 2299161 {
		jd = dd + (153*m+2)/5 + 365*y + y/4 - 32083
	}
	return jd
}

func jdToDate(jd int) (dd, mm, yy int) {
	var b, c int
	if jd > 2299160 {
		a := jd + 32044
		b = (4*a + 3) / 146097
		c = a - (b*146097)/4
	} else {
		b = 0
		c = jd + 32082
	}
	d := (4*c + 3) / 1461
	e := c - (1461*d)/4
	m := (5*e + 2) / 153
	dd = e - (153*m+2)/5 + 1
	mm = m + 3 - 12*(m/10)
	yy = b*100 + d - 4800 + m/10
	return
}

// newMoon returns the Julian day (fractional, UT) of the k-th new moon after
// 1900-01-01 13:52 UT.
func newMoon(k int) float64 {
	kf := float64(k)
	T := kf / 1236.85
	T2, T3 := T*T, T*T*T
	dr := math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*T2 - 0.000000155*T3
	jd1 += 0.00033 * math.Sin((166.56+132.87*T-0.009173*T2)*dr)
	M := 359.2242 + 29.10535608*kf - 0.0000333*T2 - 0.00000347*T3
	Mpr := 306.0253 + 385.81691806*kf + 0.0107306*T2 + 0.00001236*T3
	F := 21.2964 + 390.67050646*kf - 0.0016528*T2 - 0.00000239*T3
	C1 := (0.1734-0.000393*T)*math.Sin(M*dr) + 0.0021*math.Sin(2*dr*M)
	C1 = C1 - 0.4068*math.Sin(Mpr*dr) + 0.0161*math.Sin(dr*2*Mpr)
	C1 = C1 - 0.0004*math.Sin(dr*3*Mpr)
	C1 = C1 + 0.0104*math.Sin(dr*2*F) - 0.0051*math.Sin(dr*(M+Mpr))
	C1 = C1 - 0.0074*math.Sin(dr*(M-Mpr)) + 0.0004*math.Sin(dr*(2*F+M))
	C1 = C1 - 0.0004*math.Sin(dr*(2*F-M)) - 0.0006*math.Sin(dr*(2*F+Mpr))
	C1 = C1 + 0.0010*math.Sin(dr*(2*F-Mpr)) + 0.0005*math.Sin(dr*(2*Mpr+M))
	var deltat float64
	if T < -11 {
		deltat = 0.001 + 0.000839*T + 0.0002261*T2 - 0.00000845*T3 - 0.000000081*T*T3
	} else {
		deltat = -0.000278 + 0.000265*T + 0.000262*T2
	}
	return jd1 + C1 - deltat
}

// sunLongitude returns the sun's apparent longitude in radians, in [0, 2π), at Julian
// day jdn (UT).
func sunLongitude(jdn float64) float64 {
	T := (jdn - 2451545.0) / 36525
	T2 := T * T
	dr := math.Pi / 180
	M := 357.52910 + 35999.05030*T - 0.0001559*T2 - 0.00000048*T*T2
	L0 := 280.46645 + 36000.76983*T + 0.0003032*T2
	DL := (1.914600 - 0.004817*T - 0.000014*T2) * math.Sin(dr*M)
	DL += (0.019993-0.000101*T)*math.Sin(dr*2*M) + 0.000290*math.Sin(dr*3*M)
	L := (L0 + DL) * dr
	L -= math.Pi * 2 * math.Floor(L/(math.Pi*2))
	return L
}

// sunSector returns which of the 12 principal-term sectors (0–11) the sun is in at the
// start of local day dayNumber.
func sunSector(dayNumber int) int {
	return int(math.Floor(sunLongitude(float64(dayNumber)-0.5-vnTimeZone/24) / math.Pi * 6))
}

// newMoonDay returns the local Julian day number of the k-th new moon.
func newMoonDay(k int) int {
	return int(math.Floor(newMoon(k) + 0.5 + vnTimeZone/24))
}

// lunarMonth11 returns the day number of the start of lunar month 11 of year yy (the
// month holding the winter solstice).
func lunarMonth11(yy int) int {
	off := float64(jdFromDate(31, 12, yy) - 2415021)
	k := int(math.Floor(off / 29.530588853))
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset returns the offset, counted from month 11 starting at a11, of the
// leap month of a 13-month year.
func leapMonthOffset(a11 int) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k + i))
	last := arc
	for {
		last = arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// SolarToLunar converts the calendar date of t (its year, month and day as given,
// whatever its location) to the Vietnamese lunar calendar.
func SolarToLunar(t time.Time) LunarDate {
	yy, mm, dd := t.Date()
	dayNumber := jdFromDate(dd, int(mm), yy)
	k := int(math.Floor((float64(dayNumber) - 2415021.076998695) / 29.530588853))
	monthStart := newMoonDay(k + 1)
	if monthStart > dayNumber {
		monthStart = newMoonDay(k)
	}
	a11 := lunarMonth11(yy)
	b11 := a11
	var lunarYear int
	if a11 >= monthStart {
		lunarYear = yy
		a11 = lunarMonth11(yy - 1)
	} else {
		lunarYear = yy + 1
		b11 = lunarMonth11(yy + 1)
	}
	day := dayNumber - monthStart + 1
	diff := (monthStart - a11) / 29
	leap := false
	month := diff + 11
	if b11-a11 > 365 {
		leapDiff := leapMonthOffset(a11)
		if diff >= leapDiff {
			month = diff + 10
			if diff == leapDiff {
				leap = true
			}
		}
	}
	if month > 12 {
		month -= 12
	}
	if month >= 11 && diff < 4 {
		lunarYear--
	}
	return LunarDate{Year: lunarYear, Month: month, Day: day, Leap: leap}
}

// LunarToSolar converts a lunar date to the Gregorian calendar (midnight UTC of that
// date). It fails for a leap month the year does not have and for days outside 1–30 or
// past the end of the month.
func LunarToSolar(l LunarDate) (time.Time, error) {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 || l.Year < 1800 || l.Year > 2199 {
		return time.Time{}, fmt.Errorf("calendar: lunar date %v out of range", l)
	}
	var a11, b11 int
	if l.Month < 11 {
		a11 = lunarMonth11(l.Year - 1)
		b11 = lunarMonth11(l.Year)
	} else {
		a11 = lunarMonth11(l.Year)
		b11 = lunarMonth11(l.Year + 1)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := l.Month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if l.Leap && l.Month != leapMonth {
			return time.Time{}, fmt.Errorf("calendar: lunar year %d has no leap month %d", l.Year, l.Month)
		}
		if l.Leap || off >= leapOff {
			off++
		}
	} else if l.Leap {
		return time.Time{}, fmt.Errorf("calendar: lunar year %d has no leap month", l.Year)
	}
	monthStart := newMoonDay(k + off)
	if l.Day > 29 && newMoonDay(k+off+1)-monthStart < l.Day {
		return time.Time{}, fmt.Errorf("calendar: lunar month %d/%d has 29 days", l.Month, l.Year)
	}
	dd, mm, yy := jdToDate(monthStart + l.Day - 1)
	return time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC), nil
}

// Tet returns the Gregorian date of Tết Nguyên Đán (1 Tháng Giêng) of the given year.
func Tet(year int) time.Time {
	t, _ := LunarToSolar(LunarDate{Year: year, Month: 1, Day: 1})
	return t
}

// HungKingsDay returns the Gregorian date of Giỗ Tổ Hùng Vương (10 Tháng Ba âm lịch)
// of the given year.
func HungKingsDay(year int) time.Time {
	t, _ := LunarToSolar(LunarDate{Year: year, Month: 3, Day: 10})
	return t
}
