package flow

import (
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// Scene is what the diagram shows at one moment: everything placed, in
// SVG user units, ready to draw.
type Scene struct {
	// Now is the model time of the scene.
	Now           time.Duration
	Width, Height float64
	// Broker is the broker's box; its figures come from the last
	// sessions snapshot (HaveStats says whether one came).
	Broker    Box
	Stats     BrokerStats
	HaveStats bool

	Publishers  []Node
	Subscribers []Node
	// Retained lists the retained topics shown in the broker, newest
	// first, under a heading at RetainedLabel; RetainedMore counts the
	// others known, to be said at RetainedMorePos. The model knows the
	// retained messages set while it listens; Stats counts them all.
	Retained        []Shelf
	RetainedLabel   Point
	RetainedMore    int
	RetainedMorePos Point

	Dots  []Dot
	Notes []Note

	// Sampled is N when the broker reports 1 in N of its routed messages
	// (under load); 1 otherwise.
	Sampled int
	// Bundled counts the messages that rode in another's dot since the
	// model began, Undrawn those counted without any dot, and Waiting
	// the messages waiting for room among the dots now.
	Bundled, Undrawn, Waiting int64
}

// Box is a rectangle.
type Box struct{ X, Y, W, H float64 }

// BrokerStats are the broker's own figures, from its sessions snapshot.
type BrokerStats struct {
	Clients, Sessions, Retained int
	Received, Sent, Dropped     uint64
	TelemetryLost               uint64
}

// Node is one row of a side of the diagram: a client, or (ID "") the
// others row standing for Others clients without a row of their own.
type Node struct {
	ID     string
	Others int
	Row    int
	Box    Box
	// Online, Persistent (its session outlives its connection), Ended
	// (its session is gone) and Pinned (the page's own client).
	Online, Persistent, Ended, Pinned bool
	// Filters are a subscriber's subscriptions; Shared names the shared
	// subscription groups among them.
	Filters []string
	Shared  []string
	// Sent counts a publisher's messages, LastTopic names the last one's
	// topic; Received and Dropped count a subscriber's messages whose dot
	// reached it or was dropped on the way.
	Sent, Received, Dropped int64
	LastTopic               string
	// Queue is how many messages the broker holds for the subscriber;
	// the queue is drawn leftwards from QueueEnd.
	Queue    int
	QueueEnd Point
}

// QueueSlot is the width of one queued message in a drawn queue.
const QueueSlot = queueSlot

// Shelf is a retained topic drawn in the broker.
type Shelf struct {
	Topic string
	Size  int
	Pos   Point
}

// Dot is one message, or a bundle of Weight alike messages, on its way.
// Weight counts the messages the broker's sampling stands for too;
// Bundled is how many reported messages rode together in the dot.
type Dot struct {
	// Seq numbers the flight the dot belongs to: the dots of one message
	// share it.
	Seq     uint64
	Kind    DotKind
	Pos     Point
	Weight  int64
	Bundled int
	From    string // publisher
	To      string // subscriber ("" for the others row or none yet)
	Topic   string
	QoS     int
	Opacity float64
}

// Scene advances the model to model time now and returns what it shows.
func (m *Model) Scene(now time.Duration) *Scene {
	m.advance(now)
	s := &Scene{Now: m.now, Width: Width, Sampled: 1, Stats: m.broker, HaveStats: m.haveSession,
		Bundled: m.bundled, Undrawn: m.undrawn}
	if m.sampled > 1 && m.now-m.sampledAt < sampledTTL {
		s.Sampled = m.sampled
	}
	for _, b := range m.pending {
		s.Waiting += b.f.weight
	}

	hiddenPubs, hiddenSubs := m.hidden()
	// A dot may come from or go to a client without a row that the
	// others row must then stand for.
	needPub, needSub := len(hiddenPubs) > 0, len(hiddenSubs) > 0
	for _, f := range m.flights {
		if f.kind == flightPublish && m.pubs.row(f.from) < 0 {
			needPub = true
		}
		for i := range f.legs {
			if l := &f.legs[i]; l.kind != DotRetain && (l.to == "" || m.subs.row(l.to) < 0) {
				needSub = true
			}
		}
	}
	pubRows, subRows := len(m.pubs.slots), len(m.subs.slots)
	if needPub {
		pubRows++
	}
	if needSub {
		subRows++
	}
	g := geometry{rows: max(minRows, pubRows, subRows)}
	s.Height = g.height()
	s.Broker = Box{brokerLeft, top - 8, brokerRight - brokerLeft, s.Height - bottomPad - (top - 8)}

	for i, id := range m.pubs.slots {
		if c := m.clients[id]; c != nil {
			s.Publishers = append(s.Publishers, m.pubNode(c, i, g))
		}
	}
	if needPub {
		s.Publishers = append(s.Publishers, m.othersPub(hiddenPubs, len(m.pubs.slots), g))
	}
	for i, id := range m.subs.slots {
		if c := m.clients[id]; c != nil {
			s.Subscribers = append(s.Subscribers, m.subNode(c, i, g))
		}
	}
	if needSub {
		s.Subscribers = append(s.Subscribers, m.othersSub(hiddenSubs, len(m.subs.slots), g))
	}

	total := len(m.retained)
	shown := min(len(m.retained), shelfRows)
	if total > shown {
		shown = min(shown, shelfRows-1)
	}
	for i, r := range m.retained[:shown] {
		s.Retained = append(s.Retained, Shelf{Topic: r.topic, Size: r.size, Pos: Point{brokerLeft + 14, g.shelfY(i)}})
	}
	s.RetainedLabel = Point{brokerLeft + 10, g.shelfTop() - 6}
	s.RetainedMore = total - shown
	s.RetainedMorePos = Point{brokerLeft + 14, g.shelfY(shown)}

	pubY := func(id string) float64 {
		if r := m.pubs.row(id); r >= 0 {
			return g.rowY(r)
		}
		return g.rowY(len(m.pubs.slots))
	}
	subY := func(id string) float64 {
		if r := m.subs.row(id); r >= 0 && id != "" {
			return g.rowY(r)
		}
		return g.rowY(len(m.subs.slots))
	}
	shelf := func(topic string) Point {
		for _, sh := range s.Retained {
			if sh.Topic == topic {
				return sh.Pos
			}
		}
		return Point{brokerLeft + 14, g.shelfY(min(len(s.Retained), shelfRows-1))}
	}
	for _, f := range m.flights {
		s.Dots = m.dots(s.Dots, f, pubY, subY, shelf)
	}
	for _, n := range m.notes {
		age := m.now - n.At
		n.Opacity = min(1, 2*(1-float64(age)/float64(m.cfg.NoteTTL)))
		switch n.Kind {
		case NoteRefused: // inside the broker, which refused it
			n.X, n.Y = brokerLeft+8, pubY(n.Client)-8
		default: // between the broker and the subscriber
			n.X, n.Y = (brokerRight+subLeft)/2, subY(n.Client)-8
		}
		s.Notes = append(s.Notes, n)
	}
	return s
}

// hidden lists the clients in each role that have no row.
func (m *Model) hidden() (pubs, subs []*clientState) {
	for id, c := range m.clients {
		if c.isPub && m.pubs.row(id) < 0 {
			pubs = append(pubs, c)
		}
		if c.isSub && !c.ended && m.subs.row(id) < 0 {
			subs = append(subs, c)
		}
	}
	return pubs, subs
}

func nodeBox(x float64, row int, g geometry) Box {
	return Box{x, g.rowY(row) - nodeH/2, nodeW, nodeH}
}

func (m *Model) pubNode(c *clientState, row int, g geometry) Node {
	return Node{ID: c.id, Row: row, Box: nodeBox(pubLeft, row, g), Online: c.online, Persistent: c.persistent,
		Pinned: c.pinned, Sent: c.sent, LastTopic: c.lastTopic}
}

func (m *Model) subNode(c *clientState, row int, g geometry) Node {
	n := Node{ID: c.id, Row: row, Box: nodeBox(subLeft, row, g), Online: c.online && !c.ended,
		Persistent: c.persistent, Ended: c.ended, Pinned: c.pinned, Filters: c.filters,
		Received: c.received, Dropped: c.dropped, Queue: c.queue, QueueEnd: Point{brokerRight - 8, g.rowY(row)}}
	for _, f := range c.filters {
		if group, _, ok := protocol.ParseShared(f); ok {
			n.Shared = append(n.Shared, group)
		}
	}
	return n
}

func (m *Model) othersPub(hidden []*clientState, row int, g geometry) Node {
	n := Node{Row: row, Box: nodeBox(pubLeft, row, g), Others: len(hidden), Online: true}
	for _, c := range hidden {
		n.Sent += c.sent
	}
	return n
}

func (m *Model) othersSub(hidden []*clientState, row int, g geometry) Node {
	n := Node{Row: row, Box: nodeBox(subLeft, row, g), Others: len(hidden), Online: true,
		QueueEnd: Point{brokerRight - 8, g.rowY(row)}}
	for _, c := range hidden {
		n.Received += c.received
		n.Dropped += c.dropped
		n.Queue += c.queue
	}
	return n
}

// dots appends the dots flight f draws now.
func (m *Model) dots(out []Dot, f *flight, pubY, subY func(string) float64, shelf func(string) Point) []Dot {
	L := m.cfg.Leg
	t := m.elapsed(f, m.now)
	if t < m.offset(f) {
		return out // a drain waiting its turn
	}
	frac := func(from time.Duration, span time.Duration) float64 {
		return float64(t-from) / float64(span)
	}
	dot := Dot{Seq: f.seq, Weight: f.weight, Bundled: f.events, From: f.from, Topic: f.topic, QoS: f.qos, Opacity: 1}
	if f.kind == flightDrain {
		dot.From = ""
	}
	yp := pubY(f.from)
	if t < L {
		dot.Kind = DotPublish
		if f.refused != "" {
			dot.Kind = DotRefused
		}
		dot.Pos = lerp(pubOut(yp), brokerIn(yp), frac(0, L))
		return append(out, dot)
	}
	if f.refused != "" {
		return out
	}
	if len(f.legs) == 0 {
		dot.Kind = DotUnrouted
		p := frac(L, L/2)
		dot.Pos = lerp(brokerIn(yp), Point{brokerIn(yp).X + 40, yp}, p)
		dot.Opacity = max(0, 1-p)
		return append(out, dot)
	}
	for i := range f.legs {
		l := &f.legs[i]
		if t >= m.arrival(l) {
			continue
		}
		d := dot
		d.To = l.to
		d.Kind = l.kind
		if f.kind == flightReplay && l.kind == DotDeliver {
			d.Kind = DotReplay
		}
		start := brokerIn(yp)
		if f.kind == flightReplay {
			start = shelf(f.topic)
		}
		if l.kind == DotRetain {
			d.To = ""
			d.Pos = lerp(start, shelf(f.topic), frac(L, L))
			out = append(out, d)
			continue
		}
		ys := subY(l.to)
		switch {
		case t < 2*L && l.kind == DotQueue:
			d.Pos = lerp(start, queueIn(ys), frac(L, L))
		case t < 2*L:
			d.Pos = lerp(start, brokerOut(ys), frac(L, L))
		case l.kind == DotDrop:
			mid := lerp(brokerOut(ys), subIn(ys), 0.5)
			p := frac(2*L, L/2)
			d.Pos = lerp(brokerOut(ys), mid, p)
			d.Opacity = max(0, 1-p)
		case l.kind == DotDrain:
			d.Pos = lerp(queueIn(ys), subIn(ys), frac(2*L, L))
		default:
			d.Pos = lerp(brokerOut(ys), subIn(ys), frac(2*L, L))
		}
		out = append(out, d)
	}
	return out
}
