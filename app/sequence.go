package app

import (
	"sort"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// The geometry of a sequence diagram, in SVG user units. The diagram is a
// fixed-width drawing that the page scales to its column.
const (
	seqWidth    = 520
	seqClientX  = 70  // the client's lifeline
	seqBrokerX  = 400 // the broker's lifeline
	seqTop      = 46  // first arrow's row starts here, below the heads
	seqRowH     = 34  // one packet per row
	seqBottom   = 14  // below the last row
	seqLaneX    = 424 // first lane of the exchange brackets
	seqLaneStep = 12
	seqLanes    = 7 // brackets of more overlapping exchanges share the last lane
)

// seqMaxPackets is how many of a client's packets a diagram shows: the
// newest, so that a busy client still gives a readable picture.
const seqMaxPackets = 40

// flowKind is the kind of exchange a group of packets forms.
type flowKind uint8

const (
	flowConnect     flowKind = iota + 1 // CONNECT → CONNACK
	flowSubscribe                       // SUBSCRIBE → SUBACK
	flowUnsubscribe                     // UNSUBSCRIBE → UNSUBACK
	flowPing                            // PINGREQ → PINGRESP
	flowQoS1                            // PUBLISH → PUBACK
	flowQoS2                            // PUBLISH → PUBREC → PUBREL → PUBCOMP
)

// flowSteps lists the packet types of each kind of exchange, in order; the
// first is sent by the side that opens the exchange, the next by the
// other, and so on.
var flowSteps = map[flowKind][]protocol.Type{
	flowConnect:     {protocol.CONNECT, protocol.CONNACK},
	flowSubscribe:   {protocol.SUBSCRIBE, protocol.SUBACK},
	flowUnsubscribe: {protocol.UNSUBSCRIBE, protocol.UNSUBACK},
	flowPing:        {protocol.PINGREQ, protocol.PINGRESP},
	flowQoS1:        {protocol.PUBLISH, protocol.PUBACK},
	flowQoS2:        {protocol.PUBLISH, protocol.PUBREC, protocol.PUBREL, protocol.PUBCOMP},
}

// seqArrow is one packet in a sequence diagram: an arrow from the lifeline
// of its sender to the lifeline of its receiver.
type seqArrow struct {
	Seq  uint64 // the packet's number in the log, to select it
	Row  int    // 0 is the oldest packet shown
	Out  bool   // sent by the client to the broker
	Info packetInfo
	// Flow is the index of the exchange the packet belongs to in
	// sequenceLayout.Flows, or -1.
	Flow int
	// Step is the packet's place in its exchange, from 1; 0 without one.
	Step int
	// X1, X2 and Y place the arrow: it starts at X1 and points at X2.
	X1, X2, Y int
}

// seqFlow is one exchange of packets that belong together: a QoS 2
// handshake paired by packet identifier, a CONNECT and its CONNACK.
type seqFlow struct {
	Kind     flowKind
	PacketID uint16
	// Out says the client opened the exchange (a PUBLISH it sent); false
	// for a PUBLISH the broker delivered.
	Out bool
	// Rows are the rows of the exchange's packets, in order.
	Rows []int
	// Complete says the exchange got its last packet.
	Complete bool
	// Lane is the column of its bracket: exchanges whose rows overlap get
	// different lanes, up to seqLanes.
	Lane int
}

// sequenceLayout is a sequence diagram, laid out but not drawn: what
// renderSequence turns into SVG, and what the tests read.
type sequenceLayout struct {
	Arrows []seqArrow
	Flows  []seqFlow
	// Omitted counts the older packets left out to keep the diagram
	// bounded.
	Omitted int
	Height  int
}

// flowKey finds the open exchange a packet continues: packet identifiers
// are chosen by each side on its own, so an exchange is known by who opened
// it and its identifier.
type flowKey struct {
	kind flowKind
	out  bool
	id   uint16
}

// layoutSequence lays out the packets of one client (in any order) as a
// sequence diagram of its newest max packets, pairing the packets of each
// exchange: a PUBLISH with its PUBACK, or with its PUBREC, PUBREL and
// PUBCOMP, by direction and packet identifier; a CONNECT with its CONNACK,
// a SUBSCRIBE with its SUBACK, a PINGREQ with its PINGRESP. An answer
// whose opening packet is older than the diagram belongs to no exchange.
func layoutSequence(pkts []store.Packet, max int) sequenceLayout {
	sorted := append([]store.Packet(nil), pkts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Seq < sorted[j].Seq })
	var out sequenceLayout
	if max > 0 && len(sorted) > max {
		out.Omitted = len(sorted) - max
		sorted = sorted[out.Omitted:]
	}
	open := map[flowKey]int{}
	for row := range sorted {
		p := &sorted[row]
		a := seqArrow{Seq: p.Seq, Row: row, Out: p.Dir == client.Out, Info: infoOf(p), Flow: -1}
		a.Y = seqTop + row*seqRowH + seqRowH/2 + 6
		a.X1, a.X2 = seqBrokerX, seqClientX
		if a.Out {
			a.X1, a.X2 = seqClientX, seqBrokerX
		}
		if p.Err == nil {
			out.pair(&a, open)
		}
		out.Arrows = append(out.Arrows, a)
	}
	out.assignLanes()
	out.Height = seqTop + len(out.Arrows)*seqRowH + seqBottom
	return out
}

// pair puts a into the exchange it opens or continues.
func (l *sequenceLayout) pair(a *seqArrow, open map[flowKey]int) {
	t := a.Info.Type
	id := a.Info.PacketID
	switch t {
	case protocol.CONNECT:
		l.openFlow(a, open, flowKey{flowConnect, a.Out, 0})
	case protocol.SUBSCRIBE:
		l.openFlow(a, open, flowKey{flowSubscribe, a.Out, id})
	case protocol.UNSUBSCRIBE:
		l.openFlow(a, open, flowKey{flowUnsubscribe, a.Out, id})
	case protocol.PINGREQ:
		l.openFlow(a, open, flowKey{flowPing, a.Out, 0})
	case protocol.PUBLISH:
		kind := map[protocol.QoS]flowKind{protocol.QoS1: flowQoS1, protocol.QoS2: flowQoS2}[a.Info.QoS]
		if kind == 0 {
			return // QoS 0: a PUBLISH alone
		}
		k := flowKey{kind, a.Out, id}
		// A PUBLISH sent again with DUP, still unanswered, continues the
		// exchange it repeats.
		if f, ok := open[k]; ok && a.Info.Dup && l.Flows[f].stepCount(l) == 1 {
			l.join(a, f, 1)
			return
		}
		l.openFlow(a, open, k)
	case protocol.CONNACK:
		l.continueFlow(a, open, flowKey{flowConnect, !a.Out, 0})
	case protocol.SUBACK:
		l.continueFlow(a, open, flowKey{flowSubscribe, !a.Out, id})
	case protocol.UNSUBACK:
		l.continueFlow(a, open, flowKey{flowUnsubscribe, !a.Out, id})
	case protocol.PINGRESP:
		l.continueFlow(a, open, flowKey{flowPing, !a.Out, 0})
	case protocol.PUBACK:
		l.continueFlow(a, open, flowKey{flowQoS1, !a.Out, id})
	case protocol.PUBREC, protocol.PUBCOMP:
		l.continueFlow(a, open, flowKey{flowQoS2, !a.Out, id})
	case protocol.PUBREL:
		l.continueFlow(a, open, flowKey{flowQoS2, a.Out, id})
	}
}

func (l *sequenceLayout) openFlow(a *seqArrow, open map[flowKey]int, k flowKey) {
	f := len(l.Flows)
	l.Flows = append(l.Flows, seqFlow{Kind: k.kind, PacketID: k.id, Out: k.out})
	open[k] = f
	l.join(a, f, 1)
}

// continueFlow adds a to the open exchange k when a is the packet that
// exchange waits for next (or a repeat of the last one, as a PUBREL sent
// again); the last packet completes and closes it.
func (l *sequenceLayout) continueFlow(a *seqArrow, open map[flowKey]int, k flowKey) {
	f, ok := open[k]
	if !ok {
		return
	}
	steps := flowSteps[k.kind]
	fl := &l.Flows[f]
	n := fl.stepCount(l)
	switch {
	case n < len(steps) && steps[n] == a.Info.Type:
		l.join(a, f, n+1)
	case steps[n-1] == a.Info.Type:
		l.join(a, f, n) // sent again
	default:
		return
	}
	if a.Step == len(steps) {
		fl.Complete = true
		delete(open, k)
	}
}

// stepCount is the highest step the exchange has reached.
func (f *seqFlow) stepCount(l *sequenceLayout) int {
	n := 0
	for _, r := range f.Rows {
		n = max(n, l.Arrows[r].Step)
	}
	return n
}

func (l *sequenceLayout) join(a *seqArrow, f, step int) {
	a.Flow, a.Step = f, step
	l.Flows[f].Rows = append(l.Flows[f].Rows, a.Row)
}

// assignLanes gives every exchange of more than one packet the first lane
// no other exchange uses over its rows, so that the brackets of
// interleaved exchanges stand side by side.
func (l *sequenceLayout) assignLanes() {
	busyUntil := make([]int, seqLanes) // last row taken in each lane, -1 when free
	for i := range busyUntil {
		busyUntil[i] = -1
	}
	for i := range l.Flows {
		f := &l.Flows[i]
		first, last := f.Rows[0], f.Rows[len(f.Rows)-1]
		f.Lane = seqLanes - 1
		for lane, until := range busyUntil {
			if until < first {
				f.Lane = lane
				break
			}
		}
		busyUntil[f.Lane] = max(busyUntil[f.Lane], last)
	}
}

// laneX is the x of a lane's bracket.
func laneX(lane int) int { return seqLaneX + lane*seqLaneStep }
