package app

import (
	"context"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
	"github.com/mqttlab/mqttlab/server/broker"
	"github.com/mqttlab/mqttlab/server/broker/brokertest"
)

// startLessonBroker serves mqttlab's broker, without $SYS, on 127.0.0.1
// and returns it with its tcp:// URL.
func startLessonBroker(t *testing.T) (*broker.Broker, string) {
	t.Helper()
	o := broker.Defaults()
	o.SysInterval = -1
	b, addr := brokertest.Start(t, o)
	return b, "tcp://" + addr
}

// waitRig polls cond, as the experiment's redraw loop does, until it
// holds; it fails the test after 10 s.
func waitRig(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The QoS lesson's experiment without the page: a receiver withholds its
// acknowledgement and is cut off; the rig shows the DUP re-delivery in
// the messages and packets it keeps, and qosCheck sees it, at QoS 1 and
// then at QoS 2.
func TestRigQoSExperiment(t *testing.T) {
	_, url := startLessonBroker(t)
	r := newRig(url)
	defer r.close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.add(qosSender, client.Config{Connect: protocol.Connect{CleanStart: true}}); err != nil {
		t.Fatal(err)
	}
	if err := r.add(qosReceiver, client.Config{Connect: protocol.Connect{
		Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(60))}}}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{qosSender, qosReceiver} {
		if _, err := r.connect(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.subscribe(ctx, qosReceiver, r.topic("qos"), protocol.QoS2); err != nil {
		t.Fatal(err)
	}
	check := func() qosResult { return qosCheck(r.view(qosReceiver).Msgs, r.logOf(qosReceiver, 0)) }
	for _, qos := range []protocol.QoS{1, 2} {
		r.clear()
		payload := "message " + qos.String()
		r.client(qosReceiver).WithholdAcks(1)
		if err := r.publish(ctx, qosSender, &client.Message{Topic: r.topic("qos"), QoS: qos, Payload: []byte(payload)}); err != nil {
			t.Fatal(err)
		}
		waitRig(t, "the first delivery", func() bool { return len(r.view(qosReceiver).Msgs) == 1 })
		if got := check(); got.dup1 || got.once2 {
			t.Fatalf("QoS %d: %+v before the fault", qos, got)
		}
		r.client(qosReceiver).Drop()
		waitRig(t, "the end of the connection", func() bool { return !r.view(qosReceiver).Up })
		if ack, err := r.connect(ctx, qosReceiver); err != nil || !ack.SessionPresent {
			t.Fatalf("QoS %d: reconnect: %v %+v", qos, err, ack)
		}
		if qos == 1 {
			waitRig(t, "the QoS 1 duplicate", func() bool { return check().dup1 })
			if m := r.view(qosReceiver).Msgs; len(m) != 2 || !m[1].Dup {
				t.Errorf("QoS 1: the application got %+v", m)
			}
		} else {
			waitRig(t, "the QoS 2 handshake", func() bool { return check().once2 })
			if m := r.view(qosReceiver).Msgs; len(m) != 1 {
				t.Errorf("QoS 2: the application got %d messages", len(m))
			}
		}
	}
}

// The rig's clients end with it, their sessions included.
func TestRigClose(t *testing.T) {
	b, url := startLessonBroker(t)
	r := newRig(url)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cfg := client.Config{Connect: protocol.Connect{Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(300))}}}
	if err := r.ensure(ctx, "keeper", cfg); err != nil {
		t.Fatal(err)
	}
	if !r.client("keeper").Connected() || !r.view("keeper").Up {
		t.Fatal("not connected after ensure")
	}
	r.close()
	if r.client("keeper") != nil {
		t.Fatal("a client is left after close")
	}
	waitRig(t, "the broker to end the session", func() bool { return b.Stats().Sessions == 0 })
	// Back with the same identifier: the broker kept no session.
	again := newRig(url)
	again.tag = r.tag
	defer again.close()
	if err := again.add("keeper", cfg); err != nil {
		t.Fatal(err)
	}
	if ack, err := again.connect(ctx, "keeper"); err != nil || ack.SessionPresent {
		t.Fatalf("reconnect: %v, session present %v", err, ack != nil && ack.SessionPresent)
	}
}

func TestRigErrors(t *testing.T) {
	r := newRig("ws://127.0.0.1:1/mqtt")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := r.connect(ctx, "nobody"); err != errNoRigClient {
		t.Errorf("connect of an unknown client: %v", err)
	}
	if err := r.publish(ctx, "nobody", &client.Message{Topic: "x"}); err != errNoRigClient {
		t.Errorf("publish from an unknown client: %v", err)
	}
	bad := newRig("gopher://x")
	if err := bad.add("c", client.Config{}); err == nil {
		t.Error("a client with a bad URL was made")
	}
}

func TestWildcardMatch(t *testing.T) {
	for _, c := range []struct {
		filter     string
		n          int
		plus, hash bool
	}{
		{"home/+/temp", 2, true, false},
		{"home/#", 4, false, true},
		{"+/#", 5, true, true},
		{"garage/+/temp", 0, false, false},
		{"home/kitchen/temp", 1, false, false},
	} {
		if p, h := wildcardMatch(c.filter, c.n); p != c.plus || h != c.hash {
			t.Errorf("wildcardMatch(%q, %d) = %v, %v", c.filter, c.n, p, h)
		}
	}
}

func TestV5Split(t *testing.T) {
	msgs := func(payloads ...string) rigView {
		var v rigView
		for _, p := range payloads {
			v.Msgs = append(v.Msgs, client.Message{Payload: []byte(p)})
		}
		return v
	}
	for _, c := range []struct {
		name    string
		members []rigView
		want    bool
	}{
		{"dealt", []rigView{msgs("1", "4"), msgs("2"), msgs("3")}, true},
		{"one member", []rigView{msgs("1", "2"), msgs(), msgs()}, false},
		{"everyone everything", []rigView{msgs("1", "2"), msgs("1", "2"), msgs("1", "2")}, false},
		{"nothing", []rigView{msgs(), msgs(), msgs()}, false},
	} {
		if got := v5Split(c.members); got != c.want {
			t.Errorf("%s: v5Split = %v", c.name, got)
		}
	}
}

// aliasTotals measures the bytes a topic alias saves from the packets
// themselves: the first PUBLISH sets the alias with its topic, the next
// ones carry the alias alone.
func TestAliasTotals(t *testing.T) {
	const topic = "plant/building-7/line-3/meter/energy"
	pkt := func(topic string, alias uint16) store.Packet {
		p := &protocol.Publish{Version: protocol.V5, Topic: topic, Payload: []byte("1234.5")}
		if alias != 0 {
			p.Props.TopicAlias = protocol.Some(alias)
		}
		raw, err := p.AppendTo(nil)
		if err != nil {
			t.Fatal(err)
		}
		return store.Packet{TapEvent: client.TapEvent{Dir: client.Out, Version: protocol.V5, Raw: raw, Packet: p}}
	}
	plain := len(pkt(topic, 0).Raw)
	first, next := pkt(topic, 1), pkt("", 1)
	n, wire, full, aliased := aliasTotals([]store.Packet{first, next, next})
	if n != 3 || !aliased || wire != len(first.Raw)+2*len(next.Raw) || full != 3*plain {
		t.Errorf("aliasTotals = %d, %d, %d, %v; want 3, %d, %d, true", n, wire, full, aliased, len(first.Raw)+2*len(next.Raw), 3*plain)
	}
	if saved := full - wire; saved != 2*(len(topic)-3)-3 {
		t.Errorf("saved %d bytes, want %d", saved, 2*(len(topic)-3)-3)
	}
	if _, _, _, aliased := aliasTotals([]store.Packet{pkt(topic, 0), first}); aliased {
		t.Error("a PUBLISH that carries its topic counts as aliased")
	}
}
