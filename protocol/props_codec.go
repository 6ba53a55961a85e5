package protocol

import "math/bits"

// The property codec is one loop over propTable, keyed by identifier and
// wire type, rather than code per property: a codec written out property
// by property is several times larger in the browser build. The only code
// that names each property is present, get and set below, which map an
// identifier to its field of Properties.

// present returns the set of properties p holds, one bit per identifier.
func (p *Properties) present() uint64 {
	m := b2u(p.PayloadFormat.Present) << PropPayloadFormat
	m |= b2u(p.MessageExpiry.Present) << PropMessageExpiry
	m |= b2u(p.ContentType.Present) << PropContentType
	m |= b2u(p.ResponseTopic.Present) << PropResponseTopic
	m |= b2u(p.CorrelationData.Present) << PropCorrelationData
	m |= b2u(len(p.SubscriptionIDs) > 0) << PropSubscriptionID
	m |= b2u(p.SessionExpiry.Present) << PropSessionExpiry
	m |= b2u(p.AssignedClientID.Present) << PropAssignedClientID
	m |= b2u(p.ServerKeepAlive.Present) << PropServerKeepAlive
	m |= b2u(p.AuthMethod.Present) << PropAuthMethod
	m |= b2u(p.AuthData.Present) << PropAuthData
	m |= b2u(p.RequestProblemInfo.Present) << PropRequestProblemInfo
	m |= b2u(p.WillDelay.Present) << PropWillDelay
	m |= b2u(p.RequestResponseInfo.Present) << PropRequestResponseInfo
	m |= b2u(p.ResponseInfo.Present) << PropResponseInfo
	m |= b2u(p.ServerReference.Present) << PropServerReference
	m |= b2u(p.ReasonString.Present) << PropReasonString
	m |= b2u(p.ReceiveMaximum.Present) << PropReceiveMaximum
	m |= b2u(p.TopicAliasMaximum.Present) << PropTopicAliasMaximum
	m |= b2u(p.TopicAlias.Present) << PropTopicAlias
	m |= b2u(p.MaximumQoS.Present) << PropMaximumQoS
	m |= b2u(p.RetainAvailable.Present) << PropRetainAvailable
	m |= b2u(len(p.User) > 0) << PropUser
	m |= b2u(p.MaximumPacketSize.Present) << PropMaximumPacketSize
	m |= b2u(p.WildcardSubAvailable.Present) << PropWildcardSubAvailable
	m |= b2u(p.SubIDAvailable.Present) << PropSubIDAvailable
	m |= b2u(p.SharedSubAvailable.Present) << PropSharedSubAvailable
	return m
}

// b2u is 1 for true and 0 for false. Presence bits built from it form no
// chain of conditional moves, which is several times slower.
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// get returns the value of single-valued property id: x for a number,
// s for a string. The two binary properties are read by bin.
func (p *Properties) get(id PropID) (x uint32, s string) {
	switch id {
	case PropPayloadFormat:
		x = uint32(p.PayloadFormat.Value)
	case PropMessageExpiry:
		x = p.MessageExpiry.Value
	case PropContentType:
		s = p.ContentType.Value
	case PropResponseTopic:
		s = p.ResponseTopic.Value
	case PropSessionExpiry:
		x = p.SessionExpiry.Value
	case PropAssignedClientID:
		s = p.AssignedClientID.Value
	case PropServerKeepAlive:
		x = uint32(p.ServerKeepAlive.Value)
	case PropAuthMethod:
		s = p.AuthMethod.Value
	case PropRequestProblemInfo:
		x = uint32(p.RequestProblemInfo.Value)
	case PropWillDelay:
		x = p.WillDelay.Value
	case PropRequestResponseInfo:
		x = uint32(p.RequestResponseInfo.Value)
	case PropResponseInfo:
		s = p.ResponseInfo.Value
	case PropServerReference:
		s = p.ServerReference.Value
	case PropReasonString:
		s = p.ReasonString.Value
	case PropReceiveMaximum:
		x = uint32(p.ReceiveMaximum.Value)
	case PropTopicAliasMaximum:
		x = uint32(p.TopicAliasMaximum.Value)
	case PropTopicAlias:
		x = uint32(p.TopicAlias.Value)
	case PropMaximumQoS:
		x = uint32(p.MaximumQoS.Value)
	case PropRetainAvailable:
		x = uint32(p.RetainAvailable.Value)
	case PropMaximumPacketSize:
		x = p.MaximumPacketSize.Value
	case PropWildcardSubAvailable:
		x = uint32(p.WildcardSubAvailable.Value)
	case PropSubIDAvailable:
		x = uint32(p.SubIDAvailable.Value)
	case PropSharedSubAvailable:
		x = uint32(p.SharedSubAvailable.Value)
	}
	return x, s
}

// bin returns the value of binary property id.
func (p *Properties) bin(id PropID) []byte {
	if id == PropAuthData {
		return p.AuthData.Value
	}
	return p.CorrelationData.Value
}

// set stores the value of single-valued property id, present or not: x
// for a number (of the property's width), s for a string, b for binary
// data.
func (p *Properties) set(id PropID, ok bool, x uint32, s string, b []byte) {
	switch id {
	case PropPayloadFormat:
		p.PayloadFormat = Opt[byte]{byte(x), ok}
	case PropMessageExpiry:
		p.MessageExpiry = Opt[uint32]{x, ok}
	case PropContentType:
		p.ContentType = Opt[string]{s, ok}
	case PropResponseTopic:
		p.ResponseTopic = Opt[string]{s, ok}
	case PropCorrelationData:
		p.CorrelationData = Opt[[]byte]{b, ok}
	case PropSessionExpiry:
		p.SessionExpiry = Opt[uint32]{x, ok}
	case PropAssignedClientID:
		p.AssignedClientID = Opt[string]{s, ok}
	case PropServerKeepAlive:
		p.ServerKeepAlive = Opt[uint16]{uint16(x), ok}
	case PropAuthMethod:
		p.AuthMethod = Opt[string]{s, ok}
	case PropAuthData:
		p.AuthData = Opt[[]byte]{b, ok}
	case PropRequestProblemInfo:
		p.RequestProblemInfo = Opt[byte]{byte(x), ok}
	case PropWillDelay:
		p.WillDelay = Opt[uint32]{x, ok}
	case PropRequestResponseInfo:
		p.RequestResponseInfo = Opt[byte]{byte(x), ok}
	case PropResponseInfo:
		p.ResponseInfo = Opt[string]{s, ok}
	case PropServerReference:
		p.ServerReference = Opt[string]{s, ok}
	case PropReasonString:
		p.ReasonString = Opt[string]{s, ok}
	case PropReceiveMaximum:
		p.ReceiveMaximum = Opt[uint16]{uint16(x), ok}
	case PropTopicAliasMaximum:
		p.TopicAliasMaximum = Opt[uint16]{uint16(x), ok}
	case PropTopicAlias:
		p.TopicAlias = Opt[uint16]{uint16(x), ok}
	case PropMaximumQoS:
		p.MaximumQoS = Opt[byte]{byte(x), ok}
	case PropRetainAvailable:
		p.RetainAvailable = Opt[byte]{byte(x), ok}
	case PropMaximumPacketSize:
		p.MaximumPacketSize = Opt[uint32]{x, ok}
	case PropWildcardSubAvailable:
		p.WildcardSubAvailable = Opt[byte]{byte(x), ok}
	case PropSubIDAvailable:
		p.SubIDAvailable = Opt[byte]{byte(x), ok}
	case PropSharedSubAvailable:
		p.SharedSubAvailable = Opt[byte]{byte(x), ok}
	}
}

// width is the number of bytes of a number of wire type typ: 1, 2 or 4.
func width(typ WireType) int { return 1 << (typ - WireByte) }

// decode reads a property block (length and properties) for packet type t
// (or Will), replacing p's contents; strings equal to p's previous values
// are reused and slices keep their capacity. Before 5.0 there is no
// property block and p is emptied.
func (p *Properties) decode(c *cursor, t Type) error {
	if c.v != V5 {
		p.reset()
		return nil
	}
	if t == Will {
		c.group("Will Properties")
	} else {
		c.group("Properties")
	}
	n, err := c.varint(fPropertyLength)
	if err != nil {
		return err
	}
	if int(n) > c.left() {
		return ErrTruncated
	}
	outer := c.end
	c.end = c.off + int(n)
	// The fields still hold the previous packet's values, whose strings
	// the new ones reuse; those this packet does not set are cleared.
	had, users := p.present(), p.User
	p.User, p.SubscriptionIDs = p.User[:0], p.SubscriptionIDs[:0]
	set, err := p.decodeList(c, t, users)
	p.clear(had &^ set)
	if err != nil {
		return err
	}
	if (t == CONNECT || t == CONNACK) && p.AuthData.Present && !p.AuthMethod.Present {
		return errAuthDataAlone // §3.1.2.11.10, §3.2.2.3.18; AUTH reports its own
	}
	c.endGroup()
	c.end = outer
	return nil
}

// errAuthDataAlone is the Protocol Error of Authentication Data sent
// without an Authentication Method.
var errAuthDataAlone = &detailed{err: ErrPropertyValue, detail: "Authentication Data without Authentication Method"}

// decodeList reads properties up to c.end and returns the set of those
// it stored; users are the previous User Properties, whose strings it
// reuses, as it reuses the previous value of a string property.
func (p *Properties) decodeList(c *cursor, t Type, users []UserProperty) (set uint64, err error) {
	for c.off < c.end {
		n, err := c.varint(fPropertyID)
		if err != nil {
			return set, err
		}
		info := lookupProp(n)
		if info == nil {
			return set, withDetail(ErrPropertyUnknown, "identifier "+itoa(int(n))) // §2.2.2.2
		}
		if info.in&(1<<t) == 0 {
			return set, info.errNotAllowed(t) // §2.2.2.2
		}
		id := PropID(n)
		if set&(1<<id) != 0 && info.multi&(1<<t) == 0 {
			return set, withDetail(ErrPropertyRepeated, info.def.name)
		}
		var num uint32 // the value of a number, for the range rules
		switch typ := info.typ; typ {
		case WireByte, WireTwoByteInt, WireFourByteInt:
			if num, err = c.uint(width(typ), &info.def); err != nil {
				return set, err
			}
			p.set(id, true, num, "", nil)
		case WireVarint: // Subscription Identifier
			if num, err = c.varint(&info.def); err != nil {
				return set, err
			}
			p.SubscriptionIDs = append(p.SubscriptionIDs, num)
		case WireString:
			b, err := c.utf8(&info.def)
			if err != nil {
				return set, err
			}
			_, old := p.get(id)
			p.set(id, true, 0, internString(old, b), nil)
			if info.rule == ruleTopic && checkTopicName(b) != nil {
				return set | 1<<id, ErrResponseTopic // [MQTT-3.3.2-14] (5.0), and a topic name is never empty [MQTT-4.7.3-1]
			}
		case WireBinary:
			b, err := c.binary(&info.def)
			if err != nil {
				return set, err
			}
			p.set(id, true, 0, "", b)
		case WireStringPair: // User Property
			if err := p.decodeUser(c, info, users); err != nil {
				return set, err
			}
		}
		set |= 1 << id
		if info.rule == ruleAlias && num == 0 {
			return set, ErrTopicAliasZero // [MQTT-3.3.2-8] (5.0)
		}
		if !info.inRange(num) {
			return set, info.errValue(num)
		}
	}
	return set, nil
}

// reset empties p, keeping the capacity of its slices for the next decode.
func (p *Properties) reset() {
	*p = Properties{User: p.User[:0], SubscriptionIDs: p.SubscriptionIDs[:0]}
}

// clear empties the single-valued properties in set m.
func (p *Properties) clear(m uint64) {
	for ; m != 0; m &= m - 1 {
		p.set(PropID(bits.TrailingZeros64(m)), false, 0, "", nil)
	}
}

// decodeUser reads the name and value of a User Property; users are the
// previous ones, whose strings it reuses.
func (p *Properties) decodeUser(c *cursor, info *propInfo, users []UserProperty) error {
	c.group(info.def.name)
	k, err := c.utf8(fUserKey)
	if err != nil {
		return err
	}
	v, err := c.utf8(fUserValue)
	if err != nil {
		return err
	}
	c.endGroup()
	var old UserProperty
	if i := len(p.User); i < len(users) {
		old = users[i]
	}
	p.User = append(p.User, UserProperty{internString(old.Key, k), internString(old.Value, v)})
	return nil
}

// inRange reports whether number x follows the range rules a number
// obeys when decoded and when encoded: flags are 0 or 1, some values must
// not be 0, a Subscription Identifier is at most MaxVarint.
func (info *propInfo) inRange(x uint32) bool {
	switch info.rule {
	case ruleFlag:
		return x <= 1
	case ruleNonZero:
		return x != 0
	case ruleSubID:
		return x != 0 && x <= MaxVarint
	}
	return true
}

func (info *propInfo) errValue(x uint32) error {
	return withDetail(ErrPropertyValue, info.def.name+" = "+itoa(int(x)))
}

func (info *propInfo) errNotAllowed(t Type) error {
	return withDetail(ErrPropertyNotAllowed, info.def.name+" in "+t.String())
}

// propsSize is a Properties measured for encoding: the length of its
// properties and which of them it holds, for appendTo.
type propsSize struct {
	n int    // bytes of the properties, without the property length
	m uint64 // the properties present, one bit per identifier
}

// total is the length of the encoded block, property length included.
func (s propsSize) total() int { return VarintLen(uint32(s.n)) + s.n }

// size measures p's encoding for packet type t and checks that t may
// carry every property set and that every value is one the decoder
// accepts: of each property its value first, then whether t may carry it.
// Of several faults it reports the one in the property of lowest
// identifier.
func (p *Properties) size(t Type) (propsSize, error) {
	ps := propsSize{m: p.present()}
	in := uint16(1) << t
	for m := ps.m; m != 0; m &= m - 1 {
		id := PropID(bits.TrailingZeros64(m))
		info := &propTable[id]
		n := 0
		switch typ := info.typ; typ {
		case WireByte, WireTwoByteInt, WireFourByteInt:
			if info.rule != ruleNone { // else any value will do
				if x, _ := p.get(id); !info.inRange(x) {
					return ps, info.errValue(x)
				}
			}
			n = 1 + width(typ)
		case WireString:
			_, s := p.get(id)
			if info.rule == ruleTopic {
				if ValidTopicName(s) != nil {
					return ps, ErrResponseTopic
				}
			} else if e := validString(s); e != nil {
				return ps, withDetail(e, info.def.name)
			}
			n = 3 + len(s)
		case WireBinary:
			b := p.bin(id)
			if id == PropAuthData && !p.AuthMethod.Present {
				return ps, errAuthDataAlone // §3.1.2.11.10
			}
			if len(b) > MaxString {
				return ps, ErrStringTooLong
			}
			n = 3 + len(b)
		case WireVarint: // Subscription Identifiers, each checked before the packet type
			for _, x := range p.SubscriptionIDs {
				if !info.inRange(x) {
					return ps, info.errValue(x)
				}
				if info.in&in == 0 {
					break
				}
				n += 1 + VarintLen(x)
			}
			if info.in&in != 0 && len(p.SubscriptionIDs) > 1 && info.multi&in == 0 {
				return ps, withDetail(ErrPropertyRepeated, info.def.name)
			}
		case WireStringPair: // User Properties, likewise
			for _, u := range p.User {
				if e := validString(u.Key); e != nil {
					return ps, withDetail(e, info.def.name)
				}
				if e := validString(u.Value); e != nil {
					return ps, withDetail(e, info.def.name)
				}
				if info.in&in == 0 {
					break
				}
				n += 5 + len(u.Key) + len(u.Value)
			}
		}
		if info.in&in == 0 {
			return ps, info.errNotAllowed(t)
		}
		if id == PropSubscriptionID && len(p.SubscriptionIDs) > 1 && info.multi&(1<<t) == 0 {
			return ps, withDetail(ErrPropertyRepeated, info.def.name)
		}
		ps.n += n
	}
	if ps.n > MaxVarint {
		return ps, ErrPacketTooLarge
	}
	return ps, nil
}

// appendTo writes the property length and the properties, as size
// measured them, into the room the fixed header reserved.
func (p *Properties) appendTo(dst []byte, ps propsSize) []byte {
	dst = putVarint(dst, uint32(ps.n))
	for m := ps.m; m != 0; m &= m - 1 {
		id := PropID(bits.TrailingZeros64(m))
		switch typ := propTable[id].typ; typ {
		case WireVarint:
			for _, x := range p.SubscriptionIDs {
				dst = putVarint(put8(dst, byte(id)), x)
			}
		case WireStringPair:
			for _, u := range p.User {
				dst = putString(putString(put8(dst, byte(id)), u.Key), u.Value)
			}
		case WireBinary:
			dst = putBinary(put8(dst, byte(id)), p.bin(id))
		default:
			dst = put8(dst, byte(id))
			x, s := p.get(id)
			switch typ {
			case WireByte:
				dst = put8(dst, byte(x))
			case WireTwoByteInt:
				dst = put16(dst, uint16(x))
			case WireFourByteInt:
				dst = put32(dst, x)
			case WireString:
				dst = putString(dst, s)
			}
		}
	}
	return dst
}
