package main

import (
	"context"
	"fmt"
)

// TODO(owner of "verify"): replace this placeholder with the real command.
func runVerify(ctx context.Context, c *cli, args []string) int {
	fmt.Fprintln(c.stderr, "kyso verify: not available in this build")
	return exitFailure
}
