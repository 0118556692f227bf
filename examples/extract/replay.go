package main

import (
	_ "embed"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

var (
	//go:embed recorded/first.json
	first []byte
	//go:embed recorded/corrected.json
	corrected []byte
	//go:embed recorded/stream.sse
	stream []byte
)

// replay answers the OpenAI client as the service did: the first answer,
// then, once the request carries the re-ask, the corrected one; a stream
// gets a valid answer, piece by piece. A request
// without Book's strict json_schema gets the service's 400.
func replay() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Stream   bool `json:"stream"`
			Messages []struct {
				Role    string `json:"role"`
				Content any    `json:"content"`
			} `json:"messages"`
			ResponseFormat struct {
				Type       string `json:"type"`
				JSONSchema struct {
					Name   string `json:"name"`
					Strict bool   `json:"strict"`
				} `json:"json_schema"`
			} `json:"response_format"`
		}
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if json.Unmarshal(b, &body) != nil || body.ResponseFormat.Type != "json_schema" ||
			body.ResponseFormat.JSONSchema.Name != "Book" || !body.ResponseFormat.JSONSchema.Strict {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":{"message":"the replay expects Book's strict json_schema","type":"invalid_request_error","param":"response_format","code":null}}`))
			return
		}
		if body.Stream {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = w.Write(stream)
			return
		}
		last := body.Messages[len(body.Messages)-1]
		if s, ok := last.Content.(string); ok && last.Role == "user" && strings.HasPrefix(s, "Your answer is not valid") {
			_, _ = w.Write(corrected)
			return
		}
		_, _ = w.Write(first)
	})
}
