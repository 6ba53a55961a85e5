package broker

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// endpoint records what the broker sends over a link.
type endpoint struct {
	mu     sync.Mutex
	got    []byte
	closed bool
}

func (e *endpoint) Receive(b []byte) {
	e.mu.Lock()
	e.got = append(e.got, b...)
	e.mu.Unlock()
}

func (e *endpoint) Closed(error) {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
}

// packets decodes what was received so far and forgets it.
func (e *endpoint) packets(t *testing.T, v protocol.Version) []protocol.Packet {
	t.Helper()
	e.mu.Lock()
	got := e.got
	e.got = nil
	e.mu.Unlock()
	r := protocol.NewReader(bytes.NewReader(got))
	r.Version = v
	var out []protocol.Packet
	for {
		p, err := r.ReadPacket()
		if err != nil {
			return out
		}
		out = append(out, p)
	}
}

func linkWrite(t *testing.T, l *Link, p protocol.Packet) {
	t.Helper()
	b, err := p.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Write(b); err != nil {
		t.Fatal(err)
	}
}

func TestLinkIsARealSession(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{})
	watcher := connectRaw(t, addr, protocol.V5, "watcher")
	watcher.subscribe(1, protocol.Subscription{Filter: "dev/#", QoS: 1})

	e := &endpoint{}
	l, err := b.Attach(e)
	if err != nil {
		t.Fatal(err)
	}
	// A CONNECT split across two writes still works.
	connect, _ := (&protocol.Connect{Version: protocol.V5, ClientID: "dev1", CleanStart: true, KeepAlive: 60,
		Will: &protocol.WillMessage{Topic: "dev/dev1/status", Payload: []byte("offline"), Retain: true}}).AppendTo(nil)
	l.Write(connect[:5])
	l.Write(connect[5:])
	if ps := e.packets(t, protocol.V5); len(ps) != 1 || ps[0].(*protocol.Connack).ReasonCode != 0 {
		t.Fatalf("CONNACK: %v", ps)
	}
	linkWrite(t, l, &protocol.Subscribe{Version: protocol.V5, PacketID: 1, Subscriptions: []protocol.Subscription{{Filter: "cmd/dev1", QoS: 1}}})
	if ps := e.packets(t, protocol.V5); len(ps) != 1 || ps[0].Type() != protocol.SUBACK {
		t.Fatalf("SUBACK: %v", ps)
	}
	// Device → network client.
	linkWrite(t, l, &protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Topic: "dev/dev1/temp", Payload: []byte("21")})
	if ps := e.packets(t, protocol.V5); len(ps) != 1 || ps[0].Type() != protocol.PUBACK {
		t.Fatalf("PUBACK: %v", ps)
	}
	p := expectPublish(t, watcher, "dev/dev1/temp", "21")
	watcher.send(&protocol.Puback{Version: protocol.V5, PacketID: p.PacketID})
	// Network client → device.
	watcher.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 5, Topic: "cmd/dev1", Payload: []byte("reboot")})
	watcher.expect(protocol.PUBACK)
	ps := e.packets(t, protocol.V5)
	if len(ps) != 1 || string(ps[0].(*protocol.Publish).Payload) != "reboot" {
		t.Fatalf("command: %v", ps)
	}
	// An abrupt close fires the will.
	l.Close()
	expectPublish(t, watcher, "dev/dev1/status", "offline")
	e.mu.Lock()
	closed := e.closed
	e.mu.Unlock()
	if !closed {
		t.Fatal("endpoint not told of the close")
	}
	if _, err := l.Write(connect); err == nil {
		t.Fatal("write after close accepted")
	}
}

func TestLinkProtocolErrors(t *testing.T) {
	t.Parallel()
	b, _ := startBroker(t, Options{})
	e := &endpoint{}
	l, _ := b.Attach(e)
	linkWrite(t, l, &protocol.Connect{Version: protocol.V5, ClientID: "bad", CleanStart: true})
	e.packets(t, protocol.V5)
	l.Write([]byte{0x30, 0x03, 0x00, 0x01, '+'}) // wildcard in a topic name
	ps := e.packets(t, protocol.V5)
	if len(ps) != 1 || ps[0].(*protocol.Disconnect).ReasonCode != protocol.TopicNameInvalid {
		t.Fatalf("got %v", ps)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.closed {
		t.Fatal("not closed")
	}
}

// BenchmarkIdleLinkMemory reports what an idle in-memory device costs the
// broker: a connected session with one subscription.
func BenchmarkIdleLinkMemory(b *testing.B) {
	br, err := New(Options{SysInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer br.Shutdown(b.Context())
	const n = 10000
	links := make([]*Link, 0, n)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	var nop nopEndpoint
	for i := 0; i < n; i++ {
		l, _ := br.Attach(nop)
		id := fmt.Sprintf("dev%d", i)
		cb, _ := (&protocol.Connect{Version: protocol.V311, ClientID: id, CleanStart: true}).AppendTo(nil)
		sb, _ := (&protocol.Subscribe{Version: protocol.V311, PacketID: 1, Subscriptions: []protocol.Subscription{{Filter: "cmd/" + id, QoS: 1}}}).AppendTo(cb)
		l.Write(sb)
		links = append(links, l)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	b.ReportMetric(float64(m1.HeapInuse-m0.HeapInuse)/n, "heap-B/link")
	b.ReportMetric(float64(runtime.NumGoroutine()), "goroutines")
	runtime.KeepAlive(links)
	_ = time.Second
}

type nopEndpoint struct{}

func (nopEndpoint) Receive([]byte) {}
func (nopEndpoint) Closed(error)   {}
