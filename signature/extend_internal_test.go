package signature

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendedReaderAt(t *testing.T) {
	base := []byte("0123456789")
	a := appendedReaderAt{r: bytes.NewReader(base), size: 8, tail: []byte("abc")} // "01234567abc"
	want := []byte("01234567abc")
	for off := int64(0); off <= int64(len(want)); off++ {
		for n := 0; n <= len(want)+2; n++ {
			p := make([]byte, n)
			got, err := a.ReadAt(p, off)
			end := min(off+int64(n), int64(len(want)))
			require.Equal(t, int(end-off), got, "off %d n %d", off, n)
			assert.Equal(t, want[off:end], p[:got])
			if off+int64(n) > int64(len(want)) {
				assert.ErrorIs(t, err, io.EOF, "off %d n %d", off, n)
			} else {
				assert.NoError(t, err, "off %d n %d", off, n)
			}
		}
	}
	_, err := a.ReadAt(make([]byte, 1), -1)
	assert.Error(t, err)
	// A short underlying reader is an error, not silent zeros.
	short := appendedReaderAt{r: bytes.NewReader(base[:4]), size: 8, tail: []byte("abc")}
	_, err = short.ReadAt(make([]byte, 8), 0)
	assert.Error(t, err)
}

func TestVRIKey(t *testing.T) {
	// SHA-1("abc") = A9993E364706816ABA3E25717850C26C9CD0D89D, upper-case hex.
	assert.Equal(t, "A9993E364706816ABA3E25717850C26C9CD0D89D", string(vriKey([]byte("abc"))))
}
