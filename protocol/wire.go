package protocol

import (
	"strconv"
	"unicode/utf8"
)

// Limits of the wire format.
const (
	// MaxRemainingLength is the largest Remaining Length a variable byte
	// integer can carry (§2.2.3 of 3.1.1, §1.5.5 of 5.0).
	MaxRemainingLength = 268_435_455
	// MaxPacketSize is the largest possible packet: a 5-byte fixed header
	// and the largest remaining length.
	MaxPacketSize = MaxRemainingLength + 5
	// MaxString is the longest UTF-8 string or binary data field (§1.5).
	MaxString = 65_535
	// MaxVarint is the largest value a variable byte integer holds.
	MaxVarint = MaxRemainingLength
)

// AppendVarint appends the variable byte integer encoding of x (§1.5.5),
// which must not exceed MaxVarint.
func AppendVarint(dst []byte, x uint32) []byte {
	for x >= 0x80 {
		dst = append(dst, byte(x)|0x80)
		x >>= 7
	}
	return append(dst, byte(x))
}

// VarintLen is the number of bytes AppendVarint uses for x.
func VarintLen(x uint32) int {
	switch {
	case x < 1<<7:
		return 1
	case x < 1<<14:
		return 2
	case x < 1<<21:
		return 3
	}
	return 4
}

// ParseVarint decodes a variable byte integer from the start of b. It
// returns the value and the number of bytes used; n is 0 when b ends before
// the integer does. err is ErrVarintTooLong when a fifth byte would be
// needed, and ErrVarintNotMinimal when the value takes more bytes than it
// needs (a last byte of 0 after a continuation), which 5.0 forbids
// [MQTT-1.5.5-1] and the encoding algorithm of 3.1.1 never produces.
func ParseVarint(b []byte) (x uint32, n int, err error) {
	var shift uint
	for i := 0; i < 4; i++ {
		if i >= len(b) {
			return 0, 0, nil
		}
		x |= uint32(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			if i > 0 && b[i] == 0 {
				return 0, 0, ErrVarintNotMinimal // [MQTT-1.5.5-1] (5.0)
			}
			return x, i + 1, nil
		}
		shift += 7
	}
	return 0, 0, ErrVarintTooLong
}

// validUTF8 applies the rules for UTF-8 encoded strings (§1.5.3 of 3.1.1,
// §1.5.4 of 5.0): well-formed UTF-8 without surrogates, and no U+0000.
// Go's UTF-8 decoder already rejects surrogates and overlong forms.
func validUTF8(b []byte) error {
	i := 0
	if len(b) >= 8 {
		i = asciiPrefix(b)
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c == 0 {
			return ErrNullCharacter // [MQTT-1.5.3-2] [MQTT-1.5.4-2]
		}
		if c >= utf8.RuneSelf {
			if !utf8.Valid(b[i:]) {
				return ErrInvalidUTF8 // [MQTT-1.5.3-1] [MQTT-1.5.4-1]
			}
			for _, c := range b[i:] {
				if c == 0 {
					return ErrNullCharacter
				}
			}
			return nil
		}
	}
	return nil
}

// asciiPrefix returns the length of a prefix of s that holds only ASCII
// other than NUL: the bytes the UTF-8 checks need not look at one by one.
// It reads s, which is at least 8 bytes long, a word of 8 bytes at a time,
// the last word ending where s ends.
func asciiPrefix[T string | []byte](s T) int {
	i := 0
	for ; len(s)-i >= 8; i += 8 {
		if !plainWord(s[i : i+8]) {
			return i
		}
	}
	if i < len(s) && plainWord(s[len(s)-8:]) {
		return len(s)
	}
	return i
}

// plainWord reports whether the 8 bytes of b are ASCII other than NUL.
func plainWord[T string | []byte](b T) bool {
	const lsb, msb = 0x0101010101010101, 0x8080808080808080
	w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
	// A byte of w is 0 (the subtraction borrows, setting its top bit) or
	// 0x80 and above (its top bit is set).
	return (w|(w-lsb))&msb == 0
}

// ValidString reports whether s may be sent as an MQTT UTF-8 string.
func ValidString(s string) error {
	if err := validString(s); err != nil {
		return err
	}
	return nil
}

func validString(s string) *Error {
	if len(s) > MaxString {
		return ErrStringTooLong
	}
	i := 0
	if len(s) >= 8 {
		i = asciiPrefix(s)
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c == 0 {
			return ErrNullCharacter
		}
		if c >= utf8.RuneSelf {
			if !utf8.ValidString(s[i:]) {
				return ErrInvalidUTF8
			}
			for j := i; j < len(s); j++ {
				if s[j] == 0 {
					return ErrNullCharacter
				}
			}
			return nil
		}
	}
	return nil
}

// The put functions write the fields of a packet into the room its
// fixed header reserved (see appendHeader): they extend dst within its
// capacity and never grow it, which spares every encoder the code that
// growing a slice takes. Each encoder computes its size exactly, as the
// Remaining Length requires; writing past the room reserved would panic.

// extend returns dst extended by n bytes within its capacity, and those
// bytes.
func extend(dst []byte, n int) (out, b []byte) {
	l := len(dst)
	return dst[:l+n], dst[l : l+n]
}

func put8(dst []byte, x byte) []byte {
	dst, b := extend(dst, 1)
	b[0] = x
	return dst
}

func put16(dst []byte, x uint16) []byte {
	dst, b := extend(dst, 2)
	b[0], b[1] = byte(x>>8), byte(x)
	return dst
}

func put32(dst []byte, x uint32) []byte {
	dst, b := extend(dst, 4)
	b[0], b[1], b[2], b[3] = byte(x>>24), byte(x>>16), byte(x>>8), byte(x)
	return dst
}

func putVarint(dst []byte, x uint32) []byte {
	for x >= 0x80 {
		dst = put8(dst, byte(x)|0x80)
		x >>= 7
	}
	return put8(dst, byte(x))
}

// putString writes a length-prefixed UTF-8 string; the caller has checked
// its length.
func putString(dst []byte, s string) []byte {
	dst, b := extend(dst, 2+len(s))
	b[0], b[1] = byte(len(s)>>8), byte(len(s))
	copy(b[2:], s)
	return dst
}

// putBinary writes length-prefixed binary data.
func putBinary(dst []byte, data []byte) []byte {
	dst, b := extend(dst, 2+len(data))
	b[0], b[1] = byte(len(data)>>8), byte(len(data))
	copy(b[2:], data)
	return dst
}

// putBytes writes data as it is.
func putBytes(dst []byte, data []byte) []byte {
	dst, b := extend(dst, len(data))
	copy(b, data)
	return dst
}

// hexPairs holds the two lowercase hex digits of every byte value, in
// order: hex2 slices it rather than building a string.
const hexPairs = "" +
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" +
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f" +
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f" +
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f" +
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f" +
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf" +
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf" +
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"

// hex2 formats a byte as two lowercase hex digits.
func hex2(b byte) string { return hexPairs[2*int(b) : 2*int(b)+2] }

// itoa formats an int. strconv is in every program that uses fmt, as the
// app does, so calling it costs nothing in the browser build, where a
// formatter of our own would be inlined at every call.
func itoa(n int) string { return strconv.Itoa(n) }
