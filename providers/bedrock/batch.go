package bedrock

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	controlplane "github.com/aws/aws-sdk-go-v2/service/bedrock"
	cptypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/aws/smithy-go/middleware"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// The default quotas of a Bedrock batch inference job (Amazon Bedrock
// service quotas, per model and adjustable: "Minimum number of records per
// batch inference job" 100, "Records per batch inference job" and "Records
// per input file per batch inference job" 50,000, "Batch inference input
// file size" 1 GB). A job is one input file; a batch outside them is
// refused before anything is uploaded.
const (
	MinBatchRecords   = 100
	MaxBatchRecords   = 50_000
	MaxBatchFileBytes = 1 << 30
)

// maxBatchFileBytes is MaxBatchFileBytes, lowered by tests.
var maxBatchFileBytes = MaxBatchFileBytes

// maxBatchLine bounds one line of an output file: the record's input, which
// the service echoes, and its Converse answer.
const maxBatchLine = 64 << 20

var batchStorageKey = providerkit.NewOptionKey("bedrock.WithBatchStorage", name)

// WithBatchStorage lets the provider run batch inference jobs (package
// batch): each job's input file is uploaded under s3URI (an
// s3://bucket/prefix URI), its output is written beneath it, and Bedrock
// reads and writes both as the IAM service role roleARN. Without it
// batch.Submit is refused with a *mirascope.UnsupportedError.
func WithBatchStorage(s3URI, roleARN string) providers.Option {
	return func(c *providers.Config) {
		c.SetExtra(batchStorageKey, batchStorageOption{uri: s3URI, role: roleARN})
	}
}

type batchStorageOption struct{ uri, role string }

// batchStorage is where jobs go: prefix is "" or ends in "/".
type batchStorage struct{ bucket, prefix, role string }

func (o batchStorageOption) parse() (*batchStorage, error) {
	bad := func(reason string) error {
		return &providers.ConfigError{Provider: name, Setting: "bedrock.WithBatchStorage", Reason: reason}
	}
	bucket, prefix, ok := parseS3URI(o.uri)
	if !ok {
		return nil, bad(fmt.Sprintf("%q is not an s3://bucket/prefix URI", o.uri))
	}
	if !strings.HasPrefix(o.role, "arn:") || strings.ContainsAny(o.role, " \t\r\n") {
		return nil, bad(fmt.Sprintf("%q is not an IAM role ARN", o.role))
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return &batchStorage{bucket: bucket, prefix: prefix, role: o.role}, nil
}

// parseS3URI splits s3://bucket/key; the bucket must be a valid name.
func parseS3URI(uri string) (bucket, key string, ok bool) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return "", "", false
	}
	bucket, key, _ = strings.Cut(rest, "/")
	if len(bucket) < 3 || len(bucket) > 63 {
		return "", "", false
	}
	for i := 0; i < len(bucket); i++ {
		if c := bucket[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return "", "", false
		}
	}
	return bucket, key, true
}

// batchClients makes the control-plane and S3 clients. Their endpoints are
// the SDK's own (AWS_ENDPOINT_URL_BEDROCK, AWS_ENDPOINT_URL_S3, a profile's
// services section), not providers.WithBaseURL, which names the runtime's.
// Like the runtime client they never retry: the shared transport does,
// as batch traffic (providerkit.BatchTraffic): uploads, polls and downloads
// spend none of the model's quota, so they skip the rate limiter (a
// gigabyte input file is not 250 million tokens); the service's own hold
// still applies. A job's creation may be sent again safely: it carries a
// clientRequestToken.
func (p *Provider) batchClients(cfg *providerkit.Config, awsCfg aws.Config) {
	hc := cfg.ClientFor(providerkit.BatchTraffic)
	hc.Transport = detachBody{base: hc.Transport}
	p.control = controlplane.NewFromConfig(awsCfg, func(o *controlplane.Options) {
		o.HTTPClient = hc
		o.Retryer = aws.NopRetryer{}
		o.RetryMaxAttempts = 0
	})
	// The upload goes as it is: no copy of a file of up to a gigabyte.
	s3hc := cfg.ClientFor(providerkit.BatchTraffic)
	p.s3 = s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		o.HTTPClient = s3hc
		o.Retryer = aws.NopRetryer{}
		o.RetryMaxAttempts = 0
		// Bedrock's output objects carry no checksum; the SDK would log
		// so to stderr on every read.
		o.DisableLogOutputChecksumValidationSkipped = true
	})
}

var _ providerkit.Batcher = (*Provider)(nil)

// batchRefusal is the refusal of a batch the service cannot take.
func batchRefusal(reason string) error {
	return &mirascope.UnsupportedError{Provider: name, Parameter: "batch", Reason: reason}
}

// batchEnvVars name the ways to give the SigV4 credentials S3 and the
// control plane need (a Bedrock API key does not reach S3).
var batchEnvVars = []string{"AWS_ACCESS_KEY_ID", "AWS_PROFILE"}

// batchReady returns what stops a batch request: the configuration error,
// or missing AWS credentials.
func (p *Provider) batchReady(ctx context.Context) error {
	if p.err != nil {
		return p.err
	}
	return p.sigv4Ready(ctx, batchEnvVars)
}

// SubmitBatch implements [providerkit.Batcher] (use package batch): the
// requests go, each as the Converse body Call would send, into one JSONL
// input file uploaded under the WithBatchStorage prefix, and one batch
// inference job of the Converse type reads it. See the package doc.
func (p *Provider) SubmitBatch(ctx context.Context, reqs []providerkit.BatchRequest) (string, error) {
	if p.storageErr != nil {
		return "", p.storageErr
	}
	if p.storage == nil {
		return "", batchRefusal("Bedrock batch inference reads its input from S3 and writes its output there: " +
			"set bedrock.WithBatchStorage(s3URI, roleARN) to name the bucket prefix and the IAM service role")
	}
	if n := len(reqs); n < MinBatchRecords {
		return "", batchRefusal(fmt.Sprintf("%d requests; a Bedrock batch job takes at least %d (the default quota): add prompts, or send them with Call", n, MinBatchRecords))
	} else if n > MaxBatchRecords {
		return "", batchRefusal(fmt.Sprintf("%d requests; a Bedrock batch job takes at most %d (the default quota): split the prompts across jobs", n, MaxBatchRecords))
	}
	if p.err != nil {
		return "", p.err
	}
	file, model, err := p.batchFile(reqs)
	if err != nil {
		return "", err
	}
	if err := p.batchReady(ctx); err != nil {
		return "", err
	}
	st := p.storage
	job := jobName()
	key := st.prefix + job + "/input.jsonl"
	if _, err := p.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(st.bucket), Key: aws.String(key), Body: bytes.NewReader(file),
		ContentLength: aws.Int64(int64(len(file))), ContentType: aws.String("application/jsonl"),
	}); err != nil {
		return "", p.s3Error(ctx, err)
	}
	out, err := p.control.CreateModelInvocationJob(ctx, &controlplane.CreateModelInvocationJobInput{
		// A retry after a 5xx or a timeout carries the same token; the
		// service answers it with the job the first attempt made instead
		// of running, and billing, every request twice.
		ClientRequestToken: aws.String(requestToken()),
		JobName:            aws.String(job), RoleArn: aws.String(st.role), ModelId: aws.String(model),
		ModelInvocationType: cptypes.ModelInvocationTypeConverse,
		InputDataConfig: &cptypes.ModelInvocationJobInputDataConfigMemberS3InputDataConfig{Value: cptypes.ModelInvocationJobS3InputDataConfig{
			S3Uri: aws.String("s3://" + st.bucket + "/" + key), S3InputFormat: cptypes.S3InputFormatJsonl}},
		OutputDataConfig: &cptypes.ModelInvocationJobOutputDataConfigMemberS3OutputDataConfig{Value: cptypes.ModelInvocationJobS3OutputDataConfig{
			S3Uri: aws.String("s3://" + st.bucket + "/" + st.prefix + job + "/output/")}},
	})
	if err != nil {
		pe := p.providerError(ctx, err)
		// A refusal (4xx) made no job: its input would stay in the bucket,
		// so it goes (best effort). After a 5xx, a timeout or a broken
		// connection the job may exist and read it: the input stays.
		if pe.StatusCode >= 400 && pe.StatusCode < 500 {
			_, _ = p.s3.DeleteObject(context.WithoutCancel(ctx), &s3.DeleteObjectInput{Bucket: aws.String(st.bucket), Key: aws.String(key)})
		}
		return "", pe
	}
	return aws.ToString(out.JobArn), nil
}

// requestToken is a fresh idempotency token for CreateModelInvocationJob:
// 32 hex digits, within its documented pattern (letters, digits, hyphens;
// at most 256).
func requestToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// batchFile builds the input file: one line {"recordId", "modelInput"} per
// request, all for one model. A request it cannot send is a
// *providerkit.BatchRequestError, its prompt's error.
func (p *Provider) batchFile(reqs []providerkit.BatchRequest) (file []byte, model string, err error) {
	gate := lower.NewGate(name)
	var buf bytes.Buffer
	for i, r := range reqs {
		refuse := func(err error) ([]byte, string, error) {
			return nil, "", &providerkit.BatchRequestError{CustomID: r.CustomID, Err: err}
		}
		if err := gate.Ready(r.Request); err != nil {
			return refuse(err)
		}
		m := r.Request.ModelOr(p.model)
		if i == 0 {
			model = m
		} else if m != model {
			return nil, "", batchRefusal(fmt.Sprintf("request %d is for model %q and request 0 for %q: a job runs one model; submit each model's prompts as a job of its own", i, m, model))
		}
		in, err := p.input(r.Request)
		if err != nil {
			return refuse(inputError(err))
		}
		if in.tools != nil {
			return refuse(batchRefusal("the request has tools: Bedrock batch jobs of the Converse type refuse toolConfig; send prompts with tools with Call"))
		}
		if s3Media(in.messages) {
			return refuse(batchRefusal("the request refers to media by an s3:// URI: a batch job reads S3 media only from the folder of its input file; give the media's bytes"))
		}
		body, err := encodeConverse(in)
		if err != nil {
			return refuse(err)
		}
		id, _ := json.Marshal(recordID(r.CustomID))
		buf.WriteString(`{"recordId":`)
		buf.Write(id)
		buf.WriteString(`,"modelInput":`)
		buf.Write(body)
		buf.WriteString("}\n")
		if buf.Len() > maxBatchFileBytes {
			return nil, "", batchRefusal(fmt.Sprintf("the input file passes %d bytes (the default quota) at request %d: split the prompts across jobs", maxBatchFileBytes, i))
		}
	}
	return buf.Bytes(), model, nil
}

// s3Media reports whether a message refers to an S3 object.
func s3Media(msgs []types.Message) bool {
	for _, m := range msgs {
		for _, b := range m.Content {
			switch b := b.(type) {
			case *types.ContentBlockMemberImage:
				if _, ok := b.Value.Source.(*types.ImageSourceMemberS3Location); ok {
					return true
				}
			case *types.ContentBlockMemberAudio:
				if _, ok := b.Value.Source.(*types.AudioSourceMemberS3Location); ok {
					return true
				}
			case *types.ContentBlockMemberDocument:
				if _, ok := b.Value.Source.(*types.DocumentSourceMemberS3Location); ok {
					return true
				}
			}
		}
	}
	return false
}

// jobName is a fresh job name, also the folder of the job's files.
func jobName() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "mirascope-" + time.Now().UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}

// recordID carries a custom id as the alphanumeric record id the service
// documents: ASCII letters and digits stay, every other byte (and X) is X
// and two hex digits ("mirascope-7" is "mirascopeX2D7").
func recordID(customID string) string {
	var b strings.Builder
	for i := 0; i < len(customID); i++ {
		c := customID[i]
		if c != 'X' && alnum(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('X')
		b.WriteString(strings.ToUpper(hex.EncodeToString([]byte{c})))
	}
	return b.String()
}

// customID reverses recordID; false for an id it did not make.
func customID(recordID string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(recordID); i++ {
		c := recordID[i]
		switch {
		case c == 'X':
			if i+3 > len(recordID) {
				return "", false
			}
			hx := recordID[i+1 : i+3]
			d, err := hex.DecodeString(hx)
			// Only the form recordID writes: upper-case digits, for a byte
			// it escapes.
			if err != nil || hx != strings.ToUpper(hx) || (d[0] != 'X' && alnum(d[0])) {
				return "", false
			}
			b.WriteByte(d[0])
			i += 2
		case alnum(c):
			b.WriteByte(c)
		default:
			return "", false
		}
	}
	return b.String(), true
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

// codec is a Converse client that sends nothing: a request's body is
// captured (the JSON Call would send, for a record's modelInput) and an
// answer supplied (a record's modelOutput, read by the SDK's own
// deserializer as Call reads an answer). Its bearer token never leaves it.
var codec = sync.OnceValue(func() *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{
		Region: "us-east-1", BaseEndpoint: aws.String("https://codec.invalid"), Retryer: aws.NopRetryer{},
		BearerAuthTokenProvider: bearer.StaticTokenProvider{Token: bearer.Token{Value: "codec"}},
		AuthSchemePreference:    []string{"httpBearerAuth"},
		// Only the input's validation and the serializer and deserializer
		// matter here: the steps of a real send (ids, user agent, retry,
		// endpoint, auth, signing, timing) cost more than the JSON.
		APIOptions: []func(*middleware.Stack) error{func(s *middleware.Stack) error {
			s.Build.Clear()
			s.Finalize.Clear()
			for _, id := range []string{"AddRawResponseToMetadata", "RequestIDRetriever", "RecordResponseTiming", "RequestResponseLogger"} {
				_, _ = s.Deserialize.Remove(id)
			}
			return nil
		}},
	})
})

// doFunc is an HTTP client in one function.
type doFunc func(*http.Request) (*http.Response, error)

func (f doFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

var errCaptured = errors.New("captured")

// encodeConverse is in's Converse body, as the SDK writes it.
func encodeConverse(in *input) ([]byte, error) {
	var body []byte
	_, err := codec().Converse(context.Background(), in.converse(), func(o *bedrockruntime.Options) {
		o.HTTPClient = doFunc(func(r *http.Request) (*http.Response, error) {
			b, err := io.ReadAll(r.Body)
			if err != nil {
				return nil, err
			}
			body = b
			return nil, errCaptured
		})
	})
	if body == nil {
		return nil, err
	}
	if bytes.IndexByte(body, '\n') >= 0 { // one line per record
		var c bytes.Buffer
		if err := json.Compact(&c, body); err != nil {
			return nil, err
		}
		body = c.Bytes()
	}
	return body, nil
}

// decodeConverse reads a Converse answer body.
func decodeConverse(body []byte) (*bedrockruntime.ConverseOutput, error) {
	return codec().Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("batch")}, func(o *bedrockruntime.Options) {
		o.HTTPClient = doFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
		})
	})
}

func (p *Provider) getJob(ctx context.Context, id string) (*controlplane.GetModelInvocationJobOutput, error) {
	if err := p.batchReady(ctx); err != nil {
		return nil, err
	}
	out, err := p.control.GetModelInvocationJob(ctx, &controlplane.GetModelInvocationJobInput{JobIdentifier: aws.String(id)})
	if err != nil {
		return nil, p.providerError(ctx, err)
	}
	return out, nil
}

// BatchStatus implements [providerkit.Batcher]. Submitted, Validating,
// Scheduled, InProgress and Stopping are running; Completed is ended;
// PartiallyCompleted (not every record done in time) and Expired (not
// started in time) are expired; Stopped is cancelled; Failed is failed.
// Completed counts successful records, Failed errored ones.
func (p *Provider) BatchStatus(ctx context.Context, id string) (providerkit.BatchStatus, error) {
	job, err := p.getJob(ctx, id)
	if err != nil {
		return providerkit.BatchStatus{}, err
	}
	st := jobStatus(job)
	if m := aws.ToString(job.Message); m != "" && st.State == providerkit.BatchFailed {
		st.Reason = p.redactor.String(providerkit.BatchReason([]string{m}))
	}
	return st, nil
}

func jobStatus(j *controlplane.GetModelInvocationJobOutput) providerkit.BatchStatus {
	st := providerkit.BatchStatus{Raw: string(j.Status), Total: int(aws.ToInt64(j.TotalRecordCount)),
		Completed: int(aws.ToInt64(j.SuccessRecordCount)), Failed: int(aws.ToInt64(j.ErrorRecordCount))}
	switch j.Status {
	case cptypes.ModelInvocationJobStatusCompleted:
		st.State = providerkit.BatchEnded
	case cptypes.ModelInvocationJobStatusPartiallyCompleted, cptypes.ModelInvocationJobStatusExpired:
		st.State = providerkit.BatchExpired
	case cptypes.ModelInvocationJobStatusStopped:
		st.State = providerkit.BatchCancelled
	case cptypes.ModelInvocationJobStatusFailed:
		st.State = providerkit.BatchFailed
	default: // Submitted, Validating, Scheduled, InProgress, Stopping
		st.State = providerkit.BatchRunning
	}
	return st
}

// CancelBatch implements [providerkit.Batcher]: StopModelInvocationJob.
func (p *Provider) CancelBatch(ctx context.Context, id string) error {
	if err := p.batchReady(ctx); err != nil {
		return err
	}
	if _, err := p.control.StopModelInvocationJob(ctx, &controlplane.StopModelInvocationJobInput{JobIdentifier: aws.String(id)}); err != nil {
		return p.providerError(ctx, err)
	}
	return nil
}

// BatchResults implements [providerkit.Batcher]: the job's output file,
// {output URI}/{job id}/{input file}.out as GetModelInvocationJob names
// them, read from S3 line by line as it downloads. A job that ended early
// (expired, stopped) yields what was answered, or nothing if it wrote no
// output.
func (p *Provider) BatchResults(ctx context.Context, id string) iter.Seq2[providerkit.BatchResult, error] {
	return func(yield func(providerkit.BatchResult, error) bool) {
		job, err := p.getJob(ctx, id)
		if err != nil {
			yield(providerkit.BatchResult{}, err)
			return
		}
		st := jobStatus(job)
		if st.State == providerkit.BatchRunning || st.State == providerkit.BatchFailed {
			yield(providerkit.BatchResult{}, fmt.Errorf("mirascope: %s: batch %s is %s: %w", name, id, job.Status, providerkit.ErrBatchNoResults))
			return
		}
		bucket, key, err := outputKey(job)
		if err != nil {
			yield(providerkit.BatchResult{}, fmt.Errorf("mirascope: %s: batch %s: %w", name, id, err))
			return
		}
		obj, err := p.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			var nsk *s3types.NoSuchKey
			if errors.As(err, &nsk) && st.State != providerkit.BatchEnded {
				return
			}
			yield(providerkit.BatchResult{}, p.s3Error(ctx, err))
			return
		}
		defer obj.Body.Close()
		model := modelName(aws.ToString(job.ModelId))
		for line, err := range providerkit.Lines(obj.Body, maxBatchLine) {
			if errors.Is(err, providerkit.ErrLineTooLong) {
				yield(providerkit.BatchResult{}, fmt.Errorf("mirascope: %s: batch %s: %w", name, id, errLongLine))
				return
			}
			if err != nil {
				yield(providerkit.BatchResult{}, p.transportError(ctx, err))
				return
			}
			if !yield(p.batchResult(model, line), nil) {
				return
			}
		}
	}
}

// outputKey is where the job's output file is: its output prefix, the job
// id (the ARN's last part), and the input file's name with ".out".
func outputKey(job *controlplane.GetModelInvocationJobOutput) (bucket, key string, err error) {
	in, ok := job.InputDataConfig.(*cptypes.ModelInvocationJobInputDataConfigMemberS3InputDataConfig)
	out, ok2 := job.OutputDataConfig.(*cptypes.ModelInvocationJobOutputDataConfigMemberS3OutputDataConfig)
	if !ok || !ok2 {
		return "", "", errors.New("the job names no S3 input or output")
	}
	_, inKey, ok := parseS3URI(aws.ToString(in.Value.S3Uri))
	if !ok || inKey == "" || strings.HasSuffix(inKey, "/") {
		return "", "", fmt.Errorf("the job's input %q is not one file", aws.ToString(in.Value.S3Uri))
	}
	bucket, prefix, ok := parseS3URI(aws.ToString(out.Value.S3Uri))
	if !ok {
		return "", "", fmt.Errorf("the job's output %q is not an S3 URI", aws.ToString(out.Value.S3Uri))
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	arn := aws.ToString(job.JobArn)
	jobID := arn[strings.LastIndexByte(arn, '/')+1:]
	if jobID == "" {
		return "", "", fmt.Errorf("the job ARN %q has no id", arn)
	}
	return bucket, prefix + jobID + "/" + path.Base(inKey) + ".out", nil
}

// modelName is the model id of a job's model: an ARN's resource id, else
// the id as it is.
func modelName(id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id[strings.LastIndexByte(id, '/')+1:]
	}
	return id
}

// outputRecord is one line of an output file; its modelInput, the request
// echoed, is skipped.
type outputRecord struct {
	RecordID    string          `json:"recordId"`
	ModelOutput json.RawMessage `json:"modelOutput"`
	Error       *struct {
		ErrorCode    json.RawMessage `json:"errorCode"`
		ErrorMessage string          `json:"errorMessage"`
	} `json:"error"`
}

// batchResult maps one line: a Converse answer, or that record's error (the
// HTTP status the model's call ended with, and its message).
func (p *Provider) batchResult(model string, line []byte) providerkit.BatchResult {
	var rec outputRecord
	pe := &mirascope.ProviderError{Provider: name}
	if err := json.Unmarshal(line, &rec); err != nil {
		pe.Message, pe.Err = "the service answered with a malformed batch line", err
		return providerkit.BatchResult{Err: p.redactor.ProviderError(pe)}
	}
	out := providerkit.BatchResult{CustomID: rec.RecordID}
	if id, ok := customID(rec.RecordID); ok {
		out.CustomID = id
	}
	switch {
	case rec.Error != nil:
		var status int
		var code string
		if json.Unmarshal(rec.Error.ErrorCode, &status) != nil {
			_ = json.Unmarshal(rec.Error.ErrorCode, &code)
		}
		if status >= 400 && status <= 599 {
			pe.StatusCode = status
		}
		pe.Code, pe.Message = code, rec.Error.ErrorMessage
		if pe.Message == "" {
			pe.Message = http.StatusText(pe.StatusCode)
		}
		pe.Retryable = providerkit.RetryableAnswer(pe.StatusCode, nil, providerkit.ErrorBody{Code: code}) || retryableCodes[code]
	case len(rec.ModelOutput) == 0 || string(rec.ModelOutput) == "null":
		pe.Message = "the batch line has neither a modelOutput nor an error"
	default:
		co, err := decodeConverse(rec.ModelOutput)
		if err != nil {
			pe.Message, pe.Err = "the service answered with a malformed modelOutput", err
			break
		}
		out.Response = p.redactor.Response(response(model, "", co))
		return out
	}
	out.Err = p.redactor.ProviderError(pe)
	return out
}

// s3Error maps an S3 failure: S3's errors carry their status and request
// id in a type of the SDK's internal package, found here by its methods.
func (p *Provider) s3Error(ctx context.Context, err error) error {
	pe := mapErr(ctx, err)
	var he interface {
		HTTPStatusCode() int
		ServiceRequestID() string
	}
	if pe.StatusCode == 0 && errors.As(err, &he) && he.HTTPStatusCode() >= 300 {
		pe.StatusCode, pe.RequestID = he.HTTPStatusCode(), he.ServiceRequestID()
		pe.Retryable = pe.Retryable || providerkit.RetryableAnswer(pe.StatusCode, nil, providerkit.ErrorBody{Code: pe.Code})
	}
	return p.redactor.ProviderError(pe)
}

var errLongLine = errors.New("a line of the output file passes the length bound (64 MiB)")
