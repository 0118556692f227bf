package oaicompat

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonLine is the line as encoding/json reads it, which readOutputLine
// must match.
type jsonLine struct {
	CustomID string `json:"custom_id"`
	Response *struct {
		StatusCode int             `json:"status_code"`
		RequestID  string          `json:"request_id"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
	Error *lineError `json:"error"`
}

// sameAsJSON checks readOutputLine against encoding/json on line: both
// fail, or both read the same values.
func sameAsJSON(t *testing.T, line []byte) {
	t.Helper()
	var want jsonLine
	wantErr := json.Unmarshal(line, &want)
	var got outputLine
	gotErr := readOutputLine(line, &got)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%q: encoding/json: %v; readOutputLine: %v", line, wantErr, gotErr)
	}
	if wantErr != nil {
		return
	}
	if got.CustomID != want.CustomID || (got.Response == nil) != (want.Response == nil) || (got.Error == nil) != (want.Error == nil) {
		t.Fatalf("%q: got %+v, want %+v", line, got, want)
	}
	if want.Error != nil && *got.Error != *want.Error {
		t.Fatalf("%q: error %+v, want %+v", line, *got.Error, *want.Error)
	}
	if r, w := got.Response, want.Response; w != nil && (r.StatusCode != w.StatusCode || r.RequestID != w.RequestID ||
		!bytes.Equal(r.Body, w.Body) || (r.Body == nil) != (w.Body == nil)) {
		t.Fatalf("%q: response %+v %q, want %+v %q", line, *r, r.Body, *w, w.Body)
	}
}

var lineSeeds = []string{
	benchLine,
	`{"id":"batch_req_1","custom_id":"mirascope-1","response":{"status_code":400,"request_id":"req_1","body":{"error":{"message":"bad","type":"invalid_request_error","code":null}}},"error":null}`,
	`{"custom_id":"mirascope-2","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}`,
	`{"custom_id":"mirascope-3","error":{"code":500,"message":"boom"}}`,
	`{"custom_id":"mirascope-4","error":"just text"}`,
	`  {"CUSTOM_ID" : "mirascope-5" , "Response":{"Status_Code":200,"body":"x"}}` + "\r\n",
	`{"custom_id":"a","custom_id":"b","response":{"status_code":200},"response":{"request_id":"r"}}`,
	`{"custom_id":"a","response":{"status_code":200},"response":null}`,
	`{"custom_id":"a\"b\\","response":{"body":{"s":"q\\\"}x","n":[1,{"a":"]"}]}}}`,
	`{"custom_\u0069d":"\u00e9\ud83d\ude00","response":{"body":null}}`,
	"{\"custom_id\":\"\xff\xfe\",\"response\":{\"status_code\":200,\"body\":[]}}",
	`{"custom_id":12}`,
	`{"custom_id":null,"response":{"status_code":"200"}}`,
	`{"response":{"status_code":200.0}}`,
	`{"response":{"status_code":2e2}}`,
	`{"response":{"status_code":-0}}`,
	`{"response":{"status_code":99999999999999999999}}`,
	`{"response":[1]}`,
	`{"response":true}`,
	`{"error":{"code":"c"},"error":5}`,
	`null`,
	`[]`,
	`"s"`,
	`{}`,
	`{"custom_id":"a"`,
	`{"custom_id":"a"} x`,
	``,
	`{"ſ":1,"cuſtom_id":"fold","K":2}`,
}

// readOutputLine reads what encoding/json reads of the same fields, and
// fails where it fails.
func TestReadOutputLineAsJSON(t *testing.T) {
	for _, s := range lineSeeds {
		sameAsJSON(t, []byte(s))
	}
}

func FuzzReadOutputLine(f *testing.F) {
	for _, s := range lineSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) { sameAsJSON(t, line) })
}

// A body of deep nesting, or a string of a million escaped quotes, is
// read in time linear in its length (a quadratic walk would take minutes);
// nesting past encoding/json's bound fails the line, as it would there.
func TestReadOutputLineHostile(t *testing.T) {
	deeper := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	sameAsJSON(t, []byte(`{"response":{"status_code":200,"body":`+deeper+`}}`))
	require.Error(t, readOutputLine([]byte(`{"response":{"body":`+deeper+`}}`), new(outputLine)))
	deep := strings.Repeat("[", 9_000) + strings.Repeat("]", 9_000)
	quotes := `"` + strings.Repeat(`\"`, 1_000_000) + `"`
	slashes := `"` + strings.Repeat(`\\`, 1_000_000) + `"`
	for _, body := range []string{deep, quotes, slashes} {
		line := []byte(`{"custom_id":"mirascope-0","response":{"status_code":200,"body":` + body + `}}`)
		var l outputLine
		require.NoError(t, readOutputLine(line, &l))
		assert.Equal(t, "mirascope-0", l.CustomID)
		assert.Equal(t, body, string(l.Response.Body))
	}
}
