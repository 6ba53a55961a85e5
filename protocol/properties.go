package protocol

// Opt is an optional value. Every single-valued MQTT 5 property is an
// Opt: Present says whether the property is in the packet, which matters
// because an absent property often means something other than its zero
// value (absent Maximum QoS means 2, absent Retain Available means 1).
// Repeatable properties (User, SubscriptionIDs) are plain slices.
type Opt[T any] struct {
	Value   T
	Present bool
}

// Some returns a present Opt holding v.
func Some[T any](v T) Opt[T] { return Opt[T]{Value: v, Present: true} }

// Get returns the value and whether it is present.
func (o Opt[T]) Get() (T, bool) { return o.Value, o.Present }

// Or returns the value if present, else def.
func (o Opt[T]) Or(def T) T {
	if o.Present {
		return o.Value
	}
	return def
}

// UserProperty is one name/value pair of a User Property.
type UserProperty struct {
	Key, Value string
}

// Properties are the MQTT 5.0 properties of a packet (§2.2.2). One struct
// serves every packet; which properties a packet may carry is the table
// PropertyAllowed, checked when decoding and encoding. Byte slices alias
// the decoded bytes, like the rest of the packet.
type Properties struct {
	PayloadFormat        Opt[byte]   // 0x01 PUBLISH, will
	MessageExpiry        Opt[uint32] // 0x02 PUBLISH, will
	ContentType          Opt[string] // 0x03 PUBLISH, will
	ResponseTopic        Opt[string] // 0x08 PUBLISH, will
	CorrelationData      Opt[[]byte] // 0x09 PUBLISH, will
	SubscriptionIDs      []uint32    // 0x0B PUBLISH (repeatable), SUBSCRIBE (one)
	SessionExpiry        Opt[uint32] // 0x11 CONNECT, CONNACK, DISCONNECT
	AssignedClientID     Opt[string] // 0x12 CONNACK
	ServerKeepAlive      Opt[uint16] // 0x13 CONNACK
	AuthMethod           Opt[string] // 0x15 CONNECT, CONNACK, AUTH
	AuthData             Opt[[]byte] // 0x16 CONNECT, CONNACK, AUTH
	RequestProblemInfo   Opt[byte]   // 0x17 CONNECT
	WillDelay            Opt[uint32] // 0x18 will
	RequestResponseInfo  Opt[byte]   // 0x19 CONNECT
	ResponseInfo         Opt[string] // 0x1A CONNACK
	ServerReference      Opt[string] // 0x1C CONNACK, DISCONNECT
	ReasonString         Opt[string] // 0x1F CONNACK, acks, SUBACK, UNSUBACK, DISCONNECT, AUTH
	ReceiveMaximum       Opt[uint16] // 0x21 CONNECT, CONNACK
	TopicAliasMaximum    Opt[uint16] // 0x22 CONNECT, CONNACK
	TopicAlias           Opt[uint16] // 0x23 PUBLISH
	MaximumQoS           Opt[byte]   // 0x24 CONNACK
	RetainAvailable      Opt[byte]   // 0x25 CONNACK
	User                 []UserProperty
	MaximumPacketSize    Opt[uint32] // 0x27 CONNECT, CONNACK
	WildcardSubAvailable Opt[byte]   // 0x28 CONNACK
	SubIDAvailable       Opt[byte]   // 0x29 CONNACK
	SharedSubAvailable   Opt[byte]   // 0x2A CONNACK
}

// PropID is a property identifier.
type PropID byte

// The 27 property identifiers of MQTT 5.0 (§2.2.2.2).
const (
	PropPayloadFormat        PropID = 0x01
	PropMessageExpiry        PropID = 0x02
	PropContentType          PropID = 0x03
	PropResponseTopic        PropID = 0x08
	PropCorrelationData      PropID = 0x09
	PropSubscriptionID       PropID = 0x0B
	PropSessionExpiry        PropID = 0x11
	PropAssignedClientID     PropID = 0x12
	PropServerKeepAlive      PropID = 0x13
	PropAuthMethod           PropID = 0x15
	PropAuthData             PropID = 0x16
	PropRequestProblemInfo   PropID = 0x17
	PropWillDelay            PropID = 0x18
	PropRequestResponseInfo  PropID = 0x19
	PropResponseInfo         PropID = 0x1A
	PropServerReference      PropID = 0x1C
	PropReasonString         PropID = 0x1F
	PropReceiveMaximum       PropID = 0x21
	PropTopicAliasMaximum    PropID = 0x22
	PropTopicAlias           PropID = 0x23
	PropMaximumQoS           PropID = 0x24
	PropRetainAvailable      PropID = 0x25
	PropUser                 PropID = 0x26
	PropMaximumPacketSize    PropID = 0x27
	PropWildcardSubAvailable PropID = 0x28
	PropSubIDAvailable       PropID = 0x29
	PropSharedSubAvailable   PropID = 0x2A
)

// WireType is how a property's value is encoded (§1.5).
type WireType byte

// The data types of property values.
const (
	WireByte WireType = iota + 1
	WireTwoByteInt
	WireFourByteInt
	WireVarint
	WireString
	WireBinary
	WireStringPair
)

// Will is the pseudo packet type under which PropertyAllowed lists the
// properties of a will message (carried inside CONNECT).
const Will Type = 0

type propInfo struct {
	id    PropID
	typ   WireType
	in    uint16 // bit per Type the property may appear in; bit 0 is the will
	multi uint16 // types in which it may appear more than once
	def   *fieldDef
}

func types(ts ...Type) uint16 {
	var m uint16
	for _, t := range ts {
		m |= 1 << t
	}
	return m
}

func prop(id PropID, typ WireType, in uint16, key, name, meaning, spec string) *propInfo {
	return &propInfo{id: id, typ: typ, in: in,
		def: &fieldDef{key: "property." + key, name: name, meaning: meaning, spec5: spec}}
}

// propTable is the table of every property: its wire type, the packets
// that may carry it and its explanation.
var propTable = func() (t [0x2B]*propInfo) {
	for _, p := range []*propInfo{
		prop(PropPayloadFormat, WireByte, types(PUBLISH, Will), "payload_format", "Payload Format Indicator",
			"0: the payload is unspecified bytes; 1: it is UTF-8 text.", "3.3.2.3.2"),
		prop(PropMessageExpiry, WireFourByteInt, types(PUBLISH, Will), "message_expiry", "Message Expiry Interval",
			"Seconds after which the server drops the message if it has not been delivered yet.", "3.3.2.3.3"),
		prop(PropContentType, WireString, types(PUBLISH, Will), "content_type", "Content Type",
			"Describes the payload, e.g. application/json; the broker passes it on untouched.", "3.3.2.3.9"),
		prop(PropResponseTopic, WireString, types(PUBLISH, Will), "response_topic", "Response Topic",
			"Where the receiver should publish its response (request/response).", "3.3.2.3.5"),
		prop(PropCorrelationData, WireBinary, types(PUBLISH, Will), "correlation_data", "Correlation Data",
			"Bytes the responder copies into its response so the requester can match the two.", "3.3.2.3.6"),
		prop(PropSubscriptionID, WireVarint, types(PUBLISH, SUBSCRIBE), "subscription_id", "Subscription Identifier",
			"A number the subscriber gave its subscription; the server echoes it on every message the subscription delivers.", "3.8.2.1.2"),
		prop(PropSessionExpiry, WireFourByteInt, types(CONNECT, CONNACK, DISCONNECT), "session_expiry", "Session Expiry Interval",
			"Seconds the server keeps the session after the connection closes; 0 ends it with the connection, 0xFFFFFFFF never.", "3.1.2.11.2"),
		prop(PropAssignedClientID, WireString, types(CONNACK), "assigned_client_id", "Assigned Client Identifier",
			"The client identifier the server assigned because the client sent an empty one.", "3.2.2.3.7"),
		prop(PropServerKeepAlive, WireTwoByteInt, types(CONNACK), "server_keep_alive", "Server Keep Alive",
			"The keep alive the server imposes instead of the client's, in seconds.", "3.2.2.3.14"),
		prop(PropAuthMethod, WireString, types(CONNECT, CONNACK, AUTH), "auth_method", "Authentication Method",
			"Names the extended authentication method, e.g. SCRAM-SHA-1.", "3.1.2.11.9"),
		prop(PropAuthData, WireBinary, types(CONNECT, CONNACK, AUTH), "auth_data", "Authentication Data",
			"Data of the extended authentication exchange; its meaning depends on the method.", "3.1.2.11.10"),
		prop(PropRequestProblemInfo, WireByte, types(CONNECT), "request_problem_info", "Request Problem Information",
			"0 asks the server to send reason strings and user properties only on CONNACK and DISCONNECT.", "3.1.2.11.7"),
		prop(PropWillDelay, WireFourByteInt, types(Will), "will_delay", "Will Delay Interval",
			"Seconds the server waits after an abnormal disconnect before publishing the will; reconnecting in time cancels it.", "3.1.3.2.2"),
		prop(PropRequestResponseInfo, WireByte, types(CONNECT), "request_response_info", "Request Response Information",
			"1 asks the server to return Response Information in CONNACK.", "3.1.2.11.6"),
		prop(PropResponseInfo, WireString, types(CONNACK), "response_info", "Response Information",
			"A base the client may use to build its response topics.", "3.2.2.3.15"),
		prop(PropServerReference, WireString, types(CONNACK, DISCONNECT), "server_reference", "Server Reference",
			"Another server the client may use instead (with reason codes 0x9C and 0x9D).", "3.2.2.3.16"),
		prop(PropReasonString, WireString, types(CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
			"reason_string", "Reason String", "A human-readable diagnostic for this packet, not meant to be parsed.", "3.2.2.3.9"),
		prop(PropReceiveMaximum, WireTwoByteInt, types(CONNECT, CONNACK), "receive_maximum", "Receive Maximum",
			"How many QoS 1 and 2 publishes the sender of this packet accepts unacknowledged at once (absent: 65,535).", "3.1.2.11.3"),
		prop(PropTopicAliasMaximum, WireTwoByteInt, types(CONNECT, CONNACK), "topic_alias_maximum", "Topic Alias Maximum",
			"The highest topic alias the sender of this packet accepts; 0 or absent: none.", "3.1.2.11.5"),
		prop(PropTopicAlias, WireTwoByteInt, types(PUBLISH), "topic_alias", "Topic Alias",
			"A number standing for the topic name, so later publishes can send an empty topic and save bytes.", "3.3.2.3.4"),
		prop(PropMaximumQoS, WireByte, types(CONNACK), "maximum_qos", "Maximum QoS",
			"The highest QoS the server accepts from publishers (absent: 2).", "3.2.2.3.4"),
		prop(PropRetainAvailable, WireByte, types(CONNACK), "retain_available", "Retain Available",
			"0: the server does not keep retained messages (absent: 1).", "3.2.2.3.5"),
		prop(PropUser, WireStringPair, types(CONNECT, CONNACK, PUBLISH, Will, PUBACK, PUBREC, PUBREL, PUBCOMP,
			SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH), "user", "User Property",
			"An application-defined name/value pair; may repeat, and their order is kept.", "3.3.2.3.7"),
		prop(PropMaximumPacketSize, WireFourByteInt, types(CONNECT, CONNACK), "maximum_packet_size", "Maximum Packet Size",
			"The largest packet, in bytes, the sender of this packet accepts (absent: no limit but the protocol's).", "3.1.2.11.4"),
		prop(PropWildcardSubAvailable, WireByte, types(CONNACK), "wildcard_sub_available", "Wildcard Subscription Available",
			"0: the server refuses subscriptions with + or # (absent: 1).", "3.2.2.3.11"),
		prop(PropSubIDAvailable, WireByte, types(CONNACK), "subscription_id_available", "Subscription Identifiers Available",
			"0: the server does not support subscription identifiers (absent: 1).", "3.2.2.3.12"),
		prop(PropSharedSubAvailable, WireByte, types(CONNACK), "shared_sub_available", "Shared Subscription Available",
			"0: the server does not support $share subscriptions (absent: 1).", "3.2.2.3.13"),
	} {
		t[p.id] = p
	}
	t[PropUser].multi = t[PropUser].in
	t[PropSubscriptionID].multi = types(PUBLISH)
	return t
}()

func lookupProp(id uint32) *propInfo {
	if id < uint32(len(propTable)) {
		return propTable[id]
	}
	return nil
}

// PropertyAllowed reports whether packet type t (or Will) may carry
// property id.
func PropertyAllowed(id PropID, t Type) bool {
	p := lookupProp(uint32(id))
	return p != nil && p.in&(1<<t) != 0
}

// PropertyName returns the specification's name of a property.
func PropertyName(id PropID) string {
	if p := lookupProp(uint32(id)); p != nil {
		return p.def.name
	}
	return "Unknown property 0x" + hex2(byte(id))
}

// PropertyType returns the wire type of a property, 0 if unknown.
func PropertyType(id PropID) WireType {
	if p := lookupProp(uint32(id)); p != nil {
		return p.typ
	}
	return 0
}

// PropertyIDs lists the 27 property identifiers in ascending order.
func PropertyIDs() []PropID {
	var out []PropID
	for id, p := range propTable {
		if p != nil {
			out = append(out, PropID(id))
		}
	}
	return out
}
