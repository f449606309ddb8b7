package signature

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePDFDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"D:20261122140509+07'00'", time.Date(2026, 11, 22, 7, 5, 9, 0, time.UTC)},
		{"D:20261122140509Z", time.Date(2026, 11, 22, 14, 5, 9, 0, time.UTC)},
		{"D:20261122140509-05'30", time.Date(2026, 11, 22, 19, 35, 9, 0, time.UTC)},
		{"D:2026", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"20261122", time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		got, err := parsePDFDate(tc.in)
		require.NoError(t, err, tc.in)
		assert.True(t, tc.want.Equal(got), "%s: got %v want %v", tc.in, got, tc.want)
	}
	for _, bad := range []string{"", "D:", "D:20x6", "D:2026ab"} {
		_, err := parsePDFDate(bad)
		assert.Error(t, err, bad)
	}
}

func TestCheckByteRange(t *testing.T) {
	tests := []struct {
		name string
		br   []int64
		ok   bool
	}{
		{"good", []int64{0, 100, 200, 50}, true},
		{"two numbers", []int64{0, 100}, false},
		{"six numbers", []int64{0, 100, 200, 10, 220, 10}, false},
		{"not from zero", []int64{1, 100, 200, 50}, false},
		{"negative", []int64{0, 100, -200, 50}, false},
		{"overlap", []int64{0, 210, 200, 50}, false},
		{"empty hole", []int64{0, 100, 101, 50}, false},
		{"outside", []int64{0, 100, 200, 51}, false},
		{"huge", []int64{0, 100, 200, 1 << 62}, false},
		{"first length beyond the file", []int64{0, 1 << 62, 200, 50}, false},
		{"sums overflow", []int64{0, math.MaxInt64, math.MaxInt64, math.MaxInt64}, false},
		{"end overflows", []int64{0, 100, math.MaxInt64 - 10, 100}, false},
	}
	for _, tc := range tests {
		_, m := checkByteRange(tc.br, 250)
		assert.Equal(t, tc.ok, m == nil, tc.name)
		if m != nil {
			assert.NotEmpty(t, m.VI)
			assert.NotEmpty(t, m.EN)
			// A user must never read a wrapped-around (negative) end offset.
			assert.NotContains(t, m.EN, "to byte -", "%s: %s", tc.name, m.EN)
		}
	}
}

func TestContentsHoleAndCoverage(t *testing.T) {
	doc := []byte("%PDF-1.7\n<</Contents <0A0b00>>>\n%%EOF\n")
	start := int64(bytes.Index(doc, []byte("<0A")))
	end := start + int64(len("<0A0b00>"))
	assert.Nil(t, checkContentsHole(bytes.NewReader(doc), start, end, []byte{0x0a, 0x0b, 0}))
	assert.NotNil(t, checkContentsHole(bytes.NewReader(doc), start, end, []byte{0x0a, 0x0c, 0}))
	assert.NotNil(t, checkContentsHole(bytes.NewReader(doc), start-1, end, []byte{0x0a, 0x0b, 0}), "gap larger than the string")
	assert.True(t, emptyContents([]byte{0, 0}))
	assert.True(t, emptyContents(nil))
	assert.False(t, emptyContents([]byte{0, 1}))

	n := int64(len(doc))
	assert.Equal(t, 0, coveredRevision(bytes.NewReader(doc), n, []int64{n}))
	assert.Equal(t, 0, coveredRevision(bytes.NewReader(doc), n-1, []int64{n}), "EOL after %%EOF may be left out")
	assert.Equal(t, -1, coveredRevision(bytes.NewReader(doc), n-3, []int64{n}))
	assert.True(t, onlyWhitespaceFrom(bytes.NewReader(append(doc, "\r\n "...)), n, n+3))
	assert.False(t, onlyWhitespaceFrom(bytes.NewReader(append(doc, "x"...)), n, n+1))
}

func TestFieldLock(t *testing.T) {
	tests := []struct {
		lock fieldLock
		name string
		want bool
	}{
		{fieldLock{action: "All"}, "a", true},
		{fieldLock{action: "Include", fields: []string{"a", "b.c"}}, "a", true},
		{fieldLock{action: "Include", fields: []string{"a", "b.c"}}, "a.x", true},
		{fieldLock{action: "Include", fields: []string{"a", "b.c"}}, "ab", false},
		{fieldLock{action: "Include", fields: []string{"a", "b.c"}}, "b", false},
		{fieldLock{action: "Exclude", fields: []string{"a"}}, "a", false},
		{fieldLock{action: "Exclude", fields: []string{"a"}}, "b", true},
		{fieldLock{action: "Bogus"}, "a", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.lock.locks(tc.name), "%+v %q", tc.lock, tc.name)
	}
	assert.Equal(t, ModLTAUpdates, allowedBy(1))
	assert.Equal(t, ModFormFilling, allowedBy(2))
	assert.Equal(t, ModAnnotations, allowedBy(3))
	assert.Equal(t, ModAnnotations, allowedBy(0))
	assert.True(t, ModOther.Worse(ModAnnotations))
	assert.False(t, ModNone.Worse(ModLTAUpdates))
}
