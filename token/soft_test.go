package token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

// signCase is one way to sign: a hash and, for RSA, PKCS#1 v1.5 or PSS.
type signCase struct {
	name string
	opts crypto.SignerOpts
}

func signCases(pub crypto.PublicKey) []signCase {
	hashes := []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512}
	var cs []signCase
	for _, h := range hashes {
		cs = append(cs, signCase{h.String(), h})
		if _, ok := pub.(*rsa.PublicKey); ok {
			cs = append(cs,
				signCase{h.String() + "-PSS-hashlen", &rsa.PSSOptions{Hash: h, SaltLength: rsa.PSSSaltLengthEqualsHash}},
				signCase{h.String() + "-PSS-auto", &rsa.PSSOptions{Hash: h, SaltLength: rsa.PSSSaltLengthAuto}},
			)
		}
	}
	return cs
}

// checkSignature verifies sig with the standard library.
func checkSignature(t testing.TB, pub crypto.PublicKey, digest, sig []byte, opts crypto.SignerOpts) {
	t.Helper()
	require.NoError(t, verify(pub, digest, sig, opts))
}

// verify checks sig with crypto/rsa or crypto/ecdsa; safe off the test goroutine.
func verify(pub crypto.PublicKey, digest, sig []byte, opts crypto.SignerOpts) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if pss, ok := opts.(*rsa.PSSOptions); ok {
			if err := rsa.VerifyPSS(k, pss.Hash, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}); err != nil {
				return err
			}
			if pss.SaltLength == rsa.PSSSaltLengthEqualsHash {
				return rsa.VerifyPSS(k, pss.Hash, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
			}
			return nil
		}
		return rsa.VerifyPKCS1v15(k, opts.HashFunc(), digest, sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return errors.New("ECDSA signature does not verify")
		}
		return nil
	}
	return fmt.Errorf("unexpected key %T", pub)
}

func digestOf(h crypto.Hash, msg string) []byte {
	hh := h.New()
	hh.Write([]byte(msg))
	return hh.Sum(nil)
}

func TestOpenPKCS12SignsWithEveryMechanism(t *testing.T) {
	pki := newTestPKI(t)
	for _, k := range genKeys(t) {
		t.Run(k.name, func(t *testing.T) {
			leaf := pki.leaf(t, "Nguyễn Văn A "+k.name, k.key.Public())
			// Issuers deliberately out of order: Chain must put them leaf-to-root.
			p12, err := pkcs12.Modern.Encode(k.key, leaf, []*x509.Certificate{pki.root, pki.issuing}, "mật khẩu")
			require.NoError(t, err)
			s, err := OpenPKCS12(p12, []byte("mật khẩu"))
			require.NoError(t, err)
			assert.True(t, s.Certificate().Equal(leaf))
			assert.Equal(t, []string{pki.issuing.Subject.CommonName, pki.root.Subject.CommonName}, subjects(s.Chain()))
			for _, c := range signCases(s.Public()) {
				t.Run(c.name, func(t *testing.T) {
					d := digestOf(c.opts.HashFunc(), "văn bản")
					sig, err := s.Sign(rand.Reader, d, c.opts)
					require.NoError(t, err)
					checkSignature(t, leaf.PublicKey, d, sig, c.opts)
				})
			}
		})
	}
}

func subjects(cs []*x509.Certificate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Subject.CommonName)
	}
	return out
}

func TestSoftSignerRefusesWeakAndMalformedDigests(t *testing.T) {
	pki := newTestPKI(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	s, err := OpenPEM(pemKey(t, key), certPEM(pki.leaf(t, "A", key.Public())), nil)
	require.NoError(t, err)
	tests := []struct {
		name   string
		digest []byte
		opts   crypto.SignerOpts
		want   error
	}{
		{"SHA-1", digestOf(crypto.SHA1, "x"), crypto.SHA1, ErrWeakHash},
		{"MD5", digestOf(crypto.MD5, "x"), crypto.MD5, ErrWeakHash},
		{"no hash", []byte("raw"), crypto.Hash(0), ErrUnsupportedHash},
		{"short digest", []byte("short"), crypto.SHA256, ErrDigestSize},
		{"nil options", digestOf(crypto.SHA256, "x"), nil, ErrUnsupportedHash},
		{"PSS on ECDSA", digestOf(crypto.SHA256, "x"), &rsa.PSSOptions{Hash: crypto.SHA256}, ErrUnsupportedOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Sign(rand.Reader, tt.digest, tt.opts)
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func pemKey(t testing.TB, key crypto.Signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func TestOpenPKCS12Errors(t *testing.T) {
	pki := newTestPKI(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	good, err := pkcs12.Modern.Encode(rsaKey, pki.leaf(t, "A", rsaKey.Public()), nil, "pw")
	require.NoError(t, err)
	legacy, err := pkcs12.LegacyRC2.Encode(rsaKey, pki.leaf(t, "A", rsaKey.Public()), nil, "pw")
	require.NoError(t, err)
	weakP12, err := pkcs12.Modern.Encode(weak, pki.leaf(t, "weak", weak.Public()), nil, "pw")
	require.NoError(t, err)
	mismatch, err := pkcs12.Modern.Encode(rsaKey, pki.leaf(t, "other", other.Public()), nil, "pw")
	require.NoError(t, err)

	tests := []struct {
		name string
		data []byte
		pw   string
		want error
	}{
		{"wrong password", good, "sai", ErrIncorrectPassword},
		{"wrong password legacy", legacy, "sai", ErrIncorrectPassword},
		{"garbage", []byte("not a pfx"), "pw", ErrMalformedKeyFile},
		{"empty", nil, "pw", ErrMalformedKeyFile},
		{"truncated", good[:len(good)/2], "pw", ErrMalformedKeyFile},
		{"RSA-1024", weakP12, "pw", ErrUnsupportedKey},
		{"certificate of another key", mismatch, "pw", ErrKeyMismatch},
		{"too large", make([]byte, maxKeyFileSize+1), "pw", ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := OpenPKCS12(tt.data, []byte(tt.pw))
			require.ErrorIs(t, err, tt.want)
		})
	}
	s, err := OpenPKCS12(legacy, []byte("pw"))
	require.NoError(t, err, "legacy RC2/3DES PKCS#12 must open")
	assert.Empty(t, s.Chain())
}

// TestOpenPEMEncodings reads keys written by OpenSSL in every encoding OpenPEM claims.
func TestOpenPEMEncodings(t *testing.T) {
	openssl := needTool(t, "openssl")
	pki := newTestPKI(t)
	dir := t.TempDir()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)

	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		return p
	}
	run := func(args ...string) []byte {
		out, err := exec.Command(openssl, args...).CombinedOutput()
		require.NoError(t, err, "openssl %v: %s", args, out)
		return out
	}
	pkcs8 := map[string][]byte{"RSA": pemKey(t, rsaKey), "EC": pemKey(t, ecKey)}
	pubs := map[string]crypto.PublicKey{"RSA": rsaKey.Public(), "EC": ecKey.Public()}
	type variant struct {
		name    string
		keyType string
		pem     []byte
		pw      string
	}
	var variants []variant
	for _, kt := range []string{"RSA", "EC"} {
		in := write(kt+".pem", pkcs8[kt])
		variants = append(variants,
			variant{"PKCS8", kt, pkcs8[kt], ""},
			variant{"PKCS8-PBES2-AES256-SHA256", kt, run("pkcs8", "-topk8", "-in", in, "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-passout", "pass:mật khẩu"), "mật khẩu"},
			variant{"PKCS8-PBES2-AES128-SHA1", kt, run("pkcs8", "-topk8", "-in", in, "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1", "-passout", "pass:pw"), "pw"},
			variant{"PKCS8-PBES2-AES192-SHA512", kt, run("pkcs8", "-topk8", "-in", in, "-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA512", "-passout", "pass:pw"), "pw"},
		)
		// PKCS#1 "RSA PRIVATE KEY" and SEC 1 "EC PRIVATE KEY", plain and legacy-encrypted.
		trad := []string{"rsa", "-traditional"}
		if kt == "EC" {
			trad = []string{"ec"}
		}
		variants = append(variants,
			variant{"traditional", kt, run(append(trad, "-in", in)...), ""},
			variant{"traditional-AES256", kt, run(append(trad, "-in", in, "-aes256", "-passout", "pass:pw")...), "pw"},
		)
	}
	for _, v := range variants {
		t.Run(v.keyType+"-"+v.name, func(t *testing.T) {
			leaf := pki.leaf(t, "Trần Thị B", pubs[v.keyType])
			s, err := OpenPEM(v.pem, certPEM(pki.root, leaf, pki.issuing), []byte(v.pw))
			require.NoError(t, err)
			assert.True(t, s.Certificate().Equal(leaf))
			if diff := cmp.Diff([]string{pki.issuing.Subject.CommonName, pki.root.Subject.CommonName}, subjects(s.Chain())); diff != "" {
				t.Errorf("chain (-want +got):\n%s", diff)
			}
			d := digestOf(crypto.SHA256, "x")
			sig, err := s.Sign(nil, d, crypto.SHA256)
			require.NoError(t, err)
			checkSignature(t, leaf.PublicKey, d, sig, crypto.SHA256)

			// One combined file works too.
			s, err = OpenPEM(append(append([]byte{}, v.pem...), certPEM(leaf)...), nil, []byte(v.pw))
			require.NoError(t, err)
			assert.True(t, s.Certificate().Equal(leaf))

			if v.pw != "" {
				_, err := OpenPEM(v.pem, certPEM(leaf), []byte("sai mật khẩu"))
				require.ErrorIs(t, err, ErrIncorrectPassword)
			}
		})
	}
}

func TestOpenPEMErrors(t *testing.T) {
	pki := newTestPKI(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	leaf := pki.leaf(t, "A", key.Public())
	tests := []struct {
		name  string
		key   []byte
		certs []byte
		want  error
	}{
		{"no key", nil, certPEM(leaf), ErrNoPrivateKey},
		{"no certificate", pemKey(t, key), nil, ErrNoCertificate},
		{"certificate of another key", pemKey(t, other), certPEM(leaf), ErrKeyMismatch},
		{"two keys", append(pemKey(t, key), pemKey(t, other)...), certPEM(leaf), ErrMalformedKeyFile},
		{"bad key DER", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}}), certPEM(leaf), ErrMalformedKeyFile},
		{"bad certificate DER", pemKey(t, key), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}), ErrMalformedKeyFile},
		{"bad encrypted DER", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0}}), certPEM(leaf), ErrMalformedKeyFile},
		{"P-224 key", pemKey(t, p224), certPEM(pki.leaf(t, "weak", p224.Public())), ErrUnsupportedKey},
		{"too large", make([]byte, maxKeyFileSize+1), nil, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := OpenPEM(tt.key, tt.certs, nil)
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func FuzzOpenPEM(f *testing.F) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(f, err)
	pki := newTestPKI(f)
	f.Add(pemKey(f, key), certPEM(pki.leaf(f, "A", key.Public())), []byte(""))
	f.Add([]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n"), []byte(nil), []byte("pw"))
	f.Fuzz(func(t *testing.T, k, c, pw []byte) {
		s, err := OpenPEM(k, c, pw)
		if err == nil && (s.Certificate() == nil || s.Public() == nil) {
			t.Fatal("signer without certificate or key")
		}
	})
}

func FuzzOpenPKCS12(f *testing.F) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(f, err)
	pki := newTestPKI(f)
	p12, err := pkcs12.Modern.WithIterations(1).Encode(key, pki.leaf(f, "A", key.Public()), []*x509.Certificate{pki.issuing}, "pw")
	require.NoError(f, err)
	f.Add(p12, []byte("pw"))
	f.Fuzz(func(t *testing.T, data, pw []byte) {
		s, err := OpenPKCS12(data, pw)
		if err == nil && (s.Certificate() == nil || s.Public() == nil) {
			t.Fatal("signer without certificate or key")
		}
	})
}
