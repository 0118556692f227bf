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

// Fields the library does not model go on the wire as they are, at the top
// level of the request body.
func ExampleWithExtraBody() {
	answer, err := os.ReadFile("../../testdata/openai/call.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Logprobs         bool    `json:"logprobs"`
			TopLogprobs      int     `json:"top_logprobs"`
			FrequencyPenalty float64 `json:"frequency_penalty"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		fmt.Println(body.Logprobs, body.TopLogprobs, body.FrequencyPenalty)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	defer api.Close()

	p := openai.New("gpt-4o-mini", providers.WithBaseURL(api.URL), providers.WithAPIKey("sk-example"))
	_, err = mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"},
		openai.WithExtraBody(map[string]any{"logprobs": true, "top_logprobs": 2}),
		openai.WithExtraBody(map[string]any{"frequency_penalty": 0.5}))
	fmt.Println(err)
	// Output:
	// true 2 0.5
	// <nil>
}
