package protocol

// Subscribe is the SUBSCRIBE packet (§3.8).
type Subscribe struct {
	Version       Version
	PacketID      uint16
	Props         Properties // 5.0: at most one subscription identifier, user properties
	Subscriptions []Subscription
}

// Subscription is one topic filter of a SUBSCRIBE with its options. In
// 3.1 and 3.1.1 only Filter and QoS exist.
type Subscription struct {
	Filter            string
	QoS               QoS  // the maximum QoS the subscriber wants
	NoLocal           bool // 5.0: do not send me my own messages
	RetainAsPublished bool // 5.0: keep the RETAIN flag as published
	RetainHandling    byte // 5.0: 0 send retained on subscribe, 1 only if new, 2 never
}

// Type returns SUBSCRIBE.
func (*Subscribe) Type() Type { return SUBSCRIBE }

func (p *Subscribe) decode(c *cursor, h FixedHeader) error {
	p.Version = c.v
	c.section("Variable header")
	var err error
	if p.PacketID, err = c.packetID(); err != nil {
		return err
	}
	if err := p.Props.decode(c, SUBSCRIBE); err != nil {
		return err
	}
	c.section("Payload")
	subs := p.Subscriptions[:0]
	for i := 0; c.left() > 0; i++ {
		c.groupN("Subscription", i+1)
		var s Subscription
		if i < len(p.Subscriptions) {
			s.Filter = p.Subscriptions[i].Filter
		}
		f, err := c.utf8(fSubFilter)
		if err != nil {
			return err
		}
		s.Filter = internString(s.Filter, f)
		if err := ValidFilter(s.Filter); err != nil {
			return err
		}
		opts, err := c.u8(fSubOptions)
		if err != nil {
			return err
		}
		s.QoS = QoS(opts & 3)
		if c.v == V5 {
			if opts&0xc0 != 0 {
				return ErrSubOptionsReserved // [MQTT-3.8.3-5] (5.0)
			}
			s.NoLocal, s.RetainAsPublished, s.RetainHandling = opts&4 != 0, opts&8 != 0, opts>>4&3
		} else if opts&0xfc != 0 {
			return ErrSubOptionsReserved // [MQTT-3.8.3-4] (3.1.1)
		}
		if s.QoS == 3 {
			return ErrSubQoS3 // [MQTT-3.8.3-4] (3.1.1), §3.8.3.1 (5.0)
		}
		if s.RetainHandling == 3 {
			return ErrRetainHandling3 // §3.8.3.1
		}
		if s.NoLocal && isShared(s.Filter) {
			return ErrNoLocalShared // [MQTT-3.8.3-4] (5.0)
		}
		subs = append(subs, s)
		c.endGroup()
	}
	p.Subscriptions = subs
	if len(subs) == 0 {
		c.start = c.off
		return ErrNoSubscriptions // [MQTT-3.8.3-3] (3.1.1) [MQTT-3.8.3-2] (5.0)
	}
	return nil
}

func describeSubOptions(o byte, v Version) string {
	if v != V5 {
		s := describeFlags(o, subOptions[:1])
		if o&0xfc != 0 {
			s += ", reserved bits set"
		}
		return s
	}
	s := describeFlags(o, subOptions)
	if o&0xc0 != 0 {
		s += ", reserved bits set"
	}
	return s
}

// AppendTo appends the encoded SUBSCRIBE to dst.
func (p *Subscribe) AppendTo(dst []byte) ([]byte, error) {
	if !p.Version.Valid() {
		return dst, ErrVersionUnknown
	}
	if p.PacketID == 0 {
		return dst, ErrPacketIDZero
	}
	if len(p.Subscriptions) == 0 {
		return dst, ErrNoSubscriptions
	}
	n := 2
	for i := range p.Subscriptions {
		s := &p.Subscriptions[i]
		if err := ValidFilter(s.Filter); err != nil {
			return dst, err
		}
		if s.QoS > QoS2 {
			return dst, ErrSubQoS3
		}
		if p.Version == V5 {
			if s.RetainHandling > 2 {
				return dst, ErrRetainHandling3
			}
			if s.NoLocal && isShared(s.Filter) {
				return dst, ErrNoLocalShared
			}
		}
		n += 2 + len(s.Filter) + 1
	}
	var props propsSize
	if p.Version == V5 {
		var err error
		if props, err = p.Props.size(SUBSCRIBE); err != nil {
			return dst, err
		}
		n += props.total()
	}
	dst, err := appendHeader(dst, SUBSCRIBE, requiredFlags[SUBSCRIBE], n)
	if err != nil {
		return dst, err
	}
	dst = put16(dst, p.PacketID)
	if p.Version == V5 {
		dst = p.Props.appendTo(dst, props)
	}
	for i := range p.Subscriptions {
		s := &p.Subscriptions[i]
		opts := byte(s.QoS)
		if p.Version == V5 {
			if s.NoLocal {
				opts |= 4
			}
			if s.RetainAsPublished {
				opts |= 8
			}
			opts |= s.RetainHandling << 4
		}
		dst = put8(putString(dst, s.Filter), opts)
	}
	return dst, nil
}

// Suback is the SUBACK packet (§3.9): one reason code per filter of the
// SUBSCRIBE, in order. In 3.1.1 the codes are 0, 1, 2 (granted QoS) and
// 0x80 (failure); any 5.0 failure code is encoded as 0x80 there.
type Suback struct {
	Version     Version
	PacketID    uint16
	Props       Properties // 5.0 only
	ReasonCodes []ReasonCode
}

// Type returns SUBACK.
func (*Suback) Type() Type { return SUBACK }

func (p *Suback) decode(c *cursor, h FixedHeader) error {
	return decodeAckList(c, SUBACK, &p.Version, &p.PacketID, &p.Props, &p.ReasonCodes, fSubackCode)
}

// AppendTo appends the encoded SUBACK to dst.
func (p *Suback) AppendTo(dst []byte) ([]byte, error) {
	return appendAckList(dst, SUBACK, p.Version, p.PacketID, &p.Props, p.ReasonCodes)
}

// Unsubscribe is the UNSUBSCRIBE packet (§3.10).
type Unsubscribe struct {
	Version  Version
	PacketID uint16
	Props    Properties // 5.0: user properties
	Filters  []string
}

// Type returns UNSUBSCRIBE.
func (*Unsubscribe) Type() Type { return UNSUBSCRIBE }

func (p *Unsubscribe) decode(c *cursor, h FixedHeader) error {
	p.Version = c.v
	c.section("Variable header")
	var err error
	if p.PacketID, err = c.packetID(); err != nil {
		return err
	}
	if err := p.Props.decode(c, UNSUBSCRIBE); err != nil {
		return err
	}
	c.section("Payload")
	filters := p.Filters[:0]
	for i := 0; c.left() > 0; i++ {
		old := ""
		if i < len(p.Filters) {
			old = p.Filters[i]
		}
		f, err := c.utf8(fUnsubFilter)
		if err != nil {
			return err
		}
		s := internString(old, f)
		if err := ValidFilter(s); err != nil {
			return err
		}
		filters = append(filters, s)
	}
	p.Filters = filters
	if len(filters) == 0 {
		c.start = c.off
		return ErrNoUnsubscriptions // [MQTT-3.10.3-2]
	}
	return nil
}

// AppendTo appends the encoded UNSUBSCRIBE to dst.
func (p *Unsubscribe) AppendTo(dst []byte) ([]byte, error) {
	if !p.Version.Valid() {
		return dst, ErrVersionUnknown
	}
	if p.PacketID == 0 {
		return dst, ErrPacketIDZero
	}
	if len(p.Filters) == 0 {
		return dst, ErrNoUnsubscriptions
	}
	n := 2
	for _, f := range p.Filters {
		if err := ValidFilter(f); err != nil {
			return dst, err
		}
		n += 2 + len(f)
	}
	var props propsSize
	if p.Version == V5 {
		var err error
		if props, err = p.Props.size(UNSUBSCRIBE); err != nil {
			return dst, err
		}
		n += props.total()
	}
	dst, err := appendHeader(dst, UNSUBSCRIBE, requiredFlags[UNSUBSCRIBE], n)
	if err != nil {
		return dst, err
	}
	dst = put16(dst, p.PacketID)
	if p.Version == V5 {
		dst = p.Props.appendTo(dst, props)
	}
	for _, f := range p.Filters {
		dst = putString(dst, f)
	}
	return dst, nil
}

// Unsuback is the UNSUBACK packet (§3.11). In 3.1 and 3.1.1 it carries
// only the packet identifier; in 5.0 one reason code per filter.
type Unsuback struct {
	Version     Version
	PacketID    uint16
	Props       Properties   // 5.0 only
	ReasonCodes []ReasonCode // 5.0 only
}

// Type returns UNSUBACK.
func (*Unsuback) Type() Type { return UNSUBACK }

func (p *Unsuback) decode(c *cursor, h FixedHeader) error {
	return decodeAckList(c, UNSUBACK, &p.Version, &p.PacketID, &p.Props, &p.ReasonCodes, fUnsubackCode)
}

// AppendTo appends the encoded UNSUBACK to dst.
func (p *Unsuback) AppendTo(dst []byte) ([]byte, error) {
	return appendAckList(dst, UNSUBACK, p.Version, p.PacketID, &p.Props, p.ReasonCodes)
}

// decodeAckList decodes SUBACK and UNSUBACK: a packet identifier,
// properties (5.0) and a list of reason codes (none for a 3.x UNSUBACK).
func decodeAckList(c *cursor, t Type, v *Version, id *uint16, props *Properties, codes *[]ReasonCode, f *fieldDef) error {
	*v = c.v
	c.section("Variable header")
	var err error
	if *id, err = c.packetID(); err != nil {
		return err
	}
	if err := props.decode(c, t); err != nil {
		return err
	}
	list := (*codes)[:0]
	if t == UNSUBACK && c.v != V5 {
		*codes = list
		return nil // 3.x UNSUBACK has no payload
	}
	c.section("Payload")
	for c.left() > 0 {
		var rc ReasonCode
		if err := c.reasonCode(&rc, f, t); err != nil {
			return err // [MQTT-3.9.3-2] [MQTT-3.11.3-2] (5.0)
		}
		if c.v != V5 && rc > 2 && rc != 0x80 {
			return withRule(ErrBadReturnCode, "MQTT-3.9.3-2 (3.1.1)", "SUBACK return code 0x"+hex2(byte(rc)))
		}
		list = append(list, rc)
	}
	*codes = list
	if len(list) == 0 {
		c.start = c.off
		return ErrNoReasonCodes // one per filter, and a SUBSCRIBE has at least one [MQTT-3.8.4-5] (3.1.1) [MQTT-3.8.4-6] (5.0)
	}
	return nil
}

func appendAckList(dst []byte, t Type, v Version, id uint16, props *Properties, codes []ReasonCode) ([]byte, error) {
	if !v.Valid() {
		return dst, ErrVersionUnknown
	}
	if id == 0 {
		return dst, ErrPacketIDZero
	}
	if t == UNSUBACK && v != V5 {
		dst, _ = appendHeader(dst, t, 0, 2)
		return put16(dst, id), nil
	}
	if len(codes) == 0 {
		return dst, ErrNoReasonCodes
	}
	n := 2 + len(codes)
	var pn propsSize
	if v == V5 {
		var err error
		if pn, err = props.size(t); err != nil {
			return dst, err
		}
		n += pn.total()
	}
	for _, rc := range codes {
		if v == V5 && !rc.AllowedIn(t) {
			return dst, badReasonCode(rc, t)
		}
		if v != V5 && rc > 2 && rc < 0x80 {
			return dst, withRule(ErrBadReturnCode, "MQTT-3.9.3-2 (3.1.1)", "SUBACK return code 0x"+hex2(byte(rc)))
		}
	}
	dst, err := appendHeader(dst, t, 0, n)
	if err != nil {
		return dst, err
	}
	dst = put16(dst, id)
	if v == V5 {
		dst = props.appendTo(dst, pn)
	}
	for _, rc := range codes {
		if v != V5 && rc >= 0x80 {
			rc = 0x80 // 3.1.1 has one failure code (§3.9.3)
		}
		dst = put8(dst, byte(rc))
	}
	return dst, nil
}
