package policy

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// policy imports nothing but the standard library and the shared calendar, province
// data and certificate-kind vocabulary of internal/ (architecture.md: "the standard library and the shared
// working-day calendar"), so a document-management system can take it alone.
func TestImportsStandardLibraryOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		require.NoError(t, err, name)
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			if path == "github.com/kyso-go/kyso/internal/calendar" || path == "github.com/kyso-go/kyso/internal/province" ||
				path == "github.com/kyso-go/kyso/internal/identity" {
				continue
			}
			first, _, _ := strings.Cut(path, "/")
			assert.NotContains(t, first, ".", "%s imports %s, which is not in the standard library", name, path)
		}
		n++
	}
	assert.Positive(t, n)
}
