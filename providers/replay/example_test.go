package replay_test

import (
	"context"
	"testing"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/openai"
	"github.com/mirascope-go/mirascope/providers/replay"
)

type Recommend struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (Recommend) Template() string { return "Recommend a {genre} book." }

// testRecommend is a user's test, as it would be written in a _test.go file
// under the name TestRecommend. Record its cassette once against the real
// service, review and commit testdata/replay/TestRecommend.json, and every
// later run replays it offline:
//
//	MIRASCOPE_RECORD='^TestRecommend$' go test -run '^TestRecommend$' .
func testRecommend(t *testing.T) {
	p := replay.New(t, openai.New("gpt-4o-mini"))
	for _, genre := range []string{"fantasy", "scifi"} {
		resp, err := mirascope.Call(context.Background(), p, Recommend{Genre: genre})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Content == "" {
			t.Errorf("%s: empty answer", genre)
		}
	}
}

func Example() {
	// In a test file: func TestRecommend(t *testing.T) { ... } as above.
	_ = testRecommend
}
