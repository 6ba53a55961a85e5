package broker

import (
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// session is the state the broker keeps for a client identifier: its
// subscriptions, the QoS 1 and 2 messages in flight towards it or waiting
// to be sent, the QoS 2 messages it sent that are not yet released, and
// its will. A session outlives its connection when its expiry interval
// says so (clean session 0 in 3.1.1).
type session struct {
	b      *Broker
	id     string
	seq    uint64      // creation order, for sorting
	online atomic.Bool // a connection is attached
	nsubs  atomic.Int32

	mu        sync.Mutex
	conn      *conn
	version   protocol.Version
	username  string
	expiry    uint32 // seconds after disconnect; math.MaxUint32 never expires
	subs      subSet
	inflight  []*outgoing // sent, not yet acknowledged, oldest first
	queue     []*outgoing // waiting for the client or for room in the window
	nextID    uint16
	sendMax   int         // in-flight window towards the client
	maxPacket int         // client's Maximum Packet Size, 0 for none
	perms     Permissions // of the client's last connection; nil allows all
	aliasMax  uint16      // client's Topic Alias Maximum
	aliases   map[string]uint16
	inQoS2    map[uint16]struct{} // QoS 2 ids received and not yet released
	will      *will
	willTimer *time.Timer
	endTimer  *time.Timer
	ended     bool
	created   time.Time
	since     time.Time // when the session last came online or went offline
	dropped   uint64    // messages dropped for this session (queue full, too large)
}

// outgoing is a QoS 1 or 2 message for one session, queued or in flight.
type outgoing struct {
	msg    *message
	id     uint16 // 0 while queued
	qos    protocol.QoS
	retain bool
	subIDs []uint32
	rel    bool // QoS 2: PUBREC received, PUBREL sent, waiting for PUBCOMP
}

// will is a client's will message and its delay (5.0), with its client's
// permissions: whether it may be published is decided when it is.
type will struct {
	msg   *message
	delay time.Duration
	perms Permissions
}

const neverExpires = math.MaxUint32

// delivery is what happened to a message for one session, for telemetry.
type delivery uint8

const (
	delivered delivery = iota
	queued
	droppedOffline    // QoS 0 to an offline session
	droppedQueueFull  // the session queue is at MaxQueued
	droppedBufferFull // QoS 0 and the connection's write buffer is full
	droppedTooLarge   // larger than the client's Maximum Packet Size
	droppedExpired
	droppedNotAuthorized // the client may not read the topic
)

var deliveryNames = [...]string{"delivered", "queued", "offline (QoS 0 is not queued)",
	"session queue full", "connection buffer full (slow consumer)", "larger than the client's maximum packet size",
	"message expired", "not authorized to read the topic"}

func (d delivery) String() string { return deliveryNames[d] }

// deliver sends m to the session at qos, or queues it. subIDs are the
// identifiers of the matching subscriptions (5.0).
func (s *session) deliver(e *encoder, qos protocol.QoS, retain bool, subIDs []uint32) delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deliverLocked(e, qos, retain, subIDs)
}

// deliverLocked is deliver with s.mu held.
func (s *session) deliverLocked(e *encoder, qos protocol.QoS, retain bool, subIDs []uint32) delivery {
	if s.ended {
		return droppedOffline
	}
	if s.perms != nil && !s.perms.Allow(e.m.topic, AccessRead) {
		return droppedNotAuthorized
	}
	c := s.conn
	if qos == 0 {
		if c == nil {
			return droppedOffline
		}
		return s.send(c, e, 0, retain, subIDs, 0, false)
	}
	if c == nil || len(s.inflight) >= s.sendMax || len(s.queue) > 0 {
		return s.enqueue(&outgoing{msg: e.m.keep(), qos: qos, retain: retain, subIDs: subIDs})
	}
	id := s.allocID()
	d := s.send(c, e, qos, retain, subIDs, id, false)
	switch d {
	case delivered:
		s.inflight = append(s.inflight, &outgoing{msg: e.m.keep(), id: id, qos: qos, retain: retain, subIDs: cloneIDs(subIDs)})
		s.b.stats.inflight.Add(1)
	case droppedBufferFull:
		// QoS 1 and 2 are never dropped for a full buffer: only a closing
		// connection refuses them, and the session keeps them for the
		// next one.
		return s.enqueue(&outgoing{msg: e.m.keep(), qos: qos, retain: retain, subIDs: subIDs})
	}
	return d
}

func cloneIDs(ids []uint32) []uint32 {
	if len(ids) == 0 {
		return nil
	}
	return append([]uint32(nil), ids...)
}

func (s *session) enqueue(o *outgoing) delivery {
	if len(s.queue) >= s.b.opts.MaxQueued {
		s.dropped++
		s.b.stats.dropped.Add(1)
		return droppedQueueFull
	}
	o.subIDs = cloneIDs(o.subIDs)
	s.queue = append(s.queue, o)
	return queued
}

// send writes one PUBLISH to c. Subscribers without identifiers or
// aliases get the encoder's shared bytes; the others their own encoding.
func (s *session) send(c *conn, e *encoder, qos protocol.QoS, retain bool, subIDs []uint32, id uint16, dup bool) delivery {
	v := s.version
	if len(subIDs) > 0 && v == protocol.V5 || s.aliasMax > 0 || dup {
		return s.sendOwn(c, e.m, qos, retain, subIDs, id, dup, e.now)
	}
	b, off, err := e.shared(v, qos, retain)
	if err != nil {
		return droppedTooLarge
	}
	if s.maxPacket > 0 && len(b) > s.maxPacket {
		s.dropped++
		s.b.stats.dropped.Add(1)
		return droppedTooLarge // [MQTT-3.1.2-25]
	}
	if !c.sendPublish(b, off, id, qos == 0) {
		s.dropped++
		s.b.stats.dropped.Add(1)
		return droppedBufferFull
	}
	return delivered
}

// sendOwn encodes m for this session alone: subscription identifiers,
// topic alias, DUP.
func (s *session) sendOwn(c *conn, m *message, qos protocol.QoS, retain bool, subIDs []uint32, id uint16, dup bool, now int64) delivery {
	var p protocol.Publish
	m.publishPacket(&p, s.version, qos, retain, now)
	p.PacketID, p.Dup = id, dup
	if s.version == protocol.V5 {
		p.Props.SubscriptionIDs = subIDs
		if s.aliasMax > 0 {
			s.applyAlias(&p)
		}
	}
	ok, tooLarge := c.sendPacket(&p, s.maxPacket, qos == 0)
	switch {
	case tooLarge:
		s.dropped++
		s.b.stats.dropped.Add(1)
		return droppedTooLarge
	case !ok:
		s.dropped++
		s.b.stats.dropped.Add(1)
		return droppedBufferFull
	}
	return delivered
}

// applyAlias uses a topic alias towards a client that accepts them: the
// first message on a topic sets the alias, later ones send an empty topic.
func (s *session) applyAlias(p *protocol.Publish) {
	if a, ok := s.aliases[p.Topic]; ok {
		p.Props.TopicAlias = protocol.Some(a)
		p.Topic = ""
		return
	}
	if len(s.aliases) >= int(s.aliasMax) {
		return
	}
	if s.aliases == nil {
		s.aliases = make(map[string]uint16)
	}
	a := uint16(len(s.aliases) + 1)
	s.aliases[p.Topic] = a
	p.Props.TopicAlias = protocol.Some(a)
}

// allocID returns a packet identifier not in flight.
func (s *session) allocID() uint16 {
	for {
		s.nextID++
		if s.nextID == 0 {
			s.nextID = 1
		}
		if !s.inFlight(s.nextID) {
			return s.nextID
		}
	}
}

func (s *session) inFlight(id uint16) bool {
	for _, o := range s.inflight {
		if o.id == id {
			return true
		}
	}
	return false
}

func (s *session) findInflight(id uint16) int {
	for i, o := range s.inflight {
		if o.id == id {
			return i
		}
	}
	return -1
}

// acked handles PUBACK (QoS 1) and PUBCOMP (QoS 2): the message is done,
// which makes room in the window for a queued one.
func (s *session) acked(id uint16, t protocol.Type) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.findInflight(id)
	if i < 0 {
		return false
	}
	o := s.inflight[i]
	if (t == protocol.PUBACK) != (o.qos == 1) || (t == protocol.PUBCOMP && !o.rel) {
		return false
	}
	s.inflight = append(s.inflight[:i], s.inflight[i+1:]...)
	s.b.stats.inflight.Add(-1)
	s.drain()
	return true
}

// received handles PUBREC: the client has the QoS 2 message; release it.
// A PUBREC with an error code ends the exchange (§4.3.3).
func (s *session) received(id uint16, code protocol.ReasonCode) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.findInflight(id)
	if i < 0 || s.inflight[i].qos != 2 {
		return false
	}
	if code.IsError() {
		s.inflight = append(s.inflight[:i], s.inflight[i+1:]...)
		s.b.stats.inflight.Add(-1)
		s.drain()
		return true
	}
	s.inflight[i].rel = true
	if s.conn != nil {
		s.conn.sendAck(protocol.PUBREL, id, protocol.Success)
	}
	return true
}

// drain moves queued messages into the window while there is room.
func (s *session) drain() {
	c := s.conn
	if c == nil {
		return
	}
	now := s.b.now()
	for len(s.queue) > 0 && len(s.inflight) < s.sendMax {
		o := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:]
		if o.msg.expired(now) {
			s.b.stats.dropped.Add(1)
			continue
		}
		o.id = s.allocID()
		if d := s.sendOwn(c, o.msg, o.qos, o.retain, o.subIDs, o.id, false, now); d != delivered {
			if d == droppedBufferFull {
				// The connection is saturated: put it back and wait for
				// the next acknowledgement.
				o.id = 0
				s.queue = append([]*outgoing{o}, s.queue...)
				return
			}
			continue
		}
		s.inflight = append(s.inflight, o)
		s.b.stats.inflight.Add(1)
	}
	if len(s.queue) == 0 {
		s.queue = nil
	}
}

// resume re-sends what was in flight when the previous connection ended
// (PUBLISH with DUP, or PUBREL) and then queued messages (§4.4).
func (s *session) resume() {
	c := s.conn
	now := s.b.now()
	keep := s.inflight[:0]
	for _, o := range s.inflight {
		switch {
		case o.rel:
			c.sendAck(protocol.PUBREL, o.id, protocol.Success)
		case o.msg.expired(now) && !o.rel:
			s.b.stats.inflight.Add(-1)
			continue
		default:
			s.sendOwn(c, o.msg, o.qos, o.retain, o.subIDs, o.id, true, now)
		}
		keep = append(keep, o)
	}
	s.inflight = keep
	s.drain()
}
