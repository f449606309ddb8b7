package kyso_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// assertNoTemps: no temporary output is left in dir.
func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range ents {
		assert.False(t, strings.Contains(e.Name(), ".tmp-"), "a temporary file was left behind: %s", e.Name())
	}
}

// TestWriteFile: the one safe writer of outputs (root batch, CLI, qlvb) refuses what is
// not a regular file, keeps an existing file's mode, writes through a link, leaves
// neither a partial output nor a temporary file on failure, and reports its temporary
// file to the Temp hook.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()

	fifo := filepath.Join(dir, "pipe")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	linkToFifo := filepath.Join(dir, "link-to-pipe")
	require.NoError(t, os.Symlink(fifo, linkToFifo))
	for _, path := range []string{fifo, sub, "/dev/null", linkToFifo} {
		assert.ErrorIs(t, kyso.WriteFile(path, writeString("x"), nil), kyso.ErrNotRegularFile, path)
	}
	fi, err := os.Lstat(fifo)
	require.NoError(t, err)
	assert.True(t, fi.Mode()&os.ModeNamedPipe != 0, "the FIFO is still a FIFO")

	secret := filepath.Join(dir, "secret.pdf")
	require.NoError(t, os.WriteFile(secret, []byte("old"), 0o600))
	require.NoError(t, kyso.WriteFile(secret, writeString("new"), nil))
	fi, err = os.Stat(secret)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the existing file's mode is kept")

	real := filepath.Join(dir, "real.pdf")
	require.NoError(t, os.WriteFile(real, []byte("old"), 0o640))
	link := filepath.Join(dir, "out.pdf")
	require.NoError(t, os.Symlink("real.pdf", link))
	require.NoError(t, kyso.WriteFile(link, writeString("signed"), nil))
	fi, err = os.Lstat(link)
	require.NoError(t, err)
	assert.True(t, fi.Mode()&os.ModeSymlink != 0, "the link is still a link")
	b, err := os.ReadFile(real)
	require.NoError(t, err)
	assert.Equal(t, "signed", string(b))

	// A failing write leaves the old content and no temporary file; the hook saw the
	// temporary file and was told it is gone.
	boom := errors.New("boom")
	var seen string
	done := false
	err = kyso.WriteFile(secret, func(w io.Writer) error {
		_, _ = io.WriteString(w, "half")
		return boom
	}, &kyso.WriteFileOptions{Temp: func(name string) (func(), error) {
		seen = name
		return func() { done = true }, nil
	}})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, dir, filepath.Dir(seen), "the temporary file is beside the output")
	assert.True(t, done)
	b, err = os.ReadFile(secret)
	require.NoError(t, err)
	assert.Equal(t, "new", string(b), "a failed write leaves the previous output")

	// A hook that refuses stops the write before anything is written.
	fresh := filepath.Join(dir, "fresh.pdf")
	err = kyso.WriteFile(fresh, writeString("x"), &kyso.WriteFileOptions{Temp: func(string) (func(), error) { return nil, boom }})
	assert.ErrorIs(t, err, boom)
	assert.NoFileExists(t, fresh)

	require.NoError(t, kyso.WriteFile(fresh, writeString("x"), nil))
	fi, err = os.Stat(fresh)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm())
	assertNoTemps(t, dir)
}
