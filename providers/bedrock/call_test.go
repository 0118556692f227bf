package bedrock_test

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/bedrock"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestCallRequestAndResponse(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, fixture(t, "converse.json")) })
	p := newProvider(t, s, providers.WithHeader("X-Team", "books"))
	req := &mirascope.Request{Messages: []prompt.Message{
		prompt.System("You are a librarian."),
		prompt.User("Find me fantasy books."),
		{Role: prompt.RoleAssistant, Content: "Searching.", ToolCalls: []prompt.ToolCall{{ID: "tooluse_1", Name: "search_books", Arguments: `{"genre":"fantasy"}`}}},
		prompt.ToolResult("tooluse_1", `["Mistborn"]`),
		prompt.User("Pick one."),
	}}
	mirascope.WithMaxTokens(256)(req)
	mirascope.WithTemperature(0.5)(req)
	mirascope.WithTopP(0.75)(req)
	mirascope.WithStop("END")(req)
	bedrock.WithAdditionalModelRequestFields(map[string]any{"top_k": 40})(req)
	resp, err := p.Call(context.Background(), req)
	require.NoError(t, err)

	got := s.Requests()
	require.Len(t, got, 1)
	assert.Equal(t, http.MethodPost, got[0].Method)
	assert.Equal(t, "/model/"+escaped+"/converse", got[0].EscapedPath)
	auth := got[0].Header.Get("Authorization")
	assert.True(t, strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+accessKey+"/"), auth)
	assert.Contains(t, auth, "/us-east-1/bedrock/aws4_request")
	assert.Contains(t, auth, "SignedHeaders=")
	assert.NotEmpty(t, got[0].Header.Get("X-Amz-Date"))
	assert.Equal(t, "books", got[0].Header.Get("X-Team"))
	assert.Equal(t, "application/json", got[0].Header.Get("Content-Type"))
	assert.JSONEq(t, `{
		"messages": [
			{"role": "user", "content": [{"text": "Find me fantasy books."}]},
			{"role": "assistant", "content": [
				{"text": "Searching."},
				{"toolUse": {"toolUseId": "tooluse_1", "name": "search_books", "input": {"genre": "fantasy"}}}
			]},
			{"role": "user", "content": [
				{"toolResult": {"toolUseId": "tooluse_1", "content": [{"text": "[\"Mistborn\"]"}]}},
				{"text": "Pick one."}
			]}
		],
		"system": [{"text": "You are a librarian."}],
		"inferenceConfig": {"maxTokens": 256, "temperature": 0.5, "topP": 0.75, "stopSequences": ["END"]},
		"additionalModelRequestFields": {"top_k": 40}
	}`, string(got[0].Body))

	assert.Equal(t, `I recommend "The Name of the Wind" by Patrick Rothfuss.`, resp.Content)
	assert.Equal(t, modelID, resp.Model)
	assert.Equal(t, requestID, resp.ID)
	assert.Equal(t, []string{"end_turn"}, resp.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 18 + 1024, OutputTokens: 17, CacheReadTokens: 1024}, resp.Usage)
	assert.Equal(t, prompt.Assistant(resp.Content), resp.Message)
	_, ok := resp.Raw.(*bedrockruntime.ConverseOutput)
	assert.True(t, ok, "Raw is %T", resp.Raw)
}

func TestCallOnlySetParamsAndModelOverride(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, fixture(t, "converse.json")) })
	resp, err := mirascope.Call(context.Background(), newProvider(t, s), recommend{"fantasy"}, mirascope.WithModel("us.amazon.nova-lite-v1:0"))
	require.NoError(t, err)
	assert.Equal(t, "us.amazon.nova-lite-v1:0", resp.Model)
	got := s.Requests()[0]
	assert.Equal(t, "/model/us.amazon.nova-lite-v1%3A0/converse", got.EscapedPath)
	assert.JSONEq(t, `{"messages":[{"role":"user","content":[{"text":"Recommend a fantasy book."}]}]}`, string(got.Body))
}

func TestCallToolUse(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, fixture(t, "converse_tool.json")) })
	resp, err := newProvider(t, s).Call(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.User("fantasy?")}})
	require.NoError(t, err)
	assert.Equal(t, []string{"tool_use"}, resp.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 402, OutputTokens: 63}, resp.Usage)
	assert.Equal(t, prompt.Message{Role: prompt.RoleAssistant, Content: "Let me search for fantasy books.", ToolCalls: []prompt.ToolCall{
		{ID: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
	}}, resp.Message)
}

func TestSeedIsRefusedBeforeAnyRequest(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, fixture(t, "converse.json")) })
	p := newProvider(t, s)
	_, err := mirascope.Call(context.Background(), p, recommend{"fantasy"}, mirascope.WithSeed(7))
	require.ErrorIs(t, err, bedrock.ErrUnsupportedParameter)
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.EqualError(t, err, "mirascope: aws.bedrock: WithSeed is not supported: Converse has no seed; pass it as the model's own field with bedrock.WithAdditionalModelRequestFields")
	st, err := mirascope.Stream(context.Background(), p, recommend{"fantasy"}, mirascope.WithSeed(7))
	require.NoError(t, err)
	for _, err := range st.Chunks() {
		assert.ErrorIs(t, err, bedrock.ErrUnsupportedParameter)
	}
	assert.Empty(t, s.Requests())
}

func TestMaxTokensOutOfRangeIsRefused(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, fixture(t, "converse.json")) })
	p := newProvider(t, s)
	for _, n := range []int{0, -1} { // no service takes them
		_, err := mirascope.Call(context.Background(), p, recommend{"fantasy"}, mirascope.WithMaxTokens(n))
		var oe *mirascope.OptionError
		require.ErrorAs(t, err, &oe, n)
		assert.Equal(t, "WithMaxTokens", oe.Option)
	}
	_, err := mirascope.Call(context.Background(), p, recommend{"fantasy"}, mirascope.WithMaxTokens(1<<31))
	require.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "WithMaxTokens", ue.Parameter)
	assert.Contains(t, err.Error(), "Converse takes at most 2147483647 tokens")
	assert.Empty(t, s.Requests(), "nothing was sent")
}

func TestInfo(t *testing.T) {
	cleanAWSEnv(t)
	info := bedrock.New(modelID, bedrock.WithRegion("eu-west-3")).Info()
	assert.Equal(t, mirascope.ProviderInfo{Name: "aws.bedrock", Model: modelID, ServerAddress: "bedrock-runtime.eu-west-3.amazonaws.com", ServerPort: 443}, info)
	info = bedrock.New(modelID, bedrock.WithRegion("eu-west-3"), providers.WithBaseURL("http://127.0.0.1:4566")).Info()
	assert.Equal(t, "127.0.0.1", info.ServerAddress)
	assert.Equal(t, 4566, info.ServerPort)
}

func TestRegionFromEnvironment(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, fixture(t, "converse.json")) })
	cleanAWSEnv(t)
	t.Setenv("AWS_REGION", "ap-southeast-2")
	t.Setenv("AWS_ACCESS_KEY_ID", accessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-key")
	p := bedrock.New(modelID, providers.WithBaseURL(s.URL))
	_, err := mirascope.Call(context.Background(), p, recommend{"scifi"})
	require.NoError(t, err)
	assert.Contains(t, s.Requests()[0].Header.Get("Authorization"), "/ap-southeast-2/bedrock/aws4_request")
}

func TestMissingRegionOrCredentialsBeforeAnyRequest(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, fixture(t, "converse.json")) })
	t.Run("no region", func(t *testing.T) {
		cleanAWSEnv(t)
		p := bedrock.New(modelID, providers.WithBaseURL(s.URL), bedrock.WithCredentials(credentials.NewStaticCredentialsProvider(accessKey, "x", "")))
		_, err := p.Call(context.Background(), hi)
		// A configuration failure, not a ProviderError with status 0.
		var ce *providers.ConfigError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, providers.ErrInvalidConfig)
		assert.EqualError(t, err, "mirascope: aws.bedrock: region: none set (set AWS_REGION or AWS_DEFAULT_REGION, name a profile region, or pass bedrock.WithRegion)")
		for _, err := range p.Stream(context.Background(), hi) {
			require.ErrorAs(t, err, &ce)
		}
	})
	t.Run("no credentials", func(t *testing.T) {
		cleanAWSEnv(t)
		p := bedrock.New(modelID, providers.WithBaseURL(s.URL), bedrock.WithRegion("us-east-1"))
		_, err := p.Call(context.Background(), hi)
		var mk *providers.MissingAPIKeyError
		require.ErrorAs(t, err, &mk)
		assert.Equal(t, []string{"AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK"}, mk.EnvVars)
		assert.ErrorIs(t, err, mirascope.ErrAuth)
		for _, err := range p.Stream(context.Background(), hi) {
			require.ErrorAs(t, err, &mk)
		}
	})
	assert.Empty(t, s.Requests())
}

func TestAPIKeyIsBearerToken(t *testing.T) {
	// The SDK refuses to send a bearer token over plain HTTP.
	for _, fromEnv := range []bool{false, true} {
		var auth string
		s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			auth = r.Header.Get("Authorization")
			jsonReply(w, 200, fixture(t, "converse.json"))
		}))
		defer s.Close()
		cleanAWSEnv(t)
		opts := []providers.Option{providers.WithBaseURL(s.URL), bedrock.WithRegion("us-west-2"), providers.WithHTTPClient(s.Client())}
		if fromEnv {
			t.Setenv("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-test")
		} else {
			opts = append(opts, providers.WithAPIKey("bedrock-api-key-test"))
		}
		_, err := bedrock.New(modelID, opts...).Call(context.Background(), hi)
		require.NoError(t, err)
		assert.Equal(t, "Bearer bedrock-api-key-test", auth)
	}
}

func TestCABundleFromEnvironment(t *testing.T) {
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 200, fixture(t, "converse.json"))
	}))
	defer s.Close()
	cleanAWSEnv(t)
	pemFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(pemFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw}), 0o600))
	t.Setenv("AWS_CA_BUNDLE", pemFile)
	p := bedrock.New(modelID, providers.WithBaseURL(s.URL), bedrock.WithRegion("us-east-1"),
		bedrock.WithCredentials(credentials.NewStaticCredentialsProvider(accessKey, "fake-secret-key", "")))
	resp, err := p.Call(context.Background(), hi)
	require.NoError(t, err, "the TLS server is trusted only through AWS_CA_BUNDLE")
	assert.Equal(t, requestID, resp.ID)
}
