package broker

import (
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// Telemetry topics: what the lab's pages draw, published by the broker
// over MQTT itself. TELEMETRY.md documents each topic's JSON.
const (
	TopicClients       = "$SYS/lab/clients"
	TopicSubscriptions = "$SYS/lab/subscriptions"
	TopicRoute         = "$SYS/lab/route"
	TopicRetained      = "$SYS/lab/retained"
	TopicSessions      = "$SYS/lab/sessions"
)

const (
	watchClients = 1 << iota
	watchSubscriptions
	watchRoute
	watchRetained
	watchSessions
)

var watchTopics = [...]struct {
	topic string
	bit   uint32
}{
	{TopicClients, watchClients},
	{TopicSubscriptions, watchSubscriptions},
	{TopicRoute, watchRoute},
	{TopicRetained, watchRetained},
	{TopicSessions, watchSessions},
}

// Limits that keep telemetry from costing the broker: at most routeBudget
// route events per second are published (the others are sampled out, and
// every event says "1 in N"), events wait in a bounded queue that drops
// rather than blocks, and a session list names at most maxSessionsListed.
const (
	routeBudget       = 100
	eventQueue        = 1024
	maxSessionsListed = 500
)

// telemetry produces the lab events. Producers (read loops) only check a
// bit and, when someone listens, push a small record into a queue; one
// goroutine encodes and publishes. Nothing is produced while nobody
// subscribes to a topic.
type telemetry struct {
	b     *Broker
	watch atomic.Uint32
	ch    chan any

	mu         sync.Mutex // sampling state
	routeSeen  int        // route events seen this second
	routeSent  int
	sampleRate int // emit 1 in sampleRate route events
	lost       atomic.Uint64
}

func newTelemetry(b *Broker) *telemetry {
	t := &telemetry{b: b, ch: make(chan any, eventQueue), sampleRate: 1}
	go t.run()
	return t
}

func (t *telemetry) on(bit uint32) bool { return t.watch.Load()&bit != 0 }

// rewatch recomputes which telemetry topics have subscribers; called after
// every subscription change.
func (t *telemetry) rewatch() {
	var w uint32
	for _, wt := range watchTopics {
		if t.b.tree.anyMatch(wt.topic) {
			w |= wt.bit
		}
	}
	t.watch.Store(w)
}

func (t *telemetry) emit(ev any) {
	select {
	case t.ch <- ev:
	default:
		t.lost.Add(1) // never block a read loop
	}
}

func (t *telemetry) run() {
	for {
		select {
		case <-t.b.stop:
			return
		case ev := <-t.ch:
			t.publish(ev)
		}
	}
}

func (t *telemetry) publish(ev any) {
	if req, ok := ev.(snapshotRequest); ok {
		ev = t.b.snapshot(req)
	}
	var topic string
	switch ev.(type) {
	case *clientEvent:
		topic = TopicClients
	case *subscriptionEvent:
		topic = TopicSubscriptions
	case *routeEvent:
		topic = TopicRoute
	case *retainedEvent, *retainedSnapshot:
		topic = TopicRetained
	case *sessionsEvent:
		topic = TopicSessions
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return
	}
	m := message{topic: topic, payload: payload, qos: protocol.QoS0, retain: topic == TopicSessions}
	m.props.ContentType = protocol.Some("application/json")
	t.b.publishInternal(&m)
}

func stamp() int64 { return time.Now().UnixMilli() }

type clientEvent struct {
	TS             int64     `json:"ts"`
	Event          string    `json:"event"` // connected, disconnected, refused, session-ended
	Client         string    `json:"client"`
	Username       string    `json:"username,omitempty"`
	Version        string    `json:"version,omitempty"`
	Remote         string    `json:"remote,omitempty"`
	Clean          bool      `json:"clean,omitempty"`
	KeepAlive      int       `json:"keepalive,omitempty"`
	SessionPresent bool      `json:"sessionPresent,omitempty"`
	Will           *willInfo `json:"will,omitempty"`
	Code           string    `json:"code,omitempty"`
	Reason         string    `json:"reason,omitempty"`
	WillFired      bool      `json:"willFired,omitempty"`
	Lost           int       `json:"lost,omitempty"` // messages discarded with an ended session
}

func (t *telemetry) connected(c *conn, cp *protocol.Connect, present bool) {
	if !t.on(watchClients) {
		return
	}
	ev := &clientEvent{TS: stamp(), Event: "connected", Client: c.info.ClientID, Username: c.info.Username,
		Version: c.version.String(), Remote: c.remote, Clean: cp.CleanStart,
		KeepAlive: int(c.keepAlive / time.Second), SessionPresent: present}
	if w := cp.Will; w != nil {
		ev.Will = &willInfo{w.Topic, int(w.QoS)}
	}
	t.emit(ev)
}

func (t *telemetry) refused(c *conn, code protocol.ReasonCode, err error) {
	if !t.on(watchClients) {
		return
	}
	t.emit(&clientEvent{TS: stamp(), Event: "refused", Client: c.info.ClientID, Remote: c.remote,
		Code: codeName(code), Reason: err.Error()})
}

func (t *telemetry) disconnected(c *conn, s *session, r endReason, willFired bool) {
	if !t.on(watchClients) {
		return
	}
	ev := &clientEvent{TS: stamp(), Event: "disconnected", Client: s.id, Reason: r.text, WillFired: willFired}
	if c.takenOver {
		ev.Reason = "session taken over by a new connection"
		ev.Code = codeName(protocol.SessionTakenOver)
	} else if r.byClient || r.send {
		ev.Code = codeName(r.code)
	}
	t.emit(ev)
}

func (t *telemetry) sessionEnded(s *session, why string, lost int) {
	t.rewatch() // its subscriptions are gone
	if !t.on(watchClients) {
		return
	}
	t.emit(&clientEvent{TS: stamp(), Event: "session-ended", Client: s.id, Reason: why, Lost: lost})
}

func codeName(c protocol.ReasonCode) string {
	return "0x" + hexByte(byte(c)) + " " + c.String()
}

func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}

type subscriptionEvent struct {
	TS     int64  `json:"ts"`
	Event  string `json:"event"` // added, removed, refused: ...
	Client string `json:"client"`
	Filter string `json:"filter"`
	QoS    int    `json:"qos"`
}

func (t *telemetry) subscription(c *conn, filter string, qos protocol.QoS, event string) {
	t.rewatch()
	if event == "added" {
		t.snapshotFor(filter)
	}
	if !t.on(watchSubscriptions) {
		return
	}
	t.emit(&subscriptionEvent{TS: stamp(), Event: event, Client: c.sess.id, Filter: filter, QoS: int(qos)})
}

type routeEvent struct {
	TS        int64          `json:"ts"`
	From      string         `json:"from"`
	Topic     string         `json:"topic"`
	QoS       int            `json:"qos"`
	Retain    bool           `json:"retain,omitempty"`
	Size      int            `json:"size"`
	Delivered []routeTarget  `json:"delivered"`
	Queued    []string       `json:"queued,omitempty"`
	Dropped   []routeDropped `json:"dropped,omitempty"`
	Refused   string         `json:"refused,omitempty"` // the publish itself was refused
	Retained  bool           `json:"retainedReplay,omitempty"`
	Sampled   int            `json:"sampled"` // this event stands for 1 in Sampled route events
}

type routeTarget struct {
	Client string `json:"client"`
	QoS    int    `json:"qos"`
	Shared bool   `json:"shared,omitempty"`
}

type routeDropped struct {
	Client string `json:"client"`
	Reason string `json:"reason"`
}

// sample decides whether this route event is published and with what
// sampling rate: under routeBudget events per second, all; above, 1 in N
// where N follows the previous second's rate.
func (t *telemetry) sample() (bool, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routeSeen++
	if t.routeSeen%t.sampleRate != 0 || t.routeSent >= routeBudget {
		return false, 0
	}
	t.routeSent++
	return true, t.sampleRate
}

// tick starts a new sampling second and publishes the session list.
func (t *telemetry) tick(now time.Time) {
	t.mu.Lock()
	seen := t.routeSeen
	t.routeSeen, t.routeSent = 0, 0
	t.sampleRate = max(1, (seen+routeBudget-1)/routeBudget)
	t.mu.Unlock()
	if t.on(watchSessions) {
		t.emit(t.b.sessionsSnapshot())
	}
}

func (t *telemetry) routed(m *message, targets []target) {
	if !t.on(watchRoute) || strings.HasPrefix(m.topic, "$SYS/") {
		return
	}
	ok, rate := t.sample()
	if !ok {
		return
	}
	ev := &routeEvent{TS: stamp(), From: m.from, Topic: m.topic, QoS: int(m.qos), Retain: m.retain,
		Size: len(m.payload), Delivered: []routeTarget{}, Sampled: rate}
	for _, tg := range targets {
		switch tg.delivery {
		case delivered:
			ev.Delivered = append(ev.Delivered, routeTarget{tg.sess.id, int(tg.qos), tg.shared})
		case queued:
			ev.Queued = append(ev.Queued, tg.sess.id)
		default:
			ev.Dropped = append(ev.Dropped, routeDropped{tg.sess.id, tg.delivery.String()})
		}
	}
	t.emit(ev)
}

// dropped reports a publish the broker refused (not routed at all).
func (t *telemetry) dropped(m *message, why string) {
	if !t.on(watchRoute) {
		return
	}
	t.emit(&routeEvent{TS: stamp(), From: m.from, Topic: m.topic, QoS: int(m.qos), Retain: m.retain,
		Size: len(m.payload), Delivered: []routeTarget{}, Refused: why, Sampled: 1})
}

// retainedSent reports a retained message sent because of a subscription.
func (t *telemetry) retainedSent(sub *subscription, m *message, d delivery) {
	if !t.on(watchRoute) {
		return
	}
	ev := &routeEvent{TS: stamp(), From: m.from, Topic: m.topic, QoS: int(min(m.qos, sub.qos)), Retain: true,
		Size: len(m.payload), Delivered: []routeTarget{}, Retained: true, Sampled: 1}
	switch d {
	case delivered:
		ev.Delivered = append(ev.Delivered, routeTarget{Client: sub.sess.id, QoS: ev.QoS})
	case queued:
		ev.Queued = []string{sub.sess.id}
	default:
		ev.Dropped = []routeDropped{{sub.sess.id, d.String()}}
	}
	t.emit(ev)
}

type retainedEvent struct {
	TS    int64  `json:"ts"`
	Event string `json:"event"` // set, replaced, deleted, expired
	Topic string `json:"topic"`
	Size  int    `json:"size"`
	retainedPreview
}

// retainedChanged reports a change of topic's retained message; payload is
// the new message's, nil when it was deleted.
func (t *telemetry) retainedChanged(topic, event string, payload []byte) {
	if !t.on(watchRetained) || strings.HasPrefix(topic, "$SYS/") {
		return
	}
	t.emit(&retainedEvent{TS: stamp(), Event: event, Topic: topic, Size: len(payload), retainedPreview: preview(payload)})
}

type sessionsEvent struct {
	TS        int64         `json:"ts"`
	Clients   int           `json:"clients"`  // connected
	Sessions  int           `json:"sessions"` // all, offline persistent ones included
	Retained  int           `json:"retained"`
	Received  uint64        `json:"received"` // PUBLISH packets, since start
	Sent      uint64        `json:"sent"`
	Dropped   uint64        `json:"dropped"`
	Telemetry uint64        `json:"telemetryLost"` // events the queue could not take
	List      []sessionInfo `json:"list"`
	Truncated bool          `json:"truncated,omitempty"`
}

type sessionInfo struct {
	Client        string   `json:"client"`
	Online        bool     `json:"online"`
	Version       string   `json:"version"`
	Queued        int      `json:"queued"`
	Inflight      int      `json:"inflight"`
	Dropped       uint64   `json:"dropped"`
	Subscriptions []string `json:"subscriptions"`
	Expiry        int64    `json:"expiry"` // seconds, -1 for never
	Since         int64    `json:"since"`  // Unix ms when it came online or went offline
	Username      string   `json:"username,omitempty"`
	// The connection of an online session, as in a "connected" event.
	Remote    string    `json:"remote,omitempty"`
	Clean     bool      `json:"clean,omitempty"`
	KeepAlive int       `json:"keepalive,omitempty"`
	Will      *willInfo `json:"will,omitempty"`
}

type willInfo struct {
	Topic string `json:"topic"`
	QoS   int    `json:"qos"`
}

// sessionsSnapshot lists sessions, those with queued messages first, at
// most maxSessionsListed of them.
func (b *Broker) sessionsSnapshot() *sessionsEvent {
	st := b.Stats()
	ev := &sessionsEvent{TS: stamp(), Clients: st.ClientsConnected, Sessions: st.Sessions, Retained: st.Retained,
		Received: st.MessagesReceived, Sent: st.MessagesSent, Dropped: st.MessagesDropped, Telemetry: b.tel.lost.Load(),
		List: []sessionInfo{}}
	b.mu.Lock()
	all := make([]*session, 0, len(b.sessions))
	for _, s := range b.sessions {
		all = append(all, s)
	}
	b.mu.Unlock()
	var busy, idle []sessionInfo
	for _, s := range all {
		s.mu.Lock()
		info := sessionInfo{Client: s.id, Online: s.conn != nil, Version: s.version.String(), Queued: len(s.queue),
			Inflight: len(s.inflight), Dropped: s.dropped, Expiry: int64(s.expiry), Subscriptions: []string{},
			Since: s.since.UnixMilli(), Username: s.username}
		if s.expiry == neverExpires {
			info.Expiry = -1
		}
		if c := s.conn; c != nil {
			info.Remote, info.Clean, info.KeepAlive = c.remote, c.cleanStart, int(c.keepAlive/time.Second)
		}
		if w := s.will; w != nil {
			info.Will = &willInfo{Topic: w.msg.topic, QoS: int(w.msg.qos)}
		}
		info.Subscriptions = append(info.Subscriptions, s.subs.filters()...)
		s.mu.Unlock()
		if info.Queued > 0 || info.Inflight > 0 {
			busy = append(busy, info)
		} else {
			idle = append(idle, info)
		}
		if len(busy) >= maxSessionsListed {
			break
		}
	}
	ev.List = append(ev.List, busy...)
	for _, info := range idle {
		if len(ev.List) >= maxSessionsListed {
			ev.Truncated = true
			break
		}
		ev.List = append(ev.List, info)
	}
	if len(all) > len(ev.List) {
		ev.Truncated = true
	}
	return ev
}
