package forms

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/fonts"
	"github.com/kyso-go/kyso/internal/typeset"
)

// ErrUnsupportedCharacter is returned by Render when the text holds a character the
// embedded font cannot draw (Liberation Serif covers Vietnamese and most European
// scripts).
var ErrUnsupportedCharacter = errors.New("forms: character not in the embedded font")

// RenderOptions parameterise Render.
type RenderOptions struct {
	// Validate, when not nil, validates the data first with these options and refuses
	// to render invalid data (the default, nil, also validates, with time.Now()).
	Validate *ValidateOptions
	// SkipValidation renders whatever the data holds (for drafts and blank forms).
	SkipValidation bool
	// Created is written as the PDF's creation date; zero omits it (reproducible
	// output).
	Created time.Time
}

// Geometry of the page (Nghị định 30/2020 Phụ lục I: A4, top and bottom 20–25 mm, left
// 30–35 mm, right 15–20 mm).
const (
	marginTop    = 20 * mm
	marginBottom = 20 * mm
	marginLeft   = 30 * mm
	marginRight  = 15 * mm
	bodySize     = 13.0
	lead         = 1.3
	indent       = 10 * mm
	// signatureRoom is the vertical space left between the signer's title and name for
	// the handwritten or visible digital signature.
	signatureRoom = 72.0
)

// SignatureBox is the room left for one signature in a rendered form: between the
// signer's title (ô 7a) and name (ô 7b), where Nghị định 30/2020 puts the image of the
// person's digital signature. A signing tool places its visible widget there.
type SignatureBox struct {
	// Role is the signer block's role ("applicant", "head", "giver", …).
	Role string
	// Page is the page number, counted from 1 as everywhere in kyso
	// (signature.Widget.Page takes it as it is).
	Page int
	// Rect is the box in PDF user space (points, origin bottom left): llx, lly, urx, ury.
	Rect [4]float64
}

// Rendered describes a rendered form.
type Rendered struct {
	Pages      int
	Signatures []SignatureBox
	// Warnings are what a clerk should know about the rendered form though it was
	// drawn: a TT 185/2019 form dated on or after 15/8/2024, when NĐ 68/2024 brought
	// its own forms, names the form that replaces it.
	Warnings []Warning
}

// Warning is a remark about a rendered form, in Vietnamese and English.
type Warning struct {
	Code       string // "form-superseded"
	Vietnamese string
	English    string
	ReplacedBy string // the form to use instead, when known
}

// WarningFormSuperseded is the code of the warning for a form dated after its regime
// ended.
const WarningFormSuperseded = "form-superseded"

// supersededWarning returns the warning for a form dated on or after d.Superseded:
// the data's date (dd/mm/yyyy), else created, else now.
func (d *Definition) supersededWarning(data *Data, created, now time.Time) (Warning, bool) {
	if d.Superseded == "" {
		return Warning{}, false
	}
	from, err := time.Parse(time.DateOnly, d.Superseded)
	if err != nil {
		return Warning{}, false
	}
	var dated time.Time
	if data != nil && data.Header.Date != "" {
		if t, err := time.Parse("02/01/2006", strings.TrimSpace(data.Header.Date)); err == nil {
			dated = t
		}
	}
	if dated.IsZero() {
		dated = created
	}
	if dated.IsZero() {
		dated = now
	}
	y, m, dd := dated.In(vietnam).Date()
	if time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Before(from) {
		return Warning{}, false
	}
	w := Warning{Code: WarningFormSuperseded, ReplacedBy: d.ReplacedBy}
	when := from.Format("02/01/2006")
	name := formName(d.ID)
	if d.ReplacedBy != "" {
		w.Vietnamese = fmt.Sprintf("%s lập ngày %s, sau khi Nghị định 68/2024/NĐ-CP có hiệu lực (%s): dùng %s thay thế.", name, dated.Format("02/01/2006"), when, formName(d.ReplacedBy))
		w.English = fmt.Sprintf("%s is dated %s, after Nghị định 68/2024/NĐ-CP came into force (%s): use %s instead.", d.ID, dated.Format("02/01/2006"), when, d.ReplacedBy)
	} else {
		w.Vietnamese = fmt.Sprintf("%s lập ngày %s, sau khi Nghị định 68/2024/NĐ-CP có hiệu lực (%s): chưa tìm thấy mẫu thay thế.", name, dated.Format("02/01/2006"), when)
		w.English = fmt.Sprintf("%s is dated %s, after Nghị định 68/2024/NĐ-CP came into force (%s): no replacing form is known.", d.ID, dated.Format("02/01/2006"), when)
	}
	if d.ReplacedByNote != "" {
		w.Vietnamese += " (" + d.ReplacedByNote + ")"
		w.English += " (" + d.ReplacedByNote + ")"
	}
	return w, true
}

// formName writes "tt185/mau-01" as "Mẫu 01 Thông tư 185/2019/TT-BQP" and
// "nd68/mau-01" as "Mẫu số 01 Nghị định 68/2024/NĐ-CP".
func formName(id string) string {
	switch {
	case strings.HasPrefix(id, "tt185/mau-"):
		return "Mẫu " + strings.TrimPrefix(id, "tt185/mau-") + " Thông tư 185/2019/TT-BQP"
	case strings.HasPrefix(id, "nd68/mau-"):
		return "Mẫu số " + strings.TrimPrefix(id, "nd68/mau-") + " Nghị định 68/2024/NĐ-CP"
	}
	return "Mẫu " + id
}

// geometry is a page's size and margins.
type geometry struct {
	w, h                     float64
	left, right, top, bottom float64
}

func (g geometry) textWidth() float64 { return g.w - g.left - g.right }

var (
	portrait = geometry{w: pageWidth, h: pageHeight, left: marginLeft, right: marginRight, top: marginTop, bottom: marginBottom}
	// landscape pages carry lists too wide for a portrait page, as an appendix (danh
	// sách kèm theo) after the letter.
	landscape = geometry{w: pageHeight, h: pageWidth, left: marginLeft, right: marginRight, top: marginTop, bottom: marginBottom}
)

// wideTableColumns is the column count (with STT) above which a list moves to landscape
// pages after the letter.
const wideTableColumns = 9

// Render draws the form filled with data as an administrative letter laid out per Nghị
// định 30/2020 Phụ lục I (A4, Times New Roman metrics through the embedded Liberation
// Serif, text in NFC) and writes the PDF to w in a single Write. Invalid data is
// refused with a *ValidationError unless opts.SkipValidation is set (data naming
// another form is refused even then); nothing is written on error.
//
// Render does not return RenderDocument's warnings (a TT 185 form dated after
// 15/8/2024); call RenderDocument to see them.
func (d *Definition) Render(w io.Writer, data *Data, opts RenderOptions) error {
	_, err := d.RenderDocument(w, data, opts)
	return err
}

// RenderDocument is Render that also reports the page count and where the signatures
// go.
func (d *Definition) RenderDocument(w io.Writer, data *Data, opts RenderOptions) (*Rendered, error) {
	data = d.Normalize(data)
	if p := d.checkForm(data); p != nil {
		// Even a draft is never drawn from another form's data.
		return nil, &ValidationError{Form: d.ID, Problems: []*Problem{p}}
	}
	if !opts.SkipValidation {
		vo := ValidateOptions{}
		if opts.Validate != nil {
			vo = *opts.Validate
		}
		if err := d.Validate(data, vo); err != nil {
			return nil, err
		}
	}
	doc, err := newPDFDoc()
	if err != nil {
		return nil, err
	}
	r := &renderer{doc: doc, def: d, data: data, hdr: d.effectiveHeader(data.Header), g: portrait}
	if err := r.checkGlyphs(); err != nil {
		return nil, err
	}
	r.page()
	r.header()
	r.body()
	r.signatures()
	r.appendices()
	r.pageNumbers()
	if miss, text := doc.Missing(); miss != 0 {
		return nil, fmt.Errorf("%w: %q (U+%04X) in %q", ErrUnsupportedCharacter, miss, miss, text)
	}
	var buf bytes.Buffer
	title := d.Title
	if d.Summary != "" {
		title += " — " + d.Summary
	}
	if err := doc.writeTo(&buf, pdfInfo{Title: norm.NFC.String(title), Subject: d.ID, Creator: "kyso forms",
		Created: opts.Created}); err != nil {
		return nil, err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return nil, err
	}
	out := &Rendered{Pages: len(doc.Pages()), Signatures: r.boxes}
	now := time.Now()
	if opts.Validate != nil && !opts.Validate.Now.IsZero() {
		now = opts.Validate.Now
	}
	if w, ok := d.supersededWarning(data, opts.Created, now); ok {
		out.Warnings = append(out.Warnings, w)
	}
	return out, nil
}

type renderer struct {
	doc   *pdfDoc
	def   *Definition
	data  *Data
	hdr   Header
	p     *pdfPage
	g     geometry // of the current page
	y     float64  // current baseline position (top of the next line)
	boxes []SignatureBox
	// deferred lists go to landscape pages after the signature block.
	deferred []*Table
}

func (r *renderer) checkGlyphs() error {
	f := r.doc.Face(fonts.Regular)
	check := func(s string) error {
		if miss := f.HasGlyphs(s); len(miss) > 0 {
			return fmt.Errorf("%w: %q (U+%04X) in %q", ErrUnsupportedCharacter, miss[0], miss[0], s)
		}
		return nil
	}
	var all []string
	h := r.hdr
	all = append(all, h.ParentBody, h.IssuingBody, h.Number, h.Place, h.SignerAuthority, h.SignerTitle, h.SignerName)
	all = append(all, h.Recipients...)
	all = append(all, h.Distribution...)
	for _, v := range r.data.Fields {
		all = append(all, v)
	}
	for _, rows := range r.data.Tables {
		for _, row := range rows {
			for _, v := range row {
				all = append(all, v)
			}
		}
	}
	for _, s := range all {
		if err := check(strings.ReplaceAll(strings.ReplaceAll(s, "\n", ""), "\t", "")); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) page() {
	r.p = r.doc.NewPage(r.g.w, r.g.h)
	r.y = r.g.h - r.g.top
}

// need starts a new page when fewer than h points remain.
func (r *renderer) need(h float64) bool {
	if r.y-h < r.g.bottom {
		r.page()
		r.y -= 10 // room for the page number
		return true
	}
	return false
}

// wrap breaks s into lines no wider than width; dates stay whole.
func (r *renderer) wrap(st fontStyle, size, width float64, s string, firstIndent float64) []string {
	return r.doc.Wrap(st, size, width, s, typeset.WrapOptions{FirstIndent: firstIndent, KeepWhole: reDate.MatchString})
}

// fitPrefix returns the part of the word w to put on a line avail points wide (see
// typeset.Doc.FitPrefix); a date is not broken at its slashes.
func (r *renderer) fitPrefix(st fontStyle, size float64, w string, avail float64) string {
	return r.doc.FitPrefix(st, size, w, avail, !reDate.MatchString(w))
}

// segments splits a word at its preferred break points: after "/", "-" and ",", and
// before "@"; dates are not split.
func segments(w string) []string {
	if reDate.MatchString(w) {
		return []string{w} // a date stays whole
	}
	var out []string
	start := 0
	for i, r := range w {
		switch r {
		case '@':
			if i > start {
				out = append(out, w[start:i])
				start = i
			}
		case '/', '-', ',':
			out = append(out, w[start:i+1])
			start = i + 1
		}
	}
	if start < len(w) {
		out = append(out, w[start:])
	}
	return out
}

// centred draws s centred in [x0, x0+w] at the current line; returns the width drawn.
func (r *renderer) centred(st fontStyle, size, x0, w, y float64, s string) float64 {
	tw := r.doc.width(st, size, s)
	r.doc.text(r.p, st, size, x0+(w-tw)/2, y, s)
	return tw
}

// block draws wrapped lines centred in a column starting at y; returns the new y.
func (r *renderer) centredBlock(st fontStyle, size, x0, w, y float64, s string) float64 {
	for _, l := range r.wrap(st, size, w, s, 0) {
		y -= size * 1.2
		r.centred(st, size, x0, w, y, l)
	}
	return y
}

// paragraph draws a wrapped paragraph across the text width with a first-line indent.
func (r *renderer) paragraph(st fontStyle, size float64, s string, firstIndent, leftIndent float64) {
	lines := r.wrap(st, size, r.g.textWidth()-leftIndent, s, firstIndent)
	for i, l := range lines {
		r.need(size * lead)
		r.y -= size * lead
		x := r.g.left + leftIndent
		if i == 0 {
			x += firstIndent
		}
		r.doc.text(r.p, st, size, x, r.y, l)
	}
}

func vnDate(place, date string) string {
	t, ok := ParseDate(date)
	var s string
	if !ok {
		s = "ngày ….. tháng ….. năm ……"
	} else {
		day := fmt.Sprint(t.Day())
		if t.Day() < 10 {
			day = "0" + day
		}
		mon := fmt.Sprint(int(t.Month()))
		if t.Month() < 3 {
			mon = "0" + mon
		}
		s = fmt.Sprintf("ngày %s tháng %s năm %d", day, mon, t.Year())
	}
	if place != "" {
		return place + ", " + s
	}
	return s
}

func (r *renderer) number() string {
	n := r.hdr.Number
	if n == "" {
		n = "……/" + r.def.Defaults.NumberSuffix
	}
	return "Số: " + n
}

// header draws ô 1–5 and "Kính gửi".
func (r *renderer) header() {
	const qh1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	const qh2 = "Độc lập - Tự do - Hạnh phúc"
	top := r.y
	switch r.def.Layout {
	case LayoutApplication:
		y := top - 12
		r.centred(fonts.Bold, 12.5, r.g.left, r.g.textWidth(), y, qh1)
		y -= 15
		w := r.centred(fonts.Bold, 13, r.g.left, r.g.textWidth(), y, qh2)
		y -= 3.5
		r.p.Line(r.g.left+(r.g.textWidth()-w)/2, y, r.g.left+(r.g.textWidth()+w)/2, y, 0.6)
		y -= 22
		if r.def.DocumentType != "" {
			y = r.centredBlock(fonts.Bold, 14, r.g.left, r.g.textWidth(), y, r.def.DocumentType)
		}
		if r.def.Summary != "" {
			y = r.centredBlock(fonts.Bold, 14, r.g.left, r.g.textWidth(), y, r.expand(r.def.Summary))
		}
		r.y = y - 10
		r.recipients(true)
		return
	}
	leftW := r.g.textWidth() * 0.45
	rightX, rightW := r.g.left+leftW, r.g.textWidth()-leftW
	// Left column: ô 2 issuing body, ô 3 number, ô 5b summary for letters.
	yl := top
	if r.hdr.ParentBody != "" {
		yl = r.centredBlock(fonts.Regular, 12, r.g.left, leftW, yl, strings.ToUpper(r.hdr.ParentBody))
	}
	yl = r.centredBlock(fonts.Bold, 12, r.g.left, leftW, yl, strings.ToUpper(r.hdr.IssuingBody))
	yl -= 3.5
	r.p.Line(r.g.left+leftW/2-leftW/6, yl, r.g.left+leftW/2+leftW/6, yl, 0.6)
	yl -= 18
	r.centred(fonts.Regular, 13, r.g.left, leftW, yl, r.number())
	if r.def.Layout == LayoutLetter && r.def.Summary != "" {
		yl = r.centredBlock(fonts.Regular, 12, r.g.left, leftW, yl-2, "V/v "+r.expand(r.def.Summary))
	}
	// Right column: ô 1 Quốc hiệu, ô 4 place and date.
	yr := top - 12.5
	r.centred(fonts.Bold, 12, rightX, rightW, yr, qh1)
	yr -= 15
	w := r.centred(fonts.Bold, 13, rightX, rightW, yr, qh2)
	yr -= 3.5
	r.p.Line(rightX+(rightW-w)/2, yr, rightX+(rightW+w)/2, yr, 0.6)
	yr -= 18
	// Same line as "Số" when the left column is short enough.
	yDate := min(yr, top-12.5-15-3.5-18)
	if yl > yDate+20 {
		yDate = yr
	}
	yDate = r.centredBlock(fonts.Italic, 13, rightX, rightW, yDate+13*1.2, vnDate(r.hdr.Place, r.hdr.Date))
	r.y = min(yl, yDate) - 12
	if r.def.Layout != LayoutLetter {
		r.y -= 6
		if r.def.DocumentType != "" {
			r.y = r.centredBlock(fonts.Bold, 14, r.g.left, r.g.textWidth(), r.y, r.def.DocumentType)
		}
		if r.def.Summary != "" {
			r.y = r.centredBlock(fonts.Bold, 14, r.g.left, r.g.textWidth(), r.y, r.expand(r.def.Summary))
		}
		r.y -= 10
	}
	if r.def.Layout != LayoutMinutes {
		r.recipients(r.def.Layout != LayoutLetter)
	}
}

// recipients draws ô 9a "Kính gửi".
func (r *renderer) recipients(centredOne bool) {
	rec := r.hdr.Recipients
	if len(rec) == 0 {
		return
	}
	label := "Kính gửi:"
	lw := r.doc.width(fonts.Regular, 14, label+" ")
	if len(rec) == 1 {
		full := label + " " + rec[0]
		if fw := r.doc.width(fonts.Regular, 14, full); fw <= r.g.textWidth()-indent {
			r.y -= 14 * lead
			r.doc.text(r.p, fonts.Regular, 14, r.g.left+(r.g.textWidth()-fw)/2, r.y, full)
			r.y -= 6
			return
		}
		lines := r.wrap(fonts.Regular, 14, r.g.textWidth()-indent-lw, rec[0], 0)
		for i, l := range lines {
			r.need(14 * lead)
			r.y -= 14 * lead
			if i == 0 {
				r.doc.text(r.p, fonts.Regular, 14, r.g.left+indent, r.y, label)
			}
			r.doc.text(r.p, fonts.Regular, 14, r.g.left+indent+lw, r.y, l)
		}
		r.y -= 6
		return
	}
	r.y -= 14 * lead
	r.doc.text(r.p, fonts.Regular, 14, r.g.left+indent, r.y, label)
	for i, rc := range rec {
		end := ";"
		if i == len(rec)-1 {
			end = "."
		}
		for j, l := range r.wrap(fonts.Regular, 14, r.g.textWidth()-indent-lw, "- "+rc+end, 0) {
			if j > 0 || i > 0 {
				r.need(14 * lead)
				r.y -= 14 * lead
			}
			r.doc.text(r.p, fonts.Regular, 14, r.g.left+indent+lw, r.y, l)
		}
	}
	r.y -= 6
}

// expand replaces {name} with header values and field values.
func (r *renderer) expand(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	pairs := []string{"{issuingBody}", r.hdr.IssuingBody, "{parentBody}", r.hdr.ParentBody,
		"{place}", r.hdr.Place, "{signerName}", r.hdr.SignerName}
	for _, f := range r.def.Fields() {
		pairs = append(pairs, "{"+f.ID+"}", r.display(f, r.data.Fields[f.ID]))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// display returns how a value is printed: enum values by their label.
func (r *renderer) display(f Field, v string) string {
	if f.Type == TypeEnum {
		for _, o := range f.Options {
			if o.Value == v {
				return o.Label
			}
		}
	}
	return v
}

func (r *renderer) body() {
	if r.def.Intro != "" {
		r.paragraph(fonts.Regular, bodySize, r.expand(r.def.Intro), indent, 0)
	}
	numbered := 0
	for _, s := range r.def.Sections {
		if !annexOnly(s) {
			numbered++
		}
	}
	i := -1
	for _, s := range r.def.Sections {
		if annexOnly(s) {
			r.deferred = append(r.deferred, s.Table)
			continue
		}
		i++
		title := s.Title
		if numbered > 1 || r.def.Layout == LayoutReport {
			title = sectionNumber(r.def, i) + " " + title
		}
		r.need(bodySize*lead*3 + 4)
		r.y -= 4
		r.paragraph(fonts.Bold, bodySize, title, indent, 0)
		if s.Intro != "" {
			r.paragraph(fonts.Regular, bodySize, r.expand(s.Intro), indent, 0)
		}
		for _, f := range s.Fields {
			v := r.display(f, r.data.Fields[f.ID])
			if f.Type == TypeParagraph {
				label := "- " + f.Label + ":"
				if f.Label != "" && f.Label[0] >= '0' && f.Label[0] <= '9' {
					label = f.Label // already numbered, e.g. "1. Đặc điểm tình hình"
				}
				r.paragraph(fonts.Regular, bodySize, label, indent, 0)
				if v == "" {
					v = "……………………………………………………………………"
				}
				r.paragraph(fonts.Regular, bodySize, v, indent, 0)
				continue
			}
			if v == "" {
				v = "……………………"
			}
			r.paragraph(fonts.Regular, bodySize, "- "+f.Label+": "+v, indent, 0)
		}
		if t := s.Table; t != nil {
			if t.Annex || len(t.Columns)+1 > wideTableColumns {
				// Too wide for a portrait page: the list follows the letter on landscape
				// pages (danh sách kèm theo).
				if !t.Annex {
					n := len(r.data.Tables[t.ID])
					r.paragraph(fonts.Italic, bodySize, fmt.Sprintf("(Có danh sách %d trường hợp kèm theo.)", n), indent, 0)
				}
				r.deferred = append(r.deferred, t)
				continue
			}
			r.table(t, r.data.Tables[t.ID])
		}
	}
	for _, c := range r.def.Closing {
		r.y -= 2
		r.paragraph(fonts.Regular, bodySize, r.expand(c), indent, 0)
	}
}

// annexOnly reports whether a section holds nothing but an annex list.
func annexOnly(s Section) bool {
	return s.Table != nil && s.Table.Annex && len(s.Fields) == 0 && s.Intro == ""
}

var roman = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

func sectionNumber(d *Definition, i int) string {
	if d.Layout == LayoutReport && i < len(roman) {
		return roman[i] + "."
	}
	return fmt.Sprintf("%d.", i+1)
}

type col struct {
	f     Field
	title string
	w     float64
}

// columnWidths chooses the font size (10.5 down to 6.5 pt) and column widths of a
// table the way browsers lay out automatic tables: every column gets at least its
// longest word (so dates, numbers and e-mail addresses stay whole when possible), and
// the remaining width goes to the columns in proportion to how much more their whole
// text needs (scaled by the column's relative Width). It sets each column's w and
// returns the size.
func (r *renderer) columnWidths(cols []col, rows []Row, pad float64) float64 {
	sizes := []float64{10.5, 9.5, 8.5, 7.5, 6.5}
	for si, size := range sizes {
		mins := make([]float64, len(cols))
		wants := make([]float64, len(cols))
		sum := 0.0
		for i, c := range cols {
			texts := []string{c.title}
			for ri, row := range rows {
				if ri >= 200 {
					break
				}
				if i == 0 {
					texts = append(texts, fmt.Sprint(len(rows)))
				} else {
					texts = append(texts, r.display(c.f, row[c.f.ID]))
				}
			}
			m, want := 0.0, 0.0
			for ti, tx := range texts {
				st := fonts.Regular
				if ti == 0 {
					st = fonts.Bold
				}
				for _, w := range strings.Fields(tx) {
					for _, seg := range segments(w) {
						m = max(m, r.doc.width(st, size, seg))
					}
				}
				if ti > 0 || len(texts) == 1 {
					want = max(want, r.doc.width(st, size, tx)) // headers may wrap
				}
			}
			mins[i] = min(m+2*pad+1, r.g.textWidth()*0.3)
			wants[i] = max(mins[i], min(want+2*pad+1, r.g.textWidth()*0.6)*c.w)
			sum += mins[i]
		}
		// Prefer a smaller size to leaving the longer texts no room to spread.
		if sum > 0.85*r.g.textWidth() && si < len(sizes)-1 {
			continue
		}
		extra, need := r.g.textWidth()-sum, 0.0
		for i := range cols {
			need += wants[i] - mins[i]
		}
		for i := range cols {
			w := mins[i]
			switch {
			case need > extra && need > 0:
				w += extra * (wants[i] - mins[i]) / need
			case need > 0 || extra > 0:
				// Everything fits: give each column what it wants, and share the rest
				// by what it wants.
				w = wants[i] + (extra-need)*wants[i]/sumOf(wants)
			}
			cols[i].w = w
		}
		return size
	}
	return sizes[len(sizes)-1]
}

func sumOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// table draws a list with borders; rows that do not fit go to the next page, where the
// header row is repeated.
func (r *renderer) table(t *Table, rows []Row) {
	cols := []col{{f: Field{ID: "#"}, title: "STT", w: 1}}
	for _, c := range t.Columns {
		w := min(c.Width, maxColumnWidth) // a definition built in code skips the registry's check
		if w <= 0 {
			w = 1
		}
		cols = append(cols, col{f: c, title: c.Label, w: w})
	}
	const pad = 2.5
	size := r.columnWidths(cols, rows, pad)
	leading := size * 1.2
	cellLines := func(st fontStyle, texts []string) ([][]string, float64) {
		out := make([][]string, len(cols))
		maxN := 1
		for i, c := range cols {
			out[i] = r.wrap(st, size, c.w-2*pad, texts[i], 0)
			maxN = max(maxN, len(out[i]))
		}
		return out, float64(maxN)*leading + 2*pad
	}
	drawRow := func(st fontStyle, lines [][]string, h float64, centre bool) {
		x := r.g.left
		for i, c := range cols {
			r.p.Rect(x, r.y-h, c.w, h, 0.5)
			y := r.y - pad
			for _, l := range lines[i] {
				y -= leading
				if centre || i == 0 {
					r.centred(st, size, x, c.w, y+size*0.2, l)
				} else {
					r.doc.text(r.p, st, size, x+pad, y+size*0.2, l)
				}
			}
			x += c.w
		}
		r.y -= h
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	hLines, hh := cellLines(fonts.Bold, titles)
	r.y -= 6
	r.need(hh + 2*leading + 2*pad)
	drawRow(fonts.Bold, hLines, hh, true)
	if len(rows) == 0 {
		rows = []Row{{}}
	}
	for i, row := range rows {
		texts := make([]string, len(cols))
		texts[0] = fmt.Sprint(i + 1)
		for j, c := range cols[1:] {
			texts[j+1] = r.display(c.f, row[c.f.ID])
		}
		lines, h := cellLines(fonts.Regular, texts)
		// Room for rows on a fresh page, below the page number and the header row.
		fresh := r.g.h - r.g.top - 10 - hh - r.g.bottom
		atTop := false // just below a repeated header on a new page
		for r.y-h < r.g.bottom {
			// A row taller than a whole page is split between pages: as many of its
			// lines as fit here, the rest under the repeated header.
			k := int((r.y - r.g.bottom - 2*pad) / leading)
			if k < 1 && atTop {
				break // a header row as tall as the page leaves no room: draw as is
			}
			if h <= fresh || k < 1 {
				r.page()
				r.y -= 10
				drawRow(fonts.Bold, hLines, hh, true)
				atTop = true
				if h <= fresh {
					break
				}
				continue
			}
			head, rest := make([][]string, len(lines)), make([][]string, len(lines))
			maxN := 1
			for i, l := range lines {
				head[i], rest[i] = l[:min(k, len(l))], l[min(k, len(l)):]
				maxN = max(maxN, len(rest[i]))
			}
			drawRow(fonts.Regular, head, r.y-r.g.bottom, false)
			lines, h = rest, float64(maxN)*leading+2*pad
			r.page()
			r.y -= 10
			drawRow(fonts.Bold, hLines, hh, true)
			atTop = true
		}
		drawRow(fonts.Regular, lines, h, false)
	}
	r.y -= 4
}

// signatures draws ô 7a–7c (authority, title, room for the signature, name) and ô 9b
// "Nơi nhận".
func (r *renderer) signatures() {
	blocks := r.def.Signature.Blocks
	if len(blocks) == 0 {
		return
	}
	dist := r.hdr.Distribution
	distH := 16.0 + 13*float64(len(dist))
	n := len(blocks)
	colW := r.g.textWidth() / float64(n)
	x0 := r.g.left
	if n == 1 {
		colW = r.g.textWidth() * 0.55
		x0 = r.g.left + r.g.textWidth() - colW
	}
	type signer struct{ auth, title, name string }
	signers := make([]signer, n)
	// The block needs room for its longest column of wrapped lines (long titles and
	// names wrap), and at least what four lines take.
	lineH := func(st fontStyle, s string) float64 {
		if s == "" {
			return 0
		}
		return float64(len(r.wrap(st, bodySize, colW, s, 0))) * bodySize * 1.2
	}
	blockH := 4*bodySize*lead + signatureRoom + 20
	for i, b := range blocks {
		auth, title := b.Authority, b.Title
		name := r.data.Fields[b.NameField]
		if b.NameField == "" || i == n-1 && r.def.Signature.Signer == "head" {
			if i == n-1 {
				auth = firstNonEmpty(r.hdr.SignerAuthority, auth)
				title = firstNonEmpty(r.hdr.SignerTitle, title)
			}
			if b.NameField == "" {
				name = r.hdr.SignerName
			}
		}
		signers[i] = signer{strings.ToUpper(auth), strings.ToUpper(title), name}
		blockH = max(blockH, lineH(fonts.Bold, signers[i].auth)+lineH(fonts.Bold, signers[i].title)+
			lineH(fonts.Italic, b.Hint)+signatureRoom+lineH(fonts.Bold, name)+10)
	}
	date := ""
	if r.def.Layout == LayoutApplication {
		date = vnDate(r.hdr.Place, r.hdr.Date)
		blockH += float64(len(r.wrap(fonts.Italic, bodySize, r.g.textWidth()*0.55, date, 0)))*bodySize*1.2 + 4
	}
	r.y -= 10
	r.need(max(blockH, distH))
	if r.def.Layout == LayoutApplication {
		w := r.g.textWidth() * 0.55
		r.y = r.centredBlock(fonts.Italic, bodySize, r.g.left+r.g.textWidth()-w, w, r.y, date)
		r.y -= 4
	}
	top := r.y
	for i, b := range blocks {
		x := x0 + float64(i)*colW
		auth, title, name := signers[i].auth, signers[i].title, signers[i].name
		y := top
		if auth != "" {
			y = r.centredBlock(fonts.Bold, bodySize, x, colW, y, auth)
		}
		if title != "" {
			y = r.centredBlock(fonts.Bold, bodySize, x, colW, y, title)
		}
		if b.Hint != "" {
			y = r.centredBlock(fonts.Italic, bodySize, x, colW, y, b.Hint)
		}
		r.boxes = append(r.boxes, SignatureBox{Role: b.Role, Page: len(r.doc.Pages()),
			Rect: [4]float64{x + colW*0.1, y - signatureRoom, x + colW*0.9, y - 5}})
		y -= signatureRoom
		if name != "" {
			r.centredBlock(fonts.Bold, bodySize, x, colW, y, name)
		}
	}
	if n == 1 && len(dist) > 0 {
		y := top - 12
		r.doc.text(r.p, fonts.BoldItalic, 12, r.g.left, y, "Nơi nhận:")
		for i, d := range dist {
			end := ";"
			if i == len(dist)-1 {
				end = "."
			}
			for _, l := range r.wrap(fonts.Regular, 11, r.g.textWidth()-colW-10, "- "+d+end, 0) {
				y -= 13
				if y < r.g.bottom {
					// A "Nơi nhận" longer than the page goes on on the next one.
					r.page()
					r.y -= 10
					y = r.y - 13
				}
				r.doc.text(r.p, fonts.Regular, 11, r.g.left, y, l)
			}
		}
	}
}

// appendices draws the deferred lists after the letter, each headed as an appendix to
// it: on landscape pages when too wide for a portrait one.
func (r *renderer) appendices() {
	for _, t := range r.deferred {
		r.g = portrait
		if len(t.Columns)+1 > wideTableColumns {
			r.g = landscape
		}
		r.page()
		tw := r.g.textWidth()
		title := "DANH SÁCH"
		if t.Title != "" {
			title = strings.ToUpper(t.Title)
		}
		r.y = r.centredBlock(fonts.Bold, 13, r.g.left, tw, r.y, title)
		ref := "(Kèm theo văn bản"
		if r.hdr.Number != "" {
			ref += " số " + r.hdr.Number
		}
		if d, ok := ParseDate(r.hdr.Date); ok {
			ref += " ngày " + FormatDate(d)
		}
		if r.hdr.IssuingBody != "" {
			ref += " của " + r.hdr.IssuingBody
		}
		r.y = r.centredBlock(fonts.Italic, 13, r.g.left, tw, r.y, ref+")")
		r.y -= 4
		r.table(t, r.data.Tables[t.ID])
	}
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// pageNumbers writes the page number centred in the top margin from page 2 on.
func (r *renderer) pageNumbers() {
	for i, p := range r.doc.Pages() {
		if i == 0 {
			continue
		}
		s := fmt.Sprint(i + 1)
		g := portrait
		if w, h := p.Size(); w > h {
			g = landscape
		}
		w := r.doc.width(fonts.Regular, 13, s)
		r.doc.text(p, fonts.Regular, 13, g.left+(g.textWidth()-w)/2, g.h-g.top+6, s)
	}
}
