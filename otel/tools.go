package otel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/internal/secrets"
	"github.com/mirascope-go/mirascope/prompt"
)

var (
	_ mirascope.ToolObserver = (*tracedProvider)(nil)
	_ mirascope.RunObserver  = (*tracedProvider)(nil)
)

// maxToolDescription bounds gen_ai.tool.description on a tool's span: it
// names the tool, the definition on the chat span has it whole.
const maxToolDescription = 1 << 10

// ToolAttributer is the optional capability of a mirascope.Tool that adds
// attributes of its own to its execute_tool span: an MCP server's tools
// (package mcptools) add mcp.method.name, mcp.session.id,
// mcp.protocol.version and network.transport. StartTool finds it by type
// assertion on the tool of that name the request offered, so neither
// package imports the other.
type ToolAttributer interface {
	SpanAttributes() []attribute.KeyValue
}

// attributer is the ToolAttributer named name among the tools req
// offered, or nil. Only tools that have the method are asked their name.
func attributer(req *mirascope.Request, name string) ToolAttributer {
	if req == nil || name == "" {
		return nil
	}
	for _, tl := range req.Tools {
		if ta, ok := tl.(ToolAttributer); ok && tl.Definition().Name == name {
			return ta
		}
	}
	return nil
}

// StartTool starts the span of one tool run: "execute_tool {name}", kind
// INTERNAL, a child of the span in ctx (the Run's, when in a Run). With
// content capture on, the call's arguments and, when it succeeds, its result
// are recorded, sharing the content budget and masked of the redacted values
// of req's prompt (req is the request whose answer asked for the call).
// mirascope.CallTools and mirascope.Run call it.
func (t *tracedProvider) StartTool(ctx context.Context, req *mirascope.Request, def mirascope.ToolDefinition, tc prompt.ToolCall) (context.Context, func(result string, err error)) {
	name := def.Name
	if name == "" {
		name = tc.Name
	}
	name = truncateString(validString(name), maxIdentifier) // an unknown tool's is the model's
	attrs := make([]attribute.KeyValue, 0, 8)
	attrs = append(attrs, attrExecuteTool, keyToolName.String(name), attrToolFunction)
	if tc.ID != "" {
		attrs = append(attrs, keyToolCallID.String(truncateString(validString(tc.ID), maxIdentifier)))
	}
	if def.Description != "" {
		attrs = append(attrs, keyToolDescription.String(truncateString(validString(def.Description), maxToolDescription)))
	}
	if ta := attributer(req, def.Name); ta != nil {
		own := slices.Clone(ta.SpanAttributes())
		validAttrs(own)
		attrs = append(attrs, own...)
	}
	ctx, span := t.tracerFor().Start(ctx, operationExecuteTool+" "+name,
		trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
	var secrets []string
	if req != nil && req.Prompt != nil && req.Prompt.HasRedacted() {
		secrets = secretsOf(req, true)
	}
	args := tc.Arguments // as called, whatever the tool does with its input
	var ended atomic.Bool
	return ctx, func(result string, err error) {
		if ended.Swap(true) {
			return
		}
		if span.IsRecording() {
			t.endTool(ctx, span, args, result, err, secrets)
		}
		span.End()
	}
}

func (t *tracedProvider) endTool(ctx context.Context, span trace.Span, args, result string, err error, secrets []string) {
	attrs := make([]attribute.KeyValue, 0, 4)
	if t.capture {
		if err != nil {
			result = "" // the conventions record a result only on success
		}
		c := noLimit
		if t.maxContent >= 0 {
			c = fairCap([]int{len(args), len(result)}, t.maxContent)
		}
		mask := func(s string) string { return validString(maskAll(s, secrets)) }
		if args != "" {
			a, _ := cutMasked(args, c, mask, secrets)
			attrs = append(attrs, keyToolArguments.String(a))
		}
		if err == nil {
			r, _ := cutMasked(result, c, mask, secrets)
			attrs = append(attrs, keyToolResult.String(r))
		}
		if c >= 0 {
			attrs = append(attrs, attrContentTruncated)
		}
	}
	if err != nil {
		attrs = append(attrs, keyErrorType.String(validString(toolErrorType(ctx, err))))
		if !t.capture {
			// The error may quote the arguments, which the span must not hold.
			secrets = append(slices.Clip(secrets), argsForms(args)...)
		}
		recordError(span, err, secrets)
	}
	span.SetAttributes(attrs...)
}

// toolErrorType is a failed tool's error.type: as for a call when the
// context ended it or the error says what it is; "unknown_tool" for a call
// of a tool not offered; else the Go type of the first error along the
// chain that has one of its own (mirascope.ArgumentsError,
// mirascope.ToolPanicError, a tool's own), or "_OTHER".
func toolErrorType(ctx context.Context, err error) string {
	if et := errorType(ctx, err); et != errorTypeOther {
		return et
	}
	if errors.Is(err, mirascope.ErrUnknownTool) {
		return errorTypeUnknownTool
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch et := exceptionType(e); et {
		case "errors.errorString", "fmt.wrapError", "fmt.wrapErrors", "errors.joinError", ".":
		default:
			return et
		}
	}
	return errorTypeOther
}

// StartRun starts the span of a whole mirascope.Run: "invoke_agent
// {PromptType}", kind INTERNAL, the parent of the Run's chat and tool
// spans. It ends with the tokens of every turn summed. mirascope.Run calls
// it.
func (t *tracedProvider) StartRun(ctx context.Context, req *mirascope.Request) (context.Context, func(*mirascope.Transcript, error)) {
	info := t.inner.Info()
	model := req.ModelOr(info.Model)
	name := operationInvokeAgent
	attrs := make([]attribute.KeyValue, 0, 8)
	attrs = append(attrs, attrInvokeAgent, keyProviderName.String(info.Name))
	if rp := req.Prompt; rp != nil && rp.Name != "" {
		name += " " + rp.Name
		attrs = append(attrs, keyAgentName.String(rp.Name))
	}
	attrs = targetAttrs(attrs, info, model)
	validAttrs(attrs)
	ctx, span := t.tracerFor().Start(ctx, validString(name),
		trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
	// What the failure's text is scrubbed of, known now: the Run changes
	// the conversation it was given as it goes.
	var errSecrets []string
	if !t.capture || req.Prompt != nil && req.Prompt.HasRedacted() {
		errSecrets = secretsOf(req, t.capture)
	}
	var ended atomic.Bool
	return ctx, func(tr *mirascope.Transcript, err error) {
		if ended.Swap(true) {
			return
		}
		if span.IsRecording() {
			attrs := make([]attribute.KeyValue, 0, 8)
			if tr != nil {
				if u := tr.Usage; counted(u) {
					attrs = usageAttrs(attrs, u)
				}
				if r := tr.Response; r != nil {
					if r.ID != "" {
						attrs = append(attrs, keyResponseID.String(r.ID))
					}
					if r.Model != "" {
						attrs = append(attrs, keyResponseModel.String(r.Model))
					}
				}
			}
			if err != nil {
				attrs = append(attrs, keyErrorType.String(errorType(ctx, err)))
				recordError(span, err, errSecrets)
			}
			validAttrs(attrs)
			span.SetAttributes(attrs...)
		}
		span.End()
	}
}

// argsForms are a tool call's arguments as an error may quote them.
func argsForms(args string) []string {
	return secrets.NewMasker(args).Forms()
}

func (t *tracedProvider) tracerFor() trace.Tracer {
	if t.tracer != nil {
		return t.tracer
	}
	return globalTracer()
}

// toolDefsSize is the size of gen_ai.tool.definitions unbounded, overhead
// included.
func toolDefsSize(tools []mirascope.Tool) int {
	n := 0
	for _, tl := range tools {
		if tl == nil {
			continue
		}
		d := tl.Definition()
		n += msgOverhead + len(d.Name) + len(d.Description) + len(d.Parameters)
	}
	return n
}

// compactJSON is raw without insignificant whitespace, when it is JSON.
func compactJSON(raw json.RawMessage) string {
	var buf bytes.Buffer
	buf.Grow(len(raw))
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return bytesString(buf.Bytes())
}
