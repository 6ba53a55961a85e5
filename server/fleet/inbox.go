package fleet

import "sync"

// evKind says what an event brings to the scheduler.
type evKind uint8

const (
	evDo      evKind = iota // run fn on the scheduler goroutine
	evBytes                 // in-process: bytes the broker sent the device
	evClosed                // the connection ended (in-process: the broker closed the link)
	evUp                    // external: connected, subscribed, birth published
	evFailed                // external: the connection failed or was lost
	evCommand               // external: a message on a command subscription
)

// schedEvent is one thing for the scheduler to handle. Events of a connection
// carry its generation: those of a connection the device has since left
// are ignored.
type schedEvent struct {
	dc     *devConn
	x      any   // evDo: func(); evClosed, evFailed: error; evCommand: *client.Message
	off, n int32 // evBytes: the bytes, in the inbox's data
	gen    uint32
	kind   evKind
}

// maxInboxBytes bounds the bytes waiting for the scheduler. The broker
// hands a device's bytes over while holding its locks, so the inbox cannot
// make it wait: beyond this, bytes are dropped and counted (it takes a
// scheduler stalled for seconds under a flood of commands).
const maxInboxBytes = 64 << 20

// inbox is the queue between everything that happens to the devices and
// the scheduler goroutine. Posting never blocks: it appends under a mutex
// that is never held while calling out, and wakes the scheduler.
type inbox struct {
	mu      sync.Mutex
	evs     []schedEvent
	data    []byte
	dropped uint64
	wake    chan struct{}
}

// post queues e and wakes the scheduler.
func (q *inbox) post(e schedEvent) {
	q.mu.Lock()
	q.evs = append(q.evs, e)
	q.mu.Unlock()
	q.kick()
}

// postBytes queues a copy of b, received by dc's connection gen.
func (q *inbox) postBytes(dc *devConn, gen uint32, b []byte) {
	q.mu.Lock()
	if len(q.data)+len(b) > maxInboxBytes {
		q.dropped++
		q.mu.Unlock()
		return
	}
	off := len(q.data)
	q.data = append(q.data, b...)
	q.evs = append(q.evs, schedEvent{kind: evBytes, dc: dc, gen: gen, off: int32(off), n: int32(len(b))})
	q.mu.Unlock()
	q.kick()
}

func (q *inbox) kick() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// take swaps the queued events and bytes for the (emptied) slices given.
func (q *inbox) take(evs []schedEvent, data []byte) ([]schedEvent, []byte) {
	q.mu.Lock()
	defer q.mu.Unlock()
	evs, q.evs = q.evs, evs[:0]
	data, q.data = q.data, data[:0]
	return evs, data
}

// droppedCount returns how many deliveries the inbox dropped.
func (q *inbox) droppedCount() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.dropped
}
