package google

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNativeWithTools(t *testing.T) {
	for model, want := range map[string]bool{
		"gemini-3-pro-preview":    true,
		"gemini-3.1-flash":        true,
		"models/gemini-4-argon":   true,
		"gemini-flash-latest":     true, // an alias we cannot place
		"tunedModels/my-model":    true,
		"gemini-2.5-flash":        false,
		"models/gemini-2.0-flash": false,
		"gemini-1.5-pro-002":      false,
		"gemini-pro":              false,
		"projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro": false,
	} {
		assert.Equal(t, want, nativeWithTools(model), model)
	}
}
