package signature_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// formPDF has a filled text field (object 6, merged with its widget on page 3) with an
// appearance (object 7).
var formPDF = pdftest.Hand(
	"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R]/DA(/Helv 0 Tf 0 g)>>>>",
	"<</Type/Pages/Kids[3 0 R]/Count 1>>",
	"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[6 0 R]>>",
	pageContent, fontObj,
	"<</FT/Tx/T(Name)/V(Nguyen Van A)/Type/Annot/Subtype/Widget/Rect[72 600 272 630]/F 4/P 3 0 R/AP<</N 7 0 R>>>>",
	"stream:BT /F1 10 Tf 2 5 Td (Nguyen Van A) Tj ET")

// TestVerifyValidatorSuiteShapes: the incremental updates another validator's test
// suite (EU DSS, iText, pdf.js) appends to a signed or certified document, each with
// the ETSI EN 319 102-1 indication EU DSS gives (a DocMDP violation is a format
// check: TOTAL_FAILED/FORMAT_FAILURE) and no "changed or forged" wording, which only a
// failing digest or signature value earns.
func TestVerifyValidatorSuiteShapes(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	p := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	addAnnot := func(t *testing.T, doc []byte) []byte {
		return update(t, doc, func(d *pdf.Document, u *pdf.Update) {
			pg := firstPage(t, d)
			nd := pg.Dict.Clone()
			arr, _ := resolve(d, nd.Get("Annots")).(pdf.Array)
			nd["Annots"] = append(arr.Clone(), u.Add(pdf.Dict{"Type": pdf.Name("Annot"), "Subtype": pdf.Name("Text"),
				"Rect": pdf.Array{pdf.Integer(10), pdf.Integer(10), pdf.Integer(30), pdf.Integer(30)}, "Contents": pdf.String("note")}))
			u.Set(pg.Ref, nd)
		})
	}
	fill := func(t *testing.T, doc []byte) []byte {
		return update(t, doc, func(d *pdf.Document, u *pdf.Update) {
			f, _ := resolve(d, pdf.Ref{Num: 6}).(pdf.Dict)
			f = f.Clone()
			ap := []byte("BT /F1 10 Tf 2 5 Td (Tran Thi B) Tj ET")
			f["V"] = pdf.String("Tran Thi B")
			f["AP"] = pdf.Dict{"N": u.Add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("XObject"), "Subtype": pdf.Name("Form"),
				"BBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(200), pdf.Integer(30)}, "Length": pdf.Integer(len(ap))}, Data: ap})}
			u.Set(pdf.Ref{Num: 6}, f)
		})
	}
	addPage := func(t *testing.T, doc []byte) []byte {
		return update(t, doc, func(d *pdf.Document, u *pdf.Update) {
			pt, _ := resolve(d, pdf.Ref{Num: 2}).(pdf.Dict)
			pt = pt.Clone()
			np := u.Add(pdf.Dict{"Type": pdf.Name("Page"), "Parent": pdf.Ref{Num: 2}, "MediaBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(595), pdf.Integer(842)},
				"Contents": pdf.Ref{Num: 4}, "Resources": pdf.Dict{"Font": pdf.Dict{"F1": pdf.Ref{Num: 5}}}})
			kids, _ := pt.Get("Kids").(pdf.Array)
			pt["Kids"], pt["Count"] = append(kids.Clone(), np), pdf.Integer(2)
			u.Set(pdf.Ref{Num: 2}, pt)
		})
	}
	setInfo := func(t *testing.T, doc []byte) []byte {
		return update(t, doc, func(d *pdf.Document, u *pdf.Update) {
			u.SetInfo(u.Add(pdf.Dict{"Producer": pdf.String("iText 7.2.5"), "ModDate": pdf.String("D:20261207020000+07'00'")}))
		})
	}
	setXMP := func(t *testing.T, doc []byte) []byte {
		return update(t, doc, func(d *pdf.Document, u *pdf.Update) {
			cat, err := d.Catalog()
			require.NoError(t, err)
			nc := cat.Clone()
			x := []byte("<x:xmpmeta xmlns:x='adobe:ns:meta/'><!-- ModifyDate 2026-12-07 --></x:xmpmeta>")
			nc["Metadata"] = u.Add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("Metadata"), "Subtype": pdf.Name("XML"), "Length": pdf.Integer(len(x))}, Data: x})
			u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
		})
	}
	type want struct {
		ind signature.Indication
		sub signature.SubIndication
		mod signature.Modification
	}
	passed := func(m signature.Modification) want { return want{signature.TotalPassed, "", m} }
	mdpFailed := func(m signature.Modification) want { return want{signature.TotalFailed, signature.FormatFailure, m} }
	for _, tc := range []struct {
		name    string
		certify signature.DocMDPPermission
		change  func(*testing.T, []byte) []byte
		want    want
	}{
		{"annotation added, approval signature", 0, addAnnot, passed(signature.ModAnnotations)},
		{"annotation added under P=3", signature.DocMDPAnnotations, addAnnot, passed(signature.ModAnnotations)},
		{"annotation added under P=2", signature.DocMDPFormFilling, addAnnot, mdpFailed(signature.ModAnnotations)},
		{"annotation added under P=1", signature.DocMDPNoChanges, addAnnot, mdpFailed(signature.ModAnnotations)},
		{"field value changed under P=2", signature.DocMDPFormFilling, fill, passed(signature.ModFormFilling)},
		{"field value changed under P=3", signature.DocMDPAnnotations, fill, passed(signature.ModFormFilling)},
		{"field value changed under P=1", signature.DocMDPNoChanges, fill, mdpFailed(signature.ModFormFilling)},
		{"page added, approval signature", 0, addPage, mdpFailed(signature.ModOther)},
		{"page added under P=3", signature.DocMDPAnnotations, addPage, mdpFailed(signature.ModOther)},
		{"/Info changed under P=1", signature.DocMDPNoChanges, setInfo, passed(signature.ModLTAUpdates)},
		{"XMP metadata added under P=1", signature.DocMDPNoChanges, setXMP, passed(signature.ModLTAUpdates)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			signed := vtSign(t, p, formPDF, &signature.SignOptions{Time: now, Certify: tc.certify})
			rep := vtVerify(t, p, tc.change(t, signed), now.Add(time.Minute), nil)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]
			assert.Equal(t, tc.want.ind, s.Indication, "checks: %+v\nchanges: %+v", s.Checks, s.Changes)
			assert.Equal(t, tc.want.sub, s.SubIndication)
			assert.Equal(t, tc.want.mod, s.Modification, "changes: %+v", s.Changes)
			integ, ok := s.Check(signature.CheckIntegrity)
			require.True(t, ok)
			assert.NotContains(t, integ.MessageEN, "forged", "the digest and the signature value verify")
		})
	}
}

// TestVerifyTrailingData: bytes after the last %%EOF. Data no reader takes for PDF
// (what a mail gateway or a download manager appends) leaves the signature valid but
// not covering the whole file, as EU DSS and pdfsig say; data a lenient reader could
// take for an update (an object, a trailer) is an unsigned change (the incremental
// saving attack without a cross-reference). Neither is an integrity failure.
func TestVerifyTrailingData(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	p := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now})
	for _, tc := range []struct {
		name  string
		tail  string
		ind   signature.Indication
		whole bool
	}{
		{"whitespace", "\r\n\n", signature.TotalPassed, true},
		{"binary junk", "\x00\x01\x02 garbage \xff\xfe\n", signature.TotalPassed, false},
		{"a mail gateway's text", "-- \nScanned by the gateway: no virus found\n", signature.TotalPassed, false},
		{"an object", "8 0 obj\n(Evil text)\nendobj\n", signature.TotalFailed, false},
		{"a trailer", "trailer\n<</Root 1 0 R>>\n", signature.TotalFailed, false},
		{"a repeated %%EOF marker", "%%EOF\n", signature.TotalPassed, false},
		{"junk and a %%EOF marker", "junk\n%%EOF\n", signature.TotalPassed, false},
		{"NUL bytes (white-space, ISO 32000-1 7.2.2)", "\x00\x00\x00\x00", signature.TotalPassed, true},
		{"a startxref", "startxref\n116\n%%EOF\n", signature.TotalFailed, false},
		{"a dictionary", "<</Root 1 0 R>>\n", signature.TotalFailed, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := vtVerify(t, p, append(bytes.Clone(signed), tc.tail...), now.Add(time.Minute), nil)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]
			assert.Equal(t, tc.ind, s.Indication, "%+v", s.Checks)
			assert.Equal(t, tc.whole, s.CoversWholeDocument)
			integ, _ := s.Check(signature.CheckIntegrity)
			assert.NotContains(t, integ.MessageEN, "forged")
			if tc.ind == signature.TotalFailed {
				assert.Equal(t, signature.FormatFailure, s.SubIndication)
				assert.Equal(t, signature.ModOther, s.Modification)
			}
			if tc.ind == signature.TotalPassed && !tc.whole {
				c, _ := s.Check(signature.CheckCoverage)
				assert.Equal(t, signature.CheckWarning, c.Result)
				assert.Contains(t, c.MessageEN, "not the whole file")
				require.NotEmpty(t, rep.Warnings)
			}
		})
	}
}

// TestVerifyRewrittenFile: a signed file rewritten whole (not incrementally, here by
// qpdf) no longer holds the revision its signature covers. The signature fails, on its
// byte range, and says so; it never passes.
func TestVerifyRewrittenFile(t *testing.T) {
	qpdf := lvTool(t, "qpdf")
	now := time.Now().Truncate(time.Second)
	p := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now})
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, signed, 0o600))
	for _, args := range [][]string{{}, {"--object-streams=generate"}} {
		out := filepath.Join(dir, "out.pdf")
		b, err := exec.Command(qpdf, append(args, in, out)...).CombinedOutput()
		require.NoError(t, err, "%s", b)
		doc, err := os.ReadFile(out)
		require.NoError(t, err)
		rep := vtVerify(t, p, doc, now.Add(time.Minute), nil)
		require.Len(t, rep.Signatures, 1)
		s := rep.Signatures[0]
		assert.Equal(t, signature.TotalFailed, s.Indication, "%v: %+v", args, s.Checks)
		assert.False(t, s.CoversWholeDocument)
		integ, _ := s.Check(signature.CheckIntegrity)
		assert.Equal(t, signature.CheckFailed, integ.Result)
	}
}

func resolve(d *pdf.Document, o pdf.Object) pdf.Object {
	r, _ := d.Resolve(o)
	return r
}
