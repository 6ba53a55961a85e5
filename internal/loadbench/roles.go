//go:build linux

package main

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// ioWait bounds every blocking read or write of a run, so that a broker
// that stops answering fails the run instead of hanging it.
const ioWait = 30 * time.Second

// subscriber counts what one subscription receives.
type subscriber struct {
	c       *mqttConn
	pubs    []seqSet // by publisher index
	latency bool     // record one-way latencies
	lat     latencies

	received atomic.Uint64 // unique messages so far, for the controller
	lastRecv atomic.Int64  // monotonic time of the last message
	stopping atomic.Bool

	foreign uint64 // messages without a readable stamp or from an unknown publisher
	err     error
}

func newSubscriber(c *mqttConn, publishers int, latency bool) *subscriber {
	return &subscriber{c: c, pubs: make([]seqSet, publishers), latency: latency}
}

// run reads until stop is called or the connection fails. QoS 1 messages
// are acknowledged in batches: the PUBACKs of everything one read
// returned go out in one write.
func (s *subscriber) run() {
	var pub protocol.Publish
	var acks []byte
	var fresh uint64
	c := s.c
	defer func() {
		if fresh > 0 {
			s.received.Add(fresh)
		}
	}()
	for {
		if !c.pending() {
			if fresh > 0 {
				s.received.Add(fresh)
				s.lastRecv.Store(monotonic())
				fresh = 0
			}
			if len(acks) > 0 {
				c.nc.SetWriteDeadline(time.Now().Add(ioWait))
				if _, err := c.nc.Write(acks); err != nil {
					s.fail(fmt.Errorf("sending PUBACK: %w", err))
					return
				}
				acks = acks[:0]
			}
			c.nc.SetReadDeadline(time.Now().Add(ioWait))
			if s.stopping.Load() {
				c.nc.SetReadDeadline(time.Now()) // stop may have run just before the line above
			}
		}
		h, raw, err := c.r.Next()
		if err != nil {
			s.fail(err)
			return
		}
		if h.Type != protocol.PUBLISH {
			s.fail(fmt.Errorf("subscriber got an unexpected %v", h.Type))
			return
		}
		if err := protocol.DecodeInto(&pub, h, raw[len(raw)-h.Remaining:], version); err != nil {
			s.fail(fmt.Errorf("decoding PUBLISH: %w", err))
			return
		}
		if pub.QoS == protocol.QoS1 {
			acks = appendPuback(acks, pub.PacketID)
		}
		seq, sent, from, ok := readStamp(pub.Payload)
		if !ok || int(from) >= len(s.pubs) {
			s.foreign++
			continue
		}
		if s.pubs[from].add(seq) {
			fresh++
			if s.latency {
				s.lat = append(s.lat, monotonic()-sent)
			}
		}
	}
}

// fail records why the loop ended; the controller's own stop is not an
// error.
func (s *subscriber) fail(err error) {
	if s.stopping.Load() && isTimeout(err) {
		return
	}
	s.err = err
}

// stop ends run: its next read returns at once.
func (s *subscriber) stop() {
	s.stopping.Store(true)
	s.c.nc.SetReadDeadline(time.Now())
}

// publisher sends numbered messages on one topic.
type publisher struct {
	c    *mqttConn
	idx  uint32
	tmpl template

	sent  uint64 // messages written completely (QoS 1: and acknowledged at the end)
	acked uint64
	err   error
}

// blast publishes at QoS 0 as fast as the broker reads, batch messages
// per write, until stop. TCP flow control is the only brake: a broker
// that reads slower slows the publisher down, it does not lose messages.
func (p *publisher) blast(stop *atomic.Bool, batch int) {
	n := len(p.tmpl.pkt)
	buf := make([]byte, 0, batch*n)
	for range batch {
		buf = append(buf, p.tmpl.pkt...)
	}
	for !stop.Load() {
		now := monotonic()
		for i := range batch {
			stamp(buf[i*n+p.tmpl.plOff:], p.sent+uint64(i), now, p.idx)
		}
		p.c.nc.SetWriteDeadline(time.Now().Add(ioWait))
		w, err := p.c.nc.Write(buf)
		p.sent += uint64(w / n)
		if err != nil {
			p.err = fmt.Errorf("publisher %d: %w", p.idx, err)
			return
		}
	}
}

// paced publishes at QoS 0 at a constant rate, starting at start: message
// k is due at start + k/rate, and is stamped when it is written. A
// publisher that falls behind catches up in batches of at most batch.
func (p *publisher) paced(stop *atomic.Bool, rate float64, start time.Time, batch int) {
	n := len(p.tmpl.pkt)
	buf := make([]byte, 0, batch*n)
	interval := time.Duration(float64(time.Second) / rate)
	for !stop.Load() {
		due := start.Add(time.Duration(p.sent) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
			continue
		}
		k := min(int(time.Since(start)/interval)+1-int(p.sent), batch)
		k = max(k, 1)
		buf = buf[:0]
		now := monotonic()
		for i := range k {
			buf = append(buf, p.tmpl.pkt...)
			stamp(buf[i*n+p.tmpl.plOff:], p.sent+uint64(i), now, p.idx)
		}
		p.c.nc.SetWriteDeadline(time.Now().Add(ioWait))
		w, err := p.c.nc.Write(buf)
		p.sent += uint64(w / n)
		if err != nil {
			p.err = fmt.Errorf("publisher %d: %w", p.idx, err)
			return
		}
	}
}

// windowed publishes at QoS 1 keeping window messages in flight: it
// tops the window up in one write, then waits for PUBACKs. After stop it
// sends nothing more and returns once every message is acknowledged, so
// sent counts only messages the broker took responsibility for.
func (p *publisher) windowed(stop *atomic.Bool, window int) {
	n := len(p.tmpl.pkt)
	buf := make([]byte, 0, window*n)
	var outstanding [65536 / 64]uint64 // packet identifiers awaiting PUBACK
	inflight := 0
	c := p.c
	for {
		buf = buf[:0]
		if !stop.Load() {
			now := monotonic()
			for inflight < window {
				id := uint16(p.sent%65535 + 1)
				off := len(buf)
				buf = append(buf, p.tmpl.pkt...)
				buf[off+p.tmpl.idOff], buf[off+p.tmpl.idOff+1] = byte(id>>8), byte(id)
				stamp(buf[off+p.tmpl.plOff:], p.sent, now, p.idx)
				outstanding[id/64] |= 1 << (id % 64)
				inflight++
				p.sent++
			}
		}
		if len(buf) > 0 {
			c.nc.SetWriteDeadline(time.Now().Add(ioWait))
			if _, err := c.nc.Write(buf); err != nil {
				p.err = fmt.Errorf("publisher %d: %w", p.idx, err)
				return
			}
		}
		if inflight == 0 {
			return
		}
		c.nc.SetReadDeadline(time.Now().Add(ioWait))
		for {
			h, raw, err := c.r.Next()
			if err != nil {
				p.err = fmt.Errorf("publisher %d waiting for PUBACK (%d in flight): %w", p.idx, inflight, err)
				return
			}
			if h.Type != protocol.PUBACK || len(raw) != 4 {
				p.err = fmt.Errorf("publisher %d: expected PUBACK, got %v", p.idx, h.Type)
				return
			}
			id := uint16(raw[2])<<8 | uint16(raw[3])
			if outstanding[id/64]&(1<<(id%64)) == 0 {
				p.err = fmt.Errorf("publisher %d: PUBACK for packet identifier %d, which is not in flight", p.idx, id)
				return
			}
			outstanding[id/64] &^= 1 << (id % 64)
			inflight--
			p.acked++
			if !c.pending() {
				break
			}
		}
	}
}
