package mirascope

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/mirascope-go/mirascope/prompt"
)

// ErrUnknownTool is matched by the error a [ToolObserver] sees when the
// model calls a tool that was not offered.
var ErrUnknownTool = errors.New("mirascope: unknown tool")

// ToolPanicError is a panic in a tool, recovered by [CallTools]: the model is
// told the tool failed, the observer gets this error with the stack.
type ToolPanicError struct {
	Tool  string
	Value any
	Stack []byte
}

func (e *ToolPanicError) Error() string {
	return fmt.Sprintf("mirascope: tool %s panicked: %v", e.Tool, e.Value)
}

// CallTools runs the tool calls of resp with the tools named, concurrently,
// and returns one [prompt.RoleTool] message per call, in the model's order,
// each with the call's ToolCallID, ready to append to the conversation after
// resp.Message. Nothing a call does crashes the caller: an unknown tool,
// arguments that fail to decode or validate (see [NewTool]), a tool's error
// or panic, become a result with IsError set whose text tells the model what
// went wrong, so it can correct itself. Cancelling ctx cancels the tools'
// context; calls still running then are answered with the context's error
// without waiting for them.
//
// When resp came from [Call], [Stream] or [Run] through a provider that is
// (or wraps, along Unwrap() Provider) a [ToolObserver], each run is reported
// to it.
func CallTools(ctx context.Context, resp *Response, tools ...Tool) []prompt.Message {
	if resp == nil || len(resp.ToolCalls) == 0 {
		return nil
	}
	byName := make(map[string]Tool, len(tools))
	defs := make(map[string]ToolDefinition, len(tools))
	for _, t := range tools {
		if t == nil {
			continue
		}
		d := t.Definition()
		if _, dup := byName[d.Name]; !dup {
			byName[d.Name], defs[d.Name] = t, d
		}
	}
	obs, _ := find[ToolObserver](resp.via)

	type outcome struct {
		content string
		err     error
	}
	done := make([]chan outcome, len(resp.ToolCalls))
	for i, call := range resp.ToolCalls {
		done[i] = make(chan outcome, 1)
		go func() {
			var o outcome
			defer func() { done[i] <- o }()
			tool, ok := byName[call.Name]
			def := defs[call.Name]
			if !ok {
				def = ToolDefinition{Name: call.Name}
			}
			tctx, end := ctx, func(string, error) {}
			if obs != nil {
				tctx, end = obs.StartTool(ctx, def, call)
			}
			if !ok {
				o.err = fmt.Errorf("%w %q: the tools are %s", ErrUnknownTool, call.Name, toolNames(tools))
			} else {
				o.content, o.err = runTool(tctx, tool, call)
			}
			end(o.content, o.err)
		}()
	}
	msgs := make([]prompt.Message, len(resp.ToolCalls))
	for i, call := range resp.ToolCalls {
		var o outcome
		select {
		case o = <-done[i]:
		case <-ctx.Done():
			select {
			case o = <-done[i]:
			default:
				o.err = ctx.Err()
			}
		}
		msgs[i] = prompt.ToolResult(call.ID, o.content)
		if o.err != nil {
			msgs[i].Content = "Error: " + modelText(o.err)
			msgs[i].IsError = true
		}
	}
	return msgs
}

// modelText is what the model reads of a failed call: our own prefixes
// dropped, the substance kept.
func modelText(err error) string {
	var pe *ToolPanicError
	if errors.As(err, &pe) {
		return fmt.Sprintf("the tool %s failed unexpectedly (panic: %v)", pe.Tool, pe.Value)
	}
	return strings.TrimPrefix(err.Error(), "mirascope: ")
}

func runTool(ctx context.Context, t Tool, call prompt.ToolCall) (content string, err error) {
	defer func() {
		if r := recover(); r != nil {
			content, err = "", &ToolPanicError{Tool: call.Name, Value: r, Stack: debug.Stack()}
		}
	}()
	return t.Call(ctx, call.Arguments)
}

func toolNames(tools []Tool) string {
	if len(tools) == 0 {
		return "none"
	}
	names := make([]string, 0, len(tools))
	for _, t := range tools {
		if t != nil {
			names = append(names, t.Definition().Name)
		}
	}
	return strings.Join(names, ", ")
}

// find returns the first provider along p's Unwrap() chain that is a T.
func find[T any](p Provider) (T, bool) {
	for range 100 { // a decorator chain is short; a cycle must not hang us
		if p == nil {
			break
		}
		if t, ok := p.(T); ok {
			return t, true
		}
		u, ok := p.(interface{ Unwrap() Provider })
		if !ok {
			break
		}
		p = u.Unwrap()
	}
	var zero T
	return zero, false
}
