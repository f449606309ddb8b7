package pdf

import (
	"bytes"
	"compress/lzw"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLZWDecode(t *testing.T) {
	// The example of ISO 32000-1, 7.4.4.2.
	got, err := lzwDecode([]byte{0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01}, 1, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, "-----A---B", string(got))

	// Long input, through the width changes up to 12 bits and table resets; Go's
	// writer does not change early, so decode with EarlyChange 0.
	in := []byte(strings.Repeat("Cộng hòa xã hội chủ nghĩa Việt Nam ", 2000))
	var buf bytes.Buffer
	w := lzw.NewWriter(&buf, lzw.MSB, 8)
	_, _ = w.Write(in)
	require.NoError(t, w.Close())
	got, err = lzwDecode(buf.Bytes(), 0, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, in, got)

	_, err = lzwDecode(buf.Bytes(), 0, 1000)
	assert.ErrorIs(t, err, ErrLimit)
	_, err = lzwDecode([]byte{0xFF, 0xFF, 0xFF}, 1, 1<<20)
	assert.ErrorIs(t, err, ErrMalformed)
}
