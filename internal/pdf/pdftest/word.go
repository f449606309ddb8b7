package pdftest

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/fonts"
	"github.com/kyso-go/kyso/internal/pdf"
)

// WordProducer is the /Producer and /Creator Microsoft Word for Microsoft 365 writes
// into the PDFs it saves, in PDFDocEncoding ("®" is the byte 0xAE).
const WordProducer = "Microsoft\xae Word for Microsoft 365"

// WordOptions sets the signer block of WordDecision; the zero value gives
// "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Văn A".
type WordOptions struct {
	// Authority and Title are the two lines of ô 7a ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH");
	// Name is ô 7b.
	Authority, Title, Name string
	// Decomposed types every text in Unicode normalisation form D, base letters
	// followed by combining marks, as Unikey's "Unicode tổ hợp" table produces and Word
	// keeps: the PDF then draws the marks as glyphs of their own.
	Decomposed bool
}

// A4 as Microsoft Word writes it (the page size in twips converted to points).
const (
	wordPageWidth  = 595.32
	wordPageHeight = 841.92
	mm             = 72 / 25.4
)

// WordDecision returns a two-page decision (quyết định) of a provincial People's
// Committee shaped the way Microsoft Word 2016–365 "Save as PDF" writes it: PDF 1.7
// whose objects are stored directly under a classic cross-reference table, followed by
// an empty "xref 0 0" section whose trailer chains /Prev to that table and /XRefStm to
// a cross-reference stream for the structure elements packed in an object stream;
// tagged (/MarkInfo, /StructTreeRoot with /ParentTree, /RoleMap and /IDTree, every text
// line in /P or /Span marked content with an MCID, headers as /Artifact); /Lang
// vi-VN; XMP metadata; /ViewerPreferences; Type0 fonts with Identity-H encoding over
// CIDFontType2 descendants (indirect /W arrays, /CIDToGIDMap /Identity) embedding
// subsets of Liberation Serif under Times New Roman subset names; /ToUnicode CMaps
// made of bfrange entries; text set word by word (one Tm per word) with TJ arrays
// holding kerning numbers, Tz and Tc; /Outlines from the headings, /Names /Dests and a
// URI /Link annotation with a /StructParent.
//
// The layout follows Nghị định 30/2020/NĐ-CP Phụ lục I on A4 (595.32 × 841.92 pt)
// with margins of 20 mm (top, bottom), 30 mm (left) and 15 mm (right): the issuing
// body and Quốc hiệu side by side, the number and the date, the title, the grounds and
// articles in 14 pt; page 2 carries the page number at the top centre, the last
// article, then "Nơi nhận:" at the left and the signer block at the right.
// The generator is deterministic.
func WordDecision(opts WordOptions) []byte {
	if opts.Authority == "" && opts.Title == "" {
		opts.Authority, opts.Title = "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
	}
	if opts.Name == "" {
		opts.Name = "Nguyễn Văn A"
	}
	w := newWordDoc()
	w.nfd = opts.Decomposed
	w.compose(opts)
	return w.write()
}

// wordFont is one Type0 font of the document.
type wordFont struct {
	res, base, tag string
	style          fonts.Style
	usage          *fonts.Usage
	font           *fonts.Font
	uni            map[uint16]rune
	// simple is the resource name of the simple TrueType font (WinAnsiEncoding) of
	// the same face, which Word uses for the characters WinAnsi has; simpleUsed
	// records that a page used it.
	simple     string
	simpleUsed bool
}

// wordLine is one line of text: one marked-content sequence.
type wordLine struct {
	font     *wordFont
	size     float64
	x, y     float64
	words    []string
	gap      float64 // extra space between words (justified lines)
	tc       float64
	artifact bool
	para     int // index into wordDoc.paras (−1 for artifacts)
	mcid     int
	link     string
}

type wordPara struct {
	tag   string // P, H1, H2, Title, Span…
	page  int
	mcids []int
	lines []*wordLine
}

type wordDoc struct {
	fonts [4]*wordFont
	pages [2][]*wordLine
	paras []*wordPara
	mcid  [2]int
	page  int
	y     float64
	nfd   bool
	rules [][4]float64 // x, y, width, height of the rules drawn on page 1
}

func newWordDoc() *wordDoc {
	w := &wordDoc{}
	specs := []struct {
		st        fonts.Style
		base, tag string
	}{
		{fonts.Regular, "TimesNewRomanPSMT", "BCDEEE"},
		{fonts.Bold, "TimesNewRomanPS-BoldMT", "BCDFEE"},
		{fonts.Italic, "TimesNewRomanPS-ItalicMT", "BCDGEE"},
		{fonts.BoldItalic, "TimesNewRomanPS-BoldItalicMT", "BCDHEE"},
	}
	for i, s := range specs {
		f, err := fonts.LiberationSerif(s.st)
		if err != nil {
			panic(err) // the embedded fonts always parse
		}
		w.fonts[i] = &wordFont{res: "F" + strconv.Itoa(i+1), base: s.base, tag: s.tag, style: s.st, usage: fonts.NewUsage(f), font: f,
			uni: map[uint16]rune{}, simple: "F" + strconv.Itoa(i+5)}
	}
	return w
}

const (
	left   = 30 * mm
	right  = wordPageWidth - 15*mm
	top    = wordPageHeight - 20*mm
	bottom = 20 * mm
)

func (f *wordFont) width(s string, size, tc float64) float64 {
	return f.font.StringWidth(s, size) + tc*float64(len([]rune(s)))
}

// para adds a paragraph of lines; align is 'l', 'c' or 'j'; x0, x1 bound the column.
// It returns the paragraph so that callers can place several columns on one baseline.
func (w *wordDoc) para(tag string, f *wordFont, size float64, text string, align byte, x0, x1, y float64, indent float64) (*wordPara, float64) {
	if w.nfd {
		text = norm.NFD.String(text)
	}
	p := &wordPara{tag: tag, page: w.page}
	w.paras = append(w.paras, p)
	words := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' }) // a no-break space stays inside its word
	lead := size * 1.15
	space := f.width(" ", size, 0)
	var lines [][]string
	var cur []string
	curW := 0.0
	for _, wd := range words {
		ww := f.width(wd, size, 0)
		avail := x1 - x0
		if len(lines) == 0 {
			avail -= indent
		}
		if len(cur) > 0 && curW+space+ww > avail {
			lines = append(lines, cur)
			cur, curW = nil, 0
		}
		if len(cur) > 0 {
			curW += space
		}
		cur = append(cur, wd)
		curW += ww
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	for i, lw := range lines {
		xs := x0
		if i == 0 {
			xs += indent
		}
		natural := f.width(strings.Join(lw, " "), size, 0)
		l := &wordLine{font: f, size: size, y: y, words: lw, para: len(w.paras) - 1, mcid: w.mcid[w.page]}
		w.mcid[w.page]++
		switch align {
		case 'c':
			l.x = (x0+x1)/2 - natural/2
		case 'j':
			l.x = xs
			if i < len(lines)-1 && len(lw) > 1 {
				l.gap = (x1 - xs - natural) / float64(len(lw)-1)
			}
		default:
			l.x = xs
		}
		p.mcids = append(p.mcids, l.mcid)
		p.lines = append(p.lines, l)
		w.pages[w.page] = append(w.pages[w.page], l)
		y -= lead
	}
	return p, y
}

// body adds a justified 14 pt paragraph with a first-line indent at the cursor.
func (w *wordDoc) body(tag string, f *wordFont, text string) {
	_, w.y = w.para(tag, f, 14.04, text, 'j', left, right, w.y, 12.7*mm)
	w.y -= 6
}

func (w *wordDoc) compose(o WordOptions) {
	reg, bold, ital, bi := w.fonts[0], w.fonts[1], w.fonts[2], w.fonts[3]
	split := left + 62*mm
	// Page 1: the header as Word's borderless two-column table.
	y := top - 13
	_, yl := w.para("P", bold, 13.02, "ỦY BAN NHÂN DÂN", 'c', left, split, y, 0)
	_, yl = w.para("P", bold, 13.02, "TỈNH QUẢNG NINH", 'c', left, split, yl, 0)
	_, yr := w.para("P", bold, 13.02, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 'c', split, right, y, 0)
	p, yr := w.para("P", bold, 14.04, "Độc lập - Tự do - Hạnh phúc", 'c', split, right, yr, 0)
	p.lines[0].tc = 0.1
	// The short rules under the issuing body (a third of its width) and under the
	// motto (as wide as it), 6 pt below their baselines.
	mid := (left + split) / 2
	w.rules = append(w.rules, [4]float64{mid - 35, yl + 13.02*1.15 - 6, 70, 0.75},
		[4]float64{p.lines[0].x, yr + 14.04*1.15 - 6, bold.width("Độc lập - Tự do - Hạnh phúc", 14.04, 0.1), 0.75})
	y = min(yl, yr) - 14
	_, yl = w.para("P", reg, 13.02, "Số: 123/QĐ-UBND", 'c', left, split, y, 0)
	_, yr = w.para("P", ital, 14.04, "Quảng Ninh, ngày 07 tháng 12 năm 2026", 'c', split, right, y, 0)
	w.y = min(yl, yr) - 22
	_, w.y = w.para("Title", bold, 14.04, "QUYẾT ĐỊNH", 'c', left, right, w.y, 0)
	_, w.y = w.para("P", bold, 14.04, "Về việc phê duyệt Kế hoạch chuyển đổi số năm 2027 của tỉnh Quảng Ninh", 'c', left, right, w.y, 0)
	w.y -= 14
	_, w.y = w.para("H2", bold, 14.04, "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", 'c', left, right, w.y, 0)
	w.y -= 8
	grounds := []string{
		"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
		"Căn cứ Luật Giao dịch điện tử ngày 22 tháng 6 năm 2023;",
		"Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
		"Căn cứ Nghị định số 23/2025/NĐ-CP ngày 21 tháng 02 năm 2025 của Chính phủ quy định về chữ ký điện tử và dịch vụ tin cậy;",
		"Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ tại Tờ trình số 456/TTr-SKHCN ngày 01 tháng 12 năm 2026.",
	}
	for _, g := range grounds {
		w.body("P", ital, g)
	}
	_, w.y = w.para("H1", bold, 14.04, "QUYẾT ĐỊNH:", 'c', left, right, w.y-4, 0)
	w.y -= 6
	w.body("P", reg, "Điều 1. Phê duyệt Kế hoạch chuyển đổi số năm 2027 của tỉnh Quảng Ninh (chi tiết tại Phụ lục kèm theo Quyết định này), với mục tiêu 100% văn bản điện tử giữa các cơ quan nhà nước được ký số bằng chữ ký số chuyên dùng Chính phủ, trừ văn bản mật theo quy định của pháp luật.")
	w.body("P", reg, "Điều 2. Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố tổ chức triển khai thực hiện Kế hoạch; định kỳ hằng quý tổng hợp, báo cáo kết quả về Ủy ban nhân dân tỉnh. Thông tin chi tiết được đăng tải trên Cổng thông tin điện tử của tỉnh.")
	link := w.pages[0][len(w.pages[0])-1]
	link.link = "https://www.quangninh.gov.vn/"
	w.body("P", reg, "Các nhiệm vụ trọng tâm gồm: hoàn thiện hạ tầng số và nền tảng tích hợp, chia sẻ dữ liệu của tỉnh; số hóa hồ sơ, kết quả giải quyết thủ tục hành chính; triển khai ký số trên thiết bị di động cho cán bộ, công chức; bảo đảm an toàn, an ninh mạng cho hệ thống thông tin; đào tạo, bồi dưỡng kỹ năng số cho đội ngũ cán bộ, công chức, viên chức và người dân. Các sở, ngành, địa phương chủ động rà soát, cập nhật danh mục dịch vụ công trực tuyến toàn trình, bảo đảm tỷ lệ hồ sơ được xử lý hoàn toàn trực tuyến đạt mục tiêu của Chính phủ; kết quả thực hiện là tiêu chí đánh giá hằng năm. Kinh phí thực hiện được bố trí từ ngân sách nhà nước theo phân cấp hiện hành và các nguồn vốn hợp pháp khác.")
	w.body("P", reg, "Quyết định này có hiệu lực kể từ ngày ký. Các cơ quan, đơn vị căn cứ nội dung Kế hoạch để xây dựng kế hoạch chi tiết của đơn vị mình, bố trí kinh phí từ nguồn ngân sách được giao và các nguồn hợp pháp khác.")

	if last := w.pages[0][len(w.pages[0])-1]; last.y < bottom {
		panic("pdftest: page 1 of the Word decision overflows")
	}
	// Page 2: the page number as a pagination artifact at the top centre.
	w.page = 1
	num := &wordLine{font: reg, size: 13.02, y: top - 4, words: []string{"2"}, artifact: true, para: -1}
	num.x = wordPageWidth/2 - reg.width("2", 13.02, 0)/2 + (left-(wordPageWidth-right))/2
	w.pages[1] = append(w.pages[1], num)
	w.y = top - 34
	w.body("P", reg, "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Khoa học và Công nghệ, Thủ trưởng các sở, ban, ngành, Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.")
	w.y -= 8
	// The closing block as Word's borderless table: Nơi nhận at the left, the signer
	// block at the right, side by side.
	y = w.y
	_, yl = w.para("P", bi, 12, "Nơi nhận:", 'l', left, split, y, 0)
	for _, r := range []string{"- Như Điều 3;", "- Chủ tịch, các PCT UBND tỉnh;", "- V0, V1, V3, TH;", "- Lưu: VT, KHCN."} {
		_, yl = w.para("P", reg, 11.04, r, 'l', left, split, yl+2, 0)
	}
	yr = y
	if o.Authority != "" {
		_, yr = w.para("P", bold, 14.04, o.Authority, 'c', split, right, yr, 0)
	}
	_, yr = w.para("P", bold, 14.04, o.Title, 'c', split, right, yr, 0)
	yr -= 4 * 14.04 * 1.15 // the empty paragraphs left for the signature
	w.para("P", bold, 14.04, o.Name, 'c', split, right, yr, 0)
	_ = yl
}

// encode records s in f and returns the Identity-H codes as a PDF literal string
// written the way Word writes them (raw bytes, with only the delimiters escaped).
func (f *wordFont) encode(s string) []byte {
	codes := f.usage.Encode(s)
	i := 0
	for _, r := range s {
		g := uint16(codes[i])<<8 | uint16(codes[i+1])
		f.uni[g] = r
		i += 2
	}
	var b []byte
	b = append(b, '(')
	for _, c := range codes {
		switch c {
		case '(', ')', '\\':
			b = append(b, '\\', c)
		case '\r':
			b = append(b, `\r`...)
		case '\n':
			b = append(b, `\n`...)
		default:
			b = append(b, c)
		}
	}
	return append(b, ')')
}

// winAnsi reports whether Word sets r with the simple WinAnsiEncoding font: printable
// ASCII and the Latin-1 letters, whose WinAnsi codes equal their code points.
func winAnsi(r rune) bool {
	return (r >= 0x20 && r < 0x7F) || (r >= 0xC0 && r <= 0xFF && r != 0xD7 && r != 0xF7)
}

// tj writes the TJ arrays of a word the way Word sets Vietnamese: the runs of
// WinAnsi characters in the simple TrueType font, the others (ả, ơ, đ, …) in the
// Type0 font, switching fonts inside the word without repositioning; each run of
// four characters or more is split in two with a small kerning number between the
// halves, as Word writes pair kerning. cur is the font currently selected.
func (f *wordFont) tj(b *bytes.Buffer, word string, size float64, cur *string) {
	r := []rune(word)
	var prev rune
	for i := 0; i < len(r); {
		simple := winAnsi(r[i])
		j := i
		for j < len(r) && winAnsi(r[j]) == simple {
			j++
		}
		seg := r[i:j]
		i = j
		res := f.res
		if simple {
			res, f.simpleUsed = f.simple, true
		}
		if *cur != res {
			fmt.Fprintf(b, "/%s %s Tf\n", res, num(size))
			*cur = res
		}
		enc := func(s []rune) []byte {
			if !simple {
				// A combining mark (typed decomposed) is pulled back over its base
				// letter and the pen restored after it, as Word writes the mark
				// positioning of its shaping engine in TJ numbers.
				var out []byte
				start := 0
				for k, c := range s {
					if !unicode.Is(unicode.Mn, c) || k == 0 && prev == 0 {
						continue
					}
					base := prev
					if k > 0 {
						base = s[k-1]
					}
					if unicode.Is(unicode.Mn, base) && k > 1 {
						base = s[k-2]
					}
					g, _ := f.font.GlyphIndex(base)
					pull := f.font.Advance(g)*1000/f.font.Metrics().UnitsPerEm/2 + 150
					if k > start {
						out = append(out, f.encode(string(s[start:k]))...)
					}
					out = fmt.Appendf(out, " %d ", pull)
					out = append(out, f.encode(string(c))...)
					out = fmt.Appendf(out, " %d ", -pull)
					start = k + 1
				}
				if start < len(s) {
					out = append(out, f.encode(string(s[start:]))...)
				}
				prev = s[len(s)-1]
				return out
			}
			prev = s[len(s)-1]
			out := []byte{'('}
			for _, c := range s {
				switch c {
				case '(', ')', '\\':
					out = append(out, '\\', byte(c))
				default:
					out = append(out, byte(c))
				}
			}
			return append(out, ')')
		}
		b.WriteByte('[')
		if len(seg) >= 4 {
			b.Write(enc(seg[:len(seg)/2]))
			b.WriteString("-3")
			b.Write(enc(seg[len(seg)/2:]))
		} else {
			b.Write(enc(seg))
		}
		b.WriteString("]TJ\n")
	}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// content writes page i's content stream.
func (w *wordDoc) content(i int) []byte {
	var b bytes.Buffer
	for _, l := range w.pages[i] {
		if l.artifact {
			fmt.Fprintf(&b, "/Artifact <</Type /Pagination /Subtype /Header /Attached [/Top]>> BDC \n")
		} else {
			tag := "P"
			if p := w.paras[l.para]; p.tag != "P" {
				tag = "Span"
			}
			fmt.Fprintf(&b, "/%s <</Lang (vi-VN)/MCID %d>> BDC \n", tag, l.mcid)
		}
		// Word clips every marked sequence to the page and sets its colour first.
		fmt.Fprintf(&b, "q\n0.000008871 0 %s %s re\nW* n\n", num(wordPageWidth), num(wordPageHeight))
		fmt.Fprintf(&b, "BT\n/%s %s Tf\n100 Tz\n%s Tc\n", l.font.res, num(l.size), num(l.tc))
		cur := l.font.res
		x := l.x
		for k, wd := range l.words {
			fmt.Fprintf(&b, "1 0 0 1 %.2f %.2f Tm\n0 g\n0 G\n", x, l.y)
			run := wd
			if k < len(l.words)-1 {
				run += " "
			}
			l.font.tj(&b, run, l.size, &cur)
			x += l.font.width(run, l.size, l.tc) + l.gap
		}
		b.WriteString("ET\nQ\nEMC \n")
	}
	// The short rules under the issuing body and the motto, as Word's drawn shapes.
	if i == 0 {
		b.WriteString("/Artifact BMC \nq\n0 0 0 rg\n")
		for _, r := range w.rules {
			fmt.Fprintf(&b, "%.2f %.2f %.2f %.2f re f*\n", r[0], r[1], r[2], r[3])
		}
		b.WriteString("Q\nEMC \n")
	}
	return b.Bytes()
}

// toUnicode writes a /ToUnicode CMap of bfrange entries, one range per run of
// consecutive glyph codes mapping to consecutive code points, as Word writes them.
func (f *wordFont) toUnicode() []byte {
	gs := make([]int, 0, len(f.uni))
	for g := range f.uni {
		gs = append(gs, int(g))
	}
	sort.Ints(gs)
	type rng struct{ lo, hi int }
	var rs []rng
	for _, g := range gs {
		if n := len(rs); n > 0 && rs[n-1].hi == g-1 && f.uni[uint16(g)] == f.uni[uint16(rs[n-1].hi)]+1 && g&0xFF != 0 {
			rs[n-1].hi = g
			continue
		}
		rs = append(rs, rng{g, g})
	}
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe)/Ordering (UCS)/Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(rs); i += 100 {
		chunk := rs[i:min(i+100, len(rs))]
		fmt.Fprintf(&b, "%d beginbfrange\n", len(chunk))
		for _, r := range chunk {
			fmt.Fprintf(&b, "<%04X> <%04X> <%04X>\n", r.lo, r.hi, f.uni[uint16(r.lo)])
		}
		b.WriteString("endbfrange\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

func (w *wordDoc) write() []byte {
	b := &builder{}
	inStm := map[int]bool{}
	elem := func(d pdf.Dict) pdf.Ref { r := b.add(d); inStm[r.Num] = true; return r }

	catRef := b.add(nil)
	pagesRef := b.add(nil)
	var pageRefs [2]pdf.Ref
	var contents [2][]byte
	for i := range contents {
		contents[i] = w.content(i) // records the glyphs before the fonts are written
	}
	for i := range pageRefs {
		pageRefs[i] = b.add(nil)
	}
	gs := b.add(pdf.Dict{"Type": pdf.Name("ExtGState"), "BM": pdf.Name("Normal"), "ca": pdf.Integer(1)})
	fontDict := pdf.Dict{}
	csi := b.add(pdf.Dict{"Registry": pdf.String("Adobe"), "Ordering": pdf.String("Identity"), "Supplement": pdf.Integer(0)})
	for _, f := range w.fonts {
		if len(f.uni) == 0 {
			continue
		}
		name := pdf.Name(f.tag + "+" + f.base)
		sub, err := f.usage.Subset()
		if err != nil {
			panic(err)
		}
		d := f.font.Descriptor()
		m := f.font.Metrics()
		weight := 400
		if m.Bold {
			weight = 700
		}
		file := b.add(&pdf.Stream{Dict: pdf.Dict{"Filter": pdf.Name("FlateDecode"), "Length1": pdf.Integer(len(sub))}, Data: deflate(sub)})
		desc := b.add(pdf.Dict{"Type": pdf.Name("FontDescriptor"), "FontName": name, "Flags": pdf.Integer(d.Flags),
			"ItalicAngle": pdf.Real(d.ItalicAngle), "Ascent": pdf.Integer(d.Ascent), "Descent": pdf.Integer(d.Descent),
			"CapHeight": pdf.Integer(d.CapHeight), "AvgWidth": pdf.Integer(401), "MaxWidth": pdf.Integer(2614),
			"FontWeight": pdf.Integer(weight), "XHeight": pdf.Integer(250), "Leading": pdf.Integer(42), "StemV": pdf.Integer(d.StemV),
			"FontBBox":  pdf.Array{pdf.Integer(d.BBox[0]), pdf.Integer(d.BBox[1]), pdf.Integer(d.BBox[2]), pdf.Integer(d.BBox[3])},
			"FontFile2": file})
		widths := b.add(pdf.Raw("[" + f.usage.Widths() + "]"))
		cid := b.add(pdf.Dict{"BaseFont": name, "Subtype": pdf.Name("CIDFontType2"), "Type": pdf.Name("Font"),
			"CIDToGIDMap": pdf.Name("Identity"), "DW": pdf.Integer(1000), "CIDSystemInfo": csi, "FontDescriptor": desc, "W": widths})
		tu := b.add(&pdf.Stream{Dict: pdf.Dict{"Filter": pdf.Name("FlateDecode")}, Data: deflate(f.toUnicode())})
		fontDict[pdf.Name(f.res)] = b.add(pdf.Dict{"Type": pdf.Name("Font"), "Subtype": pdf.Name("Type0"), "BaseFont": name,
			"Encoding": pdf.Name("Identity-H"), "DescendantFonts": pdf.Array{cid}, "ToUnicode": tu})
	}
	for _, f := range w.fonts {
		if !f.simpleUsed {
			continue
		}
		// The simple font embeds the whole face (its cmap maps the WinAnsi codes).
		data := fonts.LiberationSerifData(f.style)
		d := f.font.Descriptor()
		name := pdf.Name(f.tag + "+" + f.base)
		file := b.add(&pdf.Stream{Dict: pdf.Dict{"Filter": pdf.Name("FlateDecode"), "Length1": pdf.Integer(len(data))}, Data: deflate(data)})
		desc := b.add(pdf.Dict{"Type": pdf.Name("FontDescriptor"), "FontName": name, "Flags": pdf.Integer(d.Flags),
			"ItalicAngle": pdf.Real(d.ItalicAngle), "Ascent": pdf.Integer(d.Ascent), "Descent": pdf.Integer(d.Descent),
			"CapHeight": pdf.Integer(d.CapHeight), "StemV": pdf.Integer(d.StemV),
			"FontBBox":  pdf.Array{pdf.Integer(d.BBox[0]), pdf.Integer(d.BBox[1]), pdf.Integer(d.BBox[2]), pdf.Integer(d.BBox[3])},
			"FontFile2": file})
		var widths pdf.Array
		upem := float64(f.font.Metrics().UnitsPerEm)
		for c := rune(32); c <= 255; c++ {
			g, _ := f.font.GlyphIndex(c)
			if !winAnsi(c) {
				g = 0
			}
			widths = append(widths, pdf.Integer(int(float64(f.font.Advance(g))*1000/upem+0.5)))
		}
		wref := b.add(widths)
		fontDict[pdf.Name(f.simple)] = b.add(pdf.Dict{"Type": pdf.Name("Font"), "Subtype": pdf.Name("TrueType"), "Name": pdf.Name(f.simple),
			"BaseFont": name, "Encoding": pdf.Name("WinAnsiEncoding"), "FontDescriptor": desc,
			"FirstChar": pdf.Integer(32), "LastChar": pdf.Integer(255), "Widths": wref})
	}
	resources := pdf.Dict{"Font": fontDict, "ExtGState": pdf.Dict{"GS7": gs},
		"ProcSet": pdf.Array{pdf.Name("PDF"), pdf.Name("Text"), pdf.Name("ImageB"), pdf.Name("ImageC"), pdf.Name("ImageI")}}

	// Structure tree: Document > (P | H1 | H2 | Title) with MCIDs; the link's /Link.
	structRoot := b.add(nil)
	docElem := b.add(nil)
	inStm[docElem.Num] = true
	var kids pdf.Array
	parentTree := [2]pdf.Array{}
	for i := range parentTree {
		parentTree[i] = make(pdf.Array, w.mcid[i])
	}
	var annots [2]pdf.Array
	linkStruct := 2 // the ParentTree key of the link annotation
	var linkNums pdf.Array
	for _, p := range w.paras {
		pg := pageRefs[p.page]
		var k pdf.Array
		for _, id := range p.mcids {
			k = append(k, pdf.Integer(id))
		}
		d := pdf.Dict{"Type": pdf.Name("StructElem"), "S": pdf.Name(p.tag), "P": docElem, "Pg": pg, "K": k, "Lang": pdf.String("vi-VN")}
		ref := elem(d)
		for _, l := range p.lines {
			parentTree[p.page][l.mcid] = ref
			if l.link == "" {
				continue
			}
			// The link over the last word of the line.
			last := l.words[len(l.words)-1]
			x1 := l.x + l.font.width(strings.Join(l.words, " "), l.size, 0) + l.gap*float64(len(l.words)-1)
			x0 := x1 - l.font.width(last, l.size, 0)
			annot := b.add(pdf.Dict{"Type": pdf.Name("Annot"), "Subtype": pdf.Name("Link"),
				"Rect": pdf.Array{pdf.Real(x0), pdf.Real(l.y - 3), pdf.Real(x1), pdf.Real(l.y + l.size)},
				"BS":   pdf.Dict{"W": pdf.Integer(0)}, "F": pdf.Integer(4),
				"A":            pdf.Dict{"Type": pdf.Name("Action"), "S": pdf.Name("URI"), "URI": pdf.String(l.link)},
				"StructParent": pdf.Integer(linkStruct)})
			annots[p.page] = append(annots[p.page], annot)
			le := elem(pdf.Dict{"Type": pdf.Name("StructElem"), "S": pdf.Name("Link"), "P": ref, "Pg": pg,
				"K": pdf.Array{pdf.Dict{"Type": pdf.Name("OBJR"), "Obj": annot, "Pg": pg}}, "Alt": pdf.TextString("Cổng thông tin điện tử tỉnh Quảng Ninh")})
			d["K"] = append(k, le)
			linkNums = pdf.Array{pdf.Integer(linkStruct), le}
		}
		kids = append(kids, ref)
	}
	b.set(docElem, pdf.Dict{"Type": pdf.Name("StructElem"), "S": pdf.Name("Document"), "P": structRoot, "K": kids, "Lang": pdf.String("vi-VN")})
	nums := pdf.Array{pdf.Integer(0), elem(pdf.Dict{}), pdf.Integer(1), elem(pdf.Dict{})}
	// Parent-tree values are arrays; Word stores them as indirect arrays.
	b.set(nums[1].(pdf.Ref), parentTree[0])
	b.set(nums[3].(pdf.Ref), parentTree[1])
	nums = append(nums, linkNums...)
	pt := elem(pdf.Dict{"Nums": nums})
	b.set(structRoot, pdf.Dict{"Type": pdf.Name("StructTreeRoot"), "RoleMap": pdf.Dict{
		"Footnote": pdf.Name("Note"), "Endnote": pdf.Name("Note"), "Textbox": pdf.Name("Sect"), "Header": pdf.Name("Sect"),
		"Footer": pdf.Name("Sect"), "InlineShape": pdf.Name("Sect"), "Annotation": pdf.Name("Sect"), "Artifact": pdf.Name("Sect"),
		"Workbook": pdf.Name("Document"), "Worksheet": pdf.Name("Part"), "Chart": pdf.Name("Sect"), "Diagram": pdf.Name("Figure"),
		"Title": pdf.Name("H1")},
		"ParentTree": pt, "ParentTreeNextKey": pdf.Integer(3), "K": pdf.Array{docElem}})

	for i, r := range pageRefs {
		c := b.add(&pdf.Stream{Dict: pdf.Dict{"Filter": pdf.Name("FlateDecode")}, Data: deflate(contents[i])})
		pg := pdf.Dict{"Type": pdf.Name("Page"), "Parent": pagesRef, "Resources": resources,
			"MediaBox": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Real(wordPageWidth), pdf.Real(wordPageHeight)},
			"Contents": c, "Group": pdf.Dict{"Type": pdf.Name("Group"), "S": pdf.Name("Transparency"), "CS": pdf.Name("DeviceRGB")},
			"Tabs": pdf.Name("S"), "StructParents": pdf.Integer(i)}
		if len(annots[i]) > 0 {
			pg["Annots"] = annots[i]
		}
		b.set(r, pg)
	}
	b.set(pagesRef, pdf.Dict{"Type": pdf.Name("Pages"), "Count": pdf.Integer(2), "Kids": pdf.Array{pageRefs[0], pageRefs[1]}})

	// Outlines from the headings, and the named destinations Word writes for them.
	outRoot := b.add(nil)
	var items []pdf.Ref
	var dests pdf.Array
	for _, h := range []struct {
		title, name string
		page        int
		y           float64
	}{{"QUYẾT ĐỊNH", "_Toc217000001", 0, top - 120}, {"Điều 3", "_Toc217000002", 1, top - 34}} {
		dest := pdf.Array{pageRefs[h.page], pdf.Name("XYZ"), pdf.Real(left), pdf.Real(h.y), pdf.Integer(0)}
		dests = append(dests, pdf.String(h.name), dest)
		items = append(items, b.add(pdf.Dict{"Title": pdf.TextString(h.title), "Parent": outRoot, "Dest": pdf.String(h.name)}))
	}
	b.objs[items[0].Num-1].(pdf.Dict)["Next"] = items[1]
	b.objs[items[1].Num-1].(pdf.Dict)["Prev"] = items[0]
	b.set(outRoot, pdf.Dict{"Type": pdf.Name("Outlines"), "First": items[0], "Last": items[1], "Count": pdf.Integer(2)})

	xmp := `<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="3.1-701">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>Microsoft® Word for Microsoft 365</pdf:Producer></rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">Quyết định phê duyệt Kế hoạch chuyển đổi số năm 2027</rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>Văn phòng UBND tỉnh</rdf:li></rdf:Seq></dc:creator></rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>Microsoft® Word for Microsoft 365</xmp:CreatorTool><xmp:CreateDate>2026-12-07T09:30:00+07:00</xmp:CreateDate><xmp:ModifyDate>2026-12-07T09:30:00+07:00</xmp:ModifyDate></rdf:Description>
<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"><xmpMM:DocumentID>uuid:6A0B1F0E-3C55-4B8D-9E3A-2F1C0D5E7A11</xmpMM:DocumentID><xmpMM:InstanceID>uuid:6A0B1F0E-3C55-4B8D-9E3A-2F1C0D5E7A11</xmpMM:InstanceID></rdf:Description>
</rdf:RDF></x:xmpmeta>
` + strings.Repeat("                                                                                                    \n", 20) + `<?xpacket end="w"?>`
	meta := b.add(&pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("Metadata"), "Subtype": pdf.Name("XML")}, Data: []byte(xmp)})
	info := b.add(pdf.Dict{"Title": pdf.TextString("Quyết định phê duyệt Kế hoạch chuyển đổi số năm 2027"),
		"Author": pdf.TextString("Văn phòng UBND tỉnh"), "Creator": pdf.String(WordProducer), "Producer": pdf.String(WordProducer),
		"CreationDate": pdf.String("D:20261207093000+07'00'"), "ModDate": pdf.String("D:20261207093000+07'00'")})
	b.set(catRef, pdf.Dict{"Type": pdf.Name("Catalog"), "Pages": pagesRef, "Lang": pdf.String("vi-VN"),
		"StructTreeRoot": structRoot, "MarkInfo": pdf.Dict{"Marked": pdf.Bool(true)}, "Metadata": meta,
		"ViewerPreferences": pdf.Dict{"DisplayDocTitle": pdf.Bool(true)}, "Outlines": outRoot, "PageMode": pdf.Name("UseOutlines"),
		"Names": pdf.Dict{"Dests": pdf.Dict{"Names": dests}}})
	id := pdf.HexString("\x8f\x1e\x5a\x02\xc4\x31\x4e\x90\xa2\x6b\x11\x3d\x7c\x40\xe9\x55")
	return writeWordFile(b, inStm, pdf.Dict{"Root": catRef, "Info": info, "ID": pdf.Array{id, id}})
}

// writeWordFile lays the file out as Word does: every object not in inStm stored
// directly, then the object stream and a cross-reference stream for the objects in
// it, a classic table (the compressed objects listed free) with its trailer, and a
// final empty "xref 0 0" section whose trailer has /Prev (the table) and /XRefStm.
func writeWordFile(b *builder, inStm map[int]bool, trailer pdf.Dict) []byte {
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.7\r\n%\xb5\xb5\xb5\xb5\r\n")
	offsets := map[int]int64{}
	emit := func(num int, o pdf.Object) {
		offsets[num] = int64(buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\r\n", num)
		buf.Write(pdf.AppendObject(nil, o))
		buf.WriteString("\r\nendobj\r\n")
	}
	var compressed []int
	for i, o := range b.objs {
		if inStm[i+1] {
			compressed = append(compressed, i+1)
			continue
		}
		emit(i+1, o)
	}
	stmNum := len(b.objs) + 1
	xrNum := stmNum + 1
	size := xrNum + 1
	var hdr, body []byte
	for _, n := range compressed {
		hdr = fmt.Appendf(hdr, "%d %d ", n, len(body))
		body = pdf.AppendObject(body, b.objs[n-1])
		body = append(body, ' ')
	}
	emit(stmNum, &pdf.Stream{Dict: pdf.Dict{"Type": pdf.Name("ObjStm"), "N": pdf.Integer(len(compressed)),
		"First": pdf.Integer(len(hdr)), "Filter": pdf.Name("FlateDecode")}, Data: deflate(append(hdr, body...))})
	// The cross-reference stream: type-2 rows for the compressed objects.
	var rows []byte
	var index pdf.Array
	for i := 0; i < len(compressed); {
		j := i
		for j+1 < len(compressed) && compressed[j+1] == compressed[j]+1 {
			j++
		}
		index = append(index, pdf.Integer(compressed[i]), pdf.Integer(j-i+1))
		for k := i; k <= j; k++ {
			rows = append(rows, 2, 0, 0, byte(stmNum>>8), byte(stmNum), byte(k>>8), byte(k))
		}
		i = j + 1
	}
	xs := trailer.Clone()
	xs["Type"], xs["Size"], xs["Index"] = pdf.Name("XRef"), pdf.Integer(size), index
	xs["W"] = pdf.Array{pdf.Integer(1), pdf.Integer(4), pdf.Integer(2)}
	xs["Filter"] = pdf.Name("FlateDecode")
	emit(xrNum, &pdf.Stream{Dict: xs, Data: deflate(rows)})
	xsOff := offsets[xrNum]

	table := int64(buf.Len())
	fmt.Fprintf(&buf, "xref\r\n0 %d\r\n", size)
	for n := 0; n < size; n++ {
		if off, ok := offsets[n]; ok {
			fmt.Fprintf(&buf, "%010d 00000 n\r\n", off)
		} else {
			buf.WriteString("0000000000 65535 f\r\n")
		}
	}
	t := trailer.Clone()
	t["Size"] = pdf.Integer(size)
	buf.WriteString("trailer\r\n")
	buf.Write(pdf.AppendObject(nil, t))
	fmt.Fprintf(&buf, "\r\nstartxref\r\n%d\r\n%%%%EOF\r\n", table)
	last := int64(buf.Len())
	buf.WriteString("xref\r\n0 0\r\ntrailer\r\n")
	t["Prev"], t["XRefStm"] = pdf.Integer(table), pdf.Integer(xsOff)
	buf.Write(pdf.AppendObject(nil, t))
	fmt.Fprintf(&buf, "\r\nstartxref\r\n%d\r\n%%%%EOF", last)
	return buf.Bytes()
}
