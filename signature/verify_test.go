package signature_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

func TestVerifyRoundTripBB(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	inputs := map[string][]byte{
		"classic":        pdftest.Classic(),
		"xref-stream":    pdftest.XRefStream(),
		"object-streams": pdftest.ObjectStreams(),
		"hybrid":         pdftest.Hybrid(),
		"incremental":    pdftest.Incremental(),
		"with-field":     pdftest.WithSignatureField(),
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			signed := vtSign(t, p, in, &signature.SignOptions{Reason: "Phê duyệt", Location: "Hà Tĩnh"})
			rep := vtVerify(t, p, signed, now, nil)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]
			assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
			assert.Equal(t, signature.LevelBB, s.Level)
			assert.Equal(t, signature.ModNone, s.Modification)
			assert.True(t, s.CoversWholeDocument)
			assert.Equal(t, "Nguyễn Văn Lĩnh", s.Signer.CommonName)
			assert.Equal(t, "Hà Tĩnh", s.Signer.Province)
			assert.Equal(t, "UBND tỉnh Hà Tĩnh", s.Signer.Organization)
			assert.Equal(t, "individual", s.Signer.Kind)
			assert.Equal(t, "Văn phòng UBND tỉnh, UBND tỉnh Hà Tĩnh", s.Signer.ManagingUnit())
			assert.Equal(t, "Phê duyệt", s.Reason)
			assert.False(t, s.TimeProven)
			c, ok := s.Check(signature.CheckSigningTime)
			require.True(t, ok)
			assert.Equal(t, signature.CheckWarning, c.Result, "claimed time must be flagged unproven")
			for _, want := range []signature.CheckName{signature.CheckIssuer, signature.CheckSigner, signature.CheckManagingUnit,
				signature.CheckValidityPeriod, signature.CheckValidAtSigning, signature.CheckIntegrity, signature.CheckRevocation} {
				c, ok := s.Check(want)
				if assert.True(t, ok, "check %s missing", want) {
					assert.NotEmpty(t, c.MessageVI)
					assert.NotEmpty(t, c.MessageEN)
				}
			}
		})
	}
}

func TestVerifyTwoSignaturesAndJSON(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	one := vtSign(t, p, pdftest.Classic(), nil)
	two := vtSign(t, p, one, nil)
	rep := vtVerify(t, p, two, now, nil)
	require.Len(t, rep.Signatures, 2)
	first, second := rep.Signatures[0], rep.Signatures[1]
	assert.Equal(t, signature.TotalPassed, first.Indication, "%+v", first.Checks)
	assert.Equal(t, signature.ModLTAUpdates, first.Modification, "%+v", first.Changes)
	assert.False(t, first.CoversWholeDocument)
	assert.Equal(t, signature.TotalPassed, second.Indication, "%+v", second.Checks)
	assert.True(t, second.CoversWholeDocument)
	assert.Equal(t, first.Revision+1, second.Revision)

	b, err := json.Marshal(rep)
	require.NoError(t, err)
	var generic map[string]any
	require.NoError(t, json.Unmarshal(b, &generic))
	sigs := generic["signatures"].([]any)
	require.Len(t, sigs, 2)
	s0 := sigs[0].(map[string]any)
	for _, k := range []string{"field", "kind", "indication", "subIndication", "level", "signer", "signingTime", "timestampTime",
		"coversWholeDocument", "revision", "modification", "checks"} {
		_, ok := s0[k]
		assert.True(t, ok, "JSON key %q missing", k)
	}
	assert.Equal(t, "Nguyễn Văn Lĩnh", s0["signer"].(map[string]any)["commonName"])
	check := s0["checks"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "result", "message_vi", "message_en"} {
		_, ok := check[k]
		assert.True(t, ok, "check key %q missing", k)
	}

	// A signature whose CMS cannot be read keeps every key, with null for what is
	// unknown, so that consumers of kyso verify -json need no special case.
	br, _ := lastByteRange(t, one)
	hole := string(one[br[1]:br[2]])
	forged := patchLast(t, one, hole, "<"+strings.Repeat("0", len(hole)-2)+">")
	rep = vtVerify(t, p, forged, now, nil)
	require.Len(t, rep.Signatures, 1)
	b, err = json.Marshal(rep)
	require.NoError(t, err)
	var broken struct {
		Signatures []map[string]any `json:"signatures"`
	}
	require.NoError(t, json.Unmarshal(b, &broken))
	for _, k := range []string{"field", "kind", "indication", "subIndication", "level", "signer", "signingTime", "timestampTime",
		"coversWholeDocument", "revision", "modification", "checks"} {
		_, ok := broken.Signatures[0][k]
		assert.True(t, ok, "JSON key %q missing on a broken signature", k)
	}
	assert.Nil(t, broken.Signatures[0]["signer"])
	assert.Equal(t, "TOTAL_FAILED", broken.Signatures[0]["indication"])
}

func TestVerifyLevels(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now})
	bt := addSignatureTimestamp(t, p, signed, now, nil)
	rep := vtVerify(t, p, bt, now, nil)
	s := rep.Signatures[0]
	require.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
	assert.Equal(t, signature.LevelBT, s.Level)
	assert.True(t, s.TimeProven)
	require.NotNil(t, s.TimestampTime)

	lt := addDSS(t, bt, []*x509.Certificate{p.ca, p.root}, [][]byte{p.ocspFor(t, p.leader, now.Add(time.Minute))})
	rep = vtVerify(t, p, lt, now, func(o *signature.VerifyOptions) { o.Offline = true; o.Revocation = nil })
	s = rep.Signatures[0]
	require.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
	assert.Equal(t, signature.LevelBLT, s.Level)
	assert.Equal(t, signature.ModLTAUpdates, s.Modification, "%+v", s.Changes)

	lta := addDocTimestamp(t, p, lt, now.Add(2*time.Minute))
	rep = vtVerify(t, p, lta, now, func(o *signature.VerifyOptions) { o.Offline = true; o.Revocation = nil })
	require.Len(t, rep.Signatures, 2)
	s, ts := rep.Signatures[0], rep.Signatures[1]
	require.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
	assert.Equal(t, signature.LevelBLTA, s.Level)
	assert.Equal(t, signature.KindDocTimestamp, ts.Kind)
	assert.Equal(t, signature.TotalPassed, ts.Indication, "%+v", ts.Checks)
	assert.True(t, ts.CoversWholeDocument)
	assert.Equal(t, "device", ts.Signer.Kind, "a TSA certificate")

	// The same, in one call, as downstream test suites write it.
	signaturetest.AssertSignatures(t, lta, &signature.VerifyOptions{Roots: p.roots, Offline: true, Time: now},
		signaturetest.Expect{Level: signature.LevelBLTA, Signer: "Nguyễn Văn Lĩnh", Modification: signature.ModLTAUpdates},
		signaturetest.Expect{Kind: signature.KindDocTimestamp, Signer: "TSA Test", Modification: signature.ModNone})

	// Years later, after the signer's certificate expired: still valid offline thanks
	// to the time-stamps.
	later := now.Add(3 * 365 * 24 * time.Hour)
	rep = vtVerify(t, p, lta, later, func(o *signature.VerifyOptions) { o.Offline = true; o.Revocation = nil })
	assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
	// Without the time-stamps the same signature cannot be proven.
	rep = vtVerify(t, p, signed, later, func(o *signature.VerifyOptions) { o.Offline = true; o.Revocation = nil })
	assert.Equal(t, signature.Indeterminate, rep.Signatures[0].Indication)
	assert.Equal(t, signature.OutOfBoundsNoPOE, rep.Signatures[0].SubIndication)
}

func TestVerifyNotPDFAndUnsigned(t *testing.T) {
	_, err := signature.Verify(context.Background(), bytes.NewReader([]byte("hello")), 5, nil)
	require.ErrorIs(t, err, signature.ErrNotPDF)
	var de *signature.DocumentError
	require.ErrorAs(t, err, &de)
	in := pdftest.Classic()
	rep, err := signature.Verify(context.Background(), bytes.NewReader(in), int64(len(in)), nil)
	require.ErrorIs(t, err, signature.ErrNoSignatures)
	require.NotNil(t, rep)
}

func TestVerifyRevocationFromDSSCRL(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	offline := func(o *signature.VerifyOptions) { o.Offline = true; o.Revocation = nil }

	good := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	bt := addSignatureTimestamp(t, good, vtSign(t, good, pdftest.Classic(), &signature.SignOptions{Time: now}), now, nil)
	lt := addDSSWithCRLs(t, bt, []*x509.Certificate{good.ca}, nil, [][]byte{good.crlFor(t, now.Add(time.Minute))})
	s := vtVerify(t, good, lt, now, offline).Signatures[0]
	assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
	assert.Equal(t, signature.LevelBLT, s.Level)
	c, _ := s.Check(signature.CheckRevocation)
	assert.Contains(t, c.MessageEN, "CRL (DSS)")

	bad := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	bad.revoked[bad.leader.SerialNumber.String()] = now.Add(-time.Hour)
	bt = addSignatureTimestamp(t, bad, vtSign(t, bad, pdftest.Classic(), &signature.SignOptions{Time: now}), now, nil)
	lt = addDSSWithCRLs(t, bt, []*x509.Certificate{bad.ca}, nil, [][]byte{bad.crlFor(t, now.Add(time.Minute))})
	s = vtVerify(t, bad, lt, now, offline).Signatures[0]
	assert.Equal(t, signature.TotalFailed, s.Indication, "%+v", s.Checks)
	assert.Equal(t, signature.Revoked, s.SubIndication)

	// A CRL signed by another CA is ignored: the status stays unknown.
	other := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	lt = addDSSWithCRLs(t, bt, nil, nil, [][]byte{other.crlFor(t, now.Add(time.Minute))})
	s = vtVerify(t, bad, lt, now, offline).Signatures[0]
	assert.Equal(t, signature.Indeterminate, s.Indication, "%+v", s.Checks)
	assert.Equal(t, signature.TryLater, s.SubIndication)
}

func TestVerifyWeakCAKey(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	// Re-issue the CA with a 1024-bit key, and the leader under it.
	p.caKey = weak
	p.ca = p.issue(t, &x509.Certificate{Subject: p.ca.Subject, NotBefore: p.ca.NotBefore, NotAfter: p.ca.NotAfter,
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}, weak.Public(), p.root, p.rootKey)
	p.leader = p.issue(t, &x509.Certificate{Subject: p.leader.Subject, NotBefore: p.leader.NotBefore, NotAfter: p.leader.NotAfter,
		KeyUsage: x509.KeyUsageDigitalSignature}, p.leaderKey.Public(), p.ca, p.caKey)
	signed := vtSign(t, p, pdftest.Classic(), nil)
	s := vtVerify(t, p, signed, now, nil).Signatures[0]
	assert.Equal(t, signature.Indeterminate, s.Indication, "%+v", s.Checks)
	assert.Equal(t, signature.CryptoConstraintsFailure, s.SubIndication)
}

// TestVerifySigningTimeCheck: the signing-time check says whether the time is proven
// by the signature time-stamp or only claimed, also when the time-stamp is unusable.
func TestVerifySigningTimeCheck(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	p := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: now})
	for _, tc := range []struct {
		name   string
		doc    []byte
		result signature.CheckResult
		en     string
		proven bool
	}{
		{"claimed only", signed, signature.CheckWarning, "not proven", false},
		{"time-stamped", addSignatureTimestamp(t, p, signed, now, nil), signature.CheckPassed, "proven by the signature time-stamp", true},
		{"time-stamp over other data", addSignatureTimestamp(t, p, signed, now, []byte("other")), signature.CheckWarning, "not proven", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := vtVerify(t, p, tc.doc, now.Add(time.Minute), nil)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]
			c, ok := s.Check(signature.CheckSigningTime)
			require.True(t, ok, "no signing-time check: %+v", s.Checks)
			assert.Equal(t, tc.result, c.Result)
			assert.Contains(t, c.MessageEN, tc.en)
			assert.NotEmpty(t, c.MessageVI)
			assert.Equal(t, tc.proven, s.TimeProven)
			require.NotNil(t, s.SigningTime)
			assert.True(t, s.SigningTime.Equal(now), "signing time %v", s.SigningTime)
		})
	}
}

// TestVerifyBackdatedOffline: offline, an old "good" OCSP answer in the DSS does not
// settle the status of a signature without proof of time: TRY_LATER.
func TestVerifyBackdatedOffline(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	p := newVTPKI(t, now.Add(-365*24*time.Hour), now.Add(365*24*time.Hour))
	claimed := now.Add(-10 * 24 * time.Hour)
	doc := addDSS(t, vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: claimed}), nil, [][]byte{p.ocspFor(t, p.leader, claimed)})
	rep := vtVerify(t, p, doc, now, func(o *signature.VerifyOptions) { o.Offline = true; o.Revocation = nil })
	require.Len(t, rep.Signatures, 1)
	assert.Equal(t, signature.Indeterminate, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
	assert.Equal(t, signature.TryLater, rep.Signatures[0].SubIndication)
	// The same answer is enough when it is current.
	doc = addDSS(t, vtSign(t, p, pdftest.Classic(), &signature.SignOptions{Time: claimed}), nil, [][]byte{p.ocspFor(t, p.leader, now)})
	rep = vtVerify(t, p, doc, now, func(o *signature.VerifyOptions) { o.Offline = true; o.Revocation = nil })
	assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
}
