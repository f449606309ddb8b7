package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
)

// testKey is the state key the test replicas share.
var testKey = []byte("0123456789abcdef0123456789abcdef-portal-test")

// startPortal starts a portal on 127.0.0.1 trusting the test PKI's root.
func startPortal(t *testing.T, pki *certstatustest.PKI, change func(*Config)) *httptest.Server {
	t.Helper()
	cfg := Config{StateKey: testKey, Trust: certstatus.NewTrustStore(pki.Root.Cert), MaxBody: 4 << 20}
	if change != nil {
		change(&cfg)
	}
	srv, err := NewServer(cfg)
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// apiAnswer is a decoded JSON answer: a prepare response or an error.
type apiAnswer struct {
	Status int
	prepareResponse
	Error *apiError `json:"error"`
	Body  []byte    `json:"-"`
}

func post(t *testing.T, url, contentType string, body []byte) apiAnswer {
	t.Helper()
	resp, err := http.Post(url, contentType, bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := apiAnswer{Status: resp.StatusCode, Body: b}
	if ct := resp.Header.Get("Content-Type"); ct == "application/json; charset=utf-8" {
		require.NoError(t, json.Unmarshal(b, &a), "%s", b)
	}
	return a
}

func postJSON(t *testing.T, url string, v any) apiAnswer {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return post(t, url, "application/json", b)
}

// postMultipart sends fields; names in files are sent as file parts.
func postMultipart(t *testing.T, url string, fields map[string][]byte, files ...string) apiAnswer {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	isFile := map[string]bool{}
	for _, f := range files {
		isFile[f] = true
	}
	for name, v := range fields {
		var w io.Writer
		var err error
		if isFile[name] {
			w, err = mw.CreateFormFile(name, name+".bin")
		} else {
			w, err = mw.CreateFormField(name)
		}
		require.NoError(t, err)
		_, err = w.Write(v)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return post(t, url, mw.FormDataContentType(), buf.Bytes())
}

func chainPEM(h *certstatustest.Holder) string {
	var b bytes.Buffer
	for _, c := range h.Chain[:2] { // signer and issuing CA; the root is the server's
		b.Write((&certstatustest.Holder{Cert: c}).CertPEM())
	}
	return b.String()
}

// prepareDoc asks the portal for the digest of pdf signed by h.
func prepareDoc(t *testing.T, url string, h *certstatustest.Holder, pdf []byte, extra map[string]string) apiAnswer {
	t.Helper()
	req := map[string]string{"pdf": base64.StdEncoding.EncodeToString(pdf), "chain": chainPEM(h)}
	for k, v := range extra {
		req[k] = v
	}
	a := postJSON(t, url+"/api/prepare", req)
	require.Equal(t, http.StatusOK, a.Status, "%s", a.Body)
	return a
}

// clientSign is the user's token: it signs the digest with RSASSA-PSS as the portal
// asked.
func clientSign(t *testing.T, h *certstatustest.Holder, prep apiAnswer) []byte {
	t.Helper()
	require.Equal(t, "RSASSA-PSS", prep.Algorithm)
	require.Equal(t, "SHA-256", prep.Hash)
	digest, err := base64.StdEncoding.DecodeString(prep.Digest)
	require.NoError(t, err)
	sig, err := h.Key.Sign(rand.Reader, digest, &rsa.PSSOptions{SaltLength: prep.SaltLength, Hash: crypto.SHA256})
	require.NoError(t, err)
	return sig
}

func completeDoc(t *testing.T, url, state string, sig, pdf []byte) apiAnswer {
	t.Helper()
	return postJSON(t, url+"/api/complete", map[string]string{
		"state": state, "signature": base64.StdEncoding.EncodeToString(sig), "pdf": base64.StdEncoding.EncodeToString(pdf),
	})
}

// needTool returns the path of an external tool, skipping the test when it is
// missing (failing under CI).
func needTool(t *testing.T, name string) string {
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

func pdfsig(t *testing.T, doc []byte) string {
	t.Helper()
	bin := needTool(t, "pdfsig")
	path := filepath.Join(t.TempDir(), "signed.pdf")
	require.NoError(t, os.WriteFile(path, doc, 0o644))
	out, _ := exec.CommandContext(context.Background(), bin, "-nocert", path).CombinedOutput()
	return string(out)
}

// selfSignedPEM is a certificate no server trusts.
func selfSignedPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Nguyễn Văn Giả"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func httptestRecorder(t *testing.T, h http.Handler, method, path, ctype, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
