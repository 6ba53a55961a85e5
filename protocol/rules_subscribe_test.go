package protocol

import "testing"

// Negative vectors for SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (§3.8 to
// §3.11) and for topic filters (§4.7, §4.8).

// subscribe builds a SUBSCRIBE of version v with identifier 1 and the
// given filter and options pairs.
func subscribe(v Version, subs ...any) []byte {
	head := []any{0, 1}
	if v == V5 {
		head = append(head, 0)
	}
	return pkt(byte(SUBSCRIBE)<<4|2, append(head, subs...)...)
}

// unsubscribe builds an UNSUBSCRIBE of version v with identifier 1.
func unsubscribe(v Version, filters ...any) []byte {
	head := []any{0, 1}
	if v == V5 {
		head = append(head, 0)
	}
	return pkt(byte(UNSUBSCRIBE)<<4|2, append(head, filters...)...)
}

// TestMQTT_3_8_3_3_SubscribeEmpty: a SUBSCRIBE holds at least one filter
// (3.1.1 MQTT-3.8.3-3, 5.0 MQTT-3.8.3-2: a Protocol Error).
func TestMQTT_3_8_3_3_SubscribeEmpty(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrNoSubscriptions, ProtocolError, "MQTT-3.8.3-3/MQTT-3.8.3-2",
		bad{"no payload", V311, subscribe(V311)},
		bad{"no payload", V5, subscribe(V5)},
		bad{"properties, no payload", V5, pkt(byte(SUBSCRIBE)<<4|2, 0, 1, 2, 0x0B, 1)},
	)
	if _, err := (&Subscribe{Version: V5, PacketID: 1}).AppendTo(nil); err != ErrNoSubscriptions {
		t.Errorf("AppendTo without subscriptions: %v", err)
	}
}

// TestMQTT_3_10_3_2_UnsubscribeEmpty: an UNSUBSCRIBE holds at least one
// filter.
func TestMQTT_3_10_3_2_UnsubscribeEmpty(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrNoUnsubscriptions, ProtocolError, "MQTT-3.10.3-2",
		bad{"no payload", V311, unsubscribe(V311)},
		bad{"no payload", V5, unsubscribe(V5)},
	)
	if _, err := (&Unsubscribe{Version: V311, PacketID: 1}).AppendTo(nil); err != ErrNoUnsubscriptions {
		t.Errorf("AppendTo without filters: %v", err)
	}
}

// TestMQTT_3_8_3_4_SubscribeReservedBits: reserved bits of the options
// byte are 0: bits 2-7 in 3.1.1 (MQTT-3.8.3-4), bits 6-7 in 5.0
// (MQTT-3.8.3-5).
func TestMQTT_3_8_3_4_SubscribeReservedBits(t *testing.T) {
	t.Parallel()
	var cases []bad
	for _, o := range []int{0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFC} {
		cases = append(cases, bad{"options " + hex2(byte(o)), V311, subscribe(V311, str("a"), o)})
	}
	for _, o := range []int{0x40, 0x80, 0xC1} {
		cases = append(cases, bad{"options " + hex2(byte(o)), V5, subscribe(V5, str("a"), o)})
	}
	cases = append(cases, bad{"second filter", V5, subscribe(V5, str("a"), 1, str("b"), 0x41)})
	checkRule(t, ErrSubOptionsReserved, MalformedPacket, "MQTT-3.8.3-4/MQTT-3.8.3-5", cases...)
}

// TestMQTT_3_8_3_4_SubscribeQoS3: the requested QoS is 0, 1 or 2 (3.1.1
// MQTT-3.8.3-4; a Protocol Error in 5.0, §3.8.3.1).
func TestMQTT_3_8_3_4_SubscribeQoS3(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrSubQoS3, ProtocolError, "MQTT-3.8.3-4 (3.1.1)",
		bad{"QoS 3", V311, subscribe(V311, str("a"), 3)},
		bad{"QoS 3", V5, subscribe(V5, str("a"), 3)},
	)
	p := &Subscribe{Version: V311, PacketID: 1, Subscriptions: []Subscription{{Filter: "a", QoS: 3}}}
	if _, err := p.AppendTo(nil); err != ErrSubQoS3 {
		t.Errorf("AppendTo QoS 3: %v", err)
	}
}

// TestRetainHandling3: it is a Protocol Error to send a Retain Handling
// value of 3 (5.0 §3.8.3.1).
func TestRetainHandling3(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrRetainHandling3, ProtocolError, "",
		bad{"retain handling 3", V5, subscribe(V5, str("a"), 0x30)},
		bad{"retain handling 3, QoS 2", V5, subscribe(V5, str("a"), 0, str("b"), 0x32)},
	)
	p := &Subscribe{Version: V5, PacketID: 1, Subscriptions: []Subscription{{Filter: "a", RetainHandling: 3}}}
	if _, err := p.AppendTo(nil); err != ErrRetainHandling3 {
		t.Errorf("AppendTo retain handling 3: %v", err)
	}
}

// TestMQTT_3_8_3_4_NoLocalShared: No Local on a shared subscription is a
// Protocol Error (5.0).
func TestMQTT_3_8_3_4_NoLocalShared(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrNoLocalShared, ProtocolError, "MQTT-3.8.3-4 (5.0)",
		bad{"no local on $share/g/a", V5, subscribe(V5, str("$share/g/a"), 0x04)},
		bad{"no local on $share/g/#, QoS 1", V5, subscribe(V5, str("x"), 0x04, str("$share/g/#"), 0x05)},
	)
	p := &Subscribe{Version: V5, PacketID: 1, Subscriptions: []Subscription{{Filter: "$share/g/a", NoLocal: true}}}
	if _, err := p.AppendTo(nil); err != ErrNoLocalShared {
		t.Errorf("AppendTo no local on a shared subscription: %v", err)
	}
}

// filterCases puts each filter into a SUBSCRIBE and an UNSUBSCRIBE of both
// versions.
func filterCases(filters ...string) []bad {
	var out []bad
	for _, f := range filters {
		out = append(out,
			bad{"SUBSCRIBE " + f, V311, subscribe(V311, str(f), 1)},
			bad{"SUBSCRIBE " + f, V5, subscribe(V5, str("ok"), 0, str(f), 1)},
			bad{"UNSUBSCRIBE " + f, V311, unsubscribe(V311, str(f))},
			bad{"UNSUBSCRIBE " + f, V5, unsubscribe(V5, str(f))},
		)
	}
	return out
}

// TestMQTT_4_7_3_1_FilterEmpty: a topic filter is at least one character
// long; the server answers 0x8F.
func TestMQTT_4_7_3_1_FilterEmpty(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrFilterEmpty, TopicFilterInvalid, "MQTT-4.7.3-1", filterCases("")...)
}

// TestMQTT_4_7_1_2_MultiLevelWildcard: '#' stands alone in the last level
// (3.1.1 MQTT-4.7.1-2, 5.0 MQTT-4.7.1-1).
func TestMQTT_4_7_1_2_MultiLevelWildcard(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrFilterHash, TopicFilterInvalid, "MQTT-4.7.1-2/MQTT-4.7.1-1",
		filterCases("a/#/b", "sport/tennis#", "#/", "a#", "##", "#a", "$share/g/a/#/b")...)
}

// TestMQTT_4_7_1_3_SingleLevelWildcard: '+' occupies a whole level (3.1.1
// MQTT-4.7.1-3, 5.0 MQTT-4.7.1-2).
func TestMQTT_4_7_1_3_SingleLevelWildcard(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrFilterPlus, TopicFilterInvalid, "MQTT-4.7.1-3/MQTT-4.7.1-2",
		filterCases("sport+", "+a", "a/++/b", "a/b+", "sport/+tennis", "$share/g/a+")...)
}

// TestMQTT_4_8_2_1_SharedSubscriptionName: $share/{ShareName}/{filter}
// with a ShareName of at least one character free of '/', '+' and '#',
// followed by '/' and a filter (5.0 MQTT-4.8.2-1, MQTT-4.8.2-2).
func TestMQTT_4_8_2_1_SharedSubscriptionName(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrSharedName, TopicFilterInvalid, "MQTT-4.8.2-1, MQTT-4.8.2-2 (5.0)",
		filterCases("$share/", "$share//a", "$share/g", "$share/g/", "$share/g+/a", "$share/#/a", "$share/+/a")...)
}

// TestMQTT_3_8_4_5_SubackWithoutCodes: a SUBACK holds a reason code per
// filter of its SUBSCRIBE, so at least one (3.1.1 MQTT-3.8.4-5, 5.0
// MQTT-3.8.4-6); so does a 5.0 UNSUBACK.
func TestMQTT_3_8_4_5_SubackWithoutCodes(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrNoReasonCodes, ProtocolError, "MQTT-3.8.4-5/MQTT-3.8.4-6",
		bad{"SUBACK", V311, cat(byte(SUBACK)<<4, 2, 0, 1)},
		bad{"SUBACK", V5, cat(byte(SUBACK)<<4, 3, 0, 1, 0)},
		bad{"UNSUBACK", V5, cat(byte(UNSUBACK)<<4, 3, 0, 1, 0)},
	)
	for _, p := range []Packet{&Suback{Version: V311, PacketID: 1}, &Unsuback{Version: V5, PacketID: 1}} {
		if _, err := p.AppendTo(nil); err != ErrNoReasonCodes {
			t.Errorf("AppendTo %T without codes: %v", p, err)
		}
	}
}

// TestMQTT_3_9_3_2_SubackReturnCode: 3.1.1 SUBACK return codes other than
// 0x00, 0x01, 0x02 and 0x80 are reserved.
func TestMQTT_3_9_3_2_SubackReturnCode(t *testing.T) {
	t.Parallel()
	checkRule(t, ErrBadReturnCode, MalformedPacket, "MQTT-3.9.3-2 (3.1.1)",
		bad{"0x03", V311, cat(byte(SUBACK)<<4, 3, 0, 1, 0x03)},
		bad{"0x87", V311, cat(byte(SUBACK)<<4, 4, 0, 1, 0x00, 0x87)},
	)
	if _, err := (&Suback{Version: V311, PacketID: 1, ReasonCodes: []ReasonCode{0x10}}).AppendTo(nil); RuleOf(err) != "MQTT-3.9.3-2 (3.1.1)" {
		t.Errorf("AppendTo a 3.1.1 SUBACK with 0x10: %v", err)
	}
	// Every 5.0 failure code becomes 3.1.1's single failure code 0x80.
	raw, err := (&Suback{Version: V311, PacketID: 1, ReasonCodes: []ReasonCode{GrantedQoS2, NotAuthorized, QuotaExceeded}}).AppendTo(nil)
	if err != nil || string(raw) != string(cat(byte(SUBACK)<<4, 5, 0, 1, 0x02, 0x80, 0x80)) {
		t.Errorf("3.1.1 SUBACK with 5.0 failure codes: % x, %v", raw, err)
	}
}
