package prompt

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
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
// the same way on every call. A plan is immutable once published.
type plan struct {
	typ  reflect.Type
	name string

	valStyle, ptrStyle style
	valErr, ptrErr     error // style errors for T and for *T
	err                error // field or tag errors, here or in a plan this one reaches

	fields      []*fieldNode // variables in declaration order
	byName      map[string]*fieldNode
	hasRedacted bool // a field, at any depth, is redacted
	validate    bool // a validate tag exists, at any depth

	ownErr      error // an error in this struct's own definition
	ownRedacted bool  // one of this struct's own variables is redacted
	ownValidate bool  // one of this struct's own fields has a validate tag

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

// plans caches a plan per struct type. As encoding/json does with its field
// lists, a plan is built without any lock and published with LoadOrStore:
// two goroutines may build the same type at once and one copy wins, and no
// type's building ever waits for another's.
var plans sync.Map // reflect.Type -> *plan

var (
	templaterType = reflect.TypeFor[Templater]()
	texterType    = reflect.TypeFor[Texter]()
	messagerType  = reflect.TypeFor[Messager]()
	stringerType  = reflect.TypeFor[fmt.Stringer]()
	errorType     = reflect.TypeFor[error]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	messagesType  = reflect.TypeFor[[]Message]()
)

// planFor returns the cached plan of struct type t.
func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	return buildPlan(t)
}

// buildPlan builds, publishes and returns the plan of t, after a miss in
// the cache.
func buildPlan(t reflect.Type) *plan {
	b := builder{plans: map[reflect.Type]*plan{}}
	b.plan(t)
	b.finish()
	for bt, bp := range b.plans {
		plans.LoadOrStore(bt, bp)
	}
	// Another goroutine may have published t between the first Load and
	// b.plan's own, leaving t out of b.plans: the cache has it either way.
	out, _ := plans.Load(t)
	return out.(*plan)
}

// builder builds the plans of a struct type and of every struct type it
// reaches, privately: a pure function of the type, bounded by the number of
// types reached.
type builder struct {
	plans map[reflect.Type]*plan // built here, not yet published
	order []*plan                // the same, root first: errors must not depend on map order
}

func (b *builder) plan(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p, ok := b.plans[t]; ok {
		return p // being built further up, or done: recursion is checked in finish
	}
	p := &plan{typ: t, name: t.Name(), byName: map[string]*fieldNode{}}
	if p.name == "" {
		p.name = t.String()
	}
	b.plans[t] = p
	b.order = append(b.order, p)
	p.valStyle, p.valErr = styleOf(t, p.name, false)
	p.ptrStyle, p.ptrErr = styleOf(t, p.name, true)

	type candidate struct {
		node  *fieldNode
		depth int
	}
	var cands []candidate
	// path holds the structs being promoted, to refuse a struct that embeds
	// itself (directly or through others), whose promoted fields never end.
	path := []reflect.Type{t}
	var walk func(st reflect.Type, index []int, depth int) error
	walk = func(st reflect.Type, index []int, depth int) error {
		for i := 0; i < st.NumField(); i++ {
			sf := st.Field(i)
			raw, hasTag := sf.Tag.Lookup("prompt")
			if _, ok := sf.Tag.Lookup("validate"); ok {
				p.ownValidate = true
			}
			tg, err := parseTag(raw)
			if err != nil {
				return &Error{Type: typeName(st), Field: sf.Name, Msg: err.Error(), Err: ErrInvalidField}
			}
			if tg.skip {
				continue
			}
			idx := append(append([]int(nil), index...), i)
			ft := sf.Type
			if sf.Anonymous && tg.name == "" && !tg.redact {
				et := derefType(ft)
				if et.Kind() == reflect.Struct && !isLeaf(et) {
					if slices.Contains(path, et) {
						return &Error{Type: typeName(st), Field: sf.Name, Err: ErrInvalidField,
							Msg: "recursive embedding (" + chain(append(path, et)) + "): its promoted fields never end; tag the field prompt:\"-\""}
					}
					// Promote the embedded struct's fields, as encoding/json does.
					path = append(path, et)
					err := walk(et, idx, depth+1)
					path = path[:len(path)-1]
					if err != nil {
						return err
					}
					continue
				}
			}
			if !sf.IsExported() {
				if hasTag {
					return &Error{Type: typeName(st), Field: sf.Name, Err: ErrInvalidField,
						Msg: "prompt tag on unexported field: export the field or remove the tag"}
				}
				continue
			}
			n := &fieldNode{name: sf.Name, goName: sf.Name, index: idx, typ: ft, redact: tg.redact}
			if tg.name != "" {
				n.name = tg.name
			}
			if st := derefType(ft); st.Kind() == reflect.Struct && !isLeaf(st) {
				n.sub = b.plan(st)
				n.inner = n.sub
			} else {
				n.leaf = true
				if et := containedStruct(st); et != nil {
					n.inner = b.plan(et)
				}
			}
			if n.redact {
				p.ownRedacted = true
			}
			cands = append(cands, candidate{n, depth})
		}
		return nil
	}
	if err := walk(t, nil, 0); err != nil {
		p.ownErr = err
		return p
	}
	// The shallowest field of a name wins; two at the same depth are an
	// error rather than json's silent drop.
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].depth < cands[j].depth })
	depthOf := map[string]int{}
	for _, c := range cands {
		if d, ok := depthOf[c.node.name]; ok {
			if d == c.depth {
				p.ownErr = &Error{Type: p.name, Field: c.node.goName, Err: ErrInvalidField,
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

// finish completes the plans built: a struct whose nested variables lead
// back to it ({next.next.next…}) is an error, and each plan learns, from
// every plan it reaches, the first error, whether a value is redacted and
// whether a validate tag exists.
func (b *builder) finish() {
	// Nested variables must end: find cycles through struct fields with a
	// three-colour walk, linear in the plans.
	const (
		white = iota
		grey
		black
	)
	colour := map[*plan]int{}
	var visit func(p *plan)
	visit = func(p *plan) {
		colour[p] = grey
		for _, f := range p.fields {
			q := f.sub
			if q == nil || b.plans[q.typ] != q {
				continue // a leaf, or a published plan, checked already
			}
			switch colour[q] {
			case grey:
				if q.ownErr == nil {
					q.ownErr = &Error{Type: p.name, Field: f.goName, Err: ErrInvalidField,
						Msg: "recursive type: {" + f.name + "} holds a " + q.name + " again, so its nested variables never end; tag the field prompt:\"-\" or hold the values in a slice"}
				}
			case white:
				visit(q)
			}
		}
		colour[p] = black
	}
	for _, p := range b.order {
		if colour[p] == white {
			visit(p)
		}
	}
	for _, p := range b.order {
		seen := map[*plan]bool{p: true}
		queue := []*plan{p}
		for len(queue) > 0 {
			q := queue[0]
			queue = queue[1:]
			if b.plans[q.typ] != q {
				// Published: its summary is final.
				p.hasRedacted = p.hasRedacted || q.hasRedacted
				p.validate = p.validate || q.validate
				if p.err == nil {
					p.err = q.err
				}
				continue
			}
			p.hasRedacted = p.hasRedacted || q.ownRedacted
			p.validate = p.validate || q.ownValidate
			if p.err == nil {
				p.err = q.ownErr
			}
			for _, f := range q.fields {
				if f.inner != nil && !seen[f.inner] {
					seen[f.inner] = true
					queue = append(queue, f.inner)
				}
			}
		}
	}
}

// typeName is how an error names a struct type.
func typeName(t reflect.Type) string {
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}

// chain writes a path of types as A → B → A.
func chain(ts []reflect.Type) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = typeName(t)
	}
	return strings.Join(names, " → ")
}

// maxDepth bounds every walk through a type or a value: pointers to
// pointers, nested slices, a value's depth. Nothing sensible nests deeper,
// and a cycle reaches it at once.
const maxDepth = 256

// derefType strips pointers, at most maxDepth of them (type P *P is legal).
func derefType(t reflect.Type) reflect.Type {
	for i := 0; t.Kind() == reflect.Pointer && i < maxDepth; i++ {
		t = t.Elem()
	}
	return t
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
	for range maxDepth {
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
	return nil
}

// hidesRedacted reports whether a redacted value sits somewhere inside the
// field's value.
func (n *fieldNode) hidesRedacted() bool { return n.inner != nil && n.inner.hasRedacted }

// isLeaf reports whether a struct type prints as one value rather than as
// variables of its own.
func isLeaf(t reflect.Type) bool {
	if t == partType || t == mediaType {
		return true // media: placed whole by a media spec, never walked
	}
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
