package anthropic

// SetMaxBatchBytes lowers the batch size limit for a test; it returns the
// function that restores it.
func SetMaxBatchBytes(n int) (restore func()) {
	old := maxBatchBytes
	maxBatchBytes = n
	return func() { maxBatchBytes = old }
}
