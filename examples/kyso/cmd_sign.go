package main

import (
	"context"
	"fmt"
)

// TODO(owner of "sign"): replace this placeholder with the real command.
func runSign(ctx context.Context, c *cli, args []string) int {
	fmt.Fprintln(c.stderr, "kyso sign: not available in this build")
	return exitFailure
}
