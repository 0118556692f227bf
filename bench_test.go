package mirascope

import (
	"context"
	"encoding/json"
	"testing"
)

type benchBook struct {
	Title   string   `json:"title" validate:"required,min=1,max=200"`
	Author  string   `json:"author" validate:"required"`
	Year    int      `json:"year" validate:"gte=1450,lte=2100"`
	Genres  []string `json:"genres" validate:"max=5,dive,min=2"`
	Summary string   `json:"summary"`
}

const benchAnswer = `{"title":"The Left Hand of Darkness","author":"Ursula K. Le Guin","year":1969,"genres":["science fiction","anthropology"],"summary":"An envoy visits a planet whose people have no fixed sex."}`

// BenchmarkNewTool is the cost of making a tool whose input type's schema is
// already cached (the first derivation is BenchmarkFor/first in
// internal/jsonschema).
func BenchmarkNewTool(b *testing.B) {
	fn := func(context.Context, benchBook) (string, error) { return "", nil }
	b.ReportAllocs()
	for range b.N {
		NewTool("lookup", "Looks a book up", fn)
	}
}

// BenchmarkDecode compares what Extract does with an answer (strict decode,
// validate tags) with a bare json.Unmarshal of it.
func BenchmarkDecode(b *testing.B) {
	b.Run("extract", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := decodeValue[benchBook](benchAnswer); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var v benchBook
			if err := json.Unmarshal([]byte(benchAnswer), &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
