package prompt_test

import (
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mirascope-go/mirascope/prompt"
)

// A URL refused by CheckMessages is quoted in the error with its signing
// parameters masked: errors reach spans.
func TestSignedURLMaskedInErrors(t *testing.T) {
	for _, u := range []string{
		"https://ho st/o?sig=SECRETSECRET",
		"https:///o?X-Amz-Signature=SECRETSECRET",
		"ftp://h/o?token=SECRETSECRET",
	} {
		err := prompt.CheckMessages([]prompt.Message{prompt.UserParts(prompt.ImageURL(u))})
		t.Logf("%q -> %v", u, err)
		if err != nil && strings.Contains(err.Error(), "SECRETSECRET") {
			t.Errorf("leak: %v", err)
		}
	}
}

// File refuses what is not a regular file before reading: /dev/zero never
// ends and opening a FIFO blocks.
func TestFileRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := dir + "/fifo"
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/dev/zero", dir, fifo} {
		done := make(chan error, 1)
		go func() { _, err := prompt.File(p); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, prompt.ErrInvalidValue) {
				t.Errorf("File(%s) = %v, want ErrInvalidValue", p, err)
			}
			t.Log(err)
		case <-time.After(5 * time.Second):
			t.Fatalf("File(%s) did not return", p)
		}
	}
}
