package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeRequest: any input either decodes to a request the engine decides without
// error, or fails with an error matching ErrInvalidRequest; never a panic.
func FuzzDecodeRequest(f *testing.F) {
	seeds := []string{
		`{"role":"clerk","certificate":{"kind":"organisation","status":"good"},"document":{"kind":"administrative"},"existing":[{"certificate":{"kind":"individual","title":"Giám đốc"},"order":1,"indication":"TOTAL_PASSED"}]}`,
		`{"role":"authority","certificate":{"kind":"individual","title":"Phó Giám đốc"},"document":{"kind":"administrative","classification":"mật"},"markers":["KT."]}`,
		`{"role":"clerk","certificate":{"kind":"organisation-second"},"document":{"kind":"procedure-result"},"at_service_centre":true}`,
		`{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"copy","copy_form":"SAO Y","copy_made_by_organisation":true}}`,
		`{}`, `[]`, `null`, `{"role":"văn thư"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	e, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeRequest(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("error does not match ErrInvalidRequest: %v", err)
			}
			return
		}
		d := e.Decide(context.Background(), req)
		if d.Err != nil {
			t.Fatalf("decoded request not decidable: %v", d.Err)
		}
		if d.Allowed != (len(d.Violations()) == 0) {
			t.Fatal("Allowed disagrees with the violations")
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatal(err)
		}
		if _, err := e.CheckSequence(context.Background(), req.Document, req.Existing); err != nil {
			t.Fatalf("valid request's signatures rejected: %v", err)
		}
	})
}

// FuzzDecodeSignedDocument: any input decodes to a sequence the engine checks without
// error, or fails with an error matching ErrInvalidRequest.
func FuzzDecodeSignedDocument(f *testing.F) {
	f.Add([]byte(`{"document":{"kind":"administrative"},"signatures":[{"certificate":{"kind":"individual","title":"Giám đốc"},"order":1,"indication":"TOTAL_PASSED"},{"certificate":{"kind":"organisation"},"order":2}]}`))
	f.Add([]byte(`{"document":{"kind":"copy","classification":"mật"},"signatures":[{"kind":"doc-timestamp","order":1}]}`))
	f.Add([]byte(`{"document":{"kind":"appendix-same-file"},"signatures":[]}`))
	e, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sd, err := DecodeSignedDocument(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("error does not match ErrInvalidRequest: %v", err)
			}
			return
		}
		rep, err := e.CheckSequence(context.Background(), sd.Document, sd.Signatures)
		if err != nil {
			t.Fatalf("decoded input not checkable: %v", err)
		}
		violations := 0
		for _, f := range rep.Findings {
			if f.Outcome == OutcomeViolated {
				violations++
			}
		}
		if rep.Compliant != (violations == 0) {
			t.Fatal("Compliant disagrees with the findings")
		}
	})
}

// FuzzParseProfile: any input is a valid profile the registry accepts or an error
// matching ErrInvalidProfile.
func FuzzParseProfile(f *testing.F) {
	// Small seeds: the fuzzer minimises every new input, which is slow on the
	// multi-kilobyte built-in files (TestEmbeddedProfileFiles covers those).
	f.Add([]byte(`{"id":"x","name":"X","org_signature_roles":["clerk"]}`))
	f.Add([]byte(`{"id":"y","name":"Y","extends":"quang-ninh","reports":[{"period":"annual","due_day":20,"due_month":1,"citation":{"instrument":"QĐ 41/2022/QĐ-UBND Quảng Ninh","article":"16"}}]}`))
	f.Add([]byte(`{"id":"z","name":"Z","extends":"national","sim_pki":{"eligible":["a"],"citation":{"instrument":"Quy chế Bạc Liêu","note":"n"}}}`))
	f.Add([]byte(`{"id":"x","name":"X","extends":"national","restates":[{"rule":"VN-KEY-SOLE-CONTROL","citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`))
	f.Add([]byte(`{"id":"p","name":"P","extends":"national","period":{"from":"2020-01-01","until":"2025-06-30","unverified":true,"note":"n"},"successor":{"id":"q","name":"Q","from":"2025-07-01"},"restates":[{"rule":"VN-AUTHORITY-WITHIN-TITLE","binding":true,"citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}],"reports":[{"period":"quarterly","due_date":{"month_offset":1,"day":5},"shift":"next-working-day","reporters":[{"name":"UBND cấp huyện","level":"district"}],"citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`))
	base := BuiltinProfiles()
	f.Fuzz(func(t *testing.T, data []byte) {
		reg := base.Clone()
		p, err := reg.Load(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalidProfile) {
				t.Fatalf("error does not match ErrInvalidProfile: %v", err)
			}
			return
		}
		if _, err := New(Options{Profile: p}); err != nil {
			t.Fatalf("registry accepted a profile the engine refuses: %v", err)
		}
		for _, period := range []string{"2026-12", "2026-06", "2026"} {
			if _, err := p.Deadlines(period, nil); err != nil && !errors.Is(err, ErrBadReportPeriod) {
				t.Fatalf("deadlines: %v", err)
			}
		}
	})
}

// FuzzParseTitle: title parsing and Vietnamese normalisation never panic, keep valid
// UTF-8 valid, and normalisation is idempotent.
func FuzzParseTitle(f *testing.F) {
	for _, s := range []string{"KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Pho\u0301 Gia\u0301m đô\u0301c", "Q.", "TM. / KT. /", "e\u0323\u0302\u0301\u0300", "\xff\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := normalizeVN(s)
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("normalisation broke UTF-8: %q → %q", s, n)
		}
		if normalizeVN(n) != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, normalizeVN(n))
		}
		title := ParseTitle(s)
		for _, m := range title.Markers {
			if !m.Valid() {
				t.Fatalf("invalid marker %q from %q", m, s)
			}
		}
		_ = positionRank(title.Position)
	})
}
