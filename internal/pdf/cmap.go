package pdf

import (
	"unicode/utf16"
)

// cmap is what text extraction needs of a CMap: code space ranges (to split a string
// into codes) and, for a ToUnicode CMap, the text of each code.
type cmap struct {
	ranges  []codeRange
	unicode map[uint32]string
}

type codeRange struct {
	n      int // code length in bytes
	lo, hi uint32
}

// maxCMapEntries bounds the mappings read from one CMap.
const maxCMapEntries = 1 << 18

func codeOf(b []byte) uint32 {
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v
}

// utf16Text decodes a ToUnicode destination (UTF-16BE).
func utf16Text(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	if len(b)%2 == 1 { // some writers use one byte
		u = append(u, uint16(b[len(b)-1]))
	}
	return string(utf16.Decode(u))
}

// parseCMap reads the code space ranges and bfchar/bfrange mappings of a CMap program.
// Unknown operators are skipped; malformed sections end the parse with what was read.
func parseCMap(data []byte) *cmap {
	cm := &cmap{unicode: map[uint32]string{}}
	l := &lexer{buf: data, atEOF: true, maxDepth: 4}
	var stack []Object
	for l.pos < len(l.buf) && len(cm.unicode) < maxCMapEntries {
		l.skipWS()
		if l.pos >= len(l.buf) {
			break
		}
		l.count = 0
		o, err := l.parseObject(0)
		if err != nil {
			// Skip a byte and go on: CMaps in the wild are often sloppy.
			l.pos++
			stack = stack[:0]
			continue
		}
		kw, ok := o.(keyword)
		if !ok {
			if len(stack) < 3*10000 {
				stack = append(stack, o)
			}
			continue
		}
		switch kw {
		case "endcodespacerange":
			for i := 0; i+1 < len(stack); i += 2 {
				lo, ok1 := stack[i].(String)
				hi, ok2 := stack[i+1].(String)
				if ok1 && ok2 && len(lo) == len(hi) && len(lo) >= 1 && len(lo) <= 4 {
					cm.ranges = append(cm.ranges, codeRange{n: len(lo), lo: codeOf([]byte(lo)), hi: codeOf([]byte(hi))})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(stack); i += 2 {
				src, ok1 := stack[i].(String)
				if !ok1 || len(src) > 4 {
					continue
				}
				switch dst := stack[i+1].(type) {
				case String:
					cm.unicode[codeOf([]byte(src))] = utf16Text([]byte(dst))
				case Name:
					cm.unicode[codeOf([]byte(src))] = glyphText(dst)
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(stack); i += 3 {
				lo, ok1 := stack[i].(String)
				hi, ok2 := stack[i+1].(String)
				if !ok1 || !ok2 || len(lo) > 4 || len(hi) > 4 {
					continue
				}
				a, b := codeOf([]byte(lo)), codeOf([]byte(hi))
				if b < a || b-a > 0xFFFF {
					continue
				}
				switch dst := stack[i+2].(type) {
				case String:
					base := []byte(dst)
					if len(base) == 0 {
						continue
					}
					for k := uint32(0); k <= b-a && len(cm.unicode) < maxCMapEntries; k++ {
						d := append([]byte(nil), base...)
						// Increment the last byte (ranges do not cross it in valid CMaps).
						d[len(d)-1] += byte(k)
						cm.unicode[a+k] = utf16Text(d)
					}
				case Array:
					for k, e := range dst {
						if s, ok := e.(String); ok && a+uint32(k) <= b {
							cm.unicode[a+uint32(k)] = utf16Text([]byte(s))
						}
					}
				}
			}
		}
		stack = stack[:0]
	}
	return cm
}

// split cuts s into codes using the code space ranges; without ranges, into codes of
// def bytes.
func (cm *cmap) split(s []byte, def int) []uint32 {
	var codes []uint32
	for i := 0; i < len(s); {
		n := 0
		if cm != nil {
			for _, r := range cm.ranges {
				if i+r.n <= len(s) {
					c := codeOf(s[i : i+r.n])
					if c >= r.lo && c <= r.hi && (n == 0 || r.n < n) {
						n = r.n
					}
				}
			}
		}
		if n == 0 {
			n = def
		}
		if i+n > len(s) {
			n = len(s) - i
		}
		codes = append(codes, codeOf(s[i:i+n]))
		i += n
	}
	return codes
}
