package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary bytes to Parse and to the accessors a verifier calls; it
// must never panic or hang.
func FuzzParse(f *testing.F) {
	// ECDSA keys only: RSA key generation is slow in instrumented fuzz workers.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "fuzz"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		f.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(certDER)
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA512} {
		der, err := Sign(key, digestOf(h, []byte("seed")), cert, nil, &Options{Hash: h})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(der)
		withTST, err := AddUnsignedAttribute(der, 0, OIDAttributeTimeStampToken, der)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(withTST)
	}
	if bare, err := Sign(key, digestOf(crypto.SHA256, []byte("seed")), cert, nil, nil); err == nil {
		if sd, err := Parse(bare); err == nil {
			if b, err := sd.encodeWithCertificates(nil); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte{0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		sd, err := Parse(data)
		if err != nil {
			return
		}
		for _, si := range sd.Signers {
			_, _ = si.MessageDigest()
			_, _ = si.ContentTypeAttribute()
			if e, err := si.SigningCertificate(); err == nil {
				for _, c := range sd.Certificates {
					e.Matches(c)
				}
			}
			if c, err := sd.SignerCertificate(si); err == nil {
				_ = si.CheckSignature(c.PublicKey, &CheckOptions{AllowWeakHash: true})
			}
			_ = si.CheckSignature(cert.PublicKey, nil)
			si.SignatureTimeStampToken()
		}
		if len(sd.Signers) > 0 {
			_, _ = AddUnsignedAttribute(data, 0, OIDAttributeTimeStampToken, []byte{0x05, 0x00})
			_, _ = ReplaceUnsignedAttribute(data, 0, OIDAttributeTimeStampToken, []byte{0x05, 0x00})
		}
		// Completing with certificates keeps every signer info byte for byte.
		out, added, err := AddSignerChain(data, []*x509.Certificate{cert})
		if err != nil || !added {
			return
		}
		sd2, err := Parse(out)
		if err != nil {
			t.Fatalf("AddSignerChain wrote what Parse refuses: %v", err)
		}
		if len(sd2.Signers) != len(sd.Signers) || !bytes.Equal(sd2.Content, sd.Content) {
			t.Fatalf("AddSignerChain changed the signers or the content")
		}
		for i := range sd.Signers {
			if !bytes.Equal(sd.Signers[i].raw, sd2.Signers[i].raw) {
				t.Fatalf("AddSignerChain changed signer info %d", i)
			}
		}
	})
}
