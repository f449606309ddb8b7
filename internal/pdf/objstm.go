package pdf

import "fmt"

// objStm is a parsed object stream: its decoded data and the offsets of its objects.
type objStm struct {
	data  []byte
	first int
	nums  []int
	offs  []int
}

const maxObjStmCache = 16

// loadObjStm reads and indexes object stream num.
func (d *Document) loadObjStm(num int, depth int) (*objStm, error) {
	ce, _ := d.entry(num)
	key := objKey{ref: Ref{num, 0}, e: ce}
	d.st.mu.Lock()
	os, ok := d.st.objstms[key]
	d.st.mu.Unlock()
	if ok {
		return os, nil
	}
	if depth > 4 {
		return nil, &MalformedError{Offset: -1, Ref: Ref{num, 0}, Msg: "object streams nested too deeply"}
	}
	o, err := d.get(Ref{num, 0}, depth+1)
	if err != nil {
		return nil, err
	}
	s, ok := o.(*Stream)
	if !ok {
		return nil, &MalformedError{Offset: -1, Ref: Ref{num, 0}, Msg: "object stream is not a stream"}
	}
	n, ok1 := s.Dict.Get("N").(Integer)
	first, ok2 := s.Dict.Get("First").(Integer)
	if !ok1 || !ok2 || n < 0 || first < 0 || int64(n) > int64(d.opts.MaxObjects) {
		return nil, &MalformedError{Offset: -1, Ref: Ref{num, 0}, Msg: "object stream without valid /N and /First"}
	}
	data, err := d.StreamData(s)
	if err != nil {
		return nil, err
	}
	if int(first) > len(data) {
		return nil, &MalformedError{Offset: -1, Ref: Ref{num, 0}, Msg: "object stream /First beyond its data"}
	}
	os = &objStm{data: data, first: int(first)}
	l := &lexer{buf: data[:first], atEOF: true, maxDepth: 1}
	for i := 0; i < int(n); i++ {
		a, err1 := l.parseObject(0)
		b, err2 := l.parseObject(0)
		an, ok1 := a.(Integer)
		bn, ok2 := b.(Integer)
		if err1 != nil || err2 != nil || !ok1 || !ok2 || an < 0 || bn < 0 || int(bn)+int(first) > len(data) {
			if i == 0 {
				return nil, &MalformedError{Offset: -1, Ref: Ref{num, 0}, Msg: "object stream header is malformed"}
			}
			d.warn("object stream %d: header lists %d objects, found %d", num, n, i)
			break
		}
		os.nums = append(os.nums, int(an))
		os.offs = append(os.offs, int(bn))
	}
	d.st.mu.Lock()
	if len(d.st.objstms) >= maxObjStmCache {
		for k := range d.st.objstms {
			delete(d.st.objstms, k)
			break
		}
	}
	d.st.objstms[key] = os
	d.st.mu.Unlock()
	return os, nil
}

// fromObjStm parses object r, the index-th object of object stream num.
func (d *Document) fromObjStm(num, index int, r Ref, depth int) (Object, error) {
	os, err := d.loadObjStm(num, depth)
	if err != nil {
		return nil, err
	}
	i := index
	if i < 0 || i >= len(os.nums) || os.nums[i] != r.Num {
		// The index is wrong: look the object up by number.
		i = -1
		for k, n := range os.nums {
			if n == r.Num {
				i = k
				break
			}
		}
		if i < 0 {
			return nil, &MalformedError{Offset: -1, Ref: r, Msg: fmt.Sprintf("not in object stream %d", num)}
		}
	}
	start := os.first + os.offs[i]
	l := &lexer{buf: os.data[start:], base: 0, atEOF: true, maxDepth: d.opts.MaxDepth, maxCount: d.opts.MaxObjects}
	o, err := l.parseObject(0)
	if err != nil {
		return nil, streamErr(r, err)
	}
	if err := d.st.charge(l.strBytes, -1); err != nil {
		return nil, err
	}
	if _, ok := o.(keyword); ok {
		return nil, &MalformedError{Offset: -1, Ref: r, Msg: "object in object stream is a bare keyword"}
	}
	return o, nil
}
