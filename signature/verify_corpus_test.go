package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/signature"
)

// selfSignedRoots trusts the self-signed certificates carried in the document's own
// signatures, so that the corpus verdicts show integrity and modification problems
// rather than only "no chain". Only for this test: never trust a document's own roots.
func selfSignedRoots(path string) *x509.CertPool {
	pool := x509.NewCertPool()
	f, err := os.Open(path)
	if err != nil {
		return pool
	}
	defer f.Close()
	st, _ := f.Stat()
	d, err := pdf.Open(f, st.Size(), nil)
	if err != nil {
		return pool
	}
	fields, err := d.Fields()
	if err != nil {
		return pool
	}
	for _, fl := range fields {
		v, _ := d.Resolve(fl.Dict.Get("V"))
		sd, ok := v.(pdf.Dict)
		if !ok {
			continue
		}
		c, _ := pdf.Bytes(sd.Get("Contents"))
		parsed, err := cms.Parse(c)
		if err != nil {
			continue
		}
		for _, cert := range parsed.Certificates {
			if cert.IsCA {
				pool.AddCert(cert)
			}
		}
	}
	return pool
}

// corpusDir resolves a relative KYSO_CORPUS (CI sets "../shared/corpus", relative to
// the repository root) against the module root, since tests run in their package's
// directory.
func corpusDir(dir string) string {
	if filepath.IsAbs(dir) {
		return dir
	}
	if _, err := os.Stat(filepath.Join(dir, "pyhanko")); err == nil {
		return dir
	}
	wd, err := os.Getwd()
	if err != nil {
		return dir
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, dir)
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// corpusFirstModification is the modification class the first signature of these
// pyHanko files must get. The corpus certificates expired before most files were
// signed, so a verdict alone would be INDETERMINATE whatever the analysis found; the
// class is what shows the analysis works. pyHanko's own expectations
// (test_diff_analysis.py) are in the comments: kyso's classes follow issue 5's
// taxonomy, in which a new signature filling a field (with its appearance) is
// lta-updates where pyHanko says FORM_FILLING.
var corpusFirstModification = map[string]signature.Modification{
	// An appearance stream shared with another object (/FooBar) overwritten in place:
	// pyHanko OTHER, kyso other.
	"form-update-override-appearance-stream-sneaky.pdf":             signature.ModOther,
	"form-update-override-appearance-stream-ap-indirect-sneaky.pdf": signature.ModOther,
	// The same with an appearance stream used only by the field: pyHanko FORM_FILLING.
	"form-update-override-appearance-stream.pdf":             signature.ModFormFilling,
	"form-update-override-appearance-stream-ap-indirect.pdf": signature.ModFormFilling,
	// The field's /AP reference replaced by a new appearance: pyHanko FORM_FILLING.
	"form-update-no-override-appearance-stream-ap-indirect.pdf": signature.ModLTAUpdates,
	"form-update-original-ap-type-wrong.pdf":                    signature.ModLTAUpdates,
	// pyHanko says OTHER for these two; kyso does not: the shared /AP dictionary that
	// /FooBar (in the catalog, or the trailer) points at is not changed, only the
	// signed field's reference to it is replaced, so nothing a viewer shows differs
	// from an ordinary signing of the field.
	"form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf": signature.ModLTAUpdates,
	"form-update-ap-indirect-sneaky-trailer.pdf":                       signature.ModLTAUpdates,
}

// corpusVerdict is the bottom line for one corpus file, in terms both tools share.
type corpusVerdict string

const (
	cvValid     corpusVerdict = "valid"             // intact, changes allowed (trust and time aside)
	cvInvalid   corpusVerdict = "invalid"           // integrity, coverage, structure or a disallowed change
	cvAlgorithm corpusVerdict = "algorithm-refused" // an algorithm outside the accepted list
	cvUnread    corpusVerdict = "unreadable"        // the file cannot be opened (encryption kyso does not read…)
	cvUnsigned  corpusVerdict = "unsigned"
)

// pyHankoExplicit are pyHanko's expectations for the files its test suite asserts one
// by one (test names from pyhanko's tests/test_signing.py, test_diff_analysis.py and
// test_crypto_algorithms.py).
var pyHankoExplicit = map[string]struct {
	want   corpusVerdict
	source string
}{
	"pdf-sig-with-econtent.pdf":             {cvInvalid, "test_sign_reject_econtent_if_detached: SignatureValidationError (detached SubFilter, encapsulated content)"},
	"ed448-disallowed-hash.pdf":             {cvAlgorithm, "test_ed448_invalid_hash_algo_validation: DisallowedAlgorithmError"},
	"extensions-indirect-not-all-paths.pdf": {cvInvalid, "test_diff_analysis_update_indirect_extensions_not_all_paths: SuspiciousModification (/DontOverrideMe shares the updated /Extensions object)"},
	"ed448-shake256-nolen.pdf":              {cvValid, "test_ed448_no_length: validates (Ed448 with id-shake256 without parameters)"},
	"coverage-anomalies__base.pdf":          {cvInvalid, "the template the coverage anomalies are made from: its /Contents is empty, there is no signature value"},
}

// pyHankoExpected derives pyHanko's bottom line for a corpus file: the explicit table
// first, then its test suite's conventions by file name — coverage anomalies fail
// (test_anomalous_coverage: bottom_line is False), "sneaky" form updates are OTHER
// (test_disallow_appearance_stream_override_if_clobbers), the other form updates are
// FORM_FILLING (test_appearance_update_edge_cases), and every other signed test file
// is a valid example its tests validate (val_untrusted/val_trusted). A file is signed
// when its bytes hold a /ByteRange (dictionary keys are never encrypted).
func pyHankoExpected(name string, raw []byte) (corpusVerdict, string) {
	if e, ok := pyHankoExplicit[name]; ok {
		return e.want, e.source
	}
	switch {
	case !bytes.Contains(raw, []byte("/ByteRange")):
		return cvUnsigned, "no /ByteRange in the file"
	case strings.HasPrefix(name, "coverage-anomalies__"):
		return cvInvalid, "test_anomalous_coverage: NONSTANDARD_COVERAGE, bottom_line False"
	case strings.Contains(name, "sneaky"):
		return cvInvalid, "test_disallow_appearance_stream_override_if_clobbers: ModificationLevel.OTHER"
	case strings.HasPrefix(name, "form-update-"):
		return cvValid, "test_appearance_update_edge_cases: ModificationLevel.FORM_FILLING"
	}
	return cvValid, "a signed example validated by pyHanko's tests"
}

// corpusKnownDisagreements are the files where kyso's bottom line differs from
// pyHanko's, with the reason (signature/COMPATIBILITY.md discusses each). A
// disagreement not listed here fails TestVerifyCorpus.
var corpusKnownDisagreements = map[string]string{
	"ed448-shake256-nolen.pdf": "Ed448 is outside the algorithms Thông tư 15/2025 and Thông tư 39/2017 accept (RSA, ECDSA; SHA-2/SHA-3): INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE",
	"form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf": "the shared /AP dictionary /FooBar points at is not changed, only the signed field's reference to it is replaced: nothing a viewer shows differs from an ordinary signing",
	"form-update-ap-indirect-sneaky-trailer.pdf":                       "as above, with /FooBar in the trailer",
	"signed-encrypted-pubkey-with-catalog-ref.pdf":                     "public-key (Adobe.PubSec) encryption: kyso reads only the standard password security handler",
}

// kysoCorpusVerdict sums up kyso's report the same way: any TOTAL_FAILED is invalid; an
// INDETERMINATE for an algorithm is algorithm-refused; the rest (trust, time,
// revocation: the corpus certificates have expired and are not trusted) is valid.
func kysoCorpusVerdict(rep *signature.Report) corpusVerdict {
	v := cvValid
	for _, s := range rep.Signatures {
		switch {
		case s.Indication == signature.TotalFailed:
			return cvInvalid
		case s.SubIndication == signature.CryptoConstraintsFailure:
			v = cvAlgorithm
		}
	}
	return v
}

// TestVerifyCorpus verifies every PDF of the pyHanko corpus ($KYSO_CORPUS/pyhanko) and
// prints, for each, kyso's verdict next to pyHanko's expected one (pyHankoExpected);
// a disagreement not in corpusKnownDisagreements fails. No file may panic; the
// coverage anomalies and "sneaky" form updates must never pass; the form-update files
// get the modification classes of corpusFirstModification.
func TestVerifyCorpus(t *testing.T) {
	dir := os.Getenv("KYSO_CORPUS")
	if dir == "" {
		t.Skip("KYSO_CORPUS not set")
	}
	dir = corpusDir(dir)
	files, err := filepath.Glob(filepath.Join(dir, "pyhanko", "*.pdf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no PDFs in %s/pyhanko", dir)
	}
	sort.Strings(files)
	var table strings.Builder
	fmt.Fprintf(&table, "%-66s %-17s %-17s %s\n", "file", "pyHanko expects", "kyso", "kyso's verdicts (field: indication/sub-indication level modification)")
	counts := map[string]int{}
	agree, disagree := 0, 0
	for _, path := range files {
		name := strings.TrimPrefix(filepath.Base(path), "internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__")
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, why := pyHankoExpected(name, raw)
		opts := &signature.VerifyOptions{Roots: selfSignedRoots(path), Offline: true, AllowMissingRevocation: true}
		var rep *signature.Report
		for _, pw := range signCorpusPasswords {
			opts.Password = []byte(pw)
			rep, err = signature.Verify(context.Background(), bytes.NewReader(raw), int64(len(raw)), opts)
			if !errors.Is(err, pdf.ErrWrongPassword) {
				break
			}
		}
		got := cvValid
		var vs []string
		switch {
		case errors.Is(err, signature.ErrNoSignatures):
			got = cvUnsigned
		case errors.Is(err, signature.ErrNotPDF):
			got = cvUnread
			vs = append(vs, err.Error())
		case err != nil:
			t.Errorf("%s: untyped error %v", name, err)
			continue
		}
		if rep != nil && err == nil {
			// The corpus certificates have expired since; verified at the first claimed
			// signing time, the verdicts show integrity and modifications alone.
			final := rep
			if first := rep.Signatures[0].ClaimedTime; first != nil {
				at := *opts
				at.Time = first.Add(time.Hour)
				then, err := signature.Verify(context.Background(), bytes.NewReader(raw), int64(len(raw)), &at)
				if err != nil {
					t.Errorf("%s: verification at signing time: %v", name, err)
					continue
				}
				final = then
			}
			got = kysoCorpusVerdict(final)
			for _, s := range final.Signatures {
				vs = append(vs, fmt.Sprintf("%s: %s/%s %s %s", s.Field, s.Indication, s.SubIndication, s.Level, s.Modification))
				counts[string(s.Indication)]++
				if strings.Contains(name, "coverage-anomalies") || strings.Contains(name, "sneaky") && s.Modification == signature.ModOther {
					assert.NotEqual(t, signature.TotalPassed, s.Indication, "%s: passed", name)
				}
				if s.Modification == signature.ModOther {
					assert.NotEqual(t, signature.TotalPassed, s.Indication, "%s: passed with disallowed changes", name)
				}
			}
			if want, ok := corpusFirstModification[name]; ok {
				assert.Equal(t, want, rep.Signatures[0].Modification, "%s: changes %+v", name, rep.Signatures[0].Changes)
			}
		}
		counts[string(got)+" files"]++
		mark := " "
		// A file without signatures that kyso cannot open (an encryption it does not
		// read, a malformed /Encrypt) leaves no signature verdict to disagree on.
		if got != want && !(want == cvUnsigned && got == cvUnread) {
			mark = "≠"
			disagree++
			if reason, known := corpusKnownDisagreements[name]; known {
				t.Logf("%s: known disagreement (pyHanko %s, kyso %s): %s", name, want, got, reason)
			} else {
				t.Errorf("%s: NEW disagreement: pyHanko expects %s (%s), kyso says %s: %s", name, want, why, got, strings.Join(vs, "; "))
			}
		} else {
			agree++
			if _, known := corpusKnownDisagreements[name]; known {
				t.Logf("%s: listed as a known disagreement but kyso now agrees with pyHanko (%s): remove it from the table", name, got)
			}
		}
		fmt.Fprintf(&table, "%s%-65s %-17s %-17s %s\n", mark, name, want, got, strings.Join(vs, "; "))
	}
	t.Logf("pyHanko corpus, kyso next to pyHanko:\n%s", table.String())
	t.Logf("tally: %v; %d agree, %d disagree (%d known)", counts, agree, disagree, len(corpusKnownDisagreements))
	seen := 0
	for _, path := range files {
		if _, ok := corpusFirstModification[strings.TrimPrefix(filepath.Base(path), "internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__")]; ok {
			seen++
		}
	}
	assert.Equal(t, len(corpusFirstModification), seen, "form-update files missing from the corpus")
}
