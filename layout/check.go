package layout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrUnreadable is wrapped by the errors of Check and Measure when the input cannot be
// read as a PDF (not a PDF, damaged beyond repair, encrypted with an unknown password,
// or over a limit). Details are in the wrapped internal error's message.
var ErrUnreadable = errors.New("layout: unreadable PDF")

// Severity says how much a broken rule matters.
type Severity int

const (
	// SeverityError is a rule of the law broken.
	SeverityError Severity = iota + 1
	// SeverityWarning is a deviation the law tolerates or that the checker cannot
	// judge with certainty (a metric clone of Times New Roman, a landscape page).
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// MarshalText encodes the severity as its String.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Citation names the provision a rule comes from.
type Citation struct {
	Instrument string `json:"instrument"` // e.g. "Nghị định 30/2020/NĐ-CP"
	Article    string `json:"article"`    // e.g. "Phụ lục I"
	Clause     string `json:"clause"`     // e.g. "mục II khoản 8 điểm a"
}

// String joins the parts: "Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II khoản 8 điểm a".
func (c Citation) String() string {
	var parts []string
	for _, p := range []string{c.Instrument, c.Article, c.Clause} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// Finding is the outcome of one rule on one document, page or signature.
type Finding struct {
	// Rule is a stable identifier such as "seal.colour" or "page.margins".
	Rule     string   `json:"rule"`
	Citation Citation `json:"citation"`
	// Severity is how much a failure of this rule matters.
	Severity Severity `json:"severity"`
	// Passed reports that the rule holds. Check reports passed rules too, with what it
	// measured, so a reader sees what was checked.
	Passed bool `json:"passed"`
	// Page is the 1-based page concerned, 0 for the whole document.
	Page int `json:"page,omitempty"`
	// Field is the signature field concerned, if any.
	Field string `json:"field,omitempty"`
	// Message and MessageVI explain the outcome in English and Vietnamese.
	Message   string `json:"message"`
	MessageVI string `json:"message_vi"`
	// Measured is what was measured ("left margin 10.0 mm"); Accepted is the accepted
	// value or interval from the law ("30–35 mm").
	Measured string `json:"measured,omitempty"`
	Accepted string `json:"accepted,omitempty"`
}

// Report is the result of Check.
type Report struct {
	// Findings lists every rule evaluated, passed or not, in a stable order: document
	// and page rules first, then each visible signature's.
	Findings []Finding `json:"findings"`
	// Measurement is what the checker read off the document.
	Measurement *Measurement `json:"measurement"`
}

// Failed returns the findings whose rule does not hold.
func (r *Report) Failed() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if !f.Passed {
			out = append(out, f)
		}
	}
	return out
}

// Conforming reports that no rule of severity error is broken (warnings allowed).
func (r *Report) Conforming() bool {
	for _, f := range r.Findings {
		if !f.Passed && f.Severity == SeverityError {
			return false
		}
	}
	return true
}

// CheckOptions configures Check and Measure. The zero value (or nil) checks with the
// defaults below.
type CheckOptions struct {
	// SealDiameterMM is the real diameter of the issuing organisation's seal, when
	// known; a drawn seal must measure within 10 % of it. Zero accepts 30–45 mm, the
	// range of round seals of state bodies, with the same 10 % (the per-seal sizes of
	// Nghị định 99/2016 were not at hand: an assumption, stated in the finding).
	SealDiameterMM float64
	// Password opens an encrypted PDF (nil is the empty password).
	Password []byte
	// MaxPages bounds the pages read (default 5000): more is an ErrUnreadable error.
	MaxPages int
	// MaxObjects and MaxStreamSize bound the PDF reader (defaults: 1,000,000 objects,
	// 256 MiB per decoded stream).
	MaxObjects    int
	MaxStreamSize int64
	// MaxImagePixels bounds the pixels decoded from one signature image (default
	// 16 million); larger images are sampled.
	MaxImagePixels int
}

func (o *CheckOptions) withDefaults() CheckOptions {
	var r CheckOptions
	if o != nil {
		r = *o
	}
	if r.MaxPages <= 0 {
		r.MaxPages = 5000
	}
	if r.MaxImagePixels <= 0 {
		r.MaxImagePixels = 16 << 20
	}
	return r
}

// Check checks a received PDF against the layout rules of Nghị định 30/2020/NĐ-CP
// Phụ lục I (thể thức) and the rules for visible digital signatures: each visible
// signature's kind (from the certificate in its /Contents and from its appearance and
// place), the signer's image between the title (ô 7a) and the name (ô 7b), the seal's
// colour, real size, overlap and side, the text-only stamps of attachments and
// electronic copies (place, content, 10 pt, no image, the signing time to the second
// in +07:00), and the measurable thể thức of the pages (A4, margins, fonts, body
// size, page numbers, the ô 13 line, urgency boxes, secrecy marks, scanned copies).
//
// Check does not verify signatures cryptographically, does not validate certificates
// and does not judge who may sign (see the signature and policy packages). It reads
// the file through r without modifying it. A file it cannot read is an ErrUnreadable
// error; a readable file always yields a Report, whatever its content.
func Check(ctx context.Context, r io.ReaderAt, size int64, opts *CheckOptions) (*Report, error) {
	o := opts.withDefaults()
	m, err := msMeasureDoc(ctx, r, size, &o)
	if err != nil {
		return nil, err
	}
	rep := &Report{Measurement: m}
	c := &checker{opts: &o, m: m, rep: rep}
	c.checkPages()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.checkSignatures()
	return rep, nil
}

// checker accumulates findings.
type checker struct {
	opts *CheckOptions
	m    *Measurement
	rep  *Report
}

// add records a finding for rule, filled from the rule catalogue.
func (c *checker) add(rule string, passed bool, page int, field, measured, accepted, en, vi string) {
	def := checkRules[rule]
	c.rep.Findings = append(c.rep.Findings, Finding{
		Rule: rule, Citation: def.cite, Severity: def.severity, Passed: passed,
		Page: page, Field: field, Measured: measured, Accepted: accepted,
		Message: en, MessageVI: vi,
	})
}

// warn records a finding whose severity is lowered to a warning.
func (c *checker) warn(rule string, page int, field, measured, accepted, en, vi string) {
	c.add(rule, false, page, field, measured, accepted, en, vi)
	c.rep.Findings[len(c.rep.Findings)-1].Severity = SeverityWarning
}
