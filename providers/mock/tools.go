package mock

import (
	"encoding/json"
	"fmt"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// ToolCall is a call the scripted model asks for, for [ToolCalls]. args is
// the arguments object: a string, []byte or json.RawMessage is sent as it is
// (so a test can script malformed arguments), anything else as its JSON. The
// call's ID is left empty for the reply to fill in ("call_<request>_<index>").
func ToolCall(name string, args any) prompt.ToolCall {
	var a string
	switch v := args.(type) {
	case string:
		a = v
	case []byte:
		a = string(v)
	case json.RawMessage:
		a = string(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			panic(fmt.Sprintf("mock.ToolCall(%q): %v", name, err))
		}
		a = string(b)
	}
	return prompt.ToolCall{Name: name, Arguments: a}
}

// ToolCalls answers with calls and no text, finish reason "tool_calls", as a
// model asking for tools does. Streamed, each call arrives as
// [mirascope.ToolCallChunk]s: its ID and name first, then its arguments in
// small pieces.
func ToolCalls(calls ...prompt.ToolCall) Reply {
	return Reply{resp: &mirascope.Response{
		ToolCalls:     append([]prompt.ToolCall(nil), calls...),
		FinishReasons: []string{"tool_calls"},
	}, failAfter: -1}
}

// JSON answers with v encoded as JSON text, as a model answering a
// structured-output request does; a string or []byte is sent as it is, so a
// test can script invalid JSON.
func JSON(v any) Reply {
	switch x := v.(type) {
	case string:
		return Text(x)
	case []byte:
		return Text(string(x))
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("mock.JSON: %v", err))
	}
	return Text(string(b))
}

// fillToolCalls gives calls without an ID one, and puts them on the message.
func fillToolCalls(resp *mirascope.Response, n int) {
	if len(resp.ToolCalls) == 0 {
		return
	}
	calls := append([]prompt.ToolCall(nil), resp.ToolCalls...)
	for i := range calls {
		if calls[i].ID == "" {
			calls[i].ID = fmt.Sprintf("call_%d_%d", n, i)
		}
	}
	resp.ToolCalls = calls
	if len(resp.Message.ToolCalls) == 0 {
		resp.Message.ToolCalls = calls
	}
}

// toolCallChunks streams calls, given whole, the way services do: the ID,
// name and signature first, then the arguments in pieces of at most 8
// bytes.
func toolCallChunks(calls []mirascope.ToolCallChunk) []*mirascope.Chunk {
	var chunks []*mirascope.Chunk
	for _, c := range calls {
		chunks = append(chunks, &mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: c.Index, ID: c.ID, Name: c.Name, Signature: c.Signature}}})
		for a := c.Arguments; a != ""; {
			n := min(8, len(a))
			chunks = append(chunks, &mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: c.Index, Arguments: a[:n]}}})
			a = a[n:]
		}
	}
	return chunks
}
