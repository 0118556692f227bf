package anthropic

import (
	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

var extraBodyKey = providerkit.NewOptionKey("anthropic.WithExtraBody", Name)

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
