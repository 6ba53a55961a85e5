package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// conn is one network connection of a Client, from CONNECT to its end.
type conn struct {
	c   *Client
	nc  net.Conn
	r   *protocol.Reader
	v   protocol.Version
	gen uint64 // which connection of the client this is

	ack *Connack // the server's answer, set before the connection is used

	// Writing: one packet, one buffer, one Write, under wlock (a channel
	// so that waiting for it can be cancelled).
	wlock    chan struct{}
	wbuf     []byte
	maxOut   int       // the server's Maximum Packet Size, 0 for none
	aliasOut *aliasLRU // topic aliases we send (under wlock), nil when off

	aliasIn []string // topic aliases the server sent; read by the reader only

	dead     chan struct{} // closed when the connection has failed
	failOnce sync.Once
	cause    error // why it failed; read after dead is closed

	lastWrite atomic.Int64 // unix nanoseconds of the last packet sent
	inQ1      atomic.Int32 // QoS 1 messages received, not yet acknowledged

	// Keepalive, under tmu.
	tmu         sync.Mutex
	ka          time.Duration
	pingTimeout time.Duration
	timer       *time.Timer
	pingSent    time.Time // zero when no PINGREQ is outstanding
	stopped     bool
}

func (c *Client) newConn(nc net.Conn) *conn {
	cn := &conn{c: c, nc: nc, r: protocol.NewReader(nc), v: c.version,
		wlock: make(chan struct{}, 1), dead: make(chan struct{})}
	cn.r.Version = c.version
	if m, ok := c.cfg.Connect.Props.MaximumPacketSize.Get(); ok && c.version == protocol.V5 {
		cn.r.MaxPacketSize = int(m)
	}
	return cn
}

// lostErr is the error operations on a failed connection return.
func (cn *conn) lostErr() error { return &ConnectionLostError{Cause: cn.cause} }

// fail ends the connection with cause, abruptly: no DISCONNECT, no
// closing handshake of the transport. The first cause wins.
func (cn *conn) fail(cause error) { cn.end(cause, false) }

// end closes the connection; graceful lets the transport close politely
// (WebSocket close frame, TLS close_notify) after a DISCONNECT.
func (cn *conn) end(cause error, graceful bool) {
	cn.failOnce.Do(func() {
		cn.cause = cause
		close(cn.dead)
		cn.stopKeepAlive()
		if graceful {
			cn.nc.Close()
		} else {
			abortConn(cn.nc)
		}
	})
}

// abortConn closes a connection without any closing handshake, so that
// the server sees the connection vanish (and publishes the will).
func abortConn(nc net.Conn) error {
	switch c := nc.(type) {
	case interface{ CloseNow() error }: // WebSocket
		return c.CloseNow()
	case interface{ NetConn() net.Conn }: // *tls.Conn
		return c.NetConn().Close()
	}
	return nc.Close()
}

// lock takes the write lock, giving up when ctx ends or the connection
// fails.
func (cn *conn) lock(ctx context.Context) error {
	select {
	case cn.wlock <- struct{}{}:
	default:
		select {
		case cn.wlock <- struct{}{}:
		case <-cn.dead:
			return cn.lostErr()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	select {
	case <-cn.dead:
		<-cn.wlock
		return cn.lostErr()
	default:
		return nil
	}
}

func (cn *conn) unlock() { <-cn.wlock }

// write encodes p and sends it.
func (cn *conn) write(ctx context.Context, p protocol.Packet) error {
	if err := cn.lock(ctx); err != nil {
		return err
	}
	defer cn.unlock()
	b, err := p.AppendTo(cn.wbuf[:0])
	if err != nil {
		return fmt.Errorf("mqtt client: encoding %s: %w", p.Type(), err)
	}
	return cn.flushLocked(b, p.Type())
}

// writePublishLocked encodes and sends a PUBLISH, replacing its topic by an
// alias when aliases are on and mayAlias allows it. The caller holds the
// write lock.
func (cn *conn) writePublishLocked(p *protocol.Publish, mayAlias bool) error {
	var alias uint16
	useAlias := mayAlias && cn.aliasOut != nil && p.Topic != ""
	if useAlias {
		var known bool
		alias, known = cn.aliasOut.lookup(p.Topic)
		p.Props.TopicAlias = protocol.Some(alias)
		topic := p.Topic
		if known {
			p.Topic = ""
		}
		defer func() { p.Topic, p.Props.TopicAlias = topic, protocol.Opt[uint16]{} }()
	}
	b, err := p.AppendTo(cn.wbuf[:0])
	if err != nil {
		return fmt.Errorf("mqtt client: encoding PUBLISH to %q: %w", p.Topic, err)
	}
	if err := cn.flushLocked(b, protocol.PUBLISH); err != nil {
		return err
	}
	if useAlias {
		cn.aliasOut.commit(alias)
	}
	return nil
}

// maxKeptBuffer is the largest write buffer kept between packets.
const maxKeptBuffer = 64 << 10

// flushLocked writes one encoded packet; the caller holds the write lock.
func (cn *conn) flushLocked(b []byte, t protocol.Type) error {
	if cap(b) <= maxKeptBuffer {
		cn.wbuf = b[:0]
	} else {
		cn.wbuf = nil
	}
	if cn.maxOut > 0 && len(b) > cn.maxOut {
		return fmt.Errorf("mqtt client: %s of %d bytes is larger than the server's Maximum Packet Size of %d bytes: %w",
			t, len(b), cn.maxOut, protocol.ErrPacketTooLarge) // [MQTT-3.1.2-24]
	}
	// The tap sees the packet before it goes out, so that it always shows
	// a packet before the server's answer to it.
	if cn.c.tapping() {
		cn.c.tapRaw(Out, cn.v, b)
	}
	now := time.Now()
	if wt := cn.c.cfg.WriteTimeout; wt > 0 {
		cn.nc.SetWriteDeadline(now.Add(wt))
	}
	if _, err := cn.nc.Write(b); err != nil {
		cn.fail(fmt.Errorf("writing %s: %w", t, err))
		return cn.lostErr()
	}
	cn.lastWrite.Store(now.UnixNano())
	cn.c.stats.packetsOut.Add(1)
	cn.c.stats.bytesOut.Add(uint64(len(b)))
	return nil
}

// next reads and decodes the next packet. Byte slices of the packet are
// its own (not the reader's buffer) for the packets that carry any.
func (cn *conn) next() (protocol.Packet, error) {
	h, raw, err := cn.r.Next()
	if err != nil {
		return nil, err
	}
	cn.c.stats.packetsIn.Add(1)
	cn.c.stats.bytesIn.Add(uint64(len(raw)))
	if cn.c.tapping() {
		cp := append([]byte(nil), raw...)
		p, err := protocol.Decode(h, cp[len(cp)-h.Remaining:], cn.v)
		cn.c.tapOwned(In, cn.v, cp, p, err)
		return p, err
	}
	body := raw[len(raw)-h.Remaining:]
	switch h.Type {
	case protocol.PUBLISH, protocol.CONNACK, protocol.AUTH, protocol.DISCONNECT:
		body = append([]byte(nil), body...) // these carry byte slices the client keeps
	}
	return protocol.Decode(h, body, cn.v)
}

// readLoop reads and handles packets until the connection fails.
func (cn *conn) readLoop() {
	for {
		p, err := cn.next()
		if err != nil {
			var pe *protocol.Error
			if errors.As(err, &pe) {
				cn.protocolError(fmt.Errorf("the server sent a bad packet: %w", err))
			} else {
				cn.fail(err)
			}
			return
		}
		if err := cn.c.handle(cn, p); err != nil {
			cn.protocolError(err)
			return
		}
	}
}

// protocolError ends the connection because the server broke the
// protocol, telling it why in a DISCONNECT (5.0) first.
func (cn *conn) protocolError(err error) {
	if cn.v == protocol.V5 {
		code := protocol.ReasonCodeOf(err)
		if !code.IsError() || !code.AllowedIn(protocol.DISCONNECT) {
			code = protocol.ProtocolError
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		cn.write(ctx, &protocol.Disconnect{Version: cn.v, ReasonCode: code})
		cancel()
	}
	cn.fail(err)
}

// startKeepAlive arms the keepalive timer (§3.1.2.10): a PINGREQ goes out
// when nothing was sent for the keepalive interval.
func (cn *conn) startKeepAlive() {
	cn.tmu.Lock()
	defer cn.tmu.Unlock()
	if cn.ka > 0 && !cn.stopped {
		cn.timer = time.AfterFunc(cn.ka, cn.tick)
	}
}

func (cn *conn) stopKeepAlive() {
	cn.tmu.Lock()
	defer cn.tmu.Unlock()
	cn.stopped = true
	if cn.timer != nil {
		cn.timer.Stop()
	}
}

// tick runs when the keepalive timer fires: it sends PINGREQ after an idle
// interval, ends the connection when a PINGREQ stays unanswered, or
// re-arms the timer for the next possible idle moment.
func (cn *conn) tick() {
	cn.tmu.Lock()
	if cn.stopped {
		cn.tmu.Unlock()
		return
	}
	now := time.Now()
	if !cn.pingSent.IsZero() {
		if wait := cn.pingTimeout - now.Sub(cn.pingSent); wait > 0 {
			cn.timer.Reset(wait)
			cn.tmu.Unlock()
			return
		}
		cn.tmu.Unlock()
		cn.fail(ErrPingTimeout) // §3.1.1.10 (3.1.1), §3.1.2.10 (5.0): the client should close
		return
	}
	idle := now.Sub(time.Unix(0, cn.lastWrite.Load()))
	if idle < cn.ka {
		cn.timer.Reset(cn.ka - idle)
		cn.tmu.Unlock()
		return
	}
	if cn.c.faults.noPings.Load() { // PausePings: look again later
		cn.timer.Reset(cn.ka)
		cn.tmu.Unlock()
		return
	}
	cn.pingSent = now
	cn.timer.Reset(cn.pingTimeout)
	cn.tmu.Unlock()
	cn.write(context.Background(), &protocol.Pingreq{})
}

// pong records a PINGRESP.
func (cn *conn) pong() {
	cn.tmu.Lock()
	cn.pingSent = time.Time{}
	cn.tmu.Unlock()
}
