package oaicompat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strings"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// BatchSpec describes a service's Batch API: OpenAI's Files + Batches
// endpoints, as the service documents them.
type BatchSpec struct {
	// URL is the endpoint every input line names and the job runs on, e.g.
	// "/v1/chat/completions".
	URL string
	// MaxRequests and MaxBytes are a job's limits (lines and bytes of the
	// input file): a job over either is refused before anything is
	// uploaded, and the caller splits the prompts.
	MaxRequests, MaxBytes int
	// Window is the completion window asked for, e.g. "24h".
	Window string
}

// OpenAIBatch is OpenAI's Batch API (its batch guide: 50,000 requests and
// 200 MB per input file, the 24-hour window).
var OpenAIBatch = BatchSpec{URL: "/v1/chat/completions", MaxRequests: 50_000, MaxBytes: 200 << 20, Window: "24h"}

// batchRefusal is the refusal of a batch the service cannot take.
func (c *Core) batchRefusal(reason string) error {
	return &mirascope.UnsupportedError{Provider: c.spec.Name, Parameter: "batch", Reason: reason}
}

// noBatch is the refusal of a service whose Spec has no Batch API.
func (c *Core) noBatch() error {
	return c.batchRefusal("this service has no batch API; send the prompts with Call")
}

// SubmitBatch builds every request's body as Call does, uploads them as one
// JSONL file (purpose "batch") and creates a job on the Spec's endpoint
// with its completion window. A Format that goes out as a forced tool
// (Groq's) goes so here too: its answer comes back as a call of that tool,
// which batch.Extract takes as the answer (see batchResult). The file holds
// one model's requests, as the services document: requests for different
// models are refused.
func (c *Core) SubmitBatch(ctx context.Context, reqs []providerkit.BatchRequest) (string, error) {
	bs := c.spec.Batch
	if bs == nil {
		return "", c.noBatch()
	}
	if len(reqs) > bs.MaxRequests {
		return "", c.batchRefusal(fmt.Sprintf("%d requests; a job takes at most %d: split the prompts across jobs", len(reqs), bs.MaxRequests))
	}
	u, err := newBatchUpload()
	if err != nil {
		return "", err
	}
	method, url := jsonString(http.MethodPost), jsonString(bs.URL)
	var model string
	for i, r := range reqs {
		if err := c.gate.Ready(r.Request); err != nil {
			return "", err
		}
		params, opts, _, err := c.params(r.Request, false)
		if err != nil {
			return "", &providerkit.BatchRequestError{CustomID: r.CustomID, Err: err}
		}
		if len(opts) > 0 {
			return "", c.batchRefusal("a setting sent outside the request body cannot travel in a batch file")
		}
		// The service takes one model (Azure: one deployment) per input file.
		if i == 0 {
			model = params.Model
		} else if params.Model != model {
			return "", c.batchRefusal(fmt.Sprintf("request %d is for model %q, request 0 for %q: a job runs one model; split the prompts by model across jobs", i, params.Model, model))
		}
		// The bytes Call sends: the SDK serializes params with MarshalJSON.
		body, err := params.MarshalJSON()
		if err != nil {
			return "", &providerkit.BatchRequestError{CustomID: r.CustomID, Err: err}
		}
		head := slices.Concat([]byte(`{"custom_id":`), jsonString(r.CustomID), []byte(`,"method":`), method, []byte(`,"url":`), url, []byte(","))
		if err := u.line(head, body); err != nil {
			return "", &providerkit.BatchRequestError{CustomID: r.CustomID, Err: err}
		}
		if u.fileBytes() > bs.MaxBytes {
			return "", c.batchRefusal(fmt.Sprintf("the input file passes %d bytes at request %d: split the prompts across jobs", bs.MaxBytes, i))
		}
	}
	f, err := u.send(ctx, c)
	if err != nil {
		return "", err
	}
	var hr *http.Response
	// A job is created once: a retry after an unknown outcome could run it
	// twice (c.creates sends it again only when nothing was done).
	b, err := c.creates.New(ctx, openai.BatchNewParams{
		InputFileID:      f.ID,
		Endpoint:         openai.BatchNewParamsEndpoint(bs.URL),
		CompletionWindow: openai.BatchNewParamsCompletionWindow(bs.Window),
	}, option.WithResponseInto(&hr))
	if err != nil {
		err = c.fail(ctx, err, hr)
		// The uploaded file would stay in the account's storage; best effort.
		_, _ = c.files.Delete(context.WithoutCancel(ctx), f.ID)
		return "", err
	}
	return b.ID, nil
}

func (c *Core) getBatch(ctx context.Context, id string) (*openai.Batch, error) {
	if c.spec.Batch == nil {
		return nil, c.noBatch()
	}
	var hr *http.Response
	b, err := c.batches.Get(ctx, id, option.WithResponseInto(&hr))
	if err != nil {
		return nil, c.fail(ctx, err, hr)
	}
	return b, nil
}

// BatchStatus maps the job's status and request counts.
func (c *Core) BatchStatus(ctx context.Context, id string) (providerkit.BatchStatus, error) {
	b, err := c.getBatch(ctx, id)
	if err != nil {
		return providerkit.BatchStatus{}, err
	}
	st := batchStatus(b)
	if st.State == providerkit.BatchFailed {
		st.Reason = c.redactor.String(batchReason(b))
	}
	return st, nil
}

// batchReason is the job's errors (a validation that failed), as OpenAI's
// {"object":"list","data":[…]} or Groq's bare array.
func batchReason(b *openai.Batch) string {
	errs := b.Errors.Data
	if raw := strings.TrimSpace(b.JSON.Errors.Raw()); strings.HasPrefix(raw, "[") {
		_ = json.Unmarshal([]byte(raw), &errs)
	}
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		m := e.Message
		if m == "" {
			m = e.Code
		}
		if e.Line > 0 {
			m = fmt.Sprintf("line %d: %s", e.Line, m)
		}
		msgs = append(msgs, m)
	}
	return providerkit.BatchReason(msgs)
}

func batchStatus(b *openai.Batch) providerkit.BatchStatus {
	st := providerkit.BatchStatus{Raw: string(b.Status), Total: int(b.RequestCounts.Total),
		Completed: int(b.RequestCounts.Completed), Failed: int(b.RequestCounts.Failed)}
	// Azure has answered with capitalised statuses ("Validating").
	switch openai.BatchStatus(strings.ToLower(string(b.Status))) {
	case openai.BatchStatusCompleted:
		st.State = providerkit.BatchEnded
	case openai.BatchStatusFailed:
		st.State = providerkit.BatchFailed
	case openai.BatchStatusExpired:
		st.State = providerkit.BatchExpired
	case openai.BatchStatusCancelled:
		st.State = providerkit.BatchCancelled
	default: // validating, in_progress, finalizing, cancelling
		st.State = providerkit.BatchRunning
	}
	return st
}

// CancelBatch asks the service to cancel the job.
func (c *Core) CancelBatch(ctx context.Context, id string) error {
	if c.spec.Batch == nil {
		return c.noBatch()
	}
	var hr *http.Response
	if _, err := c.batches.Cancel(ctx, id, option.WithResponseInto(&hr)); err != nil {
		return c.fail(ctx, err, hr)
	}
	return nil
}

// maxBatchLine bounds one line of an output file: a whole chat completion.
// A variable for tests.
var maxBatchLine = 64 << 20

// lineError is a line's own error: an object {code, message}, whose code
// may be a string or a number; any other value is its message (Mistral
// documents no shape for it). It never fails a line.
type lineError struct{ Code, Message string }

func (e *lineError) UnmarshalJSON(b []byte) error {
	var o struct {
		Code    json.RawMessage `json:"code"`
		Message json.RawMessage `json:"message"`
	}
	if json.Unmarshal(b, &o) != nil {
		e.Message = rawText(b)
		return nil
	}
	e.Code, e.Message = rawText(o.Code), rawText(o.Message)
	return nil
}

// rawText is a JSON string's value, or any other JSON value's text ("" for null).
func rawText(b json.RawMessage) string {
	var s string
	if json.Unmarshal(b, &s) == nil {
		return s
	}
	if string(b) == "null" {
		return ""
	}
	return string(b)
}

// BatchResults streams the output file and then the error file, line by
// line, of a job that has ended (completed, expired or cancelled: the last
// two keep what was answered in time).
func (c *Core) BatchResults(ctx context.Context, id string) iter.Seq2[providerkit.BatchResult, error] {
	return func(yield func(providerkit.BatchResult, error) bool) {
		b, err := c.getBatch(ctx, id)
		if err != nil {
			yield(providerkit.BatchResult{}, err)
			return
		}
		if st := batchStatus(b); st.State == providerkit.BatchRunning || st.State == providerkit.BatchFailed {
			yield(providerkit.BatchResult{}, c.redactor.Error(fmt.Errorf("mirascope: %s: batch %s is %s: %w", c.spec.Name, id, b.Status, providerkit.ErrBatchNoResults)))
			return
		}
		for _, fid := range []string{b.OutputFileID, b.ErrorFileID} {
			if fid != "" && !c.readBatchFile(ctx, fid, yield) {
				return
			}
		}
	}
}

// readBatchFile yields the results of one file; false: stop.
func (c *Core) readBatchFile(ctx context.Context, fileID string, yield func(providerkit.BatchResult, error) bool) bool {
	var hr *http.Response
	res, err := c.files.Content(ctx, fileID, option.WithResponseInto(&hr))
	if err != nil {
		return yield(providerkit.BatchResult{}, c.fail(ctx, err, hr))
	}
	defer res.Body.Close()
	for line, err := range providerkit.Lines(res.Body, maxBatchLine) {
		if errors.Is(err, providerkit.ErrLineTooLong) {
			return yield(providerkit.BatchResult{}, c.redactor.Error(fmt.Errorf("mirascope: %s: batch file %s: a line passes %d bytes", c.spec.Name, fileID, maxBatchLine)))
		}
		if err != nil {
			return yield(providerkit.BatchResult{}, c.fail(ctx, err, nil))
		}
		if !yield(c.batchResult(line), nil) {
			return false
		}
	}
	return true
}

// batchResult maps one line: a chat completion, or that request's error.
// The completion is the SDK's own value (Response.Raw, as Call gives it),
// decoded straight from the line. The request is not at hand, so a call of
// a Format's forced tool stays a tool call; package batch, which knows the
// Format, makes it the answer.
func (c *Core) batchResult(line []byte) providerkit.BatchResult {
	var l outputLine
	if err := readOutputLine(line, &l); err != nil {
		return providerkit.BatchResult{Err: &mirascope.ProviderError{Provider: c.spec.Name,
			Message: "the service answered with a malformed batch line", Err: err}}
	}
	out := providerkit.BatchResult{CustomID: l.CustomID}
	var pe *mirascope.ProviderError
	switch {
	case l.Error != nil && *l.Error != lineError{}:
		pe = &mirascope.ProviderError{Code: l.Error.Code, Message: l.Error.Message}
	case l.Response == nil:
		pe = &mirascope.ProviderError{Message: "the batch line has neither a response nor an error"}
	case l.Response.StatusCode != http.StatusOK:
		pe = &mirascope.ProviderError{StatusCode: l.Response.StatusCode, RequestID: l.Response.RequestID}
		eb := providerkit.ParseErrorBody(l.Response.Body)
		pe.Code, pe.Type, pe.Message = eb.Code, eb.Type, eb.Message
		if pe.Message == "" {
			pe.Message = http.StatusText(pe.StatusCode)
		}
	case l.Response.Body == nil:
		// What encoding/json says of no JSON at all.
		pe = &mirascope.ProviderError{Message: "the service answered with a malformed batch line", Err: json.Unmarshal(nil, new(any))}
	default:
		// The line is valid JSON, so is its body: the SDK's decoder reads it
		// without json.Unmarshal scanning it again.
		cc := new(openai.ChatCompletion)
		if err := cc.UnmarshalJSON(l.Response.Body); err != nil {
			pe = &mirascope.ProviderError{Message: "the service answered with a malformed batch line", Err: err}
			break
		}
		out.Response = c.redactor.Response(c.response(cc, &lower.Plan{}))
		return out
	}
	pe.Provider = c.spec.Name
	out.Err = c.redactor.ProviderError(pe)
	return out
}
