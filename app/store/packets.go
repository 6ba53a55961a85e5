// Package store holds the state the pages of the web app share while the
// page is open: the MQTT clients the user made and every packet they sent
// and received. It knows nothing of go-app: components read it and learn
// of changes by comparing Version, which lets a page redraw at most a few
// times a second however busy a topic is.
package store

import (
	"sync"

	"github.com/mqttlab/mqttlab/protocol/client"
)

// Log is the packet log of the page: every client the page makes (the
// lab's, the lessons', the broker view's observer) taps into it, and the
// inspector shows it.
var Log = NewPackets(5000)

// Packet is one packet of one client, as its tap saw it.
type Packet struct {
	// Seq numbers packets in the order they were recorded, from 1.
	Seq uint64
	// Client is the name of the client in the page.
	Client string
	client.TapEvent
}

// Packets is a bounded log of packets, oldest dropped first. It is safe for
// concurrent use: clients' reader goroutines add, components read.
type Packets struct {
	mu      sync.Mutex
	ring    []Packet
	start   int // index of the oldest packet in ring
	n       int // packets in ring
	seq     uint64
	dropped uint64
}

// NewPackets makes a log that keeps the newest max packets.
func NewPackets(max int) *Packets {
	if max < 1 {
		max = 1
	}
	return &Packets{ring: make([]Packet, max)}
}

// Add records e as a packet of the client named name.
func (p *Packets) Add(name string, e client.TapEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	i := (p.start + p.n) % len(p.ring)
	if p.n == len(p.ring) {
		p.start = (p.start + 1) % len(p.ring)
		p.dropped++
	} else {
		p.n++
	}
	p.ring[i] = Packet{Seq: p.seq, Client: name, TapEvent: e}
}

// Tap returns a tap function for client.Config that records into p under
// name.
func (p *Packets) Tap(name string) func(client.TapEvent) {
	return func(e client.TapEvent) { p.Add(name, e) }
}

// Version changes whenever a packet is added: a component redraws when
// the version it last drew differs.
func (p *Packets) Version() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seq
}

// Dropped says how many packets were dropped to keep the log bounded.
func (p *Packets) Dropped() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dropped
}

// Newest returns up to limit packets that keep says to keep, newest first.
// A nil keep keeps every packet; limit <= 0 means no limit.
func (p *Packets) Newest(limit int, keep func(*Packet) bool) []Packet {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Packet
	for k := p.n - 1; k >= 0; k-- {
		pk := &p.ring[(p.start+k)%len(p.ring)]
		if keep != nil && !keep(pk) {
			continue
		}
		out = append(out, *pk)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out
}

// Get returns the packet numbered seq, if it is still in the log.
func (p *Packets) Get(seq uint64) (Packet, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n == 0 || seq > p.seq || seq <= p.seq-uint64(p.n) {
		return Packet{}, false
	}
	k := p.n - 1 - int(p.seq-seq)
	return p.ring[(p.start+k)%len(p.ring)], true
}

// Clear empties the log; sequence numbers go on from where they were.
func (p *Packets) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.ring)
	p.start, p.n = 0, 0
	p.seq++ // a change the components must see
}
