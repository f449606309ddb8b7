package forms

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// forms' calendar names still work after the move to internal/calendar.
func TestCalendarAPIKept(t *testing.T) {
	assert.Equal(t, day(2026, 2, 17), Tet(2026))
	assert.Equal(t, day(2026, 4, 26), HungKingsDay(2026))
	assert.Equal(t, LunarDate{Year: 2026, Month: 1, Day: 1}, SolarToLunar(day(2026, 2, 17)))
	back, err := LunarToSolar(LunarDate{Year: 2026, Month: 3, Day: 10})
	assert.NoError(t, err)
	assert.Equal(t, day(2026, 4, 26), back)
	cal := Calendar{ExtraHolidays: []time.Time{day(2026, 2, 23)}}
	assert.Equal(t, day(2026, 2, 24), cal.NextWorkingDay(day(2026, 2, 20)))
	var hs []Holiday = cal.Holidays(2026)
	assert.NotEmpty(t, hs)
}
