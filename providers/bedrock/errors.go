package bedrock

import (
	"context"
	"errors"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// retryableCodes are Bedrock's transient error codes, for exceptions that
// come inside a stream without an HTTP status.
var retryableCodes = map[string]bool{
	"ThrottlingException":         true,
	"ServiceUnavailableException": true,
	"InternalServerException":     true,
	"ModelTimeoutException":       true,
	"ModelNotReadyException":      true,
	"ModelStreamErrorException":   true,
}

// providerError maps an SDK error: the HTTP status and request id from
// *awshttp.ResponseError, the code and message from smithy.APIError.
func (p *Provider) providerError(ctx context.Context, err error) *mirascope.ProviderError {
	return p.redactor.ProviderError(mapErr(ctx, err))
}

func mapErr(ctx context.Context, err error) *mirascope.ProviderError {
	var re *awshttp.ResponseError
	var ae smithy.APIError
	hasResp, hasAPI := errors.As(err, &re), errors.As(err, &ae)
	status := 0
	if hasResp {
		status = re.HTTPStatusCode()
	}
	if status == 0 && !hasAPI {
		// The SDK wraps failures without an answer in a ResponseError too,
		// with status 0.
		return contextError(ctx, err)
	}
	pe := &mirascope.ProviderError{Provider: name, Err: err}
	if hasResp {
		pe.RequestID = re.ServiceRequestID()
		if status >= 300 {
			pe.StatusCode = status
		} else if !hasAPI {
			// A 2xx whose body could not be read as the API's JSON.
			pe.Message = "invalid response body"
		}
		if re.Response != nil {
			pe.RetryAfter = providerkit.RetryAfter(re.Response.Header)
		}
	}
	if hasAPI {
		pe.Code = ae.ErrorCode()
		pe.Message = ae.ErrorMessage()
	}
	var h http.Header
	if hasResp && re.Response != nil {
		h = re.Response.Header
	}
	pe.Retryable = providerkit.RetryableAnswer(pe.StatusCode, h, providerkit.ErrorBody{Code: pe.Code}) || retryableCodes[pe.Code]
	return pe
}

// transportError classifies a failure without an answer, with the
// credentials masked. When the context ended it, the last error answer of
// the call, if any, is reported, matching the context's error too.
func (p *Provider) transportError(ctx context.Context, err error) *mirascope.ProviderError {
	return p.redactor.ProviderError(contextError(ctx, err))
}

func contextError(ctx context.Context, err error) *mirascope.ProviderError {
	if ctx.Err() != nil {
		return providerkit.ContextError(ctx, name, err, answerError)
	}
	return providerkit.TransportError(name, err)
}

// answerError maps an error answer the SDK did not get to see as one (the
// deadline ended the call after it): the code is X-Amzn-ErrorType's, before
// its colon.
func answerError(resp *http.Response) *mirascope.ProviderError {
	pe := providerkit.AnswerError(name, resp, nil, "X-Amzn-Requestid")
	if code, _, _ := strings.Cut(resp.Header.Get("X-Amzn-Errortype"), ":"); code != "" {
		pe.Code = code
	}
	pe.Retryable = pe.Retryable || retryableCodes[pe.Code]
	return pe
}
