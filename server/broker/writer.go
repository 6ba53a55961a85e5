package broker

import (
	"sync"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// The write side of a connection. Packets are appended to an output buffer
// under a mutex by whichever goroutine produces them (the client's own read
// loop, or publishers' read loops routing to it); a flusher goroutine,
// started when the buffer becomes non-empty and gone when it is drained,
// writes the buffer with one system call however many packets it holds.
// So a busy subscriber gets many packets per write, an idle connection
// has neither a writer goroutine nor a buffer, and a slow consumer only
// ever holds MaxOutBuffer bytes: QoS 0 messages beyond that are dropped
// and counted, QoS 1 and 2 wait in the session queue.

var outPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

const writeTimeout = 30 * time.Second

// sendPublish appends a shared PUBLISH encoding, patching in the packet
// identifier at off for QoS 1 and 2. droppable says the message may be
// dropped when the buffer is full (QoS 0).
func (c *conn) sendPublish(b []byte, off int, id uint16, droppable bool) bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.wclosed || (droppable && len(c.out)+len(b) > c.b.opts.MaxOutBuffer) {
		return false
	}
	c.grow(len(b))
	start := len(c.out)
	c.out = append(c.out, b...)
	if id != 0 {
		c.out[start+off] = byte(id >> 8)
		c.out[start+off+1] = byte(id)
	}
	c.b.stats.sent.Add(1)
	c.kick()
	return true
}

// sendPacket encodes a PUBLISH straight into the buffer. It reports
// whether it was written and whether it was too large for the client.
func (c *conn) sendPacket(p *protocol.Publish, maxPacket int, droppable bool) (ok, tooLarge bool) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.wclosed || (droppable && len(c.out) > c.b.opts.MaxOutBuffer) {
		return false, false
	}
	c.grow(64 + len(p.Topic) + len(p.Payload))
	start := len(c.out)
	out, err := p.AppendTo(c.out)
	if err != nil || (maxPacket > 0 && len(out)-start > maxPacket) {
		c.out = out[:start]
		return false, true
	}
	c.out = out
	c.b.stats.sent.Add(1)
	c.kick()
	return true, false
}

// sendAck writes an acknowledgement (PUBACK, PUBREC, PUBREL, PUBCOMP).
func (c *conn) sendAck(t protocol.Type, id uint16, code protocol.ReasonCode) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.wclosed {
		return
	}
	c.grow(8)
	a := protocol.Puback{Version: c.version, PacketID: id, ReasonCode: code}
	var err error
	switch t {
	case protocol.PUBACK:
		c.out, err = a.AppendTo(c.out)
	case protocol.PUBREC:
		c.out, err = (*protocol.Pubrec)(&a).AppendTo(c.out)
	case protocol.PUBREL:
		c.out, err = (*protocol.Pubrel)(&a).AppendTo(c.out)
	case protocol.PUBCOMP:
		c.out, err = (*protocol.Pubcomp)(&a).AppendTo(c.out)
	}
	if err == nil {
		c.kick()
	}
}

// sendControl writes any other packet the broker sends (CONNACK, SUBACK,
// UNSUBACK, PINGRESP, DISCONNECT).
func (c *conn) sendControl(p protocol.Packet) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.wclosed {
		return errConnClosed
	}
	c.grow(64)
	out, err := p.AppendTo(c.out)
	if err != nil {
		return err
	}
	c.out = out
	c.kick()
	return nil
}

// grow makes sure the buffer exists, taking it from the pool.
func (c *conn) grow(n int) {
	if c.out == nil {
		c.out = (*outPool.Get().(*[]byte))[:0]
	}
}

// kick starts the flusher if it is not running. Called with wmu held. An
// in-memory link has no flusher: its endpoint takes the bytes at once.
func (c *conn) kick() {
	if c.link != nil {
		c.link.sink.Receive(c.out)
		c.b.stats.bytesSent.Add(uint64(len(c.out)))
		b := c.out[:0]
		outPool.Put(&b)
		c.out = nil
		return
	}
	if !c.flushing {
		c.flushing = true
		c.b.wg.Add(1)
		go c.flush()
	}
}

// flush writes the buffer until it is empty, swapping buffers so that
// producers keep appending while a write is in progress.
func (c *conn) flush() {
	defer c.b.wg.Done()
	var spare []byte
	for {
		c.wmu.Lock()
		if len(c.out) == 0 || c.wclosed {
			c.flushing = false
			if c.out != nil {
				b := c.out[:0]
				outPool.Put(&b)
				c.out = nil
			}
			if c.flushed != nil {
				c.flushed.Broadcast()
			}
			c.wmu.Unlock()
			if spare != nil {
				outPool.Put(&spare)
			}
			return
		}
		buf := c.out
		if spare != nil {
			c.out = spare[:0]
		} else {
			c.out = nil
		}
		c.wmu.Unlock()

		c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
		n, err := c.nc.Write(buf)
		c.b.stats.bytesSent.Add(uint64(n))
		if err != nil {
			c.wmu.Lock()
			c.wclosed = true
			c.wmu.Unlock()
			c.abort(endReason{err: err, code: protocol.UnspecifiedError, will: true, text: "write failed: " + err.Error()})
		}
		if cap(buf) > 64<<10 {
			buf = nil // do not keep a burst's large buffer around
		}
		spare = buf[:0]
	}
}

// drainAndCloseWrite stops accepting output once what is buffered is written, or
// the timeout passes. Used to get a final CONNACK or DISCONNECT out.
func (c *conn) drainAndCloseWrite(timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	c.wmu.Lock()
	if c.flushing && c.flushed == nil {
		c.flushed = sync.NewCond(&c.wmu) // made only when someone waits
	}
	for c.flushing && time.Now().Before(deadline) {
		waitTimeout(c.flushed, &c.wmu, time.Until(deadline))
	}
	c.wclosed = true
	c.wmu.Unlock()
}

// waitTimeout waits on cond for at most d; the caller holds l. The timer
// takes l before broadcasting, so it cannot fire before Wait has begun.
func waitTimeout(cond *sync.Cond, l sync.Locker, d time.Duration) {
	t := time.AfterFunc(d, func() {
		l.Lock()
		cond.Broadcast()
		l.Unlock()
	})
	cond.Wait()
	t.Stop()
}
