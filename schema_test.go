package mirascope_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope"
)

type shelfPlace struct {
	Room  string `json:"room" validate:"oneof=north south"`
	Shelf int    `json:"shelf" validate:"gt=0,lte=40"`
}

type catalogEntry struct {
	ISBN     string            `json:"isbn" jsonschema:"description=ISBN-13" validate:"required,len=13"`
	Contact  string            `json:"contact,omitempty" validate:"omitempty,email"`
	Added    time.Time         `json:"added"`
	Place    *shelfPlace       `json:"place,omitempty"`
	Keywords []string          `json:"keywords" validate:"min=1,dive,max=20"`
	Loans    map[string]int    `json:"loans,omitempty"`
	Notes    map[string]string `json:"-"`
}

func schemaOf[In any]() string {
	tool := mirascope.NewTool("t", "", func(context.Context, In) (string, error) { return "", nil })
	return string(tool.Definition().Parameters)
}

// The schema a tool's input type gets, field kind by field kind.
func TestToolSchemas(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"validate rules on numbers and enums", schemaOf[shelfPlace](),
			`{"type":"object","additionalProperties":false,"required":["room","shelf"],"properties":{
				"room":{"type":"string","enum":["north","south"]},
				"shelf":{"type":"integer","exclusiveMinimum":0,"maximum":40}}}`},
		{"strings, formats, time, pointers, slices, maps", schemaOf[catalogEntry](),
			`{"type":"object","additionalProperties":false,"required":["isbn","added","keywords"],"properties":{
				"isbn":{"type":"string","description":"ISBN-13","minLength":13,"maxLength":13},
				"contact":{"type":"string","format":"email"},
				"added":{"type":"string","format":"date-time"},
				"place":{"type":"object","additionalProperties":false,"required":["room","shelf"],"properties":{
					"room":{"type":"string","enum":["north","south"]},
					"shelf":{"type":"integer","exclusiveMinimum":0,"maximum":40}}},
				"keywords":{"type":"array","minItems":1,"items":{"type":"string","maxLength":20}},
				"loans":{"type":"object","additionalProperties":{"type":"integer"}}}}`},
		{"no arguments", schemaOf[struct{}](), `{"type":"object","additionalProperties":false,"properties":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.JSONEq(t, tt.want, tt.got)
		})
	}
}
