package broker

import (
	"fmt"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// persistentSub connects id with a persistent session (clean session 0 /
// session expiry) subscribed to filter at QoS 1.
func persistentSub(t *testing.T, addr string, v protocol.Version, id, filter string, expiry uint32) *rawClient {
	t.Helper()
	c := dialRaw(t, addr, v)
	p := &protocol.Connect{ClientID: id, CleanStart: true}
	if v == protocol.V5 {
		p.Props.SessionExpiry = protocol.Some(expiry)
	} else {
		p.CleanStart = false
	}
	if ack := c.connect(p); ack.SessionPresent {
		t.Fatalf("fresh session reported present")
	}
	c.subscribe(1, protocol.Subscription{Filter: filter, QoS: 1})
	return c
}

func reconnect(t *testing.T, addr string, v protocol.Version, id string) (*rawClient, bool) {
	t.Helper()
	c := dialRaw(t, addr, v)
	p := &protocol.Connect{ClientID: id, CleanStart: false}
	if v == protocol.V5 {
		p.Props.SessionExpiry = protocol.Some(uint32(60))
	}
	ack := c.connect(p)
	return c, ack.SessionPresent
}

func TestQueuedWhileOfflineDeliveredInOrder(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	for _, v := range versions {
		id := fmt.Sprintf("offline-%d", v)
		sub := persistentSub(t, addr, v, id, "q/+", 60)
		sub.send(&protocol.Disconnect{Version: v})
		sub.expectClosed()

		pub := connectRaw(t, addr, v, "pub")
		pub.send(&protocol.Publish{Version: v, QoS: 0, Topic: "q/x", Payload: []byte("qos0")}) // not queued
		for i := 0; i < 5; i++ {
			pub.send(&protocol.Publish{Version: v, QoS: 1, PacketID: uint16(i + 1), Topic: "q/x", Payload: []byte{byte('0' + i)}})
			pub.expect(protocol.PUBACK)
		}

		sub, present := reconnect(t, addr, v, id)
		if !present {
			t.Fatalf("v%d: session not present", v)
		}
		for i := 0; i < 5; i++ {
			p := expectPublish(t, sub, "q/x", string(rune('0'+i)))
			sub.send(&protocol.Puback{Version: v, PacketID: p.PacketID})
		}
		sub.expectNothing(200 * time.Millisecond)
	}
}

func TestMaxQueuedDropsAreCounted(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{MaxQueued: 3})
	sub := persistentSub(t, addr, protocol.V5, "small", "d", 60)
	sub.send(&protocol.Disconnect{Version: protocol.V5})
	sub.expectClosed()
	pub := connectRaw(t, addr, protocol.V5, "pub")
	for i := 0; i < 5; i++ {
		pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: uint16(i + 1), Topic: "d", Payload: []byte{byte('a' + i)}})
		pub.expect(protocol.PUBACK)
	}
	if d := b.Stats().MessagesDropped; d != 2 {
		t.Fatalf("dropped %d, want 2", d)
	}
	sub, _ = reconnect(t, addr, protocol.V5, "small")
	for _, want := range []string{"a", "b", "c"} {
		p := expectPublish(t, sub, "d", want)
		sub.send(&protocol.Puback{Version: protocol.V5, PacketID: p.PacketID})
	}
	sub.expectNothing(200 * time.Millisecond)
}

func TestUnacknowledgedResentWithDup(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	for _, v := range versions {
		id := fmt.Sprintf("dup-%d", v)
		sub := persistentSub(t, addr, v, id, "r", 60)
		pub := connectRaw(t, addr, v, "pub")
		pub.send(&protocol.Publish{Version: v, QoS: 1, PacketID: 1, Topic: "r", Payload: []byte("once")})
		first := expectPublish(t, sub, "r", "once")
		if first.Dup {
			t.Fatalf("first delivery has DUP")
		}
		sub.nc.Close() // no PUBACK
		sub, present := reconnect(t, addr, v, id)
		if !present {
			t.Fatal("session not present")
		}
		again := expectPublish(t, sub, "r", "once")
		if !again.Dup || again.PacketID != first.PacketID {
			t.Fatalf("re-sent DUP=%v id=%d, want DUP with id %d", again.Dup, again.PacketID, first.PacketID)
		}
		sub.send(&protocol.Puback{Version: v, PacketID: again.PacketID})
		sub.expectNothing(200 * time.Millisecond)
	}
}

func TestQoS2ReleaseResentAfterReconnect(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	v := protocol.V5
	sub := persistentSub(t, addr, v, "rel", "r2", 60)
	sub.send(&protocol.Subscribe{Version: v, PacketID: 2, Subscriptions: []protocol.Subscription{{Filter: "r2", QoS: 2}}})
	sub.expect(protocol.SUBACK)
	pub := connectRaw(t, addr, v, "pub")
	pub.send(&protocol.Publish{Version: v, QoS: 2, PacketID: 1, Topic: "r2", Payload: []byte("x")})
	p := expectPublish(t, sub, "r2", "x")
	sub.send(&protocol.Pubrec{Version: v, PacketID: p.PacketID})
	sub.expect(protocol.PUBREL)
	sub.nc.Close() // no PUBCOMP
	sub, _ = reconnect(t, addr, v, "rel")
	rel := sub.expect(protocol.PUBREL).(*protocol.Pubrel) // §4.4: PUBREL re-sent, not the PUBLISH
	if rel.PacketID != p.PacketID {
		t.Fatalf("PUBREL for %d, want %d", rel.PacketID, p.PacketID)
	}
	sub.send(&protocol.Pubcomp{Version: v, PacketID: p.PacketID})
	sub.expectNothing(200 * time.Millisecond)
}

func TestCleanStartDiscardsSession(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	for _, v := range versions {
		id := fmt.Sprintf("clean-%d", v)
		sub := persistentSub(t, addr, v, id, "c", 60)
		sub.send(&protocol.Disconnect{Version: v})
		sub.expectClosed()
		c := dialRaw(t, addr, v)
		if ack := c.connect(&protocol.Connect{ClientID: id, CleanStart: true}); ack.SessionPresent {
			t.Fatalf("v%d: clean start reported a session present", v)
		}
		pub := connectRaw(t, addr, v, "pub")
		pub.send(&protocol.Publish{Version: v, Topic: "c", Payload: []byte("x")})
		c.expectNothing(200 * time.Millisecond) // the old subscription is gone
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{})
	sub := persistentSub(t, addr, protocol.V5, "expiring", "e", 1)
	sub.send(&protocol.Disconnect{Version: protocol.V5})
	sub.expectClosed()
	if s := b.Stats().Sessions; s != 1 {
		t.Fatalf("sessions %d right after disconnect", s)
	}
	deadline := time.Now().Add(5 * time.Second)
	for b.Stats().Sessions != 0 {
		if time.Now().After(deadline) {
			t.Fatal("session did not expire")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, present := reconnect(t, addr, protocol.V5, "expiring"); present {
		t.Fatal("expired session present")
	}
}

func TestSessionExpirySetAtDisconnect(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	// Expiry 60 at CONNECT, 0 at DISCONNECT: the session ends at once.
	sub := persistentSub(t, addr, protocol.V5, "shorten", "s", 60)
	sub.send(&protocol.Disconnect{Version: protocol.V5, Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(0))}})
	sub.expectClosed()
	if _, present := reconnect(t, addr, protocol.V5, "shorten"); present {
		t.Fatal("session survived expiry 0 set at DISCONNECT")
	}
	// Expiry 0 at CONNECT cannot be raised at DISCONNECT [MQTT-3.14.2-2].
	c := connectRaw(t, addr, protocol.V5, "zero")
	c.send(&protocol.Disconnect{Version: protocol.V5, Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(60))}})
	if code := c.expectClosed(); code != protocol.ProtocolError {
		t.Fatalf("got %v, want Protocol Error", code)
	}
}

func TestThreeOneOnePersistentSessionNeverExpires(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{})
	sub := persistentSub(t, addr, protocol.V311, "keeper", "k", 0)
	sub.send(&protocol.Disconnect{Version: protocol.V311})
	sub.expectClosed()
	time.Sleep(100 * time.Millisecond)
	if b.Stats().Sessions != 1 {
		t.Fatal("3.1.1 clean session 0 did not persist")
	}
}
