package kyso_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digitorus/pkcs7"
	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/token/csctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rootOnly is the ChainOptions of a signer whose organisation trusts the test root.
func rootOnly(p *certstatustest.PKI) *kyso.ChainOptions {
	return &kyso.ChainOptions{Trust: certstatus.NewTrustStore(p.Root.Cert)}
}

// leafOnly is a signer holding its key and its own certificate, nothing else: what
// many USB tokens hold.
func leafOnly(h *certstatustest.Holder) kyso.Signer { return kyso.NewSigner(h.Key, h.Cert) }

// TestSignCompletesLeafOnlyChain: a signer holding only its own certificate signs at
// B-B; the issuing CA is found through the leaf's AIA caIssuers URL and embedded, so
// the document verifies offline where only the root is trusted — with kyso, pdfsig
// (NSS, the root alone in its database) and openssl cms -verify (-CAfile the root).
func TestSignCompletesLeafOnlyChain(t *testing.T) {
	p := certstatustest.NewPKI(t)
	in := pdftest.OnePage(1)
	tests := []struct {
		name      string
		opts      *kyso.ChainOptions
		want      []*x509.Certificate
		hits      int
		verifies  bool
		warnCause error
	}{
		{"AIA completes the chain", rootOnly(p), []*x509.Certificate{p.Leader.Cert, p.CA.Cert}, 1, true, nil},
		{"the root too when asked", &kyso.ChainOptions{Trust: certstatus.NewTrustStore(p.Root.Cert), IncludeRoot: true},
			[]*x509.Certificate{p.Leader.Cert, p.CA.Cert, p.Root.Cert}, 1, true, nil},
		{"another trust store: the path to the test root is still embedded, without it", nil,
			[]*x509.Certificate{p.Leader.Cert, p.CA.Cert}, 2, true, nil},
		{"the Checker's intermediates, offline", &kyso.ChainOptions{Checker: certstatus.NewChecker(certstatus.Options{
			Trust: certstatus.NewTrustStore(p.Root.Cert), Offline: true, Intermediates: []*x509.Certificate{p.CA.Cert}})},
			[]*x509.Certificate{p.Leader.Cert, p.CA.Cert}, 0, true, nil},
		{"offline: no request, a warning", &kyso.ChainOptions{Trust: certstatus.NewTrustStore(p.Root.Cert), Offline: true},
			[]*x509.Certificate{p.Leader.Cert}, 0, false, certstatus.ErrNoChain},
		{"as given: no completion, no warning", &kyso.ChainOptions{AsGiven: true},
			[]*x509.Certificate{p.Leader.Cert}, 0, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := p.Hits("aia")
			var out bytes.Buffer
			res, err := kyso.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), leafOnly(p.Leader), &kyso.SignOptions{Chain: tc.opts})
			require.NoError(t, err, "an incomplete chain never stops the signature")
			assert.Equal(t, tc.hits, p.Hits("aia")-before, "AIA downloads")
			assertCMSCertificates(t, out.Bytes(), res.ByteRange, tc.want)
			if tc.warnCause != nil {
				require.NotNil(t, res.ChainWarning)
				assert.ErrorIs(t, res.ChainWarning, kyso.ErrIncompleteChain)
				assert.ErrorIs(t, res.ChainWarning, tc.warnCause)
				assert.True(t, res.ChainWarning.Missing.Equal(p.Leader.Cert))
				assert.Contains(t, res.ChainWarning.Vietnamese(), "chuỗi chứng thư")
				assert.Contains(t, res.ChainWarning.English(), "offline")
			} else {
				assert.Nil(t, res.ChainWarning)
			}
			rep := verifyRootOnly(t, p, out.Bytes())
			if !tc.verifies {
				assert.Equal(t, signature.NoCertificateChainFound, rep.SubIndication, "without the CA the chain is not found: %+v", rep)
				assert.Equal(t, "Certificate issuer is unknown.", pdfsigCertificate(t, p, out.Bytes()), "pdfsig finds no chain either")
				return
			}
			assert.Equal(t, signature.TotalPassed, rep.Indication, "%+v", rep)
			pdfsigTrusted(t, p, out.Bytes())
			opensslVerify(t, p, out.Bytes(), res.ByteRange)
		})
	}
}

// TestSignChainAIAUnreachable: when the CA's AIA server does not answer, the document
// is signed anyway, with the certificates there are, and the result says so.
func TestSignChainAIAUnreachable(t *testing.T) {
	p := certstatustest.NewPKI(t)
	require.NoError(t, p.Close())
	in := pdftest.OnePage(2)
	var out bytes.Buffer
	res, err := kyso.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), leafOnly(p.Leader), &kyso.SignOptions{Chain: rootOnly(p)})
	require.NoError(t, err)
	w := res.ChainWarning
	require.NotNil(t, w)
	assert.ErrorIs(t, w, kyso.ErrIncompleteChain)
	assert.ErrorIs(t, w, certstatus.ErrNoChain)
	var asWarn *kyso.ChainWarning
	assert.True(t, errors.As(error(w), &asWarn))
	assert.Contains(t, w.Error(), "/aia/ca.cer")
	assert.Contains(t, w.String(), "không bổ sung được chuỗi chứng thư")
	require.Len(t, w.Embedded, 1)
	assertCMSCertificates(t, out.Bytes(), res.ByteRange, []*x509.Certificate{p.Leader.Cert})
}

// TestSignCompleteChainMakesNoRequest: a signer whose chain already reaches the root
// (or a trust anchor) is signed as it is, without a request, whatever the options.
func TestSignCompleteChainMakesNoRequest(t *testing.T) {
	p := certstatustest.NewPKI(t)
	in := pdftest.OnePage(3)
	for name, opts := range map[string]*kyso.ChainOptions{"default": nil, "root trusted": rootOnly(p)} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			res, err := kyso.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), signer(p.Leader), &kyso.SignOptions{Chain: opts})
			require.NoError(t, err)
			assert.Nil(t, res.ChainWarning)
			assertCMSCertificates(t, out.Bytes(), res.ByteRange, p.Leader.Chain)
		})
	}
	assert.Zero(t, p.Hits("aia"))
}

// TestCSCLeafOnlyCredential: a remote signing service that returns only the signer's
// certificate (credentials/info with certificates "chain" answering one certificate):
// kyso.Sign, kyso.Prepare with signature.Complete and SignBatch complete the chain,
// and the documents verify offline where only the root is trusted.
func TestCSCLeafOnlyCredential(t *testing.T) {
	k := newBTKit(t, func(c *csctest.Credential) { c.Chain = c.Chain[:1] })
	s := k.signer(t, "leader", "246810")
	require.Empty(t, s.Chain(), "the service gave the leaf only")
	ctx := context.Background()
	in := pdftest.OnePage(4)
	want := []*x509.Certificate{k.pki.Leader.Cert, k.pki.CA.Cert}

	t.Run("Sign", func(t *testing.T) {
		var out bytes.Buffer
		res, err := kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), s, &kyso.SignOptions{Chain: rootOnly(k.pki)})
		require.NoError(t, err)
		assert.Nil(t, res.ChainWarning)
		assertCMSCertificates(t, out.Bytes(), res.ByteRange, want)
		assert.Equal(t, signature.TotalPassed, verifyRootOnly(t, k.pki, out.Bytes()).Indication)
		pdfsigTrusted(t, k.pki, out.Bytes())
		opensslVerify(t, k.pki, out.Bytes(), res.ByteRange)
	})
	t.Run("Sign at B-T: the level's Checker and its trust store", func(t *testing.T) {
		var out bytes.Buffer
		res, err := kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), s, &kyso.SignOptions{Signature: signature.SignOptions{Level: k.level(signature.LevelBT)}})
		require.NoError(t, err)
		assert.Nil(t, res.ChainWarning)
		assertCMSCertificates(t, out.Bytes(), res.ByteRange, want)
		rep := verifyRootOnly(t, k.pki, out.Bytes())
		assert.Equal(t, signature.TotalPassed, rep.Indication, "%+v", rep)
		assert.Equal(t, signature.LevelBT, rep.Level)
	})
	t.Run("Prepare and Complete", func(t *testing.T) {
		prep, err := kyso.Prepare(ctx, bytes.NewReader(in), int64(len(in)), []*x509.Certificate{s.Certificate()},
			&kyso.SignOptions{Chain: rootOnly(k.pki)})
		require.NoError(t, err)
		assert.Nil(t, prep.ChainWarning)
		sig, err := s.Sign(nil, prep.Digest, prep.SignerOpts)
		require.NoError(t, err)
		var out bytes.Buffer
		res, err := signature.Complete(ctx, &out, bytes.NewReader(in), int64(len(in)), prep.State, sig, &signature.CompleteOptions{Level: k.level(signature.LevelBT)})
		require.NoError(t, err)
		assertCMSCertificates(t, out.Bytes(), res.ByteRange, want)
		rep := verifyRootOnly(t, k.pki, out.Bytes())
		assert.Equal(t, signature.TotalPassed, rep.Indication, "%+v", rep)
		pdfsigTrusted(t, k.pki, out.Bytes())
	})
	t.Run("SignBatch", func(t *testing.T) {
		docs, _ := btDocs(t, 2)
		results, err := kyso.SignBatch(ctx, s, docs, &kyso.BatchOptions{Sign: kyso.SignOptions{Chain: rootOnly(k.pki)}})
		require.NoError(t, err)
		for _, r := range results {
			require.NoError(t, r.Err)
			assert.Nil(t, r.ChainWarning)
			doc, err := os.ReadFile(r.Output)
			require.NoError(t, err)
			assertCMSCertificates(t, doc, r.Result.ByteRange, want)
			assert.Equal(t, signature.TotalPassed, verifyRootOnly(t, k.pki, doc).Indication)
		}
	})
	t.Run("SignBatch offline: a warning for every document", func(t *testing.T) {
		docs, _ := btDocs(t, 2)
		before := k.pki.Hits("aia")
		results, err := kyso.SignBatch(ctx, s, docs, &kyso.BatchOptions{Sign: kyso.SignOptions{Chain: &kyso.ChainOptions{Offline: true}}})
		require.NoError(t, err)
		assert.Equal(t, before, k.pki.Hits("aia"))
		for _, r := range results {
			require.NoError(t, r.Err)
			require.NotNil(t, r.ChainWarning)
			assert.ErrorIs(t, r.ChainWarning, kyso.ErrIncompleteChain)
		}
	})
}

// verifyRootOnly verifies doc offline with the test root as the only trust anchor and
// returns the first signature's report. Revocation data is not required (B-B).
func verifyRootOnly(t *testing.T, p *certstatustest.PKI, doc []byte) *signature.SignatureReport {
	t.Helper()
	rep := verify(t, doc, &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(p.Root.Cert), Offline: true, AllowMissingRevocation: true})
	require.NotEmpty(t, rep.Signatures)
	return &rep.Signatures[0]
}

// signedCMS returns the CMS in /Contents (its DER, without the padding) and the
// signed bytes.
func signedCMS(t *testing.T, doc []byte, br [4]int64) (cmsDER, content []byte) {
	t.Helper()
	hexed := bytes.Trim(doc[br[0]+br[1]:br[2]], "<>")
	raw, err := hex.DecodeString(string(hexed))
	require.NoError(t, err)
	var v asn1.RawValue
	_, err = asn1.Unmarshal(raw, &v)
	require.NoError(t, err)
	content = append(append([]byte(nil), doc[br[0]:br[0]+br[1]]...), doc[br[2]:br[2]+br[3]]...)
	return v.FullBytes, content
}

// assertCMSCertificates checks the certificate set of the document's signature.
func assertCMSCertificates(t *testing.T, doc []byte, br [4]int64, want []*x509.Certificate) {
	t.Helper()
	der, _ := signedCMS(t, doc, br)
	p7, err := pkcs7.Parse(der)
	require.NoError(t, err)
	var got, exp []string
	for _, c := range p7.Certificates {
		got = append(got, c.Subject.CommonName)
	}
	for _, c := range want {
		exp = append(exp, c.Subject.CommonName)
	}
	assert.Equal(t, exp, got, "the CMS certificate set, in order")
}

func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI", name)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

// pdfsigTrusted checks with pdfsig that the signature is valid and its certificate
// trusted, with an NSS database holding the test root alone (no AIA fetching).
// poppler before 23.01 reads NSS's last error even after a successful validation
// (SignatureHandler::validateCertificate calls PORT_GetError unconditionally), so a
// chain NSS accepted may show as "Unknown issue with Certificate or corrupted data."
// when an earlier lookup left an error behind; what matters here is that it is
// neither an unknown nor an untrusted issuer, which is what pdfsig says when the
// intermediate CA is missing.
func pdfsigTrusted(t *testing.T, p *certstatustest.PKI, doc []byte) {
	t.Helper()
	got := pdfsigCertificate(t, p, doc)
	assert.Contains(t, []string{"Certificate is Trusted.", "Unknown issue with Certificate or corrupted data."}, got)
}

// pdfsigCertificate returns pdfsig's certificate validation of the signature, with an
// NSS database holding the test root alone (no AIA fetching), after checking that
// the signature itself is valid.
func pdfsigCertificate(t *testing.T, p *certstatustest.PKI, doc []byte) string {
	t.Helper()
	pdfsig, certutil := needTool(t, "pdfsig"), needTool(t, "certutil")
	dir := t.TempDir()
	db := "sql:" + filepath.Join(dir, "nss")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "nss"), 0o700))
	rootPEM := filepath.Join(dir, "root.pem")
	require.NoError(t, os.WriteFile(rootPEM, p.Root.CertPEM(), 0o600))
	file := filepath.Join(dir, "signed.pdf")
	require.NoError(t, os.WriteFile(file, doc, 0o600))
	for _, args := range [][]string{
		{"-N", "-d", db, "--empty-password"},
		{"-A", "-d", db, "-n", "test-root", "-t", "CT,C,C", "-i", rootPEM},
	} {
		out, err := exec.Command(certutil, args...).CombinedOutput()
		require.NoError(t, err, "certutil %v: %s", args, out)
	}
	out, _ := exec.Command(pdfsig, "-nssdir", db, "-no-ocsp", file).CombinedOutput()
	require.Equal(t, 1, strings.Count(string(out), "Signature is Valid."), "pdfsig:\n%s", out)
	_, line, ok := strings.Cut(string(out), "Certificate Validation: ")
	require.True(t, ok, "pdfsig:\n%s", out)
	line, _, _ = strings.Cut(line, "\n")
	return strings.TrimSpace(line)
}

// opensslVerify checks the CMS with openssl cms -verify, the test root alone as
// CAfile.
func opensslVerify(t *testing.T, p *certstatustest.PKI, doc []byte, br [4]int64) {
	t.Helper()
	openssl := needTool(t, "openssl")
	der, content := signedCMS(t, doc, br)
	dir := t.TempDir()
	files := map[string][]byte{
		"sig.der":  der,
		"data.bin": content,
		"root.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.Root.Cert.Raw}),
	}
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	cmd := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content", "data.bin",
		"-CAfile", "root.pem", "-purpose", "any", "-out", os.DevNull)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "openssl cms -verify:\n%s", out)
	assert.Contains(t, strings.ToLower(string(out)), "verification successful")
}
