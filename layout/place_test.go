package layout_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/internal/fonts"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
)

// appearance is signature.Appearance, declared here as layout must not import
// signature: *layout.Placement must keep implementing it.
type appearance interface {
	AppearancePDF(ctx context.Context, width, height float64, signer *x509.Certificate, signingTime time.Time) ([]byte, error)
}

var _ appearance = (*layout.Placement)(nil)

// formsLetter renders a forms letter of the People's Committee signed by its chairman.
func formsLetter(t testing.TB, authority, title, name string) []byte {
	t.Helper()
	reg, err := forms.NewRegistry()
	require.NoError(t, err)
	def, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)
	data := *def.Sample
	data.Header.IssuingBody = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"
	data.Header.Number = "1234/UBND-VP"
	data.Header.SignerAuthority, data.Header.SignerTitle, data.Header.SignerName = authority, title, name
	var b bytes.Buffer
	require.NoError(t, def.Render(&b, &data, forms.RenderOptions{SkipValidation: true}))
	return b.Bytes()
}

func place(t testing.TB, doc []byte, spec layout.Spec) (*layout.Placement, error) {
	return layout.Place(context.Background(), bytes.NewReader(doc), int64(len(doc)), spec)
}

// The appearances hold only what is seen: no text in the images' appearances, and
// exactly the stamp's line in a stamp's, in Vietnam time whatever the zone of the
// time given.
func TestAppearanceHoldsOnlyWhatIsSeen(t *testing.T) {
	needTool(t, "pdftotext", "pdffonts")
	letter := formsLetter(t, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thắng")
	at := time.Date(2026, 12, 7, 0, 3, 45, 0, time.UTC)
	text := func(p *layout.Placement) string {
		pdf, err := p.AppearancePDF(context.Background(), p.Rect[2]-p.Rect[0], p.Rect[3]-p.Rect[1], nil, at)
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "ap.pdf")
		require.NoError(t, os.WriteFile(path, pdf, 0o644))
		cmd := exec.Command("pdftotext", path, "-")
		cmd.Env = append(os.Environ(), "TZ=UTC")
		out, err := cmd.Output()
		require.NoError(t, err)
		return strings.Trim(string(out), "\f\n ")
	}
	p, err := place(t, letter, layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(300), SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
	require.NoError(t, err)
	assert.Empty(t, text(p), "the signer's appearance is the image alone")
	p, err = place(t, letter, layout.Spec{Kind: layout.Attachment, DocNumber: "41/2022/QĐ-UBND"})
	require.NoError(t, err)
	assert.Equal(t, "Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00", text(p))
	p, err = place(t, letter, layout.Spec{Kind: layout.Copy, CopyForm: "SAO LỤC", OrgName: "Văn phòng Chính phủ"})
	require.NoError(t, err)
	assert.Equal(t, "SAO LỤC; Văn phòng Chính phủ; 2026-12-07T07:03:45+07:00", text(p))
	assert.Equal(t, "2026-12-07T07:03:45+07:00", layout.FormatTime(at.In(time.FixedZone("EST", -5*3600))))

	// An agency's own font (here Liberation Serif Bold standing in for a licensed
	// Times New Roman) sets the stamp.
	p, err = place(t, letter, layout.Spec{Kind: layout.Attachment, DocNumber: "41/2022/QĐ-UBND", Font: fonts.LiberationSerifData(fonts.Bold)})
	require.NoError(t, err)
	pdf, err := p.AppearancePDF(context.Background(), p.Rect[2]-p.Rect[0], p.Rect[3]-p.Rect[1], nil, at)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "font.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o644))
	out, err := exec.Command("pdffonts", path).Output()
	require.NoError(t, err)
	assert.Contains(t, string(out), "LiberationSerif-Bold")
	require.Len(t, p.Warnings, 1, "a bold face is not the regular upright one k8 b asks for")
	assert.Contains(t, p.Warnings[0], "bold")
	p, err = place(t, letter, layout.Spec{Kind: layout.Copy, CopyForm: "SAO Y", OrgName: "UBND", Font: fonts.LiberationSerifData(fonts.Italic)})
	require.NoError(t, err)
	require.Len(t, p.Warnings, 1)
	assert.Contains(t, p.Warnings[0], "italic")
	p, err = place(t, letter, layout.Spec{Kind: layout.Copy, CopyForm: "SAO Y", OrgName: "UBND", Font: fonts.LiberationSerifData(fonts.Regular)})
	require.NoError(t, err)
	assert.Empty(t, p.Warnings)
}

// The signer's image is scaled down to fit between title and name, never up.
func TestSignerScalesDownNeverUp(t *testing.T) {
	letter := formsLetter(t, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thắng")
	small := layouttest.SignaturePNG(1200) // 2 × 0.7 inches at 1200 dpi: 144 × 50 pt
	p, err := place(t, letter, layout.Spec{Kind: layout.Signer, Image: small, SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
	require.NoError(t, err)
	gap := p.Block.Gap
	assert.LessOrEqual(t, p.Rect[3]-p.Rect[1], gap[3]-gap[1])
	big := layouttest.SignaturePNG(30) // 2 × 0.7 inches at 30 dpi: 60 × 21 px, drawn 144 × 50 pt
	q, err := place(t, letter, layout.Spec{Kind: layout.Signer, Image: big, SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
	require.NoError(t, err)
	assert.InDelta(t, p.Rect[2]-p.Rect[0], q.Rect[2]-q.Rect[0], 6, "the same physical size whatever the resolution")
	tiny := layouttest.SignaturePNG(1200)
	img, err := png.Decode(bytes.NewReader(tiny))
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(image.Rect(0, 0, 600, 300))))
	r, err := place(t, letter, layout.Spec{Kind: layout.Signer, Image: layouttest.WithDPI(b.Bytes(), 1200), SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
	require.NoError(t, err)
	assert.Less(t, r.Rect[2]-r.Rect[0], 37.0, "a small signature keeps its size (at most 600 px at 1200 dpi = 36 pt)")
}

func TestPlaceRefusesIncompleteSpecs(t *testing.T) {
	letter := formsLetter(t, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thắng")
	noDPI := func() []byte {
		var b bytes.Buffer
		require.NoError(t, png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 10, 10))))
		return b.Bytes()
	}()
	rect := &[4]float64{300, 300, 100, 400}
	cases := []struct {
		name string
		spec layout.Spec
		want error
	}{
		{"no kind", layout.Spec{}, layout.ErrSpec},
		{"signer without image", layout.Spec{Kind: layout.Signer, SignerName: "Nguyễn Văn Thắng"}, layout.ErrSpec},
		{"signer image not an image", layout.Spec{Kind: layout.Signer, Image: []byte("GIF89a"), SignerName: "Nguyễn Văn Thắng"}, layout.ErrPlacementImage},
		{"signer without name", layout.Spec{Kind: layout.Signer, Image: noDPI}, layout.ErrSpec},
		{"signer not in the letter", layout.Spec{Kind: layout.Signer, Image: noDPI, SignerName: "Trần Văn Ba"}, layout.ErrAnchorNotFound},
		{"seal size unknown", layout.Spec{Kind: layout.Seal, Image: noDPI, SignerName: "Nguyễn Văn Thắng"}, layout.ErrSpec},
		{"seal of 500 mm", layout.Spec{Kind: layout.Seal, Image: noDPI, SealMM: 500}, layout.ErrSpec},
		{"seal and no signature", layout.Spec{Kind: layout.Seal, Image: noDPI, SealMM: 36}, layout.ErrAnchorNotFound},
		{"attachment without number", layout.Spec{Kind: layout.Attachment}, layout.ErrSpec},
		{"copy form unknown", layout.Spec{Kind: layout.Copy, CopyForm: "BẢN SAO", OrgName: "X"}, layout.ErrSpec},
		{"copy without organisation", layout.Spec{Kind: layout.Copy, CopyForm: "SAO Y"}, layout.ErrSpec},
		{"page out of range", layout.Spec{Kind: layout.Attachment, DocNumber: "1/QĐ", Page: 9}, layout.ErrSpec},
		{"rect upside down", layout.Spec{Kind: layout.Attachment, DocNumber: "1/QĐ", Rect: rect}, layout.ErrSpec},
		{"text box without rect", layout.Spec{Kind: layout.TextBox}, layout.ErrSpec},
		{"font not a font", layout.Spec{Kind: layout.Attachment, DocNumber: "1/QĐ", Font: []byte("x")}, layout.ErrSpec},
		{"copy in a font that is not a font", layout.Spec{Kind: layout.Copy, CopyForm: "SAO Y", OrgName: "UBND", Font: []byte("x")}, layout.ErrSpec},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := place(t, letter, c.spec)
			assert.ErrorIs(t, err, c.want)
		})
	}
	_, err := place(t, []byte("%PDF-1.7 broken"), layout.Spec{Kind: layout.Attachment, DocNumber: "1"})
	assert.ErrorIs(t, err, layout.ErrDocument)
	var se *layout.SpecError
	_, err = place(t, letter, layout.Spec{Kind: layout.Copy, CopyForm: "SAO Y"})
	require.True(t, errors.As(err, &se))
	assert.Equal(t, "OrgName", se.Field)
}

func TestImageWarnings(t *testing.T) {
	letter := formsLetter(t, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thắng")
	var j bytes.Buffer
	require.NoError(t, jpeg.Encode(&j, image.NewRGBA(image.Rect(0, 0, 200, 60)), nil))
	p, err := place(t, letter, layout.Spec{Kind: layout.Signer, Image: j.Bytes(), SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
	require.NoError(t, err)
	require.Len(t, p.Warnings, 1)
	assert.Contains(t, p.Warnings[0], "JPEG")
	var o bytes.Buffer
	require.NoError(t, png.Encode(&o, image.NewGray(image.Rect(0, 0, 200, 60))))
	p, err = place(t, letter, layout.Spec{Kind: layout.Seal, Image: o.Bytes(), SealMM: 36, SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
	require.NoError(t, err)
	assert.Len(t, p.Warnings, 3, "opaque, black, and no signer signature yet: %q", p.Warnings)
	assert.Contains(t, strings.Join(p.Warnings, "\n"), "not red")

	// A red signature and a blue seal are flagged; the generated ones are not.
	p, err = place(t, letter, layout.Spec{Kind: layout.Signer, Image: layouttest.SealPNG(20, 150), SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
	require.NoError(t, err)
	assert.Equal(t, []string{p.Warnings[0]}, p.Warnings)
	assert.Contains(t, p.Warnings[0], "not blue")
	p, err = place(t, letter, layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(150), SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
	require.NoError(t, err)
	assert.Empty(t, p.Warnings)
}

func TestSignerAndSealOnFormsLetter(t *testing.T) {
	needTool(t, "pdftoppm", "pdftotext", "pdfsig", "qpdf")
	s := newSigner(t)
	at := time.Now().Truncate(time.Second)
	for _, c := range []struct{ authority, title, lastTitle string }{
		{"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "CHỦ TỊCH"},
		{"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "PHÓ CHỦ TỊCH"},
	} {
		t.Run(c.authority, func(t *testing.T) {
			s.t = t
			letter := formsLetter(t, c.authority, c.title, "Nguyễn Văn Thắng")
			title := c.authority + "\n" + c.title
			lead, p := s.sign(letter, s.pki.Leader, layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(300), SignerTitle: title, SignerName: "Nguyễn Văn Thắng"}, at)
			sealed, sp := s.sign(lead, s.pki.Org, layout.Spec{Kind: layout.Seal, Image: layouttest.SealPNG(36, 300)}, at.Add(time.Second))
			assert.Equal(t, p.Rect, sp.SignerImage, "the seal finds the leader's signature without being told the signer")
			checkSignerAndSeal(t, s.write(sealed), p.Page, c.lastTitle, "Nguyễn Văn Thắng", 0, 36)
		})
	}
}

func TestParseCopyForm(t *testing.T) {
	for in, want := range map[string]string{
		"SAO Y": layout.CopyExact, "sao  y": layout.CopyExact, " Sao Lục ": layout.CopyDerived,
		"sao lu\u0323c": layout.CopyDerived, "TRI\u0301CH SAO": layout.CopyExtract,
	} {
		got, err := layout.ParseCopyForm(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "BẢN SAO", "SAO", "SAO Y BẢN CHÍNH"} {
		_, err := layout.ParseCopyForm(in)
		assert.ErrorIs(t, err, layout.ErrSpec, in)
	}
}

// The stamps show Vietnam time whatever the machine's zone: with the process's local
// zone set to Tokyo (+09:00) and to UTC, a signing time taken in that zone prints as
// the same instant in +07:00, to the second.
func TestStampTimeWhateverTheMachineZone(t *testing.T) {
	needTool(t, "pdftotext")
	letter := formsLetter(t, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thắng")
	local := time.Local
	t.Cleanup(func() { time.Local = local })
	for _, zone := range []*time.Location{time.FixedZone("JST", 9*3600), time.UTC} {
		time.Local = zone
		at := time.Date(2026, 12, 31, 23, 30, 5, 0, time.Local) // the date changes in Vietnam for Tokyo
		p, err := place(t, letter, layout.Spec{Kind: layout.Attachment, DocNumber: "41/2022/QĐ-UBND"})
		require.NoError(t, err)
		pdf, err := p.AppearancePDF(context.Background(), p.Rect[2]-p.Rect[0], p.Rect[3]-p.Rect[1], nil, at)
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "ap.pdf")
		require.NoError(t, os.WriteFile(path, pdf, 0o644))
		out, err := exec.Command("pdftotext", path, "-").Output()
		require.NoError(t, err)
		line := strings.Trim(string(out), "\f\n ")
		want := "Số: 41/2022/QĐ-UBND; " + at.In(time.FixedZone("", 7*3600)).Format("2006-01-02T15:04:05") + "+07:00"
		assert.Equal(t, want, line, zone.String())
		got, err := time.Parse(time.RFC3339, strings.TrimPrefix(line, "Số: 41/2022/QĐ-UBND; "))
		require.NoError(t, err)
		assert.True(t, got.Equal(at), "%v is the signing time %v", got, at)
	}
}
