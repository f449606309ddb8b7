package main

import (
	"context"
	"fmt"
)

// TODO(owner of "pki"): replace this placeholder with the real command.
func runPKI(ctx context.Context, c *cli, args []string) int {
	fmt.Fprintln(c.stderr, "kyso pki: not available in this build")
	return exitFailure
}
