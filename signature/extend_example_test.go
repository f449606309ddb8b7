package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"log"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// ExampleLevelOptions signs at PAdES B-LTA: a signature time-stamp, a DSS with the
// chains and OCSP/CRL answers, and a document time-stamp. A local test PKI stands in
// for the VGCA's TSA and OCSP responders (http://tsa.ca.gov.vn, http://ocsp.ca.gov.vn).
func ExampleLevelOptions() {
	pki, err := certstatustest.NewServer(certstatustest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer pki.Close()
	checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(pki.Root.Cert)})
	tsa := &certstatus.TSAClient{URL: pki.TSAURL, Checker: checker}

	in := signaturetest.SamplePDF() // any PDF: an *os.File works the same way
	var out bytes.Buffer
	res, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)),
		pki.Leader.Key, pki.Leader.Chain, &signature.SignOptions{
			PSS: true,
			Level: &signature.LevelOptions{
				Target:      signature.LevelBLTA,
				Timestamper: tsa,     // certstatus.TSAClient is a signature.Timestamper
				Revocation:  checker, // certstatus.Checker is a signature.RevocationSource
			},
		})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("level:", res.Level.Level)
	fmt.Println("document time-stamp:", res.Level.Validation.DocTimestamp.Field)
	fmt.Println("VRI entries:", len(res.Level.Validation.VRI))
	// Output:
	// level: B-LTA
	// document time-stamp: DocTimeStamp1
	// VRI entries: 1
}

// ExampleExtend renews an archived signed document: fresh validation data in the DSS
// and a new document time-stamp, leaving every signature valid.
func ExampleExtend() {
	pki, err := certstatustest.NewServer(certstatustest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer pki.Close()
	checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(pki.Root.Cert)})

	in := signaturetest.SamplePDF()
	var signed bytes.Buffer
	if _, err := signature.Sign(context.Background(), &signed, bytes.NewReader(in), int64(len(in)),
		pki.Leader.Key, pki.Leader.Chain, nil); err != nil {
		log.Fatal(err)
	}

	var renewed bytes.Buffer
	res, err := signature.Extend(context.Background(), &renewed, bytes.NewReader(signed.Bytes()), int64(signed.Len()),
		&signature.ExtendOptions{
			Timestamper:  &certstatus.TSAClient{URL: pki.TSAURL, Checker: checker},
			Revocation:   checker,
			Certificates: []*x509.Certificate{pki.Root.Cert}, // the trust anchor, to close the chains
		})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("original kept as prefix:", bytes.HasPrefix(renewed.Bytes(), signed.Bytes()))
	fmt.Println("signatures given validation data:", len(res.VRI))
	fmt.Println("new document time-stamp:", res.DocTimestamp.Field)
	// Output:
	// original kept as prefix: true
	// signatures given validation data: 1
	// new document time-stamp: DocTimeStamp1
}
