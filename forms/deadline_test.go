package forms

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeadlines(t *testing.T) {
	qn, err := LookupReportingProfile("quang-ninh")
	require.NoError(t, err)
	ht, err := LookupReportingProfile("ha-tinh")
	require.NoError(t, err)
	type want struct {
		kind, period     string
		due              time.Time
		moved            bool
		winStart, winEnd time.Time
	}
	cases := []struct {
		p      *ReportingProfile
		period string
		want   []want
	}{
		// 20/12/2026 is a Sunday → Monday 21/12; the December period also ends the year,
		// whose report is due 20/01/2027 (a Wednesday).
		{qn, "2026-12", []want{
			{"monthly", "2026-12", day(2026, 12, 21), true, day(2026, 11, 15), day(2026, 12, 14)},
			{"yearly", "2026", day(2027, 1, 20), false, day(2025, 12, 15), day(2026, 12, 14)}}},
		// 20/02/2026 is mùng 4 Tết → Monday 23/02.
		{qn, "2026-02", []want{{"monthly", "2026-02", day(2026, 2, 23), true, day(2026, 1, 15), day(2026, 2, 14)}}},
		// 20/01/2026 monthly report covers 15/12/2025–14/01/2026; a Tuesday.
		{qn, "2026-01", []want{{"monthly", "2026-01", day(2026, 1, 20), false, day(2025, 12, 15), day(2026, 1, 14)}}},
		// 20/09/2025 is a Saturday → Monday 22/09.
		{qn, "2025-09", []want{{"monthly", "2025-09", day(2025, 9, 22), true, day(2025, 8, 15), day(2025, 9, 14)}}},
		{qn, "2026", []want{{"yearly", "2026", day(2027, 1, 20), false, day(2025, 12, 15), day(2026, 12, 14)}}},
		// Hà Tĩnh: before 17 June / 17 December; the last allowed day moves back off
		// weekends. 16/06/2024 is a Sunday → Friday 14/06.
		{ht, "2026-06", []want{{"half-year", "2026-H1", day(2026, 6, 16), false, time.Time{}, time.Time{}}}},
		{ht, "2024-06", []want{{"half-year", "2024-H1", day(2024, 6, 14), true, time.Time{}, time.Time{}}}},
		{ht, "2026-12", []want{{"yearly", "2026", day(2026, 12, 16), false, time.Time{}, time.Time{}}}},
	}
	for _, c := range cases {
		t.Run(c.p.ID+"/"+c.period, func(t *testing.T) {
			dls, err := c.p.Deadlines(c.period, nil)
			require.NoError(t, err)
			require.Len(t, dls, len(c.want))
			for i, w := range c.want {
				dl := dls[i]
				assert.Equal(t, w.kind, dl.Kind)
				assert.Equal(t, w.period, dl.Period)
				assert.Equal(t, w.due, dl.Due, "due")
				assert.Equal(t, w.moved, dl.Moved != "", dl.Moved)
				assert.Equal(t, w.winStart, dl.WindowStart)
				assert.Equal(t, w.winEnd, dl.WindowEnd)
				assert.NotEmpty(t, dl.Citation)
			}
		})
	}
	for _, bad := range []string{"2026-13", "26-12", "2026/12", ""} {
		_, err := qn.Deadlines(bad, nil)
		assert.ErrorIs(t, err, ErrBadPeriod, bad)
	}
	_, err = ht.Deadlines("2026-03", nil)
	assert.ErrorIs(t, err, ErrBadPeriod, "Hà Tĩnh has no March report")
	_, err = LookupReportingProfile("ha-noi")
	assert.ErrorIs(t, err, ErrUnknownProfile)
}

func TestParseReportingProfileRejectsBadData(t *testing.T) {
	for _, in := range []string{`{}`, `{"id":"x","schedules":[{"kind":"weekly","months":[1],"due":{"day":1},"shift":"none"}]}`,
		`{"id":"x","schedules":[{"kind":"monthly","months":[13],"due":{"day":1},"shift":"none"}]}`, `{"id":1}`} {
		_, err := ParseReportingProfile([]byte(in))
		assert.ErrorIs(t, err, ErrMalformedInput, in)
	}
}

func FuzzParseReportingProfile(f *testing.F) {
	f.Add([]byte(`{"id":"x","schedules":[{"kind":"monthly","months":[2],"due":{"monthOffset":0,"day":31},"shift":"none","citation":"c"}]}`))
	f.Add([]byte(`{"id":"y","reports":[{"period":"annual","due_date":{"month_offset":1,"day":20},"shift":"next-working-day","citation":{"instrument":"I","article":"1"}}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := ParseReportingProfile(in)
		if err != nil {
			return
		}
		for _, period := range []string{"2026-12", "2026-06", "2026"} {
			_, _ = p.Deadlines(period, nil)
		}
	})
}

// A rule "by the last day of the month", written as day 31, means 28 or 29 February,
// not a day in March.
func TestDayPastTheMonthEndIsItsLastDay(t *testing.T) {
	p, err := ParseReportingProfile([]byte(`{"id":"x","schedules":[{"kind":"monthly","months":[2,4],
		"due":{"monthOffset":0,"day":31},"shift":"none","citation":"c"}]}`))
	require.NoError(t, err)
	for period, want := range map[string]time.Time{"2026-02": day(2026, 2, 28), "2028-02": day(2028, 2, 29), "2026-04": day(2026, 4, 30)} {
		dls, err := p.Deadlines(period, nil)
		require.NoError(t, err)
		assert.Equal(t, want, dls[0].Due, period)
	}
}

// A province is one file: forms reads the deadlines from the same province files the
// policy package reads for the rules; Hà Tĩnh's shift to the previous working day is
// marked as an assumption (the regulation is silent on it).
func TestDeadlinesFromProvinceFiles(t *testing.T) {
	ps, err := ReportingProfiles()
	require.NoError(t, err)
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{"ha-tinh", "quang-ninh"}, ids, "the provinces whose files set a deadline")
	ht, err := LookupReportingProfile("ha-tinh")
	require.NoError(t, err)
	dls, err := ht.Deadlines("2024-06", nil)
	require.NoError(t, err)
	require.Len(t, dls, 1)
	assert.True(t, dls[0].ShiftAssumed)
	assert.Contains(t, dls[0].ShiftNote, "giả định")
	assert.Equal(t, "QĐ 19/2020/QĐ-UBND Hà Tĩnh, Điều 13 k1 a", dls[0].Citation)
	qn, err := LookupReportingProfile("quang-ninh")
	require.NoError(t, err)
	dls, err = qn.Deadlines("2026-12", nil)
	require.NoError(t, err)
	assert.False(t, dls[0].ShiftAssumed, "Quảng Ninh Điều 16 k7 states the shift")
	assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 16 k7 (thời gian chốt số liệu: Điều 16 k6 a (data period))", dls[0].Citation)
	assert.Equal(t, "Sở Thông tin và Truyền thông", dls[0].Recipient)

	// A province file with a quarterly report and a field-naming error.
	p, err := ParseReportingProfile([]byte(`{"id":"x","name":"X","extends":"national","reports":[{"period":"quarterly","due_date":{"month_offset":1,"day":10},"shift":"none","citation":{"instrument":"I","article":"2"}}]}`))
	require.NoError(t, err)
	dls, err = p.Deadlines("2026-09", nil)
	require.NoError(t, err)
	assert.Equal(t, "2026-Q3", dls[0].Period)
	assert.Equal(t, day(2026, 10, 10), dls[0].Due)
	_, err = ParseReportingProfile([]byte(`{"id":"x","reports":[{"period":"weekly","due_date":{"month_offset":0,"day":1},"citation":{}}]}`))
	assert.ErrorIs(t, err, ErrMalformedInput)
	assert.Contains(t, err.Error(), "reports[0].period")
}

// A province file with no reports is told so (it used to be read as the earlier
// format and refused for an "unknown field name"); a file over the limit is refused.
func TestParseReportingProfileProvinceFileErrors(t *testing.T) {
	_, err := ParseReportingProfile([]byte(`{"id":"x","name":"X","extends":"national"}`))
	require.ErrorIs(t, err, ErrMalformedInput)
	assert.Contains(t, err.Error(), `reports: province "x" has no report with a due_date`)
	assert.NotContains(t, err.Error(), "unknown field")

	_, err = ParseReportingProfile([]byte(`{"id":"x","name":"` + strings.Repeat("a", MaxProvinceFileSize) + `"}`))
	require.ErrorIs(t, err, ErrMalformedInput)
	assert.Contains(t, err.Error(), "larger than")
}
