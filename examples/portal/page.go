package main

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"time"

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
	MaxMiB   int64
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
	Reason       string
	Location     string
	Checks       []checkLine
}

// checkLine is one check for display.
type checkLine struct {
	Mark    string
	Class   string
	Message string
	English string
}

// handlePage is GET /: the upload form.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	s.renderPage(w, http.StatusOK, &pageData{})
}

// handleVerifyPage is POST /verify: the upload form's target; it shows one card per
// signature.
func (s *Server) handleVerifyPage(w http.ResponseWriter, r *http.Request) {
	data := &pageData{}
	pdf, err := readPDFBody(r, int(s.cfg.MaxBody))
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
	c.Modification = "không có thay đổi sau khi ký"
	if ck, ok := s.Check(signature.CheckModifications); ok && s.Modification != signature.ModNone {
		c.Modification = ck.MessageVI
	}
	for _, ck := range s.Checks {
		c.Checks = append(c.Checks, line(ck))
	}
	return c
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
// depending on the system's time-zone database.
func fmtTime(t time.Time) string {
	return t.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006 15:04:05 (UTC+07:00)")
}
