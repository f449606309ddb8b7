package pdf

import (
	"unicode/utf16"
	"unicode/utf8"
)

// pdfDocHigh maps PDFDocEncoding bytes 0x80–0xA0 to Unicode (0 for undefined codes).
var pdfDocHigh = [...]rune{
	0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, // 0x80
	0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018, // 0x88
	0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160, // 0x90
	0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0, // 0x98
	0x20AC, // 0xA0
}

// pdfDocLow maps PDFDocEncoding bytes 0x18–0x1F to Unicode.
var pdfDocLow = [...]rune{0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC}

// TextString encodes s as a PDF text string: the bytes themselves when s is printable
// ASCII (plus tab, LF and CR), which PDFDocEncoding encodes identically; otherwise
// UTF-16BE with a byte-order mark. Escaping is the writer's job: AppendObject escapes
// 0x28, 0x29 and 0x5C wherever they occur, including inside UTF-16 code units ("ĩ" is
// 01 29).
func TextString(s string) String {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F {
			ascii = false
			break
		}
	}
	if ascii {
		return String(s)
	}
	b := make([]byte, 2, 2+2*len(s))
	b[0], b[1] = 0xFE, 0xFF
	for _, r := range s { // invalid UTF-8 becomes U+FFFD
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			b = append(b, byte(r1>>8), byte(r1), byte(r2>>8), byte(r2))
			continue
		}
		b = append(b, byte(r>>8), byte(r))
	}
	return String(b)
}

// DecodeText decodes a PDF text string to Go text: UTF-16BE when it starts with the
// byte-order mark FE FF, UTF-8 when it starts with EF BB BF (PDF 2.0), else
// PDFDocEncoding. Undecodable bytes become U+FFFD; the language escape sequences of
// UTF-16 text strings (U+001B … U+001B) are removed.
func DecodeText(s String) string {
	if plainASCII(s) {
		// Every byte is its own code point in PDFDocEncoding and in UTF-8: the
		// common case (field names, titles) needs no copy.
		return string(s)
	}
	return decodeText(s)
}

// decodeText is DecodeText without the shortcut for plain ASCII.
func decodeText(s String) string {
	b := []byte(s)
	switch {
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		b = b[2:]
		u := make([]uint16, 0, len(b)/2+1)
		for i := 0; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		if len(b)%2 == 1 {
			u = append(u, 0xFFFD)
		}
		// Drop language escapes: ESC lang [country] ESC.
		out := u[:0]
		for i := 0; i < len(u); i++ {
			if u[i] == 0x1B {
				j := i + 1
				for j < len(u) && u[j] != 0x1B {
					j++
				}
				i = j
				continue
			}
			out = append(out, u[i])
		}
		return string(utf16.Decode(out))
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		b = b[3:]
		if utf8.Valid(b) {
			return string(b)
		}
		return string([]rune(string(b)))
	}
	rs := make([]rune, 0, len(b))
	for _, c := range b {
		switch {
		case c >= 0x18 && c <= 0x1F:
			rs = append(rs, pdfDocLow[c-0x18])
		case c >= 0x80 && c <= 0xA0:
			r := pdfDocHigh[c-0x80]
			if r == 0 {
				r = utf8.RuneError
			}
			rs = append(rs, r)
		case c == 0xAD:
			rs = append(rs, utf8.RuneError)
		default:
			rs = append(rs, rune(c))
		}
	}
	return string(rs)
}

// plainASCII reports whether every byte of s is below 0x80 and outside 0x18–0x1F
// (where PDFDocEncoding differs from ASCII). Such a string cannot start with a
// byte-order mark.
func plainASCII(s String) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || (c >= 0x18 && c <= 0x1F) {
			return false
		}
	}
	return true
}

// Text returns o as Go text when it is a String or HexString (decoded with DecodeText).
func Text(o Object) (string, bool) {
	switch v := o.(type) {
	case String:
		return DecodeText(v), true
	case HexString:
		return DecodeText(String(v)), true
	}
	return "", false
}

// Bytes returns the bytes of o when it is a String or HexString.
func Bytes(o Object) ([]byte, bool) {
	switch v := o.(type) {
	case String:
		return []byte(v), true
	case HexString:
		return []byte(v), true
	}
	return nil, false
}
