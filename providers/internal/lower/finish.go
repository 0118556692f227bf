package lower

import (
	"io"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// Answer finishes a whole answer: when the Format went out as a tool, the
// arguments of the first call of it are the content, and that call is no
// tool call. Otherwise content and calls are returned as they are.
func (p *Plan) Answer(content string, calls []prompt.ToolCall) (string, []prompt.ToolCall) {
	tool := p.FormatTool()
	if tool == "" {
		return content, calls
	}
	for i, c := range calls {
		if c.Name == tool {
			rest := append(append([]prompt.ToolCall(nil), calls[:i]...), calls[i+1:]...)
			if len(rest) == 0 {
				rest = nil
			}
			return c.Arguments, rest
		}
	}
	return content, calls
}

// Stream returns the finisher of one stream of the plan.
func (p *Plan) Stream() *StreamAnswer { return &StreamAnswer{tool: p.FormatTool()} }

// StreamAnswer finishes a streamed answer as [Plan.Answer] finishes a whole
// one: the pieces of the format tool's first call are content. That call is
// told by its name, which comes with its first piece, and followed by its
// index. It is for one stream, not for concurrent use.
type StreamAnswer struct {
	tool  string
	index int
	seen  bool
}

// Chunk moves the format call's pieces of c into c.Content, in order.
func (s *StreamAnswer) Chunk(c *mirascope.Chunk) {
	if s.tool == "" || len(c.ToolCalls) == 0 {
		return
	}
	kept := c.ToolCalls[:0:0]
	for _, d := range c.ToolCalls {
		if !s.seen && d.Name == s.tool {
			s.index, s.seen = d.Index, true
		}
		if s.seen && d.Index == s.index {
			c.Content += d.Arguments
			continue
		}
		kept = append(kept, d)
	}
	if len(kept) == 0 {
		kept = nil
	}
	c.ToolCalls = kept
}

// CutShortMessage is the Message of [CutShort]'s error.
const CutShortMessage = "the stream ended before the response was complete"

// CutShort is the one error of a stream that ended, with no error of its own
// and its context alive, before the service marked the answer complete: a
// *mirascope.ProviderError matching io.ErrUnexpectedEOF, and retryable, since
// the same request may well complete.
func CutShort(provider, requestID string) *mirascope.ProviderError {
	return &mirascope.ProviderError{
		Provider:  provider,
		RequestID: requestID,
		Retryable: true,
		Message:   CutShortMessage,
		Err:       io.ErrUnexpectedEOF,
	}
}
