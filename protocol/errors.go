package protocol

// Error is a violation of the protocol found by the codec. Code is the
// reason code the receiver answers with (in a DISCONNECT or CONNACK for 5.0;
// 3.x peers are simply disconnected), Rule the normative statement broken.
//
// The exported Err* values are the errors the codec returns, possibly
// wrapped with detail: test them with errors.Is, read the code with
// ReasonCodeOf or errors.As.
type Error struct {
	Code ReasonCode
	// Rule cites the normative statement broken, e.g. "MQTT-3.3.1-4" (the
	// same number in 3.1.1 and 5.0). A rule the two specifications number
	// differently is written "3.1.1 number/5.0 number"
	// ("MQTT-2.2.2-1/MQTT-2.1.3-1"); a rule of one specification only ends
	// in " (3.1.1)" or " (5.0)", and several rules of one specification are
	// separated by ", ". It is empty when the check follows from a
	// section's text that has no numbered statement. RuleOf may return a
	// more precise rule than this one, such as the rule of the packet type.
	Rule string
	Msg  string
}

func (e *Error) Error() string { return e.format("", e.Rule) }

// format writes e as "mqtt: msg: detail [rule] (0x82 Protocol Error)",
// leaving out an empty detail or rule.
func (e *Error) format(detail, rule string) string {
	s := "mqtt: " + e.Msg
	if detail != "" {
		s += ": " + detail
	}
	if rule != "" {
		s += " [" + rule + "]"
	}
	return s + " (0x" + hex2(byte(e.Code)) + " " + e.Code.String() + ")"
}

// detailed is an *Error with context (which property, which byte) and
// possibly a more precise rule than the *Error's own.
type detailed struct {
	err    *Error
	rule   string
	detail string
}

func (d *detailed) Error() string { return d.err.format(d.detail, d.ruleOf()) }

func (d *detailed) Unwrap() error { return d.err }

func (d *detailed) ruleOf() string {
	if d.rule != "" {
		return d.rule
	}
	return d.err.Rule
}

// withDetail adds context to one of the codec's errors, keeping errors.Is.
func withDetail(err *Error, detail string) error { return &detailed{err: err, detail: detail} }

// withRule adds context and the precise rule broken, when the *Error
// stands for one rule per packet type.
func withRule(err *Error, rule, detail string) error {
	return &detailed{err: err, rule: rule, detail: detail}
}

// asError returns the *Error inside err, or nil.
func asError(err error) *Error {
	_, e := find(err, false)
	return e
}

// find returns the first *detailed (when detail is set) or *Error in
// err's tree, searched depth first as errors.As searches it: err itself,
// its As method, then what Unwrap returns. It is errors.As for the
// codec's two types without the reflection errors.As costs a wasm build.
func find(err error, detail bool) (*detailed, *Error) {
	for err != nil {
		switch x := err.(type) {
		case *Error:
			if detail {
				return nil, nil // an *Error wraps nothing
			}
			return nil, x
		case *detailed:
			if detail {
				return x, nil
			}
			return nil, x.err
		}
		if a, ok := err.(interface{ As(any) bool }); ok {
			if detail {
				if d := new(*detailed); a.As(d) {
					return *d, nil
				}
			} else if e := new(*Error); a.As(e) {
				return nil, *e
			}
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, err := range u.Unwrap() {
				if d, e := find(err, detail); d != nil || e != nil {
					return d, e
				}
			}
			return nil, nil
		default:
			return nil, nil
		}
	}
	return nil, nil
}

// ReasonCodeOf returns the reason code carried by err: Success for nil,
// the code of the *Error inside it, or UnspecifiedError for any other error.
func ReasonCodeOf(err error) ReasonCode {
	if err == nil {
		return Success
	}
	if e := asError(err); e != nil {
		return e.Code
	}
	return UnspecifiedError
}

// RuleOf returns the normative rule an error of the codec cites, or "":
// the rule of the packet type when the check has one per type (a reason
// code not allowed in a PUBACK cites MQTT-3.4.2-1), else the *Error's Rule.
func RuleOf(err error) string {
	if d, _ := find(err, true); d != nil {
		return d.ruleOf()
	}
	if e := asError(err); e != nil {
		return e.Rule
	}
	return ""
}

func malformed(rule, msg string) *Error { return &Error{MalformedPacket, rule, msg} }
func protoErr(rule, msg string) *Error  { return &Error{ProtocolError, rule, msg} }

// Errors of the codec, grouped by what they check. The rules they cite
// follow the format documented on Error.Rule.
var (
	// Fixed header and encoding of values.
	ErrTruncated        = malformed("", "packet shorter than its fields")
	ErrVarintTooLong    = malformed("", "variable byte integer longer than 4 bytes")                        // §2.2.3 (3.1.1), §1.5.5 (5.0)
	ErrVarintNotMinimal = malformed("MQTT-1.5.5-1 (5.0)", "variable byte integer not in its shortest form") // also the algorithm of §2.2.3 (3.1.1)
	ErrReservedType     = malformed("", "reserved packet type")                                             // §2.2.1 (3.1.1), §2.1.2 (5.0)
	ErrReservedFlags    = malformed("MQTT-2.2.2-1/MQTT-2.1.3-1", "reserved fixed header flags have the wrong value")
	ErrTrailingBytes    = malformed("", "bytes left over after the packet's last field")
	ErrInvalidUTF8      = malformed("MQTT-1.5.3-1/MQTT-1.5.4-1", "string is not well-formed UTF-8")
	ErrNullCharacter    = malformed("MQTT-1.5.3-2/MQTT-1.5.4-2", "string contains U+0000")
	ErrStringTooLong    = malformed("", "string or binary data longer than 65,535 bytes")
	ErrPacketTooLarge   = &Error{PacketTooLarge, "MQTT-3.1.2-24, MQTT-3.2.2-15 (5.0)", "packet larger than the maximum packet size"}
	ErrVersionUnknown   = protoErr("", "protocol version not set or not supported")
	ErrPacketIDZero     = protoErr("MQTT-2.3.1-1/MQTT-2.2.1-3", "packet identifier must not be 0")
	ErrBadReasonCode    = protoErr("", "reason code not allowed in this packet") // RuleOf gives the packet's rule
	ErrBadReturnCode    = malformed("", "reserved return code")                  // §3.2.2.3 (CONNACK), MQTT-3.9.3-2 (SUBACK, 3.1.1)
	ErrNoReasonCodes    = protoErr("MQTT-3.8.4-5/MQTT-3.8.4-6", "SUBACK or UNSUBACK without a reason code")
	ErrPayloadFormatBad = &Error{PayloadFormatInvalid, "", "payload format indicator says UTF-8 but the payload is not valid UTF-8"} // §3.3.2.3.2 (5.0)

	// CONNECT and CONNACK.
	ErrProtocolName          = &Error{UnsupportedProtocolVersion, "MQTT-3.1.2-1", "protocol name is not MQTT (or MQIsdp for 3.1)"}
	ErrProtocolLevel         = &Error{UnsupportedProtocolVersion, "MQTT-3.1.2-2", "protocol level not supported"}
	ErrConnectReserved       = malformed("MQTT-3.1.2-3", "CONNECT reserved flag is not 0")
	ErrWillQoSWithoutWill    = malformed("MQTT-3.1.2-13/MQTT-3.1.2-11", "will QoS set without the will flag")
	ErrWillRetainNoWill      = malformed("MQTT-3.1.2-15/MQTT-3.1.2-13", "will retain set without the will flag")
	ErrWillQoS3              = malformed("MQTT-3.1.2-14/MQTT-3.1.2-12", "will QoS is 3")
	ErrPasswordNoUsername    = malformed("MQTT-3.1.2-22 (3.1.1)", "password flag set without the user name flag (3.1.1)")
	ErrConnackReserved       = malformed("MQTT-3.2.2-1 (5.0)", "CONNACK acknowledge flags reserved bits are not 0") // unnumbered in 3.1.1 §3.2.2.1
	ErrConnackSessionPresent = protoErr("MQTT-3.2.2-4/MQTT-3.2.2-6", "session present set on a refused connection")
	ErrSecondConnect         = protoErr("MQTT-3.1.0-2", "second CONNECT on a connection")
	ErrFirstPacketNotConnect = protoErr("MQTT-3.1.0-1", "first packet is not CONNECT")

	// PUBLISH.
	ErrQoS3           = malformed("MQTT-3.3.1-4", "QoS is 3")
	ErrDupQoS0        = malformed("MQTT-3.3.1-2", "DUP flag set on a QoS 0 message")
	ErrTopicWildcard  = &Error{TopicNameInvalid, "MQTT-3.3.2-2", "topic name contains a wildcard"}
	ErrTopicEmpty     = protoErr("MQTT-4.7.3-1", "topic name is empty (and no topic alias)")
	ErrTopicAliasZero = &Error{TopicAliasInvalid, "MQTT-3.3.2-8 (5.0)", "topic alias is 0"}
	ErrResponseTopic  = protoErr("MQTT-3.3.2-14 (5.0)", "response topic is not a valid topic name")

	// SUBSCRIBE and UNSUBSCRIBE.
	ErrNoSubscriptions    = protoErr("MQTT-3.8.3-3/MQTT-3.8.3-2", "SUBSCRIBE with no topic filter")
	ErrNoUnsubscriptions  = protoErr("MQTT-3.10.3-2", "UNSUBSCRIBE with no topic filter")
	ErrSubOptionsReserved = malformed("MQTT-3.8.3-4/MQTT-3.8.3-5", "subscription options reserved bits are not 0")
	ErrSubQoS3            = protoErr("MQTT-3.8.3-4 (3.1.1)", "subscription maximum QoS is 3") // a Protocol Error in 5.0 (§3.8.3.1); 3.1.1 closes the connection
	ErrRetainHandling3    = protoErr("", "retain handling is 3")                              // §3.8.3.1 (5.0)
	ErrNoLocalShared      = protoErr("MQTT-3.8.3-4 (5.0)", "no local set on a shared subscription")
	ErrFilterEmpty        = &Error{TopicFilterInvalid, "MQTT-4.7.3-1", "topic filter is empty"}
	ErrFilterHash         = &Error{TopicFilterInvalid, "MQTT-4.7.1-2/MQTT-4.7.1-1", "'#' must be alone in the last level of a filter"}
	ErrFilterPlus         = &Error{TopicFilterInvalid, "MQTT-4.7.1-3/MQTT-4.7.1-2", "'+' must be alone in its level"}
	ErrSharedName         = &Error{TopicFilterInvalid, "MQTT-4.8.2-1, MQTT-4.8.2-2 (5.0)", "shared subscription must be $share/{group}/{filter} with a non-empty group free of '/', '+' and '#'"}

	// Properties (MQTT 5.0, §2.2.2).
	ErrPropertyUnknown    = malformed("", "unknown property identifier")         // §2.2.2.2
	ErrPropertyNotAllowed = malformed("", "property not allowed in this packet") // §2.2.2.2
	ErrPropertyRepeated   = protoErr("", "property included more than once")     // each property's section
	ErrPropertyValue      = protoErr("", "property value out of range")          // each property's section
)

// reasonCodeRules are the rules (5.0) requiring each packet type to carry
// one of its own reason codes.
var reasonCodeRules = [16]string{
	CONNACK: "MQTT-3.2.2-8 (5.0)", PUBACK: "MQTT-3.4.2-1 (5.0)", PUBREC: "MQTT-3.5.2-1 (5.0)",
	PUBREL: "MQTT-3.6.2-1 (5.0)", PUBCOMP: "MQTT-3.7.2-1 (5.0)", SUBACK: "MQTT-3.9.3-2 (5.0)",
	UNSUBACK: "MQTT-3.11.3-2 (5.0)", DISCONNECT: "MQTT-3.14.2-1 (5.0)", AUTH: "MQTT-3.15.2-1 (5.0)",
}

// badReasonCode is ErrBadReasonCode for code c in packet type t, citing
// the packet's rule.
func badReasonCode(c ReasonCode, t Type) error {
	return withRule(ErrBadReasonCode, reasonCodeRules[t], "0x"+hex2(byte(c))+" in "+t.String())
}
