package main

import (
	"crypto/x509"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/token/csctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

// leafOnlyFiles writes the leader's key with its own certificate only — a .p12
// without the issuing CA, and a PEM key with a PEM certificate — and the test root as
// a trust file.
type leafOnlyFiles struct {
	dir, in, p12, keyPEM, certPEM, root string
}

func newLeafOnlyFiles(t *testing.T, p *certstatustest.PKI) leafOnlyFiles {
	t.Helper()
	dir := t.TempDir()
	f := leafOnlyFiles{dir: dir, in: filepath.Join(dir, "cong-van.pdf"), p12: filepath.Join(dir, "leaf.p12"),
		keyPEM: filepath.Join(dir, "key.pem"), certPEM: filepath.Join(dir, "leaf.pem"), root: filepath.Join(dir, "root.pem")}
	p12, err := pkcs12.Modern.Encode(p.Leader.Key, p.Leader.Cert, nil, "mật khẩu p12")
	require.NoError(t, err)
	keyPEM, err := p.Leader.KeyPEM()
	require.NoError(t, err)
	for path, data := range map[string][]byte{f.in: pdftest.OnePage(1), f.p12: p12, f.keyPEM: keyPEM, f.certPEM: p.Leader.CertPEM(), f.root: p.Root.CertPEM()} {
		require.NoError(t, os.WriteFile(path, data, 0o600))
	}
	return f
}

// verifiesRootOnly runs "kyso verify -offline" with the test root as the only extra
// trust anchor and returns the first signature's indication and sub-indication.
func verifiesRootOnly(t *testing.T, root, path string) (string, string) {
	t.Helper()
	code, out, errs := runVerifyCLI("verify", "-json", "-offline", "-status-warning", "-trust", root, path)
	var rep struct {
		Signatures []map[string]any `json:"signatures"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "exit %d, stderr %s", code, errs)
	require.Len(t, rep.Signatures, 1)
	sub, _ := rep.Signatures[0]["subIndication"].(string)
	return rep.Signatures[0]["indication"].(string), sub
}

// TestSignLeafOnlyKeyFiles: "kyso sign" with a .p12 or a PEM key and certificate that
// hold only the signer's certificate completes the chain through the AIA caIssuers URL
// and the -trust root; the document verifies offline with only the root trusted. When
// the AIA server does not answer, or with -no-aia, the document is still signed and
// the warning is shown (text and -json).
func TestSignLeafOnlyKeyFiles(t *testing.T) {
	p := certstatustest.NewPKI(t)
	f := newLeafOnlyFiles(t, p)
	env := map[string]string{"P12_PASS": "mật khẩu p12"}
	p12 := []string{"-p12", f.p12, "-p12-pass-env", "P12_PASS"}
	pemKey := []string{"-key", f.keyPEM, "-cert", f.certPEM}
	tests := []struct {
		name     string
		args     []string
		warning  bool
		aiaHits  int
		verified bool
	}{
		{"p12 leaf only", append(append([]string{}, p12...), "-trust", f.root), false, 1, true},
		{"PEM key and leaf only", append(append([]string{}, pemKey...), "-trust", f.root), false, 1, true},
		{"p12 leaf only, the VGCA store: completed up to the test root", p12, false, 2, true},
		{"-no-aia: no request, a warning", append(append([]string{}, p12...), "-trust", f.root, "-no-aia"), true, 0, false},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(f.dir, "out"+string(rune('a'+i))+".pdf")
			before := p.Hits("aia")
			code, stdout, stderr := runCLI(t, env, append([]string{"sign", "-in", f.in, "-out", out}, tc.args...)...)
			require.Equal(t, exitOK, code, "stderr: %s", stderr)
			assert.Contains(t, stdout, "signed "+f.in)
			assert.Equal(t, tc.aiaHits, p.Hits("aia")-before, "AIA downloads")
			if tc.warning {
				assert.Contains(t, stderr, "kyso sign: warning: không bổ sung được chuỗi chứng thư")
				assert.Contains(t, stderr, "could not be completed")
			} else {
				assert.NotContains(t, stderr, "warning")
			}
			assert.Equal(t, 1, pdfsigValid(t, out))
			ind, sub := verifiesRootOnly(t, f.root, out)
			if tc.verified {
				assert.Equal(t, "TOTAL_PASSED", ind, sub)
			} else {
				assert.Equal(t, "NO_CERTIFICATE_CHAIN_FOUND", sub)
			}
		})
	}
}

// TestSignLeafOnlyAIAUnreachable: the CA's AIA server is down; "kyso sign" signs and
// says, in Vietnamese and English, that the chain is incomplete — on stderr, and in
// the "warnings" of -json.
func TestSignLeafOnlyAIAUnreachable(t *testing.T) {
	p := certstatustest.NewPKI(t)
	f := newLeafOnlyFiles(t, p)
	require.NoError(t, p.Close())
	env := map[string]string{"P12_PASS": "mật khẩu p12"}
	out := filepath.Join(f.dir, "out.pdf")
	code, stdout, stderr := runCLI(t, env, "sign", "-in", f.in, "-out", out, "-p12", f.p12, "-p12-pass-env", "P12_PASS", "-trust", f.root)
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	assert.Contains(t, stdout, "signed "+f.in)
	assert.Contains(t, stderr, "kyso sign: warning: không bổ sung được chuỗi chứng thư")
	assert.Contains(t, stderr, "/aia/ca.cer")

	out2 := filepath.Join(f.dir, "out2.pdf")
	code, stdout, stderr = runCLI(t, env, "sign", "-json", "-in", f.in, "-out", out2, "-p12", f.p12, "-p12-pass-env", "P12_PASS", "-trust", f.root)
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	var j signJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &j))
	require.Len(t, j.Warnings, 1)
	assert.Contains(t, j.Warnings[0], "không bổ sung được chuỗi chứng thư")
	assert.Contains(t, j.Warnings[0], "NO_CERTIFICATE_CHAIN_FOUND")
	assert.Equal(t, 1, pdfsigValid(t, out2))
}

// TestSignCommandCSCLeafOnly: a remote signing service that returns only the signer's
// certificate; "kyso sign -csc" (one document, and a batch with -in-dir) completes
// the chain and the documents verify offline with only the root trusted.
func TestSignCommandCSCLeafOnly(t *testing.T) {
	p := certstatustest.NewPKI(t)
	srv := csctest.New(t, cscCmdToken, csctest.Credential{ID: "leader", Key: p.Leader.Key, Chain: p.Leader.Chain[:1], PIN: cscCmdPIN})
	f := newLeafOnlyFiles(t, p)
	env := map[string]string{"CSC_TOKEN": cscCmdToken, "CSC_PIN": cscCmdPIN}
	csc := []string{"-csc", srv.URL, "-csc-credential", "leader", "-csc-auth-env", "CSC_TOKEN", "-csc-pin-env", "CSC_PIN", "-trust", f.root}

	out := filepath.Join(f.dir, "csc.pdf")
	code, stdout, stderr := runCLI(t, env, append([]string{"sign", "-in", f.in, "-out", out}, csc...)...)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.NotContains(t, stderr, "warning")
	assert.Equal(t, 1, pdfsigValid(t, out))
	ind, sub := verifiesRootOnly(t, f.root, out)
	assert.Equal(t, "TOTAL_PASSED", ind, sub)

	inDir, outDir := filepath.Join(f.dir, "in"), filepath.Join(f.dir, "out")
	require.NoError(t, os.Mkdir(inDir, 0o700))
	for _, name := range []string{"a.pdf", "b.pdf"} {
		require.NoError(t, os.WriteFile(filepath.Join(inDir, name), pdftest.OnePage(7), 0o600))
	}
	code, stdout, stderr = runCLI(t, env, append([]string{"sign", "-in-dir", inDir, "-out-dir", outDir}, csc...)...)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.NotContains(t, stderr, "warning")
	for _, name := range []string{"a.pdf", "b.pdf"} {
		ind, sub := verifiesRootOnly(t, f.root, filepath.Join(outDir, name))
		assert.Equal(t, "TOTAL_PASSED", ind, "%s: %s", name, sub)
	}

	// Without the AIA server the batch is signed, and the warning is shown once.
	require.NoError(t, p.Close())
	outDir2 := filepath.Join(f.dir, "out2")
	code, stdout, stderr = runCLI(t, env, append([]string{"sign", "-in-dir", inDir, "-out-dir", outDir2}, csc...)...)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Equal(t, 1, strings.Count(stderr, "kyso sign: warning: không bổ sung được chuỗi chứng thư"), stderr)
}

// TestSignLeafOnlyPKCS11: a USB token (SoftHSM2) that holds the signer's key and its
// own certificate, nothing else — the common VGCA token. "kyso sign -pkcs11" embeds
// the issuing CA found through the AIA caIssuers URL.
func TestSignLeafOnlyPKCS11(t *testing.T) {
	if noPKCS11() {
		t.Skip("built with CGO_ENABLED=0: no PKCS#11")
	}
	tokenTestTool(t, "softhsm2-util")
	tokenTestTool(t, "pkcs11-tool")
	p := certstatustest.NewPKI(t)
	f := newLeafOnlyFiles(t, p)
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "tokens"), 0o700))
	conf := filepath.Join(dir, "softhsm2.conf")
	require.NoError(t, os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600))
	t.Setenv("SOFTHSM2_CONF", conf)
	run := func(name string, args ...string) {
		out, err := exec.Command(name, args...).CombinedOutput()
		require.NoError(t, err, "%s %v: %s", name, args, out)
	}
	const label, pin = "Lãnh đạo", "1234"
	run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "87654321")
	keyDER, err := x509.MarshalPKCS8PrivateKey(p.Leader.Key)
	require.NoError(t, err)
	for typ, der := range map[string][]byte{"privkey": keyDER, "cert": p.Leader.Cert.Raw} {
		obj := filepath.Join(dir, typ+".der")
		require.NoError(t, os.WriteFile(obj, der, 0o600))
		args := []string{"--module", tokenTestModule, "--token-label", label, "--login", "--pin", pin, "--write-object", obj, "--type", typ, "--label", "leader", "--id", "01"}
		if typ == "privkey" {
			args = append(args, "--usage-sign")
		}
		run("pkcs11-tool", args...)
	}

	out := filepath.Join(f.dir, "token.pdf")
	before := p.Hits("aia")
	code, stdout, stderr := runCLI(t, map[string]string{"PIN": pin}, "sign", "-in", f.in, "-out", out,
		"-pkcs11", tokenTestModule, "-token", label, "-pin-env", "PIN", "-trust", f.root)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.NotContains(t, stderr, "warning")
	assert.Equal(t, 1, p.Hits("aia")-before, "the CA was downloaded")
	assert.Equal(t, 1, pdfsigValid(t, out))
	ind, sub := verifiesRootOnly(t, f.root, out)
	assert.Equal(t, "TOTAL_PASSED", ind, sub)
}
