package signature_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"log"
	"math/big"
	"time"

	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// exampleKey returns a self-signed test key and certificate; real signers come from
// the token package (a PKCS#11 token or a PKCS#12 file).
func exampleKey() (*ecdsa.PrivateKey, *x509.Certificate) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Nguyễn Văn An"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	cert, _ := x509.ParseCertificate(der)
	return key, cert
}

func ExampleSign() {
	key, cert := exampleKey()
	in := signaturetest.SamplePDF() // any PDF: an *os.File works the same way
	var out bytes.Buffer
	res, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)),
		key, []*x509.Certificate{cert}, &signature.SignOptions{
			Reason:   "Phê duyệt",
			Location: "Hà Nội",
		})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("field:", res.Field)
	fmt.Println("original kept as prefix:", bytes.HasPrefix(out.Bytes(), in))
	fmt.Println("signed to the end:", res.ByteRange[2]+res.ByteRange[3] == res.Size)
	// Output:
	// field: Signature1
	// original kept as prefix: true
	// signed to the end: true
}

func ExamplePrepare() {
	key, cert := exampleKey()
	in := signaturetest.SamplePDF()
	stateKey := []byte("a secret of the signing portal")

	// Step 1, on the server: compute what must be signed.
	p, err := signature.Prepare(context.Background(), bytes.NewReader(in), int64(len(in)),
		[]*x509.Certificate{cert}, &signature.SignOptions{StateKey: stateKey})
	if err != nil {
		log.Fatal(err)
	}
	// Step 2, wherever the key is: sign the digest.
	sig, err := key.Sign(rand.Reader, p.Digest, p.SignerOpts)
	if err != nil {
		log.Fatal(err)
	}
	// Step 3, on any replica: complete from the state alone.
	var out bytes.Buffer
	res, err := signature.Complete(context.Background(), &out, bytes.NewReader(in), int64(len(in)),
		p.State, sig, &signature.CompleteOptions{StateKey: stateKey})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("field:", res.Field)
	// Output:
	// field: Signature1
}
