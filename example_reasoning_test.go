package mirascope_test

import (
	"context"
	"fmt"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

func ExampleWithReasoning() {
	// A service's answer with its thinking: the summary it shows, and the
	// signed block it must see again in the next turn.
	provider := mock.New(mock.Respond(&mirascope.Response{
		Content:   "Try The Left Hand of Darkness.",
		Reasoning: "The reader likes classic science fiction with big ideas.",
		Message: prompt.Message{Role: prompt.RoleAssistant, Content: "Try The Left Hand of Darkness.",
			Reasoning: []prompt.Reasoning{{Text: "The reader likes classic science fiction with big ideas.", Signature: "sig-1"}}},
	}), mock.Text("Then The Dispossessed."))

	// One option for every provider: a level, or WithReasoningBudget(tokens).
	resp, err := mirascope.Call(context.Background(), provider, Book{Genre: "scifi"},
		mirascope.WithReasoning(mirascope.ReasoningHigh))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("thinking:", resp.Reasoning)
	fmt.Println("answer:", resp.Content)

	// The reasoning lives in the message: a history sent back (or stored
	// as JSON and continued later) carries it, signature and all.
	history := []prompt.Message{prompt.User("Recommend a scifi book."), resp.Message, prompt.User("Another?")}
	if _, err := provider.Call(context.Background(), &mirascope.Request{Messages: history}); err != nil {
		fmt.Println(err)
		return
	}
	sent := provider.Requests()[1].Messages[1]
	fmt.Println("sent back:", sent.Reasoning[0].Signature)
	fmt.Println("asked for:", *provider.Requests()[0].Params.Reasoning)
	// Output:
	// thinking: The reader likes classic science fiction with big ideas.
	// answer: Try The Left Hand of Darkness.
	// sent back: sig-1
	// asked for: high
}
