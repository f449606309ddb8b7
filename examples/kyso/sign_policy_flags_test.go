package main

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/policy"
)

// signPolicyFixture holds the key files of a leader (individual certificate, title
// "Giám đốc") and of the organisation seal, and an unsigned input.
type signPolicyFixture struct {
	*policyPDFFixture
	unsigned                   string
	leaderKey, leaderCert      string
	orgKeyPath, orgCertPath    string
	leaderChain, orgChain      []*x509.Certificate
	leaderSigner, orgSignerKey crypto.Signer
}

func newSignPolicyFixture(t *testing.T) *signPolicyFixture {
	t.Helper()
	p := newPolicyPDFFixture(t)
	f := &signPolicyFixture{policyPDFFixture: p, unsigned: filepath.Join(p.dir, "unsigned.pdf"),
		leaderChain: []*x509.Certificate{p.leader, p.ca}, orgChain: []*x509.Certificate{p.org, p.ca},
		leaderSigner: p.leaderKey, orgSignerKey: p.orgKey}
	require.NoError(t, os.WriteFile(f.unsigned, pdftest.Classic(), 0o600))
	write := func(name string, key crypto.Signer, cert *x509.Certificate) (string, string) {
		der, err := x509.MarshalPKCS8PrivateKey(key)
		require.NoError(t, err)
		kp, cp := filepath.Join(p.dir, name+".key"), filepath.Join(p.dir, name+".pem")
		require.NoError(t, os.WriteFile(kp, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
		certs := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
			pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.ca.Raw})...)
		require.NoError(t, os.WriteFile(cp, certs, 0o600))
		return kp, cp
	}
	f.leaderKey, f.leaderCert = write("leader", p.leaderKey, p.leader)
	f.orgKeyPath, f.orgCertPath = write("org", p.orgKey, p.org)
	return f
}

// assertNoOutput checks that a refused signing left neither the output nor a
// temporary file behind.
func assertNoOutput(t *testing.T, out string) {
	t.Helper()
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "no output file after a refusal")
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*"))
	assert.Empty(t, left, "no temporary file left behind")
}

// TestSignPolicyEndToEnd: under the Quảng Ninh profile the clerk may not seal an
// unsigned document (QĐ 41/2022 Điều 20 k5), the leader signs, and then the clerk's
// seal is allowed and both signatures verify with pdfsig.
func TestSignPolicyEndToEnd(t *testing.T) {
	f := newSignPolicyFixture(t)
	in, err := os.ReadFile(f.unsigned)
	require.NoError(t, err)

	sealed := filepath.Join(f.dir, "sealed-unsigned.pdf")
	code, stdout, stderr := runCLI(t, nil, "sign", "-in", f.unsigned, "-out", sealed, "-key", f.orgKeyPath, "-cert", f.orgCertPath,
		"-new-field", "Văn thư", "-policy-profile", "quang-ninh", "-role", "văn thư")
	assert.Equal(t, exitFailure, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "KHÔNG ĐƯỢC KÝ.")
	assert.Contains(t, stderr, "Văn bản chưa có chữ ký số của người có thẩm quyền")
	assert.Contains(t, stderr, "does not yet carry the signature of the person with authority")
	assert.Contains(t, stderr, policy.RuleOrgSealAfterAuthority)
	assert.Contains(t, stderr, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5")
	assert.Contains(t, stderr, "nothing was written")
	assertNoOutput(t, sealed)
	after, _ := os.ReadFile(f.unsigned)
	assert.Equal(t, in, after, "the input is never modified")

	leaderOut := filepath.Join(f.dir, "leader.pdf")
	code, stdout, stderr = runCLI(t, nil, "sign", "-in", f.unsigned, "-out", leaderOut, "-key", f.leaderKey, "-cert", f.leaderCert,
		"-new-field", "Lãnh đạo", "-policy-profile", "quang-ninh", "-role", "authority")
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	assert.Contains(t, stdout, "được phép / allowed, vị trí / placement signer")

	final := filepath.Join(f.dir, "leader-and-seal.pdf")
	code, stdout, stderr = runCLI(t, map[string]string{"KYSO_POLICY_PROFILE": "quang-ninh"}, "sign", "-in", leaderOut, "-out", final,
		"-key", f.orgKeyPath, "-cert", f.orgCertPath, "-new-field", "Văn thư", "-role", "clerk")
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	assert.Contains(t, stdout, "chính sách / policy quang-ninh: được phép / allowed, vị trí / placement seal")
	assert.Contains(t, stdout, "ĐƯỢC KÝ.")
	assert.Equal(t, 2, pdfsigValid(t, final), "the leader's signature and the seal verify")
	assert.Contains(t, stdout, "chưa xác định được hiệu lực", "unverified, the leader's signature is a warning")

	// With -policy-trust the leader's signature is verified first: no warning about it.
	verified := filepath.Join(f.dir, "leader-and-seal-verified.pdf")
	code, stdout, stderr = runCLI(t, nil, "sign", "-in", leaderOut, "-out", verified, "-key", f.orgKeyPath, "-cert", f.orgCertPath,
		"-new-field", "Văn thư", "-policy-profile", "quang-ninh", "-role", "clerk", "-policy-trust", f.trust)
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	assert.Contains(t, stdout, "được phép / allowed, vị trí / placement seal")
	assert.NotContains(t, stdout, "chưa xác định được hiệu lực")
	assert.Equal(t, 2, pdfsigValid(t, verified))

	// A leader's signature broken by a later change of the signed bytes is no basis
	// for the seal: refused once verified.
	signed, err := os.ReadFile(leaderOut)
	require.NoError(t, err)
	i := bytes.Index(signed, []byte(pdftest.Title))
	require.Positive(t, i)
	tampered := filepath.Join(f.dir, "tampered.pdf")
	require.NoError(t, os.WriteFile(tampered, append(append(bytes.Clone(signed[:i]), 'K'), signed[i+1:]...), 0o600))
	refused := filepath.Join(f.dir, "tampered-sealed.pdf")
	code, _, stderr = runCLI(t, nil, "sign", "-in", tampered, "-out", refused, "-key", f.orgKeyPath, "-cert", f.orgCertPath,
		"-policy-profile", "quang-ninh", "-role", "clerk", "-policy-trust", f.trust)
	assert.Equal(t, exitFailure, code, stderr)
	assert.Contains(t, stderr, policy.RuleOrgSealAfterAuthority)
	assert.Contains(t, stderr, "không hợp lệ")
	assertNoOutput(t, refused)
}

// TestSignPolicyRefusals covers the everyday refusals through the flags and a request
// file, and the usage errors of the policy flags.
func TestSignPolicyRefusals(t *testing.T) {
	f := newSignPolicyFixture(t)
	leaderSigned := f.sign(t, "leader-signed.pdf", "leader")
	requestFile := func(name, example string) string {
		text, ok := policyExample(example)
		require.True(t, ok, example)
		p := filepath.Join(f.dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		return p
	}
	badExisting := filepath.Join(f.dir, "bad-existing.json")
	require.NoError(t, os.WriteFile(badExisting, []byte(`{"role": "clerk", "certificate": {"kind": "organisation"},
		"document": {"kind": "administrative"}, "existing": [{"order": 3, "certificate": {"kind": "individual"}}]}`), 0o600))
	out := filepath.Join(f.dir, "out.pdf")
	leader := []string{"-key", f.leaderKey, "-cert", f.leaderCert}
	org := []string{"-key", f.orgKeyPath, "-cert", f.orgCertPath}
	for _, tc := range []struct {
		name string
		in   string
		args []string
		code int
		want []string
	}{
		{"classified document", f.unsigned, append([]string{"-role", "authority", "-classification", "mật", "-policy-profile", "ha-tinh"}, leader...),
			exitFailure, []string{policy.RuleClassified, "KHÔNG ĐƯỢC KÝ."}},
		{"device certificate", f.unsigned, append([]string{"-role", "it-officer", "-cert-kind", "device", "-policy-profile", "national"}, org...),
			exitFailure, []string{policy.RuleDeviceCertificate}},
		{"deputy without KT.", f.unsigned, append([]string{"-role", "deputy", "-authority", "TM.", "-policy-profile", "ha-tinh"}, leader...),
			exitFailure, []string{"refuses this signature"}},
		{"request file: clerk seals an unsigned document", f.unsigned, append([]string{"-policy-request", requestFile("r1.json", "clerk-seal-unsigned"), "-policy-profile", "quang-ninh"}, org...),
			exitFailure, []string{policy.RuleOrgSealAfterAuthority, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5"}},
		{"request file: appendix in the same file", leaderSigned, append([]string{"-policy-request", requestFile("r2.json", "appendix-same-file")}, org...),
			exitFailure, []string{policy.RuleAppendixSameFile}},
		{"request file describes signatures the document lacks", f.unsigned, append([]string{"-policy-request", badExisting}, org...),
			exitFailure, []string{"existing signature [3]", "holds 0 signature"}},
		{"missing request file", f.unsigned, append([]string{"-policy-request", filepath.Join(f.dir, "nope.json")}, org...),
			exitFailure, []string{"nope.json"}},
		{"malformed request file", f.unsigned, append([]string{"-policy-request", f.trust}, org...),
			exitFailure, []string{"-policy-request"}},
		{"no role", f.unsigned, append([]string{"-policy-profile", "quang-ninh"}, org...), exitUsage, []string{"-role"}},
		{"unknown role", f.unsigned, append([]string{"-role", "robot"}, org...), exitUsage, []string{"-role:"}},
		{"unknown document kind", f.unsigned, append([]string{"-role", "clerk", "-doc-kind", "memo"}, org...), exitUsage, []string{"-doc-kind:"}},
		{"unknown marker", f.unsigned, append([]string{"-role", "deputy", "-authority", "XX."}, leader...), exitUsage, []string{"-authority:"}},
		{"trust file without certificates", f.unsigned, append([]string{"-role", "clerk", "-policy-trust", f.unsigned}, org...), exitFailure, []string{"no PEM certificate"}},
		{"unknown profile", f.unsigned, append([]string{"-role", "clerk", "-policy-profile", "atlantis"}, org...), exitUsage, []string{"atlantis"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"sign", "-in", tc.in, "-out", out}, tc.args...)
			code, stdout, stderr := runCLI(t, nil, args...)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout, stderr)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			assertNoOutput(t, out)
		})
	}
}
