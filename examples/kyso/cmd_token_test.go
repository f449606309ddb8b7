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
	"encoding/hex"
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
	"github.com/kyso-go/kyso/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tokenTestModule = "/usr/lib/softhsm/libsofthsm2.so"

// tokenTestTool skips (or fails under CI) when a tool the token tests drive is missing.
func tokenTestTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI", name)
		}
		t.Skipf("%s not installed", name)
	}
}

// tokenFixture is a SoftHSM2 token made by the test in its own SOFTHSM2_CONF, holding
// keys with certificates from a test CA.
type tokenFixture struct {
	conf  string
	certs map[string]*x509.Certificate // by key label
	ca    *x509.Certificate
}

// noPKCS11 reports whether this binary was built without cgo, so without PKCS#11.
func noPKCS11() bool {
	_, err := token.OpenModule("/nonexistent/probe.so")
	return errors.Is(err, token.ErrNoPKCS11)
}

func newTokenFixture(t *testing.T, label, pin string, keys map[string]crypto.Signer) *tokenFixture {
	t.Helper()
	if noPKCS11() {
		t.Skip("built with CGO_ENABLED=0: no PKCS#11 (TestTokenListErrors checks the message)")
	}
	tokenTestTool(t, "softhsm2-util")
	tokenTestTool(t, "pkcs11-tool")
	if _, err := os.Stat(tokenTestModule); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("SoftHSM2 is required under CI")
		}
		t.Skip("SoftHSM2 not installed")
	}
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "tokens"), 0o700))
	conf := filepath.Join(dir, "softhsm2.conf")
	require.NoError(t, os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600))
	t.Setenv("SOFTHSM2_CONF", conf) // read by SoftHSM2 itself, in this process
	run := func(name string, args ...string) {
		out, err := exec.Command(name, args...).CombinedOutput()
		require.NoError(t, err, "%s %v: %s", name, args, out)
	}
	run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "87654321")

	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{Country: []string{"VN"}, CommonName: "Test CA phục vụ các cơ quan Nhà nước"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	f := &tokenFixture{conf: conf, certs: map[string]*x509.Certificate{}, ca: ca}
	write := func(typ string, der []byte, id, objLabel string) {
		p := filepath.Join(dir, "obj.der")
		require.NoError(t, os.WriteFile(p, der, 0o600))
		args := []string{"--module", tokenTestModule, "--token-label", label, "--login", "--pin", pin, "--write-object", p, "--type", typ, "--label", objLabel}
		if id != "" {
			args = append(args, "--id", id)
		}
		if typ == "privkey" {
			args = append(args, "--usage-sign")
		}
		run("pkcs11-tool", args...)
	}
	n := 0
	for keyLabel, key := range keys {
		n++
		id := hex.EncodeToString([]byte{byte(n)})
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(10 + n)), Subject: pkix.Name{Country: []string{"VN"}, Organization: []string{"UBND tỉnh Hà Tĩnh"}, CommonName: "Lê Văn " + keyLabel},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
		require.NoError(t, err)
		cert, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		f.certs[keyLabel] = cert
		pk, err := x509.MarshalPKCS8PrivateKey(key)
		require.NoError(t, err)
		write("privkey", pk, id, keyLabel)
		write("cert", der, id, keyLabel)
	}
	write("cert", caDER, "ca", "CA")
	return f
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func tokenCLI(env map[string]string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	c := &cli{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
	code := run(context.Background(), c, args)
	return code, stdout.String(), stderr.String()
}

func TestTokenList(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newTokenFixture(t, "Văn thư", "1234", map[string]crypto.Signer{"EC": ec})

	// Without a PIN: the token and its certificates (public objects).
	code, out, errOut := tokenCLI(map[string]string{"KYSO_PKCS11_MODULE": tokenTestModule}, "token", "list")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, `token "Văn thư" (SoftHSM project SoftHSM v2`)
	assert.Contains(t, out, "login-required")
	assert.Contains(t, out, `certificate id 01 label "EC": CN=Lê Văn EC,O=UBND tỉnh Hà Tĩnh,C=VN`)
	assert.Contains(t, out, "uninitialised token")

	// With a PIN: the signing keys and their chains.
	code, out, errOut = tokenCLI(map[string]string{"PIN": "1234"}, "token", "list", "-module", tokenTestModule, "-token", "Văn thư", "-pin-env", "PIN")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, `key id 01 label "EC" ECDSA-P256: CN=Lê Văn EC`)
	assert.Contains(t, out, "issued by "+f.ca.Subject.String())
	assert.NotContains(t, out, "uninitialised token", "-token shows only that token")

	// A wrong PIN names the problem and the tries left (SoftHSM2 sets COUNT_LOW).
	code, _, errOut = tokenCLI(map[string]string{"PIN": "9999"}, "token", "list", "-module", tokenTestModule, "-token", "Văn thư", "-pin-env", "PIN")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "mã PIN không đúng / incorrect PIN")
	assert.Contains(t, errOut, "few tries left")
	code, out, _ = tokenCLI(nil, "token", "list", "-module", tokenTestModule)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "PIN: đã nhập sai, còn ít lần thử")
}

func TestTokenListErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		msg  string
	}{
		{"no subcommand", nil, []string{"token"}, exitUsage, "a subcommand is required: list"},
		{"help", nil, []string{"token", "-help"}, exitOK, "usage: kyso token list"},
		{"unknown subcommand", nil, []string{"token", "show"}, exitUsage, `unknown subcommand "show"`},
		{"bad flag", nil, []string{"token", "list", "-nope"}, exitUsage, "flag provided but not defined"},
		{"extra argument", nil, []string{"token", "list", "x"}, exitUsage, `unexpected argument "x"`},
		{"missing module", nil, []string{"token", "list", "-module", "/nonexistent/libp11.so"}, exitFailure, "cannot load the PKCS#11 module"},
		{"module from env", map[string]string{"KYSO_PKCS11_MODULE": "/nonexistent/env.so"}, []string{"token", "list"}, exitFailure, "/nonexistent/env.so"},
	}
	if noPKCS11() {
		// Without cgo every module fails the same way, with a message saying how to fix it.
		for i := range tests {
			if tt := &tests[i]; tt.code == exitFailure {
				tt.msg = "CGO_ENABLED=1"
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := tokenCLI(tt.env, tt.args...)
			assert.Equal(t, tt.code, code, errOut)
			assert.Contains(t, errOut, tt.msg)
		})
	}
}

// TestTokenKeySignsPDF signs a PDF through signature.Sign with RSA and ECDSA keys on a
// SoftHSM2 token (PKCS#1 v1.5, RSA-PSS, ECDSA) and has poppler's pdfsig check each one.
func TestTokenKeySignsPDF(t *testing.T) {
	tokenTestTool(t, "pdfsig")
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newTokenFixture(t, "Ký số", "1234", map[string]crypto.Signer{"RSA": rsaKey, "EC": ecKey})
	c := &cli{stdout: io.Discard, stderr: io.Discard, getenv: envOf(map[string]string{"PIN": "1234"})}
	dir := t.TempDir()
	in := pdftest.Classic()
	for _, tc := range []struct {
		key string
		pss bool
	}{{"RSA", false}, {"RSA", true}, {"EC", false}} {
		name := tc.key
		if tc.pss {
			name += "-PSS"
		}
		t.Run(name, func(t *testing.T) {
			s, err := openPKCS11Signer(context.Background(), c, tokenTestModule, "Ký số", "PIN", "", tc.key)
			require.NoError(t, err)
			defer s.Close()
			require.True(t, s.Certificate().Equal(f.certs[tc.key]))
			chain := append([]*x509.Certificate{s.Certificate()}, s.Chain()...)
			require.Len(t, chain, 2)
			var out bytes.Buffer
			_, err = signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s, chain,
				&signature.SignOptions{PSS: tc.pss, Name: "Lê Văn " + tc.key, Reason: "Phê duyệt"})
			require.NoError(t, err)
			path := filepath.Join(dir, name+".pdf")
			require.NoError(t, os.WriteFile(path, out.Bytes(), 0o600))
			res, _ := exec.Command("pdfsig", "-nocert", "-no-ocsp", path).CombinedOutput()
			assert.Contains(t, string(res), "Signature Validation: Signature is Valid.", "pdfsig:\n%s", res)
		})
	}
}

func TestOpenPKCS11SignerErrors(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	newTokenFixture(t, "Một khóa", "1234", map[string]crypto.Signer{"EC": ec})
	c := &cli{stdout: io.Discard, stderr: io.Discard, getenv: envOf(map[string]string{"PIN": "1234", "BAD": "0000"})}
	ctx := context.Background()

	s, err := openPKCS11Signer(ctx, c, tokenTestModule, "Một khóa", "PIN", "", "")
	require.NoError(t, err, "the only key is chosen without a selector")
	require.NoError(t, s.Close())
	s, err = openPKCS11Signer(ctx, c, tokenTestModule, "Một khóa", "PIN", "01", "")
	require.NoError(t, err)
	require.NoError(t, s.Close())

	_, err = openPKCS11Signer(ctx, c, tokenTestModule, "Một khóa", "BAD", "", "")
	require.ErrorContains(t, err, "mã PIN không đúng")
	_, err = openPKCS11Signer(ctx, c, tokenTestModule, "Một khóa", "", "", "")
	require.ErrorContains(t, err, "-pin-env")
	_, err = openPKCS11Signer(ctx, c, tokenTestModule, "Một khóa", "PIN", "zz", "")
	require.ErrorContains(t, err, "not hexadecimal")
	for _, empty := range []string{"0x", ":", "::"} {
		_, err = openPKCS11Signer(ctx, c, tokenTestModule, "Một khóa", "PIN", empty, "")
		require.ErrorContains(t, err, "no hexadecimal digits", "-key-id %q must not select any key", empty)
	}
	_, err = openPKCS11Signer(ctx, c, tokenTestModule, "Một khóa", "PIN", "02", "")
	require.ErrorContains(t, err, "no matching signing key")
	_, err = openPKCS11Signer(ctx, c, tokenTestModule, "Không có", "PIN", "", "")
	require.ErrorContains(t, err, "no matching token")
}

// TestSignWithPKCS11 runs "kyso sign -pkcs11": the only key is chosen without a
// selector, pdfsig accepts the result, and a wrong PIN exits 1 naming the PIN problem
// and the tries left, with no output file.
func TestSignWithPKCS11(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	newTokenFixture(t, "Ký số", "1234", map[string]crypto.Signer{"RSA": rsaKey})
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, pdftest.Classic(), 0o600))

	out := filepath.Join(dir, "signed.pdf")
	code, stdout, stderr := tokenCLI(map[string]string{"PIN": "1234"}, "sign", "-in", in, "-out", out,
		"-pkcs11", tokenTestModule, "-token", "Ký số", "-pin-env", "PIN", "-pss")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "Lê Văn RSA")
	tokenTestTool(t, "pdfsig")
	res, _ := exec.Command("pdfsig", "-nocert", "-no-ocsp", out).CombinedOutput()
	assert.Contains(t, string(res), "Signature Validation: Signature is Valid.", "pdfsig:\n%s", res)

	out2 := filepath.Join(dir, "by-id.pdf")
	code, _, stderr = tokenCLI(map[string]string{"PIN": "1234"}, "sign", "-in", in, "-out", out2,
		"-pkcs11", tokenTestModule, "-token", "Ký số", "-pin-env", "PIN", "-key-id", "01")
	require.Equal(t, exitOK, code, stderr)

	bad := filepath.Join(dir, "wrong-pin.pdf")
	code, _, stderr = tokenCLI(map[string]string{"PIN": "0000"}, "sign", "-in", in, "-out", bad,
		"-pkcs11", tokenTestModule, "-token", "Ký số", "-pin-env", "PIN")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "mã PIN không đúng / incorrect PIN")
	assert.Contains(t, stderr, "few tries left")
	assert.NoFileExists(t, bad)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 3, "no temporary file left behind")

	for _, args := range [][]string{
		{"-pkcs11", tokenTestModule, "-token", "Ký số"},                                       // no -pin-env
		{"-pkcs11", tokenTestModule, "-pin-env", "PIN", "-key-id", "01", "-key-label", "RSA"}, // both selectors
		{"-p12", "x.p12", "-key-id", "01"},                                                    // selector without -pkcs11
		{"-pkcs11", tokenTestModule, "-pin-env", "PIN", "-p12", "x.p12"},                      // two key sources
		{"-pkcs11", tokenTestModule, "-pin-env", "PIN", "-key-id", "0x"},                      // empty key ID
		{"-pkcs11", tokenTestModule, "-pin-env", "PIN", "-key-id", "zz"},                      // not hex
	} {
		code, _, stderr = tokenCLI(map[string]string{"PIN": "1234"}, append([]string{"sign", "-in", in, "-out", filepath.Join(dir, "u.pdf")}, args...)...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, stderr)
	}
}
