// Package oaicompat is the core shared by the providers that speak OpenAI's
// Chat Completions wire (openai, azure, groq, xai, mistral, litellm): one
// openai-go ChatCompletionService per provider, the Request → params mapping,
// the response and stream mapping, and the error conversion. A provider
// package describes its service with a [Spec] and delegates to a [Core].
package oaicompat

import (
	"context"
	"encoding/json"
	"iter"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/respjson"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Core is one configured client of an OpenAI-compatible service. It is safe
// for concurrent use.
type Core struct {
	spec     Spec
	model    string
	gate     lower.Gate
	timeout  time.Duration
	redactor *providerkit.Redactor
	svc      openai.ChatCompletionService
	files    openai.FileService  // batch input and output files
	batches  openai.BatchService // batch jobs: read, cancel
	// creates creates batch jobs, through a client that sends a creation
	// again only when nothing was done (providerkit.BatchCreateTraffic).
	creates openai.BatchService
	info    mirascope.ProviderInfo
}

// New applies opts, falls back to the Spec's environment variables and
// default base URL, and builds the SDK service once. The service is created
// with openai.NewChatCompletionService rather than openai.NewClient, so none
// of the OPENAI_* variables NewClient reads silently has any effect: only the
// variables a Spec names are read. The SDK's own retries are off: the shared
// transport of providerkit.Config.Client retries, so the policy is the same on
// every provider.
func New(spec Spec, model string, opts []providers.Option) *Core {
	cfg := providerkit.NewConfig(opts...)
	cfg.APIKeyFromEnv(spec.APIKeyEnv...)
	cfg.BaseURLFromEnv(spec.DefaultBaseURL, spec.BaseURLEnv...)
	var noURL, noKey error
	if cfg.BaseURL == "" {
		noURL = &providers.ConfigError{Provider: spec.Name, Setting: "endpoint",
			Reason: "none set (set " + strings.Join(spec.BaseURLEnv, " or ") + " or pass providers.WithBaseURL)"}
	}
	if !spec.KeyOptional {
		noKey = lower.MissingKey(spec.Name, cfg.APIKey, spec.APIKeyEnv...)
	}
	c := &Core{
		spec:     spec,
		model:    model,
		gate:     lower.NewGate(spec.Name, cfg.Check(spec.Name), noURL, noKey),
		timeout:  cfg.CallTimeout(),
		redactor: cfg.Redactor(),
	}
	var extra []option.RequestOption
	bypass := false
	if spec.ClientOptions != nil {
		extra, bypass = spec.ClientOptions(cfg.Config)
	} else {
		extra = append(extra, option.WithBaseURL(cfg.BaseURL))
		if cfg.APIKey != "" {
			extra = append(extra, option.WithAPIKey(cfg.APIKey))
		}
	}
	// One set of options per kind of traffic: the model's calls are paced
	// by the rate limiter, a batch's requests are not, and a job's creation
	// is not sent again after an unknown outcome.
	sdkOpts := func(t providerkit.Traffic) []option.RequestOption {
		so := append([]option.RequestOption{option.WithHTTPClient(cfg.ClientFor(t)), option.WithMaxRetries(0)}, extra...)
		if bypass {
			so = append(so, option.WithMiddleware(cfg.MiddlewareFor(t)))
		}
		return so
	}
	c.svc = openai.NewChatCompletionService(sdkOpts(providerkit.ModelTraffic)...)
	bo := sdkOpts(providerkit.BatchTraffic)
	c.files, c.batches = openai.NewFileService(bo...), openai.NewBatchService(bo...)
	c.creates = openai.NewBatchService(sdkOpts(providerkit.BatchCreateTraffic)...)
	c.info = mirascope.ProviderInfo{Name: spec.Name, Model: model}
	c.info.ServerAddress, c.info.ServerPort = providerkit.HostPort(cfg.BaseURL)
	return c
}

// Info describes the provider for telemetry.
func (c *Core) Info() mirascope.ProviderInfo { return c.info }

// Call sends req and maps the whole answer.
func (c *Core) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	return c.redactor.Call(ctx, func(ctx context.Context) (*mirascope.Response, error) { return c.call(ctx, req) })
}

// call is Call's body.
func (c *Core) call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	if err := c.gate.Ready(req); err != nil {
		return nil, err
	}
	params, opts, plan, err := c.params(req, false)
	if err != nil {
		return nil, err
	}
	ctx, cancel := providerkit.StartCall(ctx, c.timeout)
	defer cancel()
	var hr *http.Response
	opts = append(opts, option.WithResponseInto(&hr))
	cc, err := c.svc.New(ctx, params, opts...)
	if err != nil {
		return nil, c.fail(ctx, err, hr)
	}
	return c.response(cc, plan), nil
}

// Stream sends req when ranging starts and yields the answer piece by piece.
func (c *Core) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return c.redactor.Stream(ctx, func(ctx context.Context, yield func(*mirascope.Chunk, error) bool) {
		if err := c.gate.Ready(req); err != nil {
			yield(nil, err)
			return
		}
		params, opts, plan, err := c.params(req, true)
		if err != nil {
			yield(nil, err)
			return
		}
		answer := plan.Stream()
		ctx, cancel := providerkit.StartCall(ctx, c.timeout)
		defer cancel()
		var hr *http.Response
		opts = append(opts, option.WithResponseInto(&hr))
		s := c.svc.NewStreaming(ctx, params, opts...)
		defer s.Close()

		finished := false
		for s.Next() {
			ck := s.Current()
			out := c.chunk(&ck)
			answer.Chunk(out)
			if out.FinishReason != "" {
				finished = true
			}
			if !yield(out, nil) {
				return
			}
		}
		if err := s.Err(); err != nil {
			yield(nil, c.fail(ctx, err, hr))
			return
		}
		if !finished {
			yield(nil, c.truncated(ctx, hr))
		}
	})
}

// caps is what the service can do with model.
func (c *Core) caps(model string) lower.Caps {
	if c.spec.CapsFor != nil {
		return c.spec.CapsFor(model)
	}
	return c.spec.Caps
}

// params maps a Request to the SDK's parameters, without touching req. It
// also returns the plan, which finishes the answer.
func (c *Core) params(req *mirascope.Request, stream bool) (openai.ChatCompletionNewParams, []option.RequestOption, *lower.Plan, error) {
	p := openai.ChatCompletionNewParams{Model: req.ModelOr(c.model)}
	var opts []option.RequestOption
	plan, err := lower.Prepare(req, c.caps(p.Model))
	if err != nil {
		return p, nil, nil, err
	}
	p.Messages = messages(plan.Turns, c.spec.MistralContent)
	pr := req.Params
	if pr.MaxTokens != nil {
		if c.spec.TokenLimit == MaxTokens {
			p.MaxTokens = openai.Int(int64(*pr.MaxTokens))
		} else {
			p.MaxCompletionTokens = openai.Int(int64(*pr.MaxTokens))
		}
	}
	if pr.Temperature != nil {
		p.Temperature = openai.Float(*pr.Temperature)
	}
	if pr.TopP != nil {
		p.TopP = openai.Float(*pr.TopP)
	}
	if len(pr.Stop) > 0 {
		p.Stop = openai.ChatCompletionNewParamsStopUnion{OfStringArray: append([]string(nil), pr.Stop...)}
	}
	if pr.Seed != nil {
		if c.spec.SeedField != "" {
			opts = append(opts, option.WithJSONSet(c.spec.SeedField, *pr.Seed))
		} else {
			p.Seed = openai.Int(*pr.Seed)
		}
	}
	if r := plan.Reasoning; r != nil {
		p.ReasoningEffort = openai.ReasoningEffort(r.Effort)
	}
	if stream && !c.spec.NoStreamOptions {
		p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	}
	for _, v := range req.Extensions {
		switch e := v.(type) {
		case ParamEdit:
			e(&p)
		case edit:
			e.apply(&p)
		case OptionEdit:
			opts = append(opts, e()...)
		}
	}
	if err := c.toolParams(&p, plan); err != nil {
		return p, nil, nil, err
	}
	applyExtraBody(req, &p)
	return p, opts, plan, nil
}

func messages(turns []lower.Turn, mistral bool) []openai.ChatCompletionMessageParamUnion {
	out := make([]openai.ChatCompletionMessageParamUnion, 0, len(turns))
	for _, t := range turns {
		switch m := t.Message; t.Role {
		case prompt.RoleSystem:
			out = append(out, openai.SystemMessage(m.Content))
		case prompt.RoleUser:
			if len(m.Parts) > 0 {
				out = append(out, openai.UserMessage(contentParts(m.Parts, mistral)))
				continue
			}
			out = append(out, openai.UserMessage(m.Content))
		case prompt.RoleAssistant:
			a := openai.ChatCompletionAssistantMessageParam{}
			if m.Content != "" || len(m.ToolCalls) == 0 {
				a.Content.OfString = openai.String(m.Content)
			}
			for _, tc := range m.ToolCalls {
				a.ToolCalls = append(a.ToolCalls, openai.ChatCompletionMessageToolCallUnionParam{
					OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
						ID:       tc.ID,
						Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: tc.Name, Arguments: tc.Arguments},
					},
				})
			}
			out = append(out, openai.ChatCompletionMessageParamUnion{OfAssistant: &a})
		case prompt.RoleTool:
			// The wire has no error flag: a failed tool's content says so.
			for _, r := range t.Results {
				out = append(out, openai.ToolMessage(r.Content, r.ToolCallID))
			}
		}
	}
	return out
}

func (c *Core) response(cc *openai.ChatCompletion, plan *lower.Plan) *mirascope.Response {
	r := &mirascope.Response{ID: cc.ID, Model: cc.Model, Raw: cc, Usage: c.usage(&cc.Usage)}
	r.Message.Role = prompt.RoleAssistant
	for i := range cc.Choices {
		ch := &cc.Choices[i]
		r.FinishReasons = append(r.FinishReasons, ch.FinishReason)
		if ch.Index != 0 && len(cc.Choices) > 1 {
			continue
		}
		var calls []prompt.ToolCall
		r.Content, calls = plan.Answer(ch.Message.Content, toolCalls(ch.Message.ToolCalls))
		r.Reasoning = reasoningText(ch.Message.JSON.ExtraFields)
		r.Message.Content = r.Content
		r.ToolCalls = calls
		r.Message.ToolCalls = calls
	}
	return r
}

// usage counts as semconv does: prompt_tokens already includes the cached ones.
func (c *Core) usage(u *openai.CompletionUsage) mirascope.Usage {
	out := mirascope.Usage{
		InputTokens:     int(u.PromptTokens),
		OutputTokens:    int(u.CompletionTokens),
		CacheReadTokens: int(u.PromptTokensDetails.CachedTokens),
		ReasoningTokens: int(u.CompletionTokensDetails.ReasoningTokens),
	}
	if c.spec.ReasoningNotInCompletion {
		out.OutputTokens += out.ReasoningTokens
	}
	if c.spec.CacheWrites {
		out.CacheWriteTokens = cacheWrites(u)
	}
	return out
}

// cacheWrites reads the cache writes of a usage report that names them
// outside openai-go's fields (see Spec.CacheWrites); a value that is not a
// non-negative integer counts as none.
func cacheWrites(u *openai.CompletionUsage) int {
	for _, f := range []respjson.Field{
		u.JSON.ExtraFields["cache_creation_input_tokens"],
		u.PromptTokensDetails.JSON.ExtraFields["cache_creation_tokens"],
	} {
		var n int64
		if raw := f.Raw(); raw != "" && json.Unmarshal([]byte(raw), &n) == nil && n > 0 {
			return int(n)
		}
	}
	return 0
}

// groqUsage reads the usage Groq reports in x_groq on its last event, for a
// stream whose top-level usage is absent.
func groqUsage(ck *openai.ChatCompletionChunk) (openai.CompletionUsage, bool) {
	f, ok := ck.JSON.ExtraFields["x_groq"]
	if !ok || !strings.Contains(f.Raw(), `"usage"`) {
		return openai.CompletionUsage{}, false
	}
	var x struct {
		Usage *openai.CompletionUsage `json:"usage"`
	}
	if json.Unmarshal([]byte(f.Raw()), &x) != nil || x.Usage == nil {
		return openai.CompletionUsage{}, false
	}
	return *x.Usage, true
}

// chunk maps one stream event. The usage-only event that include_usage adds
// has no choices; ChatCompletionChunk.Usage is a value, so its JSON metadata
// tells a report from an absent or null one. Each report is the total so far.
func (c *Core) chunk(ck *openai.ChatCompletionChunk) *mirascope.Chunk {
	out := &mirascope.Chunk{ID: ck.ID, Model: ck.Model, Raw: ck}
	for i := range ck.Choices {
		ch := &ck.Choices[i]
		if ch.Index != 0 {
			continue
		}
		out.Content = ch.Delta.Content
		out.Reasoning = reasoningText(ch.Delta.JSON.ExtraFields)
		out.FinishReason = ch.FinishReason
		toolDeltas(out, ch.Delta.ToolCalls)
	}
	if ck.JSON.Usage.Valid() {
		u := c.usage(&ck.Usage)
		out.Usage = &u
	} else if gu, ok := groqUsage(ck); ok {
		u := c.usage(&gu)
		out.Usage = &u
	}
	return out
}

// isLoopback reports whether a base URL names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LoopbackHTTP reports whether base is a plain-HTTP URL on this machine (a
// local proxy, a test server).
func LoopbackHTTP(base string) bool {
	u, err := url.Parse(base)
	return err == nil && u.Scheme == "http" && isLoopback(u.Hostname())
}

// reasoningText is the thinking an OpenAI-compatible service returns beside
// the answer, in a field the SDK does not model: reasoning_content (xAI,
// DeepSeek and others) or reasoning (Groq's parsed reasoning format). It
// is shown, never sent back: these services do not ask for it again.
func reasoningText(extra map[string]respjson.Field) string {
	for _, name := range [...]string{"reasoning_content", "reasoning"} {
		f, ok := extra[name]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal([]byte(f.Raw()), &s) == nil && s != "" {
			return s
		}
	}
	return ""
}
