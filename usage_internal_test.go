package mirascope

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A sum of usages is Batch only when every usage in it is; the zero Usage
// (where a Transcript starts) adds nothing.
func TestUsageAddBatch(t *testing.T) {
	batch := Usage{InputTokens: 3, OutputTokens: 2, Batch: true}
	online := Usage{InputTokens: 5, OutputTokens: 1}
	for _, tc := range []struct {
		name string
		a, b Usage
		want Usage
	}{
		{"zero+batch", Usage{}, batch, batch},
		{"batch+zero", batch, Usage{}, batch},
		{"batch+batch", batch, batch, Usage{InputTokens: 6, OutputTokens: 4, Batch: true}},
		{"batch+online", batch, online, Usage{InputTokens: 8, OutputTokens: 3}},
		{"online+batch", online, batch, Usage{InputTokens: 8, OutputTokens: 3}},
		{"zero+online", Usage{}, online, online},
		{"empty batch+online", Usage{Batch: true}, online, online},
	} {
		assert.Equal(t, tc.want, tc.a.add(tc.b), tc.name)
	}
}
