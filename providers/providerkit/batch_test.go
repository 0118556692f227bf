package providerkit_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// A failed job's reason is short however many or long its errors are, and
// valid UTF-8 where a message is cut.
func TestBatchReason(t *testing.T) {
	assert.Empty(t, providerkit.BatchReason(nil))
	assert.Equal(t, "a; b", providerkit.BatchReason([]string{"a", "b"}))
	assert.Equal(t, "a; b; c; and 2 more", providerkit.BatchReason([]string{"a", "b", "c", "d", "e"}))
	long := strings.Repeat("é", 1000) // 2 bytes each: a cut at 300 falls between runes only by luck
	r := providerkit.BatchReason([]string{"x" + long})
	assert.True(t, utf8.ValidString(r))
	assert.LessOrEqual(t, len(r), 300+len("…"))
	assert.True(t, strings.HasSuffix(r, "…"))
}
