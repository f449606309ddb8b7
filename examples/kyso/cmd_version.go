package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

const versionUsage = `usage: kyso version

Prints kyso's module version, the source revision it was built from (when the build
recorded it) and the Go toolchain.
`

const versionExitCodes = `exit status: 0 printed, 2 usage error
`

func runVersion(_ context.Context, c *cli, args []string) int {
	fs := newCmdFlags(c, "kyso version", versionUsage, versionExitCodes)
	if code, ok := fs.parse(args, false); !ok {
		return code
	}
	fmt.Fprintln(c.stdout, versionString())
	return exitOK
}

// versionString is "kyso VERSION (REVISION[, modified]) GOVERSION OS/ARCH".
func versionString() string {
	v, rev := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
				if len(rev) > 12 {
					rev = rev[:12]
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && rev != "" {
			rev += ", modified"
		}
	}
	s := "kyso " + v
	if rev != "" {
		s += " (" + rev + ")"
	}
	return s + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
