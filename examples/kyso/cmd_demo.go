package main

import (
	"context"
	"fmt"
)

// TODO(owner of "demo"): replace this placeholder with the real command.
func runDemo(ctx context.Context, c *cli, args []string) int {
	fmt.Fprintln(c.stderr, "kyso demo: not available in this build")
	return exitFailure
}
