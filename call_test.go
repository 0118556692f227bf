package mirascope_test

import (
	"context"
	"errors"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/template"
)

type RecommendBook struct {
	Genre string `prompt:"genre" validate:"required,oneof=fantasy scifi"`
}

func (RecommendBook) Template() string { return "Recommend a {genre} book." }

type notAPrompt struct{ Genre string }

type notAStruct string

func (notAStruct) Nothing() {}

type badTagPrompt struct {
	//lint:ignore U1000 the test is about a tagged unexported field
	genre string `prompt:"genre"`
}

func (badTagPrompt) Prompt() string { return "x" }

type unknownVar struct {
	Genre string `prompt:"genre"`
}

func (unknownVar) Template() string { return "Recommend a {genr} book." }

type unclosed struct{ Genre string }

func (unclosed) Template() string { return "Recommend a {Genre book." }

type badSpec struct{ X string }

func (badSpec) Template() string { return "{X:nosuchspec}" }

type listOnString struct {
	Books string `prompt:"books"`
}

func (listOnString) Template() string { return "Books:\n  {books:list}" }

type emptyTemplate struct{}

func (emptyTemplate) Template() string { return "  \n " }

type twoStyles struct{}

func (twoStyles) Template() string { return "a" }
func (twoStyles) Prompt() string   { return "b" }

type ptrReceiver struct{ Genre string }

func (*ptrReceiver) Prompt() string { return "c" }

type noMessages struct{ Empty bool }

func (n noMessages) Messages() []prompt.Message {
	if n.Empty {
		return []prompt.Message{}
	}
	return nil
}

type onlyHistory struct {
	History []prompt.Message `prompt:"history"`
}

func (onlyHistory) Template() string { return "MESSAGES: {history}" }

type unknownOption struct {
	Genre string `prompt:"genre,secret"`
}

func (unknownOption) Prompt() string { return "d" }

// TestBadInput: every bad prompt fails with a typed error that names the
// type and the field or variable, before the provider sees anything.
func TestBadInput(t *testing.T) {
	var nilPtr *RecommendBook
	tests := []struct {
		name   string
		prompt any
		target error
		want   string
	}{
		{"nil prompt", nil, prompt.ErrNotPrompt, "prompt: nil prompt: pass a struct, or a pointer to one"},
		{"non-struct", notAStruct("x"), prompt.ErrNotPrompt, "prompt: mirascope_test.notAStruct: not a prompt: pass a struct, or a pointer to one, with a Template, Prompt or Messages method"},
		{"struct without method", notAPrompt{}, prompt.ErrNotPrompt, "prompt: notAPrompt: not a prompt: implement Template() string, Prompt() string or Messages() []prompt.Message"},
		{"nil pointer", nilPtr, prompt.ErrNotPrompt, "prompt: RecommendBook: nil pointer: pass a non-nil *RecommendBook"},
		{"tag on unexported field", badTagPrompt{}, prompt.ErrInvalidField, "prompt: badTagPrompt.genre: prompt tag on unexported field: export the field or remove the tag"},
		{"unknown variable", unknownVar{Genre: "x"}, template.ErrUnknownVariable, "prompt: unknownVar.genr: template 1:13: unknown variable {genr} (fields: genre)"},
		{"unclosed brace", unclosed{}, template.ErrSyntax, "prompt: unclosed: template 1:13: unclosed '{': write {{ for a literal brace"},
		{"unknown spec", badSpec{}, template.ErrSyntax, `prompt: badSpec.X: template 1:4: unknown format spec "nosuchspec" for {X}: want list, lists, json, image, images, audio, audios, document or documents`},
		{"list on a non-slice", listOnString{}, template.ErrSyntax, "prompt: listOnString.books: template 2:3: {books:list} needs a slice or array, not string"},
		{"validation", RecommendBook{Genre: "horror"}, prompt.ErrValidation, `prompt: RecommendBook.Genre: failed "oneof=fantasy scifi" (got "horror")`},
		{"empty template", emptyTemplate{}, template.ErrSyntax, "prompt: emptyTemplate: template 1:1: empty template"},
		{"two styles", twoStyles{}, prompt.ErrAmbiguous, "prompt: twoStyles: implements Template() string and Prompt() string: keep exactly one prompt method"},
		{"pointer receiver", ptrReceiver{}, prompt.ErrNotPrompt, "prompt: ptrReceiver: the prompt method has a pointer receiver: pass &ptrReceiver instead of ptrReceiver"},
		{"unknown tag option", unknownOption{}, prompt.ErrInvalidField, `prompt: unknownOption.Genre: unknown prompt tag option "secret" (known: redact)`},
		{"nil messages", noMessages{}, prompt.ErrNoMessages, "prompt: noMessages: renders to no messages: a call needs at least one"},
		{"empty messages", noMessages{Empty: true}, prompt.ErrNoMessages, "prompt: noMessages: renders to no messages: a call needs at least one"},
		{"empty history alone", onlyHistory{}, prompt.ErrNoMessages, "prompt: onlyHistory: renders to no messages: a call needs at least one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mock.New(mock.Text("unused"))
			_, err := mirascope.Call(context.Background(), p, tt.prompt)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.target)
			assert.EqualError(t, err, tt.want)
			_, serr := mirascope.Stream(context.Background(), p, tt.prompt)
			assert.EqualError(t, serr, tt.want, "Stream fails the same way")
			assert.Empty(t, p.Requests(), "nothing reached the provider")
		})
	}
}

func TestValidationErrorUnwrapsToValidator(t *testing.T) {
	_, err := mirascope.Call(context.Background(), mock.New(mock.Text("x")), RecommendBook{})
	var ves validator.ValidationErrors
	require.ErrorAs(t, err, &ves)
	require.Len(t, ves, 1)
	assert.Equal(t, "required", ves[0].Tag())
	var ve *prompt.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "RecommendBook", ve.Type)
}

func TestPointerReceiverWorksWithPointer(t *testing.T) {
	p := mock.New(mock.Text("ok"))
	resp, err := mirascope.Call(context.Background(), p, &ptrReceiver{})
	require.NoError(t, err)
	assert.Equal(t, "ok", resp.String())
}

func TestCallSendsRequest(t *testing.T) {
	p := mock.New(mock.Text("Read The Name of the Wind."))
	resp, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"},
		mirascope.WithModel("gpt-4o-mini"), mirascope.WithMaxTokens(256), mirascope.WithTemperature(0.7),
		mirascope.WithTopP(0.9), mirascope.WithStop("\n\n"), mirascope.WithSeed(42))
	require.NoError(t, err)
	assert.Equal(t, "Read The Name of the Wind.", resp.String())
	assert.Equal(t, "gpt-4o-mini", resp.Model)
	assert.Equal(t, []string{"stop"}, resp.FinishReasons)
	assert.Equal(t, prompt.Assistant("Read The Name of the Wind."), resp.Message)

	reqs := p.Requests()
	require.Len(t, reqs, 1)
	req := reqs[0]
	assert.Equal(t, "gpt-4o-mini", req.Model)
	assert.Equal(t, []prompt.Message{prompt.User("Recommend a fantasy book.")}, req.Messages)
	assert.Equal(t, "RecommendBook", req.Prompt.Name)
	assert.Equal(t, "Recommend a {genre} book.", req.Prompt.Template)
	assert.Equal(t, 256, *req.Params.MaxTokens)
	assert.Equal(t, 0.7, *req.Params.Temperature)
	assert.Equal(t, 0.9, *req.Params.TopP)
	assert.Equal(t, []string{"\n\n"}, req.Params.Stop)
	assert.Equal(t, int64(42), *req.Params.Seed)
}

func TestUnsetParamsStayNil(t *testing.T) {
	p := mock.New(mock.Text("x"))
	_, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "scifi"})
	require.NoError(t, err)
	assert.Equal(t, mirascope.Params{}, p.Requests()[0].Params)
}

func TestCallProviderError(t *testing.T) {
	perr := &mirascope.ProviderError{Provider: "openai", StatusCode: 429, Retryable: true, RequestID: "req_1", Message: "slow down"}
	_, err := mirascope.Call(context.Background(), mock.New(mock.Fail(perr)), RecommendBook{Genre: "scifi"})
	var got *mirascope.ProviderError
	require.ErrorAs(t, err, &got)
	assert.True(t, got.Retryable)
	assert.ErrorIs(t, err, mirascope.ErrRateLimited)
	assert.NotErrorIs(t, err, mirascope.ErrAuth)
	assert.EqualError(t, err, "mirascope: openai: HTTP 429: slow down (request id req_1)")
}

func TestCallCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := mock.New(mock.Text("x"))
	_, err := mirascope.Call(ctx, p, RecommendBook{Genre: "scifi"})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, p.Requests())
}

// ctxIgnoringProvider fails with an error of its own when the context ends,
// as some SDKs do; Call must still make it match context.Canceled.
type ctxIgnoringProvider struct{ cancel func() }

func (ctxIgnoringProvider) Info() mirascope.ProviderInfo { return mirascope.ProviderInfo{Name: "x"} }
func (p ctxIgnoringProvider) Call(ctx context.Context, _ *mirascope.Request) (*mirascope.Response, error) {
	p.cancel()
	return nil, errors.New("request aborted")
}

func TestCancelAlwaysMatches(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	_, err := mirascope.Call(ctx, ctxIgnoringProvider{cancel}, RecommendBook{Genre: "scifi"})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestNilProvider(t *testing.T) {
	_, err := mirascope.Call(context.Background(), nil, RecommendBook{Genre: "scifi"})
	assert.ErrorIs(t, err, mirascope.ErrNilProvider)
}

func TestProviderErrorSentinels(t *testing.T) {
	assert.ErrorIs(t, &mirascope.ProviderError{StatusCode: 401}, mirascope.ErrAuth)
	assert.ErrorIs(t, &mirascope.ProviderError{StatusCode: 403}, mirascope.ErrAuth)
	assert.ErrorIs(t, &mirascope.ProviderError{StatusCode: 400, Code: "context_length_exceeded"}, mirascope.ErrContextLength)
	assert.ErrorIs(t, &mirascope.ProviderError{StatusCode: 400, Message: "prompt is too long: 210000 tokens > 200000 maximum"}, mirascope.ErrContextLength)
	assert.NotErrorIs(t, &mirascope.ProviderError{StatusCode: 500}, mirascope.ErrContextLength)
	inner := errors.New("sdk error")
	assert.ErrorIs(t, &mirascope.ProviderError{Err: inner}, inner)
}
