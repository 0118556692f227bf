package otel

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMaskCredentials(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Incorrect API key provided: sk-proj-AbCdEf0123456789xyz. You can find your API key at…",
			"Incorrect API key provided: [REDACTED]. You can find your API key at…"},
		{"invalid x-api-key: sk-ant-api03-AAAAAAAAAAAAAAAAAAAA", "invalid x-api-key: [REDACTED]"},
		{`echo: {"headers":{"Authorization":"Bearer abc.def-ghi_jkl"}}`, `echo: {"headers":{"Authorization":"Bearer [REDACTED]"}}`},
		{"authorization: Bearer tok_0123456789 rest", "authorization: Bearer [REDACTED] rest"},
		{"got bearer 0123456789abcdef", "got bearer [REDACTED]"},
		{"X-Goog-Api-Key=zzzzzz", "X-Goog-Api-Key=[REDACTED]"},
		{"tool failed (panic: x-api-key: abcdef)", "tool failed (panic: x-api-key: [REDACTED])"},
		{"GET /v1/models?alt=sse&key=AIzaSyA-0123456789abcdefghijklmnopqrstu failed", "GET /v1/models?alt=sse&key=[REDACTED] failed"},
		{"key AIzaSyA-0123456789abcdefghijklmnopqrstu rejected", "key [REDACTED] rejected"},
		{"bad key xai-ABCDEFGHIJKLMNOPQRSTUV", "bad key [REDACTED]"},
		{"bad key gsk_ABCDEFGHIJKLMNOPQRSTUV", "bad key [REDACTED]"},
		{"The security token AKIAIOSFODNN7EXAMPLE is invalid", "The security token [REDACTED] is invalid"},
		// Left alone: ordinary text.
		{"rate limit exceeded for task-0123456789abcdefghij", "rate limit exceeded for task-0123456789abcdefghij"},
		{"status 500: internal error", "status 500: internal error"},
		{"the bearer of bad news", "the bearer of bad news"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, maskCredentials(tt.in), tt.in)
	}
}

func TestSafeErrorText(t *testing.T) {
	assert.Equal(t, "caf\uFFFD", safeErrorText("caf\xc3"))
	long := safeErrorText(string(make([]byte, 3*maxErrorText)))
	assert.Equal(t, maxErrorText+len(truncationMark), len(long))
}
