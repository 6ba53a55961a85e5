package broker

import (
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

func TestQoS2ExactlyOnceUnderDupResend(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	for _, v := range versions {
		sub := connectRaw(t, addr, v, "once-sub")
		sub.subscribe(1, protocol.Subscription{Filter: "x", QoS: 2})
		pub := connectRaw(t, addr, v, "once-pub")
		pub.send(&protocol.Publish{Version: v, QoS: 2, PacketID: 9, Topic: "x", Payload: []byte("1")})
		pub.expect(protocol.PUBREC)
		// The PUBREC "got lost": the publisher sends the PUBLISH again with
		// DUP before PUBREL. It must not be delivered twice (§4.3.3).
		pub.send(&protocol.Publish{Version: v, QoS: 2, Dup: true, PacketID: 9, Topic: "x", Payload: []byte("1")})
		pub.expect(protocol.PUBREC)
		pub.send(&protocol.Pubrel{Version: v, PacketID: 9})
		pub.expect(protocol.PUBCOMP)
		p := expectPublish(t, sub, "x", "1")
		sub.send(&protocol.Pubrec{Version: v, PacketID: p.PacketID})
		sub.expect(protocol.PUBREL)
		sub.send(&protocol.Pubcomp{Version: v, PacketID: p.PacketID})
		sub.expectNothing(300 * time.Millisecond)
		// After PUBREL the identifier is free again: a new message with it
		// is a new message.
		pub.send(&protocol.Publish{Version: v, QoS: 2, PacketID: 9, Topic: "x", Payload: []byte("2")})
		pub.expect(protocol.PUBREC)
		pub.send(&protocol.Pubrel{Version: v, PacketID: 9})
		pub.expect(protocol.PUBCOMP)
		expectPublish(t, sub, "x", "2")
	}
}

func TestClientReceiveMaximumRespected(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	sub := dialRaw(t, addr, protocol.V5)
	sub.connect(&protocol.Connect{ClientID: "window", CleanStart: true, Props: protocol.Properties{ReceiveMaximum: protocol.Some(uint16(2))}})
	sub.subscribe(1, protocol.Subscription{Filter: "w", QoS: 1})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	for i := 0; i < 4; i++ {
		pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: uint16(i + 1), Topic: "w", Payload: []byte{byte('a' + i)}})
		pub.expect(protocol.PUBACK)
	}
	a := expectPublish(t, sub, "w", "a")
	expectPublish(t, sub, "w", "b")
	sub.expectNothing(200 * time.Millisecond) // [MQTT-3.3.4-9] window of 2
	sub.send(&protocol.Puback{Version: protocol.V5, PacketID: a.PacketID})
	expectPublish(t, sub, "w", "c")
	sub.expectNothing(200 * time.Millisecond)
}

func TestServerReceiveMaximumExceeded(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{MaxInflight: 2})
	c := connectRaw(t, addr, protocol.V5, "flood")
	for i := 1; i <= 3; i++ { // QoS 2 without PUBREL stays unreleased
		c.send(&protocol.Publish{Version: protocol.V5, QoS: 2, PacketID: uint16(i), Topic: "f", Payload: []byte("x")})
		if i <= 2 {
			c.expect(protocol.PUBREC)
		}
	}
	if code := c.expectClosed(); code != protocol.ReceiveMaximumExceeded {
		t.Fatalf("got %v, want Receive Maximum exceeded", code)
	}
}

func TestMaxQoS(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{MaxQoS: protocol.Some(protocol.QoS1)})
	sub := connectRaw(t, addr, protocol.V5, "sub")
	if ack := sub.subscribe(1, protocol.Subscription{Filter: "m", QoS: 2}); ack.ReasonCodes[0] != protocol.GrantedQoS1 {
		t.Fatalf("granted %v, want QoS 1", ack.ReasonCodes[0])
	}
	pub := connectRaw(t, addr, protocol.V5, "pub")
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 2, PacketID: 1, Topic: "m", Payload: []byte("x")})
	if code := pub.expectClosed(); code != protocol.QoSNotSupported {
		t.Fatalf("got %v, want QoS not supported", code)
	}
}

func TestQoSDowngradedToSubscription(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	sub := connectRaw(t, addr, protocol.V311, "low")
	sub.subscribe(1, protocol.Subscription{Filter: "d", QoS: 0})
	pub := connectRaw(t, addr, protocol.V311, "pub")
	pub.send(&protocol.Publish{Version: protocol.V311, QoS: 2, PacketID: 1, Topic: "d", Payload: []byte("x")})
	pub.expect(protocol.PUBREC)
	pub.send(&protocol.Pubrel{Version: protocol.V311, PacketID: 1})
	pub.expect(protocol.PUBCOMP)
	if p := expectPublish(t, sub, "d", "x"); p.QoS != 0 {
		t.Fatalf("delivered at QoS %d, want 0", p.QoS)
	}
}

func TestNoMatchingSubscribers(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	pub := connectRaw(t, addr, protocol.V5, "lonely")
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Topic: "nobody", Payload: []byte("x")})
	if a := pub.expect(protocol.PUBACK).(*protocol.Puback); a.ReasonCode != protocol.NoMatchingSubscribers {
		t.Fatalf("PUBACK %v, want No matching subscribers", a.ReasonCode)
	}
}

func TestOverlappingSubscriptionsOneCopy(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	sub := connectRaw(t, addr, protocol.V5, "overlap")
	sub.send(&protocol.Subscribe{Version: protocol.V5, PacketID: 1, Props: protocol.Properties{SubscriptionIDs: []uint32{7}},
		Subscriptions: []protocol.Subscription{{Filter: "o/+", QoS: 0}}})
	sub.expect(protocol.SUBACK)
	sub.send(&protocol.Subscribe{Version: protocol.V5, PacketID: 2, Props: protocol.Properties{SubscriptionIDs: []uint32{8}},
		Subscriptions: []protocol.Subscription{{Filter: "o/#", QoS: 1}}})
	sub.expect(protocol.SUBACK)
	pub := connectRaw(t, addr, protocol.V5, "pub")
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Topic: "o/x", Payload: []byte("x")})
	p := expectPublish(t, sub, "o/x", "x")
	// One copy at the highest QoS, carrying both identifiers [MQTT-3.3.4-2].
	if p.QoS != 1 || len(p.Props.SubscriptionIDs) != 2 {
		t.Fatalf("QoS %d ids %v", p.QoS, p.Props.SubscriptionIDs)
	}
	sub.send(&protocol.Puback{Version: protocol.V5, PacketID: p.PacketID})
	sub.expectNothing(200 * time.Millisecond)
}
