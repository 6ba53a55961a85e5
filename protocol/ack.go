package protocol

// Puback acknowledges a QoS 1 PUBLISH (§3.4).
type Puback struct {
	Version    Version
	PacketID   uint16
	ReasonCode ReasonCode // 5.0 only
	Props      Properties // 5.0 only
}

// Pubrec is the first answer to a QoS 2 PUBLISH: received (§3.5).
type Pubrec struct {
	Version    Version
	PacketID   uint16
	ReasonCode ReasonCode
	Props      Properties
}

// Pubrel releases a QoS 2 message after PUBREC (§3.6).
type Pubrel struct {
	Version    Version
	PacketID   uint16
	ReasonCode ReasonCode
	Props      Properties
}

// Pubcomp completes a QoS 2 exchange (§3.7).
type Pubcomp struct {
	Version    Version
	PacketID   uint16
	ReasonCode ReasonCode
	Props      Properties
}

// ack is the shape the four acknowledgements share; each converts to it.
type ack struct {
	Version    Version
	PacketID   uint16
	ReasonCode ReasonCode
	Props      Properties
}

// Type returns PUBACK.
func (*Puback) Type() Type { return PUBACK }

// Type returns PUBREC.
func (*Pubrec) Type() Type { return PUBREC }

// Type returns PUBREL.
func (*Pubrel) Type() Type { return PUBREL }

// Type returns PUBCOMP.
func (*Pubcomp) Type() Type { return PUBCOMP }

func (p *Puback) decode(c *cursor, h FixedHeader) error {
	return (*ack)(p).decode(c, PUBACK, fPubackCode)
}
func (p *Pubrec) decode(c *cursor, h FixedHeader) error {
	return (*ack)(p).decode(c, PUBREC, fPubrecCode)
}
func (p *Pubrel) decode(c *cursor, h FixedHeader) error {
	return (*ack)(p).decode(c, PUBREL, fPubrelCode)
}
func (p *Pubcomp) decode(c *cursor, h FixedHeader) error {
	return (*ack)(p).decode(c, PUBCOMP, fPubcompCode)
}

// AppendTo appends the encoded PUBACK to dst.
func (p *Puback) AppendTo(dst []byte) ([]byte, error) { return (*ack)(p).appendTo(dst, PUBACK) }

// AppendTo appends the encoded PUBREC to dst.
func (p *Pubrec) AppendTo(dst []byte) ([]byte, error) { return (*ack)(p).appendTo(dst, PUBREC) }

// AppendTo appends the encoded PUBREL to dst.
func (p *Pubrel) AppendTo(dst []byte) ([]byte, error) { return (*ack)(p).appendTo(dst, PUBREL) }

// AppendTo appends the encoded PUBCOMP to dst.
func (p *Pubcomp) AppendTo(dst []byte) ([]byte, error) { return (*ack)(p).appendTo(dst, PUBCOMP) }

func (p *ack) decode(c *cursor, t Type, code *fieldDef) error {
	p.Version = c.v
	c.section("Variable header")
	var err error
	if p.PacketID, err = c.packetID(); err != nil {
		return err // the PUBLISH's own identifier [MQTT-2.3.1-6] (3.1.1) [MQTT-2.2.1-5] (5.0), never 0
	}
	return decodeCodeAndProps(c, t, code, &p.ReasonCode, &p.Props) // both may be omitted (§3.4.2.1, §3.4.2.2)
}

func (p *ack) appendTo(dst []byte, t Type) ([]byte, error) {
	if !p.Version.Valid() {
		return dst, ErrVersionUnknown
	}
	if p.PacketID == 0 {
		return dst, ErrPacketIDZero
	}
	if p.Version != V5 {
		dst, _ = appendHeader(dst, t, requiredFlags[t], 2)
		return put16(dst, p.PacketID), nil
	}
	return appendCodeAndProps(dst, t, p.PacketID, p.ReasonCode, &p.Props)
}

// decodeCodeAndProps reads the end that the publish acknowledgements,
// DISCONNECT and AUTH share in 5.0: a reason code and properties, both
// left out when the code is Success and there are no properties, the
// properties alone left out when there are none. Before 5.0 there is
// neither.
func decodeCodeAndProps(c *cursor, t Type, f *fieldDef, rc *ReasonCode, props *Properties) error {
	*rc = Success
	var err error
	if c.v == V5 && c.left() > 0 {
		// §3.4.2.2: no property length after the code means no properties.
		if err = c.reasonCode(rc, f, t); err == nil && c.left() > 0 {
			return props.decode(c, t)
		}
	}
	props.reset()
	return err
}

// appendCodeAndProps encodes the packets decodeCodeAndProps reads: a
// packet identifier when id is not 0, then the reason code and the
// properties, left out as decodeCodeAndProps allows.
func appendCodeAndProps(dst []byte, t Type, id uint16, code ReasonCode, props *Properties) ([]byte, error) {
	if !code.AllowedIn(t) {
		return dst, badReasonCode(code, t)
	}
	ps, err := props.size(t)
	if err != nil {
		return dst, err
	}
	head := 0
	if id != 0 {
		head = 2
	}
	rem := head
	if ps.n > 0 || code != Success {
		rem++
	}
	if ps.n > 0 {
		rem += ps.total()
	}
	if dst, err = appendHeader(dst, t, requiredFlags[t], rem); err != nil {
		return dst, err
	}
	if id != 0 {
		dst = put16(dst, id)
	}
	if rem > head {
		dst = put8(dst, byte(code))
	}
	if ps.n > 0 {
		dst = props.appendTo(dst, ps)
	}
	return dst, nil
}

// Pingreq asks the server to answer with PINGRESP: proof both ends and the
// network are alive (§3.12).
type Pingreq struct{}

// Pingresp answers PINGREQ (§3.13).
type Pingresp struct{}

// Type returns PINGREQ.
func (*Pingreq) Type() Type { return PINGREQ }

// Type returns PINGRESP.
func (*Pingresp) Type() Type { return PINGRESP }

func (*Pingreq) decode(*cursor, FixedHeader) error  { return nil }
func (*Pingresp) decode(*cursor, FixedHeader) error { return nil }

// AppendTo appends the encoded PINGREQ to dst.
func (*Pingreq) AppendTo(dst []byte) ([]byte, error) { return append(dst, byte(PINGREQ)<<4, 0), nil }

// AppendTo appends the encoded PINGRESP to dst.
func (*Pingresp) AppendTo(dst []byte) ([]byte, error) { return append(dst, byte(PINGRESP)<<4, 0), nil }

// Disconnect is the DISCONNECT packet (§3.14). In 3.1 and 3.1.1 only the
// client sends it and it carries nothing; in 5.0 either side may send it
// with a reason code.
type Disconnect struct {
	Version    Version
	ReasonCode ReasonCode // 5.0 only
	Props      Properties // 5.0 only
}

// Type returns DISCONNECT.
func (*Disconnect) Type() Type { return DISCONNECT }

func (p *Disconnect) decode(c *cursor, h FixedHeader) error {
	p.Version = c.v
	c.section("Variable header")
	return decodeCodeAndProps(c, DISCONNECT, fDisconnectCode, &p.ReasonCode, &p.Props) // [MQTT-3.14.2-1]
}

// AppendTo appends the encoded DISCONNECT to dst.
func (p *Disconnect) AppendTo(dst []byte) ([]byte, error) {
	if !p.Version.Valid() {
		return dst, ErrVersionUnknown
	}
	if p.Version != V5 {
		return append(dst, byte(DISCONNECT)<<4, 0), nil
	}
	return appendCodeAndProps(dst, DISCONNECT, 0, p.ReasonCode, &p.Props)
}

// Auth is the AUTH packet of MQTT 5.0's extended authentication (§3.15).
type Auth struct {
	ReasonCode ReasonCode
	Props      Properties
}

// Type returns AUTH.
func (*Auth) Type() Type { return AUTH }

func (p *Auth) decode(c *cursor, h FixedHeader) error {
	empty := c.left() == 0 // §3.15.2.1: Success with no properties may be omitted
	c.section("Variable header")
	if err := decodeCodeAndProps(c, AUTH, fAuthCode, &p.ReasonCode, &p.Props); err != nil || empty {
		return err // [MQTT-3.15.2-1]
	}
	if !p.Props.AuthMethod.Present {
		// Only an AUTH of Remaining Length 0 may leave the method out;
		// with a reason code it is a Protocol Error to omit it (§3.15.2.2.2).
		c.start = c.off
		return withDetail(ErrPropertyValue, "AUTH without Authentication Method")
	}
	return nil
}

// AppendTo appends the encoded AUTH to dst (AUTH exists only in 5.0).
func (p *Auth) AppendTo(dst []byte) ([]byte, error) {
	if !p.Props.AuthMethod.Present {
		ps, err := p.Props.size(AUTH)
		if err == nil && (ps.n > 0 || p.ReasonCode != Success) {
			err = withDetail(ErrPropertyValue, "AUTH without Authentication Method") // §3.15.2.2.2
		}
		if err != nil {
			return dst, err
		}
	}
	return appendCodeAndProps(dst, AUTH, 0, p.ReasonCode, &p.Props)
}
