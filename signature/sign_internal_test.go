package signature

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignByteRangeBeyond4GB checks that /ByteRange is written in place with offsets
// beyond 32 bits (a signed update appended to a 5 GiB file) without moving a byte.
func TestSignByteRangeBeyond4GB(t *testing.T) {
	for _, size := range []int64{0, 1234, 5 << 30, 1<<62 + 7} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			hole := holePlaceholder(100)
			section := []byte("\n12 0 obj\n<</ByteRange ")
			section = append(section, byteRangePlaceholder()...)
			section = append(section, "/Contents "...)
			holeAt := len(section)
			section = append(section, hole...)
			section = append(section, ">>\nendobj\nxref\n...%%EOF\n"...)
			before := len(section)
			j := &signJob{size: size, section: section}
			require.NoError(t, j.locate(1, 100))
			assert.Len(t, j.section, before)
			assert.Equal(t, holeAt, j.holeStart)
			a := size + int64(holeAt)
			b := a + int64(len(hole))
			want := [4]int64{0, a, b, size + int64(len(section)) - b}
			assert.Equal(t, want, j.byteRange)
			var got [4]int64
			i := bytes.Index(j.section, []byte("/ByteRange ["))
			_, err := fmt.Sscanf(string(j.section[i+len("/ByteRange ["):]), "%d %d %d %d", &got[0], &got[1], &got[2], &got[3])
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestSignPDFDate(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 11, 22, 14, 5, 9, 0, time.FixedZone("ICT", 7*3600)), "D:20261122140509+07'00'"},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "D:20260102030405Z"},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", -(3*3600+30*60))), "D:20260102030405-03'30'"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, pdfDate(tt.t))
	}
}
