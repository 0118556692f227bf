// Package mock is a scripted [mirascope.Provider] for tests: it answers with
// the replies it was given, streams them word by word, fails where told to,
// and records every request for assertions, without any network.
//
//	p := mock.New(mock.Text("Try The Name of the Wind."), mock.Fail(errors.New("boom")))
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//	got := p.Requests()[0].Messages[0].Content // "Recommend a fantasy book."
//
// Replies are used in order and the last one repeats. A Provider is safe for
// concurrent use.
package mock
