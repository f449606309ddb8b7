package signature_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signTestAppearance returns a one-page PDF of the requested size: a frame and a line
// of text with its own font resource, so the import of resources is exercised.
func signTestAppearance(_ context.Context, width, height float64, _ *x509.Certificate, _ time.Time) ([]byte, error) {
	content := fmt.Sprintf("0 0 1 RG 1 1 %.2f %.2f re S BT /F9 9 Tf 4 4 Td (Signed by kyso test) Tj ET", width-2, height-2)
	objs := []string{
		"<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		fmt.Sprintf("<</Type/Page/Parent 2 0 R/MediaBox[0 0 %.2f %.2f]/Contents 4 0 R/Resources<</Font<</F9 5 0 R>>>>>>", width, height),
		fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content),
		"<</Type/Font/Subtype/Type1/BaseFont/Courier>>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes(), nil
}

func signErrOf(t *testing.T, in []byte, s signTestSigner, opts *signature.SignOptions) error {
	t.Helper()
	var out bytes.Buffer
	_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s.key, s.chain, opts)
	require.Error(t, err)
	assert.Zero(t, out.Len(), "a refusal must come before any output")
	return err
}

func TestSignMultipleSignatures(t *testing.T) {
	keys := signTestPKI(t)
	rootPEM := writeRootPEM(t, keys.root)
	in := pdftest.XRefStream()
	one, r1 := signBytes(t, in, keys.byName["rsa"], &signature.SignOptions{PSS: true})
	two, r2 := signBytes(t, one, keys.byName["p256"], &signature.SignOptions{Hash: crypto.SHA384})
	three, r3 := signBytes(t, two, keys.byName["p384"], &signature.SignOptions{NewField: "Văn thư"})
	assert.Equal(t, []string{"Signature1", "Signature2", "Văn thư"}, []string{r1.Field, r2.Field, r3.Field})
	signTestCheck{in: two, out: three, signatures: 3, rootPEM: rootPEM}.run(t)
}

func TestSignEncrypted(t *testing.T) {
	keys := signTestPKI(t)
	rootPEM := writeRootPEM(t, keys.root)
	for _, method := range []string{pdftest.RC4128, pdftest.AES128, pdftest.AES256} {
		for _, pw := range []string{"", "mật khẩu"} {
			t.Run(fmt.Sprintf("%s-pw=%q", method, pw), func(t *testing.T) {
				in := pdftest.Encrypted(t, pdftest.Classic(), method, pw)
				out, _ := signBytes(t, in, keys.byName["rsa"], &signature.SignOptions{
					Password: []byte(pw), Reason: "Phê duyệt", Name: "Nguyễn Văn Lĩnh, Hà Tĩnh",
				})
				signTestCheck{in: in, out: out, password: pw, signatures: 1, rootPEM: rootPEM}.run(t)
				// The new strings were encrypted with the document's key: they read back.
				d, err := pdf.Open(bytes.NewReader(out), int64(len(out)), &pdf.Options{Password: []byte(pw)})
				require.NoError(t, err)
				sig := signTestLastSigDict(t, d)
				assert.Equal(t, "Nguyễn Văn Lĩnh, Hà Tĩnh", pdf.DecodeText(sig.Get("Name").(pdf.String)))
			})
		}
	}
	t.Run("visible widget in an AES-256 file", func(t *testing.T) {
		in := pdftest.Encrypted(t, pdftest.WithSignatureField(), pdftest.AES256, "u")
		out, _ := signBytes(t, in, keys.byName["p256"], &signature.SignOptions{Password: []byte("u"),
			Widget: &signature.Widget{Page: 2, Rect: [4]float64{100, 100, 300, 150}, Appearance: signature.AppearanceFunc(signTestAppearance)}})
		signTestCheck{in: in, out: out, password: "u", signatures: 1, rootPEM: rootPEM}.run(t)
		path := filepath.Join(t.TempDir(), "enc.pdf")
		require.NoError(t, os.WriteFile(path, out, 0o600))
		txt, err := exec.Command(signTestTool(t, "pdftotext"), "-upw", "u", "-f", "2", "-l", "2", path, "-").CombinedOutput()
		require.NoError(t, err, "%s", txt)
		assert.Contains(t, string(txt), "Signed by kyso test", "the encrypted appearance stream decrypts and draws")
	})
	for _, method := range []string{pdftest.RC4128, pdftest.AES256} {
		t.Run(method+" opened with the owner password", func(t *testing.T) {
			in := pdftest.Encrypted(t, pdftest.Classic(), method, "người dùng")
			out, _ := signBytes(t, in, keys.byName["rsa"], &signature.SignOptions{
				Password: []byte(pdftest.OwnerPassword), Reason: "Phê duyệt"})
			// Checked with the user password: the update was encrypted with the file key.
			signTestCheck{in: in, out: out, password: "người dùng", signatures: 1, rootPEM: rootPEM}.run(t)
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		in := pdftest.Encrypted(t, pdftest.Classic(), pdftest.AES256, "secret")
		err := signErrOf(t, in, keys.byName["rsa"], &signature.SignOptions{Password: []byte("wrong")})
		assert.ErrorIs(t, err, signature.ErrDocument)
		assert.ErrorIs(t, err, signature.ErrWrongPassword, "callers outside kyso can tell a wrong password")
	})
	t.Run("certificate encryption", func(t *testing.T) {
		in := pdftest.Classic()
		i := bytes.LastIndex(in, []byte("trailer"))
		enc := append(bytes.Clone(in[:i]), []byte("trailer\n<</Encrypt<</Filter/Adobe.PubSec/V 4/SubFilter/adbe.pkcs7.s5>>")...)
		enc = append(enc, in[i+len("trailer\n<<"):]...)
		err := signErrOf(t, enc, keys.byName["rsa"], nil)
		assert.ErrorIs(t, err, signature.ErrDocument)
		assert.ErrorIs(t, err, signature.ErrUnsupportedEncryption)
	})
}

// signTestLastSigDict returns the signature dictionary of the last signed field.
func signTestLastSigDict(t *testing.T, d *pdf.Document) pdf.Dict {
	t.Helper()
	fields, err := d.Fields()
	require.NoError(t, err)
	var sig pdf.Dict
	for _, f := range fields {
		if f.Type == "Sig" && f.Dict.Get("V") != nil {
			o, err := d.Resolve(f.Dict.Get("V"))
			require.NoError(t, err)
			sig = o.(pdf.Dict)
		}
	}
	require.NotNil(t, sig)
	return sig
}

func TestSignVietnameseText(t *testing.T) {
	keys := signTestPKI(t)
	rootPEM := writeRootPEM(t, keys.root)
	in := pdftest.Classic()
	const text = "Nguyễn Văn Lĩnh, Hà Tĩnh"
	out, res := signBytes(t, in, keys.byName["rsa"], &signature.SignOptions{
		NewField: text, Name: text, Reason: text, Location: text, ContactInfo: text,
	})
	assert.Equal(t, text, res.Field)
	signTestCheck{in: in, out: out, signatures: 1, rootPEM: rootPEM}.run(t)
	// pdfsig reads the field name, a UTF-16BE text string in which "ĩ" is 01 29 and
	// 0x29 is ')': it must round-trip.
	path := filepath.Join(t.TempDir(), "vi.pdf")
	require.NoError(t, os.WriteFile(path, out, 0o600))
	o, _ := exec.Command(signTestTool(t, "pdfsig"), "-nocert", "-no-ocsp", path).CombinedOutput()
	assert.Contains(t, string(o), "Signature Field Name: "+text)
	assert.Contains(t, string(out[len(in):]), `\)`, "0x29 inside UTF-16 must be escaped")
	d, err := pdf.Open(bytes.NewReader(out), int64(len(out)), nil)
	require.NoError(t, err)
	sig := signTestLastSigDict(t, d)
	for _, k := range []pdf.Name{"Name", "Reason", "Location", "ContactInfo"} {
		assert.Equal(t, text, pdf.DecodeText(sig.Get(k).(pdf.String)), k)
	}
	assert.Equal(t, pdf.Name("ETSI.CAdES.detached"), sig.Get("SubFilter"))
	assert.Equal(t, pdf.Name("Adobe.PPKLite"), sig.Get("Filter"))

	t.Run("every Vietnamese letter", func(t *testing.T) {
		// All 89 letters of the alphabet with their tones, both cases, and the
		// characters a PDF string must escape: pdfsig must read them all back.
		const lower = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
		all := lower + strings.ToUpper(lower) + ` ()\`
		out, res := signBytes(t, in, keys.byName["p256"], &signature.SignOptions{NewField: all, Reason: all, Name: all})
		assert.Equal(t, all, res.Field)
		signTestCheck{in: in, out: out, signatures: 1, rootPEM: rootPEM}.run(t)
		path := filepath.Join(t.TempDir(), "all.pdf")
		require.NoError(t, os.WriteFile(path, out, 0o600))
		o, _ := exec.Command(signTestTool(t, "pdfsig"), "-nocert", "-no-ocsp", path).CombinedOutput()
		assert.Contains(t, string(o), "Signature Field Name: "+all)
		d, err := pdf.Open(bytes.NewReader(out), int64(len(out)), nil)
		require.NoError(t, err)
		sig := signTestLastSigDict(t, d)
		assert.Equal(t, all, pdf.DecodeText(sig.Get("Reason").(pdf.String)))
		assert.Equal(t, all, pdf.DecodeText(sig.Get("Name").(pdf.String)))
	})
}

func TestSignExistingField(t *testing.T) {
	keys := signTestPKI(t)
	rootPEM := writeRootPEM(t, keys.root)
	in := pdftest.WithSignatureField()
	out, res := signBytes(t, in, keys.byName["p256"], &signature.SignOptions{Field: pdftest.SignatureFieldName,
		Widget: &signature.Widget{Appearance: signature.AppearanceFunc(signTestAppearance)}})
	assert.Equal(t, pdftest.SignatureFieldName, res.Field)
	signTestCheck{in: in, out: out, signatures: 1, rootPEM: rootPEM}.run(t)

	t.Run("already signed", func(t *testing.T) {
		err := signErrOf(t, out, keys.byName["p256"], &signature.SignOptions{Field: pdftest.SignatureFieldName})
		assert.ErrorIs(t, err, signature.ErrFieldSigned)
		var se *signature.SignError
		require.ErrorAs(t, err, &se)
		assert.Contains(t, se.Detail, pdftest.SignatureFieldName)
	})
	t.Run("absent", func(t *testing.T) {
		assert.ErrorIs(t, signErrOf(t, in, keys.byName["p256"], &signature.SignOptions{Field: "Không có"}), signature.ErrFieldNotFound)
	})
	t.Run("not a signature field", func(t *testing.T) {
		assert.ErrorIs(t, signErrOf(t, in, keys.byName["p256"], &signature.SignOptions{Field: "Ghi chú"}), signature.ErrNotSignatureField)
	})
	t.Run("invisible field with an appearance", func(t *testing.T) {
		// The same field with an empty /Rect (same length, so the xref stays right).
		invisible := bytes.Replace(in, []byte("350 80 550 160"), []byte("0 0 0 0       "), 1)
		require.NotEqual(t, in, invisible)
		err := signErrOf(t, invisible, keys.byName["p256"], &signature.SignOptions{Field: pdftest.SignatureFieldName,
			Widget: &signature.Widget{Appearance: signature.AppearanceFunc(signTestAppearance)}})
		assert.ErrorIs(t, err, signature.ErrAppearance)
		assert.ErrorContains(t, err, "invisible field")
	})
	t.Run("locked field", func(t *testing.T) {
		// The empty field gets a /Lock (sign it, then "Ghi chú" may not change) in an
		// incremental update; the signature carries it as a FieldMDP transform.
		d, err := pdf.Open(bytes.NewReader(in), int64(len(in)), nil)
		require.NoError(t, err)
		fields, err := d.Fields()
		require.NoError(t, err)
		u := d.NewUpdate()
		for _, f := range fields {
			if f.Name == pdftest.SignatureFieldName {
				nf := f.Dict.Clone()
				nf["Lock"] = pdf.Dict{"Type": pdf.Name("SigFieldLock"), "Action": pdf.Name("Include"),
					"Fields": pdf.Array{pdf.TextString("Ghi chú")}}
				u.Set(f.Ref, nf)
			}
		}
		upd, err := u.Bytes()
		require.NoError(t, err)
		locked := append(bytes.Clone(in), upd...)
		out, _ := signBytes(t, locked, keys.byName["p256"], &signature.SignOptions{Field: pdftest.SignatureFieldName})
		signTestCheck{in: locked, out: out, signatures: 1, rootPEM: rootPEM}.run(t)
		d, err = pdf.Open(bytes.NewReader(out), int64(len(out)), nil)
		require.NoError(t, err)
		refs := signTestLastSigDict(t, d).Get("Reference").(pdf.Array)
		require.Len(t, refs, 1)
		ref := refs[0].(pdf.Dict)
		assert.Equal(t, pdf.Name("FieldMDP"), ref.Get("TransformMethod"))
		params := ref.Get("TransformParams").(pdf.Dict)
		assert.Equal(t, pdf.Name("Include"), params.Get("Action"))
		assert.Equal(t, pdf.Array{pdf.TextString("Ghi chú")}, params.Get("Fields"))
		// kyso's verifier reads the lock from both places and passes the signature.
		roots := x509.NewCertPool()
		roots.AddCert(keys.root)
		rep, err := signature.Verify(context.Background(), bytes.NewReader(out), int64(len(out)),
			&signature.VerifyOptions{Roots: roots, Offline: true, AllowMissingRevocation: true})
		require.NoError(t, err)
		require.Len(t, rep.Signatures, 1)
		assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0])
	})
	t.Run("new field name taken", func(t *testing.T) {
		assert.ErrorIs(t, signErrOf(t, in, keys.byName["p256"], &signature.SignOptions{NewField: "Ghi chú"}), signature.ErrFieldExists)
	})
}

func TestSignVisibleWidget(t *testing.T) {
	keys := signTestPKI(t)
	rootPEM := writeRootPEM(t, keys.root)
	in := pdftest.Incremental()
	rect := [4]float64{300, 100, 500, 160}
	out, res := signBytes(t, in, keys.byName["rsa"], &signature.SignOptions{PSS: true,
		Widget: &signature.Widget{Page: 2, Rect: rect, Appearance: signature.AppearanceFunc(signTestAppearance)}})
	signTestCheck{in: in, out: out, signatures: 1, rootPEM: rootPEM}.run(t)

	d, err := pdf.Open(bytes.NewReader(out), int64(len(out)), nil)
	require.NoError(t, err)
	pages, err := d.Pages()
	require.NoError(t, err)
	annots, err := d.Resolve(pages[1].Dict.Get("Annots"))
	require.NoError(t, err)
	require.Len(t, annots, 1)
	w, err := d.Resolve(annots.(pdf.Array)[0])
	require.NoError(t, err)
	wd := w.(pdf.Dict)
	assert.Equal(t, pdf.TextString(res.Field), wd.Get("T"))
	assert.Equal(t, pages[1].Ref, wd.Get("P"))
	ap, err := d.Resolve(wd.Get("AP"))
	require.NoError(t, err)
	n, err := d.Resolve(ap.(pdf.Dict).Get("N"))
	require.NoError(t, err)
	form := n.(*pdf.Stream)
	assert.Equal(t, pdf.Name("Form"), form.Dict.Get("Subtype"))
	data, err := d.StreamData(form)
	require.NoError(t, err)
	assert.Contains(t, string(data), "Signed by kyso test")
	// Page 2 is displayed rotated by 90°: the appearance was asked upright (60 × 200)
	// and is counter-rotated into the 200 × 60 rectangle.
	assert.Equal(t, 90, pages[1].Rotate)
	assert.Equal(t, pdf.Array{pdf.Integer(0), pdf.Integer(1), pdf.Integer(-1), pdf.Integer(0), pdf.Integer(0), pdf.Integer(0)}, form.Dict.Get("Matrix"))
	bbox := form.Dict.Get("BBox").(pdf.Array)
	bw, _ := pdf.Number(bbox[2])
	bh, _ := pdf.Number(bbox[3])
	assert.Equal(t, [2]float64{60, 200}, [2]float64{bw, bh})
	cat, err := d.Catalog()
	require.NoError(t, err)
	af, err := d.Resolve(cat.Get("AcroForm"))
	require.NoError(t, err)
	assert.Equal(t, pdf.Integer(3), af.(pdf.Dict).Get("SigFlags"))

	// The appearance text is drawn on page 2.
	path := filepath.Join(t.TempDir(), "w.pdf")
	require.NoError(t, os.WriteFile(path, out, 0o600))
	txt, err := exec.Command(signTestTool(t, "pdftotext"), "-f", "2", "-l", "2", path, "-").CombinedOutput()
	require.NoError(t, err, "%s", txt)
	assert.Contains(t, string(txt), "Signed by kyso test")

	t.Run("page out of range", func(t *testing.T) {
		err := signErrOf(t, in, keys.byName["rsa"], &signature.SignOptions{Widget: &signature.Widget{Page: 9, Rect: rect}})
		assert.ErrorIs(t, err, signature.ErrPageNotFound)
	})
	t.Run("empty rectangle", func(t *testing.T) {
		err := signErrOf(t, in, keys.byName["rsa"], &signature.SignOptions{Widget: &signature.Widget{Rect: [4]float64{10, 10, 5, 20}}})
		assert.ErrorIs(t, err, signature.ErrInvalidOptions)
	})
	t.Run("appearance decompresses to a bomb", func(t *testing.T) {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		_, err := zw.Write(make([]byte, 40<<20))
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		bomb := signature.AppearanceFunc(func(context.Context, float64, float64, *x509.Certificate, time.Time) ([]byte, error) {
			var b bytes.Buffer
			b.WriteString("%PDF-1.7\n")
			offs := []int{b.Len()}
			b.WriteString("1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n")
			offs = append(offs, b.Len())
			b.WriteString("2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n")
			offs = append(offs, b.Len())
			b.WriteString("3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 60]/Contents 4 0 R>>\nendobj\n")
			offs = append(offs, b.Len())
			fmt.Fprintf(&b, "4 0 obj\n<</Length %d/Filter/FlateDecode>>\nstream\n", z.Len())
			b.Write(z.Bytes())
			b.WriteString("\nendstream\nendobj\n")
			x := b.Len()
			b.WriteString("xref\n0 5\n0000000000 65535 f \n")
			for _, o := range offs {
				fmt.Fprintf(&b, "%010d 00000 n \n", o)
			}
			fmt.Fprintf(&b, "trailer\n<</Size 5/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", x)
			return b.Bytes(), nil
		})
		err = signErrOf(t, in, keys.byName["rsa"], &signature.SignOptions{Widget: &signature.Widget{Rect: rect, Appearance: bomb}})
		assert.ErrorIs(t, err, signature.ErrAppearance)
	})
	t.Run("appearance fails", func(t *testing.T) {
		bad := signature.AppearanceFunc(func(context.Context, float64, float64, *x509.Certificate, time.Time) ([]byte, error) {
			return []byte("not a pdf"), nil
		})
		err := signErrOf(t, in, keys.byName["rsa"], &signature.SignOptions{Widget: &signature.Widget{Rect: rect, Appearance: bad}})
		assert.ErrorIs(t, err, signature.ErrAppearance)
	})
}

func TestSignCertification(t *testing.T) {
	keys := signTestPKI(t)
	rootPEM := writeRootPEM(t, keys.root)
	in := pdftest.Classic()
	for _, p := range []signature.DocMDPPermission{signature.DocMDPNoChanges, signature.DocMDPFormFilling, signature.DocMDPAnnotations} {
		t.Run(fmt.Sprintf("P=%d", p), func(t *testing.T) {
			out, res := signBytes(t, in, keys.byName["rsa"], &signature.SignOptions{Certify: p, PSS: true})
			assert.Equal(t, p, res.Certified)
			signTestCheck{in: in, out: out, signatures: 1, rootPEM: rootPEM}.run(t)
			d, err := pdf.Open(bytes.NewReader(out), int64(len(out)), nil)
			require.NoError(t, err)
			cat, err := d.Catalog()
			require.NoError(t, err)
			perms, err := d.Resolve(cat.Get("Perms"))
			require.NoError(t, err)
			sig, err := d.Resolve(perms.(pdf.Dict).Get("DocMDP"))
			require.NoError(t, err)
			ref := sig.(pdf.Dict).Get("Reference").(pdf.Array)[0].(pdf.Dict)
			assert.Equal(t, pdf.Name("DocMDP"), ref.Get("TransformMethod"))
			assert.Equal(t, pdf.Integer(p), ref.Get("TransformParams").(pdf.Dict).Get("P"))

			if p == signature.DocMDPNoChanges {
				err := signErrOf(t, out, keys.byName["p256"], nil)
				assert.ErrorIs(t, err, signature.ErrCertifiedNoChanges)
				return
			}
			two, _ := signBytes(t, out, keys.byName["p256"], nil)
			signTestCheck{in: out, out: two, signatures: 2, rootPEM: rootPEM}.run(t)
			err = signErrOf(t, out, keys.byName["p256"], &signature.SignOptions{Certify: 2})
			assert.ErrorIs(t, err, signature.ErrCertifyNotFirst)
		})
	}
}

func TestSignRefusals(t *testing.T) {
	keys := signTestPKI(t)
	in := pdftest.Classic()
	rsaS := keys.byName["rsa"]
	tests := []struct {
		name   string
		signer signTestSigner
		opts   *signature.SignOptions
		want   error
	}{
		{"sha1", rsaS, &signature.SignOptions{Hash: crypto.SHA1}, signature.ErrAlgorithm},
		{"md5", rsaS, &signature.SignOptions{Hash: crypto.MD5}, signature.ErrAlgorithm},
		{"sha224", rsaS, &signature.SignOptions{Hash: crypto.SHA224}, signature.ErrAlgorithm},
		{"key mismatch", signTestSigner{key: keys.byName["p256"].key, chain: rsaS.chain}, nil, signature.ErrKeyMismatch},
		{"no chain", signTestSigner{key: rsaS.key}, nil, signature.ErrNoCertificate},
		{"certify 4", rsaS, &signature.SignOptions{Certify: 4}, signature.ErrInvalidOptions},
		{"field and new field", rsaS, &signature.SignOptions{Field: "a", NewField: "b"}, signature.ErrInvalidOptions},
		{"dotted new field", rsaS, &signature.SignOptions{NewField: "a.b"}, signature.ErrInvalidOptions},
		// A reserve of a gigabyte would allocate and write gigabytes: bounded.
		{"reserve over 1 MiB", rsaS, &signature.SignOptions{ReserveUnsigned: 1<<20 + 1}, signature.ErrInvalidOptions},
		{"no room for the B-T token", rsaS, &signature.SignOptions{ReserveUnsigned: -1,
			Level: &signature.LevelOptions{Target: signature.LevelBT, Timestamper: noTimestamper{}}}, signature.ErrInvalidOptions},
		{"year beyond a PDF date", rsaS, &signature.SignOptions{Time: time.Date(12026, 1, 1, 0, 0, 0, 0, time.UTC)}, signature.ErrInvalidOptions},
		{"negative widget page", rsaS, &signature.SignOptions{Widget: &signature.Widget{Page: -1, Rect: [4]float64{0, 0, 10, 10}}}, signature.ErrInvalidOptions},
		{"NaN widget rectangle", rsaS, &signature.SignOptions{Widget: &signature.Widget{Rect: [4]float64{0, 0, math.NaN(), 10}}}, signature.ErrInvalidOptions},
		{"text option over 4 KiB", rsaS, &signature.SignOptions{Reason: strings.Repeat("ĩ", 2049)}, signature.ErrInvalidOptions},
		{"negative read limit", rsaS, &signature.SignOptions{Limits: signature.ReadLimits{MaxDepth: -1}}, signature.ErrInvalidOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := signErrOf(t, in, tt.signer, tt.opts)
			assert.ErrorIs(t, err, tt.want)
		})
	}
	t.Run("not a pdf", func(t *testing.T) {
		err := signErrOf(t, []byte("hello, not a PDF at all"), rsaS, nil)
		assert.ErrorIs(t, err, signature.ErrDocument)
	})
	t.Run("read limits", func(t *testing.T) {
		// The object-stream kind needs its streams decompressed and has a dozen
		// objects: tight limits refuse it with a message naming the limit to raise.
		objstm := pdftest.ObjectStreams()
		for _, l := range []signature.ReadLimits{{MaxObjects: 3}, {MaxStreamSize: 10}, {MaxDepth: 1}} {
			err := signErrOf(t, objstm, rsaS, &signature.SignOptions{Limits: l})
			assert.ErrorIs(t, err, signature.ErrDocument, "%+v", l)
			assert.ErrorIs(t, err, signature.ErrLimit, "%+v", l)
			assert.ErrorContains(t, err, "limit if the file is trusted", "%+v", l)
		}
		signBytes(t, objstm, rsaS, &signature.SignOptions{Limits: signature.ReadLimits{MaxObjects: 1000, MaxDepth: 16, MaxStreamSize: 1 << 20}})
	})
	t.Run("signer fails", func(t *testing.T) {
		var out bytes.Buffer
		_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)),
			failingSigner{rsaS.key}, rsaS.chain, nil)
		assert.ErrorContains(t, err, "token removed")
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var out bytes.Buffer
		_, err := signature.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), rsaS.key, rsaS.chain, nil)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

// noTimestamper is a Timestamper that must never be reached: the options it comes
// with are refused first.
type noTimestamper struct{}

func (noTimestamper) Timestamp(context.Context, []byte, crypto.Hash) ([]byte, error) {
	return nil, errors.New("noTimestamper: the options should have been refused before time-stamping")
}

type failingSigner struct{ crypto.Signer }

func (failingSigner) Sign(_ io.Reader, _ []byte, _ crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("token removed")
}

// TestSignRoomForTimestamp checks that /Contents keeps room for a time-stamp token: an
// 8 KB unsigned attribute added later still fits.
func TestSignRoomForTimestamp(t *testing.T) {
	keys := signTestPKI(t)
	in := pdftest.Classic()
	for _, k := range []string{"rsa", "p384"} {
		out, res := signBytes(t, in, keys.byName[k], nil)
		assert.GreaterOrEqual(t, res.ContentsCapacity-res.CMSSize, 16384)
		br := res.ByteRange
		hexCMS := out[br[1]+1 : br[2]-1]
		der := make([]byte, len(hexCMS)/2)
		_, err := hex.Decode(der, hexCMS)
		require.NoError(t, err)
		token := append([]byte{0x04, 0x82, 0x20, 0x00}, make([]byte, 8192)...)
		grown, err := cms.AddUnsignedAttribute(der, 0, cms.OIDAttributeTimeStampToken, token)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(grown), res.ContentsCapacity)
	}
	small, res := signBytes(t, in, keys.byName["p256"], &signature.SignOptions{ReserveUnsigned: -1})
	assert.Less(t, res.ContentsCapacity-res.CMSSize, 100)
	assert.Less(t, len(small), len(in)+8000)
}
