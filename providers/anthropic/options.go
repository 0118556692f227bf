package anthropic

import (
	"fmt"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

var (
	extraBodyKey   = providerkit.NewOptionKey("anthropic.WithExtraBody", Name)
	cacheTTLKey    = providerkit.NewOptionKey("anthropic.WithCacheTTL", Name)
	cachedToolsKey = providerkit.NewOptionKey("anthropic.WithCachedTools", Name)
)

// WithExtraBody sets request body fields the library does not model (e.g.
// {"top_k": 40} for a model and API version that take it, "metadata",
// "service_tier"), at the top level of the Messages API body, through
// anthropic-sdk-go's SetExtraFields: a field of the same name set otherwise
// is replaced. Calls merge their maps; later keys win. The values are sent,
// never recorded on a span.
func WithExtraBody(fields map[string]any) mirascope.CallOption {
	return providerkit.MergeFields(extraBodyKey, fields)
}

// applyExtraBody runs after every other mapping, so that its fields win.
func applyExtraBody(req *mirascope.Request, params *sdk.MessageNewParams) {
	if all := providerkit.FieldsOver(req, extraBodyKey, params.ExtraFields()); all != nil {
		params.SetExtraFields(all)
	}
}

// The cache lifetimes the API takes for cache_control.
const (
	CacheTTL5m = "5m" // the API's default
	CacheTTL1h = "1h"
)

// WithCacheTTL sets the lifetime of the cache entries this call's
// breakpoints (prompt.CacheBreakpoint, WithCachedTools) write: [CacheTTL5m]
// or [CacheTTL1h]; another value is refused before any request.
func WithCacheTTL(ttl string) mirascope.CallOption {
	return func(r *mirascope.Request) { setExt(r, cacheTTLKey, ttl) }
}

// WithCachedTools ends a cacheable prefix after the tool definitions
// (cache_control on the last tool), which the API places before the system
// prompt and the messages: a long tool list is then read from the cache.
func WithCachedTools() mirascope.CallOption {
	return func(r *mirascope.Request) { setExt(r, cachedToolsKey, true) }
}

func setExt(r *mirascope.Request, key *providerkit.OptionKey, v any) {
	if r.Extensions == nil {
		r.Extensions = make(map[any]any)
	}
	r.Extensions[key] = v
}

// cacheControl is the cache_control a breakpoint of req puts on its block.
func cacheControl(req *mirascope.Request) (sdk.CacheControlEphemeralParam, error) {
	cc := sdk.NewCacheControlEphemeralParam()
	ttl, ok := req.Extensions[cacheTTLKey].(string)
	if !ok {
		return cc, nil
	}
	switch ttl {
	case CacheTTL5m, CacheTTL1h:
		cc.TTL = sdk.CacheControlEphemeralTTL(ttl)
		return cc, nil
	}
	return cc, &mirascope.UnsupportedError{Provider: Name, Parameter: "anthropic.WithCacheTTL",
		Reason: fmt.Sprintf("the API keeps a cache entry %q or %q, not %q", CacheTTL5m, CacheTTL1h, ttl)}
}
