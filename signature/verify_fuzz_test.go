package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"errors"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// FuzzVerify feeds mutated signed PDFs to Verify: it must never panic or hang, and it
// fails only with its typed errors.
func FuzzVerify(f *testing.F) {
	now := time.Now()
	p := newVTPKI(f, now.Add(-time.Hour), now.Add(time.Hour))
	// Small holes keep the inputs small, so the fuzzer mutates and minimises quickly.
	small := &signature.SignOptions{ReserveUnsigned: -1}
	one := vtSign(f, p, pdftest.Classic(), small)
	f.Add(one)
	f.Add(vtSign(f, p, one, small))
	f.Add(vtSign(f, p, pdftest.XRefStream(), small))
	f.Add(addDocTimestamp(f, p, addDSS(f, one, nil, [][]byte{p.ocspFor(f, p.leader, now)}), now))
	f.Add(setByteRange(f, one, 0, 10, 20, 30))
	// Signatures other tools made: the legacy SubFilters and a token without its TSA
	// certificate.
	cert, key := rsaLeader(f, p, now)
	f.Add(addLegacySignature(f, pdftest.Classic(), pdf.Dict{"SubFilter": pdf.Name("adbe.x509.rsa_sha1"), "Cert": pdf.String(cert.Raw)}, func(signed []byte) []byte {
		d := sha1.Sum(signed)
		sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA1, d[:])
		if err != nil {
			f.Fatal(err)
		}
		return octetString(sig)
	}))
	p.tsaNoCerts = true
	f.Add(addSignatureTimestamp(f, p, vtSign(f, p, pdftest.Classic(), nil), now, nil))
	p.tsaNoCerts = false
	f.Fuzz(func(t *testing.T, doc []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var rep *signature.Report
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			rep, err = signature.Verify(ctx, bytes.NewReader(doc), int64(len(doc)), &signature.VerifyOptions{Roots: p.roots, Offline: true})
		}()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Fatalf("Verify still running 5 s after its context's 10 s deadline (%d-byte input)", len(doc))
		}
		switch {
		case err == nil:
			for _, s := range rep.Signatures {
				if s.Indication == "" {
					t.Fatalf("signature %q without indication", s.Field)
				}
			}
		case errors.Is(err, signature.ErrNotPDF), errors.Is(err, signature.ErrNoSignatures):
		default:
			t.Fatalf("untyped error: %v", err)
		}
	})
}
