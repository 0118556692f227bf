package otel

import (
	"context"
	"sync"

	otelapi "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/semconv/v1.41.0/genaiconv"
)

// The bucket boundaries the GenAI conventions advise; genaiconv sets none.
var (
	// tokenBuckets: 1, 4, 16, … 67108864 (powers of 4).
	tokenBuckets = []float64{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864}
	// durationBuckets: 0.01, 0.02, … 81.92 seconds (doubling).
	durationBuckets = []float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92}
)

// instruments are the GenAI client metrics of one meter provider.
type instruments struct {
	mp       metric.MeterProvider
	noop     bool // the no-op provider: skip the work of recording
	tokens   genaiconv.ClientTokenUsage
	duration genaiconv.ClientOperationDuration
	ttfc     genaiconv.ClientOperationTimeToFirstChunk
	// sets caches the measurement options per label combination.
	mu   sync.RWMutex
	sets map[metricKey]*metricSets
}

func newInstruments(mp metric.MeterProvider) *instruments {
	m := mp.Meter(ScopeName, metric.WithInstrumentationVersion(Version), metric.WithSchemaURL(semconv.SchemaURL))
	in := &instruments{mp: mp, sets: make(map[metricKey]*metricSets)}
	if _, ok := mp.(noop.MeterProvider); ok {
		in.noop = true
	}
	// An instrument that fails to register is replaced by a no-op by
	// genaiconv; the SDK reports the error through otel.Handle.
	var err error
	if in.tokens, err = genaiconv.NewClientTokenUsage(m, metric.WithExplicitBucketBoundaries(tokenBuckets...)); err != nil {
		otelapi.Handle(err)
	}
	if in.duration, err = genaiconv.NewClientOperationDuration(m, metric.WithExplicitBucketBoundaries(durationBuckets...)); err != nil {
		otelapi.Handle(err)
	}
	if in.ttfc, err = genaiconv.NewClientOperationTimeToFirstChunk(m, metric.WithExplicitBucketBoundaries(durationBuckets...)); err != nil {
		otelapi.Handle(err)
	}
	return in
}

// metricKey is everything a metric point's attributes depend on.
type metricKey struct {
	provider, requestModel, responseModel, address, errorType string
	port                                                      int
	batch                                                     bool // Usage.Batch
}

// metricSets are the precomputed measurement options of one metricKey:
// building, sorting and boxing an attribute set per call was most of the
// metric cost.
type metricSets struct {
	// One-element slices, passed as they are to Record so that no
	// variadic slice is built per call.
	duration, input, output, ttfc []metric.RecordOption
}

// maxCachedSets bounds the cache: models and error types are few, but a
// provider that echoes arbitrary model names must not grow it without end.
const maxCachedSets = 4096

func (in *instruments) setsFor(k metricKey) *metricSets {
	in.mu.RLock()
	s, ok := in.sets[k]
	in.mu.RUnlock()
	if ok {
		return s
	}
	s = buildSets(k)
	in.mu.Lock()
	if len(in.sets) < maxCachedSets {
		in.sets[k] = s
	}
	in.mu.Unlock()
	return s
}

func buildSets(k metricKey) *metricSets {
	attrs := make([]attribute.KeyValue, 0, 8)
	attrs = append(attrs, attrOperationChat, keyProviderName.String(k.provider))
	if k.requestModel != "" {
		attrs = append(attrs, keyRequestModel.String(k.requestModel))
	}
	if k.responseModel != "" {
		attrs = append(attrs, keyResponseModel.String(k.responseModel))
	}
	if k.address != "" {
		attrs = append(attrs, keyServerAddress.String(k.address))
	}
	if k.port > 0 {
		attrs = append(attrs, keyServerPort.Int(k.port))
	}
	if k.batch {
		attrs = append(attrs, attrUsageBatch)
	}
	// attribute.NewSet sorts its argument in place: give each set its own
	// slice. error.type belongs to the duration only: a stream that failed
	// later still had its first chunk, and tokens are counted on success.
	with := func(kv attribute.KeyValue) []metric.RecordOption {
		return []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(append(attrs[:len(attrs):len(attrs)], kv)...))}
	}
	s := &metricSets{input: with(attrTokenInput), output: with(attrTokenOutput)}
	s.ttfc = []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(attrs...))}
	if k.errorType != "" {
		s.duration = with(keyErrorType.String(k.errorType))
	} else {
		s.duration = s.ttfc
	}
	return s
}

// record writes one call's metrics; ttfc < 0 means no chunk came (or no
// stream), seconds < 0 a duration not to record (a batch result's).
func (in *instruments) record(ctx context.Context, k metricKey, seconds float64, usage bool, input, output int, ttfc float64) {
	if in.noop {
		return
	}
	s := in.setsFor(k)
	if seconds >= 0 {
		in.duration.Float64Histogram.Record(ctx, seconds, s.duration...)
	}
	if usage {
		in.tokens.Int64Histogram.Record(ctx, int64(input), s.input...)
		in.tokens.Int64Histogram.Record(ctx, int64(output), s.output...)
	}
	if ttfc >= 0 {
		in.ttfc.Float64Histogram.Record(ctx, ttfc, s.ttfc...)
	}
}
