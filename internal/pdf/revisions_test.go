package pdf_test

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// attackBase is a one-page document whose page draws content 4; object 5 is an unused
// stream with other content (what a shadow attack would show instead).
func attackBase() []byte {
	return rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		minimalPages,
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
		"<< /Length 22 >>\nstream\nBT (Signed text) Tj ET\nendstream",
		"<< /Length 22 >>\nstream\nBT (HIDDEN text) Tj ET\nendstream",
	}, "/Root 1 0 R")
}

// hiddenSectionFile returns a document whose revision 0 carries, inside the data of
// an unused stream, a shadow definition of object 4 and a cross-reference section
// pointing object 4 at it (/Prev: the real section), with the offset of that section.
func hiddenSectionFile() ([]byte, int64) {
	build := func(realXRef int64) ([]byte, int64, int64) {
		var b bytes.Buffer
		b.WriteString("%PDF-1.7\n")
		var offs []int
		obj := func(body string) {
			offs = append(offs, b.Len())
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), body)
		}
		obj("<< /Type /Catalog /Pages 2 0 R >>")
		obj(minimalPages)
		obj("<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>")
		obj("<< /Length 22 >>\nstream\nBT (Signed text) Tj ET\nendstream")
		// Object 5: a stream whose data holds "4 0 obj" and an xref section.
		start := b.Len()
		dataStart := start + len("5 0 obj\n<< /Length 0000000000 >>\nstream\n")
		shadow := dataStart
		data := "4 0 obj\n<< /Length 22 >>\nstream\nBT (HIDDEN text) Tj ET\nendstream\nendobj\n"
		sect := dataStart + len(data)
		data += fmt.Sprintf("xref\n4 1\n%010d 00000 n\r\ntrailer\n<< /Size 6 /Root 1 0 R /Prev %010d >>\n", shadow, realXRef)
		offs = append(offs, start)
		fmt.Fprintf(&b, "5 0 obj\n<< /Length %010d >>\nstream\n%sendstream\nendobj\n", len(data), data)
		x := b.Len()
		fmt.Fprintf(&b, "xref\n0 6\n0000000000 65535 f\r\n")
		for _, o := range offs {
			fmt.Fprintf(&b, "%010d 00000 n\r\n", o)
		}
		fmt.Fprintf(&b, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", x)
		return b.Bytes(), int64(x), int64(sect)
	}
	_, x, _ := build(0)
	b, _, sect := build(x)
	return b, sect
}

func anomalyKinds(as []pdf.Anomaly) map[pdf.AnomalyKind][]int {
	m := map[pdf.AnomalyKind][]int{}
	for _, a := range as {
		m[a.Kind] = append(m[a.Kind], a.Ref.Num)
	}
	return m
}

func contentOf(t *testing.T, d *pdf.Document, rev int) string {
	t.Helper()
	o, err := d.ObjectAt(pdf.Ref{Num: 4}, rev)
	require.NoError(t, err)
	s, ok := o.(*pdf.Stream)
	require.True(t, ok, "object 4 of revision %d is %T", rev, o)
	data, err := d.StreamData(s)
	require.NoError(t, err)
	return string(data)
}

// attackFiles builds the files of the attacks on revision splitting and
// cross-reference entries; the fuzz target starts from them too.
func attackFiles() map[string][]byte {
	base := attackBase()
	files := map[string][]byte{}
	// Shadow hide, redirect variant: the update points object 4 at object 5's bytes.
	files["wrong-object"], _ = pdftest.AppendUpdate(base, pdftest.Update{Entries: map[int]int64{4: pdftest.ObjectOffset(base, 5)}})
	// Shadow hide, switch-on variant: revision 1 carries an unused definition of object
	// 4; revision 2 lists it without adding any object.
	carrier, offs := pdftest.AppendUpdate(base, pdftest.Update{Unlisted: map[int]string{4: "<< /Length 22 >>\nstream\nBT (HIDDEN text) Tj ET\nendstream"}})
	files["earlier-bytes"], _ = pdftest.AppendUpdate(carrier, pdftest.Update{Entries: map[int]int64{4: offs[4]}})
	// A hidden section inside revision 0, made the newest by a bare startxref.
	hidden, sect := hiddenSectionFile()
	files["hidden-section"] = fmt.Appendf(append([]byte(nil), hidden...), "startxref\n%d\n%%%%EOF\n", sect)
	// The same section reached through the /Prev of an ordinary-looking update.
	files["hidden-section-prev"], _ = pdftest.AppendUpdate(hidden, pdftest.Update{
		Objects: map[int]string{6: "<< /Producer (x) >>"}, Prev: sect})
	// An %%EOF marker between an update's trailer and its startxref.
	files["eof-before-startxref"], _ = pdftest.AppendUpdate(base, pdftest.Update{
		Objects: map[int]string{6: "<< /Producer (x) >>"}, EOFBeforeStartXRef: true})
	// An update that appends a linearization dictionary.
	files["eof-in-trailer"], _ = pdftest.AppendUpdate(base, pdftest.Update{
		Objects: map[int]string{6: "<< /Producer (x) >>"}, TrailerExtra: " /A (%%EOF) %%EOF\n"})
	files["linearization"], _ = pdftest.AppendUpdate(base, pdftest.Update{
		Objects: map[int]string{6: "<< /Linearized 1 /L 900 /H [100 50] /O 3 /E 400 /N 1 /T 700 >>"}})
	return files
}

func TestRevisionAttacks(t *testing.T) {
	files := attackFiles()
	base := attackBase()
	tests := []struct {
		name      string
		revs      int
		rev       int // the revision the finding belongs to
		changed   []int
		want      map[pdf.AnomalyKind][]int
		contentIs string // object 4's content as of rev, as this package reads it
	}{
		{name: "wrong-object", revs: 2, rev: 1, changed: []int{4},
			want: map[pdf.AnomalyKind][]int{pdf.AnomalyWrongObject: {4}, pdf.AnomalyEarlierBytes: {4}}, contentIs: "BT (Signed text) Tj ET"},
		{name: "earlier-bytes", revs: 3, rev: 2, changed: []int{4},
			want: map[pdf.AnomalyKind][]int{pdf.AnomalyEarlierBytes: {4}}, contentIs: "BT (HIDDEN text) Tj ET"},
		{name: "hidden-section", revs: 2, rev: 1, changed: []int{4},
			want: map[pdf.AnomalyKind][]int{pdf.AnomalySectionInEarlierBytes: {0}, pdf.AnomalyEarlierBytes: {4}}, contentIs: "BT (HIDDEN text) Tj ET"},
		{name: "hidden-section-prev", revs: 2, rev: 1, changed: []int{4, 6},
			want: map[pdf.AnomalyKind][]int{pdf.AnomalySectionInEarlierBytes: {0}, pdf.AnomalyEarlierBytes: {4}}, contentIs: "BT (HIDDEN text) Tj ET"},
		{name: "eof-before-startxref", revs: 2, rev: 1, changed: []int{6},
			want: map[pdf.AnomalyKind][]int{pdf.AnomalyEOFBeforeStartXRef: {0}}, contentIs: "BT (Signed text) Tj ET"},
		{name: "linearization", revs: 2, rev: 1, changed: []int{6},
			want: map[pdf.AnomalyKind][]int{pdf.AnomalyLinearization: {6}}, contentIs: "BT (Signed text) Tj ET"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := files[tc.name]
			d := open(t, b)
			revs := d.Revisions()
			require.Len(t, revs, tc.revs, "revisions")
			assert.Equal(t, int64(len(b)), revs[len(revs)-1].EOF, "the last revision ends at the end of the file")
			// The signed revision (0) is unaffected: its content is the signed one and it
			// ends where the original file ended.
			if !strings.HasPrefix(tc.name, "hidden-section") {
				assert.Equal(t, int64(len(base)), revs[0].EOF)
			}
			assert.Equal(t, "BT (Signed text) Tj ET", contentOf(t, d, 0))
			assert.Equal(t, tc.contentIs, contentOf(t, d, tc.rev))
			changed, err := d.ChangedObjects(tc.rev)
			require.NoError(t, err)
			var nums []int
			for _, r := range changed {
				nums = append(nums, r.Num)
			}
			assert.Equal(t, tc.changed, nums, "changed objects")
			an, err := d.Anomalies(tc.rev)
			require.NoError(t, err)
			assert.Equal(t, tc.want, anomalyKinds(an), "anomalies: %v", an)
			for i := 0; i < tc.rev; i++ {
				an, err := d.Anomalies(i)
				require.NoError(t, err)
				assert.Empty(t, an, "revision %d", i)
			}
		})
	}
}

// TestEOFInsideTrailers: %%EOF markers inside an update's trailer (in a string, in a
// comment) do not split the revision: it ends after its startxref, and the revision
// before keeps its end.
func TestEOFInsideTrailers(t *testing.T) {
	base := attackBase()
	for name, extra := range map[string]string{
		"string":  " /KysoNote (%%EOF)",
		"comment": " %%EOF\n",
		"both":    " /A (\n%%EOF\n) %%EOF\n /B (%%EOF)",
	} {
		t.Run(name, func(t *testing.T) {
			b, _ := pdftest.AppendUpdate(base, pdftest.Update{Objects: map[int]string{6: "<< /Producer (x) >>"}, TrailerExtra: extra})
			d := open(t, b)
			revs := d.Revisions()
			require.Len(t, revs, 2)
			assert.Equal(t, int64(len(base)), revs[0].EOF)
			assert.Equal(t, int64(len(b)), revs[1].EOF)
			an, err := d.Anomalies(1)
			require.NoError(t, err)
			assert.Empty(t, an)
			ch, err := d.ChangedObjects(1)
			require.NoError(t, err)
			assert.Equal(t, []pdf.Ref{{Num: 6}}, ch)
		})
	}
}

// TestRevisionsOfOrdinaryFiles: ordinary updates, a linearized file and a linearized
// file updated afterwards have no anomalies, and ChangedObjects lists what each
// update changed.
func TestRevisionsOfOrdinaryFiles(t *testing.T) {
	d := open(t, pdftest.Incremental())
	require.Len(t, d.Revisions(), 3)
	for i := range 3 {
		an, err := d.Anomalies(i)
		require.NoError(t, err)
		assert.Empty(t, an, "revision %d", i)
	}
	info := d.Trailer().Get("Info").(pdf.Ref)
	ch, err := d.ChangedObjects(1)
	require.NoError(t, err)
	assert.Equal(t, []pdf.Ref{info}, ch)
	ch, err = d.ChangedObjects(2)
	require.NoError(t, err)
	require.Len(t, ch, 2, "page 1 and the new annotation")

	lin := pdftest.Linearized(t, pdftest.Classic()) // skips without qpdf (fails under CI)
	for _, b := range [][]byte{lin, updated(t, lin)} {
		d := open(t, b)
		for i := range d.Revisions() {
			an, err := d.Anomalies(i)
			require.NoError(t, err)
			assert.Empty(t, an, "revision %d", i)
		}
	}
	assert.Len(t, open(t, lin).Revisions(), 1, "a linearized file is one revision")
	assert.Len(t, open(t, updated(t, lin)).Revisions(), 2)
}

func updated(t *testing.T, b []byte) []byte {
	d := open(t, b)
	u := d.NewUpdate()
	u.Add(pdf.Dict{"Producer": pdf.String("update")})
	out, err := u.Bytes()
	require.NoError(t, err)
	return append(append([]byte(nil), b...), out...)
}

// TestSharedObjectsAcrossRevisions: a 1 MiB string followed by 200 tiny updates is
// parsed once for all the revisions, not once per revision.
func TestSharedObjectsAcrossRevisions(t *testing.T) {
	b := bigStringUpdates(1<<20, 200)
	d := open(t, b)
	require.Len(t, d.Revisions(), 201)
	for i := range d.Revisions() {
		o, err := d.ObjectAt(pdf.Ref{Num: 4}, i)
		require.NoError(t, err)
		require.Len(t, o.(pdf.Dict).Get("Big"), 1<<20)
		v, err := d.AtRevision(i)
		require.NoError(t, err)
		_, err = v.Get(pdf.Ref{Num: 4})
		require.NoError(t, err)
	}
	// Once: the final parse plus the shorter windows lexed while finding its end
	// (1 + 4 + … + 1024 KiB), not 201 times.
	assert.Less(t, d.ParsedBytes(), int64(3<<20), "the string is parsed once")
}

// bigStringUpdates returns a document with an n-byte string in object 4, followed by
// updates each changing a tiny object.
func bigStringUpdates(n, updates int) []byte {
	b := rawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>", minimalPages, minimalPage,
		"<< /Big (" + strings.Repeat("x", n) + ") >>"}, "/Root 1 0 R")
	for i := range updates {
		b, _ = pdftest.AppendUpdate(b, pdftest.Update{Objects: map[int]string{5: fmt.Sprintf("<< /N %d >>", i)}})
	}
	return b
}

// TestParsedBytesBudget: the total of parsed strings and stream data is bounded.
func TestParsedBytesBudget(t *testing.T) {
	b := bigStringUpdates(1<<20, 1)
	d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), &pdf.Options{MaxParsedBytes: 512 << 10})
	require.NoError(t, err)
	_, err = d.Get(pdf.Ref{Num: 4})
	require.ErrorIs(t, err, pdf.ErrLimit)
	var le *pdf.LimitError
	require.True(t, errors.As(err, &le))
	assert.Equal(t, "MaxParsedBytes", le.Limit)

	// The default: 8 × the file's size + 64 MiB.
	d = open(t, b)
	_, err = d.Get(pdf.Ref{Num: 4})
	require.NoError(t, err)
}

// FuzzRevisions splits arbitrary bytes into revisions and asks every revision for its
// anomalies, its changed objects and each of them as of that revision. Errors must be
// typed; nothing may panic or hang.
func FuzzRevisions(f *testing.F) {
	for _, b := range attackFiles() {
		f.Add(b)
	}
	f.Add(pdftest.Incremental())
	f.Fuzz(func(t *testing.T, b []byte) {
		opts := &pdf.Options{MaxObjects: 5000, MaxStreamSize: 1 << 20, CacheSize: 64, MaxParsedBytes: 8 << 20}
		d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), opts)
		if err != nil {
			if !typedErr(err) {
				t.Fatalf("untyped error from Open: %v", err)
			}
			return
		}
		revs := d.Revisions()
		for i := range revs {
			if i > 0 && revs[i].EOF < revs[i-1].EOF {
				t.Fatalf("revision %d ends at %d, before revision %d (%d)", i, revs[i].EOF, i-1, revs[i-1].EOF)
			}
			if _, err := d.Anomalies(i); err != nil && !typedErr(err) {
				t.Fatalf("untyped error from Anomalies: %v", err)
			}
			ch, err := d.ChangedObjects(i)
			if err != nil {
				t.Fatalf("ChangedObjects(%d): %v", i, err)
			}
			for _, r := range ch {
				if _, err := d.ObjectAt(r, i); err != nil && !typedErr(err) {
					t.Fatalf("untyped error from ObjectAt: %v", err)
				}
			}
		}
	})
}

// TestParsedBytesBudgetDecompression: decoded stream data counts against the budget,
// so a few small streams that inflate to many megabytes (a decompression bomb) stop
// with a typed error once the total passes it.
func TestParsedBytesBudgetDecompression(t *testing.T) {
	var zb bytes.Buffer
	zw := zlib.NewWriter(&zb)
	_, err := zw.Write(make([]byte, 4<<20))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", minimalPages, minimalPage}
	for range 6 {
		objs = append(objs, fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", zb.Len(), zb.Bytes()))
	}
	b := rawPDF(objs, "/Root 1 0 R")
	require.Less(t, len(b), 1<<20, "six 4 MiB streams in a small file")
	d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), &pdf.Options{MaxParsedBytes: 10 << 20})
	require.NoError(t, err)
	var limitErr error
	for n := 4; n <= 9; n++ {
		o, err := d.Get(pdf.Ref{Num: n})
		require.NoError(t, err)
		if _, err := d.StreamData(o.(*pdf.Stream)); err != nil {
			limitErr = err
			break
		}
	}
	var le *pdf.LimitError
	require.True(t, errors.As(limitErr, &le), "got %v", limitErr)
	assert.Equal(t, "MaxParsedBytes", le.Limit)
	assert.LessOrEqual(t, d.ParsedBytes(), int64(10<<20)+4<<20+int64(len(b)))
}

// TestParsedBytesBudgetUnterminatedStrings: objects whose string never ends are each
// lexed to the end of the file before they fail; the strings built on the way count
// against the budget, so many of them stop with a typed error instead of costing the
// file's size once per object.
func TestParsedBytesBudgetUnterminatedStrings(t *testing.T) {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", minimalPages, minimalPage}
	pad := strings.Repeat("x", 200)
	for range 2000 {
		objs = append(objs, "<< /A ("+pad+" >>") // the string runs to the end of the file
	}
	b := rawPDF(objs, "/Root 1 0 R")
	d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), &pdf.Options{MaxParsedBytes: 16 << 20})
	require.NoError(t, err)
	var limited bool
	for n := 4; n < 4+2000; n++ {
		_, err := d.Get(pdf.Ref{Num: n})
		require.Error(t, err)
		if errors.Is(err, pdf.ErrLimit) {
			limited = true
			break
		}
	}
	assert.True(t, limited, "the budget stops the reading")
	assert.LessOrEqual(t, d.ParsedBytes(), int64(16<<20)+int64(4*len(b)))
}
