package replay

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/internal/secrets"
	"github.com/mirascope-go/mirascope/prompt"
)

// formatVersion is written into every cassette; a file with another version
// is refused rather than misread.
const formatVersion = 1

type cassetteFile struct {
	Version      int           `json:"version"`
	Interactions []interaction `json:"interactions"`
}

// interaction is one request and what answered it: a response (Call), chunks
// (Stream), an error, or chunks and then an error.
type interaction struct {
	Request  json.RawMessage `json:"request"`
	Response *response       `json:"response,omitempty"`
	Chunks   []chunk         `json:"chunks,omitempty"`
	// Partial marks a stream the test stopped reading before its end.
	Partial bool     `json:"partial,omitempty"`
	Error   *failure `json:"error,omitempty"`
}

type request struct {
	Kind       string         `json:"kind"`
	Provider   string         `json:"provider"`
	Model      string         `json:"model"`
	Messages   []message      `json:"messages"`
	Params     *params        `json:"params,omitempty"`
	Tools      []tool         `json:"tools,omitempty"`
	ToolChoice string         `json:"tool_choice,omitempty"`
	Format     *format        `json:"format,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

type message struct {
	Role       string      `json:"role"`
	Content    string      `json:"content,omitempty"`
	Parts      []part      `json:"parts,omitempty"`
	Reasoning  []reasoning `json:"reasoning,omitempty"`
	ToolCalls  []toolCall  `json:"tool_calls,omitempty"`
	ToolCallID string      `json:"tool_call_id,omitempty"`
	IsError    bool        `json:"is_error,omitempty"`
}

type toolCall struct {
	ID        string `json:"id,omitempty"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
	Signature string `json:"signature,omitempty"`
}

type params struct {
	MaxTokens       *int                       `json:"max_tokens,omitempty"`
	Temperature     *float64                   `json:"temperature,omitempty"`
	TopP            *float64                   `json:"top_p,omitempty"`
	Stop            []string                   `json:"stop,omitempty"`
	Seed            *int64                     `json:"seed,omitempty"`
	Reasoning       *mirascope.ReasoningEffort `json:"reasoning,omitempty"`
	ReasoningBudget *int                       `json:"reasoning_budget,omitempty"`
}

// reasoning is a prompt.Reasoning block, stored whole: the service must
// see it again unchanged.
type reasoning struct {
	Text      string `json:"text,omitempty"`
	Signature string `json:"signature,omitempty"`
	Redacted  string `json:"redacted,omitempty"`
}

func fromReasoning(rs []prompt.Reasoning) []reasoning {
	if len(rs) == 0 {
		return nil
	}
	out := make([]reasoning, len(rs))
	for i, r := range rs {
		out[i] = reasoning(r)
	}
	return out
}

func toReasoning(rs []reasoning) []prompt.Reasoning {
	if len(rs) == 0 {
		return nil
	}
	out := make([]prompt.Reasoning, len(rs))
	for i, r := range rs {
		out[i] = prompt.Reasoning(r)
	}
	return out
}

type tool struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
}

type format struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Schema      json.RawMessage `json:"schema,omitempty"`
}

type usage struct {
	InputTokens      int `json:"input_tokens"`
	OutputTokens     int `json:"output_tokens"`
	CacheReadTokens  int `json:"cache_read_tokens,omitempty"`
	CacheWriteTokens int `json:"cache_write_tokens,omitempty"`
	ReasoningTokens  int `json:"reasoning_tokens,omitempty"`
}

type response struct {
	Content       string     `json:"content"`
	Reasoning     string     `json:"reasoning,omitempty"`
	Model         string     `json:"model,omitempty"`
	ID            string     `json:"id,omitempty"`
	FinishReasons []string   `json:"finish_reasons,omitempty"`
	Usage         usage      `json:"usage"`
	ToolCalls     []toolCall `json:"tool_calls,omitempty"`
	Message       message    `json:"message"`
}

type chunk struct {
	Content      string          `json:"content,omitempty"`
	Reasoning    string          `json:"reasoning,omitempty"`
	Blocks       []reasoningPart `json:"reasoning_blocks,omitempty"`
	ID           string          `json:"id,omitempty"`
	Model        string          `json:"model,omitempty"`
	FinishReason string          `json:"finish_reason,omitempty"`
	Usage        *usage          `json:"usage,omitempty"`
	ToolCalls    []toolCallChunk `json:"tool_calls,omitempty"`
}

type reasoningPart struct {
	Index     int    `json:"index"`
	Text      string `json:"text,omitempty"`
	Signature string `json:"signature,omitempty"`
	Redacted  string `json:"redacted,omitempty"`
}

type toolCallChunk struct {
	Index     int    `json:"index"`
	ID        string `json:"id,omitempty"`
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments,omitempty"`
	Signature string `json:"signature,omitempty"`
}

// failure is a recorded error. A *mirascope.ProviderError keeps its fields;
// any other error its text and the sentinels it matched.
type failure struct {
	Message string `json:"message"`
	// Provider is set for a *mirascope.ProviderError, with the fields after it.
	Provider *providerFailure `json:"provider_error,omitempty"`
	Is       []string         `json:"is,omitempty"`
}

type providerFailure struct {
	Provider   string `json:"provider"`
	StatusCode int    `json:"status_code,omitempty"`
	Retryable  bool   `json:"retryable,omitempty"`
	RequestID  string `json:"request_id,omitempty"`
	Code       string `json:"code,omitempty"`
	Type       string `json:"type,omitempty"`
	Message    string `json:"message,omitempty"`
	RetryAfter string `json:"retry_after,omitempty"`
	// Cause is the text of the error the ProviderError wrapped.
	Cause string `json:"cause,omitempty"`
}

// sentinels are the errors a replayed failure still matches, by name.
var sentinels = []struct {
	name string
	err  error
}{
	{"rate_limited", mirascope.ErrRateLimited},
	{"auth", mirascope.ErrAuth},
	{"context_length", mirascope.ErrContextLength},
	{"unsupported_parameter", mirascope.ErrUnsupportedParameter},
	{"canceled", context.Canceled},
	{"deadline_exceeded", context.DeadlineExceeded},
}

// canonical returns the request's canonical JSON: what a recording is
// matched on and what the file shows.
func canonical(kind string, info mirascope.ProviderInfo, req *mirascope.Request, s *scrubber) (json.RawMessage, error) {
	r := request{Kind: kind, Provider: info.Name, Model: req.ModelOr(info.Model)}
	msgs := req.Prompt.MaskMedia(req.Messages)
	r.Messages = make([]message, len(msgs))
	for i, m := range msgs {
		r.Messages[i] = fromRequestMessage(m)
	}
	if pr := req.Prompt; pr != nil && pr.HasRedacted() && startsWith(req.Messages, pr.Messages) {
		// A template prompt's own rendering with its secrets masked is exact;
		// the rest of the conversation (a tool loop's turns) is scrubbed below.
		for i, m := range pr.MaskMedia(pr.MaskedMessages()) {
			r.Messages[i] = fromRequestMessage(m)
		}
	}
	pa := req.Params
	if pa.MaxTokens != nil || pa.Temperature != nil || pa.TopP != nil || len(pa.Stop) > 0 || pa.Seed != nil ||
		pa.Reasoning != nil || pa.ReasoningBudget != nil {
		r.Params = &params{MaxTokens: pa.MaxTokens, Temperature: pa.Temperature, TopP: pa.TopP, Stop: pa.Stop, Seed: pa.Seed,
			Reasoning: pa.Reasoning, ReasoningBudget: pa.ReasoningBudget}
	}
	for _, t := range req.Tools {
		if t == nil {
			continue
		}
		d := t.Definition()
		r.Tools = append(r.Tools, tool{Name: d.Name, Description: d.Description, Parameters: validJSON(d.Parameters)})
	}
	r.ToolChoice = string(req.ToolChoice)
	if f := req.Format; f != nil {
		r.Format = &format{Name: f.Name, Description: f.Description, Schema: validJSON(f.Schema)}
	}
	for k, v := range req.Extensions {
		b, err := json.Marshal(v)
		if err != nil {
			continue // not serializable: not part of the match
		}
		if r.Extensions == nil {
			r.Extensions = make(map[string]any)
		}
		// A provider option's key names the option; any other key, its type.
		name := fmt.Sprintf("%T", k)
		if s, ok := k.(fmt.Stringer); ok {
			name = s.String()
		}
		r.Extensions[name] = json.RawMessage(b)
	}
	return normalize(r, s)
}

// startsWith reports whether a request's conversation begins with the
// prompt's own messages (a tool loop or a re-ask appends to them), so that
// their masked rendering can stand in for them.
func startsWith(msgs, prefix []prompt.Message) bool {
	if len(msgs) < len(prefix) {
		return false
	}
	for i, m := range prefix {
		if msgs[i].Role != m.Role || msgs[i].Content != m.Content || msgs[i].ToolCallID != m.ToolCallID ||
			len(msgs[i].ToolCalls) != len(m.ToolCalls) || len(msgs[i].Parts) != len(m.Parts) {
			return false
		}
	}
	return true
}

func validJSON(b json.RawMessage) json.RawMessage {
	if len(b) == 0 || !json.Valid(b) {
		return nil
	}
	return b
}

// fromMessage records an answer's message, its media whole.
func fromMessage(m prompt.Message) message {
	return message{Role: string(m.Role), Content: m.Content, Parts: fromParts(m.Parts, false), Reasoning: fromReasoning(m.Reasoning),
		ToolCalls: fromToolCalls(m.ToolCalls), ToolCallID: m.ToolCallID, IsError: m.IsError}
}

// fromRequestMessage records a request's message, its media by digest (a
// redacted field's media already masked by [prompt.Rendered.MaskMedia]).
func fromRequestMessage(m prompt.Message) message {
	out := fromMessage(prompt.Message{Role: m.Role, Content: m.Content, Reasoning: m.Reasoning, ToolCalls: m.ToolCalls, ToolCallID: m.ToolCallID, IsError: m.IsError})
	out.Parts = fromParts(m.Parts, true)
	return out
}

func (m message) message() prompt.Message {
	return prompt.Message{Role: prompt.Role(m.Role), Content: m.Content, Parts: toParts(m.Parts), Reasoning: toReasoning(m.Reasoning),
		ToolCalls: toToolCalls(m.ToolCalls), ToolCallID: m.ToolCallID, IsError: m.IsError}
}

func fromToolCalls(calls []prompt.ToolCall) []toolCall {
	if len(calls) == 0 {
		return nil
	}
	out := make([]toolCall, len(calls))
	for i, c := range calls {
		out[i] = toolCall{ID: c.ID, Name: c.Name, Arguments: c.Arguments, Signature: c.Signature}
	}
	return out
}

func toToolCalls(calls []toolCall) []prompt.ToolCall {
	if len(calls) == 0 {
		return nil
	}
	out := make([]prompt.ToolCall, len(calls))
	for i, c := range calls {
		out[i] = prompt.ToolCall{ID: c.ID, Name: c.Name, Arguments: c.Arguments, Signature: c.Signature}
	}
	return out
}

func fromUsage(u mirascope.Usage) usage {
	return usage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, CacheReadTokens: u.CacheReadTokens,
		CacheWriteTokens: u.CacheWriteTokens, ReasoningTokens: u.ReasoningTokens}
}

func (u usage) usage() mirascope.Usage {
	return mirascope.Usage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, CacheReadTokens: u.CacheReadTokens,
		CacheWriteTokens: u.CacheWriteTokens, ReasoningTokens: u.ReasoningTokens}
}

func fromResponse(r *mirascope.Response) *response {
	return &response{Content: r.Content, Reasoning: r.Reasoning, Model: r.Model, ID: r.ID, FinishReasons: r.FinishReasons,
		Usage: fromUsage(r.Usage), ToolCalls: fromToolCalls(r.ToolCalls), Message: fromMessage(r.Message)}
}

func (r *response) response() *mirascope.Response {
	return &mirascope.Response{Content: r.Content, Reasoning: r.Reasoning, Model: r.Model, ID: r.ID, FinishReasons: slices.Clone(r.FinishReasons),
		Usage: r.Usage.usage(), ToolCalls: toToolCalls(r.ToolCalls), Message: r.Message.message()}
}

func fromChunk(c *mirascope.Chunk) chunk {
	out := chunk{Content: c.Content, Reasoning: c.Reasoning, ID: c.ID, Model: c.Model, FinishReason: c.FinishReason}
	for _, b := range c.ReasoningBlocks {
		out.Blocks = append(out.Blocks, reasoningPart(b))
	}
	if c.Usage != nil {
		u := fromUsage(*c.Usage)
		out.Usage = &u
	}
	for _, tc := range c.ToolCalls {
		out.ToolCalls = append(out.ToolCalls, toolCallChunk{Index: tc.Index, ID: tc.ID, Name: tc.Name, Arguments: tc.Arguments, Signature: tc.Signature})
	}
	return out
}

func (c chunk) chunk() *mirascope.Chunk {
	out := &mirascope.Chunk{Content: c.Content, Reasoning: c.Reasoning, ID: c.ID, Model: c.Model, FinishReason: c.FinishReason}
	for _, b := range c.Blocks {
		out.ReasoningBlocks = append(out.ReasoningBlocks, mirascope.ReasoningChunk(b))
	}
	if c.Usage != nil {
		u := c.Usage.usage()
		out.Usage = &u
	}
	for _, tc := range c.ToolCalls {
		out.ToolCalls = append(out.ToolCalls, mirascope.ToolCallChunk{Index: tc.Index, ID: tc.ID, Name: tc.Name, Arguments: tc.Arguments, Signature: tc.Signature})
	}
	return out
}

// fromError records err, its texts masked of anything shaped like a
// credential (with the pattern set providers and otel use), whoever's it
// is: a provider masks its own, not one an error quotes.
func fromError(err error) *failure {
	mask := secrets.MaskCredentials
	f := &failure{Message: mask(err.Error())}
	var pe *mirascope.ProviderError
	if errors.As(err, &pe) {
		p := &providerFailure{Provider: pe.Provider, StatusCode: pe.StatusCode, Retryable: pe.Retryable, RequestID: mask(pe.RequestID),
			Code: mask(pe.Code), Type: mask(pe.Type), Message: mask(pe.Message)}
		if pe.RetryAfter > 0 {
			p.RetryAfter = pe.RetryAfter.String()
		}
		if pe.Err != nil {
			p.Cause = mask(pe.Err.Error())
		}
		f.Provider = p
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			f.Is = append(f.Is, s.name)
		}
	}
	return f
}

func (f *failure) error() error {
	re := &recordedError{msg: f.Message}
	for _, name := range f.Is {
		for _, s := range sentinels {
			if s.name == name {
				re.is = append(re.is, s.err)
			}
		}
	}
	p := f.Provider
	if p == nil {
		return re
	}
	pe := &mirascope.ProviderError{Provider: p.Provider, StatusCode: p.StatusCode, Retryable: p.Retryable, RequestID: p.RequestID,
		Code: p.Code, Type: p.Type, Message: p.Message}
	pe.RetryAfter, _ = time.ParseDuration(p.RetryAfter)
	if p.Cause != "" || len(re.is) > 0 {
		pe.Err = &recordedError{msg: p.Cause, is: re.is}
	}
	return pe
}

// recordedError stands in for the error a provider returned when the
// interaction was recorded.
type recordedError struct {
	msg string
	is  []error
}

func (e *recordedError) Error() string { return e.msg }

func (e *recordedError) Is(target error) bool { return slices.Contains(e.is, target) }

// normalize encodes v as indented JSON with sorted keys, with every secret
// masked: the one form that is both matched and written.
func normalize(v any, s *scrubber) (json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var tree any
	if err := d.Decode(&tree); err != nil {
		return nil, err
	}
	tree = s.tree(tree)
	// Unescaped, so that a prompt's <tags> and & read as written.
	var out bytes.Buffer
	e := json.NewEncoder(&out)
	e.SetEscapeHTML(false)
	e.SetIndent("", "  ")
	if err := e.Encode(tree); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

func load(path string) (*cassetteFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f cassetteFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("mirascope: replay: %s: %w", path, err)
	}
	if f.Version != formatVersion {
		return nil, fmt.Errorf("mirascope: replay: %s: cassette version %d, this package reads version %d: record it again", path, f.Version, formatVersion)
	}
	for i := range f.Interactions {
		// Stored requests are compared byte for byte with fresh ones, so
		// bring them to the same form whatever an editor did to the file.
		n, err := normalize(f.Interactions[i].Request, nil)
		if err != nil {
			return nil, fmt.Errorf("mirascope: replay: %s: interaction %d: %w", path, i, err)
		}
		f.Interactions[i].Request = n
	}
	return &f, nil
}

// save writes the cassette atomically: indented, keys sorted, secrets
// masked, a newline at the end. On any failure the temporary file is
// removed, so a failed save leaves nothing behind.
func save(path string, f *cassetteFile, s *scrubber) (err error) {
	b, err := normalize(f, s)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".replay-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(b); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// maxFileName bounds the readable part of a cassette's file name, well
// under the 255 bytes file systems allow.
const maxFileName = 160

// fileName makes a test's name a file name, a different one for each name.
// "/" becomes "__" and anything but ASCII letters, digits, '.', '_' and '-'
// becomes '_'. Where that could make two names one (a replaced character,
// an empty part, or a part holding "__" or starting or ending with '_'), or
// the name is longer than maxFileName, '+' and a hash of the exact name
// follow: a plain name never holds '+', and splitting a plain one at "__"
// gives its parts back.
func fileName(test string) string {
	var b strings.Builder
	exact := true
	for i, part := range strings.Split(test, "/") {
		if i > 0 {
			b.WriteString("__")
		}
		if part == "" || part[0] == '_' || part[len(part)-1] == '_' || strings.Contains(part, "__") {
			exact = false
		}
		for _, r := range part {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
				b.WriteRune(r)
			default:
				b.WriteByte('_')
				exact = false
			}
		}
	}
	name := b.String()
	if exact && len(name) <= maxFileName {
		return name
	}
	sum := sha256.Sum256([]byte(test))
	return name[:min(len(name), maxFileName)] + "+" + hex.EncodeToString(sum[:6])
}
