//go:build cgo

package token

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/miekg/pkcs11"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSoftHSMSignsWithEveryMechanism(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "Kyso Test", "1234")
	m := hsm.open(t)

	tokens, err := m.Tokens(context.Background())
	require.NoError(t, err)
	require.Len(t, tokens, 2, "the test token and SoftHSM's free slot")
	assert.Equal(t, "Kyso Test", tokens[0].Label)
	assert.Equal(t, "SoftHSM project", tokens[0].Manufacturer)
	assert.True(t, tokens[0].Flags.LoginRequired())
	assert.True(t, tokens[0].Flags.Initialized())
	assert.NotEmpty(t, tokens[0].Serial)
	assert.False(t, tokens[1].Flags.Initialized())

	tok, err := m.OpenToken(context.Background(), TokenOptions{Label: "Kyso Test", PIN: staticPIN("1234", nil, nil)})
	require.NoError(t, err)
	rec := newExclusiveBackend(tok.be)
	rec.install(tok)
	keys, err := tok.Keys(context.Background())
	require.NoError(t, err)
	require.Len(t, keys, 3)
	for _, k := range keys {
		require.NotNil(t, k.Certificate, "key %s", k.Label)
		assert.True(t, k.Certificate.Equal(p.certs[k.Label]), "key %s paired with the wrong certificate", k.Label)
		assert.Equal(t, []string{p.pki.issuing.Subject.CommonName, p.pki.root.Subject.CommonName}, subjects(k.Chain))
	}

	for i, k := range p.keys {
		t.Run(k.name, func(t *testing.T) {
			s, err := tok.Signer(context.Background(), KeySelector{ID: []byte{byte(i + 1)}})
			require.NoError(t, err)
			var _ Signer = s
			assert.True(t, s.Certificate().Equal(p.certs[k.name]))
			assert.Len(t, s.Chain(), 2)
			for _, c := range signCases(s.Public()) {
				t.Run(c.name, func(t *testing.T) {
					d := digestOf(c.opts.HashFunc(), "công văn số 12")
					sig, err := s.Sign(rand.Reader, d, c.opts)
					require.NoError(t, err)
					checkSignature(t, p.certs[k.name].PublicKey, d, sig, c.opts)
					raw, combined := signMechanisms(s.Public(), c.opts)
					assert.Equal(t, raw, rec.lastMechanism(), "a digest is signed with the raw mechanism")

					// The token hashes (CKM_SHAxxx_RSA_PKCS[_PSS]) or, where it
					// cannot (SoftHSM has no CKM_ECDSA_SHAxxx), this package does.
					msg := []byte("công văn số 12 — toàn văn")
					sig, err = s.SignMessage(rand.Reader, msg, c.opts)
					require.NoError(t, err)
					checkSignature(t, p.certs[k.name].PublicKey, digestOf(c.opts.HashFunc(), string(msg)), sig, c.opts)
					offered, err := tok.hasMechanism(combined)
					require.NoError(t, err)
					if _, isRSA := s.Public().(*rsa.PublicKey); isRSA {
						require.True(t, offered, "SoftHSM2 offers mechanism 0x%X", combined)
					}
					if offered {
						assert.Equal(t, combined, rec.lastMechanism(), "the token hashes when it offers the combined mechanism")
					} else {
						assert.Equal(t, raw, rec.lastMechanism(), "hashed here when the token cannot")
					}
				})
			}
			_, err = s.Sign(rand.Reader, digestOf(crypto.SHA1, "x"), crypto.SHA1)
			require.ErrorIs(t, err, ErrWeakHash)
			_, err = s.SignMessage(rand.Reader, []byte("x"), crypto.SHA1)
			require.ErrorIs(t, err, ErrWeakHash)
			if _, ok := s.Public().(*rsa.PublicKey); !ok {
				_, err = s.Sign(rand.Reader, digestOf(crypto.SHA256, "x"), &rsa.PSSOptions{Hash: crypto.SHA256})
				require.ErrorIs(t, err, ErrUnsupportedOptions)
			}
		})
	}
}

func TestSignerSelection(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "Many", "1234")
	hsm.initToken(t, "One", "5678")
	// The certificate carries another CKA_ID than the key: found by public key.
	k := p.keys[2]
	hsm.importKey(t, "One", "5678", []byte{0x42}, "only key", k.key, nil)
	hsm.write(t, "One", "5678", "cert", p.certs[k.name].Raw, []byte{0x99}, "its certificate")
	// A key without certificate is listed but never chosen.
	hsm.importKey(t, "One", "5678", []byte{0x43}, "no certificate", p.keys[0].key, nil)
	m := hsm.open(t)
	ctx := context.Background()

	many, err := m.OpenToken(ctx, TokenOptions{Label: "Many", PIN: staticPIN("1234", nil, nil)})
	require.NoError(t, err)
	_, err = many.Signer(ctx, KeySelector{})
	require.ErrorIs(t, err, ErrAmbiguousKey)
	_, err = many.Signer(ctx, KeySelector{ID: []byte{0x77}})
	require.ErrorIs(t, err, ErrKeyNotFound)
	s, err := many.Signer(ctx, KeySelector{Label: "RSA-3072"})
	require.NoError(t, err)
	assert.True(t, s.Certificate().Equal(p.certs["RSA-3072"]))

	one, err := m.OpenToken(ctx, TokenOptions{Label: "One", PIN: staticPIN("5678", nil, nil)})
	require.NoError(t, err)
	keys, err := one.Keys(ctx)
	require.NoError(t, err)
	require.Len(t, keys, 2)
	s, err = one.Signer(ctx, KeySelector{})
	require.NoError(t, err, "the only key with a certificate is chosen without a selector")
	assert.Equal(t, []byte{0x42}, s.Info().ID)
	assert.True(t, s.Certificate().Equal(p.certs[k.name]))
	d := digestOf(crypto.SHA256, "x")
	sig, err := s.Sign(nil, d, crypto.SHA256)
	require.NoError(t, err)
	checkSignature(t, s.Public(), d, sig, crypto.SHA256)

	_, err = m.OpenToken(ctx, TokenOptions{PIN: staticPIN("1234", nil, nil)})
	require.ErrorIs(t, err, ErrAmbiguousToken)
	_, err = m.OpenToken(ctx, TokenOptions{Label: "Không có", PIN: staticPIN("1234", nil, nil)})
	require.ErrorIs(t, err, ErrTokenNotFound)
}

func TestWrongPIN(t *testing.T) {
	hsm := newSoftHSM(t)
	provision(t, hsm, "PIN", "1234")
	m := hsm.open(t)
	ctx := context.Background()

	_, err := m.OpenToken(ctx, TokenOptions{Label: "PIN", PIN: staticPIN("0000", nil, nil)})
	require.ErrorIs(t, err, ErrPINIncorrect)
	var pe *PINError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, PINIncorrect, pe.Reason)
	assert.True(t, pe.CountLow, "SoftHSM2 sets CKF_USER_PIN_COUNT_LOW after a wrong PIN")
	assert.Contains(t, err.Error(), "mã PIN không đúng")
	assert.Contains(t, err.Error(), "incorrect PIN")

	tokens, err := m.Tokens(ctx)
	require.NoError(t, err)
	require.Equal(t, "PIN", tokens[0].Label)
	assert.True(t, tokens[0].Flags.PINCountLow())

	// The module is still usable and the right PIN works.
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "PIN", PIN: staticPIN("1234", nil, nil)})
	require.NoError(t, err)
	st, err := tok.Status(ctx)
	require.NoError(t, err)
	assert.False(t, st.Flags.PINCountLow(), "a good login clears the counter")
}

// TestSoftHSMDoesNotLockPIN records what SoftHSM2 2.6 does (see its Token::loginUser): it
// sets CKF_USER_PIN_COUNT_LOW after a wrong PIN and clears it after a good one, but
// never locks. Lock-out is tested against a pass-through module that behaves like a real
// token (TestPINLockOut).
func TestSoftHSMDoesNotLockPIN(t *testing.T) {
	hsm := newSoftHSM(t)
	provision(t, hsm, "NoLock", "1234")
	m := hsm.open(t)
	ctx := context.Background()
	for range 12 {
		_, err := m.OpenToken(ctx, TokenOptions{Label: "NoLock", PIN: staticPIN("9999", nil, nil)})
		require.ErrorIs(t, err, ErrPINIncorrect)
		require.NotErrorIs(t, err, ErrPINLocked)
	}
	tokens, err := m.Tokens(ctx)
	require.NoError(t, err)
	require.Equal(t, "NoLock", tokens[0].Label)
	assert.False(t, tokens[0].Flags.PINLocked())
	assert.False(t, tokens[0].Flags.PINFinalTry())
	_, err = m.OpenToken(ctx, TokenOptions{Label: "NoLock", PIN: staticPIN("1234", nil, nil)})
	require.NoError(t, err)
}

func TestNoPIN(t *testing.T) {
	hsm := newSoftHSM(t)
	provision(t, hsm, "NoPIN", "1234")
	m := hsm.open(t)
	ctx := context.Background()
	_, err := m.OpenToken(ctx, TokenOptions{Label: "NoPIN"})
	require.ErrorIs(t, err, ErrNoPIN)
	cancelled := errors.New("người dùng hủy / user cancelled")
	_, err = m.OpenToken(ctx, TokenOptions{Label: "NoPIN", PIN: func(context.Context, PINRequest) ([]byte, error) { return nil, cancelled }})
	require.ErrorIs(t, err, ErrNoPIN)
	require.ErrorIs(t, err, cancelled)
}

func TestTokenAbsent(t *testing.T) {
	hsm := newSoftHSM(t) // no token initialised: only SoftHSM's free slot
	m := hsm.open(t)
	_, err := m.OpenToken(context.Background(), TokenOptions{Label: "USB", PIN: staticPIN("1234", nil, nil)})
	require.ErrorIs(t, err, ErrTokenNotPresent)
	slots, err := m.Slots(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, slots)
	require.NotNil(t, slots[0].Token)
	assert.False(t, slots[0].Token.Flags.Initialized())
}

func TestOpenModuleErrors(t *testing.T) {
	_, err := OpenModule("/nonexistent/libpkcs11.so")
	require.ErrorIs(t, err, ErrModule)
	_, err = OpenModule("/etc/hostname")
	require.ErrorIs(t, err, ErrModule)
}

// TestFailedLoginKeepsModule: a failed login through one Module (and its Close) must not
// finalise the module under another part of the program signing with it.
func TestFailedLoginKeepsModule(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "A", "1234")
	hsm.initToken(t, "B", "5678")
	ctx := context.Background()

	m1 := hsm.open(t)
	ta, err := m1.OpenToken(ctx, TokenOptions{Label: "A", PIN: staticPIN("1234", nil, nil)})
	require.NoError(t, err)
	s, err := ta.Signer(ctx, KeySelector{Label: "EC-P256"})
	require.NoError(t, err)

	m2, err := OpenModule(hsm.module)
	require.NoError(t, err)
	_, err = m2.OpenToken(ctx, TokenOptions{Label: "B", PIN: staticPIN("0000", nil, nil)})
	require.ErrorIs(t, err, ErrPINIncorrect)
	require.NoError(t, m2.Close())
	require.NoError(t, m2.Close(), "closing twice is harmless")

	d := digestOf(crypto.SHA256, "x")
	sig, err := s.Sign(nil, d, crypto.SHA256)
	require.NoError(t, err, "module must still be initialised for the first user")
	checkSignature(t, p.certs["EC-P256"].PublicKey, d, sig, crypto.SHA256)

	_, err = m2.OpenToken(ctx, TokenOptions{Label: "A"})
	require.ErrorIs(t, err, ErrClosed)
}

// TestConcurrentSigning: 64 goroutines sign with one key at once; every signature must
// verify and no session be shared (run under -race by .ci/test).
func TestConcurrentSigning(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "Busy", "1234")
	m := hsm.open(t)
	ctx := context.Background()
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "Busy", PIN: staticPIN("1234", nil, nil), MaxSessions: 8})
	require.NoError(t, err)
	excl := newExclusiveBackend(tok.be)
	excl.install(tok)
	signers := map[string]*KeySigner{}
	for _, k := range p.keys {
		s, err := tok.Signer(ctx, KeySelector{Label: k.name})
		require.NoError(t, err)
		signers[k.name] = s
	}

	const goroutines, each = 64, 4
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*each)
	for g := range goroutines {
		wg.Go(func() {
			k := p.keys[g%len(p.keys)]
			s := signers[k.name]
			for i := range each {
				opts := crypto.SignerOpts(crypto.SHA256)
				if _, ok := s.Public().(*rsa.PublicKey); ok && i%2 == 1 {
					opts = &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: rsa.PSSSaltLengthEqualsHash}
				}
				d := digestOf(crypto.SHA256, string(rune('a'+g))+string(rune('a'+i)))
				sig, err := s.SignContext(ctx, d, opts)
				if err != nil {
					errs <- err
					continue
				}
				if err := verify(s.Public(), d, sig, opts); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	calls, violations := excl.report()
	assert.Greater(t, calls, 2*goroutines*each, "every signature went through the checker")
	assert.Empty(t, violations, "a session was used by two goroutines at once")
	assert.LessOrEqual(t, tok.pool.size(), 8, "the pool must respect MaxSessions")
}

// TestSessionsClosedUnderneath closes every session of the token through a second module
// handle while goroutines sign: the pool discards the dead sessions, logs in again and
// every signature still succeeds.
func TestSessionsClosedUnderneath(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "Flaky", "1234")
	m := hsm.open(t)
	ctx := context.Background()
	var mu sync.Mutex
	calls := 0
	relogins := 0
	pin := func(ctx context.Context, req PINRequest) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if req.Relogin {
			relogins++
		}
		return []byte("1234"), nil
	}
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "Flaky", PIN: pin, MaxSessions: 4})
	require.NoError(t, err)
	excl := newExclusiveBackend(tok.be)
	excl.install(tok)
	s, err := tok.Signer(ctx, KeySelector{Label: "RSA-2048"})
	require.NoError(t, err)

	// A second handle on the same library: it shares the module's state, as another
	// component of the program (or a buggy one) would.
	other := pkcs11.New(hsm.module)
	require.NotNil(t, other)
	defer other.Destroy()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var failures []error
	var fmu sync.Mutex
	signed := 0
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				d := digestOf(crypto.SHA256, "x")
				sig, err := s.SignContext(ctx, d, crypto.SHA256)
				if err == nil {
					err = verify(s.Public(), d, sig, crypto.SHA256)
				}
				fmu.Lock()
				if err != nil {
					failures = append(failures, err)
				} else {
					signed++
				}
				fmu.Unlock()
			}
		})
	}
	for range 5 {
		time.Sleep(40 * time.Millisecond)
		// SoftHSM2 frees a session closed by C_CloseAllSessions even while another
		// thread is inside a call on it (and crashes), so the pool's slots are taken
		// first: signers stay mid-run, between calls, and find their sessions dead.
		for range cap(tok.pool.sem) {
			tok.pool.sem <- struct{}{}
		}
		err := other.CloseAllSessions(tok.Info().SlotID)
		for range cap(tok.pool.sem) {
			<-tok.pool.sem
		}
		require.NoError(t, err)
	}
	// One more signature after the last close, whatever the scheduler did meanwhile.
	d := digestOf(crypto.SHA256, "after")
	sig, err := s.SignContext(ctx, d, crypto.SHA256)
	require.NoError(t, err)
	require.NoError(t, verify(s.Public(), d, sig, crypto.SHA256))
	close(stop)
	wg.Wait()
	for _, err := range failures {
		t.Error(err)
	}
	assert.Positive(t, signed)
	assert.Positive(t, relogins, "the pool must have logged in again")
	_, violations := excl.report()
	assert.Empty(t, violations, "a session was used by two goroutines at once")
	_ = p
}

// TestContextWhileWaiting: a signer waiting for a session gives up with its context.
func TestContextWhileWaiting(t *testing.T) {
	hsm := newSoftHSM(t)
	provision(t, hsm, "One session", "1234")
	m := hsm.open(t)
	tok, err := m.OpenToken(context.Background(), TokenOptions{Label: "One session", PIN: staticPIN("1234", nil, nil), MaxSessions: 1})
	require.NoError(t, err)
	s, err := tok.Signer(context.Background(), KeySelector{Label: "EC-P256"})
	require.NoError(t, err)
	sh, err := tok.pool.get(context.Background()) // hold the only session
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = s.SignContext(ctx, digestOf(crypto.SHA256, "x"), crypto.SHA256)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	tok.pool.put(sh, false)
	_, err = s.SignContext(context.Background(), digestOf(crypto.SHA256, "x"), crypto.SHA256)
	require.NoError(t, err)
	require.NoError(t, tok.Close())
	_, err = s.SignContext(context.Background(), digestOf(crypto.SHA256, "x"), crypto.SHA256)
	require.ErrorIs(t, err, ErrClosed)
}

// Certificates are public objects: listed without login, while private keys stay hidden.
func TestCertificatesWithoutLogin(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "Public", "1234")
	m := hsm.open(t)
	ctx := context.Background()
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "Public", NoLogin: true})
	require.NoError(t, err)
	certs, err := tok.Certificates(ctx)
	require.NoError(t, err)
	require.Len(t, certs, 5)
	byLabel := map[string]TokenCertificate{}
	for _, c := range certs {
		byLabel[c.Label] = c
	}
	assert.Equal(t, []byte{1}, byLabel["RSA-2048"].ID)
	assert.True(t, byLabel["RSA-2048"].Certificate.Equal(p.certs["RSA-2048"]))
	assert.Equal(t, []byte{0xCA, 2}, byLabel["root CA"].ID)
	keys, err := tok.Keys(ctx)
	require.NoError(t, err)
	assert.Empty(t, keys, "private keys need a login")
	_, err = tok.Signer(ctx, KeySelector{})
	require.ErrorIs(t, err, ErrKeyNotFound)
}

// TestCloseWhileSigning closes the module under busy signers: Close waits for the
// signatures in progress, later ones fail with ErrClosed, and nothing reaches the module
// after C_Finalize.
func TestCloseWhileSigning(t *testing.T) {
	hsm := newSoftHSM(t)
	provision(t, hsm, "Closing", "1234")
	m := hsm.open(t)
	ctx := context.Background()
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "Closing", PIN: staticPIN("1234", nil, nil), MaxSessions: 4})
	require.NoError(t, err)
	s, err := tok.Signer(ctx, KeySelector{Label: "EC-P256"})
	require.NoError(t, err)
	var wg sync.WaitGroup
	results := make(chan error, 8)
	started := make(chan struct{}, 8)
	for range 8 {
		wg.Go(func() {
			d := digestOf(crypto.SHA256, "x")
			first := true
			for {
				_, err := s.SignContext(ctx, d, crypto.SHA256)
				if first {
					started <- struct{}{}
					first = false
				}
				if err != nil {
					results <- err
					return
				}
			}
		})
	}
	for range 8 {
		<-started
	}
	require.NoError(t, m.Close())
	wg.Wait()
	close(results)
	for err := range results {
		assert.ErrorIs(t, err, ErrClosed)
	}
	_, err = tok.Status(ctx)
	require.ErrorIs(t, err, ErrClosed)
	_, err = m.Tokens(ctx)
	require.ErrorIs(t, err, ErrClosed)
}

// A key with CKA_ALWAYS_AUTHENTICATE asks for the PIN before every signature
// (context-specific login); the callback is told so.
func TestAlwaysAuthenticate(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "Always", "1234")
	k := p.keys[2]
	der, err := x509.MarshalPKCS8PrivateKey(k.key)
	require.NoError(t, err)
	hsm.write(t, "Always", "1234", "privkey", der, []byte{0x55}, "always", "--always-auth")
	leaf := p.pki.leaf(t, "Phạm Thị C", k.key.Public())
	hsm.write(t, "Always", "1234", "cert", leaf.Raw, []byte{0x55}, "always")
	m := hsm.open(t)
	ctx := context.Background()
	var mu sync.Mutex
	var contextual int
	pin := func(ctx context.Context, req PINRequest) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		if req.ContextSpecific {
			contextual++
		}
		return []byte("1234"), nil
	}
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "Always", PIN: pin})
	require.NoError(t, err)
	s, err := tok.Signer(ctx, KeySelector{Label: "always"})
	require.NoError(t, err)
	require.True(t, s.Info().AlwaysAuthenticate)
	for range 2 {
		d := digestOf(crypto.SHA256, "x")
		sig, err := s.Sign(nil, d, crypto.SHA256)
		require.NoError(t, err)
		checkSignature(t, leaf.PublicKey, d, sig, crypto.SHA256)
	}
	assert.Equal(t, 2, contextual, "one context-specific PIN per signature")
}

// Another component of the program initialised the module first: OpenModule shares it
// and its Close leaves it initialised for that component.
func TestModuleInitialisedElsewhere(t *testing.T) {
	hsm := newSoftHSM(t)
	provision(t, hsm, "Shared", "1234")
	other := pkcs11.New(hsm.module)
	require.NotNil(t, other)
	require.NoError(t, other.Initialize())
	defer func() {
		other.Finalize()
		other.Destroy()
	}()
	m, err := OpenModule(hsm.module)
	require.NoError(t, err)
	tok, err := m.OpenToken(context.Background(), TokenOptions{Label: "Shared", PIN: staticPIN("1234", nil, nil)})
	require.NoError(t, err)
	_, err = tok.Signer(context.Background(), KeySelector{Label: "EC-P256"})
	require.NoError(t, err)
	require.NoError(t, m.Close())
	_, err = other.GetSlotList(true)
	require.NoError(t, err, "kyso must not finalise a module it did not initialise")
}

// When a re-login fails on the PIN, the goroutines waiting for it do not each try the
// wrong PIN again (that would lock a real token): one C_Login, one error for all.
func TestFailedReloginIsNotRepeated(t *testing.T) {
	hsm := newSoftHSM(t)
	provision(t, hsm, "Relogin", "1234")
	m := hsm.open(t)
	ctx := context.Background()
	var mu sync.Mutex
	calls := 0
	pin := func(ctx context.Context, req PINRequest) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if req.Relogin {
			return []byte("0000"), nil // the PIN changed meanwhile, say
		}
		return []byte("1234"), nil
	}
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "Relogin", PIN: pin, MaxSessions: 4})
	require.NoError(t, err)
	s, err := tok.Signer(ctx, KeySelector{Label: "EC-P256"})
	require.NoError(t, err)
	other := pkcs11.New(hsm.module)
	require.NotNil(t, other)
	defer other.Destroy()
	require.NoError(t, other.CloseAllSessions(tok.Info().SlotID)) // nothing signing yet

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := s.SignContext(ctx, digestOf(crypto.SHA256, "x"), crypto.SHA256)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.ErrorIs(t, err, ErrPINIncorrect)
	}
	assert.Equal(t, 2, calls, "one login, one failed re-login, no more")
}

// The session checker the concurrency tests rely on does see two goroutines on one
// session (else TestConcurrentSigning could not fail on sharing).
func TestExclusiveBackendDetectsSharing(t *testing.T) {
	bb := &blockingBackend{entered: make(chan struct{}), release: make(chan struct{})}
	e := newExclusiveBackend(bb)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { _, _ = e.sessionState(7) })
	}
	<-bb.entered
	<-bb.entered
	close(bb.release)
	wg.Wait()
	_, violations := e.report()
	require.Len(t, violations, 1)
	assert.Contains(t, violations[0], "session 7")

	wg.Go(func() { _, _ = e.sessionState(8) })
	<-bb.entered
	wg.Wait()
	_, violations = e.report()
	assert.Len(t, violations, 1, "one caller at a time is no violation")
}

// signMechanisms returns the mechanism a digest is signed with and the combined
// hash-and-sign one SignMessage prefers, for the key and options.
func signMechanisms(pub crypto.PublicKey, opts crypto.SignerOpts) (raw, combined uint) {
	h := opts.HashFunc()
	_, pss := opts.(*rsa.PSSOptions)
	switch {
	case pss:
		return ckmRSAPKCSPSS, map[crypto.Hash]uint{crypto.SHA256: ckmSHA256RSAPKCSPSS, crypto.SHA384: ckmSHA384RSAPKCSPSS, crypto.SHA512: ckmSHA512RSAPKCSPSS}[h]
	case isRSAKey(pub):
		return ckmRSAPKCS, map[crypto.Hash]uint{crypto.SHA256: ckmSHA256RSAPKCS, crypto.SHA384: ckmSHA384RSAPKCS, crypto.SHA512: ckmSHA512RSAPKCS}[h]
	}
	return ckmECDSA, map[crypto.Hash]uint{crypto.SHA256: ckmECDSASHA256, crypto.SHA384: ckmECDSASHA384, crypto.SHA512: ckmECDSASHA512}[h]
}

func isRSAKey(pub crypto.PublicKey) bool {
	_, ok := pub.(*rsa.PublicKey)
	return ok
}

// TestModuleSharedAcrossOpens: two parts of a program open the same module (once through
// a symlink): they share one initialisation, closing the one that initialised it leaves
// it working for the other, and the last Close finalises it.
func TestModuleSharedAcrossOpens(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "Shared twice", "1234")
	link := filepath.Join(t.TempDir(), "libalias.so")
	require.NoError(t, os.Symlink(hsm.module, link))
	ctx := context.Background()

	m1, err := OpenModule(hsm.module)
	require.NoError(t, err)
	m2, err := OpenModule(link)
	require.NoError(t, err)
	require.Same(t, m1.shared, m2.shared, "one initialisation per module and process")
	assert.Equal(t, 2, m1.shared.refs)
	assert.True(t, m1.shared.owned)

	tok, err := m2.OpenToken(ctx, TokenOptions{Label: "Shared twice", PIN: staticPIN("1234", nil, nil)})
	require.NoError(t, err)
	s, err := tok.Signer(ctx, KeySelector{Label: "EC-P256"})
	require.NoError(t, err)
	require.NoError(t, m1.Close())
	d := digestOf(crypto.SHA256, "x")
	sig, err := s.Sign(nil, d, crypto.SHA256)
	require.NoError(t, err, "closing the first opener must not finalise the module under the second")
	checkSignature(t, p.certs["EC-P256"].PublicKey, d, sig, crypto.SHA256)

	require.NoError(t, m2.Close())
	other := pkcs11.New(hsm.module)
	require.NotNil(t, other)
	defer other.Destroy()
	_, err = other.GetSlotList(true)
	require.ErrorIs(t, err, pkcs11.Error(pkcs11.CKR_CRYPTOKI_NOT_INITIALIZED), "the last Close finalises the module")
}

// TestPoolSignsInParallel: the pool lets as many signatures into the token at once as
// there are signers (up to MaxSessions). Each C_Sign waits until all four are inside the
// module; a pool that serialised them would never get there (the watchdog is only there
// to turn that deadlock into a failure, not to time anything).
func TestPoolSignsInParallel(t *testing.T) {
	hsm := newSoftHSM(t)
	p := provision(t, hsm, "Parallel", "1234")
	m := hsm.open(t)
	ctx := context.Background()
	tok, err := m.OpenToken(ctx, TokenOptions{Label: "Parallel", PIN: staticPIN("1234", nil, nil), MaxSessions: 4})
	require.NoError(t, err)
	s, err := tok.Signer(ctx, KeySelector{Label: "EC-P256"})
	require.NoError(t, err)
	const signers = 4
	bb := newBarrierBackend(tok.be, signers, time.Minute)
	tok.be = bb
	var wg sync.WaitGroup
	errs := make(chan error, signers)
	for range signers {
		wg.Go(func() {
			d := digestOf(crypto.SHA256, "song song")
			sig, err := s.SignContext(ctx, d, crypto.SHA256)
			if err == nil {
				err = verify(p.certs["EC-P256"].PublicKey, d, sig, crypto.SHA256)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.False(t, bb.failed.Load(), "the pool serialised signatures: %d signers never were inside C_Sign together", signers)
}
