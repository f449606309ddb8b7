package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/signature/signaturetest"
)

// TestLeaderThenClerkCLI is the everyday flow with the test PKI of "kyso pki init":
// the leader signs and the clerk seals with its organisation certificate, both steps
// with the same policy flags but the role (-policy-profile quang-ninh -role
// authority|clerk -policy-trust ROOT) and no -cert-kind; kyso verify -json then names
// the same kinds the policy used.
func TestLeaderThenClerkCLI(t *testing.T) {
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	env := map[string]string{"KYSO_PKI_PASS": "mật khẩu thử"}
	code, _, stderr := runCLI(t, env, "pki", "init", "-dir", pkiDir, "-addr", pkiFreeAddr(t), "-pass-env", "KYSO_PKI_PASS")
	require.Equal(t, exitOK, code, stderr)
	root := filepath.Join(pkiDir, "root.pem")
	unsigned := filepath.Join(dir, "unsigned.pdf")
	require.NoError(t, os.WriteFile(unsigned, signaturetest.SamplePDF(), 0o600))
	step := func(in, out, holder, role string) (int, string, string) {
		return runCLI(t, env, "sign", "-in", in, "-out", out, "-p12", filepath.Join(pkiDir, holder+".p12"), "-p12-pass-env", "KYSO_PKI_PASS",
			"-policy-profile", "quang-ninh", "-role", role, "-policy-trust", root)
	}

	// The clerk may not seal first: the policy refuses, nothing is written.
	refused := filepath.Join(dir, "refused.pdf")
	code, _, stderr = step(unsigned, refused, "org", "clerk")
	assert.Equal(t, exitFailure, code, stderr)
	assert.Contains(t, stderr, "VN-ORG-SEAL-AFTER-AUTHORITY")
	assertNoOutput(t, refused)

	leader := filepath.Join(dir, "leader.pdf")
	code, stdout, stderr := step(unsigned, leader, "leader", "authority")
	require.Equal(t, exitOK, code, "the leader's step with -policy-trust on an unsigned document: %s", stderr)
	assert.Contains(t, stdout, "placement signer")
	assert.Contains(t, stdout, "RSASSA-PSS", "RSASSA-PSS by default")

	sealed := filepath.Join(dir, "sealed.pdf")
	code, stdout, stderr = step(leader, sealed, "org", "clerk")
	require.Equal(t, exitOK, code, "the clerk's seal with the organisation certificate, no -cert-kind: %s", stderr)
	assert.Contains(t, stdout, "placement seal")
	assert.NotContains(t, stdout, "chưa xác định được hiệu lực", "the leader's signature was verified first")

	code, stdout, stderr = runCLI(t, nil, "verify", "-json", "-offline", "-status-warning", "-trust", root, sealed)
	require.Equal(t, verifyPassed, code, "stdout: %s\nstderr: %s", stdout, stderr)
	var rep struct {
		Signatures []struct {
			Indication string
			Signer     struct{ Kind string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.Len(t, rep.Signatures, 2)
	assert.Equal(t, "individual", rep.Signatures[0].Signer.Kind)
	assert.Equal(t, "organisation", rep.Signatures[1].Signer.Kind)

	// kyso policy sequence reads the same kinds from the signed file: compliant.
	code, stdout, stderr = runCLI(t, nil, "policy", "sequence", "-profile", "quang-ninh", "-pdf", sealed, "-trust", root, "-json")
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, `"compliant": true`)
}

// TestBatchPolicy: the policy flags apply to every document of a batch: the clerk's
// seal on unsigned documents is refused for each, with no output, and allowed on
// documents the leader signed.
func TestBatchPolicy(t *testing.T) {
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	env := map[string]string{"KYSO_PKI_PASS": "mật khẩu thử"}
	code, _, stderr := runCLI(t, env, "pki", "init", "-dir", pkiDir, "-addr", pkiFreeAddr(t), "-pass-env", "KYSO_PKI_PASS")
	require.Equal(t, exitOK, code, stderr)
	root := filepath.Join(pkiDir, "root.pem")
	in, leaderOut, sealOut, refusedOut := filepath.Join(dir, "in"), filepath.Join(dir, "leader"), filepath.Join(dir, "sealed"), filepath.Join(dir, "refused")
	require.NoError(t, os.Mkdir(in, 0o700))
	for _, n := range []string{"a.pdf", "b.pdf"} {
		require.NoError(t, os.WriteFile(filepath.Join(in, n), signaturetest.SamplePDF(), 0o600))
	}
	batch := func(from, to, holder, role string) (int, string, string) {
		return runCLI(t, env, "sign", "-in-dir", from, "-out-dir", to, "-p12", filepath.Join(pkiDir, holder+".p12"), "-p12-pass-env", "KYSO_PKI_PASS",
			"-policy-profile", "quang-ninh", "-role", role, "-policy-trust", root)
	}
	code, stdout, stderr := batch(in, refusedOut, "org", "clerk")
	assert.Equal(t, exitFailure, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout+stderr, "VN-ORG-SEAL-AFTER-AUTHORITY")
	left, _ := filepath.Glob(filepath.Join(refusedOut, "*.pdf"))
	assert.Empty(t, left, "no output for a refused document")

	code, stdout, stderr = batch(in, leaderOut, "leader", "authority")
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	code, stdout, stderr = batch(leaderOut, sealOut, "org", "clerk")
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	for _, n := range []string{"a.pdf", "b.pdf"} {
		code, _, stderr := runCLI(t, nil, "verify", "-offline", "-status-warning", "-trust", root, filepath.Join(sealOut, n))
		assert.Equal(t, verifyPassed, code, stderr)
	}
}
