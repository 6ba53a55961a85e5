package flow

import "time"

// The geometry of the diagram, in SVG user units: publishers in a column
// on the left, the broker in the middle, subscribers on the right, one row
// per client. The component scales the whole drawing to its width.
const (
	Width = 960

	nodeW      = 176
	nodeH      = 44
	pubLeft    = 12
	pubRight   = pubLeft + nodeW
	brokerLeft = 300
	// brokerRight is the broker's right edge; the subscribers' queues
	// stack leftwards from it, and between it and the subscribers there is
	// room for a note on what happened to their messages.
	brokerRight = 520
	subLeft     = Width - 12 - nodeW
	top         = 44 // below the column headings
	rowH        = 58
	minRows     = 3
	shelfRows   = 4 // retained topics listed at the bottom of the broker
	shelfLineH  = 16
	shelfPad    = 30
	bottomPad   = 12
	// queueSlot is the width of one queued message drawn in a queue.
	queueSlot = 7
	// QueueShown is how many queued messages a queue draws one by one;
	// beyond it the count says the rest.
	QueueShown = 12
)

// Point is a position in the diagram.
type Point struct{ X, Y float64 }

func lerp(a, b Point, f float64) Point {
	f = min(max(f, 0), 1)
	return Point{a.X + (b.X-a.X)*f, a.Y + (b.Y-a.Y)*f}
}

// geometry places rows for a number of rows on either side.
type geometry struct {
	rows int
}

func (g geometry) rowY(i int) float64 { return top + float64(i)*rowH + rowH/2 }

func (g geometry) shelfTop() float64 { return top + float64(g.rows)*rowH + shelfPad }

func (g geometry) height() float64 {
	return g.shelfTop() + shelfRows*shelfLineH + bottomPad
}

// shelfY is the baseline of the i-th retained topic listed in the broker.
func (g geometry) shelfY(i int) float64 { return g.shelfTop() + float64(i)*shelfLineH + 10 }

// The waypoints of a message: out of a publisher, into the broker, out of
// the broker towards a subscriber (or into its queue), into the subscriber.
func pubOut(y float64) Point   { return Point{pubRight, y} }
func brokerIn(y float64) Point { return Point{brokerLeft, y} }
func brokerOut(y float64) Point {
	return Point{brokerRight, y}
}
func queueIn(y float64) Point { return Point{brokerRight - 8 - queueSlot/2, y} }
func subIn(y float64) Point   { return Point{subLeft, y} }

// column keeps the rows of one side of the diagram stable: a client keeps
// its row while it is shown, new clients take free rows, and when every
// row is taken an idle client gives its row up to a busy one. Clients
// without a row are drawn together in one "others" row under the last.
type column struct {
	slots []string // client per row; "" is a free row
	max   int
}

func newColumn(max int) *column { return &column{max: max} }

// row returns the row of client id, or -1.
func (c *column) row(id string) int {
	for i, s := range c.slots {
		if s == id {
			return i
		}
	}
	return -1
}

// place gives id a row if it has none and one can be had: a free row, or
// the row of the client idle the longest (idle at least evictAfter, or
// any unpinned client when id is pinned). It reports whether id has a row.
func (c *column) place(id string, pinned bool, now, evictAfter time.Duration, st func(string) *clientState) bool {
	if c.row(id) >= 0 {
		return true
	}
	for i, s := range c.slots {
		if s == "" {
			c.slots[i] = id
			return true
		}
	}
	if len(c.slots) < c.max {
		c.slots = append(c.slots, id)
		return true
	}
	victim, oldest := -1, time.Duration(0)
	for i, s := range c.slots {
		cs := st(s)
		if cs == nil {
			victim = i
			break
		}
		if cs.pinned {
			continue
		}
		idle := now - cs.lastActive
		if (pinned || idle >= evictAfter) && (victim < 0 || cs.lastActive < oldest) {
			victim, oldest = i, cs.lastActive
		}
	}
	if victim < 0 {
		return false
	}
	c.slots[victim] = id
	return true
}

// remove frees the row of id.
func (c *column) remove(id string) {
	if i := c.row(id); i >= 0 {
		c.slots[i] = ""
	}
	for len(c.slots) > 0 && c.slots[len(c.slots)-1] == "" {
		c.slots = c.slots[:len(c.slots)-1]
	}
}

// NoteWidth is the room for a note between the broker and a subscriber,
// and inside the broker.
const NoteWidth = subLeft - brokerRight - 12
