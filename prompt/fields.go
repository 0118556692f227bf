package prompt

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// style is which prompt interface a type implements.
type style uint8

const (
	styleNone style = iota
	styleTemplate
	styleText
	styleMessages
)

// plan is everything Render needs to know about a struct type, worked out
// once: which fields are variables, their names, index paths and options,
// and any error in the struct's definition, so that a broken struct fails
// the same way on every call.
type plan struct {
	typ  reflect.Type
	name string

	valStyle, ptrStyle style
	valErr, ptrErr     error // style errors for T and for *T
	err                error // field or tag errors

	fields      []*fieldNode // variables in declaration order
	byName      map[string]*fieldNode
	hasRedacted bool // a field, at any depth, is redacted
	validate    bool // a validate tag exists, at any depth

	tmpl atomic.Pointer[compiled] // the last template parsed, one per type
}

// fieldNode is one variable of a plan.
type fieldNode struct {
	name   string // prompt name
	goName string
	index  []int
	typ    reflect.Type
	redact bool
	sub    *plan // the variables of a nested struct, reachable as {name.sub}
	// inner is the plan of the struct the field holds, directly or inside
	// slices, arrays and maps: where a redacted value may hide.
	inner *plan
	leaf  bool // formatted as one value (Stringer, TextMarshaler, …)
}

var (
	plans   sync.Map   // reflect.Type -> *plan
	buildMu sync.Mutex // serialises building, so recursive types see a plan once
)

var (
	templaterType = reflect.TypeFor[Templater]()
	texterType    = reflect.TypeFor[Texter]()
	messagerType  = reflect.TypeFor[Messager]()
	stringerType  = reflect.TypeFor[fmt.Stringer]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	messagesType  = reflect.TypeFor[[]Message]()
)

// planFor returns the cached plan of struct type t.
func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	building := map[reflect.Type]*plan{}
	p := buildPlan(t, building)
	for bt, bp := range building {
		plans.LoadOrStore(bt, bp)
	}
	return p
}

func buildPlan(t reflect.Type, building map[reflect.Type]*plan) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p, ok := building[t]; ok {
		return p
	}
	p := &plan{typ: t, name: t.Name(), byName: map[string]*fieldNode{}}
	if p.name == "" {
		p.name = t.String()
	}
	building[t] = p
	p.valStyle, p.valErr = styleOf(t, p.name, false)
	p.ptrStyle, p.ptrErr = styleOf(t, p.name, true)

	type candidate struct {
		node  *fieldNode
		depth int
	}
	var cands []candidate
	var walk func(st reflect.Type, index []int, depth int) error
	walk = func(st reflect.Type, index []int, depth int) error {
		for i := 0; i < st.NumField(); i++ {
			sf := st.Field(i)
			raw, hasTag := sf.Tag.Lookup("prompt")
			if _, ok := sf.Tag.Lookup("validate"); ok {
				p.validate = true
			}
			tg, err := parseTag(raw)
			if err != nil {
				return &Error{Type: p.name, Field: sf.Name, Msg: err.Error(), Err: ErrInvalidField}
			}
			if tg.skip {
				continue
			}
			idx := append(append([]int(nil), index...), i)
			ft := sf.Type
			if sf.Anonymous && tg.name == "" && !tg.redact {
				et := ft
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if et.Kind() == reflect.Struct && !isLeaf(et) {
					// Promote the embedded struct's fields, as encoding/json does.
					if err := walk(et, idx, depth+1); err != nil {
						return err
					}
					continue
				}
			}
			if !sf.IsExported() {
				if hasTag {
					return &Error{Type: p.name, Field: sf.Name, Err: ErrInvalidField,
						Msg: "prompt tag on unexported field: export the field or remove the tag"}
				}
				continue
			}
			n := &fieldNode{name: sf.Name, goName: sf.Name, index: idx, typ: ft, redact: tg.redact}
			if tg.name != "" {
				n.name = tg.name
			}
			st := ft
			for st.Kind() == reflect.Pointer {
				st = st.Elem()
			}
			if st.Kind() == reflect.Struct && !isLeaf(st) {
				n.sub = buildPlan(st, building)
				if n.sub.err != nil {
					return n.sub.err
				}
				n.inner = n.sub
			} else {
				n.leaf = true
				if et := containedStruct(st); et != nil {
					n.inner = buildPlan(et, building)
					if n.inner.err != nil {
						return n.inner.err
					}
				}
			}
			if n.inner != nil && n.inner.validate {
				p.validate = true
			}
			if n.redact || n.hidesRedacted() {
				p.hasRedacted = true
			}
			cands = append(cands, candidate{n, depth})
		}
		return nil
	}
	if err := walk(t, nil, 0); err != nil {
		p.err = err
		return p
	}
	// The shallowest field of a name wins; two at the same depth are an
	// error rather than json's silent drop.
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].depth < cands[j].depth })
	depthOf := map[string]int{}
	for _, c := range cands {
		if d, ok := depthOf[c.node.name]; ok {
			if d == c.depth {
				p.err = &Error{Type: p.name, Field: c.node.goName, Err: ErrInvalidField,
					Msg: fmt.Sprintf("two fields are named %q: rename one with a prompt tag", c.node.name)}
				return p
			}
			continue
		}
		depthOf[c.node.name] = c.depth
		p.byName[c.node.name] = c.node
	}
	for _, c := range cands {
		if p.byName[c.node.name] == c.node {
			p.fields = append(p.fields, c.node)
		}
	}
	sort.SliceStable(p.fields, func(i, j int) bool { return lessIndex(p.fields[i].index, p.fields[j].index) })
	return p
}

func lessIndex(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// containedStruct finds the struct type a slice, array or map (of
// pointers, of slices, …) holds, or nil.
func containedStruct(t reflect.Type) reflect.Type {
	seen := false
	for {
		switch t.Kind() {
		case reflect.Pointer:
			t = t.Elem()
		case reflect.Slice, reflect.Array, reflect.Map:
			t, seen = t.Elem(), true
		case reflect.Struct:
			if seen && !isLeaf(t) {
				return t
			}
			return nil
		default:
			return nil
		}
	}
}

// hidesRedacted reports whether a redacted value sits somewhere inside the
// field's value.
func (n *fieldNode) hidesRedacted() bool { return n.inner != nil && n.inner.hasRedacted }

// isLeaf reports whether a struct type prints as one value rather than as
// variables of its own.
func isLeaf(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	for _, i := range []reflect.Type{stringerType, textMarshaler, jsonMarshaler} {
		if t.Implements(i) || pt.Implements(i) {
			return true
		}
	}
	return false
}

// styleOf finds which prompt interface t (or *t) implements.
func styleOf(t reflect.Type, name string, ptr bool) (style, error) {
	mt := t
	if ptr {
		mt = reflect.PointerTo(t)
	}
	var found []string
	s := styleNone
	for _, c := range []struct {
		it    reflect.Type
		st    style
		label string
	}{{templaterType, styleTemplate, "Template() string"}, {texterType, styleText, "Prompt() string"}, {messagerType, styleMessages, "Messages() []prompt.Message"}} {
		if mt.Implements(c.it) {
			found = append(found, c.label)
			s = c.st
		}
	}
	switch {
	case len(found) > 1:
		return styleNone, &Error{Type: name, Err: ErrAmbiguous,
			Msg: "implements " + strings.Join(found, " and ") + ": keep exactly one prompt method"}
	case len(found) == 1:
		return s, nil
	}
	if !ptr && t.Kind() == reflect.Struct {
		if ps, _ := styleOf(t, name, true); ps != styleNone {
			return styleNone, &Error{Type: name, Err: ErrNotPrompt,
				Msg: "the prompt method has a pointer receiver: pass &" + name + " instead of " + name}
		}
	}
	return styleNone, &Error{Type: name, Err: ErrNotPrompt,
		Msg: "not a prompt: implement Template() string, Prompt() string or Messages() []prompt.Message"}
}

// fieldNames lists a plan's variable names, for error hints.
func (p *plan) fieldNames() string {
	names := make([]string, 0, len(p.fields))
	for _, f := range p.fields {
		names = append(names, f.name)
	}
	if len(names) == 0 {
		return "the struct has no exported fields"
	}
	return "fields: " + strings.Join(names, ", ")
}
