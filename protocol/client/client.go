package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// Client is an MQTT client session. Its methods are safe for concurrent
// use. A Client connects with Connect, may connect again after Disconnect,
// Drop or a lost connection (keeping its session state), and is released
// with Close.
type Client struct {
	cfg     Config
	version protocol.Version

	tap   atomic.Pointer[func(TapEvent)]
	tapMu sync.Mutex // calls of the tap never overlap

	router router
	inbox  inbox
	stats  stats
	req    requester
	faults faults

	done chan struct{} // closed by Close
	wg   sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	run      *run  // the current run, from Connect to its end
	cn       *conn // the current connection, nil while there is none
	ready    bool  // cn is ready for new messages (re-sends are done)
	readyCh  chan struct{}
	gen      uint64
	clientID string // the session's identifier, once the server assigned one
	connack  *Connack

	// Session state (§4.1): outgoing QoS 1 and 2 messages not completely
	// acknowledged, incoming QoS 2 packet identifiers not yet released.
	out    map[uint16]*outMsg
	seq    uint64
	in2    map[uint16]*in2State
	ops    map[uint16]*op // SUBSCRIBE and UNSUBSCRIBE awaiting their ack
	nextID uint16
	quota  int           // how many QoS 1 and 2 messages may be in flight
	slotCh chan struct{} // closed when a slot frees up; nil if nobody waits
	subs   []*subRecord  // what to subscribe again on a new session
	reauth chan error    // re-authentication awaiting the server's AUTH
}

// run is one span of the client's life from Connect to Disconnect, Drop,
// Close, or the loss of the connection when it is not to be re-made.
type run struct {
	ctx    context.Context // cancelled when the run is asked to stop
	cancel context.CancelFunc
	ended  chan struct{} // closed when the run's goroutine has returned
	cause  error         // why the run ended; read after ended is closed
	why    error         // why it was asked to stop
}

// New returns a client for cfg; it does not connect.
func New(cfg Config) (*Client, error) {
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	c := &Client{
		cfg:      cfg,
		version:  cfg.Connect.Version,
		done:     make(chan struct{}),
		readyCh:  make(chan struct{}),
		clientID: cfg.Connect.ClientID,
		out:      map[uint16]*outMsg{},
		in2:      map[uint16]*in2State{},
		ops:      map[uint16]*op{},
		quota:    cfg.MaxInflight,
	}
	if cfg.Tap != nil {
		c.SetTap(cfg.Tap)
	}
	return c, nil
}

// Version is the protocol version the client speaks.
func (c *Client) Version() protocol.Version { return c.version }

// Connack returns the server's answer on the current or last connection,
// nil before the first.
func (c *Client) Connack() *Connack {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connack
}

// Connected reports whether a connection is up and ready.
func (c *Client) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ready
}

// Connect dials, sends CONNECT and waits for CONNACK. A refused connection
// returns a *ReasonError with the CONNACK's reason code. When the server
// resumes the session, the unacknowledged messages are sent again before
// Connect returns; when it does not, the session state is discarded and the
// client's subscriptions are sent again.
//
// Connect may be called again after the connection ended (Disconnect,
// Drop, or a loss without Config.Reconnect).
func (c *Client) Connect(ctx context.Context) (*Connack, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	if c.run != nil {
		c.mu.Unlock()
		return nil, ErrAlreadyConnected
	}
	r := &run{ended: make(chan struct{})}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	c.run = r
	c.mu.Unlock()

	hctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(r.ctx, cancel)
	cn, err := c.dial(hctx)
	stop()
	cancel()
	if err == nil {
		err = c.install(r, cn)
	}
	if err != nil {
		c.endRun(r, err)
		return nil, err
	}
	c.wg.Add(1)
	go c.loop(r, cn)
	c.resume(cn)
	return cn.ack, nil
}

// dial opens a connection and makes the CONNECT exchange.
func (c *Client) dial(ctx context.Context) (*conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.ConnectTimeout)
	defer cancel()
	nc, err := c.cfg.Dial(ctx)
	if err != nil {
		return nil, fmt.Errorf("mqtt client: dial: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		nc.SetDeadline(dl)
	}
	// Cancelling ctx interrupts the exchange by moving the deadline.
	unwatch := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	cn := c.newConn(nc)
	err = c.handshake(ctx, cn)
	if !unwatch() && err == nil {
		err = ctx.Err()
	}
	if err != nil {
		cn.fail(err)
		cn.r.Release()
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
		return nil, err
	}
	nc.SetDeadline(time.Time{})
	return cn, nil
}

// handshake sends CONNECT and reads up to CONNACK, answering AUTH packets
// on the way (§4.12).
func (c *Client) handshake(ctx context.Context, cn *conn) error {
	connect := c.cfg.Connect
	c.mu.Lock()
	connect.ClientID = c.clientID
	c.mu.Unlock()
	if err := cn.write(ctx, &connect); err != nil {
		return fmt.Errorf("mqtt client: sending CONNECT: %w", err)
	}
	for {
		p, err := cn.next()
		if err != nil {
			return fmt.Errorf("mqtt client: waiting for CONNACK: %w", err)
		}
		switch p := p.(type) {
		case *protocol.Connack:
			if p.ReasonCode.IsError() {
				return &ReasonError{Packet: protocol.CONNACK, Code: p.ReasonCode,
					Reason: p.Props.ReasonString.Value, Props: p.Props}
			}
			cn.ack = newConnack(p, &connect)
			return nil
		case *protocol.Auth:
			if err := c.answerAuth(ctx, cn, p); err != nil {
				return err
			}
		case *protocol.Disconnect:
			return &ReasonError{Packet: protocol.DISCONNECT, Code: p.ReasonCode,
				Reason: p.Props.ReasonString.Value, Props: p.Props}
		default:
			return fmt.Errorf("mqtt client: expected CONNACK, got %s: %w", p.Type(),
				&protocol.Error{Code: protocol.ProtocolError, Msg: "packet before CONNACK"})
		}
	}
}

// install makes cn the client's connection and applies the CONNACK to the
// session state: discarded when the server has no session for us (§4.1),
// kept for re-sending when it has.
func (c *Client) install(r *run, cn *conn) error {
	ack := cn.ack
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.ctx.Err() != nil {
		cn.fail(r.why)
		return r.why
	}
	c.gen++
	cn.gen = c.gen
	c.cn = cn
	c.connack = ack
	c.clientID = ack.ClientID
	present := ack.SessionPresent
	if c.version == protocol.V31 {
		present = !c.cfg.Connect.CleanStart // 3.1 has no Session Present flag
	}
	if !present {
		for id, e := range c.out {
			if e.everSent {
				c.completeLocked(id, e, ErrSessionLost)
			} else {
				e.sentOn = nil
			}
		}
		clear(c.in2)
	}
	c.quota = min(int(ack.ReceiveMaximum), c.cfg.MaxInflight)
	c.wakeSlotsLocked()

	if ack.MaximumPacketSize > 0 {
		cn.maxOut = int(ack.MaximumPacketSize)
	}
	if c.cfg.TopicAliases && ack.TopicAliasMaximum > 0 {
		cn.aliasOut = newAliasLRU(ack.TopicAliasMaximum)
	}
	if n, ok := c.cfg.Connect.Props.TopicAliasMaximum.Get(); ok && c.version == protocol.V5 {
		cn.aliasIn = make([]string, int(n)+1)
	}
	cn.ka = ack.KeepAlive
	cn.pingTimeout = c.cfg.pingTimeout(cn.ka)
	cn.startKeepAlive()
	return nil
}

// loop is the goroutine of a run: it reads the connection, and when the
// connection is lost, reconnects if configured to.
func (c *Client) loop(r *run, cn *conn) {
	defer c.wg.Done()
	for {
		cn.readLoop()
		c.down(cn)
		if r.ctx.Err() != nil || c.cfg.Reconnect == nil {
			c.endRun(r, &ConnectionLostError{Cause: cn.cause})
			return
		}
		var err error
		if cn, err = c.reconnect(r, cn.cause); err != nil {
			c.endRun(r, err)
			return
		}
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.resume(cn)
		}()
	}
}

// resume re-sends the session's messages on a new connection (oldest
// first, with DUP when sent before), re-subscribes when the session is
// new, and then opens the connection to new messages.
func (c *Client) resume(cn *conn) {
	if !cn.ack.SessionPresent {
		c.resubscribe(cn)
	}
	for {
		c.mu.Lock()
		if c.cn != cn {
			c.mu.Unlock()
			return
		}
		pending := c.unsentLocked(cn)
		if len(pending) == 0 {
			c.ready = true
			close(c.readyCh)
			c.mu.Unlock()
			c.emit(Event{Kind: EventUp, Connack: cn.ack})
			return
		}
		c.mu.Unlock()
		for _, e := range pending {
			if err := c.resend(cn, e); err != nil {
				return
			}
		}
	}
}

// down forgets a failed connection: operations waiting for its
// acknowledgements fail, and new operations wait for the next one.
func (c *Client) down(cn *conn) {
	lost := cn.lostErr()
	c.mu.Lock()
	if c.cn == cn {
		c.cn = nil
		if c.ready {
			c.ready = false
			c.readyCh = make(chan struct{})
		}
	}
	for id, o := range c.ops {
		o.err = lost
		close(o.done)
		delete(c.ops, id)
	}
	if c.reauth != nil {
		c.reauth <- lost
		c.reauth = nil
	}
	c.mu.Unlock()
	cn.r.Release()
	c.emit(Event{Kind: EventDown, Err: cn.cause})
}

// endRun records that r is over.
func (c *Client) endRun(r *run, cause error) {
	c.mu.Lock()
	if r.why != nil {
		cause = r.why
	}
	r.cause = cause
	if c.run == r {
		c.run = nil
	}
	c.mu.Unlock()
	r.cancel()
	close(r.ended)
}

// stopRun asks the current run to end and returns it and its connection.
func (c *Client) stopRun(why error) (*run, *conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.run
	if r == nil {
		return nil, nil
	}
	if r.why == nil {
		r.why = why
	}
	r.cancel()
	return r, c.cn
}

// Disconnect sends DISCONNECT and closes the connection; the server then
// discards the will, unless d carries reason code 0x04 (Disconnect with
// Will Message). d may be nil (normal disconnection); in 5.0 it may carry a
// Session Expiry Interval, a Reason String and user properties. The session
// state stays with the Client for a later Connect.
func (c *Client) Disconnect(ctx context.Context, d *protocol.Disconnect) error {
	if d != nil && d.Props.SessionExpiry.Value > 0 && c.cfg.Connect.Props.SessionExpiry.Value == 0 {
		return errors.New("mqtt client: a session that expires with the connection cannot be extended at DISCONNECT [MQTT-3.14.2-2]")
	}
	r, cn := c.stopRun(ErrDisconnected)
	if r == nil {
		return ErrNotConnected
	}
	var err error
	if cn != nil {
		p := protocol.Disconnect{}
		if d != nil {
			p = *d
		}
		p.Version = c.version
		err = cn.write(ctx, &p)
		cn.end(ErrDisconnected, true)
	}
	select {
	case <-r.ended:
	case <-ctx.Done():
		return ctx.Err()
	}
	return err
}

// Drop ends the connection abruptly, sending nothing: to the server it
// looks like a network failure, so it publishes the will. The session state
// stays with the Client for a later Connect.
func (c *Client) Drop() error {
	r, cn := c.stopRun(ErrDisconnected)
	if r == nil {
		return ErrNotConnected
	}
	if cn != nil {
		cn.fail(ErrDisconnected)
	}
	<-r.ended
	return nil
}

// Close disconnects normally if connected (waiting at most 5 s), stops
// every goroutine of the client and fails the operations still waiting
// with ErrClosed. It waits for a running handler to return, so it must not
// be called from a Handler, a tap or an event callback. Calling it again
// does nothing.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.done)
	c.mu.Unlock()

	var err error
	if r, cn := c.stopRun(ErrClosed); r != nil {
		if cn != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err = cn.write(ctx, &protocol.Disconnect{Version: c.version})
			cn.end(ErrClosed, true)
			cancel()
		}
		<-r.ended
	}
	c.mu.Lock()
	for id, e := range c.out {
		c.completeLocked(id, e, ErrClosed)
	}
	clear(c.in2)
	c.mu.Unlock()
	c.inbox.close()
	c.wg.Wait()
	if errors.Is(err, ErrClosed) {
		err = nil
	}
	return err
}

// readyConn returns the connection ready for new messages, waiting while
// a connection is being made.
func (c *Client) readyConn(ctx context.Context) (*conn, *run, error) {
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, nil, ErrClosed
		}
		r := c.run
		if c.ready {
			cn := c.cn
			c.mu.Unlock()
			return cn, r, nil
		}
		if r == nil {
			c.mu.Unlock()
			return nil, nil, ErrNotConnected
		}
		ch := c.readyCh
		c.mu.Unlock()
		select {
		case <-ch:
		case <-r.ended:
			return nil, nil, r.cause
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

// current returns the current connection (ready or not), or nil.
func (c *Client) current() *conn {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cn
}

// Stats are counters of a client's traffic, for dashboards and tests.
type Stats struct {
	PacketsIn, PacketsOut uint64
	BytesIn, BytesOut     uint64
	// Dropped counts QoS 0 messages dropped because the incoming queue
	// was full; Unrouted messages no handler claimed (and no default
	// handler was set).
	Dropped, Unrouted uint64
	// Inflight is the number of QoS 1 and 2 messages sent and not yet
	// completely acknowledged; Queued the messages waiting for handlers.
	Inflight, Queued int
}

type stats struct {
	packetsIn, packetsOut, bytesIn, bytesOut, dropped, unrouted atomic.Uint64
}

// Stats returns the client's counters.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	inflight := len(c.out)
	c.mu.Unlock()
	return Stats{
		PacketsIn: c.stats.packetsIn.Load(), PacketsOut: c.stats.packetsOut.Load(),
		BytesIn: c.stats.bytesIn.Load(), BytesOut: c.stats.bytesOut.Load(),
		Dropped: c.stats.dropped.Load(), Unrouted: c.stats.unrouted.Load(),
		Inflight: inflight, Queued: c.inbox.len(),
	}
}

// String formats the counters for a log line.
func (s Stats) String() string {
	return fmt.Sprintf("in %d packets/%d B, out %d packets/%d B, in flight %d, queued %d, dropped %d, unrouted %d",
		s.PacketsIn, s.BytesIn, s.PacketsOut, s.BytesOut, s.Inflight, s.Queued, s.Dropped, s.Unrouted)
}
