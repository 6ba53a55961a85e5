package protocol

// golden5 are packets of MQTT 5.0 from the layouts of chapters 2 and 3 of
// its specification. Properties are written in ascending identifier order,
// the order AppendTo uses, so every vector also re-encodes byte for byte;
// together they carry all 27 properties.
var golden5 = []golden{
	{
		name: "CONNECT with properties, will properties, user name and password",
		v:    V5,
		raw: cat(
			byte(CONNECT)<<4, 124, // fixed header: CONNECT, flags 0000; remaining length 124
			0, 4, "MQTT", // protocol name
			5,     // protocol version 5
			0xCE,  // connect flags 1100 1110: user name, password, will QoS 1, will, clean start
			0, 30, // keep alive 30 s
			47,                     // property length
			0x11, 0, 0, 0x0E, 0x10, // session expiry interval 3600 s
			0x15, 0, 11, "SCRAM-SHA-1", // authentication method
			0x16, 0, 3, 1, 2, 3, // authentication data
			0x17, 0, // request problem information 0
			0x19, 1, // request response information 1
			0x21, 0, 20, // receive maximum 20
			0x22, 0, 10, // topic alias maximum 10
			0x26, 0, 1, "k", 0, 1, "v", // user property k=v
			0x27, 0x00, 0x10, 0x00, 0x00, // maximum packet size 1 MiB
			0, 2, "c5", // payload: client identifier
			43,      // will property length
			0x01, 1, // payload format indicator 1: UTF-8
			0x02, 0, 0, 0, 120, // message expiry interval 120 s
			0x03, 0, 10, "text/plain", // content type
			0x08, 0, 3, "r/1", // response topic
			0x09, 0, 2, 0xCA, 0xFE, // correlation data
			0x18, 0, 0, 0, 5, // will delay interval 5 s
			0x26, 0, 1, "a", 0, 1, "b", // user property a=b
			0, 3, "w/5", // will topic
			0, 4, "gone", // will payload
			0, 1, "u", // user name
			0, 2, 0x00, 0xFF, // password: binary data
		),
		want: &Connect{Version: V5, CleanStart: true, KeepAlive: 30, ClientID: "c5",
			Props: Properties{
				SessionExpiry: Some(uint32(3600)), AuthMethod: Some("SCRAM-SHA-1"), AuthData: Some([]byte{1, 2, 3}),
				RequestProblemInfo: Some(byte(0)), RequestResponseInfo: Some(byte(1)), ReceiveMaximum: Some(uint16(20)),
				TopicAliasMaximum: Some(uint16(10)), User: []UserProperty{{"k", "v"}}, MaximumPacketSize: Some(uint32(1 << 20)),
			},
			Will: &WillMessage{Topic: "w/5", Payload: []byte("gone"), QoS: QoS1, Props: Properties{
				PayloadFormat: Some(byte(1)), MessageExpiry: Some(uint32(120)), ContentType: Some("text/plain"),
				ResponseTopic: Some("r/1"), CorrelationData: Some([]byte{0xCA, 0xFE}), WillDelay: Some(uint32(5)),
				User: []UserProperty{{"a", "b"}},
			}},
			Username: Some("u"), Password: Some([]byte{0x00, 0xFF})},
	},
	{
		name: "CONNECT minimal",
		v:    V5,
		raw: cat(
			byte(CONNECT)<<4, 13, // fixed header; remaining length 13
			0, 4, "MQTT", // protocol name
			5,    // protocol version 5
			0x00, // connect flags: nothing, not even clean start
			0, 0, // keep alive off
			0,    // property length 0
			0, 0, // client identifier ""
		),
		want: &Connect{Version: V5},
	},
	{
		name: "CONNECT password without user name (allowed in 5.0)",
		v:    V5,
		raw: cat(
			byte(CONNECT)<<4, 17, // fixed header; remaining length 17
			0, 4, "MQTT", // protocol name
			5,     // protocol version 5
			0x42,  // connect flags 0100 0010: password, clean start
			0, 10, // keep alive 10 s
			0,         // property length 0
			0, 1, "c", // client identifier
			0, 1, "s", // password
		),
		want: &Connect{Version: V5, CleanStart: true, KeepAlive: 10, ClientID: "c", Password: Some([]byte("s"))},
	},
	{
		name: "CONNACK with every CONNACK property",
		v:    V5,
		raw: cat(
			byte(CONNACK)<<4, 98, // fixed header; remaining length 98
			0x00,                   // connect acknowledge flags: no session present
			0x00,                   // reason code 0x00 success
			95,                     // property length
			0x11, 0, 0, 0x1C, 0x20, // session expiry interval 7200 s
			0x12, 0, 6, "auto-1", // assigned client identifier
			0x13, 0, 45, // server keep alive 45 s
			0x15, 0, 11, "SCRAM-SHA-1", // authentication method
			0x16, 0, 2, 4, 5, // authentication data
			0x1A, 0, 5, "resp/", // response information
			0x1C, 0, 10, "other:1883", // server reference
			0x1F, 0, 7, "welcome", // reason string
			0x21, 0, 100, // receive maximum 100
			0x22, 0, 5, // topic alias maximum 5
			0x24, 1, // maximum QoS 1
			0x25, 0, // retain available 0
			0x26, 0, 1, "x", 0, 1, "y", // user property x=y
			0x27, 0, 1, 0, 0, // maximum packet size 65,536
			0x28, 0, // wildcard subscription available 0
			0x29, 1, // subscription identifiers available 1
			0x2A, 0, // shared subscription available 0
		),
		want: &Connack{Version: V5, ReasonCode: Success, Props: Properties{
			SessionExpiry: Some(uint32(7200)), AssignedClientID: Some("auto-1"), ServerKeepAlive: Some(uint16(45)),
			AuthMethod: Some("SCRAM-SHA-1"), AuthData: Some([]byte{4, 5}), ResponseInfo: Some("resp/"),
			ServerReference: Some("other:1883"), ReasonString: Some("welcome"), ReceiveMaximum: Some(uint16(100)),
			TopicAliasMaximum: Some(uint16(5)), MaximumQoS: Some(byte(1)), RetainAvailable: Some(byte(0)),
			User: []UserProperty{{"x", "y"}}, MaximumPacketSize: Some(uint32(65536)),
			WildcardSubAvailable: Some(byte(0)), SubIDAvailable: Some(byte(1)), SharedSubAvailable: Some(byte(0)),
		}},
	},
	{
		name: "CONNACK refused with a reason string",
		v:    V5,
		raw: cat(
			byte(CONNACK)<<4, 13, // fixed header; remaining length 13
			0x00,                  // no session present (required on a refusal)
			0x87,                  // reason code 0x87 not authorized
			10,                    // property length
			0x1F, 0, 7, "no auth", // reason string
		),
		want: &Connack{Version: V5, ReasonCode: NotAuthorized, Props: Properties{ReasonString: Some("no auth")}},
	},
	{
		name: "CONNACK session present without properties",
		v:    V5,
		raw:  cat(byte(CONNACK)<<4, 3, 0x01, 0x00, 0), // fixed header; session present; success; property length 0
		want: &Connack{Version: V5, SessionPresent: true},
	},
	{
		name: "PUBLISH with repeated user properties and two subscription identifiers",
		v:    V5,
		raw: cat(
			byte(PUBLISH)<<4|0b0010, 82, // fixed header: DUP 0, QoS 01, RETAIN 0; remaining length 82
			0, 3, "s/t", // topic name
			0, 7, // packet identifier 7
			66,      // property length
			0x01, 1, // payload format indicator 1: UTF-8
			0x02, 0, 0, 0, 60, // message expiry interval 60 s
			0x03, 0, 16, "application/json", // content type
			0x08, 0, 3, "r/s", // response topic
			0x09, 0, 2, 1, 2, // correlation data
			0x0B, 10, // subscription identifier 10
			0x0B, 0xAC, 0x02, // subscription identifier 300 = 0x2C + 2×128
			0x23, 0, 3, // topic alias 3
			0x26, 0, 1, "a", 0, 1, "1", // user property a=1
			0x26, 0, 1, "a", 0, 1, "2", // user property a=2: names may repeat
			0x26, 0, 1, "b", 0, 1, "3", // user property b=3
			`{"t":21}`, // payload
		),
		want: &Publish{Version: V5, QoS: QoS1, Topic: "s/t", PacketID: 7, Payload: []byte(`{"t":21}`), Props: Properties{
			PayloadFormat: Some(byte(1)), MessageExpiry: Some(uint32(60)), ContentType: Some("application/json"),
			ResponseTopic: Some("r/s"), CorrelationData: Some([]byte{1, 2}), SubscriptionIDs: []uint32{10, 300},
			TopicAlias: Some(uint16(3)), User: []UserProperty{{"a", "1"}, {"a", "2"}, {"b", "3"}},
		}},
	},
	{
		name: "PUBLISH with a topic alias and an empty topic name",
		v:    V5,
		raw: cat(
			byte(PUBLISH)<<4, 7, // fixed header: QoS 0; remaining length 7
			0, 0, // topic name "": the alias stands for it
			3,          // property length
			0x23, 0, 3, // topic alias 3
			"x", // payload
		),
		want: &Publish{Version: V5, Payload: []byte("x"), Props: Properties{TopicAlias: Some(uint16(3))}},
	},
	{
		name: "PUBLISH QoS 2 without properties or payload",
		v:    V5,
		raw: cat(
			byte(PUBLISH)<<4|0b0100, 6, // fixed header: QoS 10; remaining length 6
			0, 1, "q", // topic name
			0, 9, // packet identifier 9
			0, // property length 0
		),
		want: &Publish{Version: V5, QoS: QoS2, Topic: "q", PacketID: 9},
	},
	{
		name: "PUBACK success, reason code omitted",
		v:    V5,
		raw:  cat(byte(PUBACK)<<4, 2, 0, 7), // fixed header; packet identifier 7; code and properties omitted
		want: &Puback{Version: V5, PacketID: 7, ReasonCode: Success},
	},
	{
		name: "PUBACK no matching subscribers, properties omitted",
		v:    V5,
		raw:  cat(byte(PUBACK)<<4, 3, 0, 7, 0x10), // fixed header; packet identifier 7; reason code 0x10
		want: &Puback{Version: V5, PacketID: 7, ReasonCode: NoMatchingSubscribers},
	},
	{
		name: "PUBACK not authorized with reason string and user property",
		v:    V5,
		raw: cat(
			byte(PUBACK)<<4, 20, // fixed header; remaining length 20
			0, 7, // packet identifier 7
			0x87,                 // reason code 0x87 not authorized
			16,                   // property length
			0x1F, 0, 6, "denied", // reason string
			0x26, 0, 1, "k", 0, 1, "v", // user property
		),
		want: &Puback{Version: V5, PacketID: 7, ReasonCode: NotAuthorized, Props: Properties{
			ReasonString: Some("denied"), User: []UserProperty{{"k", "v"}}}},
	},
	{
		name: "PUBREC with reason string",
		v:    V5,
		raw: cat(
			byte(PUBREC)<<4, 21, // fixed header; remaining length 21
			0, 7, // packet identifier 7
			0x10,                          // reason code 0x10 no matching subscribers
			17,                            // property length
			0x1F, 0, 14, "no subscribers", // reason string
		),
		want: &Pubrec{Version: V5, PacketID: 7, ReasonCode: NoMatchingSubscribers, Props: Properties{ReasonString: Some("no subscribers")}},
	},
	{
		name: "PUBREL packet identifier not found",
		v:    V5,
		raw:  cat(byte(PUBREL)<<4|0b0010, 3, 0, 8, 0x92), // fixed header, flags 0010; packet identifier 8; reason code 0x92
		want: &Pubrel{Version: V5, PacketID: 8, ReasonCode: PacketIdentifierNotFound},
	},
	{
		name: "PUBCOMP success with a user property",
		v:    V5,
		raw: cat(
			byte(PUBCOMP)<<4, 11, // fixed header; remaining length 11
			0, 8, // packet identifier 8
			0x00,                       // reason code 0x00: present because properties follow
			7,                          // property length
			0x26, 0, 1, "t", 0, 1, "1", // user property
		),
		want: &Pubcomp{Version: V5, PacketID: 8, Props: Properties{User: []UserProperty{{"t", "1"}}}},
	},
	{
		name: "SUBSCRIBE with options and a shared subscription",
		v:    V5,
		raw: cat(
			byte(SUBSCRIBE)<<4|0b0010, 40, // fixed header, flags 0010; remaining length 40
			0, 3, // packet identifier 3
			12,                           // property length
			0x0B, 0xFF, 0xFF, 0xFF, 0x7F, // subscription identifier 268,435,455, the largest
			0x26, 0, 1, "p", 0, 1, "q", // user property
			0, 3, "a/+", 0x2D, // filter; options 0010 1101: retain handling 2, retain as published, no local, QoS 1
			0, 12, "$share/g/s/#", 0x12, // shared filter; options 0001 0010: retain handling 1, QoS 2
			0, 1, "#", 0x00, // filter; options: QoS 0
		),
		want: &Subscribe{Version: V5, PacketID: 3, Props: Properties{
			SubscriptionIDs: []uint32{MaxVarint}, User: []UserProperty{{"p", "q"}}},
			Subscriptions: []Subscription{
				{Filter: "a/+", QoS: QoS1, NoLocal: true, RetainAsPublished: true, RetainHandling: 2},
				{Filter: "$share/g/s/#", QoS: QoS2, RetainHandling: 1},
				{Filter: "#"},
			}},
	},
	{
		name: "SUBACK with a reason string",
		v:    V5,
		raw: cat(
			byte(SUBACK)<<4, 14, // fixed header; remaining length 14
			0, 3, // packet identifier 3
			5,                // property length
			0x1F, 0, 2, "ok", // reason string
			0x00, 0x01, 0x02, 0x80, 0x8F, 0xA2, // granted QoS 0, 1, 2; unspecified error; topic filter invalid; wildcards not supported
		),
		want: &Suback{Version: V5, PacketID: 3, Props: Properties{ReasonString: Some("ok")}, ReasonCodes: []ReasonCode{
			GrantedQoS0, GrantedQoS1, GrantedQoS2, UnspecifiedError, TopicFilterInvalid, WildcardSubscriptionsNotSupported}},
	},
	{
		name: "UNSUBSCRIBE with a user property",
		v:    V5,
		raw: cat(
			byte(UNSUBSCRIBE)<<4|0b0010, 29, // fixed header, flags 0010; remaining length 29
			0, 4, // packet identifier 4
			7,                          // property length
			0x26, 0, 1, "u", 0, 1, "1", // user property
			0, 3, "a/+", // topic filter
			0, 12, "$share/g/s/#", // topic filter
		),
		want: &Unsubscribe{Version: V5, PacketID: 4, Props: Properties{User: []UserProperty{{"u", "1"}}},
			Filters: []string{"a/+", "$share/g/s/#"}},
	},
	{
		name: "UNSUBACK",
		v:    V5,
		raw: cat(
			byte(UNSUBACK)<<4, 6, // fixed header; remaining length 6
			0, 4, // packet identifier 4
			0,                // property length 0
			0x00, 0x11, 0x8F, // success; no subscription existed; topic filter invalid
		),
		want: &Unsuback{Version: V5, PacketID: 4, ReasonCodes: []ReasonCode{Success, NoSubscriptionExisted, TopicFilterInvalid}},
	},
	{
		name: "PINGREQ",
		v:    V5,
		raw:  cat(byte(PINGREQ)<<4, 0), // fixed header only
		want: &Pingreq{},
	},
	{
		name: "PINGRESP",
		v:    V5,
		raw:  cat(byte(PINGRESP)<<4, 0), // fixed header only
		want: &Pingresp{},
	},
	{
		name: "DISCONNECT normal, everything omitted",
		v:    V5,
		raw:  cat(byte(DISCONNECT)<<4, 0), // fixed header; remaining length 0: normal disconnection
		want: &Disconnect{Version: V5},
	},
	{
		name: "DISCONNECT with will message, properties omitted",
		v:    V5,
		raw:  cat(byte(DISCONNECT)<<4, 1, 0x04), // fixed header; reason code 0x04 disconnect with will message
		want: &Disconnect{Version: V5, ReasonCode: DisconnectWithWill},
	},
	{
		name: "DISCONNECT from a client changing its session expiry",
		v:    V5,
		raw: cat(
			byte(DISCONNECT)<<4, 7, // fixed header; remaining length 7
			0x04,                   // reason code 0x04 disconnect with will message
			5,                      // property length
			0x11, 0, 0, 0x01, 0x2C, // session expiry interval 300 s
		),
		want: &Disconnect{Version: V5, ReasonCode: DisconnectWithWill, Props: Properties{SessionExpiry: Some(uint32(300))}},
	},
	{
		name: "DISCONNECT from a server sending the client elsewhere",
		v:    V5,
		raw: cat(
			byte(DISCONNECT)<<4, 27, // fixed header; remaining length 27
			0x9C,                 // reason code 0x9C use another server
			25,                   // property length
			0x1C, 0, 6, "b:1883", // server reference
			0x1F, 0, 6, "moving", // reason string
			0x26, 0, 1, "n", 0, 1, "m", // user property
		),
		want: &Disconnect{Version: V5, ReasonCode: UseAnotherServer, Props: Properties{
			ServerReference: Some("b:1883"), ReasonString: Some("moving"), User: []UserProperty{{"n", "m"}}}},
	},
	{
		name: "AUTH continue authentication",
		v:    V5,
		raw: cat(
			byte(AUTH)<<4, 35, // fixed header; remaining length 35
			0x18,                       // reason code 0x18 continue authentication
			33,                         // property length
			0x15, 0, 11, "SCRAM-SHA-1", // authentication method
			0x16, 0, 2, 0x6E, 0x2C, // authentication data
			0x1F, 0, 4, "more", // reason string
			0x26, 0, 1, "s", 0, 1, "1", // user property
		),
		want: &Auth{ReasonCode: ContinueAuthentication, Props: Properties{
			AuthMethod: Some("SCRAM-SHA-1"), AuthData: Some([]byte{0x6E, 0x2C}), ReasonString: Some("more"),
			User: []UserProperty{{"s", "1"}}}},
	},
	{
		name: "AUTH re-authenticate",
		v:    V5,
		raw: cat(
			byte(AUTH)<<4, 16, // fixed header; remaining length 16
			0x19,                       // reason code 0x19 re-authenticate
			14,                         // property length
			0x15, 0, 11, "SCRAM-SHA-1", // authentication method
		),
		want: &Auth{ReasonCode: ReAuthenticate, Props: Properties{AuthMethod: Some("SCRAM-SHA-1")}},
	},
	{
		name: "AUTH success, everything omitted",
		v:    V5,
		raw:  cat(byte(AUTH)<<4, 0), // fixed header; remaining length 0: success without properties
		want: &Auth{},
	},
}
