package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemoCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kyso-demo")
	code, stdout, stderr := runCLI(t, nil, "demo", "-dir", dir)
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	for _, name := range []string{demoSignedName, demoChainName, demoReadmeName} {
		p := filepath.Join(dir, name)
		st, err := os.Stat(p)
		require.NoError(t, err, name)
		assert.NotZero(t, st.Size(), name)
		assert.Contains(t, stdout, p)
	}
	readme, err := os.ReadFile(filepath.Join(dir, demoReadmeName))
	require.NoError(t, err)
	assert.Contains(t, string(readme), "pdfsig")
	chain, err := os.ReadFile(filepath.Join(dir, demoChainName))
	require.NoError(t, err)
	assert.Contains(t, string(chain), "BEGIN CERTIFICATE")
	assert.Equal(t, 1, pdfsigValid(t, filepath.Join(dir, demoSignedName)))

	code, _, _ = runCLI(t, nil, "demo", "extra")
	assert.Equal(t, exitUsage, code)
	code, _, stderr = runCLI(t, nil, "demo", "-help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stderr, "exit status")
}

// TestDemoReadmeVerifyCommand runs the kyso verify command the demo's README.txt
// tells the user to run, on the demo's output: it must pass (exit 0).
func TestDemoReadmeVerifyCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kyso-demo")
	code, _, stderr := runCLI(t, nil, "demo", "-dir", dir)
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	readme, err := os.ReadFile(filepath.Join(dir, demoReadmeName))
	require.NoError(t, err)
	const prefix = "go run ./examples/kyso "
	var line string
	for _, l := range strings.Split(string(readme), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, prefix+"verify ") {
			line = l
		}
	}
	require.NotEmpty(t, line, "README.txt names a kyso verify command")
	code, stdout, stderr := runCLI(t, nil, strings.Fields(strings.TrimPrefix(line, prefix))...)
	assert.Equal(t, exitOK, code, "%s\nstdout: %s\nstderr: %s", line, stdout, stderr)
	assert.Contains(t, stdout, "TOTAL_PASSED")
}
