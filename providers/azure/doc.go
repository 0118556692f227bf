// Package azure calls Azure OpenAI through the official openai-go SDK and
// its azure package, or, with [WithModelInference], the Azure AI
// model-inference endpoint.
//
//	p := azure.New("my-gpt-4o-mini-deployment") // AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//
// # Azure OpenAI (gen_ai.provider.name azure.ai.openai)
//
// The model is the deployment name: POST
// {endpoint}/openai/deployments/{model}/chat/completions?api-version=…, the
// key in the api-key header. AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and
// OPENAI_API_VERSION (default [DefaultAPIVersion]) are read; no other
// variable is. Params.MaxTokens is sent as max_completion_tokens. Request ids
// come from apim-request-id.
//
// # Azure AI model inference (azure.ai.inference)
//
// The "Azure AI" of Mirascope's Python azure module: POST
// {endpoint}/chat/completions?api-version=2024-05-01-preview with the model
// in the body, the key in api-key, max_tokens. AZURE_INFERENCE_ENDPOINT
// (https://<resource>.services.ai.azure.com/models) and
// AZURE_INFERENCE_CREDENTIAL are read.
//
// # Tools and structured output
//
// Both endpoints take OpenAI's tools, every tool_choice (auto, required,
// none, a named function) and response_format json_schema with strict: a
// Format goes out as strict structured output, as in package openai (Azure
// OpenAI documents it from api-version 2024-08-01-preview, GA in
// 2024-10-21; the model-inference API in 2024-05-01-preview, for the models
// whose "Response format" column lists it). Azure sends
// content_filter_results beside tool calls; they are read past.
//
// # Batches
//
// On Azure OpenAI the provider is a providerkit.Batcher (use package
// batch): the requests go up as one JSONL file to
// {endpoint}/openai/files?api-version=… (purpose "batch") and become a job
// of {endpoint}/openai/batches on /chat/completions with the 24h window,
// each line naming the provider's model (or the request's), which must be
// a Global-Batch or Data-Zone-Batch deployment. Results stream from the
// output file, then the error file; one request's failure is its result's
// error. Azure's limits per job, [MaxBatchRequests] requests and
// [MaxBatchBytes] bytes of input file, are refused before any upload:
// split the prompts across jobs. Azure does not expire a job that runs
// past the window; cancel it to keep what was answered. Input files stay
// in the resource's storage, which holds a limited number of them. The
// model-inference endpoint has no batch API: every batch method returns a
// [*mirascope.UnsupportedError].
//
// There is no default endpoint: a call without one returns an error naming
// the variable before any request. openai-go sends Azure credentials only
// over HTTPS, or plain HTTP to loopback (used for local test servers).
//
// [WithExtraBody] sets body fields this package does not model.
// mirascope.WithReasoning applies to Azure OpenAI (reasoning models, with
// an API version that has the field); the model-inference endpoint rejects
// parameters it does not define, so there it is refused before any request.
package azure
