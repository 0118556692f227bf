// Package replay records a provider's answers once and replays them offline,
// for table-driven tests of prompts against real model output.
//
//	func TestRecommend(t *testing.T) {
//		p := replay.New(t, openai.New("gpt-4o-mini")) // testdata/replay/TestRecommend.json
//		resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//		...
//	}
//
// # Modes
//
// By default [New] never calls the provider it wraps: it answers from the
// test's cassette, testdata/replay/<TestName>.json (a subtest's name with
// its "/" written as "__" and any character other than letters, digits,
// '.', '_' and '-' as '_'). Names that differ get files that differ: where
// that writing could make two names one (a replaced character, a part
// starting or ending with '_' or holding "__") or the name is long, '+' and
// a short hash of the exact name follow, as in TestCmp__x_0+d73470388605.json
// for "TestCmp/x>0". Two names differing only in case would share a file
// where a cassette is checked out on macOS or Windows, so the second one a
// test process opens fails its test. With MIRASCOPE_RECORD set to 1, or to a regular
// expression matching the test's full name, it calls the wrapped provider
// and, when the test ends without failing, writes the cassette anew:
//
//	MIRASCOPE_RECORD='^TestRecommend$' go test -run '^TestRecommend$' ./...
//
// Never a silent pass: a missing cassette fails the test with the command
// that records it, and a request the cassette does not hold fails it with a
// diff against the nearest recorded request (and Call returns an error
// matching [ErrNotRecorded]). The diff stays a few kilobytes whatever the
// size of the requests: the sizes, a window around a long line's first
// difference, and at most 4 KiB of lines. Reports name the test's line, not
// replay's: the line testing prints, or, for a request made through
// mirascope.Call, an "(at file_test.go:42)" in the message.
//
// # Matching
//
// A request is matched on its canonical form: the provider's name, the model
// sent, the messages, the parameters that were set, the tools' definitions,
// the tool choice, the output format, and the provider-specific settings
// that encode as JSON (named by the option, e.g. "WithExtraBody"). A
// Call and a Stream are different interactions. Identical requests replay their recordings in the
// order they were recorded, so a tool loop replays turn by turn.
//
// # Media
//
// A request's media is matched and stored by what identifies it, never by
// its bytes: bytes as their SHA-256, size and MIME type; a data: URL as its
// header (up to the comma) and its payload's SHA-256 and size; a URL
// (http(s), gs://, s3://) and a file id as they are, but for the values of
// a signed URL's signing parameters (X-Amz-Signature, X-Goog-Signature, an
// Azure SAS's sig…), which are masked, so the object signed again still
// matches. A cassette of a call with a 2 MB image is a kilobyte or two:
//
//	{"kind": "image", "mime_type": "image/png", "sha256": "dda8a01e…", "size": 2097152}
//
// A different image is a different request: replaying it fails the test
// with a diff on the two digests. Media in an answer is stored whole (as
// base64), since replaying gives it back.
//
// # What a cassette holds
//
// Responses (content, model, id, finish reasons, usage, tool calls and the
// assistant message), streams chunk by chunk (a stream the test stopped
// reading is recorded as far as it was read, and reading it further when
// replayed fails the test), and failures: a
// [*mirascope.ProviderError] replays with its status, request id, code,
// message and retryability, and any other error as its text, still matching
// the sentinels it matched ([mirascope.ErrRateLimited], [mirascope.ErrAuth],
// [mirascope.ErrContextLength], [mirascope.ErrUnsupportedParameter],
// context.Canceled, context.DeadlineExceeded). The SDK's own value
// (Response.Raw, Chunk.Raw) is not recorded: replayed, it is nil.
//
// The file is indented JSON with sorted keys, one entry per interaction, and
// a version number, so that a re-recording reviews as a readable diff.
//
// # Secrets
//
// replay sits at the [mirascope.Provider] boundary: it never sees a header or
// an API key. The values of fields tagged `prompt:"name,redact"` are replaced
// with [prompt.RedactedText] everywhere in the file (messages, answers, tool
// arguments, error text) and in matching, so a cassette never holds them and
// a changed secret still matches. A redacted media field's image, sound or
// document is recorded as the text [prompt.RedactedText] wherever a
// request holds it (the same Media, the same bytes in memory, URL or file
// id), without even its digest. A redacted value shorter than four bytes is
// masked in a template prompt's messages but not searched for in free text.
//
// # Decorators
//
// A replay provider implements [mirascope.Streamer] whatever it wraps and
// unwraps to it. Under otel.Traced it produces spans from the replayed
// answers; wrapping a traced provider, it records through the tracer and
// replays without calling it.
package replay
