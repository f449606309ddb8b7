package layout

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/identity"
	"github.com/kyso-go/kyso/internal/pdf"
)

// SignerCertKind is the kind of a signing certificate as the regulations classify
// subscribers. Check reads it with the module's one rule (the kinds and names of
// signature.Signer.Kind, certstatus.Kind, policy.CertificateKind and
// forms.CertificateKind).
type SignerCertKind string

// Certificate kinds.
const (
	CertUnknown      SignerCertKind = identity.NameUnknown
	CertIndividual   SignerCertKind = identity.NameIndividual   // cá nhân
	CertOrganisation SignerCertKind = identity.NameOrganisation // cơ quan, tổ chức
	CertDevice       SignerCertKind = identity.NameDevice       // thiết bị, dịch vụ, phần mềm
	CertCA           SignerCertKind = identity.NameCA           // tổ chức cung cấp dịch vụ chứng thực
)

// MeasuredSignature is one signature field and its visible appearance.
type MeasuredSignature struct {
	Field string `json:"field"` // the signature field's full name
	// Signed reports a signature value (/V); Visible a widget with a non-empty
	// rectangle, not hidden, with an appearance.
	Signed  bool `json:"signed"`
	Visible bool `json:"visible"`
	// Page (1-based, 0 when unknown) and Rect of the widget.
	Page int        `json:"page,omitempty"`
	Rect [4]float64 `json:"rect"`
	// Time is the signing time written in /M; CMSTimes are the times in the CMS (a
	// signing-time attribute, a signature time-stamp's genTime).
	Time     time.Time   `json:"time"`
	CMSTimes []time.Time `json:"cms_times,omitempty"`
	// Kind, Subject and CommonName describe the signer's certificate.
	Kind       SignerCertKind `json:"kind"`
	Subject    string         `json:"subject,omitempty"`
	CommonName string         `json:"common_name,omitempty"`
	// Text is the appearance's visible text (lines joined by newlines, NFC), Lines
	// its lines; Images the images it draws, with their ink.
	Text   string          `json:"text,omitempty"`
	Lines  []MeasuredLine  `json:"lines,omitempty"`
	Images []MeasuredImage `json:"images,omitempty"`
	// HiddenText counts text runs the appearance draws invisibly or outside its box.
	HiddenText int `json:"hidden_text,omitempty"`
	// Order is the widget's position among the page's annotations (drawn in order).
	Order int `json:"order"`
	// Role is what the appearance shows: "signer" (a blue image), "seal" (a red
	// image), "attachment" or "copy" (the text-only stamps), "text" (other text
	// only), "image" (an image of another colour), "invisible".
	Role string `json:"role"`
}

// msSignatures reads every signature field with its widget, appearance and CMS.
func msSignatures(ctx context.Context, d *pdf.Document, pages []pdf.Page, o *CheckOptions) ([]MeasuredSignature, error) {
	fields, err := d.Fields()
	if err != nil {
		return nil, nil // a broken form: no signatures measured
	}
	pageOf := map[pdf.Ref]int{}
	upright := map[int][6]float64{} // page number → its UprightMatrix
	annotOrder := map[pdf.Ref]int{}
	for i, p := range pages {
		pageOf[p.Ref] = i + 1
		upright[i+1] = pdf.UprightMatrix(p)
		if annots, ok := msResolve(d, p.Dict.Get("Annots")).(pdf.Array); ok {
			for k, a := range annots {
				if r, ok := a.(pdf.Ref); ok {
					if _, seen := annotOrder[r]; !seen {
						annotOrder[r] = k
						pageOf[r] = i + 1 // the page listing the widget
					}
				}
			}
		}
	}
	var out []MeasuredSignature
	for _, f := range fields {
		if f.Type != "Sig" || len(f.Kids) > 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(out) >= 1000 {
			break
		}
		ms := MeasuredSignature{Field: f.Name, Kind: CertUnknown, Role: "invisible"}
		if v, ok := msResolve(d, f.Dict.Get("V")).(pdf.Dict); ok {
			ms.Signed = true
			if m, ok := pdf.Text(msResolve(d, v.Get("M"))); ok {
				ms.Time, _ = msPDFDate(m)
			}
			if c, ok := pdf.Bytes(msResolve(d, v.Get("Contents"))); ok {
				msCMS(c, &ms)
			}
		}
		for _, wr := range f.Widgets {
			w, ok := msResolve(d, wr).(pdf.Dict)
			if !ok {
				continue
			}
			ms.Page = pageOf[wr]
			if p, ok := w.Get("P").(pdf.Ref); ok && ms.Page == 0 {
				ms.Page = pageOf[p]
			}
			ms.Order = annotOrder[wr]
			rect := msRect(d, w.Get("Rect"))
			u, ok := upright[ms.Page]
			if !ok {
				u = [6]float64{1, 0, 0, 1, 0, 0}
			}
			ms.Rect = msBoxTimes(rect, u)
			flags, _ := msResolve(d, w.Get("F")).(pdf.Integer)
			hidden := flags&(1|2|32) != 0 // invisible, hidden, no view
			if hidden || ms.Rect[2]-ms.Rect[0] < 1 || ms.Rect[3]-ms.Rect[1] < 1 {
				break
			}
			ap, _ := msResolve(d, w.Get("AP")).(pdf.Dict)
			n, ok := msStream(d, ap.Get("N"))
			if !ok {
				if sub, ok := msResolve(d, ap.Get("N")).(pdf.Dict); ok {
					as, _ := msResolve(d, w.Get("AS")).(pdf.Name)
					n, ok = msStream(d, sub.Get(as))
					if !ok {
						break
					}
				} else {
					break
				}
			}
			ms.Visible = true
			msAppearance(d, n, &ms, msMul(msAppearanceMatrix(d, n, rect), u), o)
			break // the first widget shows the signature
		}
		ms.Role = msRole(&ms)
		out = append(out, ms)
	}
	return out, nil
}

func msRect(d *pdf.Document, o pdf.Object) [4]float64 {
	var r [4]float64
	a, ok := msResolve(d, o).(pdf.Array)
	if !ok || len(a) != 4 {
		return r
	}
	for i := range a {
		v, ok := pdf.Number(msResolve(d, a[i]))
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			return [4]float64{}
		}
		r[i] = v
	}
	if r[0] > r[2] {
		r[0], r[2] = r[2], r[0]
	}
	if r[1] > r[3] {
		r[1], r[3] = r[3], r[1]
	}
	return r
}

// msAppearanceMatrix maps an appearance form onto the widget rectangle (ISO 32000-1
// §12.5.5): the form's BBox transformed by its Matrix is fitted to Rect. The result
// is applied after the form's Matrix.
func msAppearanceMatrix(d *pdf.Document, form *pdf.Stream, rect [4]float64) [6]float64 {
	bb := msRect(d, form.Dict.Get("BBox"))
	m := pdf.FormMatrix(d, form)
	xs := []float64{}
	ys := []float64{}
	for _, p := range [4][2]float64{{bb[0], bb[1]}, {bb[2], bb[1]}, {bb[0], bb[3]}, {bb[2], bb[3]}} {
		xs = append(xs, p[0]*m[0]+p[1]*m[2]+m[4])
		ys = append(ys, p[0]*m[1]+p[1]*m[3]+m[5])
	}
	minX, maxX := math.Min(math.Min(xs[0], xs[1]), math.Min(xs[2], xs[3])), math.Max(math.Max(xs[0], xs[1]), math.Max(xs[2], xs[3]))
	minY, maxY := math.Min(math.Min(ys[0], ys[1]), math.Min(ys[2], ys[3])), math.Max(math.Max(ys[0], ys[1]), math.Max(ys[2], ys[3]))
	sx, sy := 1.0, 1.0
	if maxX-minX > 0 {
		sx = (rect[2] - rect[0]) / (maxX - minX)
	}
	if maxY-minY > 0 {
		sy = (rect[3] - rect[1]) / (maxY - minY)
	}
	return [6]float64{sx, 0, 0, sy, rect[0] - minX*sx, rect[1] - minY*sy}
}

// msAppearance reads the text and images a widget's appearance draws, with ctm
// mapping the form onto the page's upright space.
func msAppearance(d *pdf.Document, n *pdf.Stream, ms *MeasuredSignature, ctm [6]float64, o *CheckOptions) {
	objs, err := d.FormObjects(n, ctm)
	if err != nil {
		return
	}
	var visible []pdf.TextSpan
	for _, s := range objs.Text {
		if strings.TrimSpace(s.Text) == "" {
			continue
		}
		b := s.BBox
		outside := b[2] < ms.Rect[0]-1 || b[0] > ms.Rect[2]+1 || b[3] < ms.Rect[1]-1 || b[1] > ms.Rect[3]+1
		if s.Invisible || outside {
			ms.HiddenText++
			continue
		}
		visible = append(visible, s)
	}
	ms.Lines, _ = msLines(visible)
	var texts []string
	for _, l := range ms.Lines {
		texts = append(texts, l.Text)
	}
	ms.Text = strings.Join(texts, "\n")
	for _, im := range objs.Images {
		if len(ms.Images) >= 16 {
			break
		}
		mi := msImage(im)
		mi.Ink = msInk(msDecodeImage(d, im, o.MaxImagePixels), im.CTM)
		ms.Images = append(ms.Images, mi)
	}
}

// msCMS reads the signer's certificate kind and the times in a /Contents CMS.
func msCMS(der []byte, ms *MeasuredSignature) {
	sd, err := cms.Parse(der)
	if err != nil || len(sd.Signers) == 0 {
		return
	}
	si := sd.Signers[0]
	if cert, err := sd.SignerCertificate(si); err == nil {
		ms.Kind = msCertKind(cert)
		ms.Subject = cert.Subject.String()
		ms.CommonName = cert.Subject.CommonName
	}
	if a, ok := si.Attribute(cms.OIDAttributeSigningTime); ok && len(a.Values) > 0 {
		var t time.Time
		if _, err := asn1.Unmarshal(a.Values[0], &t); err == nil {
			ms.CMSTimes = append(ms.CMSTimes, t)
		}
	}
	if tok, ok := si.SignatureTimeStampToken(); ok {
		if t, ok := msTSTGenTime(tok); ok {
			ms.CMSTimes = append(ms.CMSTimes, t)
		}
	}
}

// msTSTGenTime reads the genTime of an RFC 3161 time-stamp token.
func msTSTGenTime(tok []byte) (time.Time, bool) {
	t, err := cms.ParseTimeStampToken(tok)
	if err != nil {
		return time.Time{}, false
	}
	return t.Info.GenTime, true
}

// msCertKind classifies a signing certificate with the module's one certificate-kind
// rule (internal/identity, which signature, certstatus, policy, forms and the root
// package use too).
func msCertKind(cert *x509.Certificate) SignerCertKind {
	if cert == nil {
		return CertUnknown
	}
	return SignerCertKind(identity.Parse(cert).Kind.String())
}

// msRole says what a visible signature's appearance shows.
func msRole(ms *MeasuredSignature) string {
	if !ms.Visible {
		return "invisible"
	}
	t := norm.NFC.String(ms.Text)
	lower := strings.ToLower(t)
	switch {
	case msCopyRE.MatchString(t):
		return "copy"
	case strings.HasPrefix(lower, "số:") || strings.HasPrefix(lower, "số "):
		return "attachment"
	}
	for _, im := range ms.Images {
		if im.Ink == nil {
			continue
		}
		switch im.Ink.Colour {
		case "red":
			return "seal"
		case "blue":
			return "signer"
		}
	}
	if len(ms.Images) > 0 {
		// An image of another colour: its kind decides.
		switch ms.Kind {
		case CertOrganisation:
			return "seal"
		case CertIndividual:
			return "signer"
		}
		return "image"
	}
	if t != "" && ms.Kind == CertOrganisation {
		// An organisation's text that is not a stamp line: a seal drawn as red text
		// (and shapes) rather than as the seal's image, or a malformed stamp.
		red := 0
		for _, l := range ms.Lines {
			if l.Color[0] > 0.5 && l.Color[0] > l.Color[1]+0.3 && l.Color[0] > l.Color[2]+0.3 {
				red++
			}
		}
		if red*2 > len(ms.Lines) {
			return "seal"
		}
		return "attachment"
	}
	return "text"
}

var msCopyRE = regexp.MustCompile(`^(SAO Y|SAO LỤC|TRÍCH SAO)\s*;`)

// msPDFDate parses a PDF date string "D:YYYYMMDDHHmmSSOHH'mm'".
func msPDFDate(s string) (time.Time, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	if len(s) < 4 {
		return time.Time{}, false
	}
	field := func(i, n, def int) int {
		if len(s) < i+n {
			return def
		}
		v, err := strconv.Atoi(s[i : i+n])
		if err != nil {
			return def
		}
		return v
	}
	year := field(0, 4, 0)
	mon, day := field(4, 2, 1), field(6, 2, 1)
	hh, mi, ss := field(8, 2, 0), field(10, 2, 0), field(12, 2, 0)
	loc := time.UTC
	if len(s) > 14 {
		switch s[14] {
		case '+', '-':
			oh, om := field(15, 2, 0), 0
			if len(s) >= 20 {
				om = field(18, 2, 0)
			}
			off := oh*3600 + om*60
			if s[14] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	if mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 23 || mi > 59 || ss > 60 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(mon), day, hh, mi, ss, 0, loc), true
}

// msMul returns m × n (apply m, then n).
func msMul(m, n [6]float64) [6]float64 {
	return [6]float64{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// msBoxTimes returns the bounding box of box transformed by m.
func msBoxTimes(box [4]float64, m [6]float64) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range [4][2]float64{{box[0], box[1]}, {box[2], box[1]}, {box[0], box[3]}, {box[2], box[3]}} {
		x := p[0]*m[0] + p[1]*m[2] + m[4]
		y := p[0]*m[1] + p[1]*m[3] + m[5]
		b[0], b[1] = math.Min(b[0], x), math.Min(b[1], y)
		b[2], b[3] = math.Max(b[2], x), math.Max(b[3], y)
	}
	return b
}
