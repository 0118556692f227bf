package prompt_test

import (
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// A part's kind, MIME type or file id of any length is cut short in an
// error.
func TestHugeMediaFieldsErrorBounded(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	for _, m := range []prompt.Message{
		prompt.UserParts(prompt.Part{Media: &prompt.Media{Kind: prompt.MediaKind(huge), Data: []byte("x")}}),
		{Role: prompt.RoleAssistant, Parts: []prompt.Part{{Media: &prompt.Media{Kind: prompt.MediaImage, Data: []byte("x"), MIMEType: huge}}, prompt.CacheBreakpoint()}},
	} {
		err := prompt.CheckMessages([]prompt.Message{m})
		t.Log(len(err.Error()))
		if err == nil || len(err.Error()) > 1024 {
			t.Errorf("error %d bytes", len(err.Error()))
		}
	}
}

type validatedImage struct {
	Image string `prompt:"image" validate:"startswith=https://cdn."`
}

func (validatedImage) Template() string { return "USER: {image:image}" }

// A string that fails validation is quoted in the error cut short and with
// a signed URL's signature masked.
func TestValidationErrorQuotesShort(t *testing.T) {
	for _, s := range []string{
		"https://b.s3.amazonaws.com/o.png?X-Amz-Signature=SECRETSECRET",
		"data:image/png;base64," + strings.Repeat("AAAA", 1<<18),
	} {
		_, err := prompt.Render(validatedImage{Image: s})
		require.ErrorIs(t, err, prompt.ErrValidation)
		assert.NotContains(t, err.Error(), "SECRETSECRET")
		assert.Less(t, len(err.Error()), 1024)
	}
}
