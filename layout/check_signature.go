package layout

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/identity"
)

func (c *checker) checkSignatures() {
	appendix := c.appendixPages()
	for i := range c.m.Signatures {
		s := &c.m.Signatures[i]
		if !s.Signed || !s.Visible {
			continue
		}
		c.checkKind(s)
		switch s.Role {
		case "signer":
			c.checkSigner(s)
		case "seal":
			c.checkSeal(s)
		case "attachment", "copy":
			c.checkStamp(s)
		case "text":
			switch {
			case s.Kind == CertIndividual && strings.TrimSpace(s.Text) == "":
				c.add("signer.image", false, s.Page, s.Field, "empty appearance: no image, no text", "the signer's handwritten signature image",
					"the signer's visible signature shows nothing: no handwritten signature image",
					"chữ ký số của người có thẩm quyền hiển thị trống, không có hình ảnh chữ ký")
			case s.Kind == CertIndividual:
				c.add("signer.image", false, s.Page, s.Field, fmt.Sprintf("text only: %q", chkShort(s.Text)), "the signer's handwritten signature image",
					"the signer's visible signature shows text, not the handwritten signature image",
					"chữ ký số của người có thẩm quyền chỉ hiển thị chữ, không có hình ảnh chữ ký")
			}
		case "image":
			c.add("signature.kind", false, s.Page, s.Field, chkInkText(s), "a blue signer image or a red seal",
				"the visible signature's image is neither a blue signature nor a red seal",
				"hình ảnh chữ ký số không phải chữ ký màu xanh hay dấu màu đỏ")
		}
		if len(appendix) > 0 && (s.Role == "seal" || s.Role == "attachment" || s.Role == "copy" || s.Kind == CertOrganisation) {
			if appendix[s.Page] {
				c.add("appendix.same-file", false, s.Page, s.Field, fmt.Sprintf("organisation signature on appendix page %d", s.Page),
					"no organisation signature on an appendix in the same file",
					"an appendix in the same file as the document carries its own organisation signature",
					"phụ lục cùng tệp tin với văn bản được ký số riêng bằng chữ ký số của cơ quan")
			} else {
				c.add("appendix.same-file", true, s.Page, s.Field, fmt.Sprintf("organisation signature on page %d, not an appendix page", s.Page),
					"no organisation signature on an appendix in the same file", "the appendix is not signed separately", "phụ lục không được ký số riêng")
			}
		}
	}
}

// appendixPages returns the pages after the first that begin an appendix in the same
// file ("PHỤ LỤC" among their first three lines).
func (c *checker) appendixPages() map[int]bool {
	out := map[int]bool{}
	for i := 1; i < len(c.m.Pages); i++ {
		p := &c.m.Pages[i]
		lines := chkBodyLines(p)
		for k := 0; k < len(lines) && k < 3; k++ {
			t := strings.ToUpper(norm.NFC.String(lines[k].Text))
			if strings.HasPrefix(t, "PHỤ LỤC") {
				out[p.Number] = true
			}
		}
	}
	return out
}

func chkInkText(s *MeasuredSignature) string {
	for _, im := range s.Images {
		if im.Ink != nil && im.Ink.Decoded {
			return fmt.Sprintf("ink %s (red %.0f%%, blue %.0f%%, black %.0f%%; mean RGB %.2f %.2f %.2f)", im.Ink.Colour,
				100*im.Ink.Red, 100*im.Ink.Blue, 100*im.Ink.Black, im.Ink.Mean[0], im.Ink.Mean[1], im.Ink.Mean[2])
		}
	}
	return "image not decoded"
}

func (c *checker) checkKind(s *MeasuredSignature) {
	want := CertOrganisation
	if s.Role == "signer" {
		want = CertIndividual
	}
	if s.Role == "text" || s.Role == "image" {
		return
	}
	measured := fmt.Sprintf("%s certificate (%s) for a %s appearance", s.Kind, chkShort(s.CommonName), s.Role)
	accepted := fmt.Sprintf("%s certificate", want)
	switch {
	case s.Kind == want:
		c.add("signature.kind", true, s.Page, s.Field, measured, accepted, "the certificate's kind fits the visible signature", "loại chứng thư số phù hợp với hình thức chữ ký số hiển thị")
	case s.Kind == CertUnknown:
		c.warn("signature.kind", s.Page, s.Field, measured, accepted, "the certificate's kind cannot be told", "không xác định được loại chứng thư số")
	default:
		c.add("signature.kind", false, s.Page, s.Field, measured, accepted,
			fmt.Sprintf("a %s visible signature made with a %s certificate", s.Role, s.Kind),
			fmt.Sprintf("chữ ký số hiển thị dạng %s nhưng dùng chứng thư số %s", chkRoleVI(s.Role), chkKindVI(s.Kind)))
	}
}

func chkRoleVI(role string) string {
	switch role {
	case "signer":
		return "chữ ký của người có thẩm quyền"
	case "seal":
		return "dấu của cơ quan"
	case "attachment":
		return "chữ ký số của cơ quan trên tệp đính kèm"
	case "copy":
		return "chữ ký số của cơ quan trên bản sao"
	}
	return role
}

func chkKindVI(k SignerCertKind) string {
	kind, _ := identity.ParseKind(string(k))
	return kind.Vietnamese()
}

// chkInk returns the union of a signature's ink boxes and the image it belongs to.
func chkInk(s *MeasuredSignature, colour string) ([4]float64, *MeasuredImage, bool) {
	box := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	var img *MeasuredImage
	for i := range s.Images {
		im := &s.Images[i]
		if im.Ink == nil || !im.Ink.Decoded || im.Ink.Colour == "none" || (colour != "" && im.Ink.Colour != colour && img != nil) {
			continue
		}
		if img == nil || im.Ink.Colour == colour {
			img = im
		}
		b := im.Ink.BBox
		box = [4]float64{math.Min(box[0], b[0]), math.Min(box[1], b[1]), math.Max(box[2], b[2]), math.Max(box[3], b[3])}
	}
	return box, img, img != nil
}

func chkTransparent(c *checker, rule string, s *MeasuredSignature, img *MeasuredImage, what, whatVI string) {
	if img.Transparent {
		return
	}
	c.add(rule, false, s.Page, s.Field, "an opaque image (no soft mask)", "PNG with a transparent background",
		"the "+what+" image has no transparent background", "hình ảnh "+whatVI+" không có nền trong suốt")
}

func (c *checker) checkSigner(s *MeasuredSignature) {
	ink, img, ok := chkInk(s, "blue")
	if !ok {
		c.add("signer.image", false, s.Page, s.Field, "no image decoded", "the signer's handwritten signature image", "the signer's image cannot be read", "không đọc được hình ảnh chữ ký")
		return
	}
	if img.Transparent {
		c.add("signer.image", true, s.Page, s.Field, "image with a transparent background", "PNG with a transparent background", "the signer's image has a transparent background", "hình ảnh chữ ký có nền trong suốt")
	} else {
		chkTransparent(c, "signer.image", s, img, "signer's", "chữ ký")
	}
	if img.Ink.Colour == "blue" {
		c.add("signer.colour", true, s.Page, s.Field, chkInkText(s), "blue", "the signer's image is blue", "hình ảnh chữ ký màu xanh")
	} else {
		c.add("signer.colour", false, s.Page, s.Field, chkInkText(s), "blue", "the signer's image is not blue", "hình ảnh chữ ký không phải màu xanh")
	}
	block, ok := c.blockFor(s, ink)
	accepted := "between the title (ô 7a) and the name (ô 7b), centred within 3 mm"
	if !ok {
		c.add("signer.position", false, s.Page, s.Field, "no title and name lines found on the page", accepted,
			"the signer's title (ô 7a) and name (ô 7b) are not found on the signature's page",
			"không tìm thấy chức vụ (ô 7a) và họ tên người ký (ô 7b) trên trang có chữ ký")
		return
	}
	gap := block.Gap()
	titleText := block.Title[len(block.Title)-1].Text
	axis := (msCentreX(block.Title[len(block.Title)-1]) + msCentreX(block.Name)) / 2
	dx := ((ink[0]+ink[2])/2 - axis) / chkMM
	dy := ((ink[1]+ink[3])/2 - (gap[1]+gap[3])/2) / chkMM
	measured := fmt.Sprintf("ink %.1f–%.1f mm from the page bottom; title %q bottom at %.1f mm, name %q top at %.1f mm; off centre by %.1f mm across, %.1f mm up",
		ink[1]/chkMM, ink[3]/chkMM, titleText, gap[3]/chkMM, block.Name.Text, gap[1]/chkMM, dx, dy)
	switch {
	case ink[1] > gap[3]-1:
		c.add("signer.position", false, s.Page, s.Field, measured, accepted,
			"the signature image is above the signer's title (ô 7a)", "hình ảnh chữ ký nằm trên chức vụ người ký (ô 7a)")
	case ink[3] > gap[3]+1:
		c.add("signer.position", false, s.Page, s.Field, measured, accepted,
			"the signature image overlaps the signer's title (ô 7a)", "hình ảnh chữ ký đè lên chức vụ người ký (ô 7a)")
	case ink[1] < gap[1]-1:
		c.add("signer.position", false, s.Page, s.Field, measured, accepted,
			"the signature image reaches below the top of the signer's name (ô 7b)", "hình ảnh chữ ký lấn xuống họ tên người ký (ô 7b)")
	case math.Abs(dx) > 3 || math.Abs(dy) > 3:
		c.add("signer.position", false, s.Page, s.Field, measured, accepted,
			"the signature image is not centred between the title and the name", "hình ảnh chữ ký không canh giữa chức vụ và họ tên người ký")
	default:
		c.add("signer.position", true, s.Page, s.Field, measured, accepted,
			"the signature image is centred between the title and the name", "hình ảnh chữ ký canh giữa chức vụ và họ tên người ký")
	}
}

// blockFor finds the signer block of a signature: on its page, the block whose name is
// the certificate's common name, else the block nearest to the ink.
func (c *checker) blockFor(s *MeasuredSignature, ink [4]float64) (CandidateBlock, bool) {
	var cands []CandidateBlock
	for _, b := range c.m.CandidateBlocks {
		if b.Page == s.Page {
			cands = append(cands, b)
		}
	}
	if len(cands) == 0 {
		return CandidateBlock{}, false
	}
	key := func(t string) string { return strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(t))), " ") }
	if cn := key(s.CommonName); cn != "" {
		for _, b := range cands {
			if key(b.Name.Text) == cn {
				return b, true
			}
		}
	}
	best, bestD := 0, math.Inf(1)
	cx, cy := (ink[0]+ink[2])/2, (ink[1]+ink[3])/2
	for i, b := range cands {
		g := b.Gap()
		d := math.Hypot(cx-(g[0]+g[2])/2, cy-(g[1]+g[3])/2)
		if d < bestD {
			best, bestD = i, d
		}
	}
	return cands[best], true
}

func (c *checker) checkSeal(s *MeasuredSignature) {
	if len(s.Images) == 0 {
		c.add("seal.image", false, s.Page, s.Field, fmt.Sprintf("no image; red text %q", chkShort(strings.ReplaceAll(s.Text, "\n", " / "))), "the seal's PNG image",
			"the seal is drawn as text, not as the seal's image", "dấu được thể hiện bằng chữ, không phải hình ảnh dấu")
		return
	}
	ink, img, ok := chkInk(s, "red")
	if !ok {
		c.add("seal.image", false, s.Page, s.Field, "no image decoded", "the seal image", "the seal image cannot be read", "không đọc được hình ảnh dấu")
		return
	}
	if img.Transparent {
		c.add("seal.image", true, s.Page, s.Field, "image with a transparent background", "PNG with a transparent background", "the seal image has a transparent background", "hình ảnh dấu có nền trong suốt")
	} else {
		chkTransparent(c, "seal.image", s, img, "seal", "dấu")
	}
	if img.Ink.Colour == "red" {
		c.add("seal.colour", true, s.Page, s.Field, chkInkText(s), "red", "the seal is red", "hình ảnh dấu màu đỏ")
	} else {
		c.add("seal.colour", false, s.Page, s.Field, chkInkText(s), "red", "the seal is not red", "hình ảnh dấu không phải màu đỏ")
	}
	// Real size: the ink's diameter; a seal squeezed into a box is distorted.
	dw, dh := (ink[2]-ink[0])/chkMM, (ink[3]-ink[1])/chkMM
	diam := math.Max(dw, dh)
	// Without the seal's own size, the range of round seals of state bodies, widened by
	// the same 10 % as a known size: the ink of a seal's outer ring lies a little
	// inside the seal's edge (a 30 mm seal measures 29.8 mm).
	lo, hi := 0.9*30.0, 1.1*45.0
	accepted := "30–45 mm ± 10 % (round seals of state bodies; the seal's own size was not given)"
	if c.opts.SealDiameterMM > 0 {
		lo, hi = 0.9*c.opts.SealDiameterMM, 1.1*c.opts.SealDiameterMM
		accepted = fmt.Sprintf("%.1f mm ± 10 %%", c.opts.SealDiameterMM)
	}
	measured := fmt.Sprintf("seal %.1f × %.1f mm", dw, dh)
	pw, ph := img.BBox[2]-img.BBox[0], img.BBox[3]-img.BBox[1]
	distorted := false
	if img.Width > 0 && img.Height > 0 && pw > 0 && ph > 0 {
		ratio := (pw / ph) / (float64(img.Width) / float64(img.Height))
		distorted = math.Abs(ratio-1) > 0.03
		if distorted {
			measured += fmt.Sprintf("; image stretched by %.0f %%", 100*(ratio-1))
		}
	}
	switch {
	case distorted:
		c.add("seal.size", false, s.Page, s.Field, measured, accepted, "the seal image is stretched to a box", "hình ảnh dấu bị kéo giãn theo khung")
	case diam < lo:
		c.add("seal.size", false, s.Page, s.Field, measured, accepted, "the seal is drawn smaller than its real size", "hình ảnh dấu nhỏ hơn kích thước thực tế của dấu")
	case diam > hi:
		c.add("seal.size", false, s.Page, s.Field, measured, accepted, "the seal is drawn larger than its real size", "hình ảnh dấu lớn hơn kích thước thực tế của dấu")
	default:
		c.add("seal.size", true, s.Page, s.Field, measured, accepted, "the seal is drawn at its real size", "hình ảnh dấu bằng kích thước thực tế")
	}
	// Overlap with the signer's image on the same page.
	var signer *MeasuredSignature
	var signerInk [4]float64
	bestD := math.Inf(1)
	for i := range c.m.Signatures {
		o := &c.m.Signatures[i]
		if o.Role != "signer" || o.Page != s.Page || !o.Visible {
			continue
		}
		oi, _, ok := chkInk(o, "blue")
		if !ok {
			continue
		}
		d := math.Hypot((oi[0]+oi[2])/2-(ink[0]+ink[2])/2, (oi[1]+oi[3])/2-(ink[1]+ink[3])/2)
		if d < bestD {
			signer, signerInk, bestD = o, oi, d
		}
	}
	acceptedOverlap := "covering 20–45 % of the signer image's width (about 1/3), on its left"
	if signer == nil {
		c.add("seal.overlap", false, s.Page, s.Field, "no signer image on the seal's page", acceptedOverlap,
			"the seal does not cover a signer's image on its page", "hình ảnh dấu không trùm lên hình ảnh chữ ký trên cùng trang")
		return
	}
	ow := math.Min(ink[2], signerInk[2]) - math.Max(ink[0], signerInk[0])
	oh := math.Min(ink[3], signerInk[3]) - math.Max(ink[1], signerInk[1])
	ratio := 0.0
	if ow > 0 && oh > 0 {
		ratio = ow / (signerInk[2] - signerInk[0])
	}
	measured = fmt.Sprintf("covers %.0f %% of the signer image's width (%.1f of %.1f mm)", 100*ratio, math.Max(ow, 0)/chkMM, (signerInk[2]-signerInk[0])/chkMM)
	if ratio < 0.20 || ratio > 0.45 {
		c.add("seal.overlap", false, s.Page, s.Field, measured, acceptedOverlap,
			"the seal does not cover about a third of the signer's image", "hình ảnh dấu không trùm lên khoảng 1/3 hình ảnh chữ ký")
	} else {
		c.add("seal.overlap", true, s.Page, s.Field, measured, acceptedOverlap, "the seal covers about a third of the signer's image", "hình ảnh dấu trùm lên khoảng 1/3 hình ảnh chữ ký")
	}
	sc, gc := (ink[0]+ink[2])/2, (signerInk[0]+signerInk[2])/2
	side := fmt.Sprintf("seal centre %.1f mm %s of the signer image's centre", math.Abs(sc-gc)/chkMM, map[bool]string{true: "left", false: "right"}[sc < gc])
	if sc >= gc {
		c.add("seal.side", false, s.Page, s.Field, side, "on the left of the signer image", "the seal is on the right of the signer's image", "hình ảnh dấu nằm bên phải hình ảnh chữ ký")
	} else {
		c.add("seal.side", true, s.Page, s.Field, side, "on the left of the signer image", "the seal is on the left of the signer's image", "hình ảnh dấu nằm bên trái hình ảnh chữ ký")
	}
	if s.Order < signer.Order {
		c.warn("seal.side", s.Page, s.Field, fmt.Sprintf("seal widget drawn before the signer's (annotation %d < %d)", s.Order, signer.Order),
			"the seal drawn over the signer image", "the seal is drawn under the signer's image, not over it", "hình ảnh dấu bị hình ảnh chữ ký đè lên")
	}
}

// Time formats a stamp may show: ISO 8601 extended, or "dd/mm/yyyy; hh:mm:ss +07:00".
var (
	chkTimeISO = regexp.MustCompile(`(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?\s*$`)
	chkTimeVN  = regexp.MustCompile(`(\d{1,2})/(\d{1,2})/(\d{4})\s*;?\s*(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?\s*$`)
	chkNumber  = regexp.MustCompile(`^Số\s*:\s*\S.*$`)
	chkCopy    = regexp.MustCompile(`^(SAO Y|SAO LỤC|TRÍCH SAO)\s*;\s*([^;]*\S[^;]*)$`)
)

// chkStampTime finds the signing time at the end of a stamp's text: the text before
// it, the time, whether seconds and a zone were given.
func chkStampTime(text string) (prefix string, t time.Time, seconds, zone, found bool) {
	var y, mo, d int
	var m []string
	var idx []int
	if idx = chkTimeISO.FindStringSubmatchIndex(text); idx != nil {
		m = chkTimeISO.FindStringSubmatch(text)
		y, _ = strconv.Atoi(m[1])
		mo, _ = strconv.Atoi(m[2])
		d, _ = strconv.Atoi(m[3])
	} else if idx = chkTimeVN.FindStringSubmatchIndex(text); idx != nil {
		m = chkTimeVN.FindStringSubmatch(text)
		d, _ = strconv.Atoi(m[1])
		mo, _ = strconv.Atoi(m[2])
		y, _ = strconv.Atoi(m[3])
	} else {
		return text, time.Time{}, false, false, false
	}
	hh, _ := strconv.Atoi(m[4])
	mi, _ := strconv.Atoi(m[5])
	ss := 0
	if m[6] != "" {
		seconds = true
		ss, _ = strconv.Atoi(m[6])
	}
	loc := time.UTC
	if m[7] != "" {
		zone = true
		if m[7] != "Z" {
			z := strings.ReplaceAll(m[7][1:], ":", "")
			zh, _ := strconv.Atoi(z[:2])
			zm, _ := strconv.Atoi(z[2:])
			off := zh*3600 + zm*60
			if m[7][0] == '-' {
				off = -off
			}
			loc = time.FixedZone(m[7], off)
		}
	}
	t = time.Date(y, time.Month(mo), d, hh, mi, ss, 0, loc)
	prefix = strings.TrimRight(strings.TrimSpace(text[:idx[0]]), "; ")
	return prefix, t, seconds, zone, true
}

func (c *checker) checkStamp(s *MeasuredSignature) {
	// Place: top right of page 1.
	var page *MeasuredPage
	if s.Page >= 1 && s.Page <= len(c.m.Pages) {
		page = &c.m.Pages[s.Page-1]
	}
	acceptedPlace := "page 1, top right (the top 40 mm, right half)"
	if page == nil {
		c.add("stamp.place", false, s.Page, s.Field, "page unknown", acceptedPlace, "the stamp's page is unknown", "không xác định được trang của chữ ký số")
	} else {
		b, w, _ := chkDisplay(page, s.Rect)
		measured := fmt.Sprintf("page %d, %.1f mm from the top, %.1f mm from the right edge", s.Page, b[1]/chkMM, (w-b[2])/chkMM)
		if s.Page != 1 || b[1] > 40*chkMM || (b[0]+b[2])/2 < w/2 {
			c.add("stamp.place", false, s.Page, s.Field, measured, acceptedPlace,
				"the stamp is not at the top right of page 1", "chữ ký số của cơ quan không ở góc trên, bên phải trang đầu")
		} else {
			c.add("stamp.place", true, s.Page, s.Field, measured, acceptedPlace, "the stamp is at the top right of page 1", "chữ ký số của cơ quan ở góc trên, bên phải trang đầu")
		}
	}
	if len(s.Images) > 0 {
		c.add("stamp.image", false, s.Page, s.Field, fmt.Sprintf("%d image(s) in the appearance", len(s.Images)), "no image",
			"the stamp shows an image", "chữ ký số của cơ quan trên tệp đính kèm hoặc bản sao có hình ảnh")
	} else {
		c.add("stamp.image", true, s.Page, s.Field, "no image", "no image", "the stamp shows no image", "chữ ký số không hiển thị hình ảnh")
	}
	text := strings.Join(strings.Fields(norm.NFC.String(s.Text)), " ")
	prefix, t, seconds, zone, found := chkStampTime(text)
	// Content.
	acceptedContent := "Số: <số và ký hiệu>; <time>"
	ok := chkNumber.MatchString(prefix) && !strings.Contains(prefix, ";")
	if s.Role == "copy" {
		acceptedContent = "SAO Y|SAO LỤC|TRÍCH SAO; <copying organisation>; <time>"
		ok = chkCopy.MatchString(prefix)
	}
	ok = ok && found && len(s.Lines) == 1
	if ok {
		c.add("stamp.content", true, s.Page, s.Field, fmt.Sprintf("%q", text), acceptedContent, "the stamp's line has the required content", "nội dung chữ ký số đúng quy định")
	} else {
		c.add("stamp.content", false, s.Page, s.Field, fmt.Sprintf("%q (%d lines)", text, len(s.Lines)), acceptedContent,
			"the stamp's text is not the required single line", "nội dung chữ ký số không đúng một dòng theo quy định")
	}
	// Typography: 10 pt, Times New Roman (or its metric clone), regular, upright, black.
	var bad []string
	for _, l := range s.Lines {
		if math.Abs(l.Size-10) > 0.25 {
			bad = append(bad, fmt.Sprintf("%.1f pt", l.Size))
		}
		for _, f := range l.Fonts {
			if fam := chkFontFamily(f); fam != "tnr" && fam != "clone" {
				bad = append(bad, "font "+chkNameOr(f))
			}
		}
		if l.Bold {
			bad = append(bad, "bold")
		}
		if l.Italic {
			bad = append(bad, "italic")
		}
		if !l.Black {
			bad = append(bad, fmt.Sprintf("colour RGB %.2f %.2f %.2f", l.Color[0], l.Color[1], l.Color[2]))
		}
		if len(bad) > 8 {
			break
		}
	}
	acceptedType := "Times New Roman (or a metric clone), regular, upright, 10 pt, black"
	if len(s.Lines) > 0 && len(bad) == 0 {
		c.add("stamp.typography", true, s.Page, s.Field, fmt.Sprintf("%.1f pt %s", s.Lines[0].Size, strings.Join(s.Lines[0].Fonts, ", ")), acceptedType,
			"the stamp is set as required", "chữ ký số trình bày đúng phông, cỡ chữ, màu")
	} else if len(s.Lines) > 0 {
		c.add("stamp.typography", false, s.Page, s.Field, strings.Join(bad, "; "), acceptedType,
			"the stamp is not set in 10 pt regular black Times New Roman", "chữ ký số không trình bày bằng phông Times New Roman, chữ đứng, cỡ 10, màu đen")
	}
	// Time.
	acceptedTime := "YYYY-MM-DDThh:mm:ss+07:00 or dd/mm/yyyy; hh:mm:ss +07:00"
	_, off := t.Zone()
	switch {
	case !found:
		c.add("stamp.time.format", false, s.Page, s.Field, fmt.Sprintf("%q", text), acceptedTime, "the stamp shows no signing time", "chữ ký số không hiển thị thời gian ký")
		return
	case !seconds || !zone:
		var miss, missVI []string
		if !seconds {
			miss, missVI = append(miss, "seconds"), append(missVI, "giây")
		}
		if !zone {
			miss, missVI = append(miss, "time zone"), append(missVI, "múi giờ")
		}
		c.add("stamp.time.format", false, s.Page, s.Field, fmt.Sprintf("%q", text), acceptedTime,
			"the signing time lacks its "+strings.Join(miss, " and "), "thời gian ký thiếu "+strings.Join(missVI, " và "))
		return
	case off != 7*3600:
		c.add("stamp.time.format", false, s.Page, s.Field, fmt.Sprintf("%q", text), acceptedTime,
			"the signing time is not in Vietnam time (+07:00)", "thời gian ký không theo múi giờ Việt Nam (+07:00)")
		return
	default:
		c.add("stamp.time.format", true, s.Page, s.Field, t.Format(time.RFC3339), acceptedTime, "the signing time is written in full in Vietnam time", "thời gian ký đầy đủ, theo múi giờ Việt Nam")
	}
	var refs []time.Time
	if !s.Time.IsZero() {
		refs = append(refs, s.Time)
	}
	refs = append(refs, s.CMSTimes...)
	if len(refs) == 0 {
		c.warn("stamp.time.value", s.Page, s.Field, t.Format(time.RFC3339), "the signature's /M or CMS time", "the signature records no time to compare with", "chữ ký số không ghi thời gian ký để đối chiếu")
		return
	}
	var shown []string
	for _, r := range refs {
		if r.Unix() == t.Unix() {
			c.add("stamp.time.value", true, s.Page, s.Field, fmt.Sprintf("%s = %s", t.Format(time.RFC3339), r.Format(time.RFC3339)), "equal to the second",
				"the shown time is the signing time", "thời gian hiển thị đúng thời gian ký")
			return
		}
		shown = append(shown, r.In(time.FixedZone("+07:00", 7*3600)).Format(time.RFC3339))
	}
	c.add("stamp.time.value", false, s.Page, s.Field, fmt.Sprintf("shown %s, signed %s", t.Format(time.RFC3339), strings.Join(shown, " / ")), "equal to the second",
		"the shown time is not the signing time", "thời gian hiển thị khác thời gian ký")
}
