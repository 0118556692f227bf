package jsonschema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/invopop/jsonschema"
)

var cache sync.Map // reflect.Type → result

type result struct {
	schema json.RawMessage
	shape  *shape
	err    error
}

// For returns the JSON Schema of values of type t, derived once per type and
// cached (a type that fails, fails the same way every time). The schema is
// what encoding/json produces and accepts for t:
//
//   - property names from `json` tags; embedded structs inlined;
//   - a property is required unless it is a pointer or tagged omitempty or
//     omitzero, and always when its `validate` tag says required;
//   - the description from the `jsonschema` tag: plain text, or invopop's
//     key=value form (description=…, enum=…, minimum=…);
//   - `validate` rules as schema: oneof → enum; min, max, len, gt, gte, lt,
//     lte → bounds on numbers, string lengths and item counts; email, url,
//     uri, uuid, hostname, ipv4, ipv6, datetime → format; after dive, on the
//     items of a slice or the values of a map;
//   - objects reject unknown properties (additionalProperties false);
//   - time.Time is a date-time string, []byte a base64 string, an unsigned
//     integer has minimum 0;
//   - a recursive type gets $defs and $ref, anything else is inlined.
//
// The returned bytes are shared: do not modify them.
func For(t reflect.Type) (json.RawMessage, error) {
	if r, ok := cache.Load(t); ok {
		return r.(result).schema, r.(result).err
	}
	s, sh, err := derive(t)
	r, _ := cache.LoadOrStore(t, result{s, sh, err})
	return r.(result).schema, r.(result).err
}

func derive(t reflect.Type) (_ json.RawMessage, _ *shape, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("jsonschema: %s: %v", t, r)
		}
	}()
	if t == nil {
		return nil, nil, fmt.Errorf("jsonschema: nil type")
	}
	recursive := isRecursive(t, map[reflect.Type]bool{})
	r := &jsonschema.Reflector{
		Anonymous:      true,
		ExpandedStruct: true,
		DoNotReference: !recursive,
		Namer:          typeName,
	}
	s := r.ReflectFromType(t)
	s.Version = ""
	if recursive {
		// The root is expanded, so references to its own type point at it.
		rootRef(s, "#/$defs/"+typeName(derefType(t)), map[*jsonschema.Schema]bool{})
	}
	g := &walker{defs: s.Definitions, done: map[string]bool{}}
	if err := g.apply(t, s); err != nil {
		return nil, nil, err
	}
	sh := (&builder{root: s, defs: s.Definitions, memo: map[*jsonschema.Schema]*shape{}}).build(s)
	if !recursive {
		s.Definitions = nil
	}
	b, err := json.Marshal(s)
	return b, sh, err
}

// typeName keeps $defs keys unique across packages and generic instances.
func typeName(t reflect.Type) string {
	n := t.Name()
	if n == "" {
		return ""
	}
	r := strings.NewReplacer("[", "_", "]", "", "/", "_", ".", "_", ",", "_", "*", "", " ", "")
	return r.Replace(n)
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// rootRef rewrites references to the root's definition into "#".
func rootRef(s *jsonschema.Schema, ref string, seen map[*jsonschema.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if s.Ref == ref {
		s.Ref = "#"
	}
	rootRef(s.Items, ref, seen)
	rootRef(s.AdditionalProperties, ref, seen)
	for _, x := range append(append(s.AnyOf, s.OneOf...), s.AllOf...) {
		rootRef(x, ref, seen)
	}
	if s.Properties != nil {
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			rootRef(p.Value, ref, seen)
		}
	}
	for _, d := range s.Definitions {
		rootRef(d, ref, seen)
	}
}

// isRecursive reports whether t contains itself.
func isRecursive(t reflect.Type, onPath map[reflect.Type]bool) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		// A named slice or map can hold itself (type T []T) as a struct
		// can: it is tracked on the path too, or this never ends.
		if onPath[t] {
			return true
		}
		onPath[t] = true
		defer delete(onPath, t)
		return isRecursive(t.Elem(), onPath)
	case reflect.Struct:
		if t == timeType {
			return false
		}
		if onPath[t] {
			return true
		}
		onPath[t] = true
		defer delete(onPath, t)
		for i := range t.NumField() {
			if isRecursive(t.Field(i).Type, onPath) {
				return true
			}
		}
	}
	return false
}

var timeType = reflect.TypeFor[time.Time]()

type walker struct {
	defs jsonschema.Definitions
	done map[string]bool
}

// apply adds what invopop does not derive (validate rules, plain-text
// descriptions, our required rule) to s, the schema of t.
func (g *walker) apply(t reflect.Type, s *jsonschema.Schema) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s == nil {
		return nil
	}
	if s.Ref == "#" {
		return nil
	}
	if s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, "#/$defs/")
		if g.done[name] {
			return nil
		}
		g.done[name] = true
		return g.apply(t, g.defs[name])
	}
	switch t.Kind() {
	case reflect.Struct:
		if t == timeType || s.Properties == nil {
			return nil
		}
		fields := jsonFields(t, nil)
		var required []string
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			f, ok := fields[p.Key]
			if !ok {
				continue
			}
			prop := p.Value
			if len(prop.OneOf) == 2 && prop.OneOf[1].Type == "null" {
				prop = prop.OneOf[0]
			}
			describe(f, prop)
			req, err := g.field(f, prop)
			if err != nil {
				return fmt.Errorf("jsonschema: %s.%s: %w", t, f.Name, err)
			}
			if req {
				required = append(required, p.Key)
			}
		}
		s.Required = required
	case reflect.Slice, reflect.Array:
		return g.apply(t.Elem(), s.Items)
	case reflect.Map:
		return g.apply(t.Elem(), s.AdditionalProperties)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		// encoding/json refuses a negative number for an unsigned field:
		// say so up front rather than after the model sent one.
		if s.Minimum == "" && s.ExclusiveMinimum == "" {
			s.Minimum = "0"
		}
	}
	return nil
}

// field applies f's tags to its schema and reports whether it is required.
func (g *walker) field(f reflect.StructField, s *jsonschema.Schema) (bool, error) {
	_, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
	required := f.Type.Kind() != reflect.Pointer && !hasOpt(opts, "omitempty") && !hasOpt(opts, "omitzero")
	if structured(f.Tag.Get("jsonschema")) && hasOpt(f.Tag.Get("jsonschema"), "required") {
		required = true
	}
	own, elem, hasDive := strings.Cut(f.Tag.Get("validate"), ",dive")
	if strings.HasPrefix(f.Tag.Get("validate"), "dive") {
		own, elem, hasDive = "", strings.TrimPrefix(f.Tag.Get("validate"), "dive"), true
	}
	req, err := rules(f.Type, s, own)
	if err != nil {
		return false, err
	}
	required = required || req
	if err := g.apply(f.Type, s); err != nil {
		return false, err
	}
	if hasDive {
		et := f.Type
		for et.Kind() == reflect.Pointer {
			et = et.Elem()
		}
		var es *jsonschema.Schema
		switch et.Kind() {
		case reflect.Slice, reflect.Array:
			es = s.Items
		case reflect.Map:
			es = s.AdditionalProperties
			if _, after, ok := strings.Cut(elem, "endkeys"); ok {
				elem = after
			}
		default:
			return false, fmt.Errorf("validate dive on %s, which is neither a slice nor a map", f.Type)
		}
		if es != nil && es.Ref == "" {
			if _, err := rules(et.Elem(), es, strings.TrimPrefix(elem, ",")); err != nil {
				return false, err
			}
		}
	}
	return required, nil
}

func hasOpt(opts, o string) bool {
	for _, x := range strings.Split(opts, ",") {
		if strings.TrimSpace(x) == o {
			return true
		}
	}
	return false
}

// structured reports whether a jsonschema tag is invopop's key=value form
// rather than a plain-text description.
func structured(tag string) bool {
	if tag == "" {
		return true
	}
	for _, tok := range strings.Split(tag, ",") {
		tok = strings.TrimSpace(tok)
		switch tok {
		case "required", "nullable", "-", "omitempty":
			continue
		}
		k, _, ok := strings.Cut(tok, "=")
		if !ok || k == "" || strings.ContainsFunc(k, func(r rune) bool {
			return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		}) {
			return false
		}
	}
	return true
}

func describe(f reflect.StructField, s *jsonschema.Schema) {
	if tag := f.Tag.Get("jsonschema"); !structured(tag) {
		s.Description = tag
	}
}

// jsonFields maps the JSON names of t's fields (embedded ones included, the
// shallowest winning as in encoding/json) to the fields.
func jsonFields(t reflect.Type, into map[string]reflect.StructField) map[string]reflect.StructField {
	if into == nil {
		into = map[string]reflect.StructField{}
	}
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				embedded = append(embedded, et)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := into[name]; !ok {
			into[name] = f
		}
	}
	for _, et := range embedded {
		jsonFields(et, into)
	}
	return into
}
