//go:build cgo

package token

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// softHSMModule is where Debian installs SoftHSM2.
const softHSMModule = "/usr/lib/softhsm/libsofthsm2.so"

// softHSM is a SoftHSM2 instance private to one test: its own configuration and token
// directory under t.TempDir(), never the user's tokens.
type softHSM struct {
	dir, conf, module string
}

// newSoftHSM points SOFTHSM2_CONF at a fresh configuration (so tests using it cannot run
// in parallel with one another).
func newSoftHSM(t testing.TB) *softHSM {
	t.Helper()
	needTool(t, "softhsm2-util")
	needTool(t, "pkcs11-tool")
	if _, err := os.Stat(softHSMModule); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("SoftHSM2 module missing under CI: %v", err)
		}
		t.Skipf("SoftHSM2 module missing: %v", err)
	}
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	require.NoError(t, os.Mkdir(tokens, 0o700))
	conf := filepath.Join(dir, "softhsm2.conf")
	require.NoError(t, os.WriteFile(conf, []byte("directories.tokendir = "+tokens+"\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"), 0o600))
	if s, ok := t.(interface{ Setenv(string, string) }); ok {
		s.Setenv("SOFTHSM2_CONF", conf)
	}
	return &softHSM{dir: dir, conf: conf, module: softHSMModule}
}

const testSOPIN = "87654321"

func (s *softHSM) run(t testing.TB, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "SOFTHSM2_CONF="+s.conf)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
}

// initToken creates a token in the next free slot.
func (s *softHSM) initToken(t testing.TB, label, pin string) {
	t.Helper()
	s.run(t, "softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", testSOPIN)
}

// write stores one object on a token with pkcs11-tool (a separate process, so C_CreateObject
// runs through OpenSC's code, not this package's).
func (s *softHSM) write(t testing.TB, token, pin, typ string, der []byte, id []byte, label string, extra ...string) {
	t.Helper()
	f := filepath.Join(s.dir, "obj.der")
	require.NoError(t, os.WriteFile(f, der, 0o600))
	defer os.Remove(f)
	args := []string{"--module", s.module, "--token-label", token, "--login", "--pin", pin,
		"--write-object", f, "--type", typ, "--label", label}
	if len(id) > 0 {
		args = append(args, "--id", hex.EncodeToString(id))
	}
	if typ == "privkey" {
		args = append(args, "--usage-sign")
	}
	s.run(t, "pkcs11-tool", append(args, extra...)...)
}

// importKey stores a private key, its public key and certificate under id.
func (s *softHSM) importKey(t testing.TB, token, pin string, id []byte, label string, key crypto.Signer, cert *x509.Certificate) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	s.write(t, token, pin, "privkey", der, id, label)
	pub, err := x509.MarshalPKIXPublicKey(key.Public())
	require.NoError(t, err)
	s.write(t, token, pin, "pubkey", pub, id, label)
	if cert != nil {
		s.write(t, token, pin, "cert", cert.Raw, id, label)
	}
}

// open opens the module for the test and closes it at the end.
func (s *softHSM) open(t testing.TB) *Module {
	t.Helper()
	m, err := OpenModule(s.module)
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	return m
}

// staticPIN returns a PINFunc giving pin and counting its calls.
func staticPIN(pin string, calls *int, mu *sync.Mutex) PINFunc {
	return func(ctx context.Context, req PINRequest) ([]byte, error) {
		if mu != nil {
			mu.Lock()
			*calls++
			mu.Unlock()
		}
		return []byte(pin), nil
	}
}

var (
	keysOnce  sync.Once
	keysCache []testKey
)

// sharedKeys generates RSA-2048, RSA-3072 and P-256 keys once per test binary.
func sharedKeys(t testing.TB) []testKey {
	keysOnce.Do(func() { keysCache = genKeys(t) })
	require.Len(t, keysCache, 3)
	return keysCache
}

// provisioned is a token holding the three test keys with certificates from pki, plus
// the issuing and root certificates.
type provisioned struct {
	hsm   *softHSM
	pki   *testPKI
	label string
	pin   string
	keys  []testKey
	certs map[string]*x509.Certificate
}

func provision(t testing.TB, hsm *softHSM, label, pin string) *provisioned {
	t.Helper()
	p := &provisioned{hsm: hsm, pki: newTestPKI(t), label: label, pin: pin, keys: sharedKeys(t), certs: map[string]*x509.Certificate{}}
	hsm.initToken(t, label, pin)
	for i, k := range p.keys {
		cert := p.pki.leaf(t, "Nguyễn Văn A "+k.name, k.key.Public())
		p.certs[k.name] = cert
		hsm.importKey(t, label, pin, []byte{byte(i + 1)}, k.name, k.key, cert)
	}
	hsm.write(t, label, pin, "cert", p.pki.issuing.Raw, []byte{0xCA, 1}, "issuing CA")
	hsm.write(t, label, pin, "cert", p.pki.root.Raw, []byte{0xCA, 2}, "root CA")
	return p
}
