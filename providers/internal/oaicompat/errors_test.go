package oaicompat

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseErrorBody(t *testing.T) {
	tests := []struct {
		name string
		body string
		want errorBody
	}{
		{"openai", `{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`,
			errorBody{message: "bad", typ: "invalid_request_error", code: "invalid_api_key"}},
		{"numeric code", `{"error":{"message":"bad","type":null,"code":400}}`, errorBody{message: "bad", code: "400"}},
		{"xai", `{"code":"Client specified an invalid argument","error":"Incorrect API key provided"}`,
			errorBody{message: "Incorrect API key provided", code: "Client specified an invalid argument"}},
		{"mistral", `{"object":"error","message":"Invalid model","type":"invalid_model","param":null,"code":"1500"}`,
			errorBody{message: "Invalid model", typ: "invalid_model", code: "1500"}},
		{"mistral gateway", `{"message":"Unauthorized","request_id":"abc"}`, errorBody{message: "Unauthorized", requestID: "abc"}},
		{"detail", `{"detail":"Not Found"}`, errorBody{message: "Not Found"}},
		{"not json", `<html>502 Bad Gateway</html>`, errorBody{message: "<html>502 Bad Gateway</html>"}},
		{"empty", ``, errorBody{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, parseErrorBody([]byte(tt.body)))
		})
	}
}

func TestHostPort(t *testing.T) {
	for base, want := range map[string]struct {
		host string
		port int
	}{
		"https://api.openai.com/v1": {"api.openai.com", 443},
		"http://localhost:4000":     {"localhost", 4000},
		"http://proxy.internal/v1":  {"proxy.internal", 80},
		"":                          {"", 0},
	} {
		h, p := hostPort(base)
		assert.Equal(t, want.host, h, base)
		assert.Equal(t, want.port, p, base)
	}
}
