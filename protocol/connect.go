package protocol

// Connect is the CONNECT packet (§3.1), the first packet of every
// connection. Version comes from the packet's protocol level and decides
// the encoding of the whole connection. Props and Will.Props are sent only
// in 5.0. Password and Will.Payload alias the decoded bytes.
type Connect struct {
	Version    Version
	CleanStart bool // "Clean Session" in 3.1 and 3.1.1
	KeepAlive  uint16
	Props      Properties
	ClientID   string
	Will       *WillMessage // nil: no will
	Username   Opt[string]
	Password   Opt[[]byte]
}

// WillMessage is the will a CONNECT carries: the message the server
// publishes for the client when the connection ends without a DISCONNECT.
type WillMessage struct {
	Topic   string
	Payload []byte
	QoS     QoS
	Retain  bool
	Props   Properties // will properties (5.0)
}

// Type returns CONNECT.
func (*Connect) Type() Type { return CONNECT }

// Connect flags (§3.1.2.3).
const (
	flagUsername   = 0x80
	flagPassword   = 0x40
	flagWillRetain = 0x20
	flagWillQoS    = 0x18
	flagWill       = 0x04
	flagCleanStart = 0x02
	flagReserved   = 0x01
)

func (p *Connect) decode(c *cursor, h FixedHeader) error {
	c.section("Variable header")
	name, err := c.utf8(fProtocolName)
	if err != nil {
		return err
	}
	if string(name) != "MQTT" && string(name) != "MQIsdp" {
		return ErrProtocolName // [MQTT-3.1.2-1]
	}
	level, err := c.u8(fProtocolLevel)
	if err != nil {
		return err
	}
	p.Version = Version(level)
	if !p.Version.Valid() || string(name) != p.Version.ProtocolName() {
		return ErrProtocolLevel // [MQTT-3.1.2-2]
	}
	c.v = p.Version
	if c.ex != nil {
		c.ex.v = p.Version
	}
	flags, err := c.u8(fConnectFlags)
	if err != nil {
		return err
	}
	if flags&flagReserved != 0 {
		return ErrConnectReserved // [MQTT-3.1.2-3]
	}
	willQoS := QoS(flags & flagWillQoS >> 3)
	if flags&flagWill == 0 {
		if willQoS != 0 {
			return ErrWillQoSWithoutWill // [MQTT-3.1.2-13] (3.1.1) [MQTT-3.1.2-11] (5.0)
		}
		if flags&flagWillRetain != 0 {
			return ErrWillRetainNoWill // [MQTT-3.1.2-15] (3.1.1) [MQTT-3.1.2-13] (5.0)
		}
	} else if willQoS == 3 {
		return ErrWillQoS3 // [MQTT-3.1.2-14] (3.1.1) [MQTT-3.1.2-12] (5.0)
	}
	if p.Version != V5 && flags&flagPassword != 0 && flags&flagUsername == 0 {
		return ErrPasswordNoUsername // [MQTT-3.1.2-22] (3.1.1); 5.0 allows it (§3.1.2.9)
	}
	p.CleanStart = flags&flagCleanStart != 0
	if p.KeepAlive, err = c.u16(fKeepAlive); err != nil {
		return err
	}
	if err := p.Props.decode(c, CONNECT); err != nil {
		return err
	}
	c.section("Payload")
	id, err := c.utf8(fClientID)
	if err != nil {
		return err
	}
	p.ClientID = internString(p.ClientID, id)
	p.Will = nil
	if flags&flagWill != 0 {
		w := &WillMessage{QoS: willQoS, Retain: flags&flagWillRetain != 0}
		p.Will = w
		if err := w.Props.decode(c, Will); err != nil {
			return err
		}
		topic, err := c.utf8(fWillTopic)
		if err != nil {
			return err
		}
		w.Topic = string(topic)
		if err := checkTopicName(topic); err != nil {
			return err
		}
		if w.Payload, err = c.binary(fWillPayload); err != nil {
			return err
		}
	}
	p.Username, p.Password = Opt[string]{}, Opt[[]byte]{}
	if flags&flagUsername != 0 {
		u, err := c.utf8(fUsername)
		if err != nil {
			return err
		}
		p.Username = Some(string(u))
	}
	if flags&flagPassword != 0 {
		pw, err := c.binary(fPassword)
		if err != nil {
			return err
		}
		p.Password = Some(pw)
	}
	return nil
}

// AppendTo appends the encoded CONNECT to dst.
func (p *Connect) AppendTo(dst []byte) ([]byte, error) {
	v := p.Version
	if !v.Valid() {
		return dst, ErrVersionUnknown
	}
	name := v.ProtocolName()
	flags := byte(0)
	if p.CleanStart {
		flags |= flagCleanStart
	}
	if err := validString(p.ClientID); err != nil {
		return dst, withDetail(err, "client identifier")
	}
	n := 2 + len(name) + 1 + 1 + 2 + 2 + len(p.ClientID)
	var props, willProps propsSize
	var err error
	if v == V5 {
		if props, err = p.Props.size(CONNECT); err != nil {
			return dst, err
		}
		n += props.total()
	}
	if w := p.Will; w != nil {
		if w.QoS > QoS2 {
			return dst, ErrWillQoS3
		}
		if err := ValidTopicName(w.Topic); err != nil {
			return dst, err
		}
		if len(w.Payload) > MaxString {
			return dst, ErrStringTooLong
		}
		flags |= flagWill | byte(w.QoS)<<3
		if w.Retain {
			flags |= flagWillRetain
		}
		if v == V5 {
			if willProps, err = w.Props.size(Will); err != nil {
				return dst, err
			}
			n += willProps.total()
		}
		n += 2 + len(w.Topic) + 2 + len(w.Payload)
	}
	if p.Username.Present {
		if err := validString(p.Username.Value); err != nil {
			return dst, withDetail(err, "user name")
		}
		flags |= flagUsername
		n += 2 + len(p.Username.Value)
	}
	if p.Password.Present {
		if v != V5 && !p.Username.Present {
			return dst, ErrPasswordNoUsername
		}
		if len(p.Password.Value) > MaxString {
			return dst, ErrStringTooLong
		}
		flags |= flagPassword
		n += 2 + len(p.Password.Value)
	}
	if dst, err = appendHeader(dst, CONNECT, 0, n); err != nil {
		return dst, err
	}
	dst = putString(dst, name)
	dst = put8(put8(dst, byte(v)), flags)
	dst = put16(dst, p.KeepAlive)
	if v == V5 {
		dst = p.Props.appendTo(dst, props)
	}
	dst = putString(dst, p.ClientID)
	if w := p.Will; w != nil {
		if v == V5 {
			dst = w.Props.appendTo(dst, willProps)
		}
		dst = putString(dst, w.Topic)
		dst = putBinary(dst, w.Payload)
	}
	if p.Username.Present {
		dst = putString(dst, p.Username.Value)
	}
	if p.Password.Present {
		dst = putBinary(dst, p.Password.Value)
	}
	return dst, nil
}

// Connack is the CONNACK packet (§3.2). ReasonCode is a 5.0 reason code;
// for 3.1 and 3.1.1 it is encoded as the nearest return code (see
// ConnackReturnCode) and decoded back to the code it maps from.
type Connack struct {
	Version        Version
	SessionPresent bool
	ReasonCode     ReasonCode
	Props          Properties // 5.0 only
}

// Type returns CONNACK.
func (*Connack) Type() Type { return CONNACK }

func (p *Connack) decode(c *cursor, h FixedHeader) error {
	p.Version = c.v
	c.section("Variable header")
	flags, err := c.u8(fConnackFlags)
	if err != nil {
		return err
	}
	if c.v == V31 {
		flags = 0 // 3.1: the first byte is unused
	} else if flags&^1 != 0 {
		return ErrConnackReserved // [MQTT-3.2.2-1] (5.0), §3.2.2.1 (3.1.1)
	}
	p.SessionPresent = flags&1 != 0
	if c.v == V5 {
		if err := c.reasonCode(&p.ReasonCode, fConnackCode, CONNACK); err != nil {
			return err // [MQTT-3.2.2-8]
		}
	} else {
		code, err := c.u8(fConnackCode)
		if err != nil {
			return err
		}
		if code > 5 {
			return withDetail(ErrBadReturnCode, "CONNACK return code 0x"+hex2(code)) // §3.2.2.3: 6-255 reserved
		}
		p.ReasonCode = reasonFromReturnCode[code]
	}
	if p.SessionPresent && p.ReasonCode != Success {
		return ErrConnackSessionPresent // [MQTT-3.2.2-4] (3.1.1) [MQTT-3.2.2-6] (5.0)
	}
	return p.Props.decode(c, CONNACK)
}

// AppendTo appends the encoded CONNACK to dst.
func (p *Connack) AppendTo(dst []byte) ([]byte, error) {
	if !p.Version.Valid() {
		return dst, ErrVersionUnknown
	}
	flags := byte(0)
	if p.SessionPresent && p.Version != V31 {
		if p.ReasonCode != Success {
			return dst, ErrConnackSessionPresent
		}
		flags = 1
	}
	if p.Version != V5 {
		dst, _ = appendHeader(dst, CONNACK, 0, 2)
		return put8(put8(dst, flags), ConnackReturnCode(p.ReasonCode)), nil
	}
	if !p.ReasonCode.AllowedIn(CONNACK) {
		return dst, badReasonCode(p.ReasonCode, CONNACK)
	}
	props, err := p.Props.size(CONNACK)
	if err != nil {
		return dst, err
	}
	if dst, err = appendHeader(dst, CONNACK, 0, 2+props.total()); err != nil {
		return dst, err
	}
	dst = put8(put8(dst, flags), byte(p.ReasonCode))
	return p.Props.appendTo(dst, props), nil
}
