package pdf_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// rawPDF writes a classic file from object bodies (object i+1 is objs[i]).
func rawPDF(objs []string, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, x)
	return b.Bytes()
}

const minimalPages = "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 200 200] >>"
const minimalPage = "<< /Type /Page /Parent 2 0 R >>"

func TestRevisionsIncremental(t *testing.T) {
	b := pdftest.Incremental()
	d := open(t, b)
	revs := d.Revisions()
	require.Len(t, revs, 3)
	// Every startxref value and %%EOF end, in file order.
	sx := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n`).FindAllSubmatchIndex(b, -1)
	require.Len(t, sx, 3)
	for i, m := range sx {
		off, _ := strconv.ParseInt(string(b[m[2]:m[3]]), 10, 64)
		assert.Equal(t, off, revs[i].XRefOffset, "revision %d", i)
		assert.Equal(t, int64(m[1]), revs[i].EOF, "revision %d", i)
		assert.Equal(t, pdf.XRefTable, revs[i].Style)
	}
	assert.Equal(t, []pdf.Ref{{Num: 9}}, revs[1].Objects) // the /Info dictionary
	titles := []string{pdftest.Title, pdftest.Title + ", revision 2", pdftest.Title + ", revision 2"}
	for i := range revs {
		v, err := d.AtRevision(i)
		require.NoError(t, err)
		assert.Equal(t, revs[i].EOF, v.Size())
		assert.Len(t, v.Revisions(), i+1)
		info, err := v.Resolve(v.Trailer().Get("Info"))
		require.NoError(t, err)
		title, _ := pdf.Text(info.(pdf.Dict).Get("Title"))
		assert.Equal(t, titles[i], title, "revision %d", i)
		pages, err := v.Pages()
		require.NoError(t, err)
		assert.Equal(t, i == 2, pages[0].Dict.Get("Annots") != nil, "revision %d", i)
	}
	_, err := d.AtRevision(3)
	assert.Error(t, err)
}

func TestFields(t *testing.T) {
	d := open(t, pdftest.WithSignatureField())
	fields, err := d.Fields()
	require.NoError(t, err)
	require.Len(t, fields, 2)
	sig, note := fields[0], fields[1]
	assert.Equal(t, pdftest.SignatureFieldName, sig.Name)
	assert.Equal(t, pdf.Name("Sig"), sig.Type)
	assert.Equal(t, []pdf.Ref{sig.Ref}, sig.Widgets)
	assert.Nil(t, sig.Parent)
	assert.Equal(t, "Ghi chú", note.Name)
	assert.Equal(t, pdf.Name("Tx"), note.Type)
	assert.Len(t, note.Widgets, 1)

	// A nested tree: parent "a" with kid field "b" whose widget is separate.
	b := rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>", minimalPages, minimalPage,
		"<< /T (a) /FT /Sig /Kids [5 0 R] >>",
		"<< /T (b) /Parent 4 0 R /Kids [6 0 R] >>",
		"<< /Type /Annot /Subtype /Widget /Parent 5 0 R /Rect [0 0 0 0] >>",
	}, "/Root 1 0 R")
	d = open(t, b)
	fields, err = d.Fields()
	require.NoError(t, err)
	require.Len(t, fields, 2)
	assert.Equal(t, "a.b", fields[1].Name)
	assert.Equal(t, pdf.Name("Sig"), fields[1].Type)
	assert.Equal(t, &pdf.Ref{Num: 4}, fields[1].Parent)
	assert.Equal(t, []pdf.Ref{{Num: 6}}, fields[1].Widgets)
	assert.Equal(t, []pdf.Ref{{Num: 5}}, fields[0].Kids)

	// A loop in the field tree.
	b = rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>", minimalPages, minimalPage,
		"<< /T (a) /Kids [5 0 R] >>", "<< /T (b) /Kids [4 0 R] >>",
	}, "/Root 1 0 R")
	_, err = open(t, b).Fields()
	assert.ErrorIs(t, err, pdf.ErrMalformed)
}

func TestPagesInheritanceAndLoops(t *testing.T) {
	b := rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 400] /CropBox [10 10 290 390] /Rotate -90 /Resources << /Font << >> >> >>",
		"<< /Type /Page /Parent 2 0 R >>",
	}, "/Root 1 0 R")
	pages, err := open(t, b).Pages()
	require.NoError(t, err)
	want := []pdf.Page{{Ref: pdf.Ref{Num: 3}, Dict: pdf.Dict{"Type": pdf.Name("Page"), "Parent": pdf.Ref{Num: 2}},
		MediaBox: [4]float64{0, 0, 300, 400}, CropBox: [4]float64{10, 10, 290, 390}, Rotate: 270,
		Resources: pdf.Dict{"Font": pdf.Dict{}}}}
	if diff := cmp.Diff(want, pages); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	b = rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
	}, "/Root 1 0 R")
	_, err = open(t, b).Pages()
	assert.ErrorIs(t, err, pdf.ErrMalformed)
}

func TestResolveCycle(t *testing.T) {
	b := rawPDF([]string{"<< /Type /Catalog /Pages 2 0 R /X 4 0 R >>", minimalPages, minimalPage, "5 0 R", "4 0 R"}, "/Root 1 0 R")
	d := open(t, b)
	_, err := d.Resolve(pdf.Ref{Num: 4})
	var me *pdf.MalformedError
	require.ErrorAs(t, err, &me)
	assert.Contains(t, me.Error(), "cycle")
	// A chain resolves.
	b = rawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>", minimalPages, minimalPage, "5 0 R", "(end)"}, "/Root 1 0 R")
	o, err := open(t, b).Resolve(pdf.Ref{Num: 4})
	require.NoError(t, err)
	assert.Equal(t, pdf.String("end"), o)
	// Free and missing objects are null.
	o, err = open(t, b).Get(pdf.Ref{Num: 99})
	require.NoError(t, err)
	assert.Nil(t, o)
}

func TestLimits(t *testing.T) {
	_, err := pdf.Open(bytes.NewReader(pdftest.Classic()), int64(len(pdftest.Classic())), &pdf.Options{MaxObjects: 3})
	var le *pdf.LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "MaxObjects", le.Limit)

	deep := "<< /Type /Catalog /Pages 2 0 R /Deep " + string(bytes.Repeat([]byte("["), 100)) + string(bytes.Repeat([]byte("]"), 100)) + " >>"
	b := rawPDF([]string{"<< /Type /Catalog /Pages 2 0 R /X 4 0 R >>", minimalPages, minimalPage, deep}, "/Root 1 0 R")
	_, err = open(t, b).Get(pdf.Ref{Num: 4})
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "MaxDepth", le.Limit)

	big := bytes.Repeat([]byte("0"), 1<<20)
	st := fmt.Sprintf("<< /Length %d /Filter /ASCIIHexDecode >>\nstream\n%s\nendstream", len(big), big)
	b = rawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>", minimalPages, minimalPage, st}, "/Root 1 0 R")
	d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), &pdf.Options{MaxStreamSize: 1000})
	require.NoError(t, err)
	s, err := d.Get(pdf.Ref{Num: 4})
	require.NoError(t, err)
	_, err = d.StreamData(s.(*pdf.Stream))
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "MaxStreamSize", le.Limit)
}

func TestFilters(t *testing.T) {
	tests := []struct {
		name, dict, data, want string
	}{
		{"ascii85", "/Filter /ASCII85Decode", "87cURD]i,\"Ebo80~>", "Hello World!"},
		{"asciihex", "/Filter /AHx", "48 65 6C6C6F>", "Hello"},
		{"runlength", "/Filter /RunLengthDecode", "\x02abc\xfeZ\x80", "abcZZZ"},
		{"chain", "/Filter [/AHx /RL]", "02616263FE5A80>", "abcZZZ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := fmt.Sprintf("<< /Length %d %s >>\nstream\n%s\nendstream", len(tt.data), tt.dict, tt.data)
			b := rawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>", minimalPages, minimalPage, st}, "/Root 1 0 R")
			d := open(t, b)
			s, err := d.Get(pdf.Ref{Num: 4})
			require.NoError(t, err)
			got, err := d.StreamData(s.(*pdf.Stream))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
	st := "<< /Length 3 /Filter /DCTDecode >>\nstream\nabc\nendstream"
	b := rawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>", minimalPages, minimalPage, st}, "/Root 1 0 R")
	d := open(t, b)
	s, _ := d.Get(pdf.Ref{Num: 4})
	_, err := d.StreamData(s.(*pdf.Stream))
	assert.ErrorIs(t, err, pdf.ErrUnsupportedFilter)
	raw, err := d.RawStreamData(s.(*pdf.Stream))
	require.NoError(t, err)
	assert.Equal(t, "abc", string(raw))
}

func TestRecovery(t *testing.T) {
	classic := pdftest.Classic()
	objstm := pdftest.ObjectStreams()
	cut := func(b []byte, from string) []byte { return b[:bytes.LastIndex(b, []byte(from))] }
	tests := []struct {
		name string
		in   []byte
	}{
		{"bad startxref", bytes.Replace(classic, []byte("startxref\n"), []byte("startxref\n1"), 1)},
		{"no startxref", cut(classic, "startxref")},
		{"no xref at all", cut(classic, "xref\n0")},
		{"garbage table", bytes.Replace(classic, []byte("0000000000 65535 f"), []byte("zzzzzzzzzz 65535 f"), 1)},
		{"shifted offsets", bytes.Replace(classic, []byte("%PDF-1.7\n"), []byte("%PDF-1.7\n% some junk inserted by a broken tool\n"), 1)},
		{"objstm, no xref stream", cut(objstm, "startxref")},
		{"startxref one past", shiftStartxref(classic, 1)},
		{"startxref two before", shiftStartxref(classic, -2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := open(t, tt.in)
			assert.NotEmpty(t, d.Warnings())
			pages, err := d.Pages()
			require.NoError(t, err)
			require.Len(t, pages, 2)
			assert.Equal(t, 90, pages[1].Rotate)
			c, err := d.Resolve(pages[0].Dict.Get("Contents"))
			require.NoError(t, err)
			data, err := d.StreamData(c.(*pdf.Stream))
			require.NoError(t, err)
			assert.Contains(t, string(data), "Hello kyso")
			if d.Recovered() {
				require.NotEmpty(t, d.Revisions())
				assert.Equal(t, int64(len(tt.in)), d.Revisions()[len(d.Revisions())-1].EOF)
			}
			// An update of a recovered file has a correct cross-reference.
			out, obj, st := appendUpdate(t, d, tt.in)
			qpdfCheck(t, out)
			checkUpdated(t, out, d, obj, st, nil)
		})
	}
}

// shiftStartxref adds delta to the file's startxref value.
func shiftStartxref(b []byte, delta int64) []byte {
	m := startxrefRe.FindSubmatchIndex(b)
	v, _ := strconv.ParseInt(string(b[m[2]:m[3]]), 10, 64)
	out := append([]byte(nil), b[:m[2]]...)
	out = strconv.AppendInt(out, v+delta, 10)
	return append(out, b[m[3]:]...)
}

func TestTruncated(t *testing.T) {
	full := pdftest.Hybrid()
	for n := 0; n < len(full); n += 97 {
		b := full[:n]
		d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), nil)
		if err == nil {
			err = walkAll(d)
		}
		if err != nil && !typedErr(err) {
			t.Errorf("truncated at %d: untyped error %v", n, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, pdf.ErrNotPDF},
		{"text", []byte("hello, this is not a PDF at all"), pdf.ErrNotPDF},
		{"header only", []byte("%PDF-1.7\n"), pdf.ErrNotPDF},
		{"no catalog", []byte("%PDF-1.7\n1 0 obj\n<< /A 1 >>\nendobj\n"), pdf.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pdf.Open(bytes.NewReader(tt.in), int64(len(tt.in)), nil)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// countingReaderAt counts the bytes read through it.
type countingReaderAt struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// TestLazyReading opens a 24 MB image-heavy file, walks its pages and writes an update,
// reading only a small part of it.
func TestLazyReading(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "big.pdf"))
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, pdftest.WriteImageHeavy(f, 24<<20))
	fi, err := f.Stat()
	require.NoError(t, err)
	assert.InDelta(t, 24<<20, fi.Size(), 2<<20)
	cr := &countingReaderAt{r: f}
	d, err := pdf.Open(cr, fi.Size(), nil)
	require.NoError(t, err)
	pages, err := d.Pages()
	require.NoError(t, err)
	assert.Greater(t, len(pages), 10)
	u := d.NewUpdate()
	u.Add(pdf.Dict{"Kyso": pdf.Bool(true)})
	cat, err := d.Catalog()
	require.NoError(t, err)
	u.Set(d.Trailer().Get("Root").(pdf.Ref), cat)
	_, err = u.Bytes()
	require.NoError(t, err)
	assert.Less(t, cr.n.Load(), int64(1<<20), "read %d bytes of %d", cr.n.Load(), fi.Size())
	// The images are where their /Length says.
	im, err := d.Resolve(pages[0].Resources.Get("XObject").(pdf.Dict).Get("Im0"))
	require.NoError(t, err)
	_, n, ok := im.(*pdf.Stream).FileRange()
	require.True(t, ok)
	assert.Equal(t, int64(1024*512*3), n)
}

// TestObjectHeavy reads and recovers a file of 20,000 pages (the scan must stay linear
// in the file size: its reads are bounded).
func TestObjectHeavy(t *testing.T) {
	const n = 20000
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>"}
	var kids bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&kids, "%d 0 R ", 3+i)
	}
	objs = append(objs, fmt.Sprintf("<< /Type /Pages /Count %d /MediaBox [0 0 100 100] /Kids [%s] >>", n, kids.Bytes()))
	for i := 0; i < n; i++ {
		objs = append(objs, "<< /Type /Page /Parent 2 0 R >>")
	}
	good := rawPDF(objs, "/Root 1 0 R")
	broken := bytes.Replace(good, []byte("startxref\n"), []byte("startxref\n1"), 1)
	for _, b := range [][]byte{good, broken} {
		cr := &countingReaderAt{r: bytes.NewReader(b)}
		d, err := pdf.Open(cr, int64(len(b)), nil)
		require.NoError(t, err)
		pages, err := d.Pages()
		require.NoError(t, err)
		assert.Len(t, pages, n)
		assert.Less(t, cr.n.Load(), 64*int64(len(b)), "recovered=%v", d.Recovered())
	}
}

// TestRecoveredRevisions rebuilds the revisions of an incrementally updated file whose
// cross-reference is broken, and reads each revision as it was.
func TestRecoveredRevisions(t *testing.T) {
	b := pdftest.Incremental()
	broken := shiftStartxref(b, 1000)
	d := open(t, broken)
	require.True(t, d.Recovered())
	good := open(t, b).Revisions()
	revs := d.Revisions()
	require.Len(t, revs, len(good))
	titles := []string{pdftest.Title, pdftest.Title + ", revision 2", pdftest.Title + ", revision 2"}
	for i := range revs {
		assert.Equal(t, good[i].EOF, revs[i].EOF, "revision %d", i)
		v, err := d.AtRevision(i)
		require.NoError(t, err)
		info, err := v.Resolve(v.Trailer().Get("Info"))
		require.NoError(t, err)
		title, _ := pdf.Text(info.(pdf.Dict).Get("Title"))
		assert.Equal(t, titles[i], title, "revision %d", i)
	}
	assert.Equal(t, good[0].XRefOffset, revs[0].XRefOffset)
}
