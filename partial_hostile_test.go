package mirascope

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

type hostileDoc struct {
	Text  string  `json:"text"`
	N     float64 `json:"n"`
	Any   any     `json:"any"`
	Items [][]int `json:"items"`
}

// BenchmarkPartialHostile feeds adversarial JSON a byte at a time, at
// sizes 1000× apart: the cost per byte must not grow with the size.
func BenchmarkPartialHostile(b *testing.B) {
	docs := map[string]func(n int) string{
		"nested": func(n int) string { return `{"any":` + strings.Repeat("[", n) },
		"nestedclosed": func(n int) string {
			m := min(n, 4000)
			return `{"any":` + strings.Repeat("[", m) + strings.Repeat("]", m) + `,"text":"` + strings.Repeat("x", n) + `"}`
		},
		"digits":     func(n int) string { return `{"n":1` + strings.Repeat("7", n) + `}` },
		"fracdigits": func(n int) string { return `{"n":0.` + strings.Repeat("7", n) + `}` },
		"escapes":    func(n int) string { return `{"text":"` + strings.Repeat(`\"`, n/2) + `"}` },
		"unicode":    func(n int) string { return `{"text":"` + strings.Repeat(`\ud83d\ude00`, n/12) + `"}` },
		"loneSurr":   func(n int) string { return `{"text":"` + strings.Repeat(`\ud83d`, n/6) + `"}` },
		"anyString":  func(n int) string { return `{"any":"` + strings.Repeat(`\u00e9`, n/6) + `"}` },
		"lists":      func(n int) string { return `{"items":[` + strings.Repeat("[1],", n/4) + `[1]]}` },
	}
	for _, name := range []string{"nested", "nestedclosed", "digits", "fracdigits", "escapes", "unicode", "loneSurr", "anyString", "lists"} {
		for _, n := range []int{1000, 10000, 1000000} {
			doc := docs[name](n)
			b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(doc)))
				for b.Loop() {
					d := newPartialDecoder(reflect.TypeFor[hostileDoc]())
					for i := 0; i < len(doc); i++ {
						d.write(doc[i : i+1])
					}
					d.flush()
				}
			})
		}
	}
}
