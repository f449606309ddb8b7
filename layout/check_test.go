package layout_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/layout"
)

var ckVNZone = time.FixedZone("+07:00", 7*3600)

// ckFixture is a two-page decision with the signer's image and the seal placed as the
// law says, and the certificates that signed them.
type ckFixture struct {
	d            *ckDoc
	b            ckBlock
	signer, seal ckSig
	extra        []ckSig
	orgCert      *x509.Certificate
	orgKey       crypto.Signer
	signedAt     time.Time
}

var (
	ckCertCache = map[string]*x509.Certificate{}
	ckKeyCache  = map[string]crypto.Signer{}
)

func ckCert(t testing.TB, cn, uid string) (*x509.Certificate, crypto.Signer) {
	if c, ok := ckCertCache[cn]; ok {
		return c, ckKeyCache[cn]
	}
	c, k := ckNewCert(t, cn, uid)
	ckCertCache[cn], ckKeyCache[cn] = c, k
	return c, k
}

func ckNewFixture(t testing.TB, pages int, leftMM, body float64) *ckFixture {
	f := &ckFixture{d: ckNewDoc(t), signedAt: time.Date(2026, 12, 7, 7, 3, 45, 0, ckVNZone)}
	f.b = f.d.decision(pages, leftMM, body)
	pc, pk := ckCert(t, "Nguyễn Văn Ấn", "CCCD:001085012345")
	f.orgCert, f.orgKey = ckCert(t, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "MST:5700100256")
	// The signer's image: 50 × 20 mm, centred in the gap between title and name.
	img := ckSignerImage(600, 240, [3]byte{20, 40, 180})
	cy := (f.b.titleBottom + f.b.nameTop) / 2
	w, h := 50*ckMM, 20*ckMM
	f.signer = ckSig{page: f.b.page, rect: [4]float64{f.b.cx - w/2, cy - h/2, f.b.cx + w/2, cy + h/2}, img: &img, cert: pc, key: pk, m: f.signedAt, name: "NguoiKy"}
	// The signer image's ink spans x from 1/20 to 19/20 of its width.
	inkL, inkR := f.signer.rect[0]+w/20, f.signer.rect[2]-w/20
	// The seal: 36 mm, its right edge a third into the signer's ink, same height.
	seal := ckSealImage(425, [3]byte{220, 20, 30}, false)
	d := 36 * ckMM
	right := inkL + (inkR-inkL)/3
	f.seal = ckSig{page: f.b.page, rect: [4]float64{right - d, cy - d/2, right, cy + d/2}, img: &seal, cert: f.orgCert, key: f.orgKey,
		m: f.signedAt.Add(5 * time.Minute), name: "VanThu"}
	return f
}

func (f *ckFixture) pdf() []byte {
	f.d.sigs = append([]ckSig{f.signer, f.seal}, f.extra...)
	return f.d.bytes()
}

// stamp returns an organisation signature with a text-only appearance at the top
// right of page 1.
func (f *ckFixture) stamp(text string) ckSig {
	W, H := 210*ckMM, 297*ckMM
	return ckSig{page: 1, rect: [4]float64{W - 100*ckMM, H - 17*ckMM, W - 8*ckMM, H - 11*ckMM}, text: text, size: 10,
		cert: f.orgCert, key: f.orgKey, m: f.signedAt, name: "DinhKem"}
}

func ckCheck(t testing.TB, b []byte, opts *layout.CheckOptions) *layout.Report {
	t.Helper()
	rep, err := layout.Check(context.Background(), bytes.NewReader(b), int64(len(b)), opts)
	require.NoError(t, err)
	return rep
}

func ckFailed(rep *layout.Report) map[string]layout.Finding {
	out := map[string]layout.Finding{}
	for _, f := range rep.Failed() {
		if _, ok := out[f.Rule]; !ok {
			out[f.Rule] = f
		}
	}
	return out
}

func ckDescribe(rep *layout.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "%-20s %-7s passed=%-5v page=%d %s | %s | %s\n", f.Rule, f.Severity, f.Passed, f.Page, f.Field, f.Measured, f.Message)
	}
	return b.String()
}

func TestCheckPassesAConformingDecision(t *testing.T) {
	f := ckNewFixture(t, 2, 30, 14)
	rep := ckCheck(t, f.pdf(), nil)
	assert.Empty(t, rep.Failed(), ckDescribe(rep))
	assert.True(t, rep.Conforming())
	// Every rule that applies was evaluated and reported with what it measured.
	seen := map[string]bool{}
	for _, fd := range rep.Findings {
		seen[fd.Rule] = true
		assert.NotEmpty(t, fd.Citation.Instrument, fd.Rule)
		assert.NotEmpty(t, fd.Message, fd.Rule)
		assert.NotEmpty(t, fd.MessageVI, fd.Rule)
		assert.NotEmpty(t, fd.Measured, fd.Rule)
	}
	for _, r := range []string{"page.a4", "page.margins", "font.embedded", "font.family", "body.size", "page.number", "footer.line",
		"signature.kind", "signer.image", "signer.colour", "signer.position", "seal.image", "seal.colour", "seal.size", "seal.overlap", "seal.side"} {
		assert.True(t, seen[r], "rule %s evaluated", r)
	}
	// The measurement found the signer block and both signatures.
	m := rep.Measurement
	require.Len(t, m.CandidateBlocks, 1)
	assert.Equal(t, "Nguyễn Văn Ấn", m.CandidateBlocks[0].Name.Text)
	assert.Equal(t, "PHÓ CHỦ TỊCH", m.CandidateBlocks[0].Title[len(m.CandidateBlocks[0].Title)-1].Text)
	require.Len(t, m.Signatures, 2)
	assert.Equal(t, "signer", m.Signatures[0].Role)
	assert.Equal(t, layout.CertIndividual, m.Signatures[0].Kind)
	assert.Equal(t, "seal", m.Signatures[1].Role)
	assert.Equal(t, layout.CertOrganisation, m.Signatures[1].Kind)
	// JSON round trip of the report (the CLI's -json output).
	js, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.Contains(t, string(js), `"severity":"error"`)
}

func TestCheckPassesAConformingAttachmentStamp(t *testing.T) {
	for _, text := range []string{
		"Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00",
		"Số: 41/2022/QĐ-UBND; 07/12/2026; 07:03:45 +07:00",
	} {
		t.Run(text, func(t *testing.T) {
			f := ckNewFixture(t, 1, 30, 14)
			f.d.sigs = []ckSig{f.stamp(text)}
			rep := ckCheck(t, f.d.bytes(), nil)
			assert.Empty(t, rep.Failed(), ckDescribe(rep))
			require.Len(t, rep.Measurement.Signatures, 1)
			assert.Equal(t, "attachment", rep.Measurement.Signatures[0].Role)
		})
	}
	f := ckNewFixture(t, 1, 30, 14)
	s := f.stamp("SAO Y; Ủy ban nhân dân tỉnh Quảng Ninh; 2026-12-07T07:03:45+07:00")
	f.d.sigs = []ckSig{s}
	rep := ckCheck(t, f.d.bytes(), nil)
	assert.Empty(t, rep.Failed(), ckDescribe(rep))
	assert.Equal(t, "copy", rep.Measurement.Signatures[0].Role)
}

// TestCheckFlags: each deviation is flagged with its rule (and nothing it does not
// break is).
func TestCheckFlags(t *testing.T) {
	cases := []struct {
		name   string
		build  func(t *testing.T) []byte
		opts   *layout.CheckOptions
		rule   string
		expect string // in the measured value
	}{
		{"seal on the right", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			w := f.seal.rect[2] - f.seal.rect[0]
			inkR := f.signer.rect[2] - (f.signer.rect[2]-f.signer.rect[0])/20
			inkW := (f.signer.rect[2] - f.signer.rect[0]) * 0.9
			f.seal.rect[0] = inkR - inkW/3
			f.seal.rect[2] = f.seal.rect[0] + w
			return f.pdf()
		}, nil, "seal.side", "right"},
		{"seal scaled down", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			f.seal.rect[0] = f.seal.rect[2] - 20*ckMM
			f.seal.rect[1] = f.seal.rect[3] - 20*ckMM
			return f.pdf()
		}, nil, "seal.size", "seal 20.0 × 20.0 mm"},
		{"seal not its known size", func(t *testing.T) []byte {
			return ckNewFixture(t, 2, 30, 14).pdf()
		}, &layout.CheckOptions{SealDiameterMM: 42}, "seal.size", "36.0"},
		{"seal stretched to a box", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			f.seal.rect[1] += 8 * ckMM
			return f.pdf()
		}, nil, "seal.size", "stretched"},
		{"signature above the title", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			shift := f.signer.rect[3] - f.b.titleBottom + 35
			f.signer.rect[1] += shift
			f.signer.rect[3] += shift
			f.seal.rect[1] += shift
			f.seal.rect[3] += shift
			return f.pdf()
		}, nil, "signer.position", "title"},
		{"black seal", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			img := ckSealImage(425, [3]byte{10, 10, 10}, false)
			f.seal.img = &img
			return f.pdf()
		}, nil, "seal.colour", "black"},
		{"opaque seal", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			img := ckSealImage(425, [3]byte{220, 20, 30}, true)
			f.seal.img = &img
			return f.pdf()
		}, nil, "seal.image", "opaque"},
		{"black signature", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			img := ckSignerImage(600, 240, [3]byte{0, 0, 0})
			f.signer.img = &img
			return f.pdf()
		}, nil, "signer.colour", "black"},
		{"seal signed with a personal certificate", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			f.seal.cert, f.seal.key = f.signer.cert, f.signer.key
			return f.pdf()
		}, nil, "signature.kind", "individual certificate"},
		{"a signer's text-only appearance", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			f.signer.img = nil
			f.signer.text, f.signer.size = "Ký bởi: Nguyễn Văn Ấn", 9
			return f.pdf()
		}, nil, "signer.image", "text only"},
		{"stamp bottom left", func(t *testing.T) []byte {
			f := ckNewFixture(t, 1, 30, 14)
			s := f.stamp("Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00")
			s.rect = [4]float64{12 * ckMM, 10 * ckMM, 104 * ckMM, 16 * ckMM}
			f.d.sigs = []ckSig{s}
			return f.d.bytes()
		}, nil, "stamp.place", "from the top"},
		{"time without zone", func(t *testing.T) []byte {
			f := ckNewFixture(t, 1, 30, 14)
			f.d.sigs = []ckSig{f.stamp("Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45")}
			return f.d.bytes()
		}, nil, "stamp.time.format", "07:03:45"},
		{"time without seconds", func(t *testing.T) []byte {
			f := ckNewFixture(t, 1, 30, 14)
			f.d.sigs = []ckSig{f.stamp("Số: 41/2022/QĐ-UBND; 07/12/2026; 07:03 +07:00")}
			return f.d.bytes()
		}, nil, "stamp.time.format", "07:03 +07:00"},
		{"time in UTC", func(t *testing.T) []byte {
			f := ckNewFixture(t, 1, 30, 14)
			f.d.sigs = []ckSig{f.stamp("Số: 41/2022/QĐ-UBND; 2026-12-07T00:03:45Z")}
			return f.d.bytes()
		}, nil, "stamp.time.format", "Z"},
		{"time not the signing time", func(t *testing.T) []byte {
			f := ckNewFixture(t, 1, 30, 14)
			f.d.sigs = []ckSig{f.stamp("Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:46+07:00")}
			return f.d.bytes()
		}, nil, "stamp.time.value", "signed 2026-12-07T07:03:45+07:00"},
		{"stamp with the organisation name", func(t *testing.T) []byte {
			f := ckNewFixture(t, 1, 30, 14)
			f.d.sigs = []ckSig{f.stamp("Số: 41/2022/QĐ-UBND; UBND tỉnh Quảng Ninh; 2026-12-07T07:03:45+07:00")}
			return f.d.bytes()
		}, nil, "stamp.content", "UBND"},
		{"stamp at 12 pt bold", func(t *testing.T) []byte {
			f := ckNewFixture(t, 1, 30, 14)
			s := f.stamp("Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00")
			s.size, s.bold = 12, true
			s.rect[0] -= 10 * ckMM
			f.d.sigs = []ckSig{s}
			return f.d.bytes()
		}, nil, "stamp.typography", "12.0 pt"},
		{"a stamp with an image", func(t *testing.T) []byte {
			f := ckNewFixture(t, 1, 30, 14)
			s := f.stamp("Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00")
			img := ckSignerImage(100, 20, [3]byte{0, 0, 0})
			s.img = &img
			f.d.sigs = []ckSig{s}
			return f.d.bytes()
		}, nil, "stamp.image", "1 image"},
		{"an off-A4 page", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			f.d.pages[1].w, f.d.pages[1].h = 8.5*72, 11*72 // US Letter
			return f.pdf()
		}, nil, "page.a4", "page 2: 215.9 × 279.4 mm"},
		{"a 10 mm left margin", func(t *testing.T) []byte {
			return ckNewFixture(t, 2, 10, 14).pdf()
		}, nil, "page.margins", "left margin 10.0 mm"},
		{"body at 12 pt", func(t *testing.T) []byte {
			return ckNewFixture(t, 2, 30, 12).pdf()
		}, nil, "body.size", "12.0 pt"},
		{"a number on page 1", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			f.d.centred(f.d.pages[0], 105*ckMM, 285*ckMM, 13, false, "1")
			return f.pdf()
		}, nil, "page.number", `"1"`},
		{"no line above ô 13", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			c := f.d.pages[0].content.String()
			i := strings.Index(c, "0.500 w")
			j := strings.Index(c[i:], " l S\n")
			f.d.pages[0].content.Reset()
			f.d.pages[0].content.WriteString(c[:i] + c[i+j+5:])
			return f.pdf()
		}, nil, "footer.line", "line 0.0 mm"},
		{"a signed classified document", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			f.d.text(f.d.pages[0], 45*ckMM, 220*ckMM, 13, true, "MẬT")
			return f.pdf()
		}, nil, "secrecy.signed", "MẬT"},
		{"an urgency box of the wrong size", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			p := f.d.pages[0]
			f.d.text(p, 45*ckMM, 225*ckMM, 13, true, "KHẨN")
			p.frame(43*ckMM, 223*ckMM, 30*ckMM, 8*ckMM)
			return f.pdf()
		}, nil, "urgency.box", "30.0 × 8.0 mm"},
		{"a seal on a same-file appendix", func(t *testing.T) []byte {
			f := ckNewFixture(t, 2, 30, 14)
			p := f.d.page(210, 297)
			f.d.centred(p, 105*ckMM, 260*ckMM, 14, true, "PHỤ LỤC")
			f.d.centred(p, 105*ckMM, 250*ckMM, 14, false, "Danh sách các cơ quan")
			s := f.stamp("Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00")
			s.page = 3
			f.extra = []ckSig{s}
			return f.pdf()
		}, nil, "appendix.same-file", "appendix page 3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := ckCheck(t, tc.build(t), tc.opts)
			got := ckFailed(rep)
			fd, ok := got[tc.rule]
			require.True(t, ok, "rule %s not flagged:\n%s", tc.rule, ckDescribe(rep))
			assert.Contains(t, fd.Measured, tc.expect)
			assert.NotEmpty(t, fd.Citation.Clause)
			assert.NotEmpty(t, fd.MessageVI)
			if fd.Severity == layout.SeverityError {
				assert.False(t, rep.Conforming())
			}
		})
	}
}

// TestCheckScannedCopy: a scanned copy must be PDF 1.4+, colour, 200 dpi, 100 %.
func TestCheckScannedCopy(t *testing.T) {
	build := func(version string, grey bool, px int, scale float64) []byte {
		d := ckNewDoc(t)
		d.version = version
		p := d.page(210, 297)
		img := ckImage{w: px, h: px * 297 / 210, grey: grey}
		img.rgba = make([]byte, img.w*img.h*4)
		for i := range img.rgba {
			img.rgba[i] = 200
		}
		p.scan(img, [4]float64{0, 0, 210 * ckMM * scale, 297 * ckMM * scale})
		return d.bytes()
	}
	rep := ckCheck(t, build("1.5", false, 1654, 1), nil) // 200 dpi
	assert.Empty(t, rep.Failed(), ckDescribe(rep))
	passed := map[string]bool{}
	for _, f := range rep.Findings {
		passed[f.Rule] = f.Passed
	}
	for _, r := range []string{"scan.version", "scan.colour", "scan.dpi", "scan.scale"} {
		assert.True(t, passed[r], "%s evaluated and passed", r)
	}
	rep = ckCheck(t, build("1.3", true, 827, 0.8), nil) // 100 dpi at 80 %: 125 dpi
	got := ckFailed(rep)
	for _, r := range []string{"scan.version", "scan.colour", "scan.dpi", "scan.scale"} {
		assert.Contains(t, got, r, ckDescribe(rep))
	}
}

func TestCheckUnreadable(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("not a pdf"), []byte("%PDF-1.7\ngarbage")} {
		_, err := layout.Check(context.Background(), bytes.NewReader(b), int64(len(b)), nil)
		require.Error(t, err)
		assert.True(t, errors.Is(err, layout.ErrUnreadable), "%v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := ckNewFixture(t, 1, 30, 14).pdf()
	_, err := layout.Check(ctx, bytes.NewReader(b), int64(len(b)), nil)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = layout.Check(context.Background(), bytes.NewReader(b), int64(len(b)), &layout.CheckOptions{MaxPages: 0})
	require.NoError(t, err)
	b = ckNewFixture(t, 3, 30, 14).pdf()
	_, err = layout.Check(context.Background(), bytes.NewReader(b), int64(len(b)), &layout.CheckOptions{MaxPages: 2})
	assert.ErrorIs(t, err, layout.ErrUnreadable)
}

// TestCheckJointDocument: a joint document (văn bản liên tịch) has two signer blocks
// side by side; each seal is paired with the signer image nearest to it.
func TestCheckJointDocument(t *testing.T) {
	at := time.Date(2026, 12, 7, 7, 3, 45, 0, ckVNZone)
	d := ckNewDoc(t)
	p := d.page(210, 297)
	d.centred(p, 105*ckMM, 260*ckMM, 14, true, "THÔNG TƯ LIÊN TỊCH")
	y := 200 * ckMM
	cols := []float64{70 * ckMM, 150 * ckMM}
	titles := [][2]string{{"TM. SỞ TÀI CHÍNH", "GIÁM ĐỐC"}, {"TM. SỞ NỘI VỤ", "GIÁM ĐỐC"}}
	names := []string{"Trần Thị Bình", "Lê Văn Cường"}
	var sigs []ckSig
	for i, cx := range cols {
		d.centred(p, cx, y, 13, true, titles[i][0])
		d.centred(p, cx, y-16, 13, true, titles[i][1])
		d.centred(p, cx, y-16-90, 14, true, names[i])
		pc, pk := ckCert(t, names[i], "CCCD:00108501234"+fmt.Sprint(i))
		oc, ok := ckCert(t, strings.ToUpper(titles[i][0][4:]), "MST:570010025"+fmt.Sprint(i))
		top, bottom := y-16-0.217*13, y-16-90+0.891*14
		cy := (top + bottom) / 2
		w, h := 45*ckMM, 18*ckMM
		img := ckSignerImage(600, 240, [3]byte{20, 40, 180})
		signer := ckSig{page: 1, rect: [4]float64{cx - w/2, cy - h/2, cx + w/2, cy + h/2}, img: &img, cert: pc, key: pk, m: at, name: fmt.Sprint("Ky", i)}
		inkL, inkR := signer.rect[0]+w/20, signer.rect[2]-w/20
		right := inkL + (inkR-inkL)/3
		seal := ckSealImage(425, [3]byte{220, 20, 30}, false)
		sd := 34 * ckMM
		sigs = append(sigs, signer, ckSig{page: 1, rect: [4]float64{right - sd, cy - sd/2, right, cy + sd/2}, img: &seal, cert: oc, key: ok, m: at, name: fmt.Sprint("Dau", i)})
	}
	// The signatures go in the order signer, signer, seal, seal: the seals are drawn last.
	d.sigs = []ckSig{sigs[0], sigs[2], sigs[1], sigs[3]}
	rep := ckCheck(t, d.bytes(), nil)
	blocks := 0
	for _, b := range rep.Measurement.CandidateBlocks {
		if b.Page == 1 && (b.Name.Text == names[0] || b.Name.Text == names[1]) {
			blocks++
		}
	}
	assert.Equal(t, 2, blocks, "both signer blocks found")
	got := ckFailed(rep)
	for _, r := range []string{"signer.position", "seal.overlap", "seal.side", "seal.size", "signature.kind"} {
		assert.NotContains(t, got, r, ckDescribe(rep))
	}
}

// TestCheckJPEGSeal: a seal drawn from a JPEG is decoded (its red ink and real size
// measured) and flagged for having no transparent background.
func TestCheckJPEGSeal(t *testing.T) {
	f := ckNewFixture(t, 2, 30, 14)
	src := ckSealImage(425, [3]byte{220, 20, 30}, true)
	img := image.NewRGBA(image.Rect(0, 0, src.w, src.h))
	copy(img.Pix, src.rgba)
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}))
	f.seal.img = &ckImage{w: src.w, h: src.h, jpeg: buf.Bytes()}
	rep := ckCheck(t, f.pdf(), nil)
	got := ckFailed(rep)
	require.Contains(t, got, "seal.image", ckDescribe(rep))
	assert.Contains(t, got["seal.image"].Measured, "opaque")
	assert.NotContains(t, got, "seal.colour", "the JPEG's red ink is read")
	assert.NotContains(t, got, "seal.size", "the JPEG's ink measures 36 mm")
}

// TestCheckStampTimeFromCMS: the stamp may show the signing-time attribute of the CMS
// (as written by tools that add one) when /M differs; Check reads it from /Contents.
func TestCheckStampTimeFromCMS(t *testing.T) {
	f := ckNewFixture(t, 1, 30, 14)
	sd, err := pkcs7.NewSignedData([]byte("kyso"))
	require.NoError(t, err)
	require.NoError(t, sd.AddSigner(f.orgCert, f.orgKey, pkcs7.SignerInfoConfig{}))
	sd.Detach()
	der, err := sd.Finish()
	require.NoError(t, err)
	p7, err := pkcs7.Parse(der)
	require.NoError(t, err)
	var st time.Time
	require.NoError(t, p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &st))
	s := f.stamp("Số: 41/2022/QĐ-UBND; " + st.In(ckVNZone).Format("2006-01-02T15:04:05-07:00"))
	s.contents = der
	s.m = st.Add(-time.Hour) // /M an hour off: only the CMS time matches
	f.d.sigs = []ckSig{s}
	rep := ckCheck(t, f.d.bytes(), nil)
	assert.Empty(t, rep.Failed(), ckDescribe(rep))
	require.Len(t, rep.Measurement.Signatures, 1)
	require.Len(t, rep.Measurement.Signatures[0].CMSTimes, 1)
	assert.True(t, rep.Measurement.Signatures[0].CMSTimes[0].Equal(st.Truncate(time.Second)))
}

// TestCheckStampTimeFromTimestamp: a PAdES B-T signature's time-stamp token (an
// unsigned attribute of the CMS) gives a CMS time too; a stamp showing it passes.
func TestCheckStampTimeFromTimestamp(t *testing.T) {
	f := ckNewFixture(t, 1, 30, 14)
	tsaCert, tsaKey := ckCert(t, "Kyso Test TSA", "")
	gen := time.Date(2026, 12, 7, 0, 3, 45, 0, time.UTC)
	digest := sha256.Sum256([]byte("signature value"))
	ts := &timestamp.Timestamp{HashAlgorithm: crypto.SHA256, HashedMessage: digest[:], Time: gen,
		Policy: asn1.ObjectIdentifier{1, 2, 3, 4}, SerialNumber: big.NewInt(7)}
	resp, err := ts.CreateResponseWithOpts(tsaCert, tsaKey, crypto.SHA256)
	require.NoError(t, err)
	parsed, err := timestamp.ParseResponse(resp)
	require.NoError(t, err)
	md := sha256.Sum256([]byte("document"))
	der, err := cms.Sign(f.orgKey, md[:], f.orgCert, nil, nil)
	require.NoError(t, err)
	der, err = cms.AddUnsignedAttribute(der, 0, cms.OIDAttributeTimeStampToken, parsed.RawToken)
	require.NoError(t, err)
	s := f.stamp("Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00")
	s.contents = der
	s.m = gen.Add(-2 * time.Minute)
	f.d.sigs = []ckSig{s}
	rep := ckCheck(t, f.d.bytes(), nil)
	assert.Empty(t, rep.Failed(), ckDescribe(rep))
	require.Len(t, rep.Measurement.Signatures[0].CMSTimes, 1)
	assert.True(t, rep.Measurement.Signatures[0].CMSTimes[0].Equal(gen))
}

// TestCheckSealDrawnAsText: an organisation signature whose appearance is red text
// (a seal imitated by type, as older tools draw it) is read as a seal without its
// image.
func TestCheckSealDrawnAsText(t *testing.T) {
	f := ckNewFixture(t, 2, 30, 14)
	f.seal.img = nil
	f.seal.text, f.seal.size, f.seal.color = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", 6, [3]float64{0.85, 0, 0}
	rep := ckCheck(t, f.pdf(), nil)
	require.Equal(t, "seal", rep.Measurement.Signatures[1].Role)
	got := ckFailed(rep)
	require.Contains(t, got, "seal.image", ckDescribe(rep))
	assert.Contains(t, got["seal.image"].Measured, "no image")
}

// TestCheckSealSizeWithoutKnownDiameter: without the seal's own size, a seal is judged
// against 30–45 mm with the same 10 % tolerance as a known size (the ink of a 30 mm
// seal's ring measures a little under 30 mm); a seal drawn much smaller is flagged.
func TestCheckSealSizeWithoutKnownDiameter(t *testing.T) {
	for _, c := range []struct {
		mm     float64
		passed bool
	}{{29.5, true}, {36, true}, {48, true}, {26, false}, {52, false}} {
		t.Run(fmt.Sprint(c.mm), func(t *testing.T) {
			f := ckNewFixture(t, 2, 30, 14)
			cy := (f.seal.rect[1] + f.seal.rect[3]) / 2
			f.seal.rect[0] = f.seal.rect[2] - c.mm*ckMM
			f.seal.rect[1], f.seal.rect[3] = cy-c.mm*ckMM/2, cy+c.mm*ckMM/2
			rep := ckCheck(t, f.pdf(), nil)
			var got *layout.Finding
			for i, fd := range rep.Findings {
				if fd.Rule == "seal.size" {
					got = &rep.Findings[i]
				}
			}
			require.NotNil(t, got, ckDescribe(rep))
			assert.Equal(t, c.passed, got.Passed, "%s", got.Measured)
			assert.Contains(t, got.Measured, fmt.Sprintf("%.1f", c.mm))
		})
	}
}
