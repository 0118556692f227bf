// Package secretstest holds the credential shapes every layer's tests check
// are masked: in errors (providers), spans (otel) and cassettes (replay).
package secretstest

// A Shape is a text quoting a credential of a known shape.
type Shape struct {
	Name string
	// Text quotes Credential as a service or a proxy might.
	Text string
	// Credential is what must not be let out.
	Credential string
}

// Shapes are the credential shapes the pattern set masks, whoever's they
// are. Each was left unmasked by one of the two pattern sets that existed
// before there was one: otel's missed ABSK and a short sk- key, providers'
// missed Google's ?key= parameter.
var Shapes = []Shape{
	{"bedrock api key", "invalid token ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlMDAw for this account", "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlMDAw"},
	{"short sk key", "Incorrect API key provided: sk-abcdefghijkl.", "sk-abcdefghijkl"},
	{"google key parameter", "POST /v1beta/models/gemini:generateContent?key=my-google-key-00042 failed", "my-google-key-00042"},
	{"key parameter after another", "GET /v1/models?alt=sse&key=other-google-key-00042 denied", "other-google-key-00042"},
	{"openai project key", "key sk-proj-Abc123def456ghi789jkl012 revoked", "sk-proj-Abc123def456ghi789jkl012"},
	{"anthropic key in a header echo", `echo {"x-api-key":"sk-ant-api03-abcdefghijklmnop"}`, "sk-ant-api03-abcdefghijklmnop"},
	{"bearer token", "upstream said: Authorization: Bearer tok_live_0123456789", "tok_live_0123456789"},
	{"bare bearer", "rejected bearer zyxwvutsrq987654", "zyxwvutsrq987654"},
	{"groq key", "bad key gsk_ABCDEFGHIJKLMNOPQRSTUV", "gsk_ABCDEFGHIJKLMNOPQRSTUV"},
	{"xai key", "bad key xai-ABCDEFGHIJKLMNOPQRSTUV", "xai-ABCDEFGHIJKLMNOPQRSTUV"},
	{"google api key", "key AIzaSyA-0123456789abcdefghijklmnopqrstu rejected", "AIzaSyA-0123456789abcdefghijklmnopqrstu"},
	{"aws access key id", "The security token AKIAIOSFODNN7EXAMPLE is invalid", "AKIAIOSFODNN7EXAMPLE"},
	{"goog header", "X-Goog-Api-Key=zzzzzz-goog", "zzzzzz-goog"},
	{"api_key parameter", "GET /v1/x?api_key=qwertyuiop123&y=1", "qwertyuiop123"},
	{"aws session token header", "x-amz-security-token: FwoGZXIvYXdzEXAMPLETOKEN", "FwoGZXIvYXdzEXAMPLETOKEN"},
}
