package pdf

import "bytes"

// Op is one operation of a content stream: an operator and its operands.
type Op struct {
	Operator string   // e.g. "Tj", "cm", "BI" (an inline image)
	Operands []Object // for "BI": the image dictionary and its data as a String
	Offset   int      // offset of the first operand (or the operator) in the stream data
}

// maxOperands bounds the operands of one operator (the most any operator takes is a
// handful; sh and scn take a few more).
const maxOperands = 64

// ParseContent splits decoded content stream data into operations. Inline images (BI …
// ID … EI) become one "BI" operation whose operands are the image dictionary (keys as
// written, abbreviations kept) and the image data. At most maxOps operations are read
// (0 means Options' default object limit): more is an ErrLimit error. Stray tokens are
// skipped, as viewers do; unterminated strings, arrays and dictionaries are
// ErrMalformed errors.
func ParseContent(data []byte, maxOps int) ([]Op, error) {
	var ops []Op
	var arena []Object // the operands of every operation, one backing array
	err := scanContent(data, maxOps, func(op Op) error {
		if len(op.Operands) == 0 {
			op.Operands = nil
		} else {
			n := len(arena)
			arena = append(arena, op.Operands...)
			op.Operands = arena[n:len(arena):len(arena)]
		}
		ops = append(ops, op)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ops, nil
}

// scanContent reads data's operations in order and calls fn with each, as
// ParseContent describes, without holding them: op.Operands is only valid during the
// call (its backing array is reused for the next operation), so that running a
// content stream holds one operation's operands, not the whole stream's. An error
// from fn stops the scan and is returned.
func scanContent(data []byte, maxOps int, fn func(Op) error) error {
	if maxOps <= 0 {
		maxOps = defaultMaxObjects
	}
	l := &lexer{buf: data, atEOF: true, maxDepth: defaultMaxDepth}
	operands := make([]Object, 0, 8)
	nops := 0
	start := -1
	for {
		l.skipWS()
		if l.pos >= len(l.buf) {
			return nil
		}
		if start < 0 {
			start = l.pos
		}
		l.count = 0
		o, err := l.parseContentObject()
		if err != nil {
			return err
		}
		kw, isKW := o.(keyword)
		if !isKW {
			if len(operands) < maxOperands {
				operands = append(operands, o)
			}
			continue
		}
		switch kw {
		case "]", ">", ")", "{", "}":
			continue // stray delimiter
		case "BI":
			img, err := l.inlineImage()
			if err != nil {
				return err
			}
			operands = append(operands[:0], img...)
		}
		if nops >= maxOps {
			return &LimitError{Limit: "MaxObjects", Max: int64(maxOps), Offset: int64(start)}
		}
		nops++
		if err := fn(Op{Operator: string(kw), Operands: operands, Offset: start}); err != nil {
			return err
		}
		clear(operands)
		operands, start = operands[:0], -1
	}
}

// contentOperators are the operators of content streams (ISO 32000-1 Annex A), boxed
// once: a content stream is mostly operators, and boxing each one anew would allocate
// per operation.
var contentOperators = func() map[string]Object {
	m := map[string]Object{}
	for _, k := range []string{"b", "B", "b*", "B*", "BDC", "BI", "BMC", "BT", "BX", "c", "cm", "CS", "cs",
		"d", "d0", "d1", "Do", "DP", "EI", "EMC", "ET", "EX", "f", "F", "f*", "G", "g", "gs", "h", "i",
		"ID", "j", "J", "K", "k", "l", "m", "M", "MP", "n", "q", "Q", "re", "RG", "rg", "ri", "s", "S",
		"SC", "sc", "SCN", "scn", "sh", "T*", "Tc", "Td", "TD", "Tf", "Tj", "TJ", "TL", "Tm", "Tr", "Ts",
		"Tw", "Tz", "v", "w", "W", "W*", "y", "'", "\""} {
		m[k] = keyword(k)
	}
	return m
}()

// parseContentObject is parseObject for content streams: operators come from
// contentOperators instead of being allocated.
func (l *lexer) parseContentObject() (Object, error) {
	if l.pos < len(l.buf) {
		if c := l.buf[l.pos]; isRegular(c) && c != '+' && c != '-' && c != '.' && (c < '0' || c > '9') {
			end := l.pos
			for end < len(l.buf) && isRegular(l.buf[end]) {
				end++
			}
			if kw, ok := contentOperators[string(l.buf[l.pos:end])]; ok {
				l.count++
				l.pos = end
				return kw, nil
			}
		}
	}
	return l.parseObject(0)
}

// inlineImage reads an inline image after BI: key/value pairs up to ID, one white-space
// byte, then the data up to an EI surrounded by white space (or the end).
func (l *lexer) inlineImage() ([]Object, error) {
	dict := Dict{}
	for {
		l.skipWS()
		if l.pos >= len(l.buf) {
			return nil, malformed(l.offset(), "inline image without ID")
		}
		o, err := l.parseObject(1)
		if err != nil {
			return nil, err
		}
		if kw, ok := o.(keyword); ok {
			if kw == "ID" {
				break
			}
			return nil, malformed(l.offset(), "unexpected %q in inline image dictionary", string(kw))
		}
		k, ok := o.(Name)
		if !ok {
			return nil, malformed(l.offset(), "inline image dictionary key is not a name")
		}
		v, err := l.parseObject(1)
		if err != nil {
			return nil, err
		}
		if _, ok := v.(keyword); ok {
			return nil, malformed(l.offset(), "inline image /%s has no value", k)
		}
		dict[k] = v
	}
	if l.pos < len(l.buf) && isWhite(l.buf[l.pos]) {
		l.pos++
	}
	dataStart := l.pos
	end := len(l.buf)
	for i := dataStart; i+2 <= len(l.buf); {
		j := bytes.Index(l.buf[i:], []byte("EI"))
		if j < 0 {
			break
		}
		p := i + j
		before := p == dataStart || isWhite(l.buf[p-1])
		after := p+2 == len(l.buf) || isWhite(l.buf[p+2]) || isDelim(l.buf[p+2])
		if before && after {
			end = p
			break
		}
		i = p + 1
	}
	data := l.buf[dataStart:end]
	if end > dataStart && isWhite(l.buf[end-1]) {
		data = l.buf[dataStart : end-1]
	}
	l.pos = min(end+2, len(l.buf))
	return []Object{dict, String(data)}, nil
}

// PageContent returns the decoded content of a page: its /Contents stream, or the
// concatenation of its /Contents array's streams (separated by a newline).
func (d *Document) PageContent(p Page) ([]byte, error) {
	c, err := d.Resolve(p.Dict.Get("Contents"))
	if err != nil {
		return nil, err
	}
	var out []byte
	add := func(o Object) error {
		s, ok := o.(*Stream)
		if !ok {
			return nil
		}
		data, err := d.StreamData(s)
		if err != nil {
			return err
		}
		if int64(len(out)+len(data)) > d.opts.MaxStreamSize {
			return &LimitError{Limit: "MaxStreamSize", Max: d.opts.MaxStreamSize, Offset: -1}
		}
		out = append(out, data...)
		out = append(out, '\n')
		return nil
	}
	switch v := c.(type) {
	case *Stream:
		if err := add(v); err != nil {
			return nil, err
		}
	case Array:
		for _, e := range v {
			o, err := d.Resolve(e)
			if err != nil {
				return nil, err
			}
			if err := add(o); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
