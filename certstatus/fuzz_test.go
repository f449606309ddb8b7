package certstatus_test

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"golang.org/x/crypto/ocsp"
)

// Fuzz targets for every parser of outside input: OCSP responses, CRLs, time-stamp
// responses and tokens (as found in a PDF's DSS or a signature's attributes). They
// must never panic; errors are fine.

func FuzzCheckOfflineOCSP(f *testing.F) {
	pki := certstatustest.NewPKIWith(f, certstatustest.Options{ECDSA: true})
	ck := checkerFor(pki, func(o *certstatus.Options) { o.Offline = true })
	online := checkerFor(pki, ocspOnly)
	good, err := online.OCSPResponse(bg, pki.Leader.Cert, pki.CA.Cert)
	if err != nil {
		f.Fatal(err)
	}
	pki.Revoke(pki.Org.Cert, ocsp.KeyCompromise, time.Time{})
	revoked, _ := online.OCSPResponse(bg, pki.Org.Cert, pki.CA.Cert)
	f.Add(good)
	f.Add(revoked)
	f.Add(ocsp.TryLaterErrorResponse)
	f.Add([]byte{0x30, 0x80})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range []*certstatustest.Holder{pki.Leader, pki.Org} {
			r := ck.CheckOffline(c.Cert, pki.CA.Cert, time.Time{}, [][]byte{data}, nil)
			if r.Status != certstatus.StatusUnknown && r.Err != nil {
				t.Fatalf("status %v with error %v", r.Status, r.Err)
			}
		}
	})
}

func FuzzParseCRL(f *testing.F) {
	pki := certstatustest.NewPKIWith(f, certstatustest.Options{ECDSA: true})
	pki.Revoke(pki.Leader.Cert, ocsp.Superseded, time.Time{})
	base, err := pki.CRL("ca.crl")
	if err != nil {
		f.Fatal(err)
	}
	pki.FreezeBaseCRL()
	pki.Revoke(pki.Org.Cert, ocsp.KeyCompromise, time.Time{})
	frozen, _ := pki.CRL("ca.crl")
	delta, _ := pki.CRL("ca-delta.crl")
	f.Add(base, []byte(nil))
	f.Add(frozen, delta)
	f.Add(version1CRL(f, pki), []byte(nil))
	ck := checkerFor(pki, func(o *certstatus.Options) { o.Offline = true })
	f.Fuzz(func(t *testing.T, a, b []byte) {
		certstatus.ParseCRL(a, pki.CA.Cert)
		r := ck.CheckOffline(pki.Org.Cert, pki.CA.Cert, time.Time{}, nil, [][]byte{a, b})
		if r.Status != certstatus.StatusUnknown && r.Err != nil {
			t.Fatalf("status %v with error %v", r.Status, r.Err)
		}
	})
}

func FuzzParseTimestampResponse(f *testing.F) {
	f.Add([]byte{0x30, 0x03, 0x30, 0x01, 0x02})
	f.Add([]byte{0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00})
	f.Add([]byte("junk"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := certstatus.ParseTimestampResponse(data)
		if err == nil {
			certstatus.ParseToken(tok)
		}
	})
}

func FuzzVerifyTimestampToken(f *testing.F) {
	pki := certstatustest.NewPKIWith(f, certstatustest.Options{ECDSA: true})
	digest := sha256.Sum256([]byte("data"))
	tok, err := pki.Timestamp(digest[:], crypto.SHA256, big.NewInt(1))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok)
	f.Add(tok[:len(tok)/2])
	ck := checkerFor(pki, func(o *certstatus.Options) { o.Offline = true })
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := certstatus.ParseToken(data); err != nil {
			return
		}
		got, err := ck.VerifyTimestamp(bg, data, digest[:], crypto.SHA256, certstatus.TimestampOptions{})
		if err == nil && got.Signer == nil {
			t.Fatal("verified without a signer")
		}
	})
}

// version1CRL is a version 1 CRL (no version field, no extensions) of the kit's CA
// listing the leader, as some CAs and "openssl ca -gencrl" without extensions write.
func version1CRL(f *testing.F, pki *certstatustest.PKI) []byte {
	now := time.Now().UTC().Truncate(time.Second)
	var tbs cryptobyte.Builder
	tbs.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidECDSAWithSHA256) })
		b.AddBytes(pki.CA.Cert.RawSubject)
		b.AddASN1UTCTime(now)
		b.AddASN1UTCTime(now.Add(24 * time.Hour))
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1BigInt(pki.Leader.Cert.SerialNumber)
				b.AddASN1UTCTime(now.Add(-time.Hour))
			})
		})
	})
	raw := tbs.BytesOrPanic()
	d := sha256.Sum256(raw)
	sig, err := pki.CA.Key.Sign(rand.Reader, d[:], crypto.SHA256)
	if err != nil {
		f.Fatal(err)
	}
	var crl cryptobyte.Builder
	crl.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(raw)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidECDSAWithSHA256) })
		b.AddASN1BitString(sig)
	})
	der := crl.BytesOrPanic()
	if _, err := certstatus.ParseCRL(der, pki.CA.Cert); err != nil {
		f.Fatalf("the version 1 seed CRL: %v", err)
	}
	return der
}

var oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
