// Package providers holds what users pass to a provider's New: the
// [Option]s and the [Config] they set, the defaults, and the errors a
// misconfigured provider returns. It imports no SDK; each service lives in
// its own sub-package (providers/openai, providers/anthropic, …),
// providers/mock is a scripted provider for tests, and what someone writing
// a provider needs (error mapping, the shared transport, option keys) is in
// providers/providerkit, as database/sql keeps its driver interface in
// database/sql/driver.
//
// # Options
//
//	p := openai.New("gpt-4o-mini",
//		providers.WithAPIKey(key),                 // else OPENAI_API_KEY
//		providers.WithBaseURL("http://proxy:8080/v1"),
//		providers.WithHeader("X-Team", "search"),
//		providers.WithMaxRetries(4),               // default 2
//		providers.WithTimeout(30*time.Second),     // default 10 minutes; 0: none
//	)
//
// One [DefaultMaxRetries] and one [DefaultTimeout] hold for every provider,
// whatever its SDK would do on its own. A provider that needs an API key and
// finds none returns a [*MissingAPIKeyError] naming the environment variable
// at the first call, before any request.
//
// Every configuration failure (a missing key or endpoint, a malformed base
// URL, another provider's Option, an AWS configuration that does not load)
// comes from the first Call or Stream, before any request, as a
// [*ConfigError] (a *MissingAPIKeyError unwraps to one), matching
// [ErrInvalidConfig].
//
// # One transport
//
// Every provider sends through one transport, the only place requests are
// retried (each provider turns its SDK's own retries off): Retry-After is
// honoured up to a bound, back-off is exponential with jitter, and no wait
// the context's deadline would cut short is started. A call whose deadline
// passes after an error answer returns that answer's
// *mirascope.ProviderError (status, request id, message), which also
// matches context.DeadlineExceeded. The provider's credential, and anything
// shaped like one, is masked in every error a provider returns.
//
// # Rate limits
//
// [WithRateLimit] paces a provider's calls to a number of requests and
// tokens a minute, so that they wait their turn instead of meeting a 429;
// provider values of one account share one [RateLimiter]:
//
//	l := providers.NewRateLimiter(500, 200_000)
//	fast := openai.New("gpt-4o-mini", providers.WithRateLimiter(l))
//	big := openai.New("gpt-4o", providers.WithRateLimiter(l))
//
// Whatever the options, the transport reads the services' rate-limit
// headers and holds the provider value's next requests until a spent quota
// resets, at most a minute. A wait the context's deadline would cut short
// is not started: the call fails at once, unsent, matching
// context.DeadlineExceeded. Response.RateLimitWait says how long a call
// waited.
//
// # Provider-specific options
//
// A provider package's own Options and CallOptions name the providers that
// honour them. Given to any other provider, a CallOption is refused with a
// *mirascope.UnsupportedError and an Option with a [*ConfigError], before
// any request; so is a base URL that is not an absolute http or https URL.
package providers
