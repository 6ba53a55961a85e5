package flow

import (
	"strconv"
	"strings"
	"time"
)

// DotKind says what a dot is doing, which is how it is coloured.
type DotKind uint8

// The kinds of dots.
const (
	// DotPublish travels from its publisher into the broker.
	DotPublish DotKind = iota + 1
	// DotDeliver travels across the broker and out to a subscriber that
	// receives the message.
	DotDeliver
	// DotQueue travels across the broker into the queue the broker keeps
	// for an offline or busy persistent session.
	DotQueue
	// DotDrain leaves a queue for its subscriber.
	DotDrain
	// DotDrop heads for a subscriber that does not get the message, and
	// fades out on the way; a Note says why.
	DotDrop
	// DotRefused is a publish the broker refused; a Note says why.
	DotRefused
	// DotRetain goes to the retained topic the message now sits on.
	DotRetain
	// DotReplay is a retained message sent to a new subscription.
	DotReplay
	// DotUnrouted is a message no session subscribed to: it enters the
	// broker and goes nowhere.
	DotUnrouted
)

var dotKindNames = [...]string{"", "publish", "deliver", "queue", "drain", "drop", "refused", "retain", "replay", "unrouted"}

// String is the kind's name, used in CSS classes and data attributes.
func (k DotKind) String() string {
	if int(k) < len(dotKindNames) && k > 0 {
		return dotKindNames[k]
	}
	return "dot" + strconv.Itoa(int(k))
}

type flightKind uint8

const (
	flightPublish flightKind = iota // starts at a publisher
	flightReplay                    // starts at a retained topic in the broker
	flightDrain                     // starts in a queue
)

// flight is one message (or a bundle of alike messages) on its way: one
// dot to the broker, then one per target.
type flight struct {
	seq     uint64
	kind    flightKind
	start   time.Duration
	from    string
	topic   string
	qos     int
	size    int
	weight  int64 // messages it stands for
	events  int   // route events merged into it
	refused string
	legs    []leg
	key     string
	cost    int
	noted   bool // the refusal note is made
}

// leg is the part of a flight towards one target: a subscriber's row (or
// the others row, for members without a row) or, for DotRetain, the
// retained topic.
type leg struct {
	to      string   // subscriber; "" is the others row
	members []member // the clients the others row stands for here
	kind    DotKind  // DotDeliver, DotQueue, DotDrop, DotRetain, DotDrain
	reason  string   // of a drop
	arrived bool
}

// member is a client without a row that a leg to the others row stands
// for, with the messages it gets from the leg.
type member struct {
	id string
	w  int64
}

// maxMembers bounds the clients one leg to the others row counts for.
const maxMembers = 64

// bundle is a flight waiting for room among the dots, carrying every
// alike message that came meanwhile.
type bundle struct{ f *flight }

// offset is where in the trip a flight starts: replays start inside the
// broker, drains at its edge.
func (m *Model) offset(f *flight) time.Duration {
	switch f.kind {
	case flightReplay:
		return m.cfg.Leg
	case flightDrain:
		return 2 * m.cfg.Leg
	}
	return 0
}

// elapsed is the flight's time on its trip at model time now.
func (m *Model) elapsed(f *flight, now time.Duration) time.Duration {
	return now - f.start + m.offset(f)
}

// arrival is when, in trip time, a leg reaches its end.
func (m *Model) arrival(l *leg) time.Duration {
	L := m.cfg.Leg
	switch l.kind {
	case DotQueue, DotRetain:
		return 2 * L
	case DotDrop:
		return 2*L + L/2
	}
	return 3 * L
}

// end is when, in trip time, a flight has nothing left to draw.
func (m *Model) end(f *flight) time.Duration {
	L := m.cfg.Leg
	if f.refused != "" {
		return L
	}
	if len(f.legs) == 0 {
		return L + L/2
	}
	var e time.Duration
	for i := range f.legs {
		e = max(e, m.arrival(&f.legs[i]))
	}
	return e
}

// route turns a route event into a flight.
func (m *Model) route(ev *Route) {
	if !m.showTopic(ev.Topic) {
		return
	}
	w := int64(max(1, ev.Sampled))
	m.sampled, m.sampledAt = max(1, ev.Sampled), m.now
	f := &flight{kind: flightPublish, from: ev.From, topic: ev.Topic, qos: ev.QoS, size: ev.Size, weight: w, refused: ev.Refused}
	if ev.Replay {
		f.kind = flightReplay
	} else if pub := m.client(ev.From); pub != nil {
		pub.sent += w
		pub.lastTopic = ev.Topic
		pub.lastActive = m.now
		pub.online = true
		m.asPub(pub)
	}
	if ev.Refused == "" {
		for _, t := range ev.Delivered {
			m.addLeg(f, t.Client, DotDeliver, "")
		}
		for _, id := range ev.Queued {
			m.addLeg(f, id, DotQueue, "")
		}
		for _, d := range ev.Dropped {
			m.addLeg(f, d.Client, DotDrop, d.Reason)
		}
		if ev.Retain && !ev.Replay {
			f.legs = append(f.legs, leg{to: ev.Topic, kind: DotRetain})
		}
	}
	m.launch(f)
}

// addLeg adds the leg towards client id, sharing the others row's leg of
// the same kind when id has no row.
func (m *Model) addLeg(f *flight, id string, kind DotKind, reason string) {
	c := m.client(id)
	if c == nil {
		return
	}
	c.lastActive = m.now
	if kind == DotDeliver {
		c.online = true
	}
	c.ended = false
	m.asSub(c)
	if m.subs.row(id) >= 0 {
		f.legs = append(f.legs, leg{to: id, kind: kind, reason: reason})
		return
	}
	for i := range f.legs {
		l := &f.legs[i]
		if l.to == "" && l.kind == kind && l.reason == reason {
			if len(l.members) < maxMembers {
				l.members = append(l.members, member{id, f.weight})
			}
			return
		}
	}
	f.legs = append(f.legs, leg{kind: kind, reason: reason, members: []member{{id, f.weight}}})
}

// key says which flights may share a dot: those that start on the same
// row and go to the same rows in the same ways.
func (m *Model) key(f *flight) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(int(f.kind)))
	b.WriteByte('|')
	if f.kind == flightDrain || m.pubs.row(f.from) >= 0 {
		b.WriteString(f.from)
	}
	if f.refused != "" {
		b.WriteString("|refused:")
		b.WriteString(f.refused)
	}
	for _, l := range f.legs {
		b.WriteByte('|')
		b.WriteString(strconv.Itoa(int(l.kind)))
		b.WriteByte(':')
		b.WriteString(l.to)
		if l.reason != "" {
			b.WriteByte(':')
			b.WriteString(l.reason)
		}
	}
	return b.String()
}

// merge makes o carry f too: alike flights have alike legs, in order.
func (m *Model) merge(o, f *flight) {
	o.weight += f.weight
	o.events += f.events
	m.bundled += f.weight
	for i := range f.legs {
		if i >= len(o.legs) || f.legs[i].to != "" {
			continue
		}
	next:
		for _, fm := range f.legs[i].members {
			for j := range o.legs[i].members {
				if om := &o.legs[i].members[j]; om.id == fm.id {
					om.w += fm.w
					continue next
				}
			}
			if len(o.legs[i].members) < maxMembers {
				o.legs[i].members = append(o.legs[i].members, fm)
			}
		}
	}
}

// launch starts f, or when MaxDots dots are already out, lets it ride
// with an alike flight that has not reached the broker yet, or wait for
// room in a bundle. Past maxPending kinds of bundles, f is counted at once
// without a dot.
func (m *Model) launch(f *flight) {
	m.seq++
	f.seq = m.seq
	f.start = m.now
	f.events = max(f.events, 1)
	f.cost = max(1, len(f.legs))
	f.key = m.key(f)
	if m.cost+f.cost <= m.cfg.MaxDots {
		m.flights = append(m.flights, f)
		m.cost += f.cost
		return
	}
	for i := len(m.flights) - 1; i >= 0; i-- {
		o := m.flights[i]
		if o.key == f.key && m.elapsed(o, m.now) < m.cfg.Leg {
			m.merge(o, f)
			return
		}
	}
	if b, ok := m.pending[f.key]; ok {
		m.merge(b.f, f)
		return
	}
	if len(m.pending) < maxPending {
		m.pending[f.key] = &bundle{f: f}
		m.order = append(m.order, f.key)
		return
	}
	m.undrawn += f.weight
	for i := range f.legs {
		m.arrive(f, &f.legs[i])
	}
	if f.refused != "" {
		m.refusedNote(f)
	}
}

// drain sends n messages from the queue of c to c, as up to maxDrains dots
// a quarter leg apart.
func (m *Model) drain(c *clientState, n int) {
	if n <= 0 {
		return
	}
	k := min(n, maxDrains)
	for i := range k {
		w := n / k
		if i < n%k {
			w++
		}
		l := leg{to: c.id, kind: DotDrain}
		if m.subs.row(c.id) < 0 {
			l = leg{kind: DotDrain, members: []member{{c.id, int64(w)}}}
		}
		f := &flight{kind: flightDrain, from: c.id, weight: int64(w), legs: []leg{l}}
		m.launch(f)
		f.start += time.Duration(i) * m.cfg.Leg / 4
	}
}

// comingToQueue counts the messages on their way into the queue of id.
func (m *Model) comingToQueue(id string) int {
	n := int64(0)
	count := func(f *flight) {
		for i := range f.legs {
			l := &f.legs[i]
			if l.kind != DotQueue || l.arrived {
				continue
			}
			if l.to == id {
				n += f.weight
			}
			for _, mb := range l.members {
				if l.to == "" && mb.id == id {
					n += mb.w
				}
			}
		}
	}
	for _, f := range m.flights {
		count(f)
	}
	for _, b := range m.pending {
		count(b.f)
	}
	return int(n)
}

// arrive does what a leg's arrival means: a message received, queued,
// dropped or kept as retained.
func (m *Model) arrive(f *flight, l *leg) {
	l.arrived = true
	if l.kind == DotRetain {
		if f.size == 0 {
			m.dropRetained(f.topic)
		} else {
			m.keepRetained(f.topic, f.size)
		}
		return
	}
	members := l.members
	if l.to != "" {
		members = []member{{l.to, f.weight}}
	}
	for _, mb := range members {
		c := m.clients[mb.id]
		if c == nil {
			continue
		}
		switch l.kind {
		case DotDeliver, DotDrain:
			c.received += mb.w
		case DotQueue:
			c.queue += int(mb.w)
		case DotDrop:
			c.dropped += mb.w
		}
	}
	if l.kind == DotDrop {
		m.note(Note{Kind: NoteDrop, Client: l.to, Topic: f.topic, Reason: l.reason, Count: f.weight})
	}
}

func (m *Model) refusedNote(f *flight) {
	f.noted = true
	m.note(Note{Kind: NoteRefused, Client: f.from, Topic: f.topic, Reason: f.refused, Count: f.weight})
}

// advance moves the model to model time now: legs that arrive do what
// they mean, finished flights make room for waiting bundles, sessions
// ended long enough ago leave the drawing.
func (m *Model) advance(now time.Duration) {
	if now < m.now {
		now = m.now
	}
	m.now = now
	live := m.flights[:0]
	for _, f := range m.flights {
		t := m.elapsed(f, now)
		for i := range f.legs {
			l := &f.legs[i]
			if !l.arrived && t >= m.arrival(l) {
				m.arrive(f, l)
			}
		}
		if f.refused != "" && !f.noted && t >= m.cfg.Leg {
			m.refusedNote(f)
		}
		if t >= m.end(f) {
			m.cost -= f.cost
			continue
		}
		live = append(live, f)
	}
	clear(m.flights[len(live):])
	m.flights = live
	for len(m.order) > 0 {
		b := m.pending[m.order[0]]
		if m.cost+b.f.cost > m.cfg.MaxDots {
			break
		}
		delete(m.pending, m.order[0])
		m.order = m.order[1:]
		b.f.start = now
		m.flights = append(m.flights, b.f)
		m.cost += b.f.cost
	}
	m.expire(now)
}

// expire forgets ended sessions after Config.Linger and notes after
// Config.NoteTTL.
func (m *Model) expire(now time.Duration) {
	for id, c := range m.clients {
		if !c.ended || now-c.endedAt < m.cfg.Linger || c.pinned {
			continue
		}
		m.subs.remove(id)
		c.isSub = false
		if !c.isPub {
			delete(m.clients, id)
		}
		c.ended = false
	}
	keep := m.notes[:0]
	for _, n := range m.notes {
		if now-n.At < m.cfg.NoteTTL {
			keep = append(keep, n)
		}
	}
	m.notes = keep
}
