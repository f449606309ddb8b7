package signature_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// FuzzSign signs arbitrary input documents (seeded with every generated kind): Sign
// must never panic, must refuse with a *SignError before writing anything, and on
// success must keep the input as an unchanged prefix.
func FuzzSign(f *testing.F) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fuzz"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		f.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	for _, seed := range [][]byte{pdftest.Classic(), pdftest.XRefStream(), pdftest.ObjectStreams(),
		pdftest.Hybrid(), pdftest.Incremental(), pdftest.WithSignatureField()} {
		f.Add(seed, uint8(0))
		f.Add(seed, uint8(1))
	}
	f.Fuzz(func(t *testing.T, in []byte, mode uint8) {
		opts := &signature.SignOptions{Reason: "fuzz", ReserveUnsigned: -1}
		switch mode % 4 {
		case 1:
			opts.Field = pdftest.SignatureFieldName
		case 2:
			opts.Widget = &signature.Widget{Page: 2, Rect: [4]float64{10, 10, 60, 40},
				Appearance: signature.AppearanceFunc(signTestAppearance)}
		case 3:
			opts.Certify = signature.DocMDPFormFilling
		}
		var out bytes.Buffer
		res, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), key, []*x509.Certificate{cert}, opts)
		if err != nil {
			var se *signature.SignError
			if !errors.As(err, &se) {
				t.Fatalf("untyped refusal: %v", err)
			}
			if out.Len() != 0 {
				t.Fatal("output written before a refusal")
			}
			return
		}
		signed := out.Bytes()
		if !bytes.HasPrefix(signed, in) {
			t.Fatal("the input is not a prefix of the output")
		}
		// Whatever the input, a signature that was made must be cryptographically
		// right: the ByteRange covers everything but /Contents, and the CMS in it
		// verifies over exactly those bytes.
		br := res.ByteRange
		if br[0] != 0 || br[1] < int64(len(in)) || br[2] <= br[1] || br[2]+br[3] != int64(len(signed)) {
			t.Fatalf("ByteRange %v does not cover a %d-byte output", br, len(signed))
		}
		der, err := hex.DecodeString(string(signed[br[1]+1 : br[2]-1]))
		if err != nil {
			t.Fatalf("/Contents is not hex: %v", err)
		}
		sd, err := cms.Parse(der[:min(derLength(der), len(der))])
		if err != nil {
			t.Fatalf("the embedded CMS does not parse: %v", err)
		}
		md, err := sd.Signers[0].MessageDigest()
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		h.Write(signed[:br[1]])
		h.Write(signed[br[2]:])
		if !bytes.Equal(h.Sum(nil), md) {
			t.Fatal("the message digest is not the digest of the byte ranges")
		}
		if err := sd.Signers[0].CheckSignature(cert.PublicKey, nil); err != nil {
			t.Fatalf("the signature value does not verify: %v", err)
		}
	})
}
