package mcptools

import "strings"

// ToolError is a result the server marked isError: the tool ran and
// failed. mirascope.CallTools sends its text to the model, which can
// correct itself, as it does for a tool of our own that returns an error.
type ToolError struct {
	// Tool is the tool's name as the model knows it.
	Tool string
	// Text is the result's content, as the model reads it.
	Text string
}

func (e *ToolError) Error() string {
	text := e.Text
	if strings.TrimSpace(text) == "" {
		text = "the tool reported an error and said nothing more"
	}
	return "mirascope: mcp tool " + e.Tool + ": " + text
}

// CallError is a tools/call that got no result: the transport failed, the
// session was closed, the server answered with a protocol error (an
// unknown tool, say), or ctx ended first. Err is the cause; errors.Is
// reaches mcp.ErrConnectionClosed, context.Canceled or
// context.DeadlineExceeded through it.
type CallError struct {
	// Tool is the tool's name as the model knows it.
	Tool string
	Err  error
}

func (e *CallError) Error() string {
	return "mirascope: mcp tool " + e.Tool + ": tools/call failed: " + e.Err.Error()
}

func (e *CallError) Unwrap() error { return e.Err }
