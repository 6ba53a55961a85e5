package client

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
)

// A QoS 2 PUBLISH the server sends again (DUP) before PUBREL is delivered
// once, whether the copy arrives before or after our PUBREC (§4.3.3).
func TestQoS2DuplicateDeliveredOnce(t *testing.T) {
	t.Parallel()
	for _, v := range []protocol.Version{protocol.V311, protocol.V5} {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			got := newCollector()
			c, p, _ := newPipeClient(t, v, nil, func(cfg *Config) { cfg.DefaultHandler = got.handle })
			_ = c
			pub := &protocol.Publish{Version: v, QoS: 2, PacketID: 7, Topic: "a/b", Payload: []byte("once")}
			p.send(pub)
			rec := recvType[*protocol.Pubrec](p)
			if rec.PacketID != 7 {
				t.Fatalf("PUBREC id %d", rec.PacketID)
			}
			dup := *pub
			dup.Dup = true
			p.send(&dup) // PUBREC lost, say: the server sends again
			if rec := recvType[*protocol.Pubrec](p); rec.PacketID != 7 {
				t.Fatalf("second PUBREC id %d", rec.PacketID)
			}
			p.send(&protocol.Pubrel{Version: v, PacketID: 7})
			if comp := recvType[*protocol.Pubcomp](p); comp.PacketID != 7 || comp.ReasonCode != 0 {
				t.Fatalf("PUBCOMP %+v", comp)
			}
			// A new message with the same identifier after PUBCOMP is new.
			p.send(&protocol.Publish{Version: v, QoS: 2, PacketID: 7, Topic: "a/b", Payload: []byte("again")})
			recvType[*protocol.Pubrec](p)
			if m := got.next(t); string(m.Payload) != "once" {
				t.Fatalf("first message %q", m.Payload)
			}
			if m := got.next(t); string(m.Payload) != "again" {
				t.Fatalf("second message %q, want the new one (the duplicate must not be delivered)", m.Payload)
			}
		})
	}
}

// A duplicate arriving while the handler still runs is answered once the
// handler returns, and still delivered once.
func TestQoS2DuplicateWhileHandling(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	got := newCollector()
	_, p, _ := newPipeClient(t, protocol.V5, nil, func(cfg *Config) {
		cfg.DefaultHandler = func(m *Message) { got.handle(m); <-release }
	})
	pub := &protocol.Publish{Version: protocol.V5, QoS: 2, PacketID: 3, Topic: "x", Payload: []byte("p")}
	p.send(pub)
	got.next(t) // the handler runs and blocks
	dup := *pub
	dup.Dup = true
	p.send(&dup)
	// A PUBREL for an unknown identifier is answered at once by the
	// reader: its PUBCOMP proves the duplicate was read before we go on.
	p.send(&protocol.Pubrel{Version: protocol.V5, PacketID: 99})
	if comp := recvType[*protocol.Pubcomp](p); comp.PacketID != 99 || comp.ReasonCode != protocol.PacketIdentifierNotFound {
		t.Fatalf("PUBCOMP %+v, want 99 with 0x92", comp)
	}
	close(release)
	rec := recvType[*protocol.Pubrec](p)
	if rec.PacketID != 3 {
		t.Fatalf("PUBREC %+v", rec)
	}
	p.send(&protocol.Pubrel{Version: protocol.V5, PacketID: 3})
	recvType[*protocol.Pubcomp](p)
	p.send(&protocol.Publish{Version: protocol.V5, Topic: "x", Payload: []byte("next")})
	if m := got.next(t); string(m.Payload) != "next" {
		t.Fatalf("got %q after the duplicate, want %q", m.Payload, "next")
	}
}

// The server's Receive Maximum bounds our QoS 1 and 2 messages in flight:
// a publisher waits for a slot, and gives up with its context without
// sending anything (§4.9).
func TestServerReceiveMaximumWindow(t *testing.T) {
	t.Parallel()
	c, p, _ := newPipeClient(t, protocol.V5,
		&protocol.Connack{Props: protocol.Properties{ReceiveMaximum: protocol.Some(uint16(2))}}, nil)
	errs := make(chan error, 2)
	for i := range 2 {
		go func() {
			errs <- c.Publish(testCtx(t), &Message{Topic: "w", QoS: protocol.QoS(1 + i%2), Payload: []byte{byte(i)}})
		}()
	}
	first := recvType[*protocol.Publish](p)
	second := recvType[*protocol.Publish](p)
	if first.PacketID == second.PacketID {
		t.Fatalf("two messages in flight share packet identifier %d", first.PacketID)
	}
	ctx, cancel := context.WithCancel(context.Background())
	third := make(chan error, 1)
	go func() { third <- c.Publish(ctx, &Message{Topic: "w", QoS: 1, Payload: []byte("third")}) }()
	cancel()
	if err := <-third; !errors.Is(err, context.Canceled) {
		t.Fatalf("third publish: %v, want context.Canceled", err)
	}
	// Acknowledge both; the next message must be a new one, never the
	// cancelled third.
	for _, pub := range []*protocol.Publish{first, second} {
		if pub.QoS == 1 {
			p.send(&protocol.Puback{Version: protocol.V5, PacketID: pub.PacketID})
		} else {
			p.send(&protocol.Pubrec{Version: protocol.V5, PacketID: pub.PacketID})
			recvType[*protocol.Pubrel](p)
			p.send(&protocol.Pubcomp{Version: protocol.V5, PacketID: pub.PacketID})
		}
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	go func() { errs <- c.Publish(testCtx(t), &Message{Topic: "w", QoS: 1, Payload: []byte("fourth")}) }()
	if pub := recvType[*protocol.Publish](p); string(pub.Payload) != "fourth" {
		t.Fatalf("got %q, want the fourth message", pub.Payload)
	} else {
		p.send(&protocol.Puback{Version: protocol.V5, PacketID: pub.PacketID})
	}
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

// Packet identifiers of messages in flight are never reused [MQTT-2.2.1-3].
func TestPacketIDsNotReused(t *testing.T) {
	t.Parallel()
	c, p, _ := newPipeClient(t, protocol.V311, nil, nil)
	errs := make(chan error, 10)
	publish := func() {
		go func() { errs <- c.Publish(testCtx(t), &Message{Topic: "id", QoS: 1}) }()
	}
	inflight := map[uint16]bool{}
	for range 3 {
		publish()
		pub := recvType[*protocol.Publish](p)
		inflight[pub.PacketID] = true
	}
	// Complete the middle one, then send more: none may take an
	// identifier still in flight.
	var ids []uint16
	for id := range inflight {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	p.send(&protocol.Puback{Version: protocol.V311, PacketID: ids[1]})
	delete(inflight, ids[1])
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	for range 5 {
		publish()
		pub := recvType[*protocol.Publish](p)
		if inflight[pub.PacketID] {
			t.Fatalf("packet identifier %d reused while in flight", pub.PacketID)
		}
		inflight[pub.PacketID] = true
	}
	for id := range inflight {
		p.send(&protocol.Puback{Version: protocol.V311, PacketID: id})
	}
	for range len(inflight) {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// A refusing PUBACK or PUBREC is an error carrying the reason code.
func TestPublishRefused(t *testing.T) {
	t.Parallel()
	c, p, _ := newPipeClient(t, protocol.V5, nil, nil)
	for _, qos := range []protocol.QoS{1, 2} {
		errc := make(chan error, 1)
		go func() { errc <- c.Publish(testCtx(t), &Message{Topic: "secret", QoS: qos}) }()
		pub := recvType[*protocol.Publish](p)
		props := protocol.Properties{ReasonString: protocol.Some("no way")}
		if qos == 1 {
			p.send(&protocol.Puback{Version: protocol.V5, PacketID: pub.PacketID, ReasonCode: protocol.NotAuthorized, Props: props})
		} else {
			p.send(&protocol.Pubrec{Version: protocol.V5, PacketID: pub.PacketID, ReasonCode: protocol.NotAuthorized, Props: props})
		}
		err := <-errc
		var re *ReasonError
		if !errors.As(err, &re) || re.Reason != "no way" {
			t.Fatalf("QoS %d: %v, want a *ReasonError with the reason string", qos, err)
		}
		if got := protocol.ReasonCodeOf(err); got != protocol.NotAuthorized {
			t.Fatalf("QoS %d: ReasonCodeOf = %v", qos, got)
		}
	}
	// The refused QoS 2 message gets no PUBREL: the next packet is the
	// PINGREQ-free next publish.
	go c.Publish(testCtx(t), &Message{Topic: "after"})
	if pub := recvType[*protocol.Publish](p); pub.Topic != "after" {
		t.Fatalf("got %+v", pub)
	}
}

// The client's own Receive Maximum: a QoS 1 message is acknowledged only
// after its handler returned, and a server exceeding the window is
// disconnected with 0x93.
func TestOwnReceiveMaximum(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	got := newCollector()
	c, p, _ := newPipeClient(t, protocol.V5, nil, func(cfg *Config) {
		cfg.Connect.Props.ReceiveMaximum = protocol.Some(uint16(2))
		cfg.DefaultHandler = func(m *Message) { got.handle(m); <-release }
	})
	_ = c
	for id := uint16(1); id <= 2; id++ {
		p.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: id, Topic: "r"})
	}
	got.next(t)
	p.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 3, Topic: "r"})
	pkts := p.closed()
	if len(pkts) != 1 {
		t.Fatalf("client sent %v, want only DISCONNECT (no PUBACK before the handler returned)", pkts)
	}
	if d, ok := pkts[0].(*protocol.Disconnect); !ok || d.ReasonCode != protocol.ReceiveMaximumExceeded {
		t.Fatalf("got %+v, want DISCONNECT 0x93", pkts[0])
	}
	close(release)
}
