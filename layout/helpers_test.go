package layout_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// needTool skips (or, under CI, fails) a test whose external tool is missing.
func needTool(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is required under CI: %v", n, err)
			}
			t.Skipf("%s not installed: %v", n, err)
		}
	}
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	require.NoError(t, cmd.Run(), "%s %v: %s", name, args, errb.String())
	return out.String()
}

// The LibreOffice exports, converted once per test binary (soffice is slow) into a
// directory removed when the tests end.
var (
	sofficeOnce sync.Once
	sofficeDir  string
	sofficeErr  error
)

// sourceNames are the flat-ODT documents in testdata, written for these tests.
var sourceNames = []string{"decision", "appendix", "joint", "landscape"}

// exported returns the PDF LibreOffice makes of testdata/name.fodt, with tagged PDF
// on.
func exported(t testing.TB, name string) []byte {
	t.Helper()
	needTool(t, "soffice")
	sofficeOnce.Do(func() {
		sofficeDir, sofficeErr = os.MkdirTemp("", "kyso-layout-soffice-")
		if sofficeErr != nil {
			return
		}
		args := []string{"-env:UserInstallation=file://" + filepath.Join(sofficeDir, "profile"), "--headless",
			"--convert-to", `pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}`, "--outdir", sofficeDir}
		for _, n := range sourceNames {
			p, err := filepath.Abs(filepath.Join("testdata", n+".fodt"))
			if err != nil {
				sofficeErr = err
				return
			}
			args = append(args, p)
		}
		var errb bytes.Buffer
		cmd := exec.Command("soffice", args...)
		cmd.Stderr = &errb
		if err := cmd.Run(); err != nil {
			sofficeErr = err
			if s := strings.TrimSpace(errb.String()); s != "" {
				sofficeErr = &convError{err, s}
			}
		}
	})
	require.NoError(t, sofficeErr)
	data, err := os.ReadFile(filepath.Join(sofficeDir, name+".pdf"))
	require.NoError(t, err, "soffice did not convert %s.fodt", name)
	return data
}

type convError struct {
	err    error
	stderr string
}

func (e *convError) Error() string { return e.err.Error() + ": " + e.stderr }

func TestMain(m *testing.M) {
	code := m.Run()
	if sofficeDir != "" {
		os.RemoveAll(sofficeDir)
	}
	os.Exit(code)
}
