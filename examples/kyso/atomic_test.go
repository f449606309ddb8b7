package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

func TestWriteFileAtomicRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	linkToFifo := filepath.Join(dir, "link-to-pipe")
	require.NoError(t, os.Symlink(fifo, linkToFifo))
	for _, path := range []string{fifo, sub, "/dev/null", linkToFifo} {
		err := writeFileAtomic(path, writeString("x"))
		assert.ErrorIs(t, err, errNotRegular, path)
	}
	fi, err := os.Lstat(fifo)
	require.NoError(t, err)
	assert.True(t, fi.Mode()&os.ModeNamedPipe != 0, "the FIFO is still a FIFO")
	fi, err = os.Lstat("/dev/null")
	require.NoError(t, err)
	assert.True(t, fi.Mode()&os.ModeDevice != 0, "/dev/null is still a device")
	noTemps(t, dir)
}

func TestWriteFileAtomicKeepsModeAndLinks(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.pdf")
	require.NoError(t, os.WriteFile(secret, []byte("old"), 0o600))
	require.NoError(t, writeFileAtomic(secret, writeString("new")))
	fi, err := os.Stat(secret)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the existing file's mode is kept")

	// A link is written through: the file it points to gets the content, the link stays.
	real := filepath.Join(dir, "real.pdf")
	require.NoError(t, os.WriteFile(real, []byte("old"), 0o640))
	link := filepath.Join(dir, "out.pdf")
	require.NoError(t, os.Symlink("real.pdf", link))
	require.NoError(t, writeFileAtomic(link, writeString("signed")))
	fi, err = os.Lstat(link)
	require.NoError(t, err)
	assert.True(t, fi.Mode()&os.ModeSymlink != 0, "the link is still a link")
	b, err := os.ReadFile(real)
	require.NoError(t, err)
	assert.Equal(t, "signed", string(b))
	fi, err = os.Stat(real)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), fi.Mode().Perm())

	fresh := filepath.Join(dir, "fresh.pdf")
	require.NoError(t, writeFileAtomic(fresh, writeString("x")))
	fi, err = os.Stat(fresh)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm())
	noTemps(t, dir)
}

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
