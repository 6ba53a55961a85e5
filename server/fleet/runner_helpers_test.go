package fleet

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
	"github.com/mqttlab/mqttlab/server/broker"
	"github.com/mqttlab/mqttlab/server/broker/brokertest"
)

// waitTimeout bounds every wait of the runner tests.
const waitTimeout = 10 * time.Second

// startBroker serves our broker on 127.0.0.1:0 and shuts it down when the
// test ends (after the runners, which are cleaned up first).
func startBroker(t testing.TB) (*broker.Broker, string) {
	t.Helper()
	return brokertest.Start(t, broker.Options{SysInterval: -1})
}

// startRunner runs the scenario doc with o and closes the runner when the
// test ends.
func startRunner(t testing.TB, o Options, doc string) *Runner {
	t.Helper()
	r, err := NewRunner(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := r.Close(ctx); err != nil {
			t.Errorf("runner close: %v", err)
		}
	})
	if err := r.Replace("test.yaml", []byte(doc)); err != nil {
		t.Fatalf("Replace:\n%v", err)
	}
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	return r
}

// msg is a message a watcher received.
type msg struct {
	topic, payload string
	retain         bool
}

// watcher is an MQTT client that records what it receives.
type watcher struct {
	c  *client.Client
	mu sync.Mutex
	ms []msg
	ch chan struct{} // signalled at each message
}

// watch connects a 5.0 client to addr and subscribes it to filter.
func watch(t testing.TB, addr, filter string, qos protocol.QoS) *watcher {
	t.Helper()
	w := &watcher{ch: make(chan struct{}, 1)}
	dial, err := client.Dialer("tcp://"+addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.c, err = client.New(client.Config{Dial: dial, Connect: protocol.Connect{ClientID: "watcher-" + strings.NewReplacer("#", "all", "+", "any", "/", "-").Replace(filter), CleanStart: true, KeepAlive: 30},
		QueueSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if _, err := w.c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.c.SubscribeTopic(ctx, filter, qos, w.add); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *watcher) add(m *client.Message) {
	w.mu.Lock()
	w.ms = append(w.ms, msg{m.Topic, string(m.Payload), m.Retain})
	w.mu.Unlock()
	select {
	case w.ch <- struct{}{}:
	default:
	}
}

// messages returns what was received so far.
func (w *watcher) messages() []msg {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]msg(nil), w.ms...)
}

// waitFor waits until cond holds for the messages received, or fails the
// test saying what it waited for.
func (w *watcher) waitFor(t testing.TB, what string, cond func([]msg) bool) []msg {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		ms := w.messages()
		if cond(ms) {
			return ms
		}
		select {
		case <-w.ch:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no %s within %v; received %d messages, last: %v", what, waitTimeout, len(ms), tail(ms, 5))
		}
	}
}

func tail(ms []msg, n int) []msg {
	return ms[max(len(ms)-n, 0):]
}

// count returns how many messages match topic and, if not empty, payload.
func count(ms []msg, topic, payload string) int {
	n := 0
	for _, m := range ms {
		if m.topic == topic && (payload == "" || m.payload == payload) {
			n++
		}
	}
	return n
}

// waitStats waits until cond holds for the runner's counters.
func waitStats(t testing.TB, r *Runner, what string, cond func(Stats) bool) Stats {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		st := r.Stats()
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v: %+v", what, waitTimeout, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// publish sends one message from a fresh client.
func publish(t testing.TB, addr string, m *client.Message) {
	t.Helper()
	c := connectClient(t, addr, "pub")
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := c.Publish(ctx, m); err != nil {
		t.Fatal(err)
	}
}

// connectClient connects a 5.0 client that the test's end closes.
func connectClient(t testing.TB, addr, id string) *client.Client {
	t.Helper()
	dial, err := client.Dialer("tcp://"+addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Config{Dial: dial, Connect: protocol.Connect{ClientID: id, CleanStart: true, KeepAlive: 30}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if _, err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}
