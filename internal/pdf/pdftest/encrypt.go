package pdftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Encryption methods for Encrypted.
const (
	RC4128 = "rc4-128" // standard handler R3, RC4 128-bit
	AES128 = "aes-128" // standard handler R4, AESV2
	AES256 = "aes-256" // standard handler R6, AESV3
)

// OwnerPassword is the owner password Encrypted sets.
const OwnerPassword = "kyso-owner"

// Encrypted encrypts the PDF file in with qpdf using method (RC4128, AES128 or AES256)
// and the given user password (may be empty) and OwnerPassword, and returns the result.
// When qpdf is missing it fails the test if the environment variable CI is set, and
// skips it otherwise.
func Encrypted(t testing.TB, in []byte, method, userPassword string) []byte {
	t.Helper()
	args := []string{"--encrypt", userPassword, OwnerPassword}
	switch method {
	case RC4128:
		args = append([]string{"--allow-weak-crypto"}, append(args, "128", "--use-aes=n")...)
	case AES128:
		args = append(args, "128", "--use-aes=y")
	case AES256:
		args = append(args, "256")
	default:
		t.Fatalf("pdftest: unknown encryption method %q", method)
	}
	return QPDF(t, in, append(args, "--")...)
}

// Linearized returns in rewritten by qpdf as a linearized ("fast web view") file: its
// first-page cross-reference section comes first and its /Prev points at the main one
// at the end, two sections that form one revision.
func Linearized(t testing.TB, in []byte) []byte {
	t.Helper()
	return QPDF(t, in, "--linearize")
}

// QPDF runs qpdf with args (and --static-id, so the output is deterministic except for
// AES IVs) on the PDF file in and returns the file it writes. Exit status 3 (warnings)
// is accepted. When qpdf is missing it fails the test if the environment variable CI is
// set, and skips it otherwise.
func QPDF(t testing.TB, in []byte, args ...string) []byte {
	t.Helper()
	qpdf, err := exec.LookPath("qpdf")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("pdftest: qpdf is required under CI: %v", err)
		}
		t.Skipf("pdftest: qpdf not installed: %v", err)
	}
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(src, in, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append(append([]string{"--static-id"}, args...), src, dst)
	if out, err := exec.Command(qpdf, args...).CombinedOutput(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
			t.Fatalf("pdftest: qpdf %v: %v\n%s", args, err, out)
		}
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
