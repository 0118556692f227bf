package replay_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/replay"
)

// Two subtests whose names differ only in characters a file name cannot
// hold keep a cassette each: recording the second does not overwrite the
// first.
func TestSubtestsNeverShareACassette(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	names := []string{"TestCmp/x>0", "TestCmp/x<0", "TestCmp/x_0"}
	t.Setenv(replay.EnvRecord, "1")
	for _, name := range names {
		rec := newFake(t, name)
		rec.run(func() {
			_, err := mirascope.Call(ctx, replay.New(rec, mock.New(mock.Text("answer for "+name))), RecommendBook{Genre: "scifi"})
			require.NoError(t, err)
		})
		require.Empty(t, rec.errors())
	}
	files, err := filepath.Glob(filepath.Join("testdata", "replay", "*.json"))
	require.NoError(t, err)
	assert.Len(t, files, len(names))
	assert.Contains(t, files, filepath.Join("testdata", "replay", "TestCmp__x_0.json"), "an ordinary name keeps its plain file")

	t.Setenv(replay.EnvRecord, "")
	for _, name := range names {
		play := newFake(t, name)
		play.run(func() {
			resp, err := mirascope.Call(ctx, replay.New(play, mock.New()), RecommendBook{Genre: "scifi"})
			require.NoError(t, err)
			assert.Equal(t, "answer for "+name, resp.Content)
		})
		require.Empty(t, play.errors())
	}
}

// Subtests whose names differ only in case would share one file where the
// cassettes are checked out on macOS or Windows: the second is refused.
func TestCaseOnlyNamesAreRefused(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(replay.EnvRecord, "1")
	first := newFake(t, "TestCase/GET")
	first.run(func() { replay.New(first, mock.New()) })
	require.Empty(t, first.errors())
	second := newFake(t, "TestCase/get")
	second.run(func() { replay.New(second, mock.New()) })
	assert.True(t, second.fatal)
	assert.Equal(t, "mirascope: replay: TestCase/GET and TestCase/get would share the cassette testdata/replay/TestCase__get.json "+
		"on a case-insensitive file system; rename one of them", second.errors())
}

// A cassette that cannot be written fails the test and leaves no temporary
// file behind.
func TestFailedSaveLeavesNoTempFile(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(replay.EnvRecord, "1")
	dir := filepath.Join("testdata", "replay")
	// A non-empty directory where the file goes: the final rename fails.
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "TestSave.json", "x"), 0o755))
	rec := newFake(t, "TestSave")
	rec.run(func() {
		_, err := mirascope.Call(context.Background(), replay.New(rec, mock.New(mock.Text("Hi."))), RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
	})
	assert.Contains(t, rec.errors(), "replay: writing testdata/replay/TestSave.json:")
	left, err := filepath.Glob(filepath.Join(dir, ".replay-*"))
	require.NoError(t, err)
	assert.Empty(t, left)
}

// Conversation is a prompt of as many messages as it is given.
type Conversation struct {
	History []prompt.Message `prompt:"history"`
}

func (c Conversation) Messages() []prompt.Message { return c.History }

// A mismatch on a request of megabytes reports a few kilobytes: the sizes
// and a window around the first difference.
func TestMismatchReportIsBounded(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	long := strings.Repeat("All work and no play. ", 50_000) // 1.1 MB on one line
	changed := long[:len(long)/2] + "CHANGED" + long[len(long)/2+7:]
	many := make([]prompt.Message, 5_000)
	for i := range many {
		many[i] = prompt.User(fmt.Sprintf("message %d", i))
	}
	manyChanged := make([]prompt.Message, len(many))
	for i := range manyChanged {
		manyChanged[i] = prompt.User(fmt.Sprintf("changed %d", i))
	}
	cases := []struct {
		name             string
		recorded, replay Conversation
		want             []string
	}{
		{"one long line", Conversation{[]prompt.Message{prompt.User(long)}}, Conversation{[]prompt.Message{prompt.User(changed)}},
			[]string{"play. CHANGEDk and", "(a line of 1100020 bytes, shown from byte 5499"}},
		{"many lines", Conversation{many}, Conversation{manyChanged}, []string{`"content": "message 0"`, `"content": "changed 0"`, "more removed line(s)", "changed line(s) in all"}},
		{"once more", Conversation{many}, Conversation{many}, []string{"this request", "was recorded 1 time(s)", "cut at 4096 bytes of 3"}},
	}
	for i, tc := range cases {
		name := fmt.Sprintf("TestHuge%d", i)
		t.Setenv(replay.EnvRecord, "1")
		rec := newFake(t, name)
		rec.run(func() {
			_, err := mirascope.Call(ctx, replay.New(rec, mock.New(mock.Text("Ok."))), tc.recorded)
			require.NoError(t, err)
		})
		require.Empty(t, rec.errors())

		t.Setenv(replay.EnvRecord, "")
		play := newFake(t, name)
		play.run(func() {
			p := replay.New(play, mock.New())
			if tc.name == "once more" {
				_, err := mirascope.Call(ctx, p, tc.recorded)
				require.NoError(t, err)
			}
			_, err := mirascope.Call(ctx, p, tc.replay)
			assert.ErrorIs(t, err, replay.ErrNotRecorded)
		})
		msg := play.errors()
		assert.Less(t, len(msg), 6<<10, tc.name)
		for _, w := range tc.want {
			assert.Contains(t, msg, w, tc.name)
		}
	}
}

// here returns the line it is called from.
func here() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

// TestReportsPointAtTheTest runs reportingChild in a test process of its
// own and reads where testing says each report comes from: the test's
// line, never a line of replay's own files.
func TestReportsPointAtTheTest(t *testing.T) {
	if os.Getenv("REPLAY_CHILD") == "1" {
		reportingChild(t)
		return
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^TestReportsPointAtTheTest$", "-test.v")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "REPLAY_CHILD=1", replay.EnvRecord+"=")
	out, _ := cmd.CombinedOutput() // the child fails on purpose
	text := string(out)

	var rec, site, direct int
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if _, err := fmt.Sscanf(strings.TrimSpace(sc.Text()), "LINES %d %d %d", &rec, &site, &direct); err == nil {
			break
		}
	}
	require.NotZero(t, rec, text)
	for _, own := range []string{"replay.go:", "cassette.go:", "diff.go:", "scrub.go:"} {
		assert.NotContains(t, text, " "+own, "a report points into replay itself")
	}
	assert.Contains(t, text, fmt.Sprintf("names_test.go:%d: replay: recorded 1 interactions in testdata/replay/TestReportsPointAtTheTest__record.json", rec),
		"a report at the end of a test points at its replay.New")
	assert.Contains(t, text, fmt.Sprintf("no recorded request matches (at names_test.go:%d)", site),
		"a request made through mirascope.Call names the test's line")
	assert.Contains(t, text, fmt.Sprintf("names_test.go:%d: replay: testdata/replay/TestReportsPointAtTheTest__mismatch.json: no recorded request matches;", direct),
		"a request made on the provider itself is reported at the test's line")
}

func reportingChild(t *testing.T) {
	ctx := context.Background()
	var rec, site, direct int
	t.Run("record", func(t *testing.T) {
		t.Setenv(replay.EnvRecord, "1")
		rec = here() + 1
		p := replay.New(t, mock.New(mock.Text("Hi.")))
		_, err := mirascope.Call(ctx, p, RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
	})
	t.Run("mismatch", func(t *testing.T) {
		dir := filepath.Join("testdata", "replay")
		b, err := os.ReadFile(filepath.Join(dir, "TestReportsPointAtTheTest__record.json"))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "TestReportsPointAtTheTest__mismatch.json"), b, 0o644))
		p := replay.New(t, mock.New())
		site = here() + 1
		_, _ = mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
		direct = here() + 1
		_, _ = p.Call(ctx, &mirascope.Request{Messages: []prompt.Message{prompt.User("other")}})
	})
	fmt.Printf("LINES %d %d %d\n", rec, site, direct)
}
