package cms_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"log"
	"math/big"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
)

func Example() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "signer"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	cert, _ := x509.ParseCertificate(der)

	// The digest of the signed content, computed while streaming it.
	md := sha256.Sum256([]byte("the PDF's byte ranges"))
	signed, err := cms.Sign(key, md[:], cert, nil, &cms.Options{Hash: crypto.SHA256})
	if err != nil {
		log.Fatal(err)
	}

	sd, err := cms.Parse(signed)
	if err != nil {
		log.Fatal(err)
	}
	si := sd.Signers[0]
	got, _ := si.MessageDigest()
	signer, _ := sd.SignerCertificate(si)
	fmt.Println("digest matches:", string(got) == string(md[:]))
	fmt.Println("signature:", si.CheckSignature(signer.PublicKey, nil))
	_, hasTime := si.Attribute(cms.OIDAttributeSigningTime)
	fmt.Println("signing-time attribute:", hasTime)
	// Output:
	// digest matches: true
	// signature: <nil>
	// signing-time attribute: false
}
