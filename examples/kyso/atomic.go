package main

import (
	"errors"
	"io"
	"os"
	"sync"

	"github.com/kyso-go/kyso"
)

// errNotRegular refuses an output path that exists and is not a regular file
// (kyso.WriteFile's error).
var errNotRegular = kyso.ErrNotRegularFile

// pending holds the temporary files being written, so that an interrupt (SIGINT,
// SIGTERM) can remove them before the process exits.
var pending struct {
	sync.Mutex
	files       map[string]struct{}
	interrupted bool
}

// errInterrupted: a signal arrived; no new output is started.
var errInterrupted = errors.New("interrupted")

// trackTemp records a temporary output being written (kyso.WriteFileOptions.Temp);
// after an interrupt it refuses new ones.
func trackTemp(name string) (func(), error) {
	pending.Lock()
	defer pending.Unlock()
	if pending.interrupted {
		return nil, errInterrupted
	}
	if pending.files == nil {
		pending.files = map[string]struct{}{}
	}
	pending.files[name] = struct{}{}
	return func() {
		pending.Lock()
		defer pending.Unlock()
		delete(pending.files, name)
	}, nil
}

// outputOptions writes every output of the command with its temporary file tracked.
var outputOptions = &kyso.WriteFileOptions{Temp: trackTemp}

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

// writeFileAtomic writes a file through kyso.WriteFile (temporary file beside path,
// renamed into place on success; mode kept, links written through, anything but a
// regular file refused) with its temporary file tracked for removal on a signal.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	return kyso.WriteFile(path, write, outputOptions)
}
