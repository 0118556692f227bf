package otel

import (
	"strings"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// Each content attribute is a JSON array that stays within its bound
// whatever it holds: ten thousand tool calls in one answer, as many tool
// results in a conversation, as many tool definitions. Its parts (a text, a
// tool call, a tool's result, a tool definition) are planned first from
// their sizes (see partSizes.fit): when their framing fits the bound, all
// are kept and their texts share the rest fairly; when even their framing
// does not, the first ones are kept (as many as fit whole, or as many as
// have their framing take at most half the bound, whichever is more), their
// texts sharing what their framing leaves, and the others are left out.
// The encoder then holds the bound exactly (the plan is an estimate: an
// escaped text grows): a part that would overflow is written again with its
// texts cut to the room left, or, when even that does not fit, left out
// with every part after it. What is left out is counted and reported on the
// span (mirascope.content.dropped_parts); the array stays valid JSON.
//
// Texts are masked (redacted values, and credentials in a failed tool's
// result) after being cut to what is recorded of them (see cutMasked), so a
// huge text costs no more than its recorded part.

// partSizes are the estimated sizes of an attribute's parts, in order.
type partSizes struct {
	frame []int // each part's framing: msgOverhead and its identifiers
	texts []int // the parts' texts, part after part
	ends  []int // where each part's texts end in texts
}

func (p *partSizes) add(frame int, texts ...int) {
	p.frame = append(p.frame, frame)
	p.texts = append(p.texts, texts...)
	p.ends = append(p.ends, len(p.texts))
}

// textsOf is the size of part i's texts.
func (p *partSizes) textsOf(i int) int {
	from := 0
	if i > 0 {
		from = p.ends[i-1]
	}
	n := 0
	for _, t := range p.texts[from:p.ends[i]] {
		n += t
	}
	return n
}

// fit plans the parts within limit bytes: how many of the first parts are
// kept, and the length their texts are cut to (noLimit: not cut).
func (p *partSizes) fit(limit int) (keep, textCap int) {
	keep = len(p.frame)
	if limit < 0 {
		return keep, noLimit
	}
	framing, total := 0, 0
	for _, f := range p.frame {
		framing += f
	}
	for _, t := range p.texts {
		total += t
	}
	if framing+total <= limit {
		return keep, noLimit
	}
	if framing > limit {
		// As many parts as fit whole, or as many as have their framing fit
		// in half the limit, whichever is more.
		whole, size := 0, 0
		for whole < len(p.frame) {
			size += p.frame[whole] + p.textsOf(whole)
			if size > limit {
				break
			}
			whole++
		}
		keep, framing = 0, 0
		for keep < len(p.frame) && framing+p.frame[keep] <= limit/2 {
			framing += p.frame[keep]
			keep++
		}
		for ; keep < whole; keep++ {
			framing += p.frame[keep]
		}
	}
	end := 0
	if keep > 0 {
		end = p.ends[keep-1]
	}
	return keep, fairCap(p.texts[:end], limit-framing)
}

// partKind is the kind of one element an encoder writes.
type partKind uint8

const (
	partText      partKind = iota // {"type":"text","content":…}
	partResponse                  // {"type":"tool_call_response","id":…,"response":…}
	partCall                      // {"type":"tool_call","id":…,"name":…,"arguments":…}
	partDef                       // {"type":"function","name":…,"description":…,"parameters":…}
	partMedia                     // {"type":"blob"|"uri"|"file","modality":…,…} (see media.go)
	partReasoning                 // {"type":"reasoning","content":…}
)

// part is one element of a content array.
type part struct {
	kind   partKind
	isErr  bool // a failed tool's result: its credentials are masked
	text   string
	id     string // a tool call's id
	name   string // a tool's name
	params string // a tool definition's parameters
	media  *prompt.Media
}

// textsIn is how many texts p has.
func (p *part) textsIn() int {
	switch p.kind {
	case partDef:
		return 2
	case partMedia:
		return 0 // its payload is never cut
	}
	return 1
}

// Per text, what a JSON string adds besides its cut contents: the quotes
// and the truncation mark.
const textExtra = 2 + len(truncationMark)

// frameMax is the most p's encoding takes besides its texts' contents.
func (p *part) frameMax() int {
	id := func(s string) int { return min(6*len(s), maxIdentifier) + textExtra }
	switch p.kind {
	case partText:
		return len(`{"type":"text","content":}`) + textExtra
	case partReasoning:
		return len(`{"type":"reasoning","content":}`) + textExtra
	case partResponse:
		return len(`{"type":"tool_call_response","id":,"response":}`) + id(p.id) + textExtra
	case partCall:
		return len(`{"type":"tool_call","id":,"name":,"arguments":}`) + id(p.id) + id(p.name) + textExtra
	}
	return len(`{"type":"function","name":,"description":,"parameters":}`) + id(p.name) + 2*textExtra
}

// contentEnc writes one content attribute's JSON array in b.
type contentEnc struct {
	b       []byte
	base    int      // where the array begins in b
	limit   int      // what the array may take, in bytes; noLimit for no bound
	secrets []string // masked in every text
	dropped int      // parts left out
	full    bool     // a part did not fit: every later one is left out
	cut     bool     // a part was cut to the room left
	skip    []bool   // by part, in the plan's order: a large media payload left out; nil: none
}

// skips reports whether the plan left out part unit (a large media
// payload), counting it as dropped.
func (e *contentEnc) skips(unit int) bool {
	if unit < len(e.skip) && e.skip[unit] && !e.full {
		e.dropped++
		return true
	}
	return false
}

// begin starts a new array at the end of b, within limit bytes.
func (e *contentEnc) begin(limit int) {
	e.base, e.limit, e.full = len(e.b), limit, false
	e.b = append(e.b, '[')
}

// end closes the array; an empty one is removed. It returns the array.
func (e *contentEnc) end(n int) []byte {
	if n == 0 {
		e.b = e.b[:e.base]
	} else {
		e.b = append(e.b, ']')
	}
	return e.b[e.base:]
}

func (e *contentEnc) over(reserve int) bool {
	return e.limit >= 0 && len(e.b)-e.base+reserve > e.limit
}

// add appends p (after a comma unless first) with its texts cut to textCap,
// leaving reserve bytes for what must follow it; cut to the room left when
// it would overflow. It reports whether p was written; when not, p and every
// later part are left out.
func (e *contentEnc) add(p *part, first bool, textCap, reserve int) bool {
	if e.full {
		e.dropped++
		return false
	}
	mark := len(e.b)
	if !first {
		e.b = append(e.b, ',')
	}
	e.b = e.writePart(e.b, p, textCap)
	if !e.over(reserve) {
		return true
	}
	e.b = e.b[:mark]
	if p.kind == partMedia {
		// Never cut, and the parts after it may still fit.
		e.dropped++
		return false
	}
	room := e.limit - (mark - e.base) - reserve - 1 - p.frameMax()
	if c := room / p.textsIn(); room >= 0 && (textCap < 0 || c < textCap) {
		if !first {
			e.b = append(e.b, ',')
		}
		e.b = e.writePart(e.b, p, c)
		if !e.over(reserve) {
			e.cut = true
			return true
		}
		e.b = e.b[:mark]
	}
	e.full = true
	e.dropped++
	return false
}

func (e *contentEnc) writePart(b []byte, p *part, textCap int) []byte {
	switch p.kind {
	case partText:
		b = append(b, `{"type":"text","content":`...)
		b = appendString(b, e.masked(p.text, textCap, p.isErr), textCap)
	case partReasoning:
		b = append(b, `{"type":"reasoning","content":`...)
		b = appendString(b, e.masked(p.text, textCap, false), textCap)
	case partResponse:
		b = append(b, `{"type":"tool_call_response","id":`...)
		b = appendString(b, p.id, maxIdentifier)
		b = append(b, `,"response":`...)
		b = appendString(b, e.masked(p.text, textCap, p.isErr), textCap)
	case partCall:
		b = append(b, `{"type":"tool_call","id":`...)
		b = appendString(b, p.id, maxIdentifier)
		b = append(b, `,"name":`...)
		b = appendString(b, p.name, maxIdentifier)
		b = append(b, `,"arguments":`...)
		b = appendJSONOrString(b, e.masked(p.text, textCap, false), textCap)
	case partMedia:
		return appendMedia(b, p.media)
	case partDef:
		b = append(b, `{"type":"function","name":`...)
		b = appendString(b, p.name, maxIdentifier)
		if p.text != "" {
			b = append(b, `,"description":`...)
			b = appendString(b, p.text, textCap)
		}
		if p.params != "" {
			b = append(b, `,"parameters":`...)
			b = appendJSONOrString(b, p.params, textCap)
		}
	}
	return append(b, '}')
}

// masked is s masked of e's secrets and, for a failed tool's result, of
// credentials, having been cut to about textCap bytes first.
func (e *contentEnc) masked(s string, textCap int, isErr bool) string {
	if len(e.secrets) == 0 && !isErr {
		return s
	}
	secrets := e.secrets
	s, _ = cutMasked(s, textCap, func(w string) string {
		w = maskAll(w, secrets)
		if isErr {
			w = maskCredentials(w)
		}
		return w
	}, secrets)
	return s
}

// isToolResult reports whether m answers a tool call: its content is one
// tool_call_response part.
func isToolResult(m *prompt.Message) bool { return m.Role == prompt.RoleTool && m.ToolCallID != "" }

// partsMode reports whether m's content is recorded part by part.
func partsMode(m *prompt.Message) bool { return len(m.Parts) > 0 && !isToolResult(m) }

// messageText is m's text: its Content, or the texts of its Parts, in
// order (where a part holds no media: a tool's result, a legacy event).
func messageText(m *prompt.Message) string {
	if len(m.Parts) == 0 {
		return m.Content
	}
	var b strings.Builder
	for i := range m.Parts {
		if m.Parts[i].Media == nil {
			b.WriteString(m.Parts[i].Text)
		}
	}
	return b.String()
}

// textLen is len(messageText(m)), without building it.
func textLen(m *prompt.Message) int {
	if len(m.Parts) == 0 {
		return len(m.Content)
	}
	n := 0
	for i := range m.Parts {
		if m.Parts[i].Media == nil {
			n += len(m.Parts[i].Text)
		}
	}
	return n
}

// headUnits is how many parts of the plan m's content takes: one per Part,
// else one (its text, or its tool result, or only the message's framing
// when it holds neither).
func headUnits(m *prompt.Message) int {
	if partsMode(m) {
		return len(m.Parts)
	}
	return 1
}

// headPart is part j of m's content; ok is false when there is none to
// write (a message holding only tool calls).
func headPart(m *prompt.Message, j int) (p part, ok bool) {
	switch {
	case isToolResult(m):
		return part{kind: partResponse, id: m.ToolCallID, text: messageText(m), isErr: m.IsError}, true
	case partsMode(m):
		mp := &m.Parts[j]
		switch {
		case mp.Media != nil:
			return part{kind: partMedia, media: mp.Media}, true
		case mp.CacheBreakpoint && mp.Text == "":
			return part{}, false // a cache marker alone: no content
		}
		return part{kind: partText, text: mp.Text, isErr: m.IsError}, true
	case m.Content != "" || len(m.ToolCalls) == 0:
		return part{kind: partText, text: m.Content, isErr: m.IsError}, true
	}
	return part{}, false
}

// reasoningUnits is how many reasoning parts m has: one per block with
// visible text (a redacted block's data and a signature are opaque and not
// recorded). They come first in its content, as the service sent them.
func reasoningUnits(m *prompt.Message) int {
	n := 0
	for i := range m.Reasoning {
		if m.Reasoning[i].Text != "" {
			n++
		}
	}
	return n
}

// mediaFrame is a media part's framing besides its payload.
func mediaFrame(md *prompt.Media) int {
	return msgOverhead + idLen(string(md.Kind)) + idLen(md.MIMEType)
}

// contentSize is the estimated size of m's content (not its tool calls),
// overhead and media payloads included; media is their part of it.
func contentSize(m *prompt.Message) (size, media int) {
	if !partsMode(m) {
		return msgOverhead + textLen(m) + idLen(m.ToolCallID), 0
	}
	for i := range m.Parts {
		p := &m.Parts[i]
		if p.Media == nil {
			size += msgOverhead + len(p.Text)
			continue
		}
		n := mediaSize(p.Media)
		size += mediaFrame(p.Media) + n
		media += n
	}
	return size, media
}

// largePayloads are an attribute's media payloads larger than
// smallPayload, by the part of the plan they are in.
type largePayloads struct {
	units []int
	sizes []int
}

// headSizes adds m's content parts to ps; large media payloads go to big,
// their parts to ps with their framing only.
func headSizes(ps *partSizes, big *largePayloads, m *prompt.Message) {
	if !partsMode(m) {
		ps.add(msgOverhead+idLen(m.ToolCallID), textLen(m))
		return
	}
	for i := range m.Parts {
		p := &m.Parts[i]
		if p.Media == nil {
			ps.add(msgOverhead, len(p.Text))
			continue
		}
		frame, n := mediaFrame(p.Media), mediaSize(p.Media)
		if n > smallPayload {
			big.units = append(big.units, len(ps.frame))
			big.sizes = append(big.sizes, n)
			n = 0
		}
		ps.add(frame + n)
	}
}

// messageSizes adds m's reasoning parts to ps, then its content parts (see
// headSizes), then its tool calls.
func messageSizes(ps *partSizes, big *largePayloads, m *prompt.Message) {
	for i := range m.Reasoning {
		if t := m.Reasoning[i].Text; t != "" {
			ps.add(msgOverhead, len(t))
		}
	}
	headSizes(ps, big, m)
	for j := range m.ToolCalls {
		tc := &m.ToolCalls[j]
		ps.add(msgOverhead+idLen(tc.ID)+idLen(tc.Name), len(tc.Arguments))
	}
}

// messageSize is m's estimated size (see messageSizes).
func messageSize(m *prompt.Message) int {
	n, _ := contentSize(m)
	n += reasoningSize(m)
	for j := range m.ToolCalls {
		tc := &m.ToolCalls[j]
		n += msgOverhead + idLen(tc.ID) + idLen(tc.Name) + len(tc.Arguments)
	}
	return n
}

// reasoningSize is the estimated size of m's reasoning parts.
func reasoningSize(m *prompt.Message) int {
	n := 0
	for i := range m.Reasoning {
		if t := m.Reasoning[i].Text; t != "" {
			n += msgOverhead + len(t)
		}
	}
	return n
}

// planParts plans ps within limit (see partSizes.fit), having first
// decided which large payloads are kept: in order, each that fits in what
// the framing and the texts, whole, leave of limit; skip marks by part
// those left out (nil: none).
func planParts(ps *partSizes, big *largePayloads, limit int) (keep, textCap int, skip []bool) {
	if len(big.units) > 0 && limit >= 0 {
		room := limit
		for _, f := range ps.frame {
			room -= f
		}
		for _, t := range ps.texts {
			room -= t
		}
		for i, u := range big.units {
			if n := big.sizes[i]; n <= room {
				room -= n
				ps.frame[u] += n
				continue
			}
			if skip == nil {
				skip = make([]bool, len(ps.frame))
			}
			skip[u] = true
		}
	}
	keep, textCap = ps.fit(limit)
	return keep, textCap, skip
}

// messages writes msgs (but the system ones when skipSystem) as an array
// of messages within limit, the last one
// with finish as its finish_reason when not empty; keep and textCap are
// the plan (see partSizes.fit), counting each message's head and tool calls.
func (e *contentEnc) messages(msgs []prompt.Message, skipSystem bool, finish string, limit, keep, textCap int) {
	e.begin(limit)
	finish = truncateString(finish, maxIdentifier)
	n, unit := 0, 0
	for i := range msgs {
		m := &msgs[i]
		if skipSystem && m.Role == prompt.RoleSystem {
			continue // recorded as the system instructions
		}
		heads := headUnits(m)
		if e.full || unit >= keep {
			e.full = true
			e.dropped += reasoningUnits(m) + len(m.ToolCalls)
			for j := range heads {
				if _, ok := headPart(m, j); ok {
					e.dropped++
				}
			}
			continue
		}
		start := len(e.b)
		if n > 0 {
			e.b = append(e.b, ',')
		}
		role := m.Role
		if role == "" {
			role = prompt.RoleUser
		}
		e.b = append(e.b, `{"role":`...)
		e.b = appendString(e.b, string(role), maxIdentifier)
		e.b = append(e.b, `,"parts":[`...)
		// What must follow any part: the message's and the array's ends.
		reserve := len(`]}]`)
		fin := ""
		if i == len(msgs)-1 {
			fin = finish
		}
		if fin != "" {
			reserve += len(`,"finish_reason":""`) + len(fin)*6
		}
		written := 0
		for j := range m.Reasoning {
			r := &m.Reasoning[j]
			if r.Text == "" {
				continue
			}
			if unit >= keep {
				e.full = true
			}
			p := part{kind: partReasoning, text: r.Text}
			if !e.skips(unit) && e.add(&p, written == 0, textCap, reserve) {
				written++
			}
			unit++
		}
		for j := range heads {
			if unit >= keep {
				e.full = true
			}
			if head, ok := headPart(m, j); ok && !e.skips(unit) && e.add(&head, written == 0, textCap, reserve) {
				written++
			}
			unit++
		}
		for j := range m.ToolCalls {
			tc := &m.ToolCalls[j]
			if unit >= keep {
				e.full = true
			}
			p := part{kind: partCall, id: tc.ID, name: tc.Name, text: tc.Arguments}
			if e.add(&p, written == 0, textCap, reserve) {
				written++
			}
			unit++
		}
		if written == 0 && e.full {
			e.b = e.b[:start] // nothing of it fitted
			continue
		}
		e.b = append(e.b, ']')
		if fin != "" {
			e.b = append(e.b, `,"finish_reason":`...)
			e.b = appendString(e.b, fin, noLimit)
		}
		e.b = append(e.b, '}')
		n++
	}
	e.end(n)
}

// encodeInput encodes the system instructions and the other messages as two
// JSON arrays, in one buffer, each within its bound and both within total
// (noLimit: none); either is empty when there is nothing to put in it. Their
// texts are masked of secrets. cut reports whether anything was cut and
// dropped how many parts were left out.
func encodeInput(msgs []prompt.Message, sysMax, inMax, total int, secrets []string) (systemJSON, inputJSON string, cut bool, dropped int) {
	sysMax = minBound(sysMax, total)
	e := contentEnc{secrets: secrets}
	bound := boundedHint(sysMax, inMax)
	e.b = make([]byte, 0, min(contentSizeHint(msgs, bound), bound))
	sysKeep, sysCap, sysSkip := planInput(msgs, true, sysMax)
	e.begin(sysMax)
	e.skip = sysSkip
	n, unit := 0, 0
	for i := range msgs {
		m := &msgs[i]
		if m.Role != prompt.RoleSystem {
			continue
		}
		for j := range headUnits(m) {
			if unit >= sysKeep {
				e.full = true
			}
			p, ok := part{kind: partText, text: m.Content}, true
			if partsMode(m) {
				p, ok = headPart(m, j)
			}
			if ok && !e.skips(unit) && e.add(&p, n == 0, sysCap, 1) {
				n++
			}
			unit++
		}
	}
	e.end(n)
	split := len(e.b)
	if total >= 0 {
		inMax = minBound(inMax, max(total-split, 0))
	}
	inKeep, inCap, inSkip := planInput(msgs, false, inMax)
	e.skip = inSkip
	e.messages(msgs, true, "", inMax, inKeep, inCap)
	all := bytesString(e.b)
	cut = sysCap >= 0 || inCap >= 0 || e.dropped > 0 || e.cut
	return all[:split], all[split:], cut, e.dropped
}

// planInput plans the system instructions (system) or the other messages
// within limit (see planParts); the sizes are gathered only when the
// estimate says they do not all fit whole.
func planInput(msgs []prompt.Message, system bool, limit int) (keep, textCap int, skip []bool) {
	size := 0
	for i := range msgs {
		m := &msgs[i]
		if (m.Role == prompt.RoleSystem) != system {
			continue
		}
		keep += headUnits(m)
		n, _ := contentSize(m)
		size += n
		if system {
			continue // recorded as its content's parts
		}
		keep += reasoningUnits(m) + len(m.ToolCalls)
		size += reasoningSize(m)
		for j := range m.ToolCalls {
			tc := &m.ToolCalls[j]
			size += msgOverhead + len(tc.Arguments) + idLen(tc.ID) + idLen(tc.Name)
		}
	}
	if limit < 0 || size <= limit {
		return keep, noLimit, nil
	}
	var ps partSizes
	var big largePayloads
	for i := range msgs {
		m := &msgs[i]
		if (m.Role == prompt.RoleSystem) != system {
			continue
		}
		if system {
			headSizes(&ps, &big, m)
		} else {
			messageSizes(&ps, &big, m)
		}
	}
	return planParts(&ps, &big, limit)
}

// encodeOutput encodes the assistant's answer as a one-message JSON array,
// within limit bytes (noLimit: no bound), its texts masked of secrets; cut
// reports whether anything was cut and dropped how many parts were left
// out.
func encodeOutput(m *prompt.Message, finish string, limit int, secrets []string) (_ string, cut bool, dropped int) {
	keep, textCap := reasoningUnits(m)+headUnits(m)+len(m.ToolCalls), noLimit
	var skip []bool
	size := messageSize(m)
	if limit >= 0 && size > limit {
		var ps partSizes
		var big largePayloads
		messageSizes(&ps, &big, m)
		keep, textCap, skip = planParts(&ps, &big, limit)
	}
	hint := size - msgOverhead // the framing is in the 96 below
	if limit >= 0 {
		hint = min(hint, limit)
	}
	e := contentEnc{secrets: secrets, b: make([]byte, 0, hint+96), skip: skip}
	e.messages([]prompt.Message{*m}, false, finish, limit, keep, textCap)
	if len(e.b) == 0 {
		e.b = append(e.b, "[]"...)
	}
	return bytesString(e.b), textCap >= 0 || e.dropped > 0 || e.cut, e.dropped
}

// encodeToolDefs encodes the tools' definitions as the GenAI conventions'
// tool definitions schema has them, within limit bytes (noLimit: no
// bound): descriptions and parameter schemas share it fairly, and a schema
// cut short is recorded as a string; dropped is how many definitions were
// left out.
func encodeToolDefs(tools []mirascope.Tool, limit int) (_ string, dropped int) {
	defs := make([]part, 0, len(tools))
	for _, tl := range tools {
		if tl != nil {
			d := tl.Definition()
			defs = append(defs, part{kind: partDef, name: d.Name, text: d.Description, params: compactJSON(d.Parameters)})
		}
	}
	keep, textCap := len(defs), noLimit
	if limit >= 0 {
		var ps partSizes
		for i := range defs {
			ps.add(msgOverhead+idLen(defs[i].name), len(defs[i].text), len(defs[i].params))
		}
		keep, textCap = ps.fit(limit)
	}
	e := contentEnc{b: make([]byte, 0, 256)}
	e.begin(limit)
	n := 0
	for i := range defs {
		if i >= keep {
			e.full = true
		}
		if e.add(&defs[i], n == 0, textCap, 1) {
			n++
		}
	}
	if n == 0 {
		return "[]", e.dropped
	}
	return bytesString(e.end(n)), e.dropped
}

// minBound is the tighter of two bounds, either of which may be noLimit.
func minBound(a, b int) int {
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	}
	return min(a, b)
}

// legacyOverhead is what a legacy prompt event's value adds to its text.
const legacyOverhead = len(`{"content":"","role":""}`)

// legacyPrompts are the legacy prompt events' values, one per message,
// masked of secrets (and a failed tool's result of credentials), within
// limit bytes together: their texts share it fairly, and the messages that
// do not fit even so are left out (dropped counts them).
func legacyPrompts(msgs []prompt.Message, limit int, secrets []string) (out []string, cut bool, dropped int) {
	keep, textCap := len(msgs), noLimit
	if limit >= 0 {
		var ps partSizes
		for i := range msgs {
			ps.add(legacyOverhead+idLen(string(msgs[i].Role)), textLen(&msgs[i]))
		}
		keep, textCap = ps.fit(limit)
	}
	e := contentEnc{secrets: secrets}
	out = make([]string, 0, keep)
	used := 0
	for i := range msgs[:keep] {
		m := &msgs[i]
		v := legacyMessage(m.Role, e.masked(messageText(m), textCap, m.IsError), textCap)
		if limit >= 0 && used+len(v) > limit {
			break
		}
		used += len(v)
		out = append(out, v)
	}
	dropped = len(msgs) - len(out)
	return out, textCap >= 0 || dropped > 0, dropped
}
