package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/signature"
)

// certstatus implements the consumer-side interfaces this package declares.
var (
	_ signature.Timestamper      = (*certstatus.TSAClient)(nil)
	_ signature.RevocationSource = (*certstatus.Checker)(nil)
)

// lvKit is the test PKI with live OCSP, CRL and TSA responders, and clients for them
// shaped as signature's Timestamper and RevocationSource.
// serviceTimeout bounds each request the tests make to their own OCSP, CRL and TSA
// servers on 127.0.0.1. No test here is about these time-outs; they only keep a broken
// server from hanging a test, so they are long enough for a loaded CI machine under
// -race (5 s was not always).
const serviceTimeout = 30 * time.Second

type lvKit struct {
	pki     *certstatustest.PKI
	checker *certstatus.Checker
	tsa     *certstatus.TSAClient
}

func newLVKit(t testing.TB) *lvKit {
	t.Helper()
	p := certstatustest.NewPKI(t)
	checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(p.Root.Cert), Timeout: serviceTimeout})
	return &lvKit{pki: p, checker: checker, tsa: &certstatus.TSAClient{URL: p.TSAURL, Checker: checker, Timeout: serviceTimeout}}
}

// levelOptions asks for target with the kit's TSA and revocation clients.
func (k *lvKit) levelOptions(target signature.Level) *signature.LevelOptions {
	return &signature.LevelOptions{Target: target, Timestamper: k.tsa, Revocation: k.checker,
		Certificates: []*x509.Certificate{k.pki.Root.Cert}}
}

// sign signs in with the kit's leader (RSA-PSS) at the given level.
func (k *lvKit) sign(t testing.TB, in []byte, lo *signature.LevelOptions) ([]byte, *signature.SignResult) {
	t.Helper()
	var out bytes.Buffer
	res, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), k.pki.Leader.Key,
		k.pki.Leader.Chain, &signature.SignOptions{PSS: true, Reason: "Phê duyệt", Location: "Quảng Ninh", Level: lo})
	require.NoError(t, err)
	require.Equal(t, int64(out.Len()), res.Size)
	return out.Bytes(), res
}

// extend renews doc with the kit's clients.
func (k *lvKit) extend(t testing.TB, doc []byte, mutate func(*signature.ExtendOptions)) ([]byte, *signature.ExtendResult) {
	t.Helper()
	opts := &signature.ExtendOptions{Timestamper: k.tsa, Revocation: k.checker, Certificates: []*x509.Certificate{k.pki.Root.Cert}}
	if mutate != nil {
		mutate(opts)
	}
	var out bytes.Buffer
	res, err := signature.Extend(context.Background(), &out, bytes.NewReader(doc), int64(len(doc)), opts)
	require.NoError(t, err)
	require.Equal(t, int64(out.Len()), res.Size)
	require.True(t, bytes.HasPrefix(out.Bytes(), doc), "the input must be an unchanged prefix")
	return out.Bytes(), res
}

// verify verifies doc against the kit's root at time at (zero: now), offline (DSS and
// CMS data only) or with the kit's checker online.
func (k *lvKit) verify(t testing.TB, doc []byte, offline bool, at time.Time) *signature.Report {
	t.Helper()
	opts := &signature.VerifyOptions{Roots: k.pki.Roots(), Offline: offline, Time: at}
	if !offline {
		opts.Revocation = k.checker
	}
	rep, err := signature.Verify(context.Background(), bytes.NewReader(doc), int64(len(doc)), opts)
	require.NoError(t, err)
	return rep
}

// lvTool returns the path of an external tool; missing, it fails the test under CI
// and skips it otherwise.
func lvTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// lvSig is one signature or document time-stamp found in a file: its byte range and
// the DER in its /Contents (padding removed).
type lvSig struct {
	br  [4]int64
	der []byte
}

var lvByteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// lvSignatures finds every /ByteRange of doc, in file order.
func lvSignatures(t testing.TB, doc []byte) []lvSig {
	t.Helper()
	var out []lvSig
	for _, m := range lvByteRangeRE.FindAllSubmatch(doc, -1) {
		var s lvSig
		for i := range s.br {
			n, err := strconv.ParseInt(string(m[i+1]), 10, 64)
			require.NoError(t, err)
			s.br[i] = n
		}
		hexs := doc[s.br[1]+1 : s.br[2]-1]
		raw := make([]byte, len(hexs)/2)
		_, err := hex.Decode(raw, hexs)
		require.NoError(t, err)
		sd, err := cms.Parse(raw)
		require.NoError(t, err)
		s.der = sd.Raw
		out = append(out, s)
	}
	return out
}

func (s lvSig) content(doc []byte) []byte {
	return append(bytes.Clone(doc[s.br[0]:s.br[0]+s.br[1]]), doc[s.br[2]:s.br[2]+s.br[3]]...)
}

func lvWritePEM(t *testing.T, dir, name string, certs ...*x509.Certificate) string {
	t.Helper()
	var b bytes.Buffer
	for _, c := range certs {
		require.NoError(t, pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
	}
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, b.Bytes(), 0o600))
	return p
}

// lvExternalChecks runs the independent validators on doc, which holds signatures
// CMS signatures followed by docTimestamps document time-stamps: pdfsig finds them
// all valid; qpdf --check passes; openssl cms -verify accepts every CMS signature over
// its byte ranges; openssl ts -verify accepts every signature time-stamp (over the
// signature value) and every document time-stamp (over its byte ranges), with the
// kit's root as the only trust anchor. With lastCoversAll, pdfsig must find that the
// last one covers the whole file (not so after a DSS-only update).
func (k *lvKit) lvExternalChecks(t *testing.T, doc []byte, signatures, docTimestamps int, lastCoversAll bool) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.pdf")
	require.NoError(t, os.WriteFile(path, doc, 0o600))
	rootPEM := lvWritePEM(t, dir, "root.pem", k.pki.Root.Cert)
	untrusted := lvWritePEM(t, dir, "ca.pem", k.pki.CA.Cert)

	out, _ := exec.Command(lvTool(t, "pdfsig"), "-nocert", "-no-ocsp", path).CombinedOutput()
	text := string(out)
	// Poppler lists document time-stamps (ETSI.RFC3161) without validating them
	// ("Signature Type: unknown"); openssl ts checks them below.
	assert.Equal(t, signatures, strings.Count(text, "Signature is Valid."), "pdfsig:\n%s", text)
	assert.Equal(t, signatures+docTimestamps, strings.Count(text, "Signed Ranges:"), "pdfsig must list every signature and document time-stamp:\n%s", text)
	assert.Equal(t, docTimestamps, strings.Count(text, "Field Name: DocTimeStamp"), "pdfsig must list the document time-stamps:\n%s", text)
	if i := strings.LastIndex(text, "Signature #"); i >= 0 && lastCoversAll {
		assert.Contains(t, text[i:], "Total document signed", "pdfsig:\n%s", text)
	}

	qout, err := exec.Command(lvTool(t, "qpdf"), "--check", path).CombinedOutput()
	assert.NoError(t, err, "qpdf --check:\n%s", qout)

	openssl := lvTool(t, "openssl")
	sigs := lvSignatures(t, doc)
	require.Len(t, sigs, signatures+docTimestamps)
	for i, s := range sigs {
		content := filepath.Join(dir, "content"+strconv.Itoa(i))
		require.NoError(t, os.WriteFile(content, s.content(doc), 0o600))
		der := filepath.Join(dir, "cms"+strconv.Itoa(i))
		require.NoError(t, os.WriteFile(der, s.der, 0o600))
		if i >= signatures {
			o, err := exec.Command(openssl, "ts", "-verify", "-data", content, "-in", der, "-token_in",
				"-CAfile", rootPEM, "-untrusted", untrusted).CombinedOutput()
			assert.NoError(t, err, "openssl ts -verify (document time-stamp %d):\n%s", i, o)
			continue
		}
		o, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", der,
			"-content", content, "-CAfile", rootPEM, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
		assert.NoError(t, err, "openssl cms -verify (signature %d):\n%s", i, o)
		sd, err := cms.Parse(s.der)
		require.NoError(t, err)
		if tok, ok := sd.Signers[0].SignatureTimeStampToken(); ok {
			tokPath := filepath.Join(dir, "tst"+strconv.Itoa(i))
			valPath := filepath.Join(dir, "sigvalue"+strconv.Itoa(i))
			require.NoError(t, os.WriteFile(tokPath, tok, 0o600))
			require.NoError(t, os.WriteFile(valPath, sd.Signers[0].Signature, 0o600))
			o, err := exec.Command(openssl, "ts", "-verify", "-data", valPath, "-in", tokPath, "-token_in",
				"-CAfile", rootPEM, "-untrusted", untrusted).CombinedOutput()
			assert.NoError(t, err, "openssl ts -verify (signature time-stamp %d):\n%s", i, o)
		}
	}
}
