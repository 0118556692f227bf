package mcptools_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Only programs that import mcptools pay for the MCP SDK: the root package,
// and the otel package that finds MCP attributes by assertion, do not pull it.
func TestRootDoesNotImportTheSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	for _, pkg := range []string{"github.com/mirascope-go/mirascope", "github.com/mirascope-go/mirascope/otel"} {
		out, err := exec.Command(goTool, "list", "-deps", pkg).CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.NotContains(t, string(out), "modelcontextprotocol", pkg)
		assert.True(t, strings.Contains(string(out), pkg+"\n"), "lists %s itself", pkg)
	}
}
