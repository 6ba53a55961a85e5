package broker

import (
	"bytes"
	"context"
	"net"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// startBroker starts a broker listening on 127.0.0.1:0 and shuts it down
// when the test ends.
func startBroker(t testing.TB, o Options) (*Broker, string) {
	t.Helper()
	if o.SysInterval == 0 {
		o.SysInterval = -1
	}
	b, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Listen(l)
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := b.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		<-done
	})
	return b, l.Addr().String()
}

// rawClient speaks MQTT byte by byte through the codec, so tests can send
// exactly what a rule needs, valid or not.
type rawClient struct {
	t  testing.TB
	nc net.Conn
	r  *protocol.Reader
	v  protocol.Version
}

func dialRaw(t testing.TB, addr string, v protocol.Version) *rawClient {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	r := protocol.NewReader(nc)
	r.Version = v
	return &rawClient{t: t, nc: nc, r: r, v: v}
}

func (c *rawClient) send(p protocol.Packet) {
	c.t.Helper()
	b, err := p.AppendTo(nil)
	if err != nil {
		c.t.Fatalf("encode %T: %v", p, err)
	}
	c.sendRaw(b)
}

func (c *rawClient) sendRaw(b []byte) {
	c.t.Helper()
	c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// read returns the next packet, or fails the test after d.
func (c *rawClient) read(d time.Duration) (protocol.Packet, error) {
	c.nc.SetReadDeadline(time.Now().Add(d))
	return c.r.ReadPacket()
}

func (c *rawClient) expect(want protocol.Type) protocol.Packet {
	c.t.Helper()
	p, err := c.read(5 * time.Second)
	if err != nil {
		c.t.Fatalf("waiting for %v: %v", want, err)
	}
	if p.Type() != want {
		c.t.Fatalf("got %v %+v, want %v", p.Type(), p, want)
	}
	return p
}

// expectNothing checks that no packet arrives within d.
func (c *rawClient) expectNothing(d time.Duration) {
	c.t.Helper()
	if p, err := c.read(d); err == nil {
		c.t.Fatalf("unexpected %v %+v", p.Type(), p)
	}
}

// expectClosed checks that the broker closes the connection, after an
// optional DISCONNECT whose reason code is returned (0 for none).
func (c *rawClient) expectClosed() protocol.ReasonCode {
	c.t.Helper()
	code := protocol.ReasonCode(0)
	for i := 0; i < 3; i++ {
		p, err := c.read(5 * time.Second)
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				c.t.Fatalf("connection not closed")
			}
			return code
		}
		if d, ok := p.(*protocol.Disconnect); ok {
			code = d.ReasonCode
		}
	}
	c.t.Fatalf("connection not closed")
	return code
}

func (c *rawClient) connect(p *protocol.Connect) *protocol.Connack {
	c.t.Helper()
	p.Version = c.v
	c.send(p)
	ack := c.expect(protocol.CONNACK).(*protocol.Connack)
	return ack
}

func (c *rawClient) subscribe(id uint16, subs ...protocol.Subscription) *protocol.Suback {
	c.t.Helper()
	c.send(&protocol.Subscribe{Version: c.v, PacketID: id, Subscriptions: subs})
	return c.expect(protocol.SUBACK).(*protocol.Suback)
}

// connectRaw dials and connects a client with clean start.
func connectRaw(t testing.TB, addr string, v protocol.Version, id string) *rawClient {
	t.Helper()
	c := dialRaw(t, addr, v)
	if ack := c.connect(&protocol.Connect{ClientID: id, CleanStart: true, KeepAlive: 60}); ack.ReasonCode != 0 {
		t.Fatalf("connect %s: %v", id, ack.ReasonCode)
	}
	return c
}

func expectPublish(t testing.TB, c *rawClient, topic string, payload string) *protocol.Publish {
	t.Helper()
	p := c.expect(protocol.PUBLISH).(*protocol.Publish)
	if p.Topic != topic || !bytes.Equal(p.Payload, []byte(payload)) {
		t.Fatalf("got PUBLISH %q %q, want %q %q", p.Topic, p.Payload, topic, payload)
	}
	return p
}
