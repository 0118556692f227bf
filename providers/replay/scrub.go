package replay

import (
	"encoding/json"

	"github.com/mirascope-go/mirascope/internal/secrets"
	"github.com/mirascope-go/mirascope/prompt"
)

// scrubber masks the values of a prompt's redacted fields wherever they
// appear in text, in the forms a text quotes them in (see
// prompt.Rendered.RedactedValues for which, and how short a value is left
// out). A nil scrubber masks nothing.
type scrubber struct {
	m secrets.Masker
}

// newScrubber collects the redacted values of r.
func newScrubber(r *prompt.Rendered) *scrubber {
	if r == nil || !r.HasRedacted() {
		return nil
	}
	s := &scrubber{}
	s.m.Add(r.RedactedValues()...)
	return s
}

func (s *scrubber) merge(o *scrubber) {
	if o != nil {
		s.m.Merge(&o.m)
	}
}

func (s *scrubber) empty() bool { return s == nil || s.m.Empty() }

func (s *scrubber) string(v string) string {
	if s == nil {
		return v
	}
	return s.m.Mask(v)
}

// tree masks every string of a decoded JSON value.
func (s *scrubber) tree(v any) any {
	if s.empty() {
		return v
	}
	switch x := v.(type) {
	case string:
		return s.string(x)
	case []any:
		for i := range x {
			x[i] = s.tree(x[i])
		}
	case map[string]any:
		for k, e := range x {
			x[k] = s.tree(e)
		}
	}
	return v
}

// clean returns v with every secret masked, through its JSON form.
func clean[T any](s *scrubber, v T) T {
	if s.empty() {
		return v
	}
	b, err := normalize(v, s)
	if err != nil {
		return v
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		return v
	}
	return out
}
