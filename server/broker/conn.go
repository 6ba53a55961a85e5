package broker

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// conn is one network connection. Its read loop (Serve) decodes and handles
// the client's packets in order; its output goes through the buffer and
// flusher of writer.go.
type conn struct {
	b       *Broker
	nc      net.Conn
	r       *protocol.Reader
	remote  string
	version protocol.Version
	info    ConnInfo
	perms   Permissions // nil allows everything
	sess    *session

	keepAlive   time.Duration // effective keep alive, 0 for none
	lastRecv    atomic.Int64  // unix nanoseconds of the last complete packet
	kaTimer     atomic.Pointer[time.Timer]
	kaExpired   atomic.Bool
	problemInfo bool // 5.0 Request Problem Information (default 1)
	cleanStart  bool
	expiry0     bool // the CONNECT had Session Expiry Interval 0

	// Read-loop scratch, reused for every packet.
	pub     *protocol.Publish // taken at the first PUBLISH: many clients only subscribe
	aliasIn map[uint16]string
	router  *router
	limiter limiter

	wmu      sync.Mutex
	flushed  *sync.Cond
	out      []byte
	flushing bool
	wclosed  bool

	takenOver bool  // set under sess.mu by the connection that took over
	link      *Link // set for an in-memory connection, whose nc and r are nil
}

var errConnClosed = errors.New("connection closed")

// endReason says why a connection ended, for the will, the DISCONNECT the
// broker sends, and telemetry.
type endReason struct {
	err      error               // what ended the read loop
	code     protocol.ReasonCode // the reason code of the DISCONNECT sent or received
	send     bool                // the broker sends a DISCONNECT with code (5.0)
	will     bool                // the will is published
	byClient bool                // the client sent DISCONNECT
	text     string              // human-readable, for telemetry and reason strings
}

// Serve serves one client connection until it ends. It returns when the
// connection is closed; callers usually run it in a goroutine. Serve
// knows nothing of the transport: TCP, a WebSocket through
// websocket.NetConn and an in-memory pipe are all the same to it.
func (b *Broker) Serve(nc net.Conn) {
	if c := b.newConn(nc); c != nil {
		c.serve()
	}
}

// newConn registers nc and makes its conn, or closes nc and returns nil
// when the broker is shutting down.
func (b *Broker) newConn(nc net.Conn) *conn {
	if !b.track(nc) {
		nc.Close()
		return nil
	}
	c := &conn{b: b, nc: nc, r: protocol.NewReader(nc), problemInfo: true}
	c.r.MaxPacketSize = b.opts.MaxPacketSize
	if a := nc.RemoteAddr(); a != nil {
		c.remote = a.String()
	}
	return c
}

// serve runs the connection. Listen starts it as the goroutine itself, so
// no other frame sits under it while the connection idles: an idle
// connection's stack is its only large cost, and the runtime halves a
// stack that uses less than a quarter of it.
func (c *conn) serve() {
	defer c.b.untrack(c.nc)
	if !c.handshake() {
		return
	}
	c.r.Version = c.version
	c.end(c.loop())
}

// handshake reads and handles CONNECT. It is a function of its own so that
// its frame, with the decoded CONNECT, is gone from the stack while the
// connection idles in loop: idle connections keep small stacks.
func (c *conn) handshake() bool {
	b := c.b
	c.nc.SetReadDeadline(time.Now().Add(b.opts.ConnectTimeout))
	h, raw, err := c.r.Next()
	if err != nil || h.Type != protocol.CONNECT {
		// [MQTT-3.1.0-1] the first packet must be CONNECT.
		b.stats.refused.Add(1)
		c.close()
		return false
	}
	return c.acceptConnect(h, raw)
}

// acceptConnect decodes and handles the CONNECT packet raw.
func (c *conn) acceptConnect(h protocol.FixedHeader, raw []byte) bool {
	c.b.stats.bytesReceived.Add(uint64(len(raw)))
	var cp protocol.Connect
	if err := protocol.DecodeInto(&cp, h, raw[len(raw)-h.Remaining:], 0); err != nil {
		c.refuse(&cp, err)
		return false
	}
	return c.connect(&cp)
}

// refuse answers a CONNECT that could not be decoded, then closes. A 5.0
// client gets a CONNACK with the reason code (§3.2.2.2). A 3.x client gets
// one only for the two refusals 3.1.1 has return codes for, an unknown
// protocol level (1) and a bad client identifier (2); any other malformed
// CONNECT just closes the connection [MQTT-3.1.4-1] (3.1.1).
func (c *conn) refuse(cp *protocol.Connect, err error) {
	c.b.stats.refused.Add(1)
	code := protocol.ReasonCodeOf(err)
	answer := cp.Version == protocol.V5 ||
		code == protocol.UnsupportedProtocolVersion ||
		(cp.Version.Valid() && code == protocol.ClientIdentifierNotValid)
	if answer {
		v := cp.Version
		if !v.Valid() {
			v = protocol.V311 // the only way to say "unacceptable protocol version" to an unknown client
		}
		c.version = v
		ack := &protocol.Connack{Version: v, ReasonCode: code}
		if v == protocol.V5 {
			ack.Props.ReasonString = protocol.Some(err.Error())
		}
		c.sendControl(ack)
		c.drainAndCloseWrite(time.Second)
	}
	c.close()
	c.b.tel.refused(c, code, err)
}

// loop reads and handles packets until the connection ends.
func (c *conn) loop() endReason {
	for {
		h, raw, err := c.next()
		if err != nil {
			return c.readError(err)
		}
		c.b.stats.bytesReceived.Add(uint64(len(raw)))
		if r, done := c.handle(h, raw[len(raw)-h.Remaining:]); done {
			return r
		}
	}
}

// next reads a packet and notes when it came, for the keep alive.
func (c *conn) next() (protocol.FixedHeader, []byte, error) {
	h, raw, err := c.r.Next()
	if err == nil {
		c.lastRecv.Store(c.b.now())
		c.limiter.wait(c, h.Type)
	}
	return h, raw, err
}

// armKeepAlive starts the keep alive check. It is a timer, not a read
// deadline: it fires once per 1.5 keep alives rather than being reset by
// every packet, and a WebSocket connection cannot survive a read deadline
// expiring, while a timer that finds a recent packet simply re-arms.
func (c *conn) armKeepAlive() {
	if c.keepAlive <= 0 {
		return
	}
	limit := c.keepAlive * 3 / 2 // [MQTT-3.1.2-24] (3.1.1) [MQTT-3.1.2-22] (5.0)
	t := time.AfterFunc(limit, func() {
		idle := time.Duration(c.b.now() - c.lastRecv.Load())
		if idle < limit {
			if t := c.kaTimer.Load(); t != nil {
				t.Reset(limit - idle)
			}
			return
		}
		c.kaExpired.Store(true)
		if c.version == protocol.V5 {
			c.sendControl(&protocol.Disconnect{Version: c.version, ReasonCode: protocol.KeepAliveTimeout,
				Props: protocol.Properties{ReasonString: protocol.Some("no packet within 1.5 times the keep alive")}})
			c.drainAndCloseWrite(time.Second)
		}
		c.abort(endReason{err: errKeepAlive, code: protocol.KeepAliveTimeout, will: true,
			text: "no packet within 1.5 times the keep alive"})
	})
	c.kaTimer.Store(t)
}

var errKeepAlive = errors.New("keep alive timeout")

// readError turns a read error into the reason the connection ends.
func (c *conn) readError(err error) endReason {
	switch {
	case c.kaExpired.Load():
		return endReason{err: errKeepAlive, code: protocol.KeepAliveTimeout, will: true,
			text: "no packet within 1.5 times the keep alive"}
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed), errors.Is(err, io.ErrUnexpectedEOF):
		return endReason{err: err, code: protocol.UnspecifiedError, will: true, text: "connection lost"}
	}
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return c.protocolError(err)
	}
	return endReason{err: err, code: protocol.UnspecifiedError, will: true, text: "connection error: " + err.Error()}
}

// protocolError ends the connection for a broken rule: a DISCONNECT with
// the rule's reason code (5.0), then close; the will is published.
func (c *conn) protocolError(err error) endReason {
	c.b.stats.protocolErrors.Add(1)
	return endReason{err: err, code: protocol.ReasonCodeOf(err), send: true, will: true, text: err.Error()}
}

// handle dispatches one packet; done says the connection ends.
func (c *conn) handle(h protocol.FixedHeader, body []byte) (endReason, bool) {
	var err error
	switch h.Type {
	case protocol.PUBLISH:
		err = c.handlePublish(h, body)
	case protocol.PUBACK, protocol.PUBREC, protocol.PUBREL, protocol.PUBCOMP:
		err = c.handleAck(h, body)
	case protocol.SUBSCRIBE:
		err = c.handleSubscribe(h, body)
	case protocol.UNSUBSCRIBE:
		err = c.handleUnsubscribe(h, body)
	case protocol.PINGREQ:
		if err = protocol.DecodeInto(&protocol.Pingreq{}, h, body, c.version); err == nil {
			err = c.sendControl(&protocol.Pingresp{})
		}
	case protocol.DISCONNECT:
		return c.handleDisconnect(h, body)
	case protocol.AUTH:
		var a protocol.Auth
		if err = protocol.DecodeInto(&a, h, body, c.version); err == nil {
			// AUTH needs an authentication method agreed at CONNECT, and
			// a CONNECT with one was refused with 0x8C (§4.12, §3.15).
			err = &protocol.Error{Code: protocol.ProtocolError, Msg: "AUTH without an authentication method agreed at CONNECT"}
		}
	case protocol.CONNECT:
		err = protocol.ErrSecondConnect // [MQTT-3.1.0-2]
	default:
		err = withRule(protocol.ErrReservedType, "a client must not send "+h.Type.String())
	}
	if err != nil {
		if errors.Is(err, errConnClosed) {
			return endReason{err: err, code: protocol.UnspecifiedError, will: true, text: "connection lost"}, true
		}
		return c.protocolError(err), true
	}
	return endReason{}, false
}

// withRule wraps a codec error with what the broker saw.
func withRule(base *protocol.Error, detail string) error {
	return &protocol.Error{Code: base.Code, Rule: base.Rule, Msg: detail}
}

func (c *conn) handleDisconnect(h protocol.FixedHeader, body []byte) (endReason, bool) {
	var d protocol.Disconnect
	if err := protocol.DecodeInto(&d, h, body, c.version); err != nil {
		return c.protocolError(err), true
	}
	if exp, ok := d.Props.SessionExpiry.Get(); ok {
		if c.expiry0 && exp != 0 {
			// §3.14.2.2.2: a session expiry of 0 at CONNECT cannot be
			// changed at DISCONNECT.
			return c.protocolError(&protocol.Error{Code: protocol.ProtocolError, Rule: "3.14.2.2.2",
				Msg: "session expiry interval set at DISCONNECT after 0 at CONNECT"}), true
		}
		s := c.sess
		s.mu.Lock()
		s.expiry = exp
		s.mu.Unlock()
	}
	r := endReason{code: d.ReasonCode, byClient: true, text: "client sent DISCONNECT"}
	if d.ReasonCode == protocol.DisconnectWithWill {
		r.will = true // [MQTT-3.14.4-3] only 0x04 keeps the will
		r.text = "client sent DISCONNECT with will (0x04)"
	}
	return r, true
}

// end closes the connection and detaches it from its session.
func (c *conn) end(r endReason) {
	if t := c.kaTimer.Load(); t != nil {
		t.Stop()
	}
	if r.send && c.version == protocol.V5 {
		d := &protocol.Disconnect{Version: c.version, ReasonCode: r.code}
		if !d.ReasonCode.AllowedIn(protocol.DISCONNECT) {
			d.ReasonCode = protocol.UnspecifiedError
		}
		if r.text != "" {
			d.Props.ReasonString = protocol.Some(r.text) // allowed on DISCONNECT whatever Request Problem Information says
		}
		c.sendControl(d)
		c.drainAndCloseWrite(time.Second)
	} else {
		c.drainAndCloseWrite(100 * time.Millisecond)
	}
	// Detach before closing: once the client sees the connection close,
	// the session no longer routes to it.
	c.sess.detach(c, r)
	c.close()
}

// close closes the transport: the network connection, or the in-memory
// link's endpoint.
func (c *conn) close() {
	if c.link != nil {
		c.link.closeEndpoint()
		return
	}
	c.nc.Close()
	c.r.Release()
}

// abort ends the connection from outside its read loop (keep alive, take
// over, shutdown, a failed write): a network connection is closed and its
// read loop ends it; an in-memory link, which has no read loop, is ended
// here.
func (c *conn) abort(r endReason) {
	if c.link != nil {
		c.link.end(r)
		return
	}
	c.nc.Close()
}
