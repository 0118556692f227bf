package google

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope/providers"
)

// The SDK prints its whole ClientConfig, key included, into its setup errors;
// setupErr must keep the key out.
func TestSetupErrorHidesKey(t *testing.T) {
	const key = "AIza-secret-key-0123456789"
	_, sdkErr := genai.NewClient(context.Background(), &genai.ClientConfig{
		APIKey: key, Backend: genai.BackendGeminiAPI, Project: "p",
	})
	require.Error(t, sdkErr)
	require.Contains(t, sdkErr.Error(), key, "the SDK leaks the key; this test guards the filter")

	p := &Provider{apiKey: key}
	p.info.Name = Name
	err := p.setupErr(sdkErr)
	assert.NotContains(t, err.Error(), key)
	assert.EqualError(t, err, "mirascope: gcp.gemini: SDK client: project and location are not supported for Gemini API backend")
	// A configuration failure, not a ProviderError with status 0.
	var ce *providers.ConfigError
	assert.ErrorAs(t, err, &ce)
}
