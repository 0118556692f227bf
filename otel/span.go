package otel

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	otelapi "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// Traced wraps p so that every Call, and every Stream when p streams, records
// one OpenTelemetry span (kind CLIENT) and the GenAI client metrics. The
// result implements [mirascope.Streamer] exactly when p does, and unwraps to
// p. A nil p gives a nil Provider. Like p, it is safe for concurrent use.
func Traced(p mirascope.Provider, opts ...Option) mirascope.Provider {
	if p == nil {
		return nil
	}
	cfg := newConfig(opts)
	t := &tracedProvider{
		inner:      p,
		capture:    cfg.captureContent(),
		legacy:     cfg.legacy,
		maxContent: cfg.maxContent,
		spanName:   cfg.spanName,
	}
	if t.spanName == nil {
		t.spanName = defaultSpanName
	}
	if cfg.tracerProvider != nil {
		t.tracer = newTracer(cfg.tracerProvider)
	}
	if cfg.meterProvider != nil {
		t.inst = newInstruments(cfg.meterProvider)
	}
	if s, ok := p.(mirascope.Streamer); ok {
		return &tracedStreamer{tracedProvider: t, streamer: s}
	}
	return t
}

// tracedProvider is the decorator for a provider that does not stream.
type tracedProvider struct {
	inner      mirascope.Provider
	tracer     trace.Tracer // nil: the global provider's, resolved per call
	inst       *instruments // nil: the global provider's, resolved per call
	capture    bool
	legacy     bool
	maxContent int
	spanName   func(mirascope.ProviderInfo, *mirascope.Request) string
}

// tracedStreamer is the decorator for a provider that streams.
type tracedStreamer struct {
	*tracedProvider
	streamer mirascope.Streamer
}

var (
	_ mirascope.Provider = (*tracedProvider)(nil)
	_ mirascope.Provider = (*tracedStreamer)(nil)
	_ mirascope.Streamer = (*tracedStreamer)(nil)
)

// Info returns the wrapped provider's description.
func (t *tracedProvider) Info() mirascope.ProviderInfo { return t.inner.Info() }

// Unwrap returns the wrapped provider.
func (t *tracedProvider) Unwrap() mirascope.Provider { return t.inner }

// noAnswer is the error of a wrapped provider that answered neither a
// response nor an error (or streamed neither a chunk nor an error): the
// call fails so at mirascope's entry points, and its span says so rather
// than recording a success with no answer.
func (t *tracedProvider) noAnswer() error {
	return &mirascope.ProviderError{Provider: t.inner.Info().Name,
		Message: "the provider returned neither a response nor an error"}
}

// Call sends req through the wrapped provider inside a span.
func (t *tracedProvider) Call(ctx context.Context, req *mirascope.Request) (resp *mirascope.Response, err error) {
	c, spanCtx := t.begin(ctx, req, false)
	done := false
	defer func() {
		if !done {
			// The wrapped provider panicked: end the span, let the panic go on.
			c.end(nil, nil, true)
		}
	}()
	resp, err = t.inner.Call(spanCtx, req)
	done = true
	if err == nil && resp == nil {
		err = t.noAnswer()
	}
	if err != nil {
		c.end(nil, err, false)
		return nil, err
	}
	if a := t.attemptOf(ctx); a != nil && resp != nil && len(resp.ToolCalls) == 0 {
		a.hold(c, resp) // ended once Extract has judged the answer
		return resp, nil
	}
	c.end(resp, nil, false)
	return resp, nil
}

// call is the state of one traced call, from begin to end. It holds the
// buffer the span's attributes are built in, so that a call costs one
// allocation of ours before the SDK's own (the SDK copies attributes).
type call struct {
	t         *tracedProvider
	ctx       context.Context    // the span's, to classify errors and record metrics
	req       *mirascope.Request // to scrub a failure's text; held only until end
	secrets   []string           // outputSecrets, computed once
	attempts  int                // HTTP requests sent, as the provider counted them
	rlWait    time.Duration      // waited for rate limits, as the provider reported
	span      trace.Span
	info      mirascope.ProviderInfo
	model     string
	name      string
	start     time.Time
	stream    bool
	ttfc      time.Duration // -1 until the first chunk
	inst      *instruments
	tracer    trace.Tracer
	startKVs  []attribute.KeyValue // given to the sampler at span start
	attrs     []attribute.KeyValue // the request's, set at the end
	legacy    []string             // the legacy prompt events' values
	snapshot  bool                 // attrs (and legacy, secrets) were taken from req
	inUsed    int                  // how much of the content budget the request used
	truncated bool                 // some content was cut to fit the budget
	dropped   int                  // parts of the content left out to fit it
	buf       *attrBuf
	used      int // how much of buf was written

	// A batch result's (see BatchResult): the submission's span to link
	// to, when valid; noDuration, since the span lasts the reading, not
	// the service's work.
	link       trace.Link
	noDuration bool
}

// attrBuf is the scratch space a call builds its attributes in. The SDK
// copies attributes it is given, so after an SDK span took them the buffer
// goes back to a pool: per call, it was the largest allocation of ours. A
// span of another implementation might keep the slice, so its buffer is left
// to the garbage collector.
type attrBuf [32]attribute.KeyValue

var attrBufs = sync.Pool{New: func() any { return new(attrBuf) }}

func (c *call) releaseBuf() {
	if !copiesAttributes(c.span) {
		c.buf, c.attrs = nil, nil
		return
	}
	if c.buf != nil {
		clear(c.buf[:min(c.used, len(c.buf))]) // drop references to content strings
		attrBufs.Put(c.buf)
		c.buf, c.attrs = nil, nil
	}
}

// newCall prepares a call of req: what the span starts with.
func (t *tracedProvider) newCall(ctx context.Context, req *mirascope.Request, stream bool) *call {
	info := t.inner.Info()
	c := &call{t: t, ctx: ctx, req: req, info: info, model: req.ModelOr(info.Model), stream: stream, ttfc: -1}
	c.tracer = t.tracer
	if c.tracer == nil {
		c.tracer = globalTracer()
	}
	c.inst = t.inst
	if c.inst == nil {
		c.inst = globalInstruments()
	}
	c.name = validString(t.spanName(info, req))
	c.buf = attrBufs.Get().(*attrBuf)
	c.startKVs = startAttrs(c.buf[:0], info, c.model, stream)
	validAttrs(c.startKVs)
	c.used = len(c.startKVs)
	return c
}

// takeSnapshot builds, from req as it is now, everything the span records
// of the request: set later, it would record what the caller changed since.
func (c *call) takeSnapshot() {
	c.snapshot = true
	n := len(c.startKVs)
	c.attrs = c.requestAttrs(c.buf[n:n], c.req)
	c.used += len(c.attrs)
	c.outputSecrets()
}

// begin starts the span and returns the context the wrapped provider runs in.
func (t *tracedProvider) begin(ctx context.Context, req *mirascope.Request, stream bool) (*call, context.Context) {
	return t.newCall(ctx, req, stream).begin(ctx)
}

// begin starts c's span, taking the request's snapshot now unless it was
// taken already.
func (c *call) begin(ctx context.Context) (*call, context.Context) {
	c.start = time.Now()
	var spanCtx context.Context
	var span trace.Span
	if c.link.SpanContext.IsValid() {
		spanCtx, span = c.tracer.Start(ctx, c.name,
			trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(c.startKVs...), trace.WithLinks(c.link))
	} else {
		spanCtx, span = c.tracer.Start(ctx, c.name,
			trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(c.startKVs...))
	}
	c.span = span
	c.ctx = spanCtx // the metrics' exemplars then point at this span
	if span.IsRecording() {
		// The rest is built while req is as the caller made it, and set
		// with the response's in one call at the end: the SDK then grows
		// its attribute slice once.
		if !c.snapshot {
			c.takeSnapshot()
		}
		for _, m := range c.legacy {
			span.AddEvent(eventLegacyPrompt, trace.WithAttributes(keyLegacyPrompt.String(m)))
		}
	}
	c.legacy = nil
	return c, spanCtx
}

// startAttrs appends the attributes the GenAI conventions ask for at span
// creation, where a sampler sees them.
func startAttrs(attrs []attribute.KeyValue, info mirascope.ProviderInfo, model string, stream bool) []attribute.KeyValue {
	attrs = append(attrs, attrOperationChat, keyProviderName.String(info.Name))
	attrs = targetAttrs(attrs, info, model)
	if stream {
		attrs = append(attrs, attrStreamTrue)
	}
	return attrs
}

// targetAttrs appends the model and the server a span's operation is aimed
// at, those that are known.
func targetAttrs(attrs []attribute.KeyValue, info mirascope.ProviderInfo, model string) []attribute.KeyValue {
	if model != "" {
		attrs = append(attrs, keyRequestModel.String(model))
	}
	if info.ServerAddress != "" {
		attrs = append(attrs, keyServerAddress.String(info.ServerAddress))
	}
	if info.ServerPort > 0 {
		attrs = append(attrs, keyServerPort.Int(info.ServerPort))
	}
	return attrs
}

// requestAttrs appends the rest of the span's attributes known before the
// call: the parameters set, the prompt and (with capture on) the content,
// which shares the request's part of the content budget.
func (c *call) requestAttrs(attrs []attribute.KeyValue, req *mirascope.Request) []attribute.KeyValue {
	t := c.t
	p := &req.Params
	if p.MaxTokens != nil {
		attrs = append(attrs, keyRequestMaxTokens.Int(*p.MaxTokens))
	}
	if p.Temperature != nil {
		attrs = append(attrs, keyRequestTemperature.Float64(*p.Temperature))
	}
	if p.TopP != nil {
		attrs = append(attrs, keyRequestTopP.Float64(*p.TopP))
	}
	if len(p.Stop) > 0 {
		attrs = append(attrs, keyRequestStopSeqs.StringSlice(validStrings(p.Stop)))
	}
	if p.Seed != nil {
		attrs = append(attrs, keyRequestSeed.Int64(*p.Seed))
	}
	if req.Format != nil {
		attrs = append(attrs, attrOutputJSON)
	}
	if t.legacy {
		attrs = append(attrs, keyLegacySystem.String(c.info.Name))
	}
	// The content, unbounded first: in the common case it fits.
	rp := req.Prompt
	var template string
	fieldsFrom, fieldsSize := len(attrs), 0
	if rp != nil {
		if rp.Name != "" {
			attrs = append(attrs, KeyPromptName.String(rp.Name))
		}
		template = validString(rp.Template)
		if template != "" {
			attrs = append(attrs, KeyPromptTemplate.String(template))
		}
		fieldsFrom = len(attrs)
		if t.capture && len(rp.Fields) > 0 {
			keys := keysFor(rp)
			for i := range rp.Fields {
				if kv, size, ok := fieldAttr(keys[i], &rp.Fields[i]); ok {
					attrs = append(attrs, kv)
					fieldsSize += size
				}
			}
		}
	}
	fieldsTo := len(attrs)
	var msgs []prompt.Message
	var sysSize, inSize, toolsSize, legacySize int
	if t.capture {
		msgs = c.unmaskedInput(req)
		var mediaBytes int
		sysSize, inSize, mediaBytes = inputSizes(msgs)
		toolsSize = toolDefsSize(req.Tools)
		if t.legacy {
			legacySize = sysSize + inSize - mediaBytes // the legacy events hold texts only
		}
	}
	budget := requestShare(t.maxContent, t.capture)
	total := len(template) + fieldsSize + sysSize + inSize + toolsSize + legacySize
	unitCap := noLimit
	if budget >= 0 && total > budget {
		// Share the budget fairly among the content attributes.
		sizes := []int{len(template), sysSize, inSize, toolsSize, legacySize}
		for i := fieldsFrom; i < fieldsTo; i++ {
			sizes = append(sizes, valueSize(attrs[i].Value))
		}
		unitCap = fairCap(sizes, budget)
		fieldsSize = 0
		for i := fieldsFrom; i < fieldsTo; i++ {
			if sizes[5+i-fieldsFrom] > unitCap {
				attrs[i].Value = cutValue(attrs[i].Value, unitCap)
			}
			fieldsSize += valueSize(attrs[i].Value)
		}
		c.truncated = true
	}
	if unitCap >= 0 && len(template) > unitCap {
		template = truncateString(template, unitCap)
		attrs[fieldsFrom-1] = KeyPromptTemplate.String(template)
	}
	// What the content takes, as recorded: the shares are estimates (an
	// escaped text grows), so each message attribute is also bounded by
	// what the others left of the budget.
	c.inUsed = len(template) + fieldsSize
	bound := func() int {
		if budget < 0 {
			return unitCap
		}
		left := max(budget-c.inUsed, 0)
		if unitCap >= 0 {
			return min(unitCap, left)
		}
		return left
	}
	if t.capture {
		secrets := c.outputSecrets()
		if msgs != nil {
			system, input, cut, dropped := encodeInput(msgs, unitCap, unitCap, bound(), secrets)
			c.inUsed += len(system) + len(input)
			c.truncated = c.truncated || cut
			c.dropped += dropped
			if system != "" {
				attrs = append(attrs, keySystemInstructions.String(system))
			}
			if input != "" {
				attrs = append(attrs, keyInputMessages.String(input))
			}
		}
		if len(req.Tools) > 0 {
			defs, dropped := encodeToolDefs(req.Tools, bound())
			c.inUsed += len(defs)
			c.truncated = c.truncated || dropped > 0
			c.dropped += dropped
			attrs = append(attrs, keyToolDefinitions.String(defs))
		}
		if msgs != nil && t.legacy {
			var cut bool
			var dropped int
			c.legacy, cut, dropped = legacyPrompts(msgs, bound(), secrets)
			for _, v := range c.legacy {
				c.inUsed += len(v)
			}
			c.truncated = c.truncated || cut
			c.dropped += dropped
		}
	}
	return attrs
}

// valueSize is what cutValue measures a value by.
func valueSize(v attribute.Value) int {
	switch v.Type() {
	case attribute.STRING:
		return len(v.AsString())
	case attribute.STRINGSLICE:
		return stringsSize(v.AsStringSlice())
	case attribute.INT64SLICE:
		return numberSize * len(v.AsInt64Slice())
	case attribute.FLOAT64SLICE:
		return numberSize * len(v.AsFloat64Slice())
	case attribute.BOOLSLICE:
		return len(v.AsBoolSlice())
	}
	return numberSize
}

// unmaskedInput is what of the input messages may be recorded: as sent
// when no field is redacted; with redacted fields, a template prompt
// rendered again with the values masked, followed by the rest of the
// conversation (a Run's later turns), which the encoder masks of them
// (see outputSecrets); nothing for the other styles (their text was built by
// the user's method and may hold the secret anywhere). A redacted field's
// media, wherever a part holds it, is recorded as [prompt.RedactedText].
// The encoder also masks credentials in failed tool results: a tool's
// error, which mirascope.CallTools sends to the model, may quote a request
// it made with its key.
func (c *call) unmaskedInput(req *mirascope.Request) []prompt.Message {
	rp := req.Prompt
	if rp == nil || !rp.HasRedacted() {
		return req.Messages
	}
	masked := rp.MaskedMessages()
	n := len(rp.Messages)
	out := masked
	if masked != nil && len(req.Messages) > n {
		out = make([]prompt.Message, 0, len(masked)+len(req.Messages)-n)
		out = append(out, masked...)
		out = append(out, req.Messages[n:]...)
	}
	return rp.MaskMedia(out)
}

// end finishes the span exactly once and records the metrics. resp may be
// partial (a stream that ended early); aborted means the span is ended by a
// panic unwinding through it.
func (c *call) end(resp *mirascope.Response, err error, aborted bool) {
	elapsed := time.Since(c.start)
	span := c.span
	c.attempts = sentRequests(resp, err)
	if resp != nil {
		c.rlWait = resp.RateLimitWait
	}
	var errType string
	switch {
	case err != nil:
		errType = validString(errorType(c.ctx, err))
	case aborted:
		errType = errorTypeOther
	}
	if span.IsRecording() {
		// The answer gets what the request left of the budget (at least a
		// quarter); under legacy attributes the completion event takes half.
		outMax := noLimit
		if c.t.maxContent >= 0 {
			outMax = max(c.t.maxContent-c.inUsed, 0)
		}
		legacyMax := noLimit
		if c.t.legacy && outMax >= 0 {
			outMax, legacyMax = outMax-outMax/2, outMax/2
		}
		all := c.responseAttrs(c.attrs, resp, errType, outMax)
		validAttrs(all[len(c.attrs):])
		if c.truncated {
			all = append(all, attrContentTruncated)
		}
		if c.dropped > 0 {
			all = append(all, KeyContentDroppedParts.Int(c.dropped))
		}
		c.used += len(all) - len(c.attrs)
		span.SetAttributes(all...)
		if c.t.legacy && c.t.capture && resp != nil {
			content := resp.Content
			if legacyMax >= 0 { // what the event's framing and the mark leave
				legacyMax = max(legacyMax-legacyOverhead-len(prompt.RoleAssistant)-len(truncationMark), 0)
			}
			if secrets := c.outputSecrets(); len(secrets) > 0 {
				content, _ = cutMasked(content, legacyMax, func(s string) string { return maskAll(s, secrets) }, secrets)
			}
			span.AddEvent(eventLegacyCompletion, trace.WithAttributes(
				keyLegacyCompletion.String(legacyMessage(prompt.RoleAssistant, content, legacyMax))))
		}
		switch {
		case err != nil:
			c.recordError(span, err)
		case aborted:
			span.SetStatus(codes.Error, "mirascope: call abandoned by a panic")
		}
	}
	c.releaseBuf()
	c.req = nil
	span.End()

	k := metricKey{
		provider:     validString(c.info.Name),
		requestModel: validString(c.model),
		address:      validString(c.info.ServerAddress),
		port:         c.info.ServerPort,
		errorType:    errType,
	}
	usage := false
	var in, out int
	if resp != nil {
		k.responseModel = validString(resp.Model)
		if counted(resp.Usage) {
			usage, in, out = true, resp.Usage.InputTokens, resp.Usage.OutputTokens
			k.batch = resp.Usage.Batch
		}
	}
	ttfc := -1.0
	if c.ttfc >= 0 {
		ttfc = c.ttfc.Seconds()
	}
	seconds := elapsed.Seconds()
	if c.noDuration {
		seconds = -1
	}
	c.inst.record(c.ctx, k, seconds, usage, in, out, ttfc)
}

// outputSecrets are the redacted values the recorded answer must not
// repeat; nil (and no work) for a prompt without redacted fields.
func (c *call) outputSecrets() []string {
	if c.req == nil || c.req.Prompt == nil || !c.req.Prompt.HasRedacted() {
		return nil
	}
	if c.secrets == nil {
		c.secrets = secretsOf(c.req, true)
	}
	return c.secrets
}

// sentRequests is how many HTTP requests the provider says it sent for a
// call: on its answer, or on the *mirascope.ProviderError it failed with.
func sentRequests(resp *mirascope.Response, err error) int {
	var pe *mirascope.ProviderError
	switch {
	case err != nil && errors.As(err, &pe):
		return pe.Attempts
	case resp != nil:
		return resp.Attempts
	}
	return 0
}

// outputFinishReason is the output message's finish_reason, which the
// GenAI output-messages schema requires: the service's first reason,
// normalised; when it named none, "error" for a failed call, "tool_call"
// for an answer that calls tools, and "stop" otherwise (a call that
// succeeded, or a stream the caller stopped ranging).
func outputFinishReason(resp *mirascope.Response, msg *prompt.Message, errType string) string {
	if len(resp.FinishReasons) > 0 && resp.FinishReasons[0] != "" {
		return normalizeFinishReason(resp.FinishReasons[0])
	}
	switch {
	case errType != "":
		return "error"
	case len(msg.ToolCalls) > 0:
		return "tool_call"
	}
	return "stop"
}

// recordError sets the span's status to Error and records the exception
// event, with the error's text scrubbed of what the span must not hold (see
// secretsOf).
func (c *call) recordError(span trace.Span, err error) {
	recordError(span, err, secretsOf(c.req, c.t.capture))
}

// recordError sets span's status to Error and records err's exception event,
// its text masked of secrets and made presentable (see scrubbedErrorText).
func recordError(span trace.Span, err error, secrets []string) {
	text := err.Error()
	safe := scrubbedErrorText(text, secrets)
	if safe == text {
		span.RecordError(err)
	} else {
		// RecordError would write err.Error(); write the event it would,
		// with the scrubbed text.
		span.AddEvent(eventException, trace.WithAttributes(
			keyExceptionType.String(exceptionType(err)),
			keyExceptionMessage.String(safe)))
	}
	span.SetStatus(codes.Error, safe)
}

// exceptionType is the exception.type the SDK's RecordError writes: the
// error's Go type, package-qualified. It belongs to the exception event
// only; error.type never holds a Go type name.
func exceptionType(err error) string {
	t := reflect.TypeOf(err)
	if t.PkgPath() == "" && t.Name() == "" && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() + "." + t.Name()
}

// responseAttrs are the span's attributes known once the call is over.
func (c *call) responseAttrs(attrs []attribute.KeyValue, resp *mirascope.Response, errType string, outMax int) []attribute.KeyValue {
	if resp != nil {
		if resp.ID != "" {
			attrs = append(attrs, keyResponseID.String(resp.ID))
		}
		if resp.Model != "" {
			attrs = append(attrs, keyResponseModel.String(resp.Model))
		}
		if len(resp.FinishReasons) > 0 {
			attrs = append(attrs, keyResponseFinish.StringSlice(validStrings(resp.FinishReasons)))
		}
		if u := resp.Usage; counted(u) {
			attrs = usageAttrs(attrs, u)
			if c.t.legacy {
				attrs = append(attrs, keyLegacyPromptTokens.Int(u.InputTokens), keyLegacyCompletionTokens.Int(u.OutputTokens))
			}
		}
		if c.t.capture {
			msg := resp.Message
			if msg.Role == "" {
				msg = prompt.Assistant(resp.Content)
			}
			if len(msg.Reasoning) == 0 && resp.Reasoning != "" {
				// Thinking the service shows but need not see again.
				msg.Reasoning = []prompt.Reasoning{{Text: resp.Reasoning}}
			}
			finish := outputFinishReason(resp, &msg, errType)
			out, cut, dropped := encodeOutput(&msg, validString(finish), outMax, c.outputSecrets())
			c.truncated = c.truncated || cut
			c.dropped += dropped
			attrs = append(attrs, keyOutputMessages.String(out))
		}
	}
	if c.ttfc >= 0 {
		attrs = append(attrs, keyResponseTTFC.Float64(c.ttfc.Seconds()))
	}
	if n := c.attempts; n > 1 {
		attrs = append(attrs, keyHTTPResendCount.Int(n-1))
	}
	if c.rlWait > 0 {
		attrs = append(attrs, KeyRateLimitWait.Float64(c.rlWait.Seconds()))
	}
	if errType != "" {
		attrs = append(attrs, keyErrorType.String(errType))
	}
	return attrs
}

// The global providers' tracer and instruments, cached per provider: looking
// them up by name on every call costs a lock and a map access in the SDK.
var (
	globalTracerCache atomic.Pointer[tracerEntry]
	globalInstCache   atomic.Pointer[instruments]
)

type tracerEntry struct {
	tp     trace.TracerProvider
	tracer trace.Tracer
}

func newTracer(tp trace.TracerProvider) trace.Tracer {
	return tp.Tracer(ScopeName, trace.WithInstrumentationVersion(Version), trace.WithSchemaURL(semconv.SchemaURL))
}

func globalTracer() trace.Tracer {
	tp := otelapi.GetTracerProvider()
	if e := globalTracerCache.Load(); e != nil && e.tp == tp {
		return e.tracer
	}
	tr := newTracer(tp)
	if isComparable(tp) {
		globalTracerCache.Store(&tracerEntry{tp: tp, tracer: tr})
	}
	return tr
}

func globalInstruments() *instruments {
	mp := otelapi.GetMeterProvider()
	if in := globalInstCache.Load(); in != nil && in.mp == mp {
		return in
	}
	in := newInstruments(mp)
	if isComparable(mp) {
		globalInstCache.Store(in)
	}
	return in
}

// isComparable reports whether an interface holding v can be compared with ==
// without panicking; only such providers are cached.
func isComparable(v any) bool {
	return v != nil && reflect.TypeOf(v).Comparable()
}

// counted reports whether u counts any tokens: a Usage with only its
// Batch flag says nothing to record.
func counted(u mirascope.Usage) bool {
	u.Batch = false
	return u != mirascope.Usage{}
}

// usageAttrs appends u's token counts: input and output always, cache reads
// and writes and reasoning tokens when there are any, and the batch flag
// when set.
func usageAttrs(attrs []attribute.KeyValue, u mirascope.Usage) []attribute.KeyValue {
	attrs = append(attrs, keyUsageInput.Int(u.InputTokens), keyUsageOutput.Int(u.OutputTokens))
	if u.Batch {
		attrs = append(attrs, attrUsageBatch)
	}
	if u.CacheReadTokens > 0 {
		attrs = append(attrs, keyUsageCacheRead.Int(u.CacheReadTokens))
	}
	if u.CacheWriteTokens > 0 {
		attrs = append(attrs, keyUsageCacheCreation.Int(u.CacheWriteTokens))
	}
	if u.ReasoningTokens > 0 {
		attrs = append(attrs, keyUsageReasoning.Int(u.ReasoningTokens))
	}
	return attrs
}
