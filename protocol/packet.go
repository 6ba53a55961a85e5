package protocol

import (
	"errors"
	"slices"
)

// Type is an MQTT control packet type (the high nibble of the first byte).
type Type byte

// The fifteen control packet types; AUTH exists only in MQTT 5.0.
const (
	CONNECT     Type = 1
	CONNACK     Type = 2
	PUBLISH     Type = 3
	PUBACK      Type = 4
	PUBREC      Type = 5
	PUBREL      Type = 6
	PUBCOMP     Type = 7
	SUBSCRIBE   Type = 8
	SUBACK      Type = 9
	UNSUBSCRIBE Type = 10
	UNSUBACK    Type = 11
	PINGREQ     Type = 12
	PINGRESP    Type = 13
	DISCONNECT  Type = 14
	AUTH        Type = 15
)

var typeNames = [16]string{"Reserved", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL",
	"PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"}

func (t Type) String() string {
	if t < 16 {
		return typeNames[t]
	}
	return "Type(" + itoa(int(t)) + ")"
}

// Packet is one MQTT control packet. The concrete types are *Connect,
// *Connack, *Publish, *Puback, *Pubrec, *Pubrel, *Pubcomp, *Subscribe,
// *Suback, *Unsubscribe, *Unsuback, *Pingreq, *Pingresp, *Disconnect and
// *Auth; the interface is closed to other types.
type Packet interface {
	// Type returns the packet's control packet type.
	Type() Type
	// AppendTo appends the packet's encoding, fixed header included, to dst.
	AppendTo(dst []byte) ([]byte, error)
	// decode reads the packet's variable header and payload from c, whose
	// fixed header h has already been read.
	decode(c *cursor, h FixedHeader) error
}

// New returns a new zero packet of type t, or nil for a reserved type.
// It is the one place that maps a packet type to its Go type.
func New(t Type) Packet {
	switch t {
	case CONNECT:
		return new(Connect)
	case CONNACK:
		return new(Connack)
	case PUBLISH:
		return new(Publish)
	case PUBACK:
		return new(Puback)
	case PUBREC:
		return new(Pubrec)
	case PUBREL:
		return new(Pubrel)
	case PUBCOMP:
		return new(Pubcomp)
	case SUBSCRIBE:
		return new(Subscribe)
	case SUBACK:
		return new(Suback)
	case UNSUBSCRIBE:
		return new(Unsubscribe)
	case UNSUBACK:
		return new(Unsuback)
	case PINGREQ:
		return new(Pingreq)
	case PINGRESP:
		return new(Pingresp)
	case DISCONNECT:
		return new(Disconnect)
	case AUTH:
		return new(Auth)
	}
	return nil
}

// FixedHeader is the first part of every packet: the type, its four flag
// bits and the Remaining Length (the size of everything after the header).
type FixedHeader struct {
	Type      Type
	Flags     byte
	Remaining int
}

// Len is the size of the whole packet the header announces.
func (h FixedHeader) Len() int { return 1 + VarintLen(uint32(h.Remaining)) + h.Remaining }

// requiredFlags is the flag nibble each type must carry (§2.2.2 of 3.1.1,
// §2.1.3 of 5.0); PUBLISH, whose flags carry DUP, QoS and RETAIN, is checked
// by its decoder.
var requiredFlags = [16]byte{PUBREL: 0b0010, SUBSCRIBE: 0b0010, UNSUBSCRIBE: 0b0010}

// ParseFixedHeader reads a fixed header from the start of b. n is the
// header's size, or 0 if b ends before the header does.
func ParseFixedHeader(b []byte) (h FixedHeader, n int, err error) {
	if len(b) < 2 {
		return h, 0, nil
	}
	rem, m, err := ParseVarint(b[1:])
	if err != nil || m == 0 {
		return h, 0, err
	}
	h = FixedHeader{Type: Type(b[0] >> 4), Flags: b[0] & 0x0f, Remaining: int(rem)}
	return h, 1 + m, nil
}

// check applies the fixed header rules that need nothing but the header:
// reserved types and reserved flag bits.
func (h FixedHeader) check(v Version) error {
	if h.Type == 0 || (h.Type == AUTH && v != V5) {
		return ErrReservedType
	}
	if h.Type != PUBLISH && h.Flags != requiredFlags[h.Type] {
		// [MQTT-2.2.2-1] [MQTT-2.2.2-2] (3.1.1) [MQTT-2.1.3-1] (5.0); per type
		// [MQTT-3.6.1-1] [MQTT-3.8.1-1] [MQTT-3.10.1-1] [MQTT-3.14.1-1] [MQTT-3.15.1-1]
		return ErrReservedFlags
	}
	return nil
}

// Decode decodes the packet whose fixed header is h and whose remaining
// bytes are body, for protocol version v (ignored for CONNECT, which
// carries its own). The packet's byte slices (payloads, correlation data,
// authentication data, passwords) alias body; strings are copies.
func Decode(h FixedHeader, body []byte, v Version) (Packet, error) {
	p := New(h.Type)
	if p == nil {
		return nil, ErrReservedType
	}
	return p, DecodeInto(p, h, body, v)
}

// DecodeInto decodes into p, which must be of type h.Type, reusing what p
// already holds where it can: slices keep their capacity, and a string
// field whose bytes equal its previous value keeps that value. Decoding a
// stream of similar PUBLISH packets into one reused *Publish therefore
// allocates nothing. Byte slices alias body, as with Decode.
func DecodeInto(p Packet, h FixedHeader, body []byte, v Version) error {
	if p.Type() != h.Type {
		return errTypeMismatch
	}
	if h.Type != CONNECT && !v.Valid() {
		return ErrVersionUnknown
	}
	if err := h.check(v); err != nil {
		return err
	}
	if len(body) != h.Remaining {
		return ErrTruncated
	}
	if pub, ok := p.(*Publish); ok {
		// A direct call keeps the cursor on the stack; through the
		// interface it escapes, which would cost an allocation per PUBLISH.
		c := cursor{b: body, end: len(body), v: v}
		return c.finish(pub.decode(&c, h))
	}
	c := &cursor{b: body, end: len(body), v: v}
	return c.finish(p.decode(c, h))
}

// finish checks that decoding consumed the whole packet.
func (c *cursor) finish(err error) error {
	if err == nil && c.off != c.end {
		return ErrTrailingBytes
	}
	return err
}

var errTypeMismatch = errors.New("mqtt: DecodeInto: packet type does not match the fixed header")

// appendHeader appends a fixed header announcing remaining bytes, and
// reserves room for them: the encoders put the rest of the packet there
// (see the put functions in wire.go).
func appendHeader(dst []byte, t Type, flags byte, remaining int) ([]byte, error) {
	if remaining > MaxRemainingLength {
		return dst, ErrPacketTooLarge
	}
	dst = slices.Grow(dst, 1+VarintLen(uint32(remaining))+remaining)
	return putVarint(put8(dst, byte(t)<<4|flags), uint32(remaining)), nil
}
