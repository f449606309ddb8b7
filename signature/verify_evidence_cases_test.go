package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/internal/algorithm"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// A time-stamp token signed with SHA-1 is below the algorithm policy: the token is
// INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE (ETSI EN 319 102-1) — a document
// time-stamp says so as its verdict, a signature time-stamp proves no time — and the
// signature, whose digest and value verify, is not SIG_CRYPTO_FAILURE.
func TestVerifySHA1TimestampIsACryptoConstraint(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	p.tsaHash = crypto.SHA1
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now})

	bt := addSignatureTimestamp(t, p, signed, now, nil)
	rep := vtVerify(t, p, bt, now, nil)
	s := rep.Signatures[0]
	assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
	assert.False(t, s.TimeProven, "a SHA-1 token proves no time")
	c, ok := s.Check(signature.CheckTimestamp)
	require.True(t, ok)
	assert.Equal(t, signature.CheckIndeterminate, c.Result)
	assert.Contains(t, c.MessageEN, "CRYPTO_CONSTRAINTS_FAILURE")
	assert.Contains(t, c.MessageEN, "SHA-1")

	lta := addDocTimestamp(t, p, signed, now)
	rep = vtVerify(t, p, lta, now, nil)
	require.Len(t, rep.Signatures, 2)
	ts := rep.Signatures[1]
	assert.Equal(t, signature.KindDocTimestamp, ts.Kind)
	assert.Equal(t, signature.Indeterminate, ts.Indication, "%+v", ts.Checks)
	assert.Equal(t, signature.CryptoConstraintsFailure, ts.SubIndication)
	md, ok := ts.Check(signature.CheckMessageDigest)
	require.True(t, ok)
	assert.Equal(t, signature.CheckPassed, md.Result, "the token's imprint still matches")
	assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
}

// bigExponentRSA is an RSA key whose public exponent (2³²+15) crypto/rsa refuses but
// RFC 8017 allows; it signs PKCS#1 v1.5 with the textbook operation.
type bigExponentRSA struct {
	pub *rsa.PublicKey
	d   *big.Int
}

func newBigExponentRSA(t *testing.T) *bigExponentRSA {
	t.Helper()
	e := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 32), big.NewInt(15))
	one := big.NewInt(1)
	for {
		p, err := rand.Prime(rand.Reader, 1024)
		require.NoError(t, err)
		q, err := rand.Prime(rand.Reader, 1024)
		require.NoError(t, err)
		n := new(big.Int).Mul(p, q)
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(e, phi)
		if d == nil || n.BitLen() != 2048 {
			continue
		}
		return &bigExponentRSA{pub: &rsa.PublicKey{N: n, E: int(e.Int64())}, d: d}
	}
}

func (k *bigExponentRSA) Public() crypto.PublicKey { return k.pub }

func (k *bigExponentRSA) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	prefix := algorithm.DigestInfoPrefix[opts.HashFunc()]
	size := (k.pub.N.BitLen() + 7) / 8
	em := make([]byte, size)
	em[1] = 1
	tLen := len(prefix) + len(digest)
	for i := 2; i < size-tLen-1; i++ {
		em[i] = 0xff
	}
	copy(em[size-tLen:], prefix)
	copy(em[size-len(digest):], digest)
	s := new(big.Int).Exp(new(big.Int).SetBytes(em), k.d, k.pub.N)
	return s.FillBytes(make([]byte, size)), nil
}

// An RSA key with a public exponent above 2³¹−1 is legal (OpenSSL, NSS and
// BouncyCastle verify with it); the verifier checks its signatures with its own
// big-integer path instead of calling them SIG_CRYPTO_FAILURE.
func TestVerifyRSAExponentAbove31Bits(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	key := newBigExponentRSA(t)
	err := rsa.VerifyPKCS1v15(key.pub, crypto.SHA256, make([]byte, 32), make([]byte, 256))
	require.ErrorContains(t, err, "exponent", "crypto/rsa refuses the key, which is why the verifier needs its own path")
	cert := p.issue(t, &x509.Certificate{
		Subject:   pkix.Name{Country: []string{"VN"}, CommonName: "Trần Thị Số Mũ Lớn"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}, key.pub, p.ca, p.caKey)
	require.Greater(t, cert.PublicKey.(*rsa.PublicKey).E, 1<<31-1)

	in := pdftest.Classic()
	var out bytes.Buffer
	_, err = signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), key, []*x509.Certificate{cert, p.ca},
		&signature.SignOptions{Time: now})
	require.NoError(t, err)
	rep := vtVerify(t, p, out.Bytes(), now, nil)
	s := rep.Signatures[0]
	assert.Equal(t, signature.TotalPassed, s.Indication, "%s %+v", s.SubIndication, s.Checks)
	c, ok := s.Check(signature.CheckSignatureValue)
	require.True(t, ok)
	assert.Equal(t, signature.CheckPassed, c.Result)
}

// resignedCert returns cert's DER with its serial number or SubjectPublicKeyInfo
// replaced, signed again by the CA (ECDSA P-256, SHA-256): certificates crypto/x509
// refuses to parse.
func resignedCert(t *testing.T, p *vtPKI, cert *x509.Certificate, serial *big.Int, spki []byte) []byte {
	t.Helper()
	in := cryptobyte.String(cert.Raw)
	var c, tbs, sigAlg cryptobyte.String
	require.True(t, in.ReadASN1(&c, cbasn1.SEQUENCE))
	require.True(t, c.ReadASN1(&tbs, cbasn1.SEQUENCE))
	require.True(t, c.ReadASN1Element(&sigAlg, cbasn1.SEQUENCE))
	var version, oldSerial, alg, issuer, validity, subject, oldSPKI cryptobyte.String
	require.True(t, tbs.ReadASN1Element(&version, cbasn1.Tag(0).ContextSpecific().Constructed()))
	require.True(t, tbs.ReadASN1Element(&oldSerial, cbasn1.INTEGER))
	for _, e := range []*cryptobyte.String{&alg, &issuer, &validity, &subject, &oldSPKI} {
		require.True(t, tbs.ReadASN1Element(e, cbasn1.SEQUENCE))
	}
	var nt cryptobyte.Builder
	nt.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(version)
		if serial != nil {
			b.AddASN1BigInt(serial)
		} else {
			b.AddBytes(oldSerial)
		}
		b.AddBytes(alg)
		b.AddBytes(issuer)
		b.AddBytes(validity)
		b.AddBytes(subject)
		if spki != nil {
			b.AddBytes(spki)
		} else {
			b.AddBytes(oldSPKI)
		}
		b.AddBytes(tbs) // the extensions
	})
	newTBS := nt.BytesOrPanic()
	h := sha256.Sum256(newTBS)
	sig, err := p.caKey.Sign(rand.Reader, h[:], crypto.SHA256)
	require.NoError(t, err)
	var out cryptobyte.Builder
	out.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(newTBS)
		b.AddBytes(sigAlg)
		b.AddASN1BitString(sig)
	})
	return out.BytesOrPanic()
}

// Certificates crypto/x509 refuses (a negative serial number, a brainpool key) are
// matched to the SignerInfo on their raw DER; the report says what is wrong with them
// instead of "the signer's certificate is not in the signature".
func TestVerifyCertificatesGoRefuses(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	brainpoolSPKI := func() []byte {
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(cms.OIDECPublicKey)
				b.AddASN1ObjectIdentifier(asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 7})
			})
			point := make([]byte, 65)
			point[0] = 4
			_, _ = rand.Read(point[1:])
			b.AddASN1BitString(point)
		})
		return b.BytesOrPanic()
	}
	for _, c := range []struct {
		name   string
		serial *big.Int
		spki   []byte
		sub    signature.SubIndication
		reason string
	}{
		{"negative serial", big.NewInt(-4711), nil, signature.CertificateChainFailure, "negative serial number"},
		{"brainpool key", nil, brainpoolSPKI(), signature.CryptoConstraintsFailure, "brainpoolP256r1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := resignedCert(t, p, p.leader, c.serial, c.spki)
			_, err := x509.ParseCertificate(raw)
			require.Error(t, err, "crypto/x509 must refuse the certificate for this test to mean anything")
			// The signing side only needs what cms.Prepare reads from the certificate.
			fake := *p.leader
			fake.Raw = raw
			if c.serial != nil {
				fake.SerialNumber = c.serial
			}
			in := pdftest.Classic()
			var out bytes.Buffer
			_, err = signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), p.leaderKey,
				[]*x509.Certificate{&fake, p.ca}, &signature.SignOptions{Time: now})
			require.NoError(t, err)
			rep := vtVerify(t, p, out.Bytes(), now, nil)
			s := rep.Signatures[0]
			assert.Equal(t, signature.Indeterminate, s.Indication, "%+v", s.Checks)
			assert.Equal(t, c.sub, s.SubIndication, "%+v", s.Checks)
			chk, ok := s.Check(signature.CheckSignatureValue)
			require.True(t, ok)
			assert.Contains(t, chk.MessageEN, c.reason)
			assert.NotContains(t, chk.MessageEN, "not in the signature")
			if c.serial != nil {
				// The key itself is readable: the value is checked with it, so a
				// forgery is told from a certificate Go cannot use.
				var valueChecked bool
				for _, k := range s.Checks {
					valueChecked = valueChecked || (k.Name == signature.CheckSignatureValue && k.Result == signature.CheckPassed)
				}
				assert.True(t, valueChecked, "%+v", s.Checks)
			}
		})
	}
}

// toBER rewrites the outer ContentInfo and SignedData SEQUENCEs of a DER CMS with
// indefinite lengths (BER), as some signers write them.
func toBER(t *testing.T, der []byte) []byte {
	t.Helper()
	in := cryptobyte.String(der)
	var ci, content, sd cryptobyte.String
	var oid asn1.ObjectIdentifier
	require.True(t, in.ReadASN1(&ci, cbasn1.SEQUENCE))
	require.True(t, ci.ReadASN1ObjectIdentifier(&oid))
	require.True(t, ci.ReadASN1(&content, cbasn1.Tag(0).ContextSpecific().Constructed()))
	require.True(t, content.ReadASN1(&sd, cbasn1.SEQUENCE))
	oidDER, err := asn1.Marshal(oid)
	require.NoError(t, err)
	out := []byte{0x30, 0x80}
	out = append(out, oidDER...)
	out = append(out, 0xa0, 0x80, 0x30, 0x80)
	out = append(out, sd...)
	return append(out, 0, 0, 0, 0, 0, 0)
}

// A CMS written in BER with indefinite lengths is accepted: the verifier reads it as
// its DER equivalent.
func TestVerifyBERSignature(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now})
	der, _ := contentsOf(t, signed)
	sd, err := cms.Parse(der)
	require.NoError(t, err)
	ber := toBER(t, sd.Raw)
	require.NotEqual(t, sd.Raw, ber[:len(sd.Raw)])
	doc := replaceContents(t, signed, ber)
	rep := vtVerify(t, p, doc, now, nil)
	s := rep.Signatures[0]
	assert.Equal(t, signature.TotalPassed, s.Indication, "%s %+v", s.SubIndication, s.Checks)

	// A document time-stamp token in BER too; certstatus reads it with the same parser.
	lta := addDocTimestamp(t, p, doc, now)
	tok, _ := contentsOf(t, lta)
	tsd, err := cms.Parse(tok)
	require.NoError(t, err)
	berTok := toBER(t, tsd.Raw)
	_, err = certstatus.ParseToken(berTok)
	require.NoError(t, err)
	rep = vtVerify(t, p, replaceContents(t, lta, berTok), now, nil)
	require.Len(t, rep.Signatures, 2)
	for _, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "%s %+v", s.SubIndication, s.Checks)
	}
}
