package main

import (
	"context"
	"fmt"
)

// TODO(owner of "policy"): replace this placeholder with the real command.
func runPolicy(ctx context.Context, c *cli, args []string) int {
	fmt.Fprintln(c.stderr, "kyso policy: not available in this build")
	return exitFailure
}
