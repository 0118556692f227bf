package cohere

import (
	"encoding/json"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

var extraBodyKey = providerkit.NewOptionKey("cohere.WithExtraBody", name)

// WithExtraBody sets request body fields the library does not model (e.g.
// "k", "frequency_penalty", "safety_mode"), at the top level of the Chat v2
// body, over any field of the same name, as cohere-go's
// option.WithBodyProperties does. Calls merge their maps; later keys win.
// The values are sent, never recorded on a span.
func WithExtraBody(fields map[string]any) mirascope.CallOption {
	return providerkit.MergeFields(extraBodyKey, fields)
}

// withExtraBody returns body with req's extra fields set on it.
func withExtraBody(req *mirascope.Request, body []byte) ([]byte, error) {
	fields := providerkit.Fields(req, extraBodyKey)
	if len(fields) == 0 {
		return body, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	for k, v := range fields {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		m[k] = b
	}
	return json.Marshal(m)
}
