package mirascope_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

type Novel struct {
	Title  string   `json:"title" validate:"required"`
	Author string   `json:"author" jsonschema:"the author's full name" validate:"required"`
	Year   int      `json:"year" validate:"gte=1450,lte=2100"`
	Genres []string `json:"genres" validate:"max=3"`
}

// Validate is a check no tag can express.
func (b Novel) Validate() error {
	if strings.EqualFold(b.Title, b.Author) {
		return errors.New("the title and the author are the same")
	}
	return nil
}

var dune = Novel{Title: "Dune", Author: "Frank Herbert", Year: 1965, Genres: []string{"sf"}}

func TestExtract(t *testing.T) {
	p := mock.New(mock.JSON(dune))
	got, resp, err := mirascope.Extract[Novel](context.Background(), p, AskLibrarian{"A classic?"})
	require.NoError(t, err)
	assert.Equal(t, dune, got)
	assert.Equal(t, `{"title":"Dune","author":"Frank Herbert","year":1965,"genres":["sf"]}`, resp.Content)
	req := p.Requests()[0]
	require.NotNil(t, req.Format)
	assert.Equal(t, "Novel", req.Format.Name)
	assert.JSONEq(t, `{"type":"object","properties":{
		"title":{"type":"string"},
		"author":{"type":"string","description":"the author's full name"},
		"year":{"type":"integer","minimum":1450,"maximum":2100},
		"genres":{"type":"array","items":{"type":"string"},"maxItems":3}},
		"required":["title","author","year","genres"],"additionalProperties":false}`, string(req.Format.Schema))
}

func TestExtractReask(t *testing.T) {
	tests := []struct {
		name    string
		first   string
		problem string
	}{
		{"invalid JSON", `{"title":"Dune","author":"Frank Herbert",}`,
			"Your answer is not valid: $: invalid JSON at offset 41: invalid character '}' looking for beginning of object key string\nAnswer again with the corrected JSON only."},
		{"validate rule", `{"title":"Dune","author":"Frank Herbert","year":1200,"genres":[]}`,
			"Your answer is not valid: $.year: failed rule \"gte=1450\" (got 1200)\nAnswer again with the corrected JSON only."},
		{"Validate method", `{"title":"Dune","author":"dune","year":1965,"genres":[]}`,
			"Your answer is not valid: $: Validate: the title and the author are the same\nAnswer again with the corrected JSON only."},
		{"unknown field", `{"title":"Dune","author":"Frank Herbert","year":1965,"genres":[],"isbn":"x"}`,
			"Your answer is not valid: $.isbn: unknown field, not in the schema\nAnswer again with the corrected JSON only."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mock.New(mock.JSON(tt.first), mock.JSON(dune))
			got, _, err := mirascope.Extract[Novel](context.Background(), p, AskLibrarian{"A classic?"}, mirascope.WithMaxReasks(1))
			require.NoError(t, err)
			assert.Equal(t, dune, got)
			reqs := p.Requests()
			require.Len(t, reqs, 2)
			second := reqs[1].Messages
			require.Len(t, second, 3)
			assert.Equal(t, prompt.Assistant(tt.first), second[1], "the invalid answer goes back")
			assert.Equal(t, prompt.User(tt.problem), second[2])
			assert.Equal(t, reqs[0].Format, reqs[1].Format)
		})
	}
}

func TestExtractError(t *testing.T) {
	ctx := context.Background()
	bad := `{"title":"Dune","author":"Frank Herbert","year":1200,"genres":[]}`

	p := mock.New(mock.JSON(`{"title":`), mock.JSON(bad))
	_, resp, err := mirascope.Extract[Novel](ctx, p, AskLibrarian{"x"}, mirascope.WithMaxReasks(1))
	var xe *mirascope.ExtractError
	require.ErrorAs(t, err, &xe)
	require.Len(t, xe.Attempts, 2)
	assert.Equal(t, `{"title":`, xe.Attempts[0].Raw)
	assert.ErrorIs(t, xe.Attempts[0].Err, io.ErrUnexpectedEOF)
	assert.Equal(t, bad, xe.Attempts[1].Raw)
	assert.ErrorIs(t, err, prompt.ErrValidation, "the last attempt failed validation")
	var ves validator.ValidationErrors
	require.ErrorAs(t, err, &ves)
	assert.Equal(t, "Year", ves[0].Field())
	assert.EqualError(t, err, `mirascope: extract mirascope_test.Novel: 2 attempts failed; last: $.year: failed rule "gte=1450" (got 1200)`)
	assert.Equal(t, bad, resp.Content)

	_, _, err = mirascope.Extract[Novel](ctx, mock.New(mock.JSON(`{"title":1}`)), AskLibrarian{"x"})
	var te *json.UnmarshalTypeError
	require.ErrorAs(t, err, &te, "JSON errors are inspectable")
	assert.False(t, errors.Is(err, prompt.ErrValidation))
	assert.EqualError(t, err, `mirascope: extract mirascope_test.Novel: 1 attempt failed; last: $.title: expected a string, got number`)

	boom := errors.New("boom")
	_, _, err = mirascope.Extract[Novel](ctx, mock.New(mock.Fail(boom)), AskLibrarian{"x"})
	assert.Equal(t, boom, err, "provider errors come as they are")
}

func TestExtractWithTools(t *testing.T) {
	o := &observer{Provider: mock.New(
		mock.ToolCalls(mock.ToolCall("get_author", GetAuthor{Title: "Dune"})),
		mock.JSON(`{"title":"Dune","author":"Frank Herbert","year":1065,"genres":[]}`),
		mock.ToolCalls(mock.ToolCall("get_author", GetAuthor{Title: "Dune"})),
		mock.JSON(dune),
	)}
	got, resp, err := mirascope.Extract[Novel](context.Background(), o, AskLibrarian{"Dune?"}, mirascope.WithTools(authorTool(nil)), mirascope.WithMaxReasks(1))
	require.NoError(t, err)
	assert.Equal(t, dune, got)
	assert.Equal(t, "mock-4", resp.ID)
	reqs := o.Requests()
	require.Len(t, reqs, 4)
	last := reqs[3].Messages
	require.Len(t, last, 7)
	assert.Equal(t, prompt.ToolResult("call_1_0", "Frank Herbert"), last[2])
	assert.Equal(t, prompt.User("Your answer is not valid: $.year: failed rule \"gte=1450\" (got 1065)\nAnswer again with the corrected JSON only."), last[4])
	assert.Equal(t, prompt.ToolResult("call_3_0", "Frank Herbert"), last[6])
	for _, r := range reqs {
		assert.NotNil(t, r.Format)
		assert.Len(t, r.Tools, 1)
	}
	assert.Equal(t, "run start, 1 tools", o.events[0])
	assert.Equal(t, "run end, 4 turns, <nil>", o.events[len(o.events)-1])
}

func TestStreamExtract(t *testing.T) {
	pieces := []string{`{"title": "Du`, `ne", "au`, `thor": "Frank`, ` Herbert", "year": 19`, `65, "genres": ["s`, `f"]}`}
	chunks := make([]*mirascope.Chunk, len(pieces))
	for i, s := range pieces {
		chunks[i] = &mirascope.Chunk{Content: s}
	}
	p := mock.New(mock.Chunks(chunks...))
	s, err := mirascope.StreamExtract[Novel](context.Background(), p, AskLibrarian{"A classic?"})
	require.NoError(t, err)
	var got []Novel
	for v, err := range s.Partials() {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []Novel{
		{Title: "Du"},
		{Title: "Dune"},
		{Title: "Dune", Author: "Frank"},
		{Title: "Dune", Author: "Frank Herbert", Year: 19},
		{Title: "Dune", Author: "Frank Herbert", Year: 1965, Genres: []string{"s"}},
		{Title: "Dune", Author: "Frank Herbert", Year: 1965, Genres: []string{"sf"}},
	}, got)
	v, resp, err := s.Result()
	require.NoError(t, err)
	assert.Equal(t, dune, v)
	assert.Equal(t, strings.Join(pieces, ""), resp.Content)
	assert.Equal(t, "Novel", p.Requests()[0].Format.Name)
	for _, err := range s.Partials() {
		assert.ErrorIs(t, err, mirascope.ErrStreamConsumed)
	}
}

func TestStreamExtractInvalid(t *testing.T) {
	p := mock.New(mock.Chunks(&mirascope.Chunk{Content: `{"title": "Dune", "author": "Frank Herbert", "year": 12, "genres": []}`}))
	s, err := mirascope.StreamExtract[Novel](context.Background(), p, AskLibrarian{"x"})
	require.NoError(t, err)
	_, _, err = s.Result()
	assert.ErrorIs(t, err, prompt.ErrValidation)
	assert.EqualError(t, err, `mirascope: extract mirascope_test.Novel: 1 attempt failed; last: $.year: failed rule "gte=1450" (got 12)`)

	boom := errors.New("boom")
	s, err = mirascope.StreamExtract[Novel](context.Background(), mock.New(mock.Text(`{"title": "Dune", "author": "x"}`).FailAfter(2, boom)), AskLibrarian{"x"})
	require.NoError(t, err)
	var errs []error
	for _, err := range s.Partials() {
		errs = append(errs, err)
	}
	assert.Equal(t, []error{nil, nil, boom}, errs, "partials ({} then the title), then the failure")
	_, _, err = s.Result()
	assert.Equal(t, boom, err)

	_, err = mirascope.StreamExtract[Novel](context.Background(), p, AskLibrarian{"x"}, mirascope.WithMaxReasks(1))
	assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
	assert.EqualError(t, err, "mirascope: StreamExtract: WithMaxReasks is not supported: only Extract asks again")
}
