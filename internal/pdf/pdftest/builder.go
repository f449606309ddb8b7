package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"sort"
	"strconv"

	"github.com/kyso-go/kyso/internal/pdf"
)

// layout is how a generated file stores its cross-reference and objects.
type layout int

const (
	layoutTable  layout = iota // classic xref table
	layoutStream               // xref stream, objects stored directly
	layoutObjStm               // xref stream, non-stream objects in an object stream
	layoutHybrid               // xref table + /XRefStm, objects in an object stream
)

// builder collects the objects of a new file; object i+1 is objs[i].
type builder struct {
	objs []pdf.Object
}

func (b *builder) add(o pdf.Object) pdf.Ref {
	b.objs = append(b.objs, o)
	return pdf.Ref{Num: len(b.objs), Gen: 0}
}

func (b *builder) set(r pdf.Ref, o pdf.Object) { b.objs[r.Num-1] = o }

func deflate(data []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	_, _ = w.Write(data)
	_ = w.Close()
	return buf.Bytes()
}

const header = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"

// write lays the objects out in the given style with the given trailer entries.
func (b *builder) write(l layout, trailer pdf.Dict) []byte {
	var buf bytes.Buffer
	buf.WriteString(header)
	type ent struct {
		typ      byte
		off, gen int64
	}
	entries := map[int]ent{0: {0, 0, 65535}}
	writeObj := func(num int, o pdf.Object) {
		entries[num] = ent{1, int64(buf.Len()), 0}
		fmt.Fprintf(&buf, "%d 0 obj\n", num)
		buf.Write(pdf.AppendObject(nil, o))
		buf.WriteString("\nendobj\n")
	}
	compressed := map[int]bool{}
	if l == layoutObjStm || l == layoutHybrid {
		var hdr, body []byte
		var nums []int
		for i, o := range b.objs {
			if _, isStream := o.(*pdf.Stream); isStream {
				continue
			}
			nums = append(nums, i+1)
		}
		objstmNum := len(b.objs) + 1
		for idx, n := range nums {
			hdr = fmt.Appendf(hdr, "%d %d ", n, len(body))
			body = pdf.AppendObject(body, b.objs[n-1])
			body = append(body, '\n')
			compressed[n] = true
			entries[n] = ent{2, int64(objstmNum), int64(idx)}
		}
		data := append(hdr, body...)
		for i, o := range b.objs {
			if !compressed[i+1] {
				writeObj(i+1, o)
			}
		}
		writeObj(objstmNum, &pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("ObjStm"), "N": pdf.Integer(len(nums)),
			"First": pdf.Integer(len(hdr)), "Filter": pdf.Name("FlateDecode")}, Data: deflate(data)})
	} else {
		for i, o := range b.objs {
			writeObj(i+1, o)
		}
	}
	size := 0
	for n := range entries {
		size = max(size, n+1)
	}
	nums := make([]int, 0, len(entries))
	for n := range entries {
		nums = append(nums, n)
	}
	sort.Ints(nums)

	xrefStream := func(self int, only func(e ent) bool) int64 {
		off := int64(buf.Len())
		entries[self] = ent{1, off, 0}
		if self+1 > size {
			size = self + 1
		}
		var rows []byte
		var index pdf.Array
		all := append(append([]int(nil), nums...), self)
		sort.Ints(all)
		start, count := -1, 0
		flush := func() {
			if count > 0 {
				index = append(index, pdf.Integer(start), pdf.Integer(count))
			}
		}
		for _, n := range all {
			e := entries[n]
			if !only(e) && n != self {
				continue
			}
			if start >= 0 && n == start+count {
				count++
			} else {
				flush()
				start, count = n, 1
			}
			rows = append(rows, e.typ, byte(e.off>>24), byte(e.off>>16), byte(e.off>>8), byte(e.off), byte(e.gen>>8), byte(e.gen))
		}
		flush()
		// PNG Up predictor, as Acrobat writes them.
		const cols = 7
		var pred []byte
		prev := make([]byte, cols)
		for r := 0; r+cols <= len(rows); r += cols {
			pred = append(pred, 2)
			for i := 0; i < cols; i++ {
				pred = append(pred, rows[r+i]-prev[i])
			}
			prev = rows[r : r+cols]
		}
		d := trailer.Clone()
		d["Type"] = pdf.Name("XRef")
		d["Size"] = pdf.Integer(size)
		d["W"] = pdf.Array{pdf.Integer(1), pdf.Integer(4), pdf.Integer(2)}
		d["Index"] = index
		d["Filter"] = pdf.Name("FlateDecode")
		d["DecodeParms"] = pdf.Dict{"Predictor": pdf.Integer(12), "Columns": pdf.Integer(cols)}
		fmt.Fprintf(&buf, "%d 0 obj\n", self)
		buf.Write(pdf.AppendObject(nil, &pdf.Stream{Dict: d, Data: deflate(pred)}))
		buf.WriteString("\nendobj\n")
		return off
	}

	var startxref int64
	switch l {
	case layoutStream, layoutObjStm:
		startxref = xrefStream(size, func(ent) bool { return true })
	default:
		var stmOff int64 = -1
		if l == layoutHybrid {
			stmOff = xrefStream(size, func(e ent) bool { return e.typ == 2 })
		}
		startxref = int64(buf.Len())
		buf.WriteString("xref\n")
		// One subsection per run of directly stored objects.
		var run []int
		flush := func() {
			if len(run) == 0 {
				return
			}
			fmt.Fprintf(&buf, "%d %d\n", run[0], len(run))
			for _, n := range run {
				e := entries[n]
				k := "n"
				if e.typ == 0 {
					k = "f"
				}
				fmt.Fprintf(&buf, "%010d %05d %s\r\n", e.off, e.gen, k)
			}
			run = nil
		}
		all := sortedKeys(entries)
		for _, n := range all {
			if entries[n].typ == 2 {
				flush()
				continue
			}
			if len(run) > 0 && n != run[len(run)-1]+1 {
				flush()
			}
			run = append(run, n)
		}
		flush()
		t := trailer.Clone()
		t["Size"] = pdf.Integer(size)
		if stmOff >= 0 {
			t["XRefStm"] = pdf.Integer(stmOff)
		}
		buf.WriteString("trailer\n")
		buf.Write(pdf.AppendObject(nil, t))
		buf.WriteString("\n")
	}
	buf.WriteString("startxref\n" + strconv.FormatInt(startxref, 10) + "\n%%EOF\n")
	return buf.Bytes()
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}
