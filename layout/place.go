package layout

import (
	"compress/zlib"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/typeset"
)

// Kind is the kind of visible digital signature (Nghị định 30/2020 Phụ lục I).
type Kind int

// The kinds of visible signature.
const (
	// Signer is the person with authority (ô 7c, mục II k7 d): the handwritten
	// signature image, blue, transparent PNG, centred between the title (7a) and the
	// name (7b), scaled down (never up) to fit between them.
	Signer Kind = iota + 1
	// Seal is the organisation (ô 8, k8 a): the seal image, red, transparent PNG, at
	// the seal's real size, over about the left third of the signer's image.
	Seal
	// Attachment is the organisation's signature on an attachment or appendix in a
	// separate file (k8 b, mục III k1 d): no image, one line at the top right of page
	// 1, "Số: <số và ký hiệu>; <signing time>", 10 pt regular, black.
	Attachment
	// Copy is the organisation's signature on an electronic copy (Phần II mục I,
	// ô 14): no image, one line at the top right of page 1, "SAO Y; <copying
	// organisation>; <signing time>", 10 pt regular, black.
	Copy
	// TextBox is not a Nghị định 30 placement: a framed text box for a rectangle the
	// caller chooses (Spec.Page and Spec.Rect required) reading "Ký bởi: <signer>",
	// the organisation and the signing time in Vietnam time, in Vietnamese.
	TextBox
)

// String returns the kind's name as the CLI spells it.
func (k Kind) String() string {
	switch k {
	case Signer:
		return "signer"
	case Seal:
		return "seal"
	case Attachment:
		return "attachment"
	case Copy:
		return "copy"
	case TextBox:
		return "text"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind reads a kind as the CLI spells it (signer, seal, attachment, copy, text).
func ParseKind(s string) (Kind, error) {
	for k := Signer; k <= TextBox; k++ {
		if strings.EqualFold(s, k.String()) {
			return k, nil
		}
	}
	return 0, &SpecError{Field: "Kind", Msg: fmt.Sprintf("%q: want signer, seal, attachment or copy", s)}
}

// The copy forms of an electronic copy (Nghị định 30/2020 Phụ lục I Phần II mục I).
const (
	CopyExact   = "SAO Y"
	CopyDerived = "SAO LỤC"
	CopyExtract = "TRÍCH SAO"
)

// ParseCopyForm reads the form of an electronic copy as a user types it, in any case,
// Unicode normalisation and spacing ("sao  lục"), and returns it as the stamp prints
// it: CopyExact, CopyDerived or CopyExtract. Anything else is a *SpecError.
func ParseCopyForm(s string) (string, error) {
	form := strings.ToUpper(norm.NFC.String(strings.Join(strings.Fields(s), " ")))
	if form != CopyExact && form != CopyDerived && form != CopyExtract {
		return "", &SpecError{Field: "CopyForm", Msg: fmt.Sprintf("%q: want %q, %q or %q", s, CopyExact, CopyDerived, CopyExtract)}
	}
	return form, nil
}

// MaxSealMM bounds Spec.SealMM: no seal of a Vietnamese body is that large.
const MaxSealMM = 100.0

// Spec says what to place. Only the fields of its Kind are read.
type Spec struct {
	Kind Kind // what to place: Signer, Seal, Attachment, Copy or TextBox
	// Image is the signature (Signer) or seal (Seal) image: a PNG with a transparent
	// background; a JPEG is accepted with a warning (it cannot be transparent).
	Image []byte
	// SignerTitle is the title (ô 7a) as printed, lines separated by "\n", e.g. "KT.
	// CHỦ TỊCH\nPHÓ CHỦ TỊCH"; SignerName the name (ô 7b). Signer needs the name; Seal
	// uses them to find the signer it goes with (else the signature on the page).
	SignerTitle string
	SignerName  string
	// SealMM is the seal's real diameter in millimetres; 0 takes it from the PNG's
	// pHYs (the image's width at its declared resolution).
	SealMM float64
	// DocNumber is the number and symbol (số và ký hiệu) of the document an
	// attachment belongs to, e.g. "41/2022/QĐ-UBND".
	DocNumber string
	// CopyForm is "SAO Y", "SAO LỤC" or "TRÍCH SAO"; OrgName the copying organisation.
	CopyForm string
	OrgName  string
	// Page overrides the page (1-based); 0 chooses it (the signer block's page; page
	// 1 for the stamps).
	Page int
	// Rect overrides the rectangle, in the page's default user space [llx lly urx
	// ury]; the image is then drawn into it (scaled).
	Rect *[4]float64
	// Font is a TrueType font to set text in (an agency's licensed Times New Roman);
	// nil uses the embedded Liberation Serif, its metric clone.
	Font []byte
	// Password opens an encrypted PDF (its user or owner password); nil is the empty
	// password.
	Password []byte
}

// Placement is where a visible signature goes and how it is drawn. It implements the
// appearance interface of kyso's signature package (AppearancePDF) structurally: pass
// it as the widget's appearance with Page and Rect as the widget's. A Placement is not
// changed by AppearancePDF and may be used by several goroutines at once.
type Placement struct {
	Kind Kind       // the Spec's kind
	Page int        // 1-based
	Rect [4]float64 // the widget rectangle, in the page's default user space

	// Warnings say what the law asks that the input does not give (a JPEG image, an
	// opaque PNG, a seal without a signer image under it, …), in Vietnamese and
	// English.
	Warnings []string
	// Block is the signer block the placement was measured from (Signer, and Seal
	// when it was found), nil otherwise.
	Block *SignerBlock
	// SignerImage is, for Seal, the rectangle (default user space) of the signer's
	// image the seal covers.
	SignerImage [4]float64

	img  *typeset.Image
	text string // the stamp line before the time
	font []byte
}

// Sizes of the stamps (k8 b, ô 14): Times New Roman regular 10 pt, black.
const (
	stampSize = 10.0
	stampPad  = 2.0
)

// DefaultImageDPI is the resolution assumed for a signature image that declares none.
const DefaultImageDPI = 96.0

// vnTime is Vietnam time (UTC+7, no daylight saving), independent of tzdata.
var vnTime = time.FixedZone("ICT", 7*3600)

// FormatTime writes a signing time as the stamps show it: ISO 8601 extended, in
// Vietnam time, e.g. 2026-12-07T07:03:45+07:00, whatever the machine's zone.
func FormatTime(t time.Time) string { return t.In(vnTime).Format("2006-01-02T15:04:05-07:00") }

// Place decides where a visible signature of spec.Kind goes in the PDF r (size bytes)
// and prepares its appearance. It reads the document and never changes it.
func Place(ctx context.Context, r io.ReaderAt, size int64, spec Spec) (*Placement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc, pages, err := openDocPassword(r, size, spec.Password)
	if err != nil {
		return nil, err
	}
	if spec.Page < 0 || spec.Page > len(pages) {
		return nil, &SpecError{Field: "Page", Msg: fmt.Sprintf("không có trang %d trong văn bản %d trang / page not found: page %d of a %d-page document", spec.Page, len(pages), spec.Page, len(pages))}
	}
	if spec.Rect != nil {
		rc := *spec.Rect
		for _, v := range rc {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, &SpecError{Field: "Rect", Msg: "not a number"}
			}
		}
		if !(rc[2] > rc[0] && rc[3] > rc[1]) {
			return nil, &SpecError{Field: "Rect", Msg: fmt.Sprintf("%v: want urx > llx and ury > lly", rc)}
		}
	}
	p := &Placement{Kind: spec.Kind, font: spec.Font}
	switch spec.Kind {
	case Signer:
		err = p.placeSigner(ctx, doc, pages, spec)
	case Seal:
		err = p.placeSeal(ctx, doc, pages, spec)
	case Attachment:
		if strings.TrimSpace(spec.DocNumber) == "" {
			return nil, &SpecError{Field: "DocNumber", Msg: "cần số và ký hiệu văn bản / an attachment's stamp needs the number and symbol of the document"}
		}
		p.text = "Số: " + strings.TrimSpace(spec.DocNumber) + "; "
		err = p.placeStamp(pages, spec)
	case Copy:
		form, ferr := ParseCopyForm(spec.CopyForm)
		if ferr != nil {
			return nil, ferr
		}
		if strings.TrimSpace(spec.OrgName) == "" {
			return nil, &SpecError{Field: "OrgName", Msg: "cần tên cơ quan sao văn bản / a copy's stamp names the copying organisation"}
		}
		p.text = form + "; " + strings.TrimSpace(spec.OrgName) + "; "
		err = p.placeStamp(pages, spec)
	case TextBox:
		if spec.Rect == nil || spec.Page == 0 {
			return nil, &SpecError{Field: "Rect", Msg: "a text box needs Page and Rect"}
		}
		p.Page, p.Rect = spec.Page, *spec.Rect
	default:
		return nil, &SpecError{Field: "Kind", Msg: fmt.Sprintf("unknown kind %d", int(spec.Kind))}
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// loadImage decodes the signer or seal image and warns where it falls short of the
// law (a transparent PNG).
func (p *Placement) loadImage(data []byte, what string) error {
	if len(data) == 0 {
		return &SpecError{Field: "Image", Msg: "cần ảnh " + vnWhat(what) + " / the " + what + " image is required"}
	}
	img, err := typeset.DecodeImage(data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPlacementImage, err)
	}
	switch {
	case img.Format == typeset.JPEG:
		p.Warnings = append(p.Warnings, fmt.Sprintf("ảnh %s là JPEG, không có nền trong suốt (Nghị định 30/2020 Phụ lục I yêu cầu PNG nền trong suốt) / the %s image is a JPEG, which has no transparency (Nghị định 30/2020 Phụ lục I asks for a transparent PNG)", vnWhat(what), what))
	case !img.Transparent:
		p.Warnings = append(p.Warnings, fmt.Sprintf("ảnh %s không có nền trong suốt / the %s PNG has no transparent background", vnWhat(what), what))
	}
	p.img = img
	// Nghị định 30/2020 Phụ lục I: the signature in blue (k7 d), the seal in red (k8 a).
	if r, g, b, n := img.InkColor(); n > 0 {
		switch {
		case what == "signature" && !(b > r+30 && b > g+15):
			p.Warnings = append(p.Warnings, fmt.Sprintf("ảnh chữ ký không màu xanh (màu trung bình %.0f, %.0f, %.0f) / the signature image is not blue (average ink colour %.0f, %.0f, %.0f)", r, g, b, r, g, b))
		case what == "seal" && !(r > g+50 && r > b+50):
			p.Warnings = append(p.Warnings, fmt.Sprintf("ảnh con dấu không màu đỏ (màu trung bình %.0f, %.0f, %.0f) / the seal image is not red (average ink colour %.0f, %.0f, %.0f)", r, g, b, r, g, b))
		}
	}
	return nil
}

func vnWhat(what string) string {
	if what == "seal" {
		return "con dấu"
	}
	return "chữ ký"
}

func (p *Placement) placeSigner(ctx context.Context, doc *pdf.Document, pages []pdf.Page, spec Spec) error {
	if err := p.loadImage(spec.Image, "signature"); err != nil {
		return err
	}
	p.img = p.img.Crop()
	if spec.Rect != nil {
		p.Page, p.Rect = max(spec.Page, 1), *spec.Rect
		return nil
	}
	b, err := findSigner(ctx, doc, pages, spec.SignerTitle, spec.SignerName, spec.Page)
	if err != nil {
		return err
	}
	p.Block, p.Page = b, b.Page
	gap := b.Gap
	const pad = 1.0
	gapH := gap[3] - gap[1] - 2*pad
	if gapH < 10 {
		p.Warnings = append(p.Warnings, fmt.Sprintf("khoảng trống giữa chức vụ và họ tên chỉ %.0f pt / only %.0f pt between the title and the name", gapH, gapH))
		gapH = math.Max(gapH, 10)
	}
	// The column: the block's width, at least 120 pt, with room either side.
	colW := math.Max(gap[2]-gap[0], 120) * 1.3
	w, h := p.img.SizePt(DefaultImageDPI)
	scale := math.Min(1, math.Min(gapH/h, colW/w))
	w, h = w*scale, h*scale
	cx := (b.Name.Rect[0] + b.Name.Rect[2] + b.Title[len(b.Title)-1].Rect[0] + b.Title[len(b.Title)-1].Rect[2]) / 4
	cy := (gap[1] + gap[3]) / 2
	v := pageView(pages[b.Page-1])
	p.Rect = v.fromRect([4]float64{cx - w/2, cy - h/2, cx + w/2, cy + h/2})
	return nil
}

func (p *Placement) placeSeal(ctx context.Context, doc *pdf.Document, pages []pdf.Page, spec Spec) error {
	if err := p.loadImage(spec.Image, "seal"); err != nil {
		return err
	}
	if spec.Rect != nil {
		p.Page, p.Rect = max(spec.Page, 1), *spec.Rect
		return nil
	}
	// The seal's real size: given, or the image's at its declared resolution.
	var w, h float64
	switch {
	case spec.SealMM < 0 || spec.SealMM > MaxSealMM || math.IsNaN(spec.SealMM):
		return &SpecError{Field: "SealMM", Msg: fmt.Sprintf("%g mm is not a seal's diameter", spec.SealMM)}
	case spec.SealMM > 0:
		w = spec.SealMM * typeset.MM
		h = w * float64(p.img.Height) / float64(p.img.Width)
	case p.img.DPIX > 0 && p.img.DPIY > 0:
		w, h = p.img.SizePt(0)
	default:
		return &SpecError{Field: "SealMM", Msg: "ảnh con dấu không ghi độ phân giải (PNG pHYs): hãy cho đường kính thật của dấu (mm) / the seal image declares no resolution (PNG pHYs): give the seal's real diameter in millimetres"}
	}
	// The signer's image the seal covers: the signer's signature widget on the page,
	// else the room the signer block leaves for it.
	var block *SignerBlock
	if strings.TrimSpace(spec.SignerName) != "" {
		b, err := findSigner(ctx, doc, pages, spec.SignerTitle, spec.SignerName, spec.Page)
		if err != nil {
			return err
		}
		block = b
	}
	sigs, err := signedWidgets(doc, pages)
	if err != nil {
		return err
	}
	var box [4]float64 // the signer's image, in the displayed page
	var userBox *[4]float64
	switch {
	case block != nil:
		p.Block, p.Page = block, block.Page
		v := pageView(pages[block.Page-1])
		best, bestArea := -1, 0.0
		for i, s := range sigs {
			if s.Page != block.Page {
				continue
			}
			if a := intersectArea(v.toRect(s.Rect), block.Gap); a > bestArea {
				best, bestArea = i, a
			}
		}
		if best >= 0 {
			box, userBox = v.toRect(sigs[best].Rect), &sigs[best].Rect
			break
		}
		p.Warnings = append(p.Warnings, "chưa có chữ ký số của người có thẩm quyền giữa chức vụ và họ tên; con dấu được đặt theo khối chữ ký / no signature of the person with authority between the title and the name yet; the seal is placed by the signer block")
		g := block.Gap
		gh := g[3] - g[1]
		cx := (g[0] + g[2]) / 2
		bw := math.Min(math.Max(g[2]-g[0], 120), 3*gh)
		box = [4]float64{cx - bw/2, g[1], cx + bw/2, g[3]}
	default:
		page := spec.Page
		if page == 0 {
			for _, s := range sigs {
				page = max(page, s.Page)
			}
		}
		var on []signedWidget
		for _, s := range sigs {
			if s.Page == page {
				on = append(on, s)
			}
		}
		switch len(on) {
		case 0:
			return &AnchorError{Err: ErrAnchorNotFound, Signer: "(chữ ký của người có thẩm quyền / the signer's signature)"}
		case 1:
			box, p.Page, userBox = pageView(pages[page-1]).toRect(on[0].Rect), page, &on[0].Rect
		default:
			var c []Candidate
			for _, s := range on {
				c = append(c, Candidate{Page: s.Page, Text: s.Field, Rect: s.Rect})
			}
			return &AnchorError{Err: ErrAnchorAmbiguous, Signer: "(chữ ký của người có thẩm quyền / the signer's signature: give SignerTitle and SignerName)", Candidates: c}
		}
	}
	v := pageView(pages[p.Page-1])
	if userBox != nil {
		p.SignerImage = *userBox
	} else {
		p.SignerImage = v.fromRect(box)
	}
	right := box[0] + (box[2]-box[0])/3
	cy := (box[1] + box[3]) / 2
	p.Rect = v.fromRect([4]float64{right - w, cy - h/2, right, cy + h/2})
	return nil
}

func intersectArea(a, b [4]float64) float64 {
	w := math.Min(a[2], b[2]) - math.Max(a[0], b[0])
	h := math.Min(a[3], b[3]) - math.Max(a[1], b[1])
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// placeStamp puts a one-line stamp at the top right of page 1 (or spec.Page): in the
// top margin band, its right end reaching into the right margin.
func (p *Placement) placeStamp(pages []pdf.Page, spec Spec) error {
	d, err := typeset.New(p.typesetOptions())
	if err != nil {
		return &SpecError{Field: "Font", Msg: err.Error()}
	}
	line := p.text + FormatTime(time.Date(2026, 12, 7, 7, 3, 45, 0, vnTime)) // digits share one width
	if miss := d.Face(typeset.Regular).HasGlyphs(norm.NFC.String(line)); len(miss) > 0 {
		return &SpecError{Field: "Font", Msg: fmt.Sprintf("the font has no glyph for %q", miss[0])}
	}
	// k8 b: "chữ in thường, kiểu chữ đứng" — an agency font that is bold or italic
	// draws a stamp Check flags.
	if m := d.Face(typeset.Regular).Metrics(); m.Italic || m.Bold {
		style := map[bool]string{true: "italic", false: "bold"}[m.Italic]
		p.Warnings = append(p.Warnings, fmt.Sprintf("phông chữ được cung cấp (%s) không phải kiểu thường, chữ đứng / the font given (%s) is %s, not the regular upright face the stamp needs (Nghị định 30/2020 Phụ lục I mục II k8 b)", d.Face(typeset.Regular).PostScriptName(), d.Face(typeset.Regular).PostScriptName(), style))
	}
	p.Page = max(spec.Page, 1)
	if spec.Rect != nil {
		p.Rect = *spec.Rect
		return nil
	}
	w := d.Width(typeset.Regular, stampSize, line) + 2*stampPad
	h := stampSize*(lineAscent+lineDescent) + 2*stampPad
	// The top right of the page as displayed.
	v := pageView(pages[p.Page-1])
	right := v.w - 8*typeset.MM
	top := v.h - 6*typeset.MM
	p.Rect = v.fromRect([4]float64{right - w, top - h, right, top})
	return nil
}

func (p *Placement) typesetOptions() *typeset.Options {
	// Appearances are small and written while the signer waits: speed over the
	// last few per cent of size.
	o := &typeset.Options{Compression: zlib.BestSpeed}
	if p.font == nil {
		return o
	}
	o.Faces[typeset.Regular] = p.font
	o.Faces[typeset.Bold] = p.font
	return o
}

// signedWidget is a signature field's widget that holds a signature.
type signedWidget struct {
	Field string
	Page  int
	Rect  [4]float64
}

// signedWidgets lists the widgets of signed signature fields with a visible rectangle.
func signedWidgets(doc *pdf.Document, pages []pdf.Page) ([]signedWidget, error) {
	fields, err := doc.Fields()
	if err != nil {
		return nil, &DocumentError{Err: err}
	}
	pageOf := map[pdf.Ref]int{}
	for i, pg := range pages {
		annots, _ := doc.Resolve(pg.Dict.Get("Annots"))
		arr, _ := annots.(pdf.Array)
		for _, a := range arr {
			if r, ok := a.(pdf.Ref); ok {
				pageOf[r] = i + 1
			}
		}
	}
	var out []signedWidget
	for _, f := range fields {
		if f.Type != "Sig" || f.Dict.Get("V") == nil {
			continue
		}
		for _, wr := range f.Widgets {
			pg, ok := pageOf[wr]
			if !ok {
				continue
			}
			o, err := doc.Get(wr)
			if err != nil {
				continue
			}
			wd, ok := o.(pdf.Dict)
			if !ok {
				continue
			}
			ro, _ := doc.Resolve(wd.Get("Rect"))
			arr, _ := ro.(pdf.Array)
			if len(arr) != 4 {
				continue
			}
			var rc [4]float64
			for i := range 4 {
				v, _ := doc.Resolve(arr[i])
				rc[i], _ = pdf.Number(v)
			}
			rc = [4]float64{math.Min(rc[0], rc[2]), math.Min(rc[1], rc[3]), math.Max(rc[0], rc[2]), math.Max(rc[1], rc[3])}
			if rc[2]-rc[0] < 1 || rc[3]-rc[1] < 1 {
				continue
			}
			out = append(out, signedWidget{Field: f.Name, Page: pg, Rect: rc})
		}
	}
	return out, nil
}

// AppearancePDF draws the placement's appearance: a one-page PDF of width × height
// points that holds only what is seen (the image, or the stamp's line with the
// signing time in Vietnam time), for the widget's normal appearance. It implements
// kyso's signature.Appearance.
func (p *Placement) AppearancePDF(ctx context.Context, width, height float64, signer *x509.Certificate, signingTime time.Time) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !(width > 0 && height > 0) || math.IsInf(width, 0) || math.IsInf(height, 0) {
		return nil, &SpecError{Field: "Rect", Msg: fmt.Sprintf("appearance of %g × %g points", width, height)}
	}
	if signingTime.IsZero() {
		signingTime = time.Now()
	}
	d, err := typeset.New(p.typesetOptions())
	if err != nil {
		return nil, &SpecError{Field: "Font", Msg: err.Error()}
	}
	pg := d.NewPage(width, height)
	switch p.Kind {
	case Signer, Seal:
		if p.img == nil {
			return nil, &SpecError{Field: "Image", Msg: "no image"}
		}
		d.Image(pg, p.img, 0, 0, width, height)
	case Attachment, Copy:
		line := p.text + FormatTime(signingTime)
		size := stampSize
		if tw := d.Width(typeset.Regular, size, line); tw > width-2*stampPad {
			size *= (width - 2*stampPad) / tw
		}
		base := (height-size*(lineAscent+lineDescent))/2 + size*lineDescent
		d.Text(pg, typeset.Regular, size, stampPad, base, line)
	case TextBox:
		textBox(d, pg, width, height, signer, signingTime)
	default:
		return nil, &SpecError{Field: "Kind", Msg: fmt.Sprintf("unknown kind %d", int(p.Kind))}
	}
	if miss, s := d.Missing(); miss != 0 {
		return nil, &SpecError{Field: "Font", Msg: fmt.Sprintf("no glyph for %q in %q", miss, s)}
	}
	return d.Bytes(typeset.Info{Title: "Chữ ký số / Digital signature", Producer: "kyso layout"})
}

// textBox draws the lines of a TextBox, shrinking the type until they fit.
func textBox(d *typeset.Doc, pg *typeset.Page, w, h float64, signer *x509.Certificate, at time.Time) {
	var lines []string
	if signer != nil {
		lines = append(lines, "Ký bởi: "+signer.Subject.CommonName)
		if len(signer.Subject.Organization) > 0 {
			lines = append(lines, "Cơ quan: "+strings.Join(signer.Subject.Organization, ", "))
		}
	}
	lines = append(lines, "Thời gian ký: "+FormatTime(at))
	pg.FillColor(0, 0, 0.8)
	pg.StrokeColor(0, 0, 0.8)
	pg.Rect(0.5, 0.5, w-1, h-1, 1)
	const pad = 4.0
	size := 10.0
	for _, l := range lines {
		if tw := d.Width(typeset.Regular, size, l); tw > w-2*pad {
			size = math.Min(size, size*(w-2*pad)/tw)
		}
	}
	size = math.Min(size, (h-2*pad)/(1.2*float64(len(lines))))
	if size < 1 {
		return // no room for text: an empty box rather than unreadable text
	}
	y := h - pad - size*lineAscent
	for _, l := range lines {
		d.Text(pg, typeset.Regular, size, pad, y, l)
		y -= 1.2 * size
	}
}
