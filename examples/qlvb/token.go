package main

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/token"
)

// softHSMPaths are where distributions install the SoftHSM2 PKCS#11 module.
var softHSMPaths = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
}

// The provisioned token.
const (
	provisionedLabel = "KYSO-QLVB"
	leaderKeyLabel   = "lanh-dao"
)

// leaderToken is the chairman's key on a PKCS#11 token, logged in once for the whole
// run.
type leaderToken struct {
	signer *token.KeySigner
	// pinEntries counts the PIN callback's calls: one login for the run.
	pinEntries atomic.Int32
	// where says which token it is, for the report.
	where string
	// trust are extra roots to trust (the root found on a given token).
	trust   []*x509.Certificate
	closers []func()
}

func (t *leaderToken) Close() {
	for i := len(t.closers) - 1; i >= 0; i-- {
		t.closers[i]()
	}
}

// pinFunc returns the PIN callback, counting its calls.
func (t *leaderToken) pinFunc(pin []byte) token.PINFunc {
	return func(ctx context.Context, req token.PINRequest) ([]byte, error) {
		t.pinEntries.Add(1)
		return append([]byte(nil), pin...), nil
	}
}

// openLeaderToken opens the token the configuration names, or provisions a SoftHSM2
// token with the chairman's key and certificate from pki.
func openLeaderToken(ctx context.Context, c *config, pki *certstatustest.PKI) (*leaderToken, error) {
	if c.module != "" {
		return openGivenToken(ctx, c)
	}
	return provisionToken(ctx, c, pki)
}

func openGivenToken(ctx context.Context, c *config) (*leaderToken, error) {
	pin := c.getenv(c.pinEnv)
	if pin == "" {
		return nil, fmt.Errorf("biến môi trường %s không có mã PIN / no PIN given: the environment variable %s is empty", c.pinEnv, c.pinEnv)
	}
	t := &leaderToken{where: fmt.Sprintf("token %q (%s)", c.tokenLabel, c.module)}
	if err := t.open(ctx, c.module, c.tokenLabel, c.keyLabel, []byte(pin)); err != nil {
		t.Close()
		return nil, err
	}
	if ch := t.signer.Chain(); len(ch) > 0 {
		if root := ch[len(ch)-1]; root.CheckSignatureFrom(root) == nil {
			t.trust = append(t.trust, root)
		}
	}
	return t, nil
}

// open opens the module and the token, logs in once and finds the key.
func (t *leaderToken) open(ctx context.Context, module, label, keyLabel string, pin []byte) error {
	m, err := token.OpenModule(module)
	if err != nil {
		return fmt.Errorf("mở mô-đun PKCS#11 / opening the PKCS#11 module %s: %w", module, err)
	}
	t.closers = append(t.closers, func() { m.Close() })
	tok, err := m.OpenToken(ctx, token.TokenOptions{Label: label, PIN: t.pinFunc(pin)})
	if err != nil {
		return fmt.Errorf("đăng nhập thiết bị ký số / logging in to the token: %w", err)
	}
	t.closers = append(t.closers, func() { tok.Close() })
	t.signer, err = tok.Signer(ctx, token.KeySelector{Label: keyLabel})
	if err != nil {
		return fmt.Errorf("tìm khóa của lãnh đạo / finding the leader's key: %w", err)
	}
	return nil
}

// provisionToken makes a SoftHSM2 token in its own directory (never the user's tokens)
// holding the chairman's key, certificate and chain, as the tests of package token do:
// softhsm2-util initialises it and pkcs11-tool writes the objects.
func provisionToken(ctx context.Context, c *config, pki *certstatustest.PKI) (*leaderToken, error) {
	module := c.softhsm
	if module == "" {
		for _, p := range softHSMPaths {
			if _, err := os.Stat(p); err == nil {
				module = p
				break
			}
		}
	}
	if module == "" {
		return nil, errors.New("không tìm thấy SoftHSM2 / SoftHSM2 not found: install softhsm2 (and opensc for pkcs11-tool), or give -softhsm-module or -module")
	}
	for _, tool := range []string{"softhsm2-util", "pkcs11-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("thiếu công cụ / missing tool %s (Debian: softhsm2, opensc): %w", tool, err)
		}
	}
	t := &leaderToken{}
	var dir string
	if c.keepToken {
		dir = filepath.Join(c.dir, "token")
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	} else {
		var err error
		if dir, err = os.MkdirTemp("", "kyso-qlvb-token-"); err != nil {
			return nil, err
		}
		t.closers = append(t.closers, func() { os.RemoveAll(dir) })
	}
	fail := func(err error) (*leaderToken, error) {
		t.Close()
		return nil, err
	}
	tokens := filepath.Join(dir, "tokens")
	if err := os.MkdirAll(tokens, 0o700); err != nil {
		return fail(err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.WriteFile(conf, []byte("directories.tokendir = "+tokens+"\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"), 0o600); err != nil {
		return fail(err)
	}
	// SoftHSM2 reads its configuration when the module is initialised, in this process
	// too.
	os.Setenv("SOFTHSM2_CONF", conf)
	pin, err := randomDigits(8)
	if err != nil {
		return fail(err)
	}
	soPIN, err := randomDigits(8)
	if err != nil {
		return fail(err)
	}
	tool := func(name string, args ...string) error {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = append(os.Environ(), "SOFTHSM2_CONF="+conf)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w: %s", name, err, out)
		}
		return nil
	}
	if err := tool("softhsm2-util", "--init-token", "--free", "--label", provisionedLabel, "--pin", pin, "--so-pin", soPIN); err != nil {
		return fail(err)
	}
	leader := pki.Leader
	key, err := x509.MarshalPKCS8PrivateKey(leader.Key)
	if err != nil {
		return fail(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(leader.Key.Public())
	if err != nil {
		return fail(err)
	}
	objects := []struct {
		typ, label, id string
		der            []byte
	}{
		{"privkey", leaderKeyLabel, "01", key},
		{"pubkey", leaderKeyLabel, "01", pub},
		{"cert", leaderKeyLabel, "01", leader.Cert.Raw},
		{"cert", "CA", "ca01", pki.CA.Cert.Raw},
		{"cert", "Root CA", "ca02", pki.Root.Cert.Raw},
	}
	for _, o := range objects {
		f := filepath.Join(dir, "object.der")
		if err := os.WriteFile(f, o.der, 0o600); err != nil {
			return fail(err)
		}
		args := []string{"--module", module, "--token-label", provisionedLabel, "--login", "--pin", pin,
			"--write-object", f, "--type", o.typ, "--label", o.label, "--id", o.id}
		if o.typ == "privkey" {
			args = append(args, "--usage-sign")
		}
		err := tool("pkcs11-tool", args...)
		os.Remove(f) // the key file lives only for the import
		if err != nil {
			return fail(err)
		}
	}
	t.where = fmt.Sprintf("SoftHSM2 token %q provisioned in %s", provisionedLabel, dir)
	if c.keepToken {
		// A kept token is for trying the kyso command on it: its user PIN (a test
		// token's, of no value) goes beside it, readable by the owner only.
		pinFile := filepath.Join(dir, "pin.txt")
		if err := os.WriteFile(pinFile, []byte(pin+"\n"), 0o600); err != nil {
			return fail(err)
		}
		t.where += fmt.Sprintf(" (kept, PIN in %s: KYSO_PIN=$(cat %s) SOFTHSM2_CONF=%s go run ./examples/kyso token list -module %s -pin-env KYSO_PIN)", pinFile, pinFile, conf, module)
	}
	if err := t.open(ctx, module, provisionedLabel, leaderKeyLabel, []byte(pin)); err != nil {
		return fail(err)
	}
	return t, nil
}

// randomDigits returns n random decimal digits (a PIN).
func randomDigits(n int) (string, error) {
	b := make([]byte, n)
	for i := range b {
		d, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			return "", err
		}
		b[i] = byte('0' + d.Int64())
	}
	return string(b), nil
}
