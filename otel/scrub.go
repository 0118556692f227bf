package otel

import (
	"strings"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/internal/secrets"
	"github.com/mirascope-go/mirascope/prompt"
)

// An error's text is the service's or the provider's, and may quote the
// request: some services echo the offending input in a validation error, and
// a user's provider may put anything in its errors. What the span records of
// it (the status description and the exception event) is scrubbed first:
//
//   - every redacted value, at any depth, becomes [prompt.RedactedText];
//   - with content capture off, so does every field value and every input
//     message's text, as the span records neither.
//
// The answer recorded in gen_ai.output.messages (and the legacy completion
// event) is masked of the redacted values too, since a model may repeat
// them. This runs only for a failed call or a prompt with redacted fields,
// so the common path pays nothing.

// secretsOf lists the texts a span must not hold: the prompt's redacted
// values (see prompt.Rendered.RedactedValues) and, with capture off, every
// field value and input message of at least secrets.MinLen bytes. They come
// longest first, each also in the forms a text quotes it in (JSON, %q).
func secretsOf(req *mirascope.Request, capture bool) []string {
	if req == nil {
		return nil
	}
	m := secrets.NewMasker()
	if rp := req.Prompt; rp != nil {
		m.Add(rp.RedactedValues()...)
		if !capture {
			for i := range rp.Fields {
				if v := rp.Fields[i].Value; isMedia(v) {
					m.Add(mediaLeaves(v)...)
				} else {
					m.Add(secrets.Leaves(v)...)
				}
			}
		}
	}
	if !capture {
		for i := range req.Messages {
			msg := &req.Messages[i]
			m.Add(msg.Content)
			m.Add(mediaLeaves(msg.Parts)...)
			for j := range msg.ToolCalls {
				m.Add(msg.ToolCalls[j].Arguments)
			}
		}
	}
	return m.Forms()
}

// maskAll replaces every secret in text with [prompt.RedactedText].
func maskAll(text string, secrets []string) string {
	for _, s := range secrets {
		text = strings.ReplaceAll(text, s, prompt.RedactedText)
	}
	return text
}

// maxErrorText bounds the error text a span records (status and exception
// message): a service's error body may be long.
const maxErrorText = 8 << 10

// safeErrorText is an error's text as a span may record it: credentials
// masked (see maskCredentials), valid UTF-8, at most maxErrorText bytes.
func safeErrorText(text string) string {
	return scrubbedErrorText(text, nil)
}

// scrubbedErrorText is safeErrorText with the secrets masked too (see
// secretsOf). The text is cut before it is masked (see cutMasked).
func scrubbedErrorText(text string, secrets []string) string {
	safe, _ := cutMasked(text, maxErrorText, func(w string) string {
		return validString(maskCredentials(maskAll(w, secrets)))
	}, secrets)
	return safe
}

// Providers mask their own credential in the errors they return; as a
// second line of defence, error text recorded on a span is also masked of
// what looks like one, with the one pattern set every layer uses.
func maskCredentials(text string) string { return secrets.MaskCredentials(text) }
