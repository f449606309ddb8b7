package pdf

import (
	"bytes"
	"errors"
	"io"
)

// readAt reads up to n bytes at off; a short result means the end of the file.
func (d *Document) readAt(off int64, n int) ([]byte, error) {
	if off < 0 || off >= d.size {
		return nil, nil
	}
	if rem := d.size - off; int64(n) > rem {
		n = int(rem)
	}
	buf := make([]byte, n)
	m, err := d.r.ReadAt(buf, off)
	d.bytesRead.Add(int64(m))
	if m == n {
		return buf, nil
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &MalformedError{Offset: off, Msg: "read error", Err: err}
	}
	return buf[:m], nil
}

// withWindow calls f with a lexer over a window of the file at off, growing the window
// while f reports errShort.
func (d *Document) withWindow(off int64, f func(l *lexer) error) error {
	window := 1024
	for {
		buf, err := d.readAt(off, window)
		if err != nil {
			return err
		}
		l := &lexer{buf: buf, base: off, atEOF: off+int64(len(buf)) >= d.size,
			maxDepth: d.opts.MaxDepth, maxCount: d.opts.MaxObjects}
		err = f(l)
		if err == nil {
			// Strings parsed in the window that succeeded count against the budget.
			return d.st.charge(l.strBytes, off)
		}
		if !errors.Is(err, errShort) {
			return err
		}
		// A window too short was lexed for nothing: its strings count too, so that
		// objects that never end (an unterminated string, each lexed to the end of the
		// file) cannot make reading cost the file's size once per object.
		if err := d.st.charge(l.strBytes, off); err != nil {
			return err
		}
		if window >= maxObjectSize {
			return &LimitError{Limit: "object size", Max: maxObjectSize, Offset: off}
		}
		window *= 4
	}
}

// indirect is an indirect object as found in the file.
type indirect struct {
	ref Ref
	obj Object
	end int64 // offset just after endobj (or after the stream's data)
}

// parseIndirectAt parses "N G obj … endobj" at off. A stream's data is not read: the
// returned *Stream records where it lies.
func (d *Document) parseIndirectAt(off int64, depth int) (indirect, error) {
	var res indirect
	var streamDict Dict
	var dataOff int64 = -1
	err := d.withWindow(off, func(l *lexer) error {
		l.skipWS()
		hdr := l.offset()
		n, err := l.parseObject(0)
		if err != nil {
			return err
		}
		g, err := l.parseObject(0)
		if err != nil {
			return err
		}
		kw, err := l.parseObject(0)
		if err != nil {
			return err
		}
		num, ok1 := n.(Integer)
		gen, ok2 := g.(Integer)
		if !ok1 || !ok2 || kw != keyword("obj") || num < 0 || num > 1<<31-1 || gen < 0 || gen > 1<<31-1 {
			return malformed(hdr, "no \"N G obj\" header")
		}
		res.ref = Ref{int(num), int(gen)}
		l.count = 0
		o, err := l.parseObject(0)
		if err != nil {
			return err
		}
		if _, ok := o.(keyword); ok {
			// "N G obj endobj": an empty object reads as null.
			if o == keyword("endobj") {
				res.obj, res.end = nil, l.offset()
				return nil
			}
			return malformed(hdr, "unexpected %q in object", string(o.(keyword)))
		}
		res.obj = o
		l.skipWS()
		save := l.pos
		tok, err := l.regularToken()
		if err != nil {
			return err
		}
		switch string(tok) {
		case "stream":
			sd, ok := o.(Dict)
			if !ok {
				return malformed(hdr, "stream keyword after a non-dictionary")
			}
			// The keyword is followed by CRLF or LF (some writers use CR alone).
			if l.pos < len(l.buf) && l.buf[l.pos] == '\r' {
				l.pos++
			}
			if l.pos >= len(l.buf) && !l.atEOF {
				return errShort
			}
			if l.pos < len(l.buf) && l.buf[l.pos] == '\n' {
				l.pos++
			}
			streamDict, dataOff = sd, l.offset()
		default:
			// endobj, or a missing endobj (lenient: the object ends here).
			if string(tok) != "endobj" {
				l.pos = save
			}
			res.end = l.offset()
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if dataOff >= 0 {
		s := &Stream{Dict: streamDict, off: dataOff, ref: res.ref, fromFile: true}
		n, end, err := d.streamLength(streamDict, dataOff, depth)
		if err != nil {
			return res, err
		}
		s.n = n
		res.obj, res.end = s, end
	}
	return res, nil
}

// streamLength finds the length of a stream's data at dataOff, trusting /Length when
// "endstream" follows it and otherwise scanning for "endstream".
func (d *Document) streamLength(sd Dict, dataOff int64, depth int) (n, end int64, err error) {
	length := int64(-1)
	switch v := sd.Get("Length").(type) {
	case Integer:
		length = int64(v)
	case Ref:
		if depth < 4 {
			if o, err := d.resolveDepth(v, depth+1); err == nil {
				if i, ok := o.(Integer); ok {
					length = int64(i)
				}
			}
		}
	}
	if length >= 0 && dataOff+length <= d.size {
		tail, err := d.readAt(dataOff+length, 32)
		if err != nil {
			return 0, 0, err
		}
		t := bytes.TrimLeft(tail, " \r\n\t\f\x00")
		if bytes.HasPrefix(t, []byte("endstream")) {
			return length, dataOff + length + int64(len(tail)-len(t)) + 9, nil
		}
	}
	// Scan for endstream, reusing the last search when it covers dataOff (recovery
	// tries many candidate objects in order: this keeps the scan linear).
	d.mu.Lock()
	memo := d.esMemo
	d.mu.Unlock()
	var pos int64
	if memo[0] >= 0 && memo[0] <= dataOff && (memo[1] < 0 || dataOff <= memo[1]) {
		pos = memo[1]
	} else {
		pos, err = d.scanFor(dataOff, []byte("endstream"), -1)
		if err != nil {
			return 0, 0, err
		}
		d.mu.Lock()
		d.esMemo = [2]int64{dataOff, pos}
		d.mu.Unlock()
	}
	if pos < 0 {
		return 0, 0, malformed(dataOff, "stream without endstream")
	}
	n = pos - dataOff
	// Drop the EOL before endstream.
	if n > 0 {
		last, err := d.readAt(pos-2, 2)
		if err != nil {
			return 0, 0, err
		}
		if len(last) == 2 && last[0] == '\r' && last[1] == '\n' && n >= 2 {
			n -= 2
		} else if len(last) == 2 && (last[1] == '\n' || last[1] == '\r') {
			n--
		}
	}
	if length >= 0 {
		d.warn("stream at offset %d: /Length %d is wrong, using %d", dataOff, length, n)
	}
	return n, pos + 9, nil
}

// scanFor returns the offset of the first occurrence of pat at or after off (and
// before limit, when limit >= 0), or -1.
func (d *Document) scanFor(off int64, pat []byte, limit int64) (int64, error) {
	if limit < 0 || limit > d.size {
		limit = d.size
	}
	// Most searches end within a few hundred bytes (the %%EOF after a trailer, the
	// endstream after a stream's /Length): try a small window first.
	if limit-off > 4<<10 {
		buf, err := d.readAt(off, 1<<10)
		if err != nil {
			return -1, err
		}
		if i := bytes.Index(buf, pat); i >= 0 {
			return off + int64(i), nil
		}
		if len(buf) > len(pat) {
			off += int64(len(buf) - len(pat) + 1)
		}
	}
	const chunk = 64 << 10
	for off < limit {
		n := chunk + len(pat)
		buf, err := d.readAt(off, n)
		if err != nil {
			return -1, err
		}
		if len(buf) == 0 {
			return -1, nil
		}
		if i := bytes.Index(buf, pat); i >= 0 {
			if off+int64(i) >= limit {
				return -1, nil
			}
			return off + int64(i), nil
		}
		if len(buf) < n {
			return -1, nil
		}
		off += chunk
	}
	return -1, nil
}

// scanBackFor returns the offset of the last occurrence of pat that starts before end
// and at or after start, or -1.
func (d *Document) scanBackFor(end int64, pat []byte, start int64) (int64, error) {
	const chunk = 64 << 10
	for end > start {
		from := end - chunk
		if from < start {
			from = start
		}
		buf, err := d.readAt(from, int(end-from)+len(pat)-1)
		if err != nil {
			return -1, err
		}
		if i := bytes.LastIndex(buf, pat); i >= 0 && from+int64(i) < end {
			return from + int64(i), nil
		}
		end = from
	}
	return -1, nil
}
