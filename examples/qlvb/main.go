// Command qlvb shows how a document-management system (hệ thống quản lý văn bản và
// điều hành, QLVB) embeds kyso: a decision of a provincial People's Committee moves
// from draft to issue — signed by the leader with a key on a PKCS#11 token, sealed by
// the clerk (văn thư) with the organisation certificate, issued with a separate
// appendix (attachment stamp) and an electronic copy (SAO Y), each signature placed by
// package layout where Nghị định 30/2020/NĐ-CP puts it — while package policy refuses
// the steps the rules forbid, with the reasons in Vietnamese. Then a folder of
// documents is signed as a batch with one token login.
//
// Everything runs on 127.0.0.1 with a test PKI (certstatus/certstatustest) and, unless
// a token is given, a SoftHSM2 token the program provisions itself. It is built only
// on the root package kyso and the six packages: see README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: go run ./examples/qlvb [flags]

Một quy trình văn bản điện tử / a document workflow, as a QLVB system runs it:

  1. Dự thảo              draft: a decision (quyết định) and its separate appendix (phụ lục)
  2. Lãnh đạo ký số       the chairman signs on the PKCS#11 token (ô 7c, between title and name)
  3. Văn thư đóng dấu     the clerk applies the organisation signature (ô 8, seal over 1/3)
  4. Ban hành             the appendix gets the attachment stamp "Số: …; time"; a scanned
                          paper page becomes an electronic copy "SAO Y" (ô 14); the
                          decision is extended to PAdES B-LTA for archiving
  5. Từ chối              what policy refuses: the clerk before the leader, a classified
                          document, a device certificate, a person who does not keep the seal
  6. Ký số hàng loạt      a folder of N decisions signed with ONE token login
  7. Kiểm tra             every output verified (kyso) and checked against NĐ 30 (layout)

Without -module, a SoftHSM2 token is provisioned in a temporary directory (softhsm2-util
and pkcs11-tool must be installed) with the chairman's key and certificate from the test
PKI. With -module, the key -key-label on the token -token signs instead (PIN from the
environment variable -pin-env): its certificate chain must be on the token, and its root
is trusted besides the test root.

flags:
`

const exitCodes = `
exit status: 0 every step as expected and every output verified, 1 a step failed (the
message says which), 2 usage error
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is what the flags ask for.
type config struct {
	dir        string
	batch      int
	module     string
	tokenLabel string
	keyLabel   string
	pinEnv     string
	softhsm    string
	keepToken  bool
	progress   progressMode
	verbose    bool
	getenv     func(string) string
}

// progressMode says how the batch shows its progress.
type progressMode int

const (
	progressAuto  progressMode = iota // a bar on a terminal, lines otherwise
	progressBar                       // always a bar
	progressLines                     // always lines
)

// run is the program: flags from args, the report on stdout, progress and errors on
// stderr; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qlvb", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := config{getenv: os.Getenv}
	fs.StringVar(&c.dir, "dir", "qlvb-out", "output `directory` (created when missing; must be writable)")
	fs.IntVar(&c.batch, "batch", 6, "`number` of decisions in the batch folder (one more, broken on purpose, is added)")
	fs.StringVar(&c.module, "module", "", "PKCS#11 module `path` of an existing token (default: provision a SoftHSM2 token)")
	fs.StringVar(&c.tokenLabel, "token", "", "with -module: the token `label`")
	fs.StringVar(&c.keyLabel, "key-label", "", "with -module: the `label` of the chairman's key (default: the token's only signing key)")
	fs.StringVar(&c.pinEnv, "pin-env", "", "with -module: the environment `variable` holding the user PIN")
	fs.StringVar(&c.softhsm, "softhsm-module", "", "SoftHSM2 module `path` for the provisioned token (default: found in the usual places)")
	fs.BoolVar(&c.keepToken, "keep-token", false, "keep the provisioned SoftHSM2 token in DIR/token, its user PIN in DIR/token/pin.txt (inspect it with: kyso token list -pin-env)")
	fs.BoolVar(&c.verbose, "v", false, "verbose: a failed batch document's error in full, after its progress line and below the summary")
	prog := fs.String("progress", "auto", "batch progress: `auto` (a bar on a terminal), bar or lines")
	// A flag error is said in one line before pointing at -help (as kyso does);
	// only -help prints the whole usage.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprint(stderr, usage)
			fs.PrintDefaults()
			fmt.Fprint(stderr, exitCodes)
			return 0
		}
		fmt.Fprintln(stderr, "qlvb:", err)
		fmt.Fprintln(stderr, "qlvb: see -help")
		return 2
	}
	var problems []string
	if fs.NArg() > 0 {
		problems = append(problems, fmt.Sprintf("unexpected arguments %q", fs.Args()))
	}
	if c.batch < 1 || c.batch > 1000 {
		problems = append(problems, fmt.Sprintf("-batch %d: want 1 to 1000", c.batch))
	}
	if c.module == "" && (c.tokenLabel != "" || c.keyLabel != "" || c.pinEnv != "") {
		problems = append(problems, "-token, -key-label and -pin-env go with -module")
	}
	if c.module != "" && c.pinEnv == "" {
		problems = append(problems, "-module needs -pin-env (the variable holding the PIN)")
	}
	if c.module != "" && c.keepToken {
		problems = append(problems, "-keep-token keeps a provisioned token; it does not go with -module")
	}
	switch *prog {
	case "auto":
	case "bar":
		c.progress = progressBar
	case "lines":
		c.progress = progressLines
	default:
		problems = append(problems, fmt.Sprintf("-progress %q: want auto, bar or lines", *prog))
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, "qlvb:", p)
		}
		fmt.Fprintln(stderr, "qlvb: see -help")
		return 2
	}
	if err := workflow(ctx, &c, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "qlvb:", err)
		return 1
	}
	return 0
}
