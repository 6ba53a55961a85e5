//go:build !js

package client

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// persistent makes a configuration keep its session on the server.
func persistent(cfg *Config) {
	cfg.Connect.CleanStart = false
	cfg.Connect.Props.SessionExpiry = protocol.Some(uint32(300))
}

// QoS 1 messages published while a subscriber is away are queued in its
// session and delivered, in order, when it comes back without clean start.
func TestBrokerSessionResumeQueued(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		topic := "test/" + uniqueID(t)
		got := newCollector()
		cfg := e.config(t, func(cfg *Config) { persistent(cfg); cfg.DefaultHandler = got.handle })
		sub, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		if ack, err := sub.Connect(testCtx(t)); err != nil || ack.SessionPresent {
			t.Fatalf("first Connect: %v %+v", err, ack)
		}
		if err := sub.SubscribeTopic(testCtx(t), topic, 1, got.handle); err != nil {
			t.Fatal(err)
		}
		if err := sub.Drop(); err != nil {
			t.Fatal(err)
		}
		pub := e.client(t, nil)
		for i := range 5 {
			publish(t, pub, topic, 1, fmt.Sprint(i))
		}
		ack, err := sub.Connect(testCtx(t))
		if err != nil || !ack.SessionPresent {
			t.Fatalf("second Connect: %v, session present %v", err, ack != nil && ack.SessionPresent)
		}
		for i := range 5 {
			expectPayload(t, got, fmt.Sprint(i))
		}
		// The handler survives across connections: live messages too.
		publish(t, pub, topic, 1, "live")
		expectPayload(t, got, "live")
		sub.Disconnect(testCtx(t), &protocol.Disconnect{Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(0))}})
	})
}

// A connection cut after a QoS 1 or 2 PUBLISH went out, before its
// acknowledgement came back: the client re-sends it with DUP and the same
// packet identifier on the resumed session, and the publisher's call
// succeeds; a QoS 2 message reaches the subscriber exactly once.
func TestBrokerResendAfterCut(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		topic := "test/" + uniqueID(t)
		watcher := e.client(t, nil)
		got := subscribe(t, watcher, topic+"/#", 2)
		for _, qos := range []protocol.QoS{1, 2} {
			log := &tapLog{}
			ev := make(events, 64)
			var cut *cutter
			c := e.client(t, func(cfg *Config) {
				persistent(cfg)
				cut = &cutter{dial: cfg.Dial}
				cfg.Dial = cut.Dial
				cfg.Tap = log.tap
				cfg.OnEvent = ev.on
				cfg.Reconnect = &Reconnect{MinDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond}
			})
			cut.armPublish()
			payload := "cut at QoS " + qos.String()
			if err := c.Publish(testCtx(t), &Message{Topic: topic + "/" + qos.String(), QoS: qos, Payload: []byte(payload)}); err != nil {
				t.Fatalf("QoS %d: %v", qos, err)
			}
			ev.wait(t, EventDown)
			if !c.Connack().SessionPresent {
				t.Fatal("the session was not resumed")
			}
			pubs := log.packets(Out, protocol.PUBLISH)
			if len(pubs) != 2 {
				t.Fatalf("QoS %d: %d PUBLISH sent, want the original and one re-send", qos, len(pubs))
			}
			first, again := pubs[0].(*protocol.Publish), pubs[1].(*protocol.Publish)
			if first.Dup || !again.Dup || first.PacketID != again.PacketID || string(again.Payload) != payload {
				t.Fatalf("QoS %d: sent %+v then %+v, want a DUP re-send with the same identifier", qos, first, again)
			}
			expectPayload(t, got, payload)
			if qos == 2 {
				publish(t, c, topic+"/sentinel", 1, "sentinel")
				expectPayload(t, got, "sentinel") // and no second copy before it
			} else {
				publish(t, c, topic+"/sentinel", 1, "sentinel-1")
				for m := got.next(t); string(m.Payload) != "sentinel-1"; m = got.next(t) {
					if string(m.Payload) != payload {
						t.Fatalf("unexpected %q", m.Payload) // a QoS 1 duplicate is allowed
					}
				}
			}
			c.Disconnect(testCtx(t), &protocol.Disconnect{Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(0))}})
		}
	})
}

// Many concurrent QoS 1 publishers never have more messages in flight than
// the broker's Receive Maximum (§4.9).
func TestBrokerReceiveMaximum(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		topic := "test/" + uniqueID(t)
		var mu sync.Mutex
		inflight, peak := map[uint16]bool{}, 0
		c := e.client(t, func(cfg *Config) {
			cfg.Tap = func(ev TapEvent) {
				mu.Lock()
				defer mu.Unlock()
				switch p := ev.Packet.(type) {
				case *protocol.Publish:
					if ev.Dir == Out {
						inflight[p.PacketID] = true
						peak = max(peak, len(inflight))
					}
				case *protocol.Puback:
					delete(inflight, p.PacketID)
				}
			}
			if e.v != protocol.V5 {
				cfg.MaxInflight = 5 // 3.1.1 has no Receive Maximum: our own cap applies
			}
		})
		limit := int(c.Connack().ReceiveMaximum)
		if e.v != protocol.V5 {
			limit = 5
		}
		n := 4 * limit
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				errs <- c.Publish(testCtx(t), &Message{Topic: topic, QoS: 1, Payload: []byte(fmt.Sprint(i))})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if peak > limit || peak == 0 {
			t.Fatalf("peak of %d messages in flight, limit %d", peak, limit)
		}
	})
}

// Automatic reconnection after a cut: events down, reconnecting, up; the
// subscriptions are sent again when the session is new and not when it
// was resumed, and messages flow again either way.
func TestBrokerReconnect(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		for _, keep := range []bool{false, true} {
			topic := "test/" + uniqueID(t)
			log := &tapLog{}
			ev := make(events, 64)
			var cut *cutter
			c := e.client(t, func(cfg *Config) {
				if keep {
					persistent(cfg)
				}
				cut = &cutter{dial: cfg.Dial}
				cfg.Dial = cut.Dial
				cfg.Tap = log.tap
				cfg.OnEvent = ev.on
				cfg.Reconnect = &Reconnect{MinDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond}
			})
			got := subscribe(t, c, topic, 1)
			ev.wait(t, EventUp)
			cut.armPublish()
			err := c.Publish(testCtx(t), &Message{Topic: topic, QoS: 1, Payload: []byte("across the cut")})
			if keep && err != nil || !keep && !errors.Is(err, ErrSessionLost) {
				t.Fatalf("publish across the cut: %v (session kept: %v)", err, keep)
			}
			ev.wait(t, EventDown)
			if r := ev.wait(t, EventReconnecting); r.Attempt != 1 {
				t.Fatalf("first reconnection attempt numbered %d", r.Attempt)
			}
			up := ev.wait(t, EventUp)
			if up.Connack.SessionPresent != keep {
				t.Fatalf("session present %v, want %v", up.Connack.SessionPresent, keep)
			}
			if n := len(log.packets(Out, protocol.SUBSCRIBE)); (keep && n != 1) || (!keep && n != 2) {
				t.Fatalf("%d SUBSCRIBE sent with session kept %v", n, keep)
			}
			publish(t, c, topic, 1, "after")
			for m := got.next(t); string(m.Payload) != "after"; m = got.next(t) {
				if string(m.Payload) != "across the cut" {
					t.Fatalf("unexpected %q", m.Payload)
				}
			}
			c.Disconnect(testCtx(t), &protocol.Disconnect{Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(0))}})
		}
	})
}

// Keepalive: an idle client sends PINGREQ and the broker's PINGRESP keeps
// the connection up.
func TestBrokerKeepAlive(t *testing.T) {
	matrix(t, versions, func(t *testing.T, e *env) {
		log := &tapLog{}
		resps := make(chan struct{}, 8)
		c := e.client(t, func(cfg *Config) {
			cfg.Connect.KeepAlive = 1
			cfg.Tap = func(ev TapEvent) {
				log.tap(ev)
				if ev.Dir == In && ev.Packet != nil && ev.Packet.Type() == protocol.PINGRESP {
					resps <- struct{}{}
				}
			}
		})
		for i := range 2 {
			select {
			case <-resps:
			case <-time.After(waitLimit):
				t.Fatalf("PINGRESP %d missing", i+1)
			}
		}
		if !c.Connected() || len(log.packets(Out, protocol.PINGREQ)) < 2 {
			t.Fatal("not connected after two keepalive rounds")
		}
	})
}
