// Package flow is the model behind the decoupling diagram: it turns the
// broker's routing telemetry ($SYS/lab/route, clients, subscriptions,
// sessions, retained) into publishers, a broker and subscribers, and
// messages travelling between them as dots.
//
// It is pure: the caller says what time it is. Apply takes an event at a
// model time, Scene says where everything is at a later one — which dots
// are where, how many messages each subscriber received, what each queue
// holds, which retained topics sit in the broker, which drops to explain.
// Model time comes from a Clock, which pauses and slows down; the page's
// component only draws scenes, so the model is tested natively.
//
// The drawing stays bounded however busy the broker is: at most
// Config.MaxDots dots travel at once (messages beyond that ride along in
// bundles that say how many they carry), at most Config.MaxPublishers and
// Config.MaxSubscribers rows are drawn (the rest share an "others" row),
// and the broker itself samples its route events under load, which the
// scene reports as "1 in N".
package flow

import (
	"slices"
	"strings"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// Config tunes a Model. The zero value is usable.
type Config struct {
	// Leg is how long, in model time, a dot takes for one leg of its
	// trip: publisher to broker, across the broker, broker to subscriber
	// (default 450 ms).
	Leg time.Duration
	// MaxDots bounds the dots drawn at once (default 160).
	MaxDots int
	// MaxPublishers and MaxSubscribers bound the rows on each side
	// (default 8 each); other clients share one row.
	MaxPublishers, MaxSubscribers int
	// Evict is how long a client must be idle before a busier one may
	// take its row (default 10 s).
	Evict time.Duration
	// Linger is how long a subscriber whose session ended stays drawn
	// (default 3 s), and NoteTTL how long a note (a drop, a refusal) is
	// shown (default 4 s).
	Linger, NoteTTL time.Duration
	// Topics, when not empty, limits the diagram to messages whose topic
	// matches one of these filters (a lesson shows its own topics only).
	Topics []string
	// Clients, when not empty, limits the diagram to clients whose
	// identifier starts with one of these prefixes.
	Clients []string
}

func (c Config) withDefaults() Config {
	if c.Leg <= 0 {
		c.Leg = 450 * time.Millisecond
	}
	if c.MaxDots <= 0 {
		c.MaxDots = 160
	}
	if c.MaxPublishers <= 0 {
		c.MaxPublishers = 8
	}
	if c.MaxSubscribers <= 0 {
		c.MaxSubscribers = 8
	}
	if c.Evict <= 0 {
		c.Evict = 10 * time.Second
	}
	if c.Linger <= 0 {
		c.Linger = 3 * time.Second
	}
	if c.NoteTTL <= 0 {
		c.NoteTTL = 4 * time.Second
	}
	return c
}

// Bounds on what the model remembers, so that a fleet of thousands of
// clients costs a bounded amount of memory.
const (
	maxClients  = 2048
	maxRetained = 64
	maxNotes    = 32
	maxPending  = 64
	maxDrains   = 6 // dots drawn for a queue that drains at once
	sampledTTL  = 3 * time.Second
)

// Model is the state of the diagram. It is not safe for concurrent use:
// the page feeds it events from the MQTT client and draws from it under
// one lock.
type Model struct {
	cfg Config

	clients map[string]*clientState
	pubs    *column
	subs    *column

	flights []*flight
	pending map[string]*bundle
	order   []string // pending keys, oldest first
	cost    int      // dots the live flights draw at most
	seq     uint64
	now     time.Duration

	retained []retainedTopic // newest first
	notes    []Note

	broker      BrokerStats
	sampled     int
	sampledAt   time.Duration
	bundled     int64 // messages that rode in a bundle
	undrawn     int64 // messages counted without a dot (too many kinds at once)
	version     uint64
	haveSession bool
}

// clientState is what the model knows of one client, in either role.
type clientState struct {
	id         string
	pinned     bool
	online     bool
	persistent bool
	filters    []string // its subscriptions, $SYS ones left out
	isSub      bool
	isPub      bool
	ended      bool
	endedAt    time.Duration
	lastActive time.Duration

	sent      int64 // messages published (as the broker reported them)
	lastTopic string
	received  int64 // messages whose dot reached it
	dropped   int64
	queue     int // messages the broker holds for it
}

type retainedTopic struct {
	topic string
	size  int
	at    time.Duration
}

// New returns an empty model.
func New(cfg Config) *Model {
	cfg = cfg.withDefaults()
	return &Model{
		cfg:     cfg,
		clients: map[string]*clientState{},
		pubs:    newColumn(cfg.MaxPublishers),
		subs:    newColumn(cfg.MaxSubscribers),
		pending: map[string]*bundle{},
		sampled: 1,
	}
}

// Version changes whenever an event changes the model; with Busy it tells
// a component whether a new frame would differ from the last.
func (m *Model) Version() uint64 { return m.version }

// Busy reports whether anything moves at model time now: dots in flight
// or waiting, or notes fading.
func (m *Model) Busy(now time.Duration) bool {
	if len(m.flights) > 0 || len(m.order) > 0 {
		return true
	}
	for _, n := range m.notes {
		if now-n.At < m.cfg.NoteTTL {
			return true
		}
	}
	for _, c := range m.clients {
		if c.ended {
			return true
		}
	}
	return false
}

// Pin makes client id always have a row (the page's own clients), or lets
// it go with pinned false.
func (m *Model) Pin(id string, pinned bool) {
	m.version++
	c := m.client(id)
	if c == nil {
		return
	}
	c.pinned = pinned
	if pinned {
		c.lastActive = m.now
		if c.isSub {
			m.subs.place(id, true, m.now, m.cfg.Evict, m.lookup)
		}
		if c.isPub {
			m.pubs.place(id, true, m.now, m.cfg.Evict, m.lookup)
		}
	}
}

// Apply takes one telemetry event (as Decode returns it) at model time
// now. Times must not go backwards; an earlier now counts as the latest.
func (m *Model) Apply(ev any, now time.Duration) {
	m.advance(now)
	m.version++
	switch ev := ev.(type) {
	case *Route:
		m.route(ev)
	case *ClientEvent:
		m.clientEvent(ev)
	case *SubscriptionEvent:
		m.subscriptionEvent(ev)
	case *RetainedEvent:
		m.retainedEvent(ev)
	case *Sessions:
		m.sessions(ev)
	}
}

func (m *Model) showClient(id string) bool {
	if len(m.cfg.Clients) == 0 {
		return true
	}
	for _, p := range m.cfg.Clients {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

func (m *Model) showTopic(topic string) bool {
	if len(m.cfg.Topics) == 0 {
		return true
	}
	for _, f := range m.cfg.Topics {
		if protocol.Match(f, topic) {
			return true
		}
	}
	return false
}

func (m *Model) lookup(id string) *clientState { return m.clients[id] }

// client returns the state of id, making it if the model shows id; nil
// when it does not.
func (m *Model) client(id string) *clientState {
	if c, ok := m.clients[id]; ok {
		return c
	}
	if !m.showClient(id) {
		return nil
	}
	if len(m.clients) >= maxClients {
		m.forgetIdle()
	}
	c := &clientState{id: id, lastActive: m.now}
	m.clients[id] = c
	return c
}

// forgetIdle drops the tenth of the clients idle the longest among those
// without a row, to keep the map bounded under a huge fleet.
func (m *Model) forgetIdle() {
	var cands []*clientState
	for id, c := range m.clients {
		if !c.pinned && m.pubs.row(id) < 0 && m.subs.row(id) < 0 {
			cands = append(cands, c)
		}
	}
	n := max(1, len(m.clients)/10)
	for range n {
		if len(cands) == 0 {
			return
		}
		oldest := 0
		for i, c := range cands {
			if c.lastActive < cands[oldest].lastActive {
				oldest = i
			}
		}
		delete(m.clients, cands[oldest].id)
		cands[oldest] = cands[len(cands)-1]
		cands = cands[:len(cands)-1]
	}
}

// asSub marks c a subscriber and tries to give it a row.
func (m *Model) asSub(c *clientState) {
	c.isSub = true
	m.subs.place(c.id, c.pinned, m.now, m.cfg.Evict, m.lookup)
}

func (m *Model) asPub(c *clientState) {
	c.isPub = true
	m.pubs.place(c.id, c.pinned, m.now, m.cfg.Evict, m.lookup)
}

func (m *Model) clientEvent(ev *ClientEvent) {
	c := m.clients[ev.Client]
	if c == nil {
		return // a client the diagram has not seen subscribe or publish
	}
	switch ev.Event {
	case "connected":
		c.online, c.ended = true, false
		if !ev.SessionPresent {
			c.queue = 0
		}
	case "disconnected":
		c.online = false
	case "session-ended":
		c.online, c.ended, c.endedAt = false, true, m.now
		c.filters = nil
		if ev.Lost > 0 || c.queue > 0 {
			m.note(Note{Kind: NoteLost, Client: c.id, Count: int64(max(ev.Lost, c.queue)), Reason: ev.Reason})
		}
		c.queue = 0
	}
}

func (m *Model) subscriptionEvent(ev *SubscriptionEvent) {
	if strings.HasPrefix(ev.Filter, "$SYS/") {
		return
	}
	c := m.client(ev.Client)
	if c == nil {
		return
	}
	switch ev.Event {
	case "added":
		c.online, c.ended = true, false
		c.lastActive = m.now
		if !slices.Contains(c.filters, ev.Filter) {
			c.filters = append(c.filters, ev.Filter)
		}
		m.asSub(c)
	case "removed":
		if i := slices.Index(c.filters, ev.Filter); i >= 0 { // filters are unique
			c.filters = append(c.filters[:i], c.filters[i+1:]...)
		}
	}
}

func (m *Model) retainedEvent(ev *RetainedEvent) {
	if !m.showTopic(ev.Topic) {
		return
	}
	switch ev.Event {
	case "set", "replaced":
		m.keepRetained(ev.Topic, ev.Size)
	case "deleted", "expired":
		m.dropRetained(ev.Topic)
	}
}

func (m *Model) keepRetained(topic string, size int) {
	m.dropRetained(topic)
	m.retained = append([]retainedTopic{{topic: topic, size: size, at: m.now}}, m.retained...)
	if len(m.retained) > maxRetained {
		m.retained = m.retained[:maxRetained]
	}
}

func (m *Model) dropRetained(topic string) {
	for i, r := range m.retained {
		if r.topic == topic {
			m.retained = append(m.retained[:i], m.retained[i+1:]...)
			return
		}
	}
}

func (m *Model) sessions(ev *Sessions) {
	m.haveSession = true
	m.broker = BrokerStats{Clients: ev.Clients, Sessions: ev.Sessions, Retained: ev.Retained,
		Received: ev.Received, Sent: ev.Sent, Dropped: ev.Dropped, TelemetryLost: ev.TelemetryLost}
	listed := make(map[string]bool, len(ev.List))
	for _, s := range ev.List {
		listed[s.Client] = true
		filters := userFilters(s.Subscriptions)
		c := m.clients[s.Client]
		if c == nil && len(filters) == 0 {
			continue // a publisher only: it shows when it publishes
		}
		if c == nil {
			if c = m.client(s.Client); c == nil {
				continue
			}
		}
		c.online, c.persistent = s.Online, s.Expiry != 0
		c.ended = false
		if len(filters) > 0 || c.isSub {
			c.filters = filters
			m.asSub(c)
		}
		m.reconcileQueue(c, s.Queued)
	}
	if ev.Truncated {
		return
	}
	for id, c := range m.clients {
		if !listed[id] && !c.ended && c.isSub {
			c.online, c.ended, c.endedAt = false, true, m.now
			c.queue = 0
		}
	}
}

// reconcileQueue brings the queue of c in line with the broker's count:
// messages drained since the last snapshot leave the queue as dots
// towards the subscriber; messages the model missed (sampling) join it.
func (m *Model) reconcileQueue(c *clientState, queued int) {
	coming := m.comingToQueue(c.id)
	switch {
	case queued < c.queue:
		m.drain(c, c.queue-queued)
		c.queue = queued
	case queued > c.queue+coming:
		c.queue = queued - coming
	}
}

func userFilters(subs []string) []string {
	var out []string
	for _, f := range subs {
		if !strings.HasPrefix(f, "$SYS/") {
			out = append(out, f)
		}
	}
	return out
}
