package prompt

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"
)

// immutable reports whether a field's value is its own copy already, the
// common case, which costs nothing.
func immutable(val any) bool {
	switch val.(type) {
	case nil, string, int, int64, float64, bool:
		return true
	}
	return false
}

// snapshot copies v into values that share no memory with it: a struct
// with a plan becomes a map of its variables by prompt name, with redacted
// ones [RedactedText]; slices and maps are copied (those of basic kinds
// keep their type, others become []any and map[string]any); an error is its
// Error(), a []byte its text. Other values, which Go copies on assignment,
// are kept as they are. A value nested beyond maxDepth (a cycle) is an
// error.
func snapshot(p *plan, v reflect.Value, depth int) (any, error) {
	for ; ; depth++ {
		if depth > maxDepth {
			return nil, errTooDeep
		}
		if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return nil, nil
			}
		}
		if !v.IsValid() || !v.CanInterface() {
			return nil, nil
		}
		if e, ok := v.Interface().(error); ok && v.Type().Implements(errorType) {
			return e.Error(), nil
		}
		if v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface {
			break
		}
		v = v.Elem()
	}
	t := v.Type()
	switch t {
	case messagesType:
		return cloneMessages(v.Interface().([]Message)), nil // a history stays one
	case partType:
		return clonePart(v.Interface().(Part)), nil // its bytes are not copied
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil, nil
		}
		if v.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 && !isTextual(t) {
			return bytesText(v), nil
		}
		if basic(t.Elem()) {
			if v.Kind() == reflect.Array {
				return v.Interface(), nil // copied by value
			}
			c := reflect.MakeSlice(t, v.Len(), v.Len())
			reflect.Copy(c, v)
			return c.Interface(), nil
		}
		out := make([]any, v.Len())
		for i := range out {
			var err error
			if out[i], err = snapshot(p, v.Index(i), depth+1); err != nil {
				return nil, err
			}
		}
		return out, nil
	case reflect.Map:
		if v.IsNil() {
			return nil, nil
		}
		if basic(t.Elem()) && (t.Key().Kind() == reflect.String || basic(t.Key())) {
			c := reflect.MakeMapWithSize(t, v.Len())
			for it := v.MapRange(); it.Next(); {
				c.SetMapIndex(it.Key(), it.Value())
			}
			return c.Interface(), nil // a map of one basic kind keeps its type
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			val, err := snapshot(p, it.Value(), depth+1)
			if err != nil {
				return nil, err
			}
			out[mapKey(it.Key())] = val
		}
		return out, nil
	case reflect.Struct:
		if p == nil || t != p.typ || p.err != nil {
			break
		}
		out := make(map[string]any, len(p.fields))
		for _, f := range p.fields {
			if f.redact {
				out[f.name] = RedactedText
				continue
			}
			val, err := snapshot(f.inner, fieldReflect(v, f), depth+1)
			if err != nil {
				return nil, err
			}
			out[f.name] = val
		}
		return out, nil
	}
	return v.Interface(), nil
}

func cloneMessages(ms []Message) []Message {
	if ms == nil {
		return nil
	}
	out := make([]Message, len(ms))
	for i, m := range ms {
		m.ToolCalls = slices.Clone(m.ToolCalls)
		if m.Parts != nil {
			m.Parts = slices.Clone(m.Parts)
			for j := range m.Parts {
				m.Parts[j] = clonePart(m.Parts[j]) // the bytes stay shared
			}
		}
		out[i] = m
	}
	return out
}

// basic reports whether values of t hold no references to copy.
func basic(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return !isTextual(t)
	}
	return false
}

// isTextual reports whether t prints through a method of its own.
func isTextual(t reflect.Type) bool {
	return t.Implements(errorType) || t.Implements(stringerType) || t.Implements(textMarshaler) || t.Implements(jsonMarshaler)
}

// mapKey is a map key as encoding/json writes it.
func mapKey(k reflect.Value) string {
	switch k.Kind() {
	case reflect.String:
		return k.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10)
	}
	if tm, ok := k.Interface().(interface{ MarshalText() ([]byte, error) }); ok {
		if text, err := tm.MarshalText(); err == nil {
			return string(text)
		}
	}
	return fmt.Sprint(k.Interface())
}

// unprintable says why a template cannot print values of t, or "" if it
// can. It follows what the template does: text for errors, Stringers and
// TextMarshalers, elements for slices, encoding/json for the rest, so a
// struct or map is checked as JSON would encode it.
func unprintable(t reflect.Type, seen map[reflect.Type]bool) string {
	if seen[t] {
		return ""
	}
	seen[t] = true
	if t.Kind() != reflect.Interface && (isTextual(t) || isTextual(reflect.PointerTo(t))) {
		return ""
	}
	switch t.Kind() {
	case reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return fmt.Sprintf("a template cannot print a %s", t.Kind())
	case reflect.Complex64, reflect.Complex128:
		return "a template cannot print complex numbers (JSON has none)"
	case reflect.Pointer:
		if derefType(t).Kind() == reflect.Pointer {
			return "a pointer to itself never ends"
		}
		return unprintable(t.Elem(), seen)
	case reflect.Slice, reflect.Array:
		return unprintable(t.Elem(), seen)
	case reflect.Map:
		k := t.Key()
		switch k.Kind() {
		case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		default:
			if !k.Implements(textMarshaler) {
				return fmt.Sprintf("a template cannot print a map with %s keys (only strings, integers and TextMarshalers)", k)
			}
		}
		return unprintable(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() && !sf.Anonymous || sf.Tag.Get("json") == "-" {
				continue
			}
			if why := unprintable(sf.Type, seen); why != "" {
				return why + " (in " + t.String() + "." + sf.Name + ")"
			}
		}
	}
	return ""
}

// checkDepth walks v as the validator will (pointers, interfaces, struct
// fields, elements), refusing a value nested beyond maxDepth: the validator
// recurses without cycle detection, and a stack overflow cannot be
// recovered. Only types that can nest are walked.
func checkDepth(v reflect.Value, depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkDepth(v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			// The fields the validator visits.
			if sf := v.Type().Field(i); (sf.IsExported() || sf.Anonymous) && sf.Tag.Get("validate") != "-" && mayNest(sf.Type) {
				if err := checkDepth(v.Field(i), depth+1); err != nil {
					return err
				}
			}
		}
	case reflect.Slice, reflect.Array:
		if !mayNest(v.Type().Elem()) {
			return nil
		}
		for i := 0; i < v.Len(); i++ {
			if err := checkDepth(v.Index(i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		if !mayNest(v.Type().Elem()) {
			return nil
		}
		for it := v.MapRange(); it.Next(); {
			if err := checkDepth(it.Value(), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// nests caches mayNest per type.
var nests sync.Map // reflect.Type -> bool

// mayNest reports whether a value of t can hold a pointer, interface, slice
// or map: only those can make a value deep or cyclic.
func mayNest(t reflect.Type) bool {
	if b, ok := nests.Load(t); ok {
		return b.(bool)
	}
	b := mayNestIn(t, map[reflect.Type]bool{})
	nests.Store(t, b)
	return b
}

func mayNestIn(t reflect.Type, seen map[reflect.Type]bool) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return true
	case reflect.Array:
		return mayNestIn(t.Elem(), seen)
	case reflect.Struct:
		if seen[t] {
			return false
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			if mayNestIn(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}
