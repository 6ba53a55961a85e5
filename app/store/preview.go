package store

import (
	"encoding/hex"
	"unicode/utf8"
)

// PreviewBytes is how much of a payload a page shows in a table cell.
const PreviewBytes = 64

// Preview returns the start of a payload in a form a person can read: the
// text when it is UTF-8 without control characters (binary is true
// otherwise, and the text is the first PreviewBytes/2 bytes in hex), and
// whether the payload was longer than what is shown.
func Preview(p []byte) (text string, binary, cut bool) {
	if len(p) == 0 {
		return "", false, false
	}
	head := p[:min(len(p), PreviewBytes)]
	// A character cut in the middle by the limit does not make it binary.
	for i := 0; i < utf8.UTFMax-1 && len(head) < len(p) && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	if utf8.Valid(head) && !hasControl(head) {
		return string(head), false, len(head) < len(p)
	}
	n := min(len(p), PreviewBytes/2)
	return hex.EncodeToString(p[:n]), true, n < len(p)
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return true
		}
	}
	return false
}
