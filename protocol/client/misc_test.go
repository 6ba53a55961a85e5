package client

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// A packet above the Maximum Packet Size the client announced is refused
// with DISCONNECT 0x95 before the client reads it.
func TestOwnMaximumPacketSize(t *testing.T) {
	t.Parallel()
	_, p, _ := newPipeClient(t, protocol.V5, nil, func(cfg *Config) {
		cfg.Connect.Props.MaximumPacketSize = protocol.Some(uint32(100))
	})
	p.send(&protocol.Publish{Version: protocol.V5, Topic: "big", Payload: make([]byte, 200)})
	pkts := p.closed()
	if len(pkts) != 1 || pkts[0].(*protocol.Disconnect).ReasonCode != protocol.PacketTooLarge {
		t.Fatalf("client sent %+v, want DISCONNECT 0x95", pkts)
	}
}

// A packet above the server's Maximum Packet Size is not sent; the error
// says so and carries 0x95, and the connection stays up.
func TestServerMaximumPacketSize(t *testing.T) {
	t.Parallel()
	c, p, _ := newPipeClient(t, protocol.V5,
		&protocol.Connack{Props: protocol.Properties{MaximumPacketSize: protocol.Some(uint32(64))}}, nil)
	for _, qos := range []protocol.QoS{0, 1, 2} {
		err := c.Publish(testCtx(t), &Message{Topic: "big", QoS: qos, Payload: make([]byte, 100)})
		if !errors.Is(err, protocol.ErrPacketTooLarge) || protocol.ReasonCodeOf(err) != protocol.PacketTooLarge {
			t.Fatalf("QoS %d: %v, want ErrPacketTooLarge", qos, err)
		}
	}
	if n := c.Stats().Inflight; n != 0 {
		t.Fatalf("%d refused messages left in flight", n)
	}
	if err := c.Publish(testCtx(t), &Message{Topic: "small"}); err != nil {
		t.Fatal(err)
	}
	if pub := recvType[*protocol.Publish](p); pub.Topic != "small" {
		t.Fatalf("got %+v", pub)
	}
}

// A refused CONNACK is a *ReasonError with the code (3.1.1 return codes
// mapped to 5.0 codes).
func TestConnectRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    protocol.Version
		code protocol.ReasonCode
	}{
		{protocol.V5, protocol.Banned},
		{protocol.V311, protocol.BadUserNameOrPassword},
		{protocol.V31, protocol.NotAuthorized},
	} {
		t.Run(tc.v.String(), func(t *testing.T) {
			t.Parallel()
			s := newPipeServer(t, tc.v)
			c, err := New(Config{Dial: s.dial, Connect: protocol.Connect{Version: tc.v, ClientID: "x"}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			go func() {
				p := s.next()
				p.accept(&protocol.Connack{ReasonCode: tc.code})
			}()
			_, err = c.Connect(testCtx(t))
			var re *ReasonError
			if !errors.As(err, &re) || re.Packet != protocol.CONNACK || protocol.ReasonCodeOf(err) != tc.code {
				t.Fatalf("Connect: %v, want CONNACK refusal %v", err, tc.code)
			}
			if c.Connected() {
				t.Fatal("connected after a refusal")
			}
		})
	}
}

// Extended authentication: the Auth hook answers the server's challenge
// before CONNACK, and re-authentication runs the same exchange (§4.12).
func TestAuthExchange(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var challenges []string
	s := newPipeServer(t, protocol.V5)
	c, err := New(Config{Dial: s.dial,
		Connect: protocol.Connect{ClientID: "a", Props: protocol.Properties{
			AuthMethod: protocol.Some("TEST"), AuthData: protocol.Some([]byte("hello"))}},
		Auth: func(ctx context.Context, in *protocol.Auth) (*protocol.Auth, error) {
			mu.Lock()
			challenges = append(challenges, string(in.Props.AuthData.Value))
			mu.Unlock()
			return &protocol.Auth{Props: protocol.Properties{AuthData: protocol.Some(append([]byte("re:"), in.Props.AuthData.Value...))}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	done := make(chan error, 1)
	go func() { _, err := c.Connect(testCtx(t)); done <- err }()
	p := s.next()
	conn := recvType[*protocol.Connect](p)
	if string(conn.Props.AuthData.Value) != "hello" {
		t.Fatalf("CONNECT auth data %q", conn.Props.AuthData.Value)
	}
	method := protocol.Some("TEST")
	p.send(&protocol.Auth{ReasonCode: protocol.ContinueAuthentication, Props: protocol.Properties{AuthMethod: method, AuthData: protocol.Some([]byte("c1"))}})
	reply := recvType[*protocol.Auth](p)
	if reply.ReasonCode != protocol.ContinueAuthentication || reply.Props.AuthMethod.Value != "TEST" || string(reply.Props.AuthData.Value) != "re:c1" {
		t.Fatalf("AUTH reply %+v", reply)
	}
	p.send(&protocol.Connack{Version: protocol.V5, Props: protocol.Properties{AuthMethod: method}})
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	go func() { done <- c.Reauthenticate(testCtx(t), []byte("again")) }()
	start := recvType[*protocol.Auth](p)
	if start.ReasonCode != protocol.ReAuthenticate || string(start.Props.AuthData.Value) != "again" {
		t.Fatalf("re-authentication %+v", start)
	}
	p.send(&protocol.Auth{ReasonCode: protocol.ContinueAuthentication, Props: protocol.Properties{AuthMethod: method, AuthData: protocol.Some([]byte("c2"))}})
	recvType[*protocol.Auth](p)
	p.send(&protocol.Auth{ReasonCode: protocol.Success, Props: protocol.Properties{AuthMethod: method}})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(challenges) != 2 || challenges[0] != "c1" || challenges[1] != "c2" {
		t.Fatalf("challenges %q", challenges)
	}
}

// The tap sees every packet in and out, in order, with a copy of its bytes
// that decodes to the packet shown.
func TestTap(t *testing.T) {
	t.Parallel()
	buf := NewTapBuffer(64)
	c, p, _ := newPipeClient(t, protocol.V5, nil, func(cfg *Config) { cfg.Tap = buf.Tap })
	go c.Publish(testCtx(t), &Message{Topic: "tap", QoS: 1, Payload: []byte("x")})
	pub := recvType[*protocol.Publish](p)
	p.send(&protocol.Puback{Version: protocol.V5, PacketID: pub.PacketID})
	want := []struct {
		dir Direction
		t   protocol.Type
	}{{Out, protocol.CONNECT}, {In, protocol.CONNACK}, {Out, protocol.PUBLISH}, {In, protocol.PUBACK}}
	for i, w := range want {
		var ev TapEvent
		select {
		case ev = <-buf.Events():
		case <-time.After(waitLimit):
			t.Fatalf("tap event %d missing", i)
		}
		if ev.Dir != w.dir || ev.Err != nil || ev.Packet == nil || ev.Packet.Type() != w.t {
			t.Fatalf("tap event %d: %v %T %v, want %v %v", i, ev.Dir, ev.Packet, ev.Err, w.dir, w.t)
		}
		raw, err := ev.Packet.AppendTo(nil)
		if err != nil || !bytes.Equal(raw, ev.Raw) {
			t.Fatalf("tap event %d: raw % x does not match the packet (% x, %v)", i, ev.Raw, raw, err)
		}
	}
	c.SetTap(nil)
	if buf.Dropped() != 0 {
		t.Fatalf("dropped %d", buf.Dropped())
	}
}

// Reconnection waits a growing, jittered delay between failed attempts and
// reports each attempt.
func TestReconnectBackoff(t *testing.T) {
	t.Parallel()
	ev := make(events, 64)
	rc := &Reconnect{MinDelay: 10 * time.Millisecond, MaxDelay: 40 * time.Millisecond}
	_, p, s := newPipeClient(t, protocol.V311, nil, func(cfg *Config) {
		cfg.Reconnect = rc
		cfg.OnEvent = ev.on
	})
	s.mu.Lock()
	s.fail = 3
	s.mu.Unlock()
	p.close()
	ev.wait(t, EventDown)
	for attempt := 1; attempt <= 4; attempt++ {
		e := ev.wait(t, EventReconnecting)
		ceiling := min(rc.MinDelay<<(attempt-1), rc.MaxDelay)
		if e.Attempt != attempt || e.Delay < ceiling/2 || e.Delay > ceiling {
			t.Fatalf("attempt %d: %+v, want a delay in [%v, %v]", attempt, e, ceiling/2, ceiling)
		}
	}
	s.next().accept(nil)
	ev.wait(t, EventUp)
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	rc := &Reconnect{MinDelay: time.Second, MaxDelay: 30 * time.Second}
	for n := 1; n <= 100; n++ {
		ceiling := min(time.Second<<min(n-1, 30), 30*time.Second)
		for range 20 {
			if d := backoff(rc, n); d < ceiling/2 || d > ceiling {
				t.Fatalf("attempt %d: %v outside [%v, %v]", n, d, ceiling/2, ceiling)
			}
		}
	}
}

// Messages go to the handler of their subscription identifier when the
// server sends one, else to every handler whose filter matches (a shared
// subscription by its filter part), else to the default handler.
func TestRouting(t *testing.T) {
	t.Parallel()
	byID, shared, plain, def := newCollector(), newCollector(), newCollector(), newCollector()
	c, p, _ := newPipeClient(t, protocol.V5, nil, func(cfg *Config) { cfg.DefaultHandler = def.handle })
	subscribe := func(req *SubscribeRequest) {
		t.Helper()
		errc := make(chan error, 1)
		go func() { _, err := c.Subscribe(testCtx(t), req); errc <- err }()
		sub := recvType[*protocol.Subscribe](p)
		codes := make([]protocol.ReasonCode, len(sub.Subscriptions))
		p.send(&protocol.Suback{Version: protocol.V5, PacketID: sub.PacketID, ReasonCodes: codes})
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	subscribe(&SubscribeRequest{SubscriptionID: 9, Subscriptions: []Subscription{{Subscription: protocol.Subscription{Filter: "a/#"}, Handler: byID.handle}}})
	subscribe(&SubscribeRequest{Subscriptions: []Subscription{{Subscription: protocol.Subscription{Filter: "$share/g/a/+"}, Handler: shared.handle}}})
	subscribe(&SubscribeRequest{Subscriptions: []Subscription{{Subscription: protocol.Subscription{Filter: "b/+"}, Handler: plain.handle}}})

	send := func(topic string, ids ...uint32) {
		p.send(&protocol.Publish{Version: protocol.V5, Topic: topic, Props: protocol.Properties{SubscriptionIDs: ids}})
	}
	send("a/1", 9)   // by identifier: only byID
	send("a/2")      // by filter: byID (a/#) and shared (a/+)
	send("b/1")      // plain
	send("c/1")      // nobody: default
	send("a/3", 777) // unknown identifier: by filter
	for _, want := range []struct {
		c     collector
		topic string
	}{{byID, "a/1"}, {byID, "a/2"}, {shared, "a/2"}, {plain, "b/1"}, {def, "c/1"}, {byID, "a/3"}, {shared, "a/3"}} {
		if m := want.c.next(t); m.Topic != want.topic {
			t.Fatalf("got %q, want %q", m.Topic, want.topic)
		}
	}
	for name, col := range map[string]collector{"byID": byID, "shared": shared, "plain": plain, "default": def} {
		if len(col) != 0 {
			t.Fatalf("%s got extra messages", name)
		}
	}
}

// A SUBACK refusing a filter removes its handler and returns a
// *ReasonError naming it; the other filters stay.
func TestSubackFailure(t *testing.T) {
	t.Parallel()
	c, p, _ := newPipeClient(t, protocol.V311, nil, nil)
	type result struct {
		ack *protocol.Suback
		err error
	}
	res := make(chan result, 1)
	go func() {
		ack, err := c.Subscribe(testCtx(t), &SubscribeRequest{Subscriptions: []Subscription{
			{Subscription: protocol.Subscription{Filter: "ok/#", QoS: 1}, Handler: func(*Message) {}},
			{Subscription: protocol.Subscription{Filter: "no/#", QoS: 1}, Handler: func(*Message) {}},
		}})
		res <- result{ack, err}
	}()
	sub := recvType[*protocol.Subscribe](p)
	p.send(&protocol.Suback{Version: protocol.V311, PacketID: sub.PacketID, ReasonCodes: []protocol.ReasonCode{1, 0x80}})
	r := <-res
	var re *ReasonError
	if !errors.As(r.err, &re) || re.Filter != "no/#" || protocol.ReasonCodeOf(r.err) != protocol.UnspecifiedError {
		t.Fatalf("Subscribe: %v", r.err)
	}
	if r.ack == nil || len(r.ack.ReasonCodes) != 2 || r.ack.ReasonCodes[0] != 1 {
		t.Fatalf("SUBACK %+v", r.ack)
	}
	c.router.mu.RLock()
	defer c.router.mu.RUnlock()
	if len(c.router.routes) != 1 || c.router.routes[0].filter != "ok/#" {
		t.Fatalf("routes after refusal: %+v", c.router.routes)
	}
}

// What the server announced it does not support is refused before
// anything is sent.
func TestServerCapabilities(t *testing.T) {
	t.Parallel()
	no := protocol.Some(byte(0))
	c, p, _ := newPipeClient(t, protocol.V5, &protocol.Connack{Props: protocol.Properties{
		MaximumQoS: protocol.Some(byte(1)), RetainAvailable: no, WildcardSubAvailable: no,
		SubIDAvailable: no, SharedSubAvailable: no, TopicAliasMaximum: protocol.Some(uint16(1)),
	}}, nil)
	sub := func(filter string, id uint32) error {
		_, err := c.Subscribe(testCtx(t), &SubscribeRequest{SubscriptionID: id,
			Subscriptions: []Subscription{{Subscription: protocol.Subscription{Filter: filter}}}})
		return err
	}
	for _, tc := range []struct {
		name string
		err  error
		want protocol.ReasonCode
	}{
		{"QoS 2", c.Publish(testCtx(t), &Message{Topic: "a", QoS: 2}), protocol.QoSNotSupported},
		{"retain", c.Publish(testCtx(t), &Message{Topic: "a", Retain: true}), protocol.RetainNotSupported},
		{"alias 2", c.Publish(testCtx(t), &Message{Topic: "a", Props: protocol.Properties{TopicAlias: protocol.Some(uint16(2))}}), protocol.TopicAliasInvalid},
		{"wildcard", sub("a/+", 0), protocol.WildcardSubscriptionsNotSupported},
		{"shared", sub("$share/g/a", 0), protocol.SharedSubscriptionsNotSupported},
		{"subscription id", sub("a", 5), protocol.SubscriptionIdentifiersNotSupported},
	} {
		if got := protocol.ReasonCodeOf(tc.err); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
	if err := c.Publish(testCtx(t), &Message{Topic: "ok", QoS: 0}); err != nil {
		t.Fatal(err)
	}
	if pub := recvType[*protocol.Publish](p); pub.Topic != "ok" {
		t.Fatalf("the first packet after the refusals is %+v", pub)
	}
}
