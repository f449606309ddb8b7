package pdf

import (
	"sort"
	"strconv"
)

// Object is a PDF object: nil (the null object), Bool, Integer, Real, Name, String,
// HexString, Array, Dict, Ref, *Stream or Raw.
//
// Objects returned by a Document are shared with its cache: treat them as read-only and
// Clone a Dict or Array before changing it.
type Object any

// Bool is a PDF boolean.
type Bool bool

// Integer is a PDF integer.
type Integer int64

// Real is a PDF real number.
type Real float64

// Name is a PDF name without its leading slash, with #-escapes decoded.
type Name string

// String is the raw bytes of a PDF string (decrypted when read from an encrypted
// document). The writer escapes it; use TextString to build one from Go text and
// DecodeText to read one as Go text.
type String string

// HexString is like String but written in <hex> form.
type HexString string

// Array is a PDF array.
type Array []Object

// Dict is a PDF dictionary. The writer emits keys sorted, for deterministic output.
type Dict map[Name]Object

// Ref is an indirect reference "Num Gen R".
type Ref struct{ Num, Gen int } // object number and generation

// String formats r as in a PDF file, "Num Gen R".
func (r Ref) String() string {
	return strconv.Itoa(r.Num) + " " + strconv.Itoa(r.Gen) + " R"
}

// Raw is written verbatim by the writer and never encrypted: placeholders such as a
// signature's /Contents hole and /ByteRange.
type Raw []byte

// Stream is a PDF stream: its dictionary and its data.
//
// For a stream built in memory, Data holds the ENCODED bytes to write (the filters named
// by Dict's /Filter already applied); the writer sets /Length. For a stream read from a
// file, Data is nil and the data is read on demand with Document.StreamData or
// Document.RawStreamData.
type Stream struct {
	Dict Dict   // the stream dictionary
	Data []byte // encoded data of a stream built in memory; nil when read from a file

	// Where the data of a stream read from a file lies.
	off, n int64
	// The indirect object holding the stream (its encryption key depends on it).
	ref Ref
	// fromFile is set for streams read from a file.
	fromFile bool
}

// FileRange reports where the (still encoded, possibly encrypted) data of a stream read
// from a file lies: its offset and length. ok is false for a stream built in memory.
func (s *Stream) FileRange() (off, n int64, ok bool) {
	if s == nil || !s.fromFile {
		return 0, 0, false
	}
	return s.off, s.n, true
}

// Get returns the value of key k, or nil when absent.
func (d Dict) Get(k Name) Object {
	if d == nil {
		return nil
	}
	return d[k]
}

// Clone returns a shallow copy of d: the map is new, the values are shared.
func (d Dict) Clone() Dict {
	if d == nil {
		return nil
	}
	c := make(Dict, len(d)+2)
	for k, v := range d {
		c[k] = v
	}
	return c
}

// Keys returns d's keys, sorted.
func (d Dict) Keys() []Name {
	keys := make([]Name, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// Clone returns a shallow copy of a.
func (a Array) Clone() Array {
	if a == nil {
		return nil
	}
	return append(Array(nil), a...)
}

// Number returns o as a float64 when it is an Integer or a Real.
func Number(o Object) (float64, bool) {
	switch v := o.(type) {
	case Integer:
		return float64(v), true
	case Real:
		return float64(v), true
	}
	return 0, false
}

// XRefStyle is the kind of a cross-reference section.
type XRefStyle int

// Cross-reference section styles.
const (
	XRefTable  XRefStyle = iota + 1 // classic "xref" table and "trailer"
	XRefStream                      // cross-reference stream (PDF 1.5)
	XRefHybrid                      // table whose trailer has /XRefStm (hybrid-reference file)
)

// String names the style.
func (s XRefStyle) String() string {
	switch s {
	case XRefTable:
		return "table"
	case XRefStream:
		return "stream"
	case XRefHybrid:
		return "hybrid"
	}
	return "XRefStyle(" + strconv.Itoa(int(s)) + ")"
}
