// Package mock is a scripted [mirascope.Provider] for tests: it answers with
// the replies it was given, streams them word by word, fails where told to,
// and records every request for assertions, without any network.
//
//	p := mock.New(mock.Text("Try The Name of the Wind."), mock.Fail(errors.New("boom")))
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//	got := p.Requests()[0].Messages[0].Content // "Recommend a fantasy book."
//
// Tool loops and extraction are scripted the same way: [ToolCalls] answers
// with calls (streamed as tool-call chunks), [JSON] with a structured answer,
// and the recorded requests carry the Tools and Format the model was given:
//
//	p := mock.New(
//		mock.ToolCalls(mock.ToolCall("get_author", GetAuthor{Title: "Dune"})),
//		mock.Text("Frank Herbert wrote Dune."),
//	)
//	tr, err := mirascope.Run(ctx, p, Ask{Question: "Who wrote Dune?"}, mirascope.WithTools(getAuthor))
//
// A request's messages are recorded as they were sent, parts and media
// included (copied, bytes too, so reusing a buffer after the call changes
// nothing recorded):
//
//	img := p.Requests()[0].Messages[0].Parts[1].Media // Kind, MIMEType, Data…
//
// Replies are used in order and the last one repeats. A Provider is safe for
// concurrent use.
package mock
