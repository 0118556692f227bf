package cohere

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mirascope-go/mirascope/internal/jsonschema"
)

// Cohere's structured outputs take a subset of string formats and of
// pattern syntax; the rest is dropped (the answer is still checked against
// the full schema after decoding). The bounds it rejects are moved into the
// descriptions, and the composition it cannot read refused, by
// lower.Prepare (lower.Cohere).
var (
	supportedFormats = []string{"date-time", "uuid", "date", "time"}
	// patternUnsupported are the regular-expression constructs Cohere's
	// patterns cannot hold.
	patternUnsupported = []string{"^", "$", "(?=", "(?!"}
)

// responseSchema turns a Format's schema into response_format's json_schema
// under Cohere's documented rules: the root is an object, every object lists
// at least one required property, and the formats and patterns above are
// dropped. Property order and numbers are kept as written.
func responseSchema(raw []byte) (map[string]any, error) {
	out, err := jsonschema.Edit(raw, func(path *jsonschema.Path, k jsonschema.Keywords) error {
		if path.IsRoot() && !k.IsType("object") {
			return unsupported("Format", `Cohere's response_format needs a schema whose type is "object"`)
		}
		if f, ok := k.String("format"); ok && !slices.Contains(supportedFormats, f) {
			k.Delete("format")
		}
		if p, ok := k.String("pattern"); ok && slices.ContainsFunc(patternUnsupported, func(c string) bool { return strings.Contains(p, c) }) {
			k.Delete("pattern")
		}
		if k.IsType("object") && k.Len("properties") > 0 && k.Len("required") == 0 {
			return unsupported("Format", fmt.Sprintf("Cohere's response_format needs every object to list at least one required property (the object at %s lists none)", path))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rawMembers(json.RawMessage(out)), nil
}
