package bedrock

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// Every MIME type lower.Bedrock lets through has a Converse format here, and
// every extension names a type of its kind's table: the two tables cannot
// drift apart unnoticed.
func TestFormatsCoverCaps(t *testing.T) {
	has := map[prompt.MediaKind]func(string) bool{
		prompt.MediaImage:    func(t string) bool { _, ok := imageFormats[t]; return ok },
		prompt.MediaAudio:    func(t string) bool { _, ok := audioFormats[t]; return ok },
		prompt.MediaDocument: func(t string) bool { _, ok := documentFormats[t]; return ok },
	}
	for kind, med := range lower.Bedrock.Media {
		assert.NotEmpty(t, med.MIMETypes, kind)
		for _, mt := range med.MIMETypes {
			assert.True(t, has[kind](mt), "%s of type %s has no Converse format", kind, mt)
		}
	}
	for ext, mt := range extensionTypes {
		assert.True(t, has[prompt.MediaImage](mt) || has[prompt.MediaAudio](mt) || has[prompt.MediaDocument](mt), "%s: %s", ext, mt)
	}
}
