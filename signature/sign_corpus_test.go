package signature_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signCorpusPasswords are tried, in order, on encrypted corpus files (pyHanko's test
// files use these).
var signCorpusPasswords = []string{"", "usersecret", "ownersecret", "secret"}

// TestSignCorpus signs every PDF of $KYSO_CORPUS/pyhanko (opt-in) and checks each
// output like the generated kinds; a file that cannot be signed must be refused with a
// typed error. It prints a tally.
func TestSignCorpus(t *testing.T) {
	root := signCorpusRoot()
	if root == "" {
		t.Skip("KYSO_CORPUS not set")
	}
	files, err := filepath.Glob(filepath.Join(root, "pyhanko", "*.pdf"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	keys := signTestPKI(t)
	rootPEM := writeRootPEM(t, keys.root)
	s := keys.byName["rsa"]
	signed, refused := 0, map[string][]string{}
	for _, path := range files {
		name := filepath.Base(path)
		short := strings.TrimPrefix(name, "internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__")
		t.Run(short, func(t *testing.T) {
			in, err := os.ReadFile(path)
			require.NoError(t, err)
			var out bytes.Buffer
			var pw string
			for _, pw = range signCorpusPasswords {
				out.Reset()
				_, err = signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s.key, s.chain,
					&signature.SignOptions{Password: []byte(pw), PSS: true, Reason: "kyso corpus"})
				if !errors.Is(err, pdf.ErrWrongPassword) {
					break
				}
			}
			if err != nil {
				var se *signature.SignError
				require.ErrorAs(t, err, &se, "refusals must be typed: %v", err)
				assert.Zero(t, out.Len(), "a refusal must come before any output")
				reason := signCorpusReason(err)
				refused[reason] = append(refused[reason], short)
				t.Logf("refused: %v", err)
				return
			}
			signed++
			before := pdfsigValidCount(t, in, pw)
			signTestCheck{in: in, out: out.Bytes(), password: pw, signatures: before + 1, rootPEM: rootPEM, qpdfLenient: !qpdfChecks(t, in, pw), pss: true}.run(t)
		})
	}
	var reasons []string
	total := 0
	for r, names := range refused {
		total += len(names)
		reasons = append(reasons, fmt.Sprintf("%s ×%d", r, len(names)))
	}
	sort.Strings(reasons)
	t.Logf("corpus: %d signed, %d refused: %s", signed, total, strings.Join(reasons, "; "))
	fmt.Printf("signature corpus: %d signed, %d refused: %s\n", signed, total, strings.Join(reasons, "; "))
}

// signCorpusReason names the sentinel (and the PDF-layer cause) of a refusal.
func signCorpusReason(err error) string {
	for _, s := range []error{signature.ErrCertifiedNoChanges, signature.ErrCertifyNotFirst, signature.ErrFieldSigned, signature.ErrAlgorithm} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	for _, s := range []error{pdf.ErrUnsupportedEncryption, pdf.ErrWrongPassword, pdf.ErrLimit, pdf.ErrNotPDF, pdf.ErrMalformed} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	var se *signature.SignError
	if errors.As(err, &se) {
		return se.Err.Error()
	}
	return err.Error()
}

// pdfsigValidCount returns how many signatures of a document pdfsig finds valid.
func pdfsigValidCount(t *testing.T, doc []byte, pw string) int {
	t.Helper()
	path := filepath.Join(t.TempDir(), "before.pdf")
	require.NoError(t, os.WriteFile(path, doc, 0o600))
	args := []string{"-nocert", "-no-ocsp"}
	if pw != "" {
		args = append(args, "-upw", pw)
	}
	out, _ := exec.Command(signTestTool(t, "pdfsig"), append(args, path)...).CombinedOutput()
	return strings.Count(string(out), "Signature is Valid.")
}

// qpdfChecks reports whether qpdf --check accepts a document (some corpus files are
// deliberately broken: then only the signed output's own update is held to it).
func qpdfChecks(t *testing.T, doc []byte, pw string) bool {
	t.Helper()
	path := filepath.Join(t.TempDir(), "before.pdf")
	require.NoError(t, os.WriteFile(path, doc, 0o600))
	args := []string{"--check"}
	if pw != "" {
		args = append(args, "--password="+pw)
	}
	return exec.Command(signTestTool(t, "qpdf"), append(args, path)...).Run() == nil
}

// signCorpusRoot resolves $KYSO_CORPUS: CI passes a path relative to the repository root
// ("../shared/corpus") while go test runs in the package directory, so a relative path
// that does not exist here is taken from the module root (where go.mod is).
func signCorpusRoot() string {
	dir := os.Getenv("KYSO_CORPUS")
	if dir == "" || filepath.IsAbs(dir) {
		return dir
	}
	if _, err := os.Stat(dir); err == nil {
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
