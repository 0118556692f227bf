package main

import (
	_ "embed"
	"encoding/json"
	"io"
	"net/http"
)

var (
	//go:embed recorded/tool_calls.json
	toolCalls []byte
	//go:embed recorded/answer.json
	answer []byte
)

// replay answers the OpenAI client as the service did: the tool calls first,
// then, once the request carries the tools' results, the answer. A request
// that does not offer the tool gets the service's 400.
func replay() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Messages []struct {
				Role string `json:"role"`
			} `json:"messages"`
			Tools []struct {
				Function struct {
					Name string `json:"name"`
				} `json:"function"`
			} `json:"tools"`
		}
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if json.Unmarshal(b, &body) != nil || len(body.Tools) != 1 || body.Tools[0].Function.Name != "get_author" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":{"message":"the replay expects the get_author tool","type":"invalid_request_error","param":"tools","code":null}}`))
			return
		}
		for _, m := range body.Messages {
			if m.Role == "tool" {
				_, _ = w.Write(answer)
				return
			}
		}
		_, _ = w.Write(toolCalls)
	})
}
