package lower

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/internal/jsonschema"
	"github.com/mirascope-go/mirascope/prompt"
)

// Plan is a request checked against a service's [Caps], in a form every
// provider maps to its SDK without deciding anything further.
type Plan struct {
	Caps Caps
	// System is the text of each system message, in order; empty when
	// Caps.SystemInline keeps them among the Turns. A cache breakpoint
	// inside a system message splits it there.
	System []string
	// SystemCache[i] says that System[i] ends a cacheable prefix (a
	// prompt.CacheBreakpoint followed it); as long as System.
	SystemCache []bool
	// Turns is the conversation, consecutive tool results grouped.
	Turns []Turn
	// Tools are the tools to offer, checked, in order; the format tool
	// last when the Format goes out as one.
	Tools []mirascope.ToolDefinition
	// Choice is the tool choice to send.
	Choice Choice
	// Format is the structured answer asked for; nil for none.
	Format *Format
	// Reasoning is the reasoning setting to send, mapped to what
	// Caps.Reasoning takes; nil: none asked for.
	Reasoning *Reasoning
}

// Turn is one message of the conversation, or (Role prompt.RoleTool) the
// results of consecutive tool messages, which services that take the results
// of parallel calls in one user turn send together.
//
// A user message's Parts are checked against Caps.Media and ready to map:
// every media part has its source in URL (http(s), gs:// or s3://), Data
// (with its MIME type, lower case, without parameters) or FileID, a data:
// URL decoded into Data, Detail set only where the wire carries it. Parts of
// other roles, text only, are joined into Content.
type Turn struct {
	Role    prompt.Role
	Message prompt.Message   // a system, user or assistant turn
	Results []prompt.Message // a tool turn's results, in order
}

// ChoiceKind is the tool choice a provider sends.
type ChoiceKind int

const (
	// ChoiceDefault sends none: the service's default (auto with tools).
	ChoiceDefault ChoiceKind = iota
	ChoiceAuto
	ChoiceNone
	ChoiceRequired
	// ChoiceTool names the one tool the model must call.
	ChoiceTool
)

// Choice is a normalised tool choice. Auto and none with no tools offered
// are accepted and become ChoiceDefault: they ask for what already holds, and
// some services refuse a tool_choice without tools.
type Choice struct {
	Kind ChoiceKind
	Tool string // ChoiceTool: its name
}

// Format is the structured answer as it goes out.
type Format struct {
	Strategy    Strategy
	Name        string
	Description string
	// Schema is ready for the wire: adapted to the Caps (Native), made
	// strict when it can be (Strict, see Strict), or as written (Tool).
	Schema json.RawMessage
	// Strict: the schema is in strict mode's subset (Strategy Strict).
	Strict bool
}

// FormatTool is the name of the tool whose arguments are the answer, when
// the Format goes out as a forced tool; else "".
func (p *Plan) FormatTool() string {
	if p.Format != nil && p.Format.Strategy == Tool {
		return p.Format.Name
	}
	return ""
}

// refuse is the one refusal: a setting the service cannot honour, before
// any request.
func (c Caps) refuse(param, reason string) error {
	return &mirascope.UnsupportedError{Provider: c.Name, Parameter: param, Reason: reason}
}

func (c Caps) noParam(option, field string) error {
	reason := c.API + " has no " + field
	if c.ParamHint != "" {
		reason += "; " + c.ParamHint
	}
	return c.refuse(option, reason)
}

// Prepare checks req against caps and returns the service-neutral plan:
// every setting caps says the service cannot honour is a
// *mirascope.UnsupportedError, an unusable tool an error matching
// mirascope.ErrInvalidTool, both before any request. req is not modified.
func Prepare(req *mirascope.Request, caps Caps) (*Plan, error) {
	p := &Plan{Caps: caps}
	if err := caps.params(req.Params); err != nil {
		return nil, err
	}
	if err := p.reasoning(req.Params); err != nil {
		return nil, err
	}
	if err := p.turns(req.Messages); err != nil {
		return nil, err
	}
	if err := p.tools(req); err != nil {
		return nil, err
	}
	if err := p.format(req.Format); err != nil {
		return nil, err
	}
	return p, nil
}

func (c Caps) params(pa mirascope.Params) error {
	if err := checkParams(pa); err != nil {
		return err
	}
	switch {
	case c.MaxTokens > 0 && pa.MaxTokens != nil && *pa.MaxTokens > c.MaxTokens:
		return c.refuse("WithMaxTokens", fmt.Sprintf("%s takes at most %d tokens, not %d", c.API, c.MaxTokens, *pa.MaxTokens))
	case c.MaxTemperature > 0 && pa.Temperature != nil && *pa.Temperature > c.MaxTemperature:
		return c.refuse("WithTemperature", fmt.Sprintf("%s takes a temperature from 0 to %g, not %g", c.API, c.MaxTemperature, *pa.Temperature))
	case c.Seed32 && pa.Seed != nil && *pa.Seed != int64(int32(*pa.Seed)):
		return c.refuse("WithSeed", fmt.Sprintf("%s takes a 32-bit seed, from %d to %d, not %d", c.API, math.MinInt32, math.MaxInt32, *pa.Seed))
	case c.NoTemperature && pa.Temperature != nil:
		return c.noParam("WithTemperature", "temperature")
	case c.NoTopP && pa.TopP != nil:
		return c.noParam("WithTopP", "top_p")
	case c.NoSeed && pa.Seed != nil:
		return c.noParam("WithSeed", "seed")
	case c.NoStop && len(pa.Stop) > 0:
		return c.noParam("WithStop", "stop sequences")
	case c.MaxStop > 0 && len(pa.Stop) > c.MaxStop:
		return c.refuse("WithStop", fmt.Sprintf("%s takes at most %d stop sequences, not %d", c.API, c.MaxStop, len(pa.Stop)))
	}
	return nil
}

func (p *Plan) turns(msgs []prompt.Message) error {
	p.Turns = make([]Turn, 0, len(msgs))
	for i, m := range msgs {
		if len(m.Parts) > 0 {
			var err error
			if m, err = p.Caps.parts(i, m); err != nil {
				return err
			}
		}
		switch m.Role {
		case prompt.RoleSystem:
			if !p.Caps.SystemInline {
				p.system(msgs[i])
				continue
			}
		case prompt.RoleUser, prompt.RoleAssistant:
		case prompt.RoleTool:
			if m.ToolCallID == "" {
				return p.Caps.refuse("prompt.ToolResult", fmt.Sprintf("message %d is a tool result without the id of the call it answers", i))
			}
			if n := len(p.Turns); n > 0 && p.Turns[n-1].Role == prompt.RoleTool {
				p.Turns[n-1].Results = append(p.Turns[n-1].Results, m)
				continue
			}
			p.Turns = append(p.Turns, Turn{Role: prompt.RoleTool, Results: []prompt.Message{m}})
			continue
		default:
			return p.Caps.refuse(fmt.Sprintf("role %q", m.Role), fmt.Sprintf("message %d has it; a message is system, user, assistant or tool", i))
		}
		p.Turns = append(p.Turns, Turn{Role: m.Role, Message: m})
	}
	return nil
}

// ToolError is an unusable tool; it matches mirascope.ErrInvalidTool and is
// worded as the root package words its own check.
type toolError struct{ name, msg string }

func (e *toolError) Error() string {
	return fmt.Sprintf("mirascope: invalid tool %q: %s", e.name, e.msg)
}
func (e *toolError) Is(target error) bool { return target == mirascope.ErrInvalidTool }

// tools checks the tools and normalises the tool choice.
func (p *Plan) tools(req *mirascope.Request) error {
	names := make(map[string]bool, len(req.Tools))
	for i, t := range req.Tools {
		if t == nil {
			return &toolError{name: fmt.Sprintf("#%d", i), msg: "nil tool"}
		}
		def := t.Definition()
		switch {
		case def.Name == "":
			return &toolError{name: fmt.Sprintf("#%d", i), msg: "it has no name"}
		case names[def.Name]:
			return &toolError{name: def.Name, msg: "offered twice"}
		case len(def.Parameters) > 0 && !isObject(def.Parameters):
			return &toolError{name: def.Name, msg: "its parameters schema is not a JSON object"}
		}
		names[def.Name] = true
		p.Tools = append(p.Tools, def)
	}
	c := p.Caps
	switch choice := req.ToolChoice; choice {
	case "":
	case mirascope.ToolChoiceAuto:
		if len(p.Tools) > 0 {
			p.Choice.Kind = ChoiceAuto
		}
	case mirascope.ToolChoiceNone:
		switch {
		case len(p.Tools) == 0:
		case c.NoneChoice:
			p.Choice.Kind = ChoiceNone
		case hasToolBlocks(req.Messages):
			return c.refuse("WithToolChoice", fmt.Sprintf("%s has no tool choice none, and a conversation holding tool calls or results must offer its tools", c.API))
		default:
			// Not offering the tools is how this service says none.
			p.Tools = nil
		}
	case mirascope.ToolChoiceRequired:
		if len(p.Tools) == 0 {
			return c.refuse("WithToolChoice", "tool choice required needs tools to call; pass them with WithTools")
		}
		p.Choice.Kind = ChoiceRequired
	default:
		if !c.NamedChoice {
			return c.refuse("WithToolChoice", fmt.Sprintf("%s cannot be made to call one named tool (%q); use ToolChoiceRequired", c.API, choice))
		}
		if !names[string(choice)] {
			return c.refuse("WithToolChoice", fmt.Sprintf("no tool named %q is offered", choice))
		}
		p.Choice = Choice{Kind: ChoiceTool, Tool: string(choice)}
	}
	return nil
}

func hasToolBlocks(msgs []prompt.Message) bool {
	for _, m := range msgs {
		if m.Role == prompt.RoleTool || len(m.ToolCalls) > 0 {
			return true
		}
	}
	return false
}

func isObject(raw json.RawMessage) bool {
	var obj map[string]json.RawMessage
	return json.Unmarshal(raw, &obj) == nil && obj != nil
}

// format picks the structured-output strategy and readies the schema.
func (p *Plan) format(f *mirascope.Format) error {
	if f == nil {
		return nil
	}
	c := p.Caps
	if f.Name == "" {
		return c.refuse("Format", "it has no name; the schema is sent under its Name")
	}
	if err := jsonschema.CheckObject(f.Schema); err != nil {
		return c.refuse("Format", err.Error())
	}
	out := &Format{Strategy: c.Format, Name: f.Name, Description: f.Description, Schema: f.Schema}
	if len(p.Tools) > 0 {
		out.Strategy = c.FormatWithTools
	}
	p.Format = out
	switch out.Strategy {
	case Strict:
		s, err := jsonschema.Strict(f.Schema)
		switch {
		case err == nil:
			out.Schema, out.Strict = s, true
		case errors.Is(err, jsonschema.ErrNotStrict):
			// Sent as written, matched at best: the answer is checked
			// against it after decoding.
		default:
			return c.refuse("Format", err.Error())
		}
		return nil
	case Tool:
		return p.formatTool(out)
	}
	kw, path, err := jsonschema.Find(f.Schema, c.RefuseKeywords...)
	if err != nil {
		return c.refuse("Format", err.Error())
	}
	if kw != "" {
		return c.refuse("Format", fmt.Sprintf("the schema states %q (at %s), which %s's structured output does not take", kw, path, c.API))
	}
	if len(c.DropKeywords) > 0 {
		if out.Schema, err = jsonschema.Drop(out.Schema, c.DropKeywords...); err != nil {
			return c.refuse("Format", err.Error())
		}
	}
	if c.CloseObjects {
		if out.Schema, err = jsonschema.Close(out.Schema); err != nil {
			return c.refuse("Format", err.Error())
		}
	}
	return nil
}

// formatTool offers the format as one more tool and makes the model call a
// tool: with other tools offered it may call them first and answer through
// this one when done; alone, it is named where the service can name it.
func (p *Plan) formatTool(f *Format) error {
	c := p.Caps
	for _, t := range p.Tools {
		if t.Name == f.Name {
			return c.refuse("Format", fmt.Sprintf("a tool is already named %q, the name the structured answer is requested under", f.Name))
		}
	}
	switch p.Choice.Kind {
	case ChoiceNone:
		return c.refuse("WithToolChoice", fmt.Sprintf("structured output goes through a tool here, which tool choice %q forbids the model to call", mirascope.ToolChoiceNone))
	case ChoiceTool:
		return c.refuse("WithToolChoice", fmt.Sprintf("structured output goes through a tool here, which tool choice %q forbids the model to call", p.Choice.Tool))
	}
	alone := len(p.Tools) == 0
	p.Tools = append(p.Tools, mirascope.ToolDefinition{Name: f.Name, Description: f.Description, Parameters: f.Schema})
	if alone && c.NamedChoice {
		p.Choice = Choice{Kind: ChoiceTool, Tool: f.Name}
	} else {
		p.Choice = Choice{Kind: ChoiceRequired}
	}
	return nil
}

// parts checks message i's parts and returns the message as a provider maps
// it (see [Turn]); m's own slices are never written.
func (c Caps) parts(i int, m prompt.Message) (prompt.Message, error) {
	if m.Content != "" {
		return m, c.refuse("prompt.Message.Parts", fmt.Sprintf("message %d has both Content and Parts; a message's content is one or the other", i))
	}
	if m.Role != prompt.RoleUser {
		var b strings.Builder
		for j, part := range m.Parts {
			if part.CacheBreakpoint {
				if why := c.breakpoint(i, j, m); why != nil {
					return m, why
				}
			}
			if part.Media != nil {
				article := "a"
				if m.Role == prompt.RoleAssistant {
					article = "an"
				}
				return m, c.refuse(fmt.Sprintf("%s in %s %s message", part.Media.Kind, article, m.Role),
					fmt.Sprintf("message %d has it; media goes in user messages", i))
			}
			b.WriteString(part.Text)
		}
		m.Content, m.Parts = b.String(), nil
		return m, nil
	}
	var out []prompt.Part // nil until a part changes; then the parts so far, copied
	for j, part := range m.Parts {
		if part.CacheBreakpoint && part.Text == "" && part.Media == nil {
			if why := c.breakpoint(i, j, m); why != nil {
				return m, why
			}
			if out == nil {
				out = slices.Clone(m.Parts[:j])
			}
			out[len(out)-1].CacheBreakpoint = true
			continue
		}
		if part.Media != nil {
			if part.Text != "" {
				return m, c.refuse("prompt.Part", fmt.Sprintf("part %d of message %d has both Text and Media; a part is one or the other", j, i))
			}
			med, err := c.media(i, part.Media)
			if err != nil {
				return m, err
			}
			if med != part.Media {
				if out == nil {
					out = slices.Clone(m.Parts[:j])
				}
				part.Media = med
			}
		}
		if out != nil {
			out = append(out, part)
		}
	}
	if out != nil {
		m.Parts = out
	}
	return m, nil
}

// breakpoint refuses a bare cache breakpoint (part j of message i) that
// marks nothing: first in its message, or in an assistant or tool message.
func (c Caps) breakpoint(i, j int, m prompt.Message) error {
	switch {
	case m.Role != prompt.RoleUser && m.Role != prompt.RoleSystem:
		return c.refuse("prompt.CacheBreakpoint", fmt.Sprintf("message %d is a %s message; a breakpoint goes in a user or system message", i, m.Role))
	case j == 0 && m.Parts[0].Text == "" && m.Parts[0].Media == nil:
		return c.refuse("prompt.CacheBreakpoint", fmt.Sprintf("it is first in message %d and marks nothing; put it at the end of the message before", i))
	}
	return nil
}

// system adds a system message (checked by parts) to System, split at its
// cache breakpoints.
func (p *Plan) system(m prompt.Message) {
	add := func(text string, cached bool) {
		p.System = append(p.System, text)
		p.SystemCache = append(p.SystemCache, cached)
	}
	if len(m.Parts) == 0 {
		add(m.Content, false)
		return
	}
	var b strings.Builder
	split := false
	for _, part := range m.Parts {
		b.WriteString(part.Text)
		if part.CacheBreakpoint && (b.Len() > 0 || !split) {
			add(b.String(), true)
			b.Reset()
			split = true
		}
	}
	if b.Len() > 0 || !split {
		add(b.String(), false)
	}
}

// checkParams refuses, with a *mirascope.OptionError, a sampling setting no
// service could take, the same on every provider: max tokens below 1 (0
// would be sent as a limit some services refuse and others read as none),
// a temperature that is negative or not finite, a top_p outside 0..1.
func checkParams(pa mirascope.Params) error {
	switch {
	case pa.MaxTokens != nil && *pa.MaxTokens < 1:
		return &mirascope.OptionError{Option: "WithMaxTokens", Value: *pa.MaxTokens, Reason: "max tokens is a positive number of tokens"}
	case pa.Temperature != nil && !(*pa.Temperature >= 0 && !math.IsInf(*pa.Temperature, 1)):
		return &mirascope.OptionError{Option: "WithTemperature", Value: *pa.Temperature, Reason: "a temperature is a finite number, 0 or more"}
	case pa.TopP != nil && !(*pa.TopP >= 0 && *pa.TopP <= 1):
		return &mirascope.OptionError{Option: "WithTopP", Value: *pa.TopP, Reason: "top_p is a probability mass, from 0 to 1"}
	}
	return nil
}
