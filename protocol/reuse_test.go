package protocol

import (
	"bytes"
	"testing"
)

// decodeInto decodes one whole packet held in raw into p.
func decodeInto(t *testing.T, p Packet, raw []byte, v Version) {
	t.Helper()
	h, n, err := ParseFixedHeader(raw)
	if err != nil || n == 0 {
		t.Fatalf("fixed header of % x: %v", raw, err)
	}
	if err := DecodeInto(p, h, raw[n:], v); err != nil {
		t.Fatalf("DecodeInto % x: %v", raw, err)
	}
}

// largestGolden is the 5.0 golden packet of type typ with the most bytes.
func largestGolden(typ Type) Packet {
	var best golden
	for _, g := range golden5 {
		if g.want.Type() == typ && len(g.raw) > len(best.raw) {
			best = g
		}
	}
	return best.want
}

// TestDecodeIntoStream decodes a stream of packets whose topics and
// properties change into one reused value of each type, and compares every
// result with a fresh Decode: nothing of an earlier packet may remain.
func TestDecodeIntoStream(t *testing.T) {
	t.Parallel()
	enc := func(p Packet) []byte {
		t.Helper()
		raw, err := p.AppendTo(nil)
		if err != nil {
			t.Fatalf("%s: %v", dump(p), err)
		}
		return raw
	}
	user := func(kv ...string) []UserProperty {
		var out []UserProperty
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, UserProperty{kv[i], kv[i+1]})
		}
		return out
	}
	stream := []struct {
		v Version
		p Packet
	}{
		{V5, &Publish{Version: V5, QoS: 1, PacketID: 1, Topic: "sensors/k1/temp", Payload: []byte("21.5"), Props: Properties{
			ContentType: Some("text/plain"), ResponseTopic: Some("r/1"), User: user("a", "1", "b", "2"), SubscriptionIDs: []uint32{1, 2},
			CorrelationData: Some([]byte{1})}}},
		{V5, &Publish{Version: V5, QoS: 1, PacketID: 2, Topic: "sensors/k1/temp", Payload: []byte("21.6"), Props: Properties{
			ContentType: Some("text/plain"), ResponseTopic: Some("r/1"), User: user("a", "1", "b", "2"), SubscriptionIDs: []uint32{1, 2},
			CorrelationData: Some([]byte{1})}}},
		{V5, &Publish{Version: V5, QoS: 1, PacketID: 3, Topic: "sensors/k2/temp", Payload: []byte("19"), Props: Properties{
			ContentType: Some("text/plaim"), ResponseTopic: Some("r/2"), User: user("a", "1", "b", "3"), SubscriptionIDs: []uint32{7}}}},
		{V5, &Publish{Version: V5, Topic: "sensors/k2/tem", Payload: []byte("x"), Props: Properties{
			User: user("a", "1", "b", "3", "c", "4")}}},
		{V5, &Publish{Version: V5, Topic: "", Payload: []byte("y"), Props: Properties{TopicAlias: Some(uint16(4))}}},
		{V311, &Publish{Version: V311, QoS: 2, PacketID: 9, Topic: "sensors/k2/tem", Payload: nil}},
		{V5, &Publish{Version: V5, Topic: "sensors/k1/temp", Payload: []byte("z"), Props: Properties{
			ContentType: Some("text/plain"), User: user("b", "2", "a", "1")}}},
		{V311, &Publish{Version: V311, Dup: true, QoS: 1, Retain: true, PacketID: 10, Topic: "s", Payload: []byte("w")}},
	}
	var reused Publish
	for i, s := range stream {
		raw := enc(s.p)
		decodeInto(t, &reused, raw, s.v)
		if !samePacket(&reused, s.p) {
			t.Fatalf("packet %d into the reused value\n got %s\nwant %s", i, dump(&reused), dump(s.p))
		}
		// Strings are the decoder's own: overwriting the bytes they came
		// from changes nothing.
		for j := range raw {
			raw[j] = '#'
		}
		want := s.p.(*Publish)
		if reused.Topic != want.Topic || reused.Props.ContentType != want.Props.ContentType || len(reused.Props.User) != len(want.Props.User) {
			t.Fatalf("packet %d: strings alias the input: topic %q", i, reused.Topic)
		}
		for j, u := range reused.Props.User {
			if u != want.Props.User[j] {
				t.Fatalf("packet %d: user property %d is %q", i, j, u)
			}
		}
	}

	others := []struct {
		v      Version
		p, all Packet // all: a packet of the same type with everything set
	}{
		{V311, &Connect{Version: V311, ClientID: "c"}, largestGolden(CONNECT)},
		{V31, &Connect{Version: V31, ClientID: "d", Username: Some("u")}, largestGolden(CONNECT)},
		{V311, &Connack{Version: V311, SessionPresent: true}, largestGolden(CONNACK)},
		{V5, &Puback{Version: V5, PacketID: 4}, largestGolden(PUBACK)},
		{V311, &Pubrec{Version: V311, PacketID: 4}, largestGolden(PUBREC)},
		{V5, &Pubcomp{Version: V5, PacketID: 4, ReasonCode: PacketIdentifierNotFound}, largestGolden(PUBCOMP)},
		{V311, &Subscribe{Version: V311, PacketID: 5, Subscriptions: []Subscription{{Filter: "a/+", QoS: 2}}}, largestGolden(SUBSCRIBE)},
		{V5, &Subscribe{Version: V5, PacketID: 5, Subscriptions: []Subscription{{Filter: "a/#"}, {Filter: "$share/h/s/#", QoS: 1}}}, largestGolden(SUBSCRIBE)},
		{V311, &Suback{Version: V311, PacketID: 5, ReasonCodes: []ReasonCode{0x80}}, largestGolden(SUBACK)},
		{V311, &Unsubscribe{Version: V311, PacketID: 6, Filters: []string{"a/-"}}, largestGolden(UNSUBSCRIBE)},
		{V311, &Unsuback{Version: V311, PacketID: 6}, largestGolden(UNSUBACK)},
		{V5, &Disconnect{Version: V5}, largestGolden(DISCONNECT)},
		{V5, &Auth{}, largestGolden(AUTH)},
	}
	for _, o := range others {
		reused := New(o.p.Type())
		allV := V5
		decodeInto(t, reused, enc(o.all), allV)
		decodeInto(t, reused, enc(o.p), o.v)
		if !samePacket(reused, o.p) {
			t.Errorf("%T after a packet with everything set\n got %s\nwant %s", o.p, dump(reused), dump(o.p))
		}
	}

	if err := DecodeInto(&Puback{}, FixedHeader{Type: PUBLISH}, nil, V5); err == nil || ReasonCodeOf(err) != UnspecifiedError {
		t.Errorf("DecodeInto a PUBACK from a PUBLISH header: %v", err)
	}
	if err := DecodeInto(&Puback{}, FixedHeader{Type: PUBACK, Remaining: 3}, []byte{0, 1}, V5); err != ErrTruncated {
		t.Errorf("DecodeInto a body shorter than the header says: %v", err)
	}
}

// TestDecodeIntoAllocations: decoding a repeating PUBLISH into one reused
// value allocates nothing, properties included.
func TestDecodeIntoAllocations(t *testing.T) {
	for _, p := range []*Publish{
		{Version: V311, QoS: 1, PacketID: 7, Topic: "sensors/k1/temp", Payload: []byte("21.5")},
		{Version: V5, QoS: 1, PacketID: 7, Topic: "sensors/k1/temp", Payload: make([]byte, 16), Props: Properties{
			PayloadFormat: Some(byte(1)), MessageExpiry: Some(uint32(9)), ContentType: Some("text/plain"),
			ResponseTopic: Some("r/k1"), CorrelationData: Some([]byte{1, 2}), SubscriptionIDs: []uint32{3, 4},
			User: []UserProperty{{"unit", "C"}, {"site", "north"}}}},
		{Version: V5, Topic: "", Payload: []byte("x"), Props: Properties{TopicAlias: Some(uint16(3))}},
	} {
		raw, err := p.AppendTo(nil)
		if err != nil {
			t.Fatal(err)
		}
		h, n, _ := ParseFixedHeader(raw)
		var q Publish
		allocs := testing.AllocsPerRun(200, func() {
			if err := DecodeInto(&q, h, raw[n:], p.Version); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%v PUBLISH: %.1f allocations per decode, want 0", p.Version, allocs)
		}
		if !samePacket(&q, p) {
			t.Errorf("got %s", dump(&q))
		}
		if !bytes.Equal(q.Payload, p.Payload) {
			t.Errorf("payload % x", q.Payload)
		}
	}
}
