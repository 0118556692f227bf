package mirascope_test

import (
	"context"
	"fmt"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// LibrarianChat is a conversation so far under a fixed system prompt: each
// turn of a tool loop renders it again with a longer history.
type LibrarianChat struct {
	History []prompt.Message `prompt:"history"`
}

func (LibrarianChat) Template() string {
	return "SYSTEM: You are a librarian.\nMESSAGES: {history}"
}

// The tool loop by hand, as Run does it, for a program that wants to look
// at each turn (log it, ask a person, stop early): Call, run the tools with
// CallTools, and Call again with the history grown by the assistant's turn
// (resp.Message, which carries its tool calls) and then the tools' results,
// in that order.
func Example_toolLoopByHand() {
	ctx := context.Background()
	tools := []mirascope.Tool{getAuthor}
	// A broken tool (a bad name, an In that is no struct) shows here, at
	// start-up or in a unit test, not at the first request.
	if err := mirascope.CheckTools(tools...); err != nil {
		fmt.Println(err)
		return
	}
	provider := mock.New(
		mock.ToolCalls(mock.ToolCall("get_author", AuthorQuery{Title: "Dune"})),
		mock.Text("Frank Herbert wrote Dune."),
	)

	chat := LibrarianChat{History: []prompt.Message{prompt.User("Who wrote Dune?")}}
	for turn := 1; turn <= 4; turn++ {
		resp, err := mirascope.Call(ctx, provider, chat, mirascope.WithTools(tools...))
		if err != nil {
			fmt.Println(err)
			return
		}
		chat.History = append(chat.History, resp.Message)
		if len(resp.ToolCalls) == 0 {
			fmt.Printf("turn %d: %s\n", turn, resp)
			break
		}
		fmt.Printf("turn %d: %d tool call(s)\n", turn, len(resp.ToolCalls))
		chat.History = append(chat.History, mirascope.CallTools(ctx, resp, tools...)...)
	}

	// What the second turn sent: the system prompt, then the history.
	for _, m := range provider.Requests()[1].Messages {
		fmt.Printf("%s: %q %d %q\n", m.Role, m.Content, len(m.ToolCalls), m.ToolCallID)
	}
	// Output:
	// turn 1: 1 tool call(s)
	// turn 2: Frank Herbert wrote Dune.
	// system: "You are a librarian." 0 ""
	// user: "Who wrote Dune?" 0 ""
	// assistant: "" 1 ""
	// tool: "Frank Herbert" 0 "call_1_0"
}

// CheckTools reports a tool no service would take, as a request offering
// it would, but at once.
func ExampleCheckTools() {
	bad := mirascope.NewTool("get author", "Returns the author of a book",
		func(ctx context.Context, in AuthorQuery) (string, error) { return "", nil })
	notStruct := mirascope.NewTool("count", "Counts", func(ctx context.Context, n int) (int, error) { return n, nil })
	fmt.Println(mirascope.CheckTools(getAuthor))
	fmt.Println(mirascope.CheckTools(getAuthor, bad))
	fmt.Println(mirascope.CheckTools(notStruct))
	// Output:
	// <nil>
	// mirascope: invalid tool "get author": a name must be 1 to 64 letters, digits, '_' or '-'
	// mirascope: invalid tool "count": int is not a struct: tool arguments are a JSON object
}
