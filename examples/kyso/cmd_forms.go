package main

import (
	"context"
	"fmt"
)

// TODO(owner of "forms"): replace this placeholder with the real command.
func runForms(ctx context.Context, c *cli, args []string) int {
	fmt.Fprintln(c.stderr, "kyso forms: not available in this build")
	return exitFailure
}
