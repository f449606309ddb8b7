package main

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// loadResult is one row of the load test: a flow at one concurrency.
type loadResult struct {
	Flow        string
	Concurrency int
	Requests    int
	Errors      int
	Elapsed     time.Duration
	P50, P99    time.Duration
	// ServerCPU is the portal process's CPU time (user and system) per flow.
	ServerCPU time.Duration
}

func (r loadResult) throughput() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// runLoad sends n flows with c at a time and measures each flow's latency. It is
// bounded in count (n) and in time (each request's client time-out), and sends only to
// the test server on 127.0.0.1.
func runLoad(name string, c, n int, flow func(*http.Client) error) loadResult {
	client := &http.Client{Timeout: 30 * time.Second}
	lat := make([]time.Duration, n)
	var (
		mu     sync.Mutex
		errs   int
		next   int
		wg     sync.WaitGroup
		start  = time.Now()
		takeID = func() int {
			mu.Lock()
			defer mu.Unlock()
			i := next
			next++
			return i
		}
	)
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := takeID(); i < n; i = takeID() {
				t0 := time.Now()
				err := flow(client)
				lat[i] = time.Since(t0)
				if err != nil {
					mu.Lock()
					errs++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(n-1, int(float64(n)*p))] }
	return loadResult{Flow: name, Concurrency: c, Requests: n, Errors: errs, Elapsed: elapsed, P50: pct(0.50), P99: pct(0.99)}
}

// verifyFlow posts a signed document to /api/verify.
func verifyFlow(url string, signed []byte) func(*http.Client) error {
	return func(cl *http.Client) error {
		resp, err := cl.Post(url+"/api/verify", "application/pdf", bytes.NewReader(signed))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("verify: %s", resp.Status)
		}
		return nil
	}
}

// encodeForm encodes a request's fields: as a JSON object with the files in base64,
// or as multipart/form-data with the files as file parts. It returns the content type
// and the body.
type encodeForm func(fields map[string][]byte, files ...string) (string, []byte)

func jsonForm(fields map[string][]byte, files ...string) (string, []byte) {
	m := make(map[string]string, len(fields))
	for name, v := range fields {
		m[name] = string(v)
		if slices.Contains(files, name) {
			m[name] = base64.StdEncoding.EncodeToString(v)
		}
	}
	b, _ := json.Marshal(m)
	return "application/json", b
}

func multipartForm(fields map[string][]byte, files ...string) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for name, v := range fields {
		var w io.Writer
		if slices.Contains(files, name) {
			w, _ = mw.CreateFormFile(name, name)
		} else {
			w, _ = mw.CreateFormField(name)
		}
		_, _ = w.Write(v)
	}
	_ = mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// signFlow is one user's two-step signing: prepare, sign the digest as the user's
// token would (RSASSA-PSS), complete; the document travels as form encodes it.
func signFlow(url string, h *certstatustest.Holder, doc []byte, form encodeForm) func(*http.Client) error {
	ct, prepBody := form(map[string][]byte{"pdf": doc, "chain": []byte(chainPEM(h))}, "pdf")
	return func(cl *http.Client) error {
		resp, err := cl.Post(url+"/api/prepare", ct, bytes.NewReader(prepBody))
		if err != nil {
			return err
		}
		var prep prepareResponse
		err = json.NewDecoder(resp.Body).Decode(&prep)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return fmt.Errorf("prepare: %s %v", resp.Status, err)
		}
		digest, err := base64.StdEncoding.DecodeString(prep.Digest)
		if err != nil {
			return err
		}
		sig, err := h.Key.Sign(rand.Reader, digest, &rsa.PSSOptions{SaltLength: prep.SaltLength, Hash: crypto.SHA256})
		if err != nil {
			return err
		}
		cct, body := form(map[string][]byte{"pdf": doc, "state": []byte(prep.State), "signature": []byte(base64.StdEncoding.EncodeToString(sig))}, "pdf")
		resp, err = cl.Post(url+"/api/complete", cct, bytes.NewReader(body))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("complete: %s", resp.Status)
		}
		return nil
	}
}

// TestLoad is a bounded load test of one portal on 127.0.0.1: verification and
// two-step signing at several concurrencies. By default it runs a few requests to
// prove the harness; with KYSO_PORTAL_LOAD=FILE it runs the full measurement and
// writes the table of BENCHMARKS.md to FILE.
//
// The portal runs in a process of its own (this test binary again, see
// TestHelperPortalProcess), so that its CPU time per flow is the server's alone, as
// the issue measured it, apart from the load generator's signing and encoding.
func TestLoad(t *testing.T) {
	out := os.Getenv("KYSO_PORTAL_LOAD")
	levels, perLevel := []int{1, 4}, 8
	if out != "" {
		levels, perLevel = []int{1, 4, 16, 64}, 200
	}
	loadBefore := loadAverage()
	pki := certstatustest.NewPKI(t)
	srv := startPortalProcess(t, pki)
	doc := pdftest.Classic()
	signed := signThroughPortal(t, srv.url, pki.Leader, doc, nil)

	measure := func(name string, c, n int, flow func(*http.Client) error) loadResult {
		cpu0 := srv.cpu(t)
		r := runLoad(name, c, n, flow)
		r.ServerCPU = (srv.cpu(t) - cpu0) / time.Duration(n)
		return r
	}
	var rows []loadResult
	for _, c := range levels {
		rows = append(rows, measure("verify", c, perLevel, verifyFlow(srv.url, signed)))
		rows = append(rows, measure("prepare+complete", c, perLevel, signFlow(srv.url, pki.Leader, doc, jsonForm)))
	}
	// A 10 MB document, base64 in JSON against multipart: the JSON path streams its
	// base64, so the two should cost about the same.
	big := pdftest.OnePage(10 << 20)
	if out == "" {
		big = pdftest.OnePage(1 << 20)
	}
	n := max(2, perLevel/20)
	rows = append(rows, measure(fmt.Sprintf("prepare+complete %.1f MB, JSON", float64(len(big))/(1<<20)), 1, n, signFlow(srv.url, pki.Leader, big, jsonForm)))
	rows = append(rows, measure(fmt.Sprintf("prepare+complete %.1f MB, multipart", float64(len(big))/(1<<20)), 1, n, signFlow(srv.url, pki.Leader, big, multipartForm)))
	var md strings.Builder
	fmt.Fprintf(&md, "| flow | concurrency | requests | errors | throughput (flows/s) | p50 | p99 | server CPU per flow |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		assert.Zero(t, r.Errors, "%s at %d", r.Flow, r.Concurrency)
		fmt.Fprintf(&md, "| %s | %d | %d | %d | %.1f | %s | %s | %s |\n", r.Flow, r.Concurrency, r.Requests, r.Errors,
			r.throughput(), r.P50.Round(100*time.Microsecond), r.P99.Round(100*time.Microsecond), r.ServerCPU.Round(100*time.Microsecond))
	}
	fmt.Fprintf(&md, "\n%d CPUs; load average (1, 5, 15 min) before: %s; after: %s\n", runtime.NumCPU(), loadBefore, loadAverage())
	t.Logf("load:\n%s", md.String())
	if out != "" {
		require.NoError(t, os.WriteFile(out, []byte(md.String()), 0o644))
	}
}

// loadAverage is the first three fields of /proc/loadavg, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// portalProcess is a portal served by a child process on 127.0.0.1.
type portalProcess struct {
	url string
	pid int
}

// cpu is the CPU time (user and system) the portal's process has used so far, read
// from /proc/PID/stat in clock ticks of 1/100 s (Linux's USER_HZ).
func (p *portalProcess) cpu(t *testing.T) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid))
	require.NoError(t, err, "the load test reads the server's CPU time from /proc (Linux)")
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // from field 3, the state
	require.GreaterOrEqual(t, len(f), 13, "%s", s)
	utime, err := strconv.ParseInt(f[11], 10, 64)
	require.NoError(t, err)
	stime, err := strconv.ParseInt(f[12], 10, 64)
	require.NoError(t, err)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// envLoadServer names the file holding the trusted root (PEM) for
// TestHelperPortalProcess; set only in the child process TestLoad starts.
const envLoadServer = "KYSO_PORTAL_LOAD_SERVER_ROOT"

// startPortalProcess runs TestHelperPortalProcess in a child process trusting the
// test PKI's root, and stops it at the end of the test.
func startPortalProcess(t *testing.T, pki *certstatustest.PKI) *portalProcess {
	t.Helper()
	root := filepath.Join(t.TempDir(), "root.pem")
	require.NoError(t, os.WriteFile(root, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pki.Root.Cert.Raw}), 0o600))
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPortalProcess$", "-test.count=1", "-test.timeout=0")
	cmd.Env = append(os.Environ(), envLoadServer+"="+root)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = stdin.Close() // the child stops when its standard input closes
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "the portal process did not start")
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	require.True(t, ok, "%q", line)
	return &portalProcess{url: "http://" + addr, pid: cmd.Process.Pid}
}

// TestHelperPortalProcess is the portal process of TestLoad, not a test of its own: it
// serves the portal on 127.0.0.1 until its standard input closes. Without the variable
// TestLoad sets, it returns at once.
func TestHelperPortalProcess(t *testing.T) {
	rootFile := os.Getenv(envLoadServer)
	if rootFile == "" {
		return
	}
	b, err := os.ReadFile(rootFile)
	require.NoError(t, err)
	block, _ := pem.Decode(b)
	require.NotNil(t, block)
	root, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	srv, err := NewServer(Config{StateKey: testKey, Trust: certstatus.NewTrustStore(root), MaxBody: 32 << 20, MaxInFlight: 256})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	fmt.Printf("listening %s\n", ln.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = hs.Close()
}
