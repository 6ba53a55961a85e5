package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
	"github.com/mqttlab/mqttlab/server/broker"
	"github.com/mqttlab/mqttlab/server/broker/brokertest"
)

// startBroker serves mqttlab's broker on a TCP port of 127.0.0.1 and
// returns it with its tcp:// URL.
func startBroker(t *testing.T, o broker.Options) (*broker.Broker, string) {
	t.Helper()
	b, addr := brokertest.Start(t, o)
	return b, "tcp://" + addr
}

// newTestLab returns a lab whose clients connect to url, and removes its
// clients (closing their connections) when the test ends.
func newTestLab(t *testing.T, url string, log *Packets) *Lab {
	t.Helper()
	l := NewLab(log, 100)
	l.SetDefaultURL(url)
	t.Cleanup(func() {
		for _, n := range l.Names() {
			l.Remove(n)
		}
	})
	return l
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func addConnected(t *testing.T, l *Lab, name string, edit func(*Settings)) {
	t.Helper()
	s := l.DefaultSettings(name)
	if edit != nil {
		edit(&s)
	}
	if err := l.AddWith(name, s); err != nil {
		t.Fatal(err)
	}
	if err := l.Connect(testCtx(t), name); err != nil {
		t.Fatalf("connecting %s: %v", name, err)
	}
	if v := mustClient(t, l, name); v.Status != Connected || v.Connack == nil {
		t.Fatalf("%s: status %v, connack %v after Connect", name, v.Status, v.Connack)
	}
}

func TestLabPublishSubscribe(t *testing.T) {
	t.Parallel()
	_, url := startBroker(t, broker.Options{})
	log := NewPackets(1000)
	l := newTestLab(t, url, log)
	ctx := testCtx(t)
	addConnected(t, l, "A", nil)
	addConnected(t, l, "B", nil)

	code, err := l.Subscribe(ctx, "B", protocol.Subscription{Filter: "lab/#", QoS: 1})
	if err != nil || code != protocol.GrantedQoS1 {
		t.Fatalf("Subscribe: %v, %v", code, err)
	}
	if _, err := l.Subscribe(ctx, "B", protocol.Subscription{Filter: "lab/#/x"}); !errors.Is(err, protocol.ErrFilterHash) {
		t.Errorf("invalid filter: %v, want ErrFilterHash", err)
	}
	if subs := mustClient(t, l, "B").Subs; len(subs) != 1 || subs[0].Filter != "lab/#" || subs[0].Granted != protocol.GrantedQoS1 {
		t.Errorf("B's subscriptions: %+v", subs)
	}

	m := &client.Message{Topic: "lab/x", Payload: []byte(`{"t":21.5}`), QoS: 1}
	m.Props.User = []protocol.UserProperty{{Key: "unit", Value: "C"}}
	m.Props.ContentType = protocol.Some("application/json")
	if err := l.Publish(ctx, "A", m); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "B's message", func() bool { return len(l.Messages("B", 0)) == 1 })
	got := l.Messages("B", 0)[0]
	if got.Topic != "lab/x" || string(got.Payload) != `{"t":21.5}` || got.QoS != 1 ||
		len(got.Props.User) != 1 || got.Props.User[0] != m.Props.User[0] || got.Props.ContentType.Value != "application/json" {
		t.Errorf("B received %+v", got)
	}
	if c := mustClient(t, l, "A").Counters; c.Published != 1 {
		t.Errorf("A's counters %+v", c)
	}

	// Every packet is in the shared log under its client's name.
	var fromA, toB int
	for _, p := range log.Newest(0, nil) {
		if pub, ok := p.Packet.(*protocol.Publish); ok && pub.Topic == "lab/x" {
			switch {
			case p.Client == "A" && p.Dir == client.Out:
				fromA++
			case p.Client == "B" && p.Dir == client.In:
				toB++
			}
		}
	}
	if fromA != 1 || toB != 1 {
		t.Errorf("packet log: %d PUBLISH out of A, %d into B; want 1 and 1", fromA, toB)
	}
	if err := l.Rename("B", "bee"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Unsubscribe(ctx, "bee", "lab/#"); err != nil {
		t.Fatal(err)
	}
	if p := log.Newest(1, nil); len(p) != 1 || p[0].Client != "bee" {
		t.Errorf("after the rename the newest packet is logged as %+v, want bee", p)
	}
	if subs := mustClient(t, l, "bee").Subs; len(subs) != 0 {
		t.Errorf("subscriptions after Unsubscribe: %+v", subs)
	}
	if err := l.SetSettings("A", l.DefaultSettings("A")); !errors.Is(err, ErrConnected) {
		t.Errorf("SetSettings while connected: %v, want ErrConnected", err)
	}
	if err := l.Connect(ctx, "A"); !errors.Is(err, ErrAlreadyActive) {
		t.Errorf("Connect while connected: %v, want ErrAlreadyActive", err)
	}
}

func TestLabWillOnDrop(t *testing.T) {
	t.Parallel()
	b, url := startBroker(t, broker.Options{})
	l := newTestLab(t, url, NewPackets(100))
	ctx := testCtx(t)
	addConnected(t, l, "obs", nil)
	if _, err := l.Subscribe(ctx, "obs", protocol.Subscription{Filter: "status/#"}); err != nil {
		t.Fatal(err)
	}
	will := func(s *Settings) { s.Will = &Will{Topic: "status/w", Payload: "offline"} }

	// A clean disconnect discards the will.
	addConnected(t, l, "W", will)
	if err := l.Disconnect(ctx, "W"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "W's session to end", func() bool { return b.Stats().Sessions == 1 })
	if v := mustClient(t, l, "W"); v.Status != Disconnected || v.Err != nil {
		t.Errorf("after Disconnect: status %v, err %v", v.Status, v.Err)
	}
	if n := b.Stats().WillsPublished; n != 0 {
		t.Errorf("%d wills published after a clean disconnect", n)
	}

	// A dropped connection publishes it.
	if err := l.Connect(ctx, "W"); err != nil {
		t.Fatal(err)
	}
	if err := l.Drop("W"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the will", func() bool { return len(l.Messages("obs", 0)) > 0 })
	if m := l.Messages("obs", 0)[0]; m.Topic != "status/w" || string(m.Payload) != "offline" {
		t.Errorf("observer received %q on %q", m.Payload, m.Topic)
	}
	if err := l.Drop("W"); !errors.Is(err, ErrNotConnected) {
		t.Errorf("dropping twice: %v, want ErrNotConnected", err)
	}
}

func TestLabRefusals(t *testing.T) {
	t.Parallel()
	_, url := startBroker(t, broker.Options{
		Permissions: func(c broker.ConnInfo) broker.Permissions {
			return broker.PermissionsFunc(func(topic string, a broker.Access) bool { return topic != "secret" })
		},
		Authenticate: func(_ broker.ConnInfo, user protocol.Opt[string], _ protocol.Opt[[]byte]) bool {
			return user.Value != "mallory"
		},
	})
	l := newTestLab(t, url, NewPackets(100))
	ctx := testCtx(t)

	if err := l.AddWith("M", Settings{Version: protocol.V5, ClientID: "m", CleanStart: true, Username: "mallory"}); err != nil {
		t.Fatal(err)
	}
	err := l.Connect(ctx, "M")
	if protocol.ReasonCodeOf(err) != protocol.BadUserNameOrPassword {
		t.Errorf("refused CONNECT: %v, want 0x86", err)
	}
	if v := mustClient(t, l, "M"); v.Status != Disconnected || v.Err == nil {
		t.Errorf("after a refusal: status %v, err %v", v.Status, v.Err)
	}

	addConnected(t, l, "A", nil)
	code, err := l.Subscribe(ctx, "A", protocol.Subscription{Filter: "secret"})
	var re *client.ReasonError
	if !errors.As(err, &re) || code != protocol.NotAuthorized || re.Packet != protocol.SUBACK {
		t.Errorf("refused SUBSCRIBE: %v, %v; want a SUBACK 0x87", code, err)
	}
	if subs := mustClient(t, l, "A").Subs; len(subs) != 0 {
		t.Errorf("a refused subscription is recorded: %+v", subs)
	}

	// A session taken over: the broker disconnects the first client.
	same := func(s *Settings) { s.ClientID = "same" }
	addConnected(t, l, "T1", same)
	addConnected(t, l, "T2", same)
	waitFor(t, "T1 to be disconnected", func() bool { return mustClient(t, l, "T1").Status == Disconnected })
	var lost *client.ConnectionLostError
	if err := mustClient(t, l, "T1").Err; !errors.As(err, &lost) || protocol.ReasonCodeOf(err) != protocol.SessionTakenOver {
		t.Errorf("T1's error after a takeover: %v, want a lost connection with 0x8E", err)
	}

	if err := l.AddWith("X", Settings{Version: protocol.V5, URL: "ws://127.0.0.1:1/mqtt"}); err != nil {
		t.Fatal(err)
	}
	var dial *DialError
	if err := l.Connect(ctx, "X"); !errors.As(err, &dial) || dial.URL != "ws://127.0.0.1:1/mqtt" {
		t.Errorf("connecting to a closed port: %v, want a DialError", err)
	}
	if v := mustClient(t, l, "X"); v.Status != Disconnected || v.Err == nil {
		t.Errorf("after a failed dial: status %v, err %v", v.Status, v.Err)
	}
}
