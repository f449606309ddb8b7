//go:build cgo

package token

import (
	"context"
	"crypto"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shimModule builds testdata/pkcs11shim.c, a pass-through PKCS#11 module in front of
// SoftHSM2 that counts wrong PINs and locks like a real token, and can pretend the token
// was unplugged, has a PIN pad, or wants its PIN changed. It returns the module path and
// a function that sets the shim's state ("removed", "expired", "pinpad", or "").
func shimModule(t *testing.T, hsm *softHSM, maxTries string) (string, func(state string)) {
	t.Helper()
	gcc := needTool(t, "gcc")
	goTool := needTool(t, "go")
	out, err := exec.Command(goTool, "list", "-m", "-f", "{{.Dir}}", "github.com/miekg/pkcs11").Output()
	require.NoError(t, err, "locating pkcs11.h")
	include := strings.TrimSpace(string(out))
	lib := filepath.Join(t.TempDir(), "libkysoshim.so")
	cmd := exec.Command(gcc, "-shared", "-fPIC", "-Wall", "-Werror", "-o", lib, "testdata/pkcs11shim.c", "-I", include, "-ldl", "-lpthread")
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "gcc: %s", b)
	control := filepath.Join(t.TempDir(), "control")
	require.NoError(t, os.WriteFile(control, nil, 0o600))
	t.Setenv("KYSO_SHIM_TARGET", hsm.module)
	t.Setenv("KYSO_SHIM_CONTROL", control)
	t.Setenv("KYSO_SHIM_MAX_TRIES", maxTries)
	t.Setenv("KYSO_SHIM_PAD_PIN", "1234")
	return lib, func(state string) {
		require.NoError(t, os.WriteFile(control, []byte(state), 0o600))
	}
}

// TestPINLockOut drives a token to lock-out: each wrong PIN says how many tries are left
// as the token reports it, the last one locks, and a locked token is not even offered the
// right PIN (every try would be wasted and could count against recovery).
func TestPINLockOut(t *testing.T) {
	hsm := newSoftHSM(t)
	provision(t, hsm, "USB", "1234")
	lib, _ := shimModule(t, hsm, "3")
	m, err := OpenModule(lib)
	require.NoError(t, err)
	defer m.Close()
	ctx := context.Background()
	open := func(pin string) error {
		_, err := m.OpenToken(ctx, TokenOptions{Label: "USB", PIN: staticPIN(pin, nil, nil)})
		return err
	}

	err = open("0000")
	require.ErrorIs(t, err, ErrPINIncorrect)
	var pe *PINError
	require.ErrorAs(t, err, &pe)
	assert.True(t, pe.CountLow)
	assert.False(t, pe.FinalTry)
	assert.Contains(t, err.Error(), "chỉ còn ít lần thử")

	err = open("1111")
	require.ErrorIs(t, err, ErrPINIncorrect)
	require.ErrorAs(t, err, &pe)
	assert.True(t, pe.FinalTry)
	assert.Contains(t, err.Error(), "còn một lần thử cuối cùng")
	assert.Contains(t, err.Error(), "final try")

	err = open("2222")
	require.ErrorIs(t, err, ErrPINLocked)
	require.NotErrorIs(t, err, ErrPINIncorrect)
	assert.Contains(t, err.Error(), "khôi phục")
	assert.Contains(t, err.Error(), "Mẫu số 06, Nghị định 68/2024/NĐ-CP")
	assert.Contains(t, err.Error(), "Mẫu 11/12")
	assert.Contains(t, err.Error(), "the CA recovers the device on the managing organisation's request")

	calls := 0
	var mu sync.Mutex
	_, err = m.OpenToken(ctx, TokenOptions{Label: "USB", PIN: staticPIN("1234", &calls, &mu)})
	require.ErrorIs(t, err, ErrPINLocked)
	assert.Zero(t, calls, "a locked token must not be offered a PIN")

	tokens, err := m.Tokens(ctx)
	require.NoError(t, err, "the module stays usable")
	assert.True(t, tokens[0].Flags.PINLocked())
}

// A good PIN resets the counter, as on real tokens.
func TestPINCounterResets(t *testing.T) {
	hsm := newSoftHSM(t)
	provision(t, hsm, "USB", "1234")
	lib, _ := shimModule(t, hsm, "3")
	m, err := OpenModule(lib)
	require.NoError(t, err)
	defer m.Close()
	ctx := context.Background()
	for range 2 {
		_, err = m.OpenToken(ctx, TokenOptions{Label: "USB", PIN: staticPIN("0000", nil, nil)})
		require.ErrorIs(t, err, ErrPINIncorrect)
	}
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "USB", PIN: staticPIN("1234", nil, nil)})
	require.NoError(t, err)
	st, err := tok.Status(ctx)
	require.NoError(t, err)
	assert.False(t, st.Flags.PINCountLow())
	assert.False(t, st.Flags.PINFinalTry())
}

func TestPINMustBeChanged(t *testing.T) {
	hsm := newSoftHSM(t)
	provision(t, hsm, "USB", "1234")
	lib, set := shimModule(t, hsm, "3")
	set("expired")
	m, err := OpenModule(lib)
	require.NoError(t, err)
	defer m.Close()
	_, err = m.OpenToken(context.Background(), TokenOptions{Label: "USB", PIN: staticPIN("1234", nil, nil)})
	require.ErrorIs(t, err, ErrPINExpired)
	assert.Contains(t, err.Error(), "phải đổi")
}

// With a protected authentication path and no PIN callback, the PIN is entered on the
// device (the shim types KYSO_SHIM_PAD_PIN).
func TestPINPad(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "Pad", "1234")
	lib, set := shimModule(t, hsm, "3")
	set("pinpad")
	m, err := OpenModule(lib)
	require.NoError(t, err)
	defer m.Close()
	ctx := context.Background()
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "Pad"})
	require.NoError(t, err)
	assert.True(t, tok.Info().Flags.ProtectedAuthPath())
	s, err := tok.Signer(ctx, KeySelector{Label: "RSA-2048"})
	require.NoError(t, err)
	d := digestOf(crypto.SHA256, "x")
	sig, err := s.Sign(nil, d, crypto.SHA256)
	require.NoError(t, err)
	checkSignature(t, p.certs["RSA-2048"].PublicKey, d, sig, crypto.SHA256)
}

// TestTokenRemoved unplugs the token while a signer holds it: signing fails with
// ErrTokenRemoved and a message naming the problem, the token is reported absent, and
// once it is back the pool opens fresh sessions and logs in again.
func TestTokenRemoved(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "USB", "1234")
	lib, set := shimModule(t, hsm, "3")
	m, err := OpenModule(lib)
	require.NoError(t, err)
	defer m.Close()
	ctx := context.Background()
	calls := 0
	var mu sync.Mutex
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "USB", PIN: staticPIN("1234", &calls, &mu)})
	require.NoError(t, err)
	s, err := tok.Signer(ctx, KeySelector{Label: "EC-P256"})
	require.NoError(t, err)
	d := digestOf(crypto.SHA256, "x")
	_, err = s.Sign(nil, d, crypto.SHA256)
	require.NoError(t, err)

	set("removed")
	_, err = s.Sign(nil, d, crypto.SHA256)
	require.ErrorIs(t, err, ErrTokenRemoved)
	assert.Contains(t, err.Error(), "rút ra")
	_, err = m.OpenToken(ctx, TokenOptions{Label: "USB", PIN: staticPIN("1234", nil, nil)})
	require.ErrorIs(t, err, ErrTokenNotPresent)
	_, err = tok.Status(ctx)
	require.ErrorIs(t, err, ErrTokenNotPresent)

	set("")
	sig, err := s.Sign(nil, d, crypto.SHA256)
	require.NoError(t, err, "the pool recovers once the token is back")
	checkSignature(t, p.certs["EC-P256"].PublicKey, d, sig, crypto.SHA256)
	assert.Equal(t, 2, calls, "logged in again after the token came back")
}

// The pool never opens more sessions than the token allows, however many goroutines sign.
func TestTokenSessionLimit(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "Small", "1234")
	lib, set := shimModule(t, hsm, "3")
	set("max2")
	m, err := OpenModule(lib)
	require.NoError(t, err)
	defer m.Close()
	ctx := context.Background()
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "Small", PIN: staticPIN("1234", nil, nil)})
	require.NoError(t, err)
	assert.Equal(t, uint(2), tok.Info().MaxSessions)
	s, err := tok.Signer(ctx, KeySelector{Label: "EC-P256"})
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 16*4)
	for range 16 {
		wg.Go(func() {
			for range 4 {
				d := digestOf(crypto.SHA256, "x")
				sig, err := s.SignContext(ctx, d, crypto.SHA256)
				if err == nil {
					err = verify(p.certs["EC-P256"].PublicKey, d, sig, crypto.SHA256)
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err) // CKR_SESSION_COUNT would show here
	}
	assert.LessOrEqual(t, tok.pool.size(), 2)
}
