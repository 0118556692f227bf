package mirascope

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// feedPartial streams doc into a decoder for T in chunks of the given sizes
// (cycled; 1 when empty) and returns every value yielded, the last one
// after the stream's end included.
func feedPartial[T any](doc string, sizes ...int) []T {
	d := newPartialDecoder(reflect.TypeFor[T]())
	var got []T
	for i, k := 0, 0; i < len(doc); k++ {
		n := 1
		if len(sizes) > 0 {
			n = sizes[k%len(sizes)]
		}
		n = min(n, len(doc)-i)
		if v, ok := d.write(doc[i : i+n]); ok {
			got = append(got, asT[T](v))
		}
		i += n
	}
	if v, ok := d.flush(); ok {
		got = append(got, asT[T](v))
	}
	return got
}

// partialOf is what a decoder into any shows after reading in byte by byte.
func partialOf(in string) (any, bool) {
	got := feedPartial[any](in)
	if len(got) == 0 {
		return nil, false
	}
	return got[len(got)-1], true
}

func TestPartialValue(t *testing.T) {
	tests := []struct {
		in, want string // want: the JSON the partial value stands for
		ok       bool
	}{
		{``, ``, false},
		{`  `, ``, false},
		{`{`, `{}`, true},
		{`{"ti`, `{}`, true},
		{`{"title"`, `{}`, true},
		{`{"title":`, `{}`, true},
		{`{"title": "Du`, `{"title": "Du"}`, true},
		{`{"title": "Dune", `, `{"title": "Dune"}`, true},
		{`{"title": "a\`, `{"title": "a"}`, true},
		{`{"title": "a\u00`, `{"title": "a"}`, true},
		{`{"title": "a\"`, `{"title": "a\""}`, true},
		{`{"title": "a\\`, `{"title": "a\\"}`, true},
		{`{"year": 19`, `{"year": 19}`, true},
		{`{"year": -`, `{}`, true},
		{`{"year": 1.`, `{"year": 1}`, true}, // a number keeps its last complete value
		{`{"year": 1.5e`, `{"year": 1.5}`, true},
		{`{"ok": tr`, `{}`, true},
		{`{"ok": true`, `{"ok": true}`, true},
		{`{"a": [1, 2`, `{"a": [1, 2]}`, true},
		{`{"a": [1, `, `{"a": [1]}`, true},
		{`{"a": [{"b": "c`, `{"a": [{"b": "c"}]}`, true},
		{`{"a": {"b": 1}, "c": [`, `{"a": {"b": 1}, "c": []}`, true},
		{`{"a": "}{]["`, `{"a": "}{]["}`, true},
		{`"abc`, `"abc"`, true},
		{`[null, fa`, `[null]`, true},
		{`42`, `42`, true},
	}
	for _, tt := range tests {
		got, ok := partialOf(tt.in)
		require.Equal(t, tt.ok, ok, tt.in)
		if ok {
			var want any
			require.NoError(t, json.Unmarshal([]byte(tt.want), &want))
			assert.Equal(t, want, got, tt.in)
		}
	}
}

type partialBook struct {
	Title  string             `json:"title"`
	Year   int                `json:"year"`
	Rating *float64           `json:"rating"`
	Tags   []string           `json:"tags"`
	Meta   map[string]any     `json:"meta"`
	Parts  []partialPart      `json:"parts"`
	Extra  any                `json:"extra"`
	Ptr    *partialPart       `json:"ptr"`
	Counts map[string][]int16 `json:"counts"`
	OK     bool               `json:"ok"`
	U      uint8              `json:"u"`
}

type partialPart struct {
	Name string `json:"name"`
	N    int64  `json:"n"`
}

var partialDocs = []string{
	`{"title": "Dune \"Messiah\" \u00e9\t", "year": -12, "rating": 4.5e0, "tags": ["a", "", "c"], "e": {}}`,
	`{"title":"x","meta":{"a":[1,{"b":null}],"c":"d","e":true,"f":-0.5},"parts":[{"name":"p1","n":1},{},{"name":"p3"}]}`,
	`{"extra": {"k": ["v", 1, false, null, {"z": {}}]}, "ptr": {"name": "q", "n": 7}, "ok": false}`,
	`{"counts": {"a": [1, 2], "b": [], "c": [3]}, "u": 255, "unknown": {"deep": [[["x"]]]}, "title": "after"}`,
	`{"TITLE": "folded", "Year": 3, "tags": null, "rating": null}`,
	` { "tags" : [ "x" , "y" ] , "year" : 0 } `,
}

// TestPartialMatchesClosedPrefix: after every byte, the value shown is the
// prefix closed into JSON and decoded by encoding/json, as StreamExtract did
// before it was incremental; no value repeats the one before it; and no
// value changes after it was yielded.
func TestPartialMatchesClosedPrefix(t *testing.T) {
	for _, doc := range partialDocs {
		t.Run(doc, func(t *testing.T) {
			checkPrefixes[partialBook](t, doc)
			checkPrefixes[any](t, doc)
			checkPrefixes[*partialBook](t, doc)
			checkPrefixes[map[string]any](t, doc)
		})
	}
}

func checkPrefixes[T any](t *testing.T, doc string) {
	t.Helper()
	d := newPartialDecoder(reflect.TypeFor[T]())
	var yields []T
	var snapshots []string
	var cur T
	shown := false
	for i := range len(doc) {
		if v, ok := d.write(doc[i : i+1]); ok {
			next := asT[T](v)
			if shown {
				require.NotEqual(t, cur, next, "a repeated value after %q", doc[:i+1])
			}
			cur, shown = next, true
			yields = append(yields, next)
			b, err := json.Marshal(next)
			require.NoError(t, err)
			snapshots = append(snapshots, string(b))
		}
		if i > 0 && strings.IndexByte(".eE+-", doc[i]) >= 0 && strings.IndexByte("0123456789eE", doc[i-1]) >= 0 {
			// closing dropped the unfinished number; the decoder keeps
			// its last complete value ("4." shows 4, not nothing)
			continue
		}
		closed, ok := closePrefix(doc[:i+1])
		var want T
		if ok && json.Unmarshal([]byte(closed), &want) == nil {
			require.True(t, shown, "nothing shown for %q", doc[:i+1])
			require.Equal(t, want, cur, "after %q", doc[:i+1])
		}
	}
	var whole T
	require.NoError(t, json.Unmarshal([]byte(doc), &whole))
	require.Equal(t, whole, cur)
	for i, y := range yields {
		b, err := json.Marshal(y)
		require.NoError(t, err)
		require.Equal(t, snapshots[i], string(b), "yield %d changed later", i)
	}
}

// Any chunking gives, at its end, what encoding/json makes of the whole.
func TestPartialRandomChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, doc := range partialDocs {
		for range 50 {
			sizes := make([]int, 1+r.IntN(5))
			for i := range sizes {
				sizes[i] = 1 + r.IntN(12)
			}
			got := feedPartial[partialBook](doc, sizes...)
			var want partialBook
			require.NoError(t, json.Unmarshal([]byte(doc), &want))
			require.NotEmpty(t, got)
			assert.Equal(t, want, got[len(got)-1], "%s in %v", doc, sizes)
		}
	}
}

// Escapes, surrogate pairs and UTF-8 sequences split anywhere, and invalid
// ones, come out as encoding/json decodes them, and a half is never shown.
func TestPartialStringsSplitAnywhere(t *testing.T) {
	docs := []string{
		`"a\ud83d\ude00b"`,                 // a pair
		`"\ud83d"`,                         // a lone high half
		`"\ud83dx"`,                        // high, then a plain byte
		`"\ud83d\n"`,                       // high, then another escape
		`"\ud83d\ud83d\ude00"`,             // high, then a pair
		`"\ude00\u00e9"`,                   // a lone low half
		"\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", // UTF-8, 2 and 4 bytes
		"\"\xff\xc3(\xe2\x82\"",            // invalid and cut sequences
		"\"\xe2\x82\xac\xe0\x80\xed\xa0\x80\"",
		`"\u0041\/\b\f\r\t\\"`,
	}
	for _, doc := range docs {
		var want string
		require.NoError(t, json.Unmarshal([]byte(doc), &want), doc)
		for _, n := range []int{1, 2, 3, 5, 7} {
			got := feedPartial[string](doc, n)
			require.NotEmpty(t, got)
			assert.Equal(t, want, got[len(got)-1], "%q in chunks of %d", doc, n)
			for _, g := range got {
				assert.True(t, strings.HasPrefix(want, g), "%q shows %q, not a prefix of %q", doc, g, want)
			}
		}
	}
}

type tsDoc struct {
	At    time.Time       `json:"at"`
	Raw   json.RawMessage `json:"raw"`
	Num   json.Number     `json:"num"`
	Bytes []byte          `json:"bytes"`
	Arr   [2]int          `json:"arr"`
	Quote int             `json:"quote,string"`
	Embedded
	*EmbeddedPtr
}

type Embedded struct {
	E string `json:"e"`
}

type EmbeddedPtr struct {
	P string `json:"p"`
}

type quoted struct {
	N int `json:"n,string"`
}

type hasEmbedded struct {
	Embedded
	Name string
	Inner
	lowerEmbedded
}

type lowerEmbedded struct {
	L string `json:"l"`
}

type Inner struct {
	Name string // shadowed by the shallower Name
	Deep string `json:"deep"`
}

// Types that decode themselves, or that this decoder leaves to
// encoding/json, appear once complete, as encoding/json decodes them.
func TestPartialOpaqueTypes(t *testing.T) {
	doc := `{"at":"2024-05-06T07:08:09Z","raw":{"x":[1,2]},"num":12.50,"bytes":"aGk=","arr":[3,4],"quote":"7","e":"emb","p":"ptr"}`
	// tsDoc has ,string and an embedded pointer: it is opaque as a whole.
	got := feedPartial[tsDoc](doc)
	var want tsDoc
	require.NoError(t, json.Unmarshal([]byte(doc), &want))
	require.Len(t, got, 1, "opaque: one value, once complete")
	assert.Equal(t, want, got[0])

	type parts struct {
		At    time.Time       `json:"at"`
		Raw   json.RawMessage `json:"raw"`
		Num   json.Number     `json:"num"`
		Bytes []byte          `json:"bytes"`
		Arr   [2]int          `json:"arr"`
		Q     quoted          `json:"q"`
		T     string          `json:"t"`
	}
	doc = `{"t":"a","at":"2024-05-06T07:08:09Z","raw":{"x":[1,2]},"num":12.50,"bytes":"aGk=","arr":[3,4],"q":{"n":"7"}}`
	var wantParts parts
	require.NoError(t, json.Unmarshal([]byte(doc), &wantParts))
	all := feedPartial[parts](doc)
	assert.Equal(t, wantParts, all[len(all)-1])
	for _, p := range all {
		assert.True(t, p.At.IsZero() || p.At.Equal(wantParts.At), "time shown only whole: %v", p.At)
		assert.True(t, p.Num == "" || p.Num == "12.50", "number shown only whole: %q", p.Num)
	}

	doc = `{"e":"x","Name":"top","deep":"d","name":"again","l":"low"}`
	he := feedPartial[hasEmbedded](doc)
	var wantHE hasEmbedded
	require.NoError(t, json.Unmarshal([]byte(doc), &wantHE))
	require.Equal(t, "low", wantHE.L)
	assert.Equal(t, wantHE, he[len(he)-1])
}

// Values that do not fit their field are left out, and the rest still shows.
func TestPartialMismatchesLeftOut(t *testing.T) {
	got := feedPartial[partialBook](`{"year": "nineteen", "title": "T", "tags": [1, "b"], "u": 300, "ok": "yes", "parts": 5}`)
	require.NotEmpty(t, got)
	assert.Equal(t, partialBook{Title: "T", Tags: []string{"", "b"}}, got[len(got)-1])
}

type tree struct {
	Kids []tree `json:"kids"`
	Name string `json:"name"`
}

func nested(depth int) string {
	return strings.Repeat(`{"kids":[`, depth) + `{"name":"leaf"}` + strings.Repeat(`]}`, depth)
}

// Deep nesting neither overflows a stack nor costs more per chunk: beyond
// maxBindDepth a value appears once complete; beyond encoding/json's own
// bound, the decoder stops (and Result reports the answer invalid).
func TestPartialDeepNesting(t *testing.T) {
	doc := nested(3000)
	got := feedPartial[tree](doc, 7)
	var want tree
	require.NoError(t, json.Unmarshal([]byte(doc), &want))
	require.NotEmpty(t, got)
	assert.Equal(t, want, got[len(got)-1])

	d := newPartialDecoder(reflect.TypeFor[any]())
	for range 20000 {
		d.write("[")
	}
	assert.True(t, d.failed)
	assert.Len(t, d.ctr, maxJSONDepth)
}

// A huge number is read once, not once per chunk, and then decoded as
// encoding/json does (here: it does not fit an int).
func TestPartialHugeNumber(t *testing.T) {
	digits := strings.Repeat("9", 100000)
	doc := `{"title":"t","year":` + digits + `,"rating":1.` + digits + `,"u":1e400}`
	got := feedPartial[partialBook](doc, 1)
	require.NotEmpty(t, got)
	last := got[len(got)-1]
	var want partialBook
	require.Error(t, json.Unmarshal([]byte(doc), &want), "the year and u do not fit")
	assert.Equal(t, want, last)
	assert.Equal(t, 0, last.Year)
	require.NotNil(t, last.Rating)
	assert.InDelta(t, 2.0, *last.Rating, 1e-9)
	for _, g := range got {
		assert.True(t, g.Year == 0 || g.Year == 99 || g.Year == 999 || fmt.Sprint(g.Year) == digits[:len(fmt.Sprint(g.Year))], "year %d", g.Year)
	}
}

// A long list shows each complete entry at once, and the one being
// written within a budget; what was yielded never changes.
func TestPartialLongListNoAliasing(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"parts":[`)
	for i := range 300 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"name":"part %d","n":%d}`, i, i)
	}
	b.WriteString(`],"tags":[`)
	for i := range 300 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"tag %d"`, i)
	}
	b.WriteString(`],"meta":{`)
	for i := range 300 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d":[%d]`, i, i)
	}
	b.WriteString(`}}`)
	doc := b.String()
	checkNoAliasing[partialBook](t, doc)
	checkNoAliasing[any](t, doc)
}

func checkNoAliasing[T any](t *testing.T, doc string) {
	d := newPartialDecoder(reflect.TypeFor[T]())
	var yields []T
	var snaps []string
	prevParts := 0
	for i := range len(doc) {
		v, ok := d.write(doc[i : i+1])
		if !ok {
			continue
		}
		y := asT[T](v)
		yields = append(yields, y)
		s, err := json.Marshal(y)
		require.NoError(t, err)
		snaps = append(snaps, string(s))
		if pb, ok := any(y).(partialBook); ok {
			// complete entries show at once: one behind at most
			done := strings.Count(doc[:i+1], `},{`)
			if !strings.Contains(doc[:i+1], "tags") {
				require.GreaterOrEqual(t, len(pb.Parts), done, "after %q", doc[:i+1])
			}
			require.GreaterOrEqual(t, len(pb.Parts), prevParts)
			prevParts = len(pb.Parts)
		}
	}
	var whole T
	require.NoError(t, json.Unmarshal([]byte(doc), &whole))
	require.Equal(t, whole, yields[len(yields)-1])
	for i, y := range yields {
		s, _ := json.Marshal(y)
		require.Equal(t, snaps[i], string(s), "yield %d changed later", i)
	}
}

// Invalid JSON stops the partial values where it goes wrong.
func TestPartialInvalidStops(t *testing.T) {
	for _, doc := range []string{`{"a":1,}`, `{"a" 1}`, `[1 2]`, `{"a":"x` + "\x01" + `"}`, `{"a":"\q"}`, `{} {}`, `[01]`, `{"a":tru}`, `{"a":"\u12G4"}`} {
		d := newPartialDecoder(reflect.TypeFor[any]())
		for i := range len(doc) {
			d.write(doc[i : i+1])
		}
		assert.True(t, d.failed, doc)
		assert.Error(t, json.Unmarshal([]byte(doc), new(any)), doc)
	}
}

// closePrefix is how StreamExtract showed a partial answer before it was
// incremental (closing the whole prefix, then json.Unmarshal): the oracle
// the incremental decoder is checked against.
func closePrefix(s string) (_ string, ok bool) {
	var (
		stack     []byte // open '{' and '['
		safe      = -1   // s[:safe] + closers(safeStack) is valid
		safeStack []byte
		inString  bool
		isKey     bool
		escape    bool
		strStart  int
		inNumber  bool
		expectKey []bool // per open object: the next string is a key
	)
	mark := func(end int) {
		safe = end
		safeStack = append(safeStack[:0], stack...)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escape:
				escape = false
			case c == '\\':
				escape = true
			case c == '"':
				inString = false
				if !isKey {
					mark(i + 1)
				}
			}
			continue
		}
		if inNumber {
			if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
				continue
			}
			inNumber = false
			if numberComplete(s[strStart:i]) {
				mark(i)
			}
		}
		switch c {
		case '"':
			inString, escape, strStart = true, false, i
			isKey = len(expectKey) > 0 && stack[len(stack)-1] == '{' && expectKey[len(expectKey)-1]
		case '{':
			stack = append(stack, '{')
			expectKey = append(expectKey, true)
			mark(i + 1)
		case '[':
			stack = append(stack, '[')
			expectKey = append(expectKey, false)
			mark(i + 1)
		case '}', ']':
			if len(stack) == 0 {
				return "", false
			}
			stack = stack[:len(stack)-1]
			expectKey = expectKey[:len(expectKey)-1]
			mark(i + 1)
		case ':':
			if len(expectKey) > 0 {
				expectKey[len(expectKey)-1] = false
			}
		case ',':
			if len(stack) > 0 && stack[len(stack)-1] == '{' {
				expectKey[len(expectKey)-1] = true
			}
		case 't', 'f', 'n':
			for _, lit := range []string{"true", "false", "null"} {
				if len(s)-i >= len(lit) && s[i:i+len(lit)] == lit {
					i += len(lit) - 1
					mark(i + 1)
					break
				}
			}
		case ' ', '\t', '\n', '\r':
		default:
			if c == '-' || c >= '0' && c <= '9' {
				inNumber, strStart = true, i
			}
		}
	}
	switch {
	case inString && !isKey:
		return trimEscape(s) + `"` + closers(stack), true
	case inNumber && numberComplete(s[strStart:]):
		return s + closers(stack), true
	case safe >= 0:
		return s[:safe] + closers(safeStack), true
	}
	return "", false
}

// trimEscape drops an escape sequence cut short at the end of a string.
func trimEscape(s string) string {
	for k := 1; k <= 6 && k <= len(s); k++ {
		i := len(s) - k
		if s[i] != '\\' {
			continue
		}
		// count the backslashes before: an even run is literal text
		n := 0
		for j := i; j >= 0 && s[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return s
		}
		tail := s[i:]
		if len(tail) == 1 || tail[1] == 'u' && len(tail) < 6 {
			return s[:i]
		}
		return s
	}
	return s
}

func numberComplete(n string) bool {
	if n == "" {
		return false
	}
	switch n[len(n)-1] {
	case '-', '+', '.', 'e', 'E':
		return false
	}
	return true
}

func closers(stack []byte) string {
	b := make([]byte, len(stack))
	for i, c := range stack {
		if c == '{' {
			b[len(stack)-1-i] = '}'
		} else {
			b[len(stack)-1-i] = ']'
		}
	}
	return string(b)
}

// FuzzPartial: whatever the input and its chunking, the decoder does not
// panic, never changes a value it yielded, and ends where encoding/json
// does on an answer that decodes.
func FuzzPartial(f *testing.F) {
	for _, doc := range partialDocs {
		f.Add(doc, uint8(1), uint8(3))
	}
	f.Add(`{"a":"\ud83d\ude00\u00e9"}`, uint8(2), uint8(5))
	f.Add("[\"\xff\xc3(\",1e400,-0.0e+1,{}]", uint8(1), uint8(1))
	f.Add(nested(70), uint8(3), uint8(1))
	f.Fuzz(func(t *testing.T, doc string, a, b uint8) {
		sizes := []int{int(a%16) + 1, int(b%16) + 1}
		d := newPartialDecoder(reflect.TypeFor[any]())
		var yields []any
		var snaps []string
		add := func(v reflect.Value, ok bool) {
			if ok {
				y := asT[any](v)
				s, err := json.Marshal(y)
				require.NoError(t, err)
				yields, snaps = append(yields, y), append(snaps, string(s))
			}
		}
		for i, k := 0, 0; i < len(doc); k++ {
			n := min(sizes[k%2], len(doc)-i)
			add(d.write(doc[i : i+n]))
			i += n
		}
		add(d.flush())
		for i, y := range yields {
			s, _ := json.Marshal(y)
			require.Equal(t, snaps[i], string(s), "yield %d changed", i)
		}
		var want any
		if json.Unmarshal([]byte(doc), &want) != nil {
			return
		}
		require.NotEmpty(t, yields)
		require.Equal(t, want, yields[len(yields)-1])

		// A struct too, unless a key repeats: encoding/json then merges
		// into what the first one made, where partial values start afresh.
		var wantBook partialBook
		if json.Unmarshal([]byte(doc), &wantBook) != nil || repeatsKey(doc) {
			return
		}
		books := feedPartial[partialBook](doc, sizes...)
		require.NotEmpty(t, books)
		require.Equal(t, wantBook, books[len(books)-1])
	})
}

// repeatsKey reports whether an object in doc, valid JSON, has two keys
// equal but for case.
func repeatsKey(doc string) bool {
	dec := json.NewDecoder(strings.NewReader(doc))
	type obj struct {
		keys      map[string]bool
		expectKey bool
	}
	var stack []*obj
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *obj
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok {
		case json.Delim('{'):
			if top != nil {
				top.expectKey = top.keys != nil
			}
			stack = append(stack, &obj{keys: map[string]bool{}, expectKey: true})
			continue
		case json.Delim('['):
			if top != nil {
				top.expectKey = top.keys != nil
			}
			stack = append(stack, &obj{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			continue
		}
		if top == nil || top.keys == nil {
			continue
		}
		if top.expectKey {
			k := strings.ToLower(tok.(string))
			if top.keys[k] {
				return true
			}
			top.keys[k] = true
		}
		top.expectKey = !top.expectKey
	}
}

// Streams of one type decoded at once share only the type's cached plan.
func TestPartialConcurrent(t *testing.T) {
	doc := partialDocs[1]
	var want partialBook
	require.NoError(t, json.Unmarshal([]byte(doc), &want))
	done := make(chan partialBook)
	for range 8 {
		go func() {
			got := feedPartial[partialBook](doc, 1)
			done <- got[len(got)-1]
		}()
	}
	for range 8 {
		assert.Equal(t, want, <-done)
	}
}
