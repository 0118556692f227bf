package main

import (
	_ "embed"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

var (
	//go:embed recorded/image.json
	imageAnswer []byte
	//go:embed recorded/document.json
	documentAnswer []byte
)

// replay stands in for OpenAI's Chat Completions: it answers a request
// carrying an image_url part with the recorded description, one carrying a
// file part with the recorded summary, each only when the part is in the
// shape OpenAI takes (a base64 data URL; file_data with a filename), and
// anything else with a 400 as OpenAI would.
func replay() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Messages []struct {
				Content json.RawMessage `json:"content"`
			} `json:"messages"`
		}
		b, _ := io.ReadAll(r.Body)
		var parts []struct {
			Type     string `json:"type"`
			ImageURL struct {
				URL    string `json:"url"`
				Detail string `json:"detail"`
			} `json:"image_url"`
			File struct {
				FileData string `json:"file_data"`
				Filename string `json:"filename"`
			} `json:"file"`
		}
		if json.Unmarshal(b, &body) != nil || len(body.Messages) != 1 || json.Unmarshal(body.Messages[0].Content, &parts) != nil {
			invalid(w, "expected one user message with content parts")
			return
		}
		w.Header().Set("X-Request-Id", "req_offline_replay")
		for _, p := range parts {
			switch {
			case p.Type == "image_url" && strings.HasPrefix(p.ImageURL.URL, "data:image/") && strings.Contains(p.ImageURL.URL, ";base64,"):
				answer(w, imageAnswer)
				return
			case p.Type == "file" && strings.HasPrefix(p.File.FileData, "data:application/pdf;base64,") && p.File.Filename != "":
				answer(w, documentAnswer)
				return
			}
		}
		invalid(w, "expected an image_url part with a base64 data URL, or a file part with PDF file_data and a filename")
	})
}

func answer(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

func invalid(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": "invalid_request_error", "code": nil}})
	_, _ = w.Write(b)
}
