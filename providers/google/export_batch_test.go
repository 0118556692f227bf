package google

// SetBatchLimits lowers the inline, file and result-line limits of batches
// for a test (0 keeps one); it returns the function that restores them.
func SetBatchLimits(inline, file, line int) (restore func()) {
	oi, of, ol := maxInlineBytes, maxFileBytes, maxBatchLine
	if inline > 0 {
		maxInlineBytes = inline
	}
	if file > 0 {
		maxFileBytes = file
	}
	if line > 0 {
		maxBatchLine = line
	}
	return func() { maxInlineBytes, maxFileBytes, maxBatchLine = oi, of, ol }
}
