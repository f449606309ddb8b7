// Package openssltest runs OpenSSL as the time-stamping authority, OCSP responder and
// CRL issuer of tests: servers kyso did not write, on 127.0.0.1 only.
//
//   - TSA: an HTTP handler on 127.0.0.1 that answers each RFC 3161 request by running
//     "openssl ts -reply" with a generated configuration (TSAConfig).
//   - OCSP: "openssl ocsp -index … -port …" itself (StartOCSP). Its -port takes no
//     host and binds every interface, so a test that starts it calls InPrivateNetwork
//     first: the test is then re-run inside a user and network namespace where only a
//     loopback interface exists.
//   - CRLs: "openssl ca -gencrl" (CA.GenCRL), served by a plain http.FileServer.
//
// A test needing openssl fails when the environment variable CI is set and openssl is
// missing, and is skipped otherwise (Tool).
package openssltest

import (
	"bufio"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Tool returns the path of an external tool. Missing, it fails the test when CI is
// set and skips it otherwise.
func Tool(t testing.TB, name string) string {
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

// WritePEM writes certificates as PEM into dir/name and returns the path.
func WritePEM(t testing.TB, dir, name string, certs ...*x509.Certificate) string {
	t.Helper()
	var b strings.Builder
	for _, c := range certs {
		b.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// WriteKey writes key as unencrypted PKCS #8 PEM into dir/name and returns the path.
func WriteKey(t testing.TB, dir, name string, key crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// IndexLine is one line of an openssl CA database (index.txt) for c: valid, or
// revoked at revokedAt for reason (an openssl reason name such as "keyCompromise";
// empty: no reason, so that a CRL entry has no extension).
func IndexLine(c *x509.Certificate, revokedAt time.Time, reason string) string {
	serial := strings.ToUpper(c.SerialNumber.Text(16))
	if len(serial)%2 == 1 {
		serial = "0" + serial
	}
	exp := c.NotAfter.UTC().Format("060102150405Z")
	if revokedAt.IsZero() {
		return fmt.Sprintf("V\t%s\t\t%s\tunknown\t/CN=%s\n", exp, serial, serial)
	}
	when := revokedAt.UTC().Format("060102150405Z")
	if reason != "" {
		when += "," + reason
	}
	return fmt.Sprintf("R\t%s\t%s\t%s\tunknown\t/CN=%s\n", exp, when, serial, serial)
}

// FreePort returns a port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// privateNetworkEnv marks a test process re-run inside its own network namespace.
const privateNetworkEnv = "KYSO_TEST_PRIVATE_NETWORK"

// InPrivateNetwork makes the calling top-level test run where nothing but a loopback
// interface exists, for servers such as "openssl ocsp" that cannot be told to listen on
// 127.0.0.1 only. It re-runs the test binary for this one test under "unshare -rn" (a
// user and network namespace) and reports its result: the caller returns when
// InPrivateNetwork returns false, and goes on (inside the namespace, or where
// namespaces are unavailable) when it returns true.
func InPrivateNetwork(t *testing.T) bool {
	t.Helper()
	if os.Getenv(privateNetworkEnv) == "1" {
		ip := "ip"
		for _, p := range []string{"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"} {
			if _, err := os.Stat(p); err == nil {
				ip = p
				break
			}
		}
		if out, err := exec.Command(ip, "link", "set", "lo", "up").CombinedOutput(); err != nil {
			t.Fatalf("bringing up the loopback interface of the private network: %v: %s", err, out)
		}
		return true
	}
	unshare, err := exec.LookPath("unshare")
	if err == nil {
		err = exec.Command(unshare, "-rn", "true").Run()
	}
	if err != nil {
		t.Logf("no private network namespace (%v): openssl listens on every interface while this test runs", err)
		return true
	}
	cmd := exec.Command(unshare, "-rn", "--", os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), privateNetworkEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("%s inside a private network namespace: %v\n%s", t.Name(), err, out)
	}
	if testing.Verbose() {
		t.Logf("passed inside a private network namespace (only a loopback interface):\n%s", out)
	} else {
		t.Logf("passed inside a private network namespace (only a loopback interface)")
	}
	return false
}

// StartOCSP runs "openssl ocsp -index … -port PORT" with args (the index, -CA,
// -rsigner, -rkey, -nmin, …) in dir on a free port and returns its URL on 127.0.0.1.
// It listens on every interface: call InPrivateNetwork first. It waits for openssl to
// say it is listening (a probe connection would wedge its single-threaded server) and
// stops it when the test ends.
func StartOCSP(t testing.TB, dir string, args ...string) string {
	t.Helper()
	for attempt := 0; attempt < 5; attempt++ {
		if url, ok := startOCSP(t, dir, FreePort(t), args); ok {
			return url
		}
	}
	t.Fatal("could not start openssl ocsp")
	return ""
}

// StartOCSPAt is StartOCSP on a given port (the one the certificates name); it fails
// the test when openssl cannot listen there.
func StartOCSPAt(t testing.TB, dir string, port int, args ...string) string {
	t.Helper()
	url, ok := startOCSP(t, dir, port, args)
	if !ok {
		t.Fatalf("could not start openssl ocsp on port %d", port)
	}
	return url
}

func startOCSP(t testing.TB, dir string, port int, args []string) (string, bool) {
	t.Helper()
	openssl := Tool(t, "openssl")
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, openssl, append([]string{"ocsp", "-port", fmt.Sprint(port), "-ignore_err"}, args...)...)
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	var lines []string
	var mu sync.Mutex
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			lines = append(lines, sc.Text())
			mu.Unlock()
			if strings.Contains(sc.Text(), "waiting for OCSP client connections") {
				ready <- true
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if ok {
			t.Cleanup(func() { cancel(); cmd.Wait() })
			return fmt.Sprintf("http://127.0.0.1:%d", port), true
		}
	case <-time.After(20 * time.Second):
	}
	cancel()
	cmd.Wait()
	mu.Lock()
	t.Logf("openssl ocsp did not start on port %d: %s", port, strings.Join(lines, "\n"))
	mu.Unlock()
	return "", false
}

// CA is an openssl CA database in a directory, for "openssl ca -gencrl".
type CA struct {
	Dir       string
	Cert      *x509.Certificate
	certPath  string
	keyPath   string
	index     strings.Builder
	CRLNumber bool // write a CRL number (a crlnumber file)
	AKI       bool // write the authority key identifier extension
	// IDP, when set, writes a critical issuing distribution point extension naming
	// this URI (the CRL's own location).
	IDP        string
	NextUpdate time.Duration
}

// NewCA makes an openssl CA directory for cert and key. By default its CRLs carry a
// CRL number and an authority key identifier and are valid for a day.
func NewCA(t testing.TB, cert *x509.Certificate, key crypto.Signer) *CA {
	t.Helper()
	dir := t.TempDir()
	return &CA{Dir: dir, Cert: cert, certPath: WritePEM(t, dir, "ca.pem", cert), keyPath: WriteKey(t, dir, "ca-key.pem", key),
		CRLNumber: true, AKI: true, NextUpdate: 24 * time.Hour}
}

// Add lists c in the CA's database: valid, or revoked at revokedAt for reason.
func (ca *CA) Add(c *x509.Certificate, revokedAt time.Time, reason string) {
	ca.index.WriteString(IndexLine(c, revokedAt, reason))
}

// IndexPath writes the database and returns its path (for "openssl ocsp -index").
func (ca *CA) IndexPath(t testing.TB) string {
	t.Helper()
	p := filepath.Join(ca.Dir, "index.txt")
	if err := os.WriteFile(p, []byte(ca.index.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p+".attr", []byte("unique_subject = no\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// CertPath and KeyPath are the CA's certificate and key files.
func (ca *CA) CertPath() string { return ca.certPath }

// KeyPath is the CA's private key file (PKCS #8 PEM).
func (ca *CA) KeyPath() string { return ca.keyPath }

// GenCRL runs "openssl ca -gencrl" over the database and returns the CRL in DER.
func (ca *CA) GenCRL(t testing.TB) []byte {
	t.Helper()
	openssl := Tool(t, "openssl")
	index := ca.IndexPath(t)
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "[ ca ]\ndefault_ca = CA_default\n\n[ CA_default ]\n")
	fmt.Fprintf(&cfg, "database = %s\ncertificate = %s\nprivate_key = %s\ndefault_md = sha256\n", index, ca.certPath, ca.keyPath)
	if ca.CRLNumber {
		num := filepath.Join(ca.Dir, "crlnumber")
		if _, err := os.Stat(num); err != nil {
			if err := os.WriteFile(num, []byte("1000\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		fmt.Fprintf(&cfg, "crlnumber = %s\n", num)
	}
	if ca.AKI || ca.IDP != "" {
		fmt.Fprintf(&cfg, "crl_extensions = crl_ext\n\n[ crl_ext ]\n")
		if ca.AKI {
			fmt.Fprintf(&cfg, "authorityKeyIdentifier = keyid:always\n")
		}
		if ca.IDP != "" {
			fmt.Fprintf(&cfg, "issuingDistributionPoint = critical, @idp\n\n[ idp ]\nfullname = URI:%s\n", ca.IDP)
		}
	}
	cfgPath := filepath.Join(ca.Dir, "ca.cnf")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	pemPath := filepath.Join(ca.Dir, "crl.pem")
	derPath := filepath.Join(ca.Dir, "crl.der")
	hours := int(ca.NextUpdate / time.Hour)
	if hours < 1 {
		hours = 1
	}
	if out, err := exec.Command(openssl, "ca", "-gencrl", "-batch", "-config", cfgPath, "-crlhours", fmt.Sprint(hours), "-out", pemPath).CombinedOutput(); err != nil {
		t.Fatalf("openssl ca -gencrl: %v\n%s", err, out)
	}
	if out, err := exec.Command(openssl, "crl", "-in", pemPath, "-outform", "DER", "-out", derPath).CombinedOutput(); err != nil {
		t.Fatalf("openssl crl: %v\n%s", err, out)
	}
	der, err := os.ReadFile(derPath)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// ServeFiles serves dir with a plain http.FileServer on 127.0.0.1 and returns its URL.
func ServeFiles(t testing.TB, dir string) string {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TSAConfig is the [tsa] section of "openssl ts -reply": the shape of its tokens.
type TSAConfig struct {
	// Digest is the signer_digest of the token's SignerInfo; "" means sha256.
	Digest string
	// ESSv1 writes the ESS signing-certificate attribute (v1, SHA-1 certificate hash)
	// instead of signing-certificate-v2 (SHA-256).
	ESSv1 bool
	// ESSChain lists the whole chain in the ESS attribute (ess_cert_id_chain).
	ESSChain bool
	// Accuracy (1 s 500 ms 100 µs), Ordering and TSAName are optional TSTInfo fields;
	// Fractions gives genTime 3 fraction digits.
	Accuracy, Ordering, TSAName, Fractions bool
	// Policy is the default policy OID; "" means 1.2.3.4.1.
	Policy string
	// NoChain leaves the intermediates out of tokens: with certReq, only the TSA
	// certificate is in them.
	NoChain bool
}

// AccuracyValue is the accuracy a TSAConfig with Accuracy writes.
const AccuracyValue = time.Second + 500*time.Millisecond + 100*time.Microsecond

// DefaultPolicy is the policy of tokens when TSAConfig.Policy is empty.
const DefaultPolicy = "1.2.3.4.1"

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (c TSAConfig) text(dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[ tsa ]\ndefault_tsa = tsa_config\n\n[ tsa_config ]\n")
	fmt.Fprintf(&b, "dir = %s\nserial = $dir/serial\ncrypto_device = builtin\n", dir)
	fmt.Fprintf(&b, "signer_cert = $dir/tsa.pem\nsigner_key = $dir/tsa-key.pem\n")
	if !c.NoChain {
		fmt.Fprintf(&b, "certs = $dir/chain.pem\n")
	}
	digest := c.Digest
	if digest == "" {
		digest = "sha256"
	}
	policy := c.Policy
	if policy == "" {
		policy = DefaultPolicy
	}
	fmt.Fprintf(&b, "signer_digest = %s\ndefault_policy = %s\nother_policies = 1.2.3.4.5.6\n", digest, policy)
	fmt.Fprintf(&b, "digests = sha1, sha256, sha384, sha512\n")
	if c.Accuracy {
		fmt.Fprintf(&b, "accuracy = secs:1, millisecs:500, microsecs:100\n")
	}
	digits := 0
	if c.Fractions {
		digits = 3
	}
	fmt.Fprintf(&b, "clock_precision_digits = %d\n", digits)
	fmt.Fprintf(&b, "ordering = %s\ntsa_name = %s\ness_cert_id_chain = %s\n", yesNo(c.Ordering), yesNo(c.TSAName), yesNo(c.ESSChain))
	alg := "sha256"
	if c.ESSv1 {
		alg = "sha1"
	}
	fmt.Fprintf(&b, "ess_cert_id_alg = %s\n", alg)
	return b.String()
}

// StartTSA serves RFC 3161 on 127.0.0.1: every request is answered by "openssl ts
// -reply" signing with cert and key, chain (the intermediates) going into tokens when
// the request asks for certificates. It returns the URL; the server stops when the
// test ends.
func StartTSA(t testing.TB, cfg TSAConfig, cert *x509.Certificate, key crypto.Signer, chain ...*x509.Certificate) string {
	t.Helper()
	openssl := Tool(t, "openssl")
	dir := t.TempDir()
	WriteKey(t, dir, "tsa-key.pem", key)
	WritePEM(t, dir, "tsa.pem", cert)
	WritePEM(t, dir, "chain.pem", chain...)
	if err := os.WriteFile(filepath.Join(dir, "serial"), []byte("1000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "tsa.cnf")
	if err := os.WriteFile(cfgPath, []byte(cfg.text(dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if err != nil || r.Method != http.MethodPost {
			http.Error(w, "POST an application/timestamp-query", http.StatusBadRequest)
			return
		}
		// openssl keeps its serial number in a file: one request at a time.
		mu.Lock()
		defer mu.Unlock()
		n++
		q := filepath.Join(dir, fmt.Sprintf("q%d.tsq", n))
		out := filepath.Join(dir, fmt.Sprintf("r%d.tsr", n))
		if err := os.WriteFile(q, body, 0o600); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if o, err := exec.Command(openssl, "ts", "-reply", "-config", cfgPath, "-queryfile", q, "-out", out).CombinedOutput(); err != nil {
			http.Error(w, fmt.Sprintf("openssl ts -reply: %v: %s", err, o), http.StatusInternalServerError)
			return
		}
		resp, err := os.ReadFile(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(resp)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
