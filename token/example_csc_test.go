package token_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"

	"github.com/kyso-go/kyso/token"
	"github.com/kyso-go/kyso/token/csctest"
)

// A remote key (ký số từ xa) on a CSC API v2 service: read the credential, then sign
// three digests under one authorisation. The service here is the csctest server.
func ExampleCSCClient() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Nguyễn Văn A"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	cert, _ := x509.ParseCertificate(der)
	srv, _ := csctest.NewServer("access-token", csctest.Credential{ID: "cred-1", Key: key, Chain: []*x509.Certificate{cert}, PIN: "123456"})
	defer srv.Close()

	ctx := context.Background()
	client, err := token.NewCSCClient(token.CSCOptions{BaseURL: srv.URL, AccessToken: "access-token"})
	if err != nil {
		panic(err)
	}
	signer, err := client.Signer(ctx, "cred-1", func(ctx context.Context, info *token.CSCCredentialInfo, n int) (pin, otp string, err error) {
		return "123456", "", nil // ask the user here; the PIN is never stored
	})
	if err != nil {
		panic(err)
	}
	var digests [][]byte
	for _, doc := range []string{"công văn 1", "công văn 2", "công văn 3"} {
		d := sha256.Sum256([]byte(doc))
		digests = append(digests, d[:])
	}
	sigs, errs := signer.SignDigests(ctx, digests, crypto.SHA256, nil)
	fmt.Println(signer.Certificate().Subject.CommonName, len(sigs), errs == nil)
	fmt.Println("authorisations:", srv.Calls("credentials/authorize"), "signHash calls:", srv.Calls("signatures/signHash"))
	// Output:
	// Nguyễn Văn A 3 true
	// authorisations: 1 signHash calls: 1
}
