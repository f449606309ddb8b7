package signature_test

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// addLegacySignature appends an invisible signature field whose dictionary holds
// extra (SubFilter, Cert, …) and a /Contents hole that sign fills from the signed
// bytes (the file without the hole), as writers of the ISO 32000-1 legacy SubFilters
// did. The result is what those tools wrote; kyso never writes them.
func addLegacySignature(t testing.TB, doc []byte, extra pdf.Dict, sign func(signed []byte) []byte) []byte {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	u := d.NewUpdate()
	const holeBytes = 4096
	placeholderBR := pdf.Raw("[0 0000000000 0000000000 0000000000]")
	contents := pdf.Raw("<" + string(bytes.Repeat([]byte("0"), holeBytes*2)) + ">")
	sigDict := pdf.Dict{"Type": pdf.Name("Sig"), "Filter": pdf.Name("Adobe.PPKLite"), "ByteRange": placeholderBR,
		"Contents": contents, "M": pdf.String("D:20090729120000+07'00'")}
	for k, v := range extra {
		sigDict[k] = v
	}
	sigRef := u.Add(sigDict)
	cat, err := d.Catalog()
	require.NoError(t, err)
	pages, err := d.Pages()
	require.NoError(t, err)
	fieldRef := u.Add(pdf.Dict{"FT": pdf.Name("Sig"), "T": pdf.String("Legacy1"), "V": sigRef,
		"Type": pdf.Name("Annot"), "Subtype": pdf.Name("Widget"), "Rect": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(0), pdf.Integer(0)},
		"F": pdf.Integer(132), "P": pages[0].Ref})
	nc := cat.Clone()
	nc["AcroForm"] = pdf.Dict{"Fields": pdf.Array{fieldRef}, "SigFlags": pdf.Integer(3)}
	u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
	page := pages[0].Dict.Clone()
	page["Annots"] = pdf.Array{fieldRef}
	u.Set(pages[0].Ref, page)
	upd, err := u.Bytes()
	require.NoError(t, err)
	out := append(bytes.Clone(doc), upd...)
	brAt := bytes.LastIndex(out, []byte(placeholderBR))
	hole := bytes.LastIndex(out, []byte(contents))
	require.Positive(t, brAt)
	require.Positive(t, hole)
	holeEnd := hole + len(contents)
	copy(out[brAt:], fmt.Sprintf("[0 %010d %010d %010d]", hole, holeEnd, len(out)-holeEnd))
	signed := append(bytes.Clone(out[:hole]), out[holeEnd:]...)
	der := sign(signed)
	require.LessOrEqual(t, len(der), holeBytes)
	copy(out[hole+1:], hex.EncodeToString(der))
	return out
}

// octetString wraps a PKCS#1 signature value as adbe.x509.rsa_sha1 stores it.
func octetString(v []byte) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.OCTET_STRING, func(b *cryptobyte.Builder) { b.AddBytes(v) })
	return b.BytesOrPanic()
}

// rsaLeader issues an RSA 2048 signer certificate under the PKI's CA (the legacy
// SubFilter adbe.x509.rsa_sha1 is RSA only).
func rsaLeader(t testing.TB, p *vtPKI, now time.Time) (*x509.Certificate, *rsa.PrivateKey) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	cert := p.issue(t, &x509.Certificate{
		Subject:   pkix.Name{Country: []string{"VN"}, Organization: []string{"UBND tỉnh Hà Tĩnh"}, CommonName: "Trần Thị Legacy"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}, key.Public(), p.ca, p.caKey)
	return cert, key
}

// adbe.x509.rsa_sha1 (ISO 32000-1 §12.8.3.2): a PKCS#1 value over the byte ranges'
// digest, certificates in /Cert. kyso verifies it; with SHA-1 a valid one is
// INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE, a wrong one TOTAL_FAILED.
func TestVerifyX509RSASHA1(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	cert, key := rsaLeader(t, p, now)
	certs := pdf.Array{pdf.String(cert.Raw), pdf.String(p.ca.Raw)}
	sign := func(h crypto.Hash) func([]byte) []byte {
		return func(signed []byte) []byte {
			d := h.New()
			d.Write(signed)
			sig, err := rsa.SignPKCS1v15(rand.Reader, key, h, d.Sum(nil))
			require.NoError(t, err)
			return octetString(sig)
		}
	}
	extra := pdf.Dict{"SubFilter": pdf.Name("adbe.x509.rsa_sha1"), "Cert": certs}
	sha1Doc := addLegacySignature(t, pdftest.Classic(), extra, sign(crypto.SHA1))
	oneCert := addLegacySignature(t, pdftest.Classic(), pdf.Dict{"SubFilter": pdf.Name("adbe.x509.rsa_sha1"), "Cert": pdf.String(cert.Raw)}, sign(crypto.SHA1))

	cases := []struct {
		name      string
		doc       []byte
		wantInd   signature.Indication
		wantSub   signature.SubIndication
		wantValue signature.CheckResult
	}{
		{"SHA-1, valid", sha1Doc, signature.Indeterminate, signature.CryptoConstraintsFailure, signature.CheckPassed},
		{"SHA-1, /Cert a single string", oneCert, signature.Indeterminate, signature.CryptoConstraintsFailure, signature.CheckPassed},
		{"SHA-256 named by the DigestInfo, valid", addLegacySignature(t, pdftest.Classic(), extra, sign(crypto.SHA256)),
			signature.TotalPassed, "", signature.CheckPassed},
		{"content changed after signing", patchLast(t, sha1Doc, "(Legacy1)", "(Legacy2)"), signature.TotalFailed, signature.HashFailure, ""},
		{"value of another key", addLegacySignature(t, pdftest.Classic(), extra, func(signed []byte) []byte {
			other, err := rsa.GenerateKey(rand.Reader, 2048)
			require.NoError(t, err)
			d := sha1.Sum(signed)
			sig, err := rsa.SignPKCS1v15(rand.Reader, other, crypto.SHA1, d[:])
			require.NoError(t, err)
			return octetString(sig)
		}), signature.TotalFailed, signature.SigCryptoFailure, signature.CheckFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := vtVerify(t, p, tc.doc, now, nil)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]
			assert.Equal(t, tc.wantInd, s.Indication, "%+v", s.Checks)
			assert.Equal(t, tc.wantSub, s.SubIndication)
			assert.Equal(t, "adbe.x509.rsa_sha1", s.SubFilter)
			if tc.wantValue != "" {
				c, ok := s.Check(signature.CheckSignatureValue)
				require.True(t, ok, "%+v", s.Checks)
				assert.Equal(t, tc.wantValue, c.Result, c.MessageEN)
			} else {
				c, ok := s.Check(signature.CheckMessageDigest)
				require.True(t, ok, "%+v", s.Checks)
				assert.Equal(t, signature.CheckFailed, c.Result, c.MessageEN)
			}
			in, ok := s.Check(signature.CheckIntegrity)
			require.True(t, ok)
			if tc.wantValue == signature.CheckPassed {
				require.NotNil(t, s.Signer)
				assert.Equal(t, "Trần Thị Legacy", s.Signer.CommonName)
				assert.NotContains(t, in.MessageEN, "forged")
			} else {
				assert.Equal(t, signature.CheckFailed, in.Result, "a value that fails is an integrity failure")
			}
		})
	}
}

// adbe.pkcs7.sha1 (ISO 32000-1 §12.8.3.3.1): the CMS encapsulates the SHA-1 digest
// of the byte ranges and signs it as data.
func TestVerifyPKCS7SHA1(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	sign := func(content func(signed []byte) []byte) func([]byte) []byte {
		return func(signed []byte) []byte {
			sd, err := pkcs7.NewSignedData(content(signed))
			require.NoError(t, err)
			sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA1)
			require.NoError(t, sd.AddSigner(p.leader, p.leaderKey, pkcs7.SignerInfoConfig{}))
			sd.AddCertificate(p.ca)
			der, err := sd.Finish()
			require.NoError(t, err)
			return der
		}
	}
	digest := func(signed []byte) []byte { d := sha1.Sum(signed); return d[:] }
	extra := pdf.Dict{"SubFilter": pdf.Name("adbe.pkcs7.sha1")}
	valid := addLegacySignature(t, pdftest.Classic(), extra, sign(digest))
	cases := []struct {
		name    string
		doc     []byte
		wantInd signature.Indication
		wantSub signature.SubIndication
	}{
		{"valid", valid, signature.Indeterminate, signature.CryptoConstraintsFailure},
		{"content changed after signing", patchLast(t, valid, "(Legacy1)", "(Legacy2)"), signature.TotalFailed, signature.HashFailure},
		{"encapsulates the digest of other bytes", addLegacySignature(t, pdftest.Classic(), extra, sign(func([]byte) []byte {
			d := sha1.Sum([]byte("other bytes"))
			return d[:]
		})), signature.TotalFailed, signature.HashFailure},
		{"encapsulates no digest", addLegacySignature(t, pdftest.Classic(), extra, sign(func([]byte) []byte { return []byte("not a digest") })),
			signature.TotalFailed, signature.FormatFailure},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := vtVerify(t, p, tc.doc, now, nil)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]
			assert.Equal(t, tc.wantInd, s.Indication, "%+v", s.Checks)
			assert.Equal(t, tc.wantSub, s.SubIndication)
			if tc.wantInd == signature.Indeterminate {
				c, ok := s.Check(signature.CheckSignatureValue)
				require.True(t, ok)
				assert.Equal(t, signature.CheckPassed, c.Result, c.MessageEN)
				a, ok := s.Check(signature.CheckAlgorithms)
				require.True(t, ok)
				assert.Contains(t, a.MessageEN, "SHA-1")
			}
		})
	}
}

// A CMS signature with SHA-1 is verified before the algorithm policy judges it: a
// forged one is TOTAL_FAILED (ETSI EN 319 102-1 checks the cryptography first), a
// valid one INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE.
func TestVerifySHA1SignatureIsVerifiedFirst(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	sign := func(signed []byte) []byte {
		sd, err := pkcs7.NewSignedData(signed)
		require.NoError(t, err)
		sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA1)
		require.NoError(t, sd.AddSigner(p.leader, p.leaderKey, pkcs7.SignerInfoConfig{}))
		sd.Detach()
		der, err := sd.Finish()
		require.NoError(t, err)
		return der
	}
	valid := addLegacySignature(t, pdftest.Classic(), pdf.Dict{"SubFilter": pdf.Name("adbe.pkcs7.detached")}, sign)
	for _, tc := range []struct {
		name    string
		doc     []byte
		wantInd signature.Indication
		wantSub signature.SubIndication
	}{
		{"valid", valid, signature.Indeterminate, signature.CryptoConstraintsFailure},
		{"content changed", patchLast(t, valid, "(Legacy1)", "(Legacy2)"), signature.TotalFailed, signature.HashFailure},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := vtVerify(t, p, tc.doc, now, nil)
			s := rep.Signatures[0]
			assert.Equal(t, tc.wantInd, s.Indication, "%+v", s.Checks)
			assert.Equal(t, tc.wantSub, s.SubIndication)
			in, ok := s.Check(signature.CheckIntegrity)
			require.True(t, ok)
			if tc.wantInd == signature.Indeterminate {
				assert.Equal(t, signature.CheckIndeterminate, in.Result)
				assert.Contains(t, in.MessageEN, "no change found")
			}
		})
	}
}
