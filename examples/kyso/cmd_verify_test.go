package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// verifyFixture signs a generated document with the test PKI's leader and writes it,
// with the root as a PEM trust file, into a temporary directory.
func verifyFixture(t *testing.T) (pki *certstatustest.PKI, signedPath, rootPath string, signed []byte) {
	t.Helper()
	pki = certstatustest.NewPKI(t)
	in := pdftest.Classic()
	var out bytes.Buffer
	_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), pki.Leader.Key, pki.Leader.Chain[:2],
		&signature.SignOptions{Reason: "Phê duyệt"})
	require.NoError(t, err)
	dir := t.TempDir()
	signedPath = filepath.Join(dir, "signed.pdf")
	require.NoError(t, os.WriteFile(signedPath, out.Bytes(), 0o644))
	rootPath = filepath.Join(dir, "root.pem")
	require.NoError(t, os.WriteFile(rootPath, pki.Root.CertPEM(), 0o644))
	return pki, signedPath, rootPath, out.Bytes()
}

func runVerifyCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	env := map[string]string{"KYSO_PDF_PASSWORD": "mật khẩu"}
	c := &cli{stdin: strings.NewReader(""), stdout: &o, stderr: &e, getenv: func(k string) string { return env[k] }}
	code = run(context.Background(), c, args)
	return code, o.String(), e.String()
}

func TestVerifyCommand(t *testing.T) {
	pki, signedPath, rootPath, signed := verifyFixture(t)
	dir := filepath.Dir(signedPath)

	t.Run("online, Vietnamese", func(t *testing.T) {
		code, out, errs := runVerifyCLI("verify", "-trust", rootPath, signedPath)
		assert.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errs)
		assert.Contains(t, out, "HỢP LỆ")
		assert.Contains(t, out, pki.Leader.Cert.Subject.CommonName)
		assert.Contains(t, out, "Thời hạn hiệu lực")
		assert.Positive(t, pki.Hits("ocsp"), "the OCSP responder was not asked")
	})
	t.Run("json", func(t *testing.T) {
		code, out, errs := runVerifyCLI("verify", "-json", "-trust", rootPath, signedPath)
		require.Equal(t, 0, code, errs)
		var rep struct {
			Signatures []map[string]any `json:"signatures"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &rep))
		require.Len(t, rep.Signatures, 1)
		s := rep.Signatures[0]
		assert.Equal(t, "TOTAL_PASSED", s["indication"])
		assert.Equal(t, "signature", s["kind"])
		assert.Equal(t, "B-B", s["level"])
		assert.Equal(t, "none", s["modification"])
		assert.Equal(t, pki.Leader.Cert.Subject.CommonName, s["signer"].(map[string]any)["commonName"])
	})
	t.Run("english", func(t *testing.T) {
		code, out, _ := runVerifyCLI("verify", "-lang", "en", "-trust", rootPath, signedPath)
		assert.Equal(t, 0, code)
		assert.Contains(t, out, "VALID")
	})
	t.Run("offline without DSS is indeterminate", func(t *testing.T) {
		code, out, _ := runVerifyCLI("verify", "-offline", "-trust", rootPath, signedPath)
		assert.Equal(t, 2, code, out)
		assert.Contains(t, out, "TRY_LATER")
	})
	t.Run("offline with -status-warning passes with a warning", func(t *testing.T) {
		code, out, _ := runVerifyCLI("verify", "-offline", "-status-warning", "-trust", rootPath, signedPath)
		assert.Equal(t, 0, code, out)
		assert.Contains(t, out, "CẢNH BÁO")
	})
	t.Run("untrusted root is indeterminate", func(t *testing.T) {
		code, out, _ := runVerifyCLI("verify", signedPath)
		assert.Equal(t, 2, code, out)
		assert.Contains(t, out, "NO_CERTIFICATE_CHAIN_FOUND")
	})
	t.Run("tampered is failed", func(t *testing.T) {
		bad := bytes.Replace(signed, []byte("Hello kyso"), []byte("Hellx kyso"), 1)
		p := filepath.Join(dir, "tampered.pdf")
		require.NoError(t, os.WriteFile(p, bad, 0o644))
		code, out, _ := runVerifyCLI("verify", "-trust", rootPath, p)
		assert.Equal(t, 1, code, out)
		assert.Contains(t, out, "HASH_FAILURE")
	})
	t.Run("unsigned or not a PDF", func(t *testing.T) {
		p := filepath.Join(dir, "plain.pdf")
		require.NoError(t, os.WriteFile(p, pdftest.Classic(), 0o644))
		code, _, errs := runVerifyCLI("verify", p)
		assert.Equal(t, 3, code)
		assert.Contains(t, errs, "không có chữ ký")
		q := filepath.Join(dir, "text.pdf")
		require.NoError(t, os.WriteFile(q, []byte("not a pdf"), 0o644))
		code, _, _ = runVerifyCLI("verify", q)
		assert.Equal(t, 3, code)
		code, _, _ = runVerifyCLI("verify", filepath.Join(dir, "missing.pdf"))
		assert.Equal(t, 3, code)
	})
	t.Run("encrypted with a user password", func(t *testing.T) {
		enc := pdftest.Encrypted(t, pdftest.Classic(), pdftest.AES256, "mật khẩu")
		var out bytes.Buffer
		_, err := signature.Sign(context.Background(), &out, bytes.NewReader(enc), int64(len(enc)), pki.Leader.Key, pki.Leader.Chain[:2],
			&signature.SignOptions{Password: []byte("mật khẩu")})
		require.NoError(t, err)
		p := filepath.Join(dir, "encrypted.pdf")
		require.NoError(t, os.WriteFile(p, out.Bytes(), 0o644))
		code, stdout, errs := runVerifyCLI("verify", "-password-env", "KYSO_PDF_PASSWORD", "-trust", rootPath, p)
		assert.Equal(t, 0, code, "%s\n%s", stdout, errs)
		code, _, _ = runVerifyCLI("verify", "-trust", rootPath, p)
		assert.Equal(t, 3, code, "wrong password")
	})
	t.Run("usage", func(t *testing.T) {
		code, _, errs := runVerifyCLI("verify")
		assert.Equal(t, 2, code)
		assert.Contains(t, errs, "the PDF to verify is required")
		code, _, _ = runVerifyCLI("verify", "-help")
		assert.Equal(t, 0, code)
		code, _, _ = runVerifyCLI("verify", "-lang", "fr", signedPath)
		assert.Equal(t, 2, code)
	})
}

// TestVerifyEveryLevelLive signs at every PAdES level against the test kit's live
// responders and checks that kyso verify reports that level, online and (from B-LT)
// offline.
func TestVerifyEveryLevelLive(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	dir := t.TempDir()
	rootPath := filepath.Join(dir, "root.pem")
	require.NoError(t, os.WriteFile(rootPath, pki.Root.CertPEM(), 0o644))
	checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(pki.Root.Cert)})
	in := pdftest.Classic()
	for _, level := range []signature.Level{signature.LevelBB, signature.LevelBT, signature.LevelBLT, signature.LevelBLTA} {
		t.Run(string(level), func(t *testing.T) {
			opts := &signature.SignOptions{PSS: true}
			if level != signature.LevelBB {
				opts.Level = &signature.LevelOptions{Target: level,
					Timestamper:  &certstatus.TSAClient{URL: pki.TSAURL, Checker: checker},
					Revocation:   checker,
					Certificates: []*x509.Certificate{pki.Root.Cert}}
			}
			var out bytes.Buffer
			_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), pki.Leader.Key, pki.Leader.Chain[:2], opts)
			require.NoError(t, err)
			path := filepath.Join(dir, string(level)+".pdf")
			require.NoError(t, os.WriteFile(path, out.Bytes(), 0o644))

			modes := [][]string{{"-trust", rootPath}}
			if level == signature.LevelBLT || level == signature.LevelBLTA {
				modes = append(modes, []string{"-offline", "-trust", rootPath})
			}
			for _, mode := range modes {
				code, stdout, errs := runVerifyCLI(append(append([]string{"verify", "-json"}, mode...), path)...)
				var rep struct {
					Signatures []map[string]any `json:"signatures"`
				}
				require.NoError(t, json.Unmarshal([]byte(stdout), &rep), errs)
				require.NotEmpty(t, rep.Signatures)
				assert.Equal(t, 0, code, "%v: %s", mode, stdout)
				assert.Equal(t, string(level), rep.Signatures[0]["level"], "%v", mode)
				if level != signature.LevelBB {
					assert.NotNil(t, rep.Signatures[0]["timestampTime"])
				}
			}
		})
	}
}

// TestSignLevelsCommand: kyso sign -level X -tsa URL -trust PEM against the test kit's
// live responders gives a document that kyso verify reports at level X (offline too
// from B-LT); a missing TSA or revocation data fails without writing, or with
// -continue-without-revocation stops at B-T with a warning.
func TestSignLevelsCommand(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	dir := t.TempDir()
	rootPath := filepath.Join(dir, "root.pem")
	require.NoError(t, os.WriteFile(rootPath, pki.Root.CertPEM(), 0o644))
	p12, err := pki.Leader.PKCS12("mật khẩu")
	require.NoError(t, err)
	p12Path := filepath.Join(dir, "leader.p12")
	require.NoError(t, os.WriteFile(p12Path, p12, 0o600))
	in := filepath.Join(dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, pdftest.Classic(), 0o644))
	env := map[string]string{"P12_PASS": "mật khẩu"}
	sign := func(out string, extra ...string) (int, string, string) {
		return runCLI(t, env, append([]string{"sign", "-in", in, "-out", out, "-p12", p12Path, "-p12-pass-env", "P12_PASS", "-pss"}, extra...)...)
	}
	verifyLevel := func(t *testing.T, path string, mode ...string) (int, string) {
		code, stdout, errs := runVerifyCLI(append(append([]string{"verify", "-json", "-trust", rootPath}, mode...), path)...)
		var rep struct {
			Signatures []map[string]any `json:"signatures"`
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &rep), errs)
		require.NotEmpty(t, rep.Signatures)
		return code, rep.Signatures[0]["level"].(string)
	}

	for _, level := range []string{"B-B", "B-T", "B-LT", "B-LTA"} {
		t.Run(level, func(t *testing.T) {
			out := filepath.Join(dir, level+".pdf")
			args := []string{"-level", level}
			if level != "B-B" {
				args = append(args, "-tsa", pki.TSAURL, "-trust", rootPath)
			}
			code, stdout, stderr := sign(out, args...)
			require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			if level != "B-B" {
				assert.Contains(t, stdout, "PAdES "+level)
			}
			assert.Empty(t, stderr)
			asked := pki.Hits("ocsp") + pki.Hits("crl")
			code, got := verifyLevel(t, out)
			assert.Equal(t, 0, code)
			assert.Equal(t, level, got)
			if level == "B-LT" || level == "B-LTA" {
				// Revocation data comes from the DSS first: online, nothing is asked.
				assert.Equal(t, asked, pki.Hits("ocsp")+pki.Hits("crl"), "the responders were asked although the DSS settles every status")
			} else {
				assert.Greater(t, pki.Hits("ocsp")+pki.Hits("crl"), asked, "without a DSS the status is fetched online")
			}
			if level == "B-LT" || level == "B-LTA" {
				code, got = verifyLevel(t, out, "-offline")
				assert.Equal(t, 0, code, "offline")
				assert.Equal(t, level, got, "offline")
			}
		})
	}

	t.Run("usage errors", func(t *testing.T) {
		for _, args := range [][]string{
			{"-level", "B-X"},
			{"-level", "B-T"},    // no -tsa
			{"-tsa", pki.TSAURL}, // -tsa without a level
			{"-trust", filepath.Join(dir, "missing.pem")}, // -trust at B-B completes the signer's chain: the file must exist
			{"-continue-without-revocation"},              // without a level
		} {
			out := filepath.Join(dir, "usage.pdf")
			code, _, stderr := sign(out, args...)
			assert.Equal(t, exitUsage, code, "%v: %s", args, stderr)
			assert.NoFileExists(t, out)
		}
		code, _, stderr := sign(filepath.Join(dir, "u.pdf"), "-level", "B-T", "-tsa", pki.TSAURL, "-trust", filepath.Join(dir, "missing.pem"))
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, stderr, "missing.pem")
	})

	t.Run("revocation unavailable", func(t *testing.T) {
		pki.SetOCSP(certstatustest.OCSPTryLater)
		pki.SetCRL(certstatustest.CRLNotFound)
		defer pki.SetOCSP(certstatustest.OCSPNormal)
		defer pki.SetCRL(certstatustest.CRLNormal)
		out := filepath.Join(dir, "norev.pdf")
		code, _, stderr := sign(out, "-level", "B-LTA", "-tsa", pki.TSAURL, "-trust", rootPath)
		assert.Equal(t, exitFailure, code, stderr)
		assert.NoFileExists(t, out)

		code, stdout, stderr := sign(out, "-level", "B-LTA", "-tsa", pki.TSAURL, "-trust", rootPath, "-continue-without-revocation")
		require.Equal(t, exitOK, code, stderr)
		assert.Contains(t, stdout, "PAdES B-T")
		assert.Contains(t, stderr, "warning")
		_, got := verifyLevel(t, out, "-offline", "-status-warning")
		assert.Equal(t, "B-T", got)
	})

	t.Run("TSA down", func(t *testing.T) {
		dead := filepath.Join(dir, "dead.pdf")
		code, _, stderr := sign(dead, "-level", "B-T", "-tsa", "http://127.0.0.1:1/tsa", "-trust", rootPath)
		assert.Equal(t, exitFailure, code)
		assert.Contains(t, stderr, "time-stamp")
		assert.NoFileExists(t, dead)
	})
}
