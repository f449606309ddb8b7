package layout_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/layout"
)

// TestCheckCorpus runs Check over every PDF of the interop corpus (opt-in:
// KYSO_CORPUS=/work/shared/corpus): each file yields a report or an ErrUnreadable
// error, never a panic, and every finding carries a citation and both messages.
func TestCheckCorpus(t *testing.T) {
	dir := os.Getenv("KYSO_CORPUS")
	if dir == "" {
		t.Skip("set KYSO_CORPUS to the interop corpus")
	}
	var files []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".pdf") {
			files = append(files, p)
		}
		return err
	}))
	require.NotEmpty(t, files)
	reports, unreadable, signatures := 0, 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		rep, err := layout.Check(context.Background(), bytes.NewReader(b), int64(len(b)), nil)
		if err != nil {
			assert.True(t, errors.Is(err, layout.ErrUnreadable), "%s: %v", f, err)
			unreadable++
			continue
		}
		reports++
		signatures += len(rep.Measurement.Signatures)
		for _, fd := range rep.Findings {
			assert.NotEmpty(t, fd.Citation.Instrument, "%s %s", f, fd.Rule)
			assert.NotEmpty(t, fd.Message, "%s %s", f, fd.Rule)
			assert.NotEmpty(t, fd.MessageVI, "%s %s", f, fd.Rule)
		}
	}
	t.Logf("%d files: %d reports (%d signatures), %d unreadable", len(files), reports, signatures, unreadable)
}
