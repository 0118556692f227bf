package mcptools_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/mcptools"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// Every tool is listed, across pages of two, with its definition as sent.
func TestToolsListsEveryPage(t *testing.T) {
	s := newServer(&mcp.ServerOptions{PageSize: 2})
	for i := range 5 {
		addRaw(s, fmt.Sprintf("tool_%d", i), func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return textResult("ok"), nil
		})
	}
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	require.Len(t, tools, 5)
	for i, tl := range tools {
		d := tl.Definition()
		assert.Equal(t, fmt.Sprintf("tool_%d", i), d.Name)
		assert.Equal(t, d.Name+" tool", strings.TrimPrefix(d.Description, "the "))
		assert.JSONEq(t, `{"type":"object","properties":{"q":{"type":"string"}}}`, string(d.Parameters))
	}
	require.NoError(t, mirascope.CheckTools(tools...))
}

// Calling sends the arguments and the server's name; text is the answer.
func TestCall(t *testing.T) {
	s := newServer(nil)
	var got json.RawMessage
	addRaw(s, "books.search", func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		got = req.Params.Arguments
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "Dune"}, &mcp.TextContent{Text: "Emma"}}}, nil
	})
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	require.Equal(t, "books_search", tools[0].Definition().Name, "a dot is mapped")
	out, err := tools[0].Call(context.Background(), `{"q":"classic"}`)
	require.NoError(t, err)
	assert.Equal(t, "Dune\nEmma", out)
	assert.JSONEq(t, `{"q":"classic"}`, string(got))

	out, err = tools[0].Call(context.Background(), "")
	require.NoError(t, err, "no arguments are an empty object")
	assert.Equal(t, "Dune\nEmma", out)
	assert.JSONEq(t, `{}`, string(got))

	_, err = tools[0].Call(context.Background(), `[1]`)
	var ae *mirascope.ArgumentsError
	require.ErrorAs(t, err, &ae, "not an object: the model's to correct, nothing sent")
}

// An isError result is an error result the model reads, in a Run too.
func TestIsErrorReachesTheModel(t *testing.T) {
	s := newServer(nil)
	addRaw(s, "lookup", func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: "no book titled Zzz"}}}, nil
	})
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	_, err = tools[0].Call(context.Background(), `{}`)
	var te *mcptools.ToolError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "no book titled Zzz", te.Text)

	p := mock.New(mock.ToolCalls(mock.ToolCall("lookup", map[string]any{"q": "Zzz"})), mock.Text("Sorry."))
	tr, err := mirascope.Run(context.Background(), p, ask{"find Zzz"}, mirascope.WithTools(tools...))
	require.NoError(t, err)
	res := tr.Messages[len(tr.Messages)-2]
	assert.True(t, res.IsError)
	assert.Equal(t, "Error: mcp tool lookup: no book titled Zzz", res.Content)
}

type ask struct{ Q string }

func (a ask) Messages() []prompt.Message { return []prompt.Message{prompt.User(a.Q)} }

// Structured content is the answer, as JSON, without the text copy of it;
// other content is described, not dropped.
func TestStructuredAndOtherContent(t *testing.T) {
	s := newServer(nil)
	addRaw(s, "stats", func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{
			StructuredContent: map[string]any{"count": 3},
			Content: []mcp.Content{
				&mcp.TextContent{Text: `{"count": 3}`},
				&mcp.TextContent{Text: "counted today"},
				&mcp.ImageContent{MIMEType: "image/png", Data: []byte("12345")},
				&mcp.AudioContent{MIMEType: "audio/wav", Data: []byte("1")},
				&mcp.ResourceLink{URI: "file:///a.txt", Name: "a"},
				&mcp.EmbeddedResource{Resource: &mcp.ResourceContents{URI: "file:///b.txt", Text: "bee"}},
				&mcp.EmbeddedResource{Resource: &mcp.ResourceContents{URI: "file:///c.bin", MIMEType: "application/octet-stream", Blob: []byte("xy")}},
			},
		}, nil
	})
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	out, err := tools[0].Call(context.Background(), `{}`)
	require.NoError(t, err)
	assert.Equal(t, `{"count":3}
counted today
[image: image/png, 5 bytes, not shown]
[audio: audio/wav, 1 bytes, not shown]
[resource link: file:///a.txt (a)]
[resource: file:///b.txt]
bee
[resource: file:///c.bin, application/octet-stream, 2 bytes, not shown]`, out)
}

// A protocol error (an unknown tool) and a closed session are Go errors.
func TestClosedSessionAndProtocolError(t *testing.T) {
	s := newServer(nil)
	addRaw(s, "a", func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return nil, errors.New("database down")
	})
	cs := connect(t, s)
	tools, err := mcptools.Tools(context.Background(), cs)
	require.NoError(t, err)
	_, err = tools[0].Call(context.Background(), `{}`)
	var ce *mcptools.CallError
	require.ErrorAs(t, err, &ce, "a handler's error is a protocol error")
	assert.Contains(t, err.Error(), "database down")

	require.NoError(t, cs.Close())
	start := time.Now()
	_, err = tools[0].Call(context.Background(), `{}`)
	require.ErrorAs(t, err, &ce)
	assert.ErrorIs(t, err, mcp.ErrConnectionClosed)
	assert.Less(t, time.Since(start), 5*time.Second)
	_, err = mcptools.Tools(context.Background(), cs)
	assert.ErrorIs(t, err, mcp.ErrConnectionClosed)
}

// Cancelling ctx ends a call that the server never answers, at once.
func TestCancellation(t *testing.T) {
	s := newServer(nil)
	started := make(chan struct{})
	release := make(chan struct{})
	addRaw(s, "slow", func(ctx context.Context, _ *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		close(started)
		<-release // deaf to cancellation
		return textResult("late"), nil
	})
	defer close(release)
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err = tools[0].Call(ctx, `{}`)
	assert.ErrorIs(t, err, context.Canceled)
	var ce *mcptools.CallError
	assert.ErrorAs(t, err, &ce)

	ctx, cancel2 := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel2()
	<-ctx.Done()
	_, err = tools[0].Call(ctx, `{}`)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "an ended context sends nothing")
}

// Names a service would refuse are mapped, kept unique, and called by the
// server's name.
func TestNameMapping(t *testing.T) {
	s := newServer(nil)
	long := strings.Repeat("x", 100)
	names := []string{"a.b", "a_b", "a-b", long, long + "y", "ok"}
	for _, n := range names {
		addRaw(s, n, func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return textResult(req.Params.Name), nil
		})
	}
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	require.NoError(t, mirascope.CheckTools(tools...), "valid, distinct names")
	byServer := map[string]string{}
	for _, tl := range tools {
		out, err := tl.Call(context.Background(), `{}`)
		require.NoError(t, err)
		byServer[out] = tl.Definition().Name
	}
	assert.Equal(t, "a_b", byServer["a_b"], "a valid name is kept")
	assert.Equal(t, "a-b", byServer["a-b"])
	assert.Equal(t, "ok", byServer["ok"])
	assert.Regexp(t, `^a_b_[0-9a-f]{8}$`, byServer["a.b"], "taken: hashed")
	assert.Regexp(t, `^x{55}_[0-9a-f]{8}$`, byServer[long])
	assert.Regexp(t, `^x{55}_[0-9a-f]{8}$`, byServer[long+"y"])
	assert.NotEqual(t, byServer[long], byServer[long+"y"])
}

// A session must be given.
func TestNilSession(t *testing.T) {
	_, err := mcptools.Tools(context.Background(), nil)
	require.EqualError(t, err, "mirascope: mcptools.Tools: nil session")
}

// Calls are safe from many goroutines.
func TestConcurrentCalls(t *testing.T) {
	s := newServer(nil)
	addRaw(s, "echo", func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return textResult(string(req.Params.Arguments)), nil
	})
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	errs := make(chan error, 32)
	for i := range 32 {
		go func() {
			args := fmt.Sprintf(`{"q":"%d"}`, i)
			out, err := tools[0].Call(context.Background(), args)
			if err == nil && out != args {
				err = fmt.Errorf("got %s for %s", out, args)
			}
			errs <- err
		}()
	}
	for range 32 {
		require.NoError(t, <-errs)
	}
}

// listing answers every tools/list with what page returns.
func listing(page func(cursor string) *mcp.ListToolsResult) *mcp.Server {
	s := newServer(nil)
	s.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if method == "tools/list" {
				return page(req.GetParams().(*mcp.ListToolsParams).Cursor), nil
			}
			return next(ctx, method, req)
		}
	})
	return s
}

// A server that repeats a cursor, or lists without end, is refused
// instead of looping or growing without bound.
func TestHostileListing(t *testing.T) {
	tl := &mcp.Tool{Name: "t", InputSchema: objectSchema}
	s := listing(func(string) *mcp.ListToolsResult {
		return &mcp.ListToolsResult{Tools: []*mcp.Tool{tl}, NextCursor: "again"}
	})
	_, err := mcptools.Tools(context.Background(), connect(t, s))
	require.ErrorIs(t, err, mcptools.ErrListing)
	assert.EqualError(t, err, `mirascope: mcp tool listing: the server repeated the cursor "again"`)

	n := 0
	page := make([]*mcp.Tool, 100)
	for i := range page {
		page[i] = tl
	}
	s = listing(func(string) *mcp.ListToolsResult {
		n++
		return &mcp.ListToolsResult{Tools: page, NextCursor: fmt.Sprint(n)}
	})
	_, err = mcptools.Tools(context.Background(), connect(t, s))
	require.ErrorIs(t, err, mcptools.ErrListing)
	assert.EqualError(t, err, fmt.Sprintf("mirascope: mcp tool listing: more than %d tools", mcptools.MaxTools))

	// Empty pages, each with a new (long) cursor: refused after MaxTools
	// pages, not followed until the server stops (here at 4×MaxTools).
	n = 0
	long := strings.Repeat("c", 1<<10)
	s = listing(func(string) *mcp.ListToolsResult {
		if n++; n >= 4*mcptools.MaxTools {
			return &mcp.ListToolsResult{}
		}
		return &mcp.ListToolsResult{Tools: []*mcp.Tool{}, NextCursor: long + fmt.Sprint(n)}
	})
	_, err = mcptools.Tools(context.Background(), connect(t, s))
	require.ErrorIs(t, err, mcptools.ErrListing)
	assert.EqualError(t, err, fmt.Sprintf("mirascope: mcp tool listing: more than %d pages", mcptools.MaxTools))
	assert.Equal(t, mcptools.MaxTools+1, n)
}

// A schema no service takes is refused at once, naming the tool; no schema
// is an object without properties.
func TestListedSchemas(t *testing.T) {
	s := listing(func(string) *mcp.ListToolsResult {
		return &mcp.ListToolsResult{Tools: []*mcp.Tool{{Name: "a", InputSchema: objectSchema}, {Name: "b", InputSchema: map[string]any{"type": "string"}}}}
	})
	_, err := mcptools.Tools(context.Background(), connect(t, s))
	require.ErrorIs(t, err, mcptools.ErrListing)
	require.ErrorIs(t, err, mirascope.ErrInvalidTool)
	assert.Contains(t, err.Error(), `"b"`)

	s = listing(func(string) *mcp.ListToolsResult {
		return &mcp.ListToolsResult{Tools: []*mcp.Tool{{Name: "none"}}}
	})
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	assert.Empty(t, tools[0].Definition().Parameters)
}
