package otel

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"sync"

	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope/prompt"
)

// promptKeys caches the mirascope.prompt.field.<name> keys of each prompt
// type, by its name: one lookup per call instead of building (or looking up)
// a key per field. Two types of the same name in different packages share an
// entry only while their field names agree; keysFor checks.
var promptKeys sync.Map // string → []attribute.Key

func keysFor(rp *prompt.Rendered) []attribute.Key {
	if v, ok := promptKeys.Load(rp.Name); ok {
		keys := v.([]attribute.Key)
		if keysMatch(keys, rp.Fields) {
			return keys
		}
	}
	keys := make([]attribute.Key, len(rp.Fields))
	for i := range rp.Fields {
		keys[i] = attribute.Key(KeyPromptFieldPrefix + rp.Fields[i].Name)
	}
	promptKeys.Store(rp.Name, keys)
	return keys
}

func keysMatch(keys []attribute.Key, fields []prompt.Field) bool {
	if len(keys) != len(fields) {
		return false
	}
	for i := range fields {
		k := string(keys[i])
		if len(k) != len(KeyPromptFieldPrefix)+len(fields[i].Name) || k[len(KeyPromptFieldPrefix):] != fields[i].Name {
			return false
		}
	}
	return true
}

var messagesType = reflect.TypeFor[[]prompt.Message]()

// fieldAttr turns one prompt field into its attribute: a string, int64,
// float64 or bool, or a slice of one of them, as the value's kind is; JSON for
// anything else. ok is false for a value not recorded: nil, a nil pointer, a
// []prompt.Message history, or one JSON cannot encode.
func fieldAttr(key attribute.Key, f *prompt.Field, max int) (attribute.KeyValue, bool) {
	var v any
	if f.Redacted {
		v = prompt.RedactedText
	} else {
		v = f.Masked()
	}
	val, ok := attrValue(v, max)
	if !ok {
		return attribute.KeyValue{}, false
	}
	return attribute.KeyValue{Key: key, Value: val}, true
}

func attrValue(v any, max int) (attribute.Value, bool) {
	// The common types first, without reflection.
	switch x := v.(type) {
	case nil:
		return attribute.Value{}, false
	case string:
		return attribute.StringValue(truncateString(x, max)), true
	case int:
		return attribute.IntValue(x), true
	case int64:
		return attribute.Int64Value(x), true
	case int32:
		return attribute.Int64Value(int64(x)), true
	case float64:
		return attribute.Float64Value(x), true
	case float32:
		return attribute.Float64Value(float64(x)), true
	case bool:
		return attribute.BoolValue(x), true
	case []string:
		return attribute.StringSliceValue(truncateStrings(x, max)), true
	case []int:
		return attribute.IntSliceValue(x), true
	case []int64:
		return attribute.Int64SliceValue(x), true
	case []float64:
		return attribute.Float64SliceValue(x), true
	case []bool:
		return attribute.BoolSliceValue(x), true
	case []prompt.Message:
		return attribute.Value{}, false
	}
	return reflectValue(reflect.ValueOf(v), max)
}

func reflectValue(rv reflect.Value, max int) (attribute.Value, bool) {
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return attribute.Value{}, false
		}
		rv = rv.Elem()
	}
	if rv.Type() == messagesType {
		return attribute.Value{}, false
	}
	// A type with its own text or JSON form (time.Time, a custom enum)
	// speaks for itself through JSON.
	if !implementsMarshaler(rv) {
		switch rv.Kind() {
		case reflect.String:
			return attribute.StringValue(truncateString(rv.String(), max)), true
		case reflect.Bool:
			return attribute.BoolValue(rv.Bool()), true
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return attribute.Int64Value(rv.Int()), true
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			u := rv.Uint()
			if u > math.MaxInt64 {
				return attribute.StringValue(strconv.FormatUint(u, 10)), true
			}
			return attribute.Int64Value(int64(u)), true
		case reflect.Float32, reflect.Float64:
			return attribute.Float64Value(rv.Float()), true
		case reflect.Slice, reflect.Array:
			if v, ok := sliceValue(rv, max); ok {
				return v, true
			}
		}
	}
	b, err := json.Marshal(rv.Interface())
	if err != nil {
		return attribute.Value{}, false
	}
	return attribute.StringValue(truncateString(string(b), max)), true
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]()
)

func implementsMarshaler(rv reflect.Value) bool {
	t := rv.Type()
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler) ||
		reflect.PointerTo(t).Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(textMarshaler)
}

// sliceValue converts a slice of a basic kind (named or not) into a typed
// slice attribute; ok is false for other element kinds, which go to JSON.
func sliceValue(rv reflect.Value, max int) (attribute.Value, bool) {
	et := rv.Type().Elem()
	if et.Implements(jsonMarshaler) || et.Implements(textMarshaler) {
		return attribute.Value{}, false
	}
	n := rv.Len()
	switch et.Kind() {
	case reflect.String:
		s := make([]string, n)
		for i := range n {
			s[i] = truncateString(rv.Index(i).String(), max)
		}
		return attribute.StringSliceValue(s), true
	case reflect.Bool:
		s := make([]bool, n)
		for i := range n {
			s[i] = rv.Index(i).Bool()
		}
		return attribute.BoolSliceValue(s), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s := make([]int64, n)
		for i := range n {
			s[i] = rv.Index(i).Int()
		}
		return attribute.Int64SliceValue(s), true
	case reflect.Uint16, reflect.Uint32:
		s := make([]int64, n)
		for i := range n {
			s[i] = int64(rv.Index(i).Uint())
		}
		return attribute.Int64SliceValue(s), true
	case reflect.Float32, reflect.Float64:
		s := make([]float64, n)
		for i := range n {
			s[i] = rv.Index(i).Float()
		}
		return attribute.Float64SliceValue(s), true
	}
	return attribute.Value{}, false
}

func truncateStrings(s []string, max int) []string {
	if max <= 0 {
		return s
	}
	var out []string
	for i, x := range s {
		if len(x) > max {
			if out == nil {
				out = append([]string(nil), s...)
			}
			out[i] = truncateString(x, max)
		}
	}
	if out == nil {
		return s
	}
	return out
}
