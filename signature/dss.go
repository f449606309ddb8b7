package signature

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/kyso-go/kyso/internal/pdf"
)

// maxExistingDSSBytes bounds the validation data read back from an existing DSS to
// recognise duplicates.
const maxExistingDSSBytes = 64 << 20

// dssKind is one of the three arrays of a document security store.
type dssKind int

const (
	dssCerts dssKind = iota
	dssOCSPs
	dssCRLs
)

// dssKeys are the DSS dictionary keys of the arrays; vriKeys the matching VRI keys
// (ETSI EN 319 142-1 §5.4.2).
var (
	dssKeys = [3]pdf.Name{"Certs", "OCSPs", "CRLs"}
	vriKeys = [3]pdf.Name{"Cert", "OCSP", "CRL"}
)

// dssArray is one DSS array: the references it holds (existing ones first) and the
// SHA-256 of each stream's decoded content, to store each item once.
type dssArray struct {
	refs   pdf.Array
	byHash map[[32]byte]pdf.Ref
}

// dssBuilder gathers the changes to a document's DSS (/Certs, /OCSPs, /CRLs and /VRI)
// for one incremental update. An existing DSS is kept and extended: its streams are
// reused, its VRI entries kept, new data appended.
type dssBuilder struct {
	doc     *pdf.Document
	u       *pdf.Update
	old     pdf.Dict // the existing DSS dictionary, or nil
	oldRef  *pdf.Ref // its reference when it is an indirect object
	arrays  [3]dssArray
	vri     pdf.Dict
	added   [3]int
	changed bool
}

// newDSSBuilder reads the document's current DSS, if any, into a builder writing to u.
func newDSSBuilder(doc *pdf.Document, u *pdf.Update) (*dssBuilder, error) {
	b := &dssBuilder{doc: doc, u: u, vri: pdf.Dict{}}
	for i := range b.arrays {
		b.arrays[i].byHash = map[[32]byte]pdf.Ref{}
	}
	cat, err := doc.Catalog()
	if err != nil {
		return nil, signErr(ErrDocument, err, "reading the catalog")
	}
	if r, ok := cat.Get("DSS").(pdf.Ref); ok {
		b.oldRef = &r
	}
	old, ok := resolveQuiet(doc, cat.Get("DSS")).(pdf.Dict)
	if !ok {
		b.oldRef = nil
		return b, nil
	}
	b.old = old
	total := 0
	for i, key := range dssKeys {
		arr, _ := resolveQuiet(doc, old.Get(key)).(pdf.Array)
		for _, e := range arr {
			ref, ok := e.(pdf.Ref)
			if !ok {
				continue // streams are always indirect; anything else is junk
			}
			b.arrays[i].refs = append(b.arrays[i].refs, ref)
			if data, ok := dssStreamData(doc, ref, &total, maxExistingDSSBytes); ok {
				b.arrays[i].byHash[sha256.Sum256(data)] = ref
			}
		}
	}
	if vri, ok := resolveQuiet(doc, old.Get("VRI")).(pdf.Dict); ok {
		for k, v := range vri {
			b.vri[k] = v
		}
	}
	return b, nil
}

// add stores der in the array kind (once) and returns its stream's reference.
func (b *dssBuilder) add(kind dssKind, der []byte) pdf.Ref {
	a := &b.arrays[kind]
	sum := sha256.Sum256(der)
	if r, ok := a.byHash[sum]; ok {
		return r
	}
	r := b.u.Add(dssStream(der))
	a.byHash[sum] = r
	a.refs = append(a.refs, r)
	b.added[kind]++
	b.changed = true
	return r
}

// dssStream is a Flate-compressed stream holding der.
func dssStream(der []byte) *pdf.Stream {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(der) // writes to a bytes.Buffer do not fail
	zw.Close()
	return &pdf.Stream{Dict: pdf.Dict{"Filter": pdf.Name("FlateDecode")}, Data: buf.Bytes()}
}

// vriKey is the key of a signature's VRI entry: the upper-case hexadecimal SHA-1 of the
// bytes of its /Contents string (the whole string, padding included), as Adobe Acrobat
// and ETSI EN 319 142-1 §5.4.2.2 have it.
func vriKey(contents []byte) pdf.Name {
	sum := sha1.Sum(contents)
	return pdf.Name(strings.ToUpper(hex.EncodeToString(sum[:])))
}

// setVRI records in the VRI entry key the streams that validate that signature,
// merged with what an existing entry of that key already lists.
func (b *dssBuilder) setVRI(key pdf.Name, refs [3][]pdf.Ref) {
	entry := pdf.Dict{}
	if old, ok := resolveQuiet(b.doc, b.vri[key]).(pdf.Dict); ok {
		entry = old.Clone()
	}
	changed := false
	for i, k := range vriKeys {
		arr, _ := resolveQuiet(b.doc, entry.Get(k)).(pdf.Array)
		arr = arr.Clone()
		have := map[pdf.Ref]bool{}
		for _, e := range arr {
			if r, ok := e.(pdf.Ref); ok {
				have[r] = true
			}
		}
		for _, r := range refs[i] {
			if !have[r] {
				have[r] = true
				arr = append(arr, r)
				changed = true
			}
		}
		if len(arr) > 0 {
			entry[k] = arr
		}
	}
	if _, ok := b.vri[key]; ok && !changed {
		return
	}
	b.vri[key] = entry
	b.changed = true
}

// finish writes the new DSS dictionary into the update, and the catalog (root, whose
// current value is catalog) when the DSS was not an indirect object. It does nothing
// when nothing was added.
func (b *dssBuilder) finish(root pdf.Ref, catalog pdf.Dict) {
	if !b.changed {
		return
	}
	dss := pdf.Dict{}
	if b.old != nil {
		dss = b.old.Clone()
	}
	for i, key := range dssKeys {
		delete(dss, key)
		if len(b.arrays[i].refs) > 0 {
			dss[key] = b.arrays[i].refs.Clone()
		}
	}
	delete(dss, "VRI")
	if len(b.vri) > 0 {
		dss["VRI"] = b.vri
	}
	if b.oldRef != nil {
		b.u.Set(*b.oldRef, dss)
		return
	}
	nc := catalog.Clone()
	nc["DSS"] = b.u.Add(dss)
	b.u.Set(root, nc)
}
