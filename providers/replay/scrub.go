package replay

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/mirascope-go/mirascope/prompt"
)

// minSecret is the shortest redacted value searched for in free text:
// shorter ones would mask ordinary words and numbers.
const minSecret = 4

// scrubber masks the values of a prompt's redacted fields wherever they
// appear in text. A nil scrubber masks nothing.
type scrubber struct {
	secrets []string // longest first, so a secret containing another goes whole
}

// newScrubber collects the redacted values of r: every leaf of a redacted
// field, and the leaves a nested struct's masked form hides.
func newScrubber(r *prompt.Rendered) *scrubber {
	if r == nil || !r.HasRedacted() {
		return nil
	}
	var secrets []string
	for _, f := range r.Fields {
		plain := leaves(f.Value)
		if f.Redacted {
			secrets = append(secrets, plain...)
			continue
		}
		masked := leaves(f.Masked())
		for _, v := range plain {
			if !slices.Contains(masked, v) {
				secrets = append(secrets, v)
			}
		}
	}
	s := &scrubber{}
	s.add(secrets...)
	return s
}

func (s *scrubber) add(secrets ...string) {
	for _, v := range secrets {
		if len(v) >= minSecret && !slices.Contains(s.secrets, v) {
			s.secrets = append(s.secrets, v)
		}
	}
	slices.SortStableFunc(s.secrets, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
}

func (s *scrubber) merge(o *scrubber) {
	if o != nil {
		s.add(o.secrets...)
	}
}

func (s *scrubber) string(v string) string {
	if s == nil {
		return v
	}
	for _, secret := range s.secrets {
		v = strings.ReplaceAll(v, secret, prompt.RedactedText)
	}
	return v
}

// tree masks every string of a decoded JSON value.
func (s *scrubber) tree(v any) any {
	if s == nil || len(s.secrets) == 0 {
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
	if s == nil || len(s.secrets) == 0 {
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

// leaves returns the strings and numbers in v's JSON form.
func leaves(v any) []string {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var tree any
	if d.Decode(&tree) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case json.Number:
			out = append(out, x.String())
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(tree)
	return out
}
