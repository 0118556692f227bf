// Command batch classifies a handful of books through OpenAI's Batch API:
// it submits them as one job, stores nothing but the job id, resumes the job
// from a new provider value (as another process would), waits, and reads
// the results, which come back in the service's order and map to their
// prompts by index.
//
//	go run ./examples/batch
//	go run ./examples/batch -offline
//	go run ./examples/batch -resume batch_abc123   # online: a job submitted earlier
//
// With OPENAI_API_KEY in the environment it uses OpenAI (a real job may take
// up to a day; Ctrl-C stops the wait, and the printed id resumes it). Without
// it, or with -offline, the real OpenAI client talks to an in-process fake of
// the Files and Batch endpoints (fake.go), which answers in reverse order
// and fails one request.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/openai"
)

// Classify is the prompt: one per book.
type Classify struct {
	Title string `prompt:"title" validate:"required"`
}

func (Classify) Template() string {
	return "Answer with one word, the genre of the book {title}."
}

func main() {
	offline := flag.Bool("offline", false, "use the in-process fake even when OPENAI_API_KEY is set")
	resume := flag.String("resume", "", "a job id to resume instead of submitting")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Stderr, *offline, *resume); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout, stderr io.Writer, offline bool, resumeID string) error {
	titles := []string{"The Name of the Wind", "Dune", "FAIL: not a book", "Gone Girl"}
	var opts []providers.Option
	wait := []batch.WaitOption{}
	if offline || os.Getenv("OPENAI_API_KEY") == "" {
		srv := httptest.NewServer(newFake())
		defer srv.Close()
		opts = append(opts, providers.WithBaseURL(srv.URL), providers.WithAPIKey("sk-offline"))
		wait = append(wait, batch.WithPollInterval(10*time.Millisecond, 50*time.Millisecond))
		fmt.Fprintln(stderr, "offline: an in-process fake of OpenAI's Files and Batch API")
	}
	newProvider := func() mirascope.Provider { return openai.New("gpt-4o-mini", opts...) }

	id := resumeID
	if id == "" {
		prompts := make([]Classify, len(titles))
		for i, t := range titles {
			prompts[i] = Classify{Title: t}
		}
		job, err := batch.Submit(ctx, newProvider(), prompts, mirascope.WithMaxTokens(8))
		if err != nil {
			return err
		}
		id = job.ID()
		fmt.Fprintln(stdout, "submitted", id)
	}

	// Later, perhaps in another process: the id is all it takes.
	job, err := batch.Resume(ctx, newProvider(), id)
	if err != nil {
		return err
	}
	if err := job.Wait(ctx, wait...); err != nil {
		var je *batch.JobError
		if !errors.As(err, &je) || je.Completed == 0 {
			return err
		}
		fmt.Fprintln(stderr, err, "- reading what was answered")
	}
	for r, err := range job.Results(ctx) {
		if err != nil {
			return err
		}
		title := "#" + fmt.Sprint(r.Index)
		if resumeID == "" {
			title = titles[r.Index]
		}
		if r.Err != nil {
			fmt.Fprintf(stdout, "%s: failed: %v\n", title, r.Err)
			continue
		}
		fmt.Fprintf(stdout, "%s: %s\n", title, r.Response.Content)
	}
	return nil
}
