package otel

import (
	"encoding"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/mirascope-go/mirascope"
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

// minScrubLen is the shortest non-redacted text scrubbed with capture off:
// shorter values ("a", "10") would mangle the rest of the message while
// giving away little. Redacted values are scrubbed whatever their length.
const minScrubLen = 3

// secretsOf lists the texts a span must not hold: the redacted values and,
// with capture off, every field value and input message. They come longest
// first, each also in its quoted (%q, JSON) form where that differs.
func secretsOf(req *mirascope.Request, capture bool) []string {
	if req == nil {
		return nil
	}
	var secrets []string
	if rp := req.Prompt; rp != nil {
		for i := range rp.Fields {
			f := &rp.Fields[i]
			switch {
			case f.Redacted:
				secrets = appendLeaves(secrets, reflect.ValueOf(f.Value), 1, 0)
			case !capture:
				secrets = appendLeaves(secrets, reflect.ValueOf(f.Value), minScrubLen, 0)
			case rp.HasRedacted():
				// A nested struct with a redacted field: what its masked form
				// lacks is the secret.
				masked := appendLeaves(nil, reflect.ValueOf(f.Masked()), 1, 0)
				for _, s := range appendLeaves(nil, reflect.ValueOf(f.Value), 1, 0) {
					if !slices.Contains(masked, s) {
						secrets = append(secrets, s)
					}
				}
			}
		}
	}
	if !capture {
		for i := range req.Messages {
			m := &req.Messages[i]
			if len(m.Content) >= minScrubLen {
				secrets = append(secrets, m.Content)
			}
			for j := range m.ToolCalls {
				if a := m.ToolCalls[j].Arguments; len(a) >= minScrubLen {
					secrets = append(secrets, a)
				}
			}
		}
	}
	for _, s := range secrets {
		if q := quotedInner(s); q != s {
			secrets = append(secrets, q)
		}
	}
	// Longest first, so that a secret holding another is masked whole.
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	return secrets
}

// maskAll replaces every secret in text with [prompt.RedactedText].
func maskAll(text string, secrets []string) string {
	for _, s := range secrets {
		text = strings.ReplaceAll(text, s, prompt.RedactedText)
	}
	return text
}

func quotedInner(s string) string {
	q := fmt.Sprintf("%q", s)
	return q[1 : len(q)-1]
}

var (
	stringerType = reflect.TypeFor[fmt.Stringer]()
	textType     = reflect.TypeFor[encoding.TextMarshaler]()
)

// appendLeaves appends the text of every leaf of v at least min bytes long:
// strings, Stringers and TextMarshalers, and numbers and bools as they
// print, inside structs (exported fields), slices, arrays, maps and
// pointers.
func appendLeaves(out []string, v reflect.Value, min, depth int) []string {
	if !v.IsValid() || depth > 16 {
		return out
	}
	add := func(s string) {
		if len(s) >= min && s != prompt.RedactedText {
			out = append(out, s)
		}
	}
	if v.CanInterface() && v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface {
		switch {
		case v.Type().Implements(textType):
			if b, err := v.Interface().(encoding.TextMarshaler).MarshalText(); err == nil {
				add(string(b))
			}
		case v.Type().Implements(stringerType):
			add(v.Interface().(fmt.Stringer).String())
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			out = appendLeaves(out, v.Elem(), min, depth+1)
		}
	case reflect.String:
		add(v.String())
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		if v.CanInterface() {
			add(fmt.Sprint(v.Interface()))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out = appendLeaves(out, v.Field(i), min, depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.Kind() == reflect.Slice {
				add(string(v.Bytes()))
			}
			return out
		}
		for i := range v.Len() {
			out = appendLeaves(out, v.Index(i), min, depth+1)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			out = appendLeaves(out, it.Value(), min, depth+1)
		}
	}
	return out
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
// what looks like one: an Authorization or API-key header's value, a key=
// query parameter, and the key shapes of the services this module speaks
// to. The list is conservative: a shape that ordinary text could take
// (bare hex or alphanumeric runs) is left to the providers.
var (
	// A header or parameter naming a credential, its separator, then the
	// value (with an optional auth scheme).
	credentialHeader = regexp.MustCompile(`(?i)(\b(?:authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|api_key|apikey|access_token|x-amz-security-token)["']?\s*[:=]\s*["']?)((?:bearer|basic|token)\s+)?[^\s"',;&})\]]+`)
	bearerToken      = regexp.MustCompile(`(?i)(\bbearer\s+)[a-z0-9._~+/=-]{8,}`)
	keyParam         = regexp.MustCompile(`([?&]key=)[^&\s"']+`)
	// sk-… (OpenAI, Anthropic's sk-ant-…, DeepSeek), AIza… (Google), xai-…
	// (xAI), gsk_… (Groq), AKIA…/ASIA… (AWS access key ids).
	keyShape = regexp.MustCompile(`\b(?:sk-[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{30,}|xai-[A-Za-z0-9]{20,}|gsk_[A-Za-z0-9]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16})`)
)

// maskCredentials replaces what looks like a credential in text with
// [prompt.RedactedText].
func maskCredentials(text string) string {
	text = credentialHeader.ReplaceAllString(text, "${1}${2}"+prompt.RedactedText)
	text = bearerToken.ReplaceAllString(text, "${1}"+prompt.RedactedText)
	text = keyParam.ReplaceAllString(text, "${1}"+prompt.RedactedText)
	return keyShape.ReplaceAllString(text, prompt.RedactedText)
}
