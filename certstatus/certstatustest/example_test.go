package certstatustest_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"golang.org/x/crypto/ocsp"
)

// Revoke the organisation's seal certificate and ask the PKI's OCSP responder about it
// with golang.org/x/crypto/ocsp.
func Example() {
	pki, err := certstatustest.NewServer(certstatustest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer pki.Close()
	pki.Revoke(pki.Org.Cert, ocsp.KeyCompromise, time.Time{})

	req, err := ocsp.CreateRequest(pki.Org.Cert, pki.CA.Cert, nil)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := http.Post(pki.OCSPURL, "application/ocsp-request", bytes.NewReader(req))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	answer, err := ocsp.ParseResponseForCert(body, pki.Org.Cert, pki.CA.Cert)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pki.Org.Cert.Subject.CommonName)
	fmt.Println("revoked:", answer.Status == ocsp.Revoked, "reason:", answer.RevocationReason == ocsp.KeyCompromise)
	// Output:
	// ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH
	// revoked: true reason: true
}
