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

// propTable is the table of every property: its wire type, the packets
// that may carry it (a bit per Type, 1<<Will for the will) and its
// explanation. It is a literal, so it is data in the binary, not code run
// at start-up.
var propTable = [0x2B]*propInfo{
	PropPayloadFormat: {id: PropPayloadFormat, typ: WireByte, in: 1<<PUBLISH | 1<<Will, def: &fieldDef{key: "property.payload_format", name: "Payload Format Indicator",
		meaning: "0: the payload is unspecified bytes; 1: it is UTF-8 text.", spec5: "3.3.2.3.2"}},
	PropMessageExpiry: {id: PropMessageExpiry, typ: WireFourByteInt, in: 1<<PUBLISH | 1<<Will, def: &fieldDef{key: "property.message_expiry", name: "Message Expiry Interval",
		meaning: "Seconds after which the server drops the message if it has not been delivered yet.", spec5: "3.3.2.3.3"}},
	PropContentType: {id: PropContentType, typ: WireString, in: 1<<PUBLISH | 1<<Will, def: &fieldDef{key: "property.content_type", name: "Content Type",
		meaning: "Describes the payload, e.g. application/json; the broker passes it on untouched.", spec5: "3.3.2.3.9"}},
	PropResponseTopic: {id: PropResponseTopic, typ: WireString, in: 1<<PUBLISH | 1<<Will, def: &fieldDef{key: "property.response_topic", name: "Response Topic",
		meaning: "Where the receiver should publish its response (request/response).", spec5: "3.3.2.3.5"}},
	PropCorrelationData: {id: PropCorrelationData, typ: WireBinary, in: 1<<PUBLISH | 1<<Will, def: &fieldDef{key: "property.correlation_data", name: "Correlation Data",
		meaning: "Bytes the responder copies into its response so the requester can match the two.", spec5: "3.3.2.3.6"}},
	PropSubscriptionID: {id: PropSubscriptionID, typ: WireVarint, in: 1<<PUBLISH | 1<<SUBSCRIBE, multi: 1 << PUBLISH, def: &fieldDef{key: "property.subscription_id", name: "Subscription Identifier",
		meaning: "A number the subscriber gave its subscription; the server echoes it on every message the subscription delivers.", spec5: "3.8.2.1.2"}},
	PropSessionExpiry: {id: PropSessionExpiry, typ: WireFourByteInt, in: 1<<CONNECT | 1<<CONNACK | 1<<DISCONNECT, def: &fieldDef{key: "property.session_expiry", name: "Session Expiry Interval",
		meaning: "Seconds the server keeps the session after the connection closes; 0 ends it with the connection, 0xFFFFFFFF never.", spec5: "3.1.2.11.2"}},
	PropAssignedClientID: {id: PropAssignedClientID, typ: WireString, in: 1 << CONNACK, def: &fieldDef{key: "property.assigned_client_id", name: "Assigned Client Identifier",
		meaning: "The client identifier the server assigned because the client sent an empty one.", spec5: "3.2.2.3.7"}},
	PropServerKeepAlive: {id: PropServerKeepAlive, typ: WireTwoByteInt, in: 1 << CONNACK, def: &fieldDef{key: "property.server_keep_alive", name: "Server Keep Alive",
		meaning: "The keep alive the server imposes instead of the client's, in seconds.", spec5: "3.2.2.3.14"}},
	PropAuthMethod: {id: PropAuthMethod, typ: WireString, in: 1<<CONNECT | 1<<CONNACK | 1<<AUTH, def: &fieldDef{key: "property.auth_method", name: "Authentication Method",
		meaning: "Names the extended authentication method, e.g. SCRAM-SHA-1.", spec5: "3.1.2.11.9"}},
	PropAuthData: {id: PropAuthData, typ: WireBinary, in: 1<<CONNECT | 1<<CONNACK | 1<<AUTH, def: &fieldDef{key: "property.auth_data", name: "Authentication Data",
		meaning: "Data of the extended authentication exchange; its meaning depends on the method.", spec5: "3.1.2.11.10"}},
	PropRequestProblemInfo: {id: PropRequestProblemInfo, typ: WireByte, in: 1 << CONNECT, def: &fieldDef{key: "property.request_problem_info", name: "Request Problem Information",
		meaning: "0 asks the server to send reason strings and user properties only on CONNACK and DISCONNECT.", spec5: "3.1.2.11.7"}},
	PropWillDelay: {id: PropWillDelay, typ: WireFourByteInt, in: 1 << Will, def: &fieldDef{key: "property.will_delay", name: "Will Delay Interval",
		meaning: "Seconds the server waits after an abnormal disconnect before publishing the will; reconnecting in time cancels it.", spec5: "3.1.3.2.2"}},
	PropRequestResponseInfo: {id: PropRequestResponseInfo, typ: WireByte, in: 1 << CONNECT, def: &fieldDef{key: "property.request_response_info", name: "Request Response Information",
		meaning: "1 asks the server to return Response Information in CONNACK.", spec5: "3.1.2.11.6"}},
	PropResponseInfo: {id: PropResponseInfo, typ: WireString, in: 1 << CONNACK, def: &fieldDef{key: "property.response_info", name: "Response Information",
		meaning: "A base the client may use to build its response topics.", spec5: "3.2.2.3.15"}},
	PropServerReference: {id: PropServerReference, typ: WireString, in: 1<<CONNACK | 1<<DISCONNECT, def: &fieldDef{key: "property.server_reference", name: "Server Reference",
		meaning: "Another server the client may use instead (with reason codes 0x9C and 0x9D).", spec5: "3.2.2.3.16"}},
	PropReasonString: {id: PropReasonString, typ: WireString, in: 1<<CONNACK | 1<<PUBACK | 1<<PUBREC | 1<<PUBREL | 1<<PUBCOMP | 1<<SUBACK | 1<<UNSUBACK | 1<<DISCONNECT | 1<<AUTH, def: &fieldDef{key: "property.reason_string", name: "Reason String",
		meaning: "A human-readable diagnostic for this packet, not meant to be parsed.", spec5: "3.2.2.3.9"}},
	PropReceiveMaximum: {id: PropReceiveMaximum, typ: WireTwoByteInt, in: 1<<CONNECT | 1<<CONNACK, def: &fieldDef{key: "property.receive_maximum", name: "Receive Maximum",
		meaning: "How many QoS 1 and 2 publishes the sender of this packet accepts unacknowledged at once (absent: 65,535).", spec5: "3.1.2.11.3"}},
	PropTopicAliasMaximum: {id: PropTopicAliasMaximum, typ: WireTwoByteInt, in: 1<<CONNECT | 1<<CONNACK, def: &fieldDef{key: "property.topic_alias_maximum", name: "Topic Alias Maximum",
		meaning: "The highest topic alias the sender of this packet accepts; 0 or absent: none.", spec5: "3.1.2.11.5"}},
	PropTopicAlias: {id: PropTopicAlias, typ: WireTwoByteInt, in: 1 << PUBLISH, def: &fieldDef{key: "property.topic_alias", name: "Topic Alias",
		meaning: "A number standing for the topic name, so later publishes can send an empty topic and save bytes.", spec5: "3.3.2.3.4"}},
	PropMaximumQoS: {id: PropMaximumQoS, typ: WireByte, in: 1 << CONNACK, def: &fieldDef{key: "property.maximum_qos", name: "Maximum QoS",
		meaning: "The highest QoS the server accepts from publishers (absent: 2).", spec5: "3.2.2.3.4"}},
	PropRetainAvailable: {id: PropRetainAvailable, typ: WireByte, in: 1 << CONNACK, def: &fieldDef{key: "property.retain_available", name: "Retain Available",
		meaning: "0: the server does not keep retained messages (absent: 1).", spec5: "3.2.2.3.5"}},
	PropUser: {id: PropUser, typ: WireStringPair, in: 1<<CONNECT | 1<<CONNACK | 1<<PUBLISH | 1<<Will | 1<<PUBACK | 1<<PUBREC | 1<<PUBREL | 1<<PUBCOMP | 1<<SUBSCRIBE | 1<<SUBACK | 1<<UNSUBSCRIBE | 1<<UNSUBACK | 1<<DISCONNECT | 1<<AUTH, multi: 1<<CONNECT | 1<<CONNACK | 1<<PUBLISH | 1<<Will | 1<<PUBACK | 1<<PUBREC | 1<<PUBREL | 1<<PUBCOMP | 1<<SUBSCRIBE | 1<<SUBACK | 1<<UNSUBSCRIBE | 1<<UNSUBACK | 1<<DISCONNECT | 1<<AUTH, def: &fieldDef{key: "property.user", name: "User Property",
		meaning: "An application-defined name/value pair; may repeat, and their order is kept.", spec5: "3.3.2.3.7"}},
	PropMaximumPacketSize: {id: PropMaximumPacketSize, typ: WireFourByteInt, in: 1<<CONNECT | 1<<CONNACK, def: &fieldDef{key: "property.maximum_packet_size", name: "Maximum Packet Size",
		meaning: "The largest packet, in bytes, the sender of this packet accepts (absent: no limit but the protocol's).", spec5: "3.1.2.11.4"}},
	PropWildcardSubAvailable: {id: PropWildcardSubAvailable, typ: WireByte, in: 1 << CONNACK, def: &fieldDef{key: "property.wildcard_sub_available", name: "Wildcard Subscription Available",
		meaning: "0: the server refuses subscriptions with + or # (absent: 1).", spec5: "3.2.2.3.11"}},
	PropSubIDAvailable: {id: PropSubIDAvailable, typ: WireByte, in: 1 << CONNACK, def: &fieldDef{key: "property.subscription_id_available", name: "Subscription Identifiers Available",
		meaning: "0: the server does not support subscription identifiers (absent: 1).", spec5: "3.2.2.3.12"}},
	PropSharedSubAvailable: {id: PropSharedSubAvailable, typ: WireByte, in: 1 << CONNACK, def: &fieldDef{key: "property.shared_sub_available", name: "Shared Subscription Available",
		meaning: "0: the server does not support $share subscriptions (absent: 1).", spec5: "3.2.2.3.13"}},
}

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
