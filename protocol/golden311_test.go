package protocol

import "strings"

// golden is one packet worked out by hand from the specification: its
// bytes, annotated byte by byte, and the packet they decode to.
type golden struct {
	name string
	v    Version // the connection's version (a CONNECT carries its own)
	raw  []byte
	want Packet
}

// golden311 are packets of MQTT 3.1 (protocol level 3, "MQIsdp") and 3.1.1
// (level 4), from the layouts of chapters 2 and 3 of the 3.1.1
// specification (3.1 CONNECT and CONNACK differ only where noted).
var golden311 = []golden{
	{
		name: "3.1 CONNECT with will, user name and password",
		v:    V31,
		raw: cat(
			byte(CONNECT)<<4, 29, // fixed header: CONNECT, flags 0000; remaining length 29
			0, 6, "MQIsdp", // protocol name, 3.1's own
			3,     // protocol level 3 = MQTT 3.1
			0xD6,  // connect flags 1101 0110: user name, password, will QoS 2, will, clean session
			0, 30, // keep alive 30 s
			0, 3, "c31", // client identifier
			0, 1, "t", // will topic
			0, 1, "x", // will message
			0, 1, "u", // user name
			0, 1, "p", // password
		),
		want: &Connect{Version: V31, CleanStart: true, KeepAlive: 30, ClientID: "c31",
			Will:     &WillMessage{Topic: "t", Payload: []byte("x"), QoS: QoS2},
			Username: Some("u"), Password: Some([]byte("p"))},
	},
	{
		name: "3.1 CONNACK accepted",
		v:    V31,
		raw: cat(
			byte(CONNACK)<<4, 2, // fixed header: CONNACK; remaining length 2
			0, // 3.1: reserved, not used (no session present flag)
			0, // return code 0: connection accepted
		),
		want: &Connack{Version: V31, ReasonCode: Success},
	},
	{
		name: "3.1 CONNACK identifier rejected",
		v:    V31,
		raw: cat(
			byte(CONNACK)<<4, 2, // fixed header
			0, // reserved
			2, // return code 2: identifier rejected
		),
		want: &Connack{Version: V31, ReasonCode: ClientIdentifierNotValid},
	},
	{
		name: "CONNECT with will, user name and password",
		v:    V311,
		raw: cat(
			byte(CONNECT)<<4, 36, // fixed header: CONNECT, flags 0000; remaining length 36
			0, 4, "MQTT", // protocol name
			4,     // protocol level 4 = MQTT 3.1.1
			0xEE,  // connect flags 1110 1110: user name, password, will retain, will QoS 1, will, clean session
			0, 60, // keep alive 60 s
			0, 4, "dev1", // client identifier
			0, 3, "w/1", // will topic
			0, 3, "bye", // will message
			0, 4, "user", // user name
			0, 2, "pw", // password
		),
		want: &Connect{Version: V311, CleanStart: true, KeepAlive: 60, ClientID: "dev1",
			Will:     &WillMessage{Topic: "w/1", Payload: []byte("bye"), QoS: QoS1, Retain: true},
			Username: Some("user"), Password: Some([]byte("pw"))},
	},
	{
		name: "CONNECT minimal: empty client identifier",
		v:    V311,
		raw: cat(
			byte(CONNECT)<<4, 12, // fixed header; remaining length 12
			0, 4, "MQTT", // protocol name
			4,    // protocol level 4
			0x02, // connect flags: clean session only
			0, 0, // keep alive 0: off
			0, 0, // client identifier "": the server assigns one
		),
		want: &Connect{Version: V311, CleanStart: true},
	},
	{
		name: "CONNACK session present",
		v:    V311,
		raw: cat(
			byte(CONNACK)<<4, 2, // fixed header; remaining length 2
			0x01, // connect acknowledge flags: session present
			0x00, // return code 0: connection accepted
		),
		want: &Connack{Version: V311, SessionPresent: true, ReasonCode: Success},
	},
	{
		name: "CONNACK refused: unacceptable protocol version",
		v:    V311,
		raw: cat(
			byte(CONNACK)<<4, 2, // fixed header
			0x00, // no session present (required on a refusal)
			0x01, // return code 1: unacceptable protocol version
		),
		want: &Connack{Version: V311, ReasonCode: UnsupportedProtocolVersion},
	},
	{
		name: "CONNACK refused: bad user name or password",
		v:    V311,
		raw:  cat(byte(CONNACK)<<4, 2, 0, 4), // fixed header; flags 0; return code 4
		want: &Connack{Version: V311, ReasonCode: BadUserNameOrPassword},
	},
	{
		name: "PUBLISH QoS 0",
		v:    V311,
		raw: cat(
			byte(PUBLISH)<<4, 7, // fixed header: PUBLISH, DUP 0, QoS 0, RETAIN 0; remaining length 7
			0, 3, "a/b", // topic name (no packet identifier at QoS 0)
			"hi", // payload: the rest of the packet
		),
		want: &Publish{Version: V311, Topic: "a/b", Payload: []byte("hi")},
	},
	{
		name: "PUBLISH QoS 1 DUP RETAIN",
		v:    V311,
		raw: cat(
			byte(PUBLISH)<<4|0b1011, 9, // fixed header: DUP 1, QoS 01, RETAIN 1; remaining length 9
			0, 3, "s/t", // topic name
			0, 10, // packet identifier 10
			"{}", // payload
		),
		want: &Publish{Version: V311, Dup: true, QoS: QoS1, Retain: true, Topic: "s/t", PacketID: 10, Payload: []byte("{}")},
	},
	{
		name: "PUBLISH QoS 2 RETAIN empty payload (clears the retained message)",
		v:    V311,
		raw: cat(
			byte(PUBLISH)<<4|0b0101, 5, // fixed header: DUP 0, QoS 10, RETAIN 1; remaining length 5
			0, 1, "x", // topic name
			0xAB, 0xCD, // packet identifier 43981
			// no payload
		),
		want: &Publish{Version: V311, QoS: QoS2, Retain: true, Topic: "x", PacketID: 0xABCD},
	},
	{
		name: "PUBLISH with a two-byte remaining length",
		v:    V311,
		raw: cat(
			byte(PUBLISH)<<4, 0xCD, 0x01, // fixed header; remaining length 205 = 0x4D + 1×128
			0, 3, "a/b", // topic name
			strings.Repeat("x", 200), // payload, 200 bytes
		),
		want: &Publish{Version: V311, Topic: "a/b", Payload: []byte(strings.Repeat("x", 200))},
	},
	{
		name: "PUBLISH with a three-byte remaining length",
		v:    V311,
		raw: cat(
			byte(PUBLISH)<<4, 0x80, 0x80, 0x01, // fixed header; remaining length 16,384 = 0 + 0×128 + 1×128²
			0, 1, "t", // topic name
			strings.Repeat("z", 16381), // payload, 16,381 bytes
		),
		want: &Publish{Version: V311, Topic: "t", Payload: []byte(strings.Repeat("z", 16381))},
	},
	{
		name: "PUBACK",
		v:    V311,
		raw:  cat(byte(PUBACK)<<4, 2, 0, 10), // fixed header; packet identifier 10
		want: &Puback{Version: V311, PacketID: 10},
	},
	{
		name: "PUBREC",
		v:    V311,
		raw:  cat(byte(PUBREC)<<4, 2, 0x12, 0x34), // fixed header; packet identifier 4660
		want: &Pubrec{Version: V311, PacketID: 0x1234},
	},
	{
		name: "PUBREL",
		v:    V311,
		raw:  cat(byte(PUBREL)<<4|0b0010, 2, 0x12, 0x34), // fixed header, flags 0010 as required; packet identifier 4660
		want: &Pubrel{Version: V311, PacketID: 0x1234},
	},
	{
		name: "PUBCOMP",
		v:    V311,
		raw:  cat(byte(PUBCOMP)<<4, 2, 0x12, 0x34), // fixed header; packet identifier 4660
		want: &Pubcomp{Version: V311, PacketID: 0x1234},
	},
	{
		name: "SUBSCRIBE three filters",
		v:    V311,
		raw: cat(
			byte(SUBSCRIBE)<<4|0b0010, 18, // fixed header, flags 0010 as required; remaining length 18
			0, 1, // packet identifier 1
			0, 3, "a/+", 1, // topic filter, requested QoS 1
			0, 1, "#", 0, // topic filter, requested QoS 0
			0, 3, "s/#", 2, // topic filter, requested QoS 2
		),
		want: &Subscribe{Version: V311, PacketID: 1, Subscriptions: []Subscription{
			{Filter: "a/+", QoS: QoS1}, {Filter: "#", QoS: QoS0}, {Filter: "s/#", QoS: QoS2}}},
	},
	{
		name: "SUBACK granted and failed",
		v:    V311,
		raw: cat(
			byte(SUBACK)<<4, 6, // fixed header; remaining length 6
			0, 1, // packet identifier 1
			0x01, 0x00, 0x02, 0x80, // return codes: QoS 1, QoS 0, QoS 2, failure
		),
		want: &Suback{Version: V311, PacketID: 1, ReasonCodes: []ReasonCode{GrantedQoS1, GrantedQoS0, GrantedQoS2, UnspecifiedError}},
	},
	{
		name: "UNSUBSCRIBE two filters",
		v:    V311,
		raw: cat(
			byte(UNSUBSCRIBE)<<4|0b0010, 12, // fixed header, flags 0010 as required; remaining length 12
			0, 2, // packet identifier 2
			0, 3, "a/+", // topic filter
			0, 3, "s/#", // topic filter
		),
		want: &Unsubscribe{Version: V311, PacketID: 2, Filters: []string{"a/+", "s/#"}},
	},
	{
		name: "UNSUBACK",
		v:    V311,
		raw:  cat(byte(UNSUBACK)<<4, 2, 0, 2), // fixed header; packet identifier 2 (no payload in 3.1.1)
		want: &Unsuback{Version: V311, PacketID: 2},
	},
	{
		name: "PINGREQ",
		v:    V311,
		raw:  cat(byte(PINGREQ)<<4, 0), // fixed header only
		want: &Pingreq{},
	},
	{
		name: "PINGRESP",
		v:    V311,
		raw:  cat(byte(PINGRESP)<<4, 0), // fixed header only
		want: &Pingresp{},
	},
	{
		name: "DISCONNECT",
		v:    V311,
		raw:  cat(byte(DISCONNECT)<<4, 0), // fixed header only
		want: &Disconnect{Version: V311},
	},
}
