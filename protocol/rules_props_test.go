package protocol

import (
	"bytes"
	"errors"
	"testing"
)

// Tests of MQTT 5.0 properties (§2.2.2): which packets may carry each
// property, repetition, unknown identifiers and values out of range.

// specPropertyTable is Table 2-4 of 5.0 §2.2.2.2, written out again from
// the specification: name, data type and the packets that may carry each
// property (Will stands for the will properties of CONNECT).
var specPropertyTable = []struct {
	id   PropID
	name string
	typ  WireType
	in   []Type
}{
	{0x01, "Payload Format Indicator", WireByte, []Type{PUBLISH, Will}},
	{0x02, "Message Expiry Interval", WireFourByteInt, []Type{PUBLISH, Will}},
	{0x03, "Content Type", WireString, []Type{PUBLISH, Will}},
	{0x08, "Response Topic", WireString, []Type{PUBLISH, Will}},
	{0x09, "Correlation Data", WireBinary, []Type{PUBLISH, Will}},
	{0x0B, "Subscription Identifier", WireVarint, []Type{PUBLISH, SUBSCRIBE}},
	{0x11, "Session Expiry Interval", WireFourByteInt, []Type{CONNECT, CONNACK, DISCONNECT}},
	{0x12, "Assigned Client Identifier", WireString, []Type{CONNACK}},
	{0x13, "Server Keep Alive", WireTwoByteInt, []Type{CONNACK}},
	{0x15, "Authentication Method", WireString, []Type{CONNECT, CONNACK, AUTH}},
	{0x16, "Authentication Data", WireBinary, []Type{CONNECT, CONNACK, AUTH}},
	{0x17, "Request Problem Information", WireByte, []Type{CONNECT}},
	{0x18, "Will Delay Interval", WireFourByteInt, []Type{Will}},
	{0x19, "Request Response Information", WireByte, []Type{CONNECT}},
	{0x1A, "Response Information", WireString, []Type{CONNACK}},
	{0x1C, "Server Reference", WireString, []Type{CONNACK, DISCONNECT}},
	{0x1F, "Reason String", WireString, []Type{CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH}},
	{0x21, "Receive Maximum", WireTwoByteInt, []Type{CONNECT, CONNACK}},
	{0x22, "Topic Alias Maximum", WireTwoByteInt, []Type{CONNECT, CONNACK}},
	{0x23, "Topic Alias", WireTwoByteInt, []Type{PUBLISH}},
	{0x24, "Maximum QoS", WireByte, []Type{CONNACK}},
	{0x25, "Retain Available", WireByte, []Type{CONNACK}},
	{0x26, "User Property", WireStringPair, []Type{CONNECT, CONNACK, PUBLISH, Will, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH}},
	{0x27, "Maximum Packet Size", WireFourByteInt, []Type{CONNECT, CONNACK}},
	{0x28, "Wildcard Subscription Available", WireByte, []Type{CONNACK}},
	{0x29, "Subscription Identifiers Available", WireByte, []Type{CONNACK}},
	{0x2A, "Shared Subscription Available", WireByte, []Type{CONNACK}},
}

// propHolders are the packet types that carry properties, Will included.
var propHolders = []Type{Will, CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH}

// withProps builds a valid 5.0 packet of type typ (or a CONNECT with a
// will, for Will) whose property block holds props.
func withProps(typ Type, props []byte) []byte {
	block := append(AppendVarint(nil, uint32(len(props))), props...)
	switch typ {
	case Will:
		return pkt(byte(CONNECT)<<4, str("MQTT"), 5, 0x06, 0, 0, 0, str("c"), block, str("w"), str("m"))
	case CONNECT:
		return pkt(byte(CONNECT)<<4, str("MQTT"), 5, 0x02, 0, 0, block, str("c"))
	case CONNACK:
		return pkt(byte(CONNACK)<<4, 0, 0, block)
	case PUBLISH:
		return pkt(byte(PUBLISH)<<4|0b0010, str("t"), 0, 1, block, "x")
	case PUBACK, PUBREC, PUBCOMP:
		return pkt(byte(typ)<<4, 0, 1, 0, block)
	case PUBREL:
		return pkt(byte(PUBREL)<<4|2, 0, 1, 0, block)
	case SUBSCRIBE:
		return pkt(byte(SUBSCRIBE)<<4|2, 0, 1, block, str("a"), 0)
	case SUBACK:
		return pkt(byte(SUBACK)<<4, 0, 1, block, 0)
	case UNSUBSCRIBE:
		return pkt(byte(UNSUBSCRIBE)<<4|2, 0, 1, block, str("a"))
	case UNSUBACK:
		return pkt(byte(UNSUBACK)<<4, 0, 1, block, 0)
	case DISCONNECT:
		return pkt(byte(DISCONNECT)<<4, 0, block)
	case AUTH:
		return pkt(byte(AUTH)<<4, 0x18, block)
	}
	panic("withProps: " + typ.String())
}

// propValue is a valid encoding of property id: its identifier and value.
func propValue(id PropID) []byte {
	switch PropertyType(id) {
	case WireByte:
		return cat(id, 1)
	case WireTwoByteInt:
		return cat(id, 0, 5)
	case WireFourByteInt:
		return cat(id, 0, 0, 0, 5)
	case WireVarint:
		return cat(id, 5)
	case WireString:
		return cat(id, str("x"))
	case WireBinary:
		return cat(id, str("b"))
	case WireStringPair:
		return cat(id, str("k"), str("v"))
	}
	panic("propValue")
}

// needs adds what property id cannot go without in typ: Authentication
// Data needs a method, and so does every AUTH.
func needs(id PropID, typ Type, props []byte) []byte {
	if id != PropAuthMethod && (typ == AUTH || id == PropAuthData) && PropertyAllowed(PropAuthMethod, typ) {
		return append(cat(PropAuthMethod, str("m")), props...)
	}
	return props
}

// TestPropertyTable checks every property in every packet type against
// Table 2-4: allowed ones decode and re-encode byte for byte; others are a
// Malformed Packet (§2.2.2.2). Repeating a property is a Protocol Error,
// except User Property and, in PUBLISH, Subscription Identifier.
func TestPropertyTable(t *testing.T) {
	t.Parallel()
	if len(specPropertyTable) != 27 {
		t.Fatalf("the table lists %d properties", len(specPropertyTable))
	}
	for _, sp := range specPropertyTable {
		if PropertyName(sp.id) != sp.name || PropertyType(sp.id) != sp.typ {
			t.Errorf("0x%02x: name %q type %d, want %q %d", byte(sp.id), PropertyName(sp.id), PropertyType(sp.id), sp.name, sp.typ)
		}
		allowed := map[Type]bool{}
		for _, typ := range sp.in {
			allowed[typ] = true
		}
		for _, typ := range propHolders {
			name := sp.name + " in " + typ.String()
			if typ == Will {
				name = sp.name + " in a will"
			}
			if PropertyAllowed(sp.id, typ) != allowed[typ] {
				t.Errorf("%s: PropertyAllowed = %v", name, !allowed[typ])
			}
			once := withProps(typ, needs(sp.id, typ, propValue(sp.id)))
			twice := withProps(typ, needs(sp.id, typ, append(propValue(sp.id), propValue(sp.id)...)))
			p, err := decodeRaw(once, V5)
			switch {
			case !allowed[typ]:
				if !errors.Is(err, ErrPropertyNotAllowed) || ReasonCodeOf(err) != MalformedPacket {
					t.Errorf("%s: %v, want ErrPropertyNotAllowed", name, err)
				}
				continue
			case err != nil:
				t.Errorf("%s: %v", name, err)
				continue
			}
			if raw, err := p.AppendTo(nil); err != nil || !bytes.Equal(raw, once) {
				t.Errorf("%s: re-encoded as % x, %v; want % x", name, raw, err, once)
			}
			_, err = decodeRaw(twice, V5)
			repeatable := sp.id == PropUser || (sp.id == PropSubscriptionID && typ == PUBLISH)
			switch {
			case repeatable && err != nil:
				t.Errorf("%s twice: %v", name, err)
			case !repeatable && (!errors.Is(err, ErrPropertyRepeated) || ReasonCodeOf(err) != ProtocolError):
				t.Errorf("%s twice: %v, want ErrPropertyRepeated", name, err)
			}
		}
	}
}

// setProp sets property id in p to a valid value.
func setProp(p *Properties, id PropID) {
	switch id {
	case PropPayloadFormat:
		p.PayloadFormat = Some(byte(1))
	case PropMessageExpiry:
		p.MessageExpiry = Some(uint32(5))
	case PropContentType:
		p.ContentType = Some("x")
	case PropResponseTopic:
		p.ResponseTopic = Some("x")
	case PropCorrelationData:
		p.CorrelationData = Some([]byte("b"))
	case PropSubscriptionID:
		p.SubscriptionIDs = []uint32{5}
	case PropSessionExpiry:
		p.SessionExpiry = Some(uint32(5))
	case PropAssignedClientID:
		p.AssignedClientID = Some("x")
	case PropServerKeepAlive:
		p.ServerKeepAlive = Some(uint16(5))
	case PropAuthMethod:
		p.AuthMethod = Some("x")
	case PropAuthData:
		p.AuthData = Some([]byte("b"))
	case PropRequestProblemInfo:
		p.RequestProblemInfo = Some(byte(1))
	case PropWillDelay:
		p.WillDelay = Some(uint32(5))
	case PropRequestResponseInfo:
		p.RequestResponseInfo = Some(byte(1))
	case PropResponseInfo:
		p.ResponseInfo = Some("x")
	case PropServerReference:
		p.ServerReference = Some("x")
	case PropReasonString:
		p.ReasonString = Some("x")
	case PropReceiveMaximum:
		p.ReceiveMaximum = Some(uint16(5))
	case PropTopicAliasMaximum:
		p.TopicAliasMaximum = Some(uint16(5))
	case PropTopicAlias:
		p.TopicAlias = Some(uint16(5))
	case PropMaximumQoS:
		p.MaximumQoS = Some(byte(1))
	case PropRetainAvailable:
		p.RetainAvailable = Some(byte(1))
	case PropUser:
		p.User = []UserProperty{{"k", "v"}}
	case PropMaximumPacketSize:
		p.MaximumPacketSize = Some(uint32(5))
	case PropWildcardSubAvailable:
		p.WildcardSubAvailable = Some(byte(1))
	case PropSubIDAvailable:
		p.SubIDAvailable = Some(byte(1))
	case PropSharedSubAvailable:
		p.SharedSubAvailable = Some(byte(1))
	default:
		panic("setProp")
	}
}

// packetWith is a valid 5.0 packet of type typ carrying props.
func packetWith(typ Type, props Properties) Packet {
	switch typ {
	case Will:
		return &Connect{Version: V5, Will: &WillMessage{Topic: "w", Props: props}}
	case CONNECT:
		return &Connect{Version: V5, Props: props}
	case CONNACK:
		return &Connack{Version: V5, Props: props}
	case PUBLISH:
		return &Publish{Version: V5, Topic: "t", Props: props}
	case PUBACK:
		return &Puback{Version: V5, PacketID: 1, Props: props}
	case PUBREC:
		return &Pubrec{Version: V5, PacketID: 1, Props: props}
	case PUBREL:
		return &Pubrel{Version: V5, PacketID: 1, Props: props}
	case PUBCOMP:
		return &Pubcomp{Version: V5, PacketID: 1, Props: props}
	case SUBSCRIBE:
		return &Subscribe{Version: V5, PacketID: 1, Props: props, Subscriptions: []Subscription{{Filter: "a"}}}
	case SUBACK:
		return &Suback{Version: V5, PacketID: 1, Props: props, ReasonCodes: []ReasonCode{0}}
	case UNSUBSCRIBE:
		return &Unsubscribe{Version: V5, PacketID: 1, Props: props, Filters: []string{"a"}}
	case UNSUBACK:
		return &Unsuback{Version: V5, PacketID: 1, Props: props, ReasonCodes: []ReasonCode{0}}
	case DISCONNECT:
		return &Disconnect{Version: V5, Props: props}
	case AUTH:
		return &Auth{ReasonCode: ContinueAuthentication, Props: props}
	}
	panic("packetWith")
}

// TestPropertyTableEncoding: AppendTo refuses a property the packet may
// not carry, as the decoder does.
func TestPropertyTableEncoding(t *testing.T) {
	t.Parallel()
	for _, id := range PropertyIDs() {
		for _, typ := range propHolders {
			var props Properties
			setProp(&props, id)
			if typ == AUTH || id == PropAuthData {
				props.AuthMethod = Some("m")
			}
			_, err := packetWith(typ, props).AppendTo(nil)
			if PropertyAllowed(id, typ) {
				if err != nil {
					t.Errorf("%s in %v: %v", PropertyName(id), typ, err)
				}
			} else if !errors.Is(err, ErrPropertyNotAllowed) {
				t.Errorf("%s in %v: %v, want ErrPropertyNotAllowed", PropertyName(id), typ, err)
			}
		}
	}
	p := &Subscribe{Version: V5, PacketID: 1, Props: Properties{SubscriptionIDs: []uint32{1, 2}}, Subscriptions: []Subscription{{Filter: "a"}}}
	if _, err := p.AppendTo(nil); !errors.Is(err, ErrPropertyRepeated) {
		t.Errorf("SUBSCRIBE with two subscription identifiers: %v", err)
	}
}

// TestPropertyUnknown: an identifier that names no property is a
// Malformed Packet (§2.2.2.2).
func TestPropertyUnknown(t *testing.T) {
	t.Parallel()
	var cases []bad
	for _, id := range []int{0x00, 0x04, 0x05, 0x06, 0x07, 0x0A, 0x0C, 0x10, 0x14, 0x1B, 0x1D, 0x1E, 0x20, 0x2B, 0x7F} {
		cases = append(cases, bad{"identifier 0x" + hex2(byte(id)), V5, withProps(PUBLISH, cat(id, 0))})
	}
	cases = append(cases,
		bad{"identifier 128 in two bytes", V5, withProps(PUBLISH, cat(0x80, 0x01, 0))},
		bad{"identifier 0x26+128", V5, withProps(CONNACK, cat(0xA6, 0x01, 0))},
	)
	checkRule(t, ErrPropertyUnknown, MalformedPacket, "", cases...)
	if PropertyName(0x04) != "Unknown property 0x04" || PropertyType(0x04) != 0 || PropertyAllowed(0x04, PUBLISH) {
		t.Errorf("property 0x04 is described")
	}
}

// TestPropertyNotAllowed: a few properties in packets that may not carry
// them (TestPropertyTable tries them all).
func TestPropertyNotAllowed(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrPropertyNotAllowed, MalformedPacket, "",
		bad{"Topic Alias in CONNECT", V5, withProps(CONNECT, cat(0x23, 0, 1))},
		bad{"Will Delay Interval in CONNECT", V5, withProps(CONNECT, cat(0x18, 0, 0, 0, 1))},
		bad{"Session Expiry Interval in a will", V5, withProps(Will, cat(0x11, 0, 0, 0, 1))},
		bad{"Subscription Identifier in UNSUBSCRIBE", V5, withProps(UNSUBSCRIBE, cat(0x0B, 1))},
		bad{"Reason String in PUBLISH", V5, withProps(PUBLISH, cat(0x1F, str("r")))},
		bad{"Server Reference in AUTH", V5, withProps(AUTH, cat(0x15, str("m"), 0x1C, str("s")))},
	)
}

// TestPropertyRepeated: a few properties included twice (TestPropertyTable
// tries them all).
func TestPropertyRepeated(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrPropertyRepeated, ProtocolError, "",
		bad{"Session Expiry Interval", V5, withProps(CONNECT, cat(0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 2))},
		bad{"Reason String", V5, withProps(PUBACK, cat(0x1F, str("a"), 0x1F, str("b")))},
		bad{"Subscription Identifier in SUBSCRIBE", V5, withProps(SUBSCRIBE, cat(0x0B, 1, 0x0B, 2))},
		bad{"Topic Alias apart", V5, withProps(PUBLISH, cat(0x23, 0, 1, 0x26, str("k"), str("v"), 0x23, 0, 1))},
	)
}

// TestPropertyValueOutOfRange: values the specification rules out are a
// Protocol Error: byte flags other than 0 and 1, Receive Maximum and
// Maximum Packet Size 0, Subscription Identifier 0, Maximum QoS 2.
func TestPropertyValueOutOfRange(t *testing.T) {
	t.Parallel()
	cases := []bad{
		{"Payload Format Indicator 2", V5, withProps(PUBLISH, cat(0x01, 2))},
		{"Payload Format Indicator 2 in a will", V5, withProps(Will, cat(0x01, 2))},
		{"Request Problem Information 2", V5, withProps(CONNECT, cat(0x17, 2))},
		{"Request Response Information 2", V5, withProps(CONNECT, cat(0x19, 2))},
		{"Maximum QoS 2", V5, withProps(CONNACK, cat(0x24, 2))},
		{"Retain Available 2", V5, withProps(CONNACK, cat(0x25, 2))},
		{"Wildcard Subscription Available 2", V5, withProps(CONNACK, cat(0x28, 2))},
		{"Subscription Identifiers Available 255", V5, withProps(CONNACK, cat(0x29, 255))},
		{"Shared Subscription Available 2", V5, withProps(CONNACK, cat(0x2A, 2))},
		{"Receive Maximum 0 in CONNECT", V5, withProps(CONNECT, cat(0x21, 0, 0))},
		{"Receive Maximum 0 in CONNACK", V5, withProps(CONNACK, cat(0x21, 0, 0))},
		{"Maximum Packet Size 0", V5, withProps(CONNECT, cat(0x27, 0, 0, 0, 0))},
		{"Subscription Identifier 0 in SUBSCRIBE", V5, withProps(SUBSCRIBE, cat(0x0B, 0))},
		{"Subscription Identifier 0 in PUBLISH", V5, withProps(PUBLISH, cat(0x0B, 3, 0x0B, 0))},
	}
	checkRule(t, ErrPropertyValue, ProtocolError, "", cases...)

	for _, c := range []struct {
		name string
		typ  Type
		set  func(*Properties)
	}{
		{"Payload Format Indicator 2", PUBLISH, func(p *Properties) { p.PayloadFormat = Some(byte(2)) }},
		{"Request Problem Information 2", CONNECT, func(p *Properties) { p.RequestProblemInfo = Some(byte(2)) }},
		{"Request Response Information 2", CONNECT, func(p *Properties) { p.RequestResponseInfo = Some(byte(2)) }},
		{"Maximum QoS 2", CONNACK, func(p *Properties) { p.MaximumQoS = Some(byte(2)) }},
		{"Retain Available 2", CONNACK, func(p *Properties) { p.RetainAvailable = Some(byte(2)) }},
		{"Wildcard Subscription Available 2", CONNACK, func(p *Properties) { p.WildcardSubAvailable = Some(byte(2)) }},
		{"Subscription Identifiers Available 2", CONNACK, func(p *Properties) { p.SubIDAvailable = Some(byte(2)) }},
		{"Shared Subscription Available 2", CONNACK, func(p *Properties) { p.SharedSubAvailable = Some(byte(2)) }},
		{"Receive Maximum 0", CONNECT, func(p *Properties) { p.ReceiveMaximum = Some(uint16(0)) }},
		{"Maximum Packet Size 0", CONNACK, func(p *Properties) { p.MaximumPacketSize = Some(uint32(0)) }},
		{"Subscription Identifier 0", PUBLISH, func(p *Properties) { p.SubscriptionIDs = []uint32{0} }},
		{"Subscription Identifier beyond 268,435,455", SUBSCRIBE, func(p *Properties) { p.SubscriptionIDs = []uint32{MaxVarint + 1} }},
		{"Authentication Data without a method", CONNECT, func(p *Properties) { p.AuthData = Some([]byte{1}) }},
	} {
		var props Properties
		c.set(&props)
		if _, err := packetWith(c.typ, props).AppendTo(nil); !errors.Is(err, ErrPropertyValue) {
			t.Errorf("AppendTo %s: %v, want ErrPropertyValue", c.name, err)
		}
	}
}
