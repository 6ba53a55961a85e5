package client

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// Direction says whether a tapped packet was sent or received.
type Direction uint8

// The two directions of a packet.
const (
	In  Direction = iota + 1 // from the server
	Out                      // to the server
)

func (d Direction) String() string {
	if d == In {
		return "in"
	}
	return "out"
}

// TapEvent is one packet seen by the tap: the packet inspector's source.
type TapEvent struct {
	Time    time.Time
	Dir     Direction
	Version protocol.Version
	// Raw is the packet's bytes, fixed header included: a copy that the
	// tap may keep.
	Raw []byte
	// Packet is Raw decoded, or nil when it did not decode (then Err says
	// why). For incoming packets it is the packet the client acts on; treat
	// it as read-only.
	Packet protocol.Packet
	Err    error
}

// SetTap installs fn as the tap, replacing any previous one; nil removes
// it. The tap is called synchronously for every packet, from the client's
// goroutines, never concurrently with itself, in the order the packets
// went out or came in (an outgoing packet just before it is written, so it
// always precedes the server's answer); the client waits for it, so it
// must be fast and must not call the Client. A slow consumer (a UI) should buffer: see
// TapBuffer. When no tap is set the client copies and decodes nothing for
// it.
func (c *Client) SetTap(fn func(TapEvent)) {
	if fn == nil {
		c.tap.Store(nil)
		return
	}
	c.tap.Store(&fn)
}

// tapping reports whether a tap is set, cheaply.
func (c *Client) tapping() bool { return c.tap.Load() != nil }

// tapRaw reports an outgoing packet from its encoded bytes, which it
// copies and decodes for the tap.
func (c *Client) tapRaw(dir Direction, v protocol.Version, raw []byte) {
	cp := append([]byte(nil), raw...)
	pkt, err := decodeRaw(cp, v)
	c.tapOwned(dir, v, cp, pkt, err)
}

// tapOwned reports a packet whose bytes raw the tap may keep.
func (c *Client) tapOwned(dir Direction, v protocol.Version, raw []byte, pkt protocol.Packet, err error) {
	fn := c.tap.Load()
	if fn == nil {
		return
	}
	c.tapMu.Lock()
	defer c.tapMu.Unlock()
	(*fn)(TapEvent{Time: time.Now(), Dir: dir, Version: v, Raw: raw, Packet: pkt, Err: err})
}

// decodeRaw decodes one whole packet; the packet aliases raw.
func decodeRaw(raw []byte, v protocol.Version) (protocol.Packet, error) {
	h, n, err := protocol.ParseFixedHeader(raw)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, protocol.ErrTruncated
	}
	return protocol.Decode(h, raw[n:], v)
}

// TapBuffer decouples a slow tap consumer from the client: its Tap method
// never blocks, dropping (and counting) events when the buffer is full.
//
//	buf := client.NewTapBuffer(1024)
//	c.SetTap(buf.Tap)
//	for ev := range buf.Events() { ... }
type TapBuffer struct {
	ch      chan TapEvent
	dropped atomic.Uint64
	once    sync.Once
}

// NewTapBuffer returns a TapBuffer holding up to n events.
func NewTapBuffer(n int) *TapBuffer { return &TapBuffer{ch: make(chan TapEvent, max(n, 1))} }

// Tap queues e, or drops it when the buffer is full.
func (b *TapBuffer) Tap(e TapEvent) {
	select {
	case b.ch <- e:
	default:
		b.dropped.Add(1)
	}
}

// Events is the channel the events arrive on.
func (b *TapBuffer) Events() <-chan TapEvent { return b.ch }

// Dropped is the number of events dropped because the buffer was full.
func (b *TapBuffer) Dropped() uint64 { return b.dropped.Load() }

// Close closes the Events channel; call it only after the tap is removed
// (SetTap(nil)) or the client is closed.
func (b *TapBuffer) Close() { b.once.Do(func() { close(b.ch) }) }
