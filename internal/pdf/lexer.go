package pdf

import (
	"errors"
	"math"
	"strconv"
)

// errShort means the parser ran off the end of its buffer before the end of the file:
// the caller reads a larger window and retries.
var errShort = errors.New("pdf: short buffer")

// keyword is a bare token that is not a number, boolean or null (obj, endobj, stream,
// R, xref, trailer, …). It never escapes the package.
type keyword string

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isWhite(c) && !isDelim(c) }

// lexer reads PDF tokens from buf, which holds the file bytes starting at offset base.
// When atEOF is false, running off the end of buf yields errShort.
type lexer struct {
	buf      []byte
	pos      int
	base     int64
	atEOF    bool
	maxDepth int
	maxCount int // maximum number of objects in one parsed value (0 = none)
	count    int
	strBytes int64 // bytes of the strings parsed, for the Document's byte budget
}

func (l *lexer) offset() int64 { return l.base + int64(l.pos) }

func (l *lexer) short() error {
	if l.atEOF {
		return malformed(l.offset(), "unexpected end of file")
	}
	return errShort
}

// skipWS skips white space and comments.
func (l *lexer) skipWS() {
	for l.pos < len(l.buf) {
		c := l.buf[l.pos]
		if isWhite(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.buf) && l.buf[l.pos] != '\n' && l.buf[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

// regularToken returns the run of regular characters at pos.
func (l *lexer) regularToken() ([]byte, error) {
	start := l.pos
	for l.pos < len(l.buf) && isRegular(l.buf[l.pos]) {
		l.pos++
	}
	if l.pos == len(l.buf) && !l.atEOF {
		return nil, errShort
	}
	return l.buf[start:l.pos], nil
}

// parseObject parses one direct object (a Ref counts as one). Bare keywords are
// returned as keyword values.
func (l *lexer) parseObject(depth int) (Object, error) {
	if l.maxDepth > 0 && depth > l.maxDepth {
		return nil, &LimitError{Limit: "MaxDepth", Max: int64(l.maxDepth), Offset: l.offset()}
	}
	l.count++
	if l.maxCount > 0 && l.count > l.maxCount {
		return nil, &LimitError{Limit: "MaxObjects", Max: int64(l.maxCount), Offset: l.offset()}
	}
	l.skipWS()
	if l.pos >= len(l.buf) {
		return nil, l.short()
	}
	c := l.buf[l.pos]
	switch {
	case c == '/':
		l.pos++
		return l.parseName()
	case c == '(':
		l.pos++
		return l.parseLiteral()
	case c == '<':
		if l.pos+1 >= len(l.buf) {
			return nil, l.short()
		}
		if l.buf[l.pos+1] == '<' {
			l.pos += 2
			return l.parseDict(depth)
		}
		l.pos++
		return l.parseHex()
	case c == '[':
		l.pos++
		return l.parseArray(depth)
	case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
		l.pos++
		return keyword(c), nil
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return l.parseNumberOrRef()
	}
	start := l.offset()
	tok, err := l.regularToken()
	if err != nil {
		return nil, err
	}
	switch string(tok) {
	case "true":
		return Bool(true), nil
	case "false":
		return Bool(false), nil
	case "null":
		return nil, nil
	}
	if len(tok) == 0 {
		return nil, malformed(start, "unexpected byte %q", c)
	}
	return keyword(tok), nil
}

func (l *lexer) parseName() (Object, error) {
	start := l.pos
	for l.pos < len(l.buf) && isRegular(l.buf[l.pos]) {
		l.pos++
	}
	if l.pos == len(l.buf) && !l.atEOF {
		return nil, errShort
	}
	raw := l.buf[start:l.pos]
	hasHash := false
	for _, c := range raw {
		if c == '#' {
			hasHash = true
			break
		}
	}
	if !hasHash {
		return Name(raw), nil
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) {
			if h, ok := unhex2(raw[i+1], raw[i+2]); ok {
				out = append(out, h)
				i += 2
				continue
			}
		}
		out = append(out, raw[i])
	}
	return Name(out), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unhex2(a, b byte) (byte, bool) {
	x, ok1 := unhex(a)
	y, ok2 := unhex(b)
	return x<<4 | y, ok1 && ok2
}

func (l *lexer) parseLiteral() (Object, error) {
	var out []byte
	nest := 1
	for {
		if l.pos >= len(l.buf) {
			l.strBytes += int64(len(out)) // a partial string counts too
			return nil, l.short()
		}
		c := l.buf[l.pos]
		l.pos++
		switch c {
		case '(':
			nest++
		case ')':
			nest--
			if nest == 0 {
				l.strBytes += int64(len(out))
				return String(out), nil
			}
		case '\r':
			// An end-of-line inside a literal string reads as LF.
			if l.pos < len(l.buf) && l.buf[l.pos] == '\n' {
				l.pos++
			}
			c = '\n'
		case '\\':
			if l.pos >= len(l.buf) {
				l.strBytes += int64(len(out)) // a partial string counts too
				return nil, l.short()
			}
			e := l.buf[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.buf) && l.buf[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.buf) && l.buf[l.pos] >= '0' && l.buf[l.pos] <= '7'; k++ {
						v = v*8 + int(l.buf[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e // \( \) \\ and unknown escapes: the byte itself
				}
			}
		}
		out = append(out, c)
	}
}

func (l *lexer) parseHex() (Object, error) {
	var out []byte
	var hi byte
	half := false
	for {
		if l.pos >= len(l.buf) {
			l.strBytes += int64(len(out)) // a partial string counts too
			return nil, l.short()
		}
		c := l.buf[l.pos]
		l.pos++
		if c == '>' {
			if half {
				out = append(out, hi<<4)
			}
			l.strBytes += int64(len(out))
			return String(out), nil
		}
		if isWhite(c) {
			continue
		}
		v, ok := unhex(c)
		if !ok {
			return nil, malformed(l.offset()-1, "invalid byte %q in hex string", c)
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
}

func (l *lexer) parseArray(depth int) (Object, error) {
	arr := Array{}
	for {
		l.skipWS()
		if l.pos >= len(l.buf) {
			return nil, l.short()
		}
		if l.buf[l.pos] == ']' {
			l.pos++
			return arr, nil
		}
		start := l.offset()
		o, err := l.parseObject(depth + 1)
		if err != nil {
			return nil, err
		}
		if k, ok := o.(keyword); ok {
			return nil, malformed(start, "unexpected %q in array", string(k))
		}
		arr = append(arr, o)
	}
}

func (l *lexer) parseDict(depth int) (Object, error) {
	d := Dict{}
	for {
		l.skipWS()
		if l.pos >= len(l.buf) {
			return nil, l.short()
		}
		if l.buf[l.pos] == '>' {
			if l.pos+1 >= len(l.buf) {
				return nil, l.short()
			}
			if l.buf[l.pos+1] == '>' {
				l.pos += 2
				return d, nil
			}
			return nil, malformed(l.offset(), "unexpected '>' in dictionary")
		}
		start := l.offset()
		if l.buf[l.pos] != '/' {
			// Be lenient with a stray token where a key is expected: skip it.
			o, err := l.parseObject(depth + 1)
			if err != nil {
				return nil, err
			}
			if k, ok := o.(keyword); ok && (k == "endobj" || k == "stream" || k == "obj") {
				return nil, malformed(start, "unterminated dictionary")
			}
			continue
		}
		l.pos++
		k, err := l.parseName()
		if err != nil {
			return nil, err
		}
		l.skipWS()
		if l.pos >= len(l.buf) {
			return nil, l.short()
		}
		if l.buf[l.pos] == '>' {
			continue // key without a value (seen in the wild): ignore it
		}
		vstart := l.offset()
		v, err := l.parseObject(depth + 1)
		if err != nil {
			return nil, err
		}
		if kw, ok := v.(keyword); ok {
			return nil, malformed(vstart, "unexpected %q as value of /%s", string(kw), k.(Name))
		}
		if v == nil {
			continue // a null value is the same as an absent key
		}
		d[k.(Name)] = v
	}
}

// parseNumberOrRef parses a number; an unsigned integer followed by another unsigned
// integer and the keyword R is a Ref.
func (l *lexer) parseNumberOrRef() (Object, error) {
	start := l.pos
	n, isInt, err := l.parseNumber()
	if err != nil {
		return nil, err
	}
	if !isInt || l.buf[start] == '+' || l.buf[start] == '-' {
		return n, nil
	}
	// Look ahead for "G R".
	save := l.pos
	l.skipWS()
	if l.pos >= len(l.buf) {
		if !l.atEOF {
			return nil, errShort
		}
		l.pos = save
		return n, nil
	}
	if c := l.buf[l.pos]; c < '0' || c > '9' {
		l.pos = save
		return n, nil
	}
	g, gInt, err := l.parseNumber()
	if err != nil {
		return nil, err
	}
	if !gInt {
		l.pos = save
		return n, nil
	}
	l.skipWS()
	if l.pos >= len(l.buf) {
		if !l.atEOF {
			return nil, errShort
		}
		l.pos = save
		return n, nil
	}
	if l.buf[l.pos] == 'R' && (l.pos+1 >= len(l.buf) || !isRegular(l.buf[l.pos+1])) {
		if l.pos+1 >= len(l.buf) && !l.atEOF {
			return nil, errShort
		}
		l.pos++
		num, gen := int64(n.(Integer)), int64(g.(Integer))
		if num < 0 || num > math.MaxInt32 || gen < 0 || gen > math.MaxInt32 {
			return nil, malformed(l.base+int64(start), "object number out of range")
		}
		return Ref{int(num), int(gen)}, nil
	}
	l.pos = save
	return n, nil
}

// parseNumber parses an integer or real at pos.
func (l *lexer) parseNumber() (Object, bool, error) {
	start := l.pos
	tok, err := l.regularToken()
	if err != nil {
		return nil, false, err
	}
	// The common forms first, without allocating: [+-]digits and [+-]digits.digits.
	if v, isInt, ok := simpleNumber(tok); ok {
		if isInt {
			return Integer(int64(v)), true, nil
		}
		return Real(v), false, nil
	}
	s := string(tok)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return Integer(i), true, nil
	}
	// Reals, and the malformed numbers producers write ("--5", "5.2.1", "1e5").
	clean := make([]byte, 0, len(s))
	neg := false
	dot := false
	for i, c := range tok {
		switch {
		case c == '-' && len(clean) == 0:
			neg = !neg
		case c == '+' && len(clean) == 0:
		case c == '.' && !dot:
			dot = true
			clean = append(clean, c)
		case c >= '0' && c <= '9':
			clean = append(clean, c)
		default:
			if i == 0 {
				return nil, false, malformed(l.base+int64(start), "invalid number %q", s)
			}
			// Stop at the first stray byte.
			goto done
		}
	}
done:
	if len(clean) == 0 || (len(clean) == 1 && clean[0] == '.') {
		return Integer(0), true, nil
	}
	f, err := strconv.ParseFloat(string(clean), 64)
	if err != nil {
		return nil, false, malformed(l.base+int64(start), "invalid number %q", s)
	}
	if neg {
		f = -f
	}
	if !dot {
		// Digits only (after dropping stray signs and bytes): an integer whenever it
		// fits, exactly as the same digits would read without the stray bytes.
		if i, err := strconv.ParseInt(string(clean), 10, 64); err == nil {
			if neg {
				i = -i
			}
			return Integer(i), true, nil
		}
	}
	return Real(f), false, nil
}

// simpleNumber parses a number written [+-]digits or [+-]digits.digits (at least one
// digit, at most 15, so that integers are exact and reals are ParseFloat's).
func simpleNumber(tok []byte) (v float64, isInt, ok bool) {
	i := 0
	if len(tok) > 0 && (tok[0] == '+' || tok[0] == '-') {
		i = 1
	}
	digits, dot := 0, -1
	var n int64
	for j := i; j < len(tok); j++ {
		c := tok[j]
		switch {
		case c >= '0' && c <= '9':
			digits++
			n = n*10 + int64(c-'0')
		case c == '.' && dot < 0:
			dot = j
		default:
			return 0, false, false
		}
	}
	if digits == 0 || digits > 15 {
		return 0, false, false
	}
	neg := i == 1 && tok[0] == '-'
	if dot < 0 {
		if neg {
			n = -n
		}
		return float64(n), true, true
	}
	f, err := strconv.ParseFloat(string(tok), 64)
	if err != nil {
		return 0, false, false
	}
	return f, false, true
}

// ParseObject parses one direct object from b (for tests and tools). Bare keywords
// are an error.
func ParseObject(b []byte) (Object, error) {
	l := &lexer{buf: b, atEOF: true, maxDepth: defaultMaxDepth}
	o, err := l.parseObject(0)
	if err != nil {
		return nil, err
	}
	if k, ok := o.(keyword); ok {
		return nil, malformed(0, "unexpected keyword %q", string(k))
	}
	return o, nil
}
