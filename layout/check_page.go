package layout

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
)

// chkMM is one millimetre in points.
const chkMM = 72 / 25.4

// chkTolMM is the measuring tolerance on lengths, in millimetres.
const chkTolMM = 1.0

// chkDisplay converts a box of a page (in its upright space, y up) to the displayed
// view pdftotext reports (origin top left, y down) and returns it with the page's
// displayed size.
func chkDisplay(p *MeasuredPage, b [4]float64) (box [4]float64, w, h float64) {
	w, h = p.Width, p.Height
	return [4]float64{b[0], h - b[3], b[2], h - b[1]}, w, h
}

// chkPageList formats page numbers, at most eight.
func chkPageList(pages []int) string {
	var s []string
	for i, p := range pages {
		if i == 8 {
			s = append(s, fmt.Sprintf("… (%d pages)", len(pages)))
			break
		}
		s = append(s, fmt.Sprint(p))
	}
	return strings.Join(s, ", ")
}

var chkPageNumberRE = regexp.MustCompile(`^[0-9]{1,4}$`)

// chkIsPageNumber reports whether a line is a page number: digits only, in the top or
// bottom 25 mm of the displayed page, or an artifact of type Pagination.
func chkIsPageNumber(p *MeasuredPage, l MeasuredLine) bool {
	if l.Artifact && l.ArtifactType == "Pagination" && chkPageNumberRE.MatchString(strings.Trim(l.Text, " -–")) {
		return true
	}
	if !chkPageNumberRE.MatchString(strings.Trim(l.Text, " -–")) {
		return false
	}
	b, _, h := chkDisplay(p, l.BBox)
	return b[1] < 25*chkMM || b[3] > h-25*chkMM
}

func (c *checker) checkPages() {
	pages := c.m.Pages
	if len(pages) == 0 {
		return
	}
	c.checkA4()
	c.checkMargins()
	c.checkFonts()
	c.checkBodySize()
	c.checkPageNumbers()
	p1 := &pages[0]
	c.checkFooterLine(p1)
	c.checkUrgency(p1)
	c.checkSecrecy(p1)
	c.checkScans()
}

func (c *checker) checkA4() {
	var off, land []int
	var first string
	for i := range c.m.Pages {
		p := &c.m.Pages[i]
		w, h := p.Width, p.Height
		short, long := math.Min(w, h)/chkMM, math.Max(w, h)/chkMM
		if math.Abs(short-210) > chkTolMM || math.Abs(long-297) > chkTolMM {
			off = append(off, p.Number)
			if first == "" {
				first = fmt.Sprintf("page %d: %.1f × %.1f mm", p.Number, w/chkMM, h/chkMM)
			}
		}
		if w > h {
			land = append(land, p.Number)
		}
	}
	if len(off) > 0 {
		c.add("page.a4", false, off[0], "", first+"; pages "+chkPageList(off), "210 × 297 mm ± 1 mm",
			"pages are not A4", "trang không đúng khổ A4")
	} else {
		c.add("page.a4", true, 0, "", fmt.Sprintf("%d pages A4", len(c.m.Pages)), "210 × 297 mm ± 1 mm", "every page is A4", "các trang đúng khổ A4")
	}
	if len(land) > 0 {
		c.add("page.orientation", false, land[0], "", "landscape pages "+chkPageList(land), "portrait",
			"landscape pages (allowed for tables that are not made an appendix)",
			"trang trình bày theo chiều rộng (chỉ dùng cho bảng, biểu không làm thành phụ lục riêng)")
	} else {
		c.add("page.orientation", true, 0, "", "portrait", "portrait", "every page is portrait", "các trang trình bày theo chiều dài")
	}
}

// chkBodyLines returns the page's lines that belong to the text area: not artifacts,
// not page numbers.
func chkBodyLines(p *MeasuredPage) []MeasuredLine {
	var out []MeasuredLine
	for _, l := range p.Lines {
		if l.Artifact || chkIsPageNumber(p, l) {
			continue
		}
		out = append(out, l)
	}
	return out
}

func (c *checker) checkMargins() {
	type side struct {
		name, vi string
		lo, hi   float64
		min      float64 // the document-wide smallest measured margin
		bad      []int
		worst    float64
	}
	sides := []*side{
		{name: "top", vi: "trên", lo: 20, hi: 25}, {name: "bottom", vi: "dưới", lo: 20, hi: 25},
		{name: "left", vi: "trái", lo: 30, hi: 35}, {name: "right", vi: "phải", lo: 15, hi: 20},
	}
	for _, s := range sides {
		s.min, s.worst = math.Inf(1), math.Inf(1)
	}
	measured := 0
	for i := range c.m.Pages {
		p := &c.m.Pages[i]
		lines := chkBodyLines(p)
		if len(lines) == 0 || chkIsScan(p) {
			continue
		}
		measured++
		box := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		var w, h float64
		for _, l := range append(lines, p.Other...) {
			b, pw, ph := chkDisplay(p, l.BBox)
			w, h = pw, ph
			box = [4]float64{math.Min(box[0], b[0]), math.Min(box[1], b[1]), math.Max(box[2], b[2]), math.Max(box[3], b[3])}
		}
		vals := []float64{box[1] / chkMM, (h - box[3]) / chkMM, box[0] / chkMM, (w - box[2]) / chkMM}
		for k, s := range sides {
			v := vals[k]
			if len(lines) >= 10 { // a page with little text says nothing of its margins' upper bound
				s.min = math.Min(s.min, v)
			}
			if v < s.lo-chkTolMM {
				s.bad = append(s.bad, p.Number)
				s.worst = math.Min(s.worst, v)
			}
		}
	}
	if measured == 0 {
		return
	}
	var broken []string
	var brokenVI []string
	var measures []string
	firstPage := 0
	for _, s := range sides {
		if !math.IsInf(s.min, 1) {
			measures = append(measures, fmt.Sprintf("%s %.1f mm", s.name, s.min))
		}
		if len(s.bad) > 0 {
			broken = append(broken, fmt.Sprintf("%s margin %.1f mm on pages %s", s.name, s.worst, chkPageList(s.bad)))
			brokenVI = append(brokenVI, fmt.Sprintf("lề %s %.1f mm ở trang %s", s.vi, s.worst, chkPageList(s.bad)))
			if firstPage == 0 || s.bad[0] < firstPage {
				firstPage = s.bad[0]
			}
		}
	}
	accepted := "top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm (± 1 mm)"
	if len(broken) > 0 {
		c.add("page.margins", false, firstPage, "", strings.Join(broken, "; "), accepted,
			"text lies inside the margins: "+strings.Join(broken, "; "),
			"nội dung lấn vào lề trang: "+strings.Join(brokenVI, "; "))
		return
	}
	// Margins wider than the law's upper bound on every page: a warning (a short
	// document does not fill its pages).
	var wide, wideVI []string
	for k, s := range sides {
		if k == 1 && len(c.m.Pages) < 2 {
			continue // the bottom of a one-page document is where its text ends
		}
		if !math.IsInf(s.min, 1) && s.min > s.hi+chkTolMM {
			wide = append(wide, fmt.Sprintf("%s %.1f mm", s.name, s.min))
			wideVI = append(wideVI, fmt.Sprintf("lề %s %.1f mm", s.vi, s.min))
		}
	}
	if len(wide) > 0 {
		c.warn("page.margins", 0, "", strings.Join(measures, ", "), accepted,
			"margins wider than the law's upper bound on every page: "+strings.Join(wide, ", "),
			"lề trang rộng hơn mức tối đa trên mọi trang: "+strings.Join(wideVI, ", "))
		return
	}
	if len(measures) == 0 {
		measures = append(measures, "no text inside the margins")
	}
	c.add("page.margins", true, 0, "", "smallest margins: "+strings.Join(measures, ", "), accepted,
		"text stays within the margins", "nội dung nằm trong lề trang")
}

// chkFontFamily classifies a font name: "tnr" (Times New Roman), "clone" (a metric
// clone or Adobe Times), "symbol" (a symbol font, ignored) or "other".
func chkFontFamily(name string) string {
	n := strings.ToLower(strings.NewReplacer(" ", "", "-", "", ",", "", "_", "").Replace(name))
	switch {
	case strings.HasPrefix(n, "timesnewroman"):
		return "tnr"
	case strings.HasPrefix(n, "liberationserif"), strings.HasPrefix(n, "tinos"), strings.HasPrefix(n, "times"),
		strings.HasPrefix(n, "nimbusroman"), strings.HasPrefix(n, "thorndale"), strings.HasPrefix(n, "freeserif"),
		strings.HasPrefix(n, "texgyretermes"):
		return "clone"
	case strings.HasPrefix(n, "symbol"), strings.HasPrefix(n, "wingdings"), strings.HasPrefix(n, "zapfdingbats"),
		strings.HasPrefix(n, "opensymbol"), strings.HasPrefix(n, "webdings"):
		return "symbol"
	}
	return "other"
}

func (c *checker) checkFonts() {
	type use struct {
		chars    int
		embedded bool
		pages    []int
	}
	fonts := map[string]*use{}
	var nonBlack []string
	nonBlackPage := 0
	for i := range c.m.Pages {
		p := &c.m.Pages[i]
		for _, l := range append(append([]MeasuredLine(nil), p.Lines...), p.Other...) {
			for _, f := range l.Fonts {
				u := fonts[f]
				if u == nil {
					if len(fonts) > 256 {
						continue
					}
					u = &use{embedded: true}
					fonts[f] = u
				}
				u.chars += l.Chars
				u.embedded = u.embedded && l.Embedded
				if len(u.pages) == 0 || u.pages[len(u.pages)-1] != p.Number {
					u.pages = append(u.pages, p.Number)
				}
			}
			if !l.Black && !l.Artifact && len(nonBlack) < 5 {
				nonBlack = append(nonBlack, fmt.Sprintf("%q (page %d, RGB %.2f %.2f %.2f)", chkShort(l.Text), p.Number, l.Color[0], l.Color[1], l.Color[2]))
				if nonBlackPage == 0 {
					nonBlackPage = p.Number
				}
			}
		}
	}
	if len(fonts) == 0 {
		return
	}
	names := make([]string, 0, len(fonts))
	for n := range fonts {
		names = append(names, n)
	}
	sort.Strings(names)
	var notEmb, clones, others []string
	page := 0
	for _, n := range names {
		u := fonts[n]
		if !u.embedded {
			notEmb = append(notEmb, n)
			if page == 0 {
				page = u.pages[0]
			}
		}
		switch chkFontFamily(n) {
		case "clone":
			clones = append(clones, n)
		case "other":
			others = append(others, fmt.Sprintf("%s (%d characters, pages %s)", chkNameOr(n), u.chars, chkPageList(u.pages)))
		}
	}
	if len(notEmb) > 0 {
		c.add("font.embedded", false, page, "", "not embedded: "+strings.Join(notEmb, ", "), "every font embedded",
			"fonts are not embedded: the document may show differently elsewhere",
			"phông chữ không được nhúng vào tệp: văn bản có thể hiển thị sai trên máy khác")
	} else {
		c.add("font.embedded", true, 0, "", fmt.Sprintf("%d fonts, all embedded", len(names)), "every font embedded",
			"every font is embedded", "mọi phông chữ đều được nhúng")
	}
	switch {
	case len(others) > 0:
		c.add("font.family", false, 0, "", strings.Join(others, "; "), "Times New Roman",
			"fonts other than Times New Roman are used", "văn bản dùng phông chữ khác Times New Roman")
	case len(clones) > 0:
		c.warn("font.family", 0, "", strings.Join(clones, ", "), "Times New Roman",
			"a metric clone of Times New Roman is used instead of Times New Roman (same metrics, not the named font)",
			"văn bản dùng phông chữ tương đương Times New Roman (cùng kích thước), không phải Times New Roman")
	default:
		c.add("font.family", true, 0, "", strings.Join(names, ", "), "Times New Roman", "the text is set in Times New Roman", "văn bản dùng phông chữ Times New Roman")
	}
	if len(nonBlack) > 0 {
		c.add("text.colour", false, nonBlackPage, "", strings.Join(nonBlack, "; "), "black",
			"text in a colour other than black", "có chữ không phải màu đen")
	} else {
		c.add("text.colour", true, 0, "", "black", "black", "the text is black", "chữ màu đen")
	}
}

func chkNameOr(n string) string {
	if n == "" {
		return "(unnamed font)"
	}
	return n
}

// chkShort shortens a text for a message.
func chkShort(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func (c *checker) checkBodySize() {
	hist := map[float64]int{}
	total := 0
	for i := range c.m.Pages {
		p := &c.m.Pages[i]
		for _, l := range chkBodyLines(p) {
			hist[math.Round(l.Size*2)/2] += l.Chars
			total += l.Chars
		}
	}
	if total < 200 {
		return // too little text to tell the body from headings
	}
	best, bestN := 0.0, -1
	for s, n := range hist {
		if n > bestN || n == bestN && s < best {
			best, bestN = s, n
		}
	}
	measured := fmt.Sprintf("%.1f pt (%d%% of the characters)", best, 100*bestN/total)
	if best < 13-0.25 || best > 14+0.25 {
		c.add("body.size", false, 0, "", measured, "13–14 pt", "the body text is not 13–14 pt", "cỡ chữ phần nội dung không trong khoảng 13–14")
		return
	}
	c.add("body.size", true, 0, "", measured, "13–14 pt", "the body text is 13–14 pt", "cỡ chữ phần nội dung 13–14")
}

func (c *checker) checkPageNumbers() {
	var first *MeasuredLine
	var misplaced []int
	var missizedMsg string
	for i := range c.m.Pages {
		p := &c.m.Pages[i]
		for _, l := range p.Lines {
			if !chkIsPageNumber(p, l) {
				continue
			}
			if p.Number == 1 {
				l := l
				first = &l
				continue
			}
			b, w, _ := chkDisplay(p, l.BBox)
			centre := (b[0] + b[2]) / 2
			if b[1] > 25*chkMM || math.Abs(centre-w/2) > 15*chkMM {
				misplaced = append(misplaced, p.Number)
			}
			if (l.Size < 13-0.25 || l.Size > 14+0.25) && missizedMsg == "" {
				missizedMsg = fmt.Sprintf("page %d: number at %.1f pt", p.Number, l.Size)
			}
		}
	}
	accepted := "none on page 1; others in the top margin, centred, 13–14 pt"
	switch {
	case first != nil:
		c.add("page.number", false, 1, "", fmt.Sprintf("page 1 shows %q", first.Text), accepted,
			"page 1 shows a page number", "trang thứ nhất có hiển thị số trang")
	case len(misplaced) > 0:
		c.warn("page.number", misplaced[0], "", "page numbers not centred in the top margin on pages "+chkPageList(misplaced), accepted,
			"page numbers are not centred in the top margin", "số trang không đặt canh giữa trong phần lề trên")
	case missizedMsg != "":
		c.warn("page.number", 0, "", missizedMsg, accepted, "page numbers are not 13–14 pt", "số trang không có cỡ chữ 13–14")
	default:
		c.add("page.number", true, 0, "", "no number on page 1", accepted, "no page number on page 1", "trang thứ nhất không hiển thị số trang")
	}
}

var chkFooterRE = regexp.MustCompile(`(?i)(điện thoại|đt\s*:|e-?mail|website|fax|địa chỉ\s*:)`)

func (c *checker) checkFooterLine(p *MeasuredPage) {
	var footer []MeasuredLine
	h := p.Height
	for _, l := range chkBodyLines(p) {
		b, _, _ := chkDisplay(p, l.BBox)
		if b[1] > h*0.75 && chkFooterRE.MatchString(l.Text) {
			footer = append(footer, l)
		}
	}
	if len(footer) == 0 {
		return // no ô 13 on this document
	}
	top := math.Inf(1)
	for _, l := range footer {
		b, _, _ := chkDisplay(p, l.BBox)
		top = math.Min(top, b[1])
	}
	// The text area's width: the widest body line.
	width := 0.0
	for _, l := range chkBodyLines(p) {
		width = math.Max(width, l.BBox[2]-l.BBox[0])
	}
	best := 0.0
	for _, r := range p.Rules {
		b, _, _ := chkDisplay(p, r)
		if b[3] <= top+1 && top-b[3] < 40*chkMM {
			best = math.Max(best, r[2]-r[0])
		}
	}
	measured := fmt.Sprintf("line %.1f mm over a text width of %.1f mm", best/chkMM, width/chkMM)
	if best < 0.9*width {
		c.add("footer.line", false, 1, "", measured, "a full-width line above ô 13",
			"the address footer (ô 13) has no full-width line above it", "ô 13 (địa chỉ, điện thoại…) không có đường kẻ suốt chiều ngang phía trên")
		return
	}
	c.add("footer.line", true, 1, "", measured, "a full-width line above ô 13", "the address footer (ô 13) sits under a full-width line", "ô 13 nằm dưới đường kẻ suốt chiều ngang")
}

func (c *checker) checkUrgency(p *MeasuredPage) {
	sizes := map[string][2]float64{"HỎA TỐC": {30, 8}, "THƯỢNG KHẨN": {40, 8}, "KHẨN": {20, 8}}
	for _, l := range p.Lines {
		want, ok := sizes[strings.TrimSpace(l.Text)]
		if !ok {
			continue
		}
		var frame *[4]float64
		for k, f := range p.Frames {
			if f[0] <= l.BBox[0]+1 && f[2] >= l.BBox[2]-1 && f[1] <= l.BBox[1]+2 && f[3] >= l.BBox[3]-2 {
				if frame == nil || (f[2]-f[0])*(f[3]-f[1]) < (frame[2]-frame[0])*(frame[3]-frame[1]) {
					frame = &p.Frames[k]
				}
			}
		}
		accepted := fmt.Sprintf("a %.0f × %.0f mm frame ± 1.5 mm", want[0], want[1])
		if frame == nil {
			c.add("urgency.box", false, p.Number, "", fmt.Sprintf("%q without a frame", l.Text), accepted,
				"the urgency mark has no frame", "dấu chỉ mức độ khẩn không có khung")
			continue
		}
		w, h := (frame[2]-frame[0])/chkMM, (frame[3]-frame[1])/chkMM
		measured := fmt.Sprintf("%q in a %.1f × %.1f mm frame", l.Text, w, h)
		if math.Abs(w-want[0]) > 1.5 || math.Abs(h-want[1]) > 1.5 {
			c.add("urgency.box", false, p.Number, "", measured, accepted, "the urgency mark's frame has the wrong size", "khung dấu chỉ mức độ khẩn sai kích thước")
			continue
		}
		c.add("urgency.box", true, p.Number, "", measured, accepted, "the urgency mark's frame has its size", "khung dấu chỉ mức độ khẩn đúng kích thước")
	}
}

func (c *checker) checkSecrecy(p *MeasuredPage) {
	signed := 0
	for _, s := range c.m.Signatures {
		if s.Signed {
			signed++
		}
	}
	for _, l := range p.Lines {
		switch strings.TrimSpace(l.Text) {
		case "MẬT", "TỐI MẬT", "TUYỆT MẬT":
		default:
			continue
		}
		if signed == 0 {
			c.add("secrecy.signed", true, 1, "", fmt.Sprintf("secrecy mark %q, no digital signature", l.Text), "no digital signature on a classified document",
				"a classified document without a digital signature", "văn bản mật không ký số")
			return
		}
		c.add("secrecy.signed", false, 1, "", fmt.Sprintf("secrecy mark %q and %d digital signatures", l.Text, signed), "no digital signature on a classified document",
			"a classified document (secrecy mark, ô 10a) is signed digitally", "văn bản có dấu chỉ độ mật (ô 10a) được ký số")
		return
	}
}

// chkIsScan reports whether a page is a scanned image: one image covering at least
// half the page and fewer than 20 visible characters (an OCR layer is invisible).
func chkIsScan(p *MeasuredPage) bool {
	return chkScanImage(p) != nil
}

func chkScanImage(p *MeasuredPage) *MeasuredImage {
	chars := 0
	for _, l := range p.Lines {
		chars += l.Chars
	}
	if chars >= 20 {
		return nil
	}
	area := p.Width * p.Height
	for i := range p.Images {
		b := p.Images[i].BBox
		if (b[2]-b[0])*(b[3]-b[1]) >= 0.5*area {
			return &p.Images[i]
		}
	}
	return nil
}

func (c *checker) checkScans() {
	var scans []int
	var grey, lowDPI, scaled []string
	firstGrey, firstDPI, firstScaled := 0, 0, 0
	minDPI := math.Inf(1)
	for i := range c.m.Pages {
		p := &c.m.Pages[i]
		im := chkScanImage(p)
		if im == nil {
			continue
		}
		scans = append(scans, p.Number)
		if im.Components < 3 {
			grey = append(grey, fmt.Sprintf("page %d: %s, %d component(s)", p.Number, im.ColorSpace, im.Components))
			if firstGrey == 0 {
				firstGrey = p.Number
			}
		}
		dpi := math.Min(im.DPI[0], im.DPI[1])
		minDPI = math.Min(minDPI, dpi)
		if dpi < 200-1 {
			lowDPI = append(lowDPI, fmt.Sprintf("page %d: %.0f dpi", p.Number, dpi))
			if firstDPI == 0 {
				firstDPI = p.Number
			}
		}
		pw, ph := p.Width, p.Height
		iw, ih := im.BBox[2]-im.BBox[0], im.BBox[3]-im.BBox[1]
		if math.Abs(iw-pw) > 0.03*pw || math.Abs(ih-ph) > 0.03*ph {
			scaled = append(scaled, fmt.Sprintf("page %d: image %.0f × %.0f mm on a %.0f × %.0f mm page", p.Number, iw/chkMM, ih/chkMM, pw/chkMM, ph/chkMM))
			if firstScaled == 0 {
				firstScaled = p.Number
			}
		}
	}
	if len(scans) == 0 {
		return
	}
	if c.m.Version < "1.4" {
		c.add("scan.version", false, 0, "", "PDF "+c.m.Version, "PDF 1.4 or later", "a scanned copy in a PDF version older than 1.4", "bản số hóa có định dạng PDF cũ hơn phiên bản 1.4")
	} else {
		c.add("scan.version", true, 0, "", "PDF "+c.m.Version, "PDF 1.4 or later", "the scanned copy is PDF 1.4 or later", "bản số hóa có định dạng PDF 1.4 trở lên")
	}
	if len(grey) > 0 {
		c.add("scan.colour", false, firstGrey, "", strings.Join(grey, "; "), "colour images", "scanned pages are not in colour", "trang số hóa không phải ảnh màu")
	} else {
		c.add("scan.colour", true, 0, "", "colour", "colour images", "the scanned pages are in colour", "trang số hóa là ảnh màu")
	}
	if len(lowDPI) > 0 {
		c.add("scan.dpi", false, firstDPI, "", strings.Join(lowDPI, "; "), "at least 200 dpi", "scanned pages under 200 dpi", "trang số hóa có độ phân giải dưới 200 dpi")
	} else {
		c.add("scan.dpi", true, 0, "", fmt.Sprintf("at least %.0f dpi", minDPI), "at least 200 dpi", "the scanned pages have at least 200 dpi", "trang số hóa có độ phân giải từ 200 dpi")
	}
	if len(scaled) > 0 {
		c.add("scan.scale", false, firstScaled, "", strings.Join(scaled, "; "), "100 % (the image fills the page)", "scanned pages are not at 100 %", "trang số hóa không theo tỷ lệ 100 %")
	} else {
		c.add("scan.scale", true, 0, "", "100 %", "100 % (the image fills the page)", "the scanned pages are at 100 %", "trang số hóa theo tỷ lệ 100 %")
	}
}
