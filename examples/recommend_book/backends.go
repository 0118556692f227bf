package main

import (
	"net/http"

	"github.com/mirascope-go/mirascope"
)

// backend is one provider the example can run on. Each provider adds itself
// from a file of its own (backend_<name>.go) with register in an init func.
type backend struct {
	// model is the seed's model for this provider.
	model string
	// online reports whether credentials for the real service are in the
	// environment.
	online func() bool
	// newProvider builds the provider. baseURL is "" when online; offline it
	// is the URL of the in-process server running replay.
	newProvider func(baseURL string) mirascope.Provider
	// replay answers the provider's real client with recorded responses
	// (embedded from recorded/<name>/): a whole response, or a stream when the
	// request asks for one.
	replay http.Handler
}

var backends = map[string]backend{}

func register(name string, b backend) { backends[name] = b }
