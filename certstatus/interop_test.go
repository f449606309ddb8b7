package certstatus_test

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/openssltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"
)

// writeKit writes the PEM certificates and the keys of pki into dir.
func writeKit(t *testing.T, pki *certstatustest.PKI, dir string) {
	t.Helper()
	for _, h := range pki.Holders() {
		require.NoError(t, os.WriteFile(filepath.Join(dir, h.Name+".pem"), h.CertPEM(), 0o644))
		k, err := h.KeyPEM()
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, h.Name+"-key.pem"), k, 0o600))
	}
}

func TestInteropClientAgainstOpenSSLResponder(t *testing.T) {
	needTool(t, "openssl")
	if !openssltest.InPrivateNetwork(t) {
		return
	}
	pki := certstatustest.NewPKI(t)
	dir := t.TempDir()
	writeKit(t, pki, dir)
	revokedAt := time.Now().Add(-time.Hour).Truncate(time.Second)
	index := openssltest.IndexLine(pki.Leader.Cert, time.Time{}, "") + openssltest.IndexLine(pki.Org.Cert, revokedAt, "keyCompromise")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.txt"), []byte(index), 0o644))
	// openssl's -port takes no host: it listens on every interface, hence the private
	// network above.
	url := openssltest.StartOCSP(t, dir, "-index", "index.txt", "-rsigner", "ocsp.pem", "-rkey", "ocsp-key.pem",
		"-CA", "ca.pem", "-nmin", "60")

	// The certificates name the kit's responder; point copies at openssl's.
	at := func(c *x509.Certificate) *x509.Certificate {
		cp := *c
		cp.OCSPServer = []string{url}
		return &cp
	}
	for _, get := range []bool{false, true} {
		t.Run(fmt.Sprintf("GET=%v", get), func(t *testing.T) {
			ck := checkerFor(pki, ocspOnly, func(o *certstatus.Options) { o.OCSPGet = get; o.RequireNonce = !get })
			r := ck.Check(bg, at(pki.Leader.Cert), pki.CA.Cert, time.Time{})
			require.NoError(t, r.Err)
			assert.Equal(t, certstatus.StatusGood, r.Status)
			assert.Equal(t, url, r.URL)
			assert.True(t, r.Responder.Equal(pki.OCSPSigner.Cert))

			r = ck.Check(bg, at(pki.Org.Cert), pki.CA.Cert, time.Time{})
			require.NoError(t, r.Err)
			assert.Equal(t, certstatus.StatusRevoked, r.Status)
			assert.Equal(t, certstatus.ReasonKeyCompromise, r.Reason)
			assert.True(t, r.RevokedAt.Equal(revokedAt), "revoked at %v, want %v", r.RevokedAt, revokedAt)

			r = ck.Check(bg, at(pki.Device.Cert), pki.CA.Cert, time.Time{})
			assert.Equal(t, certstatus.StatusUnknown, r.Status)
			assert.ErrorIs(t, r.Err, certstatus.ErrUnknownCertificate)
		})
	}
}

// "openssl ocsp" signing with a delegated responder certificate that lacks
// id-pkix-ocsp-nocheck (extendedKeyUsage OCSPSigning only: the usual openssl setup).
// kyso checks the responder's own status with the CRL at its distribution point (RFC
// 6960 §4.2.2.2.1): good → the answer is used; revoked → refused; not to be had → used
// with a warning, or refused with RequireResponderStatus.
func TestInteropOpenSSLResponderWithoutNoCheck(t *testing.T) {
	needTool(t, "openssl")
	if !openssltest.InPrivateNetwork(t) {
		return
	}
	pki := certstatustest.NewPKI(t)
	responder, err := pki.Issue("ocsp-plain", &x509.Certificate{
		RawSubject:  certstatustest.Name(certstatustest.C("VN"), certstatustest.CN("OCSP openssl, không nocheck")),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
	})
	require.NoError(t, err)
	dir := t.TempDir()
	writeKit(t, pki, dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "plain.pem"), responder.CertPEM(), 0o644))
	k, err := responder.KeyPEM()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "plain-key.pem"), k, 0o600))
	index := openssltest.IndexLine(pki.Leader.Cert, time.Time{}, "") + openssltest.IndexLine(responder.Cert, time.Time{}, "")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.txt"), []byte(index), 0o644))
	url := openssltest.StartOCSP(t, dir, "-index", "index.txt", "-rsigner", "plain.pem", "-rkey", "plain-key.pem",
		"-CA", "ca.pem", "-nmin", "60")
	leader := *pki.Leader.Cert
	leader.OCSPServer = []string{url}

	noCache := func(o *certstatus.Options) { o.OCSPCacheEntries, o.CRLCacheBytes = -1, -1 }
	strict := func(o *certstatus.Options) { o.RequireResponderStatus = true }

	r := checkerFor(pki, ocspOnly, noCache).Check(bg, &leader, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusGood, r.Status)
	assert.Equal(t, url, r.URL)
	assert.True(t, r.Responder.Equal(responder.Cert))
	assert.False(t, r.ResponderUnchecked)
	require.Len(t, r.ResponderEvidence, 1, "the kit CA's CRL vouched for the responder")
	off := checkerFor(pki, ocspOnly, strict).CheckOffline(&leader, pki.CA.Cert, time.Time{}, r.Raw, r.ResponderEvidence)
	require.NoError(t, off.Err, "offline, with the CRL, even a strict Checker agrees")
	assert.Equal(t, certstatus.StatusGood, off.Status)

	pki.SetCRL(certstatustest.CRLNotFound)
	r = checkerFor(pki, ocspOnly, noCache).Check(bg, &leader, pki.CA.Cert, time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusGood, r.Status)
	assert.True(t, r.ResponderUnchecked)
	require.Len(t, r.Warnings, 1)
	assert.Contains(t, r.Warnings[0], "RFC 6960 §4.2.2.2.1")
	r = checkerFor(pki, ocspOnly, noCache, strict).Check(bg, &leader, pki.CA.Cert, time.Time{})
	assert.Equal(t, certstatus.StatusUnknown, r.Status)
	assert.ErrorIs(t, r.Err, certstatus.ErrWrongResponder)
	assert.ErrorContains(t, r.Err, "lacks id-pkix-ocsp-nocheck")
	pki.SetCRL(certstatustest.CRLNormal)

	pki.Revoke(responder.Cert, int(certstatus.ReasonKeyCompromise), time.Now().Add(-time.Hour))
	r = checkerFor(pki, ocspOnly, noCache).Check(bg, &leader, pki.CA.Cert, time.Time{})
	assert.Equal(t, certstatus.StatusUnknown, r.Status)
	assert.ErrorIs(t, r.Err, certstatus.ErrResponderRevoked)
	assert.NotErrorIs(t, r.Err, certstatus.ErrRevoked, "the leader itself is not revoked")
}

func TestInteropOpenSSLClientAgainstKitResponder(t *testing.T) {
	openssl := needTool(t, "openssl")
	pki := certstatustest.NewPKI(t)
	dir := t.TempDir()
	writeKit(t, pki, dir)
	pki.Revoke(pki.Org.Cert, ocsp.Superseded, time.Now().Add(-time.Hour))
	tests := []struct {
		cert, issuer, want string
	}{
		{"leader.pem", "ca.pem", "leader.pem: good"},
		{"org.pem", "ca.pem", "org.pem: revoked"},
		{"ca.pem", "root.pem", "ca.pem: good"},
	}
	for _, tc := range tests {
		t.Run(tc.cert, func(t *testing.T) {
			cmd := exec.Command(openssl, "ocsp", "-issuer", tc.issuer, "-cert", tc.cert, "-url", pki.OCSPURL,
				"-CAfile", "root.pem", "-verify_other", "ca.pem", "-timeout", "20")
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), "Response verify OK")
			assert.Contains(t, string(out), tc.want)
			assert.NotContains(t, string(out), "WARNING: no nonce")
		})
	}
	t.Run("bad nonce is caught by openssl too", func(t *testing.T) {
		pki.SetOCSP(certstatustest.OCSPBadNonce)
		defer pki.SetOCSP(certstatustest.OCSPNormal)
		cmd := exec.Command(openssl, "ocsp", "-issuer", "ca.pem", "-cert", "leader.pem", "-url", pki.OCSPURL,
			"-CAfile", "root.pem", "-verify_other", "ca.pem", "-timeout", "20")
		cmd.Dir = dir
		out, _ := cmd.CombinedOutput()
		assert.Contains(t, string(out), "Nonce Verify error")
	})
}

func TestInteropOpenSSLVerifiesKitTokens(t *testing.T) {
	openssl := needTool(t, "openssl")
	pki := certstatustest.NewPKI(t)
	dir := t.TempDir()
	writeKit(t, pki, dir)
	data := []byte("Công văn số 45/UBND-VP ngày 22/11/2026\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "data.txt"), data, 0o644))
	digest := sha256.Sum256(data)
	tok, err := (&certstatus.TSAClient{URL: pki.TSAURL, Checker: checkerFor(pki)}).Timestamp(bg, digest[:], crypto.SHA256)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "token.der"), tok, 0o644))

	cmd := exec.Command(openssl, "ts", "-verify", "-data", "data.txt", "-in", "token.der", "-token_in",
		"-CAfile", "root.pem", "-untrusted", "ca.pem")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "Verification: OK")

	// And a token over other data fails there as here.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "other.txt"), []byte("khác"), 0o644))
	cmd = exec.Command(openssl, "ts", "-verify", "-data", "other.txt", "-in", "token.der", "-token_in",
		"-CAfile", "root.pem", "-untrusted", "ca.pem")
	cmd.Dir = dir
	out, err = cmd.CombinedOutput()
	assert.Error(t, err)
	assert.Contains(t, string(out), "message imprint mismatch")
}

func TestInteropOpenSSLParsesKitCRLs(t *testing.T) {
	openssl := needTool(t, "openssl")
	pki := certstatustest.NewPKI(t)
	dir := t.TempDir()
	writeKit(t, pki, dir)
	pki.Revoke(pki.Leader.Cert, ocsp.KeyCompromise, time.Time{})
	pki.FreezeBaseCRL()
	pki.Revoke(pki.Org.Cert, ocsp.CessationOfOperation, time.Time{})
	ck := checkerFor(pki, crlOnly)
	crls, err := ck.CRLs(bg, pki.Device.Cert, pki.CA.Cert)
	require.NoError(t, err)
	require.Len(t, crls, 2)
	rootCRLs, err := ck.CRLs(bg, pki.CA.Cert, pki.Root.Cert)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "chain.pem"), append(pki.CA.CertPEM(), pki.Root.CertPEM()...), 0o644))

	tests := []struct {
		name string
		der  []byte
		want []string
	}{
		{"base", crls[0], []string{"verify OK", "Freshest CRL", strings.ToUpper(pki.Leader.Cert.SerialNumber.Text(16)), "Key Compromise"}},
		{"delta", crls[1], []string{"verify OK", "Delta CRL Indicator", strings.ToUpper(pki.Org.Cert.SerialNumber.Text(16)), "Cessation Of Operation"}},
		{"root", rootCRLs[0], []string{"verify OK", "No Revoked Certificates"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(dir, tc.name+".crl")
			require.NoError(t, os.WriteFile(f, tc.der, 0o644))
			cmd := exec.Command(openssl, "crl", "-inform", "DER", "-in", f, "-noout", "-text", "-CAfile", "chain.pem")
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			for _, w := range tc.want {
				assert.Contains(t, string(out), w)
			}
		})
	}
}

func TestRSAPSSTokens(t *testing.T) {
	openssl := needTool(t, "openssl")
	pki := certstatustest.NewPKI(t)
	pki.SetTSARSAPSS(true)
	dir := t.TempDir()
	writeKit(t, pki, dir)
	data := []byte("Tờ trình ký bằng RSA-PSS\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "data.txt"), data, 0o644))
	digest := sha256.Sum256(data)
	tok, err := (&certstatus.TSAClient{URL: pki.TSAURL, Checker: checkerFor(pki)}).Timestamp(bg, digest[:], crypto.SHA256)
	require.NoError(t, err, "our verifier accepts RSASSA-PSS tokens")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "token.der"), tok, 0o644))
	// "openssl ts -verify" goes through OpenSSL's PKCS#7 code, which knows no
	// RSASSA-PSS; its CMS code does, so the token is checked with "openssl cms".
	cmd := exec.Command(openssl, "cms", "-verify", "-inform", "DER", "-in", "token.der",
		"-CAfile", "root.pem", "-certfile", "ca.pem", "-purpose", "timestampsign", "-out", "tstinfo.der")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "Verification successful")
	info, err := os.ReadFile(filepath.Join(dir, "tstinfo.der"))
	require.NoError(t, err)
	assert.True(t, bytes.Contains(info, digest[:]), "the TSTInfo stamps the digest")

	pki.SetTSA(certstatustest.TSABadSignature)
	_, err = (&certstatus.TSAClient{URL: pki.TSAURL, Checker: checkerFor(pki)}).Timestamp(bg, digest[:], crypto.SHA256)
	assert.ErrorIs(t, err, certstatus.ErrBadSignature)
}
