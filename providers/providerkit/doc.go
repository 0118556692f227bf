// Package providerkit is for people writing a provider: what the provider
// packages of this module share, kept out of package providers, which users
// read for the options they pass to New.
//
// A [mirascope.Provider] needs none of it: providers/mock and
// providers/replay implement Call and Stream directly, and are the examples
// to start from. A provider on an HTTP service's SDK uses the kit as the
// provider packages here do:
//
//	func New(model string, opts ...providers.Option) *Provider {
//		cfg := providerkit.NewConfig(opts...)     // the user's options
//		cfg.APIKeyFromEnv("MYSERVICE_API_KEY")    // and the environment
//		cfg.BaseURLFromEnv("https://api.example.com", "MYSERVICE_BASE_URL")
//		// cfg.Check(name) is the configuration error to return from every call;
//		// the SDK sends through cfg.Client(): one retry policy, credentials masked.
//		...
//	}
//
// In Call and Stream: [StartCall] bounds the call by the configured
// timeout; a failure becomes a *mirascope.ProviderError through
// [AnswerError] (an HTTP error answer, with [ParseErrorBody] for the
// service's error JSON), [TransportError] (no answer) or [ContextError]
// (the caller's deadline, keeping the last answer, see [LastAnswer]), and
// passes through the config's [Redactor] before it is returned. A
// provider's own Options and CallOptions store their values under an
// [*OptionKey] naming the providers that honour them, which
// [CheckCallOptions] and Config.Check enforce; [MergeFields], [Fields] and
// [FieldsOver] carry extra request-body fields.
package providerkit
