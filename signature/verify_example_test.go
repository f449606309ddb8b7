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
	"math/big"
	"time"

	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// Verify a signed document and read the verdict of each signature.
func ExampleVerify() {
	// A test root and signer; in production the roots are the VGCA roots
	// (certstatus.DefaultTrustStore) and revocation comes from certstatus.Checker.
	rootKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	rootTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Root"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	rootDER, _ := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	root, _ := x509.ParseCertificate(rootDER)
	leafDER, _ := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(2),
		Subject:   pkix.Name{CommonName: "Nguyễn Văn An", Organization: []string{"UBND tỉnh Quảng Ninh"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
	}, root, key.Public(), rootKey)
	leaf, _ := x509.ParseCertificate(leafDER)

	in := signaturetest.SamplePDF()
	var signed bytes.Buffer
	if _, err := signature.Sign(context.Background(), &signed, bytes.NewReader(in), int64(len(in)), key,
		[]*x509.Certificate{leaf, root}, nil); err != nil {
		fmt.Println(err)
		return
	}

	roots := x509.NewCertPool()
	roots.AddCert(root)
	rep, err := signature.Verify(context.Background(), bytes.NewReader(signed.Bytes()), int64(signed.Len()),
		&signature.VerifyOptions{Roots: roots, AllowMissingRevocation: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range rep.Signatures {
		fmt.Println(s.Field, s.Indication, s.Level, s.Modification, s.Signer.CommonName)
		c, _ := s.Check(signature.CheckManagingUnit)
		fmt.Println(c.MessageVI)
	}
	// Output:
	// Signature1 TOTAL_PASSED B-B none Nguyễn Văn An
	// Đơn vị quản lý: UBND tỉnh Quảng Ninh.
}
