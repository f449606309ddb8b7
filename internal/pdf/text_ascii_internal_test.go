package pdf

import "testing"

// TestDecodeTextPlainASCII checks that the shortcut for plain ASCII gives what the
// full decoding gives, byte by byte and on strings mixing the bytes around its edges.
func TestDecodeTextPlainASCII(t *testing.T) {
	for c := 0; c < 256; c++ {
		s := String([]byte{'a', byte(c), 'z'})
		if got, want := DecodeText(s), decodeText(s); got != want {
			t.Errorf("byte %#x: DecodeText %q, full decoding %q", c, got, want)
		}
	}
	for _, s := range []String{"", "Signature1", "a.b c\t\n\r\x00\x17\x7f", "\x18", "\x1f", "\xfe\xff\x00A", "\xef\xbb\xbfA"} {
		if got, want := DecodeText(s), decodeText(s); got != want {
			t.Errorf("%q: DecodeText %q, full decoding %q", s, got, want)
		}
	}
	if n := testing.AllocsPerRun(10, func() { _ = DecodeText("Signature12") }); n != 0 {
		t.Errorf("DecodeText of plain ASCII allocates %v times", n)
	}
}
