package signature

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// analyseBoth runs the analysis of doc from revision rev lazily (as Verify does) and
// over the whole object graph, and returns both differs.
func analyseBoth(t testing.TB, doc []byte, rev int) (lazy, full *differ, lazyOut, fullOut *revChanges) {
	t.Helper()
	open := func() *pdf.Document {
		d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
		require.NoError(t, err)
		return d
	}
	lazy = newDiffer(open())
	lazyOut = lazy.since(rev)
	full = newDiffer(open())
	full.full = true
	fullOut = full.since(rev)
	return
}

var revChangesCmp = cmp.Options{cmp.AllowUnexported(revChanges{}, unsignedWidget{}, revAnomaly{}, pdf.Ref{}),
	cmp.Comparer(func(a, b error) bool { return (a == nil) == (b == nil) && (a == nil || a.Error() == b.Error()) })}

// TestLazyAnalysisAgreesWithFullWalk: for every case of issue 11 (the attacks
// included), the lazy analysis says exactly what the walk of the whole graph says:
// the same changes, classes, fields and overlays.
func TestLazyAnalysisAgreesWithFullWalk(t *testing.T) {
	lazyRuns := 0
	for _, tc := range diffCases() {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.later(t, signedOnce(t, tc.base, tc.first))
			lz, _, lo, fo := analyseBoth(t, doc, 1)
			if diff := cmp.Diff(fo, lo, revChangesCmp); diff != "" {
				t.Errorf("lazy (-full +lazy):\n%s", diff)
			}
			if lz.lazy {
				lazyRuns++
			}
		})
	}
	// Most cases change only the catalog, the form, pages and new objects: the
	// shortcut applies. Those that change a shared or unproved object fall back.
	t.Logf("lazy analysis used in %d of %d cases", lazyRuns, len(diffCases()))
	assert.Greater(t, lazyRuns, len(diffCases())/2)
}

// TestLazyAnalysisFallsBack: the cases the shortcut cannot prove sound run the full
// walk (and keep its verdict).
func TestLazyAnalysisFallsBack(t *testing.T) {
	byName := map[string]diffCase{}
	for _, tc := range diffCases() {
		byName[tc.name] = tc
	}
	for _, name := range []string{
		"a reference to a missing object filled in later", // an unchanged page named object 20 before it existed
		"an object freed by a later revision",             // the freed content stream is still referred to
		"an outline item retitled",                        // an unchanged outline refers to the item
	} {
		tc, ok := byName[name]
		require.True(t, ok, name)
		doc := tc.later(t, signedOnce(t, tc.base, tc.first))
		lz, _, lo, _ := analyseBoth(t, doc, 1)
		assert.False(t, lz.lazy, "%s: the lazy walk cannot see who refers to the changed object", name)
		assert.Equal(t, tc.want, lo.class, name)
	}
}

// manyPages builds a document of n pages (each its own content stream) and signs it
// once with a widget on the first page.
func manyPages(t testing.TB, n int) (doc []byte, contents []int) {
	objs := []string{"<</Type/Catalog/Pages 2 0 R>>", "", tFont}
	var kids []string
	for i := 0; i < n; i++ {
		p := len(objs) + 1
		kids = append(kids, fmt.Sprintf("%d 0 R", p))
		objs = append(objs, fmt.Sprintf("<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents %d 0 R/Resources<</Font<</F1 3 0 R>>>>>>", p+1),
			fmt.Sprintf("stream:BT /F1 12 Tf 72 720 Td (Trang %d) Tj ET", i+1))
		contents = append(contents, p+1)
	}
	objs[1] = fmt.Sprintf("<</Type/Pages/Kids[%s]/Count %d>>", strings.Join(kids, " "), n)
	return signedOnceOn(t, pdftest.Hand(objs...), 4), contents
}

// watchedReader records which objects' bytes are read (after the census, which reads
// the file as bytes and parses nothing).
type watchedReader struct {
	r       io.ReaderAt
	mu      sync.Mutex
	watch   map[int64]int // offset of an object → its number
	touched map[int]bool
}

func (w *watchedReader) ReadAt(p []byte, off int64) (int, error) {
	w.mu.Lock()
	if len(p) < 1<<16 { // object reads; the census reads windows of a MiB
		for o, n := range w.watch {
			if o >= off && o < off+int64(min(len(p), 64)) {
				w.touched[n] = true
			}
		}
	}
	w.mu.Unlock()
	return w.r.ReadAt(p, off)
}

// TestLazyAnalysisSkipsUnchangedPages: on a 200-page document signed, then given a
// second signature on page 1 and a DSS, the analysis resolves a few dozen objects —
// not the 400 pages and content streams — and never parses the content stream of a
// page no revision changed.
func TestLazyAnalysisSkipsUnchangedPages(t *testing.T) {
	doc, contents := manyPages(t, 200)
	doc = appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
		addSignatureOn(t, d, u, 4)
	})
	doc = appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
		c := mustDict(t, d, 1)
		c["DSS"] = u.Add(pdf.Dict{"Certs": pdf.Array{u.Add(&pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(3)}, Data: []byte("abc")})}})
		u.Set(pdf.Ref{Num: 1}, c)
	})
	lz, full, lo, fo := analyseBoth(t, doc, 1)
	require.True(t, lz.lazy)
	assert.Equal(t, ModLTAUpdates, lo.class, "%+v", lo.changes)
	if diff := cmp.Diff(fo, lo, revChangesCmp); diff != "" {
		t.Errorf("lazy (-full +lazy):\n%s", diff)
	}
	t.Logf("objects resolved: lazy %d, full walk %d", lz.visits, full.visits)
	assert.Less(t, lz.visits, 40)
	assert.Greater(t, full.visits, 400)

	// No content stream but page 1's is parsed.
	d0, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	wr := &watchedReader{r: bytes.NewReader(doc), watch: map[int64]int{}, touched: map[int]bool{}}
	for _, n := range contents {
		off := bytes.Index(doc, fmt.Appendf(nil, "\n%d 0 obj\n", n))
		require.Positive(t, off)
		wr.watch[int64(off+1)] = n
	}
	_ = d0
	d, err := pdf.Open(wr, int64(len(doc)), nil)
	require.NoError(t, err)
	df := newDiffer(d)
	mc := df.since(1)
	require.True(t, df.lazy)
	assert.Equal(t, ModLTAUpdates, mc.class)
	for n := range wr.touched {
		assert.Equal(t, contents[0], n, "content stream %d 0 R of an unchanged page was parsed", n)
	}
}

// TestLazyAnalysisSeesChangedContent: a content stream of an unchanged page rewritten
// in place is found (the census sees the page refer to it) and judged as the full walk
// judges it.
func TestLazyAnalysisSeesChangedContent(t *testing.T) {
	doc, contents := manyPages(t, 50)
	victim := contents[30]
	doc = appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
		evil := []byte("BT /F1 12 Tf 72 720 Td (Evil) Tj ET")
		u.Set(pdf.Ref{Num: victim}, &pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(len(evil))}, Data: evil})
	})
	lz, _, lo, fo := analyseBoth(t, doc, 1)
	assert.False(t, lz.lazy)
	assert.Equal(t, ModOther, lo.class)
	assert.Empty(t, cmp.Diff(fo, lo, revChangesCmp))
}

// addSignatureOn adds a signed invisible signature field whose widget is on page
// pageNum (direct /Annots) to the catalog's direct /AcroForm.
func addSignatureOn(t testing.TB, d *pdf.Document, u *pdf.Update, pageNum int) {
	t.Helper()
	v := u.Add(pdf.Dict{"Type": pdf.Name("Sig"), "ByteRange": ints(0, 0, 0, 0), "Contents": pdf.HexString("\x00")})
	f := u.Add(pdf.Dict{"FT": pdf.Name("Sig"), "T": pdf.String(fmt.Sprintf("Sig%d", len(d.Revisions()))), "Type": pdf.Name("Annot"),
		"Subtype": pdf.Name("Widget"), "Rect": ints(0, 0, 0, 0), "P": pdf.Ref{Num: pageNum}, "V": v})
	c := mustDict(t, d, 1)
	form, _ := asDict(resolveQuiet(d, c.Get("AcroForm")))
	form = form.Clone()
	fields, _ := resolveQuiet(d, form.Get("Fields")).(pdf.Array)
	form["Fields"] = append(fields.Clone(), f)
	c["AcroForm"] = form
	u.Set(pdf.Ref{Num: 1}, c)
	p := mustDict(t, d, pageNum)
	arr, _ := p.Get("Annots").(pdf.Array)
	p["Annots"] = append(arr.Clone(), f)
	u.Set(pdf.Ref{Num: pageNum}, p)
}

// TestLazyAnalysisAgreesOnCorpus: on every PDF of the interop corpus (KYSO_CORPUS),
// the lazy analysis from every revision says what the full walk says.
func TestLazyAnalysisAgreesOnCorpus(t *testing.T) {
	dir := os.Getenv("KYSO_CORPUS")
	if dir == "" {
		t.Skip("KYSO_CORPUS not set")
	}
	var files []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.EqualFold(filepath.Ext(p), ".pdf") {
			files = append(files, p)
		}
		return err
	}))
	require.NotEmpty(t, files)
	lazyRuns, runs := 0, 0
	for _, f := range files {
		doc, err := os.ReadFile(f)
		require.NoError(t, err)
		d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
		if err != nil {
			continue
		}
		for rev := 0; rev < len(d.Revisions())-1; rev++ {
			lz, _, lo, fo := analyseBoth(t, doc, rev)
			runs++
			if lz.lazy {
				lazyRuns++
			}
			if diff := cmp.Diff(fo, lo, revChangesCmp); diff != "" {
				t.Errorf("%s from revision %d: lazy (-full +lazy):\n%s", f, rev, diff)
			}
		}
	}
	t.Logf("%d files, %d analyses, %d lazy", len(files), runs, lazyRuns)
}
