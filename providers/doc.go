// Package providers holds what every provider package shares: the [Option]s
// and [Config] that New takes, the defaults, the environment look-up and the
// error helpers. It imports no SDK; each service lives in its own
// sub-package (providers/openai, providers/anthropic, …), and providers/mock
// is a scripted provider for tests.
//
// # Options
//
//	p := openai.New("gpt-4o-mini",
//		providers.WithAPIKey(key),                 // else OPENAI_API_KEY
//		providers.WithBaseURL("http://proxy:8080/v1"),
//		providers.WithHeader("X-Team", "search"),
//		providers.WithMaxRetries(4),               // default 2
//		providers.WithTimeout(30*time.Second),     // default 10 minutes
//	)
//
// One [DefaultMaxRetries] and one [DefaultTimeout] hold for every provider,
// whatever its SDK would do on its own. A provider that needs an API key and
// finds none returns a [*MissingAPIKeyError] naming the environment variable
// at the first call, before any request.
package providers
