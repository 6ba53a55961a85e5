package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// The visualizer's experiment clients: subscribers and a publisher the
// page makes itself, to show on the diagram what the broker does with
// subscribers that come and go, are slow, or keep a session. They are real
// MQTT clients over this server's /mqtt, and they tap into store.Log under
// their names, so the inspector shows their packets.

const (
	// vizSessionExpiry is the session expiry of a persistent experiment
	// subscriber: long enough to watch a queue, short enough that a tab
	// closed without cleaning up leaves nothing behind for long.
	vizSessionExpiry = 300 // seconds
	// vizReceiveMax is the Receive Maximum experiment subscribers
	// announce: a slow one fills its window after this many QoS 1 and 2
	// messages, and the broker queues the rest.
	vizReceiveMax = 4
	// vizSlowDelay is how long a slow subscriber takes per message.
	vizSlowDelay = 800 * time.Millisecond
	vizOpTimeout = 10 * time.Second
)

// vizSubState is where an experiment subscriber is in its life.
type vizSubState uint8

const (
	vizSubConnecting vizSubState = iota
	vizSubOnline
	vizSubOffline
	vizSubFailed
)

var vizSubStateNames = [...]string{"connecting", "online", "offline", "failed"}

func (s vizSubState) String() string { return vizSubStateNames[s] }

// vizSubscriber is one subscriber the page made.
type vizSubscriber struct {
	ID         string
	Filter     string
	QoS        protocol.QoS
	Persistent bool

	c        *client.Client
	slow     atomic.Bool
	received atomic.Int64

	mu    sync.Mutex
	state vizSubState
	err   error
}

// State returns the subscriber's state and its last error.
func (s *vizSubscriber) State() (vizSubState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state, s.err
}

func (s *vizSubscriber) set(st vizSubState, err error) {
	s.mu.Lock()
	s.state, s.err = st, err
	s.mu.Unlock()
}

// Slow reports whether the subscriber handles messages slowly.
func (s *vizSubscriber) Slow() bool { return s.slow.Load() }

// Received counts the messages the subscriber's handler got.
func (s *vizSubscriber) Received() int64 { return s.received.Load() }

func (s *vizSubscriber) handle(m *client.Message) {
	s.received.Add(1)
	if s.slow.Load() {
		time.Sleep(vizSlowDelay) // a QoS 1 or 2 message is acknowledged after this
	}
}

// vizExperiments holds the page's experiment clients. Every operation
// runs in the background and calls changed when it is done, which the
// page turns into a redraw.
type vizExperiments struct {
	url  string
	feed *vizFeed

	mu      sync.Mutex
	changed func()
	subs    []*vizSubscriber
	pub     *vizPublisher
	closed  bool
}

func newVizExperiments(brokerURL string, feed *vizFeed) *vizExperiments {
	return &vizExperiments{url: brokerURL, feed: feed}
}

// onChange makes fn the function called when a client changes (nil: none).
func (x *vizExperiments) onChange(fn func()) {
	x.mu.Lock()
	x.changed = fn
	x.mu.Unlock()
}

// notify calls the change function, if any.
func (x *vizExperiments) notify() {
	x.mu.Lock()
	fn := x.changed
	x.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// Subscribers returns the subscribers, oldest first.
func (x *vizExperiments) Subscribers() []*vizSubscriber {
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]*vizSubscriber(nil), x.subs...)
}

// find returns the subscriber named id.
func (x *vizExperiments) find(id string) *vizSubscriber {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, s := range x.subs {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// AddSubscriber makes a subscriber to filter at qos, with a session that
// outlives its connection when persistent, and connects it.
func (x *vizExperiments) AddSubscriber(filter string, qos protocol.QoS, persistent bool) error {
	if err := protocol.ValidFilter(filter); err != nil {
		return err
	}
	dial, err := client.Dialer(x.url, nil)
	if err != nil {
		return err
	}
	s := &vizSubscriber{ID: vizClientID("sub"), Filter: filter, QoS: qos, Persistent: persistent}
	cp := protocol.Connect{ClientID: s.ID, CleanStart: !persistent, KeepAlive: 30}
	cp.Props.ReceiveMaximum = protocol.Some(uint16(vizReceiveMax))
	if persistent {
		cp.Props.SessionExpiry = protocol.Some(uint32(vizSessionExpiry))
	}
	s.c, err = client.New(client.Config{Dial: dial, Connect: cp, QueueSize: 64, Tap: store.Log.Tap(s.ID),
		OnEvent: func(e client.Event) {
			// A connection lost on its own (the server went away) shows
			// as offline, ready to be brought back.
			if e.Kind == client.EventDown && !errors.Is(e.Err, client.ErrDisconnected) {
				s.set(vizSubOffline, nil)
				x.notify()
			}
		}})
	if err != nil {
		return err
	}
	x.mu.Lock()
	if x.closed {
		x.mu.Unlock()
		s.c.Close()
		return errors.New("the page is closing")
	}
	x.subs = append(x.subs, s)
	x.mu.Unlock()
	x.feed.Pin(s.ID, true)
	go x.run(s, func(ctx context.Context) error {
		if _, err := s.c.Connect(ctx); err != nil {
			return err
		}
		return s.c.SubscribeTopic(ctx, filter, qos, s.handle)
	})
	return nil
}

// run does op for s in the background, with its state before and after.
func (x *vizExperiments) run(s *vizSubscriber, op func(ctx context.Context) error) {
	s.set(vizSubConnecting, nil)
	x.notify()
	ctx, cancel := context.WithTimeout(context.Background(), vizOpTimeout)
	defer cancel()
	err := op(ctx)
	switch {
	case err != nil:
		s.set(vizSubFailed, err)
	case s.c.Connected():
		s.set(vizSubOnline, nil)
	default:
		s.set(vizSubOffline, nil)
	}
	x.notify()
}

// Offline takes subscriber id offline: with DISCONNECT (clean), or by
// dropping the connection as a network failure would (abrupt).
func (x *vizExperiments) Offline(id string, abrupt bool) {
	s := x.find(id)
	if s == nil {
		return
	}
	go x.run(s, func(ctx context.Context) error {
		if abrupt {
			return s.c.Drop()
		}
		return s.c.Disconnect(ctx, nil)
	})
}

// Online brings subscriber id back. A persistent session resumes, with
// what the broker queued meanwhile; a clean one subscribes again.
func (x *vizExperiments) Online(id string) {
	s := x.find(id)
	if s == nil {
		return
	}
	go x.run(s, func(ctx context.Context) error {
		_, err := s.c.Connect(ctx)
		return err
	})
}

// SetSlow makes subscriber id handle (and so acknowledge) each message
// slowly, or at once again.
func (x *vizExperiments) SetSlow(id string, slow bool) {
	if s := x.find(id); s != nil {
		s.slow.Store(slow)
		x.notify()
	}
}

// Remove ends subscriber id and its session on the broker.
func (x *vizExperiments) Remove(id string) {
	x.mu.Lock()
	var s *vizSubscriber
	for i, c := range x.subs {
		if c.ID == id {
			s = c
			x.subs = append(x.subs[:i], x.subs[i+1:]...)
			break
		}
	}
	x.mu.Unlock()
	if s == nil {
		return
	}
	x.feed.Pin(id, false)
	x.notify()
	go x.end(s)
}

// end closes s and, for a persistent session, asks the broker to discard
// the session too (session expiry 0 on DISCONNECT, or a clean start when
// it is offline).
func (x *vizExperiments) end(s *vizSubscriber) {
	s.slow.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), vizOpTimeout)
	defer cancel()
	if s.Persistent && s.c.Connected() {
		d := &protocol.Disconnect{}
		d.Props.SessionExpiry = protocol.Some(uint32(0))
		s.c.Disconnect(ctx, d)
	}
	s.c.Close()
	if s.Persistent {
		x.discardSession(ctx, s.ID)
	}
}

// discardSession connects as id with a clean start and leaves at once,
// which ends whatever session the broker still holds for id.
func (x *vizExperiments) discardSession(ctx context.Context, id string) {
	dial, err := client.Dialer(x.url, nil)
	if err != nil {
		return
	}
	c, err := client.New(client.Config{Dial: dial, Connect: protocol.Connect{ClientID: id, CleanStart: true}})
	if err != nil {
		return
	}
	defer c.Close()
	if _, err := c.Connect(ctx); err == nil {
		c.Disconnect(ctx, nil)
	}
}

// Close ends every experiment client; the page calls it when it goes.
func (x *vizExperiments) Close() {
	x.mu.Lock()
	subs, pub := x.subs, x.pub
	x.subs, x.pub, x.closed = nil, nil, true
	x.mu.Unlock()
	for _, s := range subs {
		go x.end(s)
	}
	if pub != nil {
		go pub.close()
	}
}

// vizQoS parses a QoS from a form value.
func vizQoS(s string) (protocol.QoS, error) {
	switch s {
	case "0", "1", "2":
		return protocol.QoS(s[0] - '0'), nil
	}
	return 0, fmt.Errorf("QoS %q: want 0, 1 or 2", s)
}
