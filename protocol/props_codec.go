package protocol

// decode reads a property block (length and properties) for packet type t
// (or Will), replacing p's contents; strings equal to p's previous values
// are reused and slices keep their capacity.
func (p *Properties) decode(c *cursor, t Type) error {
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
	old := *p
	p.reset()
	var seen uint64
	for c.off < c.end {
		id, err := c.varint(fPropertyID)
		if err != nil {
			return err
		}
		info := lookupProp(id)
		if info == nil {
			return withDetail(ErrPropertyUnknown, "identifier "+itoa(int(id))) // §2.2.2.2
		}
		if c.ex != nil {
			c.ex.setValue("0x" + hex2(byte(id)) + " " + info.def.name)
			c.ex.nameLast(info.def.name, "Identifier")
		}
		if info.in&(1<<t) == 0 {
			return withDetail(ErrPropertyNotAllowed, info.def.name+" in "+t.String()) // §2.2.2.2
		}
		if seen&(1<<id) != 0 && info.multi&(1<<t) == 0 {
			return withDetail(ErrPropertyRepeated, info.def.name)
		}
		seen |= 1 << id
		if err := p.decodeValue(c, PropID(id), info, &old); err != nil {
			return err
		}
	}
	c.endGroup()
	c.end = outer
	return nil
}

// reset empties p, keeping the capacity of its slices for the next decode.
func (p *Properties) reset() {
	*p = Properties{User: p.User[:0], SubscriptionIDs: p.SubscriptionIDs[:0]}
}

// decodeValue reads the value of one property and stores it in p.
func (p *Properties) decodeValue(c *cursor, id PropID, info *propInfo, old *Properties) error {
	var (
		num  uint32
		b    []byte
		val  []byte
		err  error
		x8   byte
		x16  uint16
		bad  bool // value out of range
		zero = func() bool { return num == 0 }
	)
	switch info.typ {
	case WireByte:
		x8, err = c.u8(&info.def)
		num = uint32(x8)
	case WireTwoByteInt:
		x16, err = c.u16(&info.def)
		num = uint32(x16)
	case WireFourByteInt:
		num, err = c.u32(&info.def)
	case WireVarint:
		num, err = c.varint(&info.def)
	case WireString:
		b, err = c.utf8(&info.def)
	case WireBinary:
		b, err = c.binary(&info.def)
	case WireStringPair:
		c.group(info.def.name)
		if b, err = c.utf8(fUserKey); err == nil {
			val, err = c.utf8(fUserValue)
		}
		c.endGroup()
	}
	if err != nil {
		return err
	}
	switch id {
	case PropPayloadFormat:
		p.PayloadFormat, bad = Some(x8), x8 > 1
	case PropMessageExpiry:
		p.MessageExpiry = Some(num)
	case PropContentType:
		p.ContentType = Some(internString(old.ContentType.Value, b))
	case PropResponseTopic:
		p.ResponseTopic = Some(internString(old.ResponseTopic.Value, b))
		if checkTopicName(b) != nil {
			return ErrResponseTopic // [MQTT-3.3.2-14] (5.0), and a topic name is never empty [MQTT-4.7.3-1]
		}
	case PropCorrelationData:
		p.CorrelationData = Some(b)
	case PropSubscriptionID:
		p.SubscriptionIDs, bad = append(p.SubscriptionIDs, num), zero()
	case PropSessionExpiry:
		p.SessionExpiry = Some(num)
	case PropAssignedClientID:
		p.AssignedClientID = Some(internString(old.AssignedClientID.Value, b))
	case PropServerKeepAlive:
		p.ServerKeepAlive = Some(x16)
	case PropAuthMethod:
		p.AuthMethod = Some(internString(old.AuthMethod.Value, b))
	case PropAuthData:
		p.AuthData = Some(b)
	case PropRequestProblemInfo:
		p.RequestProblemInfo, bad = Some(x8), x8 > 1
	case PropWillDelay:
		p.WillDelay = Some(num)
	case PropRequestResponseInfo:
		p.RequestResponseInfo, bad = Some(x8), x8 > 1
	case PropResponseInfo:
		p.ResponseInfo = Some(internString(old.ResponseInfo.Value, b))
	case PropServerReference:
		p.ServerReference = Some(internString(old.ServerReference.Value, b))
	case PropReasonString:
		p.ReasonString = Some(internString(old.ReasonString.Value, b))
	case PropReceiveMaximum:
		p.ReceiveMaximum, bad = Some(x16), zero() // §3.1.2.11.3: 0 is a Protocol Error
	case PropTopicAliasMaximum:
		p.TopicAliasMaximum = Some(x16)
	case PropTopicAlias:
		p.TopicAlias = Some(x16)
		if x16 == 0 {
			return ErrTopicAliasZero // [MQTT-3.3.2-8] (5.0)
		}
	case PropMaximumQoS:
		p.MaximumQoS, bad = Some(x8), x8 > 1 // §3.2.2.3.4
	case PropRetainAvailable:
		p.RetainAvailable, bad = Some(x8), x8 > 1
	case PropUser:
		i := len(p.User)
		var ok, ov string
		if i < len(old.User) {
			ok, ov = old.User[i].Key, old.User[i].Value
		}
		p.User = append(p.User, UserProperty{internString(ok, b), internString(ov, val)})
	case PropMaximumPacketSize:
		p.MaximumPacketSize, bad = Some(num), zero() // §3.1.2.11.4: 0 is a Protocol Error
	case PropWildcardSubAvailable:
		p.WildcardSubAvailable, bad = Some(x8), x8 > 1
	case PropSubIDAvailable:
		p.SubIDAvailable, bad = Some(x8), x8 > 1
	case PropSharedSubAvailable:
		p.SharedSubAvailable, bad = Some(x8), x8 > 1
	}
	if bad {
		return withDetail(ErrPropertyValue, info.def.name+" = "+itoa(int(num)))
	}
	return nil
}

// size returns the length of p's encoding for packet type t, without the
// property length itself, and checks that t may carry every property set.
func (p *Properties) size(t Type) (int, error) {
	n := 0
	var err error
	check := func(id PropID, extra int) {
		if err == nil && propTable[id].in&(1<<t) == 0 {
			err = withDetail(ErrPropertyNotAllowed, propTable[id].def.name+" in "+t.String())
		}
		n += 1 + extra
	}
	valid := func(id PropID, s string) {
		if e := validString(s); e != nil && err == nil {
			err = withDetail(e, propTable[id].def.name)
		}
	}
	str := func(id PropID, s string) {
		valid(id, s)
		check(id, 2+len(s))
	}
	bin := func(id PropID, b []byte) {
		if len(b) > MaxString && err == nil {
			err = ErrStringTooLong
		}
		check(id, 2+len(b))
	}
	// outOfRange records a value the decoder would refuse as out of range.
	outOfRange := func(id PropID, bad bool, x uint32) {
		if bad && err == nil {
			err = withDetail(ErrPropertyValue, propTable[id].def.name+" = "+itoa(int(x)))
		}
	}
	flag := func(id PropID, x byte) { // a byte that is 0 or 1
		outOfRange(id, x > 1, uint32(x))
		check(id, 1)
	}
	if p.PayloadFormat.Present {
		flag(PropPayloadFormat, p.PayloadFormat.Value)
	}
	if p.MessageExpiry.Present {
		check(PropMessageExpiry, 4)
	}
	if p.ContentType.Present {
		str(PropContentType, p.ContentType.Value)
	}
	if p.ResponseTopic.Present {
		if ValidTopicName(p.ResponseTopic.Value) != nil && err == nil {
			err = ErrResponseTopic
		}
		str(PropResponseTopic, p.ResponseTopic.Value)
	}
	if p.CorrelationData.Present {
		bin(PropCorrelationData, p.CorrelationData.Value)
	}
	for _, id := range p.SubscriptionIDs {
		if (id == 0 || id > MaxVarint) && err == nil {
			err = withDetail(ErrPropertyValue, "Subscription Identifier = "+itoa(int(id)))
		}
		check(PropSubscriptionID, VarintLen(id))
	}
	if len(p.SubscriptionIDs) > 1 && t != PUBLISH && err == nil {
		err = withDetail(ErrPropertyRepeated, "Subscription Identifier")
	}
	if p.SessionExpiry.Present {
		check(PropSessionExpiry, 4)
	}
	if p.AssignedClientID.Present {
		str(PropAssignedClientID, p.AssignedClientID.Value)
	}
	if p.ServerKeepAlive.Present {
		check(PropServerKeepAlive, 2)
	}
	if p.AuthMethod.Present {
		str(PropAuthMethod, p.AuthMethod.Value)
	}
	if p.AuthData.Present {
		if !p.AuthMethod.Present && err == nil {
			err = withDetail(ErrPropertyValue, "Authentication Data without Authentication Method") // §3.1.2.11.10
		}
		bin(PropAuthData, p.AuthData.Value)
	}
	if p.RequestProblemInfo.Present {
		flag(PropRequestProblemInfo, p.RequestProblemInfo.Value)
	}
	if p.WillDelay.Present {
		check(PropWillDelay, 4)
	}
	if p.RequestResponseInfo.Present {
		flag(PropRequestResponseInfo, p.RequestResponseInfo.Value)
	}
	if p.ResponseInfo.Present {
		str(PropResponseInfo, p.ResponseInfo.Value)
	}
	if p.ServerReference.Present {
		str(PropServerReference, p.ServerReference.Value)
	}
	if p.ReasonString.Present {
		str(PropReasonString, p.ReasonString.Value)
	}
	if p.ReceiveMaximum.Present {
		outOfRange(PropReceiveMaximum, p.ReceiveMaximum.Value == 0, 0) // §3.1.2.11.3
		check(PropReceiveMaximum, 2)
	}
	if p.TopicAliasMaximum.Present {
		check(PropTopicAliasMaximum, 2)
	}
	if p.TopicAlias.Present {
		check(PropTopicAlias, 2)
	}
	if p.MaximumQoS.Present {
		flag(PropMaximumQoS, p.MaximumQoS.Value)
	}
	if p.RetainAvailable.Present {
		flag(PropRetainAvailable, p.RetainAvailable.Value)
	}
	for _, u := range p.User {
		valid(PropUser, u.Key)
		valid(PropUser, u.Value)
		check(PropUser, 4+len(u.Key)+len(u.Value))
	}
	if p.MaximumPacketSize.Present {
		outOfRange(PropMaximumPacketSize, p.MaximumPacketSize.Value == 0, 0) // §3.1.2.11.4
		check(PropMaximumPacketSize, 4)
	}
	if p.WildcardSubAvailable.Present {
		flag(PropWildcardSubAvailable, p.WildcardSubAvailable.Value)
	}
	if p.SubIDAvailable.Present {
		flag(PropSubIDAvailable, p.SubIDAvailable.Value)
	}
	if p.SharedSubAvailable.Present {
		flag(PropSharedSubAvailable, p.SharedSubAvailable.Value)
	}
	if n > MaxVarint && err == nil {
		err = ErrPacketTooLarge
	}
	return n, err
}

// appendTo appends the property length n (from size) and the properties.
func (p *Properties) appendTo(dst []byte, n int) []byte {
	dst = AppendVarint(dst, uint32(n))
	if n == 0 {
		return dst
	}
	if p.PayloadFormat.Present {
		dst = append(dst, byte(PropPayloadFormat), p.PayloadFormat.Value)
	}
	if p.MessageExpiry.Present {
		dst = appendUint32(append(dst, byte(PropMessageExpiry)), p.MessageExpiry.Value)
	}
	if p.ContentType.Present {
		dst = appendString(append(dst, byte(PropContentType)), p.ContentType.Value)
	}
	if p.ResponseTopic.Present {
		dst = appendString(append(dst, byte(PropResponseTopic)), p.ResponseTopic.Value)
	}
	if p.CorrelationData.Present {
		dst = appendBinary(append(dst, byte(PropCorrelationData)), p.CorrelationData.Value)
	}
	for _, id := range p.SubscriptionIDs {
		dst = AppendVarint(append(dst, byte(PropSubscriptionID)), id)
	}
	if p.SessionExpiry.Present {
		dst = appendUint32(append(dst, byte(PropSessionExpiry)), p.SessionExpiry.Value)
	}
	if p.AssignedClientID.Present {
		dst = appendString(append(dst, byte(PropAssignedClientID)), p.AssignedClientID.Value)
	}
	if p.ServerKeepAlive.Present {
		dst = appendUint16(append(dst, byte(PropServerKeepAlive)), p.ServerKeepAlive.Value)
	}
	if p.AuthMethod.Present {
		dst = appendString(append(dst, byte(PropAuthMethod)), p.AuthMethod.Value)
	}
	if p.AuthData.Present {
		dst = appendBinary(append(dst, byte(PropAuthData)), p.AuthData.Value)
	}
	if p.RequestProblemInfo.Present {
		dst = append(dst, byte(PropRequestProblemInfo), p.RequestProblemInfo.Value)
	}
	if p.WillDelay.Present {
		dst = appendUint32(append(dst, byte(PropWillDelay)), p.WillDelay.Value)
	}
	if p.RequestResponseInfo.Present {
		dst = append(dst, byte(PropRequestResponseInfo), p.RequestResponseInfo.Value)
	}
	if p.ResponseInfo.Present {
		dst = appendString(append(dst, byte(PropResponseInfo)), p.ResponseInfo.Value)
	}
	if p.ServerReference.Present {
		dst = appendString(append(dst, byte(PropServerReference)), p.ServerReference.Value)
	}
	if p.ReasonString.Present {
		dst = appendString(append(dst, byte(PropReasonString)), p.ReasonString.Value)
	}
	if p.ReceiveMaximum.Present {
		dst = appendUint16(append(dst, byte(PropReceiveMaximum)), p.ReceiveMaximum.Value)
	}
	if p.TopicAliasMaximum.Present {
		dst = appendUint16(append(dst, byte(PropTopicAliasMaximum)), p.TopicAliasMaximum.Value)
	}
	if p.TopicAlias.Present {
		dst = appendUint16(append(dst, byte(PropTopicAlias)), p.TopicAlias.Value)
	}
	if p.MaximumQoS.Present {
		dst = append(dst, byte(PropMaximumQoS), p.MaximumQoS.Value)
	}
	if p.RetainAvailable.Present {
		dst = append(dst, byte(PropRetainAvailable), p.RetainAvailable.Value)
	}
	for _, u := range p.User {
		dst = appendString(appendString(append(dst, byte(PropUser)), u.Key), u.Value)
	}
	if p.MaximumPacketSize.Present {
		dst = appendUint32(append(dst, byte(PropMaximumPacketSize)), p.MaximumPacketSize.Value)
	}
	if p.WildcardSubAvailable.Present {
		dst = append(dst, byte(PropWildcardSubAvailable), p.WildcardSubAvailable.Value)
	}
	if p.SubIDAvailable.Present {
		dst = append(dst, byte(PropSubIDAvailable), p.SubIDAvailable.Value)
	}
	if p.SharedSubAvailable.Present {
		dst = append(dst, byte(PropSharedSubAvailable), p.SharedSubAvailable.Value)
	}
	return dst
}
