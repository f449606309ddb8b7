package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe for the server's log and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunUsage(t *testing.T) {
	env := map[string]string{"SHORT": "short", "KEY": string(testKey)}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no state key", nil, "portal: -state-key-env VAR is required"},
		{"short state key", []string{"-state-key-env", "SHORT"}, "at least 32 bytes"},
		{"unset variable", []string{"-state-key-env", "UNSET"}, "at least 32 bytes"},
		{"B-LTA without a TSA", []string{"-state-key-env", "KEY", "-level", "B-LTA"}, "needs a time-stamping authority"},
		{"B-T", []string{"-state-key-env", "KEY", "-level", "B-T"}, "B-T is not offered"},
		{"missing trust file", []string{"-state-key-env", "KEY", "-trust", "/nonexistent/root.pem"}, "-trust /nonexistent/root.pem"},
		{"unknown policy profile", []string{"-state-key-env", "KEY", "-policy", "atlantis"}, "-policy atlantis"},
		{"extra argument", []string{"-state-key-env", "KEY", "file.pdf"}, `portal: unexpected arguments ["file.pdf"]`},
		{"unknown flag", []string{"-nope"}, "portal: flag provided but not defined: -nope (portal -help lists the flags)\n"},
		{"bad -max-body", []string{"-state-key-env", "KEY", "-max-body", "0"}, "portal: -max-body 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(context.Background(), tc.args, getenv, &stderr, nil)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr.String(), tc.want)
			assert.NotContains(t, stderr.String(), "usage: portal", "a usage error is one line, not the whole usage")
		})
	}
	var stderr bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"-help"}, getenv, &stderr, nil))
	assert.Contains(t, stderr.String(), "usage: portal")
	assert.Contains(t, stderr.String(), "-state-key-env")
	assert.Contains(t, stderr.String(), "exit status: 0")
}

// TestRunServes starts the command on a free 127.0.0.1 port, asks it something and
// stops it as SIGTERM would.
func TestRunServes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	addrc := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-state-key-env", "KEY", "-offline"},
			func(string) string { return string(testKey) }, &logs, func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case code := <-done:
		t.Fatalf("run exited with %d: %s", code, logs.String())
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "ok\n", string(b))

	resp, err = http.Post("http://"+addr+"/api/verify", "application/pdf", strings.NewReader("not a pdf"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(time.Minute):
		t.Fatal("the server did not stop")
	}
	out := logs.String()
	assert.Contains(t, out, `"msg":"request"`)
	assert.Contains(t, out, `"path":"/api/verify"`)
	assert.Contains(t, out, `"status":400`)
	assert.Contains(t, out, `"msg":"portal stopped"`)
}

// TestBusy: over MaxInFlight concurrent requests get 503 with Retry-After.
func TestBusy(t *testing.T) {
	srv, err := NewServer(Config{StateKey: testKey, MaxInFlight: 1, Offline: true})
	require.NoError(t, err)
	srv.slots <- struct{}{} // one request in flight
	rec := httptestRecorder(t, srv, "POST", "/api/verify", "application/pdf", "x")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "5", rec.Header().Get("Retry-After"))
	assert.Contains(t, rec.Body.String(), "Máy chủ đang bận")
	<-srv.slots
	rec = httptestRecorder(t, srv, "POST", "/api/verify", "application/pdf", "x")
	assert.Equal(t, http.StatusBadRequest, rec.Code)
}

// TestRoutes: wrong methods and paths get the mux's answers, not a handler's.
func TestRoutes(t *testing.T) {
	srv, err := NewServer(Config{StateKey: testKey, Offline: true})
	require.NoError(t, err)
	assert.Equal(t, http.StatusMethodNotAllowed, httptestRecorder(t, srv, "GET", "/api/prepare", "", "").Code)
	assert.Equal(t, http.StatusNotFound, httptestRecorder(t, srv, "GET", "/nothing", "", "").Code)
	assert.Equal(t, http.StatusOK, httptestRecorder(t, srv, "GET", "/", "", "").Code)
	// A result page reloaded or bookmarked goes back to the form; another method on
	// /verify is the portal's 405 page.
	rec := httptestRecorder(t, srv, "GET", "/verify", "", "")
	assert.Equal(t, http.StatusSeeOther, rec.Code)
	assert.Equal(t, "/", rec.Header().Get("Location"))
	rec = httptestRecorder(t, srv, "PUT", "/verify", "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "GET, HEAD, POST", rec.Header().Get("Allow"))
	assert.Contains(t, rec.Body.String(), "Phương thức không được hỗ trợ")
	_, err = NewServer(Config{StateKey: []byte("short")})
	assert.ErrorContains(t, err, "at least 32 bytes")
}
