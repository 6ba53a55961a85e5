package protocol

import "strings"

// ReasonCode is an MQTT 5.0 reason code (§2.4). Codes below 0x80 report
// success; 0x80 and above report failure. MQTT 3.1.1 return codes of CONNACK
// and SUBACK are mapped onto these (see ConnackReturnCode).
type ReasonCode byte

// Every reason code of MQTT 5.0, by its name in the specification.
const (
	Success                             ReasonCode = 0x00 // also Normal disconnection, Granted QoS 0
	GrantedQoS1                         ReasonCode = 0x01
	GrantedQoS2                         ReasonCode = 0x02
	DisconnectWithWill                  ReasonCode = 0x04
	NoMatchingSubscribers               ReasonCode = 0x10
	NoSubscriptionExisted               ReasonCode = 0x11
	ContinueAuthentication              ReasonCode = 0x18
	ReAuthenticate                      ReasonCode = 0x19
	UnspecifiedError                    ReasonCode = 0x80
	MalformedPacket                     ReasonCode = 0x81
	ProtocolError                       ReasonCode = 0x82
	ImplementationSpecificError         ReasonCode = 0x83
	UnsupportedProtocolVersion          ReasonCode = 0x84
	ClientIdentifierNotValid            ReasonCode = 0x85
	BadUserNameOrPassword               ReasonCode = 0x86
	NotAuthorized                       ReasonCode = 0x87
	ServerUnavailable                   ReasonCode = 0x88
	ServerBusy                          ReasonCode = 0x89
	Banned                              ReasonCode = 0x8A
	ServerShuttingDown                  ReasonCode = 0x8B
	BadAuthenticationMethod             ReasonCode = 0x8C
	KeepAliveTimeout                    ReasonCode = 0x8D
	SessionTakenOver                    ReasonCode = 0x8E
	TopicFilterInvalid                  ReasonCode = 0x8F
	TopicNameInvalid                    ReasonCode = 0x90
	PacketIdentifierInUse               ReasonCode = 0x91
	PacketIdentifierNotFound            ReasonCode = 0x92
	ReceiveMaximumExceeded              ReasonCode = 0x93
	TopicAliasInvalid                   ReasonCode = 0x94
	PacketTooLarge                      ReasonCode = 0x95
	MessageRateTooHigh                  ReasonCode = 0x96
	QuotaExceeded                       ReasonCode = 0x97
	AdministrativeAction                ReasonCode = 0x98
	PayloadFormatInvalid                ReasonCode = 0x99
	RetainNotSupported                  ReasonCode = 0x9A
	QoSNotSupported                     ReasonCode = 0x9B
	UseAnotherServer                    ReasonCode = 0x9C
	ServerMoved                         ReasonCode = 0x9D
	SharedSubscriptionsNotSupported     ReasonCode = 0x9E
	ConnectionRateExceeded              ReasonCode = 0x9F
	MaximumConnectTime                  ReasonCode = 0xA0
	SubscriptionIdentifiersNotSupported ReasonCode = 0xA1
	WildcardSubscriptionsNotSupported   ReasonCode = 0xA2
)

// NormalDisconnection and GrantedQoS0 are Success under the names DISCONNECT
// and SUBACK give it.
const (
	NormalDisconnection = Success
	GrantedQoS0         = Success
)

type reasonInfo struct {
	name    string
	meaning string
}

// reasonCodes holds the name and a one-line meaning of every code (§2.4),
// indexed by code; the name of a code MQTT 5.0 does not define is empty.
var reasonCodes = [256]reasonInfo{
	0x00: {"Success", "The operation succeeded."},
	0x01: {"Granted QoS 1", "The subscription is accepted; messages are delivered at up to QoS 1."},
	0x02: {"Granted QoS 2", "The subscription is accepted; messages are delivered at up to QoS 2."},
	0x04: {"Disconnect with Will Message", "The client disconnects normally but wants the server to publish its will."},
	0x10: {"No matching subscribers", "The message was accepted but nobody is subscribed to its topic."},
	0x11: {"No subscription existed", "There was no subscription with this topic filter to remove."},
	0x18: {"Continue authentication", "Authentication goes on with another AUTH exchange."},
	0x19: {"Re-authenticate", "The client starts a new authentication on a live connection."},
	0x80: {"Unspecified error", "The receiver does not accept the packet and gives no more specific reason."},
	0x81: {"Malformed Packet", "The packet could not be parsed according to the specification."},
	0x82: {"Protocol Error", "The packet is well formed but breaks a rule of the protocol."},
	0x83: {"Implementation specific error", "The packet is valid but the receiver does not accept it."},
	0x84: {"Unsupported Protocol Version", "The server does not speak the protocol version the client asked for."},
	0x85: {"Client Identifier not valid", "The client identifier is well formed but not allowed by the server."},
	0x86: {"Bad User Name or Password", "The server does not accept the user name or password."},
	0x87: {"Not authorized", "The client is not allowed to do this."},
	0x88: {"Server unavailable", "The server is not available."},
	0x89: {"Server busy", "The server is busy; try again later."},
	0x8A: {"Banned", "This client has been banned by an administrator."},
	0x8B: {"Server shutting down", "The server is shutting down."},
	0x8C: {"Bad authentication method", "The authentication method is not supported or does not match the one in use."},
	0x8D: {"Keep Alive timeout", "No packet arrived within 1.5 times the keep alive."},
	0x8E: {"Session taken over", "Another connection with the same client identifier took this session over."},
	0x8F: {"Topic Filter invalid", "The topic filter is well formed but not accepted."},
	0x90: {"Topic Name invalid", "The topic name is well formed but not accepted."},
	0x91: {"Packet Identifier in use", "The packet identifier is already in use."},
	0x92: {"Packet Identifier not found", "The packet identifier is not known."},
	0x93: {"Receive Maximum exceeded", "More QoS 1 and 2 publishes are in flight than the receiver allowed."},
	0x94: {"Topic Alias invalid", "The topic alias is zero or above the maximum the receiver allowed."},
	0x95: {"Packet too large", "The packet is larger than the maximum packet size the receiver allowed."},
	0x96: {"Message rate too high", "The sender publishes faster than the receiver allows."},
	0x97: {"Quota exceeded", "An implementation or administrative limit was exceeded."},
	0x98: {"Administrative action", "The connection is closed by an administrator."},
	0x99: {"Payload format invalid", "The payload was announced as UTF-8 text but is not valid UTF-8."},
	0x9A: {"Retain not supported", "The server does not support retained messages."},
	0x9B: {"QoS not supported", "The QoS is higher than the server's Maximum QoS."},
	0x9C: {"Use another server", "The client should temporarily use another server."},
	0x9D: {"Server moved", "The client should permanently use another server."},
	0x9E: {"Shared Subscriptions not supported", "The server does not support shared subscriptions."},
	0x9F: {"Connection rate exceeded", "The connection rate limit has been exceeded."},
	0xA0: {"Maximum connect time", "The maximum connection time for this connection has passed."},
	0xA1: {"Subscription Identifiers not supported", "The server does not support subscription identifiers."},
	0xA2: {"Wildcard Subscriptions not supported", "The server does not support wildcard subscriptions."},
}

// String returns the specification's name of the code, e.g. "Packet too
// large". Success is "Success"; NameIn gives the name a packet type uses.
func (c ReasonCode) String() string {
	if c.Known() {
		return reasonCodes[c].name
	}
	return "Unknown reason code 0x" + hex2(byte(c))
}

// Meaning returns one line saying what the code means.
func (c ReasonCode) Meaning() string {
	if c.Known() {
		return reasonCodes[c].meaning
	}
	return "This reason code is not defined by MQTT 5.0."
}

// NameIn returns the code's name as packet type t uses it: 0x00 is "Normal
// disconnection" in DISCONNECT and "Granted QoS 0" in SUBACK.
func (c ReasonCode) NameIn(t Type) string {
	if c == Success {
		switch t {
		case DISCONNECT:
			return "Normal disconnection"
		case SUBACK:
			return "Granted QoS 0"
		}
	}
	return c.String()
}

// IsError reports whether the code reports a failure (0x80 and above).
func (c ReasonCode) IsError() bool { return c >= 0x80 }

// Known reports whether the code is defined by MQTT 5.0.
func (c ReasonCode) Known() bool { return reasonCodes[c].name != "" }

// reasonCodesOf lists the codes each packet type may carry in MQTT 5.0
// (the table of §2.4 and each packet's own section), in ascending order,
// one byte per code.
var reasonCodesOf = [16]string{
	CONNACK:    "\x00\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8c\x90\x95\x97\x99\x9a\x9b\x9c\x9d\x9f",
	PUBACK:     "\x00\x10\x80\x83\x87\x90\x91\x97\x99",
	PUBREC:     "\x00\x10\x80\x83\x87\x90\x91\x97\x99",
	PUBREL:     "\x00\x92",
	PUBCOMP:    "\x00\x92",
	SUBACK:     "\x00\x01\x02\x80\x83\x87\x8f\x91\x97\x9e\xa1\xa2",
	UNSUBACK:   "\x00\x11\x80\x83\x87\x8f\x91",
	DISCONNECT: "\x00\x04\x80\x81\x82\x83\x87\x89\x8b\x8c\x8d\x8e\x8f\x90\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\xa0\xa1\xa2",
	AUTH:       "\x00\x18\x19",
}

// AllowedIn reports whether packet type t may carry code c in MQTT 5.0.
func (c ReasonCode) AllowedIn(t Type) bool {
	return t < 16 && strings.IndexByte(reasonCodesOf[t], byte(c)) >= 0
}

// ReasonCodesOf lists the codes packet type t may carry in MQTT 5.0, in
// ascending order; nil for types without a reason code.
func ReasonCodesOf(t Type) []ReasonCode {
	if t >= 16 || reasonCodesOf[t] == "" {
		return nil
	}
	out := make([]ReasonCode, len(reasonCodesOf[t]))
	for i := range out {
		out[i] = ReasonCode(reasonCodesOf[t][i])
	}
	return out
}

// MQTT 3.1 and 3.1.1 CONNACK return codes (§3.2.2.3 of 3.1.1).
const (
	ConnAccepted                   byte = 0x00
	ConnRefusedProtocolVersion     byte = 0x01
	ConnRefusedIdentifierRejected  byte = 0x02
	ConnRefusedServerUnavailable   byte = 0x03
	ConnRefusedBadUsernamePassword byte = 0x04
	ConnRefusedNotAuthorized       byte = 0x05
)

var returnCodeNames = [6]string{
	"Connection Accepted",
	"Connection Refused, unacceptable protocol version",
	"Connection Refused, identifier rejected",
	"Connection Refused, Server unavailable",
	"Connection Refused, bad user name or password",
	"Connection Refused, not authorized",
}

// ConnackReturnCode maps a reason code onto the six CONNACK return codes of
// MQTT 3.1 and 3.1.1. Codes with no 3.1.1 counterpart become "Server
// unavailable", the closest general refusal.
func ConnackReturnCode(c ReasonCode) byte {
	switch c {
	case Success:
		return ConnAccepted
	case UnsupportedProtocolVersion:
		return ConnRefusedProtocolVersion
	case ClientIdentifierNotValid:
		return ConnRefusedIdentifierRejected
	case BadUserNameOrPassword, BadAuthenticationMethod:
		return ConnRefusedBadUsernamePassword
	case NotAuthorized, Banned:
		return ConnRefusedNotAuthorized
	}
	return ConnRefusedServerUnavailable
}

// reasonFromReturnCode is the inverse of ConnackReturnCode on 0..5.
var reasonFromReturnCode = [6]ReasonCode{
	Success, UnsupportedProtocolVersion, ClientIdentifierNotValid,
	ServerUnavailable, BadUserNameOrPassword, NotAuthorized,
}
