package protocol

import "math/bits"

// The property codec is one loop over propTable, keyed by identifier and
// wire type, rather than code per property: a codec written out property
// by property is several times larger in the browser build. The only code
// that names each property is the accessors below, which map an
// identifier to its field of Properties.

// present returns the set of properties p holds, one bit per identifier.
func (p *Properties) present() uint64 {
	var m uint64
	set := func(id PropID, ok bool) {
		if ok {
			m |= 1 << id
		}
	}
	set(PropPayloadFormat, p.PayloadFormat.Present)
	set(PropMessageExpiry, p.MessageExpiry.Present)
	set(PropContentType, p.ContentType.Present)
	set(PropResponseTopic, p.ResponseTopic.Present)
	set(PropCorrelationData, p.CorrelationData.Present)
	set(PropSubscriptionID, len(p.SubscriptionIDs) > 0)
	set(PropSessionExpiry, p.SessionExpiry.Present)
	set(PropAssignedClientID, p.AssignedClientID.Present)
	set(PropServerKeepAlive, p.ServerKeepAlive.Present)
	set(PropAuthMethod, p.AuthMethod.Present)
	set(PropAuthData, p.AuthData.Present)
	set(PropRequestProblemInfo, p.RequestProblemInfo.Present)
	set(PropWillDelay, p.WillDelay.Present)
	set(PropRequestResponseInfo, p.RequestResponseInfo.Present)
	set(PropResponseInfo, p.ResponseInfo.Present)
	set(PropServerReference, p.ServerReference.Present)
	set(PropReasonString, p.ReasonString.Present)
	set(PropReceiveMaximum, p.ReceiveMaximum.Present)
	set(PropTopicAliasMaximum, p.TopicAliasMaximum.Present)
	set(PropTopicAlias, p.TopicAlias.Present)
	set(PropMaximumQoS, p.MaximumQoS.Present)
	set(PropRetainAvailable, p.RetainAvailable.Present)
	set(PropUser, len(p.User) > 0)
	set(PropMaximumPacketSize, p.MaximumPacketSize.Present)
	set(PropWildcardSubAvailable, p.WildcardSubAvailable.Present)
	set(PropSubIDAvailable, p.SubIDAvailable.Present)
	set(PropSharedSubAvailable, p.SharedSubAvailable.Present)
	return m
}

// byteField returns the field holding byte property id.
func (p *Properties) byteField(id PropID) *Opt[byte] {
	switch id {
	case PropPayloadFormat:
		return &p.PayloadFormat
	case PropRequestProblemInfo:
		return &p.RequestProblemInfo
	case PropRequestResponseInfo:
		return &p.RequestResponseInfo
	case PropMaximumQoS:
		return &p.MaximumQoS
	case PropRetainAvailable:
		return &p.RetainAvailable
	case PropWildcardSubAvailable:
		return &p.WildcardSubAvailable
	case PropSubIDAvailable:
		return &p.SubIDAvailable
	}
	return &p.SharedSubAvailable
}

// u16Field returns the field holding two-byte integer property id.
func (p *Properties) u16Field(id PropID) *Opt[uint16] {
	switch id {
	case PropServerKeepAlive:
		return &p.ServerKeepAlive
	case PropReceiveMaximum:
		return &p.ReceiveMaximum
	case PropTopicAliasMaximum:
		return &p.TopicAliasMaximum
	}
	return &p.TopicAlias
}

// u32Field returns the field holding four-byte integer property id.
func (p *Properties) u32Field(id PropID) *Opt[uint32] {
	switch id {
	case PropMessageExpiry:
		return &p.MessageExpiry
	case PropSessionExpiry:
		return &p.SessionExpiry
	case PropWillDelay:
		return &p.WillDelay
	}
	return &p.MaximumPacketSize
}

// strField returns the field holding string property id.
func (p *Properties) strField(id PropID) *Opt[string] {
	switch id {
	case PropContentType:
		return &p.ContentType
	case PropResponseTopic:
		return &p.ResponseTopic
	case PropAssignedClientID:
		return &p.AssignedClientID
	case PropAuthMethod:
		return &p.AuthMethod
	case PropResponseInfo:
		return &p.ResponseInfo
	case PropServerReference:
		return &p.ServerReference
	}
	return &p.ReasonString
}

// binField returns the field holding binary property id.
func (p *Properties) binField(id PropID) *Opt[[]byte] {
	if id == PropCorrelationData {
		return &p.CorrelationData
	}
	return &p.AuthData
}

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
	if c.ex != nil {
		c.ex.setValue(bytesOf(int(n)) + " of properties")
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
// it stored; users are the previous User Properties.
func (p *Properties) decodeList(c *cursor, t Type, users []UserProperty) (set uint64, err error) {
	for c.off < c.end {
		id, err := c.varint(fPropertyID)
		if err != nil {
			return set, err
		}
		info := lookupProp(id)
		if info == nil {
			return set, withDetail(ErrPropertyUnknown, "identifier "+itoa(int(id))) // §2.2.2.2
		}
		if c.ex != nil {
			c.ex.setValue("0x" + hex2(byte(id)) + " " + info.def.name)
			c.ex.nameLast(info.def.name, "Identifier")
		}
		if err := info.allowed(t); err != nil {
			return set, err // §2.2.2.2
		}
		if set&(1<<id) != 0 && info.multi&(1<<t) == 0 {
			return set, withDetail(ErrPropertyRepeated, info.def.name)
		}
		num, b, err := p.decodeValue(c, PropID(id), info, users)
		if err != nil {
			return set, err
		}
		set |= 1 << id
		if err := info.checkDecoded(num, b); err != nil {
			return set, err
		}
	}
	return set, nil
}

// decodeOptional is decode for a property block that may be left out
// at the end of the packet, meaning no properties (§3.4.2.2).
func (p *Properties) decodeOptional(c *cursor, t Type) error {
	if c.left() == 0 {
		p.reset()
		return nil
	}
	return p.decode(c, t)
}

// reset empties p, keeping the capacity of its slices for the next decode.
func (p *Properties) reset() {
	*p = Properties{User: p.User[:0], SubscriptionIDs: p.SubscriptionIDs[:0]}
}

// clear empties the single-valued properties in set m.
func (p *Properties) clear(m uint64) {
	for ; m != 0; m &= m - 1 {
		id := PropID(bits.TrailingZeros64(m))
		switch propTable[id].typ {
		case WireByte:
			*p.byteField(id) = Opt[byte]{}
		case WireTwoByteInt:
			*p.u16Field(id) = Opt[uint16]{}
		case WireFourByteInt:
			*p.u32Field(id) = Opt[uint32]{}
		case WireString:
			*p.strField(id) = Opt[string]{}
		case WireBinary:
			*p.binField(id) = Opt[[]byte]{}
		}
	}
}

// decodeValue reads the value of property id and stores it in p,
// reusing the string p held; it returns the value read, num for a number
// and b for a string, for checkDecoded.
func (p *Properties) decodeValue(c *cursor, id PropID, info *propInfo, users []UserProperty) (num uint32, b []byte, err error) {
	switch info.typ {
	case WireByte:
		var x byte
		if x, err = c.u8(&info.def); err == nil {
			*p.byteField(id), num = Some(x), uint32(x)
		}
	case WireTwoByteInt:
		var x uint16
		if x, err = c.u16(&info.def); err == nil {
			*p.u16Field(id), num = Some(x), uint32(x)
		}
	case WireFourByteInt:
		if num, err = c.u32(&info.def); err == nil {
			*p.u32Field(id) = Some(num)
		}
	case WireVarint: // Subscription Identifier
		if num, err = c.varint(&info.def); err == nil {
			p.SubscriptionIDs = append(p.SubscriptionIDs, num)
		}
	case WireString:
		if b, err = c.utf8(&info.def); err == nil {
			f := p.strField(id)
			*f = Some(internString(f.Value, b))
		}
	case WireBinary:
		if b, err = c.binary(&info.def); err == nil {
			*p.binField(id) = Some(b)
		}
	case WireStringPair: // User Property
		err = p.decodeUser(c, info, users)
	}
	return num, b, err
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

// checkDecoded applies the property's range rule to a decoded value:
// num for numbers, b for strings.
func (info *propInfo) checkDecoded(num uint32, b []byte) error {
	switch info.rule {
	case ruleTopic:
		if checkTopicName(b) != nil {
			return ErrResponseTopic // [MQTT-3.3.2-14] (5.0), and a topic name is never empty [MQTT-4.7.3-1]
		}
	case ruleAlias:
		if num == 0 {
			return ErrTopicAliasZero // [MQTT-3.3.2-8] (5.0)
		}
	}
	return info.checkNum(num)
}

// checkNum applies the range rules a number shares when decoded and when
// encoded: flags are 0 or 1, some values must not be 0, a Subscription
// Identifier is at most MaxVarint.
func (info *propInfo) checkNum(x uint32) error {
	r := info.rule
	if r == ruleFlag && x > 1 || (r == ruleNonZero || r == ruleSubID) && x == 0 || r == ruleSubID && x > MaxVarint {
		return withDetail(ErrPropertyValue, info.def.name+" = "+itoa(int(x)))
	}
	return nil
}

// size returns the length of p's encoding for packet type t, without the
// property length itself, and checks that t may carry every property set
// and that every value is one the decoder accepts. Of several faults it
// reports the one in the property of lowest identifier.
func (p *Properties) size(t Type) (int, error) {
	n := 0
	for m := p.present(); m != 0; m &= m - 1 {
		id := PropID(bits.TrailingZeros64(m))
		k, err := p.sizeOf(id, t)
		if err != nil {
			return n, err
		}
		n += k
	}
	if n > MaxVarint {
		return n, ErrPacketTooLarge
	}
	return n, nil
}

// sizeOf returns the length of property id (every instance of it) and
// checks it: its value first, then whether t may carry it.
func (p *Properties) sizeOf(id PropID, t Type) (int, error) {
	info := &propTable[id]
	n := 0
	var err error
	switch info.typ {
	case WireByte:
		n, err = 2, info.checkNum(uint32(p.byteField(id).Value))
	case WireTwoByteInt:
		n, err = 3, info.checkNum(uint32(p.u16Field(id).Value))
	case WireFourByteInt:
		n, err = 5, info.checkNum(p.u32Field(id).Value)
	case WireString:
		s := p.strField(id).Value
		if info.rule == ruleTopic {
			if ValidTopicName(s) != nil {
				return 0, ErrResponseTopic
			}
		} else if e := validString(s); e != nil {
			return 0, withDetail(e, info.def.name)
		}
		n = 3 + len(s)
	case WireBinary:
		b := p.binField(id).Value
		if id == PropAuthData && !p.AuthMethod.Present {
			return 0, errAuthDataAlone // §3.1.2.11.10
		}
		if len(b) > MaxString {
			return 0, ErrStringTooLong
		}
		n = 3 + len(b)
	case WireVarint: // Subscription Identifiers
		for _, x := range p.SubscriptionIDs {
			if err := info.checkNum(x); err != nil {
				return 0, err
			}
			if err := info.allowed(t); err != nil {
				return 0, err
			}
			n += 1 + VarintLen(x)
		}
		if len(p.SubscriptionIDs) > 1 && info.multi&(1<<t) == 0 {
			return 0, withDetail(ErrPropertyRepeated, info.def.name)
		}
		return n, nil
	case WireStringPair: // User Properties
		for _, u := range p.User {
			if e := validString(u.Key); e != nil {
				return 0, withDetail(e, info.def.name)
			}
			if e := validString(u.Value); e != nil {
				return 0, withDetail(e, info.def.name)
			}
			if err := info.allowed(t); err != nil {
				return 0, err
			}
			n += 5 + len(u.Key) + len(u.Value)
		}
		return n, nil
	}
	if err == nil {
		err = info.allowed(t)
	}
	return n, err
}

// allowed reports ErrPropertyNotAllowed when packet type t may not carry
// the property.
func (info *propInfo) allowed(t Type) error {
	if info.in&(1<<t) == 0 {
		return withDetail(ErrPropertyNotAllowed, info.def.name+" in "+t.String())
	}
	return nil
}

// appendTo writes the property length n (from size) and the
// properties, into the room the fixed header reserved.
func (p *Properties) appendTo(dst []byte, n int) []byte {
	dst = putVarint(dst, uint32(n))
	for m := p.present(); m != 0; m &= m - 1 {
		id := PropID(bits.TrailingZeros64(m))
		typ := propTable[id].typ
		if typ != WireVarint && typ != WireStringPair {
			dst = put8(dst, byte(id))
		}
		switch typ {
		case WireByte:
			dst = put8(dst, p.byteField(id).Value)
		case WireTwoByteInt:
			dst = put16(dst, p.u16Field(id).Value)
		case WireFourByteInt:
			dst = put32(dst, p.u32Field(id).Value)
		case WireString:
			dst = putString(dst, p.strField(id).Value)
		case WireBinary:
			dst = putBinary(dst, p.binField(id).Value)
		case WireVarint:
			for _, x := range p.SubscriptionIDs {
				dst = putVarint(put8(dst, byte(id)), x)
			}
		case WireStringPair:
			for _, u := range p.User {
				dst = putString(putString(put8(dst, byte(id)), u.Key), u.Value)
			}
		}
	}
	return dst
}
