package mirascope_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

type AskLibrarian struct {
	Question string `prompt:"question"`
}

func (AskLibrarian) Template() string { return "{question}" }

type GetAuthor struct {
	Title string `json:"title" jsonschema:"the book's title" validate:"required,min=2"`
}

type Stock struct {
	Title  string `json:"title" validate:"required"`
	Copies int    `json:"copies"`
}

func authorTool(delay map[string]time.Duration) mirascope.Tool {
	return mirascope.NewTool("get_author", "Returns the author of a book",
		func(ctx context.Context, in GetAuthor) (string, error) {
			select {
			case <-time.After(delay[in.Title]):
			case <-ctx.Done():
				return "", ctx.Err()
			}
			switch in.Title {
			case "Dune":
				return "Frank Herbert", nil
			case "Emma":
				return "Jane Austen", nil
			}
			return "", fmt.Errorf("no book titled %q", in.Title)
		})
}

var stockTool = mirascope.NewTool("stock", "Counts copies",
	func(_ context.Context, in GetAuthor) (Stock, error) {
		if in.Title == "Boom" {
			panic("shelf collapsed")
		}
		return Stock{Title: in.Title, Copies: 3}, nil
	})

// observer records tool and run notifications, as otel.Traced would.
type observer struct {
	*mock.Provider
	mu     sync.Mutex
	events []string
}

func (o *observer) Unwrap() mirascope.Provider { return o.Provider }

type wrapper struct{ mirascope.Provider }

func (w wrapper) Unwrap() mirascope.Provider { return w.Provider }

func (o *observer) StartTool(ctx context.Context, _ *mirascope.Request, def mirascope.ToolDefinition, call prompt.ToolCall) (context.Context, func(string, error)) {
	o.add("start " + def.Name + " " + call.ID)
	return ctx, func(result string, err error) {
		o.add(fmt.Sprintf("end %s %s %q %v", def.Name, call.ID, result, err))
	}
}

func (o *observer) StartRun(ctx context.Context, req *mirascope.Request) (context.Context, func(*mirascope.Transcript, error)) {
	o.add(fmt.Sprintf("run start, %d tools", len(req.Tools)))
	return ctx, func(tr *mirascope.Transcript, err error) {
		o.add(fmt.Sprintf("run end, %d turns, %v", tr.Turns, err))
	}
}

func (o *observer) add(e string) {
	o.mu.Lock()
	o.events = append(o.events, e)
	o.mu.Unlock()
}

func TestCallToolsResults(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.ToolCalls(
		mock.ToolCall("get_author", GetAuthor{Title: "Dune"}),
		mock.ToolCall("get_author", GetAuthor{Title: "Emma"}),
		mock.ToolCall("shelve", `{}`),
		mock.ToolCall("get_author", `{"title":"Dune","year":1965}`),
		mock.ToolCall("get_author", `{"title":"D"}`),
		mock.ToolCall("get_author", `{"title":5}`),
		mock.ToolCall("get_author", `{"title":"Dune"} {}`),
		mock.ToolCall("get_author", `{"title":"Ulysses"}`),
		mock.ToolCall("stock", `{"title":"Boom"}`),
		mock.ToolCall("stock", `{"title":"Emma"}`),
		mock.ToolCall("get_author", `{"title":`),
	))
	// The first call finishes last: results still come in the model's order.
	tools := []mirascope.Tool{authorTool(map[string]time.Duration{"Dune": 30 * time.Millisecond}), stockTool}
	resp, err := mirascope.Call(ctx, p, AskLibrarian{"Who wrote these?"}, mirascope.WithTools(tools...))
	require.NoError(t, err)
	msgs := mirascope.CallTools(ctx, resp, tools...)
	want := []struct {
		content string
		isError bool
	}{
		{"Frank Herbert", false},
		{"Jane Austen", false},
		{`Error: unknown tool "shelve": the tools are get_author, stock`, true},
		{`Error: invalid arguments for tool get_author: $.year: unknown field, not in the schema`, true},
		{`Error: invalid arguments for tool get_author: $.title: failed rule "min=2" (got "D")`, true},
		{`Error: invalid arguments for tool get_author: $.title: expected a string, got number`, true},
		{`Error: invalid arguments for tool get_author: $: invalid JSON: unexpected data after the value at offset 17`, true},
		{`Error: no book titled "Ulysses"`, true},
		{`Error: the tool stock failed unexpectedly (panic: shelf collapsed)`, true},
		{`{"title":"Emma","copies":3}`, false},
		{`Error: invalid arguments for tool get_author: $.title: invalid JSON: the value is cut short`, true},
	}
	require.Len(t, msgs, len(want))
	for i, w := range want {
		assert.Equal(t, prompt.RoleTool, msgs[i].Role, i)
		assert.Equal(t, fmt.Sprintf("call_1_%d", i), msgs[i].ToolCallID, i)
		assert.Equal(t, w.content, msgs[i].Content, i)
		assert.Equal(t, w.isError, msgs[i].IsError, i)
	}
}

func TestCallToolsObserver(t *testing.T) {
	ctx := context.Background()
	o := &observer{Provider: mock.New(mock.ToolCalls(mock.ToolCall("get_author", GetAuthor{Title: "Dune"}), mock.ToolCall("nope", "{}")))}
	resp, err := mirascope.Call(ctx, wrapper{o}, AskLibrarian{"Who wrote Dune?"}, mirascope.WithTools(authorTool(nil)))
	require.NoError(t, err)
	mirascope.CallTools(ctx, resp, authorTool(nil))
	assert.ElementsMatch(t, []string{
		"start get_author call_1_0",
		`end get_author call_1_0 "Frank Herbert" <nil>`,
		"start nope call_1_1",
		`end nope call_1_1 "" mirascope: unknown tool "nope": the tools are get_author`,
	}, o.events)
}

func TestCallToolsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	slow := mirascope.NewTool("slow", "Waits", func(ctx context.Context, _ struct{}) (string, error) {
		close(started)
		<-ctx.Done()
		return "", ctx.Err()
	})
	resp, err := mirascope.Call(ctx, mock.New(mock.ToolCalls(mock.ToolCall("slow", "{}"))), AskLibrarian{"wait"}, mirascope.WithTools(slow))
	require.NoError(t, err)
	go func() { <-started; cancel() }()
	msgs := mirascope.CallTools(ctx, resp, slow)
	require.Len(t, msgs, 1)
	assert.Equal(t, "Error: context canceled", msgs[0].Content)
	assert.True(t, msgs[0].IsError)
}

func TestRunLoop(t *testing.T) {
	ctx := context.Background()
	o := &observer{Provider: mock.New(
		mock.ToolCalls(mock.ToolCall("get_author", GetAuthor{Title: "Dune"}), mock.ToolCall("get_author", GetAuthor{Title: "Emma"})),
		mock.Respond(&mirascope.Response{Content: "Frank Herbert and Jane Austen.", Usage: mirascope.Usage{InputTokens: 40, OutputTokens: 7}}),
	)}
	tr, err := mirascope.Run(ctx, o, AskLibrarian{"Who wrote Dune and Emma?"}, mirascope.WithTools(authorTool(nil)), mirascope.WithToolChoice(mirascope.ToolChoiceRequired))
	require.NoError(t, err)
	assert.Equal(t, "Frank Herbert and Jane Austen.", tr.Response.Content)
	assert.Equal(t, 2, tr.Turns)
	// Mock counts words: 5 in, 0 out, then the given 40 and 7.
	assert.Equal(t, mirascope.Usage{InputTokens: 45, OutputTokens: 7}, tr.Usage)
	require.Len(t, tr.Messages, 5)
	assert.Equal(t, prompt.RoleUser, tr.Messages[0].Role)
	assert.Len(t, tr.Messages[1].ToolCalls, 2)
	assert.Equal(t, prompt.ToolResult("call_1_0", "Frank Herbert"), tr.Messages[2])
	assert.Equal(t, prompt.ToolResult("call_1_1", "Jane Austen"), tr.Messages[3])
	assert.Equal(t, prompt.Assistant("Frank Herbert and Jane Austen."), tr.Messages[4])

	reqs := o.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, mirascope.ToolChoiceRequired, reqs[0].ToolChoice)
	assert.Equal(t, mirascope.ToolChoiceAuto, reqs[1].ToolChoice, "a required choice applies to the first turn")
	assert.Equal(t, tr.Messages[:4], reqs[1].Messages)
	assert.Equal(t, "run start, 1 tools", o.events[0])
	assert.Equal(t, "run end, 2 turns, <nil>", o.events[len(o.events)-1])
	assert.Len(t, o.events, 6)
}

func TestRunMaxTurns(t *testing.T) {
	p := mock.New(mock.ToolCalls(mock.ToolCall("get_author", GetAuthor{Title: "Dune"})))
	tr, err := mirascope.Run(context.Background(), p, AskLibrarian{"loop"}, mirascope.WithTools(authorTool(nil)), mirascope.WithMaxTurns(3))
	require.ErrorIs(t, err, mirascope.ErrMaxTurns)
	assert.EqualError(t, err, "mirascope: maximum turns reached (3)")
	require.NotNil(t, tr)
	assert.Equal(t, 3, tr.Turns)
	assert.Len(t, tr.Messages, 7, "the prompt, then a call and its result per turn")
	assert.Equal(t, prompt.RoleTool, tr.Messages[6].Role)
	assert.Len(t, p.Requests(), 3)
}

func TestRunDefaultMaxTurns(t *testing.T) {
	p := mock.New(mock.ToolCalls(mock.ToolCall("get_author", GetAuthor{Title: "Dune"})))
	tr, err := mirascope.Run(context.Background(), p, AskLibrarian{"loop"}, mirascope.WithTools(authorTool(nil)))
	require.ErrorIs(t, err, mirascope.ErrMaxTurns)
	assert.Equal(t, mirascope.DefaultMaxTurns, tr.Turns)
}

func TestRunCancelledMidTool(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	slow := mirascope.NewTool("slow", "Waits", func(ctx context.Context, _ struct{}) (string, error) {
		close(started)
		<-ctx.Done()
		return "", ctx.Err()
	})
	p := mock.New(mock.ToolCalls(mock.ToolCall("slow", "{}")), mock.Text("never"))
	go func() { <-started; cancel() }()
	tr, err := mirascope.Run(ctx, p, AskLibrarian{"wait"}, mirascope.WithTools(slow))
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, tr.Turns)
	assert.Len(t, p.Requests(), 1, "no turn after the cancel")
	assert.Equal(t, "Error: context canceled", tr.Messages[2].Content)
}

func TestRunProviderError(t *testing.T) {
	boom := errors.New("boom")
	p := mock.New(mock.ToolCalls(mock.ToolCall("get_author", GetAuthor{Title: "Dune"})), mock.Fail(boom))
	tr, err := mirascope.Run(context.Background(), p, AskLibrarian{"x"}, mirascope.WithTools(authorTool(nil)))
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 1, tr.Turns)
	assert.Len(t, tr.Messages, 3)
}

func TestInvalidTools(t *testing.T) {
	ok := authorTool(nil)
	tests := []struct {
		name  string
		tools []mirascope.Tool
		want  string
	}{
		{"bad name", []mirascope.Tool{mirascope.NewTool("get author", "", func(context.Context, GetAuthor) (string, error) { return "", nil })},
			`mirascope: invalid tool "get author": a name must be 1 to 64 letters, digits, '_' or '-'`},
		{"not a struct", []mirascope.Tool{mirascope.NewTool("n", "", func(context.Context, int) (string, error) { return "", nil })},
			`mirascope: invalid tool "n": int is not a struct: tool arguments are a JSON object`},
		{"nil fn", []mirascope.Tool{mirascope.NewTool[GetAuthor, string]("f", "", nil)}, `mirascope: invalid tool "f": nil function`},
		{"twice", []mirascope.Tool{ok, ok}, `mirascope: invalid tool "get_author": offered twice`},
		{"nil", []mirascope.Tool{nil}, `mirascope: invalid tool "#0": nil tool`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mock.New(mock.Text("x"))
			_, err := mirascope.Call(context.Background(), p, AskLibrarian{"x"}, mirascope.WithTools(tt.tools...))
			require.ErrorIs(t, err, mirascope.ErrInvalidTool)
			assert.EqualError(t, err, tt.want)
			assert.Empty(t, p.Requests())
		})
	}
}

func TestToolDefinition(t *testing.T) {
	d := authorTool(nil).Definition()
	assert.Equal(t, "get_author", d.Name)
	assert.Equal(t, "Returns the author of a book", d.Description)
	assert.JSONEq(t, `{"type":"object","properties":{"title":{"type":"string","minLength":2,"description":"the book's title"}},"required":["title"],"additionalProperties":false}`, string(d.Parameters))
	d.Parameters[0] = 'x'
	assert.True(t, json.Valid(authorTool(nil).Definition().Parameters), "definitions are copies")
}

func TestStreamedToolCalls(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.ToolCalls(mock.ToolCall("get_author", GetAuthor{Title: "The Left Hand of Darkness"}), mock.ToolCall("get_author", GetAuthor{Title: "Emma"})))
	s, err := mirascope.Stream(ctx, p, AskLibrarian{"x"}, mirascope.WithTools(authorTool(nil)))
	require.NoError(t, err)
	n := 0
	for c, err := range s.Chunks() {
		require.NoError(t, err)
		n += len(c.ToolCalls)
	}
	assert.Greater(t, n, 4, "arguments arrive in pieces")
	resp := s.Response()
	require.Len(t, resp.ToolCalls, 2)
	assert.Equal(t, prompt.ToolCall{ID: "call_1_0", Name: "get_author", Arguments: `{"title":"The Left Hand of Darkness"}`}, resp.ToolCalls[0])
	msgs := mirascope.CallTools(ctx, resp, authorTool(nil))
	assert.Equal(t, `Error: no book titled "The Left Hand of Darkness"`, msgs[0].Content)
	assert.Equal(t, "Jane Austen", msgs[1].Content)
}

// echoTool is a Tool implemented by hand, as an MCP bridge would.
type echoTool struct{}

func (echoTool) Definition() mirascope.ToolDefinition {
	return mirascope.ToolDefinition{Name: "echo", Description: "Echoes", Parameters: json.RawMessage(`{"type":"object"}`)}
}

func (echoTool) Call(_ context.Context, args string) (string, error) { return args, nil }

func TestCallToolsUserTool(t *testing.T) {
	ctx := context.Background()
	resp, err := mirascope.Call(ctx, mock.New(mock.ToolCalls(mock.ToolCall("echo", `{"x":1}`))), AskLibrarian{"x"}, mirascope.WithTools(echoTool{}))
	require.NoError(t, err)
	msgs := mirascope.CallTools(ctx, resp, echoTool{})
	assert.Equal(t, []prompt.Message{prompt.ToolResult("call_1_0", `{"x":1}`)}, msgs)
}

func TestToolPanicReachesObserver(t *testing.T) {
	ctx := context.Background()
	var got error
	o := &panicObserver{Provider: mock.New(mock.ToolCalls(mock.ToolCall("stock", GetAuthor{Title: "Boom"}))), err: &got}
	resp, err := mirascope.Call(ctx, o, AskLibrarian{"x"}, mirascope.WithTools(stockTool))
	require.NoError(t, err)
	msgs := mirascope.CallTools(ctx, resp, stockTool)
	assert.True(t, msgs[0].IsError)
	var pe *mirascope.ToolPanicError
	require.ErrorAs(t, got, &pe)
	assert.Equal(t, "shelf collapsed", pe.Value)
	assert.Contains(t, string(pe.Stack), "panic")
	assert.EqualError(t, got, "mirascope: tool stock panicked: shelf collapsed")
}

type panicObserver struct {
	*mock.Provider
	err *error
}

func (o *panicObserver) StartTool(ctx context.Context, _ *mirascope.Request, _ mirascope.ToolDefinition, _ prompt.ToolCall) (context.Context, func(string, error)) {
	return ctx, func(_ string, err error) { *o.err = err }
}

type ISBNQuery struct {
	ISBN string `json:"isbn" validate:"isbn_digits"`
}

// Rules registered on the shared validator apply to tool arguments.
func TestToolArgumentsUseSharedValidator(t *testing.T) {
	require.NoError(t, prompt.RegisterValidation("isbn_digits", func(fl validator.FieldLevel) bool {
		return len(fl.Field().String()) == 13
	}))
	tool := mirascope.NewTool("by_isbn", "Finds a book", func(_ context.Context, in ISBNQuery) (string, error) { return "found", nil })
	_, err := tool.Call(context.Background(), `{"isbn":"123"}`)
	var ae *mirascope.ArgumentsError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, prompt.ErrValidation)
	assert.EqualError(t, err, `mirascope: invalid arguments for tool by_isbn: $.isbn: failed rule "isbn_digits" (got "123")`)
	out, err := tool.Call(context.Background(), `{"isbn":"9780756404079"}`)
	require.NoError(t, err)
	assert.Equal(t, "found", out)
}

// Calls run at the same time: each of these waits for the other to start.
func TestCallToolsConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(2)
	meet := mirascope.NewTool("meet", "Waits for the other call", func(ctx context.Context, in GetAuthor) (string, error) {
		wg.Done()
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
			return "met " + in.Title, nil
		case <-time.After(5 * time.Second):
			return "", errors.New("ran alone")
		}
	})
	ctx := context.Background()
	resp, err := mirascope.Call(ctx, mock.New(mock.ToolCalls(mock.ToolCall("meet", GetAuthor{Title: "ab"}), mock.ToolCall("meet", GetAuthor{Title: "cd"}))), AskLibrarian{"x"}, mirascope.WithTools(meet))
	require.NoError(t, err)
	msgs := mirascope.CallTools(ctx, resp, meet)
	assert.Equal(t, "met ab", msgs[0].Content)
	assert.Equal(t, "met cd", msgs[1].Content)
}
