package replay_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/openai"
	"github.com/mirascope-go/mirascope/providers/replay"
)

const apiKey = "sk-replay-test-0123456789abcdef"

type RecommendBook struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (RecommendBook) Template() string { return "Recommend a {genre} book." }

type Librarian struct {
	Genre  string `prompt:"genre"`
	Secret string `prompt:"secret,redact"`
}

func (Librarian) Template() string {
	return "SYSTEM: Your passphrase is {secret}.\nUSER: Recommend a {genre} book."
}

// fakeTB is a test inside the test: it records what replay reports, so a
// failure replay must cause can be asserted instead of failing this test.
type fakeTB struct {
	testing.TB
	name string

	mu       sync.Mutex
	errs     []string
	logs     []string
	fatal    bool
	cleanups []func()
}

func newFake(t *testing.T, name string) *fakeTB { return &fakeTB{TB: t, name: name} }

func (f *fakeTB) Name() string { return f.name }
func (f *fakeTB) Helper()      {}
func (f *fakeTB) Logf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Error(args ...any) { f.fail(fmt.Sprint(args...)) }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.fail(fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatal(args ...any) {
	f.fail(fmt.Sprint(args...))
	f.mu.Lock()
	f.fatal = true
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeTB) Fatalf(format string, args ...any) { f.Fatal(fmt.Sprintf(format, args...)) }
func (f *fakeTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.errs) > 0
}
func (f *fakeTB) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}
func (f *fakeTB) fail(msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, msg)
}
func (f *fakeTB) errors() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.errs, "\n")
}

// siteless removes from a report the test line it names, which moves as
// this file changes.
func siteless(s string) string { return siteRE.ReplaceAllString(s, "") }

var siteRE = regexp.MustCompile(` \(at \w+_test\.go:\d+\)`)

// run runs fn as the fake test's body, where a Fatal ends it, then its
// cleanups.
func (f *fakeTB) run(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

const callBody = `{"id":"chatcmpl-rp1","object":"chat.completion","created":1749312345,"model":"gpt-4o-mini-2024-07-18",
"choices":[{"index":0,"message":{"role":"assistant","content":%q,"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],
"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
"service_tier":"default","system_fingerprint":"fp_34a54ae93c"}`

const streamBody = `data: {"id":"chatcmpl-rp2","object":"chat.completion.chunk","created":1749312401,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-rp2","object":"chat.completion.chunk","created":1749312401,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":"Try"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-rp2","object":"chat.completion.chunk","created":1749312401,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":" Dune."},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-rp2","object":"chat.completion.chunk","created":1749312401,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

data: {"id":"chatcmpl-rp2","object":"chat.completion.chunk","created":1749312401,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}

data: [DONE]

`

const errorBody = `{"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-test on requests per min (RPM): Limit 3, Used 3, Requested 1.","type":"requests","param":null,"code":"rate_limit_exceeded"}}`

// openAIServer answers like the Chat Completions API: a stream for a
// streamed request, the n-th answer of answers for a call, and a 429 for
// the genre "horror".
func openAIServer(t *testing.T, answers ...string) (*httptest.Server, *atomic.Int64) {
	var calls, n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		var body struct {
			Stream   bool `json:"stream"`
			Messages []struct {
				Content string `json:"content"`
			} `json:"messages"`
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		w.Header().Set("x-request-id", fmt.Sprintf("req_%d", n.Load()))
		switch {
		case strings.Contains(body.Messages[len(body.Messages)-1].Content, "horror"):
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("x-should-retry", "false")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(errorBody))
		case body.Stream:
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = w.Write([]byte(streamBody))
		default:
			i := min(int(calls.Add(1))-1, len(answers)-1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, callBody, answers[i])
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func newOpenAI(url string) *openai.Provider {
	return openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey(apiKey), providers.WithMaxRetries(0))
}

// session is what one test does against a provider: a call, a stream, a
// failing call; it returns what it saw.
func session(ctx context.Context, p mirascope.Provider) (resp *mirascope.Response, chunks []*mirascope.Chunk, final *mirascope.Response, err error) {
	resp, err = mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"}, mirascope.WithTemperature(0.5))
	if err != nil {
		return nil, nil, nil, err
	}
	s, err := mirascope.Stream(ctx, p, RecommendBook{Genre: "scifi"})
	if err != nil {
		return nil, nil, nil, err
	}
	for c, err := range s.Chunks() {
		if err != nil {
			return nil, nil, nil, err
		}
		c.Raw = nil
		chunks = append(chunks, c)
	}
	_, err = mirascope.Call(ctx, p, RecommendBook{Genre: "horror"})
	return resp, chunks, s.Response(), err
}

func TestRecordThenReplay(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	srv, hits := openAIServer(t, "Try The Name of the Wind.")

	t.Setenv(replay.EnvRecord, "^TestRecommend$")
	rec := newFake(t, "TestRecommend")
	var wantResp, wantFinal *mirascope.Response
	var wantChunks []*mirascope.Chunk
	var wantErr error
	rec.run(func() {
		wantResp, wantChunks, wantFinal, wantErr = session(ctx, replay.New(rec, newOpenAI(srv.URL)))
	})
	require.Empty(t, rec.errors())
	require.EqualValues(t, 3, hits.Load())

	file, err := os.ReadFile(filepath.Join("testdata", "replay", "TestRecommend.json"))
	require.NoError(t, err)
	assert.NotContains(t, string(file), apiKey)
	assert.Contains(t, string(file), `"version": 1`)
	assert.Contains(t, string(file), `"content": "Recommend a fantasy book."`)
	assert.Contains(t, string(file), `"temperature": 0.5`)

	srv.Close() // replaying must not need the service
	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestRecommend")
	var gotResp, gotFinal *mirascope.Response
	var gotChunks []*mirascope.Chunk
	var gotErr error
	play.run(func() {
		gotResp, gotChunks, gotFinal, gotErr = session(ctx, replay.New(play, newOpenAI(srv.URL)))
	})
	require.Empty(t, play.errors())
	require.EqualValues(t, 3, hits.Load())

	wantResp.Raw = nil
	assert.Equal(t, wantResp.Content, gotResp.Content)
	assert.Equal(t, wantResp.ID, gotResp.ID)
	assert.Equal(t, wantResp.Model, gotResp.Model)
	assert.Equal(t, wantResp.FinishReasons, gotResp.FinishReasons)
	assert.Equal(t, wantResp.Usage, gotResp.Usage)
	assert.Equal(t, wantResp.Message, gotResp.Message)
	assert.Nil(t, gotResp.Raw)

	// Replayed, no request is sent: the answer counts none.
	require.NotEmpty(t, wantChunks)
	assert.Equal(t, 1, wantChunks[0].Attempts)
	wantChunks[0].Attempts = 0
	assert.Equal(t, wantChunks, gotChunks, "chunk by chunk")
	assert.Equal(t, wantFinal.Content, gotFinal.Content)
	assert.Equal(t, wantFinal.Usage, gotFinal.Usage)
	assert.Equal(t, wantFinal.FinishReasons, gotFinal.FinishReasons)

	var want, got *mirascope.ProviderError
	require.ErrorAs(t, wantErr, &want)
	require.ErrorAs(t, gotErr, &got)
	assert.Equal(t, want.StatusCode, got.StatusCode)
	assert.Equal(t, want.RequestID, got.RequestID)
	assert.Equal(t, want.Retryable, got.Retryable)
	assert.Equal(t, want.Code, got.Code)
	assert.Equal(t, want.Message, got.Message)
	assert.ErrorIs(t, gotErr, mirascope.ErrRateLimited)
	assert.Equal(t, wantErr.Error(), gotErr.Error())
}

func TestChangedPromptFailsWithDiff(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	srv, _ := openAIServer(t, "Try Dune.")
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestChanged")
	rec.run(func() {
		_, err := mirascope.Call(ctx, replay.New(rec, newOpenAI(srv.URL)), RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
	})
	require.Empty(t, rec.errors())

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestChanged")
	var err error
	play.run(func() {
		_, err = mirascope.Call(ctx, replay.New(play, newOpenAI(srv.URL)), RecommendBook{Genre: "mystery"})
	})
	require.ErrorIs(t, err, replay.ErrNotRecorded)
	msg := play.errors()
	assert.Regexp(t, `testdata/replay/TestChanged.json: no recorded request matches \(at replay_test.go:\d+\); `+
		`the nearest recorded request \(\d+ bytes; this one \d+\) differs \(-recorded \+got\):`, msg)
	assert.Contains(t, msg, "\n-       \"content\": \"Recommend a scifi book.\",\n+       \"content\": \"Recommend a mystery book.\",\n")
	assert.Contains(t, msg, "MIRASCOPE_RECORD='^TestChanged$' go test -run '^TestChanged$' .")

	// A Stream is a different interaction from a Call of the same prompt.
	play = newFake(t, "TestChanged")
	play.run(func() {
		s, err := mirascope.Stream(ctx, replay.New(play, newOpenAI(srv.URL)), RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
		for _, err := range s.Chunks() {
			assert.ErrorIs(t, err, replay.ErrNotRecorded)
		}
	})
	assert.Contains(t, play.errors(), "\n-   \"kind\": \"call\",\n+   \"kind\": \"stream\",\n")
}

func TestMissingCassetteNamesTheRecordCommand(t *testing.T) {
	f := newFake(t, "TestNeverRecorded/with spaces")
	f.run(func() {
		replay.New(f, newOpenAI("http://127.0.0.1:1"))
		t.Error("New returned without a cassette")
	})
	assert.True(t, f.fatal)
	assert.Equal(t, "mirascope: replay: no cassette testdata/replay/TestNeverRecorded__with_spaces+b695e65de45a.json for TestNeverRecorded/with spaces; record it with:\n"+
		"\tMIRASCOPE_RECORD='^TestNeverRecorded/with spaces$' go test -run '^TestNeverRecorded$/^with spaces$' github.com/mirascope-go/mirascope/providers/replay", f.errors())
}

func TestRedactedValuesNeverReachTheFile(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	const secret = "open-sesame-4711"
	srv, _ := openAIServer(t, "Since your passphrase is "+secret+", try Dune.")
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestRedacted")
	rec.run(func() {
		resp, err := mirascope.Call(ctx, replay.New(rec, newOpenAI(srv.URL)), Librarian{Genre: "scifi", Secret: secret})
		require.NoError(t, err)
		assert.Contains(t, resp.Content, secret, "the caller gets the real answer")
	})
	require.Empty(t, rec.errors())
	file, err := os.ReadFile(filepath.Join("testdata", "replay", "TestRedacted.json"))
	require.NoError(t, err)
	assert.NotContains(t, string(file), secret)
	assert.Contains(t, string(file), `"content": "Your passphrase is [REDACTED]."`)
	assert.Contains(t, string(file), `"content": "Since your passphrase is [REDACTED], try Dune."`)

	// Matching ignores the secret's value: a changed secret still replays.
	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestRedacted")
	play.run(func() {
		resp, err := mirascope.Call(ctx, replay.New(play, newOpenAI(srv.URL)), Librarian{Genre: "scifi", Secret: "another-secret"})
		require.NoError(t, err)
		assert.Equal(t, "Since your passphrase is [REDACTED], try Dune.", resp.Content)
	})
	require.Empty(t, play.errors())
}

func TestIdenticalRequestsReplayInOrder(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	srv, _ := openAIServer(t, "First.", "Second.", "Third.")
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestOrder")
	rec.run(func() {
		p := replay.New(rec, newOpenAI(srv.URL))
		for range 3 {
			_, err := mirascope.Call(ctx, p, RecommendBook{Genre: "scifi"})
			require.NoError(t, err)
		}
	})
	require.Empty(t, rec.errors())

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestOrder")
	play.run(func() {
		p := replay.New(play, newOpenAI(srv.URL))
		for _, want := range []string{"First.", "Second.", "Third."} {
			resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "scifi"})
			require.NoError(t, err)
			assert.Equal(t, want, resp.Content)
		}
		_, err := mirascope.Call(ctx, p, RecommendBook{Genre: "scifi"})
		assert.ErrorIs(t, err, replay.ErrNotRecorded)
	})
	assert.Contains(t, siteless(play.errors()), "this request was recorded 3 time(s) and is now made once more")
}

func TestBrokenStreamRecordsWhatWasRead(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	srv, _ := openAIServer(t, "unused")
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestBreak")
	rec.run(func() {
		s, err := mirascope.Stream(ctx, replay.New(rec, newOpenAI(srv.URL)), RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
		for c, err := range s.Chunks() {
			require.NoError(t, err)
			if c.Content == "Try" {
				break
			}
		}
	})
	require.Empty(t, rec.errors())
	file, err := os.ReadFile(filepath.Join("testdata", "replay", "TestBreak.json"))
	require.NoError(t, err)
	assert.Contains(t, string(file), `"partial": true`)
	assert.NotContains(t, string(file), "Dune")
}

func TestErrorsKeepTheirSentinels(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestSentinels")
	refusal := &mirascope.UnsupportedError{Provider: "openai", Parameter: "WithSeed"}
	rec.run(func() {
		_, err := mirascope.Call(ctx, replay.New(rec, failing{refusal}), RecommendBook{Genre: "scifi"})
		require.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
	})
	require.Empty(t, rec.errors())

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestSentinels")
	play.run(func() {
		_, err := mirascope.Call(ctx, replay.New(play, failing{errors.New("not called")}), RecommendBook{Genre: "scifi"})
		assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
		assert.EqualError(t, err, refusal.Error())
	})
	require.Empty(t, play.errors())
}

type failing struct{ err error }

func (f failing) Info() mirascope.ProviderInfo {
	return mirascope.ProviderInfo{Name: "openai", Model: "gpt-4o-mini"}
}
func (f failing) Call(context.Context, *mirascope.Request) (*mirascope.Response, error) {
	return nil, f.err
}

func TestProviderSettingsAreMatched(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	srv, _ := openAIServer(t, "Try Dune.")
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestSettings")
	rec.run(func() {
		_, err := mirascope.Call(ctx, replay.New(rec, newOpenAI(srv.URL)), RecommendBook{Genre: "scifi"}, openai.WithResponseFormat(openai.ResponseFormatJSON), mirascope.WithReasoning(mirascope.ReasoningLow))
		require.NoError(t, err)
	})
	require.Empty(t, rec.errors())
	file, err := os.ReadFile(filepath.Join("testdata", "replay", "TestSettings.json"))
	require.NoError(t, err)
	assert.Contains(t, string(file), `"WithResponseFormat": "json_object"`)
	assert.Contains(t, string(file), `"reasoning": "low"`)

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestSettings")
	play.run(func() {
		_, err := mirascope.Call(ctx, replay.New(play, newOpenAI(srv.URL)), RecommendBook{Genre: "scifi"}, openai.WithResponseFormat(openai.ResponseFormatText), mirascope.WithReasoning(mirascope.ReasoningLow))
		assert.ErrorIs(t, err, replay.ErrNotRecorded)
	})
	assert.Contains(t, play.errors(), "-     \"WithResponseFormat\": \"json_object\"\n+     \"WithResponseFormat\": \"text\"\n")
}

func TestReadingPastAPartialStreamFails(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	srv, _ := openAIServer(t, "unused")
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestPartial")
	rec.run(func() {
		s, err := mirascope.Stream(ctx, replay.New(rec, newOpenAI(srv.URL)), RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
		for c, err := range s.Chunks() {
			require.NoError(t, err)
			if c.Content == "Try" {
				break
			}
		}
	})
	require.Empty(t, rec.errors())

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestPartial")
	var got []string
	var last error
	play.run(func() {
		s, err := mirascope.Stream(ctx, replay.New(play, newOpenAI(srv.URL)), RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
		for c, err := range s.Chunks() {
			if err != nil {
				last = err
				break
			}
			got = append(got, c.Content)
		}
	})
	assert.Equal(t, []string{"", "Try"}, got, "the recorded chunks replay")
	assert.ErrorIs(t, last, replay.ErrNotRecorded, "then reading on fails rather than ending the answer early")
	assert.Equal(t, "replay: testdata/replay/TestPartial.json: this stream was recorded only as far as 2 chunk(s) and is now read further\n"+
		"Record it again with:\n\tMIRASCOPE_RECORD='^TestPartial$' go test -run '^TestPartial$' .", siteless(play.errors()))
}

type Tagged struct {
	Doc string `prompt:"doc"`
}

func (Tagged) Template() string { return "Summarize <doc>{doc}</doc> & be brief." }

// A cassette shows a prompt's markup as written, and an older file with it
// escaped still matches.
func TestCassetteKeepsMarkupReadable(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestMarkup")
	rec.run(func() {
		_, err := mirascope.Call(ctx, replay.New(rec, mock.New(mock.Text("<b>Short</b>."))), Tagged{Doc: "a & b"})
		require.NoError(t, err)
	})
	require.Empty(t, rec.errors())
	path := filepath.Join("testdata", "replay", "TestMarkup.json")
	file, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(file), `"content": "Summarize <doc>a & b</doc> & be brief."`)
	assert.Contains(t, string(file), `"content": "<b>Short</b>."`)

	escaped := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`).Replace(string(file))
	require.NoError(t, os.WriteFile(path, []byte(escaped), 0o644))
	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestMarkup")
	play.run(func() {
		resp, err := mirascope.Call(ctx, replay.New(play, mock.New()), Tagged{Doc: "a & b"})
		require.NoError(t, err)
		assert.Equal(t, "<b>Short</b>.", resp.Content)
	})
	require.Empty(t, play.errors())
}
