//go:build !cgo

package token

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Without cgo the package builds, software keys work, and PKCS#11 says why it cannot.
func TestNoCgoPKCS11(t *testing.T) {
	_, err := OpenModule("/usr/lib/softhsm/libsofthsm2.so")
	require.ErrorIs(t, err, ErrNoPKCS11)
	require.Contains(t, err.Error(), "CGO_ENABLED=1")
}
