package crypt

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSASLprep(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		// The examples of RFC 4013 §3.
		{"I\u00ADX", "IX", true},
		{"user", "user", true},
		{"USER", "USER", true},
		{"\u00AA", "a", true},
		{"\u2168", "IX", true},
		{"\u0007", "", false},
		{"\u0627\u0031", "", false},
		// Vietnamese: decomposed letters compose.
		{"m\u0061\u0323\u0302t kh\u0061\u0302\u0309u", "mật khẩu", true},
		{"\u00A0a\u3000b\u200Bc", " a bc", true},
		{"\uFB01le", "file", true},
		{"\u05D0\u05D1\u05D2", "\u05D0\u05D1\u05D2", true}, // right-to-left only
		{"\u05D0a\u05D1", "", false},                       // RandAL mixed with L
		{"a\uE000", "", false},                             // private use
		{"a\uFFFF", "", false},                             // non-character
		{"\xff\xfe", "", false},                            // not UTF-8
	}
	for _, tc := range tests {
		got, ok := saslPrep([]byte(tc.in))
		assert.Equal(t, tc.ok, ok, "%+q", tc.in)
		if tc.ok {
			assert.Equal(t, tc.want, string(got), "%+q", tc.in)
		}
	}
}

func TestPasswordCandidates(t *testing.T) {
	long := make([]byte, 0, 200)
	for len(long) < 200 {
		long = append(long, "ữ"...)
	}
	for _, c := range passwordsAES256(long) {
		assert.LessOrEqual(t, len(c), maxPasswordAES256)
		assert.Equal(t, 0, len(c)%len("ữ"), "a UTF-8 sequence was cut")
	}
	assert.Equal(t, [][]byte{[]byte("abc")}, passwordsAES256([]byte("abc")))
	assert.Equal(t, [][]byte{[]byte("\xff")}, passwordsAES256([]byte("\xff")))

	assert.Equal(t, [][]byte{[]byte("abc")}, passwordsMD5([]byte("abc")))
	assert.Equal(t, [][]byte{[]byte("é€"), []byte("\xe9\xa0")}, passwordsMD5([]byte("é€")))
	assert.Equal(t, [][]byte{[]byte("mật")}, passwordsMD5([]byte("mật")), "ậ has no PDFDocEncoding byte")
}
