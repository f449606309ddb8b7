package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

	// The responders are gone and the signer's certificate has expired: the archive
	// still verifies offline, from its DSS and time-stamps.
	require.NoError(t, pki.Close())
	later := pki.Leader.Cert.NotAfter.Add(30 * 24 * time.Hour).Format(time.RFC3339)
	code, sigs = verifyJSON("-offline", "-trust", rootPath, "-at", later, lta)
	assert.Equal(t, 0, code, "%v", sigs)
	// Without the archive data the same signature cannot be proven then.
	code, _ = verifyJSON("-offline", "-trust", rootPath, "-at", later, signedPath)
	assert.Equal(t, 2, code)

	// Refusals.
	code, _, _ = runVerifyCLI("extend", "-in", signedPath, "-out", filepath.Join(dir, "x.pdf"))
	assert.Equal(t, 2, code, "no -tsa")
	code, _, _ = runVerifyCLI("extend", "-in", filepath.Join(dir, "missing.pdf"), "-out", filepath.Join(dir, "y.pdf"), "-tsa", pki.TSAURL)
	assert.Equal(t, 1, code)
	code, _, errs = runVerifyCLI("extend", "-in", signedPath, "-out", filepath.Join(dir, "z.pdf"), "-tsa", pki.TSAURL, "-trust", rootPath)
	assert.Equal(t, 1, code, "the TSA is down: %s", errs)
	assert.NoFileExists(t, filepath.Join(dir, "z.pdf"))
}
