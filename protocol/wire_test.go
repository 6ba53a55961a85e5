package protocol

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestUTF8ChecksEveryPosition puts a NUL, a stray continuation byte, an
// invalid byte, a surrogate and a valid multi-byte rune at every position
// of ASCII strings of every length up to three words, so that the checks
// that read eight bytes at a time are tried at each offset of a word, in
// the last, overlapping word and in the bytes they leave to the byte loop.
func TestUTF8ChecksEveryPosition(t *testing.T) {
	t.Parallel()
	want := func(s string) *Error {
		switch {
		case !utf8.ValidString(s):
			return ErrInvalidUTF8
		case strings.IndexByte(s, 0) >= 0:
			return ErrNullCharacter
		}
		return nil
	}
	for n := 0; n <= 24; n++ {
		for at := 0; at <= n; at++ {
			for _, bad := range []string{"", "\x00", "\x80", "\xff", "\xed\xa0\x80", "é", "€\x00"} {
				s := strings.Repeat("a", at) + bad + strings.Repeat("b", n-at)
				w := want(s)
				if got := validString(s); got != w {
					t.Errorf("validString(%q) = %v, want %v", s, got, w)
				}
				var wantErr error // a nil *Error would not be a nil error
				if w != nil {
					wantErr = w
				}
				if got := validUTF8([]byte(s)); got != wantErr {
					t.Errorf("validUTF8(%q) = %v, want %v", s, got, wantErr)
				}
			}
		}
	}
}
