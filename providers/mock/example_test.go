package mock_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// Summarize is a user's prompt under test.
type Summarize struct {
	Text  string `prompt:"text" validate:"required,max=2000"`
	Words int    `prompt:"words" validate:"gte=10,lte=200"`
}

func (Summarize) Template() string {
	return `
		SYSTEM: You summarise text in at most {words} words.
		USER: {text}
	`
}

// This is how a table-driven test of a prompt reads: each case scripts the
// model's answer and checks what was sent, or that bad input never left the
// process. In a real test the loop body is t.Run with require/assert.
func Example_tableDriven() {
	tests := []struct {
		name     string
		in       Summarize
		reply    mock.Reply
		wantSent string // the system message the provider received
		wantErr  error
	}{
		{"short", Summarize{Text: "Go is fun.", Words: 10}, mock.Text("Fun."), "You summarise text in at most 10 words.", nil},
		{"too few words", Summarize{Text: "Go is fun.", Words: 3}, mock.Text("unused"), "", prompt.ErrValidation},
		{"service down", Summarize{Text: "Go is fun.", Words: 50}, mock.Fail(&mirascope.ProviderError{Provider: "mock", StatusCode: 503, Retryable: true}), "You summarise text in at most 50 words.", nil},
	}
	for _, tt := range tests {
		p := mock.New(tt.reply)
		resp, err := mirascope.Call(context.Background(), p, tt.in)

		var sent string
		if reqs := p.Requests(); len(reqs) > 0 {
			sent = reqs[0].Messages[0].Content
		}
		var perr *mirascope.ProviderError
		switch {
		case tt.wantErr != nil:
			fmt.Printf("%s: wanted error: %v, requests sent: %d\n", tt.name, errors.Is(err, tt.wantErr), len(p.Requests()))
		case errors.As(err, &perr):
			fmt.Printf("%s: retryable %d: %v, sent ok: %v\n", tt.name, perr.StatusCode, perr.Retryable, sent == tt.wantSent)
		default:
			fmt.Printf("%s: %q, sent ok: %v\n", tt.name, resp, sent == tt.wantSent)
		}
	}
	// Output:
	// short: "Fun.", sent ok: true
	// too few words: wanted error: true, requests sent: 0
	// service down: retryable 503: true, sent ok: true
}
