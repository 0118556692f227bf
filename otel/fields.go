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
// float64 or bool, or a slice of one of them, as the value's kind is; a
// media field's description (see mediaValue); JSON for anything else. ok is false for a value not recorded: nil, a nil pointer, a
// []prompt.Message history, or one JSON cannot encode. Strings are valid
// UTF-8 and not yet bounded; size is what the value takes (see cutValue).
func fieldAttr(key attribute.Key, f *prompt.Field) (kv attribute.KeyValue, size int, ok bool) {
	var v any
	switch {
	case f.Redacted:
		v = prompt.RedactedText
	case isMedia(f.Value):
		// Its URL, or its MIME type and size: never its bytes.
		val, size, ok := mediaValue(f.Value)
		return attribute.KeyValue{Key: key, Value: val}, size, ok
	default:
		v = f.Masked()
		switch v.(type) {
		case map[string]any, []any, prompt.Part:
			// A nested struct's or a slice's parts: described, never
			// marshalled with their bytes.
			v, _ = withoutBytes(v, 0)
		}
	}
	val, size, ok := attrValue(v)
	if !ok {
		return attribute.KeyValue{}, 0, false
	}
	return attribute.KeyValue{Key: key, Value: val}, size, true
}

// Sizes of values that are not text, as OTLP encodes them at most.
const (
	numberSize      = 9
	stringElemExtra = 2
)

func attrValue(v any) (attribute.Value, int, bool) {
	// The common types first, without reflection.
	switch x := v.(type) {
	case nil:
		return attribute.Value{}, 0, false
	case string:
		x = validString(x)
		return attribute.StringValue(x), len(x), true
	case int:
		return attribute.IntValue(x), numberSize, true
	case int64:
		return attribute.Int64Value(x), numberSize, true
	case int32:
		return attribute.Int64Value(int64(x)), numberSize, true
	case float64:
		return attribute.Float64Value(x), numberSize, true
	case float32:
		return attribute.Float64Value(float64(x)), numberSize, true
	case bool:
		return attribute.BoolValue(x), 1, true
	case []string:
		x = validStrings(x)
		return attribute.StringSliceValue(x), stringsSize(x), true
	case []int:
		return attribute.IntSliceValue(x), numberSize * len(x), true
	case []int64:
		return attribute.Int64SliceValue(x), numberSize * len(x), true
	case []float64:
		return attribute.Float64SliceValue(x), numberSize * len(x), true
	case []bool:
		return attribute.BoolSliceValue(x), len(x), true
	case []prompt.Message:
		return attribute.Value{}, 0, false
	}
	return reflectValue(reflect.ValueOf(v))
}

func stringsSize(s []string) int {
	n := 0
	for _, x := range s {
		n += len(x) + stringElemExtra
	}
	return n
}

func reflectValue(rv reflect.Value) (attribute.Value, int, bool) {
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return attribute.Value{}, 0, false
		}
		rv = rv.Elem()
	}
	if rv.Type() == messagesType {
		return attribute.Value{}, 0, false
	}
	// A type with its own text or JSON form (time.Time, a custom enum)
	// speaks for itself through JSON.
	if !implementsMarshaler(rv) {
		switch rv.Kind() {
		case reflect.String:
			s := validString(rv.String())
			return attribute.StringValue(s), len(s), true
		case reflect.Bool:
			return attribute.BoolValue(rv.Bool()), 1, true
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return attribute.Int64Value(rv.Int()), numberSize, true
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			u := rv.Uint()
			if u > math.MaxInt64 {
				return attribute.StringValue(strconv.FormatUint(u, 10)), 20, true
			}
			return attribute.Int64Value(int64(u)), numberSize, true
		case reflect.Float32, reflect.Float64:
			return attribute.Float64Value(rv.Float()), numberSize, true
		case reflect.Slice, reflect.Array:
			if v, size, ok := sliceValue(rv); ok {
				return v, size, true
			}
		}
	}
	b, err := json.Marshal(rv.Interface())
	if err != nil {
		return attribute.Value{}, 0, false
	}
	s := validString(string(b)) // a MarshalJSON may return anything
	return attribute.StringValue(s), len(s), true
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
func sliceValue(rv reflect.Value) (attribute.Value, int, bool) {
	et := rv.Type().Elem()
	if et.Implements(jsonMarshaler) || et.Implements(textMarshaler) {
		return attribute.Value{}, 0, false
	}
	n := rv.Len()
	switch et.Kind() {
	case reflect.String:
		s := make([]string, n)
		for i := range n {
			s[i] = validString(rv.Index(i).String())
		}
		return attribute.StringSliceValue(s), stringsSize(s), true
	case reflect.Bool:
		s := make([]bool, n)
		for i := range n {
			s[i] = rv.Index(i).Bool()
		}
		return attribute.BoolSliceValue(s), n, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s := make([]int64, n)
		for i := range n {
			s[i] = rv.Index(i).Int()
		}
		return attribute.Int64SliceValue(s), numberSize * n, true
	case reflect.Uint16, reflect.Uint32:
		s := make([]int64, n)
		for i := range n {
			s[i] = int64(rv.Index(i).Uint())
		}
		return attribute.Int64SliceValue(s), numberSize * n, true
	case reflect.Float32, reflect.Float64:
		s := make([]float64, n)
		for i := range n {
			s[i] = rv.Index(i).Float()
		}
		return attribute.Float64SliceValue(s), numberSize * n, true
	}
	return attribute.Value{}, 0, false
}

// cutValue bounds a field's value to max bytes: a string is cut (ending in
// the truncation mark); a slice of strings shares max fairly among its
// elements and, when even empty elements would not fit, keeps the first
// ones and ends in the mark; a slice of numbers or bools keeps the first
// elements that fit. Other values are small and kept.
func cutValue(v attribute.Value, max int) attribute.Value {
	switch v.Type() {
	case attribute.STRING:
		return attribute.StringValue(truncateString(v.AsString(), max))
	case attribute.STRINGSLICE:
		return attribute.StringSliceValue(cutStrings(v.AsStringSlice(), max))
	case attribute.INT64SLICE:
		s := v.AsInt64Slice()
		return attribute.Int64SliceValue(s[:min(len(s), max/numberSize)])
	case attribute.FLOAT64SLICE:
		s := v.AsFloat64Slice()
		return attribute.Float64SliceValue(s[:min(len(s), max/numberSize)])
	case attribute.BOOLSLICE:
		s := v.AsBoolSlice()
		return attribute.BoolSliceValue(s[:min(len(s), max)])
	}
	return v
}

func cutStrings(s []string, max int) []string {
	if stringsSize(s) <= max {
		return s
	}
	keep := min(len(s), max/(stringElemExtra+len(truncationMark)))
	sizes := make([]int, keep)
	for i := range keep {
		sizes[i] = len(s[i])
	}
	c := fairCap(sizes, max-keep*(stringElemExtra+len(truncationMark)))
	out := make([]string, keep, keep+1)
	for i := range keep {
		out[i] = truncateString(s[i], c)
	}
	if keep < len(s) {
		out = append(out, truncationMark)
	}
	return out
}
