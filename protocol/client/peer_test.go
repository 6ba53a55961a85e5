package client

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// waitLimit bounds every wait of the tests: reaching it is a failure, not
// a measurement.
const waitLimit = 10 * time.Second

// peer is the server end of a net.Pipe, driven by a test: a minimal MQTT
// server built on protocol.Reader. Reading and writing run on their own
// goroutines, as in a real server, so neither end can block the other.
type peer struct {
	t    testing.TB
	nc   net.Conn
	v    protocol.Version
	in   chan protocol.Packet
	out  chan []byte
	done chan struct{}
	wg   sync.WaitGroup
}

// pipeServer hands the server ends of the connections a client dials.
type pipeServer struct {
	t     testing.TB
	v     protocol.Version
	peers chan *peer
	mu    sync.Mutex
	fail  int // the next dials to refuse
}

func newPipeServer(t testing.TB, v protocol.Version) *pipeServer {
	return &pipeServer{t: t, v: v, peers: make(chan *peer, 16)}
}

// dial is the client's DialFunc.
func (s *pipeServer) dial(ctx context.Context) (net.Conn, error) {
	s.mu.Lock()
	if s.fail > 0 {
		s.fail--
		s.mu.Unlock()
		return nil, errors.New("test: dial refused")
	}
	s.mu.Unlock()
	cli, srv := net.Pipe()
	p := newPeer(s.t, srv, s.v)
	s.peers <- p
	return cli, nil
}

// next returns the server end of the next connection.
func (s *pipeServer) next() *peer {
	s.t.Helper()
	select {
	case p := <-s.peers:
		return p
	case <-time.After(waitLimit):
		s.t.Fatal("no connection from the client")
		return nil
	}
}

func newPeer(t testing.TB, nc net.Conn, v protocol.Version) *peer {
	p := &peer{t: t, nc: nc, v: v, in: make(chan protocol.Packet, 256), out: make(chan []byte, 256), done: make(chan struct{})}
	p.wg.Add(2)
	go p.readLoop()
	go p.writeLoop()
	t.Cleanup(p.close)
	return p
}

func (p *peer) readLoop() {
	defer p.wg.Done()
	defer close(p.in)
	r := protocol.NewReader(p.nc)
	r.Version = p.v
	for {
		pkt, err := r.ReadPacket()
		if err != nil {
			return
		}
		select {
		case p.in <- pkt:
		case <-p.done:
			return
		}
	}
}

func (p *peer) writeLoop() {
	defer p.wg.Done()
	for {
		select {
		case b := <-p.out:
			if _, err := p.nc.Write(b); err != nil {
				return
			}
		case <-p.done:
			return
		}
	}
}

// close ends the connection (the client sees it vanish).
func (p *peer) close() {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	p.nc.Close()
	p.wg.Wait()
}

// send queues a packet for the client.
func (p *peer) send(pkt protocol.Packet) {
	p.t.Helper()
	b, err := pkt.AppendTo(nil)
	if err != nil {
		p.t.Fatalf("encoding %T: %v", pkt, err)
	}
	p.sendRaw(b)
}

func (p *peer) sendRaw(b []byte) {
	select {
	case p.out <- b:
	case <-p.done:
	}
}

// recv returns the next packet from the client, failing the test if none
// comes.
func (p *peer) recv() protocol.Packet {
	p.t.Helper()
	select {
	case pkt, ok := <-p.in:
		if !ok {
			p.t.Fatal("the client closed the connection")
		}
		return pkt
	case <-time.After(waitLimit):
		p.t.Fatal("no packet from the client")
		return nil
	}
}

// recvType returns the next packet, which must be of type T.
func recvType[T protocol.Packet](p *peer) T {
	p.t.Helper()
	pkt := p.recv()
	v, ok := pkt.(T)
	if !ok {
		var zero T
		p.t.Fatalf("got %T %+v, want %T", pkt, pkt, zero)
	}
	return v
}

// closed waits until the client has closed the connection, returning
// what it sent before.
func (p *peer) closed() []protocol.Packet {
	p.t.Helper()
	var got []protocol.Packet
	for {
		select {
		case pkt, ok := <-p.in:
			if !ok {
				return got
			}
			got = append(got, pkt)
		case <-time.After(waitLimit):
			p.t.Fatal("the client did not close the connection")
			return got
		}
	}
}

// accept reads CONNECT and answers with ack (Version filled in).
func (p *peer) accept(ack *protocol.Connack) *protocol.Connect {
	p.t.Helper()
	c := recvType[*protocol.Connect](p)
	if ack == nil {
		ack = &protocol.Connack{}
	}
	ack.Version = p.v
	p.send(ack)
	return c
}

// newPipeClient returns a client of a pipeServer, connected, whose peer
// the test drives; the client is closed at cleanup.
func newPipeClient(t *testing.T, v protocol.Version, ack *protocol.Connack, mutate func(*Config)) (*Client, *peer, *pipeServer) {
	t.Helper()
	s := newPipeServer(t, v)
	cfg := Config{Dial: s.dial, Connect: protocol.Connect{Version: v, ClientID: "pipe", KeepAlive: 0}}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	type res struct {
		ack *Connack
		err error
	}
	done := make(chan res, 1)
	go func() {
		a, err := c.Connect(context.Background())
		done <- res{a, err}
	}()
	p := s.next()
	p.accept(ack)
	r := <-done
	if r.err != nil {
		t.Fatalf("Connect: %v", r.err)
	}
	return c, p, s
}

// collector gathers messages from handlers.
type collector chan *Message

func newCollector() collector { return make(collector, 1024) }

func (c collector) handle(m *Message) {
	select {
	case c <- m:
	default:
		panic("test collector full")
	}
}

// next returns the next message, failing the test if none comes.
func (c collector) next(t testing.TB) *Message {
	t.Helper()
	select {
	case m := <-c:
		return m
	case <-time.After(waitLimit):
		t.Fatal("no message")
		return nil
	}
}

// ctx returns a context bounded by waitLimit.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	t.Cleanup(cancel)
	return ctx
}

// events records a client's events.
type events chan Event

func (e events) on(ev Event) {
	select {
	case e <- ev:
	default:
	}
}

// wait returns the next event of kind k, skipping others.
func (e events) wait(t testing.TB, k EventKind) Event {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		select {
		case ev := <-e:
			if ev.Kind == k {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %v event", k)
			return Event{}
		}
	}
}
