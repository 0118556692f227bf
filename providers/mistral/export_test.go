package mistral

// SetBatchLimits lowers the batch limits for a test; it returns the
// function that restores them. Providers made after the call see them.
func SetBatchLimits(requests, bytes int) (restore func()) {
	oldR, oldB := maxBatchRequests, maxBatchBytes
	maxBatchRequests, maxBatchBytes = requests, bytes
	return func() { maxBatchRequests, maxBatchBytes = oldR, oldB }
}
