package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/crypt"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

const vnText = "Lý do: phê duyệt (Sở Nội vụ) – Nguyễn Thị Ĩnh"

// appendUpdate adds a new object holding text and a stream, changes the catalog, and
// returns the updated file and the new object's reference.
func appendUpdate(t *testing.T, d *pdf.Document, orig []byte) ([]byte, pdf.Ref, pdf.Ref) {
	t.Helper()
	u := d.NewUpdate()
	st := u.Add(&pdf.Stream{Dict: pdf.Dict{}, Data: []byte("kyso stream data")})
	obj := u.Add(pdf.Dict{"Type": pdf.Name("Sig"), "Reason": pdf.TextString(vnText), "Data": st,
		"Contents": pdf.Raw("<00000000>"), "ByteRange": pdf.Raw("[0 1 2 3]")})
	cat, err := d.Catalog()
	require.NoError(t, err)
	cat = cat.Clone()
	cat["KysoTest"] = obj
	u.Set(d.Trailer().Get("Root").(pdf.Ref), cat)
	b, err := u.Bytes()
	require.NoError(t, err)
	if !d.Encrypted() {
		// (AES encryption draws a random IV for every string and stream.)
		again, err := u.Bytes()
		require.NoError(t, err)
		require.Equal(t, b, again, "Bytes must be deterministic")
	}
	out := append(append([]byte(nil), orig...), b...)
	require.True(t, bytes.HasPrefix(out, orig))
	require.True(t, bytes.HasSuffix(out, []byte("%%EOF\n")))
	return out, obj, st
}

var startxrefRe = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)

func checkUpdated(t *testing.T, out []byte, orig *pdf.Document, obj, st pdf.Ref, opts *pdf.Options) *pdf.Document {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(out), int64(len(out)), opts)
	require.NoError(t, err)
	assert.False(t, d.Recovered(), "%v", d.Warnings())
	revs := d.Revisions()
	oldRevs := orig.Revisions()
	if !orig.Recovered() {
		require.Len(t, revs, len(oldRevs)+1)
		for i := range oldRevs {
			assert.Equal(t, oldRevs[i].XRefOffset, revs[i].XRefOffset, "revision %d", i)
			assert.Equal(t, oldRevs[i].EOF, revs[i].EOF, "revision %d", i)
		}
	}
	last := revs[len(revs)-1]
	m := startxrefRe.FindSubmatch(out)
	require.NotNil(t, m)
	sx, _ := strconv.ParseInt(string(m[1]), 10, 64)
	assert.Equal(t, sx, last.XRefOffset)
	assert.Equal(t, int64(len(out)), last.EOF)
	assert.Contains(t, last.Objects, obj)
	if !orig.Recovered() {
		// The same style as the file's last section (a table after a hybrid one).
		wantStyle := pdf.XRefTable
		if oldRevs[len(oldRevs)-1].Style == pdf.XRefStream {
			wantStyle = pdf.XRefStream
		}
		assert.Equal(t, wantStyle, last.Style)
	}

	o, err := d.Get(obj)
	require.NoError(t, err)
	od := o.(pdf.Dict)
	txt, _ := pdf.Text(od.Get("Reason"))
	assert.Equal(t, vnText, txt)
	s, err := d.Resolve(od.Get("Data"))
	require.NoError(t, err)
	data, err := d.StreamData(s.(*pdf.Stream))
	require.NoError(t, err)
	assert.Equal(t, "kyso stream data", string(data))
	hole, _ := pdf.Bytes(od.Get("Contents"))
	assert.Equal(t, []byte{0, 0, 0, 0}, hole, "Raw is never encrypted")
	_ = st
	// Everything the original had is still there.
	pages, err := d.Pages()
	require.NoError(t, err)
	op, err := orig.Pages()
	require.NoError(t, err)
	assert.Len(t, pages, len(op))
	return d
}

func TestUpdateEveryKind(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			orig := k.gen()
			d := open(t, orig)
			out, obj, st := appendUpdate(t, d, orig)
			qpdfCheck(t, out)
			checkUpdated(t, out, d, obj, st, nil)
		})
	}
}

func TestUpdateEncrypted(t *testing.T) {
	bases := map[string]func() []byte{"classic": pdftest.Classic, "objstm": pdftest.ObjectStreams}
	for _, method := range []string{pdftest.RC4128, pdftest.AES128, pdftest.AES256} {
		for _, pw := range []string{"", "mật khẩu"} {
			for baseName, base := range bases {
				t.Run(method+"/"+baseName+"/"+pw, func(t *testing.T) {
					orig := pdftest.Encrypted(t, base(), method, pw)
					_, err := pdf.Open(bytes.NewReader(orig), int64(len(orig)), &pdf.Options{Password: []byte("wrong")})
					require.ErrorIs(t, err, pdf.ErrWrongPassword)
					owner, err := pdf.Open(bytes.NewReader(orig), int64(len(orig)), &pdf.Options{Password: []byte(pdftest.OwnerPassword)})
					require.NoError(t, err)
					_, isOwner, ok := owner.Permissions()
					assert.True(t, ok && isOwner)
					opts := &pdf.Options{Password: []byte(pw)}
					d, err := pdf.Open(bytes.NewReader(orig), int64(len(orig)), opts)
					require.NoError(t, err)
					assert.True(t, d.Encrypted())
					perms, isOwner, ok := d.Permissions()
					assert.True(t, ok)
					assert.False(t, isOwner)
					assert.True(t, perms.Has(crypt.PermModify), "qpdf grants every permission by default")
					pages, err := d.Pages()
					require.NoError(t, err)
					require.Len(t, pages, 2)
					c, err := d.Resolve(pages[0].Dict.Get("Contents"))
					require.NoError(t, err)
					data, err := d.StreamData(c.(*pdf.Stream))
					require.NoError(t, err)
					assert.Contains(t, string(data), "Hello kyso")
					info, err := d.Resolve(d.Trailer().Get("Info"))
					require.NoError(t, err)
					author, _ := pdf.Text(info.(pdf.Dict).Get("Author"))
					assert.Equal(t, "Nguyễn Văn Lĩnh", author)

					out, obj, st := appendUpdate(t, d, orig)
					qpdfCheck(t, out, "--password="+pw)
					checkUpdated(t, out, d, obj, st, opts)
					// qpdf decrypts the new string to the same text.
					qpdf := needTool(t, "qpdf")
					f := filepath.Join(t.TempDir(), "u.pdf")
					require.NoError(t, os.WriteFile(f, out, 0o600))
					shown, err := exec.Command(qpdf, "--password="+pw, "--show-object="+strconv.Itoa(obj.Num), f).CombinedOutput()
					require.NoError(t, err, "%s", shown)
					want := string(pdf.AppendObject(nil, pdf.HexString(pdf.TextString(vnText))))
					assert.Contains(t, string(bytes.ToUpper(shown)), want)
				})
			}
		}
	}
}

func TestUnsupportedEncryption(t *testing.T) {
	tests := []struct {
		name, enc, handler string
	}{
		{"public key", "<< /Filter /Adobe.PubSec /SubFilter /adbe.pkcs7.s5 /V 4 /Recipients [<00>] >>", "Adobe.PubSec"},
		{"unknown cfm", "<< /Filter /Standard /V 4 /R 4 /Length 128 /P -4 /O <" + strings.Repeat("00", 32) + "> /U <" +
			strings.Repeat("00", 32) + "> /CF << /StdCF << /CFM /Rot13 >> >> /StmF /StdCF /StrF /StdCF >>", "Standard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := rawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>", minimalPages, minimalPage, tt.enc},
				"/Root 1 0 R /Encrypt 4 0 R /ID [<0102> <0102>]")
			_, err := pdf.Open(bytes.NewReader(b), int64(len(b)), nil)
			var ue *pdf.UnsupportedEncryptionError
			require.ErrorAs(t, err, &ue, "%v", err)
			assert.Equal(t, tt.handler, ue.Handler)
			assert.ErrorIs(t, err, pdf.ErrUnsupportedEncryption)
		})
	}
}

func TestUpdateAfterRecovery(t *testing.T) {
	orig := pdftest.Classic()
	// Break the startxref offset.
	broken := bytes.Replace(orig, []byte("startxref\n"), []byte("startxref\n9"), 1)
	d := open(t, broken)
	require.True(t, d.Recovered())
	require.NotEmpty(t, d.Warnings())
	out, obj, st := appendUpdate(t, d, broken)
	qpdfCheck(t, out)
	checkUpdated(t, out, d, obj, st, nil)
}
