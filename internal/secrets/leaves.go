package secrets

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
)

// maxDepth bounds the walk of a value that refers to itself.
const maxDepth = 32

var (
	stringerType      = reflect.TypeFor[fmt.Stringer]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	errorType         = reflect.TypeFor[error]()
)

// Leaves returns the text of every leaf of v, the ways a text may show it:
// strings; numbers and bools as fmt prints them and as JSON writes them;
// the text of a Stringer, a TextMarshaler, an error, a []byte, and the
// leaves of a json.Marshaler's JSON; inside every exported struct field
// (whatever its json tag says: a secret must not hide behind `json:"-"`),
// slice, array, map (keys and values) and pointer. A method that panics
// gives nothing. The walk is bounded in depth and visits a pointer once.
func Leaves(v any) []string {
	w := walker{seen: map[uintptr]struct{}{}}
	w.walk(reflect.ValueOf(v), 0)
	return w.out
}

type walker struct {
	out  []string
	seen map[uintptr]struct{}
}

func (w *walker) add(s string) {
	if s != "" {
		w.out = append(w.out, s)
	}
}

func (w *walker) walk(v reflect.Value, depth int) {
	if !v.IsValid() || depth > maxDepth {
		return
	}
	if v.CanInterface() && v.Kind() != reflect.Interface && !(v.Kind() == reflect.Pointer && v.IsNil()) {
		w.methods(v)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		p := v.Pointer()
		if _, ok := w.seen[p]; ok {
			return
		}
		w.seen[p] = struct{}{}
		w.walk(v.Elem(), depth+1)
	case reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem(), depth+1)
		}
	case reflect.String:
		w.add(v.String())
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		if v.CanInterface() {
			x := v.Interface()
			s := fmt.Sprint(x)
			w.add(s)
			if b, err := json.Marshal(x); err == nil && string(b) != s {
				w.add(string(b))
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				w.walk(v.Field(i), depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.Kind() == reflect.Slice {
				w.add(string(v.Bytes()))
			} else if v.CanInterface() {
				b := make([]byte, v.Len())
				reflect.Copy(reflect.ValueOf(b), v)
				w.add(string(b))
			}
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i), depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			w.walk(it.Key(), depth+1)
			w.walk(it.Value(), depth+1)
		}
	}
}

// methods adds the texts v gives of itself.
func (w *walker) methods(v reflect.Value) {
	t := v.Type()
	if !t.Implements(stringerType) && !t.Implements(textMarshalerType) &&
		!t.Implements(jsonMarshalerType) && !t.Implements(errorType) {
		return
	}
	defer func() { _ = recover() }() // a method that panics gives nothing
	x := v.Interface()
	if s, ok := x.(fmt.Stringer); ok {
		w.add(s.String())
	}
	if e, ok := x.(error); ok {
		w.add(e.Error())
	}
	if m, ok := x.(encoding.TextMarshaler); ok {
		if b, err := m.MarshalText(); err == nil {
			w.add(string(b))
		}
	}
	if m, ok := x.(json.Marshaler); ok {
		if b, err := m.MarshalJSON(); err == nil {
			w.jsonLeaves(b)
		}
	}
}

// jsonLeaves adds the strings, numbers and object keys of a JSON text.
func (w *walker) jsonLeaves(b []byte) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var tree any
	if d.Decode(&tree) != nil {
		return
	}
	var walk func(any, int)
	walk = func(v any, depth int) {
		if depth > maxDepth {
			return
		}
		switch x := v.(type) {
		case string:
			w.add(x)
		case json.Number:
			w.add(x.String())
		case bool:
			w.add(fmt.Sprint(x))
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		case map[string]any:
			for k, e := range x {
				w.add(k)
				walk(e, depth+1)
			}
		}
	}
	walk(tree, 0)
}
