package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/signature"
)

// pdfcpuSamples returns the directory of pdfcpu's signed samples in the module cache
// (pdfcpu is a dependency, so its module is there wherever kyso builds). Without it
// the test skips, and fails when CI is set.
func pdfcpuSamples(t *testing.T) string {
	t.Helper()
	fail := func(format string, args ...any) {
		if os.Getenv("CI") != "" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/pdfcpu/pdfcpu").Output()
	if err != nil {
		fail("locating pdfcpu's module: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "pkg", "samples", "signatures")
	if _, err := os.Stat(filepath.Join(dir, "ETSI.CAdES.detached", "testPAdES_BLTA.pdf")); err != nil {
		fail("pdfcpu's signed samples are not in the module cache: %v", err)
	}
	return dir
}

// dssRoot returns the self-signed certificate of a document's DSS (/Certs).
func dssRoot(t *testing.T, doc []byte) *x509.Certificate {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	cat, err := d.Catalog()
	require.NoError(t, err)
	dssObj, err := d.Resolve(cat.Get("DSS"))
	require.NoError(t, err)
	dss, ok := dssObj.(pdf.Dict)
	require.True(t, ok, "no DSS")
	certsObj, err := d.Resolve(dss.Get("Certs"))
	require.NoError(t, err)
	certs, _ := certsObj.(pdf.Array)
	for _, e := range certs {
		o, err := d.Resolve(e)
		require.NoError(t, err)
		st, ok := o.(*pdf.Stream)
		if !ok {
			continue
		}
		data, err := d.StreamData(st)
		require.NoError(t, err)
		if c, err := x509.ParseCertificate(data); err == nil && bytes.Equal(c.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(c) == nil {
			return c
		}
	}
	t.Fatal("no self-signed certificate in the DSS")
	return nil
}

// kyso's verdicts on the signatures pdfcpu ships as samples (made by other tools),
// each compared with what ETSI EN 319 102-1 asks and what pdfsig says
// (signature/COMPATIBILITY.md lists the remaining differences). Offline, at a fixed
// validation time so that the verdicts do not drift as the samples' certificates
// expire. No verdict is TOTAL_FAILED and no line claims a forgery: none of these
// signatures has a digest or value that fails.
func TestVerifyPdfcpuSignedSamples(t *testing.T) {
	dir := pdfcpuSamples(t)
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return b
	}
	uaRoot := x509.NewCertPool()
	uaRoot.AddCert(dssRoot(t, read("ETSI.CAdES.detached/testPAdES_BLTA.pdf")))

	type want struct {
		ind   signature.Indication
		sub   signature.SubIndication
		check signature.CheckName   // a check to look at, with
		res   signature.CheckResult // its result
	}
	cases := []struct {
		file   string
		roots  *x509.CertPool
		lax    bool // AllowMissingRevocation
		want   []want
		strict bool // RequireResponderStatus
		// uncheckedResponder: the report must carry the warning that a delegated
		// responder's own status could not be checked (RFC 6960 §4.2.2.2.1).
		uncheckedResponder bool
		level              signature.Level // when set, the signature's level
	}{
		// B-B, expired, no trusted root: the path is the reason (ETSI builds it first).
		{"ETSI.CAdES.detached/testPAdES_BB.pdf", nil, false, []want{{signature.Indeterminate, signature.NoCertificateChainFound, signature.CheckValidAtSigning, signature.CheckIndeterminate}}, false, false, ""},
		// B-T whose token carries no TSA certificate and no DSS: the token cannot be
		// checked (NO_SIGNING_CERTIFICATE_FOUND for it), the signature is judged
		// without it. The signer's CA is not in the file: no path even with the root.
		{"ETSI.CAdES.detached/testPAdES_BT.pdf", uaRoot, false, []want{{signature.Indeterminate, signature.NoCertificateChainFound, signature.CheckTimestamp, signature.CheckIndeterminate}}, false, false, ""},
		// B-LT: the TSA certificate is in the DSS; with the root trusted the token
		// proves the signing time. The DSS's OCSP responses come from delegated
		// responders without id-pkix-ocsp-nocheck whose own status is not in the
		// file: RFC 6960 §4.2.2.2.1 asks for a check "by other means", it does not
		// make the answer unusable, so the answer is used with a warning line and the
		// signature passes; only RequireResponderStatus refuses it (TRY_LATER, or
		// TOTAL_PASSED when a missing status is only a warning). Before kyso read
		// §4.2.2.2.1 this way, the default verdict was TRY_LATER.
		{file: "ETSI.CAdES.detached/testPAdES_BLT.pdf", want: []want{{signature.Indeterminate, signature.NoCertificateChainFound, signature.CheckTimestamp, signature.CheckIndeterminate}}},
		{file: "ETSI.CAdES.detached/testPAdES_BLT.pdf", roots: uaRoot, uncheckedResponder: true,
			want: []want{{signature.TotalPassed, "", signature.CheckRevocation, signature.CheckPassed}}},
		{file: "ETSI.CAdES.detached/testPAdES_BLT.pdf", roots: uaRoot, strict: true,
			want: []want{{signature.Indeterminate, signature.TryLater, signature.CheckTimestamp, signature.CheckPassed}}},
		{file: "ETSI.CAdES.detached/testPAdES_BLT.pdf", roots: uaRoot, lax: true, strict: true,
			want: []want{{signature.TotalPassed, "", signature.CheckTimestamp, signature.CheckPassed}}},
		// B-LTA: the document time-stamp's token carries no certificate either.
		{"ETSI.CAdES.detached/testPAdES_BLTA.pdf", nil, false, []want{
			{signature.Indeterminate, signature.NoCertificateChainFound, signature.CheckTimestamp, signature.CheckIndeterminate},
			{signature.Indeterminate, signature.NoCertificateChainFound, signature.CheckSignatureValue, signature.CheckPassed}}, false, false, ""},
		{"ETSI.CAdES.detached/testPAdES_BLTA.pdf", uaRoot, true, []want{
			{signature.TotalPassed, "", signature.CheckTimestamp, signature.CheckPassed},
			{signature.TotalPassed, "", signature.CheckIntegrity, signature.CheckPassed}}, false, true, ""},
		{"ETSI.CAdES.detached/testPAdES_BLTA.pdf", uaRoot, false, []want{
			{signature.TotalPassed, "", signature.CheckTimestamp, signature.CheckPassed},
			{signature.TotalPassed, "", signature.CheckIntegrity, signature.CheckPassed}}, false, true, ""},
		// B-LTA with RequireResponderStatus and a missing status a warning: the DSS's
		// OCSP answers do not count, so both pass at B-T (COMPATIBILITY.md).
		{file: "ETSI.CAdES.detached/testPAdES_BLTA.pdf", roots: uaRoot, lax: true, strict: true, level: signature.LevelBT, want: []want{
			{signature.TotalPassed, "", signature.CheckTimestamp, signature.CheckPassed},
			{signature.TotalPassed, "", signature.CheckIntegrity, signature.CheckPassed}}},
		// SHA-1 PKCS#7 from Acrobat-era tools: verified, then below the policy.
		{"adbe.pkcs7.detached/sample1.pdf", nil, false, []want{{signature.Indeterminate, signature.CryptoConstraintsFailure, signature.CheckSignatureValue, signature.CheckPassed}}, false, false, ""},
		{"adbe.pkcs7.detached/sample2.pdf", nil, false, []want{{signature.Indeterminate, signature.CryptoConstraintsFailure, signature.CheckSignatureValue, signature.CheckPassed}}, false, false, ""},
		// adbe.x509.rsa_sha1: the value verifies with the key of a certificate that
		// has a negative serial number, which crypto/x509 refuses.
		{"adbe.x509.rsa_sha1/sample01.pdf", nil, false, []want{{signature.Indeterminate, signature.CertificateChainFailure, signature.CheckSignatureValue, signature.CheckIndeterminate}}, false, false, ""},
	}
	for _, tc := range cases {
		name := tc.file
		if tc.roots != nil {
			name += ", root trusted"
		}
		if tc.lax {
			name += ", missing status a warning"
		}
		if tc.strict {
			name += ", responder status required"
		}
		t.Run(name, func(t *testing.T) {
			doc := read(tc.file)
			rep, err := signature.Verify(context.Background(), bytes.NewReader(doc), int64(len(doc)), &signature.VerifyOptions{
				Roots: tc.roots, Offline: true, Time: at, AllowMissingRevocation: tc.lax, RequireResponderStatus: tc.strict})
			require.NoError(t, err)
			require.Len(t, rep.Signatures, len(tc.want))
			for i, w := range tc.want {
				s := rep.Signatures[i]
				assert.Equal(t, w.ind, s.Indication, "%d: %+v", i, s.Checks)
				assert.Equal(t, w.sub, s.SubIndication, "%d", i)
				c, ok := s.Check(w.check)
				if assert.True(t, ok, "%d: no %s check", i, w.check) {
					assert.Equal(t, w.res, c.Result, "%d: %s", i, c.MessageEN)
				}
			}
			if tc.level != "" {
				for _, s := range rep.Signatures {
					if s.Kind != signature.KindDocTimestamp {
						assert.Equal(t, tc.level, s.Level, "%s", s.Field)
					}
				}
			}
			text := reportText(t, rep)
			if tc.uncheckedResponder {
				// The DSS's OCSP responses count: the level is what the file claims.
				level := signature.LevelBLT
				if strings.Contains(tc.file, "BLTA") {
					level = signature.LevelBLTA
				}
				assert.Equal(t, level, rep.Signatures[0].Level)
				assert.Contains(t, text, "RFC 6960 §4.2.2.2.1")
				assert.Contains(t, text, "máy chủ OCSP được ủy quyền")
				assert.Contains(t, text, `"OCSP-server of the Administrator ITS CCA (CA TEST)"`)
			} else {
				assert.NotContains(t, text, "RFC 6960 §4.2.2.2.1")
			}
			assert.NotContains(t, text, "forged")
			assert.NotContains(t, text, "giả mạo")
			assert.NotContains(t, text, "TOTAL_FAILED")
		})
	}

	doc := read("adbe.pkcs7.detached/usageRights.pdf")
	_, err := signature.Verify(context.Background(), bytes.NewReader(doc), int64(len(doc)), &signature.VerifyOptions{Offline: true, Time: at})
	assert.True(t, errors.Is(err, signature.ErrNoSignatures), "usage rights (/Perms /UR3) are not a signature of the document: %v", err)
}
