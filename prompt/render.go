package prompt

import (
	"encoding"
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
	r := &Rendered{Name: pl.name, Fields: make([]Field, len(pl.fields)), hasRedacted: pl.hasRedacted}
	var c *compiled
	if st == styleTemplate {
		if c = pl.template(p.(Templater).Template()); c.err != nil {
			return nil, c.err
		}
	}
	var snaps []any
	dropped := false // a blank section was left out
	for i, f := range pl.fields {
		v := fieldValue(rv, f)
		r.Fields[i] = Field{Name: f.name, Value: v, Redacted: f.redact}
		if c != nil && c.mediaVar != nil && c.mediaVar[i] >= 0 {
			// Placed as media: its Value is the parts, normalised once
			// for every place and every reader (a tracer, a recorder).
			if r.Fields[i].Value, err = c.media(pl, c.mediaVar[i], reflect.ValueOf(v)); err != nil {
				return nil, err
			}
			continue
		}
		if f.redact || immutable(v) {
			continue
		}
		snap, err := snapshot(f.inner, reflect.ValueOf(v), 0)
		if err != nil {
			return nil, &Error{Type: pl.name, Field: f.goName, Err: ErrInvalidValue, Msg: valueErrMsg("prompt")}
		}
		if snaps == nil {
			snaps = make([]any, len(pl.fields)) // one allocation for all copies
		}
		snaps[i] = snap
		r.Fields[i].snap = &snaps[i]
	}
	if r.hasRedacted {
		r.redacted = redactedValues(r.Fields, func(i int) bool { return pl.fields[i].hidesRedacted() })
	}
	switch st {
	case styleTemplate:
		r.Template = c.src
		if !c.masks {
			a := &args{c: c, rv: rv, fields: r.Fields}
			if r.Messages, err = c.render(pl, a); err != nil {
				return nil, err
			}
			r.maskedMsgs, dropped = r.Messages, a.dropped
		} else {
			// Masked now, from the same value: what a tracer records can
			// never differ from what was sent. Variables without a secret
			// are copied from the rendering just done.
			n := c.t.NumSections()
			a := &args{c: c, rv: rv, fields: r.Fields, texts: make([]string, n), offs: make([]int, 2*len(c.binds))}
			if c.hasMedia != nil {
				a.kept = make([]bool, n)
			}
			if r.Messages, err = c.render(pl, a); err != nil {
				return nil, err
			}
			dropped = a.dropped
			a.mask = true
			if r.maskedMsgs, err = c.render(pl, a); err != nil {
				return nil, err
			}
		}
		if c.cache {
			// A marker after values that rendered to nothing marks no
			// prefix: refused here, before any call.
			if err := CheckMessages(r.Messages); err != nil {
				err.(*Error).Type = pl.name
				return nil, err
			}
		}
	case styleText:
		// The shorthand's one message is a section like any other: left
		// out when it is white space alone.
		if text := p.(Texter).Prompt(); !blank(text) {
			r.Messages = []Message{User(text)}
		} else {
			dropped = true
		}
	case styleMessages:
		// A copy: the method may return a slice the prompt keeps.
		r.Messages = cloneMessages(p.(Messager).Messages())
		if err := CheckMessages(r.Messages); err != nil {
			err.(*Error).Type = pl.name
			return nil, err
		}
	}
	if err := needsTurn(r.Messages); err != nil {
		if dropped {
			err.Msg += ", and a section that renders empty or white space is left out"
		}
		err.Type = pl.name
		return nil, err
	}
	return r, nil
}

// needsTurn reports, as an [ErrNoMessages] *Error, messages a service cannot
// answer: none, or system messages alone (Anthropic, Gemini, Bedrock and
// others refuse a request without a user or assistant turn, so none is
// sent to any).
func needsTurn(msgs []Message) *Error {
	if len(msgs) == 0 {
		return &Error{Err: ErrNoMessages, Msg: "renders to no messages: a call needs at least one"}
	}
	for i := range msgs {
		if msgs[i].Role != RoleSystem {
			return nil
		}
	}
	return &Error{Err: ErrNoMessages, Msg: "renders to system messages only: a call needs a user or assistant message"}
}

// blank reports whether a rendered section is white space alone.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// valueErrMsg explains an [ErrInvalidValue] error for a field too deep to
// record (tag "prompt") or to validate (tag "validate").
func valueErrMsg(tag string) string {
	return errTooDeep.Error() + ": break the cycle or tag the field " + tag + ":\"-\""
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
	return fieldReflect(rv, f).Interface()
}

func fieldReflect(rv reflect.Value, f *fieldNode) reflect.Value {
	if len(f.index) == 1 {
		return rv.Field(f.index[0])
	}
	v, err := rv.FieldByIndexErr(f.index)
	if err != nil {
		return reflect.Zero(f.typ)
	}
	return v
}

// compiled is a parsed template bound to a plan's fields.
type compiled struct {
	src   string
	t     *template.Template
	binds []binding
	err   error
	// masks is whether a variable printed is, or holds, a redacted value:
	// only then does the masked rendering differ from the real one.
	masks bool
	// size remembers each section's last rendered length, so the next
	// render allocates its buffer once.
	size [4]atomic.Int64
	// hasMedia marks the sections that place media: only those become
	// Parts, and the others keep the text-only path.
	hasMedia []bool
	// cache is whether the template has {:cache_control}.
	cache bool
	// mediaVar is, per top-level field, the variable that places it as
	// media, or -1; nil when the template places none.
	mediaVar []int
}

// binding is a template variable resolved to its field path.
type binding struct {
	nodes []*fieldNode
	spec  template.Spec
	f     format // how the value prints
	top   int    // index in Rendered.Fields of a top-level variable, else -1
	// touches is whether the value is, or holds, a redacted one: only
	// such a variable prints differently when masked.
	touches bool
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
		if v.Spec == template.SpecCacheControl {
			c.binds[i] = binding{top: -1, spec: v.Spec} // names no field
			c.cache = true
			continue
		}
		b, err := p.bind(v, splices[i])
		if err != nil {
			c.err = err
			return c
		}
		for _, n := range b.nodes {
			b.touches = b.touches || n.redact
		}
		b.touches = b.touches || b.nodes[len(b.nodes)-1].hidesRedacted()
		c.masks = c.masks || b.touches
		c.binds[i] = b
	}
	if err := p.compileMedia(c); err != nil {
		c.err = err
	}
	return c
}

// compileMedia finds the sections and fields that media specs place. A
// variable placed as media is placed the same way everywhere: its Value is
// then one thing, the parts.
func (p *plan) compileMedia(c *compiled) error {
	vars := c.t.Vars()
	var spec map[string]int // first media occurrence of each name
	for i := range vars {
		if vars[i].Spec.Media() == "" {
			continue
		}
		if spec == nil {
			spec = map[string]int{}
			c.mediaVar = make([]int, len(p.fields))
			for j := range c.mediaVar {
				c.mediaVar[j] = -1
			}
		}
		if _, ok := spec[vars[i].Name]; !ok {
			spec[vars[i].Name] = i
		}
		if top := c.binds[i].top; top >= 0 && c.mediaVar[top] < 0 {
			c.mediaVar[top] = i
		}
	}
	// A section with {:cache_control} renders as Parts too: the marker is
	// a part, placed where it stands.
	for s := 0; s < c.t.NumSections(); s++ {
		for _, part := range c.t.Parts(s) {
			if part.Var >= 0 && (vars[part.Var].Spec.Media() != "" || vars[part.Var].Spec == template.SpecCacheControl) {
				if c.hasMedia == nil {
					c.hasMedia = make([]bool, c.t.NumSections())
				}
				c.hasMedia[s] = true
			}
		}
	}
	if spec == nil {
		return nil
	}
	for i := range vars {
		v := &vars[i]
		if first, ok := spec[v.Name]; ok && v.Spec != vars[first].Spec {
			return p.templateErr(&template.Error{Pos: v.Pos, Var: v.Name, Err: ErrInvalidField,
				Msg: fmt.Sprintf("{%s} is placed as {%s:%s} at %s: a field placed as media is placed the same way everywhere",
					v.Name+specSuffix(v.Spec), v.Name, vars[first].Spec, vars[first].Pos)})
		}
	}
	return nil
}

// specSuffix is ":spec", or "" without one.
func specSuffix(s template.Spec) string {
	if s == template.SpecNone {
		return ""
	}
	return ":" + s.String()
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
	t := derefType(last.typ)
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
	if kind := v.Spec.Media(); kind != "" {
		if !mediaTypeOK(last.typ, v.Spec.Plural()) {
			return b, bad(ErrInvalidField, "{%s:%s} needs %s, not %s", v.Name, v.Spec, mediaWants(v.Spec), last.typ)
		}
		return b, nil
	}
	if isMedia(t) && v.Spec != template.SpecJSON {
		s := ""
		if t.Kind() == reflect.Slice {
			s = "s"
		}
		return b, bad(ErrInvalidField, "{%s%s} is a %s: place it with {%[1]s:image%[4]s}, {%[1]s:audio%[4]s} or {%[1]s:document%[4]s}",
			v.Name, specSuffix(v.Spec), last.typ, s)
	}
	if why := unprintable(t, map[reflect.Type]bool{}); why != "" {
		return b, bad(ErrInvalidField, "{%s} is a %s: %s; format it into a string field, or leave it out of the template", v.Name, last.typ, why)
	}
	switch v.Spec {
	case template.SpecList:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return b, bad(template.ErrSyntax, "{%s:list} needs a slice or array, not %s", v.Name, last.typ)
		}
		b.f = formatOf(t.Elem(), 0)
	case template.SpecLists:
		if (t.Kind() != reflect.Slice && t.Kind() != reflect.Array) ||
			(t.Elem().Kind() != reflect.Slice && t.Elem().Kind() != reflect.Array) {
			return b, bad(template.ErrSyntax, "{%s:lists} needs a slice of slices, not %s", v.Name, last.typ)
		}
		b.f = formatOf(t.Elem().Elem(), 0)
	case template.SpecJSON:
		b.f = format{kind: fmtJSON}
	default:
		b.f = formatOf(last.typ, 0) // *T may have the methods T lacks
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
				if !a.mask {
					if err := CheckMessages(hist); err != nil {
						e := err.(*Error)
						e.Type, e.Field = p.name, c.t.Vars()[splice].Name
						return nil, e
					}
				}
				msgs = append(msgs, cloneMessages(hist)...) // nothing shared with the prompt
			}
			continue
		}
		if c.hasMedia != nil && c.hasMedia[i] {
			m, err := c.renderParts(p, a, i)
			if err != nil {
				return nil, err
			}
			// Left out when it places nothing, decided on the real
			// rendering so that the masked one drops the same sections.
			keep := len(m.Parts) > 0 || m.Content != ""
			if a.kept != nil {
				if a.mask {
					keep = a.kept[i]
				} else {
					a.kept[i] = keep
				}
			}
			if !keep {
				a.dropped = true
				continue
			}
			m.Role = Role(role)
			msgs = append(msgs, m)
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
		for _, part := range c.t.Parts(i) {
			if err := c.writePart(p, a, &b, i, part); err != nil {
				return nil, err
			}
		}
		content := b.String()
		if !a.mask {
			if i < len(c.size) {
				c.size[i].Store(int64(len(content)))
			}
			if a.texts != nil {
				a.texts[i] = content
			}
		}
		// A section rendering to white space alone is left out, as
		// Mirascope does (services refuse an empty message), decided on
		// the real text so that the masked rendering drops the same ones.
		real := content
		if a.mask && a.texts != nil {
			real = a.texts[i]
		}
		if blank(real) {
			a.dropped = true
			continue
		}
		msgs = append(msgs, Message{Role: Role(role), Content: content})
	}
	return msgs, nil
}

// writePart writes a text part of section i, or a variable as text.
func (c *compiled) writePart(p *plan, a *args, b *strings.Builder, i int, part template.Part) error {
	switch {
	case part.Var < 0:
		b.WriteString(part.Text)
	case a.mask && a.offs != nil && !c.binds[part.Var].touches:
		b.WriteString(a.texts[i][a.offs[2*part.Var]:a.offs[2*part.Var+1]])
	default:
		start := b.Len()
		if err := a.WriteVar(b, part.Var, &c.t.Vars()[part.Var]); err != nil {
			return p.templateErr(err)
		}
		if a.offs != nil && !a.mask {
			a.offs[2*part.Var], a.offs[2*part.Var+1] = start, b.Len()
		}
	}
	return nil
}

// renderParts renders section i, which places media, as Parts: its text
// up to the first media, the media, the text after, and so on. Text is
// written into one buffer and each text part is a window on it; white
// space touching media is dropped, and text left empty makes no part. A
// variable that places nothing (a nil pointer, an empty list) does not
// split the text around it, and a section where nothing is placed is
// Content, as if it had no media spec. In the masked rendering a redacted
// media variable that placed something is one text part [RedactedText].
// {:cache_control} places a [CacheBreakpoint] part where it stands.
func (c *compiled) renderParts(p *plan, a *args, i int) (Message, error) {
	var b strings.Builder
	b.Grow(c.t.SizeHint(i))
	parts := make([]Part, 0, len(c.t.Parts(i))) // one per template part, as a rule
	pending, afterMedia := 0, false             // where the text not yet in a part starts
	flush := func() {
		text := b.String()[pending:]
		pending = b.Len()
		if afterMedia {
			text = strings.TrimLeft(text, " \t\r\n")
		}
		if text = strings.TrimRight(text, " \t\r\n"); text != "" {
			parts = append(parts, Part{Text: text})
		}
	}
	vars := c.t.Vars()
	for _, part := range c.t.Parts(i) {
		if part.Var >= 0 && vars[part.Var].Spec == template.SpecCacheControl {
			flush()
			parts = append(parts, CacheBreakpoint())
			afterMedia = true
			continue
		}
		if part.Var < 0 || vars[part.Var].Spec.Media() == "" {
			if err := c.writePart(p, a, &b, i, part); err != nil {
				return Message{}, err
			}
			continue
		}
		val, n, err := a.mediaOf(p, part.Var)
		if err != nil {
			return Message{}, err
		}
		if n == 0 {
			continue
		}
		flush()
		if a.mask && c.binds[part.Var].touches {
			parts = append(parts, Part{Text: RedactedText})
		} else if one, ok := val.(Part); ok {
			parts = append(parts, one)
		} else {
			parts = append(parts, val.([]Part)...)
		}
		afterMedia = true
	}
	if !a.mask && a.texts != nil {
		a.texts[i] = b.String()
	}
	if !afterMedia {
		// Nothing placed: the section is text after all.
		if text := b.String(); !blank(text) {
			return Message{Content: text}, nil
		}
		return Message{}, nil
	}
	if text := strings.TrimLeft(b.String()[pending:], " \t\r\n"); text != "" {
		parts = append(parts, Part{Text: text})
	}
	return Message{Parts: parts}, nil
}

// mediaOf is what media variable i places: the field's normalised Value
// for a top-level variable, else the value normalised now; n counts the
// parts.
func (a *args) mediaOf(p *plan, i int) (val any, n int, err error) {
	bd := &a.c.binds[i]
	if bd.top >= 0 && a.c.mediaVar != nil && a.c.mediaVar[bd.top] >= 0 {
		switch x := a.fields[bd.top].Value.(type) {
		case Part:
			return x, 1, nil
		case []Part:
			return x, len(x), nil
		}
		return nil, 0, nil // a nil pointer
	}
	v, _ := a.resolve(i)
	return a.c.normalize(p, i, v)
}

// media normalises the value of a field placed by media variable i, for
// its Value.
func (c *compiled) media(p *plan, i int, v reflect.Value) (any, error) {
	val, _, err := c.normalize(p, i, v)
	return val, err
}

// normalize is what media variable i places for value v: an
// [ErrInvalidValue] error naming the variable when v cannot be placed.
func (c *compiled) normalize(p *plan, i int, v reflect.Value) (any, int, error) {
	tv := &c.t.Vars()[i]
	val, n, why := mediaValue(v, tv.Spec)
	if why != "" {
		if why[0] != '[' {
			why = " " + why
		}
		return nil, 0, p.templateErr(&template.Error{Pos: tv.Pos, Var: tv.Name, Err: ErrInvalidValue,
			Msg: "{" + tv.Name + ":" + tv.Spec.String() + "}" + why})
	}
	return val, n, nil
}

// args is the [template.Args] a plan's template renders with.
type args struct {
	c      *compiled
	rv     reflect.Value
	fields []Field // the values already read, reused for top-level variables
	mask   bool
	// With a secret printed, the real rendering records each section's
	// text and where each variable's value sits in it, for the masked one.
	texts []string
	offs  []int
	// kept is, per section placing media, whether the real rendering
	// kept it.
	kept []bool
	// dropped is whether a section was left out as blank.
	dropped bool
}

// resolve walks a variable's field path; a nil pointer on the way gives an
// invalid Value, which prints as nothing.
func (a *args) resolve(i int) (reflect.Value, bool) {
	v := a.rv
	redacted := false
	for _, n := range a.c.binds[i].nodes {
		if v = deref(v); !v.IsValid() {
			return v, redacted
		}
		var err error
		if v, err = v.FieldByIndexErr(n.index); err != nil {
			return reflect.Value{}, redacted
		}
		redacted = redacted || n.redact
	}
	return deref(v), redacted
}

// deref strips pointers, at most maxDepth of them; a nil one gives an
// invalid Value.
func deref(v reflect.Value) reflect.Value {
	for i := 0; v.Kind() == reflect.Pointer; i++ {
		if v.IsNil() || i == maxDepth {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
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
	if a.mask && last.hidesRedacted() {
		// Format the masked form: a secret inside a list or a struct is
		// replaced before anything prints it.
		var m any
		if bd.top >= 0 {
			m = a.fields[bd.top].Masked()
		} else {
			var err error
			if m, err = snapshot(last.inner, v, 0); err != nil {
				return valueErr(tv, err)
			}
		}
		if v = reflect.ValueOf(m); !v.IsValid() {
			return nil
		}
		if bd.spec == template.SpecJSON {
			return writeJSON(b, v, tv)
		}
		bd = &binding{nodes: bd.nodes, spec: bd.spec, top: -1, f: format{kind: fmtStringer}}
	}
	switch bd.spec {
	case template.SpecJSON:
		return writeJSON(b, v, tv)
	case template.SpecList:
		for j := 0; j < v.Len(); j++ {
			if j > 0 {
				b.WriteByte('\n')
			}
			if err := bd.f.write(b, v.Index(j), tv, 1); err != nil {
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
				if err := bd.f.write(b, g.Index(k), tv, 2); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return bd.f.write(b, v, tv, 0)
}

// writeJSON writes v as JSON; encoding/json reports a cyclic value as an
// error rather than recursing for ever.
func writeJSON(b *strings.Builder, v reflect.Value, tv *template.Var) error {
	data, err := json.Marshal(v.Interface())
	if err != nil {
		return valueErr(tv, err)
	}
	b.Write(data)
	return nil
}

// valueErr is a value that cannot be printed, matching [ErrInvalidValue]
// and the cause.
func valueErr(tv *template.Var, err error) error {
	return &template.Error{Pos: tv.Pos, Var: tv.Name, Err: fmt.Errorf("%w: %w", ErrInvalidValue, err), Msg: "{" + tv.Name + "}: " + err.Error()}
}

// errTooDeep is a value nested beyond maxDepth: a cycle, or near enough.
var errTooDeep = errors.New("value nested more than 256 levels deep, or cyclic")

// fmtKind is how a value prints in a template.
type fmtKind uint8

const (
	fmtString fmtKind = iota
	fmtInt
	fmtUint
	fmtFloat
	fmtBool
	fmtError
	fmtStringer
	fmtText
	fmtBytes // a []byte, as the text it holds
	fmtSlice // elements joined with ", "
	fmtJSON  // structs, maps and anything else
)

type format struct {
	kind fmtKind
	bits int     // float size
	elem *format // for fmtSlice
}

// formatOf decides once, per template variable, how values of t print.
func formatOf(t reflect.Type, depth int) format {
	if depth > maxDepth {
		return format{kind: fmtJSON}
	}
	if t.Kind() != reflect.Interface {
		switch {
		case t.Implements(errorType):
			return format{kind: fmtError}
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
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return format{kind: fmtBytes}
		}
		e := formatOf(t.Elem(), depth+1)
		return format{kind: fmtSlice, elem: &e}
	case reflect.Pointer:
		return formatOf(t.Elem(), depth+1)
	case reflect.Interface:
		return format{kind: fmtStringer} // decided per value
	}
	return format{kind: fmtJSON}
}

func (f *format) write(b *strings.Builder, v reflect.Value, tv *template.Var, depth int) error {
	if depth > maxDepth {
		return valueErr(tv, errTooDeep)
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		if v.Kind() == reflect.Interface {
			v = v.Elem()
			ff := formatOf(v.Type(), 0)
			return ff.write(b, v, tv, depth+1)
		}
		if f.kind == fmtError {
			break // the pointer is the error
		}
		v = v.Elem()
		if depth++; depth > maxDepth {
			return valueErr(tv, errTooDeep)
		}
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
	case fmtError:
		if e, ok := as[error](v); ok {
			b.WriteString(e.Error())
			return nil
		}
		return (&format{kind: fmtJSON}).write(b, v, tv, depth)
	case fmtBytes:
		b.WriteString(bytesText(v))
	case fmtStringer:
		if e, ok := v.Interface().(error); ok {
			b.WriteString(e.Error())
			return nil
		}
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
		ff := formatOf(v.Type(), 0)
		if ff.kind == fmtStringer {
			ff = format{kind: fmtJSON}
		}
		return ff.write(b, v, tv, depth+1)
	case fmtText:
		tm, ok := as[encoding.TextMarshaler](v)
		if !ok {
			return writeJSON(b, v, tv)
		}
		text, err := tm.MarshalText()
		if err != nil {
			return valueErr(tv, err)
		}
		b.Write(text)
	case fmtSlice:
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := f.elem.write(b, v.Index(i), tv, depth+1); err != nil {
				return err
			}
		}
	default:
		return writeJSON(b, v, tv)
	}
	return nil
}

// as returns v, or its address when only *T has the method, as an I.
func as[I any](v reflect.Value) (I, bool) {
	if i, ok := v.Interface().(I); ok {
		return i, true
	}
	if v.CanAddr() {
		if i, ok := v.Addr().Interface().(I); ok {
			return i, true
		}
	}
	var zero I
	return zero, false
}

// bytesText is how a []byte prints, in a template and for a tracer alike:
// the text it holds, with invalid UTF-8 replaced by U+FFFD.
func bytesText(v reflect.Value) string {
	return strings.ToValidUTF8(string(v.Bytes()), "\uFFFD")
}
