package batch_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers/mock"
)

func Example() {
	ctx := context.Background()
	// Any provider with a batch API works here: openai.New("gpt-4o-mini"), otel.Traced(...), …
	// The mock answers at once, in reverse order, one request failing.
	provider := mock.New(mock.Text("The Hobbit"), mock.Fail(errors.New("overloaded")), mock.Text("Gone Girl"))
	prompts := []book{{"fantasy"}, {"scifi"}, {"mystery"}}

	job, err := batch.Submit(ctx, provider, prompts, mirascope.WithMaxTokens(64))
	if err != nil {
		fmt.Println(err)
		return
	}
	id := job.ID() // store it: another process may batch.Resume(ctx, provider, id)

	job, err = batch.Resume(ctx, provider, id)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := job.Wait(ctx, batch.WithPollInterval(time.Millisecond, time.Second)); err != nil {
		fmt.Println(err) // a *batch.JobError: failed, expired or cancelled
		return
	}
	for r, err := range job.Results(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if r.Err != nil {
			fmt.Println(prompts[r.Index].Genre, "failed:", r.Err)
			continue
		}
		fmt.Println(prompts[r.Index].Genre, "->", r.Response.Content)
	}
	// Output:
	// mystery -> Gone Girl
	// scifi failed: overloaded
	// fantasy -> The Hobbit
}

func Example_badPrompt() {
	provider := mock.New(mock.Text("x"))
	_, err := batch.Submit(context.Background(), provider, []book{{"fantasy"}, {"horror"}})
	fmt.Println(err)
	fmt.Println(len(provider.Requests()), "requests sent")
	// Output:
	// mirascope: batch: prompt 1: prompt: book.Genre: failed "oneof=fantasy scifi mystery" (got "horror")
	// 0 requests sent
}
