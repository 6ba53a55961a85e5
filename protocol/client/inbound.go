package client

import (
	"context"
	"fmt"
	"sync"

	"github.com/mqttlab/mqttlab/protocol"
)

// handle acts on one packet from the server; an error is a protocol
// violation that ends the connection.
func (c *Client) handle(cn *conn, p protocol.Packet) error {
	switch p := p.(type) {
	case *protocol.Publish:
		return c.onPublish(cn, p)
	case *protocol.Puback:
		c.onPuback(p)
	case *protocol.Pubrec:
		c.onPubrec(cn, p)
	case *protocol.Pubrel:
		c.onPubrel(cn, p)
	case *protocol.Pubcomp:
		c.onPubcomp(p)
	case *protocol.Suback:
		c.onOpAck(p.PacketID, p)
	case *protocol.Unsuback:
		c.onOpAck(p.PacketID, p)
	case *protocol.Pingresp:
		cn.pong()
	case *protocol.Disconnect:
		cn.fail(&ReasonError{Packet: protocol.DISCONNECT, Code: p.ReasonCode,
			Reason: p.Props.ReasonString.Value, Props: p.Props})
	case *protocol.Auth:
		return c.onAuth(cn, p)
	default:
		return fmt.Errorf("mqtt client: the server sent %s: %w", p.Type(),
			&protocol.Error{Code: protocol.ProtocolError, Msg: "packet a server must not send"})
	}
	return nil
}

var (
	errAliasInvalid = &protocol.Error{Code: protocol.TopicAliasInvalid, Rule: "MQTT-3.3.2-11",
		Msg: "topic alias 0 or above the Topic Alias Maximum the client announced"}
	errAliasUnknown = &protocol.Error{Code: protocol.ProtocolError,
		Msg: "topic alias with an empty topic before the alias was set (§3.3.2.3.4)"}
	errReceiveMax = &protocol.Error{Code: protocol.ReceiveMaximumExceeded,
		Msg: "more unacknowledged QoS 1 and 2 messages than the Receive Maximum the client announced (§3.3.4)"}
)

// onPublish resolves the topic alias, applies the flow control the client
// announced, filters QoS 2 duplicates, and queues the message.
func (c *Client) onPublish(cn *conn, p *protocol.Publish) error {
	if a, ok := p.Props.TopicAlias.Get(); ok {
		if a == 0 || int(a) >= len(cn.aliasIn) {
			return errAliasInvalid
		}
		switch {
		case p.Topic != "":
			cn.aliasIn[a] = p.Topic
		case cn.aliasIn[a] != "":
			p.Topic = cn.aliasIn[a]
		default:
			return errAliasUnknown
		}
	}
	m := &Message{Topic: p.Topic, Payload: p.Payload, QoS: p.QoS, Retain: p.Retain,
		Props: p.Props, Dup: p.Dup, PacketID: p.PacketID}
	d := delivery{m: m, gen: cn.gen}
	switch p.QoS {
	case protocol.QoS1:
		if c.receiveMaxExceeded(cn) {
			return errReceiveMax
		}
		cn.inQ1.Add(1)
	case protocol.QoS2:
		c.mu.Lock()
		if st := c.in2[p.PacketID]; st != nil {
			// A re-sent message we already have: never deliver it twice
			// (§4.3.3); answer it once it is delivered.
			delivered := st.delivered
			if !delivered {
				st.owe = cn.gen
			}
			c.mu.Unlock()
			if delivered {
				cn.write(context.Background(), &protocol.Pubrec{Version: cn.v, PacketID: p.PacketID})
			}
			return nil
		}
		c.mu.Unlock()
		if c.receiveMaxExceeded(cn) {
			return errReceiveMax
		}
		c.mu.Lock()
		c.in2[p.PacketID] = &in2State{owe: cn.gen}
		c.mu.Unlock()
	}
	c.enqueue(cn, d)
	return nil
}

// receiveMaxExceeded reports whether one more QoS 1 or 2 message would
// exceed the Receive Maximum the client announced (5.0).
func (c *Client) receiveMaxExceeded(cn *conn) bool {
	rm, ok := c.cfg.Connect.Props.ReceiveMaximum.Get()
	if cn.v != protocol.V5 || !ok {
		return false
	}
	c.mu.Lock()
	n := int(cn.inQ1.Load()) + len(c.in2)
	c.mu.Unlock()
	return n >= int(rm)
}

// onPubrel releases an incoming QoS 2 message and completes its flow.
func (c *Client) onPubrel(cn *conn, p *protocol.Pubrel) {
	c.mu.Lock()
	_, known := c.in2[p.PacketID]
	delete(c.in2, p.PacketID)
	c.mu.Unlock()
	comp := &protocol.Pubcomp{Version: cn.v, PacketID: p.PacketID}
	if !known && cn.v == protocol.V5 {
		comp.ReasonCode = protocol.PacketIdentifierNotFound
	}
	cn.write(context.Background(), comp)
}

// onOpAck completes a SUBSCRIBE or UNSUBSCRIBE.
func (c *Client) onOpAck(id uint16, p protocol.Packet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o := c.ops[id]
	if o == nil || o.t != p.Type() {
		return
	}
	delete(c.ops, id)
	o.ack = p
	close(o.done)
}

// delivery is a message waiting for its handlers.
type delivery struct {
	m   *Message
	gen uint64 // the connection it came on
}

// inbox is the bounded queue between the reader and the handlers.
type inbox struct {
	mu      sync.Mutex
	q       []delivery
	head    int
	n12     int  // queued QoS 1 and 2 messages
	running bool // a delivery goroutine is running
	closed  bool
	space   chan struct{} // closed when a QoS 1/2 slot frees; nil if nobody waits
	wg      sync.WaitGroup
}

func (ib *inbox) len() int {
	ib.mu.Lock()
	defer ib.mu.Unlock()
	return len(ib.q) - ib.head
}

// enqueue queues d for the handlers and starts the delivery goroutine if
// none runs. A QoS 0 message finding the queue full is dropped and
// reported; a QoS 1 or 2 message waits for room (the server's window,
// bounded by our Receive Maximum, normally prevents that).
func (c *Client) enqueue(cn *conn, d delivery) {
	ib := &c.inbox
	for {
		ib.mu.Lock()
		if ib.closed {
			ib.mu.Unlock()
			return
		}
		n := len(ib.q) - ib.head
		if d.m.QoS == 0 && n >= c.cfg.QueueSize {
			ib.mu.Unlock()
			c.stats.dropped.Add(1)
			c.emit(Event{Kind: EventDropped, Topic: d.m.Topic})
			return
		}
		if d.m.QoS == 0 || ib.n12 < c.cfg.QueueSize {
			break
		}
		if ib.space == nil {
			ib.space = make(chan struct{})
		}
		ch := ib.space
		ib.mu.Unlock()
		select {
		case <-ch:
		case <-cn.dead:
			return
		}
	}
	if d.m.QoS > 0 {
		ib.n12++
	}
	if ib.head > 0 && ib.head == len(ib.q) {
		ib.q, ib.head = ib.q[:0], 0
	}
	ib.q = append(ib.q, delivery{})
	ib.q[len(ib.q)-1] = d
	start := !ib.running
	ib.running = true
	if start {
		ib.wg.Add(1)
	}
	ib.mu.Unlock()
	if start {
		go c.deliver()
	}
}

// deliver runs the handlers of queued messages until the queue is empty.
func (c *Client) deliver() {
	ib := &c.inbox
	defer ib.wg.Done()
	var hs []Handler
	for {
		ib.mu.Lock()
		if ib.closed || ib.head == len(ib.q) {
			ib.running = false
			ib.q, ib.head = ib.q[:0], 0
			ib.mu.Unlock()
			return
		}
		d := ib.q[ib.head]
		ib.q[ib.head] = delivery{}
		ib.head++
		ib.mu.Unlock()

		hs = c.router.handlers(hs[:0], d.m)
		switch {
		case len(hs) > 0:
			for _, h := range hs {
				h(d.m)
			}
		case c.cfg.DefaultHandler != nil:
			c.cfg.DefaultHandler(d.m)
		default:
			c.stats.unrouted.Add(1)
		}
		clear(hs)
		c.acknowledge(d)

		if d.m.QoS > 0 {
			ib.mu.Lock()
			ib.n12--
			if ib.space != nil {
				close(ib.space)
				ib.space = nil
			}
			ib.mu.Unlock()
		}
	}
}

// acknowledge answers a delivered QoS 1 or 2 message [MQTT-4.6.0-2]
// [MQTT-4.6.0-3]: on the connection it came on; a message from an older
// connection is answered when the server sends it again.
func (c *Client) acknowledge(d delivery) {
	switch d.m.QoS {
	case protocol.QoS1:
		cn := c.current()
		if cn == nil || cn.gen != d.gen || c.faults.withheld() {
			return // a withheld PUBACK leaves the message in the server's window
		}
		cn.inQ1.Add(-1)
		cn.write(context.Background(), &protocol.Puback{Version: cn.v, PacketID: d.m.PacketID})
	case protocol.QoS2:
		c.mu.Lock()
		st := c.in2[d.m.PacketID]
		cn := c.cn
		if st == nil {
			c.mu.Unlock()
			return
		}
		st.delivered = true
		owe := cn != nil && st.owe == cn.gen && !c.faults.withheld()
		c.mu.Unlock()
		if owe {
			cn.write(context.Background(), &protocol.Pubrec{Version: cn.v, PacketID: d.m.PacketID})
		}
	}
}

// close drops the queued messages and waits for the running handler.
func (ib *inbox) close() {
	ib.mu.Lock()
	ib.closed = true
	clear(ib.q)
	ib.q, ib.head, ib.n12 = nil, 0, 0
	ib.mu.Unlock()
	ib.wg.Wait()
}
