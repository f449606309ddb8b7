package certstatustest_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"
	"software.sslmate.com/src/go-pkcs12"
)

func TestHierarchyShape(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	assert.Equal(t, "RootCA chuyên dùng Chính phủ Test G2", pki.Root.Cert.Subject.CommonName)
	assert.Equal(t, "CA phục vụ các cơ quan Nhà nước G2 Test", pki.CA.Cert.Subject.CommonName)
	assert.True(t, pki.CA.Cert.MaxPathLenZero)
	assert.True(t, strings.HasPrefix(pki.URL, "http://127.0.0.1:"))

	for _, h := range pki.Holders()[2:] {
		t.Run(h.Name, func(t *testing.T) {
			c := h.Cert
			assert.Equal(t, []string{pki.OCSPURL}, c.OCSPServer)
			assert.Equal(t, []string{pki.URL + "/aia/ca.cer"}, c.IssuingCertificateURL)
			assert.Equal(t, []string{pki.CRLURL}, c.CRLDistributionPoints)
			require.Len(t, h.Chain, 3)
			_, err := c.Verify(x509.VerifyOptions{Roots: pki.Roots(), Intermediates: pool(pki.CA.Cert),
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
			assert.NoError(t, err)
			require.NotNil(t, h.Key)
			d := sha256.Sum256([]byte("ký số"))
			sig, err := h.Key.Sign(rand.Reader, d[:], crypto.SHA256)
			require.NoError(t, err)
			assert.NoError(t, c.CheckSignature(x509.SHA256WithRSA, []byte("ký số"), sig))
		})
	}
	assert.Equal(t, []string{pki.RootCRLURL}, pki.CA.Cert.CRLDistributionPoints)
}

func pool(certs ...*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}

func TestVietnameseNamesAsOpenSSLPrintsThem(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	pki := certstatustest.NewPKI(t)
	cmd := exec.Command(openssl, "x509", "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb")
	cmd.Stdin = bytes.NewReader(pki.Leader.CertPEM())
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Equal(t, "subject=emailAddress=nvthang@quangninh.gov.vn,title=Chủ tịch,CN=Nguyễn Văn Thắng,"+
		"OU=Văn phòng Ủy ban nhân dân tỉnh,O=Ủy ban nhân dân tỉnh Quảng Ninh,L=Quảng Ninh,C=VN\n", string(out))
}

func TestPKCS12AndKeyExport(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	p12, err := pki.Leader.PKCS12("mật-khẩu")
	require.NoError(t, err)
	key, cert, cas, err := pkcs12.DecodeChain(p12, "mật-khẩu")
	require.NoError(t, err)
	assert.True(t, cert.Equal(pki.Leader.Cert))
	require.Len(t, cas, 2)
	assert.True(t, key.(crypto.Signer).Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(pki.Leader.Cert.PublicKey))
	_, _, _, err = pkcs12.DecodeChain(p12, "sai")
	assert.Error(t, err)

	pemKey, err := pki.Org.KeyPEM()
	require.NoError(t, err)
	assert.Contains(t, string(pemKey), "BEGIN PRIVATE KEY")
}

func TestIssueExpireAndExternalKeys(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	exp, err := pki.Expire(pki.Leader)
	require.NoError(t, err)
	assert.True(t, exp.Cert.NotAfter.Before(time.Now()))
	assert.Equal(t, pki.Leader.Cert.RawSubject, exp.Cert.RawSubject)
	assert.True(t, exp.Cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(pki.Leader.Cert.PublicKey))
	assert.NotEqual(t, 0, exp.Cert.SerialNumber.Cmp(pki.Leader.Cert.SerialNumber))

	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	h, err := pki.IssueWithKey("token-key", &x509.Certificate{
		RawSubject: certstatustest.Name(certstatustest.C("VN"), certstatustest.CN("Khóa trong token")),
		KeyUsage:   x509.KeyUsageDigitalSignature,
	}, k.Public(), nil)
	require.NoError(t, err)
	assert.Nil(t, h.Key)
	assert.True(t, h.Cert.PublicKey.(*ecdsa.PublicKey).Equal(k.Public()))
}

func TestOnlyLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:80", "example.com:80", "nonsense"} {
		_, err := certstatustest.NewServer(certstatustest.Options{Addr: addr})
		assert.Error(t, err, addr)
	}
	_, err := certstatustest.Generate(certstatustest.Options{Addr: "127.0.0.1:0"})
	assert.Error(t, err, "files need a fixed port")
}

func TestFilesLoadAndServe(t *testing.T) {
	port := freePort(t)
	gen, err := certstatustest.Generate(certstatustest.Options{Addr: port})
	require.NoError(t, err)
	files, err := gen.Files("mật khẩu")
	require.NoError(t, err)
	for _, name := range []string{"pki.json", "README.txt", "root.pem", "ca.pem", "chain.pem", "leader.p12", "org.p12",
		"device.p12", "tsa.p12", "ocsp.p12", "ca-key.pem", "tsa-key.pem", "ocsp-key.pem", "root-key.pem"} {
		assert.Contains(t, files, name)
	}
	assert.NotContains(t, files, "leader-key.pem", "subscriber keys only in password-protected files")
	dir := t.TempDir()
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}

	loaded, err := certstatustest.Load(dir, "")
	require.NoError(t, err)
	assert.Nil(t, loaded.Leader.Key, "no password, no subscriber keys")
	require.NoError(t, loaded.Start())
	defer loaded.Close()
	assert.Equal(t, gen.URL, loaded.URL)

	req, err := ocsp.CreateRequest(gen.Leader.Cert, gen.CA.Cert, nil)
	require.NoError(t, err)
	resp, err := http.Post(loaded.OCSPURL, "application/ocsp-request", bytes.NewReader(req))
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	answer, err := ocsp.ParseResponseForCert(body, gen.Leader.Cert, gen.CA.Cert)
	require.NoError(t, err)
	assert.Equal(t, ocsp.Good, answer.Status)

	withKeys, err := certstatustest.Load(dir, "mật khẩu")
	require.NoError(t, err)
	require.NotNil(t, withKeys.Leader.Key)
	_, err = certstatustest.Load(dir, "sai")
	assert.Error(t, err)
	_, err = certstatustest.Load(t.TempDir(), "")
	assert.Error(t, err)
}

func TestOCSPGetWithSlashesInBase64(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	req, err := ocsp.CreateRequest(pki.Leader.Cert, pki.CA.Cert, nil)
	require.NoError(t, err)
	// Whatever the request, a path with "//" must reach the responder, not a redirect.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/ocsp/" + base64.StdEncoding.EncodeToString(req), "/ocsp//" + base64.StdEncoding.EncodeToString(req)} {
		resp, err := client.Get(pki.URL + path)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		answer, err := ocsp.ParseResponseForCert(body, pki.Leader.Cert, pki.CA.Cert)
		require.NoError(t, err, path)
		assert.Equal(t, ocsp.Good, answer.Status)
	}
	resp, err := http.Get(pki.URL + "/nothing")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}
