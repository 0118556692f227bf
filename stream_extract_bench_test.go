package mirascope_test

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/mirascope-go/mirascope"
)

type benchNote struct {
	Text string `json:"text"`
}

type benchItem struct {
	N int    `json:"n"`
	S string `json:"s"`
}

type benchList struct {
	Items []benchItem `json:"items"`
}

// benchLongString is {"text":"…"} of about size bytes, escapes included.
func benchLongString(size int) string {
	var b strings.Builder
	b.WriteString(`{"text":"`)
	for i := 0; b.Len() < size-2; i++ {
		if i%64 == 63 {
			b.WriteString(`\n\u00e9\"`)
		} else {
			b.WriteString("lorem ")
		}
	}
	b.WriteString(`"}`)
	return b.String()
}

// benchShortItems is {"items":[{"n":…,"s":"…"}, …]} of about size bytes.
func benchShortItems(size int) string {
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := 0; b.Len() < size-2; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"n":%d,"s":"item"}`, i)
	}
	b.WriteString("]}")
	return b.String()
}

type benchIndex struct {
	Counts map[string]int `json:"counts"`
}

// benchMapEntries is {"counts":{"k0":0, …}} of about size bytes.
func benchMapEntries(size int) string {
	var b strings.Builder
	b.WriteString(`{"counts":{`)
	for i := 0; b.Len() < size-2; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	b.WriteString("}}")
	return b.String()
}

// oneByteChunks streams answer one byte per chunk.
func oneByteChunks(answer string) []*mirascope.Chunk {
	chunks := make([]*mirascope.Chunk, len(answer))
	for i := range len(answer) {
		chunks[i] = &mirascope.Chunk{Content: answer[i : i+1]}
	}
	return chunks
}

// byteStreamer streams its answer one byte per chunk, made as it goes:
// unlike a script of a million chunks, it keeps nothing alive that a large
// answer would make the garbage collector and the caches pay for.
type byteStreamer struct{ answer string }

func (byteStreamer) Info() mirascope.ProviderInfo { return mirascope.ProviderInfo{Name: "bytes"} }

func (p byteStreamer) Call(context.Context, *mirascope.Request) (*mirascope.Response, error) {
	return &mirascope.Response{Content: p.answer}, nil
}

func (p byteStreamer) Stream(context.Context, *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) {
		for i := range len(p.answer) {
			if !yield(&mirascope.Chunk{Content: p.answer[i : i+1]}, nil) {
				return
			}
		}
	}
}

func benchStreamExtract[T any](b *testing.B, answer string) {
	b.SetBytes(int64(len(answer)))
	b.ReportAllocs()
	for range b.N {
		s, err := mirascope.StreamExtract[T](context.Background(), byteStreamer{answer}, AskLibrarian{"x"})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range s.Partials() {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if _, _, err := s.Result(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "partials/op")
	}
}

// BenchmarkStreamExtract streams an answer one byte per chunk, the worst
// case for partial decoding: the time per byte must not grow with the size.
func BenchmarkStreamExtract(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"16KiB", 16 << 10}, {"64KiB", 64 << 10}, {"1MiB", 1 << 20}} {
		b.Run("string/"+size.name, func(b *testing.B) {
			benchStreamExtract[benchNote](b, benchLongString(size.n))
		})
		b.Run("items/"+size.name, func(b *testing.B) {
			benchStreamExtract[benchList](b, benchShortItems(size.n))
		})
		b.Run("map/"+size.name, func(b *testing.B) {
			benchStreamExtract[benchIndex](b, benchMapEntries(size.n))
		})
	}
}
