package mirascope

import (
	"cmp"
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// planKind is how the partial decoder fills a value of one Go type.
type planKind uint8

const (
	// pkOpaque values are left to encoding/json once complete: types that
	// decode themselves, json.Number, []byte, arrays, and whatever this
	// decoder does not mirror exactly.
	pkOpaque planKind = iota
	pkString
	pkBool
	pkInt
	pkUint
	pkFloat
	pkAny // the empty interface: map[string]any, []any, string, float64, bool
	pkStruct
	pkSlice
	pkMap
)

// plan is what the partial decoder knows of one Go type, cached per type.
// The plans of a slice's elements or a struct's fields are looked up when
// needed, so a recursive type is no problem.
type plan struct {
	kind planKind
	full reflect.Type // the type of the slot filled
	base reflect.Type // full without its pointers
	ptrs int

	fields []planField    // pkStruct, in field order
	byName map[string]int // pkStruct: exact JSON name → index in fields
}

// planField is a struct field as encoding/json names it.
type planField struct {
	name  string
	index []int
	typ   reflect.Type
}

var plans sync.Map // reflect.Type → *plan

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonNumberType      = reflect.TypeFor[json.Number]()
	anyMapPlan          = planFor(reflect.TypeFor[map[string]any]())
	anySlicePlan        = planFor(reflect.TypeFor[[]any]())
)

func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p, _ := plans.LoadOrStore(t, makePlan(t))
	return p.(*plan)
}

// decodesItself reports whether encoding/json hands a value of type t (an
// addressable one, as it always has) to the type's own method.
func decodesItself(t reflect.Type) bool {
	if t.Implements(jsonUnmarshalerType) || t.Implements(textUnmarshalerType) {
		return true
	}
	if t.Kind() == reflect.Pointer {
		return false
	}
	pt := reflect.PointerTo(t)
	return pt.Implements(jsonUnmarshalerType) || pt.Implements(textUnmarshalerType)
}

func makePlan(t reflect.Type) *plan {
	p := &plan{full: t, base: t}
	for p.base.Kind() == reflect.Pointer && !decodesItself(p.base) {
		p.base = p.base.Elem()
		p.ptrs++
	}
	if decodesItself(p.base) || p.base == jsonNumberType {
		return &plan{kind: pkOpaque, full: t, base: t}
	}
	switch k := p.base.Kind(); {
	case k == reflect.String:
		p.kind = pkString
	case k == reflect.Bool:
		p.kind = pkBool
	case k >= reflect.Int && k <= reflect.Int64:
		p.kind = pkInt
	case k >= reflect.Uint && k <= reflect.Uintptr:
		p.kind = pkUint
	case k == reflect.Float32 || k == reflect.Float64:
		p.kind = pkFloat
	case k == reflect.Interface && p.base.NumMethod() == 0:
		p.kind = pkAny
	case k == reflect.Slice && p.base.Elem().Kind() != reflect.Uint8:
		p.kind = pkSlice
	case k == reflect.Map && p.base.Key().Kind() == reflect.String && !decodesItself(p.base.Key()):
		p.kind = pkMap
	case k == reflect.Struct:
		fields, ok := structFields(p.base)
		if !ok {
			return &plan{kind: pkOpaque, full: t, base: t}
		}
		p.kind, p.fields = pkStruct, fields
		p.byName = make(map[string]int, len(fields))
		for i, f := range fields {
			p.byName[f.name] = i
		}
	default:
		return &plan{kind: pkOpaque, full: t, base: t}
	}
	return p
}

// field finds the field a JSON key sets, as encoding/json does: the exact
// name first, then the first whose name equals it folding case.
func (p *plan) field(key []byte) *planField {
	if i, ok := p.byName[string(key)]; ok {
		return &p.fields[i]
	}
	k := string(key)
	for i := range p.fields {
		if strings.EqualFold(p.fields[i].name, k) {
			return &p.fields[i]
		}
	}
	return nil
}

// structFields lists the fields encoding/json decodes into for struct type
// t, by its rules (json tags, embedded structs, the shallowest or tagged
// name winning). ok is false for a struct this decoder leaves to
// encoding/json: one with a ",string" field, or an embedded struct pointer.
func structFields(t reflect.Type) (_ []planField, ok bool) {
	type candidate struct {
		planField
		tagged bool
	}
	type embedded struct {
		t     reflect.Type
		index []int
	}
	var all []candidate
	visited := map[reflect.Type]bool{}
	next := []embedded{{t: t}}
	for len(next) > 0 {
		level := next
		next = nil
		for _, e := range level {
			if visited[e.t] {
				continue
			}
			visited[e.t] = true
			for i := range e.t.NumField() {
				sf := e.t.Field(i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if sf.Anonymous {
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validJSONName(name) {
					name = ""
				}
				if hasTagOption(opts, "string") {
					switch ft.Kind() {
					case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
						reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
						reflect.Float32, reflect.Float64, reflect.String:
						return nil, false
					}
				}
				index := append(slices.Clip(e.index), i)
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					all = append(all, candidate{planField{name: cmp.Or(name, sf.Name), index: index, typ: sf.Type}, name != ""})
					continue
				}
				if sf.Type.Kind() == reflect.Pointer {
					return nil, false
				}
				next = append(next, embedded{ft, index})
			}
		}
	}
	// By name, the shallowest first, a tagged one before an untagged one.
	slices.SortStableFunc(all, func(a, b candidate) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.index), len(b.index)); c != 0 {
			return c
		}
		switch {
		case a.tagged && !b.tagged:
			return -1
		case b.tagged && !a.tagged:
			return 1
		}
		return slices.Compare(a.index, b.index)
	})
	var fields []planField
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].name == all[i].name {
			j++
		}
		// Two equally deep and equally tagged fields cancel out.
		if j-i == 1 || len(all[i].index) != len(all[i+1].index) || all[i].tagged != all[i+1].tagged {
			fields = append(fields, all[i].planField)
		}
		i = j
	}
	slices.SortFunc(fields, func(a, b planField) int { return slices.Compare(a.index, b.index) })
	return fields, true
}

func hasTagOption(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// validJSONName is encoding/json's test of a tag's name; it ignores others.
func validJSONName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case unicode.IsLetter(c), unicode.IsDigit(c):
		default:
			return false
		}
	}
	return true
}
