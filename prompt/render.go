package prompt

import "errors"

type fieldNode struct{ sub *struct{ hasRedacted bool } }

func maskValue(n *fieldNode, v any) any { return v }

// Render turns p into messages. (Being written.)
func Render(p any) (*Rendered, error) {
	switch v := p.(type) {
	case Texter:
		return &Rendered{Name: "", Messages: []Message{User(v.Prompt())}}, nil
	case Messager:
		return &Rendered{Messages: v.Messages()}, nil
	}
	return nil, errors.New("prompt: not implemented yet")
}

var ErrValidation = errors.New("prompt: validation failed")
