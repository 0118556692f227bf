package lower_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// The first finding of New wins; with none, another provider's option is
// refused; with neither, the request may go.
func TestGate(t *testing.T) {
	cfgErr := errors.New("bad base URL")
	g := lower.NewGate("svc", nil, cfgErr, lower.MissingKey("svc", "", "SVC_KEY"))
	assert.Equal(t, cfgErr, g.Ready(&mirascope.Request{}))

	g = lower.NewGate("svc", nil, lower.MissingKey("svc", "", "SVC_KEY", "OTHER_KEY"))
	err := g.Ready(&mirascope.Request{})
	assert.ErrorIs(t, err, providers.ErrMissingAPIKey)
	assert.ErrorIs(t, err, mirascope.ErrAuth)
	assert.EqualError(t, err, "mirascope: svc: missing API key: set SVC_KEY or OTHER_KEY or pass providers.WithAPIKey")

	g = lower.NewGate("svc", lower.MissingKey("svc", "k", "SVC_KEY"))
	assert.NoError(t, g.Ready(&mirascope.Request{}))
	key := providerkit.NewOptionKey("other.WithX", "other")
	assert.ErrorIs(t, g.Ready(&mirascope.Request{Extensions: map[any]any{key: 1}}), mirascope.ErrUnsupportedParameter)
}
