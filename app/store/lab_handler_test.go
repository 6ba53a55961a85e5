package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
	"github.com/mqttlab/mqttlab/server/broker"
)

// A client added with AddUnsaved shows in the lab but not in what it saves.
func TestLabAddUnsaved(t *testing.T) {
	t.Parallel()
	l := NewLab(NewPackets(10), 10)
	saves := 0
	l.SetSaver(func([]byte) { saves++ })
	if err := l.AddUnsaved("lesson-a", l.DefaultSettings("lesson-a")); err != nil {
		t.Fatal(err)
	}
	if err := l.AddUnsaved("lesson-a", l.DefaultSettings("lesson-a")); !errors.Is(err, ErrNameTaken) {
		t.Errorf("second AddUnsaved: %v, want ErrNameTaken", err)
	}
	if err := l.Add("mine"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(l.Names(), ","); got != "lesson-a,mine" {
		t.Errorf("names %q", got)
	}
	if saves != 1 {
		t.Errorf("saved %d times, want 1 (the Add)", saves)
	}
	b, err := l.Export()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "lesson-a") || !strings.Contains(string(b), "mine") {
		t.Errorf("Export: %s", b)
	}
	if err := l.SetHandler("nobody", nil); !errors.Is(err, ErrNoClient) {
		t.Errorf("SetHandler of an unknown client: %v", err)
	}
}

// A handler sees each message after it is logged, and the client
// acknowledges a QoS 1 message only when the handler has returned.
func TestLabHandlerAcksAfterward(t *testing.T) {
	t.Parallel()
	_, url := startBroker(t, broker.Options{})
	log := NewPackets(1000)
	l := newTestLab(t, url, log)
	ctx := testCtx(t)
	addConnected(t, l, "pub", nil)
	addConnected(t, l, "sub", nil)
	release := make(chan struct{})
	seen := make(chan Message, 1)
	if err := l.SetHandler("sub", func(m Message) {
		if len(l.Messages("sub", 0)) != 1 {
			t.Error("the handler ran before the message was logged")
		}
		seen <- m
		<-release
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Subscribe(ctx, "sub", protocol.Subscription{Filter: "h/#", QoS: 1}); err != nil {
		t.Fatal(err)
	}
	if err := l.Publish(ctx, "pub", &client.Message{Topic: "h/1", Payload: []byte("x"), QoS: 1}); err != nil {
		t.Fatal(err) // the broker acknowledges: the subscriber has no say
	}
	m := <-seen
	if m.Topic != "h/1" || string(m.Payload) != "x" || m.Seq != 1 {
		t.Errorf("handler got %+v", m)
	}
	pubacks := func() int {
		n := 0
		for _, p := range log.Newest(0, func(p *Packet) bool { return p.Client == "sub" && p.Dir == client.Out }) {
			if _, ok := p.Packet.(*protocol.Puback); ok {
				n++
			}
		}
		return n
	}
	if n := pubacks(); n != 0 {
		t.Errorf("%d PUBACK sent while the handler runs", n)
	}
	close(release)
	waitFor(t, "the PUBACK after the handler", func() bool { return pubacks() == 1 })
}

// A request made in the lab gets the response another lab client sends
// from its handler, and both are logged.
func TestLabRequestRespond(t *testing.T) {
	t.Parallel()
	_, url := startBroker(t, broker.Options{})
	l := newTestLab(t, url, NewPackets(1000))
	ctx := testCtx(t)
	addConnected(t, l, "asker", nil)
	addConnected(t, l, "server", nil)
	if err := l.SetHandler("server", func(m Message) {
		req := m.Message
		if err := l.Respond(ctx, "server", &req, &client.Message{Payload: append([]byte("re: "), m.Payload...)}); err != nil {
			t.Error(err)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Subscribe(ctx, "server", protocol.Subscription{Filter: "rpc/time", QoS: 1}); err != nil {
		t.Fatal(err)
	}
	resp, err := l.Request(ctx, "asker", &client.Message{Topic: "rpc/time", Payload: []byte("now?"), QoS: 1})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Payload) != "re: now?" {
		t.Errorf("response %q", resp.Payload)
	}
	if msgs := l.Messages("asker", 0); len(msgs) != 1 || string(msgs[0].Payload) != "re: now?" {
		t.Errorf("asker's log: %+v", msgs)
	}
	if c := mustClient(t, l, "server").Counters; c.Received != 1 || c.Published != 1 {
		t.Errorf("server's counters %+v", c)
	}
	if _, err := l.Request(ctx, "nobody", &client.Message{Topic: "rpc/time"}); !errors.Is(err, ErrNoClient) {
		t.Errorf("Request of an unknown client: %v", err)
	}
}
