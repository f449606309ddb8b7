// Command kyso signs, verifies and prepares documents for Vietnam's government-dedicated
// CA (chữ ký số chuyên dùng công vụ). It is built only on kyso's public API.
//
// Usage:
//
//	kyso <command> [flags]
//
// Commands:
//
//	demo     sign a generated sample document with a generated test key (./kyso-demo)
//	sign     sign a PDF with a PKCS#12/PEM key or a PKCS#11 token
//	verify   verify every signature in a PDF
//	extend   add validation data and a document time-stamp (PAdES B-LTA renewal)
//	token    list PKCS#11 tokens and keys
//	pki      create and serve a VGCA-shaped test PKI
//	forms    list, validate and render the certificate-request forms
//	policy   ask who may sign what, with the legal reason
//	version  print kyso's version
//
// Exit status, unless a command's -help says otherwise: 0 success, 1 the operation
// failed (bad input, signing or checking failed), 2 usage error.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Exit statuses shared by the commands.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// cli is what a command may touch of the outside world; tests pass their own.
type cli struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

type command struct {
	summary string
	run     func(ctx context.Context, c *cli, args []string) int
}

func commands() map[string]command {
	return map[string]command{
		"demo":    {"sign a generated sample document with a generated test key", runDemo},
		"sign":    {"sign a PDF with a PKCS#12/PEM key or a PKCS#11 token", runSign},
		"verify":  {"verify every signature in a PDF", runVerify},
		"extend":  {"add validation data and a document time-stamp (B-LTA renewal)", runExtend},
		"token":   {"list PKCS#11 tokens and keys", runToken},
		"pki":     {"create and serve a VGCA-shaped test PKI", runPKI},
		"forms":   {"list, validate and render the certificate-request forms", runForms},
		"policy":  {"ask who may sign what, with the legal reason", runPolicy},
		"layout":  {"check a PDF against the NĐ 30/2020 layout rules; show its anchors", runLayout},
		"version": {"print kyso's version", runVersion},
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		// Stop: no temporary output survives, running commands see a cancelled
		// context, and a command that does not return soon is ended.
		removePendingTemps()
		cancel()
		code := 130 // 128 + SIGINT
		if sig == syscall.SIGTERM {
			code = 143
		}
		select {
		case <-sigs:
		case <-time.After(5 * time.Second):
		}
		removePendingTemps()
		os.Exit(code)
	}()
	c := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	code := run(ctx, c, os.Args[1:])
	signal.Stop(sigs)
	cancel()
	os.Exit(code)
}

func run(ctx context.Context, c *cli, args []string) int {
	cmds := commands()
	if len(args) > 0 && isHelp(args[0]) {
		usage(c.stderr, cmds)
		return exitOK
	}
	if len(args) == 0 {
		fmt.Fprintf(c.stderr, "kyso: a command is required: %s (kyso -help explains them)\n", strings.Join(commandNames(cmds), ", "))
		return exitUsage
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(c.stderr, "kyso: unknown command %q: want %s (kyso -help explains them)\n", args[0], strings.Join(commandNames(cmds), ", "))
		return exitUsage
	}
	return cmd.run(ctx, c, args[1:])
}

// commandNames lists the commands, sorted.
func commandNames(cmds map[string]command) []string {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: kyso <command> [flags]   (kyso <command> -help for a command's flags)")
	fmt.Fprintln(w, "\ncommands:")
	for _, n := range commandNames(cmds) {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nexit status: 0 success, 1 the operation failed, 2 usage error (verify: see kyso verify -help)")
}
