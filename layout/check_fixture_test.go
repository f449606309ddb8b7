package layout_test

import (
	"bytes"
	"compress/zlib"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/fonts"
)

// The fixtures of these tests are built by a small PDF writer here: Type 0 fonts
// (Identity-H, /W, /ToUnicode) over the embedded Liberation Serif, named as a Word
// export names Times New Roman; signature fields whose widgets carry /AP /N forms
// drawing images (Flate with a PNG predictor, RGB with a soft mask) or text; and a
// CMS SignedData in /Contents made with internal/cms over a self-made certificate.
// Check does not verify signatures, so /ByteRange and the digest are placeholders.

const ckMM = 72 / 25.4

type ckFont struct {
	f    *fonts.Font
	name string
	used map[uint16]rune
}

type ckPage struct {
	w, h    float64
	rotate  int
	content bytes.Buffer
	images  []ckImage // images painted on the page (scans)
}

type ckImage struct {
	w, h  int
	rgba  []byte // RGBA
	alpha bool   // write an /SMask
	jpeg  []byte // when set, a DCT image instead
	grey  bool
}

type ckSig struct {
	page  int // 1-based
	rect  [4]float64
	img   *ckImage
	text  string
	size  float64
	bold  bool
	color [3]float64
	cert  *x509.Certificate
	key   crypto.Signer
	m     time.Time
	name  string
	// contents, when set, is the CMS written to /Contents instead of one made here.
	contents []byte
}

type ckDoc struct {
	t       testing.TB
	version string
	fonts   [2]*ckFont // regular, bold
	pages   []*ckPage
	sigs    []ckSig
}

var (
	ckFontCache [2]*fonts.Font
)

func ckNewDoc(t testing.TB) *ckDoc {
	d := &ckDoc{t: t, version: "1.7"}
	for i, st := range []fonts.Style{fonts.Regular, fonts.Bold} {
		if ckFontCache[i] == nil {
			f, err := fonts.LiberationSerif(st)
			require.NoError(t, err)
			ckFontCache[i] = f
		}
		name := "TimesNewRomanPSMT"
		if i == 1 {
			name = "TimesNewRomanPS-BoldMT"
		}
		d.fonts[i] = &ckFont{f: ckFontCache[i], name: name, used: map[uint16]rune{}}
	}
	return d
}

func (d *ckDoc) page(wmm, hmm float64) *ckPage {
	p := &ckPage{w: wmm * ckMM, h: hmm * ckMM}
	d.pages = append(d.pages, p)
	return p
}

// width of s at size in the given font.
func (d *ckDoc) width(s string, size float64, bold bool) float64 {
	f := d.fonts[ckB2I(bold)]
	return f.f.StringWidth(norm.NFC.String(s), size)
}

func ckB2I(b bool) int {
	if b {
		return 1
	}
	return 0
}

// hexGlyphs encodes s as glyph IDs and records them.
func (d *ckDoc) hexGlyphs(s string, bold bool) string {
	f := d.fonts[ckB2I(bold)]
	var b strings.Builder
	b.WriteByte('<')
	for _, r := range norm.NFC.String(s) {
		g, _ := f.f.GlyphIndex(r)
		f.used[g] = r
		fmt.Fprintf(&b, "%04X", g)
	}
	b.WriteByte('>')
	return b.String()
}

// text draws s with its baseline starting at (x, y), in points.
func (d *ckDoc) text(p *ckPage, x, y, size float64, bold bool, s string) {
	fmt.Fprintf(&p.content, "BT /F%d %.2f Tf 1 0 0 1 %.3f %.3f Tm %s Tj ET\n", ckB2I(bold), size, x, y, d.hexGlyphs(s, bold))
}

// justify draws s stretched to width w with word spacing (as a composite font has no
// word spacing, by TJ gaps between the words).
func (d *ckDoc) justify(p *ckPage, x, y, size, w float64, s string) {
	words := strings.Fields(s)
	natural := d.width(strings.Join(words, " "), size, false)
	extra := 0.0
	if len(words) > 1 {
		extra = (w - natural) / float64(len(words)-1)
	}
	var b strings.Builder
	for i, wd := range words {
		if i > 0 {
			fmt.Fprintf(&b, " %s %.3f ", d.hexGlyphs(" ", false), -extra*1000/size)
		}
		b.WriteString(d.hexGlyphs(wd, false))
	}
	fmt.Fprintf(&p.content, "BT /F0 %.2f Tf 1 0 0 1 %.3f %.3f Tm [%s] TJ ET\n", size, x, y, b.String())
}

// centred draws s centred on cx.
func (d *ckDoc) centred(p *ckPage, cx, y, size float64, bold bool, s string) {
	d.text(p, cx-d.width(s, size, bold)/2, y, size, bold, s)
}

func (p *ckPage) rule(x0, y, x1, lw float64) {
	fmt.Fprintf(&p.content, "%.3f w %.3f %.3f m %.3f %.3f l S\n", lw, x0, y, x1, y)
}

func (p *ckPage) frame(x, y, w, h float64) {
	fmt.Fprintf(&p.content, "0.75 w %.3f %.3f %.3f %.3f re S\n", x, y, w, h)
}

// scan paints the page with an image (a scan), placed over the given box.
func (p *ckPage) scan(img ckImage, box [4]float64) {
	fmt.Fprintf(&p.content, "q %.3f 0 0 %.3f %.3f %.3f cm /Im%d Do Q\n", box[2]-box[0], box[3]-box[1], box[0], box[1], len(p.images))
	p.images = append(p.images, img)
}

// decision lays out an NĐ 30 decision of n pages (n ≥ 1) with the signer block on
// the last page, with left margin leftMM; it returns the signer block's title bottom
// and name top (points) and the block's centre line.
type ckBlock struct {
	page                     int
	titleBottom, nameTop, cx float64
}

func (d *ckDoc) decision(pagesN int, leftMM float64, body float64) ckBlock {
	const wmm, hmm = 210, 297
	left, right, top := leftMM*ckMM, (wmm-15)*ckMM, (hmm-20)*ckMM
	var b ckBlock
	para := "Phê duyệt kế hoạch ứng dụng chữ ký số chuyên dùng công vụ trong các cơ quan nhà nước trên địa bàn tỉnh năm 2026 với những nội dung chủ yếu như sau và giao các sở, ban, ngành tổ chức thực hiện theo đúng quy định của pháp luật hiện hành."
	words := strings.Fields(para)
	for n := 1; n <= pagesN; n++ {
		p := d.page(wmm, hmm)
		y := top - 14
		if n == 1 {
			lc := left + 40*ckMM
			rc := (left+right)/2 + 25*ckMM
			d.centred(p, lc, y, 13, false, "ỦY BAN NHÂN DÂN")
			d.centred(p, rc, y, 12, true, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
			y -= 16
			d.centred(p, lc, y, 13, true, "TỈNH QUẢNG NINH")
			d.centred(p, rc, y, 13, true, "Độc lập - Tự do - Hạnh phúc")
			y -= 26
			d.centred(p, lc, y, 13, false, "Số: 41/2022/QĐ-UBND")
			d.centred(p, rc, y, 14, false, "Quảng Ninh, ngày 08 tháng 11 năm 2022")
			y -= 36
			d.centred(p, (left+right)/2, y, 14, true, "QUYẾT ĐỊNH")
			y -= 30
		} else {
			d.centred(p, (left+right)/2, (hmm-12)*ckMM, 13, false, fmt.Sprint(n))
		}
		lines := 28
		if n == 1 {
			lines = 18
		}
		if n == pagesN {
			lines = 10
		}
		for i := 0; i < lines; i++ {
			// Fill a line with words, justified to the right margin.
			var line []string
			for k := 0; ; k++ {
				wd := words[(i*7+k)%len(words)]
				if d.width(strings.Join(append(line, wd), " "), body, false) > right-left {
					break
				}
				line = append(line, wd)
			}
			d.justify(p, left, y, body, right-left, strings.Join(line, " "))
			y -= body * 1.3
		}
		if n == pagesN {
			y -= 10
			cx := (left+right)/2 + 40*ckMM
			d.text(p, left, y, 12, true, "Nơi nhận:")
			d.centred(p, cx, y, 13, true, "KT. CHỦ TỊCH")
			y -= 16
			d.text(p, left, y, 11, false, "- Như Điều 3;")
			d.centred(p, cx, y, 13, true, "PHÓ CHỦ TỊCH")
			b.titleBottom = y - 0.217*13
			y -= 90
			d.centred(p, cx, y, 14, true, "Nguyễn Văn Ấn")
			b.nameTop = y + 0.891*14
			b.cx, b.page = cx, n
		}
		if n == 1 {
			// ô 13: the address under a full-width line.
			p.rule(left, 29*ckMM, right, 0.5)
			d.text(p, left, 24*ckMM, 10, false, "Địa chỉ: 1 Nguyễn Văn Cừ, Hạ Long; Điện thoại: 0203 3835 000; Email: vpubnd@quangninh.gov.vn")
		}
	}
	return b
}

// --- images ---

// ckSignerImage draws a blue handwritten-looking stroke on a transparent background.
func ckSignerImage(w, h int, c [3]byte) ckImage {
	img := ckImage{w: w, h: h, rgba: make([]byte, w*h*4), alpha: true}
	for x := 0; x < w; x++ {
		fx := float64(x) / float64(w)
		yc := float64(h)/2 + float64(h)*0.3*math.Sin(fx*4*math.Pi)*math.Sin(fx*math.Pi)
		for dy := -3; dy <= 3; dy++ {
			y := int(yc) + dy
			if y >= 0 && y < h && x > w/20 && x < w-w/20 {
				i := (y*w + x) * 4
				img.rgba[i], img.rgba[i+1], img.rgba[i+2], img.rgba[i+3] = c[0], c[1], c[2], 255
			}
		}
	}
	return img
}

// ckSealImage draws a round seal (two rings and a star) of n × n pixels.
func ckSealImage(n int, c [3]byte, opaque bool) ckImage {
	img := ckImage{w: n, h: n, rgba: make([]byte, n*n*4), alpha: !opaque}
	r := float64(n) / 2
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			dx, dy := float64(x)+0.5-r, float64(y)+0.5-r
			d := math.Hypot(dx, dy)
			ink := d <= r && d >= r*0.92 || d <= r*0.75 && d >= r*0.71 || d < r*0.2
			i := (y*n + x) * 4
			switch {
			case ink:
				img.rgba[i], img.rgba[i+1], img.rgba[i+2], img.rgba[i+3] = c[0], c[1], c[2], 255
			case opaque:
				img.rgba[i], img.rgba[i+1], img.rgba[i+2], img.rgba[i+3] = 255, 255, 255, 255
			}
		}
	}
	return img
}

// --- certificates ---

var ckOIDUID = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

func ckNewCert(t testing.TB, cn, uid string) (*x509.Certificate, crypto.Signer) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	subj := pkix.Name{CommonName: cn, Country: []string{"VN"}, Organization: []string{"UBND tỉnh Quảng Ninh"}}
	if uid != "" {
		subj.ExtraNames = []pkix.AttributeTypeAndValue{{Type: ckOIDUID, Value: uid}}
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63)) // random: time-based serials collide on a coarse clock
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: subj,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	ckCert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return ckCert, key
}

// --- writer ---

type ckWriter struct {
	buf  bytes.Buffer
	offs []int
}

func (w *ckWriter) reserve() int { w.offs = append(w.offs, 0); return len(w.offs) }

func (w *ckWriter) obj(n int, body string) {
	w.offs[n-1] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", n, body)
}

func (w *ckWriter) stream(n int, dict string, data []byte) {
	w.offs[n-1] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n<< %s /Length %d >>\nstream\n", n, dict, len(data))
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

func ckDeflate(b []byte) []byte {
	var out bytes.Buffer
	zw := zlib.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// ckPNGPredict prefixes each row with PNG filter type 1 (Sub).
func ckPNGPredict(data []byte, rowLen, bpp int) []byte {
	var out []byte
	for r := 0; r+rowLen <= len(data); r += rowLen {
		row := data[r : r+rowLen]
		out = append(out, 1)
		for i := range row {
			v := row[i]
			if i >= bpp {
				v -= row[i-bpp]
			}
			out = append(out, v)
		}
	}
	return out
}

// writeImage writes an image XObject (and its soft mask) and returns its number.
func (w *ckWriter) writeImage(img ckImage) int {
	if img.jpeg != nil {
		n := w.reserve()
		w.stream(n, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", img.w, img.h), img.jpeg)
		return n
	}
	comps, cs := 3, "/DeviceRGB"
	if img.grey {
		comps, cs = 1, "/DeviceGray"
	}
	px := make([]byte, 0, img.w*img.h*comps)
	alpha := make([]byte, 0, img.w*img.h)
	for i := 0; i < img.w*img.h; i++ {
		if img.grey {
			px = append(px, img.rgba[i*4])
		} else {
			px = append(px, img.rgba[i*4:i*4+3]...)
		}
		alpha = append(alpha, img.rgba[i*4+3])
	}
	smask := ""
	if img.alpha {
		m := w.reserve()
		w.stream(m, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", img.w, img.h), ckDeflate(alpha))
		smask = fmt.Sprintf(" /SMask %d 0 R", m)
	}
	n := w.reserve()
	w.stream(n, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors %d /Columns %d >>%s",
		img.w, img.h, cs, comps, img.w, smask), ckDeflate(ckPNGPredict(px, img.w*comps, comps)))
	return n
}

func ckPDFDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

// bytes writes the document.
func (d *ckDoc) bytes() []byte {
	t := d.t
	w := &ckWriter{}
	fmt.Fprintf(&w.buf, "%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n", d.version)
	catalog, pagesN := w.reserve(), w.reserve()
	var fontRefs [2]int
	for i := range fontRefs {
		fontRefs[i] = w.reserve()
	}
	// Signature appearances are drawn before the fonts are written, so their glyphs
	// are in the subsets: lay out pages and widgets first.
	pageRefs := make([]int, len(d.pages))
	for i := range d.pages {
		pageRefs[i] = w.reserve()
	}
	annots := make([][]int, len(d.pages))
	var fieldRefs []int
	for k, s := range d.sigs {
		var ap bytes.Buffer
		res := ""
		bw, bh := s.rect[2]-s.rect[0], s.rect[3]-s.rect[1]
		if s.img != nil {
			im := w.writeImage(*s.img)
			fmt.Fprintf(&ap, "q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q\n", bw, bh)
			res = fmt.Sprintf("/XObject << /Im0 %d 0 R >>", im)
		}
		if s.text != "" {
			fmt.Fprintf(&ap, "%.3f %.3f %.3f rg BT /F%d %.2f Tf 1 0 0 1 2 %.3f Tm %s Tj ET\n", s.color[0], s.color[1], s.color[2], ckB2I(s.bold), s.size, bh/2-s.size/3, d.hexGlyphs(s.text, s.bold))
			res += fmt.Sprintf(" /Font << /F0 %d 0 R /F1 %d 0 R >>", fontRefs[0], fontRefs[1])
		}
		apRef := w.reserve()
		w.stream(apRef, fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 %.3f %.3f] /Resources << %s >>", bw, bh, res), ap.Bytes())
		// The signature value.
		digest := sha256.Sum256([]byte(fmt.Sprint("kyso fixture", k)))
		der, err := cms.Sign(s.key, digest[:], s.cert, nil, nil)
		require.NoError(t, err)
		if s.contents != nil {
			der = s.contents
		}
		contents := make([]byte, 8192)
		copy(contents, der)
		v := w.reserve()
		w.obj(v, fmt.Sprintf("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 0 0 0] /Contents <%X> /M (%s) >>", contents, ckPDFDate(s.m)))
		f := w.reserve()
		name := s.name
		if name == "" {
			name = fmt.Sprintf("Signature%d", k+1)
		}
		w.obj(f, fmt.Sprintf("<< /FT /Sig /T (%s) /V %d 0 R /Type /Annot /Subtype /Widget /Rect [%.3f %.3f %.3f %.3f] /F 132 /P %d 0 R /AP << /N %d 0 R >> >>",
			name, v, s.rect[0], s.rect[1], s.rect[2], s.rect[3], pageRefs[s.page-1], apRef))
		annots[s.page-1] = append(annots[s.page-1], f)
		fieldRefs = append(fieldRefs, f)
	}
	for i, p := range d.pages {
		xo := ""
		for k, img := range p.images {
			xo += fmt.Sprintf(" /Im%d %d 0 R", k, w.writeImage(img))
		}
		c := w.reserve()
		w.stream(c, "/Filter /FlateDecode", ckDeflate(p.content.Bytes()))
		an := ""
		if len(annots[i]) > 0 {
			an = "/Annots ["
			for _, a := range annots[i] {
				an += fmt.Sprintf("%d 0 R ", a)
			}
			an += "]"
		}
		rot := ""
		if p.rotate != 0 {
			rot = fmt.Sprintf("/Rotate %d", p.rotate)
		}
		w.obj(pageRefs[i], fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.3f %.3f] %s /Contents %d 0 R /Resources << /Font << /F0 %d 0 R /F1 %d 0 R >> /XObject << %s >> >> %s >>",
			pagesN, p.w, p.h, rot, c, fontRefs[0], fontRefs[1], xo, an))
	}
	for i, f := range d.fonts {
		d.writeFont(w, fontRefs[i], f)
	}
	kids := ""
	for _, r := range pageRefs {
		kids += fmt.Sprintf("%d 0 R ", r)
	}
	w.obj(pagesN, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, len(pageRefs)))
	af := ""
	if len(fieldRefs) > 0 {
		af = "/AcroForm << /SigFlags 3 /Fields ["
		for _, r := range fieldRefs {
			af += fmt.Sprintf("%d 0 R ", r)
		}
		af += "] >>"
	}
	w.obj(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R %s >>", pagesN, af))
	x := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f\r\n", len(w.offs)+1)
	for _, o := range w.offs {
		fmt.Fprintf(&w.buf, "%010d 00000 n\r\n", o)
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(w.offs)+1, catalog, x)
	return w.buf.Bytes()
}

// writeFont writes a Type 0 font over the embedded subset with /W and /ToUnicode.
func (d *ckDoc) writeFont(w *ckWriter, ref int, f *ckFont) {
	gids := make([]int, 0, len(f.used))
	for g := range f.used {
		gids = append(gids, int(g))
	}
	sort.Ints(gids)
	glyphs := make([]uint16, len(gids))
	for i, g := range gids {
		glyphs[i] = uint16(g)
	}
	sub, err := f.f.Subset(glyphs)
	require.NoError(d.t, err)
	ff := w.reserve()
	w.stream(ff, fmt.Sprintf("/Length1 %d /Filter /FlateDecode", len(sub)), ckDeflate(sub))
	m := f.f.Metrics()
	scale := 1000 / float64(m.UnitsPerEm)
	desc := w.reserve()
	flags := 34
	if strings.Contains(f.name, "Bold") {
		flags |= 1 << 18
	}
	w.obj(desc, fmt.Sprintf("<< /Type /FontDescriptor /FontName /ABCDEF+%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>",
		f.name, flags, int(float64(m.BBox[0])*scale), int(float64(m.BBox[1])*scale), int(float64(m.BBox[2])*scale), int(float64(m.BBox[3])*scale),
		int(float64(m.Ascent)*scale), int(float64(m.Descent)*scale), int(float64(m.CapHeight)*scale), ff))
	var ws, cm strings.Builder
	for _, g := range gids {
		fmt.Fprintf(&ws, "%d [%d] ", g, int(math.Round(float64(f.f.Advance(uint16(g)))*scale)))
	}
	fmt.Fprintf(&cm, "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Kyso-UCS def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		end := min(i+100, len(gids))
		fmt.Fprintf(&cm, "%d beginbfchar\n", end-i)
		for _, g := range gids[i:end] {
			u := []rune{f.used[uint16(g)]}
			fmt.Fprintf(&cm, "<%04X> <", g)
			for _, r := range u {
				if r >= 0x10000 {
					continue
				}
				fmt.Fprintf(&cm, "%04X", r)
			}
			cm.WriteString(">\n")
		}
		cm.WriteString("endbfchar\n")
	}
	cm.WriteString("endcmap CMapName currentdict /CMap defineresource pop end end")
	tu := w.reserve()
	w.stream(tu, "", []byte(cm.String()))
	cid := w.reserve()
	w.obj(cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 1000 /W [%s] >>",
		f.name, desc, ws.String()))
	w.obj(ref, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", f.name, cid, tu))
}
