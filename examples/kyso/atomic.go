package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// errNotRegular refuses an output path that exists and is not a regular file: a FIFO,
// a device, a socket or a directory is never swapped for a file.
var errNotRegular = errors.New("the output exists and is not a regular file")

// pending holds the temporary files being written, so that an interrupt (SIGINT,
// SIGTERM) can remove them before the process exits.
var pending struct {
	sync.Mutex
	files       map[string]struct{}
	interrupted bool
}

// errInterrupted: a signal arrived; no new output is started.
var errInterrupted = errors.New("interrupted")

func trackTemp(name string) error {
	pending.Lock()
	defer pending.Unlock()
	if pending.interrupted {
		return errInterrupted
	}
	if pending.files == nil {
		pending.files = map[string]struct{}{}
	}
	pending.files[name] = struct{}{}
	return nil
}

func untrackTemp(name string) {
	pending.Lock()
	defer pending.Unlock()
	delete(pending.files, name)
}

// removePendingTemps removes every temporary output still being written and refuses
// new ones; main calls it when a signal ends the process. An output whose temporary
// file is gone fails at its rename, so nothing half-written ever takes the output's
// name.
func removePendingTemps() {
	pending.Lock()
	defer pending.Unlock()
	pending.interrupted = true
	for name := range pending.files {
		_ = os.Remove(name)
	}
	pending.files = nil
}

// writeFileAtomic writes a file through write into a temporary file beside path and
// renames it into place only when write succeeded, so a failure or an interrupt never
// leaves a half-written output behind.
//
// An existing path must be a regular file: its mode is kept. A symbolic link is
// written through: the file it points to is replaced (beside that file), the link
// stays. Any other kind of file is refused with errNotRegular. A new file gets mode
// 0644.
func writeFileAtomic(path string, write func(w io.Writer) error) (err error) {
	target, mode, err := outputTarget(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create output: %w", err)
	}
	if err = trackTemp(tmp.Name()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
		untrackTemp(tmp.Name())
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if err = os.Chmod(tmp.Name(), mode); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	// Checked again just before the rename: the path may have changed meanwhile.
	if _, _, err = outputTarget(path); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// outputTarget resolves the file that writing path replaces, and the mode the new file
// gets: the existing regular file's, or 0644.
func outputTarget(path string) (string, fs.FileMode, error) {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, 0o644, nil
	case err != nil:
		return "", 0, fmt.Errorf("output %s: %w", path, err)
	}
	target := path
	if fi.Mode()&fs.ModeSymlink != 0 {
		if target, err = filepath.EvalSymlinks(path); err != nil {
			// A dangling link: create the file it names, beside the link's own directory
			// when the name is relative.
			dest, rerr := os.Readlink(path)
			if rerr != nil {
				return "", 0, fmt.Errorf("output %s: %w", path, err)
			}
			if !filepath.IsAbs(dest) {
				dest = filepath.Join(filepath.Dir(path), dest)
			}
			return dest, 0o644, nil
		}
		if fi, err = os.Stat(target); err != nil {
			return "", 0, fmt.Errorf("output %s: %w", path, err)
		}
	}
	if !fi.Mode().IsRegular() {
		return "", 0, fmt.Errorf("%s: %w (%s)", path, errNotRegular, kindOf(fi.Mode()))
	}
	return target, fi.Mode().Perm(), nil
}

// kindOf names a file type for an error message.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}
