package signature_test

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

var brArrayRE = regexp.MustCompile(`/ByteRange\s*\[[^\]]*\]`)

// setByteRange rewrites the last /ByteRange in place (same length, space padded).
func setByteRange(t testing.TB, doc []byte, vals ...int64) []byte {
	t.Helper()
	all := brArrayRE.FindAllIndex(doc, -1)
	require.NotEmpty(t, all)
	m := all[len(all)-1]
	var parts []string
	for _, v := range vals {
		parts = append(parts, fmt.Sprint(v))
	}
	repl := "/ByteRange [" + strings.Join(parts, " ") + "]"
	require.LessOrEqual(t, len(repl), m[1]-m[0])
	repl += strings.Repeat(" ", m[1]-m[0]-len(repl))
	out := bytes.Clone(doc)
	copy(out[m[0]:], repl)
	return out
}

// patchLast replaces the last occurrence of old with new (same length).
func patchLast(t testing.TB, doc []byte, old, new string) []byte {
	t.Helper()
	require.Equal(t, len(old), len(new))
	i := bytes.LastIndex(doc, []byte(old))
	require.GreaterOrEqual(t, i, 0, "%q not found", old)
	out := bytes.Clone(doc)
	copy(out[i:], new)
	return out
}

// update appends an incremental update made by f.
func update(t testing.TB, doc []byte, f func(d *pdf.Document, u *pdf.Update)) []byte {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	u := d.NewUpdate()
	f(d, u)
	b, err := u.Bytes()
	require.NoError(t, err)
	return append(bytes.Clone(doc), b...)
}

// firstPage returns page 1 of d.
func firstPage(t testing.TB, d *pdf.Document) pdf.Page {
	pages, err := d.Pages()
	require.NoError(t, err)
	return pages[0]
}

// redirectXRef appends a classic cross-reference section that points object num at off,
// without writing any object: the "xref redirect" of a signed object.
func redirectXRef(t testing.TB, doc []byte, num int, off int) []byte {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	revs := d.Revisions()
	tr := d.Trailer()
	root := tr.Get("Root").(pdf.Ref)
	size := tr.Get("Size").(pdf.Integer)
	start := len(doc)
	sec := fmt.Sprintf("xref\n%d 1\n%010d 00000 n \ntrailer\n<</Size %d/Root %d %d R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n",
		num, off, size, root.Num, root.Gen, revs[len(revs)-1].XRefOffset, start)
	return append(bytes.Clone(doc), sec...)
}

// otherLeader makes a certificate with the leader's issuer, serial and subject but
// another key, whose DER has the same length as the leader's.
func otherLeader(t testing.TB, p *vtPKI) *x509.Certificate {
	for i := 0; i < 200; i++ {
		k := vtKey(t)
		tmpl := &x509.Certificate{Subject: p.leader.Subject, NotBefore: p.leader.NotBefore, NotAfter: p.leader.NotAfter,
			KeyUsage: p.leader.KeyUsage, SerialNumber: p.leader.SerialNumber}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, k.Public(), p.caKey)
		require.NoError(t, err)
		if len(der) == len(p.leader.Raw) {
			c, err := x509.ParseCertificate(der)
			require.NoError(t, err)
			return c
		}
	}
	t.Fatal("could not make a same-length certificate")
	return nil
}

// addFieldWithValue appends an update adding a signature field named "Lãnh đạo" whose
// /V is value(the first signature field's /V): the same signature shown in two fields.
func addFieldWithValue(t *testing.T, doc []byte, value func(d *pdf.Document, v pdf.Object) pdf.Object) []byte {
	return update(t, doc, func(d *pdf.Document, u *pdf.Update) {
		fields, err := d.Fields()
		require.NoError(t, err)
		fieldRef := u.Add(pdf.Dict{"FT": pdf.Name("Sig"), "T": pdf.String("Lãnh đạo"), "V": value(d, fields[0].Dict.Get("V"))})
		cat, err := d.Catalog()
		require.NoError(t, err)
		af, _ := d.Resolve(cat.Get("AcroForm"))
		form := af.(pdf.Dict).Clone()
		fa, _ := d.Resolve(form.Get("Fields"))
		form["Fields"] = append(fa.(pdf.Array).Clone(), fieldRef)
		if ref, ok := cat.Get("AcroForm").(pdf.Ref); ok {
			u.Set(ref, form)
		} else {
			nc := cat.Clone()
			nc["AcroForm"] = form
			u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
		}
	})
}

// addEmptySigField appends an update adding an empty signature field whose widget on
// page 1 has rectangle rect and an appearance that writes over the page.
func addEmptySigField(t *testing.T, doc []byte, rect pdf.Array) []byte {
	return addSigFieldWithValue(t, doc, rect, nil)
}

// addSigFieldWithValue is addEmptySigField with /V set to value when not nil.
func addSigFieldWithValue(t *testing.T, doc []byte, rect pdf.Array, value pdf.Dict) []byte {
	return update(t, doc, func(d *pdf.Document, u *pdf.Update) {
		pg := firstPage(t, d)
		ap := []byte("1 1 1 rg 0 0 200 40 re f 0 g BT /F1 12 Tf 5 15 Td (Số tiền: 900.000.000 đồng) Tj ET")
		fd := pdf.Dict{"FT": pdf.Name("Sig"), "T": pdf.String("Sneaky"), "Type": pdf.Name("Annot"),
			"Subtype": pdf.Name("Widget"), "Rect": rect, "F": pdf.Integer(4), "P": pg.Ref,
			"AP": pdf.Dict{"N": u.Add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"),
				"BBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(200), pdf.Integer(40)}, "Length": pdf.Integer(len(ap))}, Data: ap})}}
		if value != nil {
			fd["V"] = u.Add(value)
		}
		fieldRef := u.Add(fd)
		cat, err := d.Catalog()
		require.NoError(t, err)
		af, _ := d.Resolve(cat.Get("AcroForm"))
		form := af.(pdf.Dict).Clone()
		fa, _ := d.Resolve(form.Get("Fields"))
		form["Fields"] = append(fa.(pdf.Array).Clone(), fieldRef)
		nc := cat.Clone()
		if ref, ok := cat.Get("AcroForm").(pdf.Ref); ok {
			u.Set(ref, form)
		} else {
			nc["AcroForm"] = form
			u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
		}
		nd := pg.Dict.Clone()
		annots, _ := d.Resolve(nd.Get("Annots"))
		arr, _ := annots.(pdf.Array)
		nd["Annots"] = append(arr.Clone(), fieldRef)
		u.Set(pg.Ref, nd)
	})
}

func TestVerifyNegativeCorpus(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	p := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	base := pdftest.Classic()
	signed := vtSign(t, p, base, &signature.SignOptions{Time: now})
	twice := vtSign(t, p, signed, &signature.SignOptions{Time: now})
	br, _ := lastByteRange(t, signed)

	type want struct {
		ind signature.Indication
		sub signature.SubIndication
		mod signature.Modification // checked when not ""
	}
	type attack struct {
		name string
		doc  func(t *testing.T) []byte
		pki  *vtPKI
		sig  int // which signature to judge; -1 the last
		want want
	}

	// Expired: a certificate valid two years ago until a year ago.
	old := newVTPKI(t, now.Add(-2*365*24*time.Hour), now.Add(-365*24*time.Hour))
	expiredSigned := vtSign(t, old, base, &signature.SignOptions{Time: now})
	// Revoked an hour ago.
	rev := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	rev.revoked[rev.leader.SerialNumber.String()] = now.Add(-time.Hour)
	revokedSigned := vtSign(t, rev, base, &signature.SignOptions{Time: now})
	revokedEarlierClaim := vtSign(t, rev, base, &signature.SignOptions{Time: now.Add(-2 * time.Hour)})

	// A key stolen and its certificate revoked five days ago; the thief signs with a
	// claimed time ten days ago and adds a genuine "good" OCSP answer from back then.
	stolen := newVTPKI(t, now.Add(-365*24*time.Hour), now.Add(365*24*time.Hour))
	oldGood := stolen.ocspFor(t, stolen.leader, now.Add(-10*24*time.Hour))
	stolen.revoked[stolen.leader.SerialNumber.String()] = now.Add(-5 * 24 * time.Hour)
	backdated := addDSS(t, vtSign(t, stolen, base, &signature.SignOptions{Time: now.Add(-10 * 24 * time.Hour)}), nil, [][]byte{oldGood})

	// A TSA revoked an hour ago.
	tsaRev := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	tsaRev.revoked[tsaRev.tsa.SerialNumber.String()] = now.Add(-time.Hour)

	// A document whose signed revision holds an unused older version of the page
	// content, which a later cross-reference section brings back.
	hidden := update(t, base, func(d *pdf.Document, u *pdf.Update) {
		approved := []byte("BT /F1 24 Tf 72 760 Td (Approved text) Tj ET")
		u.Set(pdf.Ref{Num: 7}, &pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(len(approved))}, Data: approved})
	})
	hiddenSigned := vtSign(t, p, hidden, &signature.SignOptions{Time: now})
	origContentOff := bytes.Index(base, []byte("7 0 obj"))

	attacks := []attack{
		{"untouched", func(t *testing.T) []byte { return signed }, p, -1, want{signature.TotalPassed, "", signature.ModNone}},
		{"whitespace after %%EOF", func(t *testing.T) []byte { return append(bytes.Clone(signed), "\r\n\n"...) }, p, -1,
			want{signature.TotalPassed, "", signature.ModNone}},
		{"bytes appended after %%EOF", func(t *testing.T) []byte { return append(bytes.Clone(signed), "1 0 obj <</Type/Catalog>> endobj\n"...) }, p, -1,
			want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"incremental saving attack: objects and a trailer appended without a cross-reference", func(t *testing.T) []byte {
			d, err := pdf.Open(bytes.NewReader(signed), int64(len(signed)), nil)
			require.NoError(t, err)
			revs := d.Revisions()
			evil := fmt.Sprintf("7 0 obj\n<</Length 20>>\nstream\nBT (Evil text) Tj ET\nendstream\nendobj\ntrailer\n<</Size 13/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n",
				revs[len(revs)-1].XRefOffset)
			return append(bytes.Clone(signed), evil...)
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"content byte changed", func(t *testing.T) []byte { return patchLast(t, signed, "Hello kyso", "Hellx kyso") }, p, -1,
			want{signature.TotalFailed, signature.HashFailure, ""}},
		{"byte range with a second hole", func(t *testing.T) []byte {
			return setByteRange(t, signed, 0, br[1], br[2], br[3]-10, br[2]+br[3]-5, 5)
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"one byte range", func(t *testing.T) []byte { return setByteRange(t, signed, 0, br[1]) }, p, -1,
			want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"byte range not from 0", func(t *testing.T) []byte { return setByteRange(t, signed, 10, br[1]-10, br[2], br[3]) }, p, -1,
			want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"overlapping ranges", func(t *testing.T) []byte { return setByteRange(t, signed, 0, br[2]+5, br[2], br[3]) }, p, -1,
			want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"range outside the file", func(t *testing.T) []byte { return setByteRange(t, signed, 0, br[1], br[2], br[3]+1000) }, p, -1,
			want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"tail uncovered", func(t *testing.T) []byte { return setByteRange(t, signed, 0, br[1], br[2], br[3]-20) }, p, -1,
			want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"gap too big (wrapping)", func(t *testing.T) []byte { return setByteRange(t, signed, 0, br[1]-30, br[2], br[3]) }, p, -1,
			want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"universal forgery: empty /Contents", func(t *testing.T) []byte {
			hole := string(signed[br[1]:br[2]])
			return patchLast(t, signed, hole, "<"+strings.Repeat("0", len(hole)-2)+">")
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"universal forgery: no /ByteRange", func(t *testing.T) []byte { return patchLast(t, signed, "/ByteRange", "/ByteRangX") }, p, -1,
			want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"universal forgery: no /Contents", func(t *testing.T) []byte { return patchLast(t, signed, "/Contents <", "/Contentx <") }, p, -1,
			want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"/Contents swapped between signatures", func(t *testing.T) []byte {
			first, _ := contentsOf(t, signed)
			sd, err := cms.Parse(first)
			require.NoError(t, err)
			return replaceContents(t, twice, sd.Raw)
		}, p, -1, want{signature.TotalFailed, signature.HashFailure, ""}},
		{"signer certificate replaced", func(t *testing.T) []byte {
			der, _ := contentsOf(t, signed)
			fake := otherLeader(t, p)
			i := bytes.Index(der, p.leader.Raw)
			require.GreaterOrEqual(t, i, 0)
			nd := bytes.Clone(der)
			copy(nd[i:], fake.Raw)
			return replaceContents(t, signed, nd)
		}, p, -1, want{signature.TotalFailed, signature.SigCryptoFailure, ""}},
		{"shadow replace: page content replaced after signing", func(t *testing.T) []byte {
			return update(t, signed, func(d *pdf.Document, u *pdf.Update) {
				u.Set(pdf.Ref{Num: 7}, &pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(20)}, Data: []byte("BT (Evil text) Tj ET")})
			})
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"shadow hide: xref redirects a signed object to its hidden old version", func(t *testing.T) []byte {
			return redirectXRef(t, hiddenSigned, 7, origContentOff)
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"shadow hide: page /Contents pointed at a new object", func(t *testing.T) []byte {
			return update(t, signed, func(d *pdf.Document, u *pdf.Update) {
				pg := firstPage(t, d)
				nd := pg.Dict.Clone()
				nd["Contents"] = u.Add(&pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(20)}, Data: []byte("BT (Evil text) Tj ET")})
				u.Set(pg.Ref, nd)
			})
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"appearance of the signed signature replaced", func(t *testing.T) []byte {
			return update(t, signed, func(d *pdf.Document, u *pdf.Update) {
				fields, err := d.Fields()
				require.NoError(t, err)
				nd := fields[0].Dict.Clone()
				ap := []byte("BT (Signed by someone else) Tj ET")
				nd["AP"] = pdf.Dict{"N": u.Add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"),
					"BBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(100), pdf.Integer(20)}, "Length": pdf.Integer(len(ap))}, Data: ap})}
				u.Set(fields[0].Ref, nd)
			})
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"appearance stream of the signed signature redefined", func(t *testing.T) []byte {
			return update(t, signed, func(d *pdf.Document, u *pdf.Update) {
				fields, err := d.Fields()
				require.NoError(t, err)
				apd, _ := d.Resolve(fields[0].Dict.Get("AP"))
				ref := apd.(pdf.Dict).Get("N").(pdf.Ref)
				ap := []byte("BT (Signed by someone else) Tj ET")
				u.Set(ref, &pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"),
					"BBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(100), pdf.Integer(20)}, "Length": pdf.Integer(len(ap))}, Data: ap})
			})
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"object stream of the signed revision redefined", func(t *testing.T) []byte {
			doc := vtSign(t, p, pdftest.ObjectStreams(), &signature.SignOptions{Time: now})
			return update(t, doc, func(d *pdf.Document, u *pdf.Update) {
				for n := 1; n <= d.HighestObject(); n++ {
					o, err := d.Get(pdf.Ref{Num: n})
					st, ok := o.(*pdf.Stream)
					if err != nil || !ok || st.Dict.Get("Type") != pdf.Name("ObjStm") {
						continue
					}
					data, err := d.StreamData(st)
					require.NoError(t, err)
					nd := st.Dict.Clone()
					delete(nd, "Filter")
					delete(nd, "DecodeParms")
					nd["Length"] = pdf.Integer(len(data))
					u.Set(pdf.Ref{Num: n}, &pdf.Stream{Dict: nd, Data: bytes.Replace(data, []byte("/Type"), []byte("/Type"), 1)})
					return
				}
				t.Fatal("no object stream")
			})
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"signature widget removed from the page", func(t *testing.T) []byte {
			return update(t, signed, func(d *pdf.Document, u *pdf.Update) {
				pg := firstPage(t, d)
				nd := pg.Dict.Clone()
				delete(nd, "Annots")
				u.Set(pg.Ref, nd)
			})
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"catalog /OpenAction added", func(t *testing.T) []byte {
			return update(t, signed, func(d *pdf.Document, u *pdf.Update) {
				cat, _ := d.Catalog()
				nc := cat.Clone()
				nc["OpenAction"] = pdf.Dict{"S": pdf.Name("JavaScript"), "JS": pdf.String("app.alert(1)")}
				u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
			})
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"signature dictionary redefined with another ByteRange", func(t *testing.T) []byte {
			return update(t, signed, func(d *pdf.Document, u *pdf.Update) {
				fields, err := d.Fields()
				require.NoError(t, err)
				ref := fields[0].Dict.Get("V").(pdf.Ref)
				v, _ := d.Get(ref)
				nd := v.(pdf.Dict).Clone()
				nd["Reason"] = pdf.String("forged")
				u.Set(ref, nd)
			})
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, signature.ModOther}},
		{"annotation added (not certified)", func(t *testing.T) []byte {
			return update(t, signed, func(d *pdf.Document, u *pdf.Update) {
				pg := firstPage(t, d)
				nd := pg.Dict.Clone()
				annots, _ := d.Resolve(nd.Get("Annots"))
				arr, _ := annots.(pdf.Array)
				nd["Annots"] = append(arr.Clone(), u.Add(pdf.Dict{"Type": pdf.Name("Annot"), "Subtype": pdf.Name("Text"),
					"Rect": pdf.Array{pdf.Integer(10), pdf.Integer(10), pdf.Integer(30), pdf.Integer(30)}, "Contents": pdf.String("ghi chú")}))
				u.Set(pg.Ref, nd)
			})
		}, p, -1, want{signature.TotalPassed, "", signature.ModAnnotations}},
		{"annotation added under DocMDP P=1", func(t *testing.T) []byte {
			cert := vtSign(t, p, base, &signature.SignOptions{Time: now, Certify: signature.DocMDPNoChanges})
			return update(t, cert, func(d *pdf.Document, u *pdf.Update) {
				pg := firstPage(t, d)
				nd := pg.Dict.Clone()
				annots, _ := d.Resolve(nd.Get("Annots"))
				arr, _ := annots.(pdf.Array)
				nd["Annots"] = append(arr.Clone(), u.Add(pdf.Dict{"Type": pdf.Name("Annot"), "Subtype": pdf.Name("Text"),
					"Rect": pdf.Array{pdf.Integer(10), pdf.Integer(10), pdf.Integer(30), pdf.Integer(30)}}))
				u.Set(pg.Ref, nd)
			})
		}, p, 0, want{signature.TotalFailed, signature.FormatFailure, signature.ModAnnotations}},
		{"document time-stamp under DocMDP P=1", func(t *testing.T) []byte {
			cert := vtSign(t, p, base, &signature.SignOptions{Time: now, Certify: signature.DocMDPNoChanges})
			return addDocTimestamp(t, p, cert, now)
		}, p, 0, want{signature.TotalPassed, "", signature.ModLTAUpdates}},
		{"signature value claimed by a second field", func(t *testing.T) []byte {
			return addFieldWithValue(t, signed, func(d *pdf.Document, v pdf.Object) pdf.Object { return v })
		}, p, 0, want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"copy of a signature dictionary in a second field", func(t *testing.T) []byte {
			return addFieldWithValue(t, signed, func(d *pdf.Document, v pdf.Object) pdf.Object {
				sd, err := d.Resolve(v)
				require.NoError(t, err)
				return sd.(pdf.Dict).Clone()
			})
		}, p, -1, want{signature.TotalFailed, signature.FormatFailure, ""}},
		{"sneaky overlay: empty visible signature field added under DocMDP P=1", func(t *testing.T) []byte {
			cert := vtSign(t, p, base, &signature.SignOptions{Time: now, Certify: signature.DocMDPNoChanges})
			return addEmptySigField(t, cert, pdf.Array{pdf.Integer(72), pdf.Integer(700), pdf.Integer(272), pdf.Integer(740)})
		}, p, 0, want{signature.TotalFailed, signature.FormatFailure, signature.ModFormFilling}},
		{"empty visible signature field added (not certified)", func(t *testing.T) []byte {
			return addEmptySigField(t, signed, pdf.Array{pdf.Integer(72), pdf.Integer(700), pdf.Integer(272), pdf.Integer(740)})
		}, p, 0, want{signature.TotalPassed, "", signature.ModFormFilling}},
		{"sneaky overlay: visible document time-stamp added under DocMDP P=1", func(t *testing.T) []byte {
			cert := vtSign(t, p, base, &signature.SignOptions{Time: now, Certify: signature.DocMDPNoChanges})
			return addSigFieldWithValue(t, cert, pdf.Array{pdf.Integer(72), pdf.Integer(700), pdf.Integer(272), pdf.Integer(740)},
				pdf.Dict{"Type": pdf.Name("DocTimeStamp"), "SubFilter": pdf.Name("ETSI.RFC3161"), "Contents": pdf.String("\x00")})
		}, p, 1, // the time-stamp, with no /ByteRange, is listed first
			want{signature.TotalFailed, signature.FormatFailure, signature.ModFormFilling}},
		{"sneaky overlay: appearance given to an existing empty signature field under DocMDP P=1", func(t *testing.T) []byte {
			cert := vtSign(t, p, pdftest.WithSignatureField(), &signature.SignOptions{Time: now, Certify: signature.DocMDPNoChanges, NewField: "Chứng nhận"})
			return update(t, cert, func(d *pdf.Document, u *pdf.Update) {
				fields, err := d.Fields()
				require.NoError(t, err)
				for _, f := range fields {
					if f.Name != pdftest.SignatureFieldName {
						continue
					}
					ap := []byte("1 1 1 rg 0 0 200 80 re f 0 g BT /F1 12 Tf 5 30 Td (Đã duyệt chi 900.000.000 đồng) Tj ET")
					nd := f.Dict.Clone()
					nd["AP"] = pdf.Dict{"N": u.Add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"),
						"BBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(200), pdf.Integer(80)}, "Length": pdf.Integer(len(ap))}, Data: ap})}
					u.Set(f.Ref, nd)
					return
				}
				t.Fatal("no empty signature field")
			})
		}, p, 0, want{signature.TotalFailed, signature.FormatFailure, signature.ModFormFilling}},
		{"empty invisible signature field added under DocMDP P=1", func(t *testing.T) []byte {
			cert := vtSign(t, p, base, &signature.SignOptions{Time: now, Certify: signature.DocMDPNoChanges})
			return addEmptySigField(t, cert, pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(0), pdf.Integer(0)})
		}, p, 0, want{signature.TotalPassed, "", signature.ModLTAUpdates}},
		{"signature added under DocMDP P=1", func(t *testing.T) []byte {
			cert := vtSign(t, p, base, &signature.SignOptions{Time: now, Certify: signature.DocMDPNoChanges})
			// Sign refuses to sign after a P=1 certification: turn an (allowed) document
			// time-stamp's dictionary into a signature's.
			return patchLast(t, addDocTimestamp(t, p, cert, now), "/DocTimeStamp", "/Sig         ")
		}, p, 0, want{signature.TotalFailed, signature.FormatFailure, signature.ModLTAUpdates}},
		{"document time-stamp by a revoked TSA", func(t *testing.T) []byte {
			return addDocTimestamp(t, tsaRev, vtSign(t, tsaRev, base, &signature.SignOptions{Time: now}), now)
		}, tsaRev, -1, want{signature.TotalFailed, signature.Revoked, ""}},
		{"document time-stamp older than the signature time-stamp it covers", func(t *testing.T) []byte {
			bt := addSignatureTimestamp(t, p, signed, now, nil)
			return addDocTimestamp(t, p, bt, now.Add(-time.Hour))
		}, p, 0, want{signature.Indeterminate, signature.TimestampOrderFailure, ""}},
		{"time-stamp over other data", func(t *testing.T) []byte {
			return addSignatureTimestamp(t, p, signed, now, []byte("other data"))
		}, p, -1, want{signature.TotalFailed, signature.HashFailure, ""}},
		{"expired at signing time (proven by a time-stamp)", func(t *testing.T) []byte {
			return addSignatureTimestamp(t, old, expiredSigned, now, nil)
		}, old, -1, want{signature.TotalFailed, signature.Expired, ""}},
		{"expired, no proof of time", func(t *testing.T) []byte { return expiredSigned }, old, -1,
			want{signature.Indeterminate, signature.OutOfBoundsNoPOE, ""}},
		// A document time-stamp added after the certificate expired (an archive renewed
		// late) proves only that the signature existed by then, not that it was made
		// after the expiry: still without proof, never EXPIRED.
		{"expired, archive time-stamp only after the expiry", func(t *testing.T) []byte {
			return addDocTimestamp(t, old, expiredSigned, now)
		}, old, 0, want{signature.Indeterminate, signature.OutOfBoundsNoPOE, ""}},
		{"revoked before signing (time-stamp)", func(t *testing.T) []byte {
			return addSignatureTimestamp(t, rev, revokedSigned, now, nil)
		}, rev, -1, want{signature.TotalFailed, signature.Revoked, ""}},
		{"revoked before the claimed time", func(t *testing.T) []byte { return revokedSigned }, rev, -1,
			want{signature.TotalFailed, signature.Revoked, ""}},
		{"revoked, claimed earlier but unproven", func(t *testing.T) []byte { return revokedEarlierClaim }, rev, -1,
			want{signature.Indeterminate, signature.RevokedNoPOE, ""}},
		{"backdated with a stolen key: an old 'good' answer in the DSS proves nothing without a time-stamp", func(t *testing.T) []byte {
			return backdated
		}, stolen, -1, want{signature.Indeterminate, signature.RevokedNoPOE, ""}},
		{"revoked after a time-stamped signature", func(t *testing.T) []byte {
			return addSignatureTimestamp(t, rev, revokedEarlierClaim, now.Add(-2*time.Hour), nil)
		}, rev, -1, want{signature.TotalPassed, "", ""}},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			doc := a.doc(t)
			rep := vtVerify(t, a.pki, doc, now.Add(time.Minute), nil)
			require.NotEmpty(t, rep.Signatures)
			i := a.sig
			if i < 0 {
				i = len(rep.Signatures) - 1
			}
			s := rep.Signatures[i]
			assert.Equal(t, a.want.ind, s.Indication, "checks: %+v\nchanges: %+v", s.Checks, s.Changes)
			assert.Equal(t, a.want.sub, s.SubIndication, "checks: %+v", s.Checks)
			if a.want.mod != "" {
				assert.Equal(t, a.want.mod, s.Modification, "changes: %+v", s.Changes)
			}
			if a.want.ind != signature.TotalPassed {
				assert.NotEqual(t, signature.TotalPassed, s.Indication)
			}
		})
	}
}
