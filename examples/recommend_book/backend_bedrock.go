package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/bedrock"
)

var (
	//go:embed recorded/bedrock/converse.json
	bedrockCall []byte
	// One event-stream message per line, encoded with the SDK's encoder when
	// replayed.
	//go:embed recorded/bedrock/stream.jsonl
	bedrockStream []byte
)

const bedrockModel = "us.anthropic.claude-3-5-haiku-20241022-v1:0"

func init() {
	register("bedrock", backend{
		model: bedrockModel,
		online: func() bool {
			return os.Getenv("AWS_BEARER_TOKEN_BEDROCK") != "" || os.Getenv("AWS_ACCESS_KEY_ID") != "" || os.Getenv("AWS_PROFILE") != ""
		},
		newProvider: func(baseURL string) mirascope.Provider {
			if baseURL == "" {
				return bedrock.New(bedrockModel)
			}
			return bedrock.New(bedrockModel, providers.WithBaseURL(baseURL), bedrock.WithRegion("us-east-1"),
				bedrock.WithCredentials(credentials.NewStaticCredentialsProvider("AKIDOFFLINEREPLAY000", "offline-replay", "")))
		},
		replay: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/converse-stream") {
				w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
				_, _ = w.Write(encodeEvents(bedrockStream))
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(bedrockCall)
		}),
	})
}

// encodeEvents turns the recorded lines into AWS event-stream frames.
func encodeEvents(lines []byte) []byte {
	var out bytes.Buffer
	enc := eventstream.NewEncoder()
	sc := bufio.NewScanner(bytes.NewReader(lines))
	for sc.Scan() {
		var line struct {
			Type    string          `json:"type"`
			Name    string          `json:"name"`
			Payload json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil {
			continue
		}
		var msg eventstream.Message
		msg.Headers.Set(":message-type", eventstream.StringValue(line.Type))
		if line.Type == "exception" {
			msg.Headers.Set(":exception-type", eventstream.StringValue(line.Name))
		} else {
			msg.Headers.Set(":event-type", eventstream.StringValue(line.Name))
		}
		msg.Headers.Set(":content-type", eventstream.StringValue("application/json"))
		msg.Payload = line.Payload
		_ = enc.Encode(&out, msg)
	}
	return out.Bytes()
}
