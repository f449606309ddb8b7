package signature_test

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// B-LT with OCSP answers from a delegated responder whose certificate lacks
// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1). With its CRL reachable, the CRL goes
// into the DSS and Verify offline passes with no warning; with no CRL to be had,
// signing reaches B-LT with a warning and Verify passes with a warning line, unless
// RequireResponderStatus refuses the answers.
func TestSignBLTResponderWithoutNoCheck(t *testing.T) {
	k := newLVKit(t)
	noNoCheck, err := k.pki.Issue("ocsp-without-nocheck", &x509.Certificate{
		RawSubject:  certstatustest.Name(certstatustest.C("VN"), certstatustest.CN("OCSP thiếu nocheck")),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
	})
	require.NoError(t, err)
	k.pki.SetOCSPSigner(noNoCheck)
	t.Cleanup(func() { k.pki.SetOCSPSigner(nil); k.pki.SetCRL(certstatustest.CRLNormal) })
	in := pdftest.Classic()

	warningLines := func(s signature.SignatureReport) (n int) {
		for _, c := range s.Checks {
			if c.Result == signature.CheckWarning && strings.Contains(c.MessageEN, "RFC 6960 §4.2.2.2.1") {
				assert.Contains(t, c.MessageVI, "không kiểm tra được trạng thái thu hồi của chứng thư số máy chủ OCSP được ủy quyền")
				n++
			}
		}
		return n
	}

	t.Run("responder's CRL reachable", func(t *testing.T) {
		out, res := k.sign(t, in, k.levelOptions(signature.LevelBLT))
		assert.Equal(t, signature.LevelBLT, res.Level.Level)
		assert.Empty(t, res.Level.Warnings)
		dss := lvReadDSS(t, out)
		assert.NotEmpty(t, dss.ocsps)
		assert.NotEmpty(t, dss.crls, "the CA's CRL vouches for the responder")
		rep := k.verify(t, out, true, time.Time{})
		s := rep.Signatures[0]
		assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
		assert.Equal(t, signature.LevelBLT, s.Level)
		assert.Zero(t, warningLines(s))
		rc, ok := s.Check(signature.CheckRevocation)
		require.True(t, ok)
		assert.Contains(t, rc.MessageEN, "OCSP (DSS)", "the responder's answer is what decides")
	})
	t.Run("online, B-T", func(t *testing.T) {
		out, _ := k.sign(t, in, k.levelOptions(signature.LevelBT))
		rep := k.verify(t, out, false, time.Time{})
		s := rep.Signatures[0]
		assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
		assert.Zero(t, warningLines(s), "the CA's CRL, fetched with the answer, vouches for the responder")
		rc, ok := s.Check(signature.CheckRevocation)
		require.True(t, ok)
		assert.Contains(t, rc.MessageEN, "OCSP (online)")
	})
	t.Run("no CRL to be had", func(t *testing.T) {
		k.pki.SetCRL(certstatustest.CRLNotFound)
		defer k.pki.SetCRL(certstatustest.CRLNormal)
		// A fresh checker: nothing cached from the previous run.
		checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(k.pki.Root.Cert), Timeout: serviceTimeout})
		k := &lvKit{pki: k.pki, checker: checker, tsa: &certstatus.TSAClient{URL: k.pki.TSAURL, Checker: checker, Timeout: serviceTimeout}}
		out, res := k.sign(t, in, k.levelOptions(signature.LevelBLT))
		assert.Equal(t, signature.LevelBLT, res.Level.Level)
		assert.Contains(t, strings.Join(res.Level.Warnings, "\n"), "RFC 6960 §4.2.2.2.1")
		assert.Empty(t, res.Level.Validation.Missing)
		rep := k.verify(t, out, true, time.Time{})
		s := rep.Signatures[0]
		assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
		assert.Equal(t, signature.LevelBLT, s.Level)
		assert.Positive(t, warningLines(s))
		text := reportText(t, rep)
		assert.Contains(t, text, "RFC 6960 §4.2.2.2.1")

		strict, err := signature.Verify(t.Context(), strings.NewReader(string(out)), int64(len(out)),
			&signature.VerifyOptions{Roots: k.pki.Roots(), Offline: true, RequireResponderStatus: true})
		require.NoError(t, err)
		assert.Equal(t, signature.Indeterminate, strict.Signatures[0].Indication)
		assert.Equal(t, signature.TryLater, strict.Signatures[0].SubIndication)
	})
}
