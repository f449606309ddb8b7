package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// Verdicts on signatures other tools made: time-stamp tokens requested with certReq
// false (no TSA certificate inside, as in pdfcpu's ETSI.CAdES.detached samples), and
// expired certificates with no trusted root.

// addDSSVRIOnly appends a DSS whose only certificates are in a /VRI entry's /Cert
// array (no /Certs), as some writers make it.
func addDSSVRIOnly(t testing.TB, doc []byte, certs []*x509.Certificate) []byte {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	u := d.NewUpdate()
	var arr pdf.Array
	for _, c := range certs {
		arr = append(arr, u.Add(&pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(len(c.Raw))}, Data: c.Raw}))
	}
	cat, err := d.Catalog()
	require.NoError(t, err)
	nc := cat.Clone()
	nc["DSS"] = u.Add(pdf.Dict{"VRI": pdf.Dict{"0123456789ABCDEF0123456789ABCDEF01234567": pdf.Dict{"Cert": arr}}})
	u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
	b, err := u.Bytes()
	require.NoError(t, err)
	return append(bytes.Clone(doc), b...)
}

// reportText is the report as people read it, in both languages.
func reportText(t testing.TB, rep *signature.Report) string {
	t.Helper()
	var vi, en bytes.Buffer
	require.NoError(t, rep.WriteText(&vi, "vi"))
	require.NoError(t, rep.WriteText(&en, "en"))
	return vi.String() + en.String()
}

// A signature time-stamp token without its TSA's certificate: found in the DSS (its
// /Certs or a /VRI), in the caller's certificates, or nowhere — then the token is
// INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND and the signature is judged without it,
// never TOTAL_FAILED/SIG_CRYPTO_FAILURE (ETSI EN 319 102-1).
func TestVerifySignatureTimestampWithoutTSACertificate(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	p.tsaNoCerts = true
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now.Add(-time.Minute)})
	bt := addSignatureTimestamp(t, p, signed, now, nil)

	cases := []struct {
		name       string
		doc        []byte
		mutate     func(*signature.VerifyOptions)
		wantInd    signature.Indication
		wantSub    signature.SubIndication
		wantProven bool
	}{
		{"TSA certificate nowhere", bt, nil, signature.TotalPassed, "", false},
		{"TSA certificate in the DSS", addDSS(t, bt, []*x509.Certificate{p.tsa}, nil), nil, signature.TotalPassed, "", true},
		{"TSA certificate only in a VRI entry", addDSSVRIOnly(t, bt, []*x509.Certificate{p.tsa}), nil, signature.TotalPassed, "", true},
		{"TSA certificate given by the caller", bt, func(o *signature.VerifyOptions) { o.Certificates = []*x509.Certificate{p.tsa} },
			signature.TotalPassed, "", true},
		{"token over other data, TSA certificate nowhere", addSignatureTimestamp(t, p, signed, now, []byte("other data")), nil,
			signature.TotalFailed, signature.HashFailure, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := vtVerify(t, p, tc.doc, now, tc.mutate)
			s := rep.Signatures[0]
			assert.Equal(t, tc.wantInd, s.Indication, "%+v", s.Checks)
			assert.Equal(t, tc.wantSub, s.SubIndication)
			assert.Equal(t, tc.wantProven, s.TimeProven)
			c, ok := s.Check(signature.CheckTimestamp)
			require.True(t, ok)
			text := reportText(t, rep)
			switch {
			case tc.wantProven:
				assert.Equal(t, signature.CheckPassed, c.Result, c.MessageEN)
				assert.Equal(t, signature.LevelBT, s.Level)
			case tc.wantInd == signature.TotalPassed:
				assert.Equal(t, signature.CheckIndeterminate, c.Result, c.MessageEN)
				assert.Contains(t, c.MessageEN, "NO_SIGNING_CERTIFICATE_FOUND")
				assert.Contains(t, c.MessageEN, p.ca.Subject.CommonName, "the message names the missing certificate's issuer")
				assert.Contains(t, c.MessageEN, fmt.Sprintf("serial %X", p.tsa.SerialNumber), "and its serial number")
				assert.Equal(t, signature.LevelBB, s.Level, "a time-stamp that proves nothing does not make B-T")
				// The signing-time line says why the time is unproven: a token is
				// there but cannot be checked — not "no time-stamp".
				st, ok := s.Check(signature.CheckSigningTime)
				require.True(t, ok)
				assert.Contains(t, st.MessageEN, "the time-stamping authority's certificate is missing")
				assert.NotContains(t, text, "không có dấu thời gian")
				assert.NotContains(t, text, "no time-stamp")
			}
			assert.NotContains(t, text, "giả mạo", "no integrity claim: no hash or signature value fails")
			assert.NotContains(t, text, "forged")
		})
	}
}

// An expired signer certificate whose token lacks its TSA certificate: INDETERMINATE
// (the signature is judged without proof of time), never TOTAL_FAILED.
func TestVerifyExpiredSignerTokenWithoutTSACertificate(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-2*365*24*time.Hour), now.Add(-365*24*time.Hour))
	p.tsaNoCerts = true
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now})
	bt := addSignatureTimestamp(t, p, signed, now.Add(-500*24*time.Hour), nil)
	rep := vtVerify(t, p, bt, now, nil)
	s := rep.Signatures[0]
	assert.Equal(t, signature.Indeterminate, s.Indication, "%+v", s.Checks)
	assert.Equal(t, signature.OutOfBoundsNoPOE, s.SubIndication)
}

// A document time-stamp without its TSA's certificate: INDETERMINATE/
// NO_SIGNING_CERTIFICATE_FOUND with an integrity summary that says what could not be
// checked; found in the DSS, it verifies. Only a TSA signature value that fails gives
// TOTAL_FAILED/SIG_CRYPTO_FAILURE and the "forged" integrity line.
func TestVerifyDocTimestampWithoutTSACertificate(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now.Add(-time.Minute)})
	p.tsaNoCerts = true
	lta := addDocTimestamp(t, p, signed, now)
	withDSS := addDocTimestamp(t, p, addDSS(t, signed, []*x509.Certificate{p.tsa}, nil), now)
	p.tsaNoCerts, p.tsaForge = false, true
	forged := addDocTimestamp(t, p, signed, now)
	p.tsaForge = false
	// A token that is not DER at all (its first byte turned from SEQUENCE to SET):
	// a structure that fails, not a value.
	unreadable := bytes.Clone(withDSS)
	br, _ := lastByteRange(t, unreadable)
	require.Equal(t, "30", strings.ToLower(string(unreadable[br[1]+1:br[1]+3])))
	copy(unreadable[br[1]+1:], "31")
	// A token whose SignerInfo names a digest algorithm outside the policy's table
	// (SHA3-224 for SHA-256; the field is not signed): the value cannot be checked,
	// INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE, not a forgery.
	unknownAlg := bytes.Clone(withDSS)
	br, _ = lastByteRange(t, unknownAlg)
	hole := strings.ToLower(string(unknownAlg[br[1]:br[2]]))
	at := -1
	for _, pat := range []string{"06096086480165030402010500a0", "0609608648016503040201a0"} {
		if i := strings.LastIndex(hole, pat); i >= 0 {
			at = int(br[1]) + i + len("060960864801650304020")
			break
		}
	}
	require.Positive(t, at, "the SignerInfo's digest algorithm")
	unknownAlg[at] = '7'

	cases := []struct {
		name          string
		doc           []byte
		wantInd       signature.Indication
		wantSub       signature.SubIndication
		wantIntegrity signature.CheckResult
	}{
		{"token unreadable", unreadable, signature.TotalFailed, signature.FormatFailure, signature.CheckFailed},
		{"token digest algorithm unknown", unknownAlg, signature.Indeterminate, signature.CryptoConstraintsFailure, signature.CheckIndeterminate},
		{"TSA certificate nowhere", lta, signature.Indeterminate, signature.NoSigningCertificateFound, signature.CheckIndeterminate},
		{"TSA certificate in the DSS", withDSS, signature.TotalPassed, "", signature.CheckPassed},
		{"TSA signature value forged", forged, signature.TotalFailed, signature.SigCryptoFailure, signature.CheckFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := vtVerify(t, p, tc.doc, now, nil)
			require.Len(t, rep.Signatures, 2)
			ts := rep.Signatures[1]
			require.Equal(t, signature.KindDocTimestamp, ts.Kind)
			assert.Equal(t, tc.wantInd, ts.Indication, "%+v", ts.Checks)
			assert.Equal(t, tc.wantSub, ts.SubIndication)
			in, ok := ts.Check(signature.CheckIntegrity)
			require.True(t, ok)
			assert.Equal(t, tc.wantIntegrity, in.Result, in.MessageEN)
			if tc.wantIntegrity != signature.CheckFailed || tc.wantSub != signature.SigCryptoFailure {
				assert.NotContains(t, in.MessageEN, "forged")
				assert.NotContains(t, in.MessageVI, "giả mạo")
			}
			if tc.wantSub == signature.NoSigningCertificateFound {
				md, ok := ts.Check(signature.CheckMessageDigest)
				require.True(t, ok)
				assert.Equal(t, signature.CheckPassed, md.Result, "the imprint is still compared")
				assert.Contains(t, in.MessageEN, "NO_SIGNING_CERTIFICATE_FOUND")
				assert.False(t, ts.TimeProven)
			}
			assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
		})
	}
}

// An expired certificate with no trusted root is NO_CERTIFICATE_CHAIN_FOUND (ETSI EN
// 319 102-1 builds the path first) and the report's one reason is the path; with the
// root trusted it is OUT_OF_BOUNDS_NO_POE and the reason is the validity period.
func TestVerifyExpiredWithoutTrustedRoot(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-2*365*24*time.Hour), now.Add(-365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now.Add(-400 * 24 * time.Hour)})
	cases := []struct {
		name                 string
		mutate               func(*signature.VerifyOptions)
		wantSub              signature.SubIndication
		wantReasonVI, wantEN string
	}{
		{"no trusted root", func(o *signature.VerifyOptions) { o.Roots = x509.NewCertPool() }, signature.NoCertificateChainFound,
			"đường dẫn chứng thực", "certification path"},
		{"root trusted", nil, signature.OutOfBoundsNoPOE, "không còn hiệu lực", "not valid at the validation time"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := vtVerify(t, p, signed, now, tc.mutate)
			s := rep.Signatures[0]
			assert.Equal(t, signature.Indeterminate, s.Indication, "%+v", s.Checks)
			assert.Equal(t, tc.wantSub, s.SubIndication)
			var vi, en bytes.Buffer
			require.NoError(t, rep.WriteText(&vi, "vi"))
			require.NoError(t, rep.WriteText(&en, "en"))
			assert.Contains(t, reasonLine(vi.String(), "Lý do: "), tc.wantReasonVI)
			assert.Contains(t, reasonLine(en.String(), "Reason: "), tc.wantEN)
		})
	}
}

// reasonLine returns the first line of text after prefix.
func reasonLine(text, prefix string) string {
	i := strings.Index(text, prefix)
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(text[i+len(prefix):], "\n")
	return line
}

// A signature time-stamp by a TSA with no path to a trusted root proves no time; the
// signature is judged without it (ETSI EN 319 102-1) rather than made INDETERMINATE
// by the TSA's path.
func TestVerifySignatureTimestampUntrustedTSA(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	other := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now.Add(-time.Minute)})
	bt := addSignatureTimestamp(t, other, signed, now, nil)
	rep := vtVerify(t, p, bt, now, nil)
	s := rep.Signatures[0]
	assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
	assert.False(t, s.TimeProven)
	c, ok := s.Check(signature.CheckTimestamp)
	require.True(t, ok)
	assert.Equal(t, signature.CheckIndeterminate, c.Result, c.MessageEN)
	assert.Contains(t, c.MessageEN, "cannot be validated")
}

// unreachableSource is an online revocation source whose servers cannot be reached.
type unreachableSource struct{}

func (unreachableSource) OCSPResponse(context.Context, *x509.Certificate, *x509.Certificate) ([]byte, error) {
	return nil, errors.New("server unreachable: no such host")
}

func (unreachableSource) CRLs(context.Context, *x509.Certificate, *x509.Certificate) ([][]byte, error) {
	return nil, errors.New("server unreachable: no such host")
}

// When the document's revocation data is unusable and the servers cannot be reached,
// the report says both, not only "no OCSP response or CRL".
func TestVerifyRevocationUnknownSaysWhyTheDocumentsDataFailed(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	other := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now.Add(-time.Minute)})
	// An OCSP answer about the signer, signed by a responder its CA never authorised.
	tmpl := ocsp.Response{Status: ocsp.Good, SerialNumber: p.leader.SerialNumber, ThisUpdate: now, NextUpdate: now.Add(24 * time.Hour)}
	foreign, err := ocsp.CreateResponse(p.ca, other.ca, tmpl, other.caKey)
	require.NoError(t, err)
	doc := addDSS(t, signed, nil, [][]byte{foreign})
	rep := vtVerify(t, p, doc, now, func(o *signature.VerifyOptions) { o.Revocation = unreachableSource{} })
	s := rep.Signatures[0]
	assert.Equal(t, signature.TryLater, s.SubIndication, "%+v", s.Checks)
	c, ok := s.Check(signature.CheckRevocation)
	require.True(t, ok)
	assert.Contains(t, c.MessageEN, "(DSS)", "the document's data and why it failed")
	assert.Contains(t, c.MessageEN, "unreachable")
	assert.Contains(t, c.MessageVI, "không kết nối được")
	assert.Contains(t, c.MessageVI, "không do bên có thẩm quyền ký")
}

// Extending to B-LT a signature whose time-stamp token carries no TSA certificate adds
// the signer's validation data and says that the TSA's could not be added (it used to
// skip the whole signature).
func TestExtendTokenWithoutTSACertificate(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	p.tsaNoCerts = true
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now.Add(-time.Minute)})
	bt := addSignatureTimestamp(t, p, signed, now, nil)
	var out bytes.Buffer
	res, err := signature.Extend(context.Background(), &out, bytes.NewReader(bt), int64(len(bt)), &signature.ExtendOptions{
		Revocation: vtSource{t: t, p: p, now: now}, Certificates: []*x509.Certificate{p.root}, NoDocTimestamp: true,
		OnMissingRevocation: signature.ContinueWithoutRevocation})
	require.NoError(t, err)
	assert.Positive(t, res.OCSPs, "the signer's status was added")
	var warned bool
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w, "no validation data added for its TSA")
	}
	assert.True(t, warned, "%q", res.Warnings)
	rep := vtVerify(t, p, out.Bytes(), now, func(o *signature.VerifyOptions) { o.Revocation = nil; o.Offline = true })
	assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
}
