package broker

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// nextEvent reads telemetry until an event on topic satisfies ok.
func nextEvent(t *testing.T, c *rawClient, topic string, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		p, err := c.read(time.Until(deadline))
		if err != nil {
			break
		}
		pub, isPub := p.(*protocol.Publish)
		if !isPub || pub.Topic != topic {
			continue
		}
		var ev map[string]any
		if err := json.Unmarshal(pub.Payload, &ev); err != nil {
			t.Fatalf("%s: bad JSON %q: %v", topic, pub.Payload, err)
		}
		if ok(ev) {
			return ev
		}
	}
	t.Fatalf("no matching event on %s", topic)
	return nil
}

func TestTelemetryRouteEvents(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{})
	if b.tel.on(watchRoute) {
		t.Fatal("route telemetry on with no observer")
	}
	obs := connectRaw(t, addr, protocol.V5, "observer")
	obs.subscribe(1, protocol.Subscription{Filter: "$SYS/lab/#"})
	if !b.tel.on(watchRoute) {
		t.Fatal("route telemetry off with an observer")
	}
	online := connectRaw(t, addr, protocol.V5, "online")
	online.subscribe(1, protocol.Subscription{Filter: "room/+/temp", QoS: 1})
	offline := persistentSub(t, addr, protocol.V5, "offline", "room/#", 60)
	offline.send(&protocol.Disconnect{Version: protocol.V5})
	offline.expectClosed()

	ev := nextEvent(t, obs, TopicClients, func(ev map[string]any) bool {
		return ev["event"] == "disconnected" && ev["client"] == "offline"
	})
	if ev["willFired"] == true {
		t.Fatal("will fired on a normal disconnect")
	}

	pub := connectRaw(t, addr, protocol.V5, "sensor")
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Topic: "room/k1/temp", Payload: []byte("21.5")})
	pub.expect(protocol.PUBACK)
	ev = nextEvent(t, obs, TopicRoute, func(ev map[string]any) bool { return ev["topic"] == "room/k1/temp" })
	if ev["from"] != "sensor" || ev["sampled"] != 1.0 {
		t.Fatalf("route event %v", ev)
	}
	delivered := ev["delivered"].([]any)
	queued := ev["queued"].([]any)
	if len(delivered) != 1 || delivered[0].(map[string]any)["client"] != "online" || len(queued) != 1 || queued[0] != "offline" {
		t.Fatalf("route event %v", ev)
	}
	nextEvent(t, obs, TopicSessions, func(ev map[string]any) bool {
		for _, s := range ev["list"].([]any) {
			if m := s.(map[string]any); m["client"] == "offline" && m["queued"] == 1.0 {
				return true
			}
		}
		return false
	})

	obs.send(&protocol.Unsubscribe{Version: protocol.V5, PacketID: 2, Filters: []string{"$SYS/lab/#"}})
	obs.expect(protocol.UNSUBACK)
	if b.tel.on(watchRoute) {
		t.Fatal("route telemetry still on after the observer left")
	}
}

func TestTelemetryWillAndRetained(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	obs := connectRaw(t, addr, protocol.V5, "observer")
	obs.subscribe(1, protocol.Subscription{Filter: "$SYS/lab/+"})
	c := willClient(t, addr, protocol.V5, "dev", &protocol.WillMessage{Topic: "status/dev", Payload: []byte("offline"), Retain: true}, 0)
	c.nc.Close()
	ev := nextEvent(t, obs, TopicClients, func(ev map[string]any) bool { return ev["event"] == "disconnected" })
	if ev["willFired"] != true || !strings.Contains(ev["reason"].(string), "lost") {
		t.Fatalf("disconnect event %v", ev)
	}
	nextEvent(t, obs, TopicRetained, func(ev map[string]any) bool {
		return ev["topic"] == "status/dev" && ev["event"] == "set"
	})
}

func TestTelemetrySampling(t *testing.T) {
	t.Parallel()
	b, _ := startBroker(t, Options{})
	tel := b.tel
	tel.watch.Store(watchRoute)
	tel.tick(time.Now()) // a fresh second
	sent := 0
	for i := 0; i < 10*routeBudget; i++ {
		if ok, _ := tel.sample(); ok {
			sent++
		}
	}
	if sent != routeBudget {
		t.Fatalf("first second: %d events, want the budget %d", sent, routeBudget)
	}
	tel.tick(time.Now())
	sent = 0
	rate := 0
	for i := 0; i < 10*routeBudget; i++ {
		if ok, r := tel.sample(); ok {
			sent++
			rate = r
		}
	}
	if rate != 10 || sent != routeBudget {
		t.Fatalf("under load: %d events sampled 1 in %d, want %d sampled 1 in 10", sent, rate, routeBudget)
	}
}

func TestSysTopics(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{SysInterval: 100 * time.Millisecond})
	c := connectRaw(t, addr, protocol.V311, "sys")
	c.subscribe(1, protocol.Subscription{Filter: "$SYS/broker/#"})
	want := map[string]bool{"$SYS/broker/version": false, "$SYS/broker/uptime": false, "$SYS/broker/clients/connected": false,
		"$SYS/broker/clients/total": false, "$SYS/broker/messages/received": false, "$SYS/broker/messages/sent": false,
		"$SYS/broker/bytes/received": false, "$SYS/broker/bytes/sent": false, "$SYS/broker/subscriptions/count": false,
		"$SYS/broker/retained messages/count": false, "$SYS/broker/load/messages/received/1min": false}
	missing := len(want)
	deadline := time.Now().Add(5 * time.Second)
	for missing > 0 && time.Now().Before(deadline) {
		p, err := c.read(time.Until(deadline))
		if err != nil {
			break
		}
		if pub, ok := p.(*protocol.Publish); ok {
			if seen, known := want[pub.Topic]; known && !seen {
				want[pub.Topic] = true
				missing--
			}
		}
	}
	for topic, seen := range want {
		if !seen {
			t.Errorf("%s not published", topic)
		}
	}
}
