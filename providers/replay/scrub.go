package replay

import (
	"bytes"
	"cmp"
	"encoding"
	"encoding/json"
	"reflect"
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
		plain := values(reflect.ValueOf(f.Value), 0)
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
		if len(v) < minSecret {
			continue
		}
		// A secret inside JSON text (a tool call's arguments) is escaped.
		for _, form := range []string{v, jsonText(v, false), jsonText(v, true)} {
			if !slices.Contains(s.secrets, form) {
				s.secrets = append(s.secrets, form)
			}
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

// jsonText is v as it reads inside a JSON string, without the quotes.
func jsonText(v string, escapeHTML bool) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(escapeHTML)
	if e.Encode(v) != nil {
		return v
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n"))[1 : b.Len()-2])
}

// maxDepth bounds the walk of a value that refers to itself.
const maxDepth = 32

// values returns the strings and numbers in v, walking every exported
// field, whatever its json tag says: a redacted value must not hide from
// the scrubber behaving as `json:"-"`. A value that encodes itself
// (time.Time, a json.Marshaler) gives the leaves of its JSON form.
func values(v reflect.Value, depth int) []string {
	if !v.IsValid() || depth > maxDepth {
		return nil
	}
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case json.Marshaler, encoding.TextMarshaler:
			return leaves(x)
		case []byte:
			return []string{string(x)}
		case error:
			return []string{x.Error()}
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return values(v.Elem(), depth+1)
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out = append(out, values(v.Field(i), depth+1)...)
			}
		}
		return out
	case reflect.Slice, reflect.Array:
		var out []string
		for i := range v.Len() {
			out = append(out, values(v.Index(i), depth+1)...)
		}
		return out
	case reflect.Map:
		var out []string
		for it := v.MapRange(); it.Next(); {
			out = append(out, values(it.Key(), depth+1)...)
			out = append(out, values(it.Value(), depth+1)...)
		}
		return out
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		if v.CanInterface() {
			return leaves(v.Interface())
		}
	}
	return nil
}

// leaves returns the strings, numbers and keys in v's JSON form.
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
			for k, e := range x {
				out = append(out, k)
				walk(e)
			}
		}
	}
	walk(tree)
	return out
}
