package province

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// Every embedded file is JSON with an id matching its name; none is left out.
func TestFiles(t *testing.T) {
	files := Files()
	require.NotEmpty(t, files)
	for _, f := range files {
		var p struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal(f.Data, &p), f.Name)
		assert.Equal(t, p.ID+".json", f.Name)
	}
}

func TestScheduleDeadline(t *testing.T) {
	// Quảng Ninh's monthly report: the 20th, moved to the next working day.
	qn := Schedule{Period: Monthly, Due: DayRef{Day: 20}, Shift: ShiftNext,
		WindowStart: &DayRef{MonthOffset: -1, Day: 15}, WindowEnd: &DayRef{Day: 14}}
	dl := qn.Deadline(2026, 2, nil)
	assert.Equal(t, "2026-02", dl.Label)
	assert.Equal(t, day(2026, 2, 23), dl.Due, "20/02/2026 is mùng 4 Tết")
	assert.Contains(t, dl.Moved, "Tết Nguyên đán")
	assert.Equal(t, day(2026, 1, 15), dl.WindowStart)
	// Hà Tĩnh: before 17 June, moved back off a Sunday.
	ht := Schedule{Period: HalfYear, Months: []int{6}, Due: DayRef{Day: 17, Before: true}, Shift: ShiftPrevious}
	assert.True(t, ht.Applies(6, false))
	assert.False(t, ht.Applies(12, false))
	assert.Equal(t, day(2024, 6, 14), ht.Deadline(2024, 6, nil).Due)
	// Quarterly, and a day past the month's end.
	q := Schedule{Period: Quarterly, Due: DayRef{MonthOffset: 2, Day: 31}}
	dl = q.Deadline(2026, 12, nil)
	assert.Equal(t, "2026-Q4", dl.Label)
	assert.Equal(t, day(2027, 2, 28), dl.Due)
	assert.True(t, Schedule{Period: Annual}.Applies(12, true))
	assert.False(t, q.Applies(12, true), "a year alone asks only for annual reports")
}

func TestParsePeriod(t *testing.T) {
	y, m, yo, err := ParsePeriod("2026-09")
	require.NoError(t, err)
	assert.Equal(t, []any{2026, 9, false}, []any{y, m, yo})
	y, m, yo, err = ParsePeriod("2026")
	require.NoError(t, err)
	assert.Equal(t, []any{2026, 12, true}, []any{y, m, yo})
	for _, bad := range []string{"", "2026-13", "26-1", "2026/01", "3000"} {
		_, _, _, err := ParsePeriod(bad)
		assert.Error(t, err, bad)
	}
}
