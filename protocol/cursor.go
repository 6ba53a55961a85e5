package protocol

// cursor walks the bytes of one packet for the decoders. When ex is set it
// also records every field it reads, which is how Explain annotates a
// packet with the very code that decodes it. Recording costs one nil check
// per field when ex is nil.
type cursor struct {
	b         []byte // the bytes decoded: the body, or for Explain the whole packet
	off       int    // next byte to read
	end       int    // end of the packet within b
	start     int    // where the field read last began, for error offsets
	v         Version
	ex        *explainer
	truncated bool // Explain only: b ended before end
}

func (c *cursor) left() int { return c.end - c.off }

// take returns the next n bytes.
func (c *cursor) take(n int) ([]byte, error) {
	if n > c.end-c.off || n < 0 {
		return nil, ErrTruncated
	}
	c.start = c.off
	c.off += n
	return c.b[c.start:c.off:c.off], nil
}

// uint reads an n-byte big-endian integer (n is 1, 2 or 4) as field f.
func (c *cursor) uint(n int, f *fieldDef) (uint32, error) {
	b, err := c.take(n)
	if err != nil {
		return 0, err
	}
	if c.ex != nil {
		c.ex.add(f, c.start, b, showNum)
	}
	var x uint32
	for _, v := range b {
		x = x<<8 | uint32(v)
	}
	return x, nil
}

func (c *cursor) u8(f *fieldDef) (byte, error) {
	x, err := c.uint(1, f)
	return byte(x), err
}

func (c *cursor) u16(f *fieldDef) (uint16, error) {
	x, err := c.uint(2, f)
	return uint16(x), err
}

func (c *cursor) varint(f *fieldDef) (uint32, error) {
	x, n, err := ParseVarint(c.b[c.off:c.end])
	if err != nil {
		c.start = c.off
		return 0, err
	}
	if n == 0 {
		return 0, ErrTruncated
	}
	b, _ := c.take(n) // within c.end: ParseVarint read these bytes
	if c.ex != nil {
		c.ex.add(f, c.start, b, showVarint)
	}
	return x, nil
}

// packetID reads a Packet Identifier, which is never 0 [MQTT-2.3.1-1]
// [MQTT-2.2.1-3]; the identifier read is returned with the error.
func (c *cursor) packetID() (uint16, error) {
	id, err := c.u16(fPacketID)
	if err == nil && id == 0 {
		err = ErrPacketIDZero
	}
	return id, err
}

// reasonCode reads the reason code of a packet of type t as field f into
// *rc. In 5.0 a code t may not carry is an error; the code is stored all
// the same, as the packet's content so far.
func (c *cursor) reasonCode(rc *ReasonCode, f *fieldDef, t Type) error {
	b, err := c.u8(f)
	if err != nil {
		return err
	}
	*rc = ReasonCode(b)
	if c.v == V5 && !rc.AllowedIn(t) {
		return badReasonCode(*rc, t) // [MQTT-3.2.2-8] [MQTT-3.4.2-1] ... the rule of each type
	}
	return nil
}

// field reads a field of f prefixed by its two-byte length: binary data
// or a UTF-8 string, as show says.
func (c *cursor) field(f *fieldDef, show int) ([]byte, error) {
	b, err := c.take(2)
	if err != nil {
		return nil, err
	}
	if c.ex != nil {
		c.ex.add(f, c.start, b, showLength)
	}
	if b, err = c.take(int(b[0])<<8 | int(b[1])); err != nil {
		return nil, err
	}
	if c.ex != nil {
		c.ex.add(f, c.start, b, show)
	}
	return b, nil
}

// binary reads two-byte-length-prefixed binary data (§1.5.6 of 5.0).
func (c *cursor) binary(f *fieldDef) ([]byte, error) { return c.field(f, showBinary) }

// utf8 reads a length-prefixed UTF-8 string and checks it (§1.5.3 of
// 3.1.1, §1.5.4 of 5.0). It returns the bytes; the caller makes a string
// of them, or reuses one it has (see internString).
func (c *cursor) utf8(f *fieldDef) ([]byte, error) {
	b, err := c.field(f, showString)
	if err != nil {
		return nil, err
	}
	return b, validUTF8(b)
}

// rest returns everything up to the end of the packet as field f.
func (c *cursor) rest(f *fieldDef) []byte {
	b, _ := c.take(c.end - c.off)
	if c.ex != nil {
		c.ex.add(f, c.start, b, showNone)
	}
	return b
}

// Explain helpers: no-ops unless explaining.

// section starts a top-level part of the packet, "Variable header" or
// "Payload", ending the part before it.
func (c *cursor) section(name string) {
	if c.ex != nil {
		c.ex.path = append(c.ex.path[:0], name)
	}
}

// group opens a part nested in the current one, closed by endGroup.
func (c *cursor) group(name string) {
	if c.ex != nil {
		c.ex.path = append(c.ex.path, name)
	}
}

func (c *cursor) groupN(name string, n int) {
	if c.ex != nil {
		c.ex.path = append(c.ex.path, name+" "+itoa(n))
	}
}

func (c *cursor) endGroup() {
	if c.ex != nil {
		c.ex.path = c.ex.path[:len(c.ex.path)-1]
	}
}

// internString returns old when b holds the same bytes, and a new string
// otherwise; the comparison does not allocate. This is what lets decoding
// into a reused packet run without allocations.
func internString(old string, b []byte) string {
	if string(b) == old {
		return old
	}
	return string(b)
}
