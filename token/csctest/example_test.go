package csctest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/kyso-go/kyso/token/csctest"
)

// A CSC test service with one credential and a fault: the next signHash answers 503.
func Example() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Lê Thị B"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	cert, _ := x509.ParseCertificate(der)
	srv, err := csctest.NewServer("token", csctest.Credential{ID: "b", Key: key, Chain: []*x509.Certificate{cert}, PIN: "1234"})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	srv.FailNext("signatures/signHash", http.StatusServiceUnavailable, 1)

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/csc/v2/credentials/list", strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, srv.Calls("credentials/list"))
	// Output: 200 1
}
