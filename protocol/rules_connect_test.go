package protocol

import (
	"errors"
	"testing"
)

// Negative vectors for CONNECT and CONNACK (§3.1 and §3.2 of both
// specifications).

// connect builds a CONNECT of version v with the given flags and payload
// fields (a 5.0 CONNECT gets an empty property block).
func connect(v Version, flags byte, payload ...any) []byte {
	head := []any{str(v.ProtocolName()), byte(v), flags, 0, 60}
	if v == V5 {
		head = append(head, 0)
	}
	return pkt(byte(CONNECT)<<4, append(head, payload...)...)
}

// TestMQTT_3_1_2_1_ProtocolName: the protocol name is "MQTT" ("MQIsdp" for
// 3.1); a server may answer 0x84 and must not go on with this
// specification.
func TestMQTT_3_1_2_1_ProtocolName(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrProtocolName, UnsupportedProtocolVersion, "MQTT-3.1.2-1",
		bad{"MQTX", V311, pkt(byte(CONNECT)<<4, str("MQTX"), 4, 2, 0, 0, str(""))},
		bad{"lower case", V5, pkt(byte(CONNECT)<<4, str("mqtt"), 5, 2, 0, 0, 0, str(""))},
		bad{"empty", V311, pkt(byte(CONNECT)<<4, str(""), 4, 2, 0, 0, str(""))},
		bad{"MQIsd", V31, pkt(byte(CONNECT)<<4, str("MQIsd"), 3, 2, 0, 0, str("c"))},
	)
}

// TestMQTT_3_1_2_2_ProtocolLevel: a level the server does not support is
// refused with 0x84 (return code 1 in 3.1.1); the name must match the
// level.
func TestMQTT_3_1_2_2_ProtocolLevel(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrProtocolLevel, UnsupportedProtocolVersion, "MQTT-3.1.2-2",
		bad{"MQTT level 6", V311, pkt(byte(CONNECT)<<4, str("MQTT"), 6, 2, 0, 0, str(""))},
		bad{"MQTT level 0", V311, pkt(byte(CONNECT)<<4, str("MQTT"), 0, 2, 0, 0, str(""))},
		bad{"MQTT level 3", V31, pkt(byte(CONNECT)<<4, str("MQTT"), 3, 2, 0, 0, str("c"))},
		bad{"MQIsdp level 4", V311, pkt(byte(CONNECT)<<4, str("MQIsdp"), 4, 2, 0, 0, str("c"))},
		bad{"MQIsdp level 5", V5, pkt(byte(CONNECT)<<4, str("MQIsdp"), 5, 2, 0, 0, 0, str("c"))},
		bad{"MQTT level 255", V5, pkt(byte(CONNECT)<<4, str("MQTT"), 255, 2, 0, 0, 0, str(""))},
	)
}

// TestMQTT_3_1_2_3_ConnectReserved: bit 0 of the connect flags is reserved
// and must be 0.
func TestMQTT_3_1_2_3_ConnectReserved(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrConnectReserved, MalformedPacket, "MQTT-3.1.2-3",
		bad{"clean session and reserved", V311, connect(V311, 0x03, str("c"))},
		bad{"reserved alone", V5, connect(V5, 0x01, str("c"))},
		bad{"reserved alone", V31, connect(V31, 0x01, str("c"))},
	)
}

// TestMQTT_3_1_2_13_WillQoSWithoutWill: without the will flag the will QoS
// is 0 (3.1.1 MQTT-3.1.2-13, 5.0 MQTT-3.1.2-11).
func TestMQTT_3_1_2_13_WillQoSWithoutWill(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrWillQoSWithoutWill, MalformedPacket, "MQTT-3.1.2-13/MQTT-3.1.2-11",
		bad{"will QoS 1", V311, connect(V311, 0x0A, str("c"))},
		bad{"will QoS 2", V5, connect(V5, 0x12, str("c"))},
		bad{"will QoS 3", V31, connect(V31, 0x1A, str("c"))},
	)
}

// TestMQTT_3_1_2_15_WillRetainWithoutWill: without the will flag the will
// retain flag is 0 (3.1.1 MQTT-3.1.2-15, 5.0 MQTT-3.1.2-13).
func TestMQTT_3_1_2_15_WillRetainWithoutWill(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrWillRetainNoWill, MalformedPacket, "MQTT-3.1.2-15/MQTT-3.1.2-13",
		bad{"will retain", V311, connect(V311, 0x22, str("c"))},
		bad{"will retain", V5, connect(V5, 0x20, str("c"))},
	)
}

// TestMQTT_3_1_2_14_WillQoS3: with the will flag, the will QoS is 0, 1 or 2
// (3.1.1 MQTT-3.1.2-14, 5.0 MQTT-3.1.2-12: 3 is a Malformed Packet).
func TestMQTT_3_1_2_14_WillQoS3(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrWillQoS3, MalformedPacket, "MQTT-3.1.2-14/MQTT-3.1.2-12",
		bad{"will QoS 3", V311, connect(V311, 0x1E, str("c"), str("w"), str("m"))},
		bad{"will QoS 3", V5, connect(V5, 0x1E, str("c"), 0, str("w"), str("m"))},
	)
	w := &Connect{Version: V5, Will: &WillMessage{Topic: "w", QoS: 3}}
	if _, err := w.AppendTo(nil); err != ErrWillQoS3 {
		t.Errorf("AppendTo a will of QoS 3: %v", err)
	}
}

// TestMQTT_3_1_2_22_PasswordWithoutUserName: in 3.1 and 3.1.1 the password
// flag needs the user name flag; 5.0 allows a password alone (see the
// golden vector).
func TestMQTT_3_1_2_22_PasswordWithoutUserName(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrPasswordNoUsername, MalformedPacket, "MQTT-3.1.2-22 (3.1.1)",
		bad{"password only", V311, connect(V311, 0x42, str("c"), str("pw"))},
		bad{"password only", V31, connect(V31, 0x42, str("c"), str("pw"))},
	)
	p := &Connect{Version: V311, Password: Some([]byte("pw"))}
	if _, err := p.AppendTo(nil); err != ErrPasswordNoUsername {
		t.Errorf("AppendTo a 3.1.1 password without user name: %v", err)
	}
	p.Version = V5
	if _, err := p.AppendTo(nil); err != nil {
		t.Errorf("AppendTo a 5.0 password without user name: %v", err)
	}
}

// TestMQTT_3_1_2_9_WillFieldsPresent: with the will flag the will topic
// and message are present (and in 5.0 the will properties); fields the
// flags announce must be there (MQTT-3.1.2-19, -21), and fields they do not
// announce must not (MQTT-3.1.2-18, -20; 3.1.1 numbers).
func TestMQTT_3_1_2_9_WillFieldsPresent(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrTruncated, MalformedPacket, "",
		bad{"will flag, no will topic", V311, connect(V311, 0x06, str("c"))},
		bad{"will flag, no will message", V311, connect(V311, 0x06, str("c"), str("w"))},
		bad{"will flag, no will properties", V5, connect(V5, 0x06, str("c"))},
		bad{"user name flag, no user name", V311, connect(V311, 0x82, str("c"))},
		bad{"password flag, no password", V311, connect(V311, 0xC2, str("c"), str("u"))},
		bad{"no client identifier", V5, connect(V5, 0x02)},
	)
	checkRule(t, ErrTrailingBytes, MalformedPacket, "",
		bad{"user name without its flag", V311, connect(V311, 0x02, str("c"), str("u"))},
		bad{"password without its flag", V5, connect(V5, 0x82, str("c"), str("u"), str("p"))},
		bad{"will without its flag", V311, connect(V311, 0x02, str("c"), str("w"), str("m"))},
	)
}

// TestConnectWillTopic: the will topic is a topic name: no wildcards
// (0x90), not empty.
func TestConnectWillTopic(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrTopicWildcard, TopicNameInvalid, "MQTT-3.3.2-2",
		bad{"will topic a/#", V311, connect(V311, 0x06, str("c"), str("a/#"), str("m"))},
		bad{"will topic +", V5, connect(V5, 0x06, str("c"), 0, str("+"), str("m"))},
	)
	checkRule(t, ErrTopicEmpty, ProtocolError, "MQTT-4.7.3-1",
		bad{"empty will topic", V311, connect(V311, 0x06, str("c"), str(""), str("m"))},
	)
	if _, err := (&Connect{Version: V311, Will: &WillMessage{Topic: "a/+"}}).AppendTo(nil); err != ErrTopicWildcard {
		t.Errorf("AppendTo a will topic with a wildcard: %v", err)
	}
}

// TestConnectAuthDataWithoutMethod: Authentication Data without an
// Authentication Method is a Protocol Error (5.0 §3.1.2.11.10, §3.2.2.3.18).
func TestConnectAuthDataWithoutMethod(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrPropertyValue, ProtocolError, "",
		bad{"CONNECT", V5, pkt(byte(CONNECT)<<4, str("MQTT"), 5, 2, 0, 0, 4, 0x16, str("d"), str("c"))},
		bad{"CONNACK", V5, pkt(byte(CONNACK)<<4, 0, 0, 4, 0x16, str("d"))},
	)
}

// TestMQTT_3_2_2_1_ConnackReserved: bits 7-1 of the connect acknowledge
// flags are reserved (5.0 MQTT-3.2.2-1; unnumbered in 3.1.1 §3.2.2.1). In
// 3.1 the whole byte is unused and ignored.
func TestMQTT_3_2_2_1_ConnackReserved(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrConnackReserved, MalformedPacket, "MQTT-3.2.2-1 (5.0)",
		bad{"bit 1", V311, cat(byte(CONNACK)<<4, 2, 0x02, 0)},
		bad{"bit 7 with session present", V5, cat(byte(CONNACK)<<4, 3, 0x81, 0, 0)},
	)
	p, err := decodeRaw(cat(byte(CONNACK)<<4, 2, 0xFF, 0), V31)
	if err != nil || !samePacket(p, &Connack{Version: V31}) {
		t.Errorf("3.1 CONNACK with its unused byte set: %s, %v", dump(p), err)
	}
}

// TestMQTT_3_2_2_4_SessionPresentOnRefusal: a CONNACK refusing the
// connection has Session Present 0 (3.1.1 MQTT-3.2.2-4, 5.0 MQTT-3.2.2-6).
func TestMQTT_3_2_2_4_SessionPresentOnRefusal(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrConnackSessionPresent, ProtocolError, "MQTT-3.2.2-4/MQTT-3.2.2-6",
		bad{"return code 5", V311, cat(byte(CONNACK)<<4, 2, 0x01, 0x05)},
		bad{"reason code 0x87", V5, cat(byte(CONNACK)<<4, 3, 0x01, 0x87, 0)},
	)
	for _, v := range []Version{V311, V5} {
		p := &Connack{Version: v, SessionPresent: true, ReasonCode: NotAuthorized}
		if _, err := p.AppendTo(nil); err != ErrConnackSessionPresent {
			t.Errorf("%v: AppendTo a refusal with session present: %v", v, err)
		}
	}
}

// TestConnackReturnCodeReserved: 3.1.1 CONNACK return codes 6-255 are
// reserved (§3.2.2.3).
func TestConnackReturnCodeReserved(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrBadReturnCode, MalformedPacket, "",
		bad{"return code 6", V311, cat(byte(CONNACK)<<4, 2, 0, 6)},
		bad{"return code 0x80", V31, cat(byte(CONNACK)<<4, 2, 0, 0x80)},
	)
}

// TestConnackReturnCodes: each 5.0 reason code becomes the closest 3.1.1
// return code, and each return code decodes back to the reason code it
// stands for.
func TestConnackReturnCodes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rc   ReasonCode
		code byte
		back ReasonCode
	}{
		{Success, 0, Success},
		{UnsupportedProtocolVersion, 1, UnsupportedProtocolVersion},
		{ClientIdentifierNotValid, 2, ClientIdentifierNotValid},
		{ServerUnavailable, 3, ServerUnavailable},
		{ServerBusy, 3, ServerUnavailable},
		{BadUserNameOrPassword, 4, BadUserNameOrPassword},
		{BadAuthenticationMethod, 4, BadUserNameOrPassword},
		{NotAuthorized, 5, NotAuthorized},
		{Banned, 5, NotAuthorized},
		{QuotaExceeded, 3, ServerUnavailable},
	} {
		raw, err := (&Connack{Version: V311, ReasonCode: c.rc}).AppendTo(nil)
		if err != nil || ConnackReturnCode(c.rc) != c.code || raw[3] != c.code {
			t.Errorf("%v: return code %d (% x, %v), want %d", c.rc, ConnackReturnCode(c.rc), raw, err, c.code)
			continue
		}
		p, err := decodeRaw(raw, V311)
		if err != nil || p.(*Connack).ReasonCode != c.back {
			t.Errorf("%v: decoded back as %s, %v; want %v", c.rc, dump(p), err, c.back)
		}
	}
}

// TestMQTT_3_2_2_8_ConnackReasonCode: a 5.0 CONNACK carries one of the
// Connect Reason Codes.
func TestMQTT_3_2_2_8_ConnackReasonCode(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrBadReasonCode, ProtocolError, "MQTT-3.2.2-8 (5.0)",
		bad{"0x04", V5, cat(byte(CONNACK)<<4, 3, 0, 0x04, 0)},
		bad{"0x8B", V5, cat(byte(CONNACK)<<4, 3, 0, 0x8B, 0)},
		bad{"0xFF", V5, cat(byte(CONNACK)<<4, 3, 0, 0xFF, 0)},
	)
	_, err := (&Connack{Version: V5, ReasonCode: GrantedQoS1}).AppendTo(nil)
	if !errors.Is(err, ErrBadReasonCode) || RuleOf(err) != "MQTT-3.2.2-8 (5.0)" {
		t.Errorf("AppendTo a CONNACK with 0x01: %v (rule %q)", err, RuleOf(err))
	}
}
