package secrets_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope/internal/secrets"
)

func TestMaskURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a.png", "https://example.com/a.png"},
		{"https://example.com/a.png?size=large&page=2#top", "https://example.com/a.png?size=large&page=2#top"},
		{"https://bucket.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101&X-Amz-Signature=abc123def&X-Amz-Security-Token=FwoG",
			"https://bucket.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]&X-Amz-Security-Token=[REDACTED]"},
		{"https://storage.googleapis.com/b/o?X-Goog-Signature=c2VjcmV0#frag", "https://storage.googleapis.com/b/o?X-Goog-Signature=[REDACTED]#frag"},
		{"https://acct.blob.core.windows.net/c/a.pdf?sv=2024&sig=c2Vj%3D", "https://acct.blob.core.windows.net/c/a.pdf?sv=2024&sig=[REDACTED]"},
		{"https://api.example.com/f?key=AIzaSyA-0123456789abcdefghijklmnopqrstu", "https://api.example.com/f?key=[REDACTED]"},
		{"data:image/png;base64,c2lnPXNlY3JldA==", "data:image/png;base64,c2lnPXNlY3JldA=="},
		{"gs://bucket/sk-0123456789abcdef.png", "gs://bucket/[REDACTED].png"},
		{"https://u:pa55word@example.com/a.png?sig=x", "https://u:[REDACTED]@example.com/a.png?sig=[REDACTED]"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, secrets.MaskURL(tt.in), tt.in)
	}
}

// A signed URL quoted in a text (a service's error that could not fetch
// it) has its signing parameters masked by MaskCredentials too.
func TestMaskCredentialsSignedURLInText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Error while downloading https://b.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIDX%2F2026&X-Amz-Signature=abc123def.`,
			`Error while downloading https://b.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4&X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]`},
		{`{"message":"cannot fetch https://s.example/o?X-Goog-Signature=c2VjcmV0\u0026x-goog-credential=svc%40p"}`,
			`{"message":"cannot fetch https://s.example/o?X-Goog-Signature=[REDACTED]\u0026x-goog-credential=[REDACTED]"}`},
		{`url 'https://a.blob.core.windows.net/c/a.pdf?sv=2024&sig=c2Vj%3D' refused`, `url 'https://a.blob.core.windows.net/c/a.pdf?sv=2024&sig=[REDACTED]' refused`},
		{`https://cdn.example/v?Signature=QWERTY&Key-Pair-Id=K1&token=t0ken`, `https://cdn.example/v?Signature=[REDACTED]&Key-Pair-Id=K1&token=[REDACTED]`},
		{`the sig=value in prose and ?size=2&signal=on stay`, `the sig=value in prose and ?size=2&signal=on stay`},
		{`fetch https://user:hunter2pass@example.com/a.png failed`, `fetch https://user:[REDACTED]@example.com/a.png failed`},
		{`s3://:p4ss@b/o and http://host:8080/x and mailto:a@b`, `s3://:[REDACTED]@b/o and http://host:8080/x and mailto:a@b`},
	}
	for _, tt := range tests {
		got := secrets.MaskCredentials(tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, got, secrets.MaskCredentials(got), "idempotent")
	}
}
