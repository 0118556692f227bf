package replay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/mirascope-go/mirascope"
)

// EnvRecord is the variable that switches recording on: "1" for every test,
// or a regular expression matched against a test's full name.
const EnvRecord = "MIRASCOPE_RECORD"

// ErrNotRecorded matches the error a replaying provider returns for a
// request its cassette does not hold (the test has failed already, with a
// diff).
var ErrNotRecorded = errors.New("mirascope: replay: request not recorded")

// Provider records the answers of the provider it wraps, or replays them.
// It is safe for concurrent use, so parallel calls inside one test are
// fine; each test (or subtest) has a cassette of its own.
type Provider struct {
	t    testing.TB
	next mirascope.Provider
	c    *cassette
}

var (
	_ mirascope.Provider = (*Provider)(nil)
	_ mirascope.Streamer = (*Provider)(nil)
)

// New returns a provider that answers t's requests from
// testdata/replay/<TestName>.json, or, when [EnvRecord] selects t, calls p
// and records its answers there. A missing or unreadable cassette fails t
// at once, with the command that records it.
func New(t testing.TB, p mirascope.Provider) mirascope.Provider {
	t.Helper()
	if p == nil {
		t.Fatal("replay: New: nil provider")
	}
	record, err := recording(t.Name())
	if err != nil {
		t.Fatal(err)
	}
	c, err := open(t, filepath.Join("testdata", "replay", fileName(t.Name())+".json"), record)
	if err != nil {
		t.Fatal(err)
	}
	return &Provider{t: t, next: p, c: c}
}

// recording reports whether EnvRecord selects the test named name.
func recording(name string) (bool, error) {
	v := os.Getenv(EnvRecord)
	switch v {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	re, err := regexp.Compile(v)
	if err != nil {
		return false, fmt.Errorf("mirascope: replay: %s=%q is not a regular expression: %w", EnvRecord, v, err)
	}
	return re.MatchString(name), nil
}

// Info returns the wrapped provider's Info, so spans and matching name the
// real service.
func (p *Provider) Info() mirascope.ProviderInfo { return p.next.Info() }

// Unwrap returns the wrapped provider.
func (p *Provider) Unwrap() mirascope.Provider { return p.next }

// Call answers req from the cassette, or records the wrapped provider's
// answer.
func (p *Provider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	p.t.Helper()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := newScrubber(req.Prompt)
	key, err := canonical("call", p.next.Info(), req, s)
	if err != nil {
		return nil, fmt.Errorf("mirascope: replay: encoding the request: %w", err)
	}
	if !p.c.record {
		in, err := p.c.take(p.t, key)
		if err != nil {
			return nil, err
		}
		if in.Error != nil {
			return nil, in.Error.error()
		}
		if in.Response == nil {
			return nil, fmt.Errorf("mirascope: replay: %s: a call's interaction holds no response", p.c.path)
		}
		return in.Response.response(), nil
	}
	resp, err := p.next.Call(ctx, req)
	in := interaction{Request: key}
	switch {
	case err != nil && ctx.Err() != nil:
		p.t.Logf("replay: not recording a call cut short by its context%s: %s", testSite(), s.string(err.Error()))
		return resp, err
	case err != nil:
		in.Error = clean(s, fromError(err))
	case resp != nil:
		in.Response = clean(s, fromResponse(resp))
	}
	p.c.add(in, s)
	return resp, err
}

// Stream answers req chunk by chunk from the cassette, or records the
// wrapped provider's chunks (as far as the caller reads them).
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	s := newScrubber(req.Prompt)
	key, kerr := canonical("stream", p.next.Info(), req, s)
	return func(yield func(*mirascope.Chunk, error) bool) {
		p.t.Helper()
		if kerr != nil {
			yield(nil, fmt.Errorf("mirascope: replay: encoding the request: %w", kerr))
			return
		}
		if p.c.record {
			p.recordStream(ctx, req, key, s, yield)
			return
		}
		in, err := p.c.take(p.t, key)
		if err != nil {
			yield(nil, err)
			return
		}
		for _, c := range in.Chunks {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			if !yield(c.chunk(), nil) {
				return
			}
		}
		switch {
		case in.Error != nil:
			yield(nil, in.Error.error())
		case in.Partial:
			// The recording stopped where an earlier run stopped reading;
			// ending here would pass off a cut answer as the whole one.
			p.t.Errorf("replay: %s: this stream was recorded only as far as %d chunk(s) and is now read further%s\nRecord it again with:\n\t%s",
				p.c.path, len(in.Chunks), testSite(), recordCommand(p.c.test))
			yield(nil, fmt.Errorf("%w: %s: the rest of a partly recorded stream", ErrNotRecorded, p.c.path))
		}
	}
}

func (p *Provider) recordStream(ctx context.Context, req *mirascope.Request, key json.RawMessage, s *scrubber, yield func(*mirascope.Chunk, error) bool) {
	p.t.Helper()
	in := interaction{Request: key}
	keep := true
	defer func() {
		if keep {
			in.Chunks = clean(s, in.Chunks)
			p.c.add(in, s)
		}
	}()
	st, ok := p.next.(mirascope.Streamer)
	if !ok {
		// As mirascope.Stream does for a provider that cannot stream: the
		// whole answer is one chunk.
		st = wholeStreamer{p.next}
	}
	for c, err := range st.Stream(ctx, req) {
		if err != nil {
			if ctx.Err() != nil {
				keep = false
				p.t.Logf("replay: not recording a stream cut short by its context%s: %s", testSite(), s.string(err.Error()))
			} else {
				in.Error = clean(s, fromError(err))
			}
			yield(nil, err)
			return
		}
		if c == nil {
			continue
		}
		in.Chunks = append(in.Chunks, fromChunk(c))
		if !yield(c, nil) {
			in.Partial = true
			return
		}
	}
}

type wholeStreamer struct{ p mirascope.Provider }

func (w wholeStreamer) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) {
		resp, err := w.p.Call(ctx, req)
		if err != nil {
			yield(nil, err)
			return
		}
		for _, c := range resp.Chunks() {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// cassette is one test's file, shared by every replay provider that test
// creates.
type cassette struct {
	path   string
	test   string
	record bool

	mu      sync.Mutex
	file    cassetteFile
	used    []bool
	secrets scrubber
}

var (
	openMu sync.Mutex
	opened = map[string]*cassette{}
	// claimed maps each cassette path this process has opened, in lower
	// case, to the test that opened it.
	claimed = map[string]string{}
)

func open(t testing.TB, path string, record bool) (*cassette, error) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	openMu.Lock()
	defer openMu.Unlock()
	// Names that differ give files that differ, but on a case-insensitive
	// file system (macOS, Windows, where a committed cassette is checked
	// out too) "Foo" and "foo" would still be one file.
	folded := strings.ToLower(abs)
	if other, ok := claimed[folded]; ok && other != t.Name() {
		return nil, fmt.Errorf("mirascope: replay: %s and %s would share the cassette %s on a case-insensitive file system; rename one of them", other, t.Name(), path)
	}
	claimed[folded] = t.Name()
	if c, ok := opened[abs]; ok {
		return c, nil
	}
	c := &cassette{path: path, test: t.Name(), record: record, file: cassetteFile{Version: formatVersion}}
	if !record {
		f, err := load(path)
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("mirascope: replay: no cassette %s for %s; record it with:\n\t%s", path, t.Name(), recordCommand(t.Name()))
		}
		if err != nil {
			return nil, err
		}
		c.file = *f
		c.used = make([]bool, len(f.Interactions))
	}
	opened[abs] = c
	t.Cleanup(func() {
		t.Helper()
		openMu.Lock()
		delete(opened, abs)
		openMu.Unlock()
		c.close(t)
	})
	return c, nil
}

func (c *cassette) close(t testing.TB) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.record {
		if n := countFalse(c.used); n > 0 && !t.Failed() {
			t.Logf("replay: %s: %d of %d recorded interactions were not replayed", c.path, n, len(c.used))
		}
		return
	}
	if t.Failed() {
		t.Logf("replay: %s: the test failed; the cassette was not written", c.path)
		return
	}
	if err := save(c.path, &c.file, &c.secrets); err != nil {
		t.Errorf("replay: writing %s: %v", c.path, err)
		return
	}
	t.Logf("replay: recorded %d interactions in %s", len(c.file.Interactions), c.path)
}

func (c *cassette) add(in interaction, s *scrubber) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.secrets.merge(s)
	c.file.Interactions = append(c.file.Interactions, in)
}

// take returns the first unreplayed interaction recorded for key, or fails
// the test with a diff against the nearest recorded request.
func (c *cassette) take(t testing.TB, key json.RawMessage) (*interaction, error) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := 0
	for i := range c.file.Interactions {
		in := &c.file.Interactions[i]
		if string(in.Request) != string(key) {
			continue
		}
		if !c.used[i] {
			c.used[i] = true
			return in, nil
		}
		seen++
	}
	var msg string
	if seen > 0 {
		msg = fmt.Sprintf("replay: %s: this request%s was recorded %d time(s) and is now made once more:\n%s\nRecord it again with:\n\t%s",
			c.path, testSite(), seen, excerpt(string(key)), recordCommand(c.test))
	} else {
		msg = fmt.Sprintf("replay: %s: no recorded request matches%s%s\nRecord it again with:\n\t%s",
			c.path, testSite(), c.nearest(key), recordCommand(c.test))
	}
	t.Error(msg)
	return nil, fmt.Errorf("%w: %s", ErrNotRecorded, c.path)
}

// nearest describes the recorded request closest to key, as a diff.
func (c *cassette) nearest(key json.RawMessage) string {
	var best []diffLine
	fewest, size := -1, 0
	for _, in := range c.file.Interactions {
		d, n := diffLines(string(in.Request), string(key))
		if fewest < 0 || n < fewest {
			best, fewest, size = d, n, len(in.Request)
		}
	}
	if fewest < 0 {
		return "; the cassette holds no interactions. Got:\n" + excerpt(string(key))
	}
	return fmt.Sprintf("; the nearest recorded request (%d bytes; this one %d) differs (-recorded +got):\n%s", size, len(key), render(best, fewest))
}

// testSite names, as " (at file_test.go:42)", the line of the test that
// made the current request, when the line testing reports is not already
// in the test: a request made through mirascope.Call passes through frames
// that cannot be marked as helpers. It is empty when no test file is on
// the stack, as in a goroutine a tool started.
func testSite() string {
	var pcs [64]uintptr
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs[:])])
	first := true
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, pkgPath+".") {
			if strings.HasSuffix(f.File, "_test.go") {
				if first {
					return "" // testing reports this very line
				}
				return fmt.Sprintf(" (at %s:%d)", filepath.Base(f.File), f.Line)
			}
			first = false
		}
		if !more {
			return ""
		}
	}
}

// pkgPath is this package's import path; its frames are all helpers.
var pkgPath = reflect.TypeFor[Provider]().PkgPath()

func countFalse(bs []bool) int {
	n := 0
	for _, b := range bs {
		if !b {
			n++
		}
	}
	return n
}

// recordCommand is the shell command that records the test named test,
// from any directory of the module.
func recordCommand(test string) string {
	parts := strings.Split(test, "/")
	run := make([]string, len(parts))
	for i, p := range parts {
		run[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return fmt.Sprintf("%s=%s go test -run %s %s", EnvRecord, shellQuote("^"+regexp.QuoteMeta(test)+"$"),
		shellQuote(strings.Join(run, "/")), packageDir())
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// packageDir is the test's package as go test takes it: its import path,
// which works from any directory of the module, or else its directory
// relative to the module root.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; {
		if mod, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(dir, wd)
			if err != nil {
				return "."
			}
			if path := modulePath(mod); path != "" {
				if rel == "." {
					return path
				}
				return path + "/" + filepath.ToSlash(rel)
			}
			if rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
}

// modulePath returns the path a go.mod file declares, or "".
func modulePath(mod []byte) string {
	for _, line := range strings.Split(string(mod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			rest, _, _ = strings.Cut(rest, "//")
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
