package certstatustest_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func lookTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI: %v", name, err)
		}
		t.Skipf("%s not installed: %v", name, err)
	}
	return p
}

// A holder's key exported with KeyPEM imports into a SoftHSM2 token, where token
// tests find it next to its certificate.
func TestHolderKeyImportsIntoSoftHSM(t *testing.T) {
	softhsm := lookTool(t, "softhsm2-util")
	pkcs11tool := lookTool(t, "pkcs11-tool")
	module := "/usr/lib/softhsm/libsofthsm2.so"
	if _, err := os.Stat(module); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	pki := certstatustest.NewPKI(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "softhsm2.conf")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "tokens"), 0o700))
	require.NoError(t, os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\n"), 0o600))
	env := append(os.Environ(), "SOFTHSM2_CONF="+conf)
	runTool := func(name string, args ...string) string {
		cmd := exec.Command(name, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s %v: %s", name, args, out)
		return string(out)
	}
	runTool(softhsm, "--init-token", "--free", "--label", "kyso-test", "--pin", "123456", "--so-pin", "12345678")

	keyPEM, err := pki.Leader.KeyPEM()
	require.NoError(t, err)
	keyFile := filepath.Join(dir, "leader-key.pem")
	require.NoError(t, os.WriteFile(keyFile, keyPEM, 0o600))
	certFile := filepath.Join(dir, "leader.der")
	require.NoError(t, os.WriteFile(certFile, pki.Leader.Cert.Raw, 0o600))
	runTool(softhsm, "--import", keyFile, "--token", "kyso-test", "--label", "leader", "--id", "01", "--pin", "123456")
	runTool(pkcs11tool, "--module", module, "--token-label", "kyso-test", "--login", "--pin", "123456",
		"--write-object", certFile, "--type", "cert", "--id", "01", "--label", "leader")

	out := runTool(pkcs11tool, "--module", module, "--token-label", "kyso-test", "--login", "--pin", "123456", "--list-objects")
	assert.Contains(t, out, "Private Key Object; RSA")
	assert.Contains(t, out, "Certificate Object")
	assert.True(t, strings.Contains(out, "label:      leader") || strings.Contains(out, "label: leader"), out)
	assert.Contains(t, out, fmt.Sprintf("ID:         %02x", 1))
}
