package azure

// SetMaxBatchBytes lowers the batch size limit of providers made until
// restore is called.
func SetMaxBatchBytes(n int) (restore func()) {
	old := batchSpec.MaxBytes
	batchSpec.MaxBytes = n
	return func() { batchSpec.MaxBytes = old }
}
