package client

import (
	"context"
	"errors"
	"sort"

	"github.com/mqttlab/mqttlab/protocol"
)

// outMsg is an outgoing QoS 1 or 2 message of the session state, from
// Publish until PUBACK, or PUBCOMP, or a refusing PUBREC.
type outMsg struct {
	id       uint16
	seq      uint64           // order of publication, for re-sending in order
	pub      protocol.Publish // the client's own copy, never aliased
	rel      bool             // PUBREC received: PUBREL sent, PUBCOMP awaited
	everSent bool             // sent at least once: a re-send carries DUP
	sentOn   *conn            // the connection it was last sent on
	done     chan struct{}    // closed when complete
	err      error            // the outcome; read after done is closed
}

// in2State is an incoming QoS 2 message whose PUBREL has not come yet.
type in2State struct {
	delivered bool   // the handlers have run: a re-sent PUBLISH is only answered
	owe       uint64 // the connection on which a PUBREC is owed once delivered
}

// op is a SUBSCRIBE or UNSUBSCRIBE waiting for its acknowledgement.
type op struct {
	t    protocol.Type // the acknowledgement expected
	done chan struct{}
	ack  protocol.Packet
	err  error
}

// errNoPacketID is returned when all 65,535 identifiers are in use.
var errNoPacketID = errors.New("mqtt client: all 65,535 packet identifiers are in use")

// allocIDLocked returns a packet identifier that no message or operation
// in flight uses (§2.2.1 of 3.1.1, §2.2.1 of 5.0).
func (c *Client) allocIDLocked() (uint16, error) {
	for range 65535 {
		c.nextID++
		if c.nextID == 0 {
			c.nextID = 1
		}
		if _, used := c.out[c.nextID]; used {
			continue
		}
		if _, used := c.ops[c.nextID]; used {
			continue
		}
		return c.nextID, nil
	}
	return 0, errNoPacketID
}

// addOut waits for a slot in the server's window (its Receive Maximum,
// §4.9) and adds pub to the session state under a fresh identifier.
func (c *Client) addOut(ctx context.Context, r *run, pub *protocol.Publish) (*outMsg, error) {
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, ErrClosed
		}
		if len(c.out) < c.quota {
			id, err := c.allocIDLocked()
			if err != nil {
				c.mu.Unlock()
				return nil, err
			}
			c.seq++
			e := &outMsg{id: id, seq: c.seq, pub: *pub, done: make(chan struct{})}
			e.pub.PacketID = id
			c.out[id] = e
			c.mu.Unlock()
			return e, nil
		}
		if c.slotCh == nil {
			c.slotCh = make(chan struct{})
		}
		ch := c.slotCh
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-r.ended:
			return nil, r.cause
		}
	}
}

// completeLocked ends a message's flow with err (nil for success) and
// frees its slot and identifier.
func (c *Client) completeLocked(id uint16, e *outMsg, err error) {
	if c.out[id] != e {
		return
	}
	delete(c.out, id)
	e.err = err
	close(e.done)
	c.wakeSlotsLocked()
}

// wakeSlotsLocked wakes the publishers waiting for a window slot.
func (c *Client) wakeSlotsLocked() {
	if c.slotCh != nil {
		close(c.slotCh)
		c.slotCh = nil
	}
}

// sendOut sends a message for the first time on cn, unless cn is not (or
// no longer) the ready connection or the message was already sent on it:
// the re-sending of the next connection then takes care of it. sent
// reports whether the message has ever been sent.
func (c *Client) sendOut(ctx context.Context, cn *conn, e *outMsg) (sent bool, err error) {
	if err := cn.lock(ctx); err != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		return e.everSent, err
	}
	defer cn.unlock()
	c.mu.Lock()
	if c.cn != cn || !c.ready || e.sentOn == cn || c.out[e.id] != e {
		sent = e.everSent
		c.mu.Unlock()
		return sent, nil
	}
	pub := e.pub
	pub.Dup = e.everSent
	e.sentOn, e.everSent = cn, true
	c.mu.Unlock()
	if err := cn.writePublishLocked(&pub, !pub.Dup); err != nil {
		if errors.Is(err, protocol.ErrPacketTooLarge) {
			c.mu.Lock()
			e.everSent, e.sentOn = pub.Dup, nil
			c.mu.Unlock()
			return pub.Dup, err
		}
		return true, err
	}
	return true, nil
}

// removeUnsent takes a message that never went out out of the session.
func (c *Client) removeUnsent(e *outMsg, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !e.everSent {
		c.completeLocked(e.id, e, err)
	}
}

// unsentLocked lists, oldest first, the messages not yet sent on cn.
func (c *Client) unsentLocked(cn *conn) []*outMsg {
	var list []*outMsg
	for _, e := range c.out {
		if e.sentOn != cn {
			list = append(list, e)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].seq < list[j].seq })
	return list
}

// resend sends e on a resumed connection: PUBREL when PUBREC came, else the
// PUBLISH, with DUP if it was sent before [MQTT-4.4.0-1] [MQTT-3.3.1-1].
func (c *Client) resend(cn *conn, e *outMsg) error {
	if err := cn.lock(context.Background()); err != nil {
		return err
	}
	defer cn.unlock()
	c.mu.Lock()
	if c.cn != cn || e.sentOn == cn || c.out[e.id] != e {
		c.mu.Unlock()
		return nil
	}
	pub, rel := e.pub, e.rel
	pub.Dup = e.everSent
	e.sentOn, e.everSent = cn, true
	c.mu.Unlock()
	if rel {
		b, err := (&protocol.Pubrel{Version: cn.v, PacketID: e.id}).AppendTo(cn.wbuf[:0])
		if err != nil {
			return err
		}
		return cn.flushLocked(b, protocol.PUBREL)
	}
	err := cn.writePublishLocked(&pub, false)
	if errors.Is(err, protocol.ErrPacketTooLarge) {
		// The new server accepts less than the old one did.
		c.mu.Lock()
		c.completeLocked(e.id, e, err)
		c.mu.Unlock()
		return nil
	}
	return err
}

// onPuback completes a QoS 1 message.
func (c *Client) onPuback(p *protocol.Puback) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.out[p.PacketID]
	if e == nil || e.pub.QoS != protocol.QoS1 {
		return // not ours (any more): nothing to do
	}
	c.completeLocked(p.PacketID, e, ackError(protocol.PUBACK, p.ReasonCode, &p.Props))
}

// onPubrec moves a QoS 2 message to its second step, or ends it when the
// server refused it.
func (c *Client) onPubrec(cn *conn, p *protocol.Pubrec) {
	c.mu.Lock()
	e := c.out[p.PacketID]
	if e != nil && e.pub.QoS == protocol.QoS2 && p.ReasonCode.IsError() {
		c.completeLocked(p.PacketID, e, ackError(protocol.PUBREC, p.ReasonCode, &p.Props))
		c.mu.Unlock()
		return // §4.3.3: a refused message gets no PUBREL
	}
	rel := &protocol.Pubrel{Version: cn.v, PacketID: p.PacketID}
	if e == nil || e.pub.QoS != protocol.QoS2 {
		if cn.v == protocol.V5 {
			rel.ReasonCode = protocol.PacketIdentifierNotFound
		}
	} else {
		e.rel = true
	}
	c.mu.Unlock()
	cn.write(context.Background(), rel)
}

// onPubcomp completes a QoS 2 message.
func (c *Client) onPubcomp(p *protocol.Pubcomp) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.out[p.PacketID]
	if e == nil || !e.rel {
		return
	}
	c.completeLocked(p.PacketID, e, ackError(protocol.PUBCOMP, p.ReasonCode, &p.Props))
}

// ackError is the error an acknowledgement's reason code means, or nil.
func ackError(t protocol.Type, code protocol.ReasonCode, props *protocol.Properties) error {
	if !code.IsError() {
		return nil
	}
	return &ReasonError{Packet: t, Code: code, Reason: props.ReasonString.Value, Props: *props}
}
