package mirascope

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mirascope-go/mirascope/prompt"
)

// Call renders p, validates it and sends it through provider. A prompt that
// does not render or validate returns its error before any request is made;
// so does an option Call has no use for ([WithMaxTurns], [WithMaxReasks]),
// as an [*UnsupportedError]. A provider that returns neither a response nor
// an error is a [*ProviderError] here, as at every entry point (Stream,
// Run, Extract, StreamExtract).
//
// p is a struct, or a non-nil pointer to one, implementing exactly one of
// [prompt.Templater], [prompt.Texter] or [prompt.Messager].
func Call(ctx context.Context, provider Provider, p any, opts ...CallOption) (*Response, error) {
	req, err := NewRequest(p, opts...)
	if err != nil {
		return nil, err
	}
	if err := req.unusedOption("Call", true, true); err != nil {
		return nil, err
	}
	if provider == nil {
		return nil, ErrNilProvider
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	resp, err := provider.Call(ctx, req)
	if err != nil {
		return nil, withContextErr(ctx, err)
	}
	if resp == nil {
		return nil, noResponse(ctx, provider)
	}
	resp.Request, resp.Provider = req, provider
	return resp, nil
}

// noResponse is the error of a provider (or decorator) that answered with
// neither a response nor an error, or streamed neither a chunk nor an
// error: a *ProviderError, as any failure of the provider, rather than a
// nil *Response for the caller to dereference. It is not retryable: the
// provider is broken, not the service busy.
func noResponse(ctx context.Context, provider Provider) error {
	return withContextErr(ctx, &ProviderError{Provider: provider.Info().Name,
		Message: "the provider returned neither a response nor an error"})
}

// NewRequest renders p and applies opts, as [Call] and [Stream] do, without
// sending anything. It is the building block for a decorator or a test.
func NewRequest(p any, opts ...CallOption) (*Request, error) {
	r, err := prompt.Render(p)
	if err != nil {
		return nil, err
	}
	req := &Request{Messages: r.Messages, Prompt: r}
	if len(opts) > 0 {
		req.Extensions = make(map[any]any)
		for _, o := range opts {
			if o != nil {
				o(req)
			}
		}
	}
	if err := checkTools(req.Tools); err != nil {
		return nil, err
	}
	// Render checked the messages; an option may have changed them, and
	// none may reach a provider that cannot send it (Content and Parts
	// both set, a part without a source).
	if len(opts) > 0 {
		if err := prompt.CheckMessages(req.Messages); err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(req.Messages, func(m prompt.Message) bool { return m.Role != prompt.RoleSystem }) {
			// as Render refuses it: no service answers system messages alone
			return nil, &prompt.Error{Type: r.Name, Err: prompt.ErrNoMessages,
				Msg: "an option left system messages only: a call needs a user or assistant message"}
		}
	}
	if err := req.Params.CheckReasoning(); err != nil {
		return nil, err
	}
	return req, nil
}

// Stream renders p and validates it, returning its error (or, as Call does,
// the refusal of an option it has no use for) before any I/O, and
// returns a stream whose request is sent when ranging over Chunks starts. ctx
// must outlive the loop. On a provider that does not implement [Streamer] the
// whole response arrives as one chunk.
func Stream(ctx context.Context, provider Provider, p any, opts ...CallOption) (*ResponseStream, error) {
	req, err := NewRequest(p, opts...)
	if err != nil {
		return nil, err
	}
	if err := req.unusedOption("Stream", true, true); err != nil {
		return nil, err
	}
	if provider == nil {
		return nil, ErrNilProvider
	}
	return &ResponseStream{ctx: ctx, provider: provider, req: req}, nil
}

// withContextErr makes a failure caused by a cancelled or expired context
// satisfy errors.Is(err, context.Canceled / context.DeadlineExceeded), however
// the provider's SDK reported it.
func withContextErr(ctx context.Context, err error) error {
	cerr := ctx.Err()
	if cerr == nil || errors.Is(err, cerr) {
		return err
	}
	return fmt.Errorf("%w (%w)", err, cerr)
}
