package broker

import (
	"net"
	"sync"

	"github.com/mqttlab/mqttlab/protocol"
)

// Endpoint is the client side of an in-memory connection (a Link): what
// the broker sends arrives in Receive, and Closed says the broker ended
// the connection. Both are called with broker locks held: they must not
// block and must not call back into the broker (a fleet queues the bytes
// for its own scheduler). b is only valid during the call.
type Endpoint interface {
	Receive(b []byte)
	Closed(err error)
}

// Link is an in-memory connection to the broker for a client in the same
// process: a virtual device of a fleet. It is a real MQTT session — the
// client writes MQTT packets and receives MQTT packets, through the same
// code as a network client — but it costs no goroutine and no buffer while
// idle: packets written are handled at once in the writer's goroutine, and
// packets sent by the broker are handed to the Endpoint as they are
// produced. This is what lets one process run a hundred thousand devices.
type Link struct {
	c         *conn
	sink      Endpoint
	mu        sync.Mutex // serializes Write, Close and the broker ending the link
	in        []byte     // the start of a packet not yet complete
	connected bool
	done      bool
	closeOnce sync.Once
}

// Attach opens an in-memory connection whose other end is e. The client
// must send CONNECT first, as on a network.
func (b *Broker) Attach(e Endpoint) (*Link, error) {
	if b.closing.Load() {
		return nil, net.ErrClosed
	}
	l := &Link{sink: e}
	c := &conn{b: b, link: l, remote: "in-process", problemInfo: true}
	l.c = c
	return l, nil
}

// Write hands the broker the client's bytes: any number of whole or
// partial packets. Whole packets are handled before Write returns; their
// answers have reached the Endpoint by then.
func (l *Link) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return 0, net.ErrClosed
	}
	buf := p
	if len(l.in) > 0 {
		l.in = append(l.in, p...)
		buf = l.in
	}
	c := l.c
	max := c.b.opts.MaxPacketSize
	for len(buf) > 0 && !l.done {
		h, n, err := protocol.ParseFixedHeader(buf)
		if err != nil {
			l.endLocked(c.protocolError(err))
			return len(p), nil
		}
		if n == 0 {
			break
		}
		total := n + h.Remaining
		if total > max {
			l.endLocked(c.protocolError(protocol.ErrPacketTooLarge))
			return len(p), nil
		}
		if len(buf) < total {
			break
		}
		raw := buf[:total:total]
		buf = buf[total:]
		if !l.connected {
			if h.Type != protocol.CONNECT {
				c.b.stats.refused.Add(1) // [MQTT-3.1.0-1]
				l.done = true
				l.closeEndpoint()
				return len(p), nil
			}
			if !c.acceptConnect(h, raw) {
				l.done = true
				return len(p), nil
			}
			l.connected = true
			continue
		}
		c.lastRecv.Store(c.b.now())
		c.b.stats.bytesReceived.Add(uint64(len(raw)))
		if r, done := c.handle(h, raw[n:]); done {
			l.endLocked(r)
			return len(p), nil
		}
	}
	switch {
	case len(buf) == 0:
		l.in = nil
	case len(l.in) > 0: // buf is the tail of l.in
		l.in = l.in[:copy(l.in, buf)]
	default: // buf is the tail of p, which the caller keeps
		l.in = append([]byte(nil), buf...)
	}
	return len(p), nil
}

// Close drops the connection without a DISCONNECT, as a network failure
// would: the will is published.
func (l *Link) Close() error {
	l.end(endReason{err: errConnClosed, code: protocol.UnspecifiedError, will: true, text: "connection lost"})
	return nil
}

// end ends the link from outside a Write.
func (l *Link) end(r endReason) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.endLocked(r)
}

func (l *Link) endLocked(r endReason) {
	if l.done {
		return
	}
	l.done = true
	if !l.connected {
		l.closeEndpoint()
		return
	}
	l.c.end(r)
}

// closeEndpoint tells the endpoint the connection is closed, once.
func (l *Link) closeEndpoint() {
	l.closeOnce.Do(func() { l.sink.Closed(errConnClosed) })
}
