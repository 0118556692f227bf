package oaitest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// TestKey is the fake key the suite configures.
const TestKey = "sk-test-key"

// Service describes one provider to the suite.
type Service struct {
	// Name is the expected gen_ai.provider.name.
	Name string
	// Model is the default model passed to New.
	Model string
	// New builds the provider.
	New func(model string, opts ...providers.Option) mirascope.Provider
	// Dir is the provider's testdata folder.
	Dir string
	// TLS serves over HTTPS (with the server's client) instead of HTTP.
	TLS bool
	// Path is the request path the provider must use for Model; PathFor
	// gives it for another model (deployment routing).
	PathFor func(model string) string
	// Query is the expected raw query string.
	Query string
	// CheckAuth asserts the auth header scheme.
	CheckAuth func(t *testing.T, h http.Header)
	// EnvVars are the variables the provider reads; the suite clears them.
	EnvVars []string
	// KeyEnv is the key's variable, named by the missing-key error; empty
	// when a key is optional.
	KeyEnv string
	// Header holds the response headers the service sends (request id, …).
	Header http.Header
	// RequestID is the id the suite expects in errors, from Header.
	RequestID string
	// WantCall and WantStream are the parsed fixtures.
	WantCall   mirascope.Response
	WantStream mirascope.Response
	// WantError is the ProviderError parsed from error.json (Code, Type,
	// Message).
	WantError mirascope.ProviderError
	// WantStreamError is the ProviderError parsed from stream_error.sse;
	// nil when the service has no such fixture.
	WantStreamError *mirascope.ProviderError
	// WantToolCall and WantToolStream are parsed from tool_call.json and
	// tool_stream.sse: the two calls the model asks for, in order.
	WantToolCall   mirascope.Response
	WantToolStream mirascope.Response
	// WantExtract is parsed from extract.json: the structured answer as
	// Content, however the service delivered it.
	WantExtract mirascope.Response
	// Media is what the service takes besides images by URL or bytes.
	Media Media
}

// FullRequest exercises every Request field: all four roles, a tool call and
// its result, and every Param.
func FullRequest() *mirascope.Request {
	mt, temp, topP, seed := 256, 0.7, 0.9, int64(42)
	return &mirascope.Request{
		Messages: []prompt.Message{
			prompt.System("You are a librarian."),
			prompt.User("Find me a fantasy book."),
			{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "call_1", Name: "search_books", Arguments: `{"genre":"fantasy"}`}}},
			prompt.ToolResult("call_1", `["The Name of the Wind"]`),
			prompt.User("Recommend a fantasy book."),
		},
		Params: mirascope.Params{MaxTokens: &mt, Temperature: &temp, TopP: &topP, Stop: []string{"\n\n"}, Seed: &seed},
	}
}

// SimpleRequest is one user message and no params.
func SimpleRequest() *mirascope.Request {
	return &mirascope.Request{Messages: []prompt.Message{prompt.User("Recommend a fantasy book.")}}
}

func (s *Service) clearEnv(t *testing.T) {
	for _, v := range s.EnvVars {
		t.Setenv(v, "")
	}
	// The SDK's own variables must change nothing.
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/wrong")
	t.Setenv("OPENAI_CUSTOM_HEADERS", "X-Leak: yes")
}

func (s *Service) provider(srv *Server, opts ...providers.Option) mirascope.Provider {
	base := []providers.Option{providers.WithAPIKey(TestKey), providers.WithBaseURL(srv.URL)}
	if s.TLS {
		base = append(base, providers.WithHTTPClient(srv.Client()))
	}
	return s.New(s.Model, append(base, opts...)...)
}

func (s *Service) server(t *testing.T, handlers ...http.HandlerFunc) *Server {
	return NewServer(t, s.TLS, handlers...)
}

// Run runs every check of the suite.
func Run(t *testing.T, s Service) {
	t.Run("Info", s.testInfo)
	t.Run("Call", s.testCall)
	t.Run("Stream", s.testStream)
	t.Run("ModelOverride", s.testModelOverride)
	t.Run("Header", s.testHeader)
	t.Run("MissingKey", s.testMissingKey)
	t.Run("Errors", s.testErrors)
	t.Run("RetryAfter", s.testRetry)
	t.Run("Transport", s.testTransport)
	t.Run("StreamFailures", s.testStreamFailures)
	t.Run("CancelMidStream", s.testCancel)
	t.Run("Concurrent", s.testConcurrent)
	t.Run("ToolRoundTrip", s.testToolRoundTrip)
	t.Run("ToolStream", s.testToolStream)
	t.Run("ToolArgumentsMalformed", s.testToolArgumentsMalformed)
	t.Run("ToolChoice", s.testToolChoice)
	t.Run("Extract", s.testExtract)
	t.Run("ExtractTyped", s.testExtractTyped)
	t.Run("Refusals", s.testRefusals)
	t.Run("Media", s.testMedia)
}

func (s *Service) testInfo(t *testing.T) {
	s.clearEnv(t)
	p := s.New(s.Model, providers.WithAPIKey(TestKey), providers.WithBaseURL("https://llm.example.com/v1"))
	assert.Equal(t, mirascope.ProviderInfo{Name: s.Name, Model: s.Model, ServerAddress: "llm.example.com", ServerPort: 443}, p.Info())
	p = s.New(s.Model, providers.WithAPIKey(TestKey), providers.WithBaseURL("http://127.0.0.1:8123"))
	assert.Equal(t, "127.0.0.1", p.Info().ServerAddress)
	assert.Equal(t, 8123, p.Info().ServerPort)
}

func (s *Service) testCall(t *testing.T) {
	s.clearEnv(t)
	srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
	p := s.provider(srv)
	req := FullRequest()
	resp, err := p.Call(context.Background(), req)
	require.NoError(t, err)

	seen := srv.Requests()
	require.Len(t, seen, 1)
	r := seen[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, s.PathFor(s.Model), r.Path)
	assert.Equal(t, s.Query, r.Query)
	s.CheckAuth(t, r.Header)
	assert.Empty(t, r.Header.Get("X-Leak"), "OPENAI_CUSTOM_HEADERS must not be read")
	assert.JSONEq(t, string(Fixture(t, s.Dir, "call_request.json")), string(r.Body))

	assert.Equal(t, s.WantCall.Content, resp.Content)
	assert.Equal(t, s.WantCall.ID, resp.ID)
	assert.Equal(t, s.WantCall.Model, resp.Model)
	assert.Equal(t, s.WantCall.FinishReasons, resp.FinishReasons)
	assert.Equal(t, s.WantCall.Usage, resp.Usage)
	assert.Equal(t, prompt.Message{Role: prompt.RoleAssistant, Content: s.WantCall.Content, ToolCalls: s.WantCall.Message.ToolCalls}, resp.Message)
	assert.NotNil(t, resp.Raw)
	assert.Equal(t, 5, len(req.Messages), "the request must not be modified")
}

func (s *Service) testStream(t *testing.T) {
	for _, split := range []bool{false, true} {
		t.Run(fmt.Sprintf("split=%v", split), func(t *testing.T) {
			s.clearEnv(t)
			srv := s.server(t, SSE(s.Header, Fixture(t, s.Dir, "stream.sse"), split))
			p := s.provider(srv)
			var content strings.Builder
			var last *mirascope.Usage
			var id, model, finish string
			n := 0
			for c, err := range p.(mirascope.Streamer).Stream(context.Background(), FullRequest()) {
				require.NoError(t, err)
				n++
				content.WriteString(c.Content)
				if c.Usage != nil {
					last = c.Usage
				}
				if c.ID != "" {
					id = c.ID
				}
				if c.Model != "" {
					model = c.Model
				}
				if c.FinishReason != "" {
					finish = c.FinishReason
				}
			}
			assert.Greater(t, n, 2)
			assert.Equal(t, s.WantStream.Content, content.String())
			assert.Equal(t, s.WantStream.ID, id)
			assert.Equal(t, s.WantStream.Model, model)
			assert.Equal(t, s.WantStream.FinishReasons, []string{finish})
			require.NotNil(t, last, "usage must reach the stream")
			assert.Equal(t, s.WantStream.Usage, *last)

			seen := srv.Requests()
			require.Len(t, seen, 1)
			assert.Equal(t, s.PathFor(s.Model), seen[0].Path)
			assert.JSONEq(t, string(Fixture(t, s.Dir, "stream_request.json")), string(seen[0].Body))
		})
	}
	t.Run("mirascope.Stream", func(t *testing.T) {
		s.clearEnv(t)
		srv := s.server(t, SSE(s.Header, Fixture(t, s.Dir, "stream.sse"), false))
		p := s.provider(srv)
		st, err := mirascope.Stream(context.Background(), p, bookPrompt{Genre: "fantasy"})
		require.NoError(t, err)
		for _, err := range st.Chunks() {
			require.NoError(t, err)
		}
		r := st.Response()
		assert.Equal(t, s.WantStream.Content, r.Content)
		assert.Equal(t, s.WantStream.ID, r.ID)
		assert.Equal(t, s.WantStream.Model, r.Model)
		assert.Equal(t, s.WantStream.FinishReasons, r.FinishReasons)
		assert.Equal(t, s.WantStream.Usage, r.Usage)
		assert.NotNil(t, r.Raw)
	})
}

type bookPrompt struct {
	Genre string `prompt:"genre"`
}

func (b bookPrompt) Prompt() string { return "Recommend a " + b.Genre + " book." }

func (s *Service) testModelOverride(t *testing.T) {
	s.clearEnv(t)
	srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
	p := s.provider(srv)
	_, err := mirascope.Call(context.Background(), p, bookPrompt{Genre: "fantasy"}, mirascope.WithModel("other-model"))
	require.NoError(t, err)
	seen := srv.Requests()
	require.Len(t, seen, 1)
	assert.Equal(t, s.PathFor("other-model"), seen[0].Path)
	assert.Contains(t, string(seen[0].Body), `"model":"other-model"`)
}

func (s *Service) testHeader(t *testing.T) {
	s.clearEnv(t)
	srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
	p := s.provider(srv, providers.WithHeader("X-Team", "search"))
	_, err := p.Call(context.Background(), SimpleRequest())
	require.NoError(t, err)
	assert.Equal(t, "search", srv.Requests()[0].Header.Get("X-Team"))
}

func (s *Service) testMissingKey(t *testing.T) {
	s.clearEnv(t)
	srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
	opts := []providers.Option{providers.WithBaseURL(srv.URL)}
	if s.TLS {
		opts = append(opts, providers.WithHTTPClient(srv.Client()))
	}
	p := s.New(s.Model, opts...)
	_, err := p.Call(context.Background(), SimpleRequest())
	if s.KeyEnv == "" {
		require.NoError(t, err, "a key is optional")
		assert.Empty(t, srv.Requests()[0].Header.Get("Authorization"))
		return
	}
	var mk *providers.MissingAPIKeyError
	require.ErrorAs(t, err, &mk)
	assert.Equal(t, s.Name, mk.Provider)
	assert.Equal(t, []string{s.KeyEnv}, mk.EnvVars)
	assert.ErrorIs(t, err, mirascope.ErrAuth)
	for _, err := range p.(mirascope.Streamer).Stream(context.Background(), SimpleRequest()) {
		require.ErrorAs(t, err, &mk)
	}
	assert.Empty(t, srv.Requests(), "no request may go out without a key")

	// The variable is read when no option sets the key.
	t.Setenv(s.KeyEnv, TestKey)
	p = s.New(s.Model, opts...)
	_, err = p.Call(context.Background(), SimpleRequest())
	require.NoError(t, err)
	s.CheckAuth(t, srv.Requests()[0].Header)
}

func (s *Service) testErrors(t *testing.T) {
	body := Fixture(t, s.Dir, "error.json")
	for _, status := range []int{400, 401, 403, 404, 408, 409, 422, 429, 500, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			s.clearEnv(t)
			h := s.Header.Clone()
			if h == nil {
				h = http.Header{}
			}
			if status == 429 {
				h.Set("Retry-After", "7")
			}
			srv := s.server(t, JSON(status, h, body))
			p := s.provider(srv, providers.WithMaxRetries(0))
			_, err := p.Call(context.Background(), SimpleRequest())
			var pe *mirascope.ProviderError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, s.Name, pe.Provider)
			assert.Equal(t, status, pe.StatusCode)
			assert.Equal(t, providerkit.RetryableStatus(status), pe.Retryable)
			assert.Equal(t, s.RequestID, pe.RequestID)
			assert.Equal(t, s.WantError.Code, pe.Code)
			assert.Equal(t, s.WantError.Type, pe.Type)
			assert.Equal(t, s.WantError.Message, pe.Message)
			assert.NotNil(t, pe.Err)
			assert.NotContains(t, err.Error(), TestKey)
			assert.Contains(t, err.Error(), s.WantError.Message)
			if status == 429 {
				assert.Equal(t, 7*time.Second, pe.RetryAfter)
				assert.ErrorIs(t, err, mirascope.ErrRateLimited)
			}
			if status == 401 || status == 403 {
				assert.ErrorIs(t, err, mirascope.ErrAuth)
			}
			// The same error through a stream.
			var serr error
			for _, e := range p.(mirascope.Streamer).Stream(context.Background(), SimpleRequest()) {
				serr = e
			}
			require.ErrorAs(t, serr, &pe)
			assert.Equal(t, status, pe.StatusCode)
			assert.Equal(t, s.WantError.Message, pe.Message)
			assert.Len(t, srv.Requests(), 2, "no retries with WithMaxRetries(0)")
		})
	}
}

func (s *Service) testRetry(t *testing.T) {
	s.clearEnv(t)
	h := s.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Retry-After", "0")
	srv := s.server(t, JSON(429, h, Fixture(t, s.Dir, "error.json")), JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
	p := s.provider(srv)
	resp, err := p.Call(context.Background(), SimpleRequest())
	require.NoError(t, err)
	assert.Equal(t, s.WantCall.Content, resp.Content)
	assert.Len(t, srv.Requests(), 2)
	assert.Equal(t, 2, resp.Attempts, "every attempt is counted on the answer")

	// Bounded: with one retry allowed, a 503 twice is the answer.
	srv = s.server(t, JSON(503, h, Fixture(t, s.Dir, "error.json")))
	p = s.provider(srv, providers.WithMaxRetries(1))
	_, err = p.Call(context.Background(), SimpleRequest())
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 503, pe.StatusCode)
	assert.Len(t, srv.Requests(), 2)
	assert.Equal(t, 2, pe.Attempts, "and on the error")

	// A Retry-After longer than the deadline leaves is not waited for: the
	// caller gets the 429 at once, not a bare deadline error after waiting.
	h.Set("Retry-After", "30")
	srv = s.server(t, JSON(429, h, Fixture(t, s.Dir, "error.json")))
	p = s.provider(srv, providers.WithMaxRetries(2))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err = p.Call(ctx, SimpleRequest())
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 429, pe.StatusCode)
	assert.ErrorIs(t, err, mirascope.ErrRateLimited)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 30*time.Second, pe.RetryAfter)
	assert.Less(t, time.Since(start), time.Second, "no wait that cannot finish")
	assert.Len(t, srv.Requests(), 1)
}

func (s *Service) testTransport(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		s.clearEnv(t)
		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		srv := s.server(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		p := s.provider(srv, providers.WithTimeout(50*time.Millisecond), providers.WithMaxRetries(0))
		_, err := p.Call(context.Background(), SimpleRequest())
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 0, pe.StatusCode)
		assert.True(t, pe.Retryable)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("canceled", func(t *testing.T) {
		s.clearEnv(t)
		srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
		p := s.provider(srv)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := p.Call(ctx, SimpleRequest())
		assert.ErrorIs(t, err, context.Canceled)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.False(t, pe.Retryable)
	})
	t.Run("refused", func(t *testing.T) {
		s.clearEnv(t)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		require.NoError(t, ln.Close())
		scheme := "http"
		if s.TLS {
			scheme = "https"
		}
		p := s.New(s.Model, providers.WithAPIKey(TestKey), providers.WithBaseURL(scheme+"://"+addr), providers.WithMaxRetries(0))
		_, err = p.Call(context.Background(), SimpleRequest())
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 0, pe.StatusCode)
		assert.True(t, pe.Retryable)
		assert.NotContains(t, err.Error(), TestKey)
	})
	t.Run("invalid JSON", func(t *testing.T) {
		s.clearEnv(t)
		srv := s.server(t, JSON(200, s.Header, []byte(`{"id": "chatcmpl-1", "choices": [`)))
		p := s.provider(srv)
		_, err := p.Call(context.Background(), SimpleRequest())
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, s.Name, pe.Provider)
		assert.False(t, pe.Retryable)
		assert.Equal(t, s.RequestID, pe.RequestID)
	})
}

func (s *Service) testStreamFailures(t *testing.T) {
	t.Run("cut mid-event", func(t *testing.T) {
		s.clearEnv(t)
		srv := s.server(t, Cut(Fixture(t, s.Dir, "stream.sse")))
		p := s.provider(srv, providers.WithMaxRetries(0))
		var errs []error
		for _, err := range p.(mirascope.Streamer).Stream(context.Background(), SimpleRequest()) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		require.Len(t, errs, 1, "an error is yielded once and ends the sequence")
		var pe *mirascope.ProviderError
		require.ErrorAs(t, errs[0], &pe)
		assert.Equal(t, s.Name, pe.Provider)
	})
	t.Run("ended early", func(t *testing.T) {
		s.clearEnv(t)
		first, _, _ := strings.Cut(string(Fixture(t, s.Dir, "stream.sse")), "\n\n")
		srv := s.server(t, SSE(s.Header, []byte(first+"\n\n"), false))
		p := s.provider(srv)
		var last error
		for _, err := range p.(mirascope.Streamer).Stream(context.Background(), SimpleRequest()) {
			last = err
		}
		var pe *mirascope.ProviderError
		require.ErrorAs(t, last, &pe)
		assert.Contains(t, pe.Message, "stream ended")
		assert.True(t, pe.Retryable, "a stream cut short is transient, as with the other providers")
		assert.ErrorIs(t, last, io.ErrUnexpectedEOF)
	})
	if s.WantStreamError != nil {
		t.Run("error event", func(t *testing.T) {
			s.clearEnv(t)
			srv := s.server(t, SSE(s.Header, Fixture(t, s.Dir, "stream_error.sse"), false))
			p := s.provider(srv)
			var errs []error
			for _, err := range p.(mirascope.Streamer).Stream(context.Background(), SimpleRequest()) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			require.Len(t, errs, 1)
			var pe *mirascope.ProviderError
			require.ErrorAs(t, errs[0], &pe)
			assert.Equal(t, s.WantStreamError.Message, pe.Message)
			assert.Equal(t, s.WantStreamError.Type, pe.Type)
			assert.Equal(t, s.WantStreamError.Code, pe.Code)
			assert.Equal(t, s.WantStreamError.Retryable, pe.Retryable)
			assert.Equal(t, s.RequestID, pe.RequestID)
		})
	}
}

func (s *Service) testCancel(t *testing.T) {
	for _, how := range []string{"break", "cancel"} {
		t.Run(how, func(t *testing.T) {
			s.clearEnv(t)
			var srv *Server
			srv = s.server(t, func(w http.ResponseWriter, r *http.Request) {
				srv.Hold(s.Header, Fixture(t, s.Dir, "stream.sse"))(w, r)
			})
			p := s.provider(srv)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var got error
			for c, err := range p.(mirascope.Streamer).Stream(ctx, SimpleRequest()) {
				if err != nil {
					got = err
					break
				}
				require.NotNil(t, c)
				if how == "break" {
					break
				}
				cancel()
			}
			if how == "cancel" {
				assert.ErrorIs(t, got, context.Canceled)
			}
			select {
			case <-srv.Closed:
			case <-time.After(10 * time.Second):
				t.Fatal("the server never saw the connection close")
			}
		})
	}
}

func (s *Service) testConcurrent(t *testing.T) {
	s.clearEnv(t)
	srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
	p := s.provider(srv)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := p.Call(context.Background(), SimpleRequest())
			errs <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
}

// RunTraced runs a call and a stream through otel.Traced and checks the
// span's GenAI attributes.
func RunTraced(t *testing.T, s Service) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			s.clearEnv(t)
			fixture, want := "call.json", s.WantCall
			h := JSON(200, s.Header, Fixture(t, s.Dir, fixture))
			if stream {
				want = s.WantStream
				h = SSE(s.Header, Fixture(t, s.Dir, "stream.sse"), false)
			}
			srv := s.server(t, h)
			got := replaytest.Traced(t, s.provider(srv), stream, bookPrompt{Genre: "fantasy"}, mirascope.WithMaxTokens(64))
			assert.Equal(t, s.Name, got["gen_ai.provider.name"].AsString())
			assert.Equal(t, s.Model, got["gen_ai.request.model"].AsString())
			assert.Equal(t, int64(64), got["gen_ai.request.max_tokens"].AsInt64())
			assert.Equal(t, want.Model, got["gen_ai.response.model"].AsString())
			assert.Equal(t, want.ID, got["gen_ai.response.id"].AsString())
			assert.Equal(t, int64(want.Usage.InputTokens), got["gen_ai.usage.input_tokens"].AsInt64())
			assert.Equal(t, int64(want.Usage.OutputTokens), got["gen_ai.usage.output_tokens"].AsInt64())
			assert.Equal(t, "127.0.0.1", got["server.address"].AsString())
		})
	}
}
