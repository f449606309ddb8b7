package signature_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signTestKeys is a test root CA and signers (RSA-2048, ECDSA P-256, P-384), made once
// per test binary because RSA key generation is slow.
type signTestKeys struct {
	root    *x509.Certificate
	rootKey crypto.Signer
	byName  map[string]signTestSigner
}

type signTestSigner struct {
	key   crypto.Signer
	chain []*x509.Certificate // leaf, root
}

var (
	signKeysOnce sync.Once
	signKeys     *signTestKeys
)

func signTestPKI(t testing.TB) *signTestKeys {
	t.Helper()
	signKeysOnce.Do(func() {
		rootKey, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject: pkix.Name{Country: []string{"VN"}, Organization: []string{"Ban Cơ yếu Chính phủ"},
				CommonName: "kyso test RootCA"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(48 * time.Hour),
			IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, rootKey.Public(), rootKey)
		if err != nil {
			panic(err)
		}
		root, _ := x509.ParseCertificate(der)
		k := &signTestKeys{root: root, rootKey: rootKey, byName: map[string]signTestSigner{}}
		rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		for i, s := range []struct {
			name string
			key  crypto.Signer
		}{{"rsa", rsaKey}, {"p256", p256}, {"p384", p384}} {
			leaf := &x509.Certificate{
				SerialNumber: big.NewInt(int64(10 + i)),
				Subject: pkix.Name{Country: []string{"VN"}, Province: []string{"Hà Tĩnh"},
					Organization: []string{"UBND tỉnh Hà Tĩnh"}, CommonName: "Nguyễn Văn Lĩnh"},
				NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(48 * time.Hour),
				KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
				ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
			}
			der, err := x509.CreateCertificate(rand.Reader, leaf, root, s.key.Public(), rootKey)
			if err != nil {
				panic(err)
			}
			c, _ := x509.ParseCertificate(der)
			k.byName[s.name] = signTestSigner{key: s.key, chain: []*x509.Certificate{c, root}}
		}
		signKeys = k
	})
	return signKeys
}

// signTestTool returns the path of an external tool, skipping the test when it is
// missing (failing it when CI is set).
func signTestTool(t *testing.T, name string) string {
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

// signTestCheck is what one signed output must satisfy.
type signTestCheck struct {
	in, out    []byte
	password   string // user password of an encrypted file
	signatures int    // signatures expected in the output
	rootPEM    string // path of the CA certificate for openssl
	// qpdfLenient skips qpdf --check for inputs qpdf already rejects (broken
	// corpus files that viewers repair).
	qpdfLenient bool
	// pss: the signature must be RSASSA-PSS (openssl accepts PKCS#1 v1.5 as well, so
	// this is checked on the CMS).
	pss bool
}

var byteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// run checks the output with pdfsig, qpdf --check and openssl cms -verify over the
// last signature's byte ranges, and that the input is an unchanged prefix.
func (c signTestCheck) run(t *testing.T) {
	t.Helper()
	require.True(t, bytes.HasPrefix(c.out, c.in), "the original must be an unchanged prefix of the output")
	dir := t.TempDir()
	path := filepath.Join(dir, "signed.pdf")
	require.NoError(t, os.WriteFile(path, c.out, 0o600))

	pdfsig := signTestTool(t, "pdfsig")
	args := []string{"-nocert", "-no-ocsp"}
	if c.password != "" {
		args = append(args, "-upw", c.password)
	}
	out, _ := exec.Command(pdfsig, append(args, path)...).CombinedOutput()
	text := string(out)
	assert.Equal(t, c.signatures, strings.Count(text, "Signature is Valid."), "pdfsig:\n%s", text)
	i := strings.LastIndex(text, "Signature #")
	require.GreaterOrEqual(t, i, 0, "pdfsig found no signature:\n%s", text)
	assert.Contains(t, text[i:], "Total document signed", "pdfsig:\n%s", text)
	assert.Contains(t, text[i:], "ETSI.CAdES.detached", "pdfsig:\n%s", text)

	qpdf := signTestTool(t, "qpdf")
	qargs := []string{"--check"}
	if c.password != "" {
		qargs = append(qargs, "--password="+c.password)
	}
	if qout, err := exec.Command(qpdf, append(qargs, path)...).CombinedOutput(); !c.qpdfLenient {
		assert.NoError(t, err, "qpdf --check:\n%s", qout)
	}

	// The last /ByteRange in the file is the new signature's (pdf strings of an
	// encrypted file are encrypted, but /ByteRange is numbers and /Contents is exempt).
	ms := byteRangeRE.FindAllSubmatch(c.out, -1)
	require.NotEmpty(t, ms)
	m := ms[len(ms)-1]
	var br [4]int
	for i := range br {
		br[i], _ = strconv.Atoi(string(m[i+1]))
	}
	require.Equal(t, len(c.out), br[2]+br[3], "the byte range must reach the end of the file")
	content := append(append([]byte{}, c.out[br[0]:br[1]]...), c.out[br[2]:br[2]+br[3]]...)
	hexCMS := c.out[br[1]+1 : br[2]-1]
	der := make([]byte, len(hexCMS)/2)
	_, err := hex.Decode(der, hexCMS)
	require.NoError(t, err)
	der = der[:derLength(der)]
	openssl := signTestTool(t, "openssl")
	contentPath := filepath.Join(dir, "content.bin")
	cmsPath := filepath.Join(dir, "sig.der")
	require.NoError(t, os.WriteFile(contentPath, content, 0o600))
	require.NoError(t, os.WriteFile(cmsPath, der, 0o600))
	oout, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", cmsPath,
		"-content", contentPath, "-CAfile", c.rootPEM, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	assert.NoError(t, err, "openssl cms -verify:\n%s", oout)
	checkBaselineCMS(t, der, content)
	if c.pss {
		sd, err := cms.Parse(der)
		require.NoError(t, err)
		assert.Equal(t, cms.OIDRSASSAPSS.String(), sd.Signers[0].SignatureAlgorithm.Algorithm.String(), "RSASSA-PSS asked for")
	}
}

// checkBaselineCMS checks what PAdES B-B (ETSI EN 319 142-1 §6.3) asks of the CMS
// embedded in a signed PDF: detached id-data content; content-type, message-digest (of
// the byte ranges) and ESS signing-certificate-v2 (naming the signer certificate)
// signed attributes; no signing-time; the signer's certificate and its chain (here:
// the test root) in the certificates field; no SHA-1 anywhere. digitorus/pkcs7 parses
// it too.
func checkBaselineCMS(t *testing.T, der, content []byte) {
	t.Helper()
	sd, err := cms.Parse(der)
	require.NoError(t, err)
	assert.True(t, sd.ContentType.Equal(cms.OIDData), "encapsulated content type")
	assert.Empty(t, sd.Content, "detached: no encapsulated content")
	require.Len(t, sd.Signers, 1)
	si := sd.Signers[0]
	assert.NotEqual(t, crypto.SHA1, si.Hash)
	ct, err := si.ContentTypeAttribute()
	require.NoError(t, err)
	assert.True(t, ct.Equal(cms.OIDData), "content-type attribute")
	md, err := si.MessageDigest()
	require.NoError(t, err)
	h := si.Hash.New()
	h.Write(content)
	assert.Equal(t, h.Sum(nil), md, "message-digest is the digest of the byte ranges")
	_, hasTime := si.Attribute(cms.OIDAttributeSigningTime)
	assert.False(t, hasTime, "PAdES baseline forbids the signing-time attribute")
	_, hasV1 := si.Attribute(cms.OIDAttributeSigningCert)
	assert.False(t, hasV1, "signing-certificate v1 (SHA-1) must not be used")
	ess, err := si.SigningCertificate()
	require.NoError(t, err, "signing-certificate-v2 attribute")
	signer, err := sd.SignerCertificate(si)
	require.NoError(t, err)
	assert.True(t, ess.Matches(signer), "signing-certificate-v2 names the signer certificate")
	assert.GreaterOrEqual(t, len(sd.Certificates), 2, "the chain goes into the certificates field")
	require.NoError(t, si.CheckSignature(signer.PublicKey, nil))
	p7, err := pkcs7.Parse(der)
	require.NoError(t, err, "digitorus/pkcs7 parses the CMS")
	assert.Len(t, p7.Certificates, len(sd.Certificates))
}

// derLength returns the length of the DER element at the start of b.
func derLength(b []byte) int {
	if len(b) < 2 {
		return len(b)
	}
	if b[1] < 0x80 {
		return 2 + int(b[1])
	}
	k := int(b[1] & 0x7f)
	n := 0
	for _, c := range b[2 : 2+k] {
		n = n<<8 | int(c)
	}
	return 2 + k + n
}

func writeRootPEM(t *testing.T, root *x509.Certificate) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "root.pem")
	require.NoError(t, os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw}), 0o600))
	return p
}
