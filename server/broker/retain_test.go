package broker

import (
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

func publishRetained(t *testing.T, c *rawClient, topic, payload string) {
	t.Helper()
	c.send(&protocol.Publish{Version: c.v, QoS: 1, PacketID: 1, Retain: true, Topic: topic, Payload: []byte(payload)})
	c.expect(protocol.PUBACK)
}

func TestRetainedStoredReplacedDeleted(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{})
	for _, v := range versions {
		pub := connectRaw(t, addr, v, "pub")
		publishRetained(t, pub, "ret/a", "1")
		publishRetained(t, pub, "ret/a", "2") // replaces
		publishRetained(t, pub, "ret/b", "b")

		sub := connectRaw(t, addr, v, "sub")
		sub.subscribe(1, protocol.Subscription{Filter: "ret/+"})
		got := map[string]string{}
		for i := 0; i < 2; i++ {
			p := sub.expect(protocol.PUBLISH).(*protocol.Publish)
			if !p.Retain {
				t.Fatalf("retained message without RETAIN [MQTT-3.3.1-9]")
			}
			got[p.Topic] = string(p.Payload)
		}
		if got["ret/a"] != "2" || got["ret/b"] != "b" {
			t.Fatalf("retained %v", got)
		}
		if n := b.Stats().Retained; n != 2 {
			t.Fatalf("retained count %d", n)
		}
		// A live message to a subscriber: RETAIN 0 unless retain as
		// published [MQTT-3.3.1-12].
		publishRetained(t, pub, "ret/a", "3")
		if p := expectPublish(t, sub, "ret/a", "3"); p.Retain {
			t.Fatal("live message delivered with RETAIN")
		}
		// An empty retained message deletes [MQTT-3.3.1-10] and is
		// delivered as normal.
		publishRetained(t, pub, "ret/a", "")
		publishRetained(t, pub, "ret/b", "")
		expectPublish(t, sub, "ret/a", "")
		expectPublish(t, sub, "ret/b", "")
		if n := b.Stats().Retained; n != 0 {
			t.Fatalf("retained count %d after delete", n)
		}
		late := connectRaw(t, addr, v, "late")
		late.subscribe(1, protocol.Subscription{Filter: "ret/#"})
		late.expectNothing(200 * time.Millisecond)
	}
}

func TestRetainHandling(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	publishRetained(t, pub, "rh", "x")
	sub := connectRaw(t, addr, protocol.V5, "sub")

	// 2: never.
	sub.subscribe(1, protocol.Subscription{Filter: "rh", RetainHandling: 2})
	sub.expectNothing(200 * time.Millisecond)
	// 1: only for a new subscription; this one exists.
	sub.subscribe(2, protocol.Subscription{Filter: "rh", RetainHandling: 1})
	sub.expectNothing(200 * time.Millisecond)
	// 0: at every subscribe.
	sub.subscribe(3, protocol.Subscription{Filter: "rh", RetainHandling: 0})
	expectPublish(t, sub, "rh", "x")
	// 1 on a new filter: sent.
	sub.subscribe(5, protocol.Subscription{Filter: "+", RetainHandling: 1})
	expectPublish(t, sub, "rh", "x")
}

func TestRetainAsPublished(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	sub := connectRaw(t, addr, protocol.V5, "sub")
	sub.subscribe(1, protocol.Subscription{Filter: "rap", RetainAsPublished: true})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	publishRetained(t, pub, "rap", "x")
	if p := expectPublish(t, sub, "rap", "x"); !p.Retain {
		t.Fatal("retain as published lost the RETAIN flag")
	}
}

func TestRetainedMessageExpiry(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	pub.send(&protocol.Publish{Version: protocol.V5, Retain: true, Topic: "exp", Payload: []byte("x"),
		Props: protocol.Properties{MessageExpiry: protocol.Some(uint32(1))}})
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Topic: "sync", Payload: []byte("x")})
	pub.expect(protocol.PUBACK)
	sub := connectRaw(t, addr, protocol.V5, "sub")
	sub.subscribe(1, protocol.Subscription{Filter: "exp"})
	if p := expectPublish(t, sub, "exp", "x"); p.Props.MessageExpiry.Value != 1 {
		t.Fatalf("expiry %v", p.Props.MessageExpiry)
	}
	time.Sleep(1200 * time.Millisecond)
	late := connectRaw(t, addr, protocol.V5, "late")
	late.subscribe(1, protocol.Subscription{Filter: "exp"})
	late.expectNothing(200 * time.Millisecond)
}

func TestRetainNotSupported(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{DisableRetain: true})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	pub.send(&protocol.Publish{Version: protocol.V5, Retain: true, Topic: "r", Payload: []byte("x")})
	if code := pub.expectClosed(); code != protocol.RetainNotSupported {
		t.Fatalf("got %v", code)
	}
}
