package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"
	"software.sslmate.com/src/go-pkcs12"
)

func pkiCLI(env map[string]string) (*cli, *lockedBuffer, *lockedBuffer) {
	out, errs := &lockedBuffer{}, &lockedBuffer{}
	return &cli{stdin: strings.NewReader(""), stdout: out, stderr: errs, getenv: func(k string) string { return env[k] }}, out, errs
}

func pkiFreeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func TestPKIInitAndServe(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pki")
	addr := pkiFreeAddr(t)
	env := map[string]string{"KYSO_PKI_PASS": "mật khẩu thử"}
	c, out, errs := pkiCLI(env)
	code := run(context.Background(), c, []string{"pki", "init", "-dir", dir, "-addr", addr, "-pass-env", "KYSO_PKI_PASS"})
	require.Equal(t, exitOK, code, "stderr: %s", errs)
	assert.Contains(t, out.String(), "kyso pki serve -dir "+dir+" -addr "+addr)

	for _, name := range []string{"leader.p12", "org.p12", "deputy.p12", "clerk.p12", "device.p12", "root.pem", "ca.pem", "chain.pem", "README.txt"} {
		assert.FileExists(t, filepath.Join(dir, name))
	}
	p12, err := os.ReadFile(filepath.Join(dir, "leader.p12"))
	require.NoError(t, err)
	key, leader, chain, err := pkcs12.DecodeChain(p12, "mật khẩu thử")
	require.NoError(t, err)
	require.NotNil(t, key)
	require.Len(t, chain, 2)
	assert.Equal(t, []string{"http://" + addr + "/ocsp"}, leader.OCSPServer)
	fi, err := os.Stat(filepath.Join(dir, "leader.p12"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm(), "a new directory with private keys is private")
	for _, name := range []string{"root-key.pem", "ca-key.pem", "tsa-key.pem", "ocsp-key.pem"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), name)
	}

	// A second init into the same directory is refused and changes nothing.
	before, _ := os.ReadFile(filepath.Join(dir, "root.pem"))
	c2, _, errs2 := pkiCLI(env)
	assert.Equal(t, exitFailure, run(context.Background(), c2, []string{"pki", "init", "-dir", dir, "-addr", addr, "-pass-env", "KYSO_PKI_PASS"}))
	assert.Contains(t, errs2.String(), "already holds a test PKI")
	after, _ := os.ReadFile(filepath.Join(dir, "root.pem"))
	assert.Equal(t, before, after)

	// Serve until the context is cancelled.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sc, sout, serrs := pkiCLI(nil)
	done := make(chan int, 1)
	go func() { done <- run(ctx, sc, []string{"pki", "serve", "-dir", dir, "-addr", addr}) }()
	require.Eventually(t, func() bool { return strings.Contains(sout.String(), "/tsa") }, 30*time.Second, 20*time.Millisecond,
		"stdout: %s stderr: %s", sout, serrs)
	assert.Contains(t, sout.String(), "OCSP http://"+addr+"/ocsp")

	root := chain[1]
	ck := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(root)})
	r := ck.Check(context.Background(), leader, chain[0], time.Time{})
	require.NoError(t, r.Err)
	assert.Equal(t, certstatus.StatusGood, r.Status)
	r = certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(root), Strategy: certstatus.CRLOnly}).
		Check(context.Background(), leader, chain[0], time.Time{})
	require.NoError(t, r.Err)

	digest := sha256.Sum256([]byte("văn bản"))
	tok, err := (&certstatus.TSAClient{URL: "http://" + addr + "/tsa", Checker: ck}).Timestamp(context.Background(), digest[:], crypto.SHA256)
	require.NoError(t, err)
	assert.NotEmpty(t, tok)

	aia, err := http.Get("http://" + addr + "/aia/ca.cer")
	require.NoError(t, err)
	aiaDER, _ := io.ReadAll(aia.Body)
	aia.Body.Close()
	assert.Equal(t, http.StatusOK, aia.StatusCode)
	assert.Equal(t, chain[0].Raw, aiaDER, "AIA serves the issuing CA")
	assert.NotContains(t, sout.String(), "ca-delta.crl", "no endpoint the CLI cannot make useful")

	req, err := ocsp.CreateRequest(leader, chain[0], nil)
	require.NoError(t, err)
	resp, err := http.Post("http://"+addr+"/ocsp", "application/ocsp-request", bytes.NewReader(req))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	answer, err := ocsp.ParseResponseForCert(body, leader, chain[0])
	require.NoError(t, err)
	assert.Equal(t, ocsp.Good, answer.Status)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code, "stderr: %s", serrs)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop on cancellation")
	}
	assert.Contains(t, sout.String(), "stopped")
}

func TestPKIUsageAndFailures(t *testing.T) {
	tmp := t.TempDir()
	env := map[string]string{"PW": "x", "EMPTY": ""}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no subcommand", []string{"pki"}, exitUsage, "a subcommand is required: init, serve"},
		{"unknown subcommand", []string{"pki", "burn"}, exitUsage, "unknown subcommand"},
		{"help", []string{"pki", "-help"}, exitOK, "usage"},
		{"init without -dir", []string{"pki", "init", "-pass-env", "PW"}, exitUsage, "required"},
		{"init without -pass-env", []string{"pki", "init", "-dir", tmp}, exitUsage, "required"},
		{"init with a public address", []string{"pki", "init", "-dir", tmp, "-pass-env", "PW", "-addr", "0.0.0.0:80"}, exitUsage, "loopback"},
		{"init without a port", []string{"pki", "init", "-dir", tmp, "-pass-env", "PW", "-addr", "127.0.0.1:0"}, exitUsage, "fixed port"},
		{"init with an empty password", []string{"pki", "init", "-dir", tmp, "-pass-env", "EMPTY"}, exitFailure, "EMPTY is empty"},
		{"init with a bad flag", []string{"pki", "init", "-nope"}, exitUsage, "flag provided but not defined"},
		{"serve without -dir", []string{"pki", "serve"}, exitUsage, "required"},
		{"serve a directory that is no PKI", []string{"pki", "serve", "-dir", tmp}, exitFailure, "not a test PKI directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _, errs := pkiCLI(env)
			assert.Equal(t, tc.code, run(context.Background(), c, tc.args))
			assert.Contains(t, errs.String(), tc.msg)
		})
	}
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, entries, "failed commands leave no files")
}

// init never overwrites a file it would write, even without a pki.json beside it.
func TestPKIInitRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "leader.pem")
	require.NoError(t, os.WriteFile(mine, []byte("của tôi"), 0o644))
	c, _, errs := pkiCLI(map[string]string{"PW": "x"})
	assert.Equal(t, exitFailure, run(context.Background(), c, []string{"pki", "init", "-dir", dir, "-addr", pkiFreeAddr(t), "-pass-env", "PW"}))
	assert.Contains(t, errs.String(), "leader.pem already exists")
	got, err := os.ReadFile(mine)
	require.NoError(t, err)
	assert.Equal(t, "của tôi", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "nothing else written")
}
