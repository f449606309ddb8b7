package main

import (
	"context"
	"fmt"
)

// TODO(owner of "token"): replace this placeholder with the real command.
func runToken(ctx context.Context, c *cli, args []string) int {
	fmt.Fprintln(c.stderr, "kyso token: not available in this build")
	return exitFailure
}
