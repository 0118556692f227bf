package mirascope

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClosePartial(t *testing.T) {
	tests := []struct {
		in, want string
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
		{`{"year": 1.`, `{}`, true},
		{`{"ok": tr`, `{}`, true},
		{`{"ok": true`, `{"ok": true}`, true},
		{`{"a": [1, 2`, `{"a": [1, 2]}`, true},
		{`{"a": [1, `, `{"a": [1]}`, true},
		{`{"a": [{"b": "c`, `{"a": [{"b": "c"}]}`, true},
		{`{"a": {"b": 1}, "c": [`, `{"a": {"b": 1}, "c": []}`, true},
		{`{"a": "}{]["`, `{"a": "}{]["}`, true},
	}
	for _, tt := range tests {
		got, ok := closePartial(tt.in)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		if ok {
			assert.True(t, json.Valid([]byte(got)), "%s gives invalid %s", tt.in, got)
		}
	}
}

// Every prefix of a document closes into valid JSON.
func TestClosePartialEveryPrefix(t *testing.T) {
	doc := `{"title": "Dune \"Messiah\" \u00e9", "n": -12.5e3, "tags": ["a", {"b": [true, false, null]}], "e": {}}`
	for i := range len(doc) + 1 {
		if got, ok := closePartial(doc[:i]); ok {
			assert.True(t, json.Valid([]byte(got)), "%q gives invalid %q", doc[:i], got)
		}
	}
	got, ok := closePartial(doc)
	assert.True(t, ok)
	assert.Equal(t, doc, got)
}
