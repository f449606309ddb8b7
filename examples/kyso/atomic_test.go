package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// noTemps asserts that no temporary output is left in dir.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range ents {
		assert.NotContains(t, e.Name(), ".tmp-", "a temporary file was left behind")
	}
}

// The writer itself (non-regular targets refused, mode kept, links written through,
// no temporary left) is kyso.WriteFile, tested in the root package (TestWriteFile);
// here the CLI's signal tracking around it.

// An interrupt in the middle of writing removes the temporary file, and the output is
// not created.
func TestWriteFileAtomicInterrupted(t *testing.T) {
	t.Cleanup(func() {
		pending.Lock()
		pending.interrupted = false
		pending.Unlock()
	})
	dir := t.TempDir()
	out := filepath.Join(dir, "out.pdf")
	err := writeFileAtomic(out, func(w io.Writer) error {
		_, _ = io.WriteString(w, "half")
		removePendingTemps() // what main does on SIGINT/SIGTERM
		_, err := io.WriteString(w, " written")
		return err
	})
	require.Error(t, err)
	assert.NoFileExists(t, out)
	noTemps(t, dir)
	assert.ErrorIs(t, writeFileAtomic(out, writeString("x")), errInterrupted, "no new output after an interrupt")
	assert.NoFileExists(t, out)
}

// TestSignalLeavesNoTemporaryFile runs the real command and stops it with SIGTERM and
// SIGINT while it writes its outputs: whenever the signal lands, no temporary file is
// left and the process ends with 128+signal.
func TestSignalLeavesNoTemporaryFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "kyso")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGTERM, 143}, {syscall.SIGINT, 130}} {
		for _, after := range []time.Duration{300 * time.Millisecond, 900 * time.Millisecond} {
			dir := filepath.Join(t.TempDir(), "demo")
			cmd := exec.Command(bin, "demo", "-dir", dir)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			time.Sleep(after)
			_ = cmd.Process.Signal(tc.sig)
			err := cmd.Wait()
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				// The demo may also have finished (exit 0) before the signal came.
				assert.Contains(t, []int{tc.code, exitFailure}, ee.ExitCode(), "%s", stderr.String())
			}
			if _, err := os.Stat(dir); err == nil {
				noTemps(t, dir)
			}
			assert.False(t, strings.Contains(stderr.String(), "panic"), "%s", stderr.String())
		}
	}
}

func TestVersion(t *testing.T) {
	var out, errb bytes.Buffer
	c := &cli{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	assert.Equal(t, exitOK, run(t.Context(), c, []string{"version"}))
	assert.Regexp(t, `^kyso \S+ .*go1\.\d+.* \w+/\w+\n$`, out.String())
	assert.Equal(t, exitUsage, run(t.Context(), c, []string{"version", "extra"}))
	assert.Contains(t, errb.String(), `unexpected argument "extra"`)
}

// TestSignalDuringSignLeavesNoTemporaryFile stops "kyso sign" with SIGTERM while its
// temporary output exists for certain: the signature waits for a time-stamping
// authority on 127.0.0.1 that accepts the connection and never answers. The temporary
// file is removed, no output appears, the message says nothing was written, and the
// input is unchanged.
func TestSignalDuringSignLeavesNoTemporaryFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "kyso")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	})

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newSignCmdFixture(t, key)
	before, err := os.ReadFile(f.in)
	require.NoError(t, err)
	outDir := t.TempDir()
	dst := filepath.Join(outDir, "signed.pdf")
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, "sign", "-in", f.in, "-out", dst, "-key", f.keyPEM, "-cert", f.certPEM,
			"-level", "B-T", "-tsa", "http://"+ln.Addr().String()+"/tsa")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		// Wait (bounded) until the temporary output exists: the command is then
		// waiting for the time-stamp.
		tempSeen := false
		for range 600 {
			ents, _ := os.ReadDir(outDir)
			for _, e := range ents {
				tempSeen = tempSeen || strings.Contains(e.Name(), ".tmp-")
			}
			if tempSeen {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		require.True(t, tempSeen, "the command never started writing: %s", stderr.String())
		require.NoError(t, cmd.Process.Signal(sig))
		err := cmd.Wait()
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, "%v stops the command with a failure: %s", sig, stderr.String())
		assert.NotZero(t, ee.ExitCode())
		noTemps(t, outDir)
		assert.NoFileExists(t, dst)
		assert.Contains(t, stderr.String(), "nothing was written", "%v", sig)
		assert.NotContains(t, stderr.String(), "panic")
		after, err := os.ReadFile(f.in)
		require.NoError(t, err)
		assert.Equal(t, before, after, "the input is unchanged")
	}
}
