package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/evidence"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// certstatus.Checker is the chain validator and revocation source Verify consumes, as
// it is: no adapter.
var _ signature.ChainValidator = (*certstatus.Checker)(nil)

// rawEvidence fetches, without judging it, what the test PKI's responders serve about
// cert right now: the OCSP response and the issuing CA's CRL (nil when not served).
func rawEvidence(t *testing.T, p *certstatustest.PKI, cert, issuer *x509.Certificate) (ocsps, crls [][]byte) {
	t.Helper()
	req, err := evidence.BuildOCSPRequest(cert, issuer, nil)
	require.NoError(t, err)
	resp, err := http.Post(p.OCSPURL, "application/ocsp-request", bytes.NewReader(req))
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	if resp.StatusCode == http.StatusOK {
		ocsps = append(ocsps, body)
	}
	resp, err = http.Get(p.CRLURL)
	require.NoError(t, err)
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	if resp.StatusCode == http.StatusOK {
		crls = append(crls, body)
	}
	return ocsps, crls
}

// checkerVerdict is what certstatus.Checker says online about cert at time at, in
// ETSI words: its chain (validity included), then its revocation status.
func checkerVerdict(t *testing.T, c *certstatus.Checker, cert, issuer *x509.Certificate, at time.Time) (signature.Indication, signature.SubIndication, certstatus.Result) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.ValidateChain(ctx, cert, []*x509.Certificate{issuer}, at); err != nil {
		return signature.Indeterminate, signature.SubIndication(certstatus.SubIndication(err)), certstatus.Result{}
	}
	r := c.Check(ctx, cert, issuer, at)
	switch r.Status {
	case certstatus.StatusGood, certstatus.StatusRevokedLater:
		return signature.TotalPassed, "", r
	case certstatus.StatusRevoked:
		return signature.TotalFailed, signature.Revoked, r
	}
	return signature.Indeterminate, signature.SubIndication(certstatus.SubIndication(r.Err)), r
}

// TestVerifyAndCheckerAgree feeds the same evidence — the OCSP response and CRL the
// responders serve, judged at the same time — to certstatus.Checker online and to
// signature.Verify offline from the document's DSS (with the Checker as its chain
// validator), and compares the verdicts: one evidence core, one answer.
func TestVerifyAndCheckerAgree(t *testing.T) {
	p := certstatustest.NewPKIWith(t, certstatustest.Options{ECDSA: true})
	checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(p.Root.Cert),
		OCSPCacheEntries: -1, CRLCacheBytes: -1, Timeout: serviceTimeout})
	p.Revoke(p.Deputy.Cert, int(certstatus.ReasonKeyCompromise), time.Now().Add(-time.Hour))
	// A delegated responder without id-pkix-ocsp-nocheck, as many real responders:
	// its own status comes from the CA's CRL (RFC 6960 §4.2.2.2.1).
	noNoCheck, err := p.Issue("ocsp-without-nocheck", &x509.Certificate{
		RawSubject:  certstatustest.Name(certstatustest.C("VN"), certstatustest.CN("OCSP thiếu nocheck")),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
	})
	require.NoError(t, err)
	byNoNoCheck := func() { p.SetOCSPSigner(noNoCheck) }

	for _, c := range []struct {
		name   string
		holder *certstatustest.Holder
		setup  func()
		later  time.Duration // validation time after now
		ind    signature.Indication
		sub    signature.SubIndication
		reason string // what both must say, in English, when not empty
		// unchecked: both rely on a responder whose own status is unknown, and say so.
		unchecked bool
		// fromCRL: the OCSP answer is refused (its responder is revoked) and both
		// decide from the CRL.
		fromCRL bool
	}{
		{name: "good", holder: p.Leader, ind: signature.TotalPassed},
		{name: "revoked", holder: p.Deputy, ind: signature.TotalFailed, sub: signature.Revoked},
		{name: "unknown", holder: p.Leader, setup: func() { p.SetOCSP(certstatustest.OCSPUnknown); p.SetCRL(certstatustest.CRLNotFound) },
			ind: signature.Indeterminate, sub: signature.TryLater, reason: "does not know the certificate"},
		{name: "expired", holder: p.Leader, later: 4 * 365 * 24 * time.Hour, ind: signature.Indeterminate, sub: signature.OutOfBoundsNoPOE},
		{name: "untrusted-responder", holder: p.Leader, setup: func() { p.SetOCSP(certstatustest.OCSPUnauthorized); p.SetCRL(certstatustest.CRLNotFound) },
			ind: signature.Indeterminate, sub: signature.TryLater, reason: "not signed by the issuer or an authorised responder"},
		{name: "responder-without-nocheck", holder: p.Leader, setup: byNoNoCheck, ind: signature.TotalPassed},
		{name: "responder-without-nocheck-unchecked", holder: p.Leader, setup: func() { byNoNoCheck(); p.SetCRL(certstatustest.CRLNotFound) },
			ind: signature.TotalPassed, unchecked: true},
		{name: "responder-without-nocheck-revoked", holder: p.Leader, setup: func() {
			byNoNoCheck()
			p.Revoke(noNoCheck.Cert, int(certstatus.ReasonSuperseded), time.Now().Add(-time.Hour))
		}, ind: signature.TotalPassed, fromCRL: true}, // the OCSP answer is refused; the CA's CRL says the leader is good
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				p.SetOCSP(certstatustest.OCSPNormal)
				p.SetCRL(certstatustest.CRLNormal)
				p.SetOCSPSigner(nil)
				p.Reinstate(noNoCheck.Cert)
			}()
			in := pdftest.Classic()
			var out bytes.Buffer
			_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), c.holder.Key, c.holder.Chain, nil)
			require.NoError(t, err)
			if c.setup != nil {
				c.setup()
			}
			cert, issuer := c.holder.Cert, p.CA.Cert
			ocsps, crls := rawEvidence(t, p, cert, issuer)
			doc := addDSSData(t, out.Bytes(), []*x509.Certificate{p.CA.Cert, p.Root.Cert}, ocsps, crls)
			at := time.Now().Add(c.later)

			ind, sub, res := checkerVerdict(t, checker, cert, issuer, at)
			rep, err := signature.Verify(context.Background(), bytes.NewReader(doc), int64(len(doc)),
				&signature.VerifyOptions{Validator: checker, Offline: true, Time: at})
			require.NoError(t, err)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]

			assert.Equal(t, c.ind, ind, "certstatus: %v", res.Err)
			assert.Equal(t, c.sub, sub, "certstatus: %v", res.Err)
			assert.Equal(t, ind, s.Indication, "Verify and certstatus disagree: %+v", s.Checks)
			assert.Equal(t, sub, s.SubIndication, "Verify and certstatus disagree: %+v", s.Checks)
			assert.Equal(t, c.unchecked, res.ResponderUnchecked, "certstatus")
			warned := false
			for _, ck := range s.Checks {
				warned = warned || (ck.Result == signature.CheckWarning && strings.Contains(ck.MessageEN, "RFC 6960 §4.2.2.2.1"))
			}
			assert.Equal(t, c.unchecked, warned, "Verify's warning line: %+v", s.Checks)
			if c.fromCRL {
				assert.Equal(t, certstatus.SourceCRL, res.Source)
				assert.ErrorIs(t, errors.Join(res.Failures...), certstatus.ErrResponderRevoked)
				rc, ok := s.Check(signature.CheckRevocation)
				require.True(t, ok)
				assert.Contains(t, rc.MessageEN, "CRL (DSS)")
			}
			if c.reason != "" {
				assert.ErrorContains(t, res.Err, c.reason)
				rc, ok := s.Check(signature.CheckRevocation)
				require.True(t, ok)
				assert.Contains(t, rc.MessageEN, c.reason)
			}
		})
	}
}
