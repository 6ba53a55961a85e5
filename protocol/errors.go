package protocol

import "errors"

// Error is a violation of the protocol found by the codec. Code is the
// reason code the receiver answers with (in a DISCONNECT or CONNACK for 5.0;
// 3.x peers are simply disconnected), Rule the normative statement broken.
//
// The exported Err* values are the errors the codec returns, possibly
// wrapped with detail: test them with errors.Is, read the code with
// ReasonCodeOf or errors.As.
type Error struct {
	Code ReasonCode
	Rule string // e.g. "MQTT-3.3.1-4"; for a rule with different numbers per version, both
	Msg  string
}

func (e *Error) Error() string {
	s := "mqtt: " + e.Msg
	if e.Rule != "" {
		s += " [" + e.Rule + "]"
	}
	return s + " (0x" + hex2(byte(e.Code)) + " " + e.Code.String() + ")"
}

// detailed is an *Error with context (which property, which byte).
type detailed struct {
	err    *Error
	detail string
}

func (d *detailed) Error() string {
	return "mqtt: " + d.err.Msg + ": " + d.detail + ruleSuffix(d.err) + " (0x" + hex2(byte(d.err.Code)) + " " + d.err.Code.String() + ")"
}

func (d *detailed) Unwrap() error { return d.err }

func ruleSuffix(e *Error) string {
	if e.Rule == "" {
		return ""
	}
	return " [" + e.Rule + "]"
}

// withDetail adds context to one of the codec's errors, keeping errors.Is.
func withDetail(err *Error, detail string) error { return &detailed{err, detail} }

// asError returns the *Error inside err, or nil.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// ReasonCodeOf returns the reason code carried by err: Success for nil,
// the code of the *Error inside it, or UnspecifiedError for any other error.
func ReasonCodeOf(err error) ReasonCode {
	if err == nil {
		return Success
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return UnspecifiedError
}

// RuleOf returns the normative rule an error of the codec cites, or "".
func RuleOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Rule
	}
	return ""
}

func malformed(rule, msg string) *Error { return &Error{MalformedPacket, rule, msg} }
func protoErr(rule, msg string) *Error  { return &Error{ProtocolError, rule, msg} }

// Errors of the codec, grouped by what they check. Rules are cited as
// 3.1.1/5.0 where the two specifications number them differently.
var (
	// Fixed header and encoding of values.
	ErrTruncated        = malformed("", "packet shorter than its fields")
	ErrVarintTooLong    = malformed("", "variable byte integer longer than 4 bytes")
	ErrReservedType     = malformed("", "reserved packet type")
	ErrReservedFlags    = malformed("MQTT-2.2.2-1/MQTT-2.1.3-1", "reserved fixed header flags have the wrong value")
	ErrTrailingBytes    = malformed("", "bytes left over after the packet's last field")
	ErrInvalidUTF8      = malformed("MQTT-1.5.3-1/MQTT-1.5.4-1", "string is not well-formed UTF-8")
	ErrNullCharacter    = malformed("MQTT-1.5.3-2/MQTT-1.5.4-2", "string contains U+0000")
	ErrStringTooLong    = malformed("", "string or binary data longer than 65,535 bytes")
	ErrPacketTooLarge   = &Error{PacketTooLarge, "MQTT-3.2.2-15/MQTT-3.1.2-24", "packet larger than the maximum packet size"}
	ErrVersionUnknown   = protoErr("", "protocol version not set or not supported")
	ErrPacketIDZero     = protoErr("MQTT-2.3.1-1/MQTT-2.2.1-3", "packet identifier must not be 0")
	ErrBadReasonCode    = protoErr("", "reason code not allowed in this packet")
	ErrBadReturnCode    = malformed("", "reserved return code")
	ErrPayloadFormatBad = &Error{PayloadFormatInvalid, "MQTT-3.3.2-4", "payload format indicator says UTF-8 but the payload is not valid UTF-8"}

	// CONNECT and CONNACK.
	ErrProtocolName          = &Error{UnsupportedProtocolVersion, "MQTT-3.1.2-1", "protocol name is not MQTT (or MQIsdp for 3.1)"}
	ErrProtocolLevel         = &Error{UnsupportedProtocolVersion, "MQTT-3.1.2-2", "protocol level not supported"}
	ErrConnectReserved       = malformed("MQTT-3.1.2-3", "CONNECT reserved flag is not 0")
	ErrWillQoSWithoutWill    = malformed("MQTT-3.1.2-13/MQTT-3.1.2-11", "will QoS set without the will flag")
	ErrWillRetainNoWill      = malformed("MQTT-3.1.2-15/MQTT-3.1.2-13", "will retain set without the will flag")
	ErrWillQoS3              = malformed("MQTT-3.1.2-14/MQTT-3.1.2-12", "will QoS is 3")
	ErrPasswordNoUsername    = malformed("MQTT-3.1.2-22", "password flag set without the user name flag (3.1.1)")
	ErrConnackReserved       = malformed("MQTT-3.2.2-1", "CONNACK acknowledge flags reserved bits are not 0")
	ErrSecondConnect         = protoErr("MQTT-3.1.0-2", "second CONNECT on a connection")
	ErrFirstPacketNotConnect = protoErr("MQTT-3.1.0-1", "first packet is not CONNECT")

	// PUBLISH.
	ErrQoS3           = malformed("MQTT-3.3.1-4", "QoS is 3")
	ErrDupQoS0        = malformed("MQTT-3.3.1-2", "DUP flag set on a QoS 0 message")
	ErrTopicWildcard  = &Error{TopicNameInvalid, "MQTT-3.3.2-2", "topic name contains a wildcard"}
	ErrTopicEmpty     = protoErr("MQTT-4.7.3-1", "topic name is empty (and no topic alias)")
	ErrTopicAliasZero = &Error{TopicAliasInvalid, "MQTT-3.3.2-8", "topic alias is 0"}

	// SUBSCRIBE and UNSUBSCRIBE.
	ErrNoSubscriptions    = protoErr("MQTT-3.8.3-3/MQTT-3.8.3-2", "SUBSCRIBE with no topic filter")
	ErrNoUnsubscriptions  = protoErr("MQTT-3.10.3-2", "UNSUBSCRIBE with no topic filter")
	ErrSubOptionsReserved = malformed("MQTT-3.8.3-4/MQTT-3.8.3-5", "subscription options reserved bits are not 0")
	ErrSubQoS3            = malformed("MQTT-3.8.3-4", "subscription maximum QoS is 3")
	ErrRetainHandling3    = protoErr("", "retain handling is 3")
	ErrNoLocalShared      = protoErr("MQTT-3.8.3-4", "no local set on a shared subscription")
	ErrFilterEmpty        = &Error{TopicFilterInvalid, "MQTT-4.7.3-1", "topic filter is empty"}
	ErrFilterHash         = &Error{TopicFilterInvalid, "MQTT-4.7.1-2/MQTT-4.7.1-1", "'#' must be alone in the last level of a filter"}
	ErrFilterPlus         = &Error{TopicFilterInvalid, "MQTT-4.7.1-3/MQTT-4.7.1-2", "'+' must be alone in its level"}
	ErrSharedName         = &Error{TopicFilterInvalid, "MQTT-4.8.2-1/MQTT-4.8.2-2", "shared subscription must be $share/{group}/{filter} with a non-empty group free of '/', '+' and '#'"}

	// Properties (MQTT 5.0, §2.2.2).
	ErrPropertyUnknown    = malformed("", "unknown property identifier")
	ErrPropertyNotAllowed = malformed("", "property not allowed in this packet")
	ErrPropertyRepeated   = protoErr("", "property included more than once")
	ErrPropertyValue      = protoErr("", "property value out of range")
)
