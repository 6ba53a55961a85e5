package app

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"unicode/utf8"

	"github.com/mqttlab/mqttlab/app/store"
)

// maxShownPayload bounds the bytes of a payload the log draws: a busy topic
// with large payloads must not make every redraw slow.
const maxShownPayload = 2048

// shownPayload is a payload as the log draws it.
type shownPayload struct {
	Text string
	// Note is the message key of a remark on the text ("not JSON, shown as
	// text"); empty for none.
	Note string
	// Truncated reports that only the first maxShownPayload bytes are
	// shown.
	Truncated bool
}

// formatPayload shows b in view v. A payload that the view cannot show
// (text that is not UTF-8, JSON that does not parse) falls back to a view
// that can, and says so.
func formatPayload(b []byte, v store.PayloadView) shownPayload {
	var out shownPayload
	if v == store.ViewJSON {
		if json.Valid(b) && len(b) <= 4*maxShownPayload {
			var buf bytes.Buffer
			if json.Indent(&buf, b, "", "  ") == nil {
				out.Text = buf.String()
				if len(out.Text) > maxShownPayload {
					out.Text, out.Truncated = truncateUTF8(out.Text, maxShownPayload), true
				}
				return out
			}
		}
		out.Note = "lab.log.not_json"
		v = store.ViewText
	}
	if len(b) > maxShownPayload {
		b, out.Truncated = b[:maxShownPayload], true
	}
	switch v {
	case store.ViewText:
		t := b
		if out.Truncated && !utf8.Valid(t) {
			t = t[:lastRuneStart(t)] // cut inside a character
		}
		if utf8.Valid(t) {
			out.Text = string(t)
			return out
		}
		out.Note = "lab.log.not_utf8"
		out.Text = hexDump(b)
	case store.ViewHex:
		out.Text = hexDump(b)
	case store.ViewBase64:
		out.Text = base64.StdEncoding.EncodeToString(b)
	}
	return out
}

// hexDump writes b as rows of 16 space-separated bytes.
func hexDump(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, len(b)*3)
	for i, c := range b {
		if i > 0 {
			if i%16 == 0 {
				out = append(out, '\n')
			} else {
				out = append(out, ' ')
			}
		}
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// lastRuneStart returns the index of the start of the last rune in b, so
// that a payload cut in the middle of a character still shows as text.
func lastRuneStart(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return len(b)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
