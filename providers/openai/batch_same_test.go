package openai_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
	"github.com/mirascope-go/mirascope/providers/openai"
)

type richAsk struct{ Q string }

func (a richAsk) Messages() []prompt.Message {
	return []prompt.Message{
		prompt.System("You recommend books."),
		{Role: prompt.RoleUser, Parts: []prompt.Part{prompt.Text(a.Q + " <b>&</b>"), prompt.ImageURL("https://example.com/cover.png")}},
	}
}

// A batch line's body is byte for byte the body Call sends, every portable
// setting, a tool, a format, media, reasoning and extra body fields
// included.
func TestBatchLineIsCallBody(t *testing.T) {
	var callBody []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		callBody, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"o4-mini","choices":[{"index":0,"message":{"role":"assistant","content":"{}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`)
	}))
	defer srv.Close()
	tool := mirascope.NewTool("lookup", "Looks a book up.", func(_ context.Context, in struct {
		Title string `json:"title"`
	}) (string, error) {
		return in.Title, nil
	})
	opts := []mirascope.CallOption{
		mirascope.WithMaxTokens(300), mirascope.WithStop("END"), mirascope.WithSeed(7),
		mirascope.WithReasoning(mirascope.ReasoningLow), mirascope.WithTools(tool),
		func(r *mirascope.Request) {
			r.Format = &mirascope.Format{Name: "Book", Schema: json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"}},"required":["title"],"additionalProperties":false}`)}
		},
		openai.WithExtraBody(map[string]any{"service_tier": "flex", "metadata": map[string]any{"run": "7"}}),
	}
	p := openai.New("o4-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL))
	_, err := mirascope.Call(context.Background(), p, richAsk{"a fantasy"}, opts...)
	require.NoError(t, err)

	f, bsrv := newFakeBatches(t)
	bp := openai.New("o4-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(bsrv.URL))
	_, err = batch.Submit(context.Background(), bp, []richAsk{{"a fantasy"}}, opts...)
	require.NoError(t, err)
	var line struct {
		Body json.RawMessage `json:"body"`
	}
	require.Len(t, f.files, 1)
	for _, data := range f.files {
		require.NoError(t, json.Unmarshal(data, &line))
	}
	assert.JSONEq(t, string(callBody), string(line.Body))
	assert.Equal(t, string(callBody), string(line.Body), "the very bytes")
}

type partsAsk struct{ Parts []prompt.Part }

func (a partsAsk) Messages() []prompt.Message {
	return []prompt.Message{{Role: prompt.RoleUser, Parts: a.Parts}}
}

// A prompt that renders but that the service cannot take (audio by URL on
// Chat Completions) is a *batch.PromptError naming its index, as a prompt
// that does not render is, and nothing is uploaded; the provider's own
// error is inside it, and its text starts with the one prefix.
func TestBatchRefusedPromptNamesItsIndex(t *testing.T) {
	f, srv := newFakeBatches(t)
	prompts := []partsAsk{
		{[]prompt.Part{prompt.Text("one")}},
		{[]prompt.Part{prompt.Text("two"), prompt.AudioURL("https://example.com/a.wav")}},
	}
	_, err := batch.Submit(context.Background(), newOpenAI(srv.URL), prompts)
	var pe *batch.PromptError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Index)
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Regexp(t, `^mirascope: batch: prompt 1: mirascope: openai: `, err.Error())
	assert.Empty(t, f.files)
}
