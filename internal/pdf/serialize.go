package pdf

import (
	"bytes"
	"math"
	"strconv"
)

// AppendObject appends the PDF serialisation of o to buf and returns the extended
// buffer. It does not encrypt. Dictionary keys are written sorted; a *Stream is written
// as its dictionary (with /Length set to len(Data)) followed by its Data; a stream read
// from a file (Data nil) is written with an empty body, so an Update copies such data
// itself. Values of unknown types are written as null.
func AppendObject(buf []byte, o Object) []byte {
	switch v := o.(type) {
	case nil:
		return append(buf, "null"...)
	case Bool:
		if v {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case bool:
		return AppendObject(buf, Bool(v))
	case Integer:
		return strconv.AppendInt(buf, int64(v), 10)
	case int:
		return strconv.AppendInt(buf, int64(v), 10)
	case int64:
		return strconv.AppendInt(buf, v, 10)
	case Real:
		return appendReal(buf, float64(v))
	case float64:
		return appendReal(buf, v)
	case Name:
		return appendName(buf, v)
	case String:
		return appendLiteral(buf, []byte(v))
	case HexString:
		return appendHex(buf, []byte(v))
	case Array:
		buf = append(buf, '[')
		for i, e := range v {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = AppendObject(buf, e)
		}
		return append(buf, ']')
	case Dict:
		return appendDict(buf, v, -1)
	case Ref:
		buf = strconv.AppendInt(buf, int64(v.Num), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(v.Gen), 10)
		return append(buf, " R"...)
	case *Stream:
		if v == nil {
			return append(buf, "null"...)
		}
		buf = appendDict(buf, v.Dict, int64(len(v.Data)))
		buf = append(buf, "\nstream\n"...)
		buf = append(buf, v.Data...)
		return append(buf, "\nendstream"...)
	case Raw:
		return append(buf, v...)
	}
	return append(buf, "null"...)
}

// appendDict writes d; when length >= 0 it replaces /Length.
func appendDict(buf []byte, d Dict, length int64) []byte {
	buf = append(buf, "<<"...)
	for _, k := range d.Keys() {
		if length >= 0 && k == "Length" {
			continue
		}
		buf = appendName(buf, k)
		buf = append(buf, ' ')
		buf = AppendObject(buf, d[k])
	}
	if length >= 0 {
		buf = append(buf, "/Length "...)
		buf = strconv.AppendInt(buf, length, 10)
	}
	return append(buf, ">>"...)
}

func appendReal(buf []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(buf, '0')
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendInt(buf, int64(f), 10)
	}
	// A whole number too large for the integer form keeps a decimal point, so it reads
	// back as a real rather than turning into an integer.
	start := len(buf)
	buf = strconv.AppendFloat(buf, f, 'f', -1, 64)
	if !bytes.ContainsRune(buf[start:], '.') {
		buf = append(buf, ".0"...)
	}
	return buf
}

const hexDigits = "0123456789ABCDEF"

func appendName(buf []byte, n Name) []byte {
	buf = append(buf, '/')
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c < 0x21 || c > 0x7E || c == '#' || isDelim(c) {
			buf = append(buf, '#', hexDigits[c>>4], hexDigits[c&15])
			continue
		}
		buf = append(buf, c)
	}
	return buf
}

// appendLiteral writes b as a literal string, escaping the delimiters and the bytes a
// reader would otherwise alter (CR and LF are normalised inside literal strings).
func appendLiteral(buf []byte, b []byte) []byte {
	buf = append(buf, '(')
	for _, c := range b {
		switch c {
		case '(', ')', '\\':
			buf = append(buf, '\\', c)
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\n':
			buf = append(buf, '\\', 'n')
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, ')')
}

func appendHex(buf []byte, b []byte) []byte {
	buf = append(buf, '<')
	for _, c := range b {
		buf = append(buf, hexDigits[c>>4], hexDigits[c&15])
	}
	return append(buf, '>')
}
