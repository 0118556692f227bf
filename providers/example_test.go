package providers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/litellm"
)

type RecommendBook struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (RecommendBook) Template() string { return "Recommend a {genre} book." }

// Every provider takes the shared options. Here a LiteLLM proxy on this
// machine, stood in for by a local server answering as the proxy does: a
// local base URL, a header for the proxy, no retries and a short timeout.
func Example_localBaseURL() {
	answer, err := os.ReadFile("../testdata/litellm/call.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.Path, "X-Team:", r.Header.Get("X-Team"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	defer proxy.Close()

	p := litellm.New("gpt-4o-mini",
		providers.WithBaseURL(proxy.URL), // e.g. http://localhost:4000, LiteLLM's default
		providers.WithHeader("X-Team", "search"),
		providers.WithMaxRetries(0),
		providers.WithTimeout(30*time.Second),
	)
	resp, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "scifi"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp)
	// Output:
	// POST /chat/completions X-Team: search
	// Try "The Fifth Season" by N. K. Jemisin.
}
