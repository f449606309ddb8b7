//go:build !unix

package signature_test

import "time"

// processCPU is not measured on this platform; CPU metrics then read 0.
func processCPU() time.Duration { return 0 }
