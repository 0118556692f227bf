package template

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Args supplies the values of a template's variables.
type Args interface {
	// WriteVar writes the value of t.Vars()[i], formatted per v.Spec, to b.
	WriteVar(b *strings.Builder, i int, v *Var) error
}

// Message is one rendered section.
type Message struct {
	Role    Role
	Content string
	// Splice is, for a RoleMessages section, the index in Vars of the
	// variable whose messages go here; -1 otherwise.
	Splice int
}

// Execute renders every section with args. Values are written as text: a
// value that looks like a section keyword or a {variable} stays text.
func (t *Template) Execute(args Args) ([]Message, error) {
	out := make([]Message, len(t.sections))
	for si := range t.sections {
		s := &t.sections[si]
		if s.role == RoleMessages {
			out[si] = Message{Role: RoleMessages, Splice: s.parts[0].v}
			continue
		}
		var b strings.Builder
		b.Grow(s.text + 16*len(s.parts))
		for pi := range s.parts {
			p := &s.parts[pi]
			if p.v < 0 {
				b.WriteString(p.text)
				continue
			}
			if err := args.WriteVar(&b, p.v, &t.vars[p.v]); err != nil {
				return nil, err
			}
		}
		out[si] = Message{Role: s.role, Content: b.String(), Splice: -1}
	}
	return out, nil
}

// Values is a simple [Args] over a map, for templates used on their own:
// strings and numbers print as themselves, []string and [][]string take the
// list specs, and anything else takes json.
type Values map[string]any

// WriteVar implements [Args].
func (m Values) WriteVar(b *strings.Builder, _ int, v *Var) error {
	val, ok := m[v.Name]
	if !ok {
		return &Error{Pos: v.Pos, Var: v.Name, Err: ErrUnknownVariable, Msg: "unknown variable " + strconvQuote(v.Name)}
	}
	switch v.Spec {
	case SpecJSON:
		data, err := json.Marshal(val)
		if err != nil {
			return fmt.Errorf("template %s: {%s:json}: %w", v.Pos, v.Name, err)
		}
		b.Write(data)
		return nil
	case SpecList:
		if l, ok := val.([]string); ok {
			b.WriteString(strings.Join(l, "\n"))
			return nil
		}
	case SpecLists:
		if ll, ok := val.([][]string); ok {
			for i, l := range ll {
				if i > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString(strings.Join(l, "\n"))
			}
			return nil
		}
	default:
		fmt.Fprint(b, val)
		return nil
	}
	return &Error{Pos: v.Pos, Var: v.Name, Err: ErrSyntax, Msg: fmt.Sprintf(":%s needs a list, got %T", v.Spec, val)}
}

// Sections returns one Message per section with only its Role and Splice
// set, for callers that check a template before executing it.
func (t *Template) Sections() []Message {
	out := make([]Message, len(t.sections))
	for i, s := range t.sections {
		out[i] = Message{Role: s.role, Splice: -1}
		if s.role == RoleMessages {
			out[i].Splice = s.parts[0].v
		}
	}
	return out
}
