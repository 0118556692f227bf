package google

import (
	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

var extraBodyKey = providerkit.NewOptionKey("google.WithExtraBody", Name, VertexName)

// WithExtraBody sets request body fields the library does not model (e.g.
// {"generationConfig": {"topK": 40}}, "safetySettings"), through genai's
// own HTTPOptions.ExtraBody: they are merged into the generateContent body
// as the REST API names them, nested objects key by key, over the fields
// set otherwise. Calls merge their maps; later keys win. The values are
// sent, never recorded on a span.
func WithExtraBody(fields map[string]any) mirascope.CallOption {
	return providerkit.MergeFields(extraBodyKey, fields)
}

// applyExtraBody hands the fields to the SDK for this request.
func applyExtraBody(req *mirascope.Request, cfg *genai.GenerateContentConfig) {
	fields := providerkit.Fields(req, extraBodyKey)
	if len(fields) == 0 {
		return
	}
	if cfg.HTTPOptions == nil {
		cfg.HTTPOptions = &genai.HTTPOptions{}
	}
	cfg.HTTPOptions.ExtraBody = fields
}
