//go:build !js

package client

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
)

// env is one cell of the test matrix: a broker, a protocol version and a
// transport.
type env struct {
	b   *testBroker
	v   protocol.Version
	tr  string // "tcp" or "ws"
	url string
}

var versions = []protocol.Version{protocol.V311, protocol.V5}

// matrix runs f for every broker × version × transport, in parallel.
func matrix(t *testing.T, vs []protocol.Version, f func(t *testing.T, e *env)) {
	t.Helper()
	for _, b := range brokers(t) {
		for _, v := range vs {
			for _, tr := range []string{"tcp", "ws"} {
				e := &env{b: b, v: v, tr: tr, url: b.tcp}
				if tr == "ws" {
					e.url = b.ws
				}
				t.Run(b.name+"/"+v.String()+"/"+tr, func(t *testing.T) {
					t.Parallel()
					f(t, e)
				})
			}
		}
	}
}

var idSeq atomic.Int64

// id returns a client identifier or topic level unique in this test run.
func uniqueID(t testing.TB) string {
	name := strings.NewReplacer("/", "-", "+", "", "#", "", ".", "").Replace(t.Name())
	if len(name) > 40 {
		name = name[len(name)-40:]
	}
	return fmt.Sprintf("%s-%d-%d", name, os.Getpid(), idSeq.Add(1))
}

// config returns a client configuration for e; mutate adjusts it.
func (e *env) config(t testing.TB, mutate func(*Config)) Config {
	t.Helper()
	d, err := Dialer(e.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Dial: d, Connect: protocol.Connect{Version: e.v, ClientID: uniqueID(t), CleanStart: true, KeepAlive: 30}}
	if mutate != nil {
		mutate(&cfg)
	}
	return cfg
}

// client returns a connected client, closed at the end of the test.
func (e *env) client(t testing.TB, mutate func(*Config)) *Client {
	t.Helper()
	c, err := New(e.config(t, mutate))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Connect(testCtx(t)); err != nil {
		t.Fatalf("Connect to %s: %v", e.url, err)
	}
	return c
}

// subscribe subscribes c to filter at qos, collecting the messages.
func subscribe(t testing.TB, c *Client, filter string, qos protocol.QoS) collector {
	t.Helper()
	got := newCollector()
	if err := c.SubscribeTopic(testCtx(t), filter, qos, got.handle); err != nil {
		t.Fatalf("subscribing to %q: %v", filter, err)
	}
	return got
}

// publish publishes and fails the test on error.
func publish(t testing.TB, c *Client, topic string, qos protocol.QoS, payload string) {
	t.Helper()
	if err := c.Publish(testCtx(t), &Message{Topic: topic, QoS: qos, Payload: []byte(payload)}); err != nil {
		t.Fatalf("publishing to %q: %v", topic, err)
	}
}

// expect reads messages until one with payload want, failing on any other
// payload listed in notBefore first.
func expectPayload(t testing.TB, got collector, want string) *Message {
	t.Helper()
	m := got.next(t)
	if string(m.Payload) != want {
		t.Fatalf("got %q on %q, want %q", m.Payload, m.Topic, want)
	}
	return m
}

// cutter dials through a connection it can cut at a chosen moment: right
// after the next QoS 1 or 2 PUBLISH is written, so that its
// acknowledgement is never read.
type cutter struct {
	dial DialFunc
	mu   sync.Mutex
	arm  bool
}

func (c *cutter) Dial(ctx context.Context) (net.Conn, error) {
	nc, err := c.dial(ctx)
	if err != nil {
		return nil, err
	}
	return &cutConn{Conn: nc, c: c}, nil
}

// armPublish cuts the connection after the next QoS > 0 PUBLISH.
func (c *cutter) armPublish() {
	c.mu.Lock()
	c.arm = true
	c.mu.Unlock()
}

type cutConn struct {
	net.Conn
	c   *cutter
	cut atomic.Bool
}

func (cc *cutConn) Write(b []byte) (int, error) {
	if cc.cut.Load() {
		return 0, net.ErrClosed
	}
	cc.c.mu.Lock()
	fire := cc.c.arm && len(b) > 0 && b[0]>>4 == byte(protocol.PUBLISH) && b[0]>>1&3 > 0
	if fire {
		cc.c.arm = false
	}
	cc.c.mu.Unlock()
	if !fire {
		return cc.Conn.Write(b)
	}
	cc.cut.Store(true) // from now on nothing is read: the ack is lost
	n, err := cc.Conn.Write(b)
	abortConn(cc.Conn)
	return n, err
}

func (cc *cutConn) Read(b []byte) (int, error) {
	n, err := cc.Conn.Read(b)
	if cc.cut.Load() {
		return 0, net.ErrClosed
	}
	return n, err
}

// tapLog records tapped packets.
type tapLog struct {
	mu  sync.Mutex
	evs []TapEvent
}

func (l *tapLog) tap(e TapEvent) {
	l.mu.Lock()
	l.evs = append(l.evs, e)
	l.mu.Unlock()
}

// packets returns the tapped packets of direction d and type typ.
func (l *tapLog) packets(d Direction, typ protocol.Type) []protocol.Packet {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []protocol.Packet
	for _, e := range l.evs {
		if e.Dir == d && e.Packet != nil && e.Packet.Type() == typ {
			out = append(out, e.Packet)
		}
	}
	return out
}
