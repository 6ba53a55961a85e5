//go:build !js

package client

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// CONNACK as the broker sends it, with the defaults of absent properties.
func TestBrokerConnack(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		c := e.client(t, func(cfg *Config) { cfg.Connect.ClientID = "" })
		ack := c.Connack()
		if ack.SessionPresent || ack.ReasonCode != protocol.Success || ack.MaximumQoS != 2 || !ack.RetainAvailable {
			t.Fatalf("CONNACK %+v", ack)
		}
		if e.v == protocol.V5 {
			if ack.ClientID == "" {
				t.Fatal("no Assigned Client Identifier for an empty client identifier")
			}
			if ack.MaximumPacketSize != e.b.maxPacketSize || ack.ReceiveMaximum == 0 {
				t.Fatalf("Maximum Packet Size %d (want %d), Receive Maximum %d", ack.MaximumPacketSize, e.b.maxPacketSize, ack.ReceiveMaximum)
			}
		}
		if e.b.maxKeepAlive == 0 {
			return
		}
		// A keepalive above the broker's limit: 5.0 gets a Server Keep
		// Alive that the client then uses.
		if e.v != protocol.V5 {
			return
		}
		cfg := e.config(t, func(cfg *Config) { cfg.Connect.KeepAlive = e.b.maxKeepAlive + 1 })
		c2, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c2.Close()
		ack2, err := c2.Connect(testCtx(t))
		if err != nil || ack2.KeepAlive != time.Duration(e.b.maxKeepAlive)*time.Second {
			t.Fatalf("Connect: %v, %+v, want the Server Keep Alive %d", err, ack2, e.b.maxKeepAlive)
		}
	})
}

// Refused connections: an empty client identifier with a session to keep
// (3.1.1, [MQTT-3.1.3-8]) and an authentication method the broker does not
// know (5.0).
func TestBrokerConnectRefused(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		c, err := New(e.config(t, func(cfg *Config) {
			if e.v == protocol.V5 {
				cfg.Connect.Props.AuthMethod = protocol.Some("no-such-method")
			} else {
				cfg.Connect.ClientID, cfg.Connect.CleanStart = "", false
			}
		}))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Connect(testCtx(t))
		var re *ReasonError
		if !errors.As(err, &re) || re.Packet != protocol.CONNACK || !protocol.ReasonCodeOf(err).IsError() {
			t.Fatalf("Connect: %v, want a CONNACK refusal", err)
		}
		if !errors.Is(c.Publish(testCtx(t), &Message{Topic: "x"}), ErrNotConnected) {
			t.Fatal("publishing after a refusal did not fail with ErrNotConnected")
		}
	})
}

// QoS 0, 1 and 2 both ways: the subscriber receives at the lower of the
// publication and subscription QoS, with the 5.0 properties intact.
func TestBrokerPublishReceive(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		topic := "test/" + uniqueID(t)
		sub := e.client(t, nil)
		pub := e.client(t, nil)
		for _, subQoS := range []protocol.QoS{0, 1, 2} {
			got := subscribe(t, sub, topic+"/"+subQoS.String(), subQoS)
			for _, qos := range []protocol.QoS{0, 1, 2} {
				props := protocol.Properties{ContentType: protocol.Some("text/plain"),
					User: []protocol.UserProperty{{Key: "k", Value: "v"}}, CorrelationData: protocol.Some([]byte{1, 2})}
				m := &Message{Topic: topic + "/" + subQoS.String(), QoS: qos, Payload: []byte("q" + qos.String()), Props: props}
				if err := pub.Publish(testCtx(t), m); err != nil {
					t.Fatalf("QoS %d: %v", qos, err)
				}
				r := expectPayload(t, got, "q"+qos.String())
				if r.QoS != min(qos, subQoS) || r.Retain || r.Dup {
					t.Fatalf("received %+v, want QoS %d", r, min(qos, subQoS))
				}
				if e.v == protocol.V5 && (r.Props.ContentType.Value != "text/plain" || len(r.Props.User) != 1 || string(r.Props.CorrelationData.Value) != "\x01\x02") {
					t.Fatalf("properties %+v", r.Props)
				}
			}
		}
		if n := pub.Stats().Inflight; n != 0 {
			t.Fatalf("%d messages still in flight", n)
		}
	})
}

// A retained message reaches later subscribers with RETAIN set; an empty
// retained message clears it.
func TestBrokerRetained(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		topic := "test/" + uniqueID(t)
		pub := e.client(t, nil)
		if err := pub.Publish(testCtx(t), &Message{Topic: topic, QoS: 1, Retain: true, Payload: []byte("kept")}); err != nil {
			t.Fatal(err)
		}
		sub := e.client(t, nil)
		got := subscribe(t, sub, topic, 1)
		if m := expectPayload(t, got, "kept"); !m.Retain {
			t.Fatal("retained message without RETAIN")
		}
		publish(t, pub, topic, 1, "live")
		if m := expectPayload(t, got, "live"); m.Retain {
			t.Fatal("live message with RETAIN")
		}
		if err := pub.Publish(testCtx(t), &Message{Topic: topic, QoS: 1, Retain: true}); err != nil {
			t.Fatal(err)
		}
		expectPayload(t, got, "")
		sub2 := e.client(t, nil)
		got2 := subscribe(t, sub2, topic, 1)
		publish(t, pub, topic, 1, "after clear")
		expectPayload(t, got2, "after clear")
	})
}

// The will is published when the connection drops, not after DISCONNECT
// (unless 5.0's "Disconnect with Will Message").
func TestBrokerWill(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		topic := "test/" + uniqueID(t)
		watcher := e.client(t, nil)
		got := subscribe(t, watcher, topic+"/#", 1)
		withWill := func(name string) func(*Config) {
			return func(cfg *Config) {
				cfg.Connect.Will = &protocol.WillMessage{Topic: topic + "/" + name, Payload: []byte(name + " gone"), QoS: 1,
					Props: protocol.Properties{ContentType: protocol.Some("text/plain")}}
			}
		}
		dropped := e.client(t, withWill("dropped"))
		if err := dropped.Drop(); err != nil {
			t.Fatal(err)
		}
		m := expectPayload(t, got, "dropped gone")
		if e.v == protocol.V5 && m.Props.ContentType.Value != "text/plain" {
			t.Fatalf("will properties lost: %+v", m.Props)
		}

		polite := e.client(t, withWill("polite"))
		if err := polite.Disconnect(testCtx(t), nil); err != nil {
			t.Fatal(err)
		}
		if e.v == protocol.V5 {
			withWillToo := e.client(t, withWill("asked"))
			if err := withWillToo.Disconnect(testCtx(t), &protocol.Disconnect{ReasonCode: protocol.DisconnectWithWill}); err != nil {
				t.Fatal(err)
			}
			expectPayload(t, got, "asked gone")
		}
		publish(t, watcher, topic+"/sentinel", 1, "sentinel")
		expectPayload(t, got, "sentinel") // no "polite gone" before it
	})
}

// Unsubscribed filters stop delivering; UNSUBACK codes come back (5.0).
func TestBrokerUnsubscribe(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		topic := "test/" + uniqueID(t)
		c := e.client(t, nil)
		got := subscribe(t, c, topic+"/a", 1)
		if err := c.SubscribeTopic(testCtx(t), topic+"/b", 1, got.handle); err != nil {
			t.Fatal(err)
		}
		publish(t, c, topic+"/a", 1, "before")
		expectPayload(t, got, "before")
		ack, err := c.Unsubscribe(testCtx(t), topic+"/a", topic+"/never")
		if err != nil {
			t.Fatal(err)
		}
		if e.v == protocol.V5 && (len(ack.ReasonCodes) != 2 || ack.ReasonCodes[0] != protocol.Success || ack.ReasonCodes[1] != protocol.NoSubscriptionExisted) {
			t.Fatalf("UNSUBACK codes %v", ack.ReasonCodes)
		}
		publish(t, c, topic+"/a", 1, "after")
		publish(t, c, topic+"/b", 1, "sentinel")
		expectPayload(t, got, "sentinel")
	})
}

// A topic the broker's access control denies: PUBACK (5.0) and, where the
// broker refuses such subscriptions, SUBACK carry the reason code.
func TestBrokerRefusals(t *testing.T) {
	matrix(t, []protocol.Version{protocol.V5}, func(t *testing.T, e *env) {
		if e.b.denied == "" {
			t.Skip("the broker has no denied topics configured")
		}
		c := e.client(t, nil)
		var re *ReasonError
		err := c.Publish(testCtx(t), &Message{Topic: e.b.denied + "x", QoS: 1})
		if !errors.As(err, &re) || re.Packet != protocol.PUBACK || protocol.ReasonCodeOf(err) != protocol.NotAuthorized {
			t.Fatalf("publishing to a denied topic: %v, want PUBACK 0x87", err)
		}
		if e.b.deniedSubscribe {
			err := c.SubscribeTopic(testCtx(t), e.b.denied+"x", 1, func(*Message) {})
			if !errors.As(err, &re) || re.Packet != protocol.SUBACK || !protocol.ReasonCodeOf(err).IsError() {
				t.Fatalf("subscribing to a denied filter: %v", err)
			}
		}
		publish(t, c, "test/"+uniqueID(t), 1, "still connected")
	})
}

// MQTT 3.1 (protocol name MQIsdp) still works end to end.
func TestBrokerV31(t *testing.T) {
	matrix(t, []protocol.Version{protocol.V31}, func(t *testing.T, e *env) {
		c := e.client(t, func(cfg *Config) { cfg.Connect.ClientID = fmt.Sprintf("v31-%d", idSeq.Add(1)) })
		topic := "test/" + uniqueID(t)
		got := subscribe(t, c, topic, 2)
		for _, qos := range []protocol.QoS{0, 1, 2} {
			publish(t, c, topic, qos, "v31 "+qos.String())
			expectPayload(t, got, "v31 "+qos.String())
		}
	})
}
