package signaturetest

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/kyso-go/kyso/signature"
)

// TB is the part of testing.TB the assertions use.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Expect is what one signature (or document time-stamp) must be. Zero fields are not
// checked, except Indication, which defaults to TOTAL_PASSED.
type Expect struct {
	// Field selects the signature by its field's full name; empty means "the next one
	// in document order".
	Field         string
	Kind          signature.Kind
	Indication    signature.Indication
	SubIndication signature.SubIndication
	Level         signature.Level
	// Signer is the signer certificate's common name.
	Signer       string
	Modification signature.Modification
	// CoversWholeDocument, when non-nil, must match.
	CoversWholeDocument *bool
}

// Verify verifies doc and fails the test (Fatalf) when it cannot be verified at all:
// not a PDF, or no signature.
func Verify(t TB, doc []byte, opts *signature.VerifyOptions) *signature.Report {
	t.Helper()
	rep, err := signature.Verify(context.Background(), bytes.NewReader(doc), int64(len(doc)), opts)
	if err != nil {
		t.Fatalf("signaturetest: the document cannot be verified: %v", err)
		return rep
	}
	return rep
}

// AssertSignatures verifies doc and checks that it holds exactly len(want)
// signatures and document time-stamps matching want (in document order, or by
// Expect.Field). It reports every mismatch with Errorf and returns the report.
func AssertSignatures(t TB, doc []byte, opts *signature.VerifyOptions, want ...Expect) *signature.Report {
	t.Helper()
	rep := Verify(t, doc, opts)
	if rep == nil {
		return nil
	}
	if len(rep.Signatures) != len(want) {
		t.Errorf("signaturetest: the document holds %d signatures, want %d:\n%s", len(rep.Signatures), len(want), Summary(rep))
	}
	used := map[int]bool{}
	next := 0
	for wi, w := range want {
		idx := -1
		if w.Field != "" {
			for i, s := range rep.Signatures {
				if s.Field == w.Field && !used[i] {
					idx = i
					break
				}
			}
			if idx < 0 {
				t.Errorf("signaturetest: expectation %d: no signature in field %q:\n%s", wi+1, w.Field, Summary(rep))
				continue
			}
		} else {
			for next < len(rep.Signatures) && used[next] {
				next++
			}
			if next >= len(rep.Signatures) {
				continue
			}
			idx = next
		}
		used[idx] = true
		if d := Diff(&rep.Signatures[idx], w); d != "" {
			t.Errorf("signaturetest: signature %d (field %q): %s", idx+1, rep.Signatures[idx].Field, d)
		}
	}
	return rep
}

// AssertAllPassed verifies doc and checks that it holds at least one signature and
// every signature and document time-stamp is TOTAL_PASSED.
func AssertAllPassed(t TB, doc []byte, opts *signature.VerifyOptions) *signature.Report {
	t.Helper()
	rep := Verify(t, doc, opts)
	if rep == nil {
		return nil
	}
	for i := range rep.Signatures {
		s := &rep.Signatures[i]
		if !s.Passed() {
			t.Errorf("signaturetest: signature %d (field %q) is %s/%s, want TOTAL_PASSED; failed checks: %s",
				i+1, s.Field, s.Indication, s.SubIndication, FailedChecks(s))
		}
	}
	return rep
}

// Diff compares a signature's report with an expectation and describes every
// difference, or returns "".
func Diff(s *signature.SignatureReport, w Expect) string {
	var diffs []string
	want := w.Indication
	if want == "" {
		want = signature.TotalPassed
	}
	if s.Indication != want {
		diffs = append(diffs, fmt.Sprintf("indication is %s, want %s", s.Indication, want))
	}
	if w.SubIndication != "" && s.SubIndication != w.SubIndication {
		diffs = append(diffs, fmt.Sprintf("sub-indication is %q, want %q", s.SubIndication, w.SubIndication))
	}
	if w.Kind != "" && s.Kind != w.Kind {
		diffs = append(diffs, fmt.Sprintf("kind is %s, want %s", s.Kind, w.Kind))
	}
	if w.Level != "" && s.Level != w.Level {
		diffs = append(diffs, fmt.Sprintf("level is %q, want %q", s.Level, w.Level))
	}
	if w.Signer != "" {
		got := ""
		if s.Signer != nil {
			got = s.Signer.CommonName
		}
		if got != w.Signer {
			diffs = append(diffs, fmt.Sprintf("signer is %q, want %q", got, w.Signer))
		}
	}
	if w.Modification != "" && s.Modification != w.Modification {
		d := fmt.Sprintf("modification is %s, want %s", s.Modification, w.Modification)
		if len(s.Changes) > 0 {
			var cs []string
			for i, c := range s.Changes {
				if i == 5 {
					cs = append(cs, "…")
					break
				}
				cs = append(cs, fmt.Sprintf("revision %d, %s (%s): %s [%s]", c.Revision+1, c.Object, c.Role, c.Detail, c.Class))
			}
			d += " (changes: " + strings.Join(cs, "; ") + ")"
		}
		diffs = append(diffs, d)
	}
	if w.CoversWholeDocument != nil && s.CoversWholeDocument != *w.CoversWholeDocument {
		diffs = append(diffs, fmt.Sprintf("coversWholeDocument is %v, want %v", s.CoversWholeDocument, *w.CoversWholeDocument))
	}
	if len(diffs) == 0 {
		return ""
	}
	out := strings.Join(diffs, "; ")
	if fc := FailedChecks(s); fc != "none" {
		out += "; failed checks: " + fc
	}
	return out
}

// FailedChecks lists the checks that did not pass, with their English messages.
func FailedChecks(s *signature.SignatureReport) string {
	var out []string
	for _, c := range s.Checks {
		switch c.Result {
		case signature.CheckFailed, signature.CheckIndeterminate:
			out = append(out, fmt.Sprintf("%s: %s", c.Name, c.MessageEN))
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, " | ")
}

// Summary is a one-line-per-signature description of a report, for failure messages.
func Summary(rep *signature.Report) string {
	var b strings.Builder
	for i, s := range rep.Signatures {
		signer := ""
		if s.Signer != nil {
			signer = s.Signer.CommonName
		}
		fmt.Fprintf(&b, "  %d. %q %s %s/%s level=%q signer=%q modification=%s\n",
			i+1, s.Field, s.Kind, s.Indication, s.SubIndication, s.Level, signer, s.Modification)
	}
	return b.String()
}
