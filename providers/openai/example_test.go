package openai_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/openai"
)

type RecommendBook struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (RecommendBook) Template() string { return "Recommend a {genre} book." }

// A call to Chat Completions. Without WithBaseURL and WithAPIKey it would go
// to api.openai.com with OPENAI_API_KEY, a paid call; here a local server
// answers with a response recorded from the API.
func Example() {
	answer, err := os.ReadFile("../../testdata/openai/call.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Model               string `json:"model"`
			MaxCompletionTokens int    `json:"max_completion_tokens"`
			Messages            []struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"messages"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		fmt.Println(r.URL.Path, body.Model, body.MaxCompletionTokens, body.Messages[0].Role+":", body.Messages[0].Content)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req_example")
		_, _ = w.Write(answer)
	}))
	defer api.Close()

	p := openai.New("gpt-4o-mini", providers.WithBaseURL(api.URL), providers.WithAPIKey("sk-example"))
	resp, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"}, mirascope.WithMaxTokens(256))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp)
	fmt.Println(resp.Model, resp.FinishReasons, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	// Output:
	// /chat/completions gpt-4o-mini 256 user: Recommend a fantasy book.
	// Try "The Name of the Wind" by Patrick Rothfuss: a lyrical, character-driven fantasy about a gifted young musician and magician.
	// gpt-4o-mini-2024-07-18 [stop] 61 31
}
