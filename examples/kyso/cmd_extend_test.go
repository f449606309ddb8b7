package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

func TestExtendCommand(t *testing.T) {
	pki, signedPath, rootPath, _ := verifyFixture(t)
	dir := filepath.Dir(signedPath)
	lta := filepath.Join(dir, "lta.pdf")

	code, out, errs := runVerifyCLI("extend", "-in", signedPath, "-out", lta, "-tsa", pki.TSAURL, "-trust", rootPath)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errs)
	assert.Contains(t, out, "B-LTA")

	verifyJSON := func(args ...string) (int, []map[string]any) {
		code, out, errs := runVerifyCLI(append([]string{"verify", "-json"}, args...)...)
		var rep struct {
			Signatures []map[string]any `json:"signatures"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &rep), errs)
		return code, rep.Signatures
	}
	code, sigs := verifyJSON("-offline", "-trust", rootPath, lta)
	require.Equal(t, 0, code, "%v", sigs)
	require.Len(t, sigs, 2)
	assert.Equal(t, "B-LTA", sigs[0]["level"])
	assert.Equal(t, "lta-updates", sigs[0]["modification"])
	assert.Equal(t, "doc-timestamp", sigs[1]["kind"])
	assert.Equal(t, "TOTAL_PASSED", sigs[1]["indication"])

	// Archive renewal: a second DSS and document time-stamp over the first.
	lta2 := filepath.Join(dir, "lta2.pdf")
	code, out, errs = runVerifyCLI("extend", "-in", lta, "-out", lta2, "-tsa", pki.TSAURL, "-trust", rootPath)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errs)
	code, sigs = verifyJSON("-offline", "-trust", rootPath, lta2)
	require.Equal(t, 0, code, "%v", sigs)
	require.Len(t, sigs, 3)
	assert.Equal(t, "B-LTA", sigs[0]["level"])
	assert.Equal(t, "doc-timestamp", sigs[2]["kind"])

	// A signer whose certificate expires long before the TSA's.
	short, err := pki.Issue("short", &x509.Certificate{
		Subject:  pkix.Name{Country: []string{"VN"}, Organization: []string{"UBND tỉnh Hà Tĩnh"}, CommonName: "Lê Thị Hạnh"},
		NotAfter: time.Now().AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	})
	require.NoError(t, err)
	in := pdftest.Classic()
	var buf bytes.Buffer
	_, err = signature.Sign(context.Background(), &buf, bytes.NewReader(in), int64(len(in)), short.Key, short.Chain, nil)
	require.NoError(t, err)
	shortSigned, shortLTA := filepath.Join(dir, "short.pdf"), filepath.Join(dir, "short-lta.pdf")
	require.NoError(t, os.WriteFile(shortSigned, buf.Bytes(), 0o644))
	code, out, errs = runVerifyCLI("extend", "-in", shortSigned, "-out", shortLTA, "-tsa", pki.TSAURL, "-trust", rootPath)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errs)

	// The responders are gone and the signer's certificate has expired: the archive
	// still verifies offline, from its DSS and time-stamps.
	require.NoError(t, pki.Close())
	later := short.Cert.NotAfter.Add(30 * 24 * time.Hour).Format(time.RFC3339)
	code, sigs = verifyJSON("-offline", "-trust", rootPath, "-at", later, shortLTA)
	assert.Equal(t, 0, code, "%v", sigs)
	// Without the archive data the same signature cannot be proven then.
	code, _ = verifyJSON("-offline", "-trust", rootPath, "-at", later, shortSigned)
	assert.Equal(t, 2, code)
	// Once the TSA's certificate expired as well, an archive that was not renewed in
	// time proves nothing any more.
	afterTSA := pki.TSA.Cert.NotAfter.Add(24 * time.Hour).Format(time.RFC3339)
	code, out, _ = runVerifyCLI("verify", "-lang", "en", "-offline", "-trust", rootPath, "-at", afterTSA, lta)
	assert.Equal(t, 2, code, out)
	assert.Contains(t, out, "Renew the archive")

	// Refusals.
	code, _, _ = runVerifyCLI("extend", "-in", signedPath, "-out", filepath.Join(dir, "x.pdf"))
	assert.Equal(t, 2, code, "no -tsa")
	code, _, _ = runVerifyCLI("extend", "-in", filepath.Join(dir, "missing.pdf"), "-out", filepath.Join(dir, "y.pdf"), "-tsa", pki.TSAURL)
	assert.Equal(t, 1, code)
	code, _, errs = runVerifyCLI("extend", "-in", signedPath, "-out", filepath.Join(dir, "z.pdf"), "-tsa", pki.TSAURL, "-trust", rootPath)
	assert.Equal(t, 1, code, "the TSA is down: %s", errs)
	assert.NoFileExists(t, filepath.Join(dir, "z.pdf"))

	// The input is never replaced, under the same name or through a link.
	before, err := os.ReadFile(signedPath)
	require.NoError(t, err)
	code, _, errs = runVerifyCLI("extend", "-in", signedPath, "-out", signedPath, "-lt", "-trust", rootPath)
	assert.Equal(t, 2, code, errs)
	assert.Contains(t, errs, "never modified")
	link := filepath.Join(dir, "link.pdf")
	require.NoError(t, os.Symlink(signedPath, link))
	code, _, errs = runVerifyCLI("extend", "-in", signedPath, "-out", link, "-lt", "-trust", rootPath)
	assert.Equal(t, 2, code, errs)
	after, err := os.ReadFile(signedPath)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the input was modified")
}
