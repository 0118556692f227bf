package oaicompat

import (
	"testing"

	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
)

// benchLine is one line of an output file as OpenAI writes it, with the
// members a completion carries today.
const benchLine = `{"id":"batch_req_7","custom_id":"mirascope-7","response":{"status_code":200,"request_id":"req_7","body":{"id":"chatcmpl-7","object":"chat.completion","created":1733550100,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Try The Name of the Wind by Patrick Rothfuss, a lyrical fantasy.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":15,"total_tokens":27,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_0705bf87c0"}},"error":null}` + "\n"

// BenchmarkBatchResultLine maps one output line: the per-result cost of
// reading a batch, without the transport.
func BenchmarkBatchResultLine(b *testing.B) {
	c := New(Spec{Name: "test", Batch: &OpenAIBatch}, "gpt-4o-mini", []providers.Option{providers.WithAPIKey(oaitest.TestKey)})
	line := []byte(benchLine)
	b.ReportAllocs()
	for b.Loop() {
		if r := c.batchResult(line); r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}
