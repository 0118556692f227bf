package prompt

// Role is who speaks a [Message]. The values are the lower-case words every
// provider's wire format and the OpenTelemetry GenAI conventions use.
type Role string

// The roles of a conversation.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// Message is one turn of a conversation. A literal such as
// prompt.Message{Role: prompt.RoleUser, Content: "..."} is as good as the
// constructors.
type Message struct {
	Role    Role
	Content string
	// Parts, when set, is the message's content in order (text and
	// media), and Content must be empty. Content stays the way to write a
	// text-only message.
	Parts []Part
	// Reasoning are an assistant turn's reasoning blocks, in the service's
	// order, sent back before its content and tool calls: services that
	// check their reasoning (Anthropic's signed thinking) refuse a tool
	// loop's next turn without them.
	Reasoning []Reasoning `json:",omitempty"`
	// ToolCalls are the calls an assistant turn asks for.
	ToolCalls []ToolCall
	// ToolCallID ties a RoleTool message to the call it answers.
	ToolCallID string
	// IsError marks a RoleTool message whose content reports a failed tool
	// run (unknown tool, bad arguments, an error or a panic), so the model
	// can correct itself; providers with an error flag on the wire send it.
	IsError bool
}

// ToolCall is a function call requested by the model.
type ToolCall struct {
	ID   string
	Name string
	// Arguments is the JSON object of arguments, as the model wrote it.
	Arguments string
	// Signature is the service's opaque reasoning state tied to this call
	// (Gemini's thoughtSignature, base64), sent back with the call: it lives
	// in the message, so a history stored and sent again later, from
	// another process or from a replay, keeps it. Empty for most services.
	Signature string `json:",omitempty"`
}

// Reasoning is one reasoning block of an assistant turn, as the service
// returned it, kept in the message so that a history stored and sent again
// later, from another process or from a replay, is accepted.
type Reasoning struct {
	// Text is the visible thinking (or its summary).
	Text string `json:",omitempty"`
	// Signature is the service's opaque proof of Text, sent back unchanged.
	Signature string `json:",omitempty"`
	// Redacted is the opaque data of a block the service hid (Anthropic's
	// redacted_thinking), sent back unchanged; Text is empty then.
	Redacted string `json:",omitempty"`
}

// System returns a system message.
func System(content string) Message { return Message{Role: RoleSystem, Content: content} }

// User returns a user message.
func User(content string) Message { return Message{Role: RoleUser, Content: content} }

// Assistant returns an assistant message.
func Assistant(content string) Message { return Message{Role: RoleAssistant, Content: content} }

// ToolResult returns the message that answers the tool call with the given id.
func ToolResult(toolCallID, content string) Message {
	return Message{Role: RoleTool, Content: content, ToolCallID: toolCallID}
}
