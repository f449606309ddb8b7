package main

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/signature"
)

//go:embed page.html
var pageFS embed.FS

// parsePage parses the verification page's template.
func parsePage() (*template.Template, error) {
	return template.New("page.html").ParseFS(pageFS, "page.html")
}

// pageData is what page.html shows.
type pageData struct {
	Error    *apiError
	FileName string
	Report   *signature.Report
	Warnings []string
	Cards    []card
	Pages    []pagePicture
	// Layout is what layout.Check found of the document's thể thức and its visible
	// signatures (Nghị định 30/2020 Phụ lục I); nil when it could not be read.
	Layout *layoutView
	MaxMiB int64
	// Title, when set, makes the page an error page (404, 405) in the portal's style.
	Title string
}

// pagePicture is a schematic of one signed page: its box, what is printed on it (each
// text line a grey bar, each image a light box, as layout.Measure reads them) and every
// signature shown on it, numbered like the cards, so a reader recognises the page and
// sees which signature sits where.
type pagePicture struct {
	Page    int
	ViewBox string // "0 0 w h" in points
	W, H    float64
	Marks   []pageMark
	Boxes   []pageBox
}

// pageMark is one text line, rule or image of a pagePicture's page, in the picture's
// coordinates (y downwards).
type pageMark struct {
	X, Y, W, H float64
	Image      bool
}

// maxPageMarks bounds the marks drawn on one page picture, so that a page of
// thousands of tiny text runs cannot make the result page huge.
const maxPageMarks = 600

// pageBox is one signature's widget on a pagePicture, in the picture's coordinates
// (y downwards).
type pageBox struct {
	Index      int
	X, Y, W, H float64
	LX, LY     float64 // the centre of the box, where its number is written
	Size       float64 // the number's font size: readable when the page is drawn small
	Class      string
}

// card is one signature as Thông tư 15/2025/TT-BKHCN asks a verifier to display it
// (rules.md §5): whether it is valid, the issuing CA, the signer, the managing unit,
// the signing time or time-stamp, integrity, validity at signing time, the
// certificate's validity period, and a warning when its status could not be checked.
type card struct {
	Index        int
	Field        string
	Kind         string
	Verdict      string // HỢP LỆ, KHÔNG HỢP LỆ, CHƯA XÁC ĐỊNH
	Class        string // ok, fail, unknown: the card's colour
	Indication   string // TOTAL_PASSED/… as EU DSS spells it
	Level        string
	Issuer       string
	Signer       string
	Title        string
	ManagingUnit string
	SigningTime  string
	TimeSource   string
	Integrity    checkLine
	ValidAtSign  checkLine
	Validity     string
	Revocation   checkLine
	StatusWarn   string // non-empty when the revocation status could not be checked
	Modification string
	// Certification describes a certification (DocMDP) signature: what it allows
	// after it. Empty for an approval signature.
	Certification string
	// Reasons are the checks behind a verdict that is not TOTAL_PASSED, shown on the
	// card itself (not only in the collapsed details).
	Reasons []checkLine
	// Page is where the signature is shown (1-based), 0 when it is invisible.
	Page int
	// Layout lists the NĐ 30 rules this signature's appearance breaks (layout.Check),
	// beside the verdict.
	Layout   []findingLine
	Reason   string
	Location string
	Checks   []checkLine
}

// checkLine is one check for display.
type checkLine struct {
	Mark    string
	Class   string
	Message string
	English string
}

// notFound answers an unknown path: 404 (or 405 for / with a method other than GET).
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/" {
		s.methodNotAllowed("GET, HEAD")(w, r)
		return
	}
	e := newAPIError(http.StatusNotFound, codeNotFound,
		"Không tìm thấy trang "+r.URL.Path, "No page at "+r.URL.Path, nil)
	s.errorPage(w, r, e, "Không tìm thấy trang / Page not found")
}

// methodNotAllowed answers a known path asked with the wrong method.
func (s *Server) methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		e := newAPIError(http.StatusMethodNotAllowed, codeMethodNotAllowed,
			"Phương thức "+r.Method+" không được hỗ trợ ở "+r.URL.Path+"; hãy dùng "+allow,
			"Method "+r.Method+" is not allowed on "+r.URL.Path+"; use "+allow, nil)
		s.errorPage(w, r, e, "Phương thức không được hỗ trợ / Method not allowed")
	}
}

// errorPage answers an error as JSON to API clients (paths under /api/, or a request
// that accepts JSON and not HTML) and as a page in the portal's style to browsers.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, e *apiError, title string) {
	accept := r.Header.Get("Accept")
	if strings.HasPrefix(r.URL.Path, "/api/") || (strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")) {
		writeError(w, r, s.log, e)
		return
	}
	s.renderPage(w, e.Status, &pageData{Error: e, Title: title})
}

// handlePage is GET /: the upload form.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	s.renderPage(w, http.StatusOK, &pageData{})
}

// handleVerifyPage is POST /verify: the upload form's target; it shows one card per
// signature.
func (s *Server) handleVerifyPage(w http.ResponseWriter, r *http.Request) {
	data := &pageData{}
	pdf, name, err := readNamedPDFBody(r, int(s.cfg.MaxBody))
	data.FileName = name
	if err != nil {
		ae := bodyError(err)
		data.Error = ae
		s.log.Info("verify page: bad upload", "status", ae.Status, "detail", ae.Detail)
		s.renderPage(w, ae.Status, data)
		return
	}
	rep, ae := s.verify(r.Context(), pdf)
	if ae != nil {
		data.Error = ae
		s.renderPage(w, ae.Status, data)
		return
	}
	data.Report = rep
	for _, c := range rep.Warnings {
		data.Warnings = append(data.Warnings, c.MessageVI)
	}
	for i := range rep.Signatures {
		data.Cards = append(data.Cards, makeCard(i+1, &rep.Signatures[i]))
	}
	lrep, lerr := layout.Check(r.Context(), bytes.NewReader(pdf), int64(len(pdf)), nil)
	var measured *layout.Measurement
	if lerr == nil {
		measured = lrep.Measurement
	}
	data.Pages = pagePictures(data.Cards, rep, measured)
	data.Layout = layoutFindings(lrep, lerr, data.Cards)
	s.renderPage(w, http.StatusOK, data)
}

// renderPage executes the template into a buffer first, so a template error never
// sends half a page.
func (s *Server) renderPage(w http.ResponseWriter, status int, data *pageData) {
	data.MaxMiB = s.cfg.MaxBody >> 20
	var buf bytes.Buffer
	if err := s.page.Execute(&buf, data); err != nil {
		s.log.Error("rendering the page", "err", err)
		http.Error(w, "Lỗi nội bộ của máy chủ / internal server error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// No script, no external asset: the strictest policy fits.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// makeCard turns a signature's report into what the page shows.
func makeCard(i int, s *signature.SignatureReport) card {
	c := card{
		Index: i, Field: s.Field, Indication: string(s.Indication), Level: string(s.Level),
		Kind: "Chữ ký số", Reason: s.Reason, Location: s.Location,
	}
	if s.SubIndication != "" {
		c.Indication += " / " + string(s.SubIndication)
	}
	if s.Kind == signature.KindDocTimestamp {
		c.Kind = "Dấu thời gian tài liệu"
	}
	switch s.Indication {
	case signature.TotalPassed:
		c.Verdict, c.Class = "HỢP LỆ", "ok"
	case signature.TotalFailed:
		c.Verdict, c.Class = "KHÔNG HỢP LỆ", "fail"
	default:
		c.Verdict, c.Class = "CHƯA XÁC ĐỊNH", "unknown"
	}
	if sg := s.Signer; sg != nil {
		c.Signer, c.Title, c.ManagingUnit = sg.CommonName, sg.Title, sg.ManagingUnit()
		c.Issuer = sg.IssuerCommonName
		if c.Issuer == "" {
			c.Issuer = sg.Issuer
		}
		c.Validity = fmt.Sprintf("từ %s đến %s", fmtTime(sg.NotBefore), fmtTime(sg.NotAfter))
	}
	switch {
	case s.TimestampTime != nil && s.TimeProven:
		c.SigningTime, c.TimeSource = fmtTime(*s.TimestampTime), "theo dấu thời gian (đã xác thực)"
	case s.TimestampTime != nil:
		c.SigningTime, c.TimeSource = fmtTime(*s.TimestampTime), "theo dấu thời gian (chưa xác thực)"
	case s.ClaimedTime != nil:
		c.SigningTime, c.TimeSource = fmtTime(*s.ClaimedTime), "do người ký khai báo, không có dấu thời gian chứng minh"
		if ck, ok := s.Check(signature.CheckTimestamp); ok && ck.Result != signature.CheckPassed {
			// A token is there but proves nothing (its TSA certificate is missing,
			// its path cannot be validated, …): say so, not "no time-stamp".
			c.TimeSource = "do người ký khai báo; dấu thời gian kèm theo không chứng minh được thời điểm (xem chi tiết bên dưới)"
		}
	case s.SigningTime != nil:
		c.SigningTime = fmtTime(*s.SigningTime)
	}
	if ck, ok := s.Check(signature.CheckIntegrity); ok {
		c.Integrity = line(ck)
	}
	if ck, ok := s.Check(signature.CheckValidAtSigning); ok {
		c.ValidAtSign = line(ck)
	}
	if ck, ok := s.Check(signature.CheckRevocation); ok {
		c.Revocation = line(ck)
		if ck.Result != signature.CheckPassed && ck.Result != signature.CheckInfo && ck.Result != signature.CheckFailed {
			c.StatusWarn = "Cảnh báo: không kiểm tra được trạng thái (thu hồi, tạm dừng) của chứng thư số tại thời điểm ký. " + ck.MessageVI
		}
	} else if s.Kind == signature.KindSignature && s.Signer != nil {
		c.StatusWarn = "Cảnh báo: trạng thái thu hồi của chứng thư số chưa được kiểm tra."
	}
	if s.SubIndication == signature.TryLater && c.StatusWarn == "" {
		c.StatusWarn = "Cảnh báo: không kiểm tra được trạng thái của chứng thư số; hãy thử lại sau."
	}
	if s.CertificationLevel > 0 {
		c.Certification = certificationText(s.CertificationLevel)
	}
	if s.Widget != nil {
		c.Page = s.Widget.Page
	}
	if s.Indication != signature.TotalPassed {
		for _, ck := range s.Checks {
			switch ck.Result {
			case signature.CheckFailed, signature.CheckIndeterminate:
				c.Reasons = append(c.Reasons, line(ck))
			}
		}
		if len(c.Reasons) == 0 {
			// A verdict always has a reason to show, even when no single check says it.
			for _, ck := range s.Checks {
				if ck.Result == signature.CheckWarning {
					c.Reasons = append(c.Reasons, line(ck))
				}
			}
		}
	}
	c.Modification = "không có thay đổi sau khi ký"
	if ck, ok := s.Check(signature.CheckModifications); ok && s.Modification != signature.ModNone {
		c.Modification = ck.MessageVI
	}
	for _, ck := range s.Checks {
		c.Checks = append(c.Checks, line(ck))
	}
	return c
}

// layoutView is the page's summary of layout.Check: the rules broken for the whole
// document and its pages (those of a signature go on its card), and how many held.
type layoutView struct {
	Findings []findingLine
	Passed   int
	Total    int
	Error    string
}

// findingLine is one broken NĐ 30 rule for display.
type findingLine struct {
	Class    string // fail for an error, unknown for a warning
	Message  string
	English  string
	Citation string
	Measured string
	Accepted string
	Page     int
}

// layoutFindings spreads what layout.Check found (rep, or its error err): each
// signature's findings on its card, the rest in the document's list.
func layoutFindings(rep *layout.Report, err error, cards []card) *layoutView {
	if err != nil {
		return &layoutView{Error: "Không kiểm tra được thể thức của tài liệu / the layout could not be checked"}
	}
	v := &layoutView{Total: len(rep.Findings)}
	byField := map[string]int{}
	for i := range cards {
		byField[cards[i].Field] = i
	}
	for _, f := range rep.Findings {
		if f.Passed {
			v.Passed++
			continue
		}
		l := findingLine{Class: "unknown", Message: f.MessageVI, English: f.Message, Citation: f.Citation.String(),
			Measured: f.Measured, Accepted: f.Accepted, Page: f.Page}
		if f.Severity == layout.SeverityError {
			l.Class = "fail"
		}
		if i, ok := byField[f.Field]; ok && f.Field != "" {
			cards[i].Layout = append(cards[i].Layout, l)
			continue
		}
		v.Findings = append(v.Findings, l)
	}
	return v
}

// certificationText says in Vietnamese (English beside it) what a certification
// signature with DocMDP permission p allows after it (ISO 32000-1 §12.8.2.2).
func certificationText(p int) string {
	switch p {
	case 1:
		return "Chữ ký chứng nhận (DocMDP P=1): không cho phép thay đổi nào sau khi ký / certification: no changes allowed"
	case 2:
		return "Chữ ký chứng nhận (DocMDP P=2): chỉ cho phép điền biểu mẫu và ký / certification: form filling and signing allowed"
	default:
		return fmt.Sprintf("Chữ ký chứng nhận (DocMDP P=%d): cho phép điền biểu mẫu, ký và chú thích / certification: form filling, signing and annotations allowed", p)
	}
}

// pagePictures draws, for every page that shows a signature, the page's box, its
// text lines and images as measured by layout (m, nil when the document could not be
// measured) and each signature's widget with its card number.
func pagePictures(cards []card, rep *signature.Report, m *layout.Measurement) []pagePicture {
	var pics []pagePicture
	byPage := map[int]int{}
	for i := range rep.Signatures {
		wb := rep.Signatures[i].Widget
		if wb == nil {
			continue
		}
		box := wb.PageBox
		w, h := box[2]-box[0], box[3]-box[1]
		if w <= 0 || h <= 0 {
			continue
		}
		k, ok := byPage[wb.Page]
		if !ok {
			k = len(pics)
			byPage[wb.Page] = k
			pics = append(pics, pagePicture{Page: wb.Page, W: w, H: h, ViewBox: fmt.Sprintf("0 0 %.0f %.0f", w, h),
				Marks: pageMarks(m, wb.Page, wb.Rotate, w, h)})
		}
		r := wb.Rect
		b := pageBox{
			Index: cards[i].Index, Class: cards[i].Class,
			X: r[0] - box[0], Y: box[3] - r[3], W: r[2] - r[0], H: r[3] - r[1],
		}
		b.LX, b.LY, b.Size = b.X+b.W/2, b.Y+b.H/2, max(w, h)/12
		pics[k].Boxes = append(pics[k].Boxes, b)
	}
	sort.Slice(pics, func(i, j int) bool { return pics[i].Page < pics[j].Page })
	return pics
}

// pageMarks is what is printed on page n of the measured document, for a picture of
// w × h points. Both the widget rectangles and layout's measurement are relative to
// the crop box's lower left corner; a rotated page, or one whose measured size differs,
// gets no marks rather than misplaced ones.
func pageMarks(m *layout.Measurement, n, rotate int, w, h float64) []pageMark {
	if m == nil || rotate != 0 || n < 1 || n > len(m.Pages) {
		return nil
	}
	p := &m.Pages[n-1]
	if p.Number != n || p.Rotate != 0 || math.Abs(p.Width-w) > 1 || math.Abs(p.Height-h) > 1 {
		return nil
	}
	var marks []pageMark
	add := func(b [4]float64, minH float64, image bool) {
		if len(marks) >= maxPageMarks || b[2] <= b[0] || b[3] <= b[1] {
			return
		}
		r := func(v float64) float64 { return math.Round(v*10) / 10 }
		bh := b[3] - b[1]
		y := h - b[3]
		if !image {
			// A text line is drawn as a bar over the lower two thirds of its box, so
			// that lines stay apart as they do on paper.
			y, bh = y+bh/3, max(bh*2/3, minH)
		}
		marks = append(marks, pageMark{X: r(b[0]), Y: r(y), W: r(b[2] - b[0]), H: r(bh), Image: image})
	}
	for _, img := range p.Images {
		add(img.BBox, 0, true)
	}
	for _, l := range p.Lines {
		add(l.BBox, 1, false)
	}
	for _, l := range p.Other {
		add(l.BBox, 1, false)
	}
	for _, rule := range p.Rules {
		add(rule, 1, false)
	}
	return marks
}

func line(ck signature.Check) checkLine {
	l := checkLine{Message: ck.MessageVI, English: ck.MessageEN}
	switch ck.Result {
	case signature.CheckPassed:
		l.Mark, l.Class = "✓", "ok"
	case signature.CheckFailed:
		l.Mark, l.Class = "✗", "fail"
	case signature.CheckWarning, signature.CheckIndeterminate:
		l.Mark, l.Class = "!", "unknown"
	default:
		l.Mark, l.Class = "·", "info"
	}
	return l
}

// fmtTime shows a time in Vietnam's time zone (UTC+7, no daylight saving), without
// depending on the system's time-zone database, in the one format the whole page uses:
// ISO 8601 with the zone, as Nghị định 30/2020 writes signing times and as the
// verifier's own messages do (2026-12-07T07:03:45+07:00).
func fmtTime(t time.Time) string {
	return t.In(time.FixedZone("ICT", 7*3600)).Format(time.RFC3339)
}
