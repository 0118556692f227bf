package google

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// The Gemini API's batch limits (its Batch API guide): inlined requests
// while the create request stays under 20 MB, else a JSONL input file of
// at most 2 GB. A batch past the inline limit goes as a file; one past the
// file limit is refused before anything is sent, and the caller splits the
// prompts across jobs.
const (
	MaxBatchInlineBytes = 20 << 20
	MaxBatchFileBytes   = 2 << 30
)

// The limits, lowered by tests; maxBatchLine bounds one line of a results
// file (one whole GenerateContentResponse).
var (
	maxInlineBytes = MaxBatchInlineBytes
	maxFileBytes   = MaxBatchFileBytes
	maxBatchLine   = 64 << 20
	// maxBatchResource bounds the batch resource, which holds a job's
	// inlined responses.
	maxBatchResource = 1 << 30
	// maxInlineRequests bounds the requests inlined: their answers come
	// back inside the batch resource, read whole by every status poll of
	// an ended job and by Results, where 20 MB of short prompts could have
	// a gigabyte of answers, past maxBatchResource and unreadable. A job
	// of more requests goes as a file, whose responses file streams.
	maxInlineRequests = 1000
)

// apiVersion is the path the SDK puts before the Gemini API's resources.
const apiVersion = "v1beta"

// batchDisplayName names the jobs and input files this package creates
// (the API requires a display name).
const batchDisplayName = "mirascope-batch"

// A job whose keys are <prefix>0, <prefix>1, ... (package batch's always
// are) is named batchDisplayName + keysMark + prefix + indexMark. The name
// is the one thing GET batches/{id} returns that the job was created with,
// so a new process holding only the id can still tell the i-th request's
// key, should an answer come without its key (see [order]).
const (
	keysMark       = " keys="
	indexMark      = "{i}"
	maxPrefixBytes = 64
	prefixChars    = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
)

// jobDisplayName is the display name of a job of reqs: with the key rule
// when every key is a short, plain prefix followed by its position.
func jobDisplayName(reqs []providerkit.BatchRequest) string {
	prefix, ok := strings.CutSuffix(reqs[0].CustomID, "0")
	if !ok || !plainPrefix(prefix) {
		return batchDisplayName
	}
	var buf []byte
	for i, r := range reqs {
		buf = strconv.AppendInt(append(buf[:0], prefix...), int64(i), 10)
		if string(buf) != r.CustomID {
			return batchDisplayName
		}
	}
	return batchDisplayName + keysMark + prefix + indexMark
}

// keyRule reads the prefix of the key rule a display name carries.
func keyRule(name string) (prefix string, ok bool) {
	rest, ok := strings.CutPrefix(name, batchDisplayName+keysMark)
	if !ok {
		return "", false
	}
	prefix, ok = strings.CutSuffix(rest, indexMark)
	return prefix, ok && plainPrefix(prefix)
}

func plainPrefix(s string) bool {
	return len(s) <= maxPrefixBytes && strings.Trim(s, prefixChars) == ""
}

var _ providerkit.Batcher = (*Provider)(nil)

// batchRefusal is the refusal of a batch the service cannot take.
func (p *Provider) batchRefusal(reason string) error {
	return &mirascope.UnsupportedError{Provider: p.info.Name, Parameter: "batch", Reason: reason}
}

// batchReady refuses Vertex AI, whose batch prediction reads Cloud Storage
// or BigQuery, and returns the SDK clients of a batch: client for its
// requests, create for the creation of a job (see [Provider]).
func (p *Provider) batchReady() (client, create *genai.Client, err error) {
	if p.vertex != nil {
		return nil, nil, p.batchRefusal("Vertex AI batch prediction reads its input from Cloud Storage or BigQuery, which this provider does not manage; batch through the Gemini API (without WithVertex)")
	}
	if err := p.gate.Ready(&mirascope.Request{}); err != nil {
		return nil, nil, err
	}
	p.batchOnce.Do(func() {
		if p.batchc, p.batchErr = p.newClient(p.batchHTTP); p.batchErr == nil {
			p.createc, p.batchErr = p.newClient(p.createHTTP)
		}
	})
	return p.batchc, p.createc, p.batchErr
}

// SubmitBatch implements [providerkit.Batcher] (use package batch): one
// batch job on the Gemini API whose requests are, each under its key, the
// very generateContent body Call would send. Every request must name the
// same model (the job's). While the create request stays under
// [MaxBatchInlineBytes] and holds at most 1,000 requests (their answers
// come back whole, inside the job) the requests are inlined, each key in
// its metadata; past either they are uploaded as a JSONL file ({"key", "request"}
// a line) through the Files API, and a file past [MaxBatchFileBytes] is
// refused before anything is sent. Vertex AI is refused.
func (p *Provider) SubmitBatch(ctx context.Context, reqs []providerkit.BatchRequest) (string, error) {
	client, create, err := p.batchReady()
	if err != nil {
		return "", err
	}
	if len(reqs) == 0 {
		return "", p.batchRefusal("a batch needs at least one request")
	}
	bodies := make([]json.RawMessage, len(reqs))
	seen := make(map[string]struct{}, len(reqs))
	var model string
	inline := len(`{"batch":{"displayName":"","inputConfig":{"requests":{"requests":[]}}}}`) + len(batchDisplayName)
	file := 0
	for i, r := range reqs {
		if r.Request == nil {
			return "", p.batchRefusal(fmt.Sprintf("request %d is nil", i))
		}
		if _, dup := seen[r.CustomID]; dup || r.CustomID == "" {
			return "", p.batchRefusal(fmt.Sprintf("request %d: its key %q is empty or not unique: results could not find their requests", i, r.CustomID))
		}
		seen[r.CustomID] = struct{}{}
		pr, err := p.prepare(r.Request)
		if err != nil {
			return "", &providerkit.BatchRequestError{CustomID: r.CustomID, Err: err}
		}
		if i == 0 {
			model = pr.model
		} else if pr.model != model {
			return "", p.batchRefusal(fmt.Sprintf("a job runs one model: request %d asks for %q, request 0 for %q; split the prompts by model", i, pr.model, model))
		}
		if bodies[i], err = p.requestBody(pr); err != nil {
			return "", &providerkit.BatchRequestError{CustomID: r.CustomID, Err: err}
		}
		key, _ := json.Marshal(r.CustomID)
		inline += len(bodies[i]) + len(key) + len(`{"request":,"metadata":{"key":}},`)
		file += len(bodies[i]) + len(key) + len(`{"key":,"request":}`+"\n")
		if file > maxFileBytes {
			return "", p.batchRefusal(fmt.Sprintf("the input file passes %d bytes at request %d: split the prompts across jobs", maxFileBytes, i))
		}
	}
	ctx, cancel := providerkit.StartCall(ctx, 0)
	defer cancel()
	var job *genai.BatchJob
	if inline <= maxInlineBytes && len(reqs) <= maxInlineRequests {
		job, err = p.createInline(ctx, create, model, reqs, bodies)
	} else {
		job, err = p.createFromFile(ctx, client, create, model, reqs, bodies)
	}
	if err != nil {
		return "", err
	}
	if p.batchID(job.Name) != nil {
		return "", p.redactor.ProviderError(&mirascope.ProviderError{Provider: p.info.Name,
			Message: fmt.Sprintf("the service answered the batch's creation with the id %q, not batches/<id>", job.Name)})
	}
	return job.Name, nil
}

// createInline creates the job with the requests in its body. The SDK
// builds the envelope, each key in its request's metadata; each request is
// then set to the body Call sends, as it is.
func (p *Provider) createInline(ctx context.Context, create *genai.Client, model string, reqs []providerkit.BatchRequest, bodies []json.RawMessage) (*genai.BatchJob, error) {
	items := make([]*genai.InlinedRequest, len(reqs))
	for i, r := range reqs {
		items[i] = &genai.InlinedRequest{Metadata: map[string]string{"key": r.CustomID}}
	}
	cfg := &genai.CreateBatchJobConfig{
		DisplayName: jobDisplayName(reqs),
		HTTPOptions: &genai.HTTPOptions{ExtrasRequestProvider: func(body map[string]any) map[string]any {
			return withRequests(body, bodies)
		}},
	}
	job, err := create.Batches.Create(ctx, model, &genai.BatchJobSource{InlinedRequests: items}, cfg)
	if err != nil {
		return nil, p.sdkErr(ctx, err)
	}
	return job, nil
}

// withRequests puts bodies into the create request's inlined requests, in
// order. A body of another shape (an SDK that builds it differently) is
// dropped whole, so the service refuses an empty request rather than run
// requests without their contents.
func withRequests(body map[string]any, bodies []json.RawMessage) map[string]any {
	var items []map[string]any
	if b, ok := body["batch"].(map[string]any); ok {
		if in, ok := b["inputConfig"].(map[string]any); ok {
			if rs, ok := in["requests"].(map[string]any); ok {
				switch list := rs["requests"].(type) {
				case []map[string]any:
					items = list
				case []any:
					for _, item := range list {
						if m, ok := item.(map[string]any); ok {
							items = append(items, m)
						}
					}
				}
			}
		}
	}
	if len(items) != len(bodies) {
		return nil
	}
	for i, m := range items {
		if m == nil {
			return nil
		}
		m["request"] = bodies[i]
	}
	return body
}

// createFromFile uploads the requests as a JSONL file through client and
// creates the job on it through create. The file is written as the upload
// reads it, never whole beside the bodies (it may be 2 GB).
func (p *Provider) createFromFile(ctx context.Context, client, create *genai.Client, model string, reqs []providerkit.BatchRequest, bodies []json.RawMessage) (*genai.BatchJob, error) {
	in := &fileLines{reqs: reqs, bodies: bodies}
	f, err := client.Files.Upload(ctx, in, &genai.UploadFileConfig{MIMEType: "application/jsonl", DisplayName: batchDisplayName})
	if err != nil {
		return nil, p.sdkErr(ctx, err)
	}
	job, err := create.Batches.Create(ctx, model, &genai.BatchJobSource{FileName: f.Name}, &genai.CreateBatchJobConfig{DisplayName: jobDisplayName(reqs)})
	if err != nil {
		err = p.sdkErr(ctx, err)
		// The file would stay in the project's storage until it expires; best
		// effort, and only a name of the Files API's shape goes into a URL.
		if name, ok := strings.CutPrefix(f.Name, "files/"); ok && name != "" && strings.Trim(name, idChars) == "" {
			_, _ = client.Files.Delete(context.WithoutCancel(ctx), f.Name, nil)
		}
		return nil, err
	}
	return job, nil
}

// fileLines reads the input file, a {"key","request"} line per request, as
// the upload asks for it.
type fileLines struct {
	reqs   []providerkit.BatchRequest
	bodies []json.RawMessage
	next   int
	line   []byte
	off    int
}

func (r *fileLines) Read(b []byte) (int, error) {
	for r.off == len(r.line) {
		if r.next == len(r.bodies) {
			return 0, io.EOF
		}
		key, _ := json.Marshal(r.reqs[r.next].CustomID)
		r.line = append(append(append(append(append(r.line[:0], `{"key":`...), key...), `,"request":`...), r.bodies[r.next]...), "}\n"...)
		r.off = 0
		r.next++
	}
	n := copy(b, r.line[r.off:])
	r.off += n
	return n, nil
}

// sdkErr maps an SDK failure. Files.Upload reports an error answer as
// text only: the transport's record of the call gives its status and body.
func (p *Provider) sdkErr(ctx context.Context, err error) error {
	var ae genai.APIError
	if !errors.As(err, &ae) && ctx.Err() == nil {
		if last := providerkit.LastAnswer(ctx); last != nil && last.StatusCode >= 400 {
			pe := p.answerError(last)
			pe.Err = err
			return p.redactor.ProviderError(pe)
		}
	}
	return p.wrapErr(ctx, err)
}

// requestBody is the generateContent body Call sends for pr: the SDK
// serializes it (extra body fields merged) towards a transport that keeps
// it and sends nothing.
func (p *Provider) requestBody(pr *prepared) (json.RawMessage, error) {
	c, err := captureClient()
	if err != nil {
		return nil, p.setupErr(err)
	}
	_, err = generate(context.Background(), c, pr.model, pr.conv, pr.cfg)
	var cb *capturedBody
	if errors.As(err, &cb) {
		body := bytes.TrimSpace(cb.body)
		if bytes.ContainsAny(body, "\r\n") { // a line of the input file is one line
			var c bytes.Buffer
			if err := json.Compact(&c, body); err != nil {
				return nil, err
			}
			body = c.Bytes()
		}
		return body, nil
	}
	if err == nil {
		err = errors.New("no request was built")
	}
	return nil, &mirascope.UnsupportedError{Provider: p.info.Name, Parameter: "batch", Reason: "the SDK could not build the request: " + p.redactor.String(err.Error())}
}

var capture struct {
	once   sync.Once
	client *genai.Client
	err    error
}

// captureClient is a Gemini API client whose transport keeps the request
// body and fails: its key is a placeholder, and nothing leaves the process.
func captureClient() (*genai.Client, error) {
	capture.once.Do(func() {
		capture.client, capture.err = genai.NewClient(context.Background(), &genai.ClientConfig{
			APIKey:      "capture",
			Backend:     genai.BackendGeminiAPI,
			HTTPClient:  &http.Client{Transport: captureTransport{}},
			HTTPOptions: genai.HTTPOptions{BaseURL: "http://capture.invalid/"},
		})
	})
	return capture.client, capture.err
}

type captureTransport struct{}

func (captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	cb := &capturedBody{}
	if r.Body != nil {
		cb.body, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
	}
	return nil, cb
}

// capturedBody is the capture transport's "error": the body it kept.
type capturedBody struct{ body []byte }

func (*capturedBody) Error() string { return "request body captured" }

// batchID checks a job id ("batches/<id>") before it goes into a URL.
func (p *Provider) batchID(id string) error {
	rest, ok := strings.CutPrefix(id, "batches/")
	if ok && rest != "" && len(rest) <= 256 && strings.Trim(rest, idChars) == "" {
		return nil
	}
	return &mirascope.UnsupportedError{Provider: p.info.Name, Parameter: "batch", Reason: fmt.Sprintf("%q is not a Gemini API batch id (batches/<id>)", id)}
}

// idChars are those of a batch's id.
const idChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

// batchResource is the batch as GET v1beta/batches/{id} returns it: a
// long-running operation whose metadata is the GenerateContentBatch and
// whose response, once done, is its output. The SDK's BatchJob drops
// batchStats, so the resource is read directly. Of the input only the
// requests' keys are decoded, should the resource list its inlined
// requests (the service has been seen to omit inputConfig for them).
type batchResource struct {
	Metadata struct {
		DisplayName string `json:"displayName"`
		InputConfig struct {
			Requests struct {
				Requests []inputRequest `json:"requests"`
			} `json:"requests"`
		} `json:"inputConfig"`
		State      string      `json:"state"`
		BatchStats batchStats  `json:"batchStats"`
		Output     batchOutput `json:"output"`
	} `json:"metadata"`
	Done     bool        `json:"done"`
	Response batchOutput `json:"response"`
	Error    *rpcStatus  `json:"error"`
}

// inputRequest is an inlined request as the batch lists it: its key alone
// (its body is skipped, never held).
type inputRequest struct {
	Metadata struct {
		Key string `json:"key"`
	} `json:"metadata"`
}

type batchStats struct {
	RequestCount           count `json:"requestCount"`
	SuccessfulRequestCount count `json:"successfulRequestCount"`
	FailedRequestCount     count `json:"failedRequestCount"`
	PendingRequestCount    count `json:"pendingRequestCount"`
}

type batchOutput struct {
	ResponsesFile    string `json:"responsesFile"`
	InlinedResponses struct {
		InlinedResponses []json.RawMessage `json:"inlinedResponses"`
	} `json:"inlinedResponses"`
}

func (o *batchOutput) empty() bool {
	return o.ResponsesFile == "" && o.InlinedResponses.InlinedResponses == nil
}

// count is an int64 count, which the API writes as a JSON string.
type count int

func (c *count) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("invalid count %s", b)
	}
	*c = count(min(n, int64(int(^uint(0)>>1))))
	return nil
}

// rpcStatus is a google.rpc.Status: a failed request's or job's error.
type rpcStatus struct {
	Code    int              `json:"code"`
	Message string           `json:"message"`
	Status  string           `json:"status"` // the HTTP error envelope's name of the code
	Details []map[string]any `json:"details"`
}

// getBatch reads the batch resource.
func (p *Provider) getBatch(ctx context.Context, id string) (*batchResource, error) {
	if _, _, err := p.batchReady(); err != nil {
		return nil, err
	}
	if err := p.batchID(id); err != nil {
		return nil, err
	}
	ctx, cancel := providerkit.StartCall(ctx, p.timeout)
	defer cancel()
	resp, err := p.get(ctx, p.base+apiVersion+"/"+id)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var b batchResource
	if err := json.NewDecoder(io.LimitReader(resp.Body, int64(maxBatchResource))).Decode(&b); err != nil {
		return nil, p.malformed(ctx, resp, "malformed batch resource", err)
	}
	return &b, nil
}

// get sends a batch's GET (the job, its responses file) with the key
// through the batch client; an error answer is a *mirascope.ProviderError.
func (p *Provider) get(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, p.wrapErr(ctx, err)
	}
	req.Header.Set("x-goog-api-key", p.apiKey)
	resp, err := p.batchHTTP.Do(req)
	if err != nil {
		return nil, p.wrapErr(ctx, err)
	}
	if resp.StatusCode >= 400 {
		return nil, p.redactor.ProviderError(p.answerError(resp))
	}
	return resp, nil
}

func (p *Provider) malformed(ctx context.Context, resp *http.Response, msg string, err error) error {
	if ctx.Err() != nil {
		return p.wrapErr(ctx, err)
	}
	return p.redactor.ProviderError(&mirascope.ProviderError{Provider: p.info.Name, StatusCode: resp.StatusCode,
		RequestID: requestID(resp.Header), Message: msg, Err: err})
}

// BatchStatus implements [providerkit.Batcher]: BATCH_STATE_SUCCEEDED is
// ended, FAILED failed, CANCELLED cancelled, EXPIRED expired, and pending
// or running is running; the counts are batchStats'.
func (p *Provider) BatchStatus(ctx context.Context, id string) (providerkit.BatchStatus, error) {
	b, err := p.getBatch(ctx, id)
	if err != nil {
		return providerkit.BatchStatus{}, err
	}
	st := b.status()
	if e := b.Error; e != nil && st.State == providerkit.BatchFailed {
		st.Reason = p.redactor.String(providerkit.BatchReason([]string{e.Message}))
	}
	return st, nil
}

func (b *batchResource) status() providerkit.BatchStatus {
	s := b.Metadata.BatchStats
	st := providerkit.BatchStatus{Raw: b.Metadata.State, Total: int(s.RequestCount),
		Completed: int(s.SuccessfulRequestCount), Failed: int(s.FailedRequestCount)}
	name := strings.TrimPrefix(strings.TrimPrefix(b.Metadata.State, "BATCH_STATE_"), "JOB_STATE_")
	switch name {
	case "SUCCEEDED", "PARTIALLY_SUCCEEDED":
		st.State = providerkit.BatchEnded
	case "FAILED":
		st.State = providerkit.BatchFailed
	case "CANCELLED":
		st.State = providerkit.BatchCancelled
	case "EXPIRED":
		st.State = providerkit.BatchExpired
	default: // PENDING, RUNNING, UNSPECIFIED, and states the API may add
		st.State = providerkit.BatchRunning
		if b.Done {
			st.State = providerkit.BatchFailed
		}
	}
	return st
}

// CancelBatch implements [providerkit.Batcher].
func (p *Provider) CancelBatch(ctx context.Context, id string) error {
	client, _, err := p.batchReady()
	if err != nil {
		return err
	}
	if err := p.batchID(id); err != nil {
		return err
	}
	ctx, cancel := providerkit.StartCall(ctx, p.timeout)
	defer cancel()
	if err := client.Batches.Cancel(ctx, id, nil); err != nil {
		return p.sdkErr(ctx, err)
	}
	return nil
}

// BatchResults implements [providerkit.Batcher]: the inlined responses of
// a job that has ended (succeeded, expired or cancelled: the last two keep
// what was answered), or its responses file, downloaded and decoded line by
// line. An answer finds its request by its key (an inlined response's
// metadata.key, a line's key); one without a key, by its position (see
// [order]), and when its position cannot be trusted it is an error of the
// stream that says why, never another request's result. A request that
// failed is that result's *mirascope.ProviderError.
func (p *Provider) BatchResults(ctx context.Context, id string) iter.Seq2[providerkit.BatchResult, error] {
	return func(yield func(providerkit.BatchResult, error) bool) {
		b, err := p.getBatch(ctx, id)
		if err != nil {
			yield(providerkit.BatchResult{}, err)
			return
		}
		if st := b.status(); st.State == providerkit.BatchRunning || st.State == providerkit.BatchFailed {
			yield(providerkit.BatchResult{}, fmt.Errorf("mirascope: %s: batch %s is %s: %w", p.info.Name, id, b.Metadata.State, providerkit.ErrBatchNoResults))
			return
		}
		out := b.Metadata.Output
		if out.empty() {
			out = b.Response
		}
		o := b.order()
		if lines := out.InlinedResponses.InlinedResponses; len(lines) > 0 {
			if o.why == "" && len(lines) != o.n {
				o.why = fmt.Sprintf("the job has %d requests and lists %d answers", o.n, len(lines))
			}
			checked := false
			for i, line := range lines {
				r, keyless := p.batchResult(line)
				if keyless && !checked {
					// The first answer without a key: every answer that
					// has one must stand where its request does.
					checked = true
					for j, l := range lines {
						if k := lineKey(l); k != "" {
							o.saw(j, k)
						}
					}
				}
				if !p.yieldResult(id, o, i, r, keyless, yield) {
					return
				}
			}
		}
		if out.ResponsesFile != "" {
			if s := b.Metadata.BatchStats; o.why == "" && s.SuccessfulRequestCount+s.FailedRequestCount != s.RequestCount {
				o.why = fmt.Sprintf("the job answered %d of its %d requests", s.SuccessfulRequestCount+s.FailedRequestCount, s.RequestCount)
			}
			p.readResults(ctx, id, out.ResponsesFile, o, yield)
		}
	}
}

// yieldResult yields the i-th answer, one without a key under the key of
// the i-th request, or an error of the stream when that is unknown.
func (p *Provider) yieldResult(id string, o *order, i int, r providerkit.BatchResult, keyless bool, yield func(providerkit.BatchResult, error) bool) bool {
	switch {
	case keyless:
		key, why := o.key(i)
		if why != "" {
			return yield(providerkit.BatchResult{}, p.redactor.ProviderError(&mirascope.ProviderError{Provider: p.info.Name,
				Message: fmt.Sprintf("batch %s: answer %d carries no key, and its position cannot name its request: %s", id, i, why)}))
		}
		r.CustomID = key
	case r.CustomID != "":
		o.saw(i, r.CustomID)
	}
	return yield(r, nil)
}

// order finds the request of an answer that carries no key by its
// position. The API reference says of GenerateContentBatchOutput that the
// inlined responses "will be in the same order as the input requests", and
// the responses file has "a single response per line" written "in the
// same order as the input requests". The i-th request's key is read from
// the resource's own list of its inlined requests when it has one, else
// from the rule the job's display name carries ([jobDisplayName]). A
// position is not trusted (why says so) when the job lists neither, when
// the answers are not one per request (a job that expired or was cancelled
// part-way), or once an answer's key shows it standing where another
// request does: the order is then not the requests', whatever the
// reference says.
type order struct {
	keys   []inputRequest // the requests, as the resource lists them
	prefix string         // else the display name's rule: prefix + position
	n      int            // the job's requests
	why    string
}

func (b *batchResource) order() *order {
	o := &order{n: int(b.Metadata.BatchStats.RequestCount)}
	if in := b.Metadata.InputConfig.Requests.Requests; len(in) > 0 {
		o.keys = in
		for i := range in {
			if in[i].Metadata.Key == "" {
				o.keys = nil
				break
			}
		}
	}
	prefix, rule := keyRule(b.Metadata.DisplayName)
	switch {
	case o.keys != nil:
		o.n = len(o.keys)
	case rule:
		o.prefix = prefix
	default:
		o.why = "the batch lists neither its requests' keys nor a rule for them"
	}
	if o.why == "" && o.n <= 0 {
		o.why = "the batch does not say how many requests it has"
	}
	return o
}

// key is the i-th request's key, or why it is unknown.
func (o *order) key(i int) (key, why string) {
	switch {
	case o.why != "":
		return "", o.why
	case i >= o.n:
		return "", fmt.Sprintf("the job has %d requests and this is answer %d", o.n, i)
	case o.keys != nil:
		return o.keys[i].Metadata.Key, ""
	}
	return o.prefix + strconv.Itoa(i), ""
}

// saw notes that answer i carries key: one not of the i-th request breaks
// the order. It allocates nothing, being called for every answer.
func (o *order) saw(i int, key string) {
	if o.why != "" || i >= o.n {
		return
	}
	same := false
	if o.keys != nil {
		same = o.keys[i].Metadata.Key == key
	} else if rest, ok := strings.CutPrefix(key, o.prefix); ok {
		var b [20]byte
		same = string(strconv.AppendInt(b[:0], int64(i), 10)) == rest
	}
	if !same {
		o.why = fmt.Sprintf("answer %d carries the key of another request, so the answers are not in the requests' order", i)
	}
}

// readResults streams the responses file, one result a line, from the
// download endpoint.
func (p *Provider) readResults(ctx context.Context, id, file string, o *order, yield func(providerkit.BatchResult, error) bool) {
	name, ok := strings.CutPrefix(file, "files/")
	if !ok || name == "" || name == "." || name == ".." {
		yield(providerkit.BatchResult{}, fmt.Errorf("mirascope: %s: the batch names a responses file %q that is not a file", p.info.Name, file))
		return
	}
	ctx, cancel := providerkit.StartCall(ctx, 0)
	defer cancel()
	resp, err := p.get(ctx, p.base+"download/"+apiVersion+"/files/"+url.PathEscape(name)+":download?alt=media")
	if err != nil {
		yield(providerkit.BatchResult{}, err)
		return
	}
	defer resp.Body.Close()
	n := 0
	for line, err := range providerkit.Lines(resp.Body, maxBatchLine) {
		if errors.Is(err, providerkit.ErrLineTooLong) {
			yield(providerkit.BatchResult{}, fmt.Errorf("mirascope: %s: batch responses file %s: a line passes %d bytes", p.info.Name, file, maxBatchLine))
			return
		}
		if err != nil {
			yield(providerkit.BatchResult{}, p.wrapErr(ctx, err))
			return
		}
		res, keyless := p.batchResult(line)
		if !p.yieldResult(id, o, n, res, keyless, yield) {
			return
		}
		n++
	}
}

// resultLine is one answer: an inlined response ({"response"|"error",
// "metadata": {"key"}}) or a line of the responses file ({"key",
// "response"|"error"}).
type resultLine struct {
	lineKeys
	Response json.RawMessage `json:"response"`
	Error    *rpcStatus      `json:"error"`
}

// lineKeys are where an answer carries its key.
type lineKeys struct {
	Key      string `json:"key"`
	Metadata struct {
		Key string `json:"key"`
	} `json:"metadata"`
}

func (k *lineKeys) key() string {
	if k.Key != "" {
		return k.Key
	}
	return k.Metadata.Key
}

// lineKey is the key an answer carries, decoding nothing else.
func lineKey(line []byte) string {
	var k lineKeys
	if json.Unmarshal(line, &k) != nil {
		return ""
	}
	return k.key()
}

// batchResult maps one answer: a response, or that request's error;
// keyless reports an answer that parsed but carries no key.
func (p *Provider) batchResult(line []byte) (_ providerkit.BatchResult, keyless bool) {
	var l resultLine
	if err := json.Unmarshal(line, &l); err != nil {
		return providerkit.BatchResult{Err: p.redactor.ProviderError(&mirascope.ProviderError{Provider: p.info.Name,
			Message: "the service answered with a malformed batch result", Err: err})}, false
	}
	out := providerkit.BatchResult{CustomID: l.key()}
	keyless = out.CustomID == ""
	pe := &mirascope.ProviderError{Provider: p.info.Name}
	switch {
	case l.Error != nil:
		pe.StatusCode = httpStatus(l.Error.Code)
		pe.Code = l.Error.Status
		if pe.Code == "" {
			pe.Code = rpcCodes[l.Error.Code]
		}
		if l.Error.Code >= 100 {
			pe.StatusCode = l.Error.Code // an HTTP status already
		}
		pe.Type, pe.Message = reason(l.Error.Details), l.Error.Message
		pe.Retryable = providerkit.RetryableAnswer(pe.StatusCode, nil, providerkit.ErrorBody{Code: pe.Code, Type: pe.Type})
	case len(l.Response) == 0 || string(l.Response) == "null":
		pe.Message = "the batch result has neither a response nor an error"
	default:
		var r genai.GenerateContentResponse
		if err := json.Unmarshal(l.Response, &r); err != nil {
			pe.Message, pe.Err = "the service answered with a malformed batch result", err
			break
		}
		out.Response = p.redactor.Response(p.response(&r, &lower.Plan{}))
		return out, keyless
	}
	out.Err = p.redactor.ProviderError(pe)
	return out, keyless
}

// rpcCodes names the google.rpc.Code values; httpStatus maps them as
// Google's HTTP APIs do.
var rpcCodes = map[int]string{
	1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED", 5: "NOT_FOUND",
	6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED", 9: "FAILED_PRECONDITION",
	10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED", 13: "INTERNAL", 14: "UNAVAILABLE",
	15: "DATA_LOSS", 16: "UNAUTHENTICATED",
}

func httpStatus(code int) int {
	switch code {
	case 3, 9, 11:
		return http.StatusBadRequest
	case 16:
		return http.StatusUnauthorized
	case 7:
		return http.StatusForbidden
	case 5:
		return http.StatusNotFound
	case 6, 10:
		return http.StatusConflict
	case 8:
		return http.StatusTooManyRequests
	case 1:
		return 499
	case 12:
		return http.StatusNotImplemented
	case 14:
		return http.StatusServiceUnavailable
	case 4:
		return http.StatusGatewayTimeout
	case 2, 13, 15:
		return http.StatusInternalServerError
	}
	return 0
}
