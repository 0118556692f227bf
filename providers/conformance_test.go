package providers_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
	"github.com/mirascope-go/mirascope/providers/azure"
	"github.com/mirascope-go/mirascope/providers/bedrock"
	"github.com/mirascope-go/mirascope/providers/cohere"
	"github.com/mirascope-go/mirascope/providers/google"
	"github.com/mirascope-go/mirascope/providers/groq"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/litellm"
	"github.com/mirascope-go/mirascope/providers/mistral"
	"github.com/mirascope-go/mirascope/providers/openai"
	"github.com/mirascope-go/mirascope/providers/providerkit"
	"github.com/mirascope-go/mirascope/providers/xai"
)

// Every provider, on its own SDK, against one local server: the behaviour
// the shared transport and helpers promise is the same on all ten.

// testSecret has no known credential prefix: only the provider's knowledge
// of its own key can mask it.
const testSecret = "mirascope-test-credential-0123456789"

type service struct {
	name string
	// errorBody is the service's error JSON carrying message.
	errorBody func(status int, message string) string
	new       func(base string, opts ...providers.Option) mirascope.Provider
	// extraBody is the provider's escape hatch for body fields; nil when it
	// has none of that name.
	extraBody func(map[string]any) mirascope.CallOption
}

func openAIError(status int, m string) string {
	return fmt.Sprintf(`{"error":{"message":%q,"type":"server_error","param":null,"code":null}}`, m)
}

func oaiWire(name string, newP func(string, ...providers.Option) mirascope.Provider, extra func(map[string]any) mirascope.CallOption) service {
	return service{name: name, errorBody: openAIError, new: newP, extraBody: extra}
}

func services(t *testing.T) []service {
	cleanAWSEnv(t)
	key := providers.WithAPIKey(testSecret)
	return []service{
		oaiWire("openai", func(u string, o ...providers.Option) mirascope.Provider {
			return openai.New("gpt-4o-mini", append([]providers.Option{key, providers.WithBaseURL(u)}, o...)...)
		}, openai.WithExtraBody),
		oaiWire("azure.ai.openai", func(u string, o ...providers.Option) mirascope.Provider {
			return azure.New("gpt-4o-mini", append([]providers.Option{key, providers.WithBaseURL(u)}, o...)...)
		}, azure.WithExtraBody),
		oaiWire("azure.ai.inference", func(u string, o ...providers.Option) mirascope.Provider {
			return azure.New("Phi-4", append([]providers.Option{key, providers.WithBaseURL(u), azure.WithModelInference()}, o...)...)
		}, azure.WithExtraBody),
		oaiWire("groq", func(u string, o ...providers.Option) mirascope.Provider {
			return groq.New("llama-3.3-70b-versatile", append([]providers.Option{key, providers.WithBaseURL(u)}, o...)...)
		}, groq.WithExtraBody),
		oaiWire("x_ai", func(u string, o ...providers.Option) mirascope.Provider {
			return xai.New("grok-3-mini", append([]providers.Option{key, providers.WithBaseURL(u)}, o...)...)
		}, xai.WithExtraBody),
		oaiWire("mistral_ai", func(u string, o ...providers.Option) mirascope.Provider {
			return mistral.New("mistral-small-latest", append([]providers.Option{key, providers.WithBaseURL(u)}, o...)...)
		}, mistral.WithExtraBody),
		oaiWire("litellm", func(u string, o ...providers.Option) mirascope.Provider {
			return litellm.New("gpt-4o-mini", append([]providers.Option{key, providers.WithBaseURL(u)}, o...)...)
		}, litellm.WithExtraBody),
		{
			name: "anthropic",
			errorBody: func(_ int, m string) string {
				return fmt.Sprintf(`{"type":"error","error":{"type":"api_error","message":%q},"request_id":"req_1"}`, m)
			},
			new: func(u string, o ...providers.Option) mirascope.Provider {
				return anthropic.New("claude-sonnet-4-5", append([]providers.Option{key, providers.WithBaseURL(u)}, o...)...)
			},
			extraBody: anthropic.WithExtraBody,
		},
		{
			name: "gcp.gemini",
			errorBody: func(status int, m string) string {
				return fmt.Sprintf(`{"error":{"code":%d,"message":%q,"status":"INTERNAL"}}`, status, m)
			},
			new: func(u string, o ...providers.Option) mirascope.Provider {
				return google.New("gemini-2.5-flash", append([]providers.Option{key, providers.WithBaseURL(u)}, o...)...)
			},
			extraBody: google.WithExtraBody,
		},
		{
			name:      "cohere",
			errorBody: func(_ int, m string) string { return fmt.Sprintf(`{"id":"c0ffee","message":%q}`, m) },
			new: func(u string, o ...providers.Option) mirascope.Provider {
				return cohere.New("command-a-03-2025", append([]providers.Option{key, providers.WithBaseURL(u)}, o...)...)
			},
			extraBody: cohere.WithExtraBody,
		},
		{
			name:      "aws.bedrock",
			errorBody: func(_ int, m string) string { return fmt.Sprintf(`{"message":%q}`, m) },
			new: func(u string, o ...providers.Option) mirascope.Provider {
				return bedrock.New("anthropic.claude-3-5-haiku-20241022-v1:0", append([]providers.Option{
					providers.WithBaseURL(u), bedrock.WithRegion("us-east-1"),
					// The session token travels in a header a service may echo.
					bedrock.WithCredentials(credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "fake-secret-access-key", testSecret)),
				}, o...)...)
			},
			extraBody: bedrock.WithAdditionalModelRequestFields,
		},
	}
}

// cleanAWSEnv keeps the developer's AWS setup out of the tests.
func cleanAWSEnv(t *testing.T) {
	for _, k := range []string{
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_BEARER_TOKEN_BEDROCK", "AWS_ENDPOINT_URL",
		"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_CA_BUNDLE",
	} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// errorServer answers every request with status and the service's error
// body for message, and the request id in every header services use; after
// the first request it hangs until the client gives up, when hang is set.
type errorServer struct {
	*httptest.Server
	n      atomic.Int32
	mu     sync.Mutex
	bodies []string
}

func newErrorServer(t *testing.T, s service, status int, message string, header http.Header, hang bool) *errorServer {
	es := &errorServer{}
	es.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		es.record(r)
		if es.n.Add(1) > 1 && hang {
			<-r.Context().Done()
			return
		}
		for k, vs := range header {
			w.Header()[k] = vs
		}
		for _, h := range []string{"X-Request-Id", "Request-Id", "X-Amzn-Requestid", "Apim-Request-Id"} {
			w.Header().Set(h, "req_conformance")
		}
		w.Header().Set("X-Amzn-Errortype", "InternalServerException:http://internal.amazon.com/coral/com.amazon.bedrock/")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = fmt.Fprint(w, s.errorBody(status, message))
	}))
	t.Cleanup(es.Close)
	return es
}

func (es *errorServer) record(r *http.Request) {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	es.mu.Lock()
	es.bodies = append(es.bodies, b.String())
	es.mu.Unlock()
}

func (es *errorServer) body(i int) string {
	es.mu.Lock()
	defer es.mu.Unlock()
	if i >= len(es.bodies) {
		return ""
	}
	return es.bodies[i]
}

func hello() *mirascope.Request {
	return &mirascope.Request{Messages: []prompt.Message{prompt.User("Recommend a fantasy book.")}}
}

// callAndStream runs req through Call, then through Stream, returning the
// error of each.
func callAndStream(ctx context.Context, p mirascope.Provider, req *mirascope.Request) (callErr, streamErr error) {
	_, callErr = p.Call(ctx, req)
	for _, err := range p.(mirascope.Streamer).Stream(ctx, req) {
		if err != nil {
			streamErr = err
		}
	}
	return callErr, streamErr
}

// A 5xx under a short deadline: the caller gets the service's error, with
// status, request id and message, whether the retry was never started (its
// wait would outlast the deadline) or the deadline cut the retry short.
func TestDeadlineKeepsTheServiceError(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			t.Run("wait would outlast the deadline", func(t *testing.T) {
				for _, h := range []http.Header{nil, {"Retry-After": {"2"}}} {
					srv := newErrorServer(t, s, 500, "the server had an error", h, false)
					p := s.new(srv.URL)
					ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
					start := time.Now()
					callErr, streamErr := callAndStream(ctx, p, hello())
					cancel()
					assert.Less(t, time.Since(start), 300*time.Millisecond, "no wait is started that the deadline would cut short")
					for _, err := range []error{callErr, streamErr} {
						pe := requireProviderError(t, err)
						assert.Equal(t, 500, pe.StatusCode)
						assert.Equal(t, "req_conformance", pe.RequestID)
						assert.Contains(t, pe.Message, "the server had an error")
						assert.True(t, pe.Retryable)
						assert.NotErrorIs(t, err, context.DeadlineExceeded, "the deadline did not pass")
					}
					assert.Equal(t, int32(2), srv.n.Load(), "one attempt for Call, one for Stream")
				}
			})
			t.Run("deadline cuts the retry", func(t *testing.T) {
				srv := newErrorServer(t, s, 500, "the server had an error", http.Header{"Retry-After-Ms": {"10"}}, true)
				p := s.new(srv.URL, providers.WithMaxRetries(1))
				for _, stream := range []bool{false, true} {
					srv.n.Store(0)
					ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
					var err error
					if stream {
						for _, e := range p.(mirascope.Streamer).Stream(ctx, hello()) {
							err = e
						}
					} else {
						_, err = p.Call(ctx, hello())
					}
					cancel()
					assert.Equal(t, int32(2), srv.n.Load(), "the retry was sent")
					pe := requireProviderError(t, err)
					assert.Equal(t, 500, pe.StatusCode, "stream=%v", stream)
					assert.Equal(t, "req_conformance", pe.RequestID)
					assert.Contains(t, pe.Message, "the server had an error")
					assert.ErrorIs(t, err, context.DeadlineExceeded)
				}
			})
		})
	}
}

func requireProviderError(t *testing.T, err error) *mirascope.ProviderError {
	t.Helper()
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	return pe
}

// A key the service echoes reaches no text the library hands out.
func TestCredentialsNeverLeak(t *testing.T) {
	cases := []struct {
		status  int
		message string
	}{
		{401, "Incorrect API key provided: " + testSecret + ". You can find your API key at https://platform.openai.com/account/api-keys."},
		{401, "Incorrect API key provided: sk-proj-Abc123def456ghi789jkl012mno345"},
		{503, "upstream rejected headers: Authorization: Bearer " + testSecret + "; x-api-key: " + testSecret},
		{500, `proxy echo {"Authorization":"Bearer sk-ant-api03-abcdefghijklmnopqrstuvwx"}`},
	}
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			for _, c := range cases {
				srv := newErrorServer(t, s, c.status, c.message, nil, false)
				callErr, streamErr := callAndStream(context.Background(), s.new(srv.URL, providers.WithMaxRetries(0)), hello())
				for _, err := range []error{callErr, streamErr} {
					pe := requireProviderError(t, err)
					assert.Equal(t, c.status, pe.StatusCode)
					assertNoSecret(t, err)
					assert.Contains(t, pe.Message, providerkit.Redacted)
				}
			}
		})
	}
}

// assertNoSecret checks the error's text, every string field of every
// *mirascope.ProviderError, and the text of every error down its chain.
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	secrets := []string{testSecret, "sk-proj-Abc123", "sk-ant-api03-abc"}
	var walk func(e error)
	walk = func(e error) {
		if e == nil {
			return
		}
		for _, s := range secrets {
			assert.NotContains(t, e.Error(), s, "%T", e)
		}
		if pe, ok := e.(*mirascope.ProviderError); ok {
			v := reflect.ValueOf(pe).Elem()
			for i := range v.NumField() {
				if f := v.Field(i); f.Kind() == reflect.String {
					for _, s := range secrets {
						assert.NotContains(t, f.String(), s, "ProviderError.%s", v.Type().Field(i).Name)
					}
				}
			}
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		}
	}
	walk(err)
}

// Another provider's options are refused before any request: a CallOption
// with mirascope.ErrUnsupportedParameter, an Option with a configuration
// error; so is a base URL that is no URL.
func TestForeignOptionsAndBadBaseURL(t *testing.T) {
	type probe struct {
		opt   mirascope.CallOption
		owner []string
		name  string
	}
	effortOwners := []string{"openai", "azure.ai.openai", "groq", "x_ai", "mistral_ai", "litellm"}
	callOpts := []probe{
		{bedrock.WithAdditionalModelRequestFields(map[string]any{"top_k": 5}), []string{"aws.bedrock"}, "bedrock.WithAdditionalModelRequestFields"},
		// Now mirascope.WithReasoning: refused where the service has no
		// reasoning control this library maps (claude-sonnet-4-5 and
		// gemini-2.5-flash take one; command-a-03-2025 and Claude 3.5 on
		// Bedrock do not think). Every refusal: TestEveryReasoningAndCacheRefusal.
		{openai.WithReasoningEffort("low"), append(effortOwners, "anthropic", "gcp.gemini"), "WithReasoning"},
		{anthropic.WithExtraBody(map[string]any{"top_k": 5}), []string{"anthropic"}, "anthropic.WithExtraBody"},
		{cohere.WithExtraBody(map[string]any{"k": 5}), []string{"cohere"}, "cohere.WithExtraBody"},
	}
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			srv := newErrorServer(t, s, 500, "unexpected", nil, false)
			for _, pr := range callOpts {
				owned := false
				for _, o := range pr.owner {
					owned = owned || o == s.name
				}
				if owned {
					continue
				}
				req := hello()
				pr.opt(req)
				callErr, streamErr := callAndStream(context.Background(), s.new(srv.URL), req)
				for _, err := range []error{callErr, streamErr} {
					require.ErrorIs(t, err, mirascope.ErrUnsupportedParameter, pr.name)
					var ue *mirascope.UnsupportedError
					require.ErrorAs(t, err, &ue)
					assert.Equal(t, s.name, ue.Provider)
					assert.Equal(t, pr.name, ue.Parameter)
				}
			}

			foreignOpts := []struct {
				opt    providers.Option
				owners []string
				want   string
			}{
				{bedrock.WithRegion("eu-west-1"), []string{"aws.bedrock"}, "bedrock.WithRegion: an option of the aws.bedrock provider only"},
				{anthropic.WithDefaultMaxTokens(100), []string{"anthropic"}, "anthropic.WithDefaultMaxTokens: an option of the anthropic provider only"},
				{azure.WithAPIVersion("2025-04-01-preview"), []string{"azure.ai.openai", "azure.ai.inference"},
					"azure.WithAPIVersion: an option of the azure.ai.openai, azure.ai.inference providers only"},
				{google.WithVertex("p", "us-central1"), []string{"gcp.gemini", "gcp.vertex_ai"},
					"google.WithVertex: an option of the gcp.gemini, gcp.vertex_ai providers only"},
			}
			for _, fo := range foreignOpts {
				if slices.Contains(fo.owners, s.name) {
					continue
				}
				callErr, streamErr := callAndStream(context.Background(), s.new(srv.URL, fo.opt), hello())
				for _, err := range []error{callErr, streamErr} {
					require.ErrorIs(t, err, providers.ErrInvalidConfig)
					assert.EqualError(t, err, "mirascope: "+s.name+": "+fo.want)
				}
			}

			for _, bad := range []string{"localhost:8080/v1", "http://exa mple.com", "https://"} {
				p := s.new(srv.URL, providers.WithBaseURL(bad))
				callErr, streamErr := callAndStream(context.Background(), p, hello())
				for _, err := range []error{callErr, streamErr} {
					require.ErrorIs(t, err, providers.ErrInvalidConfig, bad)
					assert.Contains(t, err.Error(), "mirascope: "+s.name+": base URL: ")
				}
				assert.Empty(t, p.Info().ServerAddress)
			}
			assert.Equal(t, int32(0), srv.n.Load(), "no request was sent")
		})
	}
}

// Each provider's escape hatch puts its fields on the wire.
func TestExtraBodyReachesTheWire(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			srv := newErrorServer(t, s, 400, "stop here", nil, false)
			req := hello()
			fields := map[string]any{"mirascope_probe": map[string]any{"depth": 3}, "top_k": 40}
			s.extraBody(fields)(req)
			s.extraBody(map[string]any{"top_k": 41})(req) // later keys win
			fields["top_k"] = 99                          // the option copied the map
			_, _ = s.new(srv.URL).Call(context.Background(), req)
			body := srv.body(0)
			if s.name == "aws.bedrock" {
				assert.Contains(t, body, `"additionalModelRequestFields":{`)
			}
			assert.Contains(t, body, `"mirascope_probe":{"depth":3}`)
			assert.Contains(t, body, `"top_k":41`)
		})
	}
}

// Retries are the shared transport's alone: with WithMaxRetries(2) a
// failing call makes exactly three requests, each reported as an attempt,
// whatever the SDK would do on its own.
func TestOneRetryPolicy(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			srv := newErrorServer(t, s, 503, "overloaded", http.Header{"Retry-After-Ms": {"1"}}, false)
			_, err := s.new(srv.URL, providers.WithMaxRetries(2)).Call(context.Background(), hello())
			pe := requireProviderError(t, err)
			assert.Equal(t, 503, pe.StatusCode)
			assert.Equal(t, int32(3), srv.n.Load())
			assert.Equal(t, 3, pe.Attempts, "the error counts the requests sent")
		})
	}
}

// reasoning_effort reaches the wire of every provider that accepts it.
func TestReasoningEffortWhereDocumented(t *testing.T) {
	owners := []string{"openai", "azure.ai.openai", "groq", "x_ai", "mistral_ai", "litellm"}
	for _, s := range services(t) {
		if !slices.Contains(owners, s.name) {
			continue // refused: TestForeignOptionsAndBadBaseURL
		}
		t.Run(s.name, func(t *testing.T) {
			srv := newErrorServer(t, s, 400, "stop here", nil, false)
			req := hello()
			openai.WithReasoningEffort("low")(req)
			_, _ = s.new(srv.URL).Call(context.Background(), req)
			assert.Contains(t, srv.body(0), `"reasoning_effort":"low"`)
		})
	}
}

// A tool choice or an output format the request cannot honour is refused
// the same way by every provider: a *mirascope.UnsupportedError naming the
// setting, before any request.
func TestToolAndFormatRefusals(t *testing.T) {
	lookup := mirascope.NewTool("lookup", "Looks a book up.", func(_ context.Context, in struct {
		Title string `json:"title"`
	}) (string, error) {
		return in.Title, nil
	})
	cases := []struct {
		name  string
		req   func(*mirascope.Request)
		param string
	}{
		{"choice names a tool not offered", func(r *mirascope.Request) {
			r.Tools, r.ToolChoice = []mirascope.Tool{lookup}, "search"
		}, "WithToolChoice"},
		{"choice names a tool, none offered", func(r *mirascope.Request) { r.ToolChoice = "lookup" }, "WithToolChoice"},
		{"choice required, no tools", func(r *mirascope.Request) { r.ToolChoice = mirascope.ToolChoiceRequired }, "WithToolChoice"},
		{"format schema not an object", func(r *mirascope.Request) {
			r.Format = &mirascope.Format{Name: "titles", Schema: []byte(`{"type":"array","items":{"type":"string"}}`)}
		}, "Format"},
		{"format schema not JSON", func(r *mirascope.Request) {
			r.Format = &mirascope.Format{Name: "titles", Schema: []byte(`{"type":`)}
		}, "Format"},
	}
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			srv := newErrorServer(t, s, 500, "unexpected", nil, false)
			for _, tc := range cases {
				req := hello()
				tc.req(req)
				callErr, streamErr := callAndStream(context.Background(), s.new(srv.URL), req)
				for _, err := range []error{callErr, streamErr} {
					var ue *mirascope.UnsupportedError
					if assert.ErrorAs(t, err, &ue, tc.name) {
						assert.Equal(t, s.name, ue.Provider, tc.name)
						assert.Equal(t, tc.param, ue.Parameter, tc.name)
						assert.NotEmpty(t, ue.Reason, tc.name)
					}
				}
			}
			assert.Equal(t, int32(0), srv.n.Load(), "no request was sent")
		})
	}
}

// Tool choice auto or none with no tools asks for what already holds: every
// provider accepts it and sends no tool choice (the OpenAI-wire ones used
// to refuse it, the others to send it). Required or a name without tools
// is refused (TestToolAndFormatRefusals).
func TestToolChoiceWithoutToolsAccepted(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			srv := newErrorServer(t, s, 400, "bad request", nil, false)
			for i, choice := range []mirascope.ToolChoice{mirascope.ToolChoiceAuto, mirascope.ToolChoiceNone} {
				req := hello()
				req.ToolChoice = choice
				callErr, streamErr := callAndStream(context.Background(), s.new(srv.URL), req)
				for j, err := range []error{callErr, streamErr} {
					pe := requireProviderError(t, err)
					assert.Equal(t, 400, pe.StatusCode, "the request went out")
					body := srv.body(2*i + j)
					for _, field := range []string{"tool_choice", "toolChoice", "toolConfig"} {
						assert.NotContains(t, body, field, "%s: %s", choice, body)
					}
				}
			}
		})
	}
}

// A stream that ends cleanly before the service marks the answer complete
// comes back in one shape from every provider: a retryable
// *mirascope.ProviderError matching io.ErrUnexpectedEOF.
func TestStreamCutShortOneShape(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ct := "text/event-stream"
				if s.name == "aws.bedrock" {
					ct = "application/vnd.amazon.eventstream"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(200)
			}))
			t.Cleanup(srv.Close)
			var errs []error
			for _, err := range s.new(srv.URL).(mirascope.Streamer).Stream(context.Background(), hello()) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			require.Len(t, errs, 1)
			pe := requireProviderError(t, errs[0])
			assert.ErrorIs(t, errs[0], io.ErrUnexpectedEOF)
			assert.True(t, pe.Retryable)
			assert.Equal(t, s.name, pe.Provider)
			assert.Equal(t, lower.CutShortMessage, pe.Message)
		})
	}
}
