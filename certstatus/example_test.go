package certstatus_test

import (
	"context"
	"crypto"
	"crypto/sha256"
	"fmt"
	"log"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
)

// Validate a leader's certificate at the signing time, ask whether it was revoked
// then, and time-stamp a digest — against the test PKI's servers on 127.0.0.1.
func Example() {
	pki, err := certstatustest.NewServer(certstatustest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer pki.Close()

	// Production code uses certstatus.DefaultTrustStore() (the VGCA root).
	ck := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(pki.Root.Cert)})
	ctx := context.Background()
	signingTime := time.Now().Add(-time.Hour)

	chain, err := ck.VerifyCertificate(ctx, pki.Leader.Cert, certstatus.VerifyOptions{At: signingTime})
	if err != nil {
		log.Fatal(err)
	}
	id := certstatus.ParseIdentity(chain[0])
	fmt.Printf("%s, %s (%s), %s\n", id.CommonName, id.Title, id.Kind.Vietnamese(), id.Province)

	r := ck.Check(ctx, chain[0], chain[1], signingTime)
	fmt.Println(r.Status, "via", r.Source, "-", r.Status.Vietnamese())

	digest := sha256.Sum256([]byte("Quyết định số 123/QĐ-UBND"))
	tsa := &certstatus.TSAClient{URL: pki.TSAURL, Checker: ck}
	tok, err := tsa.Request(ctx, digest[:], crypto.SHA256)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("time-stamped by", tok.Signer.Subject.CommonName)
	// Output:
	// Nguyễn Văn Thắng, Chủ tịch (cá nhân), Quảng Ninh
	// good via OCSP - còn hiệu lực
	// time-stamped by Dịch vụ cấp dấu thời gian chuyên dùng Chính phủ Test
}
