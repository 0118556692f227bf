package bedrock_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/bedrock"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

const (
	modelID   = "anthropic.claude-3-5-haiku-20241022-v1:0"
	escaped   = "anthropic.claude-3-5-haiku-20241022-v1%3A0"
	requestID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
	accessKey = "AKIDTESTFAKEKEY00000"
)

// cleanAWSEnv keeps the developer's AWS setup out of the tests: no
// variables, no shared files, no instance metadata lookups.
func cleanAWSEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_BEARER_TOKEN_BEDROCK", "AWS_ENDPOINT_URL",
		"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_CA_BUNDLE",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_SDK_LOAD_CONFIG",
		"AWS_ENDPOINT_URL_BEDROCK", "AWS_ENDPOINT_URL_S3", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
	} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	return replaytest.Fixture(t, "bedrock", name)
}

// eventStream encodes a .jsonl fixture with the SDK's own event-stream
// encoder, one message per line.
func eventStream(t testing.TB, name string) []byte {
	t.Helper()
	var out bytes.Buffer
	enc := eventstream.NewEncoder()
	sc := bufio.NewScanner(bytes.NewReader(fixture(t, name)))
	for sc.Scan() {
		var line struct {
			Type    string          `json:"type"`
			Name    string          `json:"name"`
			Payload json.RawMessage `json:"payload"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line))
		var msg eventstream.Message
		msg.Headers.Set(":message-type", eventstream.StringValue(line.Type))
		if line.Type == "exception" {
			msg.Headers.Set(":exception-type", eventstream.StringValue(line.Name))
		} else {
			msg.Headers.Set(":event-type", eventstream.StringValue(line.Name))
		}
		msg.Headers.Set(":content-type", eventstream.StringValue("application/json"))
		msg.Payload = line.Payload
		require.NoError(t, enc.Encode(&out, msg))
	}
	require.NoError(t, sc.Err())
	return out.Bytes()
}

// jsonReply answers as Converse does.
func jsonReply(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func newProvider(t *testing.T, s *replaytest.Server, opts ...providers.Option) *bedrock.Provider {
	t.Helper()
	cleanAWSEnv(t)
	return bedrock.New(modelID, append([]providers.Option{
		providers.WithBaseURL(s.URL), bedrock.WithRegion("us-east-1"),
		bedrock.WithCredentials(credentials.NewStaticCredentialsProvider(accessKey, "fake-secret-key", "")),
		providers.WithMaxRetries(0),
	}, opts...)...)
}

type recommend struct{ Genre string }

func (r recommend) Prompt() string { return "Recommend a " + r.Genre + " book." }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
