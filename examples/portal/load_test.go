package main

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
func TestLoad(t *testing.T) {
	out := os.Getenv("KYSO_PORTAL_LOAD")
	levels, perLevel := []int{1, 4}, 8
	if out != "" {
		levels, perLevel = []int{1, 4, 16, 64}, 200
	}
	pki := certstatustest.NewPKI(t)
	ts := startPortal(t, pki, func(c *Config) { c.MaxInFlight = 256; c.MaxBody = 32 << 20 })
	doc := pdftest.Classic()
	signed := signThroughPortal(t, ts.URL, pki.Leader, doc, nil)

	var rows []loadResult
	for _, c := range levels {
		rows = append(rows, runLoad("verify", c, perLevel, verifyFlow(ts.URL, signed)))
		rows = append(rows, runLoad("prepare+complete", c, perLevel, signFlow(ts.URL, pki.Leader, doc, jsonForm)))
	}
	// A 10 MB document, base64 in JSON against multipart: the JSON path streams its
	// base64, so the two should cost about the same.
	big := pdftest.OnePage(10 << 20)
	if out == "" {
		big = pdftest.OnePage(1 << 20)
	}
	n := max(2, perLevel/20)
	rows = append(rows, runLoad(fmt.Sprintf("prepare+complete %.1f MB, JSON", float64(len(big))/(1<<20)), 1, n, signFlow(ts.URL, pki.Leader, big, jsonForm)))
	rows = append(rows, runLoad(fmt.Sprintf("prepare+complete %.1f MB, multipart", float64(len(big))/(1<<20)), 1, n, signFlow(ts.URL, pki.Leader, big, multipartForm)))
	var md strings.Builder
	fmt.Fprintf(&md, "| flow | concurrency | requests | errors | throughput (flows/s) | p50 | p99 |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		assert.Zero(t, r.Errors, "%s at %d", r.Flow, r.Concurrency)
		fmt.Fprintf(&md, "| %s | %d | %d | %d | %.1f | %s | %s |\n", r.Flow, r.Concurrency, r.Requests, r.Errors,
			r.throughput(), r.P50.Round(100*time.Microsecond), r.P99.Round(100*time.Microsecond))
	}
	t.Logf("load on %d CPUs:\n%s", runtime.NumCPU(), md.String())
	if out != "" {
		require.NoError(t, os.WriteFile(out, []byte(md.String()), 0o644))
	}
}
