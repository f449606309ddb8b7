package policy

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Finding is a rule's conclusion about one signature already in a document.
type Finding struct {
	// Order is the signature's Order.
	Order int `json:"order"`
	Reason
}

// MarshalJSON writes order next to the reason's fields.
func (f Finding) MarshalJSON() ([]byte, error) {
	r, err := f.Reason.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return append([]byte(fmt.Sprintf(`{"order":%d,`, f.Order)), r[1:]...), nil
}

// SequenceReport is the verification-side check of a signed document's signatures.
type SequenceReport struct {
	// Profile is the id of the profile the engine applied.
	Profile string `json:"profile"`
	// Compliant is true when no finding is a violation.
	Compliant bool `json:"compliant"`
	// Findings lists violations and warnings, by signature order.
	Findings []Finding `json:"findings"`
}

// CheckSequence evaluates an already-signed document's signatures, each against the
// ones before it: an organisation seal with no prior valid signature of the person
// with authority, any signature on a classified document, a device certificate, a
// certificate not valid at its signing time, an individual signature on a copy or a
// separate attachment, a second organisation certificate outside administrative
// procedures, a marker that does not fit the title. Facts a signed PDF does not show
// (the signer's role, the venue, who held the key) are not checked. Document
// time-stamps are skipped. Malformed input is an error matching ErrInvalidRequest.
func (e *Engine) CheckSequence(ctx context.Context, doc Document, sigs []ExistingSignature) (SequenceReport, error) {
	rep := SequenceReport{Profile: e.profile.ID, Compliant: true, Findings: []Finding{}}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if err := validateDocument(doc); err != nil {
		return rep, err
	}
	if err := validateExisting("signatures", sigs); err != nil {
		return rep, err
	}
	ordered := signaturesInOrder(sigs)
	for i, s := range ordered {
		role := RoleAuthority
		if s.Certificate.Kind.isOrganisation() {
			role = RoleClerk
		}
		req := Request{Role: role, Certificate: s.Certificate, Document: doc, Markers: s.Markers, Time: s.Time}
		c := &evalCtx{req: &req, profile: e.profile, at: s.Time, verifying: true, prior: ordered[:i]}
		reasons := e.evaluate(c, true)
		if !s.Time.IsZero() {
			if r, ok := e.periodWarning(s.Time); ok {
				reasons = append(reasons, r)
			}
		}
		for _, r := range reasons {
			if r.Outcome == OutcomeSatisfied {
				continue
			}
			if r.Outcome == OutcomeViolated {
				rep.Compliant = false
			}
			rep.Findings = append(rep.Findings, Finding{Order: s.Order, Reason: r})
		}
	}
	return rep, nil
}

// Vietnamese renders the report as a short paragraph.
func (r SequenceReport) Vietnamese() string {
	var b strings.Builder
	if r.Compliant {
		b.WriteString("Trình tự chữ ký số phù hợp quy định.")
	} else {
		b.WriteString("Trình tự chữ ký số KHÔNG phù hợp quy định.")
	}
	for _, f := range r.Findings {
		tag := "Vi phạm"
		if f.Outcome == OutcomeWarning {
			tag = "Lưu ý"
		}
		fmt.Fprintf(&b, " %s, chữ ký thứ %d: %s", tag, f.Order, cited(f.MessageVI, f.Citation))
	}
	return b.String()
}

// English renders the same paragraph in English.
func (r SequenceReport) English() string {
	var b strings.Builder
	if r.Compliant {
		b.WriteString("The signature sequence complies with the rules.")
	} else {
		b.WriteString("The signature sequence does NOT comply with the rules.")
	}
	for _, f := range r.Findings {
		tag := "Violation"
		if f.Outcome == OutcomeWarning {
			tag = "Note"
		}
		fmt.Fprintf(&b, " %s, signature %d: %s", tag, f.Order, cited(f.MessageEN, f.Citation))
	}
	return b.String()
}

// SignedDocument is the input of a sequence check in JSON form: the document's facts
// and the signatures already in it.
type SignedDocument struct {
	Document   Document            `json:"document"`   // the facts about the document
	Signatures []ExistingSignature `json:"signatures"` // its signatures, each with its Order
}

// DecodeSignedDocument reads one SignedDocument from JSON, with the limits and strict
// checks of DecodeRequest; errors match ErrInvalidRequest.
func DecodeSignedDocument(r io.Reader) (SignedDocument, error) {
	var sd SignedDocument
	if err := decodeStrictJSON(r, MaxRequestSize, &sd); err != nil {
		return SignedDocument{}, err
	}
	if err := validateDocument(sd.Document); err != nil {
		return SignedDocument{}, err
	}
	if err := validateExisting("signatures", sd.Signatures); err != nil {
		return SignedDocument{}, err
	}
	return sd, nil
}
