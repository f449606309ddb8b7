package calendar

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// Published dates of Tết Nguyên Đán (1 Tháng Giêng) in Vietnam. 2030 is one of the
// years where Vietnam (UTC+7) and China (UTC+8) differ: the new moon falls at 23:07
// Hà Nội time on 2 February, 00:07 Beijing time on 3 February.
var tetDates = map[int]time.Time{
	2020: day(2020, 1, 25), 2021: day(2021, 2, 12), 2022: day(2022, 2, 1), 2023: day(2023, 1, 22),
	2024: day(2024, 2, 10), 2025: day(2025, 1, 29), 2026: day(2026, 2, 17), 2027: day(2027, 2, 6),
	2028: day(2028, 1, 26), 2029: day(2029, 2, 13), 2030: day(2030, 2, 2), 2031: day(2031, 1, 23),
	2032: day(2032, 2, 11), 2033: day(2033, 1, 31), 2034: day(2034, 2, 19), 2035: day(2035, 2, 8),
}

// Published dates of Giỗ Tổ Hùng Vương (10 Tháng Ba âm lịch), a public holiday, for the
// same years as Tết. 2031 has a leap third month (tháng 3 nhuận): the holiday is on the
// tenth day of the first, ordinary, third month.
var hungKingsDates = map[int]time.Time{
	2020: day(2020, 4, 2), 2021: day(2021, 4, 21), 2022: day(2022, 4, 10), 2023: day(2023, 4, 29),
	2024: day(2024, 4, 18), 2025: day(2025, 4, 7), 2026: day(2026, 4, 26), 2027: day(2027, 4, 16),
	2028: day(2028, 4, 4), 2029: day(2029, 4, 23), 2030: day(2030, 4, 12), 2031: day(2031, 4, 1),
	2032: day(2032, 4, 19), 2033: day(2033, 4, 9), 2034: day(2034, 4, 28), 2035: day(2035, 4, 17),
}

func TestTetDates(t *testing.T) {
	for y, want := range tetDates {
		assert.Equal(t, want, Tet(y), "Tết %d", y)
		assert.Equal(t, LunarDate{Year: y, Month: 1, Day: 1}, SolarToLunar(want))
	}
}

func TestHungKingsDay(t *testing.T) {
	require.Len(t, hungKingsDates, len(tetDates), "Giỗ Tổ facts for every year Tết has (2020–2035)")
	for y, want := range hungKingsDates {
		assert.Equal(t, want, HungKingsDay(y), "Giỗ Tổ %d", y)
		assert.Equal(t, LunarDate{Year: y, Month: 3, Day: 10}, SolarToLunar(want), "Giỗ Tổ %d", y)
	}
}

func TestLeapMonthsAndRoundTrip(t *testing.T) {
	// 2023 had a leap second month (tháng 2 nhuận) starting 22/3/2023; 2025 a leap
	// sixth month starting 25/7/2025.
	assert.Equal(t, LunarDate{Year: 2023, Month: 2, Day: 1, Leap: true}, SolarToLunar(day(2023, 3, 22)))
	assert.Equal(t, LunarDate{Year: 2025, Month: 6, Day: 1, Leap: true}, SolarToLunar(day(2025, 7, 25)))
	got, err := LunarToSolar(LunarDate{Year: 2025, Month: 6, Day: 1, Leap: true})
	require.NoError(t, err)
	assert.Equal(t, day(2025, 7, 25), got)
	_, err = LunarToSolar(LunarDate{Year: 2026, Month: 6, Day: 1, Leap: true})
	assert.Error(t, err, "2026 has no leap month")
	// Every day of 2019–2036 converts back to itself.
	for d := day(2019, 1, 1); d.Before(day(2037, 1, 1)); d = d.AddDate(0, 0, 1) {
		l := SolarToLunar(d)
		back, err := LunarToSolar(l)
		require.NoError(t, err, "%v → %v", d, l)
		require.Equal(t, d, back, "%v → %v", d, l)
	}
}

func TestHolidaysAndWorkingDays(t *testing.T) {
	var cal Calendar
	names := map[time.Time]string{}
	for _, h := range cal.Holidays(2026) {
		names[h.Date] = h.Name
	}
	for _, d := range []time.Time{day(2026, 1, 1), day(2026, 2, 16), day(2026, 2, 17), day(2026, 2, 20),
		day(2026, 4, 30), day(2026, 5, 1), day(2026, 9, 1), day(2026, 9, 2)} {
		assert.Contains(t, names, d)
		assert.False(t, cal.IsWorkingDay(d), d)
	}
	// Giỗ Tổ 2026 is a Sunday: Monday 27/4 is the compensatory day off.
	assert.Contains(t, names[day(2026, 4, 27)], "Nghỉ bù")
	assert.False(t, cal.IsWorkingDay(day(2026, 4, 27)))
	assert.True(t, cal.IsWorkingDay(day(2026, 4, 28)))
	assert.Equal(t, day(2026, 2, 23), cal.NextWorkingDay(day(2026, 2, 20)))
	// A decision adds a day off and makes a Saturday a working day.
	cal2 := Calendar{ExtraHolidays: []time.Time{day(2026, 2, 23)}, ExtraWorkdays: []time.Time{day(2026, 2, 28)}}
	assert.Equal(t, day(2026, 2, 24), cal2.NextWorkingDay(day(2026, 2, 20)))
	assert.True(t, cal2.IsWorkingDay(day(2026, 2, 28)))
}
