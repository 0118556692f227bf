package bedrock

// SetMaxBatchFileBytes lowers the input file bound for a test; the returned
// function restores it.
func SetMaxBatchFileBytes(n int) (restore func()) {
	old := maxBatchFileBytes
	maxBatchFileBytes = n
	return func() { maxBatchFileBytes = old }
}
