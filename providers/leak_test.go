package providers_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/internal/secrets/secretstest"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/providerkit"
	"github.com/mirascope-go/mirascope/providers/replay"
)

// tracedRecorder wraps p as an application under test would: traced with
// content capture on, recording its answers to a cassette in the current
// directory, written when the test t is over. The spans stay readable until
// outer is over.
func tracedRecorder(outer, t *testing.T, p mirascope.Provider) (mirascope.Provider, *tracetest.InMemoryExporter) {
	t.Helper()
	t.Setenv(replay.EnvRecord, "1")
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	outer.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return otel.Traced(replay.New(t, p), otel.WithTracerProvider(tp), otel.WithContentCapture(true)), exp
}

// spanTexts is every string a span holds: name, status, attributes and
// event attributes.
func spanTexts(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name, s.Status.Description)
		for _, kv := range s.Attributes {
			out = append(out, kv.Value.String())
		}
		for _, e := range s.Events {
			for _, kv := range e.Attributes {
				out = append(out, kv.Value.String())
			}
		}
	}
	return out
}

// cassettes returns the text of every cassette under dir.
func cassettes(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	n := 0
	require.NoError(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			b.Write(data)
			n++
		}
		return err
	}))
	require.NotZero(t, n, "a cassette was written")
	return b.String()
}

// A credential of any known shape that a service echoes in an error is
// masked in the error, on the span and in the cassette alike, on every
// provider: one pattern set serves all three.
func TestCredentialShapesMaskedEverywhere(t *testing.T) {
	var texts []string
	for _, s := range secretstest.Shapes {
		texts = append(texts, s.Text)
	}
	message := strings.Join(texts, " | ")
	for _, s := range services(t) {
		t.Run(s.name, func(outer *testing.T) {
			t := outer
			dir := t.TempDir()
			t.Chdir(dir)
			var spans *tracetest.InMemoryExporter
			var errs []error
			t.Run("calls", func(t *testing.T) {
				srv := newErrorServer(t, s, 400, message, nil, false)
				var p mirascope.Provider
				p, spans = tracedRecorder(outer, t, s.new(srv.URL, providers.WithMaxRetries(0)))
				callErr, streamErr := callAndStream(context.Background(), p, hello())
				errs = append(errs, callErr, streamErr)
			})
			file := cassettes(t, dir)
			all := spanTexts(spans.GetSpans())
			require.Len(t, spans.GetSpans(), 2)
			for _, shape := range secretstest.Shapes {
				for _, err := range errs {
					require.Error(t, err)
					assertErrorLacks(t, err, shape.Credential)
				}
				for _, text := range all {
					assert.NotContains(t, text, shape.Credential, "span: %s", shape.Name)
				}
				assert.NotContains(t, file, shape.Credential, "cassette: %s", shape.Name)
			}
		})
	}
}

// assertErrorLacks checks the text of err and of every error down its
// chain, and the raw body an SDK error keeps, for secret.
func assertErrorLacks(t *testing.T, err error, secret string) {
	t.Helper()
	var walk func(e error)
	walk = func(e error) {
		if e == nil {
			return
		}
		assert.NotContains(t, e.Error(), secret, "%T", e)
		if r, ok := e.(interface{ RawJSON() string }); ok {
			assert.NotContains(t, r.RawJSON(), secret, "%T.RawJSON", e)
		}
		if pe, ok := e.(*mirascope.ProviderError); ok {
			for _, f := range []string{pe.Message, pe.Code, pe.Type, pe.RequestID} {
				assert.NotContains(t, f, secret, "ProviderError")
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

// An error body is masked whole, not only its first MiB: a key echoed after
// 2 MiB of padding, or straddling the point where the body is cut, reaches
// neither the error nor the SDK's own error (Error, RawJSON) that errors.As
// finds.
func TestErrorBodyMaskedWhole(t *testing.T) {
	pad := strings.Repeat("x", 2<<20)
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			for name, message := range map[string]string{
				"after 2 MiB":   pad + " key " + testSecret + " and sk-abcdefghijkl",
				"at the cut":    pad[:1<<20-60] + " key " + testSecret + " and sk-abcdefghijkl " + pad,
				"over the read": pad[:1<<20+64<<10-20] + " key " + testSecret + pad,
			} {
				srv := newErrorServer(t, s, 400, message, nil, false)
				callErr, streamErr := callAndStream(context.Background(), s.new(srv.URL, providers.WithMaxRetries(0)), hello())
				for _, err := range []error{callErr, streamErr} {
					require.Error(t, err, name)
					assertErrorLacks(t, err, testSecret)
					assertErrorLacks(t, err, "sk-abcdefghijkl")
					assertErrorLacks(t, err, testSecret[:20]) // nor a piece of it
				}
			}
		})
	}
}

// echoServer answers as a gateway echoing the caller's key would: in the
// content, in a tool call's arguments, and, streamed, split across chunks.
type echoService struct {
	name     string
	new      func(base string, opts ...providers.Option) mirascope.Provider
	call     string
	stream   []string
	isStream func(r *http.Request, body string) bool
	// contentType is a stream's; text/event-stream when empty.
	contentType string
}

func echoServices(t *testing.T) []echoService {
	k1, k2 := testSecret[:9], testSecret[9:] // the key split across chunks
	oaiCall := `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"your key is ` + testSecret + `","tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"k\":\"` + testSecret + `\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`
	oaiChunk := func(delta string, finish string) string {
		f := "null"
		if finish != "" {
			f = `"` + finish + `"`
		}
		return `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":` + delta + `,"finish_reason":` + f + `}]}` + "\n\n"
	}
	oaiStream := []string{
		oaiChunk(`{"role":"assistant","content":"key `+k1+`"}`, ""),
		oaiChunk(`{"content":"`+k2+` ok"}`, ""),
		oaiChunk(`{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"k\":\"`+k1+`"}}]}`, ""),
		oaiChunk(`{"tool_calls":[{"index":0,"function":{"arguments":"`+k2+`\"}"}}]}`, ""),
		oaiChunk(`{}`, "tool_calls"),
		"data: [DONE]\n\n",
	}
	oaiIsStream := func(_ *http.Request, body string) bool { return strings.Contains(body, `"stream":true`) }
	var out []echoService
	for _, s := range services(t) {
		if s.errorBody(0, "") == openAIError(0, "") {
			out = append(out, echoService{name: s.name, new: s.new, call: oaiCall, stream: oaiStream, isStream: oaiIsStream})
		}
	}
	ev := func(name, data string) string { return "event: " + name + "\ndata: " + data + "\n\n" }
	out = append(out, echoService{
		name: "anthropic",
		new:  servicesByName(t)["anthropic"].new,
		call: `{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"your key is ` + testSecret + `"},{"type":"tool_use","id":"toolu_1","name":"lookup","input":{"k":"` + testSecret + `"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}`,
		stream: []string{
			ev("message_start", `{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}`),
			ev("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`),
			ev("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"key `+k1+`"}}`),
			ev("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"`+k2+` ok"}}`),
			ev("content_block_stop", `{"type":"content_block_stop","index":0}`),
			ev("content_block_start", `{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"lookup","input":{}}}`),
			ev("content_block_delta", `{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"k\":\"`+k1+`"}}`),
			ev("content_block_delta", `{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"`+k2+`\"}"}}`),
			ev("content_block_stop", `{"type":"content_block_stop","index":1}`),
			ev("message_delta", `{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":5}}`),
			ev("message_stop", `{"type":"message_stop"}`),
		},
		isStream: oaiIsStream,
	}, echoService{
		name: "gcp.gemini",
		new:  servicesByName(t)["gcp.gemini"].new,
		call: `{"candidates":[{"content":{"role":"model","parts":[{"text":"your key is ` + testSecret + `"},{"functionCall":{"name":"lookup","args":{"k":"` + testSecret + `"}}}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2},"modelVersion":"gemini-2.5-flash","responseId":"r1"}`,
		stream: []string{
			`data: {"candidates":[{"content":{"role":"model","parts":[{"text":"key ` + k1 + `"}]}}],"modelVersion":"gemini-2.5-flash","responseId":"r1"}` + "\r\n\r\n",
			`data: {"candidates":[{"content":{"role":"model","parts":[{"text":"` + k2 + ` ok"}]}}],"modelVersion":"gemini-2.5-flash","responseId":"r1"}` + "\r\n\r\n",
			`data: {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"lookup","args":{"k":"` + testSecret + `"}}}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2},"modelVersion":"gemini-2.5-flash","responseId":"r1"}` + "\r\n\r\n",
		},
		isStream: func(r *http.Request, _ string) bool { return strings.Contains(r.URL.Path, "stream") },
	}, echoService{
		name: "cohere",
		new:  servicesByName(t)["cohere"].new,
		call: `{"id":"c1","message":{"role":"assistant","content":[{"type":"text","text":"your key is ` + testSecret + `"}],"tool_calls":[{"id":"t1","type":"function","function":{"name":"lookup","arguments":"{\"k\":\"` + testSecret + `\"}"}}]},"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":1,"output_tokens":1},"tokens":{"input_tokens":1,"output_tokens":1}}}`,
		stream: []string{
			ev("message-start", `{"id":"c1","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}`),
			ev("content-start", `{"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}`),
			ev("content-delta", `{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"key `+k1+`"}}}}`),
			ev("content-delta", `{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"`+k2+` ok"}}}}`),
			ev("content-end", `{"type":"content-end","index":0}`),
			ev("tool-call-start", `{"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"t1","type":"function","function":{"name":"lookup","arguments":""}}}}}`),
			ev("tool-call-delta", `{"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\"k\":\"`+k1+`"}}}}}`),
			ev("tool-call-delta", `{"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"`+k2+`\"}"}}}}}`),
			ev("tool-call-end", `{"type":"tool-call-end","index":0}`),
			ev("message-end", `{"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":1,"output_tokens":1},"tokens":{"input_tokens":1,"output_tokens":1}}}}`),
			"data: [DONE]\n\n",
		},
		isStream: oaiIsStream,
	}, echoService{
		name: "aws.bedrock",
		new:  servicesByName(t)["aws.bedrock"].new,
		call: `{"output":{"message":{"role":"assistant","content":[{"text":"your key is ` + testSecret + `"},{"toolUse":{"toolUseId":"t1","name":"lookup","input":{"k":"` + testSecret + `"}}}]}},"stopReason":"tool_use","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}`,
		stream: []string{eventStream(t,
			`messageStart`, `{"role":"assistant"}`,
			`contentBlockDelta`, `{"contentBlockIndex":0,"delta":{"text":"key `+k1+`"}}`,
			`contentBlockDelta`, `{"contentBlockIndex":0,"delta":{"text":"`+k2+` ok"}}`,
			`contentBlockStop`, `{"contentBlockIndex":0}`,
			`contentBlockStart`, `{"contentBlockIndex":1,"start":{"toolUse":{"name":"lookup","toolUseId":"t1"}}}`,
			`contentBlockDelta`, `{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"k\":\"`+k1+`"}}}`,
			`contentBlockDelta`, `{"contentBlockIndex":1,"delta":{"toolUse":{"input":"`+k2+`\"}"}}}`,
			`contentBlockStop`, `{"contentBlockIndex":1}`,
			`messageStop`, `{"stopReason":"tool_use"}`,
			`metadata`, `{"metrics":{"latencyMs":1},"usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}`,
		)},
		isStream:    func(r *http.Request, _ string) bool { return strings.Contains(r.URL.Path, "converse-stream") },
		contentType: "application/vnd.amazon.eventstream",
	})
	return out
}

// eventStream encodes name, payload pairs as Bedrock's event stream.
func eventStream(t *testing.T, pairs ...string) string {
	var out bytes.Buffer
	enc := eventstream.NewEncoder()
	for i := 0; i < len(pairs); i += 2 {
		var msg eventstream.Message
		msg.Headers.Set(":message-type", eventstream.StringValue("event"))
		msg.Headers.Set(":event-type", eventstream.StringValue(pairs[i]))
		msg.Headers.Set(":content-type", eventstream.StringValue("application/json"))
		msg.Payload = []byte(pairs[i+1])
		require.NoError(t, enc.Encode(&out, msg))
	}
	return out.String()
}

func servicesByName(t *testing.T) map[string]service {
	m := map[string]service{}
	for _, s := range services(t) {
		m[s.name] = s
	}
	return m
}

// The provider's own key, echoed by the service in a successful answer (the
// content, a tool call's arguments, a stream chunk, split across two),
// reaches neither the caller's answer, nor a span, nor a cassette.
func TestOwnKeyNeverInAnswers(t *testing.T) {
	for _, s := range echoServices(t) {
		t.Run(s.name, func(outer *testing.T) {
			t := outer
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b := new(strings.Builder)
				_, _ = ioCopy(b, r)
				if s.isStream(r, b.String()) {
					ct := s.contentType
					if ct == "" {
						ct = "text/event-stream"
					}
					w.Header().Set("Content-Type", ct)
					w.WriteHeader(200)
					for _, piece := range s.stream {
						_, _ = w.Write([]byte(piece))
						w.(http.Flusher).Flush()
					}
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(s.call))
			}))
			t.Cleanup(srv.Close)
			dir := t.TempDir()
			t.Chdir(dir)
			var spans *tracetest.InMemoryExporter
			var answers []*mirascope.Response
			t.Run("answers", func(t *testing.T) {
				var p mirascope.Provider
				p, spans = tracedRecorder(outer, t, s.new(srv.URL))
				resp, err := mirascope.Call(context.Background(), p, Hello{})
				require.NoError(t, err)
				answers = append(answers, resp)
				st, err := mirascope.Stream(context.Background(), p, Hello{})
				require.NoError(t, err)
				var chunks []string
				for c, err := range st.Chunks() {
					require.NoError(t, err)
					chunks = append(chunks, c.Content)
					for _, tc := range c.ToolCalls {
						chunks = append(chunks, tc.Arguments)
					}
				}
				answers = append(answers, st.Response())
				for _, c := range chunks {
					assert.NotContains(t, c, testSecret[:9], "no chunk carries a piece of the key")
				}
			})
			for _, resp := range answers {
				require.Len(t, resp.ToolCalls, 1)
				assert.Contains(t, resp.Content, providerkit.Redacted)
				assert.NotContains(t, resp.Content, testSecret)
				assert.NotContains(t, resp.ToolCalls[0].Arguments, testSecret)
				assert.Contains(t, resp.ToolCalls[0].Arguments, providerkit.Redacted)
			}
			require.Len(t, spans.GetSpans(), 2)
			for _, text := range spanTexts(spans.GetSpans()) {
				assert.NotContains(t, text, testSecret)
			}
			assert.NotContains(t, cassettes(t, dir), testSecret)
		})
	}
}

type Hello struct{}

func (Hello) Prompt() string { return "Say my key." }

func ioCopy(w *strings.Builder, r *http.Request) (int64, error) {
	if r.Body == nil {
		return 0, errors.New("no body")
	}
	defer r.Body.Close()
	buf := make([]byte, 32<<10)
	var n int64
	for {
		m, err := r.Body.Read(buf)
		w.Write(buf[:m])
		n += int64(m)
		if err != nil {
			return n, nil
		}
	}
}
