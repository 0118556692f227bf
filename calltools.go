package mirascope

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

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

// CallTools runs the tool calls of resp with the tools named, concurrently
// (at most [MaxToolConcurrency] at once, started in the model's order), and
// returns one [prompt.RoleTool] message per call, in the model's order,
// each with the call's ToolCallID, ready to append to the conversation after
// resp.Message. Nothing a call does crashes the caller: an unknown tool,
// arguments that fail to decode or validate (see [NewTool]), a tool's error
// or panic, become a result with IsError set whose text tells the model what
// went wrong, so it can correct itself. Cancelling ctx cancels the tools'
// context; calls still running then are answered with the context's error
// without waiting for them.
//
// When resp.Provider (set by [Call], [Stream], [Run] and [Extract]) is, or
// wraps along Unwrap() Provider, a [ToolObserver], each run is reported to
// it with resp.Request.
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
	obs, _ := find[ToolObserver](resp.Provider)

	type outcome struct {
		content string
		err     error
	}
	calls := resp.ToolCalls
	done := make([]chan outcome, len(calls))
	for i := range done {
		done[i] = make(chan outcome, 1)
	}
	run := func(call prompt.ToolCall) (o outcome) {
		tool, ok := byName[call.Name]
		def := defs[call.Name]
		if !ok {
			def = ToolDefinition{Name: call.Name}
		}
		tctx, end := ctx, func(string, error) {}
		if obs != nil {
			tctx, end = obs.StartTool(ctx, resp.Request, def, call)
		}
		if !ok {
			o.err = fmt.Errorf("%w %s: the tools are %s", ErrUnknownTool, quoteBounded(call.Name, maxEchoedName), toolNames(tools))
		} else {
			o.content, o.err = runTool(tctx, tool, call)
		}
		end(o.content, o.err)
		return o
	}
	// A fixed pool of workers takes the calls in order: however many calls
	// the model asks for, at most MaxToolConcurrency tools run at once.
	var next atomic.Int64
	for range min(len(calls), MaxToolConcurrency) {
		go func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(calls) {
					return
				}
				if err := ctx.Err(); err != nil {
					done[i] <- outcome{err: err} // not started: nothing to run or report
					continue
				}
				done[i] <- run(calls[i])
			}
		}()
	}
	msgs := make([]prompt.Message, len(calls))
	for i, call := range calls {
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

// MaxToolConcurrency is how many tools [CallTools] (and so [Run]) runs at
// once for one response: enough for tools that wait on the network, few
// enough that a model asking for thousands of calls in one turn does not
// start thousands of goroutines, connections or processes at the same time.
const MaxToolConcurrency = 16

// maxEchoedName bounds, in bytes as quoted, the unknown tool name an error
// result repeats to the model: the name is the model's own output, of any
// length, and echoing it whole would bill its length again as input.
const maxEchoedName = 128

// quoteBounded is s quoted as %q does, at most limit bytes long: cut at a
// character boundary and ended with "…" inside the quotes when longer. The
// result is valid UTF-8 whatever s holds.
func quoteBounded(s string, limit int) string {
	q := strconv.Quote(s)
	if len(q) <= limit {
		return q
	}
	const mark = "…"
	// Quoting only lengthens: start from the first limit bytes and drop a
	// character at a time until the quoted form fits (bounded work).
	cut := s[:min(len(s), limit)]
	if i := lastStart(cut); !utf8.FullRuneInString(cut[i:]) {
		cut = cut[:i] // a character the cut split
	}
	for {
		q = strconv.Quote(cut)
		if len(q)+len(mark) <= limit || cut == "" {
			return q[:len(q)-1] + mark + `"`
		}
		cut = cut[:lastStart(cut)]
	}
}

// lastStart is the index where s's last (possibly partial) character starts.
func lastStart(s string) int {
	i := len(s) - 1
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return max(i, 0)
}

// modelText is what the model reads of a failed call: our own prefixes
// dropped, the substance kept.
func modelText(err error) string {
	var pe *ToolPanicError
	if errors.As(err, &pe) {
		return fmt.Sprintf("the tool %s failed unexpectedly (panic: %v)", pe.Tool, pe.Value)
	}
	text := strings.TrimPrefix(err.Error(), "mirascope: ")
	if ae := (*ArgumentsError)(nil); errors.As(err, &ae) && len(text) > maxArgumentsText {
		// What was wrong with the model's arguments may quote them (an
		// unknown field's name): the model need not read them back whole.
		i := maxArgumentsText
		for i > 0 && !utf8.RuneStart(text[i]) {
			i--
		}
		text = text[:i] + "…"
	}
	return text
}

// maxArgumentsText bounds, in bytes, the text an [ArgumentsError] gives the
// model: enough for the path, rule and value of many failures.
const maxArgumentsText = 4 << 10

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
