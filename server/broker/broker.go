// Package broker is mqttlab's MQTT broker: MQTT 3.1, 3.1.1 and 5.0 over
// any net.Conn, with sessions, QoS 0/1/2, retained messages, wills, shared
// subscriptions, topic aliases, $SYS statistics and the lab telemetry the
// web pages draw. See README.md beside this file for its design.
package broker

import (
	"context"
	"errors"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// Broker routes messages between the clients it serves.
type Broker struct {
	opts     Options
	tree     topicTree
	retained retainedStore
	stats    counters
	tel      *telemetry
	internal internalRouter
	sys      sysState // used by the background goroutine only
	started  time.Time

	mu       sync.Mutex
	sessions map[string]*session
	seq      uint64
	conns    map[net.Conn]struct{}

	authSlots chan struct{} // bounds concurrent Authenticate calls
	connected atomic.Int64  // clients with a live connection
	closing   atomic.Bool
	clock     atomic.Int64 // coarse unix nanoseconds, see now
	wg        sync.WaitGroup
	stop      chan struct{}
	stopped   chan struct{}
}

// New returns a broker ready to Serve connections.
func New(o Options) (*Broker, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	b := &Broker{
		opts:      o,
		sessions:  make(map[string]*session),
		conns:     make(map[net.Conn]struct{}),
		started:   time.Now(),
		stop:      make(chan struct{}),
		stopped:   make(chan struct{}),
		authSlots: make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
	b.clock.Store(time.Now().UnixNano())
	b.tel = newTelemetry(b)
	go b.background()
	return b, nil
}

// now returns a clock good to a few milliseconds without a system call per
// packet.
func (b *Broker) now() int64 { return b.clock.Load() }

// background keeps the coarse clock, publishes $SYS statistics and sweeps
// expired retained messages.
func (b *Broker) background() {
	defer close(b.stopped)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var nextSys, nextSweep time.Time
	for {
		select {
		case <-b.stop:
			return
		case now := <-tick.C:
			b.clock.Store(now.UnixNano())
			if b.opts.SysInterval > 0 && !now.Before(nextSys) {
				nextSys = now.Add(b.opts.SysInterval)
				b.publishSys(now)
			}
			if !now.Before(nextSweep) {
				nextSweep = now.Add(time.Second)
				for _, t := range b.retained.sweep(now.UnixNano()) {
					b.tel.retainedChanged(t, "expired", nil)
				}
				b.tel.tick(now)
			}
		}
	}
}

// track registers a connection; it refuses new ones while shutting down.
func (b *Broker) track(nc net.Conn) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing.Load() {
		return false
	}
	b.conns[nc] = struct{}{}
	b.wg.Add(1)
	return true
}

func (b *Broker) untrack(nc net.Conn) {
	b.mu.Lock()
	delete(b.conns, nc)
	b.mu.Unlock()
	b.wg.Done()
}

// Listen accepts connections from l and serves each in its own goroutine
// until l fails or the broker shuts down.
func (b *Broker) Listen(l net.Listener) error {
	go func() {
		<-b.stop
		l.Close()
	}()
	for {
		nc, err := l.Accept()
		if err != nil {
			if b.closing.Load() {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		if c := b.newConn(nc); c != nil {
			go c.serve()
		}
	}
}

// Shutdown stops the broker: new connections are refused, 5.0 clients get
// DISCONNECT 0x8B (Server shutting down), every connection is closed, and
// Shutdown waits for their goroutines until ctx is done.
func (b *Broker) Shutdown(ctx context.Context) error {
	if b.closing.Swap(true) {
		return errors.New("broker already shut down")
	}
	close(b.stop)
	b.mu.Lock()
	var conns []*conn
	for _, s := range b.sessions {
		s.mu.Lock()
		if s.conn != nil {
			conns = append(conns, s.conn)
		}
		if s.willTimer != nil {
			s.willTimer.Stop()
		}
		if s.endTimer != nil {
			s.endTimer.Stop()
		}
		s.mu.Unlock()
	}
	connected := make(map[net.Conn]bool, len(conns))
	for _, c := range conns {
		connected[c.nc] = true
	}
	// Connections still waiting for CONNECT. Connected ones are not woken
	// by a read deadline: a WebSocket connection does not survive one, and
	// its DISCONNECT 0x8B must reach the client first.
	pending := make([]net.Conn, 0, len(b.conns))
	for nc := range b.conns {
		if !connected[nc] {
			pending = append(pending, nc)
		}
	}
	b.mu.Unlock()
	for _, c := range conns {
		c.shutdown()
	}
	for _, nc := range pending {
		nc.SetReadDeadline(time.Now()) // wake read loops still waiting for CONNECT
	}
	done := make(chan struct{})
	go func() {
		b.wg.Wait()
		<-b.stopped
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, nc := range pending {
			nc.Close()
		}
		return ctx.Err()
	}
}

var disconnectShuttingDown = protocol.Disconnect{Version: protocol.V5, ReasonCode: protocol.ServerShuttingDown}

// shutdown tells a 5.0 client the server is going away, then closes.
func (c *conn) shutdown() {
	if c.version == 5 {
		c.sendControl(&disconnectShuttingDown)
	}
	go func() {
		c.drainAndCloseWrite(time.Second)
		c.abort(endReason{err: errConnClosed, code: protocol.ServerShuttingDown, text: "server shutting down"})
	}()
}
