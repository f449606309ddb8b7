package pdf_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf"
)

// typedErr reports whether err wraps one of the package's sentinels.
func typedErr(err error) bool {
	for _, s := range []error{pdf.ErrNotPDF, pdf.ErrMalformed, pdf.ErrLimit, pdf.ErrUnsupportedEncryption,
		pdf.ErrWrongPassword, pdf.ErrUnsupportedFilter} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func sentinelName(err error) string {
	for _, s := range []struct {
		e    error
		name string
	}{{pdf.ErrNotPDF, "not PDF"}, {pdf.ErrMalformed, "malformed"}, {pdf.ErrLimit, "limit"},
		{pdf.ErrUnsupportedEncryption, "unsupported encryption"}, {pdf.ErrWrongPassword, "wrong password"},
		{pdf.ErrUnsupportedFilter, "unsupported filter"}} {
		if errors.Is(err, s.e) {
			return s.name
		}
	}
	return "untyped"
}

// walkAll opens b and reads every object, page and field; it returns the first error.
func walkAll(d *pdf.Document) error {
	pages, err := d.Pages()
	if err != nil {
		return err
	}
	for i, p := range pages {
		if i >= 50 {
			break
		}
		if _, err := d.PageText(p); err != nil && !errors.Is(err, pdf.ErrUnsupportedFilter) {
			return err
		}
	}
	if _, err := d.Fields(); err != nil {
		return err
	}
	for _, rev := range d.Revisions() {
		for _, r := range rev.Objects {
			o, err := d.Get(r)
			if err != nil {
				return err
			}
			if s, ok := o.(*pdf.Stream); ok {
				if _, err := d.StreamData(s); err != nil && !errors.Is(err, pdf.ErrUnsupportedFilter) {
					return err
				}
			}
		}
	}
	return nil
}

// TestCorpusPyHanko opens every PDF in $KYSO_CORPUS/pyhanko, walks its pages, fields
// and objects, and prints a tally. Files that fail must fail with a typed error.
func TestCorpusPyHanko(t *testing.T) {
	dir := os.Getenv("KYSO_CORPUS")
	if dir == "" {
		t.Skip("KYSO_CORPUS not set")
	}
	files, err := filepath.Glob(filepath.Join(dir, "pyhanko", "*.pdf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no PDF files in %s/pyhanko: %v", dir, err)
	}
	ok, recovered := 0, 0
	reasons := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		err = func() error {
			// pyHanko's encrypted samples use these passwords.
			var d *pdf.Document
			var pw string
			for _, pw = range []string{"", "usersecret", "ownersecret", "secret"} {
				d, err = pdf.Open(bytesReader(b), int64(len(b)), &pdf.Options{Password: []byte(pw)})
				if !errors.Is(err, pdf.ErrWrongPassword) {
					break
				}
			}
			if err != nil {
				return err
			}
			if d.Recovered() {
				recovered++
			}
			if err := walkAll(d); err != nil {
				return err
			}
			checkCorpusUpdate(t, f, b, d, pw)
			return nil
		}()
		if err != nil {
			if !typedErr(err) {
				t.Errorf("%s: untyped error: %v", filepath.Base(f), err)
			}
			reasons[sentinelName(err)]++
			t.Logf("%s: %v", filepath.Base(f), err)
			continue
		}
		ok++
	}
	var rs []string
	for k, v := range reasons {
		rs = append(rs, fmt.Sprintf("%d %s", v, k))
	}
	sort.Strings(rs)
	fmt.Printf("pyhanko corpus: %d read (%d recovered), %d refused: %s\n", ok, recovered, len(files)-ok, strings.Join(rs, ", "))
}

// checkCorpusUpdate appends an update to a corpus file and checks that qpdf thinks no
// worse of the result than of the original.
func checkCorpusUpdate(t *testing.T, name string, b []byte, d *pdf.Document, pw string) {
	t.Helper()
	u := d.NewUpdate()
	r := u.Add(pdf.Dict{"Type": pdf.Name("Sig"), "Name": pdf.TextString("Nguyễn Văn Lĩnh"), "Contents": pdf.Raw("<00>")})
	cat, err := d.Catalog()
	if err != nil {
		t.Errorf("%s: catalog: %v", filepath.Base(name), err)
		return
	}
	cat = cat.Clone()
	cat["KysoTest"] = r
	u.Set(d.Trailer().Get("Root").(pdf.Ref), cat)
	sec, err := u.Bytes()
	if err != nil {
		if !typedErr(err) {
			t.Errorf("%s: untyped error from Bytes: %v", filepath.Base(name), err)
		}
		return
	}
	out := append(append([]byte(nil), b...), sec...)
	d2, err := pdf.Open(bytesReader(out), int64(len(out)), &pdf.Options{Password: []byte(pw)})
	if err != nil {
		t.Errorf("%s: reopening the update: %v", filepath.Base(name), err)
		return
	}
	if _, err := d2.Get(r); err != nil {
		t.Errorf("%s: new object: %v", filepath.Base(name), err)
	}
	qpdf, err := exec.LookPath("qpdf")
	if err != nil {
		return
	}
	run := func(data []byte) int {
		f := filepath.Join(t.TempDir(), "f.pdf")
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
		err := exec.Command(qpdf, "--check", "--password="+pw, f).Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ee.ExitCode() == 3 { // warnings only
				return 1
			}
			return 2
		}
		return 0
	}
	if before, after := run(b), run(out); after > before {
		t.Errorf("%s: qpdf --check severity %d after the update, %d before (0 ok, 1 warnings, 2 errors)", filepath.Base(name), after, before)
	}
}
