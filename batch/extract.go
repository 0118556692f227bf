package batch

import (
	"context"
	"errors"
	"iter"

	"github.com/mirascope-go/mirascope"
)

// ExtractResult is one prompt's typed answer. When the answer does not
// decode or validate, Err is the [*mirascope.ExtractError] that
// mirascope.Extract would return with no re-ask (its one attempt holds the
// raw answer and the [*mirascope.ValueError] naming the JSON path), Value
// is T's zero value and Response is still the answer; when the request
// failed, Err is its error and Response is nil.
type ExtractResult[T any] struct {
	// Index is the prompt's place in the slice given to [Extract].
	Index    int
	Value    T
	Response *mirascope.Response
	Err      error
}

// ExtractJob is a batch job of [Extract]: a [Job] whose Results are typed.
// ID, Wait and Cancel are the Job's; Job.Results still reads the responses
// undecoded, a call of T's format tool already made the answer (which a
// Job of [Resume] leaves a tool call). It is safe for concurrent use.
type ExtractJob[T any] struct{ *Job }

// Extract is the batch counterpart of mirascope.Extract: it submits, as
// [Submit] does, one request per prompt, each the very request
// mirascope.Extract[T] would send (T's JSON Schema as Request.Format,
// named after T; a non-struct T wrapped as {"value": …}), built and
// refused as Extract builds and refuses it.
//
// A batch answers each request once, so what needs a conversation is
// refused before anything is uploaded, with one [*mirascope.UnsupportedError]
// naming the option: WithTools (a tool loop), WithMaxReasks and
// WithMaxTurns. A prompt that fails is a [*PromptError], as for Submit.
func Extract[T, P any](ctx context.Context, provider mirascope.Provider, prompts []P, opts ...mirascope.CallOption) (*ExtractJob[T], error) {
	b, err := batcher(provider)
	if err != nil {
		return nil, err
	}
	if len(prompts) == 0 {
		return nil, ErrNoPrompts
	}
	format, err := extractFormat[T](opts)
	if err != nil {
		return nil, err
	}
	build := func(p any) (*mirascope.Request, error) { return extractRequest[T](p, opts) }
	job, err := submit(ctx, provider, b, prompts, build, format)
	if err != nil {
		return nil, err
	}
	return &ExtractJob[T]{job}, nil
}

// ResumeExtract is the [Extract] job with this id, perhaps submitted by
// another process, read as T: the T it was submitted with. It sends
// nothing.
func ResumeExtract[T any](ctx context.Context, provider mirascope.Provider, id string) (*ExtractJob[T], error) {
	job, err := Resume(ctx, provider, id)
	if err != nil {
		return nil, err
	}
	if job.format, err = extractFormat[T](nil); err != nil {
		return nil, err
	}
	return &ExtractJob[T]{job}, nil
}

// Results streams the job's results as [Job.Results] does, each answer
// decoded and validated into a T exactly as mirascope.Extract does it (the
// same code: see decode). The iterator's error is for the stream itself;
// one prompt's failure, a request's or its answer's, is its
// ExtractResult.Err.
func (j *ExtractJob[T]) Results(ctx context.Context) iter.Seq2[ExtractResult[T], error] {
	return func(yield func(ExtractResult[T], error) bool) {
		for r, err := range j.Job.Results(ctx) {
			x := ExtractResult[T]{Index: r.Index, Response: r.Response, Err: r.Err}
			if err == nil && x.Err == nil {
				x.Value, x.Err = decode[T](r.Response)
			}
			if !yield(x, err) {
				return
			}
		}
	}
}

// Requests are built, and answers decoded, by mirascope.Extract itself, run
// against providers of this file, never by a copy of its logic: a batch
// request is then the one Extract sends (its Format, its refusals) and a
// batch answer is judged as Extract judges it (strict decoding against the
// schema, validate tags, Validate methods, the unwrapping of a non-struct
// T, the same *ExtractError), now and as Extract changes. The price, per
// result, is one render of an empty prompt and one copy of T's schema
// (BenchmarkExtractResults).

// stub is the prompt of the requests Extract is run on only to learn what
// it makes of T and of the options, or to judge an answer.
type stub struct{}

func (stub) Prompt() string { return "batch" }

// errGrabbed stops Extract once grab holds its request; never returned.
var errGrabbed = errors.New("mirascope: batch: request kept")

// grab keeps the first request it is given and answers with errGrabbed.
type grab struct{ req *mirascope.Request }

func (*grab) Info() mirascope.ProviderInfo { return mirascope.ProviderInfo{Name: "batch"} }

func (g *grab) Call(_ context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	g.req = req
	return nil, errGrabbed
}

// extractRequest is the request mirascope.Extract[T] sends first for p.
func extractRequest[T any](p any, opts []mirascope.CallOption) (*mirascope.Request, error) {
	var g grab
	_, _, err := mirascope.Extract[T](context.Background(), &g, p, opts...)
	if g.req == nil {
		if err == nil { // Extract never answers without asking
			err = errors.New("mirascope: batch: Extract sent no request")
		}
		return nil, err
	}
	return g.req, nil
}

// extractFormat checks the options and T once for a whole job, and
// returns the name of T's Format, under which a service that sends the
// Format as a forced tool returns the answer as a tool call (see finish).
func extractFormat[T any](opts []mirascope.CallOption) (string, error) {
	// Call refuses the loop options; the tools are on its request.
	resp, err := mirascope.Call(context.Background(), capture{}, stub{}, opts...)
	var ue *mirascope.UnsupportedError
	switch {
	case errors.As(err, &ue) && ue.Provider == "Call":
		return "", conversation(ue.Parameter)
	case err != nil:
		return "", err
	case len(resp.Request.Tools) > 0:
		return "", conversation("WithTools")
	}
	req, err := extractRequest[T](stub{}, opts)
	if err != nil {
		return "", err
	}
	return req.Format.Name, nil
}

// conversation is the one refusal of an option a batch cannot honour.
func conversation(option string) error {
	return &mirascope.UnsupportedError{Provider: "batch.Extract", Parameter: option,
		Reason: "a batch answers each request once, and this needs a conversation (a tool loop or a re-ask); use mirascope.Extract for those prompts"}
}

// answer is the provider decode runs Extract against: it answers with the
// result's response.
type answer struct{ resp *mirascope.Response }

func (answer) Info() mirascope.ProviderInfo { return mirascope.ProviderInfo{Name: "batch"} }

func (a answer) Call(context.Context, *mirascope.Request) (*mirascope.Response, error) {
	return a.resp, nil
}

// decode judges resp's answer as mirascope.Extract[T] judges an answer with
// no re-ask. Extract marks the response with its request and provider:
// resp keeps its own.
func decode[T any](resp *mirascope.Response) (T, error) {
	provider, req := resp.Provider, resp.Request
	v, _, err := mirascope.Extract[T](context.Background(), answer{resp}, stub{})
	resp.Provider, resp.Request = provider, req
	return v, err
}
