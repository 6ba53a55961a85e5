//go:build !js

package client

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
)

var v5only = []protocol.Version{protocol.V5}

// Request/response (§4.10): the response comes back on the requester's
// response topic with the request's correlation data; 3.1.1 has none.
func TestBrokerRequestResponse(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		service := "test/" + uniqueID(t) + "/upper"
		requester := e.client(t, nil)
		if e.v != protocol.V5 {
			if _, err := requester.Request(testCtx(t), &Message{Topic: service}); !errors.Is(err, ErrVersion) {
				t.Fatalf("Request over %v: %v, want ErrVersion", e.v, err)
			}
			return
		}
		responder := e.client(t, nil)
		err := responder.SubscribeTopic(testCtx(t), service, 1, func(m *Message) {
			// QoS 0: Respond returns once the response is written, so
			// before the requester (and the test) can be done.
			resp := &Message{Payload: bytes.ToUpper(m.Payload)}
			if err := responder.Respond(testCtx(t), m, resp); err != nil {
				t.Errorf("Respond: %v", err)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, word := range []string{"hello", "world"} {
			resp, err := requester.Request(testCtx(t), &Message{Topic: service, QoS: 1, Payload: []byte(word)})
			if err != nil {
				t.Fatal(err)
			}
			if string(resp.Payload) != strings.ToUpper(word) || !resp.Props.CorrelationData.Present {
				t.Fatalf("response %q %+v", resp.Payload, resp.Props)
			}
		}
		if n := len(requester.Stats().String()); n == 0 {
			t.Fatal("empty stats")
		}
	})
}

// Topic aliases chosen by the client are understood by the broker: the
// repeated topic goes out as an alias alone and arrives in full.
func TestBrokerClientTopicAliases(t *testing.T) {
	matrix(t, v5only, func(t *testing.T, e *env) {
		topic := "test/" + uniqueID(t) + "/a/rather/long/topic/name"
		log := &tapLog{}
		pub := e.client(t, func(cfg *Config) { cfg.TopicAliases = true; cfg.Tap = log.tap })
		if pub.Connack().TopicAliasMaximum == 0 {
			t.Skip("the broker accepts no topic aliases")
		}
		sub := e.client(t, nil)
		got := subscribe(t, sub, topic, 0)
		for _, p := range []string{"1", "2", "3"} {
			publish(t, pub, topic, 1, p)
			if m := expectPayload(t, got, p); m.Topic != topic {
				t.Fatalf("arrived on %q", m.Topic)
			}
		}
		pubs := log.packets(Out, protocol.PUBLISH)
		if len(pubs) != 3 || pubs[0].(*protocol.Publish).Topic != topic || pubs[1].(*protocol.Publish).Topic != "" ||
			pubs[2].(*protocol.Publish).Props.TopicAlias.Value != pubs[0].(*protocol.Publish).Props.TopicAlias.Value {
			t.Fatalf("sent %+v, want the topic once then its alias", pubs)
		}
	})
}

// Maximum packet size both ways: the broker's limit refuses a large
// PUBLISH before it is sent (the connection stays up), and the broker
// does not send us packets above the limit we announced.
func TestBrokerMaximumPacketSize(t *testing.T) {
	matrix(t, v5only, func(t *testing.T, e *env) {
		topic := "test/" + uniqueID(t)
		c := e.client(t, nil)
		if e.b.maxPacketSize > 0 {
			err := c.Publish(testCtx(t), &Message{Topic: topic, QoS: 1, Payload: make([]byte, e.b.maxPacketSize)})
			if !errors.Is(err, protocol.ErrPacketTooLarge) || protocol.ReasonCodeOf(err) != protocol.PacketTooLarge {
				t.Fatalf("publishing above the broker's maximum: %v, want 0x95", err)
			}
		}
		small := e.client(t, func(cfg *Config) { cfg.Connect.Props.MaximumPacketSize = protocol.Some(uint32(512)) })
		got := subscribe(t, small, topic, 1)
		publish(t, c, topic, 1, strings.Repeat("x", 1024))
		publish(t, c, topic, 1, "fits")
		expectPayload(t, got, "fits")
	})
}

// Subscription options of 5.0: no local, retain handling, retain as
// published, and subscription identifiers echoed and used for routing.
func TestBrokerSubscriptionOptions(t *testing.T) {
	matrix(t, v5only, func(t *testing.T, e *env) {
		base := "test/" + uniqueID(t)
		c := e.client(t, nil)
		other := e.client(t, nil)

		// No local: our own messages do not come back.
		local := newCollector()
		sub := func(s protocol.Subscription, id uint32, h Handler) {
			t.Helper()
			if _, err := c.Subscribe(testCtx(t), &SubscribeRequest{SubscriptionID: id,
				Subscriptions: []Subscription{{Subscription: s, Handler: h}}}); err != nil {
				t.Fatal(err)
			}
		}
		sub(protocol.Subscription{Filter: base + "/nolocal", QoS: 1, NoLocal: true}, 0, local.handle)
		publish(t, c, base+"/nolocal", 1, "mine")
		publish(t, other, base+"/nolocal", 1, "theirs")
		expectPayload(t, local, "theirs")

		// Retain handling 2: no retained message on subscribing;
		// retain as published keeps RETAIN on live messages.
		if err := other.Publish(testCtx(t), &Message{Topic: base + "/r", QoS: 1, Retain: true, Payload: []byte("old")}); err != nil {
			t.Fatal(err)
		}
		rh := newCollector()
		sub(protocol.Subscription{Filter: base + "/r", QoS: 1, RetainHandling: 2, RetainAsPublished: true}, 0, rh.handle)
		if err := other.Publish(testCtx(t), &Message{Topic: base + "/r", QoS: 1, Retain: true, Payload: []byte("new")}); err != nil {
			t.Fatal(err)
		}
		if m := expectPayload(t, rh, "new"); !m.Retain {
			t.Fatal("retain as published: RETAIN lost")
		}

		// Subscription identifiers: overlapping filters, each message
		// routed to the handler(s) whose identifiers the broker echoes.
		if !c.Connack().SubIDAvailable {
			return
		}
		byA, byB := newCollector(), newCollector()
		sub(protocol.Subscription{Filter: base + "/id/+", QoS: 1}, 11, byA.handle)
		sub(protocol.Subscription{Filter: base + "/id/b", QoS: 1}, 22, byB.handle)
		publish(t, other, base+"/id/a", 1, "a")
		publish(t, other, base+"/id/b", 1, "b")
		if m := expectPayload(t, byA, "a"); len(m.Props.SubscriptionIDs) != 1 || m.Props.SubscriptionIDs[0] != 11 {
			t.Fatalf("identifiers %v", m.Props.SubscriptionIDs)
		}
		expectPayload(t, byB, "b")
		for m := byA.next(t); string(m.Payload) != "b"; m = byA.next(t) {
			t.Fatalf("unexpected %q", m.Payload)
		}
	})
}
