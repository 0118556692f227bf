package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Submitted, resumed from a new provider value and read, offline through
// the real OpenAI client: answers in the fake's order, one failed line.
func TestOffline(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), &stdout, &stderr, true, ""))
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, lines, 5, stdout.String())
	assert.Equal(t, "submitted batch_1", lines[0])
	assert.Equal(t, []string{
		"Gone Girl: thriller",
		"Dune: science fiction",
		"The Name of the Wind: fantasy",
	}, lines[1:4])
	assert.True(t, strings.HasPrefix(lines[4], "FAIL: not a book: failed: "), lines[4])
	assert.Contains(t, lines[4], "That is not a book.")
	assert.Contains(t, stderr.String(), "offline")
}
