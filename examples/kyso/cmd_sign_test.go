package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

// signCmdFixture is a directory with an input PDF, a PKCS#12 file and PEM files.
type signCmdFixture struct {
	dir, in, p12, keyPEM, certPEM string
}

func newSignCmdFixture(t *testing.T, key crypto.Signer) signCmdFixture {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kyso cli test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	require.NoError(t, err)
	ca, _ := x509.ParseCertificate(caDER)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Trần Thị Bình"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	require.NoError(t, err)
	leaf, _ := x509.ParseCertificate(der)
	p12, err := pkcs12.Modern.Encode(key, leaf, []*x509.Certificate{ca}, "mật khẩu p12")
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	f := signCmdFixture{dir: dir, in: filepath.Join(dir, "in.pdf"), p12: filepath.Join(dir, "signer.p12"),
		keyPEM: filepath.Join(dir, "key.pem"), certPEM: filepath.Join(dir, "certs.pem")}
	require.NoError(t, os.WriteFile(f.in, pdftest.WithSignatureField(), 0o600))
	require.NoError(t, os.WriteFile(f.p12, p12, 0o600))
	require.NoError(t, os.WriteFile(f.keyPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	certs := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})...)
	require.NoError(t, os.WriteFile(f.certPEM, certs, 0o600))
	return f
}

func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	c := &cli{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
	code := run(context.Background(), c, args)
	return code, stdout.String(), stderr.String()
}

// pdfsigValid runs pdfsig on path and returns how many signatures it found valid.
func pdfsigValid(t *testing.T, path string) int {
	t.Helper()
	if _, err := exec.LookPath("pdfsig"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdfsig is required under CI")
		}
		t.Skip("pdfsig not installed")
	}
	out, _ := exec.Command("pdfsig", "-nocert", "-no-ocsp", path).CombinedOutput()
	return strings.Count(string(out), "Signature is Valid.")
}

func TestSignCommand(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	env := map[string]string{"P12_PASS": "mật khẩu p12"}
	for _, tc := range []struct {
		name string
		key  crypto.Signer
		args func(f signCmdFixture) []string
	}{
		{"p12 rsa-pss", rsaKey, func(f signCmdFixture) []string {
			return []string{"-p12", f.p12, "-p12-pass-env", "P12_PASS", "-pss", "-hash", "sha512",
				"-reason", "Phê duyệt", "-location", "Hà Tĩnh", "-contact", "binh@hatinh.gov.vn", "-field", pdftest.SignatureFieldName}
		}},
		{"pem ecdsa certify", ecKey, func(f signCmdFixture) []string {
			return []string{"-key", f.keyPEM, "-cert", f.certPEM, "-certify", "2", "-new-field", "Lãnh đạo",
				"-page", "2", "-rect", "300,100,500,160"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSignCmdFixture(t, tc.key)
			out := filepath.Join(f.dir, "out.pdf")
			args := append([]string{"sign", "-in", f.in, "-out", out}, tc.args(f)...)
			code, stdout, stderr := runCLI(t, env, args...)
			require.Equal(t, exitOK, code, "stderr: %s", stderr)
			assert.Contains(t, stdout, "signed "+f.in)
			in, _ := os.ReadFile(f.in)
			signed, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.True(t, bytes.HasPrefix(signed, in))
			assert.Equal(t, 1, pdfsigValid(t, out))
		})
	}
}

func TestSignCommandFailures(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newSignCmdFixture(t, key)
	out := filepath.Join(f.dir, "out.pdf")
	env := map[string]string{"P12_PASS": "mật khẩu p12", "BAD": "sai"}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no flags", []string{}, exitUsage, "-in and -out are required"},
		{"no key", []string{"-in", f.in, "-out", out}, exitUsage, "a key is required"},
		{"same in and out", []string{"-in", f.in, "-out", f.in, "-key", f.keyPEM}, exitUsage, "must differ"},
		{"sha1", []string{"-in", f.in, "-out", out, "-key", f.keyPEM, "-hash", "sha1"}, exitUsage, "-hash"},
		{"certify 7", []string{"-in", f.in, "-out", out, "-key", f.keyPEM, "-certify", "7"}, exitUsage, "-certify"},
		{"reserve a gigabyte", []string{"-in", f.in, "-out", out, "-key", f.keyPEM, "-reserve", "1073741824"}, exitUsage, "-reserve"},
		{"both key kinds", []string{"-in", f.in, "-out", out, "-key", f.keyPEM, "-p12", f.p12}, exitUsage, "not both"},
		{"bad rect", []string{"-in", f.in, "-out", out, "-key", f.keyPEM, "-page", "1", "-rect", "5,5,1,1"}, exitUsage, "-rect"},
		{"rect without page", []string{"-in", f.in, "-out", out, "-key", f.keyPEM, "-rect", "1,1,5,5"}, exitUsage, "-page"},
		{"page out of range", []string{"-in", f.in, "-out", out, "-key", f.keyPEM, "-cert", f.certPEM, "-page", "9", "-rect", "1,1,5,5"}, exitFailure, "page not found"},
		{"unknown flag", []string{"-in", f.in, "-out", out, "-bogus"}, exitUsage, "bogus"},
		{"wrong p12 password", []string{"-in", f.in, "-out", out, "-p12", f.p12, "-p12-pass-env", "BAD"}, exitFailure, "opening the key"},
		{"unset password variable", []string{"-in", f.in, "-out", out, "-p12", f.p12, "-p12-pass-env", "NOPE"}, exitFailure, "NOPE"},
		{"missing input", []string{"-in", filepath.Join(f.dir, "nope.pdf"), "-out", out, "-key", f.keyPEM, "-cert", f.certPEM}, exitFailure, "nope.pdf"},
		{"missing field", []string{"-in", f.in, "-out", out, "-key", f.keyPEM, "-cert", f.certPEM, "-field", "Không có"}, exitFailure, "use -new-field"},
		{"not a signature field", []string{"-in", f.in, "-out", out, "-key", f.keyPEM, "-cert", f.certPEM, "-field", "Ghi chú"}, exitFailure, "not a signature field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, env, append([]string{"sign"}, tt.args...)...)
			assert.Equal(t, tt.code, code, "stderr: %s", stderr)
			assert.Contains(t, stderr, tt.msg)
			_, err := os.Stat(out)
			assert.True(t, os.IsNotExist(err), "no output file after a failure")
			leftovers, _ := filepath.Glob(filepath.Join(f.dir, ".out.pdf.tmp-*"))
			assert.Empty(t, leftovers, "no temporary file left behind")
		})
	}
	t.Run("out is the input by another name", func(t *testing.T) {
		alias := filepath.Join(f.dir, "alias.pdf")
		require.NoError(t, os.Link(f.in, alias))
		before, _ := os.ReadFile(f.in)
		code, _, stderr := runCLI(t, env, "sign", "-in", f.in, "-out", alias, "-key", f.keyPEM, "-cert", f.certPEM)
		assert.Equal(t, exitUsage, code, stderr)
		after, _ := os.ReadFile(f.in)
		assert.Equal(t, before, after)
	})
	t.Run("help", func(t *testing.T) {
		code, _, stderr := runCLI(t, env, "sign", "-help")
		assert.Equal(t, exitOK, code)
		assert.Contains(t, stderr, "exit status")
		assert.Contains(t, stderr, "-p12-pass-env")
	})
	t.Run("certified P=1 refuses a second signature", func(t *testing.T) {
		first := filepath.Join(f.dir, "certified.pdf")
		code, _, stderr := runCLI(t, env, "sign", "-in", f.in, "-out", first, "-key", f.keyPEM, "-cert", f.certPEM, "-certify", "1")
		require.Equal(t, exitOK, code, stderr)
		second := filepath.Join(f.dir, "second.pdf")
		code, _, stderr = runCLI(t, env, "sign", "-in", first, "-out", second, "-key", f.keyPEM, "-cert", f.certPEM)
		assert.Equal(t, exitFailure, code)
		assert.Contains(t, stderr, "DocMDP P=1")
		_, err := os.Stat(second)
		assert.True(t, os.IsNotExist(err))
	})
}

// TestSignCommandEncrypted signs a password-protected PDF with -in-pass-env, and tells
// the user which flag to use when the password is missing or wrong.
func TestSignCommandEncrypted(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newSignCmdFixture(t, key)
	enc := filepath.Join(f.dir, "enc.pdf")
	require.NoError(t, os.WriteFile(enc, pdftest.Encrypted(t, pdftest.Classic(), pdftest.AES256, "mật khẩu"), 0o600))
	env := map[string]string{"PDF_PASS": "mật khẩu", "BAD": "sai"}
	for _, tc := range []struct {
		name string
		pass []string
		code int
		msg  string
	}{
		{"no password", nil, exitFailure, "-in-pass-env"},
		{"wrong password", []string{"-in-pass-env", "BAD"}, exitFailure, "the password in $BAD"},
		{"right password", []string{"-in-pass-env", "PDF_PASS"}, exitOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.pdf")
			args := append([]string{"sign", "-in", enc, "-out", out, "-key", f.keyPEM, "-cert", f.certPEM}, tc.pass...)
			code, _, stderr := runCLI(t, env, args...)
			require.Equal(t, tc.code, code, "stderr: %s", stderr)
			assert.Contains(t, stderr, tc.msg)
			_, err := os.Stat(out)
			assert.Equal(t, tc.code == exitOK, err == nil, "an output file exactly when signing succeeded")
		})
	}
}

// TestSignCommandDamagedInput signs a file whose startxref is wrong (viewers repair it)
// and tells the user it was repaired.
func TestSignCommandDamagedInput(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newSignCmdFixture(t, key)
	damaged := filepath.Join(f.dir, "damaged.pdf")
	require.NoError(t, os.WriteFile(damaged, bytes.Replace(pdftest.Classic(), []byte("startxref\n"), []byte("startxref\n1"), 1), 0o600))
	out := filepath.Join(f.dir, "signed.pdf")
	code, _, stderr := runCLI(t, nil, "sign", "-in", damaged, "-out", out, "-key", f.keyPEM, "-cert", f.certPEM)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "warning: the input was damaged and repaired")
	assert.Contains(t, stderr, "rebuilt it by scanning")
	assert.Equal(t, 1, pdfsigValid(t, out))
}

// failAfterWriteSigner fails at the key operation, which Sign reaches after it has
// streamed the whole input to the output (a token pulled out mid-signature).
type failAfterWriteSigner struct{ crypto.Signer }

func (failAfterWriteSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("token removed")
}

// TestSignFailureAfterWritingLeavesNoFile drives the command's output path
// (writeFileAtomic around signature.Sign) into a failure that happens after Sign has
// written most of the document: neither the output nor a temporary file remains.
func TestSignFailureAfterWritingLeavesNoFile(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newSignCmdFixture(t, key)
	in, err := os.ReadFile(f.in)
	require.NoError(t, err)
	certPEM, err := os.ReadFile(f.certPEM)
	require.NoError(t, err)
	block, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	out := filepath.Join(f.dir, "out.pdf")
	var written int
	err = writeFileAtomic(out, func(w io.Writer) error {
		cw := &countingWriter{w: w}
		_, err := signature.Sign(context.Background(), cw, bytes.NewReader(in), int64(len(in)),
			failAfterWriteSigner{key}, []*x509.Certificate{cert}, nil)
		written = cw.n
		return err
	})
	require.ErrorContains(t, err, "token removed")
	assert.GreaterOrEqual(t, written, len(in), "the failure came after the input was streamed out")
	_, err = os.Stat(out)
	assert.True(t, os.IsNotExist(err), "no output file")
	leftovers, _ := filepath.Glob(filepath.Join(f.dir, ".out.pdf.tmp-*"))
	assert.Empty(t, leftovers, "no temporary file")
}

type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}
