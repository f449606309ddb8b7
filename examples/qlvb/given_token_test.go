package main

import (
	"crypto/x509"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
)

// TestGivenToken: with -module the program signs with the key already on that token
// (here a SoftHSM2 token this test provisions with a certificate of another test PKI,
// whose root is on the token), logging in once with the PIN from -pin-env.
func TestGivenToken(t *testing.T) {
	needTools(t, "softhsm2-util", "pkcs11-tool")
	module := ""
	for _, p := range softHSMPaths {
		if _, err := os.Stat(p); err == nil {
			module = p
			break
		}
	}
	if module == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("SoftHSM2 module missing under CI")
		}
		t.Skip("SoftHSM2 module missing")
	}
	other := certstatustest.NewPKI(t) // its OCSP and CRL answer for the token's certificate
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	require.NoError(t, os.Mkdir(tokens, 0o700))
	conf := filepath.Join(dir, "softhsm2.conf")
	require.NoError(t, os.WriteFile(conf, []byte("directories.tokendir = "+tokens+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600))
	t.Setenv("SOFTHSM2_CONF", conf)
	const label, pin = "TOKEN-CUA-LANH-DAO", "24681357"
	tool := func(name string, args ...string) {
		out, err := exec.Command(name, args...).CombinedOutput()
		require.NoError(t, err, "%s %v: %s", name, args, out)
	}
	tool("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "87654321")
	key, err := x509.MarshalPKCS8PrivateKey(other.Leader.Key)
	require.NoError(t, err)
	for _, o := range []struct {
		typ, label string
		id         []byte
		der        []byte
	}{
		{"privkey", "chu-tich", []byte{7}, key},
		{"cert", "chu-tich", []byte{7}, other.Leader.Cert.Raw},
		{"cert", "CA", []byte{0xCA, 1}, other.CA.Cert.Raw},
		{"cert", "Root", []byte{0xCA, 2}, other.Root.Cert.Raw},
	} {
		f := filepath.Join(dir, "obj.der")
		require.NoError(t, os.WriteFile(f, o.der, 0o600))
		args := []string{"--module", module, "--token-label", label, "--login", "--pin", pin,
			"--write-object", f, "--type", o.typ, "--label", o.label, "--id", hex.EncodeToString(o.id)}
		if o.typ == "privkey" {
			args = append(args, "--usage-sign")
		}
		tool("pkcs11-tool", args...)
	}
	t.Setenv("QLVB_TEST_PIN", pin)

	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runQLVB(t, "-dir", out, "-batch", "1", "-module", module, "-token", label, "-key-label", "chu-tich", "-pin-env", "QLVB_TEST_PIN")
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Contains(t, stdout, `token "TOKEN-CUA-LANH-DAO"`)
	assert.Contains(t, stdout, "whole run: 1")
	assert.Contains(t, stdout, "Đã ký / signed 1/2")

	// A missing PIN is said plainly.
	code, _, stderr = runQLVB(t, "-dir", out, "-module", module, "-token", label, "-pin-env", "QLVB_TEST_NO_PIN")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no PIN given")
}
