package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// cmdFlags is a command's flag set with the text of its -help: every command reports
// usage errors in one line that points at -help, and its -help lists the synopsis, the
// flags and the exit statuses.
type cmdFlags struct {
	*flag.FlagSet
	c     *cli
	name  string // "kyso sign"
	text  string // synopsis and description, printed before the flags
	exits string // the exit statuses, printed after the flags
}

// newCmdFlags returns the flag set of the command name ("kyso sign", "kyso policy
// check"). text is printed by -help before the flags, exits after them.
func newCmdFlags(c *cli, name, text, exits string) *cmdFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package would print the error and the whole usage; parse prints one
	// line instead.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &cmdFlags{FlagSet: fs, c: c, name: name, text: text, exits: exits}
}

// printUsage writes the full usage of the command to w: synopsis, flags, exit statuses.
func (f *cmdFlags) printUsage(w io.Writer) {
	fmt.Fprint(w, strings.TrimRight(f.text, "\n")+"\n")
	hasFlags := false
	f.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, "\nflags:\n")
		f.SetOutput(w)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
	}
	fmt.Fprint(w, "\n"+strings.TrimLeft(strings.TrimRight(f.exits, "\n"), "\n")+"\n")
}

// parse parses args. With -help (or -h) it prints the full usage to stderr and returns
// (exitOK, false); a bad flag or a stray argument (unless positional) prints one line
// saying what is wrong and returns (exitUsage, false). ok true means carry on.
func (f *cmdFlags) parse(args []string, positional bool) (code int, ok bool) {
	err := f.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		f.printUsage(f.c.stderr)
		return exitOK, false
	case err != nil:
		return f.usageError("%v", err), false
	case !positional && f.NArg() > 0:
		return f.usageError("unexpected argument %q", f.Arg(0)), false
	}
	return 0, true
}

// usageError prints a one-line usage error pointing at -help, and returns exitUsage.
func (f *cmdFlags) usageError(format string, a ...any) int {
	return usageLine(f.c, f.name, fmt.Sprintf(format, a...))
}

// usageProblems prints every problem on one line pointing at -help, and returns
// exitUsage.
func (f *cmdFlags) usageProblems(problems []string) int {
	return usageLine(f.c, f.name, strings.Join(problems, "; "))
}

// usageLine prints "NAME: MSG (NAME -help lists the flags)" and returns exitUsage.
func usageLine(c *cli, name, msg string) int {
	fmt.Fprintf(c.stderr, "%s: %s (%s -help lists the flags)\n", name, msg, name)
	return exitUsage
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// subcommand handles the first argument of a command with subcommands (kyso policy,
// kyso forms, …): none or an unknown one is a one-line usage error naming the
// subcommands, -help prints usage (which lists the subcommands and exit statuses).
// ok true means args[0] is one of subs.
func subcommand(c *cli, name, usage string, subs []string, args []string) (code int, ok bool) {
	switch {
	case len(args) == 0:
		fmt.Fprintf(c.stderr, "%s: a subcommand is required: %s (%s -help explains them)\n", name, strings.Join(subs, ", "), name)
		return exitUsage, false
	case isHelp(args[0]):
		fmt.Fprint(c.stderr, strings.TrimRight(usage, "\n")+"\n")
		return exitOK, false
	}
	for _, s := range subs {
		if args[0] == s {
			return 0, true
		}
	}
	fmt.Fprintf(c.stderr, "%s: unknown subcommand %q: want %s (%s -help explains them)\n", name, args[0], strings.Join(subs, ", "), name)
	return exitUsage, false
}
