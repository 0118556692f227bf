package mirascope

import (
	"cmp"
	"slices"
	"strings"

	"github.com/mirascope-go/mirascope/internal/toolcall"
	"github.com/mirascope-go/mirascope/prompt"
)

// Accumulator turns a stream's chunks into the [Response] they make up, the
// one way [ResponseStream], the otel layer, the mock and anything else that
// consumes a [Streamer] do it: content is concatenated, and reasoning apart
// from it; ID, Model and Raw
// are the last ones set; each FinishReason is appended; the last Usage wins;
// tool-call and reasoning-block pieces are assembled by index (see
// [ToolCallChunk] and [ReasoningChunk]). It is for
// decorators and providers; the zero value is ready, and it is not safe for
// concurrent use.
type Accumulator struct {
	content   strings.Builder
	reasoning strings.Builder
	resp      Response
	calls     toolcall.Assembler
	blocks    reasoningBlocks
	n         int
}

// Add adds c; a nil c is ignored.
func (a *Accumulator) Add(c *Chunk) {
	if c == nil {
		return
	}
	a.n++
	a.content.WriteString(c.Content)
	a.reasoning.WriteString(c.Reasoning)
	for _, b := range c.ReasoningBlocks {
		a.blocks.add(b)
	}
	if c.ID != "" {
		a.resp.ID = c.ID
	}
	if c.Model != "" {
		a.resp.Model = c.Model
	}
	if c.FinishReason != "" {
		a.resp.FinishReasons = append(a.resp.FinishReasons, c.FinishReason)
	}
	if c.Usage != nil {
		a.resp.Usage = *c.Usage
	}
	if c.Raw != nil {
		a.resp.Raw = c.Raw
	}
	if c.Attempts != 0 {
		a.resp.Attempts = c.Attempts
	}
	if c.RateLimitWait != 0 {
		a.resp.RateLimitWait = c.RateLimitWait
	}
	for _, tc := range c.ToolCalls {
		a.calls.Add(tc.Index, tc.ID, tc.Name, tc.Arguments, tc.Signature)
	}
}

// Len is the number of chunks added.
func (a *Accumulator) Len() int { return a.n }

// Response returns what the chunks so far make up, with Message the
// assistant turn (its reasoning blocks, content and tool calls). It shares no memory with
// what a later Add changes.
func (a *Accumulator) Response() *Response {
	r := a.resp
	r.Content = a.content.String()
	r.Reasoning = a.reasoning.String()
	r.FinishReasons = slices.Clone(a.resp.FinishReasons)
	r.ToolCalls = a.calls.Calls()
	r.Message = prompt.Assistant(r.Content)
	r.Message.ToolCalls = slices.Clone(r.ToolCalls)
	r.Message.Reasoning = a.blocks.blocks()
	return &r
}

// Chunks returns r as the chunks a stream of it yields, the way a provider
// that cannot stream is streamed: one chunk with the whole content and
// reasoning, reasoning blocks and tool calls (one piece each), ID, Model, Raw, Usage and the first finish
// reason, then one chunk per further finish reason. An [Accumulator] turns
// them back into r (its Message rebuilt from its content and tool calls).
func (r *Response) Chunks() []*Chunk {
	u := r.Usage
	c := &Chunk{Content: r.Content, Reasoning: r.Reasoning, ID: r.ID, Model: r.Model, Usage: &u, Raw: r.Raw, Attempts: r.Attempts, RateLimitWait: r.RateLimitWait}
	if rs := r.Message.Reasoning; len(rs) > 0 {
		c.ReasoningBlocks = make([]ReasoningChunk, len(rs))
		for i, b := range rs {
			c.ReasoningBlocks[i] = ReasoningChunk{Index: i, Text: b.Text, Signature: b.Signature, Redacted: b.Redacted}
		}
	}
	if len(r.ToolCalls) > 0 {
		c.ToolCalls = make([]ToolCallChunk, len(r.ToolCalls))
		for i, tc := range r.ToolCalls {
			c.ToolCalls[i] = ToolCallChunk{Index: i, ID: tc.ID, Name: tc.Name, Arguments: tc.Arguments, Signature: tc.Signature}
		}
	}
	chunks := []*Chunk{c}
	for i, f := range r.FinishReasons {
		if i == 0 {
			c.FinishReason = f
			continue
		}
		chunks = append(chunks, &Chunk{FinishReason: f})
	}
	return chunks
}

// reasoningBlocks gathers reasoning pieces by index, as toolcall.Assembler
// gathers tool calls: O(1) a piece, whatever the number of blocks.
type reasoningBlocks struct {
	order   []*reasoningBlock // by first appearance
	byIndex map[int]*reasoningBlock
	last    *reasoningBlock
}

type reasoningBlock struct {
	index                     int
	text, signature, redacted strings.Builder
}

func (rb *reasoningBlocks) add(c ReasoningChunk) {
	b := rb.last
	if b == nil || b.index != c.Index {
		b = rb.byIndex[c.Index]
		if b == nil {
			b = &reasoningBlock{index: c.Index}
			rb.order = append(rb.order, b)
			if rb.byIndex == nil {
				rb.byIndex = make(map[int]*reasoningBlock)
			}
			rb.byIndex[c.Index] = b
		}
		rb.last = b
	}
	b.text.WriteString(c.Text)
	b.signature.WriteString(c.Signature)
	b.redacted.WriteString(c.Redacted)
}

// blocks returns the blocks in index order; nil when none was seen.
func (rb *reasoningBlocks) blocks() []prompt.Reasoning {
	if len(rb.order) == 0 {
		return nil
	}
	order := slices.Clone(rb.order)
	slices.SortStableFunc(order, func(x, y *reasoningBlock) int { return cmp.Compare(x.index, y.index) })
	out := make([]prompt.Reasoning, len(order))
	for i, b := range order {
		out[i] = prompt.Reasoning{Text: b.text.String(), Signature: b.signature.String(), Redacted: b.redacted.String()}
	}
	return out
}
