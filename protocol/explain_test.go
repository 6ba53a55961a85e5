package protocol

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestExplainErrorOffsets: ErrOffset names the field an error is about, or
// the end of the fields when the error is about what follows them.
func TestExplainErrorOffsets(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		v    Version
		raw  []byte
		err  error
		at   int
		key  string // the field at ErrOffset, "" for the end of the fields
	}{
		{"QoS 3", V311, pkt(byte(PUBLISH)<<4|0b0110, str("t"), 0, 1), ErrQoS3, 0, "fixed.type_flags"},
		{"DUP at QoS 0", V5, pkt(byte(PUBLISH)<<4|0b1000, str("t"), 0), ErrDupQoS0, 0, "fixed.type_flags"},
		{"reserved flags", V311, cat(byte(PUBACK)<<4|1, 2, 0, 1), ErrReservedFlags, 0, "fixed.type_flags"},
		{"reserved type", V5, cat(0x00, 0), ErrReservedType, 0, "fixed.type_flags"},
		{"remaining length of 5 bytes", V311, cat(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), ErrVarintTooLong, 1, ""},
		{"remaining length not minimal", V311, cat(0xC0, 0x80, 0x00), ErrVarintNotMinimal, 1, ""},
		{"wildcard in the topic", V311, pkt(byte(PUBLISH)<<4, str("a/+"), "p"), ErrTopicWildcard, 4, "publish.topic"},
		{"empty topic", V5, pkt(byte(PUBLISH)<<4, str(""), 0, "p"), ErrTopicEmpty, 2, "publish.topic.length"},
		{"packet identifier 0", V311, pkt(byte(PUBLISH)<<4|0b0010, str("t"), 0, 0), ErrPacketIDZero, 5, "packet_id"},
		{"string beyond the packet", V311, cat(0x30, 5, 0, 5, "abc"), ErrTruncated, 4, ""},
		{"bytes left over", V311, cat(byte(PINGREQ)<<4, 1, 0), ErrTrailingBytes, 2, ""},
		{"protocol name", V311, pkt(byte(CONNECT)<<4, str("MQTX"), 4, 2, 0, 0, str("")), ErrProtocolName, 4, "connect.protocol_name"},
		{"protocol level", V311, pkt(byte(CONNECT)<<4, str("MQTT"), 7, 2, 0, 0, str("")), ErrProtocolLevel, 8, "connect.protocol_level"},
		{"connect reserved flag", V311, connect(V311, 0x01, str("c")), ErrConnectReserved, 9, "connect.flags"},
		{"invalid UTF-8 user property value", V5, pkt(byte(PUBACK)<<4, 0, 1, 0, 8, 0x26, str("k"), str("\xff\xfe")), ErrInvalidUTF8, 12, "property.user.value"},
		{"property not allowed", V5, withProps(PUBLISH, cat(0x11, 0, 0, 0, 1)), ErrPropertyNotAllowed, 8, "properties.id"},
		{"property repeated", V5, withProps(PUBACK, cat(0x1F, str(""), 0x1F, str(""))), ErrPropertyRepeated, 9, "properties.id"},
		{"property value", V5, withProps(CONNACK, cat(0x24, 2)), ErrPropertyValue, 6, "property.maximum_qos"},
		{"topic alias 0", V5, withProps(PUBLISH, cat(0x23, 0, 0)), ErrTopicAliasZero, 9, "property.topic_alias"},
		{"subscription options", V5, subscribe(V5, str("a"), 0xC0), ErrSubOptionsReserved, 8, "subscribe.options"},
		{"no topic filter", V311, subscribe(V311), ErrNoSubscriptions, 4, ""},
		{"no reason code", V5, cat(byte(SUBACK)<<4, 3, 0, 1, 0), ErrNoReasonCodes, 5, ""},
		{"reason code", V5, cat(byte(PUBACK)<<4, 3, 0, 1, 0x04), ErrBadReasonCode, 4, "puback.code"},
		// Cut packets: what is missing is bytes.
		{"cut inside the topic", V311, pkt(byte(PUBLISH)<<4, str("topic"), "payload")[:5], ErrTruncated, 4, ""},
		{"cut after the packet identifier", V311, subscribe(V311, str("a"), 0)[:4], ErrTruncated, 4, ""},
		{"cut after an AUTH reason code", V5, pkt(byte(AUTH)<<4, 0x18, 3, 0x15, str(""))[:3], ErrTruncated, 3, ""},
		{"cut inside the remaining length", V311, cat(0x30, 0x80), ErrTruncated, 1, ""},
		{"nothing at all", V5, nil, ErrTruncated, 0, ""},
	} {
		ex := Explain(c.raw, c.v)
		if !errors.Is(ex.Err, c.err) || ex.ErrOffset != c.at {
			t.Errorf("%s: %v at %d, want %v at %d\n%s", c.name, ex.Err, ex.ErrOffset, c.err, c.at, fieldTable(ex))
			continue
		}
		checkErrorFields(t, c.raw, ex)
		end, key := 0, ""
		for _, f := range ex.Fields {
			if f.Offset == c.at && key == "" && f.Len > 0 {
				key = f.Key
			}
			end = f.Offset + f.Len
		}
		if c.key == "" && end != c.at || c.key != "" && key != c.key {
			t.Errorf("%s: the error is at field %q (fields end at %d), want %q\n%s", c.name, key, end, c.key, fieldTable(ex))
		}
	}
}

// TestExplainUnknownVersion: without a valid version only a CONNECT can be
// explained.
func TestExplainUnknownVersion(t *testing.T) {
	t.Parallel()
	ex := Explain(cat(byte(PINGREQ)<<4, 0), 0)
	if ex.Err != ErrVersionUnknown || ex.Packet == nil || len(ex.Fields) != 2 {
		t.Errorf("PINGREQ at version 0: %v\n%s", ex.Err, fieldTable(ex))
	}
	ex = Explain(golden5[0].raw, 0)
	if ex.Err != nil || ex.Version != V5 {
		t.Errorf("CONNECT at version 0: %v, version %v", ex.Err, ex.Version)
	}
}

// TestExplainLongValues: long strings and binary data are cut in the
// inspector's value, never in the field.
func TestExplainLongValues(t *testing.T) {
	t.Parallel()
	long := make([]byte, 300)
	for i := range long {
		long[i] = 'a' + byte(i%26)
	}
	raw := pkt(byte(PUBLISH)<<4, str(string(long)), 43, 0x09, 0, 40, long[:40], long)
	ex := Explain(raw, V5)
	checkExplained(t, raw, ex, &Publish{Version: V5, Topic: string(long), Payload: long,
		Props: Properties{CorrelationData: Some(long[:40])}}, V5)
	for _, f := range ex.Fields {
		switch f.Key {
		case "publish.topic", "publish.payload":
			if !strings.HasSuffix(f.Value, "(300 bytes)") {
				t.Errorf("%s: value %q does not say how long it is", f.Key, f.Value)
			}
			if len(f.Value) > 120 || f.Len != 300 {
				t.Errorf("%s: %d bytes, value %q", f.Key, f.Len, f.Value)
			}
		case "property.correlation_data":
			if len(f.Value) > 120 || f.Len != 40 {
				t.Errorf("%s: %d bytes, value %q", f.Key, f.Len, f.Value)
			}
		}
	}
}

// TestExplainValueForms: how values read in the inspector: text when
// printable, hex otherwise, cut on a character boundary.
func TestExplainValueForms(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		raw  []byte
		key  string
		want string
	}{
		{"printable payload", pkt(byte(PUBLISH)<<4, str("t"), 0, "héllo\n"), "publish.payload", `"héllo` + "\n" + `"`},
		{"control character", pkt(byte(PUBLISH)<<4, str("t"), 0, "a\x01"), "publish.payload", "61 01"},
		{"DEL", pkt(byte(PUBLISH)<<4, str("t"), 0, "a\x7f"), "publish.payload", "61 7f"},
		{"not UTF-8", pkt(byte(PUBLISH)<<4, str("t"), 0, 0xff), "publish.payload", "ff"},
		{"empty payload", pkt(byte(PUBLISH)<<4, str("t"), 0), "publish.payload", "(empty)"},
		{"empty binary", pkt(byte(AUTH)<<4, 0x18, 6, 0x15, str(""), 0x16, str("")), "property.auth_data", "(empty)"},
	} {
		ex := Explain(c.raw, V5)
		if ex.Err != nil {
			t.Fatalf("%s: %v", c.name, ex.Err)
		}
		found := false
		for _, f := range ex.Fields {
			if f.Key == c.key {
				found = true
				if f.Value != c.want {
					t.Errorf("%s: %q, want %q", c.name, f.Value, c.want)
				}
			}
		}
		if !found {
			t.Errorf("%s: no field %s", c.name, c.key)
		}
	}
	// A long topic of two-byte characters is cut between characters.
	topic := "a" + strings.Repeat("é", 100) // the cut at 96 bytes falls inside a character
	ex := Explain(pkt(byte(PUBLISH)<<4, str(topic), 0), V5)
	for _, f := range ex.Fields {
		if f.Key == "publish.topic" && (!utf8.ValidString(f.Value) || !strings.HasSuffix(f.Value, "…\" (201 bytes)")) {
			t.Errorf("long topic shown as %q", f.Value)
		}
	}
}
