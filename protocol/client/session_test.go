package client

import (
	"errors"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// After a cut, a resumed session gets its unacknowledged PUBLISH again with
// DUP and the same identifiers, in order, and its PUBREL again
// [MQTT-4.4.0-1] [MQTT-3.3.1-1]; new messages wait until that is done.
func TestResendOnResume(t *testing.T) {
	t.Parallel()
	for _, v := range []protocol.Version{protocol.V311, protocol.V5} {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			ev := make(events, 64)
			c, p, s := newPipeClient(t, v, nil, func(cfg *Config) {
				cfg.Connect.CleanStart = false
				cfg.Reconnect = &Reconnect{MinDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}
				cfg.OnEvent = ev.on
			})
			errs := make(chan error, 3)
			for i, qos := range []protocol.QoS{1, 2, 1} {
				go func() {
					errs <- c.Publish(testCtx(t), &Message{Topic: "t", QoS: qos, Payload: []byte{byte(i)}})
				}()
				recvType[*protocol.Publish](p) // in order: each is sent before the next starts
			}
			// The QoS 2 message (second) gets PUBREC; then the line is cut.
			c.mu.Lock()
			var q2 uint16
			for id, e := range c.out {
				if e.pub.QoS == 2 {
					q2 = id
				}
			}
			c.mu.Unlock()
			p.send(&protocol.Pubrec{Version: v, PacketID: q2})
			recvType[*protocol.Pubrel](p)
			p.close()
			ev.wait(t, EventDown)

			p2 := s.next()
			p2.accept(&protocol.Connack{SessionPresent: true})
			var got []protocol.Packet
			for range 3 {
				got = append(got, p2.recv())
			}
			first, ok1 := got[0].(*protocol.Publish)
			rel, ok2 := got[1].(*protocol.Pubrel)
			third, ok3 := got[2].(*protocol.Publish)
			if !ok1 || !ok2 || !ok3 || !first.Dup || !third.Dup || rel.PacketID != q2 ||
				first.Payload[0] != 0 || third.Payload[0] != 2 {
				t.Fatalf("re-sent %+v, want PUBLISH(DUP) PUBREL PUBLISH(DUP) in order", got)
			}
			ev.wait(t, EventUp)
			p2.send(&protocol.Puback{Version: v, PacketID: first.PacketID})
			p2.send(&protocol.Pubcomp{Version: v, PacketID: q2})
			p2.send(&protocol.Puback{Version: v, PacketID: third.PacketID})
			for range 3 {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// Without a session on the server (Session Present 0) the client discards
// its session state: messages in flight fail with ErrSessionLost, and the
// subscriptions are sent again.
func TestSessionNotPresentDiscards(t *testing.T) {
	t.Parallel()
	ev := make(events, 64)
	c, p, s := newPipeClient(t, protocol.V5, nil, func(cfg *Config) {
		cfg.Reconnect = &Reconnect{MinDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}
		cfg.OnEvent = ev.on
	})
	subErr := make(chan error, 1)
	go func() { subErr <- c.SubscribeTopic(testCtx(t), "s/+", 1, func(*Message) {}) }()
	sub := recvType[*protocol.Subscribe](p)
	p.send(&protocol.Suback{Version: protocol.V5, PacketID: sub.PacketID, ReasonCodes: []protocol.ReasonCode{1}})
	if err := <-subErr; err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- c.Publish(testCtx(t), &Message{Topic: "t", QoS: 1}) }()
	recvType[*protocol.Publish](p)
	p.close()
	p2 := s.next()
	p2.accept(&protocol.Connack{SessionPresent: false})
	if err := <-errc; !errors.Is(err, ErrSessionLost) {
		t.Fatalf("publish: %v, want ErrSessionLost", err)
	}
	again := recvType[*protocol.Subscribe](p2)
	if len(again.Subscriptions) != 1 || again.Subscriptions[0].Filter != "s/+" || again.Subscriptions[0].QoS != 1 {
		t.Fatalf("re-subscribed %+v", again.Subscriptions)
	}
	p2.send(&protocol.Suback{Version: protocol.V5, PacketID: again.PacketID, ReasonCodes: []protocol.ReasonCode{1}})
	ev.wait(t, EventUp)
}

// A server that stops answering PINGREQ is given up with ErrPingTimeout
// (0x8D).
func TestKeepAliveTimeout(t *testing.T) {
	t.Parallel()
	ev := make(events, 64)
	c, p, _ := newPipeClient(t, protocol.V5, nil, func(cfg *Config) {
		cfg.Connect.KeepAlive = 1
		cfg.PingTimeout = 100 * time.Millisecond
		cfg.OnEvent = ev.on
	})
	recvType[*protocol.Pingreq](p)
	p.send(&protocol.Pingresp{})
	errc := make(chan error, 1)
	go func() { errc <- c.Publish(testCtx(t), &Message{Topic: "x", QoS: 1}) }()
	recvType[*protocol.Publish](p) // never acknowledged
	recvType[*protocol.Pingreq](p) // answered once; now silence
	down := ev.wait(t, EventDown)
	if !errors.Is(down.Err, ErrPingTimeout) || protocol.ReasonCodeOf(down.Err) != protocol.KeepAliveTimeout {
		t.Fatalf("down: %v, want ErrPingTimeout", down.Err)
	}
	err := <-errc
	var lost *ConnectionLostError
	if !errors.As(err, &lost) || !errors.Is(err, ErrPingTimeout) {
		t.Fatalf("publish waiting for PUBACK: %v, want a *ConnectionLostError with ErrPingTimeout", err)
	}
	if err := c.Publish(testCtx(t), &Message{Topic: "x"}); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("publish after the loss: %v, want ErrNotConnected", err)
	}
}

// The server's Server Keep Alive replaces ours (§3.2.2.3.14).
func TestServerKeepAlive(t *testing.T) {
	t.Parallel()
	c, p, _ := newPipeClient(t, protocol.V5,
		&protocol.Connack{Props: protocol.Properties{ServerKeepAlive: protocol.Some(uint16(1))}},
		func(cfg *Config) { cfg.Connect.KeepAlive = 600 })
	if got := c.Connack().KeepAlive; got != time.Second {
		t.Fatalf("keepalive %v, want 1s", got)
	}
	recvType[*protocol.Pingreq](p)
}

// A DISCONNECT from the server ends the connection with its reason code.
func TestServerDisconnect(t *testing.T) {
	t.Parallel()
	ev := make(events, 64)
	_, p, _ := newPipeClient(t, protocol.V5, nil, func(cfg *Config) { cfg.OnEvent = ev.on })
	p.send(&protocol.Disconnect{Version: protocol.V5, ReasonCode: protocol.SessionTakenOver,
		Props: protocol.Properties{ReasonString: protocol.Some("another client")}})
	down := ev.wait(t, EventDown)
	var re *ReasonError
	if !errors.As(down.Err, &re) || re.Code != protocol.SessionTakenOver || re.Reason != "another client" {
		t.Fatalf("down: %v", down.Err)
	}
}
