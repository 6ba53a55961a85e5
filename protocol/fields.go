package protocol

// fieldDef describes one kind of field for Explain: its name, what it
// means, and where each specification defines it.
type fieldDef struct {
	show    uint8 // how Explain shows the value, when not as its wire type
	key     string
	name    string // name in MQTT 5.0 (and 3.1.1 unless name311 is set)
	name311 string
	meaning string
	spec311 string // section of MQTT 3.1.1 (also used for 3.1)
	spec5   string // section of MQTT 5.0
}

// How Explain shows a field's value. The first ones follow from the wire
// type the decoder reads; the others from the field (fieldDef.show).
const (
	showNone         = iota // not at all
	showNum                 // a big-endian integer
	showVarint              // a variable byte integer
	showLength              // the two-byte length of the field that follows
	showString              // UTF-8 text
	showBinary              // binary data, in hex
	showHeader              // the first byte of the fixed header
	showRemaining           // the Remaining Length
	showLevel               // a protocol level and its version
	showConnectFlags        // the CONNECT flags
	showConnackFlags        // the CONNACK flags
	showSeconds             // a duration in seconds
	showPayload             // text if printable, else hex
	showSecret              // a password: its length only
	showCode                // a reason code, or a CONNACK return code before 5.0
	showSubOptions          // subscription options
	showPropLength          // a property length
	showPropID              // a property identifier, which names its property
)

func (f *fieldDef) nameFor(v Version) string {
	if v != V5 && f.name311 != "" {
		return f.name311
	}
	return f.name
}

func (f *fieldDef) specFor(v Version) string { return specFor(v, f.spec311, f.spec5) }

// The fields of every packet, in the order the packets carry them.
var (
	fHeaderByte = &fieldDef{show: showHeader, key: "fixed.type_flags", name: "Packet type and flags",
		meaning: "High four bits: the control packet type. Low four bits: flags, which only PUBLISH uses (DUP, QoS, RETAIN).",
		spec311: "2.2.1", spec5: "2.1.2"}
	fRemainingLength = &fieldDef{show: showRemaining, key: "fixed.remaining_length", name: "Remaining Length",
		meaning: "How many bytes of the packet follow, as a variable byte integer: 7 bits per byte, the top bit says another byte follows.",
		spec311: "2.2.3", spec5: "2.1.4"}
	fPacketID = &fieldDef{key: "packet_id", name: "Packet Identifier",
		meaning: "Pairs this packet with its acknowledgement; unique among the sender's unacknowledged packets.",
		spec311: "2.3.1", spec5: "2.2.1"}

	// CONNECT
	fProtocolName = &fieldDef{key: "connect.protocol_name", name: "Protocol Name",
		meaning: `"MQTT" for 3.1.1 and 5.0, "MQIsdp" for 3.1: a server that reads something else knows this is not MQTT.`,
		spec311: "3.1.2.1", spec5: "3.1.2.1"}
	fProtocolLevel = &fieldDef{show: showLevel, key: "connect.protocol_level", name: "Protocol Version", name311: "Protocol Level",
		meaning: "The revision of the protocol the client speaks: 3 = 3.1, 4 = 3.1.1, 5 = 5.0.",
		spec311: "3.1.2.2", spec5: "3.1.2.2"}
	fConnectFlags = &fieldDef{show: showConnectFlags, key: "connect.flags", name: "Connect Flags",
		meaning: "Which optional fields the payload carries (user name, password, will) and how the session starts.",
		spec311: "3.1.2.3", spec5: "3.1.2.3"}
	fKeepAlive = &fieldDef{show: showSeconds, key: "connect.keep_alive", name: "Keep Alive",
		meaning: "The longest the client stays silent, in seconds; the server closes the connection after 1.5 times this without a packet. 0 turns it off.",
		spec311: "3.1.2.10", spec5: "3.1.2.10"}
	fClientID = &fieldDef{key: "connect.client_id", name: "Client Identifier",
		meaning: "Names the client's session on the server; empty asks the server to assign one.",
		spec311: "3.1.3.1", spec5: "3.1.3.1"}
	fWillTopic = &fieldDef{key: "connect.will_topic", name: "Will Topic",
		meaning: "The topic the server publishes the will message to if the client vanishes without a DISCONNECT.",
		spec311: "3.1.3.2", spec5: "3.1.3.3"}
	fWillPayload = &fieldDef{show: showPayload, key: "connect.will_payload", name: "Will Payload", name311: "Will Message",
		meaning: "The message the server publishes on the client's behalf when the connection ends abnormally.",
		spec311: "3.1.3.3", spec5: "3.1.3.4"}
	fUsername = &fieldDef{key: "connect.username", name: "User Name",
		meaning: "Identifies the user for authentication.",
		spec311: "3.1.3.4", spec5: "3.1.3.5"}
	fPassword = &fieldDef{show: showSecret, key: "connect.password", name: "Password",
		meaning: "Credential checked by the server; sent as plain bytes, so use TLS on untrusted networks.",
		spec311: "3.1.3.5", spec5: "3.1.3.6"}

	// CONNACK
	fConnackFlags = &fieldDef{show: showConnackFlags, key: "connack.flags", name: "Connect Acknowledge Flags",
		meaning: "Bit 0, Session Present: the server still had a session for this client (always 0 when the client asked for a clean start).",
		spec311: "3.2.2.1", spec5: "3.2.2.1"}
	fConnackCode = &fieldDef{show: showCode, key: "connack.code", name: "Connect Reason Code", name311: "Connect Return code",
		meaning: "Whether the server accepted the connection and, if not, why.",
		spec311: "3.2.2.3", spec5: "3.2.2.2"}

	// PUBLISH
	fTopicName = &fieldDef{key: "publish.topic", name: "Topic Name",
		meaning: "The channel the message is published to; subscribers whose filters match it receive the message.",
		spec311: "3.3.2.1", spec5: "3.3.2.1"}
	fPayload = &fieldDef{show: showPayload, key: "publish.payload", name: "Payload",
		meaning: "The application message itself: any bytes, never looked into by the broker.",
		spec311: "3.3.3", spec5: "3.3.3"}

	// Acknowledgements and their reason codes
	fPubackCode = &fieldDef{show: showCode, key: "puback.code", name: "Reason Code",
		meaning: "The outcome of the QoS 1 publish this acknowledges.", spec5: "3.4.2.1"}
	fPubrecCode = &fieldDef{show: showCode, key: "pubrec.code", name: "Reason Code",
		meaning: "The outcome of the QoS 2 publish this acknowledges (first step).", spec5: "3.5.2.1"}
	fPubrelCode = &fieldDef{show: showCode, key: "pubrel.code", name: "Reason Code",
		meaning: "Whether the packet identifier being released was known (third step of QoS 2).", spec5: "3.6.2.1"}
	fPubcompCode = &fieldDef{show: showCode, key: "pubcomp.code", name: "Reason Code",
		meaning: "Whether the packet identifier was known; completes the QoS 2 exchange.", spec5: "3.7.2.1"}

	// SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK
	fSubFilter = &fieldDef{key: "subscribe.filter", name: "Topic Filter",
		meaning: "Which topics to receive; '+' matches one level, '#' all remaining levels.",
		spec311: "3.8.3", spec5: "3.8.3"}
	fSubOptions = &fieldDef{show: showSubOptions, key: "subscribe.options", name: "Subscription Options", name311: "Requested QoS",
		meaning: "The highest QoS wanted for this subscription (and in 5.0: No Local, Retain As Published, Retain Handling).",
		spec311: "3.8.3", spec5: "3.8.3.1"}
	fSubackCode = &fieldDef{show: showCode, key: "suback.code", name: "Reason Code", name311: "Return Code",
		meaning: "For the filter at the same position in the SUBSCRIBE: the QoS granted, or why it failed.",
		spec311: "3.9.3", spec5: "3.9.3"}
	fUnsubFilter = &fieldDef{key: "unsubscribe.filter", name: "Topic Filter",
		meaning: "A subscription to remove, written exactly as it was subscribed.",
		spec311: "3.10.3", spec5: "3.10.3"}
	fUnsubackCode = &fieldDef{show: showCode, key: "unsuback.code", name: "Reason Code",
		meaning: "For the filter at the same position in the UNSUBSCRIBE: whether it was removed.", spec5: "3.11.3"}

	// DISCONNECT, AUTH
	fDisconnectCode = &fieldDef{show: showCode, key: "disconnect.code", name: "Disconnect Reason Code",
		meaning: "Why the connection is being closed; 0x04 asks the server to publish the will anyway.", spec5: "3.14.2.1"}
	fAuthCode = &fieldDef{show: showCode, key: "auth.code", name: "Authenticate Reason Code",
		meaning: "Where the extended authentication exchange stands.", spec5: "3.15.2.1"}

	// Properties (MQTT 5.0)
	fPropertyLength = &fieldDef{show: showPropLength, key: "properties.length", name: "Property Length",
		meaning: "How many bytes of properties follow, as a variable byte integer.", spec5: "2.2.2.1"}
	fPropertyID = &fieldDef{show: showPropID, key: "properties.id", name: "Identifier",
		meaning: "Which property follows, as a variable byte integer.", spec5: "2.2.2.2"}
	fUserKey = &fieldDef{key: "property.user.key", name: "Name",
		meaning: "Name of a user property: an application-defined name/value pair.", spec5: "3.3.2.3.7"}
	fUserValue = &fieldDef{key: "property.user.value", name: "Value",
		meaning: "Value of a user property.", spec5: "3.3.2.3.7"}
)
