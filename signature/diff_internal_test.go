package signature

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// appendUpdate appends an incremental update made by f.
func appendUpdate(t testing.TB, doc []byte, f func(d *pdf.Document, u *pdf.Update)) []byte {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	u := d.NewUpdate()
	f(d, u)
	b, err := u.Bytes()
	require.NoError(t, err)
	return append(bytes.Clone(doc), b...)
}

// rawUpdate appends a classic update defining objs (number → body) with the trailer's
// /Root at root.
func rawUpdate(t testing.TB, doc []byte, root int, objs map[int]string) []byte {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	revs := d.Revisions()
	size := int(d.Trailer().Get("Size").(pdf.Integer))
	var b bytes.Buffer
	b.Write(doc)
	var nums []int
	offs := map[int]int{}
	for n := range objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
		size = max(size, n+1)
	}
	xref := b.Len()
	b.WriteString("xref\n")
	for _, n := range nums {
		fmt.Fprintf(&b, "%d 1\n%010d 00000 n \n", n, offs[n])
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root %d 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n", size, root, revs[len(revs)-1].XRefOffset, xref)
	return b.Bytes()
}

// analyseSince runs the modification analysis of doc over the revisions after rev.
func analyseSince(t testing.TB, doc []byte, rev int) *revChanges {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	return newDiffer(d).since(rev)
}

func mustGet(t testing.TB, d *pdf.Document, num int) pdf.Object {
	t.Helper()
	o, err := d.Get(pdf.Ref{Num: num})
	require.NoError(t, err)
	return o
}

func mustDict(t testing.TB, d *pdf.Document, num int) pdf.Dict {
	t.Helper()
	o, ok := asDict(mustGet(t, d, num))
	require.True(t, ok, "object %d is not a dictionary", num)
	return o.Clone()
}

func ints(v ...int) pdf.Array {
	a := make(pdf.Array, len(v))
	for i, n := range v {
		a[i] = pdf.Integer(n)
	}
	return a
}

// sigOpts shapes the signature field a test revision adds.
type sigOpts struct {
	rect    pdf.Array // nil: invisible (0 0 0 0)
	unsaved bool      // no /V: an empty signature field
	extra   pdf.Dict  // entries added to the field
	value   pdf.Dict  // entries added to the signature dictionary
}

// addSignature adds, as a signing tool does in one revision, a signature field merged
// with its widget on page 3 0 R (appended to the page's /Annots, direct or indirect
// as the page has it) and listed in the catalog's /AcroForm (made direct in the
// catalog when missing). It returns the field's reference.
func addSignature(t testing.TB, d *pdf.Document, u *pdf.Update, o sigOpts) pdf.Ref {
	t.Helper()
	rect := o.rect
	if rect == nil {
		rect = ints(0, 0, 0, 0)
	}
	fd := pdf.Dict{"FT": pdf.Name("Sig"), "T": pdf.String(fmt.Sprintf("Sig%d", len(d.Revisions()))), "Type": pdf.Name("Annot"),
		"Subtype": pdf.Name("Widget"), "Rect": rect, "F": pdf.Integer(132), "P": pdf.Ref{Num: 3}}
	if o.rect != nil {
		ap := []byte("0 g BT /F1 10 Tf 2 2 Td (Signed) Tj ET")
		fd["AP"] = pdf.Dict{"N": u.Add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"),
			"BBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(100), pdf.Integer(40)}, "Length": pdf.Integer(len(ap))}, Data: ap})}
	}
	if !o.unsaved {
		v := pdf.Dict{"Type": pdf.Name("Sig"), "Filter": pdf.Name("Adobe.PPKLite"), "SubFilter": pdf.Name("ETSI.CAdES.detached"),
			"ByteRange": ints(0, 0, 0, 0), "Contents": pdf.HexString("\x00")}
		for k, e := range o.value {
			v[k] = e
		}
		fd["V"] = u.Add(v)
	}
	for k, v := range o.extra {
		fd[k] = v
	}
	field := u.Add(fd)
	cat, err := d.Catalog()
	require.NoError(t, err)
	nc := cat.Clone()
	var form pdf.Dict
	if af, ok := asDict(resolveQuiet(d, cat.Get("AcroForm"))); ok {
		form = af.Clone()
	} else {
		form = pdf.Dict{}
	}
	fields, _ := resolveQuiet(d, form.Get("Fields")).(pdf.Array)
	form["Fields"] = append(fields.Clone(), field)
	form["SigFlags"] = pdf.Integer(3)
	if ref, ok := cat.Get("AcroForm").(pdf.Ref); ok {
		u.Set(ref, form)
	} else {
		nc["AcroForm"] = form
		u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
	}
	page := mustDict(t, d, 3)
	if ar, ok := page.Get("Annots").(pdf.Ref); ok {
		arr, _ := resolveQuiet(d, ar).(pdf.Array)
		u.Set(ar, append(arr.Clone(), field))
	} else {
		arr, _ := page.Get("Annots").(pdf.Array)
		page["Annots"] = append(arr.Clone(), field)
		u.Set(pdf.Ref{Num: 3}, page)
	}
	return field
}

const (
	tPages   = "<</Type/Pages/Kids[3 0 R]/Count 1>>"
	tPage    = "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>"
	tContent = "stream:BT /F1 24 Tf 72 720 Td (Hello kyso) Tj ET"
	tFont    = "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"
)

// plain is the simplest document: catalog, page tree, page, content, font.
func plain(catalogExtra string, more ...string) []byte {
	return pdftest.Hand(append([]string{"<</Type/Catalog/Pages 2 0 R" + catalogExtra + ">>", tPages, tPage, tContent, tFont}, more...)...)
}

// signedOnce is doc with a first signing revision (the signature whose later changes
// the cases judge).
func signedOnce(t testing.TB, doc []byte, o sigOpts) []byte {
	return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) { addSignature(t, d, u, o) })
}

// diffCase is one case of issue 11 and what ISO 32000 / PAdES make of it.
type diffCase struct {
	name string
	// rule: the clause that decides the case.
	rule string
	base []byte
	// first shapes the first signature (default: an invisible signed field).
	first sigOpts
	// later appends the revisions judged (after the first signature).
	later    func(t testing.TB, doc []byte) []byte
	want     Modification
	unsigned int // unsigned visible signature widgets expected
	// allowed lists the DocMDP levels under which the changes pass ("0": no
	// certification; "023": not under P=1), field locks aside.
	allowed string
	detail  string
}

func TestDiffCases(t *testing.T) {
	for _, tc := range diffCases() {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.later(t, signedOnce(t, tc.base, tc.first))
			mc := analyseSince(t, doc, 1)
			assert.Equal(t, tc.want, mc.class, "rule: %s\nchanges: %+v", tc.rule, mc.changes)
			assert.Len(t, mc.unsigned, tc.unsigned, "unsigned visible signature widgets")
			allowed := ""
			for p := 0; p <= 3; p++ {
				if mdpAllows(p, mc) {
					allowed += fmt.Sprint(p)
				}
			}
			assert.Equal(t, tc.allowed, allowed, "certification levels that allow it (0: not certified)\nrule: %s", tc.rule)
			if tc.detail != "" {
				found := false
				for _, c := range mc.changes {
					found = found || strings.Contains(c.Detail, tc.detail)
				}
				assert.True(t, found, "no change says %q: %+v", tc.detail, mc.changes)
			}
		})
	}
}

// FuzzDiff runs the modification analysis on arbitrary files, seeded with every
// document the diff cases build (the attacks included): no panic, every revision
// judged, any change a class.
func FuzzDiff(f *testing.F) {
	for _, tc := range diffCases() {
		f.Add(tc.later(f, signedOnce(f, tc.base, tc.first)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := pdf.Open(bytes.NewReader(data), int64(len(data)), &pdf.Options{MaxObjects: 5000})
		if err != nil {
			return
		}
		df := newDiffer(d)
		n := len(d.Revisions())
		for rev := n - 1; rev >= 0; rev-- {
			mc := df.since(rev)
			for _, c := range mc.changes {
				if c.Class == "" || c.Class == ModNone {
					t.Fatalf("change without a class: %+v", c)
				}
			}
		}
		if n > 1 {
			_ = df.hasDSS(n - 1)
		}
	})
}

func diffCases() []diffCase {
	return []diffCase{
		// ---- False alarms: pages and annotations reachable from outside the page tree.
		{name: "page reachable from /OpenAction gets a second signature's widget", allowed: "023",
			rule: "ISO 32000-1 12.8.2.2.1 (DocMDP: signing allowed); 12.6.4.1 (/OpenAction is a pointer, not content)",
			base: plain("/OpenAction[3 0 R/Fit]"), want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) { addSignature(t, d, u, sigOpts{rect: ints(300, 100, 500, 160)}) })
			}},
		{name: "outlines, named destinations, /Dests, article threads point at the page", allowed: "023",
			rule: "ISO 32000-1 12.3.3 (outlines), 12.3.2.3 (named destinations): navigation, not page content",
			base: plain("/Outlines 6 0 R/Names<</Dests 8 0 R>>/Dests<</p1[3 0 R/Fit]>>/PageMode/UseOutlines",
				"<</Type/Outlines/First 7 0 R/Last 7 0 R/Count 1>>", "<</Title(Trang 1)/Parent 6 0 R/Dest[3 0 R/XYZ 0 792 0]/A<</S/GoTo/D[3 0 R/Fit]>>>>",
				"<</Names[(trang1)[3 0 R/Fit]]>>"),
			want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) { addSignature(t, d, u, sigOpts{rect: ints(300, 100, 500, 160)}) })
			}},
		{name: "/AcroForm siblings (/CO, an /XFA-less form with /DA) and a link annotation's destination", allowed: "023",
			rule: "ISO 32000-1 12.7.2 (interactive form dictionary); 12.5.6.5 (link annotations)",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[]/DA(/Helv 0 Tf 0 g)/CO[]/DR<</Font<</Helv 5 0 R>>>>>>>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[6 0 R]>>", tContent, tFont,
				"<</Type/Annot/Subtype/Link/Rect[10 10 50 50]/Dest[3 0 R/Fit]/A<</S/GoTo/D[3 0 R/Fit]>>>>"),
			want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) { addSignature(t, d, u, sigOpts{rect: ints(300, 100, 500, 160)}) })
			}},
		{name: "signature /Reference /Data points at the catalog; a DSS is added", allowed: "0123",
			rule: "ISO 32000-1 12.8.1 table 253 (/Data: what the transform covers); ETSI EN 319 142-1 5.4 (DSS)",
			base: plain(""), want: ModLTAUpdates,
			first: sigOpts{value: pdf.Dict{"Reference": pdf.Array{pdf.Dict{"Type": pdf.Name("SigRef"), "TransformMethod": pdf.Name("FieldMDP"),
				"Data": pdf.Ref{Num: 1}, "TransformParams": pdf.Dict{"Action": pdf.Name("All"), "V": pdf.Name("1.2")}}}}},
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					cat, _ := d.Catalog()
					nc := cat.Clone()
					nc["DSS"] = u.Add(pdf.Dict{"Certs": pdf.Array{}, "VRI": pdf.Dict{}})
					u.Set(pdf.Ref{Num: 1}, nc)
				})
			}},
		{name: "a pre-existing direct annotation kept when /Annots is rewritten", allowed: "023",
			rule: "ISO 32000-1 12.5.2 (annotations may be direct); PAdES: a new signature may add its widget",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[<</Subtype/Text/Rect[10 10 30 30]/Contents(ghi chú)>>]>>",
				tContent, tFont),
			want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) { addSignature(t, d, u, sigOpts{}) })
			}},
		{name: "numbers compare by value: 612.0 is 612", allowed: "0123",
			rule: "ISO 32000-1 7.3.3 (integer and real objects denote numbers)",
			base: plain(""), want: ModNone,
			later: func(t testing.TB, doc []byte) []byte {
				return rawUpdate(t, doc, 1, map[int]string{
					3: "<</Type/Page/Parent 2 0 R/MediaBox[0.0 0 612.0 792.00]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[7 0 R]>>"})
			}},
		{name: "/Resources moved to an identical copy", allowed: "0123",
			rule: "ISO 32000-1 7.3.10 (an indirect reference stands for its object's value)",
			base: plain(""), want: ModNone,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					p := mustDict(t, d, 3)
					p["Resources"] = u.Add(pdf.Dict{"Font": pdf.Dict{"F1": pdf.Ref{Num: 5}}})
					u.Set(pdf.Ref{Num: 3}, p)
				})
			}},
		{name: "a new catalog object with equal content", allowed: "0123",
			rule: "ISO 32000-1 7.5.5 (/Root names the catalog; its number is not its content)",
			base: plain("/PageLayout/OneColumn"), want: ModNone,
			later: func(t testing.TB, doc []byte) []byte {
				return rawUpdate(t, doc, 30, map[int]string{30: "<</PageLayout/OneColumn/Type/Catalog/Pages 2 0 R/AcroForm 31 0 R>>", 31: "<</Fields[7 0 R]/SigFlags 3>>"})
			}},
		{name: "a new catalog object with other content", allowed: "",
			rule: "ISO 32000-1 7.5.5: the new catalog's entries are judged as the catalog's",
			base: plain("/PageLayout/OneColumn"), want: ModOther, detail: "catalog /PageLayout changed",
			later: func(t testing.TB, doc []byte) []byte {
				return rawUpdate(t, doc, 30, map[int]string{30: "<</PageLayout/TwoColumnLeft/Type/Catalog/Pages 2 0 R/AcroForm 31 0 R>>", 31: "<</Fields[7 0 R]/SigFlags 3>>"})
			}},
		{name: "iText's /ITXT on the page tree", allowed: "023",
			rule: "a producer's private key on a /Pages node: nothing drawn changes (ISO 32000-1 7.7.3.2 lists what a page tree node holds)",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1/ITXT(5.5.13)>>", tPage, tContent, tFont),
			want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					addSignature(t, d, u, sigOpts{})
					pt := mustDict(t, d, 2)
					pt["ITXT"] = pdf.String("7.2.5")
					u.Set(pdf.Ref{Num: 2}, pt)
				})
			}},
		{name: "Acrobat's application data (/PieceInfo, /LastModified) on the page and the catalog", allowed: "023",
			rule: "ISO 32000-1 14.5 (page-piece dictionaries: private data of the application, never drawn)",
			base: plain(""), want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					f := addSignature(t, d, u, sigOpts{rect: ints(300, 100, 500, 160)})
					p := mustDict(t, d, 3)
					arr, _ := p.Get("Annots").(pdf.Array)
					p["Annots"] = append(arr.Clone(), f)
					p["LastModified"] = pdf.String("D:20261207010000+07'00'")
					p["PieceInfo"] = pdf.Dict{"AdobePhotoshop": pdf.Dict{"LastModified": pdf.String("D:20261207"), "Private": u.Add(pdf.Dict{"x": pdf.Integer(1)})}}
					u.Set(pdf.Ref{Num: 3}, p)
					c := mustDict(t, d, 1)
					af, _ := asDict(c.Get("AcroForm"))
					fields, _ := af.Get("Fields").(pdf.Array)
					c["AcroForm"] = pdf.Dict{"Fields": append(fields.Clone(), f), "SigFlags": pdf.Integer(3)}
					c["PieceInfo"] = pdf.Dict{"kyso": pdf.Dict{"LastModified": pdf.String("D:20261207")}}
					c["LastModified"] = pdf.String("D:20261207")
					u.Set(pdf.Ref{Num: 1}, c)
				})
			}},
		{name: "structure tree extended for the new widget (PDF/UA)", allowed: "023",
			rule: "ISO 14289-1 7.18.1 and 7.18.4 (a widget is tagged: /Form element, OBJR, /StructParent, /Tabs /S); ISO 32000-1 14.7.4.4 (parent tree)",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/MarkInfo<</Marked true>>/StructTreeRoot 6 0 R>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/StructParents 0>>",
				"stream:/P <</MCID 0>> BDC BT /F1 24 Tf 72 720 Td (Hello kyso) Tj ET EMC", tFont,
				"<</Type/StructTreeRoot/K 7 0 R/ParentTree 8 0 R/ParentTreeNextKey 1>>",
				"<</Type/StructElem/S/Document/P 6 0 R/K[9 0 R]>>", "<</Nums[0[9 0 R]]>>",
				"<</Type/StructElem/S/P/P 7 0 R/Pg 3 0 R/K 0>>"),
			want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					f := addSignature(t, d, u, sigOpts{rect: ints(300, 100, 500, 160), extra: pdf.Dict{"StructParent": pdf.Integer(1)}})
					elem := u.Add(pdf.Dict{"Type": pdf.Name("StructElem"), "S": pdf.Name("Form"), "P": pdf.Ref{Num: 7}, "Pg": pdf.Ref{Num: 3},
						"K": pdf.Dict{"Type": pdf.Name("OBJR"), "Obj": f, "Pg": pdf.Ref{Num: 3}}})
					root := mustDict(t, d, 6)
					root["ParentTreeNextKey"] = pdf.Integer(2)
					u.Set(pdf.Ref{Num: 6}, root)
					doc := mustDict(t, d, 7)
					doc["K"] = pdf.Array{pdf.Ref{Num: 9}, elem}
					u.Set(pdf.Ref{Num: 7}, doc)
					u.Set(pdf.Ref{Num: 8}, pdf.Dict{"Nums": pdf.Array{pdf.Integer(0), pdf.Array{pdf.Ref{Num: 9}}, pdf.Integer(1), elem}})
					// addSignature rewrote the page for /Annots: add /Tabs /S too.
					for _, r := range u.Objects() {
						if r.Num == 3 {
							p := mustDict(t, d, 3)
							arr, _ := p.Get("Annots").(pdf.Array)
							p["Annots"] = append(arr.Clone(), f)
							p["Tabs"] = pdf.Name("S")
							u.Set(r, p)
						}
					}
				})
			}},
		{name: "structure tree element rewritten (not only extended)", allowed: "",
			rule: "ISO 32000-1 14.7: the structure is part of the document; changing it is not a signature's business",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/StructTreeRoot 6 0 R>>", tPages, tPage, tContent, tFont,
				"<</Type/StructTreeRoot/K 7 0 R>>", "<</Type/StructElem/S/P/P 6 0 R/Pg 3 0 R/K 0/Alt(Tiêu đề)>>"),
			want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					e := mustDict(t, d, 7)
					e["Alt"] = pdf.String("Số tiền: 900.000.000 đồng")
					u.Set(pdf.Ref{Num: 7}, e)
				})
			}},
		{name: "/ActualText added to an existing structure element", allowed: "",
			rule: "ISO 32000-1 14.9.4 (replacement text): what text extraction and screen readers read changes",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/StructTreeRoot 6 0 R>>", tPages, tPage, tContent, tFont,
				"<</Type/StructTreeRoot/K 7 0 R>>", "<</Type/StructElem/S/P/P 6 0 R/Pg 3 0 R/K 0>>"),
			want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					e := mustDict(t, d, 7)
					e["ActualText"] = pdf.String("Số tiền: 900.000.000 đồng")
					u.Set(pdf.Ref{Num: 7}, e)
				})
			}},
		{name: "a page's /StructParents changed", allowed: "",
			rule: "ISO 32000-1 14.7.4.4: the page's marked content would map to other structure elements",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/StructParents 0>>", tContent, tFont),
			want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					p := mustDict(t, d, 3)
					p["StructParents"] = pdf.Integer(1)
					u.Set(pdf.Ref{Num: 3}, p)
				})
			}},
		{name: "/I of a list box changes with its value", allowed: "023",
			rule: "ISO 32000-1 12.7.4.4 table 231 (/I: selected indices of a choice field): form filling",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R]>>>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[6 0 R]>>", tContent, tFont,
				"<</FT/Ch/T(Danh sách)/Opt[(A)(B)(C)]/V(A)/I[0]/Type/Annot/Subtype/Widget/Rect[10 10 100 60]/P 3 0 R>>"),
			want: ModFormFilling,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					f := mustDict(t, d, 6)
					f["V"], f["I"] = pdf.String("B"), ints(1)
					u.Set(pdf.Ref{Num: 6}, f)
				})
			}},
		{name: "/Ff ReadOnly set on the field being signed", allowed: "023",
			rule: "ISO 32000-1 12.7.3.1 table 221 (ReadOnly): signing tools lock the field they sign",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R]>>>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[6 0 R]>>", tContent, tFont,
				"<</FT/Sig/T(Lãnh đạo)/Type/Annot/Subtype/Widget/Rect[0 0 0 0]/P 3 0 R>>"),
			want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					f := mustDict(t, d, 6)
					f["V"] = u.Add(pdf.Dict{"Type": pdf.Name("Sig"), "Contents": pdf.HexString("\x00"), "ByteRange": ints(0, 0, 0, 0)})
					f["Ff"] = pdf.Integer(1)
					u.Set(pdf.Ref{Num: 6}, f)
				})
			}},
		{name: "an /AP name tree added, /Names rewritten to an equal copy", allowed: "0123",
			rule: "ISO 32000-1 7.7.4 table 31 (/AP: named appearance streams, drawn only when an annotation uses them)",
			base: plain("/Names 6 0 R", "<</Dests 7 0 R>>", "<</Names[(trang1)[3 0 R/Fit]]>>"),
			want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					ap := []byte("0 g 0 0 10 10 re f")
					st := u.Add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"), "BBox": ints(0, 0, 10, 10), "Length": pdf.Integer(len(ap))}, Data: ap})
					cat := mustDict(t, d, 1)
					cat["Names"] = u.Add(pdf.Dict{"Dests": u.Add(pdf.Dict{"Names": pdf.Array{pdf.String("trang1"), pdf.Array{pdf.Ref{Num: 3}, pdf.Name("Fit")}}}),
						"AP": pdf.Dict{"Names": pdf.Array{pdf.String("stamp"), st}}})
					u.Set(pdf.Ref{Num: 1}, cat)
				})
			}},
		{name: "a named destination redirected", allowed: "",
			rule: "ISO 32000-1 12.3.2.3: where a link leads is part of the document",
			base: plain("/Names 6 0 R", "<</Dests 7 0 R>>", "<</Names[(trang1)[3 0 R/Fit]]>>"),
			want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					u.Set(pdf.Ref{Num: 7}, pdf.Dict{"Names": pdf.Array{pdf.String("trang1"), pdf.Array{pdf.Ref{Num: 3}, pdf.Name("XYZ"), pdf.Integer(0), pdf.Integer(0), pdf.Integer(4)}}})
				})
			}},

		// ---- Misses.
		{name: "a form field's widget emptied in place", allowed: "",
			rule: "ISO 32000-1 12.8.2.2.1: P=2/P=3 allow filling fields, not removing what a field shows",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R]>>>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[6 0 R]>>", tContent, tFont,
				"<</FT/Tx/T(Số tiền)/V(100.000 đồng)/Type/Annot/Subtype/Widget/Rect[10 10 200 40]/P 3 0 R/AP<</N 7 0 R>>>>",
				"stream:BT /F1 10 Tf 2 5 Td (100.000 dong) Tj ET"),
			want: ModOther, detail: "lost its appearance",
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					f := mustDict(t, d, 6)
					delete(f, "AP")
					u.Set(pdf.Ref{Num: 6}, f)
				})
			}},
		{name: "a form field's widget hidden in place", allowed: "",
			rule: "ISO 32000-1 12.5.3 (Hidden flag): the field's value disappears from the page",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R]>>>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[8 0 R]>>", tContent, tFont,
				"<</FT/Tx/T(Số tiền)/V(100.000 đồng)/Kids[8 0 R]>>",
				"stream:BT /F1 10 Tf 2 5 Td (100.000 dong) Tj ET",
				"<</Type/Annot/Subtype/Widget/Parent 6 0 R/Rect[10 10 200 40]/F 4/P 3 0 R/AP<</N 7 0 R>>>>"),
			want: ModOther, detail: "was hidden",
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					w := mustDict(t, d, 8)
					w["F"] = pdf.Integer(6)
					u.Set(pdf.Ref{Num: 8}, w)
				})
			}},
		{name: "an unsigned visible signature field (sneaky signature)", allowed: "0",
			rule: "Rohlmann et al., 'Breaking the Specification: PDF Certification' (IEEE S&P 2021), SSA; ISO 32000-2 12.8.2.2: P=2 allows signing",
			base: plain(""), want: ModFormFilling, unsigned: 1,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					addSignature(t, d, u, sigOpts{rect: ints(72, 700, 272, 740), unsaved: true})
				})
			}},
		{name: "an existing empty signature field given an appearance without a signature", allowed: "0",
			rule: "as the sneaky signature: an overlay drawn by an empty signature field",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R]>>>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[6 0 R]>>", tContent, tFont,
				"<</FT/Sig/T(Giám đốc)/Type/Annot/Subtype/Widget/Rect[300 100 500 160]/F 4/P 3 0 R>>"),
			want: ModFormFilling, unsigned: 1,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					ap := []byte("0 g BT /F1 12 Tf 5 30 Td (Da duyet) Tj ET")
					f := mustDict(t, d, 6)
					f["AP"] = pdf.Dict{"N": u.Add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"),
						"BBox": ints(0, 0, 200, 60), "Length": pdf.Integer(len(ap))}, Data: ap})}
					u.Set(pdf.Ref{Num: 6}, f)
				})
			}},
		{name: "an unsigned visible signature field, signed in a later revision", allowed: "023",
			rule: "ISO 32000-2 12.8.2.2: preparing a field then signing it is signing",
			base: plain(""), want: ModFormFilling, unsigned: 0,
			later: func(t testing.TB, doc []byte) []byte {
				var field pdf.Ref
				doc = appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					field = addSignature(t, d, u, sigOpts{rect: ints(72, 700, 272, 740), unsaved: true})
				})
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					f, _ := asDict(mustGet(t, d, field.Num))
					f = f.Clone()
					f["V"] = u.Add(pdf.Dict{"Type": pdf.Name("Sig"), "Contents": pdf.HexString("\x00"), "ByteRange": ints(0, 0, 0, 0)})
					u.Set(field, f)
				})
			}},
		{name: "an object freed by a later revision", allowed: "",
			rule: "ISO 32000-1 7.5.4 (a free entry makes the object null): the page loses its content",
			base: plain(""), want: ModOther, detail: "object removed",
			later: func(t testing.TB, doc []byte) []byte {
				d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
				require.NoError(t, err)
				revs := d.Revisions()
				sec := fmt.Sprintf("xref\n4 1\n0000000000 00001 f \ntrailer\n<</Size 9/Root 1 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n",
					revs[len(revs)-1].XRefOffset, len(doc))
				return append(bytes.Clone(doc), sec...)
			}},
		{name: "an object replaced by a copy everywhere, then freed", allowed: "0123",
			rule: "ISO 32000-1 7.5.4: a free object no one refers to is garbage",
			base: plain(""), want: ModNone,
			later: func(t testing.TB, doc []byte) []byte {
				d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
				require.NoError(t, err)
				revs := d.Revisions()
				size := int(d.Trailer().Get("Size").(pdf.Integer))
				var b bytes.Buffer
				b.Write(doc)
				font := b.Len()
				fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", size, tFont)
				page := b.Len()
				fmt.Fprintf(&b, "3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 %d 0 R>>>>/Annots[7 0 R]>>\nendobj\n", size)
				xref := b.Len()
				fmt.Fprintf(&b, "xref\n3 1\n%010d 00000 n \n5 1\n0000000000 00001 f \n%d 1\n%010d 00000 n \n", page, size, font)
				fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n", size+1, revs[len(revs)-1].XRefOffset, xref)
				return b.Bytes()
			}},
		{name: "a reference to a missing object filled in later", allowed: "",
			rule: "ISO 32000-1 7.3.10 (a reference to a missing object is null): defining it adds content",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents[4 0 R 20 0 R]/Resources<</Font<</F1 5 0 R>>>>>>", tContent, tFont),
			want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					evil := []byte("BT /F1 24 Tf 72 600 Td (Evil text) Tj ET")
					u.Set(pdf.Ref{Num: 20}, &pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(len(evil))}, Data: evil})
				})
			}},
		{name: "an outline item retitled", allowed: "",
			rule: "ISO 32000-1 12.3.3: outlines are part of the document; P=1..3 allow none of this",
			base: plain("/Outlines 6 0 R", "<</Type/Outlines/First 7 0 R/Last 7 0 R/Count 1>>", "<</Title(Trang 1)/Parent 6 0 R/Dest[3 0 R/Fit]>>"),
			want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					o := mustDict(t, d, 7)
					o["Title"] = pdf.String("Hợp đồng đã hủy")
					u.Set(pdf.Ref{Num: 7}, o)
				})
			}},
		{name: "a JavaScript /OpenAction added", allowed: "",
			rule: "ISO 32000-1 12.6.4.16: an action run on opening changes what the reader sees",
			base: plain(""), want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					c := mustDict(t, d, 1)
					c["OpenAction"] = pdf.Dict{"S": pdf.Name("JavaScript"), "JS": pdf.String("app.alert(1)")}
					u.Set(pdf.Ref{Num: 1}, c)
				})
			}},

		// ---- What another validator's test suite (EU DSS, iText, pdf.js) appends most.
		{name: "a text annotation added", allowed: "03",
			rule: "ISO 32000-1 12.8.2.2.2 table 254: P=3 allows annotations, P=2 only form filling and signing, P=1 nothing",
			base: plain(""), want: ModAnnotations,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					p := mustDict(t, d, 3)
					arr, _ := resolveQuiet(d, p.Get("Annots")).(pdf.Array)
					p["Annots"] = append(arr.Clone(), u.Add(pdf.Dict{"Type": pdf.Name("Annot"), "Subtype": pdf.Name("Text"),
						"Rect": ints(10, 10, 30, 30), "Contents": pdf.String("ghi chú"), "P": pdf.Ref{Num: 3}}))
					u.Set(pdf.Ref{Num: 3}, p)
				})
			}},
		{name: "a text field's value changed", allowed: "023",
			rule: "ISO 32000-1 12.8.2.2.2 table 254: P=2 and P=3 allow filling in forms",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R]/DA(/Helv 0 Tf 0 g)>>>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[6 0 R]>>", tContent, tFont,
				"<</FT/Tx/T(Họ tên)/V(Nguyễn Văn A)/Type/Annot/Subtype/Widget/Rect[10 10 200 40]/P 3 0 R/AP<</N 8 0 R>>>>",
				"stream:BT /F1 10 Tf 2 5 Td (Nguyen Van A) Tj ET"),
			want: ModFormFilling,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					f := mustDict(t, d, 6)
					f["V"] = pdf.String("Trần Thị B")
					ap := []byte("BT /F1 10 Tf 2 5 Td (Tran Thi B) Tj ET")
					f["AP"] = pdf.Dict{"N": u.Add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"),
						"BBox": ints(0, 0, 190, 30), "Length": pdf.Integer(len(ap))}, Data: ap})}
					u.Set(pdf.Ref{Num: 6}, f)
				})
			}},
		{name: "a page added", allowed: "",
			rule: "ISO 32000-1 12.8.2.2.2 table 254: no DocMDP level allows adding pages (Adobe's page templates aside)",
			base: plain(""), want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					np := u.Add(pdf.Dict{"Type": pdf.Name("Page"), "Parent": pdf.Ref{Num: 2}, "MediaBox": ints(0, 0, 612, 792), "Contents": pdf.Ref{Num: 4},
						"Resources": pdf.Dict{"Font": pdf.Dict{"F1": pdf.Ref{Num: 5}}}})
					pt := mustDict(t, d, 2)
					kids, _ := pt.Get("Kids").(pdf.Array)
					pt["Kids"], pt["Count"] = append(kids.Clone(), np), pdf.Integer(2)
					u.Set(pdf.Ref{Num: 2}, pt)
				})
			}},
		{name: "the document information dictionary changed", allowed: "0123",
			rule: "ISO 32000-1 14.3.3 (document information): metadata, never drawn; PAdES signing tools update /ModDate",
			base: plain(""), want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					u.SetInfo(u.Add(pdf.Dict{"Producer": pdf.String("iText® 7.2.5"), "ModDate": pdf.String("D:20261207020000+07'00'")}))
				})
			}},
		{name: "the XMP metadata stream replaced", allowed: "0123",
			rule: "ISO 32000-1 14.3.2 (metadata streams): metadata, never drawn",
			base: plain("/Metadata 6 0 R", "stream:<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"), want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					x := []byte("<x:xmpmeta xmlns:x='adobe:ns:meta/'><!-- ModifyDate 2026-12-07 --></x:xmpmeta>")
					u.Set(pdf.Ref{Num: 6}, &pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("Metadata"), "Subtype": pdf.Name("XML"), "Length": pdf.Integer(len(x))}, Data: x})
				})
			}},

		{name: "a later signature in a new field named as the signed one", allowed: "",
			rule: "ISO 32000-1 12.7.3.2: fields with one fully qualified name are one field; a second /V passes off as the signed field's",
			base: plain(""), want: ModOther, detail: `takes the name "Sig1"`,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					addSignature(t, d, u, sigOpts{rect: ints(300, 100, 500, 160), extra: pdf.Dict{"T": pdf.String("Sig1")}})
				})
			}},

		// ---- What an object is decides how its changes are judged: a page, the catalog
		// or the form named from a page's content or resources is still that.
		{name: "a page named in its own /SeparationInfo gets a second signature's widget", allowed: "023",
			rule: "ISO 32000-1 14.11.4 (/SeparationInfo /Pages lists the page itself): a reference, not content; 12.8.2.2.1 (signing allowed)",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/SeparationInfo<</Pages[3 0 R]/DeviceColorant/Cyan>>>>",
				tContent, tFont),
			want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) { addSignature(t, d, u, sigOpts{rect: ints(300, 100, 500, 160)}) })
			}},
		{name: "a page named from its resources, its /Annots an indirect array", allowed: "023",
			rule: "ISO 32000-1 7.7.3.3 (a page's /Annots is not drawn content); 12.8.2.2.1 (signing allowed)",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>/Properties<</MC0<</Pg 3 0 R>>>>>>/Annots 6 0 R>>",
				tContent, tFont, "[7 0 R]", "<</Type/Annot/Subtype/Text/Rect[10 10 30 30]/Contents(ghi chú)>>"),
			want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) { addSignature(t, d, u, sigOpts{rect: ints(300, 100, 500, 160)}) })
			}},
		{name: "the catalog and the form named from a page's resources", allowed: "023",
			rule: "ISO 32000-1 7.7.2 (the catalog), 12.7.2 (the form): judged as what they are; 12.8.2.2.1 (signing allowed)",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R/AcroForm 6 0 R>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>/Properties<</MC0 1 0 R/MC1 6 0 R>>>>>>",
				tContent, tFont, "<</Fields[]>>"),
			want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				doc = appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) { addSignature(t, d, u, sigOpts{}) })
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					c := mustDict(t, d, 1)
					c["DSS"] = u.Add(pdf.Dict{"Certs": pdf.Array{}})
					u.Set(pdf.Ref{Num: 1}, c)
				})
			}},
		{name: "a page named in its own /SeparationInfo: its /Contents replaced", allowed: "", detail: "page /Contents changed",
			rule: "ISO 32000-1 12.8.2.2.2 table 254: no DocMDP level allows changing what a page draws",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/SeparationInfo<</Pages[3 0 R]/DeviceColorant/Cyan>>>>",
				tContent, tFont),
			want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					f := addSignature(t, d, u, sigOpts{})
					p := mustDict(t, d, 3)
					p["Annots"] = pdf.Array{f} // what addSignature set, with the content replaced
					p["Contents"] = u.Add(&pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(28)}, Data: []byte("BT /F1 24 Tf (Forged) Tj ET")})
					u.Set(pdf.Ref{Num: 3}, p)
				})
			}},
		{name: "a page named from its resources: a font added to its resources", allowed: "", detail: "page /Resources changed",
			rule: "ISO 32000-1 12.8.2.2.2 table 254: no DocMDP level allows changing what a page draws",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>/Properties<</MC0<</Pg 3 0 R>>>>>>>>",
				tContent, tFont),
			want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					p := mustDict(t, d, 3)
					p["Resources"] = pdf.Dict{"Font": pdf.Dict{"F1": pdf.Ref{Num: 5}, "F2": pdf.Ref{Num: 5}}, "Properties": pdf.Dict{"MC0": pdf.Dict{"Pg": pdf.Ref{Num: 3}}}}
					u.Set(pdf.Ref{Num: 3}, p)
				})
			}},
		{name: "a dictionary typed /Page outside the page tree, named from resources, changed", allowed: "", detail: "page content",
			rule: "a /Type /Page that no /Kids lists is no page: what the resources name is judged as content",
			base: pdftest.Hand("<</Type/Catalog/Pages 2 0 R>>", tPages,
				"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>/Properties<</MC0 6 0 R>>>>>>",
				tContent, tFont, "<</Type/Page/Parent 2 0 R/Lang(vi)>>"),
			want: ModOther,
			later: func(t testing.TB, doc []byte) []byte {
				return rawUpdate(t, doc, 1, map[int]string{6: "<</Type/Page/Parent 2 0 R/Lang(en)>>"})
			}},

		// ---- Long-term validation updates.
		{name: "DSS with VRI, then a document time-stamp (B-LTA)", allowed: "0123",
			rule: "ETSI EN 319 142-1 5.4 (DSS, VRI) and 5.5 (document time-stamp): allowed under every DocMDP level",
			base: plain(""), want: ModLTAUpdates,
			later: func(t testing.TB, doc []byte) []byte {
				doc = appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					c := mustDict(t, d, 1)
					c["DSS"] = u.Add(pdf.Dict{"Certs": pdf.Array{u.Add(&pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(3)}, Data: []byte("abc")})},
						"VRI": pdf.Dict{"0123456789ABCDEF0123456789ABCDEF01234567": pdf.Dict{"Cert": pdf.Array{}}}})
					c["Extensions"] = pdf.Dict{"ESIC": pdf.Dict{"BaseVersion": pdf.Name("1.7"), "ExtensionLevel": pdf.Integer(5)}}
					u.Set(pdf.Ref{Num: 1}, c)
				})
				return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
					addSignature(t, d, u, sigOpts{extra: pdf.Dict{"V": u.Add(pdf.Dict{"Type": pdf.Name("DocTimeStamp"), "SubFilter": pdf.Name("ETSI.RFC3161"),
						"Contents": pdf.HexString("\x00"), "ByteRange": ints(0, 0, 0, 0)})}})
				})
			}},
	}

}

// TestDiffLinear: the analysis walks each object once, plus once per change of it: on
// a document of 300 pages, 60 small revisions cost a handful of visits each, not a
// walk of the whole document each (the old analysis walked every revision whole).
func TestDiffLinear(t *testing.T) {
	const pages = 300
	objs := []string{"<</Type/Catalog/Pages 2 0 R/Outlines 3 0 R>>", "", "<</Type/Outlines/Count 0>>", tContent, tFont}
	var kids []string
	for i := 0; i < pages; i++ {
		n := len(objs) + 1
		kids = append(kids, fmt.Sprintf("%d 0 R", n))
		objs = append(objs, fmt.Sprintf("<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[%d 0 R]>>", n+1),
			"<</Type/Annot/Subtype/Text/Rect[10 10 30 30]/Contents(ghi chú)>>")
	}
	objs[1] = fmt.Sprintf("<</Type/Pages/Kids[%s]/Count %d>>", strings.Join(kids, " "), pages)
	doc := signedOnceOn(t, pdftest.Hand(objs...), 6)
	visits := func(revisions int) int {
		d := doc
		for i := 0; i < revisions; i++ {
			d = appendUpdate(t, d, func(pd *pdf.Document, u *pdf.Update) {
				u.SetInfo(u.Add(pdf.Dict{"Producer": pdf.String(fmt.Sprintf("revision %d", i))}))
			})
		}
		pd, err := pdf.Open(bytes.NewReader(d), int64(len(d)), nil)
		require.NoError(t, err)
		df := newDiffer(pd)
		mc := df.since(1)
		require.NotEqual(t, ModOther, mc.class, "%+v", mc.changes)
		return df.visits
	}
	v10, v60 := visits(10), visits(60)
	t.Logf("visits: 10 revisions %d, 60 revisions %d (document: %d objects)", v10, v60, len(objs))
	assert.Less(t, v60-v10, 50*10, "50 more revisions must cost a few visits each, not a walk of the document each")
}

// signedOnceOn signs doc with an invisible signature whose widget is on page pageNum.
func signedOnceOn(t testing.TB, doc []byte, pageNum int) []byte {
	return appendUpdate(t, doc, func(d *pdf.Document, u *pdf.Update) {
		v := u.Add(pdf.Dict{"Type": pdf.Name("Sig"), "ByteRange": ints(0, 0, 0, 0), "Contents": pdf.HexString("\x00")})
		f := u.Add(pdf.Dict{"FT": pdf.Name("Sig"), "T": pdf.String("Sig1"), "Type": pdf.Name("Annot"), "Subtype": pdf.Name("Widget"),
			"Rect": ints(0, 0, 0, 0), "P": pdf.Ref{Num: pageNum}, "V": v})
		c := mustDict(t, d, 1)
		c["AcroForm"] = pdf.Dict{"Fields": pdf.Array{f}, "SigFlags": pdf.Integer(3)}
		u.Set(pdf.Ref{Num: 1}, c)
		p := mustDict(t, d, pageNum)
		arr, _ := p.Get("Annots").(pdf.Array)
		p["Annots"] = append(arr.Clone(), f)
		u.Set(pdf.Ref{Num: pageNum}, p)
	})
}
