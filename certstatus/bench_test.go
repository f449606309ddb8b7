package certstatus_test

import (
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
)

// BenchmarkCheckCached measures a status check answered from the OCSP cache: the
// common case for a portal verifying many documents by the same signers.
func BenchmarkCheckCached(b *testing.B) {
	pki := certstatustest.NewPKI(b)
	ck := checkerFor(pki, ocspOnly)
	if r := ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{}); r.Err != nil {
		b.Fatal(r.Err)
	}
	b.ResetTimer()
	for b.Loop() {
		if r := ck.Check(bg, pki.Leader.Cert, pki.CA.Cert, time.Time{}); r.Status != certstatus.StatusGood {
			b.Fatal(r.Err)
		}
	}
}

// BenchmarkCheckOffline measures a status check from a DSS's OCSP response and CRL.
func BenchmarkCheckOffline(b *testing.B) {
	pki := certstatustest.NewPKI(b)
	online := checkerFor(pki)
	resp, err := online.OCSPResponse(bg, pki.Leader.Cert, pki.CA.Cert)
	if err != nil {
		b.Fatal(err)
	}
	crls, err := online.CRLs(bg, pki.Leader.Cert, pki.CA.Cert)
	if err != nil {
		b.Fatal(err)
	}
	off := checkerFor(pki, func(o *certstatus.Options) { o.Offline = true })
	at := time.Now().Add(-time.Hour)
	b.ResetTimer()
	for b.Loop() {
		if r := off.CheckOffline(pki.Leader.Cert, pki.CA.Cert, at, [][]byte{resp}, crls); r.Status != certstatus.StatusGood {
			b.Fatal(r.Err)
		}
	}
}
