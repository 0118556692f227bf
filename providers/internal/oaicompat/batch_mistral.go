package oaicompat

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// MistralBatcher runs Mistral's Batch API with the core's client: the
// requests go up as one JSONL file (POST /v1/files, purpose "batch", the
// multipart shape OpenAI's Files API also takes), and a job on
// /v1/chat/completions is created from it (POST /v1/batch/jobs); the job is
// read at GET /v1/batch/jobs/{id} and cancelled at POST …/cancel. Its
// output_file and error_file have the lines of OpenAI's output files, so
// the core reads them as it reads OpenAI's: streamed, one result a line.
// It is safe for concurrent use.
type MistralBatcher struct {
	c                     *Core
	maxRequests, maxBytes int
}

// MistralBatcher is c's Mistral batch client. A job over maxRequests
// requests or maxBytes bytes of input file is refused before any upload.
func (c *Core) MistralBatcher(maxRequests, maxBytes int) *MistralBatcher {
	return &MistralBatcher{c: c, maxRequests: maxRequests, maxBytes: maxBytes}
}

// mistralEndpoint is the endpoint a job runs every line against.
const mistralEndpoint = "/v1/chat/completions"

// mistralJobIn is the body of POST /v1/batch/jobs.
type mistralJobIn struct {
	InputFiles []string `json:"input_files"`
	Model      string   `json:"model"`
	Endpoint   string   `json:"endpoint"`
}

// mistralJob is the part of a job object that is read.
type mistralJob struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	OutputFile string `json:"output_file"`
	ErrorFile  string `json:"error_file"`
	Errors     []struct {
		Message string `json:"message"`
	} `json:"errors"`
	TotalRequests     int `json:"total_requests"`
	SucceededRequests int `json:"succeeded_requests"`
	FailedRequests    int `json:"failed_requests"`
}

// client is an SDK client on the core's own options for a batch's requests
// (base URL, key, transport), for the endpoints openai-go has no service
// for. Built from the services' options, not with openai.NewClient, so no
// OPENAI_* variable is read.
func (c *Core) client() *openai.Client { return &openai.Client{Options: c.files.Options} }

// creator is [Core.client] for the creation of a job: its transport sends
// it again only when nothing was done.
func (c *Core) creator() *openai.Client { return &openai.Client{Options: c.creates.Options} }

// jobPath is the path of job id, escaped as the SDK escapes its own path
// parameters: an id can never name another endpoint.
func jobPath(id string, rest ...string) string {
	seg := url.PathEscape(id)
	switch id {
	case ".":
		seg = "%2E"
	case "..":
		seg = "%2E%2E"
	}
	return strings.Join(append([]string{"batch/jobs", seg}, rest...), "/")
}

func (b *MistralBatcher) refuse(reason string) error { return b.c.batchRefusal(reason) }

// SubmitBatch builds every request's body as Call does and uploads them as
// one job. Mistral runs one model per job: requests for different models
// are refused, as are jobs over the limits.
func (b *MistralBatcher) SubmitBatch(ctx context.Context, reqs []providerkit.BatchRequest) (string, error) {
	c := b.c
	if len(reqs) == 0 {
		return "", b.refuse("a job needs at least one request")
	}
	if len(reqs) > b.maxRequests {
		return "", b.refuse(fmt.Sprintf("%d requests; a job takes at most %d: split the prompts across jobs", len(reqs), b.maxRequests))
	}
	u, err := newBatchUpload()
	if err != nil {
		return "", err
	}
	var model string
	for i, r := range reqs {
		if err := c.gate.Ready(r.Request); err != nil {
			return "", err
		}
		body, m, err := c.mistralBody(r.Request)
		if err != nil {
			return "", &providerkit.BatchRequestError{CustomID: r.CustomID, Err: err}
		}
		if i == 0 {
			model = m
		} else if m != model {
			return "", b.refuse(fmt.Sprintf("request %d is for model %q, request 0 for %q: a job runs one model; split the prompts by model across jobs", i, m, model))
		}
		head := slices.Concat([]byte(`{"custom_id":`), jsonString(r.CustomID), []byte(","))
		if err := u.line(head, body); err != nil {
			return "", &providerkit.BatchRequestError{CustomID: r.CustomID, Err: err}
		}
		if u.fileBytes() > b.maxBytes {
			return "", b.refuse(fmt.Sprintf("the input file passes %d bytes at request %d: split the prompts across jobs", b.maxBytes, i))
		}
	}
	f, err := u.send(ctx, c)
	if err != nil {
		return "", err
	}
	var hr *http.Response
	var job mistralJob
	// A job is created once: a retry after an unknown outcome could run it twice.
	err = c.creator().Post(ctx, "batch/jobs", mistralJobIn{InputFiles: []string{f.ID}, Model: model, Endpoint: mistralEndpoint},
		&job, option.WithResponseInto(&hr))
	if err == nil && job.ID == "" {
		err = c.redactor.ProviderError(&mirascope.ProviderError{Provider: c.spec.Name, RequestID: c.requestID(hr.Header),
			Message: "the service created a job without an id"})
	} else if err != nil {
		err = c.fail(ctx, err, hr)
	}
	if err != nil {
		// The uploaded file would stay in the workspace's storage; best effort.
		_, _ = c.files.Delete(context.WithoutCancel(ctx), f.ID)
		return "", err
	}
	return job.ID, nil
}

// mistralBody is req's body as Call sends it, and its model. Call sends
// the seed as an SDK option that sets the field in the serialized body, over
// an extra-body field of the same name; a line carries it in the body, with
// the same precedence. Any other option outside the body is refused.
func (c *Core) mistralBody(req *mirascope.Request) ([]byte, string, error) {
	params, opts, _, err := c.params(req, false)
	if err != nil {
		return nil, "", err
	}
	outside := len(opts)
	if seed := req.Params.Seed; seed != nil && c.spec.SeedField != "" {
		outside--
		extra := maps.Clone(params.ExtraFields())
		if extra == nil {
			extra = map[string]any{}
		}
		extra[c.spec.SeedField] = *seed
		params.SetExtraFields(extra)
	}
	if outside > 0 {
		return nil, "", c.batchRefusal("a setting sent outside the request body cannot travel in a batch file")
	}
	body, err := params.MarshalJSON()
	return body, params.Model, err
}

func (b *MistralBatcher) job(ctx context.Context, id string) (*mistralJob, error) {
	var hr *http.Response
	var job mistralJob
	if err := b.c.client().Get(ctx, jobPath(id), nil, &job, option.WithResponseInto(&hr)); err != nil {
		return nil, b.c.fail(ctx, err, hr)
	}
	return &job, nil
}

// BatchStatus maps the job's status and counts. CANCELLATION_REQUESTED is
// still running: requests in flight may yet be answered.
func (b *MistralBatcher) BatchStatus(ctx context.Context, id string) (providerkit.BatchStatus, error) {
	job, err := b.job(ctx, id)
	if err != nil {
		return providerkit.BatchStatus{}, err
	}
	st := mistralStatus(job)
	if st.State == providerkit.BatchFailed {
		msgs := make([]string, len(job.Errors))
		for i, e := range job.Errors {
			msgs[i] = e.Message
		}
		st.Reason = b.c.redactor.String(providerkit.BatchReason(msgs))
	}
	return st, nil
}

func mistralStatus(j *mistralJob) providerkit.BatchStatus {
	st := providerkit.BatchStatus{Raw: j.Status, Total: j.TotalRequests, Completed: j.SucceededRequests, Failed: j.FailedRequests}
	switch j.Status {
	case "SUCCESS":
		st.State = providerkit.BatchEnded
	case "FAILED":
		st.State = providerkit.BatchFailed
	case "TIMEOUT_EXCEEDED":
		st.State = providerkit.BatchExpired
	case "CANCELLED":
		st.State = providerkit.BatchCancelled
	default: // QUEUED, RUNNING, CANCELLATION_REQUESTED, and any state added later
		st.State = providerkit.BatchRunning
	}
	return st
}

// CancelBatch asks the service to cancel the job.
func (b *MistralBatcher) CancelBatch(ctx context.Context, id string) error {
	var hr *http.Response
	var job mistralJob
	if err := b.c.client().Post(ctx, jobPath(id, "cancel"), nil, &job, option.WithResponseInto(&hr)); err != nil {
		return b.c.fail(ctx, err, hr)
	}
	return nil
}

// BatchResults streams the output file and then the error file, line by
// line, of a job that is no longer running. A job that expired, was
// cancelled or failed keeps what was answered in time; a failed job with
// neither file is an error carrying the service's reasons.
func (b *MistralBatcher) BatchResults(ctx context.Context, id string) iter.Seq2[providerkit.BatchResult, error] {
	c := b.c
	return func(yield func(providerkit.BatchResult, error) bool) {
		job, err := b.job(ctx, id)
		if err != nil {
			yield(providerkit.BatchResult{}, err)
			return
		}
		st := mistralStatus(job)
		if st.State == providerkit.BatchRunning {
			yield(providerkit.BatchResult{}, c.redactor.Error(fmt.Errorf("mirascope: %s: batch %s is %s: %w", c.spec.Name, id, job.Status, providerkit.ErrBatchNoResults)))
			return
		}
		if job.OutputFile == "" && job.ErrorFile == "" && st.State == providerkit.BatchFailed {
			msg := "batch " + id + " failed"
			for i, e := range job.Errors {
				if i == 3 {
					msg += "; …"
					break
				}
				msg += "; " + e.Message
			}
			yield(providerkit.BatchResult{}, c.redactor.ProviderError(&mirascope.ProviderError{Provider: c.spec.Name, Message: msg}))
			return
		}
		for _, fid := range []string{job.OutputFile, job.ErrorFile} {
			if fid != "" && !c.readBatchFile(ctx, fid, yield) {
				return
			}
		}
	}
}
