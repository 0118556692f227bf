package mcptools

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModelNames(t *testing.T) {
	long := strings.Repeat("é", 70)
	got := modelNames([]string{"ok", "a.b", "", "ok", long, "a b", "a_b"})
	require.Len(t, got, 7)
	assert.Equal(t, "ok", got[0])
	assert.Equal(t, "a_b", got[6], "a valid name is reserved before any mapping")
	assert.Regexp(t, `^a_b_[0-9a-f]{8}$`, got[1])
	assert.Regexp(t, `^_[0-9a-f]{8}$`, got[2], "empty")
	assert.Regexp(t, `^ok_[0-9a-f]{8}$`, got[3], "listed twice")
	assert.Regexp(t, `^_{55}_[0-9a-f]{8}$`, got[4])
	assert.Regexp(t, `^a_b_[0-9a-f]{8}$`, got[5])
	assert.NotEqual(t, got[1], got[5])
}

// A server listing one name thousands of times still gets distinct, valid
// names, in linear time.
func TestModelNamesRepeated(t *testing.T) {
	names := make([]string, MaxTools)
	for i := range names {
		names[i] = "x.y"
	}
	got := modelNames(names)
	seen := map[string]bool{}
	for _, n := range got {
		require.True(t, validName(n), n)
		require.False(t, seen[n], n)
		seen[n] = true
	}
}
