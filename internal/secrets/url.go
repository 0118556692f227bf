package secrets

import "strings"

// signingParams are the query parameters that make a URL a credential: a
// signed (pre-signed, SAS) URL grants access to its object until it
// expires, to whoever reads it in a span or a cassette.
var signingParams = []string{
	"x-amz-signature", "x-amz-credential", "x-amz-security-token",
	"x-goog-signature", "x-goog-credential",
	"signature", "sig", "token", "access_token", "key",
}

// MaskURL returns url with the values of its signing query parameters
// (X-Amz-Signature, X-Goog-Signature, an Azure SAS's sig, access_token…)
// replaced by [Redacted], and any credential shape in it masked (see
// [MaskCredentials]); the rest stays, so the URL still says which object it
// names. A data: URL is returned as it is: its payload is no credential.
func MaskURL(url string) string {
	if len(url) >= 5 && strings.EqualFold(url[:5], "data:") {
		return url
	}
	base, query, ok := strings.Cut(url, "?")
	if ok {
		query, frag, hasFrag := strings.Cut(query, "#")
		params := strings.Split(query, "&")
		changed := false
		for i, p := range params {
			k, _, hasValue := strings.Cut(p, "=")
			if hasValue && isSigningParam(k) {
				params[i] = k + "=" + Redacted
				changed = true
			}
		}
		if changed {
			url = base + "?" + strings.Join(params, "&")
			if hasFrag {
				url += "#" + frag
			}
		}
	}
	return MaskCredentials(url)
}

func isSigningParam(k string) bool {
	for _, p := range signingParams {
		if strings.EqualFold(k, p) {
			return true
		}
	}
	return false
}
