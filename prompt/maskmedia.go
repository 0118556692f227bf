package prompt

import "unsafe"

// MaskMedia returns msgs with every part that holds the media of one of r's
// redacted fields replaced by the text [RedactedText]: a tracer or a
// recorder shows no secret image, whatever a conversation made of it (a
// tool loop's later turns, a history spliced in). A part holds a field's
// media when it is the same Media, or has the same bytes (the same memory),
// URL or file id. msgs is copied only where a part changes, and returned
// itself when none does.
func (r *Rendered) MaskMedia(msgs []Message) []Message {
	secret := r.redactedMedia()
	if len(secret) == 0 {
		return msgs
	}
	var out []Message
	for i := range msgs {
		parts := msgs[i].Parts
		var cp []Part
		for j := range parts {
			if parts[j].Media == nil || !isSecretMedia(parts[j].Media, secret) {
				continue
			}
			if cp == nil {
				cp = append([]Part(nil), parts...)
			}
			cp[j] = Text(RedactedText)
		}
		if cp == nil {
			continue
		}
		if out == nil {
			out = append([]Message(nil), msgs...)
		}
		out[i].Parts = cp
	}
	if out == nil {
		return msgs
	}
	return out
}

// redactedMedia lists the media of r's redacted fields.
func (r *Rendered) redactedMedia() []*Media {
	if r == nil {
		return nil
	}
	var out []*Media
	for i := range r.Fields {
		f := &r.Fields[i]
		if !f.Redacted {
			continue
		}
		switch x := f.Value.(type) {
		case Part:
			if x.Media != nil {
				out = append(out, x.Media)
			}
		case *Part:
			if x != nil && x.Media != nil {
				out = append(out, x.Media)
			}
		case Media:
			out = append(out, &x)
		case *Media:
			if x != nil {
				out = append(out, x)
			}
		case []Part:
			for j := range x {
				if x[j].Media != nil {
					out = append(out, x[j].Media)
				}
			}
		}
	}
	return out
}

func isSecretMedia(m *Media, secret []*Media) bool {
	for _, s := range secret {
		switch {
		case m == s,
			len(m.Data) > 0 && len(s.Data) > 0 && unsafe.SliceData(m.Data) == unsafe.SliceData(s.Data),
			m.URL != "" && m.URL == s.URL,
			m.FileID != "" && m.FileID == s.FileID:
			return true
		}
	}
	return false
}
