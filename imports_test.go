package kyso_test

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/kyso-go/kyso"

// six are the independent packages: none imports another, only the root package
// imports them all (architecture.md).
var six = []string{"signature", "token", "certstatus", "layout", "forms", "policy"}

// goList runs "go list" with args in the module root and returns its lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	cmd := exec.Command(goTool, append([]string{"list"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list %v: %s", args, stderr.String())
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// owner returns which of the six (or "kyso" for the root, "examples", "internal")
// a package of the module belongs to, or "" for a package outside the module.
func owner(path string) string {
	if path == module {
		return "kyso"
	}
	rest, ok := strings.CutPrefix(path, module+"/")
	if !ok {
		return ""
	}
	first, _, _ := strings.Cut(rest, "/")
	return first
}

// TestSixPackagesIndependent: go list -deps shows each of the six importing none of
// the others (nor the root package), test files excluded as go list -deps does.
func TestSixPackagesIndependent(t *testing.T) {
	for _, p := range six {
		t.Run(p, func(t *testing.T) {
			for _, dep := range goList(t, "-deps", "./"+p+"/...") {
				o := owner(dep)
				if o == "" || o == p || o == "internal" {
					continue
				}
				t.Errorf("%s depends on %s", p, dep)
			}
		})
	}
}

// TestExamplesUseRootAndSix: the programs in examples/ import no package of the
// module but the root package and the six (and their public test helpers, such as
// certstatus/certstatustest): nothing internal, no glue of their own elsewhere.
func TestExamplesUseRootAndSix(t *testing.T) {
	lines := goList(t, "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "./examples/...")
	require.NotEmpty(t, lines)
	allowed := map[string]bool{"kyso": true}
	for _, p := range six {
		allowed[p] = true
	}
	for _, l := range lines {
		pkg, imports, _ := strings.Cut(l, ": ")
		for _, imp := range strings.Fields(imports) {
			if o := owner(imp); o != "" && !allowed[o] {
				t.Errorf("%s imports %s", pkg, imp)
			}
		}
	}
}

// TestExamplesUsePublicAPI: every test file that holds a runnable Example (a func
// Example…) imports only public packages: none under internal/, so what a reader
// copies compiles in their own module.
func TestExamplesUsePublicAPI(t *testing.T) {
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "internal" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		hasExample := false
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "Example") {
				hasExample = true
			}
		}
		if !hasExample {
			return nil
		}
		n++
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			if p == module+"/internal" || strings.HasPrefix(p, module+"/internal/") {
				t.Errorf("%s imports %s: examples use only public API", path, p)
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, n, 8, "example files found")
}
