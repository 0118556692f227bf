package lower

import (
	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Gate is a provider's one readiness check: what New found wrong with its
// configuration, returned before any request on every call, then any
// CallOption of another provider's in the request.
type Gate struct {
	name string
	err  error
}

// NewGate keeps the first of errs that is not nil (New's findings, in the
// order they should be reported: e.g. Config.Check, then a missing
// endpoint, then [MissingKey]).
func NewGate(name string, errs ...error) Gate {
	for _, err := range errs {
		if err != nil {
			return Gate{name: name, err: err}
		}
	}
	return Gate{name: name}
}

// MissingKey is the error of a provider that needs a key and has none: a
// *providers.MissingAPIKeyError naming the variables it reads; nil when key
// is set.
func MissingKey(name, key string, envVars ...string) error {
	if key != "" {
		return nil
	}
	return &providers.MissingAPIKeyError{Provider: name, EnvVars: append([]string(nil), envVars...)}
}

// Ready returns what stops req from going out: the error New found, else a
// CallOption of another provider's.
func (g Gate) Ready(req *mirascope.Request) error {
	if g.err != nil {
		return g.err
	}
	return providerkit.CheckCallOptions(g.name, req)
}
