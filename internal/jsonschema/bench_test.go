package jsonschema

import (
	"fmt"
	"reflect"
	"testing"
)

// benchType is a typical tool input: nested, with tags of every kind.
type benchType struct {
	Title   string            `json:"title" jsonschema:"the book's title" validate:"required,min=2,max=200"`
	Genre   string            `json:"genre" validate:"oneof=fantasy scifi mystery"`
	Year    int               `json:"year" validate:"gte=1450,lte=2100"`
	Tags    []string          `json:"tags,omitempty" validate:"max=5,dive,min=2"`
	Authors []addr            `json:"authors"`
	Extra   map[string]string `json:"extra,omitempty"`
	Rating  *float64          `json:"rating,omitempty" validate:"omitempty,gt=0,lte=5"`
}

var benchSeq int // distinct types across runs of the benchmark

// BenchmarkFor compares deriving a schema (a new type each iteration, made
// with reflect.StructOf so the cache cannot help) with the cached lookup.
func BenchmarkFor(b *testing.B) {
	base := reflect.TypeFor[benchType]()
	fields := make([]reflect.StructField, base.NumField())
	for i := range fields {
		fields[i] = base.Field(i)
	}
	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			benchSeq++
			i := benchSeq
			fs := append([]reflect.StructField(nil), fields...)
			fs[0].Tag = reflect.StructTag(fmt.Sprintf(`json:"title" jsonschema:"title %d" validate:"required,min=2,max=200"`, i))
			if _, err := For(reflect.StructOf(fs)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		if _, err := For(base); err != nil {
			b.Fatal(err)
		}
		for range b.N {
			if _, err := For(base); err != nil {
				b.Fatal(err)
			}
		}
	})
}
