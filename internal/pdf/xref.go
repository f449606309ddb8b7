package pdf

import (
	"bytes"
	"strconv"
)

// xrefEntry is one cross-reference entry.
type xrefEntry struct {
	typ uint8 // 0 free, 1 in use at off, 2 compressed in object stream off at index gen
	off int64
	gen int
}

// xrefSection is one cross-reference section (a table with its trailer, a hybrid
// table with its XRefStm, or an xref stream).
type xrefSection struct {
	offset  int64
	style   XRefStyle
	trailer Dict
	entries map[int]xrefEntry
	end     int64 // offset just after the trailer dictionary or the xref stream object
}

// readSection reads the cross-reference section at off.
func (d *Document) readSection(off int64) (*xrefSection, error) {
	head, err := d.readAt(off, 64)
	if err != nil {
		return nil, err
	}
	t := bytes.TrimLeft(head, " \t\r\n\f\x00")
	if bytes.HasPrefix(t, []byte("xref")) {
		sec, err := d.readTable(off + int64(len(head)-len(t)) + 4)
		if err != nil {
			return nil, err
		}
		sec.offset = off
		if so, ok := sec.trailer.Get("XRefStm").(Integer); ok {
			stm, err := d.readXRefStream(int64(so))
			if err != nil {
				d.warn("hybrid file: cannot read /XRefStm at offset %d: %v", so, err)
			} else {
				for n, e := range stm.entries {
					if te, ok := sec.entries[n]; !ok || te.typ == 0 {
						sec.entries[n] = e
					}
				}
				// The trailer: the table's, plus what only the stream's dictionary says.
				merged := sec.trailer.Clone()
				for k, v := range stm.trailer {
					switch k {
					case "Type", "W", "Index", "Filter", "DecodeParms", "Length", "Prev", "Size", "XRefStm":
						continue
					}
					if _, ok := merged[k]; !ok {
						merged[k] = v
					}
				}
				sec.trailer = merged
				sec.style = XRefHybrid
			}
		}
		return sec, nil
	}
	return d.readXRefStream(off)
}

// readXRefStream reads a cross-reference stream object at off.
func (d *Document) readXRefStream(off int64) (*xrefSection, error) {
	ind, err := d.parseIndirectAt(off, 0)
	if err != nil {
		return nil, err
	}
	s, ok := ind.obj.(*Stream)
	if !ok {
		return nil, malformed(off, "cross-reference section is neither a table nor a stream")
	}
	if tp, _ := s.Dict.Get("Type").(Name); tp != "XRef" {
		return nil, malformed(off, "cross-reference stream without /Type /XRef")
	}
	size, ok := s.Dict.Get("Size").(Integer)
	if !ok || size < 0 {
		return nil, malformed(off, "cross-reference stream without /Size")
	}
	if int64(size) > int64(d.opts.MaxObjects)+1 {
		return nil, &LimitError{Limit: "MaxObjects", Max: int64(d.opts.MaxObjects), Offset: off}
	}
	wa, ok := s.Dict.Get("W").(Array)
	if !ok || len(wa) < 3 {
		return nil, malformed(off, "cross-reference stream without a valid /W")
	}
	var w [3]int
	for i := 0; i < 3; i++ {
		v, ok := wa[i].(Integer)
		if !ok || v < 0 || v > 8 {
			return nil, malformed(off, "cross-reference stream with an invalid /W")
		}
		w[i] = int(v)
	}
	rowLen := w[0] + w[1] + w[2]
	if rowLen == 0 {
		return nil, malformed(off, "cross-reference stream with /W [0 0 0]")
	}
	index := []int64{0, int64(size)}
	if ia, ok := s.Dict.Get("Index").(Array); ok {
		index = index[:0]
		for _, v := range ia {
			i, ok := v.(Integer)
			if !ok || i < 0 {
				return nil, malformed(off, "cross-reference stream with an invalid /Index")
			}
			index = append(index, int64(i))
		}
		if len(index)%2 != 0 {
			return nil, malformed(off, "cross-reference stream with an odd /Index")
		}
	}
	data, err := d.decodedData(s, false)
	if err != nil {
		return nil, err
	}
	sec := &xrefSection{offset: off, style: XRefStream, trailer: s.Dict, entries: map[int]xrefEntry{}, end: ind.end}
	p := 0
	field := func(width int, def int64) int64 {
		if width == 0 {
			return def
		}
		var v int64
		for k := 0; k < width; k++ {
			v = v<<8 | int64(data[p])
			p++
		}
		return v
	}
	for i := 0; i+1 < len(index); i += 2 {
		start, count := index[i], index[i+1]
		if start+count > int64(d.opts.MaxObjects)+1 {
			return nil, &LimitError{Limit: "MaxObjects", Max: int64(d.opts.MaxObjects), Offset: off}
		}
		for n := start; n < start+count; n++ {
			if p+rowLen > len(data) {
				d.warn("cross-reference stream at offset %d is shorter than its /Index says", off)
				return sec, nil
			}
			typ := field(w[0], 1)
			f2 := field(w[1], 0)
			f3 := field(w[2], 0)
			if _, dup := sec.entries[int(n)]; dup {
				continue
			}
			switch typ {
			case 0:
				sec.entries[int(n)] = xrefEntry{typ: 0}
			case 1:
				if f2 <= 0 || f2 >= d.size || f3 > 65535 {
					sec.entries[int(n)] = xrefEntry{typ: 0}
					continue
				}
				sec.entries[int(n)] = xrefEntry{typ: 1, off: f2, gen: int(f3)}
			case 2:
				if f2 <= 0 || f2 > int64(d.opts.MaxObjects) || f3 > int64(d.opts.MaxObjects) {
					continue
				}
				sec.entries[int(n)] = xrefEntry{typ: 2, off: f2, gen: int(f3)}
			}
		}
	}
	return sec, nil
}

// tokenScanner reads white-space separated tokens from the file through a window.
type tokenScanner struct {
	d    *Document
	buf  []byte
	base int64 // file offset of buf[0]
	pos  int
}

func (s *tokenScanner) fill() error {
	off := s.base + int64(s.pos)
	b, err := s.d.readAt(off, 64<<10)
	if err != nil {
		return err
	}
	s.buf, s.base, s.pos = b, off, 0
	return nil
}

// ensure refills the window when fewer than 128 bytes are left before its end.
func (s *tokenScanner) ensure() error {
	if len(s.buf)-s.pos < 128 && s.base+int64(len(s.buf)) < s.d.size {
		return s.fill()
	}
	return nil
}

// next returns the next token and its offset; an empty token means end of file.
// Tokens longer than 64 bytes are cut (they are malformed anyway).
func (s *tokenScanner) next() ([]byte, int64, error) {
	for {
		if err := s.ensure(); err != nil {
			return nil, 0, err
		}
		for s.pos < len(s.buf) && isWhite(s.buf[s.pos]) {
			s.pos++
		}
		if s.pos >= len(s.buf) {
			if s.base+int64(s.pos) >= s.d.size {
				return nil, s.d.size, nil
			}
			continue
		}
		if s.buf[s.pos] == '%' {
			for s.pos < len(s.buf) && s.buf[s.pos] != '\n' && s.buf[s.pos] != '\r' {
				s.pos++
			}
			continue
		}
		if err := s.ensure(); err != nil {
			return nil, 0, err
		}
		break
	}
	start := s.pos
	if isDelim(s.buf[s.pos]) {
		s.pos++
		return s.buf[start:s.pos], s.base + int64(start), nil
	}
	for s.pos < len(s.buf) && isRegular(s.buf[s.pos]) && s.pos-start < 64 {
		s.pos++
	}
	return s.buf[start:s.pos], s.base + int64(start), nil
}

func atoi(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	return v, err == nil && v >= 0
}

// readTable reads a classic cross-reference table whose subsections start at off (just
// after the "xref" keyword), and its trailer.
func (d *Document) readTable(off int64) (*xrefSection, error) {
	sec := &xrefSection{style: XRefTable, entries: map[int]xrefEntry{}}
	sc := &tokenScanner{d: d, base: off}
	if err := sc.fill(); err != nil {
		return nil, err
	}
	for {
		tok, tokOff, err := sc.next()
		if err != nil {
			return nil, err
		}
		if string(tok) == "trailer" {
			var tr Object
			err := d.withWindow(tokOff+7, func(l *lexer) error {
				o, err := l.parseObject(0)
				if err != nil {
					return err
				}
				tr = o
				sec.end = l.offset()
				return nil
			})
			if err != nil {
				return nil, err
			}
			td, ok := tr.(Dict)
			if !ok {
				return nil, malformed(tokOff, "trailer is not a dictionary")
			}
			sec.trailer = td
			return sec, nil
		}
		start, ok := atoi(tok)
		if !ok {
			return nil, malformed(tokOff, "bad cross-reference subsection header %q", tok)
		}
		tok, tokOff, err = sc.next()
		if err != nil {
			return nil, err
		}
		count, ok := atoi(tok)
		if !ok {
			return nil, malformed(tokOff, "bad cross-reference subsection header")
		}
		if start+count > int64(d.opts.MaxObjects)+1 {
			return nil, &LimitError{Limit: "MaxObjects", Max: int64(d.opts.MaxObjects), Offset: tokOff}
		}
		for i := int64(0); i < count; i++ {
			t1, o1, err := sc.next()
			if err != nil {
				return nil, err
			}
			if string(t1) == "trailer" {
				// Fewer entries than announced: step back and read the trailer.
				sc.pos = int(o1 - sc.base)
				d.warn("cross-reference subsection at offset %d has %d entries, not %d", off, i, count)
				break
			}
			t2, _, err := sc.next()
			if err != nil {
				return nil, err
			}
			t3, _, err := sc.next()
			if err != nil {
				return nil, err
			}
			eo, ok1 := atoi(t1)
			eg, ok2 := atoi(t2)
			if !ok1 || !ok2 || len(t3) != 1 || (t3[0] != 'n' && t3[0] != 'f') {
				return nil, malformed(o1, "bad cross-reference entry")
			}
			// A common writer bug: a table starting "1 N" whose first entry is the
			// head of the free list, which belongs to object 0.
			if i == 0 && start == 1 && t3[0] == 'f' && eg == 65535 && eo == 0 {
				start = 0
			}
			n := int(start + i)
			if _, dup := sec.entries[n]; dup {
				continue
			}
			if t3[0] == 'n' && eo > 0 && eo < d.size {
				sec.entries[n] = xrefEntry{typ: 1, off: eo, gen: int(eg)}
			} else {
				sec.entries[n] = xrefEntry{typ: 0, gen: int(eg)}
			}
		}
	}
}
