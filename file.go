package kyso

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotRegularFile refuses an output path that exists and is not a regular file: a
// FIFO, a device, a socket or a directory is never swapped for a file.
var ErrNotRegularFile = errors.New("kyso: the output exists and is not a regular file")

// WriteFileOptions controls WriteFile.
type WriteFileOptions struct {
	// Temp, when not nil, is told the name of the temporary file as soon as it is
	// created, before anything is written to it; an error from Temp stops WriteFile
	// (the temporary file is removed) and is returned. WriteFile calls the returned
	// done, when not nil, once the temporary file is renamed into place or removed. A
	// command line uses it to remove the temporary files still being written when a
	// signal ends the process: an output whose temporary file is gone fails at its
	// rename, so nothing half-written ever takes the output's name.
	Temp func(name string) (done func(), err error)
}

// WriteFile writes the output at path through write, into a temporary file beside
// it that is renamed into place only when write succeeded and the data is synced: a
// failure leaves no partial output and the previous file, if any, untouched.
//
// An existing path must be a regular file, whose mode is kept. A symbolic link is
// written through: the file it points to is replaced (its temporary file made beside
// that file), the link stays. Any other kind of file is refused with an error
// matching ErrNotRegularFile, checked again just before the rename. A new file gets
// mode 0644. opts may be nil.
func WriteFile(path string, write func(w io.Writer) error, opts *WriteFileOptions) (err error) {
	target, mode, err := outputTarget(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create output: %w", err)
	}
	var done func()
	if opts != nil && opts.Temp != nil {
		if done, err = opts.Temp(tmp.Name()); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return err
		}
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
		if done != nil {
			done()
		}
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
			// A dangling link: create the file it names, relative to the link's own
			// directory when the name is relative.
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
		return "", 0, fmt.Errorf("%s: %w (%s)", path, ErrNotRegularFile, fileKind(fi.Mode()))
	}
	return target, fi.Mode().Perm(), nil
}

// fileKind names a file type for an error message.
func fileKind(m fs.FileMode) string {
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
