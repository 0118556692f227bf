package mock

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// Reply is one scripted answer.
type Reply struct {
	resp      *mirascope.Response
	chunks    []*mirascope.Chunk
	err       error
	failAfter int // chunks yielded before err, when streaming; -1: fail at once
}

// Text answers with content. Streamed, it arrives word by word, the last
// chunk carrying the finish reason "stop" and the usage.
func Text(content string) Reply {
	return Reply{resp: &mirascope.Response{Content: content, FinishReasons: []string{"stop"}}, failAfter: -1}
}

// Respond answers with resp as it is (its Model and ID are filled in when
// empty). Streamed, its content arrives word by word.
func Respond(resp *mirascope.Response) Reply {
	if resp == nil {
		resp = &mirascope.Response{}
	}
	return Reply{resp: resp, failAfter: -1}
}

// Chunks answers a stream with exactly these chunks; a Call gets them joined.
func Chunks(chunks ...*mirascope.Chunk) Reply {
	return Reply{chunks: chunks, failAfter: -1}
}

// Fail answers with err, before any chunk.
func Fail(err error) Reply { return Reply{err: err, failAfter: -1} }

// FailAfter streams n chunks of the text "chunk 1 chunk 2 …", word by word
// as [Text] streams, and then fails with err: FailAfter(2, err) yields
// "chunk" and " 1". A Call fails with err.
func FailAfter(n int, err error) Reply {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "chunk %d ", i)
	}
	return Text(strings.TrimSpace(b.String())).FailAfter(n, err)
}

// FailAfter makes r's stream break with err after n chunks; a Call fails
// with err.
func (r Reply) FailAfter(n int, err error) Reply {
	r.err = err
	r.failAfter = max(n, 0)
	return r
}

// Provider is a scripted [mirascope.Provider] and [mirascope.Streamer]: each
// call takes the next reply, and the last one repeats. It runs batch jobs
// too (see SubmitBatch), so package batch can be tested offline. It is safe
// for concurrent use.
type Provider struct {
	mu       sync.Mutex
	replies  []Reply
	next     int
	requests []*mirascope.Request
	info     mirascope.ProviderInfo
	batches  map[string]*mockBatch
}

var (
	_ mirascope.Provider = (*Provider)(nil)
	_ mirascope.Streamer = (*Provider)(nil)
)

// ErrNoReplies is returned by a Provider created without replies.
var ErrNoReplies = errors.New("mirascope: mock: no replies scripted")

// New returns a provider that answers with replies in order.
func New(replies ...Reply) *Provider {
	return &Provider{replies: replies, info: mirascope.ProviderInfo{Name: "mock", Model: "mock-model"}}
}

// SetInfo replaces what Info returns (default: name "mock", model "mock-model").
func (p *Provider) SetInfo(info mirascope.ProviderInfo) {
	p.mu.Lock()
	p.info = info
	p.mu.Unlock()
}

// Info implements [mirascope.Provider].
func (p *Provider) Info() mirascope.ProviderInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.info
}

// Requests returns every request received so far, in order, as they were
// when received: the mock keeps copies of their messages (parts, media and
// media bytes included), so a caller that reuses a slice or a buffer after
// the call does not change what was recorded.
func (p *Provider) Requests() []*mirascope.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*mirascope.Request(nil), p.requests...)
}

// Reset forgets the recorded requests and the batch jobs, and starts the
// script again: a job id given before is then unknown ([ErrNoBatch]), and
// the next job is "mock-batch-1" again.
func (p *Provider) Reset() {
	p.mu.Lock()
	p.requests, p.next, p.batches = nil, 0, nil
	p.mu.Unlock()
}

func (p *Provider) take(req *mirascope.Request) (Reply, int, mirascope.ProviderInfo) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cp := *req
	cp.Messages = cloneMessages(req.Messages)
	p.requests = append(p.requests, &cp)
	n := len(p.requests)
	if len(p.replies) == 0 {
		return Fail(ErrNoReplies), n, p.info
	}
	r := p.replies[min(p.next, len(p.replies)-1)]
	p.next++
	return r, n, p.info
}

// Call implements [mirascope.Provider].
func (p *Provider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	r, n, info := p.take(req)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.err != nil {
		return nil, r.err
	}
	return r.response(req, n, info), nil
}

func (r Reply) response(req *mirascope.Request, n int, info mirascope.ProviderInfo) *mirascope.Response {
	var resp mirascope.Response
	var reasoning []prompt.Reasoning // a scripted stream's blocks
	if r.resp != nil {
		resp = *r.resp
	} else {
		// Joined as a stream's consumer joins them: ID and model included.
		var acc mirascope.Accumulator
		for _, c := range r.chunks {
			acc.Add(c)
		}
		resp = *acc.Response()
		reasoning = resp.Message.Reasoning
		resp.Message = prompt.Message{} // rebuilt below, with the calls' ids filled in
	}
	if resp.Model == "" {
		resp.Model = req.ModelOr(info.Model)
	}
	if resp.ID == "" {
		resp.ID = fmt.Sprintf("mock-%d", n)
	}
	if resp.Usage == (mirascope.Usage{}) {
		in := 0
		for _, m := range req.Messages {
			in += len(strings.Fields(m.Content))
		}
		resp.Usage = mirascope.Usage{InputTokens: in, OutputTokens: len(strings.Fields(resp.Content))}
	}
	if resp.Message.Role == "" {
		resp.Message = prompt.Assistant(resp.Content)
		resp.Message.Reasoning = reasoning
	}
	fillToolCalls(&resp, n)
	return &resp
}

// Stream implements [mirascope.Streamer].
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) {
		r, n, info := p.take(req)
		if r.err != nil && r.failAfter < 0 {
			yield(nil, r.err)
			return
		}
		chunks := r.chunks
		if chunks == nil {
			chunks = r.split(req, n, info)
		}
		for i, c := range chunks {
			if r.err != nil && i == r.failAfter {
				break
			}
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			if !yield(c, nil) {
				return
			}
		}
		if r.err != nil {
			yield(nil, r.err)
		}
	}
}

// split streams a response the way a service does: its content word by
// word, then each tool call as pieces (see toolCallChunks); the ID and model
// on the first chunk, the first finish reason and the usage on the last, and
// then any further finish reason, each on a chunk of its own.
func (r Reply) split(req *mirascope.Request, n int, info mirascope.ProviderInfo) []*mirascope.Chunk {
	resp := r.response(req, n, info)
	whole := resp.Chunks()
	first := whole[0]
	var chunks []*mirascope.Chunk
	if first.Reasoning != "" || len(first.ReasoningBlocks) > 0 {
		// The thinking comes first, whole, as services stream it before the answer.
		chunks = append(chunks, &mirascope.Chunk{Reasoning: first.Reasoning, ReasoningBlocks: first.ReasoningBlocks})
	}
	for s := first.Content; s != ""; {
		i := strings.IndexFunc(s[1:], func(c rune) bool { return c == ' ' || c == '\n' })
		if i < 0 {
			i = len(s)
		} else {
			i++
		}
		chunks = append(chunks, &mirascope.Chunk{Content: s[:i]})
		s = s[i:]
	}
	chunks = append(chunks, toolCallChunks(first.ToolCalls)...)
	if len(chunks) == 0 {
		chunks = append(chunks, &mirascope.Chunk{})
	}
	chunks[0].ID, chunks[0].Model = first.ID, first.Model
	last := chunks[len(chunks)-1]
	last.FinishReason, last.Usage, last.Raw = first.FinishReason, first.Usage, first.Raw
	return append(chunks, whole[1:]...)
}

// cloneMessages copies msgs deeply enough that nothing the caller may
// change afterwards is shared: tool calls, parts, media and their bytes.
func cloneMessages(msgs []prompt.Message) []prompt.Message {
	if msgs == nil {
		return nil
	}
	out := make([]prompt.Message, len(msgs))
	for i, m := range msgs {
		m.ToolCalls = slices.Clone(m.ToolCalls)
		m.Reasoning = slices.Clone(m.Reasoning)
		if m.Parts != nil {
			parts := make([]prompt.Part, len(m.Parts))
			for j, pt := range m.Parts {
				if pt.Media != nil {
					md := *pt.Media
					md.Data = slices.Clone(md.Data)
					pt.Media = &md
				}
				parts[j] = pt
			}
			m.Parts = parts
		}
		out[i] = m
	}
	return out
}
