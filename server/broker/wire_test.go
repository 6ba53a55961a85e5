package broker

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// Malformed input over the wire: every rule of the codec a client can
// break, sent as raw bytes over TCP, in 5.0 and in 3.1.1. Each case checks
// what the broker answers (a DISCONNECT reason code in 5.0, a CONNACK for
// a bad CONNECT), that it closes the connection, and that a bystander
// connected beforehand still gets its messages. The bytes of every case
// are first run through the codec, so a case cannot silently test some
// other rule than the one it names.

// Byte builders for hand-made packets.

// wirePkt assembles a packet: first byte, Remaining Length, parts.
func wirePkt(first byte, parts ...[]byte) []byte {
	body := slices.Concat(parts...)
	return append(protocol.AppendVarint([]byte{first}, uint32(len(body))), body...)
}

// wireStr is a two-byte-length-prefixed string or binary field.
func wireStr(s string) []byte { return append([]byte{byte(len(s) >> 8), byte(len(s))}, s...) }

func wireU16(x uint16) []byte { return []byte{byte(x >> 8), byte(x)} }

func wireU32(x uint32) []byte { return []byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)} }

// wireProps is a property block: its length, then the properties.
func wireProps(props ...[]byte) []byte {
	b := slices.Concat(props...)
	return append(protocol.AppendVarint(nil, uint32(len(b))), b...)
}

// wireVProps is a property block in 5.0 and nothing in 3.1.1.
func wireVProps(v protocol.Version, props ...[]byte) []byte {
	if v != protocol.V5 {
		return nil
	}
	return wireProps(props...)
}

func wireB(b ...byte) []byte { return b }

// wireConnect is a CONNECT of version v with the given connect flags;
// props5 is its property block in 5.0 (nil: empty), payload its payload.
func wireConnect(v protocol.Version, flags byte, props5 []byte, payload ...[]byte) []byte {
	var props []byte
	if v == protocol.V5 {
		props = props5
		if props == nil {
			props = wireProps()
		}
	}
	return wirePkt(0x10, wireStr(v.ProtocolName()), wireB(byte(v), flags), wireU16(60), props, slices.Concat(payload...))
}

// wireAck says what a broker may answer to a bad CONNECT before closing:
// no CONNACK at all (codes nil), or a CONNACK with one of codes (the byte
// on the wire: a 5.0 reason code or a 3.1.1 return code), which the broker
// may leave out when optional.
type wireAck struct {
	codes    []byte
	optional bool
}

var wireNoAck = wireAck{}

func wireAckOf(codes ...byte) wireAck    { return wireAck{codes: codes} }
func wireAckMaybe(codes ...byte) wireAck { return wireAck{codes: codes, optional: true} }

// wireConnectCase is a bad CONNECT sent as the first packet.
type wireConnectCase struct {
	name  string
	rule  string
	only  protocol.Version // 0: both 3.1.1 and 5.0
	err   error            // what the codec says of the bytes; nil when the broker's own check applies
	pkt   func(v protocol.Version) []byte
	want5 wireAck
	// want311: [MQTT-3.1.4-1] a 3.1.1 server closes the connection without
	// CONNACK for a CONNECT that does not conform, except for the
	// protocol level [MQTT-3.1.2-2] and the client identifier
	// [MQTT-3.1.3-9], which have return codes.
	want311 wireAck
}

var wireConnectCases = []wireConnectCase{
	{name: "protocol name", rule: "MQTT-3.1.2-1", err: protocol.ErrProtocolName,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0x10, wireStr("MQTX"), wireB(byte(v), 0x02), wireU16(60), wireVProps(v), wireStr("c"))
		},
		// The server MAY disconnect; the only CONNACK it can send a client
		// whose protocol it does not know is a refusal.
		want5: wireAckMaybe(0x01, 0x84), want311: wireAckMaybe(0x01)},
	{name: "protocol level 6", rule: "MQTT-3.1.2-2", err: protocol.ErrProtocolLevel,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0x10, wireStr("MQTT"), wireB(6, 0x02), wireU16(60), wireVProps(v), wireStr("c"))
		},
		want5: wireAckOf(0x01, 0x84), want311: wireAckOf(0x01)},
	{name: "MQIsdp with level 4", rule: "MQTT-3.1.2-2", only: protocol.V311, err: protocol.ErrProtocolLevel,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0x10, wireStr("MQIsdp"), wireB(4, 0x02), wireU16(60), wireStr("c"))
		},
		want311: wireAckOf(0x01)},
	{name: "MQTT with level 3", rule: "MQTT-3.1.2-2", only: protocol.V311, err: protocol.ErrProtocolLevel,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0x10, wireStr("MQTT"), wireB(3, 0x02), wireU16(60), wireStr("c"))
		},
		want311: wireAckOf(0x01)},
	{name: "reserved connect flag", rule: "MQTT-3.1.2-3", err: protocol.ErrConnectReserved,
		pkt:   func(v protocol.Version) []byte { return wireConnect(v, 0x03, nil, wireStr("c")) },
		want5: wireAckOf(0x81), want311: wireNoAck},
	{name: "will QoS without will", rule: "MQTT-3.1.2-13/MQTT-3.1.2-11", err: protocol.ErrWillQoSWithoutWill,
		pkt:   func(v protocol.Version) []byte { return wireConnect(v, 0x0A, nil, wireStr("c")) },
		want5: wireAckOf(0x81), want311: wireNoAck},
	{name: "will retain without will", rule: "MQTT-3.1.2-15/MQTT-3.1.2-13", err: protocol.ErrWillRetainNoWill,
		pkt:   func(v protocol.Version) []byte { return wireConnect(v, 0x22, nil, wireStr("c")) },
		want5: wireAckOf(0x81), want311: wireNoAck},
	{name: "will QoS 3", rule: "MQTT-3.1.2-14/MQTT-3.1.2-12", err: protocol.ErrWillQoS3,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x1E, nil, wireStr("c"), wireVProps(v), wireStr("will"), wireStr("gone"))
		},
		want5: wireAckOf(0x81), want311: wireNoAck},
	{name: "password without user name", rule: "MQTT-3.1.2-22", only: protocol.V311, err: protocol.ErrPasswordNoUsername,
		pkt:     func(v protocol.Version) []byte { return wireConnect(v, 0x42, nil, wireStr("c"), wireStr("secret")) },
		want311: wireNoAck},
	{name: "client id not UTF-8", rule: "MQTT-1.5.3-1/MQTT-1.5.4-1", err: protocol.ErrInvalidUTF8,
		pkt:   func(v protocol.Version) []byte { return wireConnect(v, 0x02, nil, wireStr("c\xff\xfe")) },
		want5: wireAckOf(0x81), want311: wireNoAck},
	{name: "client id with U+0000", rule: "MQTT-1.5.3-2/MQTT-1.5.4-2", err: protocol.ErrNullCharacter,
		pkt:   func(v protocol.Version) []byte { return wireConnect(v, 0x02, nil, wireStr("c\x00d")) },
		want5: wireAckOf(0x81), want311: wireNoAck},
	{name: "will topic with wildcard", rule: "MQTT-3.3.2-2", err: protocol.ErrTopicWildcard,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x06, nil, wireStr("c"), wireVProps(v), wireStr("will/#"), wireStr("gone"))
		},
		want5: wireAckOf(0x90), want311: wireNoAck},
	{name: "will topic empty", rule: "MQTT-4.7.3-1", err: protocol.ErrTopicEmpty,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x06, nil, wireStr("c"), wireVProps(v), wireStr(""), wireStr("gone"))
		},
		want5: wireAckOf(0x82), want311: wireNoAck},
	{name: "truncated client id", err: protocol.ErrTruncated,
		pkt:   func(v protocol.Version) []byte { return wireConnect(v, 0x02, nil, wireU16(10), []byte("ab")) },
		want5: wireAckOf(0x81), want311: wireNoAck},
	{name: "trailing bytes", err: protocol.ErrTrailingBytes,
		pkt:   func(v protocol.Version) []byte { return wireConnect(v, 0x02, nil, wireStr("c"), wireB(0, 0)) },
		want5: wireAckOf(0x81), want311: wireNoAck},
	{name: "unknown property", only: protocol.V5, err: protocol.ErrPropertyUnknown,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x02, wireProps(wireB(0x05, 1)), wireStr("c"))
		},
		want5: wireAckOf(0x81)},
	{name: "property not allowed in CONNECT", only: protocol.V5, err: protocol.ErrPropertyNotAllowed,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x02, wireProps(wireB(0x23), wireU16(1)), wireStr("c")) // Topic Alias
		},
		want5: wireAckOf(0x81)},
	{name: "property repeated", only: protocol.V5, err: protocol.ErrPropertyRepeated,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x02, wireProps(wireB(0x11), wireU32(10), wireB(0x11), wireU32(20)), wireStr("c"))
		},
		want5: wireAckOf(0x82)},
	{name: "receive maximum 0", rule: "3.1.2.11.3", only: protocol.V5, err: protocol.ErrPropertyValue,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x02, wireProps(wireB(0x21), wireU16(0)), wireStr("c"))
		},
		want5: wireAckOf(0x82)},
	{name: "maximum packet size 0", rule: "3.1.2.11.4", only: protocol.V5, err: protocol.ErrPropertyValue,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x02, wireProps(wireB(0x27), wireU32(0)), wireStr("c"))
		},
		want5: wireAckOf(0x82)},
	{name: "request problem information 2", rule: "3.1.2.11.7", only: protocol.V5, err: protocol.ErrPropertyValue,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x02, wireProps(wireB(0x17, 2)), wireStr("c"))
		},
		want5: wireAckOf(0x82)},
	{name: "authentication data without method", rule: "3.1.2.11.10", only: protocol.V5, err: protocol.ErrPropertyValue,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x02, wireProps(wireB(0x16), wireStr("data")), wireStr("c"))
		},
		want5: wireAckOf(0x82)},
	{name: "session expiry in will properties", only: protocol.V5, err: protocol.ErrPropertyNotAllowed,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x06, nil, wireStr("c"), wireProps(wireB(0x11), wireU32(5)), wireStr("will"), wireStr("gone"))
		},
		want5: wireAckOf(0x81)},
	{name: "property length past the packet", only: protocol.V5, err: protocol.ErrTruncated,
		pkt: func(v protocol.Version) []byte {
			return wireConnect(v, 0x02, wireB(100), wireStr("c"))
		},
		want5: wireAckOf(0x81)},
	{name: "empty client id without clean session", rule: "MQTT-3.1.3-8", only: protocol.V311,
		pkt:     func(v protocol.Version) []byte { return wireConnect(v, 0x00, nil, wireStr("")) },
		want311: wireAckOf(0x02)},
	// Broken before the CONNECT's body is read: the broker does not know
	// the version yet, so a CONNACK is optional in 5.0.
	{name: "reserved fixed header flags", rule: "MQTT-2.2.2-1/MQTT-2.1.3-1", err: protocol.ErrReservedFlags,
		pkt: func(v protocol.Version) []byte {
			p := wireConnect(v, 0x02, nil, wireStr("c"))
			p[0] |= 0x01
			return p
		},
		want5: wireAckMaybe(0x81), want311: wireNoAck},
	{name: "remaining length of 5 bytes", err: protocol.ErrVarintTooLong,
		pkt:   func(v protocol.Version) []byte { return wireB(0x10, 0xff, 0xff, 0xff, 0xff, 0x7f) },
		want5: wireAckMaybe(0x81), want311: wireNoAck},
	{name: "larger than the maximum packet size", rule: "MQTT-3.1.2-24", err: protocol.ErrPacketTooLarge,
		pkt:   func(v protocol.Version) []byte { return wireB(0x10, 0x80, 0x80, 0x80, 0x01, 0x00, 0x04, 'M', 'Q') },
		want5: wireAckMaybe(0x95), want311: wireNoAck},
	{name: "first packet not CONNECT", rule: "MQTT-3.1.0-1", err: protocol.ErrFirstPacketNotConnect,
		pkt:   func(v protocol.Version) []byte { return wirePkt(0x30, wireStr("t"), wireVProps(v), []byte("x")) },
		want5: wireNoAck, want311: wireNoAck},
}

// wireCase is a bad packet sent by a client that connected properly.
type wireCase struct {
	name string
	rule string
	only protocol.Version // 0: both 3.1.1 and 5.0
	err  error            // what the codec says of the bytes; nil when the broker's own check applies
	pkt  func(v protocol.Version) []byte
	// code is the reason code of the DISCONNECT a 5.0 client gets
	// ([MQTT-4.13.1-1], §4.13); alt another acceptable one, where the
	// specification leaves the choice open. A 3.1.1 client is just
	// disconnected [MQTT-4.8.0-1].
	code, alt protocol.ReasonCode
}

// wirePublish is a PUBLISH of version v: first byte, topic, optional
// packet identifier, properties (5.0), payload.
func wirePublish(v protocol.Version, first byte, topic string, id []byte, props []byte, payload string) []byte {
	if v != protocol.V5 {
		props = nil
	} else if props == nil {
		props = wireProps()
	}
	return wirePkt(first, wireStr(topic), id, props, []byte(payload))
}

// wireSubscribe is a SUBSCRIBE of version v with one filter and options.
func wireSubscribe(v protocol.Version, first byte, id uint16, filter string, opts byte) []byte {
	return wirePkt(first, wireU16(id), wireVProps(v), wireStr(filter), wireB(opts))
}

var wireCases = []wireCase{
	// Fixed header and values.
	{name: "reserved packet type 0", err: protocol.ErrReservedType, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wireB(0x00, 0x00) }},
	{name: "AUTH in 3.1.1", only: protocol.V311, err: protocol.ErrReservedType,
		pkt: func(v protocol.Version) []byte { return wireB(0xF0, 0x00) }},
	{name: "SUBSCRIBE flags 0", rule: "MQTT-3.8.1-1", err: protocol.ErrReservedFlags, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x80, 1, "t", 0) }},
	{name: "UNSUBSCRIBE flags 0", rule: "MQTT-3.10.1-1", err: protocol.ErrReservedFlags, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePkt(0xA0, wireU16(1), wireVProps(v), wireStr("t")) }},
	{name: "PUBREL flags 0", rule: "MQTT-3.6.1-1", err: protocol.ErrReservedFlags, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wireB(0x60, 0x02, 0x00, 0x01) }},
	{name: "PINGREQ flags 1", rule: "MQTT-2.2.2-2/MQTT-2.1.3-1", err: protocol.ErrReservedFlags, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wireB(0xC1, 0x00) }},
	{name: "PINGREQ with a body", err: protocol.ErrTrailingBytes, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wireB(0xC0, 0x01, 0x00) }},
	{name: "PUBACK with a reason code in 3.1.1", only: protocol.V311, err: protocol.ErrTrailingBytes,
		pkt: func(v protocol.Version) []byte { return wireB(0x40, 0x03, 0x00, 0x01, 0x00) }},
	{name: "DISCONNECT with a body in 3.1.1", only: protocol.V311, err: protocol.ErrTrailingBytes,
		pkt: func(v protocol.Version) []byte { return wireB(0xE0, 0x01, 0x00) }},
	{name: "remaining length of 5 bytes", err: protocol.ErrVarintTooLong, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wireB(0x30, 0xff, 0xff, 0xff, 0xff, 0x7f) }},
	{name: "larger than the maximum packet size", rule: "MQTT-3.1.2-24", err: protocol.ErrPacketTooLarge, code: protocol.PacketTooLarge,
		pkt: func(v protocol.Version) []byte { return wireB(0x30, 0x80, 0x80, 0x80, 0x01, 0x00, 0x01, 't') }},
	{name: "second CONNECT", rule: "MQTT-3.1.0-2", err: nil, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wireConnect(v, 0x02, nil, wireStr("again")) }},
	// A client sends none of these; the specification does not say
	// whether that is malformed or a protocol error.
	{name: "CONNACK from a client", code: protocol.ProtocolError, alt: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte {
			if v == protocol.V5 {
				return wireB(0x20, 0x03, 0x00, 0x00, 0x00)
			}
			return wireB(0x20, 0x02, 0x00, 0x00)
		}},
	{name: "SUBACK from a client", code: protocol.ProtocolError, alt: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePkt(0x90, wireU16(1), wireVProps(v), wireB(0)) }},
	{name: "UNSUBACK from a client", code: protocol.ProtocolError, alt: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte {
			if v == protocol.V5 {
				return wirePkt(0xB0, wireU16(1), wireProps(), wireB(0))
			}
			return wirePkt(0xB0, wireU16(1))
		}},
	{name: "PINGRESP from a client", code: protocol.ProtocolError, alt: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wireB(0xD0, 0x00) }},

	// PUBLISH.
	{name: "PUBLISH QoS 3", rule: "MQTT-3.3.1-4", err: protocol.ErrQoS3, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePublish(v, 0x36, "t", wireU16(1), nil, "x") }},
	{name: "PUBLISH DUP with QoS 0", rule: "MQTT-3.3.1-2", err: protocol.ErrDupQoS0, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePublish(v, 0x38, "t", nil, nil, "x") }},
	{name: "PUBLISH topic with +", rule: "MQTT-3.3.2-2", err: protocol.ErrTopicWildcard, code: protocol.TopicNameInvalid,
		pkt: func(v protocol.Version) []byte { return wirePublish(v, 0x30, "a/+", nil, nil, "x") }},
	{name: "PUBLISH topic with #", rule: "MQTT-3.3.2-2", err: protocol.ErrTopicWildcard, code: protocol.TopicNameInvalid,
		pkt: func(v protocol.Version) []byte { return wirePublish(v, 0x32, "a/#", wireU16(1), nil, "x") }},
	{name: "PUBLISH empty topic", rule: "MQTT-4.7.3-1", err: protocol.ErrTopicEmpty, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wirePublish(v, 0x30, "", nil, nil, "x") }},
	{name: "PUBLISH topic not UTF-8", rule: "MQTT-1.5.3-1/MQTT-1.5.4-1", err: protocol.ErrInvalidUTF8, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePublish(v, 0x30, "a/\xc3\x28", nil, nil, "x") }},
	{name: "PUBLISH topic with a surrogate", rule: "MQTT-1.5.3-1/MQTT-1.5.4-1", err: protocol.ErrInvalidUTF8, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePublish(v, 0x30, "a/\xed\xa0\x80", nil, nil, "x") }},
	{name: "PUBLISH topic with U+0000", rule: "MQTT-1.5.3-2/MQTT-1.5.4-2", err: protocol.ErrNullCharacter, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePublish(v, 0x30, "a\x00b", nil, nil, "x") }},
	{name: "PUBLISH packet identifier 0", rule: "MQTT-2.3.1-1/MQTT-2.2.1-3", err: protocol.ErrPacketIDZero, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wirePublish(v, 0x32, "t", wireU16(0), nil, "x") }},
	{name: "PUBLISH without its packet identifier", err: protocol.ErrTruncated, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePkt(0x32, wireStr("t")) }},
	{name: "PUBLISH topic longer than the packet", err: protocol.ErrTruncated, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePkt(0x30, wireU16(50), []byte("abc")) }},
	{name: "PUBLISH topic alias 0", rule: "MQTT-3.3.2-8", only: protocol.V5, err: protocol.ErrTopicAliasZero, code: protocol.TopicAliasInvalid,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "t", nil, wireProps(wireB(0x23), wireU16(0)), "x")
		}},
	{name: "PUBLISH topic alias above the maximum", rule: "MQTT-3.3.2-9", only: protocol.V5, code: protocol.TopicAliasInvalid,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "t", nil, wireProps(wireB(0x23), wireU16(wireAliasMax+1)), "x")
		}},
	{name: "PUBLISH unknown topic alias", rule: "MQTT-3.3.2-7", only: protocol.V5, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "", nil, wireProps(wireB(0x23), wireU16(3)), "x")
		}},
	{name: "PUBLISH with a subscription identifier", rule: "MQTT-3.3.4-6", only: protocol.V5, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "t", nil, wireProps(wireB(0x0B, 7)), "x")
		}},
	{name: "PUBLISH QoS 0 payload not the UTF-8 announced", rule: "MQTT-3.3.2-4", only: protocol.V5, code: protocol.PayloadFormatInvalid,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "t", nil, wireProps(wireB(0x01, 1)), "\xff\xfe")
		}},

	// Properties.
	{name: "unknown property", only: protocol.V5, err: protocol.ErrPropertyUnknown, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "t", nil, wireProps(wireB(0x05, 1)), "x")
		}},
	{name: "property not allowed in PUBLISH", only: protocol.V5, err: protocol.ErrPropertyNotAllowed, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "t", nil, wireProps(wireB(0x11), wireU32(5)), "x") // Session Expiry
		}},
	{name: "property repeated", only: protocol.V5, err: protocol.ErrPropertyRepeated, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "t", nil, wireProps(wireB(0x03), wireStr("a"), wireB(0x03), wireStr("b")), "x")
		}},
	{name: "payload format indicator 2", only: protocol.V5, err: protocol.ErrPropertyValue, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "t", nil, wireProps(wireB(0x01, 2)), "x")
		}},
	{name: "property length past the packet", only: protocol.V5, err: protocol.ErrTruncated, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePkt(0x30, wireStr("t"), wireB(40, 0x01, 0x00)) }},
	{name: "property identifier of 5 bytes", only: protocol.V5, err: protocol.ErrVarintTooLong, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "t", nil, wireProps(wireB(0x80, 0x80, 0x80, 0x80, 0x01)), "x")
		}},
	{name: "user property not UTF-8", only: protocol.V5, err: protocol.ErrInvalidUTF8, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte {
			return wirePublish(v, 0x30, "t", nil, wireProps(wireB(0x26), wireStr("k\xff"), wireStr("v")), "x")
		}},

	// SUBSCRIBE and UNSUBSCRIBE.
	{name: "SUBSCRIBE packet identifier 0", rule: "MQTT-2.3.1-1/MQTT-2.2.1-3", err: protocol.ErrPacketIDZero, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x82, 0, "t", 0) }},
	{name: "SUBSCRIBE without a filter", rule: "MQTT-3.8.3-3/MQTT-3.8.3-2", err: protocol.ErrNoSubscriptions, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wirePkt(0x82, wireU16(1), wireVProps(v)) }},
	{name: "SUBSCRIBE maximum QoS 3", rule: "MQTT-3.8.3-4 (3.1.1), §3.8.3.1", err: protocol.ErrSubQoS3, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x82, 1, "t", 3) }},
	{name: "SUBSCRIBE reserved option bits", rule: "MQTT-3.8.3-4/MQTT-3.8.3-5", err: protocol.ErrSubOptionsReserved, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte {
			if v == protocol.V5 {
				return wireSubscribe(v, 0x82, 1, "t", 0x41)
			}
			return wireSubscribe(v, 0x82, 1, "t", 0x05)
		}},
	{name: "SUBSCRIBE retain handling 3", only: protocol.V5, err: protocol.ErrRetainHandling3, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x82, 1, "t", 0x30) }},
	{name: "SUBSCRIBE no local on a shared subscription", rule: "MQTT-3.8.3-4", only: protocol.V5, err: protocol.ErrNoLocalShared, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x82, 1, "$share/g/t", 0x04) }},
	{name: "SUBSCRIBE empty filter", rule: "MQTT-4.7.3-1", err: protocol.ErrFilterEmpty, code: protocol.TopicFilterInvalid,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x82, 1, "", 0) }},
	{name: "SUBSCRIBE # not last", rule: "MQTT-4.7.1-2/MQTT-4.7.1-1", err: protocol.ErrFilterHash, code: protocol.TopicFilterInvalid,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x82, 1, "a/#/b", 0) }},
	{name: "SUBSCRIBE + inside a level", rule: "MQTT-4.7.1-3/MQTT-4.7.1-2", err: protocol.ErrFilterPlus, code: protocol.TopicFilterInvalid,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x82, 1, "a/b+", 0) }},
	{name: "SUBSCRIBE shared with empty group", rule: "MQTT-4.8.2-1/MQTT-4.8.2-2", err: protocol.ErrSharedName, code: protocol.TopicFilterInvalid,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x82, 1, "$share//t", 0) }},
	{name: "SUBSCRIBE shared without filter", rule: "MQTT-4.8.2-1/MQTT-4.8.2-2", err: protocol.ErrSharedName, code: protocol.TopicFilterInvalid,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x82, 1, "$share/g", 0) }},
	{name: "SUBSCRIBE filter not UTF-8", rule: "MQTT-1.5.3-1/MQTT-1.5.4-1", err: protocol.ErrInvalidUTF8, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wireSubscribe(v, 0x82, 1, "a/\xff", 0) }},
	{name: "SUBSCRIBE without options byte", err: protocol.ErrTruncated, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wirePkt(0x82, wireU16(1), wireVProps(v), wireStr("t")) }},
	{name: "SUBSCRIBE subscription identifier 0", rule: "3.8.2.1.2", only: protocol.V5, err: protocol.ErrPropertyValue, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0x82, wireU16(1), wireProps(wireB(0x0B, 0)), wireStr("t"), wireB(0))
		}},
	{name: "SUBSCRIBE two subscription identifiers", rule: "3.8.2.1.2", only: protocol.V5, err: protocol.ErrPropertyRepeated, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0x82, wireU16(1), wireProps(wireB(0x0B, 1, 0x0B, 2)), wireStr("t"), wireB(0))
		}},
	{name: "UNSUBSCRIBE packet identifier 0", rule: "MQTT-2.3.1-1/MQTT-2.2.1-3", err: protocol.ErrPacketIDZero, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wirePkt(0xA2, wireU16(0), wireVProps(v), wireStr("t")) }},
	{name: "UNSUBSCRIBE without a filter", rule: "MQTT-3.10.3-2", err: protocol.ErrNoUnsubscriptions, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wirePkt(0xA2, wireU16(1), wireVProps(v)) }},
	{name: "UNSUBSCRIBE invalid filter", rule: "MQTT-4.7.1-2/MQTT-4.7.1-1", err: protocol.ErrFilterHash, code: protocol.TopicFilterInvalid,
		pkt: func(v protocol.Version) []byte { return wirePkt(0xA2, wireU16(1), wireVProps(v), wireStr("#/a")) }},
	{name: "UNSUBSCRIBE property not allowed", only: protocol.V5, err: protocol.ErrPropertyNotAllowed, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0xA2, wireU16(1), wireProps(wireB(0x0B, 1)), wireStr("t"))
		}},

	// Acknowledgements, DISCONNECT, AUTH.
	{name: "PUBACK packet identifier 0", rule: "MQTT-2.3.1-1/MQTT-2.2.1-3", err: protocol.ErrPacketIDZero, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wireB(0x40, 0x02, 0x00, 0x00) }},
	{name: "PUBCOMP truncated", err: protocol.ErrTruncated, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte { return wireB(0x70, 0x01, 0x00) }},
	{name: "PUBACK reason code not allowed", only: protocol.V5, err: protocol.ErrBadReasonCode, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wireB(0x40, 0x03, 0x00, 0x01, 0x05) }},
	{name: "PUBREL reason code not allowed", only: protocol.V5, err: protocol.ErrBadReasonCode, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wireB(0x62, 0x03, 0x00, 0x01, 0x80) }},
	{name: "PUBREC property not allowed", only: protocol.V5, err: protocol.ErrPropertyNotAllowed, code: protocol.MalformedPacket,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0x50, wireU16(1), wireB(0x00), wireProps(wireB(0x23), wireU16(1)))
		}},
	{name: "DISCONNECT reason code not allowed", only: protocol.V5, err: protocol.ErrBadReasonCode, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wireB(0xE0, 0x01, 0x01) }},
	{name: "DISCONNECT session expiry after 0", rule: "3.14.2.2.2", only: protocol.V5, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0xE0, wireB(0x00), wireProps(wireB(0x11), wireU32(60)))
		}},
	{name: "AUTH reason code not allowed", only: protocol.V5, err: protocol.ErrBadReasonCode, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte { return wireB(0xF0, 0x01, 0x80) }},
	{name: "AUTH without authentication method", rule: "3.15.2.2.2", only: protocol.V5, err: protocol.ErrPropertyValue, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0xF0, wireB(0x18), wireProps(wireB(0x1F), wireStr("why")))
		}},
	{name: "AUTH after a CONNECT without authentication method", rule: "MQTT-4.12.0-7", only: protocol.V5, code: protocol.ProtocolError,
		pkt: func(v protocol.Version) []byte {
			return wirePkt(0xF0, wireB(0x18), wireProps(wireB(0x15), wireStr("SCRAM-SHA-1")))
		}},
}

// wireAliasMax is the Topic Alias Maximum of the brokers of these tests.
const wireAliasMax = 8

// wireCodecError is what the codec says of one packet's bytes, with the
// same limit the broker's reader applies.
func wireCodecError(t *testing.T, b []byte, v protocol.Version, maxPacket int) error {
	t.Helper()
	h, n, err := protocol.ParseFixedHeader(b)
	if err != nil {
		return err
	}
	if n == 0 {
		t.Fatalf("case bytes % x end inside the fixed header", b)
	}
	if h.Len() > maxPacket {
		return protocol.ErrPacketTooLarge
	}
	if len(b) != h.Len() {
		t.Fatalf("case bytes: %d bytes for a packet of %d", len(b), h.Len())
	}
	_, err = protocol.Decode(h, b[n:], v)
	return err
}

// wirePacket is a packet the broker sent: header and body.
type wirePacket struct {
	h    protocol.FixedHeader
	body []byte
}

func (p wirePacket) String() string { return fmt.Sprintf("%v % x", p.h.Type, p.body) }

// wireReadToClose reads what the broker sends until it closes the
// connection and fails the test if it stays open.
func wireReadToClose(t *testing.T, nc net.Conn, r *protocol.Reader) []wirePacket {
	t.Helper()
	var got []wirePacket
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	for range 8 {
		h, raw, err := r.Next()
		var ne net.Error
		var pe *protocol.Error
		switch {
		case errors.As(err, &ne) && ne.Timeout():
			t.Fatalf("connection still open 5 s after the bad input (received %v)", got)
		case errors.As(err, &pe):
			t.Fatalf("broker sent bytes that do not parse: %v (after %v)", err, got)
		case err != nil:
			return got // EOF or reset: closed
		}
		got = append(got, wirePacket{h, bytes.Clone(raw[len(raw)-h.Remaining:])})
	}
	t.Fatalf("broker keeps sending after the bad input: %v", got)
	return nil
}

// wireBystander connects a client subscribed to its own topic before the
// abuse starts.
func wireBystander(t *testing.T, addr string, v protocol.Version, id string) *rawClient {
	t.Helper()
	c := connectRaw(t, addr, v, id)
	if ack := c.subscribe(1, protocol.Subscription{Filter: "bystander/" + id, QoS: 1}); ack.ReasonCodes[0] != 1 {
		t.Fatalf("bystander subscribe: %v", ack.ReasonCodes)
	}
	return c
}

// wireCheckBystander checks the broker still serves: a new client
// publishes and the bystander receives.
func wireCheckBystander(t *testing.T, addr string, v protocol.Version, by *rawClient, id string) {
	t.Helper()
	pub := connectRaw(t, addr, v, id+"-pub")
	pub.send(&protocol.Publish{Version: v, QoS: 1, PacketID: 9, Topic: "bystander/" + id, Payload: []byte("still here")})
	pub.expect(protocol.PUBACK)
	p := expectPublish(t, by, "bystander/"+id, "still here")
	by.send(&protocol.Puback{Version: v, PacketID: p.PacketID})
	pub.send(&protocol.Disconnect{Version: v})
}

var wireVersions = []protocol.Version{protocol.V5, protocol.V311}

func TestWireMalformedConnect(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{TopicAliasMax: wireAliasMax})
	for _, v := range wireVersions {
		for i, tc := range wireConnectCases {
			if tc.only != 0 && tc.only != v {
				continue
			}
			t.Run(v.String()+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				pkt := tc.pkt(v)
				switch {
				case tc.err == protocol.ErrFirstPacketNotConnect:
					if pkt[0]>>4 == byte(protocol.CONNECT) {
						t.Fatal("case bytes are a CONNECT")
					}
				default:
					if err := wireCodecError(t, pkt, 0, b.opts.MaxPacketSize); !errors.Is(err, tc.err) {
						t.Fatalf("codec says %v of the case bytes, want %v", err, tc.err)
					}
				}
				id := fmt.Sprintf("wc%d-%d", i, v)
				by := wireBystander(t, addr, v, id)

				c := dialRaw(t, addr, v)
				c.sendRaw(pkt)
				got := wireReadToClose(t, c.nc, c.r)
				want := tc.want5
				if v != protocol.V5 {
					want = tc.want311
				}
				wireCheckConnack(t, got, want, tc.rule)
				wireCheckBystander(t, addr, v, by, id)
			})
		}
	}
}

// wireCheckConnack compares what a broker sent to a bad CONNECT with want.
func wireCheckConnack(t *testing.T, got []wirePacket, want wireAck, rule string) {
	t.Helper()
	if rule == "" {
		rule = "§3.1"
	}
	switch {
	case len(got) == 0 && (want.codes == nil || want.optional):
		return
	case len(got) == 0:
		t.Fatalf("connection closed without CONNACK; want CONNACK with code %#x [%s]", want.codes, rule)
	case want.codes == nil:
		t.Fatalf("broker sent %v; want the connection closed without CONNACK [MQTT-3.1.4-1 (3.1.1), %s]", got, rule)
	case len(got) > 1 || got[0].h.Type != protocol.CONNACK || len(got[0].body) < 2:
		t.Fatalf("broker sent %v; want one CONNACK with code %#x [%s]", got, want.codes, rule)
	case !slices.Contains(want.codes, got[0].body[1]):
		t.Fatalf("CONNACK code %#x, want %#x [%s]", got[0].body[1], want.codes, rule)
	case got[0].body[0] != 0:
		t.Fatalf("CONNACK flags %#x on a refused connection, want 0 [MQTT-3.2.2-4/MQTT-3.2.2-6]", got[0].body[0])
	}
}

func TestWireMalformedPacket(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{TopicAliasMax: wireAliasMax})
	for _, v := range wireVersions {
		for i, tc := range wireCases {
			if tc.only != 0 && tc.only != v {
				continue
			}
			t.Run(v.String()+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				pkt := tc.pkt(v)
				if err := wireCodecError(t, pkt, v, b.opts.MaxPacketSize); !errors.Is(err, tc.err) {
					t.Fatalf("codec says %v of the case bytes, want %v", err, tc.err)
				}
				id := fmt.Sprintf("wp%d-%d", i, v)
				by := wireBystander(t, addr, v, id)

				c := dialRaw(t, addr, v)
				connect := &protocol.Connect{ClientID: id + "-bad", CleanStart: true, KeepAlive: 60}
				if ack := c.connect(connect); ack.ReasonCode != protocol.Success {
					t.Fatalf("connect: %v", ack.ReasonCode)
				}
				c.sendRaw(pkt)
				got := wireReadToClose(t, c.nc, c.r)
				if v == protocol.V5 {
					wireCheckDisconnect(t, got, tc)
				} else if len(got) > 0 {
					t.Fatalf("3.1.1 broker sent %v; want the connection closed [MQTT-4.8.0-1]", got)
				}
				wireCheckBystander(t, addr, v, by, id)
			})
		}
	}
}

// wireCheckDisconnect checks that the broker's answer was one DISCONNECT
// with the case's reason code.
func wireCheckDisconnect(t *testing.T, got []wirePacket, tc wireCase) {
	t.Helper()
	rule := tc.rule
	if rule == "" {
		rule = "§4.13"
	}
	if len(got) != 1 || got[0].h.Type != protocol.DISCONNECT {
		t.Fatalf("broker sent %v; want one DISCONNECT with %#x %v [%s]", got, byte(tc.code), tc.code, rule)
	}
	p, err := protocol.Decode(got[0].h, got[0].body, protocol.V5)
	if err != nil {
		t.Fatalf("DISCONNECT from the broker does not decode: %v", err)
	}
	d := p.(*protocol.Disconnect)
	if d.ReasonCode != tc.code && (tc.alt == 0 || d.ReasonCode != tc.alt) {
		t.Fatalf("DISCONNECT %#x %v (%q), want %#x %v [%s]", byte(d.ReasonCode), d.ReasonCode,
			d.Props.ReasonString.Value, byte(tc.code), tc.code, rule)
	}
}

// TestWireEveryCodecRuleCovered lists every error of the codec: each is
// either broken by a case above or cannot come from a client.
func TestWireEveryCodecRuleCovered(t *testing.T) {
	t.Parallel()
	all := map[string]error{
		"ErrTruncated": protocol.ErrTruncated, "ErrVarintTooLong": protocol.ErrVarintTooLong,
		"ErrReservedType": protocol.ErrReservedType, "ErrReservedFlags": protocol.ErrReservedFlags,
		"ErrTrailingBytes": protocol.ErrTrailingBytes, "ErrInvalidUTF8": protocol.ErrInvalidUTF8,
		"ErrNullCharacter": protocol.ErrNullCharacter, "ErrStringTooLong": protocol.ErrStringTooLong,
		"ErrPacketTooLarge": protocol.ErrPacketTooLarge, "ErrVersionUnknown": protocol.ErrVersionUnknown,
		"ErrPacketIDZero": protocol.ErrPacketIDZero, "ErrBadReasonCode": protocol.ErrBadReasonCode,
		"ErrBadReturnCode": protocol.ErrBadReturnCode, "ErrPayloadFormatBad": protocol.ErrPayloadFormatBad,
		"ErrProtocolName": protocol.ErrProtocolName, "ErrProtocolLevel": protocol.ErrProtocolLevel,
		"ErrConnectReserved": protocol.ErrConnectReserved, "ErrWillQoSWithoutWill": protocol.ErrWillQoSWithoutWill,
		"ErrWillRetainNoWill": protocol.ErrWillRetainNoWill, "ErrWillQoS3": protocol.ErrWillQoS3,
		"ErrPasswordNoUsername": protocol.ErrPasswordNoUsername, "ErrConnackReserved": protocol.ErrConnackReserved,
		"ErrSecondConnect": protocol.ErrSecondConnect, "ErrFirstPacketNotConnect": protocol.ErrFirstPacketNotConnect,
		"ErrQoS3": protocol.ErrQoS3, "ErrDupQoS0": protocol.ErrDupQoS0, "ErrTopicWildcard": protocol.ErrTopicWildcard,
		"ErrTopicEmpty": protocol.ErrTopicEmpty, "ErrTopicAliasZero": protocol.ErrTopicAliasZero,
		"ErrNoSubscriptions": protocol.ErrNoSubscriptions, "ErrNoUnsubscriptions": protocol.ErrNoUnsubscriptions,
		"ErrSubOptionsReserved": protocol.ErrSubOptionsReserved, "ErrSubQoS3": protocol.ErrSubQoS3,
		"ErrRetainHandling3": protocol.ErrRetainHandling3, "ErrNoLocalShared": protocol.ErrNoLocalShared,
		"ErrFilterEmpty": protocol.ErrFilterEmpty, "ErrFilterHash": protocol.ErrFilterHash,
		"ErrFilterPlus": protocol.ErrFilterPlus, "ErrSharedName": protocol.ErrSharedName,
		"ErrPropertyUnknown": protocol.ErrPropertyUnknown, "ErrPropertyNotAllowed": protocol.ErrPropertyNotAllowed,
		"ErrPropertyRepeated": protocol.ErrPropertyRepeated, "ErrPropertyValue": protocol.ErrPropertyValue,
	}
	// Errors a client cannot cause in the broker: the codec returns them
	// only when encoding, or when decoding packets only a server sends.
	notFromClients := map[string]string{
		"ErrStringTooLong":   "a two-byte length cannot announce more than 65,535 bytes; only encoding checks it",
		"ErrVersionUnknown":  "the broker decodes with the version of the CONNECT it accepted",
		"ErrBadReturnCode":   "only CONNACK and SUBACK carry return codes; a client sending them is refused by type",
		"ErrConnackReserved": "only CONNACK carries it; a client sending CONNACK is refused by type",
	}
	// ErrPayloadFormatBad is checked by the broker, not the decoder: see
	// the PUBLISH cases with a Payload Format Indicator.
	covered := map[error]bool{protocol.ErrPayloadFormatBad: true, protocol.ErrSecondConnect: true}
	for _, c := range wireCases {
		covered[c.err] = true
	}
	for _, c := range wireConnectCases {
		covered[c.err] = true
	}
	for name, err := range all {
		_, excused := notFromClients[name]
		switch {
		case covered[err] && excused:
			t.Errorf("%s is listed as impossible from a client but a case triggers it", name)
		case !covered[err] && !excused:
			t.Errorf("%s: no case sends bytes that break it", name)
		}
	}
}

// TestWirePayloadFormatInvalidQoS1 checks that a QoS 1 PUBLISH whose
// payload is not the UTF-8 its format indicator announces is refused with
// PUBACK 0x99 and the connection goes on (§3.3.2.3.2, §3.4.2.1).
func TestWirePayloadFormatInvalidQoS1(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	sub := connectRaw(t, addr, protocol.V5, "pfi-sub")
	sub.subscribe(1, protocol.Subscription{Filter: "pfi/#", QoS: 1})
	c := connectRaw(t, addr, protocol.V5, "pfi-pub")
	c.sendRaw(wirePublish(protocol.V5, 0x32, "pfi/bad", wireU16(5), wireProps(wireB(0x01, 1)), "\xc3\x28"))
	ack := c.expect(protocol.PUBACK).(*protocol.Puback)
	if ack.PacketID != 5 || ack.ReasonCode != protocol.PayloadFormatInvalid {
		t.Fatalf("PUBACK %d %v, want 5 0x99 Payload format invalid", ack.PacketID, ack.ReasonCode)
	}
	c.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 6, Topic: "pfi/good", Payload: []byte("ok")})
	c.expect(protocol.PUBACK)
	// The refused message was not routed; the next one is.
	p := expectPublish(t, sub, "pfi/good", "ok")
	sub.send(&protocol.Puback{Version: protocol.V5, PacketID: p.PacketID})
}

// TestWireGarbage sends bytes that are not MQTT, as the first bytes of a
// connection and after a proper CONNECT: the broker closes the connection,
// never accepts such a CONNECT, only sends well-formed packets, and goes on
// serving everyone else.
func TestWireGarbage(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{TopicAliasMax: wireAliasMax})
	rnd := rand.New(rand.NewPCG(1883, 8883))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rnd.UintN(256))
		}
		return b
	}
	first := [][]byte{
		[]byte("GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
		{0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03}, // a TLS ClientHello
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	}
	for range 20 {
		first = append(first, random(1+rnd.IntN(300)))
	}
	// CONNECT headers followed by garbage reach deeper into the decoder.
	for _, v := range wireVersions {
		for range 20 {
			tail := random(rnd.IntN(60))
			head := slices.Concat(wireStr(v.ProtocolName()), wireB(byte(v)), tail)
			first = append(first, wirePkt(0x10, head))
		}
	}
	for _, v := range wireVersions {
		by := wireBystander(t, addr, v, fmt.Sprintf("garbage-by-%d", v))
		t.Run(v.String(), func(t *testing.T) {
			for i, g := range first {
				t.Run(fmt.Sprintf("first/%d", i), func(t *testing.T) {
					t.Parallel()
					c := dialRaw(t, addr, v)
					wireSendAndHalfClose(c, g)
					for _, p := range wireReadToClose(t, c.nc, c.r) {
						if p.h.Type != protocol.CONNACK || len(p.body) < 2 || p.body[1] == 0 {
							t.Fatalf("garbage % x answered with %v", g, p)
						}
					}
				})
			}
			for i := range 40 {
				g := random(1 + rnd.IntN(200))
				t.Run(fmt.Sprintf("after-connect/%d", i), func(t *testing.T) {
					t.Parallel()
					c := connectRaw(t, addr, v, fmt.Sprintf("garbage-%d-%d", v, i))
					wireSendAndHalfClose(c, g)
					for _, p := range wireReadToClose(t, c.nc, c.r) {
						q, err := protocol.Decode(p.h, p.body, v)
						if err != nil {
							t.Fatalf("broker sent %v that does not decode: %v", p, err)
						}
						if d, ok := q.(*protocol.Disconnect); ok && !d.ReasonCode.IsError() {
							t.Fatalf("garbage % x answered with DISCONNECT %v", g, d.ReasonCode)
						}
					}
				})
			}
		})
		wireCheckBystander(t, addr, v, by, fmt.Sprintf("garbage-by-%d", v))
	}
}

// wireSendAndHalfClose writes b and closes the client's sending side, so
// that a packet left incomplete ends with the stream. The broker may have
// closed the connection already.
func wireSendAndHalfClose(c *rawClient, b []byte) {
	c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	c.nc.Write(b)
	c.nc.(*net.TCPConn).CloseWrite()
}

// TestWireForgedRemainingLength announces a 200 MiB packet, as the first
// packet and after CONNECT: the broker refuses it from the fixed header
// alone (0x95 in 5.0), without taking memory for it.
func TestWireForgedRemainingLength(t *testing.T) {
	// Not parallel: it measures the heap.
	_, addr := startBroker(t, Options{})
	forged := wireB(0x80, 0x80, 0x80, 0x64) // 100 × 128³ = 200 MiB
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const rounds = 5
	for _, v := range wireVersions {
		for i := range rounds {
			c := dialRaw(t, addr, v)
			c.sendRaw(slices.Concat(wireB(0x10), forged, wireStr("MQTT")))
			if got := wireReadToClose(t, c.nc, c.r); len(got) > 0 && (got[0].h.Type != protocol.CONNACK || got[0].body[1] != byte(protocol.PacketTooLarge)) {
				t.Fatalf("forged CONNECT answered with %v", got)
			}
			c = connectRaw(t, addr, v, fmt.Sprintf("forged-%d-%d", v, i))
			c.sendRaw(slices.Concat(wireB(0x30), forged, wireStr("t"), []byte("payload")))
			got := wireReadToClose(t, c.nc, c.r)
			if v == protocol.V5 {
				wireCheckDisconnect(t, got, wireCase{code: protocol.PacketTooLarge, rule: "MQTT-3.1.2-24"})
			} else if len(got) > 0 {
				t.Fatalf("3.1.1: forged PUBLISH answered with %v", got)
			}
		}
	}
	runtime.ReadMemStats(&after)
	// Each forged packet taken at its word would cost 200 MiB.
	grew := after.TotalAlloc - before.TotalAlloc
	if grew > 32<<20 {
		t.Fatalf("%d forged packets made the test binary allocate %d MiB", 4*rounds, grew>>20)
	}
	t.Logf("%d forged 200 MiB packets refused; %d KiB allocated in all, connections included", 4*rounds, grew>>10)
}

// TestWireNoConnect checks that a connection that does not complete a
// CONNECT within the connect timeout is closed, with nothing sent.
func TestWireNoConnect(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{ConnectTimeout: 200 * time.Millisecond})
	valid := wireConnect(protocol.V5, 0x02, nil, wireStr("slow"))
	for name, b := range map[string][]byte{
		"silent":               nil,
		"first byte only":      valid[:1],
		"fixed header only":    valid[:2],
		"half a CONNECT":       valid[:len(valid)/2],
		"all but the last one": valid[:len(valid)-1],
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := dialRaw(t, addr, protocol.V5)
			if len(b) > 0 {
				c.sendRaw(b)
			}
			if got := wireReadToClose(t, c.nc, c.r); len(got) > 0 {
				t.Fatalf("incomplete CONNECT answered with %v", got)
			}
		})
	}
}

// TestWireTruncatedThenClose sends the start of a packet and closes the
// connection. A cut CONNECT leaves nothing behind; a cut packet after
// CONNECT is an abnormal end, so the will is published [MQTT-3.1.2-8].
func TestWireTruncatedThenClose(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	for _, v := range wireVersions {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			id := fmt.Sprintf("trunc-%d", v)
			by := wireBystander(t, addr, v, id)
			connect, err := (&protocol.Connect{Version: v, ClientID: id + "-c", CleanStart: true, KeepAlive: 60,
				Will: &protocol.WillMessage{Topic: "bystander/" + id, Payload: []byte("cut off"), QoS: 1}}).AppendTo(nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, cut := range []int{1, 2, 3, len(connect) / 2, len(connect) - 1} {
				c := dialRaw(t, addr, v)
				c.sendRaw(connect[:cut])
				c.nc.Close()
			}
			// No will from a connection that never completed its CONNECT.
			by.expectNothing(100 * time.Millisecond)

			publish, err := (&protocol.Publish{Version: v, QoS: 1, PacketID: 3, Topic: "x/y", Payload: []byte("0123456789")}).AppendTo(nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, cut := range []int{1, 2, 5, len(publish) - 1} {
				c := dialRaw(t, addr, v)
				c.sendRaw(connect)
				c.expect(protocol.CONNACK)
				c.sendRaw(publish[:cut])
				c.nc.Close()
				p := expectPublish(t, by, "bystander/"+id, "cut off")
				by.send(&protocol.Puback{Version: v, PacketID: p.PacketID})
			}
			wireCheckBystander(t, addr, v, by, id)
		})
	}
}

// TestWireDribble sends a session's packets one byte per write: the
// broker reads a stream, not writes.
func TestWireDribble(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	for _, v := range wireVersions {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			var stream []byte
			topic := fmt.Sprintf("drip/%d", v)
			for _, p := range []protocol.Packet{
				&protocol.Connect{Version: v, ClientID: fmt.Sprintf("dribble-%d", v), CleanStart: true, KeepAlive: 60},
				&protocol.Subscribe{Version: v, PacketID: 1, Subscriptions: []protocol.Subscription{{Filter: topic + "/+", QoS: 1}}},
				&protocol.Publish{Version: v, QoS: 1, PacketID: 2, Topic: topic + "/drop", Payload: []byte("one byte at a time")},
				&protocol.Pingreq{},
			} {
				var err error
				if stream, err = p.AppendTo(stream); err != nil {
					t.Fatal(err)
				}
			}
			c := dialRaw(t, addr, v)
			for i := range stream {
				c.sendRaw(stream[i : i+1])
				time.Sleep(time.Millisecond) // each byte its own segment
			}
			c.expect(protocol.CONNACK)
			c.expect(protocol.SUBACK)
			got := map[protocol.Type]int{}
			for range 3 {
				p, err := c.read(5 * time.Second)
				if err != nil {
					t.Fatalf("after %v: %v", got, err)
				}
				got[p.Type()]++
				if pub, ok := p.(*protocol.Publish); ok && (pub.Topic != topic+"/drop" || string(pub.Payload) != "one byte at a time") {
					t.Fatalf("got PUBLISH %q %q", pub.Topic, pub.Payload)
				}
			}
			if got[protocol.PUBLISH] != 1 || got[protocol.PUBACK] != 1 || got[protocol.PINGRESP] != 1 {
				t.Fatalf("got %v, want one PUBLISH, PUBACK and PINGRESP", got)
			}
		})
	}
}

// TestWireBatch sends a whole session in one write: CONNECT, SUBSCRIBE,
// many PUBLISH packets and a PINGREQ. Every packet is handled, in order.
func TestWireBatch(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	const n = 300
	for _, v := range wireVersions {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			batch, err := (&protocol.Connect{Version: v, ClientID: fmt.Sprintf("batch-%d", v), CleanStart: true, KeepAlive: 60}).AppendTo(nil)
			if err != nil {
				t.Fatal(err)
			}
			topic := fmt.Sprintf("batch/%d", v)
			batch, _ = (&protocol.Subscribe{Version: v, PacketID: 1, Subscriptions: []protocol.Subscription{{Filter: topic + "/#", QoS: 1}}}).AppendTo(batch)
			for i := range n {
				p := &protocol.Publish{Version: v, QoS: 1, PacketID: uint16(i + 1), Topic: topic + "/m",
					Payload: fmt.Appendf(nil, "%04d %s", i, bytes.Repeat([]byte{'.'}, 100))}
				if batch, err = p.AppendTo(batch); err != nil {
					t.Fatal(err)
				}
			}
			batch, _ = (&protocol.Pingreq{}).AppendTo(batch)
			c := dialRaw(t, addr, v)
			wrote := make(chan error, 1)
			// Written aside: the broker's answers may fill the socket before
			// it has read the whole batch.
			go func() { _, err := c.nc.Write(batch); wrote <- err }()
			c.expect(protocol.CONNACK)
			c.expect(protocol.SUBACK)
			acked, received, pong := 0, 0, false
			for acked < n || received < n || !pong {
				p, err := c.read(10 * time.Second)
				if err != nil {
					t.Fatalf("after %d PUBACK, %d PUBLISH, PINGRESP %v: %v", acked, received, pong, err)
				}
				switch p := p.(type) {
				case *protocol.Puback:
					acked++
					if p.PacketID != uint16(acked) {
						t.Fatalf("PUBACK %d, want %d", p.PacketID, acked)
					}
				case *protocol.Publish:
					if want := fmt.Sprintf("%04d ", received); !bytes.HasPrefix(p.Payload, []byte(want)) {
						t.Fatalf("PUBLISH %q, want %q... (in order, [MQTT-4.6.0-5])", p.Payload[:5], want)
					}
					received++
					c.send(&protocol.Puback{Version: v, PacketID: p.PacketID})
				case *protocol.Pingresp:
					pong = true
				default:
					t.Fatalf("unexpected %v", p.Type())
				}
			}
			if err := <-wrote; err != nil {
				t.Fatalf("write: %v", err)
			}
		})
	}
}

// TestWireRetainedReplayOrder subscribes again and again to a topic a
// client keeps publishing retained values to, and checks the order of
// what each subscriber gets on the wire. A retained message is an earlier
// publish of the same topic: it must never arrive after a newer live one,
// or the subscriber is left holding a stale value ([MQTT-4.6.0-5],
// [MQTT-4.6.0-6]: every topic is ordered).
func TestWireRetainedReplayOrder(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{})
	pub := connectRaw(t, addr, protocol.V5, "order-pub")
	stop, stopped := make(chan struct{}), make(chan error, 1)
	go func() {
		for i := 1; ; i++ {
			select {
			case <-stop:
				stopped <- nil
				return
			default:
			}
			p, _ := (&protocol.Publish{Version: protocol.V5, Retain: true, Topic: "order/counter", Payload: []byte(strconv.Itoa(i))}).AppendTo(nil)
			pub.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := pub.nc.Write(p); err != nil {
				stopped <- err
				return
			}
			time.Sleep(20 * time.Microsecond)
		}
	}()
	defer func() {
		close(stop)
		if err := <-stopped; err != nil {
			t.Errorf("publisher: %v", err)
		}
	}()
	// Up to 1000 subscribers, for at most 5 s; the race, when there is
	// one, shows within a few hundred.
	var stale []string
	deadline := time.Now().Add(5 * time.Second)
	k := 0
	for ; k < 1000 && len(stale) == 0 && time.Now().Before(deadline); k++ {
		c := connectRaw(t, addr, protocol.V5, fmt.Sprintf("order-sub-%d", k))
		c.send(&protocol.Subscribe{Version: protocol.V5, PacketID: 1, Subscriptions: []protocol.Subscription{{Filter: "order/counter"}}})
		last, lastRetain := 0, false
		for got := 0; got < 3; {
			// The server may send matching messages before SUBACK (§3.8.4).
			q, err := c.read(5 * time.Second)
			if err != nil {
				t.Fatalf("subscriber %d: %v", k, err)
			}
			p, ok := q.(*protocol.Publish)
			if !ok {
				continue
			}
			got++
			n, err := strconv.Atoi(string(p.Payload))
			if err != nil {
				t.Fatalf("payload %q", p.Payload)
			}
			if n < last {
				stale = append(stale, fmt.Sprintf("%d (retain %v) after %d (retain %v)", n, p.Retain, last, lastRetain))
			}
			last, lastRetain = n, p.Retain
		}
		c.nc.Close()
	}
	if len(stale) > 0 {
		t.Errorf("subscriber %d got an older value after a newer one: %s", k-1, strings.Join(stale, "; "))
	}
	if s := b.Stats(); s.MessagesReceived == 0 {
		t.Fatal("nothing published")
	}
}
