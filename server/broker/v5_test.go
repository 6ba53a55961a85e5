package broker

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

func TestTopicAliasFromClient(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{TopicAliasMax: 2})
	sub := connectRaw(t, addr, protocol.V5, "sub")
	sub.subscribe(1, protocol.Subscription{Filter: "alias/#"})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	pub.send(&protocol.Publish{Version: protocol.V5, Topic: "alias/long/topic", Payload: []byte("1"),
		Props: protocol.Properties{TopicAlias: protocol.Some(uint16(1))}})
	pub.send(&protocol.Publish{Version: protocol.V5, Topic: "", Payload: []byte("2"),
		Props: protocol.Properties{TopicAlias: protocol.Some(uint16(1))}})
	expectPublish(t, sub, "alias/long/topic", "1")
	p := expectPublish(t, sub, "alias/long/topic", "2")
	if p.Props.TopicAlias.Present {
		t.Fatal("client-side alias forwarded")
	}
	// An unknown alias is a protocol error, one above the maximum invalid.
	pub.send(&protocol.Publish{Version: protocol.V5, Topic: "", Payload: []byte("3"),
		Props: protocol.Properties{TopicAlias: protocol.Some(uint16(2))}})
	if code := pub.expectClosed(); code != protocol.ProtocolError {
		t.Fatalf("unset alias: %v", code)
	}
	pub = connectRaw(t, addr, protocol.V5, "pub2")
	pub.send(&protocol.Publish{Version: protocol.V5, Topic: "alias/x", Payload: []byte("3"),
		Props: protocol.Properties{TopicAlias: protocol.Some(uint16(3))}})
	if code := pub.expectClosed(); code != protocol.TopicAliasInvalid {
		t.Fatalf("alias above maximum: %v", code) // [MQTT-3.3.2-9]
	}
}

func TestTopicAliasToClient(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	sub := dialRaw(t, addr, protocol.V5)
	sub.connect(&protocol.Connect{ClientID: "aliased", CleanStart: true, Props: protocol.Properties{TopicAliasMaximum: protocol.Some(uint16(4))}})
	sub.subscribe(1, protocol.Subscription{Filter: "t/#"})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	for i := 0; i < 3; i++ {
		pub.send(&protocol.Publish{Version: protocol.V5, Topic: "t/a/rather/long/topic/name", Payload: []byte{byte('0' + i)}})
	}
	first := sub.expect(protocol.PUBLISH).(*protocol.Publish)
	if first.Topic != "t/a/rather/long/topic/name" || !first.Props.TopicAlias.Present {
		t.Fatalf("first: topic %q alias %v", first.Topic, first.Props.TopicAlias)
	}
	for i := 1; i < 3; i++ {
		p := sub.expect(protocol.PUBLISH).(*protocol.Publish)
		if p.Topic != "" || p.Props.TopicAlias != first.Props.TopicAlias {
			t.Fatalf("later: topic %q alias %v", p.Topic, p.Props.TopicAlias)
		}
	}
}

func TestMessageExpiryForwardedAndApplied(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	sub := persistentSub(t, addr, protocol.V5, "exp-sub", "me", 60)
	pub := connectRaw(t, addr, protocol.V5, "pub")
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Topic: "me", Payload: []byte("x"),
		Props: protocol.Properties{MessageExpiry: protocol.Some(uint32(60))}})
	pub.expect(protocol.PUBACK)
	p := expectPublish(t, sub, "me", "x")
	if e := p.Props.MessageExpiry.Value; !p.Props.MessageExpiry.Present || e > 60 || e < 59 {
		t.Fatalf("expiry %v", p.Props.MessageExpiry)
	}
	sub.send(&protocol.Puback{Version: protocol.V5, PacketID: p.PacketID})
	// Queued while offline, the message expires before the client returns.
	sub.send(&protocol.Disconnect{Version: protocol.V5})
	sub.expectClosed()
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 2, Topic: "me", Payload: []byte("short"),
		Props: protocol.Properties{MessageExpiry: protocol.Some(uint32(1))}})
	pub.expect(protocol.PUBACK)
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 3, Topic: "me", Payload: []byte("long"),
		Props: protocol.Properties{MessageExpiry: protocol.Some(uint32(100))}})
	pub.expect(protocol.PUBACK)
	time.Sleep(1200 * time.Millisecond)
	sub, _ = reconnect(t, addr, protocol.V5, "exp-sub")
	p = expectPublish(t, sub, "me", "long")
	if e := p.Props.MessageExpiry.Value; e >= 100 || e < 97 {
		t.Fatalf("remaining expiry %d, want less than 100", e)
	}
}

func TestSubscriptionIdentifierAndNoLocal(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	c := connectRaw(t, addr, protocol.V5, "self")
	c.send(&protocol.Subscribe{Version: protocol.V5, PacketID: 1, Props: protocol.Properties{SubscriptionIDs: []uint32{42}},
		Subscriptions: []protocol.Subscription{{Filter: "nl/+", NoLocal: true}, {Filter: "id/+"}}})
	c.expect(protocol.SUBACK)
	c.send(&protocol.Publish{Version: protocol.V5, Topic: "nl/x", Payload: []byte("mine")})
	c.send(&protocol.Publish{Version: protocol.V5, Topic: "id/x", Payload: []byte("echo")})
	p := expectPublish(t, c, "id/x", "echo") // nl/x is not echoed [MQTT-3.8.3-3]
	if len(p.Props.SubscriptionIDs) != 1 || p.Props.SubscriptionIDs[0] != 42 {
		t.Fatalf("subscription ids %v", p.Props.SubscriptionIDs)
	}
	other := connectRaw(t, addr, protocol.V5, "other")
	other.send(&protocol.Publish{Version: protocol.V5, Topic: "nl/x", Payload: []byte("theirs")})
	expectPublish(t, c, "nl/x", "theirs")
}

func TestSharedSubscriptions(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	a := connectRaw(t, addr, protocol.V5, "a")
	b := connectRaw(t, addr, protocol.V5, "b")
	plain := connectRaw(t, addr, protocol.V5, "plain")
	for _, c := range []*rawClient{a, b} {
		c.subscribe(1, protocol.Subscription{Filter: "$share/workers/jobs/+", QoS: 1})
	}
	plain.subscribe(1, protocol.Subscription{Filter: "jobs/+"})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	const n = 10
	for i := 0; i < n; i++ {
		pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: uint16(i + 1), Topic: "jobs/j", Payload: []byte{byte(i)}})
		pub.expect(protocol.PUBACK)
	}
	count := func(c *rawClient) int {
		got := 0
		for {
			p, err := c.read(300 * time.Millisecond)
			if err != nil {
				return got
			}
			got++
			if pp := p.(*protocol.Publish); pp.QoS == 1 {
				c.send(&protocol.Puback{Version: protocol.V5, PacketID: pp.PacketID})
			}
		}
	}
	na, nb, np := count(a), count(b), count(plain)
	if na+nb != n || na == 0 || nb == 0 || np != n {
		t.Fatalf("shared a=%d b=%d (want %d in all, both > 0), plain %d", na, nb, n, np)
	}
	// A member that leaves hands its share to the others.
	b.send(&protocol.Disconnect{Version: protocol.V5})
	b.expectClosed()
	for i := 0; i < n; i++ {
		pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: uint16(i + 1), Topic: "jobs/j", Payload: []byte{byte(i)}})
		pub.expect(protocol.PUBACK)
	}
	if na := count(a); na != n {
		t.Fatalf("remaining member got %d of %d", na, n)
	}
	// No retained messages for shared subscriptions, and no no-local.
	publishRetained(t, pub, "jobs/r", "r")
	count(a)
	c := connectRaw(t, addr, protocol.V5, "c")
	c.subscribe(1, protocol.Subscription{Filter: "$share/g/jobs/r"})
	c.expectNothing(200 * time.Millisecond)
	// SUBSCRIBE $share/g/x with No Local (the encoder refuses to build it).
	c.sendRaw(append([]byte{0x82, 16, 0, 2, 0, 0, 10}, append([]byte("$share/g/x"), 0x04)...))
	if code := c.expectClosed(); code != protocol.ProtocolError {
		t.Fatalf("no local on a shared subscription: %v", code) // [MQTT-3.8.3-4]
	}
}

func TestPropertiesPassThrough(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	sub := connectRaw(t, addr, protocol.V5, "sub")
	sub.subscribe(1, protocol.Subscription{Filter: "req"})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	props := protocol.Properties{
		PayloadFormat:   protocol.Some(byte(1)),
		ContentType:     protocol.Some("application/json"),
		ResponseTopic:   protocol.Some("resp/pub"),
		CorrelationData: protocol.Some([]byte{1, 2, 3}),
		User:            []protocol.UserProperty{{Key: "a", Value: "1"}, {Key: "a", Value: "2"}, {Key: "b", Value: "3"}},
	}
	pub.send(&protocol.Publish{Version: protocol.V5, Topic: "req", Payload: []byte(`{"x":1}`), Props: props})
	p := expectPublish(t, sub, "req", `{"x":1}`)
	got := p.Props
	if got.PayloadFormat != props.PayloadFormat || got.ContentType != props.ContentType || got.ResponseTopic != props.ResponseTopic ||
		!bytes.Equal(got.CorrelationData.Value, props.CorrelationData.Value) || len(got.User) != 3 || got.User[1].Value != "2" {
		t.Fatalf("properties changed: %+v", got)
	}
	// 3.1.1 subscribers get the message without properties.
	old := connectRaw(t, addr, protocol.V311, "old")
	old.subscribe(1, protocol.Subscription{Filter: "req"})
	pub.send(&protocol.Publish{Version: protocol.V5, Topic: "req", Payload: []byte("y"), Props: props})
	expectPublish(t, old, "req", "y")
}

func TestPayloadFormatInvalid(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	bad := []byte{0xff, 0xfe}
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Topic: "pf", Payload: bad,
		Props: protocol.Properties{PayloadFormat: protocol.Some(byte(1))}})
	if a := pub.expect(protocol.PUBACK).(*protocol.Puback); a.ReasonCode != protocol.PayloadFormatInvalid {
		t.Fatalf("PUBACK %v, want 0x99", a.ReasonCode)
	}
	pub.send(&protocol.Publish{Version: protocol.V5, Topic: "pf", Payload: bad, Props: protocol.Properties{PayloadFormat: protocol.Some(byte(1))}})
	if code := pub.expectClosed(); code != protocol.PayloadFormatInvalid {
		t.Fatalf("QoS 0: %v", code)
	}
}

func TestMaximumPacketSizeBothWays(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{MaxPacketSize: 1024})
	small := dialRaw(t, addr, protocol.V5)
	small.connect(&protocol.Connect{ClientID: "small", CleanStart: true, Props: protocol.Properties{MaximumPacketSize: protocol.Some(uint32(100))}})
	small.subscribe(1, protocol.Subscription{Filter: "big/#", QoS: 1})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Topic: "big/1", Payload: make([]byte, 200)})
	pub.expect(protocol.PUBACK)
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 2, Topic: "big/2", Payload: []byte("fits")})
	pub.expect(protocol.PUBACK)
	p := expectPublish(t, small, "big/2", "fits") // big/1 is not sent [MQTT-3.1.2-25]
	small.send(&protocol.Puback{Version: protocol.V5, PacketID: p.PacketID})
	pub.send(&protocol.Publish{Version: protocol.V5, Topic: "big/3", Payload: make([]byte, 2000)})
	if code := pub.expectClosed(); code != protocol.PacketTooLarge {
		t.Fatalf("too large for the broker: %v", code)
	}
}

func TestAuthorizationCodes(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{Permissions: func(c ConnInfo) Permissions {
		return PermissionsFunc(func(topic string, a Access) bool {
			return !strings.HasPrefix(topic, "secret") && (c.ClientID != "reader" || a != AccessRead || topic != "open/hidden")
		})
	}})
	for _, v := range versions {
		c := connectRaw(t, addr, v, "acl")
		ack := c.subscribe(1, protocol.Subscription{Filter: "secret/#", QoS: 1}, protocol.Subscription{Filter: "open/#", QoS: 1})
		want := protocol.NotAuthorized // 0x80 on the wire in 3.1.1
		if v != protocol.V5 {
			want = protocol.UnspecifiedError
		}
		if ack.ReasonCodes[0] != want || ack.ReasonCodes[1] != 1 {
			t.Fatalf("v%d SUBACK %v", v, ack.ReasonCodes)
		}
		if v == protocol.V5 && !strings.Contains(ack.Props.ReasonString.Value, "secret/#") {
			t.Errorf("no reason string in SUBACK: %+v", ack.Props.ReasonString)
		}
		c.send(&protocol.Publish{Version: v, QoS: 1, PacketID: 1, Topic: "secret/x", Payload: []byte("x")})
		a := c.expect(protocol.PUBACK).(*protocol.Puback)
		if v == protocol.V5 && a.ReasonCode != protocol.NotAuthorized {
			t.Fatalf("PUBACK %v", a.ReasonCode)
		}
	}
	// Reading is checked at each delivery.
	reader := connectRaw(t, addr, protocol.V5, "reader")
	reader.subscribe(1, protocol.Subscription{Filter: "open/#"})
	w := connectRaw(t, addr, protocol.V5, "writer")
	w.send(&protocol.Publish{Version: protocol.V5, Topic: "open/hidden", Payload: []byte("no")})
	w.send(&protocol.Publish{Version: protocol.V5, Topic: "open/seen", Payload: []byte("yes")})
	expectPublish(t, reader, "open/seen", "yes")
	// A client that asked for no problem information gets no reason string.
	c := dialRaw(t, addr, protocol.V5)
	c.connect(&protocol.Connect{ClientID: "quiet", CleanStart: true, Props: protocol.Properties{RequestProblemInfo: protocol.Some(byte(0))}})
	if ack := c.subscribe(1, protocol.Subscription{Filter: "secret/#"}); ack.Props.ReasonString.Present {
		t.Fatal("reason string sent although Request Problem Information is 0") // [MQTT-3.1.2-29]
	}
}

func TestNoPublishingToSys(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	sub := connectRaw(t, addr, protocol.V5, "sub")
	sub.subscribe(1, protocol.Subscription{Filter: "$SYS/fake"})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Topic: "$SYS/fake", Payload: []byte("x")})
	if a := pub.expect(protocol.PUBACK).(*protocol.Puback); a.ReasonCode != protocol.NotAuthorized {
		t.Fatalf("PUBACK %v", a.ReasonCode)
	}
	sub.expectNothing(200 * time.Millisecond)
}

func TestWildcardsAndDollarTopics(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{})
	c := connectRaw(t, addr, protocol.V5, "wild")
	c.subscribe(1, protocol.Subscription{Filter: "#"}, protocol.Subscription{Filter: "+/status"})
	m := message{topic: "$internal/status", payload: []byte("hidden")}
	b.publishInternal(&m) // [MQTT-4.7.2-1] '#' and '+' do not match '$' topics
	c.send(&protocol.Publish{Version: protocol.V5, Topic: "a/status", Payload: []byte("seen")})
	p := expectPublish(t, c, "a/status", "seen")
	if len(p.Props.SubscriptionIDs) != 0 {
		t.Fatal("unexpected subscription ids")
	}
	c.expectNothing(200 * time.Millisecond)
}
