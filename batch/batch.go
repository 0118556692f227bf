package batch

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Poll timing of [Job.Wait], unless [WithPollInterval] says otherwise: the
// first status request after DefaultFirstPoll, each later one twice as late
// as the one before, never later than DefaultMaxPoll.
const (
	DefaultFirstPoll = time.Second
	DefaultMaxPoll   = time.Minute
)

// customIDPrefix starts every per-request id this package sends; the rest is
// the prompt's index in decimal.
const customIDPrefix = "mirascope-"

// ErrNoPrompts is returned by [Submit] given an empty slice: services refuse
// an empty job.
var ErrNoPrompts = errors.New("mirascope: batch: no prompts")

// ErrNoResults is matched (errors.Is) by [Job.Results]' error for a job
// with nothing to read yet or ever: one still running ([Job.Wait] first),
// or one the service failed.
var ErrNoResults = providerkit.ErrBatchNoResults

// PromptError is [Submit]'s error for a prompt that does not render or
// validate, or whose request the provider refuses. Nothing was uploaded.
// It unwraps to the prompt's own error.
type PromptError struct {
	Index int
	Err   error
}

func (e *PromptError) Error() string {
	return "mirascope: batch: prompt " + strconv.Itoa(e.Index) + ": " + e.Err.Error()
}

func (e *PromptError) Unwrap() error { return e.Err }

// JobError is [Job.Wait]'s error for a job that will not finish: the
// service failed, expired or cancelled it. The counts are the service's.
// An expired or cancelled job may still have results for the requests
// answered in time: [Job.Results] reads them.
type JobError struct {
	ID    string
	State providerkit.BatchState
	// Raw is the service's own name for the state.
	Raw                      string
	Total, Completed, Failed int
	// Reason is the service's account of why the job failed, "" when it
	// gives none.
	Reason string
}

func (e *JobError) Error() string {
	s := fmt.Sprintf("mirascope: batch: job %s %s (%d of %d requests completed, %d failed)",
		e.ID, e.State, e.Completed, e.Total, e.Failed)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Result is one prompt's answer. One request's failure is its Err, never
// the job's. Response.Request is nil: the job does not keep the requests.
type Result struct {
	// Index is the prompt's place in the slice given to Submit.
	Index    int
	Response *mirascope.Response
	Err      error
}

// Job is a batch job on the service. It holds only its id and provider, so
// it is safe for concurrent use and cheap to recreate with [Resume].
type Job struct {
	id       string
	provider mirascope.Provider
	b        providerkit.Batcher
	obs      providerkit.BatchObserver // nil: no decorator observes batches
	// submitted is the observer's context of the submission, without its
	// cancellation; nil for a resumed job, whose submission is unknown.
	submitted context.Context
	// format is the name of the Format every request asked for (a job of
	// [Extract]), else "": see [finish].
	format string
}

// ID is the service's own id of the job: store it, and [Resume] the job
// later, in any process.
func (j *Job) ID() string { return j.id }

// Submit renders and validates every prompt, builds each request as
// mirascope.Call would (every option applied), and uploads them as one job.
// A prompt that fails is a [*PromptError] naming its index, and nothing is
// uploaded. A provider without a batch API (one that neither is nor wraps a
// [providerkit.Batcher]) gets an [*mirascope.UnsupportedError].
func Submit[P any](ctx context.Context, provider mirascope.Provider, prompts []P, opts ...mirascope.CallOption) (*Job, error) {
	b, err := batcher(provider)
	if err != nil {
		return nil, err
	}
	if len(prompts) == 0 {
		return nil, ErrNoPrompts
	}
	return submit(ctx, provider, b, prompts, func(p any) (*mirascope.Request, error) { return request(p, opts) }, "")
}

// submit builds every prompt's request with build, then uploads them as
// one job. format is the job's [Job.format].
func submit[P any](ctx context.Context, provider mirascope.Provider, b providerkit.Batcher, prompts []P,
	build func(any) (*mirascope.Request, error), format string) (_ *Job, err error) {
	reqs := make([]providerkit.BatchRequest, len(prompts))
	for i, p := range prompts {
		req, err := build(p)
		if err != nil {
			return nil, &PromptError{Index: i, Err: err}
		}
		reqs[i] = providerkit.BatchRequest{CustomID: customIDPrefix + strconv.Itoa(i), Request: req}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	job := &Job{provider: provider, b: b, format: format}
	if obs, ok := find[providerkit.BatchObserver](provider); ok {
		var end func(string, error)
		ctx, end = obs.StartBatch(ctx, promptType[P](), len(reqs))
		job.obs, job.submitted = obs, context.WithoutCancel(ctx)
		defer func() { end(job.id, err) }()
	}
	job.id, err = b.SubmitBatch(ctx, reqs)
	if err != nil {
		// A request the provider refused is its prompt's error.
		var re *providerkit.BatchRequestError
		if errors.As(err, &re) {
			if i, ok := index(re.CustomID); ok && i < len(prompts) {
				return nil, &PromptError{Index: i, Err: re.Err}
			}
		}
		return nil, err
	}
	return job, nil
}

// promptType is P's name, a pointer's element's for a pointer type.
func promptType[P any]() string {
	t := reflect.TypeFor[P]()
	for t.Kind() == reflect.Pointer && t.Name() == "" {
		t = t.Elem()
	}
	return t.Name()
}

// Resume is the job with this id, submitted earlier through the same kind
// of provider, perhaps by another process. It sends nothing.
func Resume(ctx context.Context, provider mirascope.Provider, id string) (*Job, error) {
	b, err := batcher(provider)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, errors.New("mirascope: batch: empty job id")
	}
	obs, _ := find[providerkit.BatchObserver](provider)
	return &Job{id: id, provider: provider, b: b, obs: obs}, ctx.Err()
}

// request builds p's request by calling mirascope.Call on a provider that
// keeps the request and sends nothing: the request is the one Call would
// send, refused as Call refuses it (an option only a loop uses included).
func request(p any, opts []mirascope.CallOption) (*mirascope.Request, error) {
	resp, err := mirascope.Call(context.Background(), capture{}, p, opts...)
	if err != nil {
		var ue *mirascope.UnsupportedError
		if errors.As(err, &ue) && ue.Provider == "Call" {
			cp := *ue
			cp.Provider = "batch.Submit"
			return nil, &cp
		}
		return nil, err
	}
	return resp.Request, nil
}

// capture is the provider request calls: it answers with nothing.
type capture struct{}

func (capture) Info() mirascope.ProviderInfo { return mirascope.ProviderInfo{Name: "batch"} }

func (capture) Call(context.Context, *mirascope.Request) (*mirascope.Response, error) {
	return &mirascope.Response{}, nil
}

func batcher(provider mirascope.Provider) (providerkit.Batcher, error) {
	if provider == nil {
		return nil, mirascope.ErrNilProvider
	}
	if b, ok := find[providerkit.Batcher](provider); ok {
		return b, nil
	}
	return nil, &mirascope.UnsupportedError{Provider: provider.Info().Name, Parameter: "batch",
		Reason: "this provider has no batch API; send the prompts with Call"}
}

// WaitOption tunes [Job.Wait].
type WaitOption func(*waitConfig)

type waitConfig struct{ first, max time.Duration }

// WithPollInterval sets Wait's first delay and the cap its doubling stops
// at (defaults: [DefaultFirstPoll], [DefaultMaxPoll]). Non-positive values
// keep the defaults; a cap below first is raised to first.
func WithPollInterval(first, max time.Duration) WaitOption {
	return func(c *waitConfig) {
		if first > 0 {
			c.first = first
		}
		if max > 0 {
			c.max = max
		}
	}
}

// Wait polls the job until it ends: the first poll after about a second,
// each later one twice as late, up to a cap (see [WithPollInterval]). It
// returns nil once every request is answered (some perhaps with their own
// error), a [*JobError] for a job the service failed, expired or
// cancelled, and ctx's error when ctx ends first.
func (j *Job) Wait(ctx context.Context, opts ...WaitOption) error {
	c := waitConfig{first: DefaultFirstPoll, max: DefaultMaxPoll}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	c.max = max(c.max, c.first)
	t := time.NewTimer(c.first)
	defer t.Stop()
	for delay := c.first; ; {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		st, err := j.b.BatchStatus(ctx, j.id)
		if err != nil {
			return err
		}
		switch st.State {
		case providerkit.BatchEnded:
			return nil
		case providerkit.BatchFailed, providerkit.BatchExpired, providerkit.BatchCancelled:
			return &JobError{ID: j.id, State: st.State, Raw: st.Raw, Total: st.Total, Completed: st.Completed, Failed: st.Failed, Reason: st.Reason}
		}
		delay = min(delay*2, c.max)
		t.Reset(delay)
	}
}

// Cancel asks the service to stop the job; Wait then reports it cancelled.
func (j *Job) Cancel(ctx context.Context) error { return j.b.CancelBatch(ctx, j.id) }

// Results streams the job's results in the service's order, which need not
// be the prompts' order: each carries its prompt's Index. The output is
// read as it is ranged over, never held whole. The iterator's error is for
// the stream itself (a job not done, a failed download, a result whose id
// this package did not send, ctx ending, after which the stream ends); one
// request's failure is its Result.Err. Each Response has Usage.Batch set,
// here and only here, before any observer sees it. A call of a tool that
// carried a Format (a service's forced tool) stays a tool call, as the
// service answered it, except in an [ExtractJob], which makes it the
// answer.
func (j *Job) Results(ctx context.Context) iter.Seq2[Result, error] {
	return func(yield func(Result, error) bool) {
		for r, err := range j.b.BatchResults(ctx, j.id) {
			// A Batcher may not watch ctx between results it has at hand.
			if cerr := ctx.Err(); cerr != nil {
				yield(Result{Index: -1}, cerr)
				return
			}
			if err != nil {
				if !yield(Result{Index: -1}, err) {
					return
				}
				continue
			}
			i, ok := index(r.CustomID)
			if !ok {
				if !yield(Result{Index: -1}, fmt.Errorf("mirascope: batch: job %s: result with unknown custom id %q", j.id, clip(r.CustomID))) {
					return
				}
				continue
			}
			switch {
			case r.Response != nil:
				r.Response.Provider = j.provider
				r.Response.Usage.Batch = true
				finish(r.Response, j.format)
			case r.Err == nil:
				r.Err = &mirascope.ProviderError{Provider: j.provider.Info().Name,
					Message: "the batch result has neither a response nor an error"}
			}
			if j.obs != nil {
				j.obs.BatchResult(ctx, j.submitted, j.id, r.Response, r.Err)
			}
			if !yield(Result{Index: i, Response: r.Response, Err: r.Err}, nil) {
				return
			}
		}
	}
}

// clip cuts a foreign id, which the service may make huge, for an error.
func clip(id string) string {
	const most = 64
	if len(id) <= most {
		return id
	}
	return id[:most] + "…"
}

// finish makes the first call of the tool named format, when there is one,
// the answer, as a provider does for a call whose Format went out as a
// forced tool: a service's batch results carry that call as a tool call,
// and the provider that maps them does not know the request. format "":
// resp is left as it is.
func finish(resp *mirascope.Response, format string) {
	if format == "" {
		return
	}
	for i, c := range resp.ToolCalls {
		if c.Name != format {
			continue
		}
		rest := append(append([]prompt.ToolCall(nil), resp.ToolCalls[:i]...), resp.ToolCalls[i+1:]...)
		if len(rest) == 0 {
			rest = nil
		}
		resp.Content, resp.ToolCalls = c.Arguments, rest
		resp.Message.Content, resp.Message.ToolCalls = c.Arguments, rest
		return
	}
}

// index parses a custom id this package made; anything else is not ours.
func index(id string) (int, bool) {
	s, ok := strings.CutPrefix(id, customIDPrefix)
	if !ok || s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || s[0] == '+' {
		return 0, false
	}
	return i, true
}

// find is the first provider along p's Unwrap chain that is a T.
func find[T any](p mirascope.Provider) (T, bool) {
	for range 100 { // a decorator chain is short; a cycle must not hang us
		if p == nil {
			break
		}
		if t, ok := p.(T); ok {
			return t, true
		}
		u, ok := p.(interface{ Unwrap() mirascope.Provider })
		if !ok {
			break
		}
		p = u.Unwrap()
	}
	var zero T
	return zero, false
}
