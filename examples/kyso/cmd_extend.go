package main

import (
	"context"
	"fmt"
)

// TODO(owner of "extend"): replace this placeholder with the real command.
func runExtend(ctx context.Context, c *cli, args []string) int {
	fmt.Fprintln(c.stderr, "kyso extend: not available in this build")
	return exitFailure
}
