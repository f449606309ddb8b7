package token_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/kyso-go/kyso/token"
)

// A development key from PEM signs like a token key would.
func ExampleOpenPEM() {
	// A throwaway key and self-signed certificate; in practice these come from files.
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "Nguyễn Văn A", Country: []string{"VN"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})

	var s token.Signer
	s, err := token.OpenPEM(keyPEM, certPEM, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	digest := sha256.Sum256([]byte("Quyết định số 01/QĐ-UBND"))
	sig, err := s.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("signer:", s.Certificate().Subject.CommonName)
	fmt.Println("valid:", ecdsa.VerifyASN1(&key.PublicKey, digest[:], sig))

	// SHA-1 is refused.
	weak := make([]byte, 20)
	_, err = s.Sign(rand.Reader, weak, crypto.SHA1)
	fmt.Println("SHA-1 refused:", errors.Is(err, token.ErrWeakHash))
	// Output:
	// signer: Nguyễn Văn A
	// valid: true
	// SHA-1 refused: true
}

// Signing with a key on a USB token or HSM through its PKCS#11 module. The PIN comes from
// a callback; PIN problems are typed errors with messages in Vietnamese and English.
func ExampleModule_OpenToken() {
	ctx := context.Background()
	m, err := token.OpenModule("/usr/lib/softhsm/libsofthsm2.so")
	if err != nil {
		fmt.Println(err) // token.ErrNoPKCS11 when built with CGO_ENABLED=0
		return
	}
	defer m.Close()
	tok, err := m.OpenToken(ctx, token.TokenOptions{
		Label: "Văn thư",
		PIN: func(ctx context.Context, req token.PINRequest) ([]byte, error) {
			if req.Token.Flags.PINFinalTry() {
				fmt.Println("Cảnh báo: còn một lần thử cuối cùng / final try")
			}
			return []byte(os.Getenv("KYSO_PIN")), nil
		},
	})
	switch {
	case errors.Is(err, token.ErrPINLocked):
		fmt.Println(err) // tells the user the managing organisation must ask the CA to recover the device
		return
	case errors.Is(err, token.ErrPINIncorrect):
		var pe *token.PINError
		errors.As(err, &pe)
		fmt.Println(err, "final try:", pe.FinalTry)
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	// The only signing key with a certificate, or choose one by CKA_ID or label.
	s, err := tok.Signer(ctx, token.KeySelector{})
	if err != nil {
		fmt.Println(err)
		return
	}
	digest := sha256.Sum256([]byte("Quyết định số 01/QĐ-UBND"))
	sig, err := s.SignContext(ctx, digest[:], &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: rsa.PSSSaltLengthEqualsHash})
	fmt.Println(len(sig), err, s.Certificate().Subject.CommonName, len(s.Chain()))
}
