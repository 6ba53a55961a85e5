//go:build !js

package client

import (
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
)

// A subscriber that withholds its acknowledgement and loses its connection
// gets the message again, with DUP and the same packet identifier, when
// its session resumes: its handler sees a QoS 1 message twice and a QoS 2
// message once, whose handshake then completes.
func TestBrokerWithholdAcks(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		for _, qos := range []protocol.QoS{1, 2} {
			topic := "test/" + uniqueID(t)
			got := newCollector()
			log := &tapLog{}
			comp := make(chan uint16, 4)
			sub := e.client(t, func(cfg *Config) {
				persistent(cfg)
				cfg.Tap = func(ev TapEvent) {
					log.tap(ev)
					if p, ok := ev.Packet.(*protocol.Pubcomp); ok && ev.Dir == Out {
						comp <- p.PacketID
					}
				}
			})
			if err := sub.SubscribeTopic(testCtx(t), topic, qos, got.handle); err != nil {
				t.Fatal(err)
			}
			sub.WithholdAcks(1)
			pub := e.client(t, nil)
			publish(t, pub, topic, qos, "once")
			first := expectPayload(t, got, "once")
			if first.Dup {
				t.Fatalf("QoS %d: the first delivery has DUP", qos)
			}
			if err := sub.Drop(); err != nil {
				t.Fatal(err)
			}
			acks := append(log.packets(Out, protocol.PUBACK), log.packets(Out, protocol.PUBREC)...)
			if len(acks) != 0 {
				t.Fatalf("QoS %d: sent %v while withholding", qos, acks)
			}
			ack, err := sub.Connect(testCtx(t))
			if err != nil || !ack.SessionPresent {
				t.Fatalf("QoS %d: reconnect: %v, session present %v", qos, err, ack != nil && ack.SessionPresent)
			}
			if qos == 1 {
				again := expectPayload(t, got, "once")
				if !again.Dup || again.PacketID != first.PacketID {
					t.Fatalf("re-delivery %+v, want DUP with identifier %d", again, first.PacketID)
				}
			}
			publish(t, pub, topic, 1, "sentinel")
			expectPayload(t, got, "sentinel") // at QoS 2, no second copy before it
			if qos == 2 {
				var dup bool
				for _, p := range log.packets(In, protocol.PUBLISH) {
					dup = dup || p.(*protocol.Publish).Dup
				}
				if !dup {
					t.Fatal("QoS 2: no DUP re-send")
				}
				select {
				case id := <-comp:
					if id != first.PacketID {
						t.Fatalf("QoS 2: PUBCOMP for %d, want %d", id, first.PacketID)
					}
				case <-testCtx(t).Done():
					t.Fatal("QoS 2: the handshake did not complete (no PUBCOMP)")
				}
			}
			sub.Disconnect(testCtx(t), &protocol.Disconnect{Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(0))}})
		}
	})
}

// A client whose pings are paused falls silent: the broker ends its
// connection after one and a half keepalives and publishes its will.
func TestBrokerPausePings(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		topic := "test/" + uniqueID(t)
		watcher := e.client(t, nil)
		wills := subscribe(t, watcher, topic, 0)
		log := &tapLog{}
		ev := make(events, 64)
		c := e.client(t, func(cfg *Config) {
			cfg.Connect.KeepAlive = 1
			cfg.Connect.Will = &protocol.WillMessage{Topic: topic, Payload: []byte("gone")}
			cfg.Tap = log.tap
			cfg.OnEvent = ev.on
		})
		c.PausePings(true)
		pings := len(log.packets(Out, protocol.PINGREQ))
		ev.wait(t, EventDown)
		expectPayload(t, wills, "gone")
		if n := len(log.packets(Out, protocol.PINGREQ)); n > pings {
			t.Errorf("%d PINGREQ sent while paused", n-pings)
		}
		if e.v == protocol.V5 && e.b.name == "mqttlab" {
			ds := log.packets(In, protocol.DISCONNECT)
			if len(ds) != 1 || ds[0].(*protocol.Disconnect).ReasonCode != protocol.KeepAliveTimeout {
				t.Errorf("DISCONNECT from the broker: %v, want one with 0x8D", ds)
			}
		}
	})
}
