package signature_test

import (
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

// TestVerifyCorpus verifies every PDF of the pyHanko corpus ($KYSO_CORPUS/pyhanko) and
// prints a table of verdicts. No file may panic; the coverage anomalies and "sneaky"
// form updates must never pass; the form-update files get the modification classes of
// corpusFirstModification.
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
	fmt.Fprintf(&table, "%-70s %-4s %s\n", "file", "sigs", "verdicts (field: indication/sub-indication level modification)")
	counts := map[string]int{}
	for _, path := range files {
		name := strings.TrimPrefix(filepath.Base(path), "internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__")
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		opts := &signature.VerifyOptions{Roots: selfSignedRoots(path), Offline: true, AllowMissingRevocation: true}
		rep, err := signature.Verify(context.Background(), f, st.Size(), opts)
		f.Close()
		switch {
		case errors.Is(err, signature.ErrNoSignatures):
			counts["unsigned"]++
			continue
		case errors.Is(err, signature.ErrNotPDF):
			counts["unreadable"]++
			fmt.Fprintf(&table, "%-70s %-4s unreadable: %v\n", name, "-", err)
			continue
		case err != nil:
			t.Errorf("%s: untyped error %v", name, err)
			continue
		}
		var vs []string
		for _, s := range rep.Signatures {
			vs = append(vs, fmt.Sprintf("%s: %s/%s %s %s", s.Field, s.Indication, s.SubIndication, s.Level, s.Modification))
			counts[string(s.Indication)]++
			if strings.Contains(name, "coverage-anomalies") && !strings.Contains(name, "base") {
				assert.NotEqual(t, signature.TotalPassed, s.Indication, "%s: coverage anomaly passed", name)
			}
			if strings.Contains(name, "sneaky") {
				assert.NotEqual(t, signature.TotalPassed, s.Indication, "%s: sneaky update passed", name)
			}
		}
		fmt.Fprintf(&table, "%-70s %-4d %s\n", name, len(rep.Signatures), strings.Join(vs, "; "))
		if want, ok := corpusFirstModification[name]; ok {
			assert.Equal(t, want, rep.Signatures[0].Modification, "%s: changes %+v", name, rep.Signatures[0].Changes)
		}

		// The corpus certificates have expired since; verified at the first claimed
		// signing time, the verdicts show integrity and modifications alone. Signatures
		// that the analysis finds changed in a disallowed way must still not pass.
		if first := rep.Signatures[0].ClaimedTime; first != nil {
			f, _ := os.Open(path)
			opts.Time = first.Add(time.Hour)
			then, err := signature.Verify(context.Background(), f, st.Size(), opts)
			f.Close()
			if err != nil {
				t.Errorf("%s: second verification: %v", name, err)
				continue
			}
			var ws []string
			for _, s := range then.Signatures {
				ws = append(ws, fmt.Sprintf("%s: %s/%s", s.Field, s.Indication, s.SubIndication))
				if strings.Contains(name, "coverage-anomalies") || s.Modification == signature.ModOther {
					assert.NotEqual(t, signature.TotalPassed, s.Indication, "%s: passed at signing time", name)
				}
			}
			fmt.Fprintf(&table, "%-70s %-4s at signing time: %s\n", "", "", strings.Join(ws, "; "))
		}
	}
	t.Logf("pyHanko corpus verdicts:\n%s", table.String())
	t.Logf("tally: %v", counts)
	seen := 0
	for _, path := range files {
		if _, ok := corpusFirstModification[strings.TrimPrefix(filepath.Base(path), "internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__")]; ok {
			seen++
		}
	}
	assert.Equal(t, len(corpusFirstModification), seen, "form-update files missing from the corpus")
}
