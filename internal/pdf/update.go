package pdf

import (
	"crypto/md5"
	"fmt"
	"sort"
	"strconv"
)

// Update is an incremental update of a Document: new and replaced objects appended
// after the original bytes, with a cross-reference section in the style of the file's
// last one. The original is never modified. An Update is not safe for concurrent use.
type Update struct {
	d       *Document
	next    int
	objs    map[int]updObj
	offsets map[Ref]int64
	info    *Ref
}

type updObj struct {
	ref Ref
	obj Object
}

// NewUpdate starts an incremental update of d. New object numbers start at the
// trailer's /Size (or after the highest object number, when that is larger).
func (d *Document) NewUpdate() *Update {
	next := 1
	if s, ok := d.trailer.Get("Size").(Integer); ok && s > 0 && int64(s) <= int64(d.opts.MaxObjects)+1 {
		next = int(s)
	}
	if h := d.HighestObject() + 1; h > next {
		next = h
	}
	return &Update{d: d, next: next, objs: map[int]updObj{}}
}

// Add stores o as a new object and returns its reference. To refer to an object before
// its content is known, Add nil and Set the reference later.
func (u *Update) Add(o Object) Ref {
	r := Ref{u.next, 0}
	u.next++
	u.objs[r.Num] = updObj{r, o}
	return r
}

// Set replaces object r (an existing object, or one returned by Add) with o.
func (u *Update) Set(r Ref, o Object) {
	u.objs[r.Num] = updObj{r, o}
	if r.Num >= u.next {
		u.next = r.Num + 1
	}
}

// SetInfo makes the new trailer's /Info point at r (by default the document's /Info is
// carried over).
func (u *Update) SetInfo(r Ref) { u.info = &r }

// Objects returns the references of the objects added or set so far, sorted.
func (u *Update) Objects() []Ref {
	refs := make([]Ref, 0, len(u.objs))
	for _, o := range u.objs {
		refs = append(refs, o.ref)
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Num < refs[j].Num })
	return refs
}

// ObjectOffset returns where object r starts ("N G obj") in the complete output file,
// as laid out by the last call of Bytes.
func (u *Update) ObjectOffset(r Ref) (int64, bool) {
	off, ok := u.offsets[r]
	return off, ok
}

// Bytes returns the update: the bytes to append to the original file, which end at
// offset Size(). The section starts with an end-of-line when the original does not end
// with one, and ends with "startxref\nN\n%%EOF\n". Strings and streams of the objects
// are encrypted with the document's key when it is encrypted (Raw values and a
// signature dictionary's /Contents never are). The output is deterministic: the same
// update of the same document gives the same bytes.
//
// The cross-reference section is a table when the file's last section is a table or a
// hybrid table, and an xref stream when it is a stream. When the document was
// recovered by scanning, the section lists every object of the document (without
// /Prev), so the result has a correct cross-reference.
func (u *Update) Bytes() ([]byte, error) {
	d := u.d
	var buf []byte
	last, err := d.readAt(d.size-1, 1)
	if err != nil {
		return nil, err
	}
	if len(last) == 1 && last[0] != '\n' && last[0] != '\r' {
		buf = append(buf, '\n')
	}
	base := d.size
	u.offsets = map[Ref]int64{}
	entries := map[int]xrefEntry{}
	for _, r := range u.Objects() {
		o := u.objs[r.Num].obj
		if s, ok := o.(*Stream); ok && s != nil && s.fromFile && s.Data == nil {
			raw, err := d.RawStreamData(s)
			if err != nil {
				return nil, fmt.Errorf("pdf: update: copying stream of object %d: %w", r.Num, err)
			}
			o = &Stream{Dict: s.Dict, Data: raw}
		}
		if d.sec != nil {
			if o, err = d.encryptObject(o, r); err != nil {
				return nil, fmt.Errorf("pdf: update: encrypting object %d: %w", r.Num, err)
			}
		}
		off := base + int64(len(buf))
		u.offsets[r] = off
		entries[r.Num] = xrefEntry{typ: 1, off: off, gen: r.Gen}
		buf = strconv.AppendInt(buf, int64(r.Num), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(r.Gen), 10)
		buf = append(buf, " obj\n"...)
		buf = AppendObject(buf, o)
		buf = append(buf, "\nendobj\n"...)
	}

	style := XRefTable
	if len(d.revs) > 0 {
		style = d.revs[len(d.revs)-1].Style
	}
	full := d.recovered
	if full {
		style = XRefTable
		for n, e := range d.xref {
			if _, ok := entries[n]; ok || e.typ == 0 {
				continue
			}
			entries[n] = e
			if e.typ == 2 {
				style = XRefStream
			}
		}
		entries[0] = xrefEntry{typ: 0, gen: 65535}
	}
	if style == XRefHybrid {
		style = XRefTable
	}

	trailer := Dict{}
	for _, k := range []Name{"Root", "Info", "Encrypt"} {
		if v := d.trailer.Get(k); v != nil {
			trailer[k] = v
		}
	}
	if u.info != nil {
		trailer["Info"] = *u.info
	}
	if !full && len(d.revs) > 0 {
		trailer["Prev"] = Integer(d.revs[len(d.revs)-1].XRefOffset)
	}
	// /ID: the first element kept, the second derived from this update's content.
	sum := md5.Sum(buf)
	id0 := HexString(sum[:])
	if id, ok := d.trailer.Get("ID").(Array); ok && len(id) == 2 {
		if b, ok := Bytes(id[0]); ok {
			id0 = HexString(b)
		}
	}
	trailer["ID"] = Array{id0, HexString(sum[:])}

	xrefOff := base + int64(len(buf))
	size := u.next
	for n := range entries {
		if n+1 > size {
			size = n + 1
		}
	}
	if style == XRefStream {
		self := Ref{size, 0}
		size++
		entries[self.Num] = xrefEntry{typ: 1, off: xrefOff}
		trailer["Size"] = Integer(size)
		buf = appendXRefStream(buf, self, trailer, entries)
	} else {
		trailer["Size"] = Integer(size)
		buf = appendXRefTable(buf, entries)
		buf = append(buf, "trailer\n"...)
		buf = AppendObject(buf, trailer)
		buf = append(buf, '\n')
	}
	buf = append(buf, "startxref\n"...)
	buf = strconv.AppendInt(buf, xrefOff, 10)
	buf = append(buf, "\n%%EOF\n"...)
	return buf, nil
}

// runs groups sorted object numbers into [start, count) runs.
func runs(nums []int) [][2]int {
	var out [][2]int
	for i := 0; i < len(nums); {
		j := i + 1
		for j < len(nums) && nums[j] == nums[j-1]+1 {
			j++
		}
		out = append(out, [2]int{nums[i], j - i})
		i = j
	}
	return out
}

func sortedNums(entries map[int]xrefEntry) []int {
	nums := make([]int, 0, len(entries))
	for n := range entries {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	return nums
}

func appendXRefTable(buf []byte, entries map[int]xrefEntry) []byte {
	nums := sortedNums(entries)
	buf = append(buf, "xref\n"...)
	for _, run := range runs(nums) {
		buf = strconv.AppendInt(buf, int64(run[0]), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(run[1]), 10)
		buf = append(buf, '\n')
		for n := run[0]; n < run[0]+run[1]; n++ {
			e := entries[n]
			kind := "n"
			if e.typ == 0 {
				kind = "f"
			}
			buf = fmt.Appendf(buf, "%010d %05d %s\r\n", e.off, e.gen, kind)
		}
	}
	return buf
}

func byteWidth(v int64) int {
	w := 1
	for v >= 256 {
		v >>= 8
		w++
	}
	return w
}

func appendXRefStream(buf []byte, self Ref, trailer Dict, entries map[int]xrefEntry) []byte {
	nums := sortedNums(entries)
	var maxOff, maxGen int64
	for _, e := range entries {
		maxOff = max(maxOff, e.off)
		maxGen = max(maxGen, int64(e.gen))
	}
	w1, w2 := byteWidth(maxOff), byteWidth(maxGen)
	var data []byte
	put := func(v int64, w int) {
		for k := w - 1; k >= 0; k-- {
			data = append(data, byte(v>>(8*k)))
		}
	}
	var index Array
	for _, run := range runs(nums) {
		index = append(index, Integer(run[0]), Integer(run[1]))
		for n := run[0]; n < run[0]+run[1]; n++ {
			e := entries[n]
			data = append(data, e.typ)
			put(e.off, w1)
			put(int64(e.gen), w2)
		}
	}
	dict := trailer.Clone()
	dict["Type"] = Name("XRef")
	dict["W"] = Array{Integer(1), Integer(w1), Integer(w2)}
	dict["Index"] = index
	buf = strconv.AppendInt(buf, int64(self.Num), 10)
	buf = append(buf, " 0 obj\n"...)
	buf = AppendObject(buf, &Stream{Dict: dict, Data: data})
	buf = append(buf, "\nendobj\n"...)
	return buf
}
