package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/token/csctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	cscCmdToken = "cli-access-token-0a1b2c"
	cscCmdPIN   = "975310"
)

// cscCmdFixture is the test PKI and a CSC test server holding the leader's key.
type cscCmdFixture struct {
	pki     *certstatustest.PKI
	srv     *csctest.Server
	dir     string
	rootPEM string
	env     map[string]string
}

func newCSCCmdFixture(t *testing.T) *cscCmdFixture {
	t.Helper()
	p := certstatustest.NewPKI(t)
	srv := csctest.New(t, cscCmdToken,
		csctest.Credential{ID: "leader", Key: p.Leader.Key, Chain: p.Leader.Chain, PIN: cscCmdPIN},
		csctest.Credential{ID: "org", Key: p.Org.Key, Chain: p.Org.Chain, PIN: cscCmdPIN, SCAL: 2})
	dir := t.TempDir()
	root := filepath.Join(dir, "root.pem")
	require.NoError(t, os.WriteFile(root, p.Root.CertPEM(), 0o600))
	return &cscCmdFixture{pki: p, srv: srv, dir: dir, rootPEM: root,
		env: map[string]string{"CSC_TOKEN": cscCmdToken, "CSC_PIN": cscCmdPIN, "WRONG_PIN": "000000"}}
}

func (f *cscCmdFixture) cscArgs(cred, pinEnv string) []string {
	return []string{"-csc", f.srv.URL, "-csc-credential", cred, "-csc-auth-env", "CSC_TOKEN", "-csc-pin-env", pinEnv}
}

func (f *cscCmdFixture) levelArgs(level string) []string {
	if level == "B-B" {
		return nil
	}
	return []string{"-level", level, "-tsa", f.pki.TSAURL, "-trust", f.rootPEM}
}

// kysoVerifies runs "kyso verify" on path against the test root.
func (f *cscCmdFixture) kysoVerifies(t *testing.T, path string, offline bool) {
	t.Helper()
	args := []string{"verify", "-trust", f.rootPEM}
	if offline {
		args = append(args, "-offline")
	}
	code, stdout, stderr := runCLI(t, nil, append(args, path)...)
	assert.Equal(t, exitOK, code, "kyso verify %s:\n%s\n%s", path, stdout, stderr)
}

// TestSignCommandCSC: kyso sign -csc at every level; pdfsig and kyso verify accept the
// output.
func TestSignCommandCSC(t *testing.T) {
	f := newCSCCmdFixture(t)
	in := filepath.Join(f.dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, pdftest.OnePage(500), 0o600))
	for _, level := range []string{"B-B", "B-T", "B-LT", "B-LTA"} {
		for _, cred := range []string{"leader", "org"} {
			t.Run(level+"/"+cred, func(t *testing.T) {
				out := filepath.Join(f.dir, level+"-"+cred+".pdf")
				args := append([]string{"sign", "-in", in, "-out", out, "-pss", "-reason", "Ký số từ xa"}, f.cscArgs(cred, "CSC_PIN")...)
				code, stdout, stderr := runCLI(t, f.env, append(args, f.levelArgs(level)...)...)
				require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
				assert.Contains(t, stdout, "RSASSA-PSS")
				if level != "B-B" {
					assert.Regexp(t, `signature time-stamp \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00 by`, stdout, "Vietnam time")
				}
				assert.Equal(t, 1, pdfsigValid(t, out))
				f.kysoVerifies(t, out, level == "B-LT" || level == "B-LTA")
			})
		}
	}
}

func TestSignCommandCSCFailures(t *testing.T) {
	f := newCSCCmdFixture(t)
	in := filepath.Join(f.dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, pdftest.OnePage(500), 0o600))
	out := filepath.Join(f.dir, "out.pdf")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no credential", []string{"-csc", f.srv.URL, "-csc-auth-env", "CSC_TOKEN"}, exitUsage, "-csc-credential"},
		{"no access token variable", []string{"-csc", f.srv.URL, "-csc-credential", "leader"}, exitUsage, "-csc-auth-env"},
		{"plain http to a public host", []string{"-csc", "http://example.vn", "-csc-credential", "leader", "-csc-auth-env", "CSC_TOKEN"}, exitUsage, "http only on 127.0.0.1"},
		{"csc flags without -csc", []string{"-csc-credential", "leader", "-p12", "x.p12"}, exitUsage, "go with -csc URL"},
		{"two key sources", append(f.cscArgs("leader", "CSC_PIN"), "-p12", "x.p12", "-p12-pass-env", "P"), exitUsage, "not several"},
		{"wrong PIN", f.cscArgs("leader", "WRONG_PIN"), exitFailure, "incorrect PIN"},
		{"unknown credential", f.cscArgs("nobody", "CSC_PIN"), exitFailure, "Invalid parameter credentialID"},
		{"PIN variable empty", f.cscArgs("leader", "UNSET"), exitFailure, "UNSET is empty or not set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, f.env, append([]string{"sign", "-in", in, "-out", out}, tc.args...)...)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout, stderr)
			assert.Contains(t, stderr, tc.stderr)
			assert.NoFileExists(t, out)
			for _, secret := range []string{cscCmdToken, cscCmdPIN, "000000"} {
				assert.NotContains(t, stdout+stderr, secret)
			}
		})
	}
	// A signature over the wrong hash is caught before anything is written.
	f.srv.SignWrongHash(1)
	code, _, stderr := runCLI(t, f.env, append([]string{"sign", "-in", in, "-out", out}, f.cscArgs("leader", "CSC_PIN")...)...)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "does not verify")
	assert.NoFileExists(t, out)
	entries, _ := os.ReadDir(f.dir)
	for _, e := range entries {
		assert.False(t, strings.Contains(e.Name(), ".tmp"), "leftover %s", e.Name())
	}
}

// TestSignCommandCSCFailureMessages: a refusal of the remote service is told first in
// Vietnamese and English, without the library's chain of operations (that follows as
// detail), and an empty variable names the secret it should hold.
func TestSignCommandCSCFailureMessages(t *testing.T) {
	f := newCSCCmdFixture(t)
	in := filepath.Join(f.dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, pdftest.OnePage(500), 0o600))
	out := filepath.Join(f.dir, "out.pdf")
	for _, tc := range []struct {
		name      string
		args      []string
		firstLine string
	}{
		{"wrong PIN", f.cscArgs("leader", "WRONG_PIN"), "kyso sign: CSC credentials/authorize: mã PIN không đúng / incorrect PIN"},
		{"access token variable empty", []string{"-csc", f.srv.URL, "-csc-credential", "leader", "-csc-auth-env", "UNSET", "-csc-pin-env", "CSC_PIN"},
			"kyso sign: biến môi trường UNSET (của -csc-auth-env) trống hoặc chưa đặt, nên không có mã truy cập (access token)"},
		{"PIN variable empty", f.cscArgs("leader", "UNSET"), "kyso sign: biến môi trường UNSET (của -csc-pin-env) trống hoặc chưa đặt, nên không có mã PIN"},
		{"time-stamp from a TSA whose root is not trusted", append(f.cscArgs("leader", "CSC_PIN"), "-level", "B-T", "-tsa", f.pki.TSAURL),
			"kyso sign: chứng thư số của máy chủ cấp dấu thời gian (-tsa) không dẫn đến chứng thư gốc tin cậy: thêm chứng thư gốc của nó bằng -trust ROOT.pem"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, f.env, append([]string{"sign", "-in", in, "-out", out}, tc.args...)...)
			assert.Equal(t, exitFailure, code, "stdout: %s\nstderr: %s", stdout, stderr)
			assert.True(t, strings.HasPrefix(stderr, tc.firstLine), "stderr: %s", stderr)
			assert.Contains(t, stderr, "\n  chi tiết / detail: ")
			assert.NoFileExists(t, out)
		})
	}
}

// TestSignCommandBatchCSC: kyso sign -in-dir signs every PDF with one authorisation,
// reports progress on stderr and a summary; a bad document fails alone.
func TestSignCommandBatchCSC(t *testing.T) {
	f := newCSCCmdFixture(t)
	inDir, outDir := filepath.Join(f.dir, "in"), filepath.Join(f.dir, "out")
	require.NoError(t, os.Mkdir(inDir, 0o700))
	for i := range 6 {
		require.NoError(t, os.WriteFile(filepath.Join(inDir, fmt.Sprintf("vb-%02d.pdf", i)), pdftest.OnePage(100+i), 0o600))
	}
	require.NoError(t, os.WriteFile(filepath.Join(inDir, "ghi-chu.txt"), []byte("not a PDF, skipped"), 0o600))
	args := append([]string{"sign", "-in-dir", inDir, "-out-dir", outDir, "-reason", "Phê duyệt hàng loạt"}, f.cscArgs("org", "CSC_PIN")...)
	code, stdout, stderr := runCLI(t, f.env, append(args, f.levelArgs("B-LTA")...)...)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, "signed 6 of 6 documents")
	assert.Contains(t, stderr, "[6/6] signed vb-")
	assert.Contains(t, stderr, "signatures received")
	assert.Equal(t, 1, f.srv.Calls("credentials/authorize"), "one authorisation for the whole directory")
	assert.Equal(t, 1, f.srv.Calls("signatures/signHash"))
	for i := range 6 {
		p := filepath.Join(outDir, fmt.Sprintf("vb-%02d.pdf", i))
		assert.Equal(t, 1, pdfsigValid(t, p))
		if i == 0 {
			f.kysoVerifies(t, p, true)
		}
	}
	assert.NoFileExists(t, filepath.Join(outDir, "ghi-chu.txt"))

	// A damaged document and a wrong hash: those two fail, the others are signed.
	f.srv.ResetCalls()
	require.NoError(t, os.WriteFile(filepath.Join(inDir, "vb-03.pdf"), []byte("%PDF-1.7 damaged"), 0o600))
	outDir2 := filepath.Join(f.dir, "out2")
	f.srv.SignWrongHash(1)
	code, stdout, stderr = runCLI(t, f.env, append([]string{"sign", "-in-dir", inDir, "-out-dir", outDir2}, f.cscArgs("leader", "CSC_PIN")...)...)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stdout, "signed 4 of 6 documents")
	assert.Contains(t, stdout, "vb-03.pdf")
	assert.Contains(t, stdout, "vb-00.pdf", "the first signature came back over the wrong hash")
	assert.Contains(t, stderr, "FAILED vb-03.pdf: không đọc được tệp PDF / not a readable PDF\n",
		"the progress line says it in Vietnamese and English, not as the library's error chain")
	assert.Contains(t, stdout, "vb-03.pdf: không đọc được tệp PDF / not a readable PDF\n    chi tiết / detail: ",
		"a failed document's reason in Vietnamese and English, then the detail")
	entries, err := os.ReadDir(outDir2)
	require.NoError(t, err)
	assert.Len(t, entries, 4, "no output and no temporary file for the failed ones")
	assert.Equal(t, 1, f.srv.Calls("credentials/authorize"))

	// A wrong PIN: nothing is signed, the PIN is asked for once.
	f.srv.ResetCalls()
	outDir3 := filepath.Join(f.dir, "out3")
	code, stdout, _ = runCLI(t, f.env, append([]string{"sign", "-in-dir", inDir, "-out-dir", outDir3}, f.cscArgs("leader", "WRONG_PIN")...)...)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stdout, "signed 0 of 6")
	assert.Contains(t, stdout, "vb-00.pdf: CSC credentials/authorize: mã PIN không đúng / incorrect PIN", "without the package prefix")
	assert.Equal(t, 1, f.srv.Calls("credentials/authorize"))
	entries, _ = os.ReadDir(outDir3)
	assert.Empty(t, entries)

	// The signing policy is asked for each document: the clerk's seal before the
	// authority signed is refused for all, and the service is never called.
	f.srv.ResetCalls()
	require.NoError(t, os.Remove(filepath.Join(inDir, "vb-03.pdf")))
	outDir4 := filepath.Join(f.dir, "out4")
	code, stdout, stderr = runCLI(t, f.env, append([]string{"sign", "-in-dir", inDir, "-out-dir", outDir4, "-role", "clerk"}, f.cscArgs("org", "CSC_PIN")...)...)
	assert.Equal(t, exitFailure, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, "signed 0 of 5")
	assert.Equal(t, 1, strings.Count(stdout, "KHÔNG ĐƯỢC KÝ"), "the reasons once, not once per document")
	assert.Zero(t, f.srv.Calls("credentials/authorize"))
	code, stdout, stderr = runCLI(t, f.env, append([]string{"sign", "-in-dir", inDir, "-out-dir", outDir4, "-role", "authority"}, f.cscArgs("leader", "CSC_PIN")...)...)
	assert.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, "signed 5 of 5")

	// A visible signature placed on each document (its own page and rectangle).
	outDir5 := filepath.Join(f.dir, "out5")
	code, stdout, stderr = runCLI(t, f.env, append([]string{"sign", "-in-dir", inDir, "-out-dir", outDir5, "-page", "1", "-rect", "60,60,260,120", "-name", "Nguyễn Văn Lãnh Đạo"}, f.cscArgs("leader", "CSC_PIN")...)...)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, "signed 5 of 5")
	doc, err := os.ReadFile(filepath.Join(outDir5, "vb-00.pdf"))
	require.NoError(t, err)
	assert.Contains(t, string(doc), "/Rect [60 60 260 120]")
	assert.Equal(t, 1, pdfsigValid(t, filepath.Join(outDir5, "vb-05.pdf")))

	// Usage errors.
	for _, bad := range [][]string{
		{"sign", "-in-dir", inDir, "-out-dir", inDir, "-p12", "x", "-p12-pass-env", "P"},
		{"sign", "-in-dir", inDir, "-p12", "x", "-p12-pass-env", "P"},
		{"sign", "-in-dir", inDir, "-out-dir", outDir, "-in", "a.pdf", "-p12", "x", "-p12-pass-env", "P"},
	} {
		code, _, _ := runCLI(t, f.env, bad...)
		assert.Equal(t, exitUsage, code, "%v", bad)
	}
}

// TestSignCommandBatchLinks: in -in-dir, a symbolic link to a PDF is signed like a
// file, a broken link fails visibly (summary, exit 1, no output) instead of being
// skipped, and a directory or a FIFO named *.pdf is never opened.
func TestSignCommandBatchLinks(t *testing.T) {
	f := newCSCCmdFixture(t)
	inDir, outDir, elsewhere := filepath.Join(f.dir, "in"), filepath.Join(f.dir, "out"), filepath.Join(f.dir, "elsewhere")
	require.NoError(t, os.Mkdir(inDir, 0o700))
	require.NoError(t, os.Mkdir(elsewhere, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(inDir, "a.pdf"), pdftest.OnePage(1), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(elsewhere, "b.pdf"), pdftest.OnePage(2), 0o600))
	require.NoError(t, os.Symlink(filepath.Join(elsewhere, "b.pdf"), filepath.Join(inDir, "b.pdf")))
	require.NoError(t, os.Symlink(filepath.Join(elsewhere, "missing.pdf"), filepath.Join(inDir, "c.pdf")))
	require.NoError(t, os.Mkdir(filepath.Join(inDir, "d.pdf"), 0o700))
	require.NoError(t, syscall.Mkfifo(filepath.Join(inDir, "e.pdf"), 0o600))
	code, stdout, stderr := runCLI(t, f.env, append([]string{"sign", "-in-dir", inDir, "-out-dir", outDir}, f.cscArgs("leader", "CSC_PIN")...)...)
	assert.Equal(t, exitFailure, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, "signed 2 of 3 documents")
	assert.Contains(t, stdout, "c.pdf")
	assert.Contains(t, stderr, "FAILED c.pdf")
	assert.Equal(t, 1, pdfsigValid(t, filepath.Join(outDir, "a.pdf")))
	assert.Equal(t, 1, pdfsigValid(t, filepath.Join(outDir, "b.pdf")))
	entries, err := os.ReadDir(outDir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no output, no temporary file for c.pdf")
	assert.Equal(t, 1, f.srv.Calls("credentials/authorize"))
}

// TestSignCommandBatchPKCS11: -in-dir with a PKCS#11 token signs every document under
// one login.
func TestSignCommandBatchPKCS11(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	newTokenFixture(t, "Ký số lô", "1234", map[string]crypto.Signer{"RSA": key})
	dir := t.TempDir()
	inDir, outDir := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	require.NoError(t, os.Mkdir(inDir, 0o700))
	for i := range 5 {
		require.NoError(t, os.WriteFile(filepath.Join(inDir, fmt.Sprintf("%d.pdf", i)), pdftest.OnePage(50+i), 0o600))
	}
	code, stdout, stderr := runCLI(t, map[string]string{"PIN": "1234"}, "sign", "-in-dir", inDir, "-out-dir", outDir,
		"-pkcs11", tokenTestModule, "-token", "Ký số lô", "-pin-env", "PIN", "-pss")
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, "signed 5 of 5 documents")
	assert.Contains(t, stdout, "one login")
	for i := range 5 {
		assert.Equal(t, 1, pdfsigValid(t, filepath.Join(outDir, fmt.Sprintf("%d.pdf", i))))
	}
}

func TestTokenListCSC(t *testing.T) {
	f := newCSCCmdFixture(t)
	code, stdout, stderr := runCLI(t, f.env, "token", "list", "-csc", f.srv.URL, "-csc-auth-env", "CSC_TOKEN")
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	assert.Contains(t, stdout, `credential "leader"`)
	assert.Contains(t, stdout, `credential "org"`)
	assert.Contains(t, stdout, "SCAL 2")
	assert.Contains(t, stdout, f.pki.Leader.Cert.Subject.CommonName)
	assert.Contains(t, stdout, "[PIN]")
	assert.NotContains(t, stdout+stderr, cscCmdToken)

	code, _, stderr = runCLI(t, map[string]string{"CSC_TOKEN": "wrong"}, "token", "list", "-csc", f.srv.URL, "-csc-auth-env", "CSC_TOKEN")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "access token")
	assert.True(t, strings.HasPrefix(stderr, "kyso token list: CSC credentials/list: dịch vụ ký số từ xa từ chối mã truy cập"), "Vietnamese first, no package prefix: %s", stderr)

	// The API's own address (as kyso pki serve prints it) is taken back to the base the
	// client appends /csc/v2/ to, for listing and for signing.
	for _, u := range []string{f.srv.URL + "/csc/v2", f.srv.URL + "/csc/v2/", f.srv.URL + "/"} {
		code, stdout, stderr = runCLI(t, f.env, "token", "list", "-csc", u, "-csc-auth-env", "CSC_TOKEN")
		require.Equal(t, exitOK, code, "%s: %s", u, stderr)
		assert.Contains(t, stdout, `credential "leader"`)
	}
	in := filepath.Join(f.dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, pdftest.OnePage(3), 0o600))
	out := filepath.Join(f.dir, "out.pdf")
	code, stdout, stderr = runCLI(t, f.env, "sign", "-in", in, "-out", out, "-csc", f.srv.URL+"/csc/v2/", "-csc-credential", "leader",
		"-csc-auth-env", "CSC_TOKEN", "-csc-pin-env", "CSC_PIN")
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Equal(t, 1, pdfsigValid(t, out))
	code, _, _ = runCLI(t, f.env, "token", "list", "-csc", f.srv.URL)
	assert.Equal(t, exitUsage, code)
	code, _, _ = runCLI(t, f.env, "token", "list", "-csc", f.srv.URL, "-csc-auth-env", "CSC_TOKEN", "-pin-env", "X")
	assert.Equal(t, exitUsage, code)
}

// TestPKIServeCSC: "kyso pki serve -pass-env" runs the CSC service beside OCSP/CRL/TSA,
// and kyso sign -csc signs with it at B-LTA.
func TestPKIServeCSC(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pki")
	addr := pkiFreeAddr(t)
	env := map[string]string{"KYSO_PKI_PASS": "mật khẩu thử", "CSC_TOKEN": pkiCSCToken, "CSC_PIN": pkiCSCPIN}
	c, _, errs := pkiCLI(env)
	require.Equal(t, exitOK, run(context.Background(), c, []string{"pki", "init", "-dir", dir, "-addr", addr, "-pass-env", "KYSO_PKI_PASS"}), "stderr: %s", errs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sc, sout, serrs := pkiCLI(env)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, sc, []string{"pki", "serve", "-dir", dir, "-addr", addr, "-pass-env", "KYSO_PKI_PASS"})
	}()
	require.Eventually(t, func() bool { return strings.Contains(sout.String(), "/csc/v2/") }, 30*time.Second, 20*time.Millisecond,
		"stdout: %s stderr: %s", sout, serrs)
	base := "http://" + addr

	code, stdout, stderr := runCLI(t, env, "token", "list", "-csc", base, "-csc-auth-env", "CSC_TOKEN")
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	for _, id := range []string{"leader", "deputy", "clerk", "org"} {
		assert.Contains(t, stdout, fmt.Sprintf("credential %q", id))
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	require.NoError(t, os.WriteFile(in, pdftest.OnePage(10), 0o600))
	out := filepath.Join(filepath.Dir(in), "out.pdf")
	code, stdout, stderr = runCLI(t, env, "sign", "-in", in, "-out", out, "-csc", base, "-csc-credential", "leader",
		"-csc-auth-env", "CSC_TOKEN", "-csc-pin-env", "CSC_PIN", "-level", "B-LTA", "-tsa", base+"/tsa", "-trust", filepath.Join(dir, "root.pem"))
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Equal(t, 1, pdfsigValid(t, out))
	code, stdout, stderr = runCLI(t, nil, "verify", "-offline", "-trust", filepath.Join(dir, "root.pem"), out)
	assert.Equal(t, exitOK, code, "%s\n%s", stdout, stderr)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code, "stderr: %s", serrs)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop on cancellation")
	}
}

// TestSignCommandBatchDirectories: a missing -in-dir, one without a PDF, and -out-dir
// the same directory as -in-dir reached by another path are said in Vietnamese and
// English, and nothing is signed.
func TestSignCommandBatchDirectories(t *testing.T) {
	f := newCSCCmdFixture(t)
	empty := filepath.Join(f.dir, "rong")
	require.NoError(t, os.Mkdir(empty, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(empty, "ghi-chu.txt"), []byte("x"), 0o600))
	require.NoError(t, os.Symlink(empty, filepath.Join(f.dir, "lien-ket")))
	for _, tc := range []struct {
		name, in, out string
		code          int
		firstLine     string
	}{
		{"missing", filepath.Join(f.dir, "khong-co"), filepath.Join(f.dir, "o1"), exitFailure, "kyso sign: không tìm thấy tệp / file not found"},
		{"no PDF", empty, filepath.Join(f.dir, "o2"), exitFailure, "kyso sign: không có tệp PDF nào trong " + empty + " / no PDF file in"},
		{"same directory", empty, filepath.Join(f.dir, "lien-ket"), exitUsage, "kyso sign: -out-dir là chính -in-dir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "same directory" {
				require.NoError(t, os.WriteFile(filepath.Join(empty, "a.pdf"), pdftest.OnePage(10), 0o600))
			}
			code, stdout, stderr := runCLI(t, f.env, append([]string{"sign", "-in-dir", tc.in, "-out-dir", tc.out}, f.cscArgs("leader", "CSC_PIN")...)...)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout, stderr)
			assert.True(t, strings.HasPrefix(stderr, tc.firstLine), "stderr: %s", stderr)
			assert.Zero(t, f.srv.Calls("signatures/signHash"))
		})
	}
}

// TestSignCommandBatchKeyFile: a batch signed with a key file says so in its summary,
// not "one login" (there is no token to log in to).
func TestSignCommandBatchKeyFile(t *testing.T) {
	f := newCSCCmdFixture(t)
	inDir, outDir := filepath.Join(f.dir, "in"), filepath.Join(f.dir, "out")
	require.NoError(t, os.Mkdir(inDir, 0o700))
	for i := range 2 {
		require.NoError(t, os.WriteFile(filepath.Join(inDir, fmt.Sprintf("%d.pdf", i)), pdftest.OnePage(i), 0o600))
	}
	key, certs := writeHolder(t, f.dir, f.pki.Leader)
	code, stdout, stderr := runCLI(t, nil, "sign", "-in-dir", inDir, "-out-dir", outDir, "-key", key, "-cert", certs)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, "signed 2 of 2 documents from "+inDir+" into "+outDir+" (one key file opened once)")
	assert.NotContains(t, stdout+stderr, "login")
}
