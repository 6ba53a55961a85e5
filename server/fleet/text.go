package fleet

import (
	"strconv"
	"unicode/utf8"
)

func appendFloat(b []byte, v float64, dec int) []byte { return strconv.AppendFloat(b, v, 'f', dec, 64) }

func appendInt(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

// appendJSONString turns b[start:], raw text just appended, into a JSON
// string in place, escaping what JSON requires. It allocates only when
// the text needs escaping and the buffer must grow.
func appendJSONString(b []byte, start int) []byte {
	extra := 2
	for i := start; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' {
				extra += 5 // worst case \u00XX
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			extra += 5 // replaced by \ufffd
		}
		i += n
	}
	raw := len(b) - start
	// Move the raw text to the end of a buffer large enough for the worst
	// case, then escape it forward into place.
	need := len(b) + extra + raw
	if cap(b) < need {
		nb := make([]byte, len(b), need)
		copy(nb, b)
		b = nb
	}
	b = b[:need]
	src := need - raw
	copy(b[src:], b[start:start+raw])
	out := start
	b[out] = '"'
	out++
	for i := src; i < need; {
		c := b[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b[out], b[out+1] = '\\', c
				out += 2
			case c == '\n':
				b[out], b[out+1] = '\\', 'n'
				out += 2
			case c < 0x20:
				const hexDigits = "0123456789abcdef"
				copy(b[out:], `\u00`)
				b[out+4], b[out+5] = hexDigits[c>>4], hexDigits[c&15]
				out += 6
			default:
				b[out] = c
				out++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:need])
		if r == utf8.RuneError && n == 1 {
			out += copy(b[out:], `\ufffd`)
		} else {
			out += copy(b[out:], b[i:i+n])
		}
		i += n
	}
	b[out] = '"'
	return b[:out+1]
}

// csvQuote quotes b[start:] as a CSV field when it holds a comma, quote
// or line break, doubling its quotes, in place.
func csvQuote(b []byte, start int) []byte {
	quotes, needs := 0, false
	for _, c := range b[start:] {
		switch c {
		case '"':
			quotes++
			needs = true
		case ',', '\n', '\r':
			needs = true
		}
	}
	if !needs {
		return b
	}
	end := len(b)
	b = append(b, make([]byte, quotes+2)...)
	w := len(b) - 1
	b[w] = '"'
	for i := end - 1; i >= start; i-- {
		w--
		b[w] = b[i]
		if b[i] == '"' {
			w--
			b[w] = '"'
		}
	}
	b[start] = '"'
	return b
}
