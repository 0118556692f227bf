package prompt

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/mirascope-go/mirascope/template"
)

// Render turns a prompt into messages: it checks the struct's definition
// (cached per type), validates the value, and renders its template or calls
// its method. Every error comes before any call and names the type, and the
// field or variable concerned.
//
// p is a struct, or a non-nil pointer to one, implementing exactly one of
// [Templater], [Texter] and [Messager].
func Render(p any) (*Rendered, error) {
	pl, rv, st, err := inspect(p)
	if err != nil {
		return nil, err
	}
	if pl.validate {
		if err := validateStruct(pl, p); err != nil {
			return nil, err
		}
	}
	r := &Rendered{Name: pl.name, Fields: make([]Field, len(pl.fields))}
	for i, f := range pl.fields {
		r.Fields[i] = Field{Name: f.name, Value: fieldValue(rv, f), Redacted: f.redact, node: f}
	}
	switch st {
	case styleTemplate:
		src := p.(Templater).Template()
		c := pl.template(src)
		if c.err != nil {
			return nil, c.err
		}
		r.Template = src
		if r.Messages, err = c.render(pl, &args{c: c, rv: rv, fields: r.Fields}); err != nil {
			return nil, err
		}
		if pl.hasRedacted {
			r.masked = func() []Message {
				m, err := c.render(pl, &args{c: c, rv: rv, fields: r.Fields, mask: true})
				if err != nil {
					return nil
				}
				return m
			}
		}
	case styleText:
		r.Messages = []Message{User(p.(Texter).Prompt())}
	case styleMessages:
		r.Messages = p.(Messager).Messages()
	}
	if pl.hasRedacted && r.masked == nil {
		r.masked = func() []Message { return nil }
	}
	return r, nil
}

// inspect finds p's plan and style, or says why p is no prompt.
func inspect(p any) (*plan, reflect.Value, style, error) {
	if p == nil {
		return nil, reflect.Value{}, styleNone, &Error{Msg: "nil prompt: pass a struct, or a pointer to one", Err: ErrNotPrompt}
	}
	rv := reflect.ValueOf(p)
	t := rv.Type()
	ptr := false
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		if rv.IsNil() {
			return nil, rv, styleNone, &Error{Type: t.Elem().Name(), Msg: "nil pointer: pass a non-nil *" + t.Elem().Name(), Err: ErrNotPrompt}
		}
		ptr, t, rv = true, t.Elem(), rv.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, rv, styleNone, &Error{Type: t.String(), Err: ErrNotPrompt,
			Msg: "not a prompt: pass a struct, or a pointer to one, with a Template, Prompt or Messages method"}
	}
	pl := planFor(t)
	st, err := pl.valStyle, pl.valErr
	if ptr {
		st, err = pl.ptrStyle, pl.ptrErr
	}
	if err != nil {
		return nil, rv, styleNone, err
	}
	if pl.err != nil {
		return nil, rv, styleNone, pl.err
	}
	return pl, rv, st, nil
}

// fieldValue reads a field through its index path; a nil embedded pointer
// on the way gives the zero value.
func fieldValue(rv reflect.Value, f *fieldNode) any {
	if len(f.index) == 1 {
		return rv.Field(f.index[0]).Interface()
	}
	v, err := rv.FieldByIndexErr(f.index)
	if err != nil {
		return reflect.Zero(f.typ).Interface()
	}
	return v.Interface()
}

// compiled is a parsed template bound to a plan's fields.
type compiled struct {
	src   string
	t     *template.Template
	binds []binding
	err   error
	// size remembers each section's last rendered length, so the next
	// render allocates its buffer once.
	size [4]atomic.Int64
}

// binding is a template variable resolved to its field path.
type binding struct {
	nodes []*fieldNode
	spec  template.Spec
	f     format // how the value prints
	top   int    // index in Rendered.Fields of a top-level variable, else -1
}

// template returns the compiled form of src. A plan keeps only the last
// template it saw, so a Template method that returns varying strings costs a
// parse per change but never grows memory.
func (p *plan) template(src string) *compiled {
	if c := p.tmpl.Load(); c != nil && c.src == src {
		return c
	}
	c := p.compile(src)
	p.tmpl.Store(c)
	return c
}

func (p *plan) compile(src string) *compiled {
	c := &compiled{src: src}
	t, err := template.Parse(src)
	if err != nil {
		c.err = p.templateErr(err)
		return c
	}
	c.t = t
	splices := map[int]bool{}
	for i := 0; i < t.NumSections(); i++ {
		if role, v := t.Section(i); role == template.RoleMessages {
			splices[v] = true
		}
	}
	vars := t.Vars()
	c.binds = make([]binding, len(vars))
	for i := range vars {
		v := &vars[i]
		b, err := p.bind(v, splices[i])
		if err != nil {
			c.err = err
			return c
		}
		c.binds[i] = b
	}
	return c
}

func (p *plan) templateErr(err error) error {
	var te *template.Error
	if errors.As(err, &te) {
		return &Error{Type: p.name, Field: te.Var, Msg: te.Error(), Err: te}
	}
	return &Error{Type: p.name, Msg: err.Error(), Err: err}
}

// bind resolves a variable to its fields and checks its spec against the
// field's type, so that a mismatch fails before any call.
func (p *plan) bind(v *template.Var, splice bool) (binding, error) {
	bad := func(target error, format string, args ...any) error {
		return p.templateErr(&template.Error{Pos: v.Pos, Var: v.Name, Err: target, Msg: fmt.Sprintf(format, args...)})
	}
	b := binding{top: -1}
	cur := p
	for i, seg := range v.Path {
		if cur == nil {
			return b, bad(template.ErrUnknownVariable, "unknown variable {%s}: %s is not a struct",
				v.Name, strings.Join(v.Path[:i], "."))
		}
		n, ok := cur.byName[seg]
		if !ok {
			return b, bad(template.ErrUnknownVariable, "unknown variable {%s} (%s)", v.Name, cur.fieldNames())
		}
		b.nodes = append(b.nodes, n)
		cur = n.sub
	}
	last := b.nodes[len(b.nodes)-1]
	if len(b.nodes) == 1 {
		b.top = slices.Index(p.fields, last)
	}
	t := last.typ
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	b.spec = v.Spec
	switch {
	case splice:
		if t != messagesType {
			return b, bad(template.ErrSyntax, "MESSAGES: {%s} needs a []prompt.Message field, not %s", v.Name, last.typ)
		}
		return b, nil
	case t == messagesType:
		return b, bad(template.ErrSyntax, "{%s} is a []prompt.Message: splice it with MESSAGES: {%s} on a line of its own", v.Name, v.Name)
	}
	switch v.Spec {
	case template.SpecList:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return b, bad(template.ErrSyntax, "{%s:list} needs a slice or array, not %s", v.Name, last.typ)
		}
		b.f = formatOf(t.Elem())
	case template.SpecLists:
		if (t.Kind() != reflect.Slice && t.Kind() != reflect.Array) ||
			(t.Elem().Kind() != reflect.Slice && t.Elem().Kind() != reflect.Array) {
			return b, bad(template.ErrSyntax, "{%s:lists} needs a slice of slices, not %s", v.Name, last.typ)
		}
		b.f = formatOf(t.Elem().Elem())
	case template.SpecJSON:
		b.f = format{kind: fmtJSON}
	default:
		b.f = formatOf(t)
	}
	return b, nil
}

// render executes the template over rv; mask replaces redacted values.
func (c *compiled) render(p *plan, a *args) ([]Message, error) {
	n := c.t.NumSections()
	msgs := make([]Message, 0, n)
	for i := 0; i < n; i++ {
		role, splice := c.t.Section(i)
		if role == template.RoleMessages {
			v, redacted := a.resolve(splice)
			if a.mask && redacted {
				continue
			}
			if v.IsValid() {
				hist, _ := v.Interface().([]Message)
				msgs = append(msgs, hist...)
			}
			continue
		}
		var b strings.Builder
		hint := c.t.SizeHint(i)
		if i < len(c.size) {
			if last := int(c.size[i].Load()); last > 0 {
				hint = last
			}
		}
		b.Grow(hint)
		vars := c.t.Vars()
		for _, part := range c.t.Parts(i) {
			if part.Var < 0 {
				b.WriteString(part.Text)
				continue
			}
			if err := a.WriteVar(&b, part.Var, &vars[part.Var]); err != nil {
				return nil, p.templateErr(err)
			}
		}
		if i < len(c.size) {
			c.size[i].Store(int64(b.Len()))
		}
		msgs = append(msgs, Message{Role: Role(role), Content: b.String()})
	}
	return msgs, nil
}

// args is the [template.Args] a plan's template renders with.
type args struct {
	c      *compiled
	rv     reflect.Value
	fields []Field // the values already read, reused for top-level variables
	mask   bool
}

// resolve walks a variable's field path; a nil pointer on the way gives an
// invalid Value, which prints as nothing.
func (a *args) resolve(i int) (reflect.Value, bool) {
	v := a.rv
	redacted := false
	for _, n := range a.c.binds[i].nodes {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, redacted
			}
			v = v.Elem()
		}
		var err error
		if v, err = v.FieldByIndexErr(n.index); err != nil {
			return reflect.Value{}, redacted
		}
		redacted = redacted || n.redact
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}, redacted
		}
		v = v.Elem()
	}
	return v, redacted
}

// WriteVar implements [template.Args].
func (a *args) WriteVar(b *strings.Builder, i int, tv *template.Var) error {
	bd := &a.c.binds[i]
	if bd.top >= 0 && bd.spec == template.SpecNone && !(a.mask && a.fields[bd.top].Redacted) {
		// Fast path: a top-level variable of a basic type, read once already.
		var scratch [32]byte
		switch x := a.fields[bd.top].Value.(type) {
		case string:
			b.WriteString(x)
			return nil
		case int:
			b.Write(strconv.AppendInt(scratch[:0], int64(x), 10))
			return nil
		case int64:
			b.Write(strconv.AppendInt(scratch[:0], x, 10))
			return nil
		case float64:
			b.Write(strconv.AppendFloat(scratch[:0], x, 'g', -1, 64))
			return nil
		case bool:
			b.Write(strconv.AppendBool(scratch[:0], x))
			return nil
		}
	}
	v, redacted := a.resolve(i)
	if !v.IsValid() {
		return nil
	}
	if a.mask && redacted {
		b.WriteString(RedactedText)
		return nil
	}
	last := bd.nodes[len(bd.nodes)-1]
	if a.mask && last.hidesRedacted() && bd.spec != template.SpecJSON {
		// Format the masked form: a secret inside a list or a struct is
		// replaced before anything prints it.
		v = reflect.ValueOf(maskValue(last, v.Interface()))
		if !v.IsValid() {
			return nil
		}
		bd = &binding{nodes: bd.nodes, spec: bd.spec, top: -1, f: format{kind: fmtStringer}}
	}
	switch bd.spec {
	case template.SpecJSON:
		return writeJSON(b, v, last, a.mask, tv)
	case template.SpecList:
		for j := 0; j < v.Len(); j++ {
			if j > 0 {
				b.WriteByte('\n')
			}
			if err := bd.f.write(b, v.Index(j), tv); err != nil {
				return err
			}
		}
		return nil
	case template.SpecLists:
		for j := 0; j < v.Len(); j++ {
			if j > 0 {
				b.WriteString("\n\n")
			}
			g := v.Index(j)
			for g.Kind() == reflect.Interface && !g.IsNil() {
				g = g.Elem()
			}
			for k := 0; k < g.Len(); k++ {
				if k > 0 {
					b.WriteByte('\n')
				}
				if err := bd.f.write(b, g.Index(k), tv); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if bd.f.kind == fmtJSON {
		return writeJSON(b, v, last, a.mask, tv)
	}
	return bd.f.write(b, v, tv)
}

func writeJSON(b *strings.Builder, v reflect.Value, n *fieldNode, mask bool, tv *template.Var) error {
	val := v.Interface()
	if mask && n.hidesRedacted() {
		val = maskValue(n, val)
	}
	data, err := json.Marshal(val)
	if err != nil {
		return &template.Error{Pos: tv.Pos, Var: tv.Name, Err: err, Msg: "{" + tv.Name + "}: " + err.Error()}
	}
	b.Write(data)
	return nil
}

// fmtKind is how a value prints in a template.
type fmtKind uint8

const (
	fmtString fmtKind = iota
	fmtInt
	fmtUint
	fmtFloat
	fmtBool
	fmtStringer
	fmtText
	fmtSlice // elements joined with ", "
	fmtJSON  // structs, maps and anything else
)

type format struct {
	kind fmtKind
	bits int     // float size
	elem *format // for fmtSlice
}

// formatOf decides once, per template variable, how values of t print.
func formatOf(t reflect.Type) format {
	if t.Kind() != reflect.Interface {
		switch {
		case t.Implements(stringerType):
			return format{kind: fmtStringer}
		case t.Implements(textMarshaler):
			return format{kind: fmtText}
		}
	}
	switch t.Kind() {
	case reflect.String:
		return format{kind: fmtString}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return format{kind: fmtInt}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return format{kind: fmtUint}
	case reflect.Float32, reflect.Float64:
		return format{kind: fmtFloat, bits: t.Bits()}
	case reflect.Bool:
		return format{kind: fmtBool}
	case reflect.Slice, reflect.Array:
		e := formatOf(t.Elem())
		return format{kind: fmtSlice, elem: &e}
	case reflect.Pointer:
		return formatOf(t.Elem())
	case reflect.Interface:
		return format{kind: fmtStringer} // decided per value
	}
	return format{kind: fmtJSON}
}

func (f *format) write(b *strings.Builder, v reflect.Value, tv *template.Var) error {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		if v.Kind() == reflect.Interface {
			v = v.Elem()
			ff := formatOf(v.Type())
			return ff.write(b, v, tv)
		}
		v = v.Elem()
	}
	var scratch [32]byte
	switch f.kind {
	case fmtString:
		b.WriteString(v.String())
	case fmtInt:
		b.Write(strconv.AppendInt(scratch[:0], v.Int(), 10))
	case fmtUint:
		b.Write(strconv.AppendUint(scratch[:0], v.Uint(), 10))
	case fmtFloat:
		b.Write(strconv.AppendFloat(scratch[:0], v.Float(), 'g', -1, f.bits))
	case fmtBool:
		b.Write(strconv.AppendBool(scratch[:0], v.Bool()))
	case fmtStringer:
		if s, ok := v.Interface().(fmt.Stringer); ok {
			b.WriteString(s.String())
			return nil
		}
		if v.CanAddr() {
			if s, ok := v.Addr().Interface().(fmt.Stringer); ok {
				b.WriteString(s.String())
				return nil
			}
		}
		ff := formatOf(v.Type())
		if ff.kind == fmtStringer {
			ff = format{kind: fmtJSON}
		}
		return ff.write(b, v, tv)
	case fmtText:
		text, err := v.Interface().(interface{ MarshalText() ([]byte, error) }).MarshalText()
		if err != nil {
			return &template.Error{Pos: tv.Pos, Var: tv.Name, Err: err, Msg: "{" + tv.Name + "}: " + err.Error()}
		}
		b.Write(text)
	case fmtSlice:
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := f.elem.write(b, v.Index(i), tv); err != nil {
				return err
			}
		}
	default:
		data, err := json.Marshal(v.Interface())
		if err != nil {
			return &template.Error{Pos: tv.Pos, Var: tv.Name, Err: err, Msg: "{" + tv.Name + "}: " + err.Error()}
		}
		b.Write(data)
	}
	return nil
}

// maskValue returns what a tracer may record of a field whose value holds
// redacted variables: structs become maps of their variables, slices and
// maps keep their shape, and every redacted value is [RedactedText],
// recursively.
func maskValue(n *fieldNode, val any) any {
	if n.inner == nil {
		return val
	}
	return maskIn(n.inner, reflect.ValueOf(val))
}

func maskIn(p *plan, v reflect.Value) any {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = maskIn(p, v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			out[fmt.Sprint(it.Key().Interface())] = maskIn(p, it.Value())
		}
		return out
	case reflect.Struct:
		if v.Type() != p.typ {
			break
		}
		out := make(map[string]any, len(p.fields))
		for _, f := range p.fields {
			fv := fieldValue(v, f)
			switch {
			case f.redact:
				out[f.name] = RedactedText
			case f.hidesRedacted():
				out[f.name] = maskValue(f, fv)
			default:
				out[f.name] = fv
			}
		}
		return out
	}
	if v.CanInterface() {
		return v.Interface()
	}
	return nil
}
