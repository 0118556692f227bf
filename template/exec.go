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
	for i := range t.sections {
		out[i].Role, out[i].Splice = t.Section(i)
		if out[i].Role == RoleMessages {
			continue
		}
		var b strings.Builder
		b.Grow(t.SizeHint(i))
		if err := t.WriteSection(&b, i, args); err != nil {
			return nil, err
		}
		out[i].Content = b.String()
	}
	return out, nil
}

// NumSections returns the number of sections (1 for a template without any).
func (t *Template) NumSections() int { return len(t.sections) }

// Section returns section i's role and, for a RoleMessages section, the index
// in Vars of the variable to splice (else -1).
func (t *Template) Section(i int) (role Role, splice int) {
	s := &t.sections[i]
	if s.role == RoleMessages {
		return s.role, s.parts[0].Var
	}
	return s.role, -1
}

// SizeHint estimates the rendered size of section i, to pre-size a buffer.
func (t *Template) SizeHint(i int) int {
	s := &t.sections[i]
	return s.text + 16*len(s.parts)
}

// Parts returns section i's parts, for callers that render them without
// going through [Args]. The slice must not be modified.
func (t *Template) Parts(i int) []Part { return t.sections[i].parts }

// WriteSection renders section i into b. It is the allocation-free core of
// Execute, for callers that manage their own buffers.
func (t *Template) WriteSection(b *strings.Builder, i int, args Args) error {
	s := &t.sections[i]
	for pi := range s.parts {
		p := &s.parts[pi]
		if p.Var < 0 {
			b.WriteString(p.Text)
			continue
		}
		if err := args.WriteVar(b, p.Var, &t.vars[p.Var]); err != nil {
			return err
		}
	}
	return nil
}

// Values is a simple [Args] over a map, for templates used on their own:
// strings and numbers print as themselves, []string and [][]string take the
// list specs, and anything else takes json. A media spec is an error: a
// message of text cannot hold an image. {:cache_control} writes nothing:
// it is a hint, and text has no place to keep it.
type Values map[string]any

// WriteVar implements [Args].
func (m Values) WriteVar(b *strings.Builder, _ int, v *Var) error {
	if v.Spec == SpecCacheControl {
		return nil
	}
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
	case SpecNone:
		fmt.Fprint(b, val)
		return nil
	default:
		return &Error{Pos: v.Pos, Var: v.Name, Err: ErrSyntax,
			Msg: fmt.Sprintf("{%s:%s} places media, which only package prompt renders", v.Name, v.Spec)}
	}
	return &Error{Pos: v.Pos, Var: v.Name, Err: ErrSyntax, Msg: fmt.Sprintf(":%s needs a list, got %T", v.Spec, val)}
}
