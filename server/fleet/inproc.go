package fleet

import (
	"fmt"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/server/broker"
)

// inProcess connects devices to a broker in the same process through
// in-memory links. The scheduler writes a device's packets into its link,
// where the broker handles them at once; what the broker sends back comes
// to the link's endpoint, which only queues it for the scheduler. A device
// costs no goroutine and, between packets, no buffer.
type inProcess struct {
	r *Runner
	b *broker.Broker

	// Scratch for decoding, reused for every packet.
	in      protocol.Publish
	ack     protocol.Puback
	connack protocol.Connack
	suback  protocol.Suback
	disc    protocol.Disconnect
}

// endpoint is the device's side of one link. Its generation tells the
// scheduler which connection of the device the bytes belong to.
type endpoint struct {
	in  *inbox
	dc  *devConn
	gen uint32
}

func (e *endpoint) Receive(b []byte) { e.in.postBytes(e.dc, e.gen, b) }

func (e *endpoint) Closed(err error) {
	e.in.post(schedEvent{kind: evClosed, dc: e.dc, gen: e.gen, x: fmt.Errorf("connection closed by the broker: %w", err)})
}

func (p *inProcess) pings() bool { return true }

func (p *inProcess) connect(dc *devConn, now int64) {
	s := &p.r.sched
	dc.gen++
	l, err := p.b.Attach(&endpoint{in: &p.r.in, dc: dc, gen: dc.gen})
	if err != nil {
		dc.flags = fLinking // so that lost counts it and retries
		s.lost(dc, fmt.Errorf("attach to the broker: %w", err), now)
		return
	}
	dc.link = l
	dc.flags = fUp
	d := dc.dev
	c := d.Connect()
	if o := &p.r.opts; o.Username != "" {
		c.Username, c.Password = protocol.Some(o.Username), protocol.Some([]byte(o.Password))
	}
	out, err := c.AppendTo(s.out[:0])
	if subs := d.Subscriptions(); err == nil && len(subs) > 0 {
		out, err = (&protocol.Subscribe{Version: c.Version, PacketID: dc.packetID(), Subscriptions: subs}).AppendTo(out)
	}
	if m, ok := d.Birth(s.buf); err == nil && ok {
		s.buf = m.Buf
		out, err = p.appendPublish(dc, out, &m, false)
	}
	s.out = out
	if err != nil {
		s.lost(dc, fmt.Errorf("CONNECT: %w", err), now)
		return
	}
	p.write(dc, out, now)
}

// appendPublish encodes m for dc, with a packet identifier for QoS 1 and
// 2. A status message or a reply keeps its identifier in ctlID, so that
// a refusal in its acknowledgement is not taken for a data message's.
func (p *inProcess) appendPublish(dc *devConn, out []byte, m *Message, data bool) ([]byte, error) {
	s := &p.r.sched
	m.fill(&s.pub, dc.dev.fleet.Version)
	if m.QoS > 0 {
		s.pub.PacketID = dc.packetID()
		if !data {
			dc.ctlID = s.pub.PacketID
		}
	}
	return s.pub.AppendTo(out)
}

// write hands bytes to the broker; a failure is a lost connection.
func (p *inProcess) write(dc *devConn, b []byte, now int64) bool {
	if dc.link == nil {
		return false
	}
	dc.lastOut = now
	if _, err := dc.link.Write(b); err != nil {
		p.r.sched.lost(dc, fmt.Errorf("write: %w", err), now)
		return false
	}
	return true
}

func (p *inProcess) publish(dc *devConn, m *Message, data bool, now int64) {
	s := &p.r.sched
	out, err := p.appendPublish(dc, s.out[:0], m, data)
	s.out = out
	if err != nil {
		dc.fr.fail(fmt.Errorf("PUBLISH to %s: %w", m.Topic, err))
		return
	}
	// A link hands the PUBLISH to the broker before Write returns: it is
	// routed, and at QoS 1 and 2 acknowledged, by then. So it counts now,
	// and a refusal in its acknowledgement takes it back.
	if p.write(dc, out, now) && data {
		dc.fr.published.Add(1)
	}
}

func (p *inProcess) reply(dc *devConn, rp *protocol.Publish, now int64) {
	s := &p.r.sched
	if rp.QoS > 0 {
		rp.PacketID = dc.packetID()
		dc.ctlID = rp.PacketID
	}
	out, err := rp.AppendTo(s.out[:0])
	s.out = out
	if err != nil {
		dc.fr.fail(fmt.Errorf("reply to %s: %w", rp.Topic, err))
		return
	}
	p.write(dc, out, now)
}

func (p *inProcess) leave(dc *devConn, goodbye *Message, now int64) {
	s := &p.r.sched
	out := s.out[:0]
	var err error
	if goodbye != nil {
		out, err = p.appendPublish(dc, out, goodbye, false)
	}
	if err == nil {
		out, err = (&protocol.Disconnect{Version: dc.dev.fleet.Version}).AppendTo(out)
	}
	s.out = out
	if err == nil {
		p.write(dc, out, now)
	}
	if dc.link != nil {
		dc.link.Close() // nothing left to do after DISCONNECT, unless the write failed
	}
}

func (p *inProcess) drop(dc *devConn) {
	if dc.link != nil {
		dc.link.Close()
	}
}

func (p *inProcess) ping(dc *devConn, now int64) {
	s := &p.r.sched
	s.out, _ = (&protocol.Pingreq{}).AppendTo(s.out[:0])
	p.write(dc, s.out, now)
}

func (p *inProcess) release(dc *devConn) {
	dc.link, dc.pend, dc.ctlID = nil, nil, 0
}

func (p *inProcess) retire(dc *devConn) {}

// receive splits what the broker sent into packets and handles each. A
// packet split across deliveries waits in pend, the only buffer a device
// ever holds, and only until its end arrives.
func (p *inProcess) receive(dc *devConn, b []byte, now time.Time) {
	gen := dc.gen
	buf := b
	if len(dc.pend) > 0 {
		dc.pend = append(dc.pend, b...)
		buf = dc.pend
	}
	for len(buf) > 0 {
		h, n, err := protocol.ParseFixedHeader(buf)
		if err != nil {
			p.r.sched.lost(dc, fmt.Errorf("from the broker: %w", err), now.UnixNano())
			return
		}
		if n == 0 || len(buf) < n+h.Remaining {
			break
		}
		body := buf[n : n+h.Remaining]
		buf = buf[n+h.Remaining:]
		p.packet(dc, h, body, now)
		if dc.gen != gen {
			return // the connection ended
		}
	}
	switch {
	case len(buf) == 0:
		dc.pend = nil
	case len(dc.pend) > 0:
		dc.pend = dc.pend[:copy(dc.pend, buf)]
	default:
		dc.pend = append([]byte(nil), buf...)
	}
}

// packet handles one packet from the broker.
func (p *inProcess) packet(dc *devConn, h protocol.FixedHeader, body []byte, now time.Time) {
	s := &p.r.sched
	t := now.UnixNano()
	v := dc.dev.fleet.Version
	fr := dc.fr
	var err error
	switch h.Type {
	case protocol.CONNACK:
		if err = protocol.DecodeInto(&p.connack, h, body, v); err != nil {
			break
		}
		if rc := p.connack.ReasonCode; rc.IsError() {
			s.lost(dc, fmt.Errorf("connection refused: %v", rc), t)
			return
		}
		if ka, ok := p.connack.Props.ServerKeepAlive.Get(); ok && int64(ka)*int64(time.Second) < fr.keepAlive {
			fr.keepAlive = int64(ka) * int64(time.Second)
		}
		s.counted(dc)
	case protocol.SUBACK:
		if err = protocol.DecodeInto(&p.suback, h, body, v); err != nil {
			break
		}
		for _, rc := range p.suback.ReasonCodes {
			if rc.IsError() {
				fr.fail(fmt.Errorf("command subscription refused: %v", rc))
			}
		}
	case protocol.PUBACK, protocol.PUBREC, protocol.PUBCOMP:
		if err = protocol.DecodeInto(p.ackOf(h.Type), h, body, v); err != nil {
			break
		}
		a := &p.ack
		control := a.PacketID == dc.ctlID && dc.ctlID != 0
		switch {
		case a.ReasonCode.IsError():
			fr.fail(fmt.Errorf("publish refused: %v", a.ReasonCode))
			if !control {
				fr.published.Add(^uint64(0))
			}
		case h.Type == protocol.PUBREC:
			s.out, _ = (&protocol.Pubrel{Version: v, PacketID: a.PacketID}).AppendTo(s.out[:0])
			p.write(dc, s.out, t)
			return
		}
		if control {
			dc.ctlID = 0
		}
	case protocol.PUBLISH:
		if err = protocol.DecodeInto(&p.in, h, body, v); err != nil {
			break
		}
		id := p.in.PacketID
		switch p.in.QoS {
		case protocol.QoS1:
			s.out, _ = (&protocol.Puback{Version: v, PacketID: id}).AppendTo(s.out[:0])
		case protocol.QoS2:
			s.out, _ = (&protocol.Pubrec{Version: v, PacketID: id}).AppendTo(s.out[:0])
		}
		if p.in.QoS > 0 && !p.write(dc, s.out, t) {
			return
		}
		s.command(dc, &p.in, now)
	case protocol.PUBREL:
		if err = protocol.DecodeInto((*protocol.Pubrel)(&p.ack), h, body, v); err != nil {
			break
		}
		s.out, _ = (&protocol.Pubcomp{Version: v, PacketID: p.ack.PacketID}).AppendTo(s.out[:0])
		p.write(dc, s.out, t)
	case protocol.PINGRESP:
	case protocol.DISCONNECT:
		p.disc = protocol.Disconnect{}
		protocol.DecodeInto(&p.disc, h, body, v)
		why := p.disc.ReasonCode.String()
		if rs, ok := p.disc.Props.ReasonString.Get(); ok {
			why += ": " + rs
		}
		s.lost(dc, fmt.Errorf("disconnected by the broker: %s", why), t)
	default:
		err = fmt.Errorf("unexpected %v packet", h.Type)
	}
	if err != nil {
		s.lost(dc, fmt.Errorf("from the broker: %w", err), t)
	}
}

// ackOf returns the scratch acknowledgement as the packet type t.
func (p *inProcess) ackOf(t protocol.Type) protocol.Packet {
	switch t {
	case protocol.PUBREC:
		return (*protocol.Pubrec)(&p.ack)
	case protocol.PUBCOMP:
		return (*protocol.Pubcomp)(&p.ack)
	}
	return &p.ack
}
