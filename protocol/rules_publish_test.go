package protocol

import (
	"errors"
	"testing"
)

// Negative vectors for PUBLISH and its acknowledgements (§3.3 to §3.7),
// DISCONNECT (§3.14) and AUTH (§3.15).

// TestMQTT_3_3_1_4_QoS3: a PUBLISH must not have both QoS bits set.
func TestMQTT_3_3_1_4_QoS3(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrQoS3, MalformedPacket, "MQTT-3.3.1-4",
		bad{"QoS 3", V311, pkt(byte(PUBLISH)<<4|0b0110, str("t"), 0, 1)},
		bad{"QoS 3", V5, pkt(byte(PUBLISH)<<4|0b0110, str("t"), 0, 1, 0)},
		bad{"QoS 3 DUP RETAIN", V5, pkt(byte(PUBLISH)<<4|0b1111, str("t"), 0, 1, 0)},
	)
	if _, err := (&Publish{Version: V5, QoS: 3, Topic: "t", PacketID: 1}).AppendTo(nil); err != ErrQoS3 {
		t.Errorf("AppendTo QoS 3: %v", err)
	}
}

// TestMQTT_3_3_1_2_DupQoS0: the DUP flag is 0 on every QoS 0 message.
func TestMQTT_3_3_1_2_DupQoS0(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrDupQoS0, MalformedPacket, "MQTT-3.3.1-2",
		bad{"DUP QoS 0", V311, pkt(byte(PUBLISH)<<4|0b1000, str("t"))},
		bad{"DUP QoS 0 RETAIN", V5, pkt(byte(PUBLISH)<<4|0b1001, str("t"), 0)},
	)
	if _, err := (&Publish{Version: V311, Dup: true, Topic: "t"}).AppendTo(nil); err != ErrDupQoS0 {
		t.Errorf("AppendTo DUP at QoS 0: %v", err)
	}
}

// TestMQTT_3_3_2_2_TopicWildcard: a topic name has no wildcard characters
// (also 3.1.1 MQTT-4.7.1-1, 5.0 MQTT-4.7.0-1); a server answers 0x90.
func TestMQTT_3_3_2_2_TopicWildcard(t *testing.T) {
	t.Parallel()
	var cases []bad
	for _, topic := range []string{"a/+", "a/#", "#", "+", "sport/tennis#", "+/x", "a+b"} {
		cases = append(cases,
			bad{topic, V311, pkt(byte(PUBLISH)<<4, str(topic), "p")},
			bad{topic, V5, pkt(byte(PUBLISH)<<4|0b0010, str(topic), 0, 1, 0, "p")},
		)
	}
	checkRule(t, ErrTopicWildcard, TopicNameInvalid, "MQTT-3.3.2-2", cases...)
	if _, err := (&Publish{Version: V311, Topic: "a/#"}).AppendTo(nil); err != ErrTopicWildcard {
		t.Errorf("AppendTo a topic with a wildcard: %v", err)
	}
}

// TestMQTT_4_7_3_1_TopicEmpty: a topic name is at least one character
// long; in 5.0 it may be empty only when a Topic Alias stands for it
// (§3.3.2.3.4), else it is a Protocol Error.
func TestMQTT_4_7_3_1_TopicEmpty(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrTopicEmpty, ProtocolError, "MQTT-4.7.3-1",
		bad{"empty topic", V311, pkt(byte(PUBLISH)<<4, str(""), "p")},
		bad{"empty topic, no properties", V5, pkt(byte(PUBLISH)<<4, str(""), 0, "p")},
		bad{"empty topic, properties without an alias", V5, pkt(byte(PUBLISH)<<4|0b0010, str(""), 0, 5, 2, 0x01, 1, "p")},
	)
	for _, p := range []*Publish{{Version: V311}, {Version: V5}, {Version: V311, Props: Properties{TopicAlias: Some(uint16(1))}}} {
		if _, err := p.AppendTo(nil); err != ErrTopicEmpty {
			t.Errorf("AppendTo %s: %v, want ErrTopicEmpty", dump(p), err)
		}
	}
}

// TestMQTT_3_3_2_8_TopicAliasZero: a Topic Alias of 0 is not permitted;
// the receiver answers 0x94 Topic Alias invalid.
func TestMQTT_3_3_2_8_TopicAliasZero(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrTopicAliasZero, TopicAliasInvalid, "MQTT-3.3.2-8 (5.0)",
		bad{"alias 0 with a topic", V5, pkt(byte(PUBLISH)<<4, str("t"), 3, 0x23, 0, 0, "p")},
		bad{"alias 0 without a topic", V5, pkt(byte(PUBLISH)<<4, str(""), 3, 0x23, 0, 0, "p")},
	)
	p := &Publish{Version: V5, Topic: "t", Props: Properties{TopicAlias: Some(uint16(0))}}
	if _, err := p.AppendTo(nil); err != ErrTopicAliasZero {
		t.Errorf("AppendTo alias 0: %v", err)
	}
}

// TestMQTT_3_3_2_14_ResponseTopic: the Response Topic has no wildcards and,
// being a topic name, is not empty.
func TestMQTT_3_3_2_14_ResponseTopic(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrResponseTopic, ProtocolError, "MQTT-3.3.2-14 (5.0)",
		bad{"r/+ in PUBLISH", V5, pkt(byte(PUBLISH)<<4, str("t"), 6, 0x08, str("r/+"), "p")},
		bad{"# in PUBLISH", V5, pkt(byte(PUBLISH)<<4, str("t"), 4, 0x08, str("#"), "p")},
		bad{"empty in PUBLISH", V5, pkt(byte(PUBLISH)<<4, str("t"), 3, 0x08, str(""), "p")},
		bad{"r/# in a will", V5, connect(V5, 0x06, str("c"), 6, 0x08, str("r/#"), str("w"), str("m"))},
	)
	p := &Publish{Version: V5, Topic: "t", Props: Properties{ResponseTopic: Some("a/+")}}
	if _, err := p.AppendTo(nil); err != ErrResponseTopic {
		t.Errorf("AppendTo a response topic with a wildcard: %v", err)
	}
}

// TestPayloadFormatInvalid: a receiver may check that a payload announced
// as UTF-8 (Payload Format Indicator 1) is UTF-8, and answer 0x99
// (§3.3.2.3.2). Decoding alone does not check it.
func TestPayloadFormatInvalid(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		raw  []byte
		err  error
	}{
		{"indicator 1, payload not UTF-8", pkt(byte(PUBLISH)<<4, str("t"), 2, 0x01, 1, 0xC0, 0xAF), ErrPayloadFormatBad},
		{"indicator 1, UTF-8 payload", pkt(byte(PUBLISH)<<4, str("t"), 2, 0x01, 1, "é"), nil},
		{"indicator 0, payload not UTF-8", pkt(byte(PUBLISH)<<4, str("t"), 2, 0x01, 0, 0xFF), nil},
		{"no indicator, payload not UTF-8", pkt(byte(PUBLISH)<<4, str("t"), 0, 0xFF), nil},
	} {
		p, err := decodeRaw(c.raw, V5)
		if err != nil {
			t.Fatalf("%s: decode: %v", c.name, err)
		}
		err = CheckPayloadFormat(p.(*Publish))
		if err != c.err {
			t.Errorf("%s: CheckPayloadFormat: %v, want %v", c.name, err, c.err)
		}
		if c.err != nil && ReasonCodeOf(err) != PayloadFormatInvalid {
			t.Errorf("%s: reason code %v", c.name, ReasonCodeOf(err))
		}
	}
}

// TestReasonCodeNotAllowed: each 5.0 packet with a reason code carries one
// of its own (MQTT-3.2.2-8 for CONNACK is in the CONNECT tests).
func TestReasonCodeNotAllowed(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rule string
		bad
	}{
		{"MQTT-3.4.2-1 (5.0)", bad{"PUBACK 0x04", V5, cat(byte(PUBACK)<<4, 3, 0, 1, 0x04)}},
		{"MQTT-3.4.2-1 (5.0)", bad{"PUBACK 0x92", V5, cat(byte(PUBACK)<<4, 4, 0, 1, 0x92, 0)}},
		{"MQTT-3.5.2-1 (5.0)", bad{"PUBREC 0x02", V5, cat(byte(PUBREC)<<4, 3, 0, 1, 0x02)}},
		{"MQTT-3.6.2-1 (5.0)", bad{"PUBREL 0x10", V5, cat(byte(PUBREL)<<4|2, 3, 0, 1, 0x10)}},
		{"MQTT-3.7.2-1 (5.0)", bad{"PUBCOMP 0x80", V5, cat(byte(PUBCOMP)<<4, 3, 0, 1, 0x80)}},
		{"MQTT-3.9.3-2 (5.0)", bad{"SUBACK 0x11", V5, cat(byte(SUBACK)<<4, 5, 0, 1, 0, 0x01, 0x11)}},
		{"MQTT-3.11.3-2 (5.0)", bad{"UNSUBACK 0x01", V5, cat(byte(UNSUBACK)<<4, 4, 0, 1, 0, 0x01)}},
		{"MQTT-3.14.2-1 (5.0)", bad{"DISCONNECT 0x18", V5, cat(byte(DISCONNECT)<<4, 1, 0x18)}},
		{"MQTT-3.14.2-1 (5.0)", bad{"DISCONNECT 0x84", V5, cat(byte(DISCONNECT)<<4, 2, 0x84, 0)}},
		{"MQTT-3.15.2-1 (5.0)", bad{"AUTH 0x87", V5, pkt(byte(AUTH)<<4, 0x87, 3, 0x15, str(""))}},
	} {
		t.Run(c.rule, func(t *testing.T) { checkRule(t, ErrBadReasonCode, ProtocolError, c.rule, c.bad) })
	}
	for _, p := range []Packet{&Puback{Version: V5, PacketID: 1, ReasonCode: 0x92}, &Pubrel{Version: V5, PacketID: 1, ReasonCode: 0x10},
		&Suback{Version: V5, PacketID: 1, ReasonCodes: []ReasonCode{0x11}}, &Unsuback{Version: V5, PacketID: 1, ReasonCodes: []ReasonCode{0x02}},
		&Disconnect{Version: V5, ReasonCode: 0x18}, &Auth{ReasonCode: 0x87, Props: Properties{AuthMethod: Some("m")}}} {
		if _, err := p.AppendTo(nil); !errors.Is(err, ErrBadReasonCode) || RuleOf(err) == "" {
			t.Errorf("AppendTo %s: %v (rule %q)", dump(p), err, RuleOf(err))
		}
	}
}

// TestReasonCodeTable: ReasonCodesOf follows the table of 5.0 §2.4, which
// lists, for every code, the packets that may carry it.
func TestReasonCodeTable(t *testing.T) {
	t.Parallel()
	const (
		CA = 1 << CONNACK
		PA = 1 << PUBACK
		PR = 1 << PUBREC
		PL = 1 << PUBREL
		PC = 1 << PUBCOMP
		SA = 1 << SUBACK
		UA = 1 << UNSUBACK
		DI = 1 << DISCONNECT
		AU = 1 << AUTH
	)
	table := map[ReasonCode]int{ // §2.4, Table 2-6
		0x00: CA | PA | PR | PL | PC | SA | UA | DI | AU, 0x01: SA, 0x02: SA, 0x04: DI,
		0x10: PA | PR, 0x11: UA, 0x18: AU, 0x19: AU,
		0x80: CA | PA | PR | SA | UA | DI, 0x81: CA | DI, 0x82: CA | DI, 0x83: CA | PA | PR | SA | UA | DI,
		0x84: CA, 0x85: CA, 0x86: CA, 0x87: CA | PA | PR | SA | UA | DI, 0x88: CA, 0x89: CA | DI, 0x8A: CA,
		0x8B: DI, 0x8C: CA | DI, 0x8D: DI, 0x8E: DI, 0x8F: SA | UA | DI, 0x90: CA | PA | PR | DI,
		0x91: PA | PR | SA | UA, 0x92: PL | PC, 0x93: DI, 0x94: DI, 0x95: CA | DI, 0x96: DI,
		0x97: CA | PA | PR | SA | DI, 0x98: DI, 0x99: CA | PA | PR | DI, 0x9A: CA | DI, 0x9B: CA | DI,
		0x9C: CA | DI, 0x9D: CA | DI, 0x9E: SA | DI, 0x9F: CA | DI, 0xA0: DI, 0xA1: SA | DI, 0xA2: SA | DI,
	}
	for c := 0; c < 256; c++ {
		rc := ReasonCode(c)
		_, known := table[rc]
		if rc.Known() != known {
			t.Errorf("0x%02x: Known() = %v", c, rc.Known())
		}
		for typ := Type(0); typ < 16; typ++ {
			want := table[rc]&(1<<typ) != 0
			if rc.AllowedIn(typ) != want {
				t.Errorf("0x%02x %v in %v: AllowedIn = %v, want %v", c, rc, typ, !want, want)
			}
		}
		if rc.IsError() != (c >= 0x80) {
			t.Errorf("0x%02x: IsError() = %v", c, rc.IsError())
		}
	}
	for typ := Type(0); typ < 16; typ++ {
		codes := ReasonCodesOf(typ)
		for i := 1; i < len(codes); i++ {
			if codes[i] <= codes[i-1] {
				t.Errorf("ReasonCodesOf(%v) = %v, not in ascending order", typ, codes)
			}
		}
	}
	if got := ReasonCodesOf(PUBREL); len(got) != 2 || got[0] != Success || got[1] != PacketIdentifierNotFound {
		t.Errorf("ReasonCodesOf(PUBREL) = %v", got)
	}
	if ReasonCodesOf(PINGREQ) != nil || ReasonCodesOf(200) != nil {
		t.Errorf("ReasonCodesOf a type without codes is not nil")
	}
	for _, c := range []struct {
		rc   ReasonCode
		typ  Type
		name string
	}{{0, DISCONNECT, "Normal disconnection"}, {0, SUBACK, "Granted QoS 0"}, {0, PUBACK, "Success"},
		{0x95, DISCONNECT, "Packet too large"}, {0x03, PUBACK, "Unknown reason code 0x03"}} {
		if got := c.rc.NameIn(c.typ); got != c.name {
			t.Errorf("0x%02x in %v: %q, want %q", byte(c.rc), c.typ, got, c.name)
		}
	}
}

// TestAuthWithoutMethod: an AUTH packet carries an Authentication Method
// unless its Remaining Length is 0 (§3.15.2.1, §3.15.2.2.2).
func TestAuthWithoutMethod(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrPropertyValue, ProtocolError, "",
		bad{"reason code only", V5, cat(byte(AUTH)<<4, 1, 0x18)},
		bad{"success, no properties", V5, cat(byte(AUTH)<<4, 2, 0x00, 0)},
		bad{"reason string, no method", V5, pkt(byte(AUTH)<<4, 0x18, 5, 0x1F, str("hi"))},
	)
	for _, p := range []*Auth{{ReasonCode: ContinueAuthentication}, {Props: Properties{ReasonString: Some("x")}}} {
		if _, err := p.AppendTo(nil); !errors.Is(err, ErrPropertyValue) {
			t.Errorf("AppendTo %s: %v", dump(p), err)
		}
	}
}
