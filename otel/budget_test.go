package otel_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// contentBytes is what a span's content attributes weigh together.
func contentBytes(kvs []attribute.KeyValue) int {
	n := 0
	for _, kv := range kvs {
		k := string(kv.Key)
		if !strings.HasPrefix(k, otel.KeyPromptFieldPrefix) && k != "mirascope.prompt.template" &&
			k != "gen_ai.system_instructions" && k != "gen_ai.input.messages" && k != "gen_ai.output.messages" &&
			k != "gen_ai.tool.definitions" {
			continue
		}
		switch kv.Value.Type() {
		case attribute.STRINGSLICE:
			for _, s := range kv.Value.AsStringSlice() {
				n += len(s)
			}
		default:
			n += len(kv.Value.String())
		}
	}
	return n
}

// TestContentBudget: all the content of a span shares one budget; texts
// that fit an equal share stay whole, longer ones are cut alike, and the
// answer keeps its share however large the request.
func TestContentBudget(t *testing.T) {
	long := strings.Repeat("x", 100)
	huge := make([]string, 400)
	for i := range huge {
		huge[i] = strings.Repeat("y", 60<<10)
	}
	tests := []struct {
		name      string
		budget    []otel.Option
		limit     int
		prompt    RecommendBook
		answer    string
		truncated bool
		check     func(t *testing.T, a map[string]attribute.Value)
	}{
		{
			name: "under the default budget nothing is cut", limit: otel.DefaultMaxContentSize,
			prompt: RecommendBook{Genre: long, Tags: []string{long, "short"}}, answer: long,
			check: func(t *testing.T, a map[string]attribute.Value) {
				assert.Equal(t, attribute.StringValue(long), a["mirascope.prompt.field.genre"])
				assert.Equal(t, attribute.StringSliceValue([]string{long, "short"}), a["mirascope.prompt.field.tags"])
				assert.Contains(t, a["gen_ai.output.messages"].AsString(), long)
			},
		},
		{
			name: "a small budget shares fairly", budget: []otel.Option{otel.WithMaxContentSize(800)}, limit: 800,
			prompt: RecommendBook{Genre: long, Tags: []string{long, "short"}}, answer: long, truncated: true,
			check: func(t *testing.T, a map[string]attribute.Value) {
				assert.Equal(t, attribute.Int64Value(0), a["mirascope.prompt.field.count"], "small values stay whole")
				tags := a["mirascope.prompt.field.tags"].AsStringSlice()
				require.Len(t, tags, 2)
				assert.Equal(t, "short", tags[1])
				assert.Equal(t, `[{"role":"assistant","parts":[{"type":"text","content":"`+long+`"}],"finish_reason":"stop"}]`,
					a["gen_ai.output.messages"].AsString(), "the answer's quarter holds it whole")
			},
		},
		{
			name: "24 MB of field values", limit: otel.DefaultMaxContentSize,
			prompt: RecommendBook{Genre: "fantasy", Tags: huge}, answer: strings.Repeat("z", 200<<10), truncated: true,
			check: func(t *testing.T, a map[string]attribute.Value) {
				tags := a["mirascope.prompt.field.tags"].AsStringSlice()
				require.Len(t, tags, 400)
				for _, tag := range tags {
					require.True(t, strings.HasSuffix(tag, "…"), "each element cut alike")
					require.Equal(t, len(tags[0]), len(tag))
				}
				assert.Equal(t, attribute.StringValue("fantasy"), a["mirascope.prompt.field.genre"])
				out := a["gen_ai.output.messages"].AsString()
				assert.Greater(t, len(out), otel.DefaultMaxContentSize/4, "the answer keeps at least a quarter")
				assert.Contains(t, out, `…"}],"finish_reason":"stop"}]`)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Text(tt.answer)), tt.budget...), tt.prompt)
			require.NoError(t, err)
			s := h.only(t)
			a := attrs(s.Attributes)
			assert.LessOrEqual(t, contentBytes(s.Attributes), tt.limit+tt.limit/8, "within the budget (and JSON's framing)")
			for _, k := range []string{"gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions"} {
				assert.True(t, json.Valid([]byte(a[k].AsString())), "%s is JSON", k)
			}
			if tt.truncated {
				assert.Equal(t, attribute.BoolValue(true), a[string(otel.KeyContentTruncated)])
			} else {
				assert.NotContains(t, a, string(otel.KeyContentTruncated))
			}
			tt.check(t, a)
		})
	}
}

// TestContentBudgetOff: n <= 0 removes the bound.
func TestContentBudgetOff(t *testing.T) {
	h := newHarness(t)
	long := strings.Repeat("x", 300<<10)
	_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Text("ok")), otel.WithMaxContentSize(0)), RecommendBook{Genre: long})
	require.NoError(t, err)
	a := attrs(h.only(t).Attributes)
	assert.Equal(t, long, a["mirascope.prompt.field.genre"].AsString())
	assert.NotContains(t, a, string(otel.KeyContentTruncated))
}

// TestManyMessagesBounded: a conversation of many small messages is bounded
// too (the framing counts), and stays valid JSON.
func TestManyMessagesBounded(t *testing.T) {
	h := newHarness(t)
	req := &mirascope.Request{}
	for range 20000 {
		req.Messages = append(req.Messages, prompt.User("hi"))
	}
	_, err := h.traced(mock.New(mock.Text("ok"))).Call(context.Background(), req)
	require.NoError(t, err)
	a := attrs(h.only(t).Attributes)
	in := a["gen_ai.input.messages"].AsString()
	assert.LessOrEqual(t, len(in), otel.DefaultMaxContentSize)
	assert.True(t, json.Valid([]byte(in)))
	assert.Equal(t, attribute.BoolValue(true), a[string(otel.KeyContentTruncated)])
}
