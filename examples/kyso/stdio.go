package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"
)

// maxStdinPDF bounds a document read from standard input ("-in -"): it is held in
// memory.
const maxStdinPDF = 256 << 20

// A PDF is never read from, or written to, a terminal.
var (
	errStdinTerminal  = errors.New("standard input is a terminal: pipe the PDF into it (… < FILE.pdf) or give the file's name instead of -")
	errStdoutTerminal = errors.New("standard output is a terminal: redirect it (… > FILE.pdf) or give a file name instead of -")
)

// inputPDF is a document to read: a file, or standard input for "-".
type inputPDF struct {
	r    io.ReaderAt
	size int64
	info fs.FileInfo // nil for standard input
	f    *os.File
}

// openInputPDF opens path, or reads standard input into memory when path is "-".
func openInputPDF(c *cli, path string) (*inputPDF, error) {
	if path == "-" {
		if isTerminal(c.stdin) {
			return nil, errStdinTerminal
		}
		data, err := io.ReadAll(io.LimitReader(c.stdin, maxStdinPDF+1))
		if err != nil {
			return nil, fmt.Errorf("standard input: %w", err)
		}
		if len(data) > maxStdinPDF {
			return nil, fmt.Errorf("standard input: larger than %d bytes; give the file with -in FILE", maxStdinPDF)
		}
		return &inputPDF{r: bytes.NewReader(data), size: int64(len(data))}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &inputPDF{r: f, size: st.Size(), info: st, f: f}, nil
}

// ReadAt reads the document.
func (in *inputPDF) ReadAt(p []byte, off int64) (int, error) { return in.r.ReadAt(p, off) }

// Close closes the file, if any.
func (in *inputPDF) Close() error {
	if in.f != nil {
		return in.f.Close()
	}
	return nil
}

// isOutput reports whether writing path would replace the input file.
func (in *inputPDF) isOutput(path string) bool {
	if in.info == nil || path == "-" {
		return false
	}
	ost, err := os.Stat(path)
	return err == nil && os.SameFile(in.info, ost)
}

// writeOutput writes an output through write: to path atomically (writeFileAtomic),
// or for "-" to standard output, buffered so that nothing reaches it unless write
// succeeded.
func writeOutput(c *cli, path string, write func(w io.Writer) error) error {
	if path != "-" {
		return writeFileAtomic(path, write)
	}
	if isTerminal(c.stdout) {
		return errStdoutTerminal
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	_, err := c.stdout.Write(buf.Bytes())
	return err
}

// outputName names an output path in messages.
func outputName(path string) string {
	if path == "-" {
		return "standard output"
	}
	return path
}

// isTerminal reports whether f is an interactive terminal: a character device that is
// not /dev/null. Readers and writers that are not files (tests) are not terminals.
func isTerminal(f any) bool {
	s, ok := f.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return false
	}
	st, err := s.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(st, null) {
		return false
	}
	return true
}

// registerInPassEnv adds -in-pass-env VAR, the password of an encrypted input PDF, and
// its deprecated alias -password-env (kyso verify's former name), both setting *dst.
// Every command that opens a PDF takes the same flag.
func registerInPassEnv(c *cli, name string, fs *flag.FlagSet, dst *string) {
	fs.StringVar(dst, "in-pass-env", "", "environment `variable` holding the password of an encrypted input PDF")
	fs.Func("password-env", "deprecated: the former name of -in-pass-env, an environment `variable` (still works)", func(v string) error {
		fmt.Fprintf(c.stderr, "%s: -password-env is deprecated, use -in-pass-env (same meaning)\n", name)
		*dst = v
		return nil
	})
}

// envSecret reads a password from the environment variable name, named by the flag
// flagName; an empty or unset variable is a *secretError. No flag (name "")
// gives no password.
func envSecret(c *cli, flagName, name string) ([]byte, error) {
	if name == "" {
		return nil, nil
	}
	v := c.getenv(name)
	if v == "" {
		return nil, &secretError{flag: flagName, variable: name}
	}
	return []byte(v), nil
}

// writeJSON prints v as one indented JSON object.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Progress of work that takes a while: after progressAfter, a line on stderr updated
// every progressEvery. Variables so that tests can shorten them.
var (
	progressAfter = time.Second
	progressEvery = time.Second
)

// progress is a ticker line on stderr for work that lasts over a second.
type progress struct {
	stop     chan struct{}
	done     sync.WaitGroup
	w        io.Writer
	terminal bool
	printed  bool
}

// startProgress starts the ticker for what ("kyso sign: đang ký / signing") when
// stderr is a terminal or force (-progress) is set; end it with stop. On a terminal the
// line is rewritten in place and erased at the end; otherwise one line per tick.
func startProgress(c *cli, force bool, what string) *progress {
	p := &progress{stop: make(chan struct{}), w: c.stderr, terminal: isTerminal(c.stderr)}
	if !force && !p.terminal {
		return p
	}
	start := time.Now()
	tick := func() {
		secs := int(time.Since(start).Round(time.Second) / time.Second)
		if p.terminal {
			fmt.Fprintf(p.w, "\r%s… %d s", what, secs)
		} else {
			fmt.Fprintf(p.w, "%s… %d s\n", what, secs)
		}
		p.printed = true
	}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		t := time.NewTimer(progressAfter)
		defer t.Stop()
		select {
		case <-p.stop:
			return
		case <-t.C:
		}
		tick()
		k := time.NewTicker(progressEvery)
		defer k.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-k.C:
				tick()
			}
		}
	}()
	return p
}

// end stops the ticker and erases its line on a terminal.
func (p *progress) end() {
	select {
	case <-p.stop:
		return
	default:
	}
	close(p.stop)
	p.done.Wait()
	if p.printed && p.terminal {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// waitingForStdin tells a user at a terminal that the command name now reads
// standard input, and what it expects there (vi, en); when input is piped it says
// nothing.
func waitingForStdin(c *cli, name, vi, en string) {
	if isTerminal(c.stdin) {
		fmt.Fprintf(c.stderr, "%s: đang chờ %s trên đầu vào chuẩn, kết thúc bằng Ctrl-D / waiting for %s on standard input, end it with Ctrl-D\n", name, vi, en)
	}
}
