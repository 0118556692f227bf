package providers_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Users read package providers for the options they pass to New: its
// surface, as `go doc -short` lists it, stays within 18 lines; what a
// provider author needs is in providers/providerkit.
func TestSurfaceFitsOneScreen(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	p, err := doc.NewFromFiles(fset, files, "github.com/mirascope-go/mirascope/providers")
	require.NoError(t, err)
	lines := len(p.Consts) + len(p.Vars) + len(p.Funcs)
	for _, typ := range p.Types {
		lines += 1 + len(typ.Consts) + len(typ.Vars) + len(typ.Funcs)
	}
	assert.LessOrEqual(t, lines, 18)
}
