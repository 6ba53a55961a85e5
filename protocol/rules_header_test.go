package protocol

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// Negative vectors for the rules of the fixed header and of the data
// types (chapters 1 and 2 of both specifications): each packet breaks
// exactly the rule its test is named after.

// reservedFlagCases are the golden packets of type t with every other
// value of the flag nibble.
func reservedFlagCases(t *testing.T, typ Type) []bad {
	t.Helper()
	var out []bad
	for _, g := range allGolden() {
		if g.want.Type() != typ || g.v == V31 {
			continue
		}
		for flags := byte(0); flags < 16; flags++ {
			if flags == requiredFlags[typ] {
				continue
			}
			raw := append([]byte(nil), g.raw...)
			raw[0] = byte(typ)<<4 | flags
			out = append(out, bad{typ.String() + " flags " + bits4(flags), g.v, raw})
		}
		if len(out) >= 2*15 { // one packet per version is enough
			break
		}
	}
	if len(out) == 0 {
		t.Fatalf("no golden %v", typ)
	}
	return out
}

// TestMQTT_2_2_2_1_ReservedFlags: flag bits marked reserved must have the
// listed values, else the packet is malformed (3.1.1 MQTT-2.2.2-1 and -2,
// 5.0 MQTT-2.1.3-1). PUBLISH is the one type whose flags carry meaning.
func TestMQTT_2_2_2_1_ReservedFlags(t *testing.T) {
	t.Parallel()
	for _, typ := range []Type{CONNECT, CONNACK, PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK, PINGREQ, PINGRESP} {
		checkRule(t, ErrReservedFlags, MalformedPacket, "MQTT-2.2.2-1/MQTT-2.1.3-1", reservedFlagCases(t, typ)...)
	}
}

// TestMQTT_3_6_1_1_PubrelFlags: PUBREL's flags must be 0010.
func TestMQTT_3_6_1_1_PubrelFlags(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrReservedFlags, MalformedPacket, "", reservedFlagCases(t, PUBREL)...)
}

// TestMQTT_3_8_1_1_SubscribeFlags: SUBSCRIBE's flags must be 0010.
func TestMQTT_3_8_1_1_SubscribeFlags(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrReservedFlags, MalformedPacket, "", reservedFlagCases(t, SUBSCRIBE)...)
}

// TestMQTT_3_10_1_1_UnsubscribeFlags: UNSUBSCRIBE's flags must be 0010.
func TestMQTT_3_10_1_1_UnsubscribeFlags(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrReservedFlags, MalformedPacket, "", reservedFlagCases(t, UNSUBSCRIBE)...)
}

// TestMQTT_3_14_1_1_DisconnectFlags: DISCONNECT's flags must be 0000.
func TestMQTT_3_14_1_1_DisconnectFlags(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrReservedFlags, MalformedPacket, "", reservedFlagCases(t, DISCONNECT)...)
}

// TestMQTT_3_15_1_1_AuthFlags: AUTH's flags must be 0000 (5.0).
func TestMQTT_3_15_1_1_AuthFlags(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrReservedFlags, MalformedPacket, "", reservedFlagCases(t, AUTH)...)
}

// TestReservedPacketType: type 0 is reserved in both versions, and type 15
// (AUTH) in 3.1.1 (§2.2.1 of 3.1.1, §2.1.2 of 5.0).
func TestReservedPacketType(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrReservedType, MalformedPacket, "",
		bad{"type 0", V311, cat(0x00, 0)},
		bad{"type 0", V5, cat(0x00, 0)},
		bad{"type 0 with a body", V5, cat(0x00, 2, 0, 1)},
		bad{"AUTH", V311, cat(0xF0, 0)},
		bad{"AUTH", V31, cat(0xF0, 0)},
	)
}

// TestVarintMoreThan4Bytes: a variable byte integer has at most four
// bytes (§2.2.3 of 3.1.1, §1.5.5 of 5.0).
func TestVarintMoreThan4Bytes(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrVarintTooLong, MalformedPacket, "",
		bad{"remaining length", V311, cat(byte(PUBLISH)<<4, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F)},
		bad{"remaining length, fifth byte absent", V5, cat(byte(PINGREQ)<<4, 0x80, 0x80, 0x80, 0x80)},
		bad{"property length", V5, cat(byte(PUBLISH)<<4, 8, 0, 1, "t", 0xFF, 0xFF, 0xFF, 0xFF, 0x7F)},
		bad{"subscription identifier", V5, pkt(byte(SUBSCRIBE)<<4|2, 0, 1, 6, 0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, str("a"), 0)},
	)
	if _, _, err := ParseVarint([]byte{0x80, 0x80, 0x80, 0x80, 0x01}); err != ErrVarintTooLong {
		t.Errorf("ParseVarint of 5 bytes: %v", err)
	}
}

// TestMQTT_1_5_5_1_VarintMinimal: a variable byte integer uses the fewest
// bytes that hold its value (5.0); 0x80 0x00 is 0 in two bytes.
func TestMQTT_1_5_5_1_VarintMinimal(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrVarintNotMinimal, MalformedPacket, "MQTT-1.5.5-1 (5.0)",
		bad{"remaining length 0 in two bytes", V311, cat(byte(PINGREQ)<<4, 0x80, 0x00)},
		bad{"remaining length 2 in three bytes", V5, cat(byte(PUBACK)<<4, 0x82, 0x80, 0x00, 0, 1)},
		bad{"property length", V5, cat(byte(PUBLISH)<<4, 5, 0, 1, "t", 0x80, 0x00)},
		bad{"property identifier 1 in two bytes", V5, cat(byte(PUBLISH)<<4, 7, 0, 1, "t", 3, 0x81, 0x00, 1)},
		bad{"subscription identifier 5 in two bytes", V5, pkt(byte(SUBSCRIBE)<<4|2, 0, 1, 3, 0x0B, 0x85, 0x00, str("a"), 0)},
	)
	for _, c := range []struct {
		b []byte
		x uint32
	}{{[]byte{0}, 0}, {[]byte{0x7F}, 127}, {[]byte{0x80, 0x01}, 128}, {[]byte{0xFF, 0x7F}, 16383},
		{[]byte{0x80, 0x80, 0x01}, 16384}, {[]byte{0xFF, 0xFF, 0xFF, 0x7F}, MaxVarint}} {
		x, n, err := ParseVarint(c.b)
		if err != nil || n != len(c.b) || x != c.x {
			t.Errorf("ParseVarint(% x) = %d, %d, %v; want %d", c.b, x, n, err, c.x)
		}
		if got := AppendVarint(nil, c.x); !bytes.Equal(got, c.b) || VarintLen(c.x) != len(c.b) {
			t.Errorf("AppendVarint(%d) = % x (VarintLen %d), want % x", c.x, got, VarintLen(c.x), c.b)
		}
	}
	if _, n, err := ParseVarint([]byte{0x80, 0x80}); n != 0 || err != nil {
		t.Errorf("ParseVarint of an unfinished integer: n %d, %v; want 0, nil", n, err)
	}
}

// TestTruncated: a packet shorter than its own fields is malformed.
func TestTruncated(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrTruncated, MalformedPacket, "",
		bad{"topic longer than the packet", V311, cat(byte(PUBLISH)<<4, 5, 0, 5, "abc")},
		bad{"PUBACK without a whole identifier", V311, cat(byte(PUBACK)<<4, 1, 0)},
		bad{"CONNECT ends after the protocol level", V311, pkt(byte(CONNECT)<<4, str("MQTT"), 4)},
		bad{"SUBSCRIBE filter without options", V311, pkt(byte(SUBSCRIBE)<<4|2, 0, 1, str("a"))},
		bad{"property length beyond the packet", V5, pkt(byte(PUBLISH)<<4, str("t"), 10, 0x01, 1)},
		bad{"property value cut by its length", V5, pkt(byte(PUBLISH)<<4, str("t"), 2, 0x02, 0)},
		bad{"CONNACK without property length", V5, cat(byte(CONNACK)<<4, 2, 0, 0)},
		bad{"user property without its value", V5, pkt(byte(PUBLISH)<<4, str("t"), 4, 0x26, str("k"))},
	)
}

// TestTrailingBytes: bytes after the packet's last field are malformed.
func TestTrailingBytes(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrTrailingBytes, MalformedPacket, "",
		bad{"PINGREQ with a body", V311, cat(byte(PINGREQ)<<4, 1, 0)},
		bad{"PINGRESP with a body", V5, cat(byte(PINGRESP)<<4, 1, 0)},
		bad{"PUBACK with a reason code", V311, cat(byte(PUBACK)<<4, 3, 0, 1, 0)},
		bad{"UNSUBACK with a payload", V311, cat(byte(UNSUBACK)<<4, 3, 0, 1, 0)},
		bad{"DISCONNECT with a reason code", V311, cat(byte(DISCONNECT)<<4, 1, 0)},
		bad{"CONNACK with properties", V311, cat(byte(CONNACK)<<4, 3, 0, 0, 0)},
		bad{"PUBACK with a byte after its properties", V5, cat(byte(PUBACK)<<4, 5, 0, 1, 0, 0, 9)},
	)
}

// utf8Cases puts each ill-formed string into every kind of field that
// holds a UTF-8 string.
func utf8Cases(bads map[string]string) []bad {
	var out []bad
	for name, s := range bads {
		out = append(out,
			bad{name + " in a topic name", V311, pkt(byte(PUBLISH)<<4, str(s), "payload")},
			bad{name + " in a topic name", V5, pkt(byte(PUBLISH)<<4, str(s), 0, "payload")},
			bad{name + " in a client identifier", V311, pkt(byte(CONNECT)<<4, str("MQTT"), 4, 0x02, 0, 0, str(s))},
			bad{name + " in a will topic", V311, pkt(byte(CONNECT)<<4, str("MQTT"), 4, 0x06, 0, 0, str("c"), str(s), str("m"))},
			bad{name + " in a user name", V311, pkt(byte(CONNECT)<<4, str("MQTT"), 4, 0x82, 0, 0, str("c"), str(s))},
			bad{name + " in a topic filter", V311, pkt(byte(SUBSCRIBE)<<4|2, 0, 1, str(s), 0)},
			bad{name + " in an unsubscribed filter", V5, pkt(byte(UNSUBSCRIBE)<<4|2, 0, 1, 0, str(s))},
			bad{name + " in a user property name", V5, pkt(byte(PUBACK)<<4, 0, 1, 0, 6+len(s), 0x26, str(s), str("v"))},
			bad{name + " in a user property value", V5, pkt(byte(PUBACK)<<4, 0, 1, 0, 6+len(s), 0x26, str("k"), str(s))},
			bad{name + " in a reason string", V5, pkt(byte(DISCONNECT)<<4, 0x80, 3+len(s), 0x1F, str(s))},
			bad{name + " in a content type", V5, pkt(byte(PUBLISH)<<4, str("t"), 3+len(s), 0x03, str(s))},
			bad{name + " in an authentication method", V5, pkt(byte(AUTH)<<4, 0x18, 3+len(s), 0x15, str(s))},
		)
	}
	return out
}

// TestMQTT_1_5_3_1_InvalidUTF8: strings must be well-formed UTF-8, without
// the surrogates U+D800..U+DFFF and without overlong forms (3.1.1
// MQTT-1.5.3-1, 5.0 MQTT-1.5.4-1).
func TestMQTT_1_5_3_1_InvalidUTF8(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrInvalidUTF8, MalformedPacket, "MQTT-1.5.3-1/MQTT-1.5.4-1", utf8Cases(map[string]string{
		"byte FF":                  "a\xffb",
		"lone continuation byte":   "\x80",
		"surrogate U+D800":         "\xed\xa0\x80",
		"surrogate U+DFFF":         "x/\xed\xbf\xbf",
		"overlong '/' in 2 bytes":  "\xc0\xaf",
		"overlong NUL in 2 bytes":  "\xc0\x80",
		"overlong in 3 bytes":      "\xe0\x80\xaf",
		"overlong in 4 bytes":      "\xf0\x80\x80\xaf",
		"beyond U+10FFFF":          "\xf4\x90\x80\x80",
		"sequence cut short":       "\xe2\x82",
		"valid, then a bad byte":   "é\xfe",
		"5-byte form (old UTF-8)":  "\xf8\x88\x80\x80\x80",
		"surrogate pair as CESU-8": "\xed\xa0\xbd\xed\xb8\x80",
	})...)
}

// TestMQTT_1_5_3_2_NullCharacter: strings must not hold U+0000 (3.1.1
// MQTT-1.5.3-2, 5.0 MQTT-1.5.4-2; for topics also MQTT-4.7.3-2).
func TestMQTT_1_5_3_2_NullCharacter(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrNullCharacter, MalformedPacket, "MQTT-1.5.3-2/MQTT-1.5.4-2", utf8Cases(map[string]string{
		"U+0000 alone":               "\x00",
		"U+0000 inside":              "a\x00b",
		"U+0000 after a multibyte":   "é\x00",
		"U+0000 at the end of ASCII": "ab\x00",
	})...)
}

// TestMQTT_1_5_3_3_BOMKept: 0xEF 0xBB 0xBF is U+FEFF wherever it appears
// and must not be skipped or stripped.
func TestMQTT_1_5_3_3_BOMKept(t *testing.T) {
	t.Parallel()
	raw := pkt(byte(PUBLISH)<<4, str("\xef\xbb\xbfa/\xef\xbb\xbf"), "p")
	p, err := decodeRaw(raw, V311)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.(*Publish).Topic; got != "\ufeffa/\ufeff" {
		t.Errorf("topic %q, want the BOMs kept", got)
	}
}

// TestStringTooLong: a string or binary field holds at most 65,535 bytes
// (§1.5.3 of 3.1.1, §1.5.4 of 5.0, MQTT-4.7.3-3 for topics). A decoder
// cannot meet a longer one (the length has two bytes): the encoder refuses
// to write one.
func TestStringTooLong(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", MaxString+1)
	for _, c := range []struct {
		name string
		p    Packet
	}{
		{"topic name", &Publish{Version: V311, Topic: long}},
		{"topic filter", &Subscribe{Version: V311, PacketID: 1, Subscriptions: []Subscription{{Filter: long}}}},
		{"unsubscribed filter", &Unsubscribe{Version: V5, PacketID: 1, Filters: []string{long}}},
		{"client identifier", &Connect{Version: V311, ClientID: long}},
		{"user name", &Connect{Version: V311, Username: Some(long)}},
		{"password", &Connect{Version: V311, Username: Some("u"), Password: Some([]byte(long))}},
		{"will topic", &Connect{Version: V311, Will: &WillMessage{Topic: long}}},
		{"will payload", &Connect{Version: V311, Will: &WillMessage{Topic: "t", Payload: []byte(long)}}},
		{"reason string", &Puback{Version: V5, PacketID: 1, Props: Properties{ReasonString: Some(long)}}},
		{"user property", &Puback{Version: V5, PacketID: 1, Props: Properties{User: []UserProperty{{"k", long}}}}},
		{"correlation data", &Publish{Version: V5, Topic: "t", Props: Properties{CorrelationData: Some([]byte(long))}}},
		{"authentication data", &Auth{ReasonCode: ContinueAuthentication, Props: Properties{AuthMethod: Some("m"), AuthData: Some([]byte(long))}}},
	} {
		out, err := c.p.AppendTo([]byte{1})
		if !errors.Is(err, ErrStringTooLong) {
			t.Errorf("%s: AppendTo: %v, want ErrStringTooLong", c.name, err)
		}
		if !bytes.Equal(out, []byte{1}) {
			t.Errorf("%s: AppendTo changed dst on error: % x", c.name, out[:min(len(out), 8)])
		}
	}
	if err := ValidString(long); err != ErrStringTooLong {
		t.Errorf("ValidString of %d bytes: %v", len(long), err)
	}
	if err := ValidString(long[1:]); err != nil {
		t.Errorf("ValidString of %d bytes: %v", MaxString, err)
	}
}

// TestVersionUnknown: packets other than CONNECT need the connection's
// version, one of 3, 4 or 5.
func TestVersionUnknown(t *testing.T) {
	t.Parallel()
	publish := pkt(byte(PUBLISH)<<4, str("t"), "p")
	checkRule(t, ErrVersionUnknown, ProtocolError, "",
		bad{"PUBLISH", 0, publish},
		bad{"PUBLISH", 6, publish},
		bad{"PINGREQ", 2, cat(byte(PINGREQ)<<4, 0)},
	)
	for _, p := range []Packet{&Publish{Topic: "t"}, &Connect{}, &Connack{Version: 6}, &Puback{PacketID: 1},
		&Subscribe{PacketID: 1, Subscriptions: []Subscription{{Filter: "a"}}}, &Suback{PacketID: 1, ReasonCodes: []ReasonCode{0}},
		&Unsubscribe{PacketID: 1, Filters: []string{"a"}}, &Unsuback{PacketID: 1}, &Disconnect{}} {
		if _, err := p.AppendTo(nil); err != ErrVersionUnknown {
			t.Errorf("%T without a version: AppendTo: %v", p, err)
		}
	}
	// A CONNECT carries its own version: the connection's does not matter.
	if _, err := decodeRaw(golden311[3].raw, 0); err != nil {
		t.Errorf("CONNECT decoded with version 0: %v", err)
	}
}

// TestMQTT_2_3_1_1_PacketIDZero: packets that carry a packet identifier
// carry a non-zero one (3.1.1 MQTT-2.3.1-1, 5.0 MQTT-2.2.1-3), and an
// acknowledgement carries the identifier of the packet it acknowledges.
func TestMQTT_2_3_1_1_PacketIDZero(t *testing.T) {
	t.Parallel()
	var cases []bad
	for _, v := range []Version{V311, V5} {
		var props []any // an empty property block in 5.0
		if v == V5 {
			props = []any{0}
		}
		with := func(parts ...any) []any { return append(append([]any(nil), props...), parts...) }
		cases = append(cases,
			bad{"PUBLISH QoS 1", v, pkt(byte(PUBLISH)<<4|0b0010, append([]any{str("t"), 0, 0}, props...)...)},
			bad{"PUBLISH QoS 2", v, pkt(byte(PUBLISH)<<4|0b0100, append([]any{str("t"), 0, 0}, props...)...)},
			bad{"SUBSCRIBE", v, pkt(byte(SUBSCRIBE)<<4|2, append([]any{0, 0}, with(str("a"), 0)...)...)},
			bad{"UNSUBSCRIBE", v, pkt(byte(UNSUBSCRIBE)<<4|2, append([]any{0, 0}, with(str("a"))...)...)},
			bad{"PUBACK", v, cat(byte(PUBACK)<<4, 2, 0, 0)},
			bad{"PUBREC", v, cat(byte(PUBREC)<<4, 2, 0, 0)},
			bad{"PUBREL", v, cat(byte(PUBREL)<<4|2, 2, 0, 0)},
			bad{"PUBCOMP", v, cat(byte(PUBCOMP)<<4, 2, 0, 0)},
			bad{"SUBACK", v, pkt(byte(SUBACK)<<4, append([]any{0, 0}, with(0)...)...)},
			bad{"UNSUBACK", v, pkt(byte(UNSUBACK)<<4, append([]any{0, 0}, props...)...)},
		)
	}
	cases[len(cases)-1].raw = cat(byte(UNSUBACK)<<4, 4, 0, 0, 0, 0) // 5.0 UNSUBACK: one reason code
	checkRule(t, ErrPacketIDZero, ProtocolError, "MQTT-2.3.1-1/MQTT-2.2.1-3", cases...)

	for _, p := range []Packet{&Publish{Version: V311, QoS: 1, Topic: "t"}, &Puback{Version: V5},
		&Subscribe{Version: V5, Subscriptions: []Subscription{{Filter: "a"}}}, &Unsubscribe{Version: V311, Filters: []string{"a"}},
		&Suback{Version: V311, ReasonCodes: []ReasonCode{0}}, &Unsuback{Version: V5, ReasonCodes: []ReasonCode{0}}} {
		if _, err := p.AppendTo(nil); err != ErrPacketIDZero {
			t.Errorf("%T with identifier 0: AppendTo: %v", p, err)
		}
	}
}

// TestMQTT_2_3_1_5_NoPacketIDAtQoS0: a QoS 0 PUBLISH has no packet
// identifier (3.1.1 MQTT-2.3.1-5, 5.0 MQTT-2.2.1-2): the two bytes after
// the topic are payload.
func TestMQTT_2_3_1_5_NoPacketIDAtQoS0(t *testing.T) {
	t.Parallel()
	p, err := decodeRaw(pkt(byte(PUBLISH)<<4, str("t"), 0, 7), V311)
	if err != nil {
		t.Fatal(err)
	}
	if pub := p.(*Publish); pub.PacketID != 0 || !bytes.Equal(pub.Payload, []byte{0, 7}) {
		t.Errorf("got %s", dump(pub))
	}
	if raw, err := (&Publish{Version: V5, Topic: "t", PacketID: 9}).AppendTo(nil); err != nil || !bytes.Equal(raw, cat(0x30, 4, 0, 1, "t", 0)) {
		t.Errorf("QoS 0 with an identifier set: % x, %v; want the identifier left out", raw, err)
	}
}

// TestSessionLayerErrors: the rules on the order of packets in a
// connection belong to the session, which reports them with the codec's
// errors so that every layer answers with the same reason codes.
func TestSessionLayerErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		code ReasonCode
		rule string
	}{
		{ErrFirstPacketNotConnect, ProtocolError, "MQTT-3.1.0-1"},
		{ErrSecondConnect, ProtocolError, "MQTT-3.1.0-2"},
	} {
		wrapped := errors.Join(io.EOF, c.err)
		if ReasonCodeOf(wrapped) != c.code || RuleOf(wrapped) != c.rule || !errors.Is(wrapped, c.err) {
			t.Errorf("%v: code %v rule %q", c.err, ReasonCodeOf(wrapped), RuleOf(wrapped))
		}
	}
	if ReasonCodeOf(nil) != Success || ReasonCodeOf(io.EOF) != UnspecifiedError || RuleOf(io.EOF) != "" {
		t.Errorf("ReasonCodeOf/RuleOf of errors that are not the codec's")
	}
}
